import type pg from 'pg';
import type { SchemaInfo } from '../../../shared/contract/index.js';
import { AppError } from '../errors.js';
import { qi } from './sql.js';

/**
 * What the connector needs from a GeoNature database, and what it adapts to.
 *
 * Columns are read from pg_catalog rather than information_schema: information_schema only
 * lists columns the current role may access, so a privilege problem would look like a missing
 * column. Privileges are checked separately (has_table_privilege), and reported as such.
 */

/** Schemas without which a database is not GeoNature at all. */
const CORE_SCHEMAS = ['gn_meta', 'gn_synthese'] as const;
/** Schemas a pull needs. */
const REQUIRED_SCHEMAS = ['gn_meta', 'gn_synthese', 'ref_nomenclatures', 'ref_geo', 'taxonomie'] as const;

/** Tables and the columns a pull reads without which it cannot work. */
export const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  'gn_meta.t_acquisition_frameworks': ['id_acquisition_framework', 'unique_acquisition_framework_id', 'acquisition_framework_name'],
  'gn_meta.t_datasets': ['id_dataset', 'unique_dataset_id', 'id_acquisition_framework', 'dataset_name'],
  'gn_synthese.synthese': ['id_synthese', 'unique_id_sinp', 'id_dataset', 'cd_nom', 'nom_cite', 'date_min', 'date_max', 'the_geom_4326', 'the_geom_local'],
  'gn_synthese.cor_area_synthese': ['id_synthese', 'id_area'],
  'ref_nomenclatures.t_nomenclatures': ['id_nomenclature', 'id_type', 'cd_nomenclature', 'label_default'],
  'ref_nomenclatures.bib_nomenclatures_types': ['id_type', 'mnemonique'],
  'ref_geo.l_areas': ['id_area', 'id_type', 'area_code', 'geom'],
  'ref_geo.bib_areas_types': ['id_type', 'type_code'],
  'taxonomie.taxref': ['cd_nom', 'cd_ref'],
};

/** Optional tables and columns the connector uses when they are there, as reported by SchemaInfo.optional. */
export const OPTIONAL = [
  'gn_meta.t_datasets.id_nomenclature_dataset_objectif',
  'gn_meta.cor_dataset_objectif',
  'gn_meta.cor_dataset_actor',
  'gn_meta.cor_dataset_territory',
  'gn_meta.cor_dataset_protocol',
  'gn_meta.cor_acquisition_framework_actor',
  'gn_meta.cor_acquisition_framework_objectif',
  'gn_meta.cor_acquisition_framework_territory',
  'gn_meta.cor_acquisition_framework_voletsinp',
  'utilisateurs.bib_organismes',
  'utilisateurs.t_roles',
  'gn_sensitivity.t_sensitivity_rules',
  'gn_sensitivity.cor_sensitivity_area',
  'gn_sensitivity.cor_sensitivity_criteria',
  'gn_sensitivity.cor_sensitivity_area_type',
  'ref_geo.l_areas.geom_4326',
  'taxonomie.taxref.cd_sup',
  'taxonomie.taxref.cd_taxsup',
] as const;

/** Tables a push writes, and the privilege it needs on each. */
export const PUSH_PRIVILEGES: ReadonlyArray<readonly [string, string, string | null]> = [
  ['gn_meta.t_acquisition_frameworks', 'UPDATE', null],
  ['gn_meta.t_datasets', 'UPDATE', null],
  ['gn_meta.t_datasets', 'INSERT', null],
  ['gn_synthese.synthese', 'UPDATE', 'id_dataset'],
];

/** The catalog of a database as far as the connector cares: tables → columns, and what it found. */
export interface DetectedSchema {
  /** "schema.table" → column names (every column, whatever the role's privileges). */
  readonly tables: ReadonlyMap<string, ReadonlySet<string>>;
  readonly schemas: ReadonlySet<string>;
  /** "schema.table" or "schema.table.column" exists. */
  has(name: string): boolean;
  readonly info: SchemaInfo;
}

