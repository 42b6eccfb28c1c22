import type { Result } from '../../../shared/contract/index.js';

/** Messages from the engine to a job process. */
export type ToJob =
  | { readonly t: 'run'; readonly jobId: string; readonly task: string; readonly input: unknown }
  | { readonly t: 'cancel'; readonly jobId: string };

/** Messages from a job process to the engine. */
export type FromJob =
  | { readonly t: 'ready' }
  | { readonly t: 'progress'; readonly jobId: string; readonly done: number; readonly total: number | null; readonly message: string }
  | { readonly t: 'done'; readonly jobId: string; readonly result: Result<unknown> };

/**
 * A two-way message channel to a job process.
 *
 * Implemented over `child_process.fork` under Node and over Electron's
 * `utilityProcess` in the app (the engine itself never imports `electron`).
 */
export interface JobChannel {
  send(msg: ToJob): void;
  onMessage(listener: (msg: FromJob) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
}

/** Starts a job process running `entry` (a path to the job-process module). */
export type SpawnJobProcess = (entry: string, execArgv: readonly string[]) => JobChannel;
