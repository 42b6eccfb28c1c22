/**
 * The metadata tasks whose inputs are not already a function's (restructure.ts takes its own):
 * plain async functions `(input, ctx) => output` over JSON-safe values, run in-process by the CLI
 * and in a job process by the app.
 */
import type { MetadataImportResult, ObservationFilter, ReassignResult, UndoResult } from '../../../shared/contract/index.js';
import type { Lang } from '../../../shared/metadata/index.js';
import type { JobContext } from '../jobs/context.js';
import { importWorkspaceMetadata } from './exchange.js';
import { reassignByFilter } from './restructure.js';
import { undo } from './service.js';

export interface ReassignTaskInput {
  readonly workspace: string;
  readonly filter: ObservationFilter;
  readonly to: string;
  readonly dryRun: boolean;
  readonly actor: string;
}

export interface UndoTaskInput {
  readonly workspace: string;
  readonly dryRun: boolean;
  readonly actor: string;
}

export interface ImportTaskInput {
  readonly workspace: string;
  readonly file: string;
  readonly dryRun: boolean;
  readonly lang: Lang;
  readonly actor: string;
}

export const reassignTask = (input: ReassignTaskInput, ctx: JobContext): Promise<ReassignResult> => reassignByFilter(input, ctx);

export async function undoTask(input: UndoTaskInput, ctx: JobContext): Promise<UndoResult> {
  ctx.progress(0, 1, 'undoing');
  const r = await undo(input.workspace, input.dryRun, input.actor);
  ctx.progress(1, 1, 'done');
  return r;
}

export const importTask = (input: ImportTaskInput, ctx: JobContext): Promise<MetadataImportResult> => importWorkspaceMetadata(input, ctx);
