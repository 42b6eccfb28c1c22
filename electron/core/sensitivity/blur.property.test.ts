import Database from 'better-sqlite3';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { AS_OF, demoTaxonomy, fixture } from '../../../test/fixtures/sensitivity/fixtures.js';
import { DEMO } from '../../../test/helpers/paths.js';
import { GRID_CELL_SIZE, OverrideSet, TERRITORIES, compileReferential, localRules, type SensitivityOverride } from '../../../shared/sensitivity/index.js';
import { gdal } from '../gpkg/gdal.js';
import { decodeGpkg, encodeGpkg } from '../gpkg/geometry/gpkg-binary.js';
import { envelopeOf, forEachPosition, type Geometry } from '../gpkg/geometry/model.js';
import { decodeWkb, encodeWkb } from '../gpkg/geometry/wkb.js';
import { AreaIndex } from './area-index.js';
import { BlurAreas, LOCATING_COLUMNS, blurRecord, type PublishedLocation } from './blur.js';
import { loadReferentialFile } from './referential.js';
import { SensitivityChecker, emptyRow, type ObservationRow } from './runner.js';
import { readReferenceAreas } from './workspace-source.js';

/**
 * Property: whatever the observation, a sensitive record is published as exactly the
 * reference area (commune, 10 km cell, département) that contains it, and nothing in the
 * output — geometry, coordinates, centroid, box, uncertainty, altitude, texts — depends on
 * where in that area the observation was. The oracles are independent of the code under
 * test: GEOS (through GDAL) for "contains", PROJ (GDAL) for the Lambert-93 cell.
 */

const db = new Database(DEMO, { readonly: true, fileMustExist: true });
afterAll(() => db.close());
const areas = readReferenceAreas(db);
const index = new AreaIndex(areas);
const blurAreas = new BlurAreas(index, TERRITORIES.FXX as NonNullable<(typeof TERRITORIES)['FXX']>);
const rules = [
  ...(await loadReferentialFile(fixture('test-referential-v13.csv'))).rules,
  ...(await loadReferentialFile(fixture('test-referential-v18.csv'))).rules,
  ...localRules(JSON.parse(readFileSync(fixture('local-rules.json'), 'utf8'))).rules,
];
const referential = compileReferential(rules, demoTaxonomy(), { loadedAreas: index.keys() });

const g = gdal();
const toL93 = new g.CoordinateTransformation(g.SpatialReference.fromEPSG(4326), g.SpatialReference.fromEPSG(2154));
const mem = g.open('mem', 'w', 'Memory');
const layer = mem.layers.create('areas', g.SpatialReference.fromEPSG(4326), g.wkbMultiPolygon);
layer.fields.add(new g.FieldDefn('type', g.OFTString));
layer.fields.add(new g.FieldDefn('code', g.OFTString));
for (const a of areas) {
  const f = new g.Feature(layer);
  f.fields.set('type', a.type);
  f.fields.set('code', a.code);
  f.setGeometry(g.Geometry.fromWKB(Buffer.from(encodeWkb(a.geometry))));
  layer.features.add(f);
}
afterAll(() => mem.close());

/** Codes of the areas of `type` GEOS says contain (or touch) the point. */
function geosAreas(type: string, lon: number, lat: number): string[] {
  layer.setSpatialFilter(new g.Point(lon, lat));
  const out: string[] = [];
  for (let f = layer.features.first(); f; f = layer.features.next()) if (f.fields.get('type') === type) out.push(f.fields.get('code') as string);
  return out.sort();
}

const SENSITIVE_TAXA = [2645, 2852, 18437, 94041, 60295, 60313, 60345, 9900101, 9900301, 9900303, 9900306, 9900308];

