import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ChangeRecord, Conflict, WorkspaceGeoNature, WorkspaceMetaRecord } from '../../../shared/contract/index.js';
import { checkMetaValue, metaField, metaFields, metaList, metaLists, type MetaEntity, type MetaField, type MetaValue } from '../../../shared/domain/metadata.js';
import { AppError } from '../errors.js';
import { quoteId } from '../gpkg/identifiers.js';
import { labelColumn } from '../workspace/format-v2.js';
import { appendAudit, T } from '../workspace/format.js';
import { hasTable } from '../workspace/migrations.js';
import { openWorkspace } from '../workspace/open.js';
import { journalRecord, listConflicts } from './pending.js';
import { provenanceOf } from './provenance.js';
import { syncGpkgMetadata } from '../metadata/gpkg-metadata.js';
import { getWsMeta, labelFor, META_TABLE, META_UUID, readWsMeta, rowStatus, toSqlite, type WsMetaRow } from './ws-meta.js';

type Db = Database.Database;

/**
 * The generic changes of CA/JDD metadata a workspace records for push: edit a field, create a
 * JDD, move observations to another JDD. Each runs in one SQLite transaction that changes the
 * row, appends to the change journal (pending until pushed) and to passerelle_audit.
 */

const ENTITY_LABEL: Record<MetaEntity, string> = { framework: 'CA', dataset: 'JDD' };

/**
 * Runs a change in one write transaction; the GeoPackage metadata records (gpkg_metadata) are
 * rewritten in the same transaction, so other GIS tools never see them out of date.
 */
export function inWriteTransaction<T>(path: string, fn: (db: Db) => T): T {
  const ws = openWorkspace(path, { write: true });
  try {
    return ws.db
      .transaction(() => {
        const out = fn(ws.db);
        syncGpkgMetadata(ws.db);
        return out;
      })
      .immediate();
  } finally {
    ws.close();
  }
}

/** Appends a pending entry to the change journal (call inside the change's transaction). */
export function journal(db: Db, e: { actor: string; kind: ChangeRecord['kind']; entity: ChangeRecord['entity']; uuid: string; field: string | null; before: unknown; after: unknown }): ChangeRecord {
  const at = new Date().toISOString();
  const r = db
    .prepare(`INSERT INTO ${T.journal} (at, actor, kind, entity, uuid, field, before_json, after_json, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')`)
    .run(at, e.actor, e.kind, e.entity, e.uuid, e.field, JSON.stringify(e.before ?? null), JSON.stringify(e.after ?? null));
  return journalRecord(db.prepare(`SELECT * FROM ${T.journal} WHERE id = ?`).get(Number(r.lastInsertRowid)) as Record<string, unknown>);
}

/** A CA or JDD of the workspace, or NOT_FOUND. */
export function requireRow(db: Db, entity: MetaEntity, uuid: string): WsMetaRow {
  const row = getWsMeta(db, entity, uuid);
  if (!row) {
    throw new AppError('NOT_FOUND', `No ${ENTITY_LABEL[entity]} ${uuid} in this workspace`, { key: 'errors.GN_UNKNOWN_ENTITY', params: { entity: ENTITY_LABEL[entity], uuid } });
  }
  return row;
}

/** Checks a value for a field, including that a nomenclature code exists in the workspace. */
export function checkValue(db: Db, f: MetaField, value: MetaValue): void {
  const reason = checkMetaValue(f, value);
  if (reason) throw new AppError('INVALID_INPUT', `Value refused for ${f.name}: ${reason}`, { key: 'errors.GN_BAD_VALUE', params: { field: f.name, reason } });
  if (value === null) return;
  if (f.kind === 'nomenclature' && f.nomenclatureType && labelFor(db, f.nomenclatureType, value as string) === null) {
    const known = db.prepare(`SELECT 1 FROM ${T.nomenclatures} WHERE type_mnemonique = ? AND cd_nomenclature = ?`).get(f.nomenclatureType, value);
    if (!known) {
      throw new AppError('INVALID_INPUT', `The code ${String(value)} does not exist in the nomenclature ${f.nomenclatureType}`, {
        key: 'errors.GN_UNKNOWN_CODE',
        params: { code: String(value), type: f.nomenclatureType },
      });
    }
  }
  if (f.kind === 'framework') requireRow(db, 'framework', value as string);
}

