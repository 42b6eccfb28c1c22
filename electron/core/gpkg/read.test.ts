import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpus, tempDir } from '../../../test/helpers/gpkg-fixtures.js';
import { isAppError } from '../errors.js';
import { gdal } from './gdal.js';
import { readFeature, readRows, type RowsOptions } from './read.js';
import { lonLatProjector } from './reproject.js';
import { withGpkgSource } from './source.js';
import { writeGpkg } from './write.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const page = (file: string, layer: string, o: Partial<RowsOptions> = {}) =>
  withGpkgSource(file, (src) => readRows(src, layer, { offset: 0, limit: 100, filter: [], geometry: 'summary', count: true, ...o }));

describe('paging a layer', () => {
  const belgium = corpus('ogc-ets__geonames_belgium.gpkg');

  it('pages in fid order with a total, and values of every type', () => {
    const p1 = page(belgium, 'hydrography', { limit: 50 });
    const p2 = page(belgium, 'hydrography', { limit: 50, offset: 50 });
    expect(p1.total).toBe(4652);
    expect(p1.rows).toHaveLength(50);
    const fids = [...p1.rows, ...p2.rows].map((r) => r.fid as number);
    expect(fids).toEqual([...fids].sort((a, b) => a - b));
    expect(new Set(fids).size).toBe(100);
    expect(p1.rows[0]?.geometry).toMatchObject({ type: 'Point', empty: false });
    // Non-ASCII values survive (FR/NL place names).
    expect(p1.rows.some((r) => Object.values(r.values).some((v) => typeof v === 'string' && /[^ -~]/.test(v)))).toBe(true);
  });

  it('filters on attributes (bound values) and on a box, with or without rtree', () => {
    const all = page(belgium, 'hydrography', { geometry: 'none', count: true, limit: 1 }).total as number;
    const box = { minX: 4, minY: 50, maxX: 5, maxY: 51, crs: 'layer' as const };
    const inBox = page(belgium, 'hydrography', { bbox: box, limit: 1000 });
    expect(inBox.total).toBeGreaterThan(0);
    expect(inBox.total).toBeLessThan(all);
    for (const r of inBox.rows) {
      const [x0, y0] = r.geometry?.bbox ?? [NaN, NaN];
      expect(x0).toBeGreaterThanOrEqual(4 - 1e-5);
      expect(y0).toBeLessThanOrEqual(51 + 1e-5);
    }
    // The sewer file has no rtree: the ST_* functions answer the same question.
    const sewer = page(corpus('ogc-ets__simple_sewer_features.gpkg'), 's_manhole', { bbox: { minX: 0, minY: 0, maxX: 1e7, maxY: 1e7, crs: 'layer' } });
    expect(sewer.total).toBe(69);
    const hostile = page(belgium, 'hydrography', { filter: [{ column: 'name', op: '=', value: "x' OR '1'='1" }] });
    expect(hostile.total).toBe(0);
    expect(() => page(belgium, 'hydrography', { filter: [{ column: 'nope"; DROP TABLE x; --', op: 'isNull' }] })).toThrow(/no column/);
  });

  it('names the layers when one is missing', () => {
    try {
      page(belgium, 'nope');
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e, 'NOT_FOUND')).toBe(true);
      expect((e as Error).message).toContain('hydrography');
    }
  });

  it('gives one feature with its GeoJSON, and a WGS 84 box to zoom to (layer in EPSG:28992)', () => {
    const f = withGpkgSource(corpus('pdok__test_allcorrect.gpkg'), (src) => readFeature(src, 'test_allcorrect', 1));
    expect(f.geometry?.type).toBe('Polygon');
    expect((f.geometry?.geojson as { type: string }).type).toBe('Polygon');
    // The same corner through PROJ (GDAL). proj4js applies the WKT's TOWGS84 where PROJ picks
    // EPSG's preferred datum shift, and this file's coordinates lie far outside the RD domain:
    // tens of metres apart, which is fine for zooming a map (conversions go through PROJ).
    const g = gdal();
    const ct = new g.CoordinateTransformation(g.SpatialReference.fromEPSG(28992), g.SpatialReference.fromEPSG(4326));
    const [x0, y0] = f.geometry?.bbox ?? [NaN, NaN];
    const sw = ct.transformPoint(x0, y0);
    const [w, s] = f.bboxWgs84 ?? [NaN, NaN];
    expect(Math.abs(w - sw.x)).toBeLessThan(1e-3);
    expect(Math.abs(s - sw.y)).toBeLessThan(1e-3);
  });

  it('linearises curves for GeoJSON', () => {
    const file = corpus('ogc-ets__gdal_sample_v1.2_spi_nonlinear_webp_elevation.gpkg');
    const f = withGpkgSource(file, (src) => readFeature(src, 'circularstring', 1));
    expect(f.geometry?.type).toBe('CircularString');
    const gj = f.geometry?.geojson as { type: string; coordinates: number[][] };
    expect(gj.type).toBe('LineString');
    // GDAL's own linearisation of the same arc (OGR_ARC_STEPSIZE 4°): same ends, about as many vertices, on the same circle.
    const g = gdal();
    const ds = g.open(file);
    g.vectorTranslate('/vsimem/linear.geojson', ds, ['-f', 'GeoJSON', '-nlt', 'CONVERT_TO_LINEAR', 'circularstring']).close();
    ds.close();
    const ref = JSON.parse(g.vsimem.release('/vsimem/linear.geojson').toString()) as { features: Array<{ geometry: { coordinates: number[][] } }> };
    const refCoords = ref.features[0]?.geometry.coordinates ?? [];
    const close = (a: number[] | undefined, b: number[] | undefined) => Math.hypot((a?.[0] ?? NaN) - (b?.[0] ?? NaN), (a?.[1] ?? NaN) - (b?.[1] ?? NaN));
    expect(close(gj.coordinates[0], refCoords[0])).toBeLessThan(1e-9);
    expect(close(gj.coordinates.at(-1), refCoords.at(-1))).toBeLessThan(1e-9);
    // Every vertex of ours lies on GDAL's polyline's circle: same distance to the arc's centre as GDAL's vertices.
    expect(refCoords.length).toBeGreaterThan(10);
    expect(Math.abs(gj.coordinates.length - refCoords.length)).toBeLessThanOrEqual(Math.max(3, refCoords.length * 0.25));
  });
});

