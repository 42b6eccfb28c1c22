import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { ConvertReport, ConvertWarning } from '../../../../shared/contract/index.js';
import { AppError } from '../../errors.js';
import type { JobContext } from '../../jobs/context.js';
import { readSrs } from '../catalog.js';
import { gdal, gdalError, type Gdal } from '../gdal.js';
import { decodeWkb } from '../geometry/wkb.js';
import type { Geometry } from '../geometry/model.js';
import { describeLayerByName } from '../inspect.js';
import { featureColumns, iterateFeatures } from '../read.js';
import type { ColumnDef } from '../schema.js';
import { openGpkgSource, type GpkgSource } from '../source.js';
import type { ConvertTaskInput } from '../tasks.js';
import { writeGpkg, type LayerInput, type SrsSpec, type WriteFeature } from '../write.js';
import { FORMATS, formatForPath } from './formats.js';
import { loadSqlDump, prepareGdalSource } from './source.js';

type Dataset = ReturnType<Gdal['open']>;
type Layer = ReturnType<Dataset['layers']['get']>;
type SpatialReference = NonNullable<Layer['srs']>;

function warn(list: ConvertWarning[], key: string, layer: string | null, message: string, params: ConvertWarning['params'] = {}): void {
  list.push({ key: `gpkg.convert.${key}`, message, layer, params: { ...params, layer } });
}

function isGeoPackageFile(path: string): boolean {
  return /\.gpkg$/i.test(path);
}

/** The srs row to write for a GDAL SpatialReference: EPSG code when it has one, else a private id. */
function srsSpec(srs: SpatialReference | null, fallbackId: number): SrsSpec {
  if (!srs) return { srsId: 0, name: 'Undefined geographic SRS', organization: 'NONE', organizationCode: 0, definition: 'undefined' };
  let code: number | null = null;
  try {
    srs.autoIdentifyEPSG();
  } catch {
    // not identifiable: written as a custom SRS below
  }
  const auth = srs.getAuthorityName(null);
  const c = srs.getAuthorityCode(null);
  if (auth?.toUpperCase() === 'EPSG' && c) code = Number(c);
  const name = srs.getAttrValue(srs.isProjected() ? 'PROJCS' : 'GEOGCS') ?? 'Unknown';
  return code !== null
    ? { srsId: code, name, organization: 'EPSG', organizationCode: code, definition: srs.toWKT() }
    : { srsId: fallbackId, name, organization: 'NONE', organizationCode: fallbackId, definition: srs.toWKT() };
}