const observation = fc.record({
  lon: fc.double({ min: 4.7, max: 7.1, noNaN: true }),
  lat: fc.double({ min: 44.2, max: 45.9, noNaN: true }),
  cdNom: fc.constantFrom(...SENSITIVE_TAXA),
  year: fc.integer({ min: 2010, max: 2026 }),
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 28 }),
  bioStatus: fc.constantFrom('0', '1', '3', '4', '9', null),
  behaviour: fc.constantFrom('0', '7', '12', null),
  diffusionLevel: fc.constantFrom('0', '1', '2', '3', '4', '5', null),
  altitude: fc.integer({ min: 200, max: 4100 }),
  override: fc.constantFrom<(0 | 1 | 2 | 3 | 4) | null>(null, null, null, 0, 1, 2, 3, 4),
});
type Obs = typeof observation extends fc.Arbitrary<infer T> ? T : never;

function rowOf(o: Obs): { row: ObservationRow; record: Record<string, unknown> } {
  const p = toL93.transformPoint(o.lon, o.lat);
  const date = `${o.year}-${String(o.month).padStart(2, '0')}-${String(o.day).padStart(2, '0')}`;
  const row: ObservationRow = {
    ...emptyRow(),
    uuid: 'prop',
    cdNom: o.cdNom,
    dateMin: date,
    dateMax: date,
    bioStatus: o.bioStatus,
    behaviour: o.behaviour,
    diffusionLevel: o.diffusionLevel,
    geom: encodeGpkg({ type: 'Point', hasZ: false, hasM: false, coordinates: [o.lon, o.lat] }, 4326),
    geomLocal: encodeWkb({ type: 'Point', hasZ: false, hasM: false, coordinates: [p.x, p.y] }),
  };
  const record = { unique_id_sinp: 'prop', cd_nom: o.cdNom, geom: row.geom, geom_local_wkb: row.geomLocal, altitude_min: o.altitude, altitude_max: o.altitude + 10, comment_description: 'near the ridge', place_name: 'Lieu-dit', precision: 10 };
  return { row, record };
}

function checkerFor(override: Obs['override']): SensitivityChecker {
  const overrides: SensitivityOverride[] =
    override === null ? [] : [{ id: 'o', target: { kind: 'observation', uuid: 'prop' }, level: override, justification: 'property test', author: 'fc', at: '2026-01-01T00:00:00Z' }];
  return new SensitivityChecker({ referential, blurAreas, asOf: AS_OF, overrides: new OverrideSet(overrides), localSrid: 2154 });
}

/** Everything a reader of the output can see about the location. */
function locationView(pub: PublishedLocation, out: Record<string, unknown>) {
  return {
    pub: { ...pub, dwc: pub.dwc },
    geom: out.geom,
    geomLocal: out.geom_local_wkb,
    lon: out.decimalLongitude,
    lat: out.decimalLatitude,
    uncertainty: out.coordinateUncertaintyInMeters,
    generalizations: out.dataGeneralizations,
    withheld: out.informationWithheld,
    locating: LOCATING_COLUMNS.filter((c) => c in out).map((c) => out[c]),
  };
}

