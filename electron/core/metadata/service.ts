/**
 * The metadata domain over a workspace file: the CA → JDD tree, records for forms, validation,
 * the nomenclature catalog, edits (put, bulk edit, CA from a template), history and undo.
 * Restructuring (split, merge, move, reassign) is in restructure.ts, import/export in exchange.ts.
 *
 * Each write is one transaction (workspace-tx.ts) recorded as an operation (operations.ts) with
 * its change-journal entries, so push sends it and undo reverts it.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type {
  BulkEdit,
  BulkEditResult,
  MetadataCatalog,
  MetadataHistory,
  MetadataIssueView,
  MetadataOperation,
  MetadataRecordView,
  MetadataTree,
  MetadataTreeDataset,
  MetadataUndoState,
  MetadataValidation,
  MetadataWriteResult,
  UndoResult,
} from '../../../shared/contract/index.js';
import { metaField, type MetaEntity } from '../../../shared/domain/metadata.js';
import {
  blankFramework,
  formatIssue,
  LICENCE_IDS,
  SINP_NOMENCLATURES,
  validateMetadata,
  type AcquisitionFramework,
  type Dataset,
  type MetadataActor,
  type MetadataIssue,
  type MetadataSet,
} from '../../../shared/metadata/index.js';
import { AppError } from '../errors.js';
import { quoteId } from '../gpkg/identifiers.js';
import { journal, requireRow } from '../geonature/changes.js';
import { provenanceOf } from '../geonature/provenance.js';
import { META_TABLE, META_UUID, rowStatus, toSqlite, type WsMetaRow } from '../geonature/ws-meta.js';
import { T } from '../workspace/format.js';
import { hasTable } from '../workspace/migrations.js';
import { workspaceLicence } from './gpkg-metadata.js';
import { listOperations, Operation, undoLast, undoStatus, type OperationInfo } from './operations.js';
import { datasetFromRow, frameworkFromRow, observationStats, readWorkspaceSet, workspaceCatalog } from './workspace-set.js';
import { readWorkspace, writeWorkspace } from './workspace-tx.js';
import { datasetValues, diffRow, frameworkValues, insertRow, updateRow, type WriteContext } from './workspace-write.js';

type Db = Database.Database;

const ENTITY_LABEL: Record<MetaEntity, string> = { framework: 'CA', dataset: 'JDD' };

/** The operation as the contract carries it. */
export function operationView(op: OperationInfo): MetadataOperation {
  return { id: op.id, at: op.at, actor: op.actor, kind: op.kind, label: op.label, state: op.state, summary: op.summary };
}

/** A write context on an open transaction. */
export function writeContext(db: Db, actor: string, kind: string): WriteContext {
  return { db, actor, op: new Operation(db, actor, kind), catalog: workspaceCatalog(db) };
}

// ---------------------------------------------------------------------------------------------
// Validation

/** The workspace's issues with their texts (both languages) and record names. */
export function validateSet(db: Db, set: MetadataSet): { issues: MetadataIssue[]; views: MetadataIssueView[]; errors: number; warnings: number; catalog: 'workspace' | 'builtin' } {
  const catalog = workspaceCatalog(db);
  const report = validateMetadata(set, { catalog, today: new Date().toISOString().slice(0, 10) });
  const name = (i: MetadataIssue) => (i.entity === 'framework' ? set.frameworks[i.index]?.name : set.datasets[i.index]?.name) || i.uuid;
  const text = (i: MetadataIssue, lang: 'fr' | 'en') => {
    const t = formatIssue(i, lang);
    return { field: t.field, message: t.message, fix: t.fix };
  };
  const views = report.issues.map((i) => ({ ...i, params: { ...i.params }, name: name(i), fr: text(i, 'fr'), en: text(i, 'en') }));
  return { issues: [...report.issues], views, errors: report.errors, warnings: report.warnings, catalog: catalog === SINP_NOMENCLATURES ? 'builtin' : 'workspace' };
}

