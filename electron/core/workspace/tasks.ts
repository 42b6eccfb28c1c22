import type { WorkspaceSummary } from '../../../shared/contract/index.js';
import type { Task, TaskLoaders } from '../jobs/task-types.js';

/** The workspace domain's long tasks. */
export interface WorkspaceTasks {
  'workspace.summary': Task<{ path: string }, WorkspaceSummary>;
}

export const workspaceTaskLoaders: TaskLoaders<WorkspaceTasks> = {
  'workspace.summary': async () => (await import('./summary.js')).summarizeWorkspaceTask,
};
