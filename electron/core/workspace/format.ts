import type Database from 'better-sqlite3';
import { NOMENCLATURE_FIELDS, nomenclatureColumn } from '../../../shared/domain/synthese.js';
import { createAttributesTable, createCoreTables, createFeatureTable, type ColumnDef } from '../gpkg/schema.js';

type Db = Database.Database;

/**
 * The workspace format version this build writes and reads.
 *
 * Bumped by any change to the tables below; each bump ships a migration in
 * `migrations.ts` and its test. Documented in docs/workspace-format.md.
 */
export const WORKSPACE_FORMAT_VERSION = 1;

/** Table names, in one place. */
export const T = {
  meta: 'passerelle_meta',
  audit: 'passerelle_audit',
  observations: 'observations',
  datasets: 'datasets',
  areas: 'areas',
  corAreaObservation: 'cor_area_observation',
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
];

/** Creates every table of an empty workspace in `db` (a new file), in the caller's transaction. */
export function createWorkspaceSchema(db: Db, meta: { title: string; source: string | null; localSrid: number | null; createdBy: string }): void {
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
    ],
  });
  createFeatureTable(db, {
    table: T.observations,
    identifier: 'Observations',
    description: 'Observations shaped on gn_synthese.synthese (nomenclatures as SINP codes)',
    geometryColumn: OBS_GEOM,
    geometryType: 'GEOMETRY',
    srsId: 4326,
    columns: OBSERVATION_COLUMNS,
  });
  db.exec(`CREATE INDEX observations_dataset_uuid ON observations(dataset_uuid);
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
    ],
  });
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
  db.exec('CREATE UNIQUE INDEX cor_area_observation_pair ON cor_area_observation(observation_fid, area_fid); CREATE INDEX cor_area_observation_area ON cor_area_observation(area_fid);');

  const put = db.prepare(`INSERT INTO ${T.meta} (key, value) VALUES (?, ?)`);
  put.run('format_version', String(WORKSPACE_FORMAT_VERSION));
  put.run('title', meta.title);
  put.run('source', meta.source);
  put.run('local_srid', meta.localSrid === null ? null : String(meta.localSrid));
  put.run('created_at', new Date().toISOString());
  put.run('created_by', meta.createdBy);
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