/** `metadata.validate`. */
export function validateWorkspace(path: string, uuids?: readonly string[]): MetadataValidation {
  return readWorkspace(path, (db) => {
    const { set } = readWorkspaceSet(db);
    const v = validateSet(db, set);
    const keep = uuids?.length ? new Set(uuids.map((u) => u.toLowerCase())) : null;
    const issues = keep ? v.views.filter((i) => keep.has(i.uuid.toLowerCase())) : v.views;
    const errors = issues.filter((i) => i.severity === 'error').length;
    return { errors, warnings: issues.length - errors, valid: errors === 0, issues, catalog: v.catalog };
  });
}

// ---------------------------------------------------------------------------------------------
// Tree and records

/** A row without a server base was made here (a workspace not pulled: the demo), whatever its stored status says. */
const statusOf = (row: WsMetaRow): 'server' | 'modified' | 'created' => (row.server === null ? 'created' : row.status);

function undoView(db: Db): MetadataUndoState {
  const s = undoStatus(db);
  return { available: s.operation !== null && s.blocked === null, operation: s.operation ? operationView(s.operation) : null, blocked: s.blocked };
}

/** `metadata.tree`. `writable` is false for the bundled demo (the handler knows its path). */
export function metadataTree(path: string, writable: boolean): MetadataTree {
  return readWorkspace(path, (db, ws) => {
    const { set, frameworkRows, datasetRows } = readWorkspaceSet(db);
    const v = validateSet(db, set);
    const count = (entity: MetaEntity, index: number) => {
      const own = v.issues.filter((i) => i.entity === entity && i.index === index);
      const errors = own.filter((i) => i.severity === 'error').length;
      return { errors, warnings: own.length - errors };
    };
    const stats = observationStats(db);
    const datasets: MetadataTreeDataset[] = set.datasets.map((d, i) => {
      const row = datasetRows[i] as WsMetaRow;
      const s = stats.get(d.uuid);
      return {
        uuid: d.uuid,
        name: d.name,
        shortName: d.shortName,
        frameworkUuid: d.frameworkUuid || null,
        status: statusOf(row),
        active: typeof row.values.active === 'boolean' ? row.values.active : null,
        observations: s?.observations ?? 0,
        dateMin: s?.dateMin ?? null,
        dateMax: s?.dateMax ?? null,
        ...count('dataset', i),
      };
    });
    const frameworks = set.frameworks.map((f, i) => {
      const own = datasets.filter((d) => d.frameworkUuid === f.uuid);
      return {
        uuid: f.uuid,
        name: f.name,
        status: statusOf(frameworkRows[i] as WsMetaRow),
        isMetaFramework: f.isMetaFramework,
        parentUuid: f.parentUuid,
        observations: own.reduce((n, d) => n + d.observations, 0),
        ...count('framework', i),
        datasets: own,
      };
    });
    const known = new Set(set.frameworks.map((f) => f.uuid));
    const pending = hasTable(db, T.journal) ? (db.prepare(`SELECT count(*) AS n FROM ${T.journal} WHERE state = 'pending'`).get() as { n: number }).n : 0;
    return {
      workspace: path,
      formatVersion: ws.formatVersion,
      writable,
      pulled: provenanceOf(db) !== null,
      frameworks,
      orphans: datasets.filter((d) => d.frameworkUuid === null || !known.has(d.frameworkUuid)),
      errors: v.errors,
      warnings: v.warnings,
      pendingChanges: pending,
      undo: undoView(db),
    };
  });
}

/** The view of one record (inside any open of the workspace). */
export function recordView(db: Db, entity: MetaEntity, uuid: string): MetadataRecordView {
  const { set, frameworkRows, datasetRows } = readWorkspaceSet(db);
  const rows = entity === 'framework' ? frameworkRows : datasetRows;
  const index = rows.findIndex((r) => r.uuid === uuid);
  const row = rows[index];
  if (!row) throw new AppError('NOT_FOUND', `No ${ENTITY_LABEL[entity]} ${uuid} in this workspace`, { key: 'errors.GN_UNKNOWN_ENTITY', params: { entity: ENTITY_LABEL[entity], uuid } });
  const v = validateSet(db, set);
  const issues = v.views.filter((i) => i.entity === entity && i.index === index);
  const stats = observationStats(db);
  if (entity === 'framework') {
    const own = set.datasets.filter((d) => d.frameworkUuid === uuid);
    const s = own.map((d) => stats.get(d.uuid)).filter((x) => x !== undefined);
    const dates = s.flatMap((x) => [x.dateMin, x.dateMax]).filter((d): d is string => d !== null).sort();
    return {
      entity: 'framework',
      uuid,
      record: set.frameworks[index] as AcquisitionFramework,
      opened: typeof row.values.opened === 'boolean' ? row.values.opened : null,
      datasets: own.map((d) => d.uuid),
      status: statusOf(row),
      observations: s.reduce((n, x) => n + x.observations, 0),
      dateMin: dates[0] ?? null,
      dateMax: dates[dates.length - 1] ?? null,
      issues,
    };
  }
  const s = stats.get(uuid);
  return {
    entity: 'dataset',
    uuid,
    record: set.datasets[index] as Dataset,
    active: typeof row.values.active === 'boolean' ? row.values.active : null,
    validable: typeof row.values.validable === 'boolean' ? row.values.validable : null,
    status: statusOf(row),
    observations: s?.observations ?? 0,
    dateMin: s?.dateMin ?? null,
    dateMax: s?.dateMax ?? null,
    issues,
  };
}

