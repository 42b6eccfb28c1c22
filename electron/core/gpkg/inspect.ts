import type Database from 'better-sqlite3';
import type { GpkgExtension, GpkgInfo, GpkgLayer, GpkgLayerKind } from '../../../shared/contract/index.js';
import {
  CURVE_TYPE_NAMES,
  hasObject,
  integerPrimaryKey,
  ogrFeatureCount,
  readContents,
  readExtensions,
  readGeometryColumns,
  readSrs,
  rtreeName,
  schemaObjects,
  tableColumns,
  type ContentsRow,
  type GeometryColumnRow,
  type SchemaObject,
} from './catalog.js';
import { AppError } from '../errors.js';
import { quoteId } from './identifiers.js';
import type { GpkgSource } from './source.js';

type Db = Database.Database;

function kindOf(dataType: string): GpkgLayerKind {
  switch (dataType.toLowerCase()) {
    case 'features':
      return 'features';
    case 'attributes':
      return 'attributes';
    case 'tiles':
      return 'tiles';
    case '2d-gridded-coverage':
      return 'gridded-coverage';
    default:
      return 'other';
  }
}

function zoomLevels(db: Db, table: string): number[] | null {
  if (!hasObject(db, 'gpkg_tile_matrix')) return null;
  const rows = db.prepare('SELECT DISTINCT zoom_level AS z FROM gpkg_tile_matrix WHERE table_name = ? ORDER BY zoom_level').all(table) as Array<{ z: number }>;
  return rows.map((r) => r.z);
}

/** Counts rows of a table: GDAL's cache when trustworthy, else count(*). */
export function featureCount(db: Db, table: string): { count: number; source: 'gpkg_ogr_contents' | 'count' } {
  const cached = ogrFeatureCount(db, table);
  if (cached !== null) return { count: cached, source: 'gpkg_ogr_contents' };
  return { count: (db.prepare(`SELECT count(*) AS n FROM ${quoteId(table)}`).get() as { n: number }).n, source: 'count' };
}

function describeLayer(db: Db, c: ContentsRow, geom: GeometryColumnRow | undefined, objects: Map<string, 'table' | 'view'>, withCount = true): GpkgLayer {
  const objectType = objects.get(c.tableName.toLowerCase());
  const exists = objectType !== undefined;
  const kind = kindOf(c.dataType);
  const columns = exists ? tableColumns(db, c.tableName) : [];
  const geometryType = geom ? geom.geometryTypeName.toUpperCase() : null;
  let count: number | null = null;
  let countSource: GpkgLayer['countSource'] = 'none';
  if (withCount && exists && (kind === 'features' || kind === 'attributes')) {
    const n = featureCount(db, c.tableName);
    count = n.count;
    countSource = n.source;
  }
  const extent =
    c.minX !== null && c.minY !== null && c.maxX !== null && c.maxY !== null
      ? { srsId: c.srsId ?? geom?.srsId ?? 0, minX: c.minX, minY: c.minY, maxX: c.maxX, maxY: c.maxY }
      : null;
  return {
    name: c.tableName,
    dataType: c.dataType,
    kind,
    identifier: c.identifier,
    description: c.description,
    isView: objectType === 'view',
    exists,
    geometryColumn: geom?.columnName ?? null,
    geometryType,
    z: geom ? geom.z : null,
    m: geom ? geom.m : null,
    curved: geometryType !== null && CURVE_TYPE_NAMES.has(geometryType),
    srsId: geom?.srsId ?? c.srsId,
    extent,
    count,
    countSource,
    primaryKey: integerPrimaryKey(columns),
    columns,
    spatialIndex: geom ? hasObject(db, rtreeName(c.tableName, geom.columnName)) : false,
    zoomLevels: kind === 'tiles' || kind === 'gridded-coverage' ? zoomLevels(db, c.tableName) : null,
  };
}

// Tables the GeoPackage spec or its common extensions own; never "unregistered".
const OWN_PREFIXES = ['gpkg_', 'gpkgext_', 'rtree_', 'sqlite_'];
// The SQL/MM and SF/SQL compatibility views GeoPackage 1.0 described (Annex C of 12-128r10).
const COMPAT_VIEWS = new Set(['spatial_ref_sys', 'st_spatial_ref_sys', 'geometry_columns', 'st_geometry_columns']);

