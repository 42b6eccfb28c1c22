import { join } from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import Pbf from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus, tempDir } from '../../../test/helpers/gpkg-fixtures.js';
import { isAppError } from '../errors.js';
import { gdal } from '../gpkg/gdal.js';
import { writeGpkg, type WriteFeature } from '../gpkg/write.js';
import { gpkgMapSources } from './gpkg-layer.js';
import { renderTile } from './mvt.js';
import { SourceRegistry } from './sources.js';

const tmp = tempDir();
const reg = new SourceRegistry();
afterAll(() => {
  reg.closeAll();
  tmp.cleanup();
});

const N = 1_000_000;
const MAX_TILE_BYTES = 500 * 1024;

/** Lon/lat of tile (z, x, y)'s north-west corner. */
function tileOf(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
}

function decode(bytes: Uint8Array, layer: string) {
  const tile = new VectorTile(new Pbf(bytes));
  const l = tile.layers[layer];
  const features = [];
  for (let i = 0; i < (l?.length ?? 0); i++) features.push(l?.feature(i));
  return features.filter((f) => f !== undefined);
}

describe('vector tiles of a 1,000,000-point GeoPackage layer in Lambert-93', () => {
  const path = join(tmp.dir, 'observations.gpkg');
  let sourceId = '';

  beforeAll(async () => {
    const srs = { srsId: 2154, name: 'RGF93 v1 / Lambert-93', organization: 'EPSG', organizationCode: 2154, definition: gdal().SpatialReference.fromEPSG(2154).toWKT() };
    function* points(): Generator<WriteFeature> {
      let s = 42;
      const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
      // A square of 60 km in the Écrins, denser in its centre like real observations.
      for (let i = 0; i < N; i++) {
        const c = rnd() < 0.5 ? 0.3 : 1;
        yield { geometry: { type: 'Point', hasZ: false, hasM: false, coordinates: [960000 + (rnd() - 0.5) * 60000 * c, 6430000 + (rnd() - 0.5) * 60000 * c] }, values: [i % 500] };
      }
    }
    await writeGpkg(path, [{ spec: { name: 'observations', geometryType: 'POINT', srs, columns: [{ name: 'cd_nom', type: 'INTEGER' }] }, features: points() }], { mode: 'create' });
    sourceId = reg.register(path).id;
  }, 120_000);

  it('lists the layer for the map with a WGS 84 extent', () => {
    const s = gpkgMapSources(reg, reg.get(sourceId));
    expect(s.layers).toHaveLength(1);
    const l = s.layers[0];
    expect(l).toMatchObject({ layer: 'observations', tileLayer: 'gpkg:observations', geometryKind: 'point', count: N, drawable: true });
    expect(l?.extent?.minX).toBeGreaterThan(5.5);
    expect(l?.extent?.maxX).toBeLessThan(7);
    expect(l?.extent?.minY).toBeGreaterThan(44.4);
    expect(l?.extent?.maxY).toBeLessThan(45.3);
  });

  it('at low zoom, aggregates every point into small tiles whose counts add up', () => {
    for (const z of [0, 2, 4, 8]) {
      const [x, y] = tileOf(6.3, 44.85, z);
      const bytes = renderTile(reg, sourceId, 'gpkg:observations', z, x, y);
      expect(bytes.byteLength).toBeLessThan(MAX_TILE_BYTES);
      const features = decode(bytes, 'observations');
      expect(features.length).toBeGreaterThan(0);
      expect(features.length).toBeLessThanOrEqual(66 * 66);
      const total = features.reduce((a, f) => a + Number(f.properties.n), 0);
      // Up to zoom 4 the whole square fits in one tile; at zoom 8 it spans several.
      if (z <= 4) expect(total).toBe(N);
      else {
        expect(total).toBeGreaterThan(N / 10);
        expect(total).toBeLessThanOrEqual(N);
      }
    }
  });

  it('at high zoom, draws the real points with their fid', () => {
    const z = 15;
    const [x, y] = tileOf(6.3, 44.85, z);
    const bytes = renderTile(reg, sourceId, 'gpkg:observations', z, x, y);
    expect(bytes.byteLength).toBeLessThan(MAX_TILE_BYTES);
    const features = decode(bytes, 'observations');
    expect(features.length).toBeGreaterThan(0);
    for (const f of features) {
      expect(f.type).toBe(1);
      expect(Number(f.properties.fid)).toBeGreaterThan(0);
      const p = f.loadGeometry()[0]?.[0];
      // Inside the tile or its 64-unit buffer.
      expect(p?.x).toBeGreaterThanOrEqual(-64);
      expect(p?.x).toBeLessThanOrEqual(4096 + 64);
      expect(p?.y).toBeGreaterThanOrEqual(-64);
      expect(p?.y).toBeLessThanOrEqual(4096 + 64);
    }
  });

  it('an empty tile far away is a valid, tiny tile', () => {
    const bytes = renderTile(reg, sourceId, 'gpkg:observations', 10, 0, 0);
    expect(decode(bytes, 'observations')).toHaveLength(0);
    expect(bytes.byteLength).toBeLessThan(100);
  });
});

describe('vector tiles of real GeoPackage layers', () => {
  it('draws polygons (states, EPSG:4326) and curves (linearised)', () => {
    const states = reg.register(corpus('ogc-ets__states10.gpkg'));
    const features = decode(renderTile(reg, states.id, 'gpkg:statesQGIS', 2, 0, 1), 'statesQGIS');
    expect(features.length).toBeGreaterThan(20);
    expect(features.every((f) => f.type === 3)).toBe(true);
    const curve = reg.register(corpus('pyogrio__curve.gpkg'));
    const [x, y] = tileOf(-110, 49, 3);
    expect(decode(renderTile(reg, curve.id, 'gpkg:curve', 3, x, y), 'curve').map((f) => f.type)).toEqual([2]);
  });

  it('refuses to draw a layer in an undefined SRS, and says so in the layer list', () => {
    const sample = reg.register(corpus('ogc-ets__gdal_sample_v1.2_spatial_index_extension.gpkg'));
    const layers = gpkgMapSources(reg, sample).layers;
    expect(layers.find((l) => l.layer === 'point3d')).toMatchObject({ drawable: false });
    expect(layers.find((l) => l.layer === 'linestring2d')).toMatchObject({ drawable: true });
    let err: unknown;
    try {
      renderTile(reg, sample.id, 'gpkg:point3d', 0, 0, 0);
    } catch (e) {
      err = e;
    }
    expect(isAppError(err, 'UNSUPPORTED')).toBe(true);
  });
});