/** `metadata.get`. */
export function getRecord(path: string, entity: MetaEntity, uuid: string): MetadataRecordView {
  return readWorkspace(path, (db) => recordView(db, entity, uuid));
}

/** `metadata.catalog`. */
export function metadataCatalog(path: string): MetadataCatalog {
  return readWorkspace(path, (db) => {
    const catalog = workspaceCatalog(db);
    const types: MetadataCatalog['types'] = {};
    for (const [type, entry] of Object.entries(catalog)) {
      types[type] = { label: { ...entry.label }, values: entry.values.map((x) => ({ code: x.code, label: { ...x.label }, definition: x.definition })) };
    }
    return { source: catalog === SINP_NOMENCLATURES ? 'builtin' : 'workspace', types, licences: [...LICENCE_IDS], licence: workspaceLicence(db) };
  });
}

// ---------------------------------------------------------------------------------------------
// Edits

/** Writes a whole model record over its row (same UUID), in the caller's transaction. */
export function putRecordIn(ctx: WriteContext, entity: MetaEntity, record: AcquisitionFramework | Dataset): string[] {
  const row = requireRow(ctx.db, entity, record.uuid.toLowerCase());
  const next = entity === 'framework' ? frameworkValues(ctx, record as AcquisitionFramework, row) : datasetValues(ctx, record as Dataset, row);
  return updateRow(ctx, entity, row, next).changed;
}

function recordName(entity: MetaEntity, record: AcquisitionFramework | Dataset): string {
  return record.name || record.uuid;
}

/** `metadata.put`. */
export async function putRecord(path: string, entity: MetaEntity, record: AcquisitionFramework | Dataset, dryRun: boolean, actor: string): Promise<MetadataWriteResult> {
  return writeWorkspace(path, dryRun, (db) => {
    const ctx = writeContext(db, actor, 'put');
    const changed = putRecordIn(ctx, entity, record);
    const op = changed.length && !dryRun ? ctx.op.finish(`Edit ${ENTITY_LABEL[entity]} « ${recordName(entity, record)} » (${changed.join(', ')})`, { entity, uuid: record.uuid, changed }) : null;
    return { workspace: path, dryRun, operation: op ? operationView(op) : null, changed, view: recordView(db, entity, record.uuid.toLowerCase()) };
  });
}

/** Built-in CA templates: what a national park's programme usually has; the rest is the user's. */
function presetFramework(preset: 'blank' | 'inventory' | 'monitoring', uuid: string): AcquisitionFramework {
  const ca = blankFramework(uuid);
  if (preset === 'blank') return ca;
  return {
    ...ca,
    // CA_OBJECTIFS 8 Inventaires et cartographie, 9 Suivi/surveillance dans le temps.
    objectives: [preset === 'inventory' ? '8' : '9'],
    // TYPE_FINANCEMENT 1 Publique; VOLET_SINP 1 Terre; TERRITOIRE METROP.
    financingType: '1',
    voletsSinp: ['1'],
    territories: ['METROP'],
  };
}

