import { cancelled } from '../errors.js';

/** What a long task receives to report progress and notice cancellation. */
export interface JobContext {
  readonly jobId: string;
  readonly signal: AbortSignal;
  /** Reports progress; cheap to call in a loop (throttled to a few events per second). */
  progress(done: number, total: number | null, message?: string): void;
  /**
   * Yields to the event loop at most every ~50 ms and throws CANCELLED once the job was
   * cancelled. Synchronous loops (better-sqlite3, GDAL) call it every few hundred rows:
   * without it a cancel message could not even be received.
   */
  checkpoint(): Promise<void>;
}

export type ProgressSink = (done: number, total: number | null, message: string) => void;

const PROGRESS_INTERVAL_MS = 100;
const YIELD_INTERVAL_MS = 50;

/** Builds a JobContext around an AbortSignal and a progress sink. */
export function createJobContext(jobId: string, signal: AbortSignal, sink: ProgressSink): JobContext {
  let lastProgress = 0;
  let lastYield = Date.now();
  return {
    jobId,
    signal,
    progress(done, total, message = '') {
      const now = Date.now();
      const final = total !== null && done >= total;
      if (!final && now - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = now;
      sink(done, total, message);
    },
    async checkpoint() {
      if (signal.aborted) throw cancelled(jobId);
      const now = Date.now();
      if (now - lastYield < YIELD_INTERVAL_MS) return;
      lastYield = now;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal.aborted) throw cancelled(jobId);
    },
  };
}
