/**
 * Metadata files in and out of a workspace: `metadata.export` writes the workspace's CA/JDD in
 * one of the exchange formats (atomically), `metadata.import` merges an MTD, EML or ISO 19139
 * file's records into it.
 *
 * Import merges field by field: a value the file gives replaces the workspace's, a field the file
 * leaves empty keeps the workspace's (MTD has no collecting method, EML no data type…), so an
 * import never clears what it cannot carry. Records the workspace lacks are created (status
 * created: push inserts them); a JDD whose CA is neither in the file nor in the workspace is
 * imported without a CA, and says so.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { MetadataExportFormat, MetadataExportOptions, MetadataExportResult, MetadataImportResult } from '../../../shared/contract/index.js';
import { formatNote, type AcquisitionFramework, type Dataset, type Lang, type MetadataNote, type MetadataSet } from '../../../shared/metadata/index.js';
import { AppError } from '../errors.js';
import { writeAtomically } from '../files/atomic.js';
import { getWsMeta } from '../geonature/ws-meta.js';
import type { JobContext } from '../jobs/context.js';
import { workspaceLicence } from './gpkg-metadata.js';
import { exportMetadata, importedSet, importMetadataFile } from './index.js';
import { operationView, validateSet, writeContext } from './service.js';
import { datasetFromRow, frameworkFromRow, observationStats, readWorkspaceSet, workspaceCatalog } from './workspace-set.js';
import { readWorkspace, writeWorkspace } from './workspace-tx.js';
import { datasetValues, frameworkValues, insertRow, updateRow } from './workspace-write.js';

const noteView = (n: MetadataNote) => ({ id: n.id, params: { ...n.params }, fr: formatNote(n, 'fr'), en: formatNote(n, 'en') });

/** Input of an export (the contract's, defaults applied). */
export interface ExportInput {
  readonly workspace: string;
  readonly format: MetadataExportFormat;
  readonly dataset?: string | undefined;
  readonly out: string;
  readonly overwrite: boolean;
  readonly options: MetadataExportOptions;
}

/** `metadata.export`. */
export async function exportWorkspaceMetadata(input: ExportInput): Promise<MetadataExportResult> {
  if (existsSync(input.out) && !input.overwrite) {
    throw new AppError('CONFLICT', `${input.out} already exists: choose another file, or allow replacing it`, { key: 'errors.FILE_EXISTS', params: { path: input.out }, where: input.out });
  }
  if (existsSync(input.out) && statSync(input.out).isDirectory()) {
    throw new AppError('INVALID_INPUT', `${input.out} is a folder, not a file`, { key: 'errors.IS_DIRECTORY', params: { path: input.out }, where: input.out });
  }
  const prepared = readWorkspace(input.workspace, (db) => {
    const { set } = readWorkspaceSet(db);
    const catalog = workspaceCatalog(db);
    const find = (uuid: string) => {
      const d = set.datasets.find((x) => x.uuid === uuid.toLowerCase());
      if (!d) throw new AppError('NOT_FOUND', `No JDD ${uuid} in this workspace`, { key: 'errors.GN_UNKNOWN_ENTITY', params: { entity: 'JDD', uuid } });
      return d;
    };
    if (input.format === 'mtd') {
      if (!input.dataset) return { request: { format: 'mtd' as const, set }, datasets: set.datasets.length, frameworks: set.frameworks.length };
      const d = find(input.dataset);
      const ca = set.frameworks.filter((f) => f.uuid === d.frameworkUuid);
      const one: MetadataSet = { frameworks: ca, datasets: [d] };
      return { request: { format: 'mtd' as const, set: one }, datasets: 1, frameworks: ca.length };
    }
    let dataset: Dataset;
    if (input.dataset) dataset = find(input.dataset);
    else if (set.datasets.length === 1) dataset = set.datasets[0] as Dataset;
    else {
      throw new AppError('INVALID_INPUT', `The workspace has ${set.datasets.length} JDD: say which one to export (--dataset UUID)`, {
        key: 'errors.METADATA_DATASET_NEEDED',
        params: { count: set.datasets.length, format: input.format },
      });
    }
    const stats = observationStats(db).get(dataset.uuid);
    const { metadataDate, licence, ...rest } = input.options;
    const context = {
      ...rest,
      metadataDate: metadataDate ?? dataset.metadataRevised ?? dataset.metadataCreated ?? new Date().toISOString().slice(0, 10),
      licence: licence ?? workspaceLicence(db),
      temporalCoverage: stats?.dateMin && stats.dateMax ? { start: stats.dateMin, end: stats.dateMax } : null,
    };
    const framework = set.frameworks.find((f) => f.uuid === dataset.frameworkUuid) ?? null;
    return { request: { format: input.format, dataset, framework, context, catalog }, datasets: 1, frameworks: framework ? 1 : 0 };
  });
  const result = exportMetadata(prepared.request);
  const bytes = Buffer.from(result.content, 'utf8');
  await writeAtomically(input.out, (tmp) => writeFileSync(tmp, bytes));
  return {
    path: input.out,
    format: result.format,
    mediaType: result.mediaType,
    bytes: bytes.length,
    datasets: prepared.datasets,
    frameworks: prepared.frameworks,
    notes: result.notes.map(noteView),
  };
}

const present = (v: unknown): boolean => !(v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0));