/** `metadata.createFramework`. */
export async function createFramework(
  path: string,
  input: { from: { framework: string } | { preset: 'blank' | 'inventory' | 'monitoring' }; values: Partial<Omit<AcquisitionFramework, 'uuid'>>; uuid?: string | undefined; dryRun: boolean },
  actor: string,
): Promise<MetadataWriteResult> {
  const uuid = (input.uuid ?? randomUUID()).toLowerCase();
  return writeWorkspace(path, input.dryRun, (db) => {
    const ctx = writeContext(db, actor, 'createFramework');
    let base: AcquisitionFramework;
    if ('framework' in input.from) {
      const template = frameworkFromRow(requireRow(db, 'framework', input.from.framework));
      base = { ...template, uuid, name: `${template.name} (copie)`, metadataCreated: null, metadataUpdated: null, additionalAttributes: [] };
    } else {
      base = presetFramework(input.from.preset, uuid);
    }
    const record: AcquisitionFramework = { ...base, ...input.values, uuid };
    const created = insertRow(ctx, 'framework', uuid, frameworkValues(ctx, record, null));
    const op = input.dryRun ? null : ctx.op.finish(`Create CA « ${record.name || uuid} »`, { entity: 'framework', uuid, from: input.from });
    return { workspace: path, dryRun: input.dryRun, operation: op ? operationView(op) : null, changed: created.changed, view: recordView(db, 'framework', uuid) };
  });
}

const sameActor = (a: MetadataActor, b: MetadataActor) =>
  (a.role ?? '') === (b.role ?? '') && (a.person ?? '').trim().toLowerCase() === (b.person ?? '').trim().toLowerCase() && (a.organism ?? '').trim().toLowerCase() === (b.organism ?? '').trim().toLowerCase();

/** One bulk edit applied to a JDD record (pure). */
export function applyBulkEdit(d: Dataset, e: BulkEdit): Dataset {
  switch (e.op) {
    case 'set':
      if (e.field === 'active' || e.field === 'validable') return d;
      if (e.field === 'marineDomain' || e.field === 'terrestrialDomain') return { ...d, [e.field]: typeof e.value === 'boolean' ? e.value : null };
      return { ...d, [e.field]: typeof e.value === 'string' && e.value !== '' ? e.value : null };
    case 'add':
      if (e.field === 'keywords') return d.keywords.some((k) => k.trim().toLowerCase() === e.value.trim().toLowerCase()) ? d : { ...d, keywords: [...d.keywords, e.value.trim()] };
      return d[e.field].includes(e.value) ? d : { ...d, [e.field]: [...d[e.field], e.value] };
    case 'remove':
      if (e.field === 'keywords') return { ...d, keywords: d.keywords.filter((k) => k.trim().toLowerCase() !== e.value.trim().toLowerCase()) };
      return { ...d, [e.field]: d[e.field].filter((x) => x !== e.value) };
    case 'addActor':
      return d.actors.some((a) => sameActor(a, e.actor)) ? d : { ...d, actors: [...d.actors, e.actor] };
    case 'removeActor':
      return { ...d, actors: d.actors.filter((a) => !sameActor(a, e.actor)) };
    case 'addProtocol': {
      const same = (p: Dataset['protocols'][number]) => (e.protocol.uuid && p.uuid ? p.uuid.toLowerCase() === e.protocol.uuid.toLowerCase() : p.name.trim().toLowerCase() === e.protocol.name.trim().toLowerCase());
      return d.protocols.some(same) ? d : { ...d, protocols: [...d.protocols, e.protocol] };
    }
    case 'removeProtocol': {
      const same = (p: Dataset['protocols'][number]) => (e.protocol.uuid && p.uuid ? p.uuid.toLowerCase() === e.protocol.uuid.toLowerCase() : p.name.trim().toLowerCase() === e.protocol.name.trim().toLowerCase());
      return { ...d, protocols: d.protocols.filter((p) => !same(p)) };
    }
  }
}