describe('reprojection', () => {
  it('GDAL puts Paris (2.3522 E, 48.8566 N) at about (652469, 6862035) in Lambert-93: longitude first', () => {
    const g = gdal();
    const ct = new g.CoordinateTransformation(g.SpatialReference.fromEPSG(4326), g.SpatialReference.fromEPSG(2154));
    const p = ct.transformPoint(2.3522, 48.8566);
    expect(p.x).toBeCloseTo(652469, -1);
    expect(p.y).toBeCloseTo(6862035, -1);
  });

  it('the map projector (proj4js, from the WKT in the file) agrees with PROJ within a metre', () => {
    const wkt = gdal().SpatialReference.fromEPSG(2154).toWKT();
    const proj = lonLatProjector({ srsId: 2154, definition: wkt, epsg: 2154, undefinedSrs: false });
    expect(proj).not.toBeNull();
    const [x, y] = proj?.fromLonLat(2.3522, 48.8566) ?? [NaN, NaN];
    expect(Math.abs(x - 652469)).toBeLessThan(1);
    expect(Math.abs(y - 6862035)).toBeLessThan(1);
    const [lon, lat] = proj?.toLonLat(x, y) ?? [NaN, NaN];
    expect(lon).toBeCloseTo(2.3522, 7);
    expect(lat).toBeCloseTo(48.8566, 7);
    expect(lonLatProjector({ srsId: 0, definition: 'undefined', epsg: null, undefinedSrs: true })).toBeNull();
  });

  it('filters a Lambert-93 layer by a WGS 84 box', async () => {
    const path = join(tmp.dir, 'l93.gpkg');
    const srs = { srsId: 2154, name: 'RGF93 v1 / Lambert-93', organization: 'EPSG', organizationCode: 2154, definition: gdal().SpatialReference.fromEPSG(2154).toWKT() };
    await writeGpkg(path, [{ spec: { name: 'pts', geometryType: 'POINT', srs, columns: [] }, features: [
      { geometry: { type: 'Point', hasZ: false, hasM: false, coordinates: [652469, 6862035] }, values: [] },
      { geometry: { type: 'Point', hasZ: false, hasM: false, coordinates: [950000, 6420000] }, values: [] },
    ] }], { mode: 'create' });
    const p = page(path, 'pts', { bbox: { minX: 2, minY: 48.5, maxX: 2.6, maxY: 49, crs: 'wgs84' } });
    expect(p.rows.map((r) => r.fid)).toEqual([1]);
  });
});
