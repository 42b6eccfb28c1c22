import type Database from 'better-sqlite3';
import type { GpkgLayer, ValidationReport } from '../../../../shared/contract/index.js';
import {
  CURVE_TYPE_NAMES,
  GEOMETRY_TYPE_NAMES,
  hasObject,
  readContents,
  readExtensions,
  readGeometryColumns,
  readSrs,
  rtreeName,
  schemaObjects,
} from '../catalog.js';
import { gdal, type Gdal } from '../gdal.js';
import { decodeGpkg } from '../geometry/gpkg-binary.js';
import { hasCurves, linearize } from '../geometry/linearize.js';
import { encodeWkb } from '../geometry/wkb.js';
import { isAssignable, isEmptyGeometry, type Geometry, type Position } from '../geometry/model.js';
import { quoteId } from '../identifiers.js';
import { describeLayerByName, unregisteredObjects } from '../inspect.js';
import type { GpkgSource } from '../source.js';
import { FindingCollector } from './findings.js';
import { identifierProblem } from './identifiers.js';
import { GEOMETRY_RULES, RULES, ruleInfos, type RuleId } from './rules.js';

type Db = Database.Database;

/** Options of a validation run. */
export interface ValidateOptions {
  /** Decode every geometry (types, dimensions, SRS, empty/NULL, GEOS validity). */
  geometry: boolean;
  maxPerRule: number;
}

/** What a validation reports as it goes, and how it is cancelled. */
export interface ValidateHooks {
  checkpoint(): Promise<void>;
  progress(done: number, total: number | null, message: string): void;
}

const NO_HOOKS: ValidateHooks = { checkpoint: async () => {}, progress: () => {} };

// Table 1 of the spec: the data types a GeoPackage column may be declared with.
const DATA_TYPE = /^(BOOLEAN|TINYINT|SMALLINT|MEDIUMINT|INT|INTEGER|FLOAT|DOUBLE|REAL|DATE|DATETIME|TEXT(\s*\(\s*\d+\s*\))?|BLOB(\s*\(\s*\d+\s*\))?)$/;
const INT_MAX = 2147483647;
const LAST_CHANGE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

/** Signed area of a ring (positive when counter-clockwise, x right / y up). */
function ringArea(ring: readonly Position[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const p = ring[i] as Position;
    const q = ring[j] as Position;
    a += ((q[0] as number) - (p[0] as number)) * ((q[1] as number) + (p[1] as number));
  }
  return a / 2;
}

/** True when a (multi)polygon's exterior rings turn clockwise or its holes counter-clockwise. */
function badOrientation(g: Geometry): boolean {
  if (g.type === 'Polygon') return g.coordinates.some((ring, i) => (i === 0 ? ringArea(ring) < 0 : ringArea(ring) > 0));
  if (g.type === 'MultiPolygon') return g.geometries.some(badOrientation);
  return false;
}

const POLYGONAL = new Set(['Polygon', 'MultiPolygon', 'CurvePolygon', 'MultiSurface']);
const LINEAL = new Set(['LineString', 'MultiLineString']);

