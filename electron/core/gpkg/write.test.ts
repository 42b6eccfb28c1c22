import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listing, sha256, tempDir } from '../../../test/helpers/gpkg-fixtures.js';
import { isAppError } from '../errors.js';
import { gdal } from './gdal.js';
import type { Geometry } from './geometry/model.js';
import { inspectGpkg } from './inspect.js';
import { readRows } from './read.js';
import { openGpkgSource, withGpkgSource } from './source.js';
import { validateGpkg } from './validate/validate.js';
import { writeGpkg, type SrsSpec, type WriteFeature } from './write.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const L93: SrsSpec = { srsId: 2154, name: 'RGF93 v1 / Lambert-93', organization: 'EPSG', organizationCode: 2154, definition: '' };

const pt = (x: number, y: number): Geometry => ({ type: 'Point', hasZ: false, hasM: false, coordinates: [x, y] });

// Realistic rows of a park's observations, including what breaks naive writers.
const FEATURES: WriteFeature[] = [
  { geometry: pt(952000.5, 6425000.25), values: ['Aquila chrysaetos', 2, '2024-06-01', 9007199254740993n, 1] },
  { geometry: pt(953100, 6426200), values: ['Rupicapra rupicapra « chamois »', 14, '2024-06-02', -9223372036854775808n, 0] },
  { geometry: null, values: ['Sans géométrie', null, null, null, null] },
  {
    geometry: { type: 'Polygon', hasZ: false, hasM: false, coordinates: [[[950000, 6420000], [951000, 6420000], [951000, 6421000], [950000, 6420000]]] },
    values: ['Zone', 1, '2024-07-14', 42n, 1],
  },
];

