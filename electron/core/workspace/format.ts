import type Database from 'better-sqlite3';
import { NOMENCLATURE_FIELDS, nomenclatureColumn } from '../../../shared/domain/synthese.js';
import { createAttributesTable, createCoreTables, createFeatureTable, createRtree, type ColumnDef } from '../gpkg/schema.js';
import { DATASET_V2_COLUMNS, AREA_V2_COLUMNS, createV2Tables } from './format-v2.js';
import { addV3Columns, createV3Tables, OBSERVATION_V3_COLUMNS } from './format-v3.js';
import { createCleanupTables } from '../cleanup/schema.js';
import { createSensitivityTables } from '../sensitivity/schema.js';
import { createPublishTables } from '../publish/schema.js';

type Db = Database.Database;

/**
 * The workspace format version this build writes and reads.
 *
 * Bumped by any change to the tables below; each bump ships a migration in
 * `migrations.ts` and its test. Documented in docs/workspace-format.md.
 */
export const WORKSPACE_FORMAT_VERSION = 6;

/** Table names, in one place. */
export const T = {
  meta: 'passerelle_meta',
  audit: 'passerelle_audit',
  observations: 'observations',
  datasets: 'datasets',
  areas: 'areas',
  corAreaObservation: 'cor_area_observation',
  // Format 2 (GeoNature pull, issue 4): see format-v2.ts.
  frameworks: 'acquisition_frameworks',
  nomenclatures: 'nomenclatures',
  taxref: 'taxref',
  sensitivityRules: 'sensitivity_rules',
  sensitivityRuleAreas: 'sensitivity_rule_areas',
  sensitivityRuleCriteria: 'sensitivity_rule_criteria',
  sensitivityAreaTypes: 'sensitivity_area_types',
  journal: 'change_journal',
  conflicts: 'pull_conflicts',
  // Format 3 (SINP metadata, issue 5): see format-v3.ts.
  operations: 'metadata_operations',
} as const;

/** The observation layer's only geometry column (WGS 84, like synthese.the_geom_4326). */
export const OBS_GEOM = 'geom';
export const AREAS_GEOM = 'geom';

/**
 * Columns of the observation layer, shaped on gn_synthese.synthese.
 *
 * Differences, on purpose: nomenclatures are SINP codes (`cd_nomenclature_*`), not
 * install-specific ids; the JDD is referenced by UUID; the local-SRID geometry is kept as
 * plain WKB (`geom_local_wkb`, SRID in passerelle_meta.local_srid) because a GeoPackage
 * registers one geometry column per table.
 */
export const OBSERVATION_COLUMNS: readonly ColumnDef[] = [
  { name: 'unique_id_sinp', type: 'TEXT', notNull: true, unique: true },
  { name: 'unique_id_sinp_grp', type: 'TEXT' },
  { name: 'id_synthese', type: 'INTEGER' },
  { name: 'entity_source_pk_value', type: 'TEXT' },
  { name: 'dataset_uuid', type: 'TEXT' },
  { name: 'cd_nom', type: 'INTEGER' },
  { name: 'nom_cite', type: 'TEXT' },
  { name: 'meta_v_taxref', type: 'TEXT' },
  { name: 'count_min', type: 'INTEGER' },
  { name: 'count_max', type: 'INTEGER' },
  { name: 'altitude_min', type: 'INTEGER' },
  { name: 'altitude_max', type: 'INTEGER' },
  { name: 'date_min', type: 'TEXT' },
  { name: 'date_max', type: 'TEXT' },
  { name: 'observers', type: 'TEXT' },
  { name: 'determiner', type: 'TEXT' },
  { name: 'sample_number_proof', type: 'TEXT' },
  { name: 'digital_proof', type: 'TEXT' },
  { name: 'non_digital_proof', type: 'TEXT' },
  { name: 'comment_description', type: 'TEXT' },
  ...NOMENCLATURE_FIELDS.map((f) => ({ name: nomenclatureColumn(f), type: 'TEXT' })),
  { name: 'geom_local_wkb', type: 'BLOB' },
  { name: 'meta_create_date', type: 'TEXT' },
  { name: 'meta_update_date', type: 'TEXT' },
  { name: 'last_action', type: 'TEXT' },
  ...OBSERVATION_V3_COLUMNS,
];

