import type { CallContext, Handlers } from '../dispatch.js';
import type { TaskInput, TaskName, TaskOutput } from '../jobs/tasks.js';
import type { HandlerDeps } from './deps.js';

/** Runs a task as the job of the current call, forwarding its progress as `job.progress` events. */
export function runAsJob<T extends TaskName>(
  deps: HandlerDeps,
  ctx: CallContext,
  method: string,
  task: T,
  input: TaskInput<T>,
): Promise<TaskOutput<T>> {
  const jobId = ctx.jobId ?? method;
  return deps.runner.run(task, input, {
    jobId,
    onProgress: (done, total, message) => ctx.emit('job.progress', { jobId, method, done, total, message }),
  });
}

export function workspaceHandlers(deps: HandlerDeps): Pick<Handlers, 'workspace.open' | 'workspace.summary'> {
  return {
    'workspace.open': (input, ctx) => runAsJob(deps, ctx, 'workspace.open', 'workspace.summary', { path: input.path }),
    'workspace.summary': (input, ctx) => runAsJob(deps, ctx, 'workspace.summary', 'workspace.summary', { path: input.path }),
  };
}
