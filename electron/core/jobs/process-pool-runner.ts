import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { AppError, cancelled, fromApiError } from '../errors.js';
import type { FromJob, JobChannel, SpawnJobProcess } from './protocol.js';
import type { JobRunner, RunOptions } from './runner.js';
import type { TaskInput, TaskName, TaskOutput } from './tasks.js';
import { forkSpawner } from './fork-spawner.js';

interface Pending {
  readonly jobId: string;
  readonly task: string;
  readonly input: unknown;
  readonly opts: RunOptions;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Worker {
  readonly channel: JobChannel;
  ready: boolean;
  job: Pending | null;
  idleTimer: NodeJS.Timeout | null;
  killTimer: NodeJS.Timeout | null;
  exited: boolean;
}

export interface PoolOptions {
  /** How many jobs may run at once. @default 2 (the machines have two cores) */
  maxProcesses?: number;
  /** How long a job may take to stop after a cancel before its process is killed. @default 3000 */
  cancelGraceMs?: number;
  /** Idle processes beyond the first are stopped after this long. @default 30000 */
  idleMs?: number;
  spawn?: SpawnJobProcess;
}

/** Where the job-process module is, in the same form (.ts under tests, .js when built) as this file. */
export function jobProcessEntry(): { entry: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    // Running from sources (vitest, tsx): the child needs the TypeScript loader too.
    return { entry: join(dirname(here), 'job-process.ts'), execArgv: ['--import', 'tsx'] };
  }
  return { entry: join(dirname(here), 'job-process.js'), execArgv: [] };
}

/**
 * Runs tasks in a small pool of job processes.
 *
 * Processes rather than worker threads for two measured reasons: gdal-async's native
 * module can be loaded only once per process ("Module did not self-register" in a second
 * worker thread), and a crash in GDAL or SQLite on a hostile file must not take the app
 * down. One process is kept warm so a short job does not pay the start-up.
 */
export class ProcessPoolRunner implements JobRunner {
  private readonly workers: Worker[] = [];
  private readonly queue: Pending[] = [];
  private readonly max: number;
  private readonly grace: number;
  private readonly idleMs: number;
  private readonly spawn: SpawnJobProcess;
  private closed = false;

  constructor(opts: PoolOptions = {}) {
    this.max = Math.max(1, opts.maxProcesses ?? 2);
    this.grace = opts.cancelGraceMs ?? 3000;
    this.idleMs = opts.idleMs ?? 30_000;
    this.spawn = opts.spawn ?? forkSpawner;
  }

  /** Starts the warm process now rather than at the first job. */
  warm(): void {
    if (this.workers.length === 0 && !this.closed) this.startWorker();
  }

  run<T extends TaskName>(task: T, input: TaskInput<T>, opts: RunOptions): Promise<TaskOutput<T>> {
    if (this.closed) return Promise.reject(new AppError('INTERNAL', 'The job runner is closed'));
    return new Promise<TaskOutput<T>>((resolve, reject) => {
      this.queue.push({ jobId: opts.jobId, task, input, opts, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  cancel(jobId: string): boolean {
    const qi = this.queue.findIndex((p) => p.jobId === jobId);
    if (qi >= 0) {
      const [p] = this.queue.splice(qi, 1);
      p?.reject(cancelled(jobId));
      return true;
    }
    const w = this.workers.find((x) => x.job?.jobId === jobId);
    if (!w || !w.job) return false;
    w.channel.send({ t: 'cancel', jobId });
    // A task stuck in native code cannot see the cancel: kill its process after a grace period.
    // Writes are atomic (temp file + rename), so killing never leaves a half-written file.
    w.killTimer ??= setTimeout(() => {
      const job = w.job;
      w.job = null;
      w.channel.kill();
      job?.reject(cancelled(jobId));
    }, this.grace);
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(cancelled(p.jobId));
    for (const w of this.workers.splice(0)) {
      w.job?.reject(cancelled(w.job.jobId));
      w.job = null;
      if (w.idleTimer) clearTimeout(w.idleTimer);
      if (w.killTimer) clearTimeout(w.killTimer);
      w.channel.kill();
    }
  }

  private startWorker(): Worker {
    const { entry, execArgv } = jobProcessEntry();
    const channel = this.spawn(entry, execArgv);
    const w: Worker = { channel, ready: false, job: null, idleTimer: null, killTimer: null, exited: false };
    channel.onMessage((msg) => this.onMessage(w, msg));
    channel.onExit((code, signal) => this.onExit(w, code, signal));
    this.workers.push(w);
    return w;
  }

  private onMessage(w: Worker, msg: FromJob): void {
    switch (msg.t) {
      case 'ready':
        w.ready = true;
        this.pump();
        return;
      case 'progress':
        if (w.job?.jobId === msg.jobId) w.job.opts.onProgress?.(msg.done, msg.total, msg.message);
        return;
      case 'done': {
        const job = w.job;
        if (!job || job.jobId !== msg.jobId) return;
        w.job = null;
        if (w.killTimer) {
          clearTimeout(w.killTimer);
          w.killTimer = null;
        }
        if (msg.result.ok) job.resolve(msg.result.value);
        else job.reject(fromApiError(msg.result.error));
        this.pump();
        return;
      }
    }
  }

  private onExit(w: Worker, code: number | null, signal: string | null): void {
    w.exited = true;
    const i = this.workers.indexOf(w);
    if (i >= 0) this.workers.splice(i, 1);
    if (w.idleTimer) clearTimeout(w.idleTimer);
    if (w.killTimer) clearTimeout(w.killTimer);
    const job = w.job;
    w.job = null;
    job?.reject(
      new AppError(
        'INTERNAL',
        `The job process stopped unexpectedly while running ${job.task} (exit code ${code ?? 'none'}, signal ${signal ?? 'none'})`,
        { key: 'errors.JOB_PROCESS_DIED', params: { task: job.task, code: code ?? null, signal: signal ?? null } },
      ),
    );
    if (!this.closed) this.pump();
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const w = this.workers.find((x) => x.ready && !x.job && !x.exited);
      if (!w) {
        const starting = this.workers.filter((x) => !x.ready && !x.exited).length;
        if (this.workers.length < this.max && starting < this.queue.length) this.startWorker();
        return;
      }
      const job = this.queue.shift();
      if (!job) return;
      if (w.idleTimer) {
        clearTimeout(w.idleTimer);
        w.idleTimer = null;
      }
      w.job = job;
      w.channel.send({ t: 'run', jobId: job.jobId, task: job.task, input: job.input });
    }
    // Let extra idle processes go; keep one warm.
    const idle = this.workers.filter((x) => x.ready && !x.job);
    for (const x of idle.slice(1)) {
      x.idleTimer ??= setTimeout(() => x.channel.kill(), this.idleMs);
    }
  }
}