describe('the GeoPackage writer', async () => {
  L93.definition = gdal().SpatialReference.fromEPSG(2154).toWKT();
  const path = join(tmp.dir, 'observations été.gpkg');
  const layer = 'Relevés été 2024';
  await writeGpkg(path, [
    {
      spec: {
        name: layer,
        geometryType: 'GEOMETRY',
        srs: L93,
        columns: [
          { name: 'nom_cité', type: 'TEXT' },
          { name: 'effectif', type: 'INTEGER' },
          { name: 'date_min', type: 'DATE' },
          { name: 'id_64', type: 'INTEGER' },
          { name: 'valide', type: 'BOOLEAN' },
        ],
      },
      features: FEATURES,
    },
  ], { mode: 'create' });

  it('writes a file our validator finds clean (a layer in EPSG:2154, a non-ASCII name)', async () => {
    const src = openGpkgSource(path);
    try {
      const info = inspectGpkg(src);
      expect(info.version).toBe('1.3');
      const l = info.layers[0];
      expect(l).toMatchObject({ name: layer, srsId: 2154, count: 4, spatialIndex: true, geometryType: 'GEOMETRY' });
      expect(l?.extent).toMatchObject({ minX: 950000, maxX: 953100, minY: 6420000, maxY: 6426200 });
      const report = await validateGpkg(src, { geometry: true, maxPerRule: 10 });
      // The NULL geometry is a warning we meant to write; nothing else.
      expect(report.findings.filter((f) => f.rule !== 'geometry-null' && f.rule !== 'identifier')).toEqual([]);
    } finally {
      src.close();
    }
  });

  it('keeps 64-bit integers exact', () => {
    const page = withGpkgSource(path, (src) => readRows(src, layer, { offset: 0, limit: 10, filter: [], geometry: 'none', count: true }));
    expect(page.rows.map((r) => r.values.id_64)).toEqual(['9007199254740993', '-9223372036854775808', null, 42]);
  });

  it('GDAL reads back the same features (fid, attributes, geometry)', () => {
    const g = gdal();
    const ds = g.open(path);
    try {
      const l = ds.layers.get(layer);
      expect(l.srs?.getAuthorityCode(null)).toBe('2154');
      const got: Array<{ fid: number; name: unknown; n: unknown; wkt: string | null }> = [];
      l.features.forEach((f) => {
        got.push({ fid: f.fid, name: f.fields.get('nom_cité'), n: f.fields.get('effectif'), wkt: f.getGeometry()?.toWKT() ?? null });
      });
      expect(got).toEqual([
        { fid: 1, name: 'Aquila chrysaetos', n: 2, wkt: 'POINT (952000.5 6425000.25)' },
        { fid: 2, name: 'Rupicapra rupicapra « chamois »', n: 14, wkt: 'POINT (953100 6426200)' },
        { fid: 3, name: 'Sans géométrie', n: null, wkt: null },
        { fid: 4, name: 'Zone', n: 1, wkt: 'POLYGON ((950000 6420000,951000 6420000,951000 6421000,950000 6420000))' },
      ]);
      // GDAL's spatial filter goes through our rtree.
      l.setSpatialFilter(952500, 6425500, 954000, 6427000);
      expect(l.features.count()).toBe(1);
    } finally {
      ds.close();
    }
  });

  it('appends a layer atomically, and refuses a name already taken', async () => {
    await writeGpkg(path, [{ spec: { name: 'limites', geometryType: 'POINT', srs: L93, columns: [] }, features: [{ geometry: pt(1, 2), values: [] }] }], { mode: 'append' });
    expect(withGpkgSource(path, inspectGpkg).layers.map((l) => l.name).sort()).toEqual(['Relevés été 2024', 'limites']);
    const before = sha256(path);
    let err: unknown;
    try {
      await writeGpkg(path, [{ spec: { name: 'LIMITES', geometryType: 'POINT', srs: L93, columns: [] }, features: [] }], { mode: 'append' });
    } catch (e) {
      err = e;
    }
    expect(isAppError(err, 'CONFLICT')).toBe(true);
    expect(sha256(path)).toBe(before);
  });

  it('leaves the target untouched and no temporary file when writing fails midway', async () => {
    const target = join(tmp.dir, 'keep.gpkg');
    writeFileSync(target, 'previous content');
    const before = sha256(target);
    const files = listing(tmp.dir);
    async function* failing(): AsyncGenerator<WriteFeature> {
      yield { geometry: pt(1, 2), values: [] };
      throw new Error('disk full (simulated by the feature source)');
    }
    await expect(writeGpkg(target, [{ spec: { name: 't', geometryType: 'POINT', srs: L93, columns: [] }, features: failing() }], { mode: 'create', overwrite: true })).rejects.toThrow(/disk full/);
    expect(listing(tmp.dir)).toEqual(files);
    expect(sha256(target)).toBe(before);
    expect(readdirSync(tmp.dir).some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('quotes every identifier: hostile table and column names cannot inject SQL', async () => {
    const hostile = join(tmp.dir, 'hostile.gpkg');
    const names = ['0', 'a"b', `x"; DROP TABLE gpkg_contents; --`, 'n'.repeat(54), 'SELECT'];
    await writeGpkg(
      hostile,
      names.map((name) => ({
        spec: { name, geometryType: 'POINT', srs: L93, columns: [{ name: `col"${name}`, type: 'TEXT' }, { name: 'order', type: 'INTEGER' }] },
        features: [{ geometry: pt(900000, 6500000), values: [`v ${name}`, 1] }],
      })),
      { mode: 'create' },
    );
    const src = openGpkgSource(hostile);
    try {
      const info = inspectGpkg(src);
      expect(info.layers.map((l) => l.name).sort()).toEqual([...names].sort());
      for (const name of names) {
        const page = readRows(src, name, { offset: 0, limit: 5, filter: [{ column: `col"${name}`, op: '=', value: `v ${name}` }], bbox: { minX: 800000, minY: 6400000, maxX: 1000000, maxY: 6600000, crs: 'layer' }, geometry: 'summary', count: true });
        expect(page.total).toBe(1);
        expect(page.rows[0]?.values.order).toBe(1);
      }
      const report = await validateGpkg(src, { geometry: true, maxPerRule: 50 });
      expect(report.clean).toBe(true);
      expect(report.findings.filter((f) => f.rule === 'identifier').length).toBeGreaterThan(4);
    } finally {
      src.close();
    }
  });
});

describe('the packed rtree the writer builds', () => {
  it("passes SQLite's rtreecheck() and answers box queries exactly like a scan", async () => {
    const path = join(tmp.dir, 'rtree.gpkg');
    let s = 7;
    const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
    const features: WriteFeature[] = [];
    for (let i = 0; i < 20_000; i++) {
      // Coordinates that float32 cannot hold exactly, negative and positive, points and segments.
      const x = -5 + rnd() * 10.123456789;
      const y = 40 + rnd() * 9.987654321;
      features.push(i % 3 === 0 ? { geometry: { type: 'LineString', hasZ: false, hasM: false, coordinates: [[x, y], [x + rnd() * 0.01, y - rnd() * 0.01]] }, values: [] } : { geometry: pt(x, y), values: [] });
    }
    await writeGpkg(path, [{ spec: { name: 'mixed', geometryType: 'GEOMETRY', srs: { srsId: 4326, name: 'WGS 84', organization: 'EPSG', organizationCode: 4326, definition: gdal().SpatialReference.fromEPSG(4326).toWKT() }, columns: [] }, features }], { mode: 'create' });
    const src = openGpkgSource(path);
    try {
      expect(src.db.prepare("SELECT rtreecheck('rtree_mixed_geom') AS r").pluck().get()).toBe('ok');
      for (let q = 0; q < 50; q++) {
        const x0 = -5 + rnd() * 9;
        const y0 = 40 + rnd() * 9;
        const box = [x0, x0 + rnd(), y0, y0 + rnd()];
        const byIndex = src.db.prepare('SELECT count(*) FROM rtree_mixed_geom WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?').pluck().get(box[0], box[1], box[2], box[3]) as number;
        const byScan = src.db.prepare('SELECT count(*) FROM mixed WHERE ST_MaxX(geom) >= ? AND ST_MinX(geom) <= ? AND ST_MaxY(geom) >= ? AND ST_MinY(geom) <= ?').pluck().get(box[0], box[1], box[2], box[3]) as number;
        // The index may only over-select (float32 boxes are rounded outwards), by a hair.
        expect(byIndex).toBeGreaterThanOrEqual(byScan);
        expect(byIndex - byScan).toBeLessThanOrEqual(2);
      }
      const report = await validateGpkg(src, { geometry: true, maxPerRule: 5 });
      expect(report.findings.filter((f) => f.rule.startsWith('rtree'))).toEqual([]);
    } finally {
      src.close();
    }
  });
});
