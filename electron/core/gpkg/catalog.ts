import type Database from 'better-sqlite3';
import type { GpkgColumn, GpkgExtension, GpkgSrs } from '../../../shared/contract/index.js';

type Db = Database.Database;

/**
 * Read-only access to a GeoPackage's own tables (contents, geometry columns, SRS,
 * extensions) and to SQLite's catalogue, tolerant of files that lack some of them: the
 * inspector shows what is there, the validator says what is missing.
 */

/** A table or view as sqlite_master lists it. */
export interface SchemaObject {
  name: string;
  type: 'table' | 'view';
  sql: string | null;
}

/** Curve geometry types (OGC 12-128r18 Annex E, extension gpkg_geom_*). */
export const CURVE_TYPE_NAMES: ReadonlySet<string> = new Set([
  'CIRCULARSTRING',
  'COMPOUNDCURVE',
  'CURVEPOLYGON',
  'MULTICURVE',
  'MULTISURFACE',
  'CURVE',
  'SURFACE',
]);

/** The geometry type names Annex E allows in gpkg_geometry_columns (upper case). */
export const GEOMETRY_TYPE_NAMES: ReadonlySet<string> = new Set([
  'GEOMETRY',
  'POINT',
  'LINESTRING',
  'POLYGON',
  'MULTIPOINT',
  'MULTILINESTRING',
  'MULTIPOLYGON',
  'GEOMETRYCOLLECTION',
  ...CURVE_TYPE_NAMES,
]);

/** Tables and views of the file (not SQLite's internal ones). */
export function schemaObjects(db: Db): SchemaObject[] {
  return db
    .prepare("SELECT name, type, sql FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
    .all() as SchemaObject[];
}

/** True when a table or view of that name exists (SQLite names are case-insensitive). */
export function hasObject(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE").get(name) !== undefined;
}

/** The columns of a table or view. The name is bound, not interpolated: any name is safe. */
export function tableColumns(db: Db, table: string): GpkgColumn[] {
  const rows = db.prepare('SELECT name, type, "notnull" AS nn, pk, dflt_value AS dflt FROM pragma_table_info(?)').all(table) as Array<{
    name: string;
    type: string | null;
    nn: number;
    pk: number;
    dflt: string | null;
  }>;
  return rows.map((r) => ({ name: r.name, type: (r.type ?? '').toUpperCase(), notNull: r.nn === 1, primaryKey: r.pk > 0, defaultValue: r.dflt }));
}

/**
 * The integer primary key of a table: the one column declared `INTEGER PRIMARY KEY` (an
 * alias of the rowid, which is what GeoPackage's "fid" must be). Null otherwise.
 */
export function integerPrimaryKey(columns: readonly GpkgColumn[]): string | null {
  const pks = columns.filter((c) => c.primaryKey);
  const only = pks.length === 1 ? pks[0] : undefined;
  return only && only.type === 'INTEGER' ? only.name : null;
}

/** A row of gpkg_contents. */
export interface ContentsRow {
  tableName: string;
  dataType: string;
  identifier: string | null;
  description: string | null;
  lastChange: string | null;
  minX: number | null;
  minY: number | null;
  maxX: number | null;
  maxY: number | null;
  srsId: number | null;
}

/** gpkg_contents, or null when the table is missing. */
export function readContents(db: Db): ContentsRow[] | null {
  if (!hasObject(db, 'gpkg_contents')) return null;
  return db
    .prepare(
      `SELECT table_name AS tableName, data_type AS dataType, identifier, description, last_change AS lastChange,
              min_x AS minX, min_y AS minY, max_x AS maxX, max_y AS maxY, srs_id AS srsId
         FROM gpkg_contents ORDER BY table_name`,
    )
    .all() as ContentsRow[];
}

/** A row of gpkg_geometry_columns. */
export interface GeometryColumnRow {
  tableName: string;
  columnName: string;
  geometryTypeName: string;
  srsId: number;
  z: number;
  m: number;
}

/** gpkg_geometry_columns, or null when the table is missing. */
export function readGeometryColumns(db: Db): GeometryColumnRow[] | null {
  if (!hasObject(db, 'gpkg_geometry_columns')) return null;
  return db
    .prepare('SELECT table_name AS tableName, column_name AS columnName, geometry_type_name AS geometryTypeName, srs_id AS srsId, z, m FROM gpkg_geometry_columns')
    .all() as GeometryColumnRow[];
}

/** gpkg_spatial_ref_sys as the contract describes it, or null when the table is missing. */
export function readSrs(db: Db): GpkgSrs[] | null {
  if (!hasObject(db, 'gpkg_spatial_ref_sys')) return null;
  const rows = db
    .prepare(
      'SELECT srs_name AS name, srs_id AS srsId, organization, organization_coordsys_id AS code, definition, description FROM gpkg_spatial_ref_sys ORDER BY srs_id',
    )
    .all() as Array<{ name: string | null; srsId: number; organization: string | null; code: number | null; definition: string | null; description: string | null }>;
  return rows.map((r) => {
    const org = r.organization ?? '';
    const code = r.code ?? 0;
    return {
      srsId: r.srsId,
      name: r.name ?? '',
      organization: org,
      organizationCode: code,
      definition: r.definition ?? '',
      description: r.description,
      epsg: org.toUpperCase() === 'EPSG' && code > 0 ? code : null,
      undefinedSrs: (r.srsId === -1 || r.srsId === 0) && (r.definition ?? '').trim().toLowerCase() === 'undefined',
    };
  });
}

/** gpkg_extensions, or [] when the table is missing. */
export function readExtensions(db: Db): GpkgExtension[] {
  if (!hasObject(db, 'gpkg_extensions')) return [];
  return db
    .prepare('SELECT table_name AS "table", column_name AS "column", extension_name AS name, definition, scope FROM gpkg_extensions')
    .all() as GpkgExtension[];
}

/** Name of the rtree virtual table of a geometry column (OGC 12-128r18 Annex F.3). */
export function rtreeName(table: string, column: string): string {
  return `rtree_${table}_${column}`;
}

/**
 * GDAL's cached feature count when it can be trusted: GDAL keeps gpkg_ogr_contents up to
 * date with insert/delete triggers; a file edited by another tool without those triggers
 * may hold a stale count, so then we count.
 */
export function ogrFeatureCount(db: Db, table: string): number | null {
  if (!hasObject(db, 'gpkg_ogr_contents')) return null;
  const row = db.prepare('SELECT feature_count AS n FROM gpkg_ogr_contents WHERE lower(table_name) = lower(?)').get(table) as { n: number | null } | undefined;
  if (!row || row.n === null) return null;
  const triggers = db
    .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?)")
    .get(`trigger_insert_feature_count_${table}`, `trigger_delete_feature_count_${table}`) as { n: number };
  return triggers.n === 2 ? row.n : null;
}
