import type { TaskLoaders } from './task-types.js';
import { workspaceTaskLoaders, type WorkspaceTasks } from '../workspace/tasks.js';
import { gpkgTaskLoaders, type GpkgTasks } from '../gpkg/tasks.js';
import { geonatureTaskLoaders, type GeoNatureTasks } from '../geonature/tasks.js';
import { cleanupTaskLoaders, type CleanupTasks } from '../cleanup/tasks.js';
import { metadataTaskLoaders, type MetadataTasks } from '../metadata/tasks.js';
import { sensitivityTaskLoaders, type SensitivityTasks } from '../sensitivity/tasks.js';
import { bundleTaskLoaders, type BundleTasks } from '../bundle/tasks.js';
import { publishTaskLoaders, type PublishTasks } from '../publish/tasks.js';

/**
 * Every long task the engine can run, by name: the union of each domain's `tasks.ts`.
 *
 * Tasks are plain async functions `(input, ctx) => output` over JSON-safe values, so the
 * same function runs in-process (CLI, tests) or in a job process (app, web host).
 */
export type TaskTable = WorkspaceTasks & GpkgTasks & GeoNatureTasks & CleanupTasks & MetadataTasks & SensitivityTasks & BundleTasks & PublishTasks;

export type TaskName = keyof TaskTable;
export type TaskInput<T extends TaskName> = Parameters<TaskTable[T]>[0];
export type TaskOutput<T extends TaskName> = Awaited<ReturnType<TaskTable[T]>>;

const loaders: TaskLoaders<TaskTable> = {
  ...workspaceTaskLoaders,
  ...gpkgTaskLoaders,
  ...geonatureTaskLoaders,
  ...cleanupTaskLoaders,
  ...metadataTaskLoaders,
  ...sensitivityTaskLoaders,
  ...bundleTaskLoaders,
  ...publishTaskLoaders,
};

export function isTaskName(name: string): name is TaskName {
  return Object.prototype.hasOwnProperty.call(loaders, name);
}

export async function loadTask<T extends TaskName>(name: T): Promise<TaskTable[T]> {
  return loaders[name]();
}