/** Structural checks on a feature or attributes layer (no row read but counts). */
function checkLayerStructure(db: Db, layer: GpkgLayer, extensions: ReturnType<typeof readExtensions>, out: FindingCollector): void {
  const t = layer.name;
  const problem = identifierProblem(t);
  if (problem) out.add('identifier', { table: t }, { kind: 'table', name: t, reason: problem });
  if (layer.isView) return;
  if (!layer.primaryKey) out.add('primary-key', { table: t });
  for (const c of layer.columns) {
    const cp = identifierProblem(c.name);
    if (cp) out.add('identifier', { table: t, column: c.name }, { kind: 'column', name: c.name, reason: cp });
    if (c.name === layer.geometryColumn) continue;
    const type = c.type.trim();
    const width = /^TEXT\s*\(\s*(\d+)\s*\)$/.exec(type)?.[1];
    if (width !== undefined && Number(width) >= INT_MAX) out.add('column-type', { table: t, column: c.name }, { column: c.name, type, width: Number(width) });
    else if (!DATA_TYPE.test(type) && !GEOMETRY_TYPE_NAMES.has(type)) out.add('column-type', { table: t, column: c.name }, { column: c.name, type, width: null });
  }
  if (layer.kind !== 'features') return;
  if (layer.srsId !== null && (layer.srsId === 0 || layer.srsId === -1) && layer.geometryColumn) out.add('srs-undefined', { table: t }, { srsId: layer.srsId });
  const type = layer.geometryType;
  if (type && layer.geometryColumn) {
    if (CURVE_TYPE_NAMES.has(type)) {
      out.add('curve-type', { table: t }, { type });
      const registered = extensions.some((e) => e.name.toLowerCase() === `gpkg_geom_${type.toLowerCase()}` && (e.table ?? '').toLowerCase() === t.toLowerCase());
      if (!registered) out.add('curve-extension', { table: t, column: layer.geometryColumn }, { type });
    }
    if (!layer.spatialIndex) out.add('rtree-missing', { table: t, column: layer.geometryColumn });
    else {
      const base = rtreeName(t, layer.geometryColumn);
      // GeoPackage ≤ 1.3 has update1; 1.4 replaces it with update6 + update7: either set will do.
      const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ? ESCAPE '\\'").all(`${base.replace(/[\\%_]/g, (m) => `\\${m}`)}\\_%`) as Array<{ name: string }>;
      const have = new Set(names.map((n) => n.name.slice(base.length + 1)));
      const needed = ['insert', 'update2', 'update3', 'update4', 'delete'];
      if (!have.has('update1') && !(have.has('update6') && have.has('update7'))) needed.push('update1');
      const missing = needed.filter((n) => !have.has(n) && !(n === 'update3' && have.has('update5')));
      if (missing.length > 0) out.add('rtree-triggers', { table: t, column: layer.geometryColumn }, { missing: missing.map((m) => `${base}_${m}`).join(', ') });
    }
  }
}

interface GeometryTally {
  nonEmpty: number;
  /** Blobs we could not decode: the rtree may or may not list them. */
  undecodable: number;
}

/** Decodes every geometry of a feature layer and reports per-row problems. */
async function checkGeometries(db: Db, layer: GpkgLayer, g: Gdal | null, out: FindingCollector, hooks: ValidateHooks, progress: { done: number; total: number }): Promise<GeometryTally> {
  const t = layer.name;
  const col = layer.geometryColumn as string;
  const declared = (layer.geometryType ?? 'GEOMETRY').toUpperCase();
  const key = layer.primaryKey ? quoteId(layer.primaryKey) : layer.isView ? 'NULL' : 'rowid';
  const stmt = db.prepare(`SELECT ${key}, ${quoteId(col)} FROM ${quoteId(t)}`).raw(true);
  let n = 0;
  let nonEmpty = 0;
  let undecodable = 0;
  for (const row of stmt.iterate() as IterableIterator<[number | null, unknown]>) {
    if (++n % 500 === 0) {
      progress.done += 500;
      hooks.progress(progress.done, progress.total, `${t}`);
      await hooks.checkpoint();
    }
    const fid = typeof row[0] === 'number' ? row[0] : null;
    const blob = row[1];
    if (blob === null || blob === undefined) {
      out.addRow('geometry-null', t, fid);
      continue;
    }
    if (!(blob instanceof Uint8Array)) {
      out.addRow('geometry-blob', t, fid, { detail: `the column holds a ${typeof blob}, not a BLOB` });
      continue;
    }
    let header: ReturnType<typeof decodeGpkg>['header'];
    let geom: Geometry;
    try {
      ({ header, geometry: geom } = decodeGpkg(blob));
    } catch (e) {
      out.addRow('geometry-blob', t, fid, { detail: e instanceof Error ? e.message : String(e) });
      undecodable++;
      continue;
    }
    if (layer.srsId !== null && header.srsId !== layer.srsId) out.addRow('geometry-srs', t, fid, { actual: header.srsId, declared: layer.srsId });
    const actual = geom.type.toUpperCase();
    if (!isAssignable(declared, actual)) out.addRow('geometry-type', t, fid, { actual, declared });
    if (layer.z === 0 && geom.hasZ) out.addRow('geometry-dimension', t, fid, { dim: 'Z', has: true });
    if (layer.z === 1 && !geom.hasZ) out.addRow('geometry-dimension', t, fid, { dim: 'Z', has: false });
    if (layer.m === 0 && geom.hasM) out.addRow('geometry-dimension', t, fid, { dim: 'M', has: true });
    if (layer.m === 1 && !geom.hasM) out.addRow('geometry-dimension', t, fid, { dim: 'M', has: false });
    if (header.empty || isEmptyGeometry(geom)) {
      out.addRow('geometry-empty', t, fid, { type: actual });
      continue;
    }
    nonEmpty++;
    if (badOrientation(geom)) out.addRow('ring-orientation', t, fid);
    if (g && (POLYGONAL.has(geom.type) || LINEAL.has(geom.type))) {
      try {
        // gdal-async wraps no CurvePolygon/MultiSurface: curves go to GEOS linearised (GEOS linearises them anyway).
        const wkb = hasCurves(geom) ? Buffer.from(encodeWkb(linearize(geom))) : Buffer.from(blob.buffer, blob.byteOffset + header.wkbOffset, blob.byteLength - header.wkbOffset);
        const og = g.Geometry.fromWKB(wkb);
        if (POLYGONAL.has(geom.type) && !og.isValid()) out.addRow('geometry-invalid', t, fid, { type: actual });
        if (LINEAL.has(geom.type) && !og.isSimple()) out.addRow('geometry-not-simple', t, fid, { type: actual });
      } catch (e) {
        out.addRow('geometry-blob', t, fid, { detail: `GEOS cannot read it: ${e instanceof Error ? e.message : String(e)}` });
      }
    }
  }
  progress.done += n % 500;
  return { nonEmpty, undecodable };
}

