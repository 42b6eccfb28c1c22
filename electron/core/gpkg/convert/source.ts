import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { AppError } from '../../errors.js';
import type { Gdal } from '../gdal.js';
import { registerGpkgFunctions } from '../sql-functions.js';

/** A source path GDAL may open without touching the user's file, and how to clean up after. */
export interface GdalSource {
  path: string;
  cleanup(): void;
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';
const GDAL_SQL_DUMP = '-- SQL GPKG';

/**
 * A GDAL text dump of a GeoPackage ("-- SQL GPKG", GDAL's autotest format) loaded into a
 * private GeoPackage. GDAL opens these only in debug builds; plain SQLite fails on their
 * rtree statements because they call ST_MinX…, which we register.
 */
export function loadSqlDump(path: string): GdalSource {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-sqldump-'));
  const target = join(dir, `${basename(path).replace(/\.sql$/i, '').replace(/\.gpkg$/i, '')}.gpkg`);
  const db = new Database(target);
  try {
    registerGpkgFunctions(db);
    db.exec(readFileSync(path, 'utf8'));
  } catch (e) {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    throw new AppError('CORRUPT', `${path} is a GeoPackage SQL dump that SQLite cannot load: ${e instanceof Error ? e.message : String(e)}`, {
      key: 'errors.GPKG_SQL_DUMP_BROKEN',
      params: { path },
      where: path,
      cause: e,
    });
  }
  db.close();
  return { path: target, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const X_NAMES = /^(x|lon|long|lng|longitude|coord_?x)$/i;
const Y_NAMES = /^(y|lat|latitude|coord_?y)$/i;
const WKT_NAMES = /^(wkt|geom|geometry|the_geom|geom_wkt)$/i;

/**
 * Prepares a conversion source for GDAL.
 *
 * An SQLite file in WAL mode (or with a journal beside it) is copied to a private folder
 * first, for the reason `openReadOnly` gives: GDAL would otherwise create -wal/-shm next to
 * the user's file. A CSV gets an OGR VRT that tells GDAL which columns hold the geometry
 * (GDAL's open options cannot be passed through gdal-async's open()).
 */
export function prepareGdalSource(g: Gdal, path: string, opts: { csv?: { wkt?: string | undefined; x?: string | undefined; y?: string | undefined } | undefined; sourceSrs?: string | undefined }): GdalSource {
  if (!existsSync(path)) throw new AppError('NOT_FOUND', `No file at ${path}`, { key: 'errors.FILE_NOT_FOUND', params: { path }, where: path });
  if (statSync(path).isDirectory()) return { path, cleanup: () => {} };
  const head = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  const isSqlite = head.toString('latin1', 0, 16) === SQLITE_MAGIC;
  if (head.toString('latin1', 0, GDAL_SQL_DUMP.length) === GDAL_SQL_DUMP) return loadSqlDump(path);
  if (isSqlite && (head[18] === 2 || existsSync(`${path}-wal`) || existsSync(`${path}-journal`))) {
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-convert-'));
    const copy = join(dir, basename(path));
    copyFileSync(path, copy);
    for (const side of ['-wal', '-journal']) if (existsSync(path + side)) copyFileSync(path + side, copy + side);
    return { path: copy, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (/\.csv$/i.test(path)) {
    const ds = g.open(path);
    const fields = ds.layers.get(0).fields.getNames();
    ds.close();
    const wkt = opts.csv?.wkt ?? fields.find((f) => WKT_NAMES.test(f));
    const x = opts.csv?.x ?? fields.find((f) => X_NAMES.test(f));
    const y = opts.csv?.y ?? fields.find((f) => Y_NAMES.test(f));
    for (const named of [opts.csv?.wkt, opts.csv?.x, opts.csv?.y]) {
      if (named !== undefined && !fields.includes(named)) {
        throw new AppError('INVALID_INPUT', `${path} has no column "${named}" (columns: ${fields.join(', ')})`, { key: 'errors.CSV_NO_COLUMN', params: { path, column: named }, where: path });
      }
    }
    let geometry: string;
    if (opts.csv?.wkt !== undefined || (wkt !== undefined && !(opts.csv?.x && opts.csv?.y))) geometry = `<GeometryField encoding="WKT" field="${escapeXml(wkt as string)}"/>`;
    else if (x !== undefined && y !== undefined) geometry = `<GeometryField encoding="PointFromColumns" x="${escapeXml(x)}" y="${escapeXml(y)}"/>`;
    else {
      throw new AppError('UNSUPPORTED', `${path} has no geometry column Passerelle recognises (WKT, or lon/lat, x/y): name them with the csv option`, {
        key: 'errors.CSV_NO_GEOMETRY',
        params: { path, columns: fields.join(', ') },
        where: path,
      });
    }
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-csv-'));
    const layer = basename(path).replace(/\.csv$/i, '');
    const vrt = join(dir, `${layer}.vrt`);
    writeFileSync(
      vrt,
      `<OGRVRTDataSource><OGRVRTLayer name="${escapeXml(layer)}"><SrcDataSource relativeToVRT="0">${escapeXml(path)}</SrcDataSource>` +
        `<SrcLayer>${escapeXml(layer)}</SrcLayer>${geometry}<LayerSRS>${escapeXml(opts.sourceSrs ?? 'EPSG:4326')}</LayerSRS></OGRVRTLayer></OGRVRTDataSource>`,
    );
    return { path: vrt, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }
  return { path, cleanup: () => {} };
}