describe('blurring reveals the reference area and nothing more (property)', () => {
  it('publishes exactly the containing commune, cell or département, with no finer coordinate, box, centroid or altitude', () => {
    let blurred = 0;
    fc.assert(
      fc.property(observation, (o) => {
        const { row, record } = rowOf(o);
        const c = checkerFor(o.override);
        const r = c.check(row);
        const pub = c.publishLast(row);
        const out = blurRecord(record, pub, r.sensitivityLevel < 0 ? null : r.sensitivityLevel);
        if (r.blurLevel === 0) {
          expect(out.geom).toBe(record.geom);
          return;
        }
        // Nothing locating survives a blurred or withheld record.
        for (const col of LOCATING_COLUMNS) if (col in record) expect(out[col], col).toBeNull();
        if (r.blurLevel === 4) {
          expect([out.geom, out.geom_local_wkb, out.decimalLongitude, out.decimalLatitude, out.coordinateUncertaintyInMeters]).toEqual([null, null, null, null, null]);
          expect(out.informationWithheld).toEqual(expect.any(String));
          if (r.reason === 'area-not-found') expect(r.requestedLevel).toBeGreaterThan(0);
          return;
        }
        blurred++;
        const published = decodeGpkg(out.geom as Uint8Array).geometry;
        const local = decodeWkb(out.geom_local_wkb as Uint8Array).geometry;
        const l93 = toL93.transformPoint(o.lon, o.lat);
        if (r.areaType === 'M10') {
          // The cell is the 10 km square of Lambert-93 that holds the point (PROJ says where the point is).
          const env = envelopeOf(local);
          expect(env).not.toBeNull();
          const e = env as NonNullable<typeof env>;
          expect([e.maxX - e.minX, e.maxY - e.minY]).toEqual([GRID_CELL_SIZE, GRID_CELL_SIZE]);
          expect(e.minX % GRID_CELL_SIZE).toBe(0);
          expect(e.minY % GRID_CELL_SIZE).toBe(0);
          expect(l93.x).toBeGreaterThanOrEqual(e.minX - 1e-6);
          expect(l93.x).toBeLessThanOrEqual(e.maxX + 1e-6);
          expect(l93.y).toBeGreaterThanOrEqual(e.minY - 1e-6);
          expect(l93.y).toBeLessThanOrEqual(e.maxY + 1e-6);
          expect(r.areaCodes).toBe(`10kmL93E${String(e.minX / 1e4).padStart(3, '0')}N${String(e.minY / 1e4).padStart(3, '0')}`);
        } else {
          // Communes and départements: the published geometry is the area GEOS says contains the point.
          const containing = geosAreas(r.areaType as string, o.lon, o.lat);
          expect(containing[0]).toBe(r.areaCodes);
          const area = areas.find((a) => a.type === r.areaType && a.code === r.areaCodes);
          expect(published).toEqual(area?.geometry);
          expect(envelopeOf(published)).toEqual(envelopeOf(area?.geometry as Geometry));
        }
        // The published point and radius cover the whole area, and so the observation.
        const centre = toL93.transformPoint(out.decimalLongitude as number, out.decimalLatitude as number);
        const radius = out.coordinateUncertaintyInMeters as number;
        forEachPosition(local, (p) => expect(Math.hypot((p[0] as number) - centre.x, (p[1] as number) - centre.y)).toBeLessThanOrEqual(radius + 1));
        expect(Math.hypot(l93.x - centre.x, l93.y - centre.y)).toBeLessThanOrEqual(radius + 1);
      }),
      { numRuns: 400, seed: 20260630 },
    );
    expect(blurred).toBeGreaterThan(50);
  });

  it('two observations in the same area get the same published location, to the last byte', () => {
    let compared = 0;
    fc.assert(
      fc.property(observation, fc.double({ min: -0.05, max: 0.05, noNaN: true }), fc.double({ min: -0.05, max: 0.05, noNaN: true }), (o, dx, dy) => {
        const other = { ...o, lon: o.lon + dx, lat: o.lat + dy, altitude: o.altitude + 500 };
        const c = checkerFor(o.override);
        const a = rowOf(o);
        const ra = { ...c.check(a.row) };
        const va = locationView(c.publishLast(a.row), blurRecord(a.record, c.publishLast(a.row), ra.sensitivityLevel));
        const b = rowOf(other);
        const rb = { ...c.check(b.row) };
        const vb = locationView(c.publishLast(b.row), blurRecord(b.record, c.publishLast(b.row), rb.sensitivityLevel));
        // Same decision and same area: nothing may tell the two observations apart.
        if (ra.blurLevel > 0 && ra.blurLevel === rb.blurLevel && ra.reason === rb.reason && ra.areaCodes === rb.areaCodes && ra.rule === rb.rule && ra.sensitivityLevel === rb.sensitivityLevel) {
          expect(vb).toEqual(va);
          compared++;
        }
      }),
      { numRuns: 300, seed: 42 },
    );
    expect(compared).toBeGreaterThan(30);
  });
});
