import type { JobContext } from './context.js';
import type { Parsed, Out } from '../../../shared/contract/index.js';

/**
 * Every long task the engine can run, by name.
 *
 * Tasks are plain async functions `(input, ctx) => output` over JSON-safe values, so the
 * same function runs in-process (CLI, tests) or in a job process (app, web host). They
 * are imported lazily: a job process loads only what its task needs (GDAL is heavy).
 */
export interface TaskTable {
  'workspace.summary': (input: { path: string }, ctx: JobContext) => Promise<Out<'workspace.summary'>>;
}

export type TaskName = keyof TaskTable;
export type TaskInput<T extends TaskName> = Parameters<TaskTable[T]>[0];
export type TaskOutput<T extends TaskName> = Awaited<ReturnType<TaskTable[T]>>;

const loaders: { [T in TaskName]: () => Promise<TaskTable[T]> } = {
  'workspace.summary': async () => (await import('../workspace/summary.js')).summarizeWorkspaceTask,
};

export function isTaskName(name: string): name is TaskName {
  return Object.prototype.hasOwnProperty.call(loaders, name);
}

export async function loadTask<T extends TaskName>(name: T): Promise<TaskTable[T]> {
  return loaders[name]();
}

// Keeps the contract's parsed input assignable to the task's input (compile-time only).
type _Check = Parsed<'workspace.summary'> extends TaskInput<'workspace.summary'> ? true : never;
export const _taskInputsMatchContract: _Check = true;
