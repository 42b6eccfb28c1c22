import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { corpus, listing, sha256, tempDir } from '../../../../test/helpers/gpkg-fixtures.js';
import { isAppError } from '../../errors.js';
import { createJobContext } from '../../jobs/context.js';
import { gdal } from '../gdal.js';
import { openGpkgSource } from '../source.js';
import type { ConvertTaskInput } from '../tasks.js';
import { validateGpkg } from '../validate/validate.js';
import { convertTask } from './convert.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const ctx = (signal = new AbortController().signal) => createJobContext('test', signal, () => {});
const convert = (source: string, dest: string, more: Partial<ConvertTaskInput> = {}) => convertTask({ source, dest, overwrite: false, ...more }, ctx());

async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return isAppError(e) ? e.code : `not an AppError: ${String(e)}`;
  }
  return 'no error';
}

describe('gpkg.convert', () => {
  const sewer = corpus('ogc-ets__simple_sewer_features.gpkg');

  it('GeoPackage → Shapefile: .cpg and .prj written, truncated field names reported', async () => {
    const before = sha256(sewer);
    const r = await convert(sewer, join(tmp.dir, 'regards.shp'), { layers: ['s_manhole'] });
    expect(r.files.map((f) => f.slice(-4)).sort()).toEqual(['.cpg', '.dbf', '.prj', '.shp', '.shx']);
    expect(readFileSync(join(tmp.dir, 'regards.cpg'), 'utf8')).toMatch(/UTF-8/);
    expect(r.layers[0]?.features).toBe(69);
    const renamed = r.warnings.filter((w) => w.key === 'gpkg.convert.field-renamed');
    expect(renamed.map((w) => w.params.from)).toContain('date_constructed');
    expect(renamed.every((w) => String(w.params.to).length <= 10)).toBe(true);
    expect(sha256(sewer)).toBe(before);
  });

  it('GeoPackage (EPSG:27700) → GeoJSON: reprojected to WGS 84 and said so', async () => {
    const out = join(tmp.dir, 'regards.geojson');
    const r = await convert(sewer, out, { layers: ['s_manhole'] });
    expect(r.warnings.map((w) => w.key)).toContain('gpkg.convert.reprojected-wgs84');
    const gj = JSON.parse(readFileSync(out, 'utf8')) as { features: Array<{ geometry: { coordinates: number[] } }> };
    expect(gj.features).toHaveLength(69);
    const [lon, lat] = gj.features[0]?.geometry.coordinates ?? [];
    expect(lon).toBeGreaterThan(-8);
    expect(lon).toBeLessThan(2);
    expect(lat).toBeGreaterThan(49);
    expect(lat).toBeLessThan(61);
  });

  it('GeoPackage → GeoPackage in EPSG:2154: our writer, clean for our validator, GDAL reads it', async () => {
    const out = join(tmp.dir, 'sewer-l93.gpkg');
    const r = await convert(sewer, out, { targetSrs: 'EPSG:2154' });
    expect(r.layers.map((l) => [l.dest, l.features, l.srs])).toEqual(expect.arrayContaining([['s_manhole', 69, 'EPSG:2154']]));
    const src = openGpkgSource(out);
    const report = await validateGpkg(src, { geometry: true, maxPerRule: 5 }).finally(() => src.close());
    expect(report.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    const g = gdal();
    const ds = g.open(out);
    expect(ds.layers.get('foul_sewer').features.count()).toBe(82);
    ds.close();
  });

  it('a CSV with lon/lat columns → GeoPackage, accents kept', async () => {
    const csv = join(tmp.dir, 'relevés.csv');
    writeFileSync(csv, 'id,espèce,lon,lat\n1,Bouquetin des Alpes,6.3,44.9\n2,Chamois,6.4,45.0\n');
    const out = join(tmp.dir, 'releves.gpkg');
    const r = await convert(csv, out);
    expect(r.layers[0]?.features).toBe(2);
    const ds = gdal().open(out);
    const f = ds.layers.get(0).features.get(1);
    expect(f.fields.get('espèce')).toBe('Bouquetin des Alpes');
    expect(f.getGeometry()?.toWKT()).toBe('POINT (6.3 44.9)');
    ds.close();
  });

  it('GDAL SQL dumps: poly converts, a tiles-only dump is refused (nothing would be written)', async () => {
    const r = await convert(corpus('gdal__poly.gpkg.sql'), join(tmp.dir, 'poly.gpkg'));
    expect(r.layers).toEqual([expect.objectContaining({ dest: 'poly', features: 1 })]);
    expect(await errorCode(convert(corpus('gdal__byte.gpkg.sql'), join(tmp.dir, 'byte.gpkg')))).toBe('UNSUPPORTED');
    expect(existsSync(join(tmp.dir, 'byte.gpkg'))).toBe(false);
  });

  it('curves to Shapefile are linearised with a warning', async () => {
    const r = await convert(corpus('pyogrio__multisurface.gpkg'), join(tmp.dir, 'ms.shp'));
    expect(r.warnings.map((w) => w.key)).toContain('gpkg.convert.curves-linearised');
    expect(r.layers[0]?.features).toBe(1);
  });

  it('refuses what it cannot do without loss, and never overwrites by surprise', async () => {
    expect(await errorCode(convert(sewer, join(tmp.dir, 'three.geojson')))).toBe('UNSUPPORTED');
    expect(await errorCode(convert(sewer, join(tmp.dir, 'x.txt')))).toBe('UNSUPPORTED');
    expect(await errorCode(convert(sewer, join(tmp.dir, 'regards.geojson'), { layers: ['s_manhole'] }))).toBe('CONFLICT');
    expect(await errorCode(convert(sewer, join(tmp.dir, 'k.kml'), { layers: ['s_manhole'], targetSrs: 'EPSG:2154' }))).toBe('UNSUPPORTED');
    expect(await errorCode(convert(join(tmp.dir, 'absent.gpkg'), join(tmp.dir, 'y.gpkg')))).toBe('NOT_FOUND');
  });

  it('a cancelled conversion leaves nothing behind', async () => {
    const ac = new AbortController();
    ac.abort();
    const files = listing(tmp.dir);
    await expect(convertTask({ source: sewer, dest: join(tmp.dir, 'cancelled.gpkg'), overwrite: false }, ctx(ac.signal))).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(listing(tmp.dir)).toEqual(files);
  });

  it('a WAL-mode source is converted without a side file appearing next to it', async () => {
    const src = join(tmp.dir, 'wal-source.gpkg');
    copyFileSync(corpus('pdok__test_allcorrect.gpkg'), src);
    const db = new Database(src);
    db.pragma('journal_mode = WAL');
    db.close();
    const before = sha256(src);
    const files = listing(tmp.dir);
    await convert(src, join(tmp.dir, 'from-wal.geojson'));
    await convert(src, join(tmp.dir, 'from-wal.gpkg'));
    expect(listing(tmp.dir)).toEqual([...files, 'from-wal.geojson', 'from-wal.gpkg'].sort());
    expect(sha256(src)).toBe(before);
  });
});
