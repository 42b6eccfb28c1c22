import type { TaskInput, TaskName, TaskOutput } from './tasks.js';

export interface RunOptions {
  jobId: string;
  onProgress?: (done: number, total: number | null, message: string) => void;
}

/**
 * Runs named tasks somewhere: in this process, or in a pool of job processes.
 *
 * Both implementations honour the same rules: progress through `onProgress`, `cancel`
 * makes the run reject with an AppError of code CANCELLED.
 */
export interface JobRunner {
  run<T extends TaskName>(task: T, input: TaskInput<T>, opts: RunOptions): Promise<TaskOutput<T>>;
  /** Asks a job to stop; false when no such job is running or queued. */
  cancel(jobId: string): boolean;
  close(): Promise<void>;
}
