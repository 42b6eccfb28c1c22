import type Database from 'better-sqlite3';
import type { BBoxFilter, CellValue, FeatureDetail, GeometryCell, GpkgLayer, Row, RowFilter, RowsPage } from '../../../shared/contract/index.js';
import { AppError } from '../errors.js';
import { readSrs, rtreeName } from './catalog.js';
import { decodeGpkg } from './geometry/gpkg-binary.js';
import { toGeoJson } from './geometry/geojson.js';
import { linearize } from './geometry/linearize.js';
import { envelopeOf, isEmptyGeometry, type Envelope, type Geometry } from './geometry/model.js';
import { quoteId } from './identifiers.js';
import { describeLayerByName } from './inspect.js';
import { lonLatBoxToLayer, lonLatProjector, type LonLatProjector } from './reproject.js';
import type { GpkgSource } from './source.js';

type Db = Database.Database;

/** A box in the layer's own SRS. */
export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/**
 * Converts an SQLite value to a JSON-safe cell: integers read as BigInt (so 64-bit values
 * keep every digit) become numbers when exact, decimal strings otherwise; BLOBs become
 * their size.
 */
export function cellValue(v: unknown): CellValue {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return { blob: v.byteLength };
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'string' || typeof v === 'boolean' || v === null) return v;
  return v === undefined ? null : String(v);
}

/** The projector of a layer's SRS to WGS 84, or null (undefined SRS, unparseable WKT). */
export function layerProjector(db: Db, layer: GpkgLayer): LonLatProjector | null {
  const srs = (readSrs(db) ?? []).find((s) => s.srsId === layer.srsId) ?? null;
  return lonLatProjector(srs);
}

/** Decodes a geometry blob into what a table cell shows; never throws. */
export function geometryCell(blob: unknown, withGeoJson: boolean): GeometryCell | null {
  if (blob === null || blob === undefined) return null;
  if (!(blob instanceof Uint8Array)) return { type: 'UNKNOWN', empty: false, bbox: null, hasZ: false, hasM: false, error: `not a BLOB but a ${typeof blob}` };
  let g: Geometry;
  try {
    g = decodeGpkg(blob).geometry;
  } catch (e) {
    return { type: 'UNKNOWN', empty: false, bbox: null, hasZ: false, hasM: false, error: e instanceof Error ? e.message : String(e) };
  }
  const env = envelopeOf(g);
  const cell: GeometryCell = {
    type: g.type,
    empty: isEmptyGeometry(g),
    bbox: env ? [env.minX, env.minY, env.maxX, env.maxY] : null,
    hasZ: g.hasZ,
    hasM: g.hasM,
  };
  if (withGeoJson) cell.geojson = toGeoJson(linearize(g));
  return cell;
}

const OPS: Record<Exclude<RowFilter['op'], 'isNull' | 'notNull' | 'in'>, string> = {
  '=': '=',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  like: 'LIKE',
};

/**
 * Builds the WHERE clause of a filtered read. Column names are checked against the
 * layer and quoted; values are bound. The bbox uses the rtree when there is one, else the
 * ST_* functions on the geometry header (a scan, but still correct).
 */