/** The workspace's record with every value the file gives (a field the file leaves empty is kept). */
export function mergeImported<T extends AcquisitionFramework | Dataset>(current: T, incoming: T): T {
  const out: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(incoming)) if (k !== 'uuid' && present(v)) out[k] = v;
  if ('protocols' in incoming && 'protocols' in current) {
    // MTD carries no protocol UUID or type: a protocol of the same name keeps the workspace's.
    out.protocols = (out.protocols as Dataset['protocols']).map((p) => {
      const same = (current as Dataset).protocols.find((c) => c.name.trim().toLowerCase() === p.name.trim().toLowerCase());
      return same ? { ...p, uuid: p.uuid ?? same.uuid, type: p.type ?? same.type, description: p.description ?? same.description, url: p.url ?? same.url } : p;
    });
  }
  return out as T;
}

/** Parents before children, so that a méta-cadre in the file exists when its CA is written. */
function parentsFirst(frameworks: readonly AcquisitionFramework[]): AcquisitionFramework[] {
  const byUuid = new Map(frameworks.map((f) => [f.uuid, f]));
  const out: AcquisitionFramework[] = [];
  const seen = new Set<string>();
  const visit = (f: AcquisitionFramework, depth: number) => {
    if (seen.has(f.uuid) || depth > frameworks.length) return;
    const p = f.parentUuid ? byUuid.get(f.parentUuid) : undefined;
    if (p) visit(p, depth + 1);
    if (!seen.has(f.uuid)) {
      seen.add(f.uuid);
      out.push(f);
    }
  };
  for (const f of frameworks) visit(f, 0);
  return out;
}

/** `metadata.import`: preview (dry run) or merge a metadata file into the workspace. */
export async function importWorkspaceMetadata(input: { workspace: string; file: string; dryRun: boolean; lang: Lang; actor: string }, ctx: JobContext): Promise<MetadataImportResult> {
  if (!existsSync(input.file)) throw new AppError('NOT_FOUND', `No file at ${input.file}`, { key: 'errors.FILE_NOT_FOUND', params: { path: input.file }, where: input.file });
  ctx.progress(0, 2, 'reading the file');
  const parsed = importMetadataFile(readFileSync(input.file), input.file);
  const { set: incoming, notes } = importedSet(parsed);
  await ctx.checkpoint();
  ctx.progress(1, 2, 'merging');
  return writeWorkspace(input.workspace, input.dryRun, (db) => {
    const w = { ...writeContext(db, input.actor, 'import'), keepUnknownCodes: true };
    const inFile = new Set(incoming.frameworks.map((f) => f.uuid));
    const frameworks: MetadataImportResult['frameworks'] = [];
    const datasets: MetadataImportResult['datasets'] = [];
    for (const f of parentsFirst(incoming.frameworks.map((x) => ({ ...x, uuid: x.uuid.toLowerCase(), parentUuid: x.parentUuid?.toLowerCase() ?? null })))) {
      const parentKnown = !f.parentUuid || inFile.has(f.parentUuid) || getWsMeta(db, 'framework', f.parentUuid) !== undefined;
      const record = parentKnown ? f : { ...f, parentUuid: null };
      const row = getWsMeta(db, 'framework', f.uuid);
      if (!row) {
        const r = insertRow(w, 'framework', f.uuid, frameworkValues(w, record, null));
        frameworks.push({ uuid: f.uuid, name: f.name, action: 'create', changed: r.changed, frameworkMissing: !parentKnown });
        continue;
      }
      const merged = mergeImported(frameworkFromRow(row), record);
      const r = updateRow(w, 'framework', row, frameworkValues(w, merged, row));
      frameworks.push({ uuid: f.uuid, name: merged.name, action: r.changed.length ? 'update' : 'unchanged', changed: r.changed, frameworkMissing: !parentKnown });
    }
    for (const raw of incoming.datasets) {
      const d = { ...raw, uuid: raw.uuid.toLowerCase(), frameworkUuid: raw.frameworkUuid.toLowerCase() };
      const caKnown = d.frameworkUuid !== '' && getWsMeta(db, 'framework', d.frameworkUuid) !== undefined;
      const row = getWsMeta(db, 'dataset', d.uuid);
      if (!row) {
        const r = insertRow(w, 'dataset', d.uuid, datasetValues(w, caKnown ? d : { ...d, frameworkUuid: '' }, null));
        datasets.push({ uuid: d.uuid, name: d.name, action: 'create', changed: r.changed, frameworkMissing: !caKnown });
        continue;
      }
      const merged = mergeImported(datasetFromRow(row), caKnown ? d : { ...d, frameworkUuid: '' });
      const r = updateRow(w, 'dataset', row, datasetValues(w, merged, row));
      datasets.push({ uuid: d.uuid, name: merged.name, action: r.changed.length ? 'update' : 'unchanged', changed: r.changed, frameworkMissing: !caKnown });
    }
    const touched = new Set([...frameworks, ...datasets].map((r) => r.uuid));
    const v = validateSet(db, readWorkspaceSet(db).set);
    const changed = [...frameworks, ...datasets].filter((r) => r.action !== 'unchanged').length;
    const op = !input.dryRun && changed ? w.op.finish(`Import ${parsed.format.toUpperCase()} ${input.file} (${changed} record(s))`, { file: input.file, format: parsed.format, frameworks, datasets }, ctx.jobId) : null;
    ctx.progress(2, 2, 'done');
    return {
      workspace: input.workspace,
      dryRun: input.dryRun,
      format: parsed.format,
      frameworks,
      datasets,
      notes: notes.map(noteView),
      issues: v.views.filter((i) => touched.has(i.uuid.toLowerCase())),
      operation: op ? operationView(op) : null,
    };
  });
}