/**
 * Tables and views present in the file but not in gpkg_contents, leaving out what the
 * spec and its extensions own (gpkg_*, rtree_*, extension tables, the 1.0 compatibility views).
 */
export function unregisteredObjects(all: readonly SchemaObject[], contents: readonly ContentsRow[], extensions: readonly GpkgExtension[]): GpkgInfo['unregistered'] {
  const registered = new Set(contents.map((c) => c.tableName.toLowerCase()));
  // Tables an extension defines for itself (table-scoped rows, no column), e.g. nga_properties.
  const extensionTables = new Set(extensions.filter((e) => e.column === null && e.table !== null).map((e) => (e.table ?? '').toLowerCase()));
  return all
    .filter((o) => !registered.has(o.name.toLowerCase()))
    .filter((o) => !OWN_PREFIXES.some((p) => o.name.toLowerCase().startsWith(p)))
    .filter((o) => !extensionTables.has(o.name.toLowerCase()))
    .filter((o) => !(o.type === 'view' && COMPAT_VIEWS.has(o.name.toLowerCase())))
    .map((o) => ({ name: o.name, type: o.type }));
}

/**
 * Describes a GeoPackage: every gpkg_contents entry (features, attributes, tiles, views
 * registered as layers) with geometry column, type, Z/M, SRS, extent, count and columns;
 * the SRS and extensions; and the tables and views present but not registered.
 */
export function inspectGpkg(src: GpkgSource): GpkgInfo {
  const db = src.db;
  const objects = new Map<string, 'table' | 'view'>();
  const all = schemaObjects(db);
  for (const o of all) objects.set(o.name.toLowerCase(), o.type);
  const contents = readContents(db) ?? [];
  const geoms = readGeometryColumns(db) ?? [];
  const geomByTable = new Map(geoms.map((g) => [g.tableName.toLowerCase(), g]));
  const extensions = readExtensions(db);
  const unregistered = unregisteredObjects(all, contents, extensions);
  return {
    path: src.path,
    fileSize: src.file.header.fileSize,
    version: src.identity.version,
    applicationId: src.identity.applicationId,
    userVersion: src.identity.userVersion,
    walMode: src.file.header.wal,
    layers: contents.map((c) => describeLayer(db, c, geomByTable.get(c.tableName.toLowerCase()), objects)),
    srs: readSrs(db) ?? [],
    extensions,
    unregistered,
  };
}

/** The description of one layer, or null when gpkg_contents has no such entry. */
export function findLayer(info: GpkgInfo, name: string): GpkgLayer | null {
  return info.layers.find((l) => l.name === name) ?? info.layers.find((l) => l.name.toLowerCase() === name.toLowerCase()) ?? null;
}

/**
 * Describes one layer without counting its rows (cheap: for paging and tiles).
 *
 * Throws NOT_FOUND with the list of layers when gpkg_contents has no such entry, and when
 * the entry names a table that does not exist.
 */
export function describeLayerByName(src: GpkgSource, name: string, opts: { count?: boolean } = {}): GpkgLayer {
  const db = src.db;
  const contents = readContents(db) ?? [];
  const c = contents.find((r) => r.tableName === name) ?? contents.find((r) => r.tableName.toLowerCase() === name.toLowerCase());
  if (!c) {
    const names = contents.map((r) => r.tableName).join(', ') || '(none)';
    throw new AppError('NOT_FOUND', `${src.path} has no layer "${name}" (layers: ${names})`, { key: 'errors.GPKG_NO_LAYER', params: { path: src.path, layer: name }, where: `${src.path} › ${name}` });
  }
  const objects = new Map<string, 'table' | 'view'>(schemaObjects(db).map((o) => [o.name.toLowerCase(), o.type]));
  const geom = (readGeometryColumns(db) ?? []).find((g) => g.tableName.toLowerCase() === c.tableName.toLowerCase());
  const layer = describeLayer(db, c, geom, objects, opts.count ?? false);
  if (!layer.exists) {
    throw new AppError('NOT_FOUND', `${src.path}: layer "${name}" is listed in gpkg_contents but its table does not exist`, {
      key: 'errors.GPKG_LAYER_TABLE_MISSING',
      params: { path: src.path, layer: name },
      where: `${src.path} › ${name}`,
    });
  }
  return layer;
}
