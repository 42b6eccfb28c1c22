import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../test/helpers/paths.js';
import { gdal } from '../gpkg/gdal.js';
import type { Geometry } from '../gpkg/geometry/model.js';
import { encodeWkb } from '../gpkg/geometry/wkb.js';
import { AreaIndex, INSIDE, ON_BOUNDARY, OUTSIDE, PreparedPolygon } from './area-index.js';
import { KNOWN_PROJECTED_SRIDS, projectorFor } from './territory-crs.js';
import { readReferenceAreas } from './workspace-source.js';

const square = (x0: number, y0: number, s: number) => [
  [x0, y0],
  [x0 + s, y0],
  [x0 + s, y0 + s],
  [x0, y0 + s],
  [x0, y0],
];

describe('prepared polygons', () => {
  const withHole: Geometry = { type: 'Polygon', hasZ: false, hasM: false, coordinates: [square(0, 0, 10), square(4, 4, 2)] };
  const p = new PreparedPolygon(withHole);

  // [label, x, y, expected]
  it.each([
    ['inside', 1, 1, INSIDE],
    ['outside, right', 11, 5, OUTSIDE],
    ['outside, far', -100, 5, OUTSIDE],
    ['in the hole', 5, 5, OUTSIDE],
    ['on an outer edge', 10, 5, ON_BOUNDARY],
    ['on a corner', 0, 0, ON_BOUNDARY],
    ['on the bottom edge', 5, 0, ON_BOUNDARY],
    ['on the hole’s edge', 4, 5, ON_BOUNDARY],
    ['on the hole’s corner', 6, 6, ON_BOUNDARY],
    ['level with a vertex, inside', 3, 4, INSIDE],
    ['level with a vertex, in the hole', 5, 4.5, OUTSIDE],
  ])('%s', (_label, x, y, where) => {
    expect(p.locate(x, y)).toBe(where);
  });

  it('a multipolygon is the union of its parts', () => {
    const mp: Geometry = {
      type: 'MultiPolygon',
      hasZ: false,
      hasM: false,
      geometries: [
        { type: 'Polygon', hasZ: false, hasM: false, coordinates: [square(0, 0, 1)] },
        { type: 'Polygon', hasZ: false, hasM: false, coordinates: [square(5, 5, 1)] },
      ],
    };
    const q = new PreparedPolygon(mp);
    expect([q.locate(0.5, 0.5), q.locate(5.5, 5.5), q.locate(3, 3)]).toEqual([INSIDE, INSIDE, OUTSIDE]);
  });
});

describe('the area index on the demo communes, against GDAL/GEOS', () => {
  const db = new Database(DEMO, { readonly: true, fileMustExist: true });
  afterAll(() => db.close());
  const areas = readReferenceAreas(db);
  const index = new AreaIndex(areas);

  it('holds the demo’s 684 communes and 2 départements', () => {
    expect(areas.filter((a) => a.type === 'COM')).toHaveLength(684);
    expect(areas.filter((a) => a.type === 'DEP').map((a) => a.code)).toEqual(['05', '38']);
  });

  it('places 3,000 seeded random points in the same communes and départements as GEOS', () => {
    const g = gdal();
    const ds = g.open('mem', 'w', 'Memory');
    const layer = ds.layers.create('areas', g.SpatialReference.fromEPSG(4326), g.wkbMultiPolygon);
    layer.fields.add(new g.FieldDefn('key', g.OFTString));
    for (const a of areas) {
      const f = new g.Feature(layer);
      f.fields.set('key', `${a.type}:${a.code}`);
      f.setGeometry(g.Geometry.fromWKB(Buffer.from(encodeWkb(a.geometry))));
      layer.features.add(f);
    }
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const out = new Int32Array(16);
    let inside = 0;
    for (let k = 0; k < 3000; k++) {
      const x = 4.6 + rand() * 2.8; // the extent of 05 and 38, and around it
      const y = 44.1 + rand() * 1.9;
      const ours: string[] = [];
      for (const type of ['COM', 'DEP']) {
        const n = index.containing(type, x, y, out);
        for (let i = 0; i < n; i++) ours.push(`${type}:${areas[out[i] as number]?.code}`);
      }
      layer.setSpatialFilter(new g.Point(x, y));
      const theirs: string[] = [];
      for (let f = layer.features.first(); f; f = layer.features.next()) theirs.push(f.fields.get('key') as string);
      expect(ours.sort(), `point ${x} ${y}`).toEqual(theirs.sort());
      if (ours.length > 0) inside++;
    }
    expect(inside).toBeGreaterThan(700);
    ds.close();
  });

  it('picks the smallest code for a point on a boundary shared by two communes', () => {
    // A vertex of commune A that also bounds a neighbour: find one.
    const com = areas.filter((a) => a.type === 'COM');
    const out = new Int32Array(16);
    let found = false;
    for (const a of com) {
      const ring = index.polygon(index.find('COM', a.code)).rings[0] as Float64Array;
      for (let k = 0; k < ring.length && !found; k += 2) {
        const x = ring[k] as number;
        const y = ring[k + 1] as number;
        const n = index.containing('COM', x, y, out);
        if (n >= 2) {
          const codes = Array.from(out.subarray(0, n), (i) => areas[i]?.code as string).sort();
          expect(areas[index.pick('COM', x, y)]?.code).toBe(codes[0]);
          found = true;
        }
      }
      if (found) break;
    }
    expect(found).toBe(true);
  });
});

describe('territory projections', () => {
  it.each(KNOWN_PROJECTED_SRIDS)('EPSG:%i with proj4js matches GDAL/PROJ within a millimetre', (epsg) => {
    const g = gdal();
    const ct = new g.CoordinateTransformation(g.SpatialReference.fromEPSG(4326), g.SpatialReference.fromEPSG(epsg));
    const sample: Record<number, [number, number]> = { 2154: [6.35, 44.9], 5490: [-61.55, 16.25], 2972: [-53.0, 4.5], 2975: [55.5, -21.1], 4471: [45.15, -12.8] };
    const [lon, lat] = sample[epsg] as [number, number];
    const expected = ct.transformPoint(lon, lat);
    const [x, y] = projectorFor(epsg).forward(lon, lat);
    expect(Math.abs(x - expected.x)).toBeLessThan(0.001);
    expect(Math.abs(y - expected.y)).toBeLessThan(0.001);
    const [lon2, lat2] = projectorFor(epsg).inverse(x, y);
    expect(Math.abs(lon2 - lon)).toBeLessThan(1e-9);
    expect(Math.abs(lat2 - lat)).toBeLessThan(1e-9);
  });

  it('refuses a system it does not know', () => {
    expect(() => projectorFor(3035)).toThrow(/EPSG:3035/);
  });
});