export function whereClause(layer: GpkgLayer, filter: readonly RowFilter[], bbox: Box | null, alias = 't'): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const a = quoteId(alias);
  for (const f of filter) {
    const col = layer.columns.find((c) => c.name === f.column) ?? layer.columns.find((c) => c.name.toLowerCase() === f.column.toLowerCase());
    if (!col) {
      throw new AppError('INVALID_INPUT', `Layer "${layer.name}" has no column "${f.column}" (columns: ${layer.columns.map((c) => c.name).join(', ')})`, {
        key: 'errors.GPKG_NO_COLUMN',
        params: { layer: layer.name, column: f.column },
        where: layer.name,
      });
    }
    const c = `${a}.${quoteId(col.name)}`;
    if (f.op === 'isNull') parts.push(`${c} IS NULL`);
    else if (f.op === 'notNull') parts.push(`${c} IS NOT NULL`);
    else if (f.op === 'in') {
      const values = Array.isArray(f.value) ? f.value : [f.value ?? null];
      if (values.length === 0) parts.push('0');
      else {
        parts.push(`${c} IN (${values.map(() => '?').join(', ')})`);
        params.push(...values);
      }
    } else {
      if (Array.isArray(f.value)) throw new AppError('INVALID_INPUT', `Operator ${f.op} takes one value, not a list`, { key: 'errors.GPKG_BAD_FILTER', params: { op: f.op } });
      parts.push(`${c} ${OPS[f.op]} ?`);
      params.push(typeof f.value === 'boolean' ? (f.value ? 1 : 0) : (f.value ?? null));
    }
  }
  if (bbox) {
    if (!layer.geometryColumn) {
      throw new AppError('INVALID_INPUT', `Layer "${layer.name}" has no geometry: it cannot be filtered by a box`, { key: 'errors.GPKG_NO_GEOMETRY', params: { layer: layer.name } });
    }
    const g = `${a}.${quoteId(layer.geometryColumn)}`;
    if (layer.spatialIndex && layer.primaryKey) {
      parts.push(`${a}.${quoteId(layer.primaryKey)} IN (SELECT id FROM ${quoteId(rtreeName(layer.name, layer.geometryColumn))} WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?)`);
    } else {
      parts.push(`(${g} IS NOT NULL AND ST_MaxX(${g}) >= ? AND ST_MinX(${g}) <= ? AND ST_MaxY(${g}) >= ? AND ST_MinY(${g}) <= ?)`);
    }
    params.push(bbox.minX, bbox.maxX, bbox.minY, bbox.maxY);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** Converts a bbox filter to the layer's SRS (a WGS 84 box is projected corner by corner, densified). */
export function bboxInLayerSrs(db: Db, layer: GpkgLayer, bbox: BBoxFilter | undefined): Box | null {
  if (!bbox) return null;
  if (bbox.crs === 'layer') return bbox;
  const proj = layerProjector(db, layer);
  if (!proj) {
    throw new AppError('UNSUPPORTED', `Layer "${layer.name}" has an SRS (${layer.srsId}) that cannot be projected from WGS 84`, {
      key: 'errors.GPKG_SRS_NOT_PROJECTABLE',
      params: { layer: layer.name, srsId: layer.srsId },
    });
  }
  return lonLatBoxToLayer(proj, { west: bbox.minX, south: bbox.minY, east: bbox.maxX, north: bbox.maxY });
}

/** How rows of a layer are identified and ordered: its integer key, else the rowid (tables), else nothing (views). */
function rowKey(layer: GpkgLayer): string | null {
  if (layer.primaryKey) return quoteId(layer.primaryKey);
  return layer.isView ? null : 'rowid';
}

export interface RowsOptions {
  offset: number;
  limit: number;
  filter: readonly RowFilter[];
  bbox?: BBoxFilter | undefined;
  geometry: 'none' | 'summary' | 'geojson';
  count: boolean;
}

/** One page of a layer's rows, in key order, for a virtualised attribute table. */
export function readRows(src: GpkgSource, layerName: string, opts: RowsOptions): RowsPage {
  const db = src.db;
  const layer = describeLayerByName(src, layerName);
  const box = bboxInLayerSrs(db, layer, opts.bbox);
  const where = whereClause(layer, opts.filter, box);
  const key = rowKey(layer);
  const geomCol = layer.geometryColumn;
  const columns = layer.columns.filter((c) => c.name !== geomCol);
  const select = [key ? `t.${key} AS "__fid"` : 'NULL AS "__fid"', ...columns.map((c) => `t.${quoteId(c.name)}`)];
  if (geomCol && opts.geometry !== 'none') select.push(`t.${quoteId(geomCol)} AS "__geom"`);
  const sql = `SELECT ${select.join(', ')} FROM ${quoteId(layer.name)} t ${where.sql} ${key ? `ORDER BY t.${key}` : ''} LIMIT ? OFFSET ?`;
  const stmt = db.prepare(sql).raw(true).safeIntegers(true);
  const rows: Row[] = (stmt.all(...where.params, opts.limit, opts.offset) as unknown[][]).map((r) => {
    const values: Record<string, CellValue> = {};
    columns.forEach((c, i) => (values[c.name] = cellValue(r[i + 1])));
    const fid = cellValue(r[0]);
    return {
      fid: typeof fid === 'number' ? fid : null,
      values,
      geometry: geomCol && opts.geometry !== 'none' ? geometryCell(r[columns.length + 1], opts.geometry === 'geojson') : null,
    };
  });
  const total = opts.count ? (db.prepare(`SELECT count(*) AS n FROM ${quoteId(layer.name)} t ${where.sql}`).get(...where.params) as { n: number }).n : null;
  return { layer: layer.name, columns, geometryColumn: geomCol, offset: opts.offset, total, rows };
}

/** One feature by fid: attributes, GeoJSON geometry, and its WGS 84 bbox for "zoom to". */
export function readFeature(src: GpkgSource, layerName: string, fid: number): FeatureDetail {
  const db = src.db;
  const layer = describeLayerByName(src, layerName);
  const key = rowKey(layer);
  if (!key) {
    throw new AppError('UNSUPPORTED', `Layer "${layer.name}" is a view without an integer key: its rows cannot be addressed by fid`, {
      key: 'errors.GPKG_NO_FID',
      params: { layer: layer.name },
    });
  }
  const row = db.prepare(`SELECT * FROM ${quoteId(layer.name)} WHERE ${key} = ?`).safeIntegers(true).get(fid) as Record<string, unknown> | undefined;
  if (!row) throw new AppError('NOT_FOUND', `Layer "${layer.name}" has no feature ${fid}`, { key: 'errors.GPKG_NO_FEATURE', params: { layer: layer.name, fid }, where: `${layer.name} #${fid}` });
  const values: Record<string, CellValue> = {};
  for (const c of layer.columns) if (c.name !== layer.geometryColumn) values[c.name] = cellValue(row[c.name]);
  const geometry = layer.geometryColumn ? geometryCell(row[layer.geometryColumn], true) : null;
  let bboxWgs84: FeatureDetail['bboxWgs84'] = null;
  if (geometry?.bbox) {
    const proj = layerProjector(db, layer);
    if (proj) {
      const [x0, y0, x1, y1] = geometry.bbox;
      const a = proj.toLonLat(x0, y0);
      const b = proj.toLonLat(x1, y1);
      const c = proj.toLonLat(x0, y1);
      const d = proj.toLonLat(x1, y0);
      const lons = [a[0], b[0], c[0], d[0]];
      const lats = [a[1], b[1], c[1], d[1]];
      bboxWgs84 = [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
    }
  }
  return { layer: layer.name, fid, values, geometry, bboxWgs84 };
}

/** A feature as streamed from a layer: key, attribute values in column order, raw geometry blob. */
export interface RawFeature {
  fid: number | null;
  values: unknown[];
  geometry: Uint8Array | null;
}

/**
 * Streams a layer's rows in batches (filter and bbox as in {@link readRows}); values are
 * raw SQLite values (BigInt for integers, so 64-bit values survive).
 */
export function* iterateFeatures(
  src: GpkgSource,
  layer: GpkgLayer,
  opts: { filter?: readonly RowFilter[]; bbox?: Box | null } = {},
): Generator<RawFeature> {
  const db = src.db;
  const where = whereClause(layer, opts.filter ?? [], opts.bbox ?? null);
  const key = rowKey(layer);
  const geomCol = layer.geometryColumn;
  const columns = layer.columns.filter((c) => c.name !== geomCol && c.name !== layer.primaryKey);
  const select = [key ? `t.${key}` : 'NULL', geomCol ? `t.${quoteId(geomCol)}` : 'NULL', ...columns.map((c) => `t.${quoteId(c.name)}`)];
  const stmt = db.prepare(`SELECT ${select.join(', ')} FROM ${quoteId(layer.name)} t ${where.sql}`).raw(true).safeIntegers(needsBigInts(db, layer, columns, where));
  for (const r of stmt.iterate(...where.params) as IterableIterator<unknown[]>) {
    const fid = r[0];
    const g = r[1];
    yield { fid: typeof fid === 'bigint' || typeof fid === 'number' ? Number(fid) : null, geometry: g instanceof Uint8Array ? g : null, values: r.slice(2) };
  }
}

/**
 * Whether a layer holds integers beyond ±2^53, which only BigInt keeps exact. One scan of
 * min/max is much cheaper than a BigInt for every integer of every row.
 */
function needsBigInts(db: Db, layer: GpkgLayer, columns: GpkgLayer['columns'], where: { sql: string; params: unknown[] }): boolean {
  const ints = columns.filter((c) => /INT/.test(c.type) || c.type === '');
  if (ints.length === 0) return false;
  // Over the same rows as the read (a bbox read scans only its box).
  const sql = `SELECT ${ints.map((c) => `min(t.${quoteId(c.name)}), max(t.${quoteId(c.name)})`).join(', ')} FROM ${quoteId(layer.name)} t ${where.sql}`;
  const row = db.prepare(sql).raw(true).safeIntegers(true).get(...where.params) as unknown[];
  return row.some((v) => typeof v === 'bigint' && (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)));
}

/** The attribute columns {@link iterateFeatures} yields, in order. */
export function featureColumns(layer: GpkgLayer): GpkgLayer['columns'] {
  return layer.columns.filter((c) => c.name !== layer.geometryColumn && c.name !== layer.primaryKey);
}

export type { Envelope };