/** local_status after a change: created stays created; otherwise modified when any field or list differs from the server's. */
function statusOf(entity: MetaEntity, row: WsMetaRow, values: Record<string, MetaValue>): 'server' | 'modified' | 'created' {
  return rowStatus(entity, values, row.lists, row.server, row.status === 'created');
}

/** Changes one field of a CA or JDD. */
export function editField(path: string, entity: MetaEntity, uuid: string, field: string, value: MetaValue, actor: string): ChangeRecord {
  const f = metaField(entity, field);
  if (!f || !f.editable) {
    throw new AppError('INVALID_INPUT', `Unknown or read-only ${ENTITY_LABEL[entity]} field ${field}`, { key: 'errors.GN_UNKNOWN_FIELD', params: { field, entity: ENTITY_LABEL[entity] } });
  }
  return inWriteTransaction(path, (db) => {
    const row = requireRow(db, entity, uuid);
    checkValue(db, f, value);
    const before = row.values[f.name] ?? null;
    const values = { ...row.values, [f.name]: value };
    const sets: Record<string, unknown> = { [f.column]: toSqlite(value), local_status: statusOf(entity, row, values) };
    if (f.kind === 'nomenclature' && f.nomenclatureType) sets[labelColumn(f)] = labelFor(db, f.nomenclatureType, value as string | null);
    const names = Object.keys(sets);
    db.prepare(`UPDATE ${META_TABLE[entity]} SET ${names.map((n) => `${quoteId(n)} = ?`).join(', ')} WHERE ${META_UUID[entity]} = ?`).run(
      ...names.map((n) => sets[n] as string | number | null),
      uuid,
    );
    const change = journal(db, { actor, kind: 'edit', entity, uuid, field: f.name, before, after: value });
    appendAudit(db, { actor, action: 'edit', entity: META_TABLE[entity], entityId: uuid, before: { [f.name]: before }, after: { [f.name]: value } });
    return change;
  });
}

const DATASET_DEFAULTS: Record<string, MetaValue> = { marine_domain: false, terrestrial_domain: true, active: true, validable: true };

