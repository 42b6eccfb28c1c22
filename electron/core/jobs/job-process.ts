/**
 * Entry point of a job process: receives tasks, runs them, reports progress and results.
 *
 * Works both as a `child_process.fork` child (process.send) and as an Electron utility
 * process (process.parentPort), so the engine never needs to import `electron`.
 */
import { createJobContext } from './context.js';
import type { FromJob, ToJob } from './protocol.js';
import { isTaskName, loadTask } from './tasks.js';
import { toApiError } from '../errors.js';
import { AppError } from '../errors.js';

interface ParentPort {
  postMessage(msg: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function post(msg: FromJob): void {
  if (parentPort) parentPort.postMessage(msg);
  else process.send?.(msg);
}

function onMessage(listener: (msg: ToJob) => void): void {
  if (parentPort) parentPort.on('message', (e) => listener(e.data as ToJob));
  else process.on('message', (m) => listener(m as ToJob));
}

const controllers = new Map<string, AbortController>();

async function run(jobId: string, task: string, input: unknown): Promise<void> {
  const controller = new AbortController();
  controllers.set(jobId, controller);
  try {
    if (!isTaskName(task)) throw new AppError('INTERNAL', `Unknown task ${task}`);
    const fn = (await loadTask(task)) as (i: unknown, c: unknown) => Promise<unknown>;
    const ctx = createJobContext(jobId, controller.signal, (done, total, message) =>
      post({ t: 'progress', jobId, done, total, message }),
    );
    const value = await fn(input, ctx);
    post({ t: 'done', jobId, result: { ok: true, value } });
  } catch (e) {
    post({ t: 'done', jobId, result: { ok: false, error: toApiError(e) } });
  } finally {
    controllers.delete(jobId);
  }
}

onMessage((msg) => {
  if (msg.t === 'run') void run(msg.jobId, msg.task, msg.input);
  else if (msg.t === 'cancel') controllers.get(msg.jobId)?.abort();
});

// The parent going away (app quit, crash) must not leave orphans.
process.on('disconnect', () => process.exit(0));
post({ t: 'ready' });
