import type { CallContext, Handlers } from '../dispatch.js';
import type { TaskInput, TaskName, TaskOutput } from '../jobs/tasks.js';
import type { HandlerDeps } from './deps.js';
import { workspaceToRead } from '../workspace/demo-copy.js';

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
  // The demo's working copy, once something was written to the demo, is what the user works on.
  const summarize = async (method: string, path: string, ctx: CallContext) => {
    const file = workspaceToRead(path, deps.home, deps.demoPath);
    const s = await runAsJob(deps, ctx, method, 'workspace.summary', { path: file });
    return { ...s, path, workingCopy: file === path ? null : file };
  };
  return {
    'workspace.open': (input, ctx) => summarize('workspace.open', input.path, ctx),
    'workspace.summary': (input, ctx) => summarize('workspace.summary', input.path, ctx),
  };
}
