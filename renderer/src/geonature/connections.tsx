import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ConnectionProfile, In } from '../../../shared/contract/index.js';
import { useEngine } from '../api/engine.js';

type Connection = In<'geonature.test'>['connection'];

interface ConnectionsState {
  profiles: ConnectionProfile[];
  reload(): Promise<void>;
  /** The profile the GeoNature view works with. */
  active: string | null;
  setActive(name: string | null): void;
  /** Passwords typed in this session, by profile: in memory only, gone when the window closes. */
  setPassword(profile: string, password: string | null, remember: boolean): Promise<void>;
  hasPassword(profile: string): boolean;
  /** A connection for calls: the profile and its secrets (typed, or from the keyring in the app). */
  connection(profile: string): Connection;
  /** Whether the app can remember passwords (desktop app with a real keyring). */
  persistent: boolean;
}

const Ctx = createContext<ConnectionsState | null>(null);

/** Connection profiles (never with a password) and the session's passwords. */
export function ConnectionsProvider({ children }: { children: ReactNode }) {
  const { client } = useEngine();
  const [profiles, setProfiles] = useState<ConnectionProfile[]>([]);
  const [active, setActive] = useState<string | null>(null);
  const [passwords, setPasswords] = useState<Map<string, string>>(new Map());
  const [persistent, setPersistent] = useState(false);

  const reload = useCallback(async () => {
    const r = await client.call('geonature.listProfiles', {});
    if (r.ok) setProfiles(r.value.profiles);
  }, [client]);

  useEffect(() => {
    let alive = true;
    void client.call('geonature.listProfiles', {}).then((r) => {
      if (alive && r.ok) setProfiles(r.value.profiles);
    });
    void client.call('secrets.status', {}).then((r) => {
      if (alive && r.ok) setPersistent(r.value.persistent);
    });
    return () => {
      alive = false;
    };
  }, [client]);

  // In the app, a remembered password comes back from the keyring when a profile is chosen.
  useEffect(() => {
    if (!active || !persistent || passwords.has(active)) return;
    let alive = true;
    void client.call('secrets.get', { key: `geonature:${active}` }).then((r) => {
      if (alive && r.ok && r.value.value !== null) setPasswords((p) => new Map(p).set(active, r.value.value as string));
    });
    return () => {
      alive = false;
    };
  }, [active, persistent, passwords, client]);

  const value = useMemo<ConnectionsState>(
    () => ({
      profiles,
      reload,
      active,
      setActive,
      persistent,
      hasPassword: (p) => passwords.has(p),
      setPassword: async (profile, password, remember) => {
        setPasswords((prev) => {
          const next = new Map(prev);
          if (password === null) next.delete(profile);
          else next.set(profile, password);
          return next;
        });
        if (persistent) await client.call('secrets.set', { key: `geonature:${profile}`, value: remember ? password : null });
      },
      connection: (profile) => {
        const password = passwords.get(profile);
        return { profile, secrets: password ? { password } : {} };
      },
    }),
    [profiles, reload, active, persistent, passwords, client],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useConnections(): ConnectionsState {
  const c = useContext(Ctx);
  if (!c) throw new Error('useConnections outside ConnectionsProvider');
  return c;
}