/** Compares an rtree with the layer's geometries: row count, dangling ids, boxes that do not contain their geometry. */
function checkRtree(db: Db, layer: GpkgLayer, tally: GeometryTally | null, out: FindingCollector): void {
  if (!layer.spatialIndex || !layer.geometryColumn || !layer.primaryKey) return;
  const rt = quoteId(rtreeName(layer.name, layer.geometryColumn));
  const t = quoteId(layer.name);
  const pk = quoteId(layer.primaryKey);
  const g = quoteId(layer.geometryColumn);
  const where = { table: layer.name, column: layer.geometryColumn };
  try {
    const indexed = (db.prepare(`SELECT count(*) AS n FROM ${rt}`).get() as { n: number }).n;
    if (tally && (indexed < tally.nonEmpty || indexed > tally.nonEmpty + tally.undecodable)) {
      out.add('rtree-inconsistent', where, { detail: `it lists ${indexed} features, the layer has ${tally.nonEmpty} non-empty geometries` });
      return;
    }
    const dangling = (db.prepare(`SELECT count(*) AS n FROM ${rt} r WHERE NOT EXISTS (SELECT 1 FROM ${t} x WHERE x.${pk} = r.id)`).get() as { n: number }).n;
    if (dangling > 0) {
      out.add('rtree-inconsistent', where, { detail: `${dangling} entries point at deleted features` });
      return;
    }
    // The rtree stores 32-bit floats rounded outwards, so a box must contain its geometry's envelope.
    const eps = 'max(1e-9, abs(%) * 1e-6)';
    const off = (expr: string) => eps.replace('%', expr);
    const wrong = (
      db
        .prepare(
          `SELECT count(*) AS n FROM ${rt} r JOIN ${t} x ON x.${pk} = r.id
            WHERE r.minx > ST_MinX(x.${g}) + ${off(`ST_MinX(x.${g})`)} OR r.maxx < ST_MaxX(x.${g}) - ${off(`ST_MaxX(x.${g})`)}
               OR r.miny > ST_MinY(x.${g}) + ${off(`ST_MinY(x.${g})`)} OR r.maxy < ST_MaxY(x.${g}) - ${off(`ST_MaxY(x.${g})`)}`,
        )
        .get() as { n: number }
    ).n;
    if (wrong > 0) out.add('rtree-inconsistent', where, { detail: `${wrong} boxes do not contain their feature` });
  } catch (e) {
    out.add('rtree-inconsistent', where, { detail: `it cannot be read (${e instanceof Error ? e.message : String(e)})` });
  }
}

/**
 * Validates a GeoPackage: a conformance report modelled on the OGC GeoPackage
 * requirements and the PDOK validator's checks. Every finding says which rule, how
 * serious, where (table, column, fid), what it means and how to fix it.
 */