/**
 * Creates every table of an empty workspace in `db` (a new file), in the caller's transaction.
 *
 * `deferRtree`: the feature tables get no rtree yet; a bulk writer fills them first and then
 * calls {@link createWorkspaceRtrees} (one bulk fill is much faster than the triggers row by row).
 */
export function createWorkspaceSchema(
  db: Db,
  meta: { title: string; source: string | null; localSrid: number | null; createdBy: string },
  opts: { deferRtree?: boolean } = {},
): void {
  const rtree = { rtree: !opts.deferRtree };
  // Secondary indexes: built once after a bulk fill (sorting once beats a b-tree insert per row).
  const indexes = (sql: string) => (opts.deferRtree ? db.exec(`CREATE TABLE IF NOT EXISTS temp.deferred_indexes (sql TEXT); INSERT INTO temp.deferred_indexes VALUES (${quoteLiteral(sql)})`) : db.exec(sql));
  createCoreTables(db);
  createAttributesTable(db, {
    table: T.meta,
    description: 'Passerelle workspace: format version and provenance (key/value)',
    primaryKey: 'id',
    columns: [
      { name: 'key', type: 'TEXT', notNull: true, unique: true },
      { name: 'value', type: 'TEXT' },
    ],
  });
  createAttributesTable(db, {
    table: T.audit,
    description: 'Every change made to this workspace: when, who, what, before and after',
    primaryKey: 'id',
    columns: [
      { name: 'at', type: 'DATETIME', notNull: true },
      { name: 'actor', type: 'TEXT', notNull: true },
      { name: 'action', type: 'TEXT', notNull: true },
      { name: 'entity', type: 'TEXT', notNull: true },
      { name: 'entity_id', type: 'TEXT' },
      { name: 'before_json', type: 'TEXT' },
      { name: 'after_json', type: 'TEXT' },
      { name: 'job_id', type: 'TEXT' },
    ],
  });
  createAttributesTable(db, {
    table: T.datasets,
    description: 'Jeux de données (JDD) of the observations',
    primaryKey: 'id',
    columns: [
      { name: 'unique_dataset_id', type: 'TEXT', notNull: true, unique: true },
      { name: 'dataset_name', type: 'TEXT', notNull: true },
      { name: 'dataset_shortname', type: 'TEXT' },
      { name: 'dataset_desc', type: 'TEXT' },
      { name: 'id_dataset', type: 'INTEGER' },
      ...DATASET_V2_COLUMNS,
    ],
  });
  createFeatureTable(db, {
    table: T.observations,
    identifier: 'Observations',
    description: 'Observations shaped on gn_synthese.synthese (nomenclatures as SINP codes)',
    geometryColumn: OBS_GEOM,
    geometryType: 'GEOMETRY',
    srsId: 4326,
    // Uniqueness of unique_id_sinp is a separate index, so that a bulk fill can build it at the end.
    columns: opts.deferRtree ? OBSERVATION_COLUMNS.map((c) => (c.unique ? { ...c, unique: false } : c)) : OBSERVATION_COLUMNS,
  }, rtree);
  if (opts.deferRtree) indexes('CREATE UNIQUE INDEX observations_unique_id_sinp ON observations(unique_id_sinp)');
  indexes(`CREATE INDEX observations_dataset_uuid ON observations(dataset_uuid);
           CREATE INDEX observations_cd_nom ON observations(cd_nom);
           CREATE INDEX observations_date_min ON observations(date_min);`);
  createFeatureTable(db, {
    table: T.areas,
    identifier: 'Areas (ref_geo)',
    description: 'Reference areas used for attachment and blurring, shaped on ref_geo.l_areas',
    geometryColumn: AREAS_GEOM,
    geometryType: 'MULTIPOLYGON',
    srsId: 4326,
    columns: [
      { name: 'type_code', type: 'TEXT', notNull: true },
      { name: 'area_code', type: 'TEXT', notNull: true },
      { name: 'area_name', type: 'TEXT' },
      { name: 'source', type: 'TEXT' },
      ...AREA_V2_COLUMNS,
    ],
  }, rtree);
  db.exec('CREATE UNIQUE INDEX areas_type_code ON areas(type_code, area_code)');
  createAttributesTable(db, {
    table: T.corAreaObservation,
    description: 'Which areas each observation intersects (like gn_synthese.cor_area_synthese)',
    primaryKey: 'id',
    columns: [
      { name: 'observation_fid', type: 'INTEGER', notNull: true },
      { name: 'area_fid', type: 'INTEGER', notNull: true },
    ],
  });
  indexes('CREATE UNIQUE INDEX cor_area_observation_pair ON cor_area_observation(observation_fid, area_fid); CREATE INDEX cor_area_observation_area ON cor_area_observation(area_fid);');

  createV2Tables(db);
  addV3Columns(db);
  createV3Tables(db);
  // Format 4 (cleanup, issue 8): see electron/core/cleanup/schema.ts.
  createCleanupTables(db);
  // Format 5 (sensitivity, issue 6): see electron/core/sensitivity/schema.ts.
  createSensitivityTables(db);
  // Format 6 (publishing history, issue 9): see electron/core/publish/schema.ts.
  createPublishTables(db);

  const put = db.prepare(`INSERT INTO ${T.meta} (key, value) VALUES (?, ?)`);
  put.run('format_version', String(WORKSPACE_FORMAT_VERSION));
  put.run('title', meta.title);
  put.run('source', meta.source);
  put.run('local_srid', meta.localSrid === null ? null : String(meta.localSrid));
  put.run('created_at', new Date().toISOString());
  put.run('created_by', meta.createdBy);
}