/** Creates a JDD in a CA of the workspace (status created: push inserts it). */
export function createDataset(
  path: string,
  input: { framework: string; uuid?: string | undefined; copyFrom?: string | undefined; values: Record<string, MetaValue> },
  actor: string,
): ChangeRecord {
  return inWriteTransaction(path, (db) => {
    requireRow(db, 'framework', input.framework);
    const uuid = input.uuid ?? randomUUID();
    if (getWsMeta(db, 'dataset', uuid)) {
      throw new AppError('CONFLICT', `A JDD with the UUID ${uuid} already exists in this workspace`, { key: 'errors.GN_UUID_TAKEN', params: { uuid } });
    }
    const template = input.copyFrom ? requireRow(db, 'dataset', input.copyFrom) : null;
    const values: Record<string, MetaValue> = { ...DATASET_DEFAULTS, ...(template?.values ?? {}), ...input.values, acquisition_framework: input.framework };
    for (const key of Object.keys(input.values)) {
      const f = metaField('dataset', key);
      if (!f || !f.editable) throw new AppError('INVALID_INPUT', `Unknown or read-only JDD field ${key}`, { key: 'errors.GN_UNKNOWN_FIELD', params: { field: key, entity: 'JDD' } });
    }
    const cols: Record<string, unknown> = { unique_dataset_id: uuid, local_status: 'created', server_json: null };
    for (const f of metaFields('dataset')) {
      const v = values[f.name] ?? null;
      if (v === null && f.required && !f.optional) {
        throw new AppError('INVALID_INPUT', `Value refused for ${f.name}: ${f.name} is required`, { key: 'errors.GN_BAD_VALUE', params: { field: f.name, reason: `${f.name} is required` } });
      }
      if (v !== null) checkValue(db, f, v);
      cols[f.column] = toSqlite(v);
      if (f.kind === 'nomenclature' && f.nomenclatureType) cols[labelColumn(f)] = labelFor(db, f.nomenclatureType, v as string | null);
    }
    // A JDD without actors is invisible to most GeoNature users (reference §9, #1404): copy the
    // template's lists (actors, territories, protocols…).
    for (const l of metaLists('dataset')) cols[l.column] = JSON.stringify(template?.lists[l.name] ?? []);
    const names = Object.keys(cols);
    db.prepare(`INSERT INTO ${T.datasets} (${names.map(quoteId).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(...names.map((n) => cols[n] as string | number | null));
    const change = journal(db, { actor, kind: 'create_dataset', entity: 'dataset', uuid, field: null, before: null, after: values });
    appendAudit(db, { actor, action: 'create', entity: T.datasets, entityId: uuid, after: values });
    return change;
  });
}

/** Moves observations (by UUID, or all of a JDD) to another JDD of the workspace. */
export function reassignObservations(path: string, input: { dataset: string; observations?: string[] | undefined; fromDataset?: string | undefined }, actor: string): ChangeRecord {
  return inWriteTransaction(path, (db) => {
    requireRow(db, 'dataset', input.dataset);
    let rows: Array<{ u: string; ds: string | null }>;
    if (input.fromDataset !== undefined) {
      requireRow(db, 'dataset', input.fromDataset);
      rows = db.prepare(`SELECT unique_id_sinp AS u, dataset_uuid AS ds FROM ${T.observations} WHERE dataset_uuid = ?`).all(input.fromDataset) as typeof rows;
    } else {
      const wanted = [...new Set(input.observations ?? [])];
      rows = db
        .prepare(`SELECT unique_id_sinp AS u, dataset_uuid AS ds FROM ${T.observations} WHERE unique_id_sinp IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify(wanted)) as typeof rows;
      if (rows.length !== wanted.length) {
        const found = new Set(rows.map((r) => r.u));
        const missing = wanted.filter((u) => !found.has(u));
        throw new AppError('NOT_FOUND', `${missing.length} observation(s) not in this workspace, e.g. ${missing[0] ?? ''}`, {
          key: 'errors.GN_UNKNOWN_OBSERVATIONS',
          params: { count: missing.length, first: missing[0] ?? '' },
        });
      }
    }
    const moving = rows.filter((r) => r.ds !== input.dataset);
    const before: Record<string, string | null> = Object.fromEntries(moving.map((r) => [r.u, r.ds]));
    db.prepare(`UPDATE ${T.observations} SET dataset_uuid = ? WHERE unique_id_sinp IN (SELECT value FROM json_each(?))`).run(input.dataset, JSON.stringify(moving.map((r) => r.u)));
    const change = journal(db, { actor, kind: 'reassign', entity: 'observation', uuid: input.dataset, field: 'dataset', before, after: { dataset: input.dataset, observations: moving.length } });
    const fromCounts: Record<string, number> = {};
    for (const r of moving) fromCounts[r.ds ?? 'null'] = (fromCounts[r.ds ?? 'null'] ?? 0) + 1;
    appendAudit(db, { actor, action: 'reassign', entity: T.observations, entityId: input.dataset, before: { from: fromCounts }, after: { dataset: input.dataset, observations: moving.length } });
    return change;
  });
}

