/**
 * The whole surface the sandboxed renderer gets: `call` and `on`, nothing else.
 *
 * Kept free of the `electron` import so its logic is testable without Electron: the
 * preload passes the real `ipcRenderer`. Channel names are fixed here; the renderer can
 * neither pick a channel nor reach `ipcRenderer` (Electron security checklist §20).
 */
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../shared/contract/ipc.js';

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface PasserelleBridge {
  call(method: string, input: unknown): Promise<unknown>;
  on(listener: (name: string, payload: unknown) => void): () => void;
  /** Tiles are served by the app:// protocol in the desktop app. */
  readonly tileBase: string;
}

export function createBridge(ipc: IpcRendererLike): PasserelleBridge {
  return {
    call: (method, input) => {
      if (typeof method !== 'string') return Promise.reject(new TypeError('method must be a string'));
      return ipc.invoke(CALL_CHANNEL, method, input);
    },
    on: (listener) => {
      // Do not hand the IpcRendererEvent to the page: it exposes `sender`.
      const wrapped = (_event: unknown, name: unknown, payload: unknown) => {
        if (typeof name === 'string') listener(name, payload);
      };
      ipc.on(EVENT_CHANNEL, wrapped as (event: unknown, ...args: unknown[]) => void);
      return () => {
        ipc.removeListener(EVENT_CHANNEL, wrapped as (event: unknown, ...args: unknown[]) => void);
      };
    },
    tileBase: 'app://tiles',
  };
}
