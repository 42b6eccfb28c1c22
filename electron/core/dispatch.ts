import { randomUUID } from 'node:crypto';
import {
  fail,
  isMethod,
  methods,
  type EventName,
  type EventPayload,
  type Method,
  type Out,
  type Parsed,
  type Result,
} from '../../shared/contract/index.js';
import { AppError, toApiError } from './errors.js';
import type { PathGuard } from './files/grants.js';
import type { Logger } from './log.js';

/** What a handler gets besides its input. */
export interface CallContext {
  /** Set for job methods: the caller's jobId or a fresh one. */
  readonly jobId: string | null;
  /** Sends an event to the caller's face (SSE, webContents.send, CLI stderr). */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  readonly paths: PathGuard;
}

export type Handlers = {
  [M in Method]: (input: Parsed<M>, ctx: CallContext) => Promise<Out<M>>;
};

export interface CallOptions {
  emit: CallContext['emit'];
  paths: PathGuard;
}

export type Dispatch = (method: string, raw: unknown, opts: CallOptions) => Promise<Result<unknown>>;

/**
 * The path(s) a policy field names: `field` (a string, or every string of an array: lists of
 * files) or `list[].field` (the field of every object of a list, e.g. `load[].path`).
 */
export function pathsOf(input: unknown, field: string): string[] {
  const get = (o: unknown, k: string): unknown => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined);
  const nested = /^(\w+)\[\]\.(\w+)$/.exec(field);
  const values = nested ? [get(input, nested[1] as string)].flat().map((o) => get(o, nested[2] as string)) : [get(input, field)].flat();
  return values.filter((x): x is string => typeof x === 'string');
}

/**
 * The one dispatcher every transport calls.
 *
 * It checks the method exists, validates the input against the contract, enforces the
 * method's path policy, runs the handler, validates the output, and turns any exception
 * into an error value. Nothing thrown ever crosses it.
 */
export function createDispatcher(handlers: Handlers, log: Logger): Dispatch {
  return async (method, raw, opts) => {
    if (!isMethod(method)) {
      return fail('INVALID_INPUT', `Unknown method ${method}`, { key: 'errors.UNKNOWN_METHOD', params: { method } });
    }
    const spec = methods[method];
    const parsed = spec.input.safeParse(raw ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
      return fail('INVALID_INPUT', `Invalid input for ${method}: ${issues}`, { key: 'errors.INVALID_INPUT', params: { method, issues } });
    }
    const input = parsed.data as Record<string, unknown>;
    for (const field of spec.paths.uses ?? []) {
      for (const p of pathsOf(input, field)) {
        if (opts.paths.allows(p)) continue;
        return fail('PATH_NOT_ALLOWED', `${p} was not opened or chosen by the user in this session`, {
          key: 'errors.PATH_NOT_ALLOWED',
          params: { path: p },
          where: p,
        });
      }
    }
    const jobId = spec.job ? ((input.jobId as string | undefined) ?? randomUUID()) : null;
    const ctx: CallContext = { jobId, emit: opts.emit, paths: opts.paths };
    const started = Date.now();
    try {
      const handler = handlers[method] as (i: unknown, c: CallContext) => Promise<unknown>;
      const value = await handler(input, ctx);
      for (const field of spec.paths.grants ?? []) for (const p of pathsOf(input, field)) opts.paths.grant(p);
      const out = spec.output.safeParse(value);
      if (!out.success) {
        throw new AppError('INTERNAL', `The engine produced an invalid result for ${method}: ${out.error.message}`);
      }
      if (jobId) opts.emit('job.finished', { jobId, method, ok: true });
      log.debug('call', { method, ms: Date.now() - started });
      return { ok: true, value: out.data };
    } catch (e) {
      const error = toApiError(e);
      if (jobId) opts.emit('job.finished', { jobId, method, ok: false });
      const level = error.code === 'INTERNAL' ? 'error' : 'info';
      log[level]('call failed', { method, code: error.code, message: error.message, ms: Date.now() - started, ...(error.code === 'INTERNAL' && e instanceof Error ? { stack: e.stack } : {}) });
      return { ok: false, error };
    }
  };
}