/** Reads the catalog, the local SRID, GeoNature's and TAXREF's versions. Does not judge; see {@link missingRequired}. */
export async function detectSchema(client: pg.Client): Promise<DetectedSchema> {
  const schemaNames = [...new Set([...REQUIRED_SCHEMAS, 'gn_sensitivity', 'utilisateurs', 'gn_commons', 'public'])];
  const s = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname = ANY($1::text[])', [schemaNames]);
  const schemas = new Set(s.rows.map((r) => r.nspname));
  const cols = await client.query<{ schema: string; table: string; column: string }>(
    `SELECT n.nspname AS schema, c.relname AS table, a.attname AS column
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped`,
    [schemaNames],
  );
  const tables = new Map<string, Set<string>>();
  for (const r of cols.rows) {
    const key = `${r.schema}.${r.table}`;
    let set = tables.get(key);
    if (!set) tables.set(key, (set = new Set()));
    set.add(r.column);
  }
  const has = (name: string): boolean => {
    const parts = name.split('.');
    const table = tables.get(`${parts[0]}.${parts[1]}`);
    return parts.length === 2 ? table !== undefined : table?.has(parts[2] as string) === true;
  };

  // Optional reads: checked first, because a failing query would abort the caller's transaction.
  const readable = async (table: string, column: string): Promise<boolean> => {
    if (!has(`${table}.${column}`)) return false;
    const r = await client.query<{ ok: boolean }>(
      "SELECT has_schema_privilege(split_part($1, '.', 1), 'USAGE') AND has_table_privilege($1, 'SELECT') AS ok",
      [table],
    );
    return r.rows[0]?.ok === true;
  };
  let localSrid = 0;
  if (await readable('gn_synthese.synthese', 'the_geom_local')) {
    // Find_SRID reads geometry_columns: the SRID the install was made with (reference §0.9).
    const r = await client.query<{ srid: number }>("SELECT Find_SRID('gn_synthese', 'synthese', 'the_geom_local') AS srid");
    localSrid = r.rows[0]?.srid ?? 0;
  } else if (has('gn_synthese.synthese.the_geom_local')) {
    // geometry_columns hides tables the role may not read: the column's type modifier says the same.
    const r = await client.query<{ srid: number | null }>(
      `SELECT postgis_typmod_srid(a.atttypmod) AS srid FROM pg_attribute a
        WHERE a.attrelid = 'gn_synthese.synthese'::regclass AND a.attname = 'the_geom_local'`,
    );
    localSrid = r.rows[0]?.srid ?? 0;
  }
  let geonatureVersion: string | null = null;
  if (await readable('gn_commons.t_parameters', 'parameter_value')) {
    const r = await client.query<{ v: string }>(
      `SELECT parameter_value AS v FROM ${qi('gn_commons', 't_parameters')} WHERE parameter_name IN ('geonature_version', 'version') ORDER BY parameter_name LIMIT 1`,
    );
    geonatureVersion = r.rows[0]?.v ?? null;
  }
  let alembicRevisions: string[] = [];
  if (await readable('public.alembic_version', 'version_num')) {
    const r = await client.query<{ v: string }>(`SELECT version_num AS v FROM ${qi('public', 'alembic_version')} ORDER BY 1`);
    alembicRevisions = r.rows.map((x) => x.v);
  }
  let taxrefVersion: string | null = null;
  if ((await readable('taxonomie.t_meta_taxref', 'version')) && has('taxonomie.t_meta_taxref.update_date')) {
    const r = await client.query<{ v: string }>(`SELECT version::text AS v FROM ${qi('taxonomie', 't_meta_taxref')} ORDER BY update_date DESC NULLS LAST LIMIT 1`);
    taxrefVersion = r.rows[0]?.v ?? null;
  }
  const optional = Object.fromEntries(OPTIONAL.map((name) => [name, has(name)]));
  return { tables, schemas, has, info: { geonatureVersion, alembicRevisions, localSrid, optional, taxrefVersion } };
}