const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Creates the indexes and rtrees {@link createWorkspaceSchema} deferred, from the rows already there. */
export function createWorkspaceRtrees(db: Db): void {
  const deferred = db.prepare(`SELECT 1 FROM temp.sqlite_master WHERE name = 'deferred_indexes'`).get()
    ? (db.prepare('SELECT sql FROM temp.deferred_indexes').all() as Array<{ sql: string }>)
    : [];
  for (const d of deferred) db.exec(d.sql);
  if (deferred.length) db.exec('DROP TABLE temp.deferred_indexes');
  for (const [table, column] of [
    [T.observations, OBS_GEOM],
    [T.areas, AREAS_GEOM],
  ] as const) {
    const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = ?`).get(`rtree_${table}_${column}`);
    if (exists) continue;
    createRtree(db, table, column, 'fid');
    db.exec(
      `INSERT INTO "rtree_${table}_${column}" SELECT fid, ST_MinX(${column}), ST_MaxX(${column}), ST_MinY(${column}), ST_MaxY(${column}) FROM "${table}" WHERE ${column} NOT NULL AND NOT ST_IsEmpty(${column})`,
    );
  }
}

/** Sets one passerelle_meta key (insert or replace). */
export function putMeta(db: Db, key: string, value: string | null): void {
  db.prepare(`INSERT INTO ${T.meta} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(key, value);
}

/** Reads passerelle_meta as a map. */
export function readMeta(db: Db): Map<string, string | null> {
  const rows = db.prepare(`SELECT key, value FROM ${T.meta}`).all() as Array<{ key: string; value: string | null }>;
  return new Map(rows.map((r) => [r.key, r.value]));
}

export interface AuditEntry {
  actor: string;
  action: string;
  entity: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
  jobId?: string | null;
}

/** Appends to the audit log; call inside the transaction that makes the change. */
export function appendAudit(db: Db, e: AuditEntry): void {
  db.prepare(
    `INSERT INTO ${T.audit} (at, actor, action, entity, entity_id, before_json, after_json, job_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    new Date().toISOString(),
    e.actor,
    e.action,
    e.entity,
    e.entityId ?? null,
    e.before === undefined ? null : JSON.stringify(e.before),
    e.after === undefined ? null : JSON.stringify(e.after),
    e.jobId ?? null,
  );
}
