import { userInfo } from 'node:os';
import type { Handlers } from '../dispatch.js';
import { exportWorkspaceMetadata } from '../metadata/exchange.js';
import { moveDatasets } from '../metadata/restructure.js';
import { bulkEdit, createFramework, getRecord, history, metadataCatalog, metadataTree, putRecord, validateWorkspace } from '../metadata/service.js';
import { isDemo, workspaceToRead, workspaceToWrite } from '../workspace/demo-copy.js';
import type { HandlerDeps } from './deps.js';
import { runAsJob } from './workspace.js';

type MetadataHandlers = Pick<
  Handlers,
  | 'metadata.tree'
  | 'metadata.get'
  | 'metadata.put'
  | 'metadata.validate'
  | 'metadata.catalog'
  | 'metadata.createFramework'
  | 'metadata.bulkEdit'
  | 'metadata.split'
  | 'metadata.merge'
  | 'metadata.move'
  | 'metadata.reassign'
  | 'metadata.undo'
  | 'metadata.history'
  | 'metadata.export'
  | 'metadata.import'
>;

/** Who a change is recorded as (the OS user: Passerelle has no accounts of its own). */
function actor(): string {
  try {
    return userInfo().username || 'passerelle';
  } catch {
    return 'passerelle';
  }
}

/**
 * The metadata domain. Reads and quick edits run here; what may move many observations (split,
 * merge, reassign, undo, import) runs as a job. The bundled demo is never modified: writes to it
 * (dry runs included: they take the write lock) go to its working copy in PASSERELLE_HOME, and
 * reads of it read that copy once it exists; results name the file actually used.
 */
export function metadataHandlers(deps: HandlerDeps): MetadataHandlers {
  const writable = (path: string): string => workspaceToWrite(path, deps.home, deps.demoPath);
  const readable = (path: string): string => workspaceToRead(path, deps.home, deps.demoPath);
  return {
    'metadata.tree': async (input) => {
      const path = readable(input.workspace);
      return metadataTree(path, !isDemo(path, deps.demoPath));
    },
    'metadata.get': async (input) => getRecord(readable(input.workspace), input.entity, input.uuid),
    'metadata.put': async (input) => putRecord(writable(input.workspace), input.entity, input.record, input.dryRun, actor()),
    'metadata.validate': async (input) => validateWorkspace(readable(input.workspace), input.uuids),
    'metadata.catalog': async (input) => metadataCatalog(readable(input.workspace)),
    'metadata.createFramework': async (input) =>
      createFramework(writable(input.workspace), { from: input.from, values: input.values, uuid: input.uuid, dryRun: input.dryRun }, actor()),
    'metadata.bulkEdit': async (input) => bulkEdit(writable(input.workspace), { datasets: input.datasets, edits: input.edits, dryRun: input.dryRun }, actor()),
    'metadata.split': (input, ctx) =>
      runAsJob(deps, ctx, 'metadata.split', 'metadata.split', {
        workspace: writable(input.workspace),
        dataset: input.dataset,
        by: input.by,
        minObservations: input.minObservations,
        keepInParent: input.keepInParent,
        names: input.names,
        deactivateParent: input.deactivateParent,
        expect: input.expect,
        dryRun: input.dryRun,
        lang: input.lang,
        actor: actor(),
      }),
    'metadata.merge': (input, ctx) =>
      runAsJob(deps, ctx, 'metadata.merge', 'metadata.merge', {
        workspace: writable(input.workspace),
        into: input.into,
        datasets: input.datasets,
        deactivate: input.deactivate,
        dryRun: input.dryRun,
        actor: actor(),
      }),
    'metadata.move': async (input) => moveDatasets({ workspace: writable(input.workspace), datasets: input.datasets, framework: input.framework, dryRun: input.dryRun, actor: actor() }),
    'metadata.reassign': (input, ctx) =>
      runAsJob(deps, ctx, 'metadata.reassign', 'metadata.reassign', { workspace: writable(input.workspace), filter: input.filter, to: input.to, dryRun: input.dryRun, actor: actor() }),
    'metadata.undo': (input, ctx) => runAsJob(deps, ctx, 'metadata.undo', 'metadata.undo', { workspace: writable(input.workspace), dryRun: input.dryRun, actor: actor() }),
    'metadata.history': async (input) => history(readable(input.workspace), input.limit),
    'metadata.export': async (input) =>
      exportWorkspaceMetadata({ workspace: readable(input.workspace), format: input.format, dataset: input.dataset, out: input.out, overwrite: input.overwrite, options: input.options }),
    'metadata.import': (input, ctx) =>
      runAsJob(deps, ctx, 'metadata.import', 'metadata.import', { workspace: writable(input.workspace), file: input.file, dryRun: input.dryRun, lang: input.lang, actor: actor() }),
  };
}