/** Settles a re-pull conflict: `local` makes push overwrite the server; `server` takes the server's value. */
export function resolveConflict(path: string, id: number, keep: 'local' | 'server', actor: string): Conflict {
  return inWriteTransaction(path, (db) => {
    const c = listConflicts(db).find((x) => x.id === id);
    if (!c) throw new AppError('NOT_FOUND', `No unresolved conflict ${id} in this workspace`, { key: 'errors.GN_CONFLICT_NOT_FOUND', params: { id } });
    if (c.entity === 'observation') {
      if (keep === 'server') {
        if (c.field === 'deleted') {
          db.prepare(`DELETE FROM ${T.corAreaObservation} WHERE observation_fid IN (SELECT fid FROM ${T.observations} WHERE unique_id_sinp = ?)`).run(c.uuid);
          db.prepare(`DELETE FROM ${T.observations} WHERE unique_id_sinp = ?`).run(c.uuid);
        } else db.prepare(`UPDATE ${T.observations} SET dataset_uuid = ? WHERE unique_id_sinp = ?`).run(c.server as string | null, c.uuid);
      }
      // The base of a move is its first pending journal entry's "before": make it the server's value.
      const entries = db.prepare(`SELECT id, before_json AS b FROM ${T.journal} WHERE kind = 'reassign' AND state = 'pending' ORDER BY id`).all() as Array<{ id: number; b: string }>;
      const first = entries.find((e) => c.uuid in (JSON.parse(e.b) as Record<string, unknown>));
      if (first) {
        const before = JSON.parse(first.b) as Record<string, unknown>;
        before[c.uuid] = c.server;
        db.prepare(`UPDATE ${T.journal} SET before_json = ? WHERE id = ?`).run(JSON.stringify(before), first.id);
      }
    } else if (metaList(c.entity, c.field)) {
      const entity = c.entity;
      const l = metaList(entity, c.field);
      const row = requireRow(db, entity, c.uuid);
      if (l && row.server) {
        const serverItems = Array.isArray(c.server) ? (c.server as unknown[]) : [];
        const server = { ...row.server, [l.name]: serverItems } as Record<string, unknown>;
        const lists = keep === 'server' ? { ...row.lists, [l.name]: serverItems } : row.lists;
        const sets: Record<string, unknown> = { server_json: JSON.stringify(server), local_status: rowStatus(entity, row.values, lists, server) };
        if (keep === 'server') sets[l.column] = JSON.stringify(serverItems);
        const names = Object.keys(sets);
        db.prepare(`UPDATE ${META_TABLE[entity]} SET ${names.map((n) => `${quoteId(n)} = ?`).join(', ')} WHERE ${META_UUID[entity]} = ?`).run(
          ...names.map((n) => sets[n] as string | number | null),
          c.uuid,
        );
      }
    } else {
      const entity = c.entity;
      const f = metaField(entity, c.field);
      const row = requireRow(db, entity, c.uuid);
      if (f && row.server) {
        const server = { ...row.server, [f.name]: (c.server ?? null) as MetaValue };
        const values = keep === 'server' ? { ...row.values, [f.name]: (c.server ?? null) as MetaValue } : row.values;
        const sets: Record<string, unknown> = { server_json: JSON.stringify(server) };
        if (keep === 'server') {
          sets[f.column] = toSqlite((c.server ?? null) as MetaValue);
          if (f.kind === 'nomenclature' && f.nomenclatureType) sets[labelColumn(f)] = labelFor(db, f.nomenclatureType, c.server as string | null);
        }
        sets.local_status = rowStatus(entity, values, row.lists, server);
        const names = Object.keys(sets);
        db.prepare(`UPDATE ${META_TABLE[entity]} SET ${names.map((n) => `${quoteId(n)} = ?`).join(', ')} WHERE ${META_UUID[entity]} = ?`).run(
          ...names.map((n) => sets[n] as string | number | null),
          c.uuid,
        );
      }
    }
    db.prepare(`UPDATE ${T.conflicts} SET resolved = ?, resolved_at = ? WHERE id = ?`).run(keep, new Date().toISOString(), id);
    appendAudit(db, { actor, action: 'resolve_conflict', entity: c.entity, entityId: c.uuid, before: { field: c.field, base: c.base, server: c.server, local: c.local }, after: { keep } });
    return c;
  });
}

function record(entity: MetaEntity, r: WsMetaRow, observations: number): WorkspaceMetaRecord {
  const name = r.values[entity === 'framework' ? 'acquisition_framework_name' : 'dataset_name'];
  return { entity, uuid: r.uuid, name: typeof name === 'string' ? name : r.uuid, values: r.values, labels: r.labels, status: r.status, observations };
}

/** The GeoNature side of a workspace (read-only; an older workspace without these tables gives empty lists). */
export function workspaceGeoNature(path: string): WorkspaceGeoNature {
  const ws = openWorkspace(path);
  try {
    const db = ws.db;
    if (!hasTable(db, T.frameworks)) {
      return { path, formatVersion: ws.formatVersion, provenance: null, frameworks: [], datasets: [], pendingChanges: 0, conflicts: [] };
    }
    const counts = new Map(
      (db.prepare(`SELECT dataset_uuid AS u, count(*) AS n FROM ${T.observations} GROUP BY dataset_uuid`).all() as Array<{ u: string | null; n: number }>).map((r) => [r.u, r.n]),
    );
    const datasets = readWsMeta(db, 'dataset');
    const frameworks = readWsMeta(db, 'framework').map((f) =>
      record('framework', f, datasets.filter((d) => d.values.acquisition_framework === f.uuid).reduce((n, d) => n + (counts.get(d.uuid) ?? 0), 0)),
    );
    const pending = (db.prepare(`SELECT count(*) AS n FROM ${T.journal} WHERE state = 'pending'`).get() as { n: number }).n;
    return {
      path,
      formatVersion: ws.formatVersion,
      provenance: provenanceOf(db),
      frameworks,
      datasets: datasets.map((d) => record('dataset', d, counts.get(d.uuid) ?? 0)),
      pendingChanges: pending,
      conflicts: listConflicts(db),
    };
  } finally {
    ws.close();
  }
}
