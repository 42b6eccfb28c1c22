import type { MergeResult, MetadataImportResult, ReassignResult, SplitResult, UndoResult } from '../../../shared/contract/index.js';
import type { Task, TaskLoaders } from '../jobs/task-types.js';
import type { MergeInput, SplitInput } from './restructure.js';
import type { ReassignTaskInput, ImportTaskInput, UndoTaskInput } from './task-functions.js';

/** The metadata domain's long tasks: they may move millions of observations, so they run as jobs (progress, cancel). */
export interface MetadataTasks {
  'metadata.split': Task<SplitInput, SplitResult>;
  'metadata.merge': Task<MergeInput, MergeResult>;
  'metadata.reassign': Task<ReassignTaskInput, ReassignResult>;
  'metadata.undo': Task<UndoTaskInput, UndoResult>;
  'metadata.import': Task<ImportTaskInput, MetadataImportResult>;
}

export const metadataTaskLoaders: TaskLoaders<MetadataTasks> = {
  'metadata.split': async () => (await import('./restructure.js')).splitDataset,
  'metadata.merge': async () => (await import('./restructure.js')).mergeDatasets,
  'metadata.reassign': async () => (await import('./task-functions.js')).reassignTask,
  'metadata.undo': async () => (await import('./task-functions.js')).undoTask,
  'metadata.import': async () => (await import('./task-functions.js')).importTask,
};
