import type { CheckReport, ExportGeoNatureReport, FixReport, MappedRow, ReadOptions, SniffResult, UndoReport, FieldMapping, ImportReport } from '../../../shared/contract/index.js';
import type { Task, TaskLoaders } from '../jobs/task-types.js';
import type { CheckTaskInput } from './check.js';
import type { FixTaskInput } from './fix.js';
import type { ImportTaskInput } from './import.js';

/** The cleanup domain's long tasks (they may load GDAL: job processes in the app and web host). */
export interface CleanupTasks {
  'clean.sniff': Task<{ path: string; read: ReadOptions; previewRows: number }, SniffResult>;
  'clean.previewMapping': Task<{ path: string; read: ReadOptions; mapping: FieldMapping; workspace?: string | undefined; rows: number }, { rows: MappedRow[] }>;
  'clean.import': Task<ImportTaskInput, ImportReport>;
  'clean.check': Task<CheckTaskInput, CheckReport>;
  'clean.fix': Task<FixTaskInput, FixReport>;
  'clean.undo': Task<{ workspace: string; actor: string }, UndoReport>;
  'clean.exportGeonature': Task<{ workspace: string; out: string; overwrite: boolean; nomenclatures: 'labels' | 'codes' }, ExportGeoNatureReport>;
}

export const cleanupTaskLoaders: TaskLoaders<CleanupTasks> = {
  'clean.sniff': async () => (await import('./sniff.js')).sniffTask,
  'clean.previewMapping': async () => (await import('./import.js')).previewMappingTask,
  'clean.import': async () => (await import('./import.js')).importTask,
  'clean.check': async () => (await import('./check.js')).checkTask,
  'clean.fix': async () => (await import('./fix.js')).fixTask,
  'clean.undo': async () => (await import('./fix.js')).undoTask,
  'clean.exportGeonature': async () => (await import('./export.js')).exportGeonatureTask,
};