/** What is missing for a pull, most fundamental first: not GeoNature, a schema, a table or column. */
export function missingRequired(d: DetectedSchema): { status: 'ok' | 'not_geonature' | 'missing_schema' | 'missing_column'; missing: string[] } {
  if (!CORE_SCHEMAS.some((s) => d.schemas.has(s))) return { status: 'not_geonature', missing: [...CORE_SCHEMAS] };
  const schemas = REQUIRED_SCHEMAS.filter((s) => !d.schemas.has(s));
  if (schemas.length) return { status: 'missing_schema', missing: schemas };
  const missing: string[] = [];
  for (const [table, columns] of Object.entries(REQUIRED)) {
    if (!d.has(table)) missing.push(table);
    else for (const c of columns) if (!d.has(`${table}.${c}`)) missing.push(`${table}.${c}`);
  }
  return { status: missing.length ? 'missing_column' : 'ok', missing };
}

/** Tables of REQUIRED the role may not read (schema USAGE and table SELECT). */
export async function missingReadPrivileges(client: pg.Client): Promise<string[]> {
  const tables = Object.keys(REQUIRED);
  const r = await client.query<{ t: string; ok: boolean }>(
    `SELECT t, has_schema_privilege(split_part(t, '.', 1), 'USAGE') AND has_table_privilege(t, 'SELECT') AS ok FROM unnest($1::text[]) AS t`,
    [tables],
  );
  return r.rows.filter((x) => !x.ok).map((x) => `SELECT on ${x.t}`);
}

/** Privileges a push needs and the role lacks ("UPDATE on gn_meta.t_datasets"). */
export async function missingPushPrivileges(client: pg.Client): Promise<string[]> {
  const missing: string[] = [];
  for (const [table, privilege, column] of PUSH_PRIVILEGES) {
    const r = await client.query<{ ok: boolean }>(
      column ? 'SELECT has_column_privilege($1, $2, $3) AS ok' : 'SELECT has_table_privilege($1, $2) AS ok',
      column ? [table, column, privilege] : [table, privilege],
    );
    if (!r.rows[0]?.ok) missing.push(`${privilege} on ${table}${column ? `.${column}` : ''}`);
  }
  // A new JDD takes its id from the table's sequence.
  const seq = await client.query<{ ok: boolean | null }>(
    `SELECT has_sequence_privilege(pg_get_serial_sequence('gn_meta.t_datasets', 'id_dataset'), 'USAGE') AS ok`,
  );
  if (seq.rows[0]?.ok === false) missing.push('USAGE on the sequence of gn_meta.t_datasets.id_dataset');
  return missing;
}

/**
 * Detects the schema and fails with a precise error when a pull or browse cannot work: not a
 * GeoNature database, a schema or column missing (INCOMPATIBLE), or a table the role may not read
 * (PERMISSION_DENIED).
 */
export async function requireReadable(client: pg.Client, target: string, user: string): Promise<DetectedSchema> {
  const d = await detectSchema(client);
  const m = missingRequired(d);
  if (m.status === 'not_geonature') {
    throw new AppError('INCOMPATIBLE', `${target} is not a GeoNature database (no gn_meta or gn_synthese schema)`, { key: 'errors.GN_NOT_GEONATURE', params: { target } });
  }
  if (m.status !== 'ok') {
    const missing = m.missing.join(', ');
    throw new AppError('INCOMPATIBLE', `${target} lacks ${m.status === 'missing_schema' ? 'schemas' : 'tables or columns'} a pull needs: ${missing}`, {
      key: m.status === 'missing_schema' ? 'errors.GN_MISSING_SCHEMA' : 'errors.GN_MISSING_COLUMN',
      params: { target, missing },
    });
  }
  const denied = await missingReadPrivileges(client);
  if (denied.length) {
    const missing = denied.join(', ');
    throw new AppError('PERMISSION_DENIED', `The role ${user} may not read what a pull needs on ${target}: ${missing}`, {
      key: 'errors.GN_NO_PRIVILEGE',
      params: { target, missing },
    });
  }
  return d;
}
