import { createJobContext } from './context.js';
import type { JobRunner, RunOptions } from './runner.js';
import { loadTask, type TaskInput, type TaskName, type TaskOutput } from './tasks.js';

/**
 * Runs tasks in the calling process.
 *
 * For the CLI (a batch process, where blocking is fine and Ctrl-C cancels) and for
 * tests. Tasks still yield through `checkpoint()`, so a cancel is noticed.
 */
export class InProcessRunner implements JobRunner {
  private readonly running = new Map<string, AbortController>();

  async run<T extends TaskName>(task: T, input: TaskInput<T>, opts: RunOptions): Promise<TaskOutput<T>> {
    const controller = new AbortController();
    this.running.set(opts.jobId, controller);
    try {
      const fn = await loadTask(task);
      const ctx = createJobContext(opts.jobId, controller.signal, (d, t, m) => opts.onProgress?.(d, t, m));
      return (await (fn as (i: TaskInput<T>, c: typeof ctx) => Promise<TaskOutput<T>>)(input, ctx));
    } finally {
      this.running.delete(opts.jobId);
    }
  }

  cancel(jobId: string): boolean {
    const c = this.running.get(jobId);
    if (!c) return false;
    c.abort();
    return true;
  }

  /** Cancels every running job (Ctrl-C in the CLI). */
  cancelAll(): void {
    for (const c of this.running.values()) c.abort();
  }

  async close(): Promise<void> {
    this.cancelAll();
  }
}
