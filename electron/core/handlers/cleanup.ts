import { userInfo } from 'node:os';
import type { Handlers } from '../dispatch.js';
import { readFindings } from '../cleanup/check.js';
import { history } from '../cleanup/fix.js';
import { deleteMapping, listMappings, saveMapping } from '../cleanup/mappings.js';
import { readRejected } from '../cleanup/rejected.js';
import { openWorkspace } from '../workspace/open.js';
import { workspaceToRead, workspaceToWrite } from '../workspace/demo-copy.js';
import type { HandlerDeps } from './deps.js';
import { runAsJob } from './workspace.js';

type CleanupHandlers = Pick<
  Handlers,
  | 'clean.sniff'
  | 'clean.previewMapping'
  | 'clean.import'
  | 'clean.check'
  | 'clean.findings'
  | 'clean.fix'
  | 'clean.undo'
  | 'clean.history'
  | 'clean.rejected'
  | 'clean.listMappings'
  | 'clean.saveMapping'
  | 'clean.deleteMapping'
  | 'clean.exportGeonature'
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
 * The cleanup domain. Reading a file, importing, checking, fixing, undoing and exporting run as
 * jobs (progress, cancel; GDAL lives in job processes); paging findings and rejected rows, the
 * history and the saved mappings are quick calls. The bundled demo is never written: writes go
 * to its copy in PASSERELLE_HOME, which reads then use (workspace/demo-copy.ts).
 */
export function cleanupHandlers(deps: HandlerDeps): CleanupHandlers {
  const toRead = (p: string) => workspaceToRead(p, deps.home, deps.demoPath);
  const toWrite = (p: string) => workspaceToWrite(p, deps.home, deps.demoPath);
  return {
    'clean.sniff': (input, ctx) => runAsJob(deps, ctx, 'clean.sniff', 'clean.sniff', { path: input.path, read: input.read, previewRows: input.previewRows }),
    'clean.previewMapping': (input, ctx) =>
      runAsJob(deps, ctx, 'clean.previewMapping', 'clean.previewMapping', {
        path: input.path,
        read: input.read,
        mapping: input.mapping,
        rows: input.rows,
        ...(input.workspace ? { workspace: toRead(input.workspace) } : {}),
      }),
    'clean.import': async (input, ctx) => {
      const report = await runAsJob(deps, ctx, 'clean.import', 'clean.import', {
        workspace: toWrite(input.workspace),
        path: input.path,
        read: input.read,
        mapping: input.mapping,
        create: input.create,
        title: input.title,
        actor: actor(),
      });
      if (input.saveMappingAs) {
        await saveMapping(deps.home, input.saveMappingAs, input.mapping, `${input.path}`);
        return { ...report, mappingSavedAs: input.saveMappingAs };
      }
      return report;
    },
    'clean.check': (input, ctx) =>
      runAsJob(deps, ctx, 'clean.check', 'clean.check', { workspace: toRead(input.workspace), params: { ...input.params, ...(input.taxonomy ? { taxonomy: input.taxonomy } : {}) }, samples: input.samples, home: deps.home }),
    'clean.findings': async (input) => readFindings(deps.home, { ...input, workspace: toRead(input.workspace) }),
    'clean.fix': (input, ctx) =>
      runAsJob(deps, ctx, 'clean.fix', 'clean.fix', {
        workspace: input.dryRun ? toRead(input.workspace) : toWrite(input.workspace),
        fix: input.fix,
        dryRun: input.dryRun,
        fids: input.fids,
        taxonomy: input.taxonomy,
        offset: input.offset,
        limit: input.limit,
        actor: actor(),
      }),
    'clean.undo': (input, ctx) => runAsJob(deps, ctx, 'clean.undo', 'clean.undo', { workspace: toWrite(input.workspace), actor: actor() }),
    'clean.history': async (input) => {
      const path = toRead(input.workspace);
      const ws = openWorkspace(path);
      try {
        return { workspace: path, operations: history(ws.db) };
      } finally {
        ws.close();
      }
    },
    'clean.rejected': async (input) => readRejected(toRead(input.workspace), input),
    'clean.listMappings': async () => listMappings(deps.home),
    'clean.saveMapping': async (input) => saveMapping(deps.home, input.name, input.mapping, input.description ?? null),
    'clean.deleteMapping': async (input) => deleteMapping(deps.home, input.name),
    'clean.exportGeonature': (input, ctx) =>
      runAsJob(deps, ctx, 'clean.exportGeonature', 'clean.exportGeonature', { workspace: toRead(input.workspace), out: input.out, overwrite: input.overwrite, nomenclatures: input.nomenclatures }),
  };
}
