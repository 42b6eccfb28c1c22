import type Database from 'better-sqlite3';
import { metaFields, metaLists, sameList, type MetaEntity, type MetaField, type MetaValue } from '../../../shared/domain/metadata.js';
import { SINP_NOMENCLATURES } from '../../../shared/metadata/nomenclatures.js';
import { quoteId } from '../gpkg/identifiers.js';
import { labelColumn } from '../workspace/format-v2.js';
import { T } from '../workspace/format.js';
import type { ServerMetaRow } from './server-meta.js';

type Db = Database.Database;

/**
 * The CA/JDD rows of a workspace: writing what a pull read, reading them back as field values.
 * Booleans are stored as SQLite integers (GeoPackage BOOLEAN), read back as booleans.
 */

export const META_TABLE: Record<MetaEntity, string> = { framework: T.frameworks, dataset: T.datasets };
export const META_UUID: Record<MetaEntity, string> = { framework: 'unique_acquisition_framework_id', dataset: 'unique_dataset_id' };
const META_ID: Record<MetaEntity, string> = { framework: 'id_acquisition_framework', dataset: 'id_dataset' };

/** A value as SQLite stores it. */
export function toSqlite(v: MetaValue): string | number | null {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

/** A stored value as the contract carries it. */
export function fromSqlite(f: MetaField, v: unknown): MetaValue {
  if (v === null || v === undefined) return null;
  if (f.kind === 'boolean') return v === 1 || v === true || v === '1';
  return String(v);
}

/** The label of a code in the workspace's nomenclatures (null when unknown). */
export function labelFor(db: Db, type: string, code: string | null): string | null {
  if (code === null) return null;
  const r = db.prepare(`SELECT coalesce(label_fr, label_default) AS l FROM ${T.nomenclatures} WHERE type_mnemonique = ? AND cd_nomenclature = ?`).get(type, code) as
    | { l: string | null }
    | undefined;
  if (r) return r.l;
  // A workspace with no value of this type at all (not pulled: the demo) takes the SINP referential's.
  const any = db.prepare(`SELECT 1 FROM ${T.nomenclatures} WHERE type_mnemonique = ? LIMIT 1`).get(type);
  if (any) return null;
  return SINP_NOMENCLATURES[type]?.values.find((v) => v.code === code)?.label.fr ?? null;
}

/**
 * The server's values as `server_json` keeps them: scalar fields by name, and the lists the
 * server has (a list whose table the server lacks is left out: push never writes it).
 */
export function serverBase(row: ServerMetaRow): Record<string, unknown> {
  return { ...row.values, ...row.lists };
}

/** Writes (insert or replace by UUID) a CA or JDD as the server has it; `server_json` is its base for push. */
export function writeServerMeta(db: Db, entity: MetaEntity, row: ServerMetaRow): void {
  const cols: Record<string, unknown> = {
    [META_UUID[entity]]: row.uuid,
    [META_ID[entity]]: row.id,
    meta_create_date: row.metaCreateDate,
    meta_update_date: row.metaUpdateDate,
    actors_json: JSON.stringify(row.actors),
    territories_json: JSON.stringify(row.territories),
    server_json: JSON.stringify(serverBase(row)),
    local_status: 'server',
  };
  for (const f of metaFields(entity)) {
    if (!(f.name in row.values)) continue;
    cols[f.column] = toSqlite(row.values[f.name] ?? null);
    if (f.kind === 'nomenclature') cols[labelColumn(f)] = row.nomenclatures[f.name]?.label ?? null;
  }
  for (const l of metaLists(entity)) cols[l.column] = JSON.stringify(row.lists[l.name] ?? []);
  if (entity === 'framework') cols.initial_closing_date = row.extra.initial_closing_date ?? null;
  const names = Object.keys(cols);
  const table = META_TABLE[entity];
  db.prepare(`DELETE FROM ${table} WHERE ${META_UUID[entity]} = ?`).run(row.uuid);
  db.prepare(`INSERT INTO ${table} (${names.map(quoteId).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(...names.map((n) => cols[n] as string | number | null));
}

/** A CA or JDD read from the workspace. */
export interface WsMetaRow {
  readonly uuid: string;
  readonly values: Record<string, MetaValue>;
  readonly labels: Record<string, string | null>;
  /** The list fields (actors, territories…) as stored, by name. */
  readonly lists: Record<string, unknown[]>;
  /**
   * The server's values at the last pull (null: created here), by field name; list fields are
   * there too (arrays, under their list name) when the server has them: see {@link serverLists}.
   */
  readonly server: Record<string, MetaValue> | null;
  readonly status: 'server' | 'modified' | 'created';
  readonly raw: Record<string, unknown>;
}

/** A JSON column as an array ([] when empty or unreadable). */
export function jsonList(v: unknown): unknown[] {
  if (typeof v !== 'string' || v === '') return [];
  try {
    const parsed = JSON.parse(v) as unknown;
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/** The server's lists kept in a row's base, by name (a list the server lacks is absent). */
export function serverLists(entity: MetaEntity, server: Record<string, unknown> | null): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  if (!server) return out;
  for (const l of metaLists(entity)) {
    const v = server[l.name];
    if (Array.isArray(v)) out[l.name] = v;
  }
  return out;
}

/**
 * local_status of a row from its values and its base: created when there is no base; modified
 * when a scalar field or a list the server has differs from it; server otherwise.
 */
export function rowStatus(entity: MetaEntity, values: Record<string, MetaValue>, lists: Record<string, unknown[]>, server: Record<string, unknown> | null, wasCreated = false): 'server' | 'modified' | 'created' {
  if (wasCreated || server === null) return 'created';
  if (metaFields(entity).some((f) => !sameValue(values[f.name], server[f.name] as MetaValue | undefined))) return 'modified';
  const base = serverLists(entity, server);
  return metaLists(entity).some((l) => l.name in base && !sameList(l, lists[l.name], base[l.name])) ? 'modified' : 'server';
}

function toWsRow(entity: MetaEntity, r: Record<string, unknown>): WsMetaRow {
  const values: Record<string, MetaValue> = {};
  const labels: Record<string, string | null> = {};
  for (const f of metaFields(entity)) {
    values[f.name] = fromSqlite(f, r[f.column]);
    if (f.kind === 'nomenclature') labels[f.name] = (r[labelColumn(f)] as string | null) ?? null;
  }
  const lists: Record<string, unknown[]> = {};
  for (const l of metaLists(entity)) lists[l.name] = jsonList(r[l.column]);
  const status = r.local_status === 'modified' || r.local_status === 'created' ? r.local_status : 'server';
  return {
    uuid: r[META_UUID[entity]] as string,
    values,
    labels,
    lists,
    server: typeof r.server_json === 'string' ? (JSON.parse(r.server_json) as Record<string, MetaValue>) : null,
    status,
    raw: r,
  };
}

/** Every CA or JDD of the workspace (or of an attached one: `schema`), by UUID. */
export function readWsMeta(db: Db, entity: MetaEntity, schema = 'main'): WsMetaRow[] {
  const rows = db.prepare(`SELECT * FROM ${schema}.${META_TABLE[entity]} ORDER BY ${META_UUID[entity]}`).all() as Array<Record<string, unknown>>;
  return rows.map((r) => toWsRow(entity, r));
}

/** One CA or JDD by UUID, or undefined. */
export function getWsMeta(db: Db, entity: MetaEntity, uuid: string): WsMetaRow | undefined {
  const r = db.prepare(`SELECT * FROM ${META_TABLE[entity]} WHERE ${META_UUID[entity]} = ?`).get(uuid) as Record<string, unknown> | undefined;
  return r ? toWsRow(entity, r) : undefined;
}

/** Same value, comparing booleans, text and null exactly (undefined = absent on that side = null). */
export function sameValue(a: MetaValue | undefined, b: MetaValue | undefined): boolean {
  return (a ?? null) === (b ?? null);
}