const FIELD_TYPES: Record<string, string> = {
  integer: 'INTEGER',
  integer64: 'INTEGER',
  real: 'REAL',
  string: 'TEXT',
  date: 'DATE',
  datetime: 'DATETIME',
  time: 'TEXT',
  binary: 'BLOB',
};

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** gdal-async returns dates as objects: GeoPackage stores ISO 8601 text. */
function fieldValue(v: unknown, type: string): unknown {
  if (v === null || v === undefined) return null;
  if ((type === 'date' || type === 'datetime') && typeof v === 'object') {
    const d = v as { year: number; month: number; day: number; hour?: number; minute?: number; second?: number };
    const date = `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
    if (type === 'date') return date;
    const sec = d.second ?? 0;
    return `${date}T${pad(d.hour ?? 0)}:${pad(d.minute ?? 0)}:${sec < 10 ? '0' : ''}${sec.toFixed(3)}Z`;
  }
  return v;
}

/** Reads a GDAL layer as features for our writer, reprojected when `ct` is given. */
async function* gdalFeatures(g: Gdal, layer: Layer, ct: InstanceType<Gdal['CoordinateTransformation']> | null, ctx: JobContext): AsyncGenerator<WriteFeature> {
  const names = layer.fields.getNames();
  const types = layer.fields.map((f) => f.type);
  let n = 0;
  for (let f = layer.features.first(); f; f = layer.features.next()) {
    let geometry: Geometry | null = null;
    const og = f.getGeometry();
    if (og) {
      if (ct) og.transform(ct);
      geometry = decodeWkb(og.toWKB(g.wkbNDR, g.wkbVariantIso)).geometry;
    }
    const values = names.map((name, i) => fieldValue(f.fields.get(name), types[i] as string));
    yield { fid: f.fid, geometry, values };
    if (++n % 1000 === 0) await ctx.checkpoint();
  }
}

/** Upper-case GeoPackage geometry type of a GDAL layer (wkbUnknown → GEOMETRY). */
function geometryTypeName(g: Gdal, layer: Layer): { type: string; z: 0 | 1 | 2; m: 0 | 1 | 2 } {
  const t = layer.geomType;
  const base = t & 0xff;
  const iso = t % 1000;
  const names: Record<number, string> = { 1: 'POINT', 2: 'LINESTRING', 3: 'POLYGON', 4: 'MULTIPOINT', 5: 'MULTILINESTRING', 6: 'MULTIPOLYGON', 7: 'GEOMETRYCOLLECTION', 8: 'CIRCULARSTRING', 9: 'COMPOUNDCURVE', 10: 'CURVEPOLYGON', 11: 'MULTICURVE', 12: 'MULTISURFACE' };
  const type = names[iso] ?? names[base] ?? 'GEOMETRY';
  const hasZ = (t & g.wkb25DBit) !== 0 || (t >= 1000 && t < 2000) || t >= 3000;
  const hasM = t >= 2000 && t < 4000;
  // GDAL reports a layer whose Z/M is optional (z = 2) as Z/M: declare it optional, not mandatory.
  return { type, z: hasZ ? 2 : 0, m: hasM ? 2 : 0 };
}

/** Source → GeoPackage through our writer (native copy for GeoPackage sources without reprojection). */
async function toGpkg(input: ConvertTaskInput, ctx: JobContext, warnings: ConvertWarning[]): Promise<ConvertReport['layers']> {
  const dump = /\.gpkg\.sql$/i.test(input.source) ? loadSqlDump(input.source) : null;
  if ((isGeoPackageFile(input.source) || dump) && !input.targetSrs) {
    try {
      const src = openGpkgSource(dump ? dump.path : input.source);
      try {
        return await nativeCopy(src, input, ctx, warnings);
      } finally {
        src.close();
      }
    } finally {
      dump?.cleanup();
    }
  }
  dump?.cleanup();
  const g = gdal();
  const prepared = prepareGdalSource(g, input.source, { csv: input.csv, sourceSrs: input.sourceSrs });
  let ds: Dataset | null = null;
  try {
    ds = g.open(prepared.path);
    const target = input.targetSrs ? g.SpatialReference.fromUserInput(input.targetSrs) : null;
    const layers: LayerInput[] = [];
    const wanted = input.layers ?? ds.layers.map((l) => l.name);
    const missing = wanted.filter((n) => !ds?.layers.map((l) => l.name).includes(n));
    if (missing.length) throw new AppError('NOT_FOUND', `${input.source} has no layer ${missing.join(', ')}`, { key: 'errors.GPKG_NO_LAYER', params: { path: input.source, layer: missing.join(', ') } });
    let privateId = 100000;
    const report: ConvertReport['layers'] = [];
    for (const name of wanted) {
      const layer = ds.layers.get(name);
      if (layer.geomType === g.wkbNone) {
        warn(warnings, 'skipped-attributes', name, `Layer "${name}" has no geometry: Passerelle writes feature layers only, so it was not converted.`);
        continue;
      }
      const ct = target && layer.srs && !layer.srs.isSame(target) ? new g.CoordinateTransformation(layer.srs, target) : null;
      if (target && !layer.srs) throw new AppError('INVALID_INPUT', `Layer "${name}" declares no coordinate system: give the source one (sourceSrs) before reprojecting`, { key: 'errors.CONVERT_NO_SOURCE_SRS', params: { layer: name } });
      const geomType = geometryTypeName(g, layer);
      const columns: ColumnDef[] = layer.fields.map((f) => ({ name: f.name, type: FIELD_TYPES[f.type] ?? 'TEXT' }));
      const srs = srsSpec(target ?? layer.srs, privateId++);
      layers.push({ spec: { name, geometryType: geomType.type, z: geomType.z, m: geomType.m, srs, columns }, features: gdalFeatures(g, layer, ct, ctx), total: layer.features.count() });
      report.push({ source: name, dest: name, features: 0, geometryType: geomType.type, srs: srs.organization === 'EPSG' ? `EPSG:${srs.organizationCode}` : srs.name });
    }
    if (layers.length === 0) {
      throw new AppError('UNSUPPORTED', `${input.source} has no layer with geometry to convert`, { key: 'errors.CONVERT_NOTHING', params: { path: input.source }, where: input.source });
    }
    const written = await writeGpkg(input.dest, layers, { mode: 'create', overwrite: input.overwrite }, { checkpoint: () => ctx.checkpoint(), progress: (d, t, m) => ctx.progress(d, t, m) });
    for (const r of report) r.features = written.find((w) => w.name === r.dest)?.features ?? 0;
    return report;
  } catch (e) {
    throw gdalError(e, input.source);
  } finally {
    ds?.close();
    prepared.cleanup();
  }
}

/** GeoPackage → GeoPackage without reprojection: blobs, fids and declared types are copied as they are. */
async function nativeCopy(src: GpkgSource, input: ConvertTaskInput, ctx: JobContext, warnings: ConvertWarning[]): Promise<ConvertReport['layers']> {
  const srsRows = readSrs(src.db) ?? [];
  const names = input.layers ?? (src.db.prepare("SELECT table_name AS t FROM gpkg_contents ORDER BY table_name").pluck().all() as string[]);
  const inputs: LayerInput[] = [];
  const report: ConvertReport['layers'] = [];
  for (const name of names) {
    const layer = describeLayerByName(src, name, { count: true });
    if (layer.kind !== 'features' || !layer.geometryColumn) {
      warn(warnings, 'skipped-layer', layer.name, `Layer "${layer.name}" (${layer.dataType}) is not a feature layer: it was not converted.`, { dataType: layer.dataType });
      continue;
    }
    const row = srsRows.find((s) => s.srsId === layer.srsId);
    const srs: SrsSpec = row
      ? { srsId: row.srsId, name: row.name, organization: row.organization, organizationCode: row.organizationCode, definition: row.definition, description: row.description }
      : { srsId: 0, name: 'Undefined geographic SRS', organization: 'NONE', organizationCode: 0, definition: 'undefined' };
    const cols = featureColumns(layer).map((c) => ({ name: c.name, type: c.type || 'TEXT' }));
    const z = (layer.z ?? 0) as 0 | 1 | 2;
    const m = (layer.m ?? 0) as 0 | 1 | 2;
    const keepFid = layer.primaryKey !== null;
    // Synchronous: the writer checkpoints (progress, cancel) every 1000 features itself.
    function* features(): Generator<WriteFeature> {
      for (const f of iterateFeatures(src, layer)) yield { fid: keepFid ? f.fid : null, geometry: f.geometry, values: f.values };
    }
    inputs.push({ spec: { name: layer.name, identifier: layer.identifier ?? layer.name, description: layer.description ?? '', geometryColumn: layer.geometryColumn, geometryType: layer.geometryType ?? 'GEOMETRY', srs, z, m, columns: cols }, features: features(), total: layer.count });
    report.push({ source: layer.name, dest: layer.name, features: 0, geometryType: layer.geometryType, srs: row?.epsg ? `EPSG:${row.epsg}` : (row?.name ?? null) });
  }
  if (inputs.length === 0) {
    throw new AppError('UNSUPPORTED', `${input.source} has no feature layer to convert (${warnings.map((w) => w.layer).join(', ') || 'no layers'}): tiles, coverages and attribute tables are not converted`, {
      key: 'errors.CONVERT_NOTHING',
      params: { path: input.source },
      where: input.source,
    });
  }
  const written = await writeGpkg(input.dest, inputs, { mode: 'create', overwrite: input.overwrite }, { checkpoint: () => ctx.checkpoint(), progress: (d, t, msg) => ctx.progress(d, t, msg) });
  for (const r of report) r.features = written.find((w) => w.name === r.dest)?.features ?? 0;
  return report;
}

/** Source → GeoJSON, Shapefile, CSV, FlatGeobuf or KML through GDAL's vectorTranslate, written atomically. */
async function viaGdal(input: ConvertTaskInput, format: Exclude<ConvertReport['format'], 'gpkg'>, ctx: JobContext, warnings: ConvertWarning[]): Promise<{ layers: ConvertReport['layers']; files: string[] }> {
  const g = gdal();
  const info = FORMATS[format];
  const prepared = prepareGdalSource(g, input.source, { csv: input.csv, sourceSrs: input.sourceSrs });
  let ds: Dataset | null = null;
  const work = mkdtempSync(join(dirname(input.dest), `.${basename(input.dest)}.`));
  try {
    ds = g.open(prepared.path);
    const all = ds.layers.map((l) => l.name);
    const wanted = input.layers ?? all.filter((n) => ds?.layers.get(n).geomType !== g.wkbNone);
    const missing = wanted.filter((n) => !all.includes(n));
    if (missing.length) throw new AppError('NOT_FOUND', `${input.source} has no layer ${missing.join(', ')}`, { key: 'errors.GPKG_NO_LAYER', params: { path: input.source, layer: missing.join(', ') } });
    if (wanted.length !== 1) {
      throw new AppError('UNSUPPORTED', `${format} holds one layer, and ${input.source} has ${wanted.length} (${wanted.join(', ')}): choose one with --layer`, {
        key: 'errors.CONVERT_ONE_LAYER',
        params: { format, layers: wanted.join(', ') },
      });
    }
    const name = wanted[0] as string;
    const layer = ds.layers.get(name);
    const geomType = geometryTypeName(g, layer);
    if (!info.curves && ['CIRCULARSTRING', 'COMPOUNDCURVE', 'CURVEPOLYGON', 'MULTICURVE', 'MULTISURFACE'].includes(geomType.type)) {
      warn(warnings, 'curves-linearised', name, `Layer "${name}" has curves (${geomType.type}): ${format} has none, so they were cut into straight segments.`, { type: geomType.type });
    }
    if (!info.measures && geomType.m) warn(warnings, 'm-dropped', name, `Layer "${name}" has M values: ${format} cannot store them, they were dropped.`);
    const srcSrs = layer.srs;
    const srcIs4326 = srcSrs === null || (srcSrs.getAuthorityName(null) === 'EPSG' && srcSrs.getAuthorityCode(null) === '4326');
    if (info.wgs84Only && !input.targetSrs && !srcIs4326) warn(warnings, 'reprojected-wgs84', name, `${format} is always in WGS 84 longitude/latitude: layer "${name}" was reprojected.`);
    if (info.wgs84Only && input.targetSrs && !/^(EPSG:4326|OGC:CRS84|CRS:84)$/i.test(input.targetSrs)) {
      throw new AppError('UNSUPPORTED', `${format} is always in WGS 84 longitude/latitude: it cannot be written in ${input.targetSrs}`, { key: 'errors.CONVERT_WGS84_ONLY', params: { format, srs: input.targetSrs } });
    }
    const datetimeFields = layer.fields.map((f) => f).filter((f) => f.type === 'datetime').map((f) => f.name);
    if (format === 'shapefile' && datetimeFields.length) warn(warnings, 'datetime-to-date', name, `Shapefile stores dates without time: the time of ${datetimeFields.join(', ')} was lost.`, { fields: datetimeFields.join(', ') });
    const sourceFields = layer.fields.getNames();
    const args = ['-f', info.driver, ...info.lco.flatMap((o) => ['-lco', o])];
    if (!info.curves) args.push('-nlt', 'CONVERT_TO_LINEAR');
    if (info.wgs84Only) args.push('-t_srs', 'EPSG:4326');
    else if (input.targetSrs) args.push('-t_srs', input.targetSrs);
    args.push(name);
    ctx.progress(0, null, name);
    const outName = basename(input.dest, extname(input.dest));
    const outPath = join(work, `${outName}${extname(input.dest)}`);
    (await g.vectorTranslateAsync(outPath, ds, args)).close();
    // Reopened once closed: some drivers (GeoJSON) only flush their features on close.
    const out = g.open(outPath);
    const outLayer = out.layers.get(0);
    const count = outLayer.features.count();
    const outFields = outLayer.fields.getNames();
    // Shapefile cuts names to 10 characters (and GDAL renames duplicates): say which, never silently.
    sourceFields.forEach((f, i) => {
      const to = outFields[i];
      if (to !== undefined && to !== f) warn(warnings, 'field-renamed', name, `Field "${f}" was renamed "${to}" (${format} limits field names).`, { from: f, to });
    });
    const outSrs = outLayer.srs;
    const srsText = outSrs ? `${outSrs.getAuthorityName(null) ?? ''}:${outSrs.getAuthorityCode(null) ?? ''}` : null;
    out.close();
    await ctx.checkpoint();
    // All files are complete: move them into place (each rename is atomic).
    const files: string[] = [];
    for (const f of readdirSync(work)) {
      const target = join(dirname(input.dest), f);
      if (existsSync(target) && !input.overwrite) {
        throw new AppError('CONFLICT', `${target} already exists`, { key: 'errors.FILE_EXISTS', params: { path: target }, where: target });
      }
      files.push(target);
    }
    for (const f of readdirSync(work)) renameSync(join(work, f), join(dirname(input.dest), f));
    return {
      files,
      layers: [{ source: name, dest: outName, features: count, geometryType: geomType.type, srs: srsText }],
    };
  } catch (e) {
    throw gdalError(e, input.source);
  } finally {
    ds?.close();
    prepared.cleanup();
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Converts between GeoPackage, GeoJSON, Shapefile, CSV, FlatGeobuf and KML (the
 * `gpkg.convert` job), with reprojection. GeoPackages are written by our own writer (so
 * they pass our validator); other formats by GDAL. Whatever a format cannot keep (field
 * names, curves, M, time of day) is reported as a warning, never lost silently.
 */
export async function convertTask(input: ConvertTaskInput, ctx: JobContext): Promise<ConvertReport> {
  await ctx.checkpoint();
  const format = input.format ?? formatForPath(input.dest);
  if (existsSync(input.dest) && !input.overwrite) {
    throw new AppError('CONFLICT', `${input.dest} already exists (use overwrite to replace it)`, { key: 'errors.FILE_EXISTS', params: { path: input.dest }, where: input.dest });
  }
  if (input.source === input.dest) throw new AppError('INVALID_INPUT', 'The source and the destination are the same file', { key: 'errors.CONVERT_SAME_FILE' });
  const warnings: ConvertWarning[] = [];
  if (format === 'gpkg') {
    const layers = await toGpkg(input, ctx, warnings);
    return { source: input.source, dest: input.dest, format, files: [input.dest], layers, warnings };
  }
  const { layers, files } = await viaGdal(input, format, ctx, warnings);
  return { source: input.source, dest: input.dest, format, files, layers, warnings };
}
