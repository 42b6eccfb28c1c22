import { fail, type EventName, type EventPayload, type Result } from '../../shared/contract/index.js';
import type { Dispatch } from '../core/dispatch.js';
import type { PathGuard } from '../core/files/grants.js';

/** What the adapter needs to know about who is calling (from Electron's IpcMainInvokeEvent). */
export interface IpcSender {
  /** webContents id of the caller. */
  readonly webContentsId: number;
  /** URL of the frame that sent the message (`event.senderFrame.url`). */
  readonly frameUrl: string | null;
}

export interface IpcAdapterOptions {
  dispatch: Dispatch;
  paths: PathGuard;
  /** webContents ids of our own windows. */
  trustedWebContents: ReadonlySet<number>;
  /** Origin our UI is loaded from. */
  rendererOrigin: string;
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
}

/**
 * `app://renderer` of a frame URL. Not `URL.origin`: for a custom scheme such as app:,
 * WHATWG URL (in Node and in Electron's main process) gives the opaque origin "null".
 */
function schemeAndHost(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

/**
 * The logic of `ipcMain.handle('passerelle:call', …)`, free of the `electron` import so
 * it is tested under Node: the sender must be one of our windows showing our own UI
 * (Electron security checklist §17), then the call goes to the one dispatcher.
 */
export function createIpcCallHandler(opts: IpcAdapterOptions) {
  return async (sender: IpcSender, method: unknown, input: unknown): Promise<Result<unknown>> => {
    const fromOurUi = sender.frameUrl !== null && schemeAndHost(sender.frameUrl) === opts.rendererOrigin;
    if (!opts.trustedWebContents.has(sender.webContentsId) || !fromOurUi) {
      return fail('UNTRUSTED', `IPC call refused: sender ${sender.frameUrl ?? '(unknown frame)'} is not Passerelle's UI`, {
        key: 'errors.UNTRUSTED',
      });
    }
    if (typeof method !== 'string') return fail('INVALID_INPUT', 'The method name must be a string', { key: 'errors.INVALID_INPUT' });
    // Structured clone already copied the input; the dispatcher validates it against the contract.
    return opts.dispatch(method, input, { emit: opts.emit, paths: opts.paths });
  };
}