/** Sets a scalar workspace field (active, validable) that the SINP model does not carry, journaled. */
function setFlag(ctx: WriteContext, row: WsMetaRow, name: 'active' | 'validable', value: boolean | null): boolean {
  const f = metaField('dataset', name);
  if (!f || (row.values[name] ?? null) === value) return false;
  if (value === null && f.required) throw new AppError('INVALID_INPUT', `Value refused for ${name}: ${name} is required`, { key: 'errors.GN_BAD_VALUE', params: { field: name, reason: `${name} is required` } });
  ctx.op.touch('dataset', row.uuid);
  const values = { ...row.values, [name]: value };
  ctx.db
    .prepare(`UPDATE ${META_TABLE.dataset} SET ${quoteId(f.column)} = ?, local_status = ? WHERE ${META_UUID.dataset} = ?`)
    .run(toSqlite(value), rowStatus('dataset', values, row.lists, row.server, row.status === 'created'), row.uuid);
  journal(ctx.db, { actor: ctx.actor, kind: 'edit', entity: 'dataset', uuid: row.uuid, field: name, before: row.values[name] ?? null, after: value });
  return true;
}

/** Deactivates a JDD (active = false): what merge and split do to a JDD emptied on the server. */
export function deactivateDataset(ctx: WriteContext, uuid: string): boolean {
  return setFlag(ctx, requireRow(ctx.db, 'dataset', uuid), 'active', false);
}

/** `metadata.bulkEdit`. */
export async function bulkEdit(path: string, input: { datasets: string[]; edits: BulkEdit[]; dryRun: boolean }, actor: string): Promise<BulkEditResult> {
  return writeWorkspace(path, input.dryRun, (db) => {
    const ctx = writeContext(db, actor, 'bulkEdit');
    const out: BulkEditResult['datasets'] = [];
    for (const uuid of [...new Set(input.datasets)]) {
      const row = requireRow(db, 'dataset', uuid);
      const before = datasetFromRow(row);
      const after = input.edits.reduce(applyBulkEdit, before);
      const next = datasetValues(ctx, after, row);
      const diff = diffRow('dataset', row, next);
      const changes = [
        ...diff.fields.map((f) => ({ field: f, before: row.values[f] ?? null, after: next.values[f] ?? null })),
        ...diff.lists.map((l) => ({ field: l, before: row.lists[l] ?? [], after: next.lists[l] ?? [] })),
      ];
      updateRow(ctx, 'dataset', row, next);
      for (const e of input.edits) {
        if (e.op !== 'set' || (e.field !== 'active' && e.field !== 'validable')) continue;
        const fresh = requireRow(db, 'dataset', uuid);
        const value = typeof e.value === 'boolean' ? e.value : null;
        const was = fresh.values[e.field] ?? null;
        if (setFlag(ctx, fresh, e.field, value)) changes.push({ field: e.field, before: was, after: value });
      }
      out.push({ uuid, name: before.name || uuid, changes });
    }
    const total = out.filter((d) => d.changes.length).length;
    const op = total && !input.dryRun ? ctx.op.finish(`Bulk edit of ${total} JDD`, { datasets: out.map((d) => ({ uuid: d.uuid, fields: d.changes.map((c) => c.field) })) }) : null;
    return { workspace: path, dryRun: input.dryRun, datasets: out, operation: op ? operationView(op) : null };
  });
}

// ---------------------------------------------------------------------------------------------
// History and undo

/** `metadata.history`. */
export function history(path: string, limit: number): MetadataHistory {
  return readWorkspace(path, (db) => ({ operations: listOperations(db, limit).map(operationView), undo: undoView(db) }));
}

/** `metadata.undo`. */
export async function undo(path: string, dryRun: boolean, actor: string): Promise<UndoResult> {
  if (dryRun) {
    return readWorkspace(path, (db) => {
      const s = undoStatus(db);
      if (!s.operation) throw new AppError('NOT_FOUND', 'Nothing to undo in this workspace', { key: 'errors.METADATA_NOTHING_TO_UNDO' });
      if (s.blocked) {
        const label = s.operation.label;
        throw s.blocked === 'pushed'
          ? new AppError('CONFLICT', `“${label}” was pushed to GeoNature: it can no longer be undone here`, { key: 'errors.METADATA_UNDO_PUSHED', params: { label } })
          : new AppError('CONFLICT', `What “${label}” changed was changed again since`, { key: 'errors.METADATA_UNDO_CHANGED', params: { label } });
      }
      return { workspace: path, dryRun: true, operation: operationView(s.operation), restored: null };
    });
  }
  return writeWorkspace(path, false, (db) => {
    const r = undoLast(db, actor);
    return { workspace: path, dryRun: false, operation: operationView(r), restored: r.restored };
  });
}
