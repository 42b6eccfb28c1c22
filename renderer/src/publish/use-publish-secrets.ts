import { useCallback, useEffect, useState } from 'react';
import { useEngine } from '../api/engine.js';
import { usePersisted } from '../cleanup/store.js';

/** Where a profile's secret is: typed in this session (memory only), in the system keyring, or nowhere. */
export type SecretStatus = 'session' | 'keyring' | 'none';

const NO_SECRETS: Readonly<Record<string, string>> = {};
const NO_FLAGS: Readonly<Record<string, boolean>> = {};

/**
 * The API keys and passwords of the publishing profiles, by their `secretKey`: in the desktop app
 * with a real keyring they can be remembered (`secrets.set`), else they live in memory for this
 * session (gone when the window closes). A remembered secret is read from the keyring only when a
 * call needs it; none is ever shown back.
 */
export function usePublishSecrets() {
  const { client } = useEngine();
  const [session, setSession] = usePersisted<Readonly<Record<string, string>>>('publish:secrets', NO_SECRETS);
  const [inKeyring, setInKeyring] = usePersisted<Readonly<Record<string, boolean>>>('publish:keyring', NO_FLAGS);
  const [persistent, setPersistent] = useState(false);

  useEffect(() => {
    let alive = true;
    void client.call('secrets.status', {}).then((r) => {
      if (alive && r.ok) setPersistent(r.value.persistent);
    });
    return () => {
      alive = false;
    };
  }, [client]);

  /** Asks the keyring whether it holds this secret (the value is not kept). */
  const probe = useCallback(
    async (key: string) => {
      if (!persistent) return;
      const r = await client.call('secrets.get', { key });
      if (r.ok) setInKeyring((prev) => ({ ...prev, [key]: r.value.value !== null }));
    },
    [client, persistent, setInKeyring],
  );

  const status = (key: string): SecretStatus => (session[key] !== undefined ? 'session' : inKeyring[key] ? 'keyring' : 'none');

  /** Keeps a secret for this session, and in the keyring when asked (and possible). */
  const set = async (key: string, value: string, remember: boolean) => {
    setSession((prev) => ({ ...prev, [key]: value }));
    if (!persistent) return;
    const r = await client.call('secrets.set', { key, value: remember ? value : null });
    setInKeyring((prev) => ({ ...prev, [key]: remember && r.ok && r.value.stored }));
  };

  /** Forgets a secret here and in the keyring. */
  const forget = async (key: string) => {
    setSession((prev) => {
      const next = { ...prev };
      delete next[key];
      return next;
    });
    if (!persistent) return;
    await client.call('secrets.set', { key, value: null });
    setInKeyring((prev) => ({ ...prev, [key]: false }));
  };

  /** The secret for a call: typed in this session, else read from the keyring (null: none). */
  const resolve = async (key: string): Promise<string | null> => {
    const typed = session[key];
    if (typed !== undefined) return typed;
    if (!persistent) return null;
    const r = await client.call('secrets.get', { key });
    return r.ok ? r.value.value : null;
  };

  return { persistent, status, probe, set, forget, resolve };
}
