import type { JobContext } from './context.js';

/** A long task: a plain async function over JSON-safe values. */
export type Task<I, O> = (input: I, ctx: JobContext) => Promise<O>;

/** Lazy loaders of a domain's tasks (a job process loads only what it runs). */
export type TaskLoaders<T> = { [K in keyof T]: () => Promise<T[K]> };
