import { ResultEnvelope, type ApiError, type Result } from './errors.js';
import type { EventName, EventPayload } from './events.js';
import type { In, Method, Out } from './methods.js';

/**
 * What a transport must do: carry one call and hand back its Result, and deliver events.
 *
 * Implemented by the preload bridge (IPC), the HTTP client (web host) and the
 * in-process adapter (tests, CLI).
 */
export interface Transport {
  call(method: string, input: unknown): Promise<unknown>;
  on(listener: (name: string, payload: unknown) => void): () => void;
}

/** A failed call, carrying the error value so callers can branch on `code`. */
export class ApiCallError extends Error {
  readonly code: ApiError['code'];
  readonly details: ApiError['details'];
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.details = error.details;
  }
}

export interface Client {
  /** Calls a method and returns its Result envelope (never throws for an engine error). */
  call<M extends Method>(method: M, input: In<M>): Promise<Result<Out<M>>>;
  /** Calls a method and returns its value, or throws {@link ApiCallError}. */
  invoke<M extends Method>(method: M, input: In<M>): Promise<Out<M>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** A typed client over any transport. */
export function createClient(transport: Transport): Client {
  const call = async <M extends Method>(method: M, input: In<M>): Promise<Result<Out<M>>> => {
    let raw: unknown;
    try {
      raw = await transport.call(method, input);
    } catch (e) {
      return {
        ok: false,
        error: {
          code: 'UNREACHABLE',
          message: `The engine could not be reached: ${e instanceof Error ? e.message : String(e)}`,
          details: { key: 'errors.ENGINE_UNREACHABLE' },
        },
      };
    }
    const parsed = ResultEnvelope.safeParse(raw);
    if (!parsed.success) {
      return {
        ok: false,
        error: { code: 'INTERNAL', message: `Malformed reply to ${method}`, details: { key: 'errors.INTERNAL' } },
      };
    }
    return parsed.data as Result<Out<M>>;
  };
  return {
    call,
    async invoke(method, input) {
      const r = await call(method, input);
      if (!r.ok) throw new ApiCallError(r.error);
      return r.value;
    },
    on(name, listener) {
      return transport.on((n, payload) => {
        if (n === name) listener(payload as EventPayload<typeof name>);
      });
    },
  };
}