export async function validateGpkg(src: GpkgSource, opts: ValidateOptions, hooks: ValidateHooks = NO_HOOKS): Promise<ValidationReport> {
  const db = src.db;
  const out = new FindingCollector(opts.maxPerRule);
  const ran = new Set<RuleId>(Object.keys(RULES) as RuleId[]);
  if (!opts.geometry) for (const r of GEOMETRY_RULES) ran.delete(r);

  // The file itself.
  const base = src.path.split(/[\\/]/).pop() ?? src.path;
  if (!/\.gpkg$/i.test(base)) out.add('file-extension', {}, { name: base });
  if (!src.identity.applicationIdOk) out.add('application-id', {}, { applicationId: src.identity.applicationId });
  else if (src.identity.version === null) out.add('user-version', {}, { userVersion: src.identity.userVersion });
  let integrity: string[];
  try {
    integrity = db.prepare('PRAGMA integrity_check(100)').pluck().all() as string[];
  } catch (e) {
    // A broken virtual table (an rtree whose shadow tables are gone) makes the check itself fail.
    integrity = [e instanceof Error ? e.message : String(e)];
  }
  if (!(integrity.length === 1 && integrity[0] === 'ok')) for (const line of integrity) out.add('integrity', {}, { detail: line });
  const fk = db.prepare('PRAGMA foreign_key_check').all() as Array<{ table: string; rowid: number | null; parent: string }>;
  for (const v of fk) out.addRow('foreign-keys', v.table, v.rowid, { rowid: v.rowid, parent: v.parent });
  hooks.progress(0, null, 'structure');
  await hooks.checkpoint();

  // The GeoPackage tables.
  const srs = readSrs(db);
  if (srs === null) out.add('srs-table', { table: 'gpkg_spatial_ref_sys' });
  else {
    const ids = new Set(srs.map((s) => s.srsId));
    const missing = [-1, 0, 4326].filter((id) => !ids.has(id));
    if (missing.length > 0) out.add('srs-required-rows', { table: 'gpkg_spatial_ref_sys' }, { missing: missing.join(', ') });
  }
  const srsIds = new Set((srs ?? []).map((s) => s.srsId));
  const contents = readContents(db);
  if (contents === null) out.add('contents-table', { table: 'gpkg_contents' });
  const geoms = readGeometryColumns(db);
  const extensions = readExtensions(db);
  const all = schemaObjects(db);
  const objects = new Map(all.map((o) => [o.name.toLowerCase(), o]));
  const hasFeatures = (contents ?? []).some((c) => c.dataType.toLowerCase() === 'features');
  if (geoms === null && hasFeatures) out.add('geometry-columns-table', { table: 'gpkg_geometry_columns' });

  const layers: GpkgLayer[] = [];
  for (const c of contents ?? []) {
    const t = c.tableName;
    if (!objects.has(t.toLowerCase())) {
      out.add('contents-missing-table', { table: t });
      continue;
    }
    if (c.srsId !== null && srs !== null && !srsIds.has(c.srsId)) out.add('contents-srs', { table: t }, { srsId: c.srsId });
    if (c.lastChange !== null && !LAST_CHANGE.test(c.lastChange)) out.add('contents-last-change', { table: t }, { value: c.lastChange });
    const dataType = c.dataType.toLowerCase();
    if (dataType === 'tiles' || dataType === '2d-gridded-coverage') {
      const ok = hasObject(db, 'gpkg_tile_matrix_set') && db.prepare('SELECT 1 FROM gpkg_tile_matrix_set WHERE table_name = ?').get(t) !== undefined;
      if (!ok) out.add('tiles-matrix-set', { table: t });
      continue;
    }
    if (dataType !== 'features' && dataType !== 'attributes') continue;
    const gc = (geoms ?? []).find((g) => g.tableName.toLowerCase() === t.toLowerCase());
    if (dataType === 'features') {
      if (!gc) {
        if (geoms !== null) out.add('geometry-columns-missing', { table: t });
      } else {
        const upper = gc.geometryTypeName.toUpperCase();
        if (gc.geometryTypeName !== upper || !GEOMETRY_TYPE_NAMES.has(upper)) {
          out.add('geometry-type-name', { table: t, column: gc.columnName }, { value: gc.geometryTypeName, expected: GEOMETRY_TYPE_NAMES.has(upper) ? upper : '', known: GEOMETRY_TYPE_NAMES.has(upper) });
        }
        if (srs !== null && !srsIds.has(gc.srsId)) out.add('geometry-columns-srs', { table: t, column: gc.columnName }, { srsId: gc.srsId });
        if (![0, 1, 2].includes(gc.z) || ![0, 1, 2].includes(gc.m)) out.add('geometry-columns-zm', { table: t, column: gc.columnName }, { z: gc.z, m: gc.m });
      }
    }
    const layer = describeLayerByName(src, t);
    if (layer.geometryColumn && !layer.columns.some((col) => col.name.toLowerCase() === (layer.geometryColumn ?? '').toLowerCase())) {
      out.add('geometry-columns-column', { table: t, column: layer.geometryColumn }, { column: layer.geometryColumn });
      layer.geometryColumn = null;
    }
    checkLayerStructure(db, layer, extensions, out);
    layers.push(layer);
  }

  // Spatial indexes of no registered layer (left over after a layer was dropped or unregistered).
  const indexed = new Set(layers.filter((l) => l.geometryColumn).map((l) => rtreeName(l.name, l.geometryColumn as string).toLowerCase()));
  for (const o of all) {
    if (o.type === 'table' && /^create\s+virtual\s+table/i.test(o.sql ?? '') && /\busing\s+rtree/i.test(o.sql ?? '') && o.name.toLowerCase().startsWith('rtree_') && !indexed.has(o.name.toLowerCase())) {
      out.add('rtree-orphan', { table: o.name }, { name: o.name });
    }
  }
  for (const u of unregisteredObjects(all, contents ?? [], extensions)) out.add(u.type === 'view' ? 'view-unregistered' : 'table-unregistered', { table: u.name });
  const geomNames = new Set(layers.filter((l) => l.kind === 'features' && l.geometryColumn).map((l) => l.geometryColumn as string));
  if (geomNames.size > 1) out.add('geometry-column-name', {}, { names: [...geomNames].sort().join(', ') });

  // Counts, and every geometry.
  const counts = new Map<string, number>();
  for (const l of layers) counts.set(l.name, (db.prepare(`SELECT count(*) AS n FROM ${quoteId(l.name)}`).get() as { n: number }).n);
  for (const l of layers) {
    const n = counts.get(l.name) ?? 0;
    if (n === 0) out.add('layer-empty', { table: l.name });
    if (hasObject(db, 'gpkg_ogr_contents')) {
      const row = db.prepare('SELECT feature_count AS c FROM gpkg_ogr_contents WHERE lower(table_name) = lower(?)').get(l.name) as { c: number | null } | undefined;
      if (row && row.c !== null && row.c !== n) out.add('ogr-count', { table: l.name }, { cached: row.c, actual: n });
    }
  }
  const g = opts.geometry ? tryGdal() : null;
  if (opts.geometry && !g) {
    ran.delete('geometry-invalid');
    ran.delete('geometry-not-simple');
  }
  const progress = { done: 0, total: [...counts.values()].reduce((a, b) => a + b, 0) };
  for (const l of layers) {
    if (l.kind !== 'features' || !l.geometryColumn) continue;
    const tally = opts.geometry ? await checkGeometries(db, l, g, out, hooks, progress) : null;
    checkRtree(db, l, tally, out);
  }
  hooks.progress(progress.total, progress.total, 'done');

  const findings = out.finish();
  const summary = { errors: 0, warnings: 0, infos: 0 };
  for (const f of findings) {
    if (f.severity === 'error') summary.errors += f.count;
    else if (f.severity === 'warning') summary.warnings += f.count;
    else summary.infos += f.count;
  }
  return {
    path: src.path,
    version: src.identity.version,
    clean: summary.errors === 0 && summary.warnings === 0,
    summary,
    findings,
    rules: ruleInfos(ran),
  };
}

/** GDAL for the GEOS checks; null when it cannot be loaded (those two rules are then not run). */
function tryGdal(): Gdal | null {
  try {
    return gdal();
  } catch {
    return null;
  }
}
