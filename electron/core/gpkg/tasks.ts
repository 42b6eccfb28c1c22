import type { ConvertReport, GpkgInfo, Parsed, ValidationReport } from '../../../shared/contract/index.js';
import type { Task, TaskLoaders } from '../jobs/task-types.js';

/** Input of the convert task: the contract's input without the jobId. */
export type ConvertTaskInput = Omit<Parsed<'gpkg.convert'>, 'jobId'>;

/** The GeoPackage domain's long tasks (they may load GDAL: job processes, never worker threads). */
export interface GpkgTasks {
  'gpkg.inspect': Task<{ path: string }, GpkgInfo>;
  'gpkg.validate': Task<{ path: string; geometry: boolean; maxPerRule: number }, ValidationReport>;
  'gpkg.convert': Task<ConvertTaskInput, ConvertReport>;
}

export const gpkgTaskLoaders: TaskLoaders<GpkgTasks> = {
  'gpkg.inspect': async () => (await import('./task-functions.js')).inspectTask,
  'gpkg.validate': async () => (await import('./task-functions.js')).validateTask,
  'gpkg.convert': async () => (await import('./convert/convert.js')).convertTask,
};
