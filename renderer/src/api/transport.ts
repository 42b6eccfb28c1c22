import type { Transport } from '../../../shared/contract/index.js';

/** What the Electron preload exposes as `window.passerelle` (see electron/preload/bridge.ts). */
interface Bridge {
  call(method: string, input: unknown): Promise<unknown>;
  on(listener: (name: string, payload: unknown) => void): () => void;
  readonly tileBase: string;
}

declare global {
  interface Window {
    passerelle?: Bridge;
  }
}

/** A transport plus what differs between faces: where tiles come from. */
export interface UiTransport extends Transport {
  readonly kind: 'electron' | 'web';
  /** URL template (with {z}/{x}/{y}) of a map layer's vector tiles. */
  tileUrl(sourceId: string, layer: string): string;
}

const TOKEN_KEY = 'passerelle.token';

/**
 * The session token of the web host: taken from `?token=` on first load, kept for the
 * tab's life in sessionStorage, and removed from the address bar (so it is not copied
 * around or saved in history).
 */
function takeToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/** HTTP + server-sent events to the web host (same origin). */
function httpTransport(): UiTransport {
  const token = takeToken();
  const listeners = new Set<(name: string, payload: unknown) => void>();
  let source: EventSource | null = null;
  const connect = () => {
    source = new EventSource(`./api/events?token=${encodeURIComponent(token)}`);
    for (const name of ['job.progress', 'job.finished']) {
      source.addEventListener(name, (e) => {
        const payload: unknown = JSON.parse((e as MessageEvent<string>).data);
        for (const l of listeners) l(name, payload);
      });
    }
  };
  return {
    kind: 'web',
    async call(method, input) {
      const res = await fetch(`./api/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(input ?? {}),
      });
      return res.json() as Promise<unknown>;
    },
    on(listener) {
      if (!source) connect();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    tileUrl: (sourceId, layer) => `./tiles/${sourceId}/${encodeURIComponent(layer)}/{z}/{x}/{y}.pbf?token=${encodeURIComponent(token)}`,
  };
}

function bridgeTransport(bridge: Bridge): UiTransport {
  return {
    kind: 'electron',
    call: (method, input) => bridge.call(method, input),
    on: (listener) => bridge.on(listener),
    tileUrl: (sourceId, layer) => `${bridge.tileBase}/${sourceId}/${encodeURIComponent(layer)}/{z}/{x}/{y}.pbf`,
  };
}

/** The preload bridge in the desktop app, HTTP in a browser. */
export function createUiTransport(): UiTransport {
  return window.passerelle ? bridgeTransport(window.passerelle) : httpTransport();
}
