import Database from 'better-sqlite3';
import pg from 'pg';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AS_OF, demoTaxonomy, fixture } from '../../../test/fixtures/sensitivity/fixtures.js';
import { createScratchDb } from '../../../test/helpers/pg.js';
import { DEMO } from '../../../test/helpers/paths.js';
import { OverrideSet, TERRITORIES, compileReferential, localRules, type SensitivityOverride } from '../../../shared/sensitivity/index.js';
import { decodeGpkg, encodeGpkg, readGpkgHeader } from '../gpkg/geometry/gpkg-binary.js';
import type { Geometry, Position } from '../gpkg/geometry/model.js';
import { encodeWkb } from '../gpkg/geometry/wkb.js';
import { AreaIndex, type ReferenceArea } from './area-index.js';
import { BlurAreas } from './blur.js';
import {
  createPushdownSchema,
  loadPushdownAreas,
  loadPushdownObservations,
  loadPushdownOverrides,
  loadPushdownReferential,
  readPushdownResults,
  runPushdown,
} from './pushdown.js';
import { loadReferentialFile } from './referential.js';
import { SensitivityChecker, emptyRow, type ObservationRow } from './runner.js';
import { projectorFor } from './territory-crs.js';
import { readReferenceAreas, workspaceObservations } from './workspace-source.js';

/**
 * The in-process runner and the PostGIS pushdown give identical results — taxon resolution,
 * level, deciding rule, override, blurring level and reason, published area codes, the source
 * of a propagated level — on the real Écrins observations plus 4,000 synthetic ones chosen to
 * hit every branch (every criterion, unmatched taxa, no geometry, bad dates, lines and polygons
 * across communes, points outside the loaded areas, NIV_PRECIS, overrides), 600 more at or near
 * the point of an earlier one (the same point, inside the 1e-5° tolerance, on its edge, just
 * outside, lines and polygons with a vertex there) and relevés grouping several observations,
 * in every propagation mode.
 */

const demo = new Database(DEMO, { readonly: true, fileMustExist: true });
const zone: ReferenceArea = {
  type: 'ZSENS',
  code: 'zone-test-1',
  name: 'Zone test',
  geometry: { type: 'Polygon', hasZ: false, hasM: false, coordinates: [[[6.3, 44.8], [6.5, 44.8], [6.5, 45.0], [6.3, 45.0], [6.3, 44.8]]] },
};
const areas = [...readReferenceAreas(demo), zone];
const index = new AreaIndex(areas);
const territory = TERRITORIES.FXX as NonNullable<(typeof TERRITORIES)['FXX']>;
const l93 = projectorFor(2154);
const rules = [
  ...(await loadReferentialFile(fixture('test-referential-v13.csv'))).rules,
  ...(await loadReferentialFile(fixture('test-referential-v18.csv'))).rules,
  ...localRules(JSON.parse(readFileSync(fixture('local-rules.json'), 'utf8'))).rules,
];
const referential = compileReferential(rules, demoTaxonomy(), { loadedAreas: index.keys() });

const rows: ObservationRow[] = Array.from(workspaceObservations(demo, { eager: true }), (r) => ({ ...r }));
demo.close();

// Synthetic observations, seeded.
let seed = 2026;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const TAXA = [2645, 2852, 18437, 94041, 60295, 60313, 60345, 9900001, 9900101, 9900201, 9900202, 9900301, 9900302, 9900303, 9900304, 9900306, 9900307, 9900308, 9900309, 9999999, 123456789, null];
const local = (g: Geometry): Geometry => {
  const map = (p: Position) => l93.forward(p[0] as number, p[1] as number);
  if (g.type === 'Point') return { ...g, coordinates: map(g.coordinates) };
  if (g.type === 'LineString') return { ...g, coordinates: g.coordinates.map(map) };
  if (g.type === 'Polygon') return { ...g, coordinates: g.coordinates.map((r) => r.map(map)) };
  if (g.type === 'MultiPoint') return { ...g, geometries: g.geometries.map(local) };
  throw new Error(g.type);
};
for (let k = 0; k < 4000; k++) {
  const lon = 4.6 + rand() * 2.9;
  const lat = 44.1 + rand() * 2.0;
  const shape = rand();
  let geometry: Geometry | null;
  if (shape < 0.8) geometry = { type: 'Point', hasZ: false, hasM: false, coordinates: [lon, lat] };
  else if (shape < 0.88) geometry = { type: 'LineString', hasZ: false, hasM: false, coordinates: [[lon, lat], [lon + 0.05, lat + 0.03]] };
  else if (shape < 0.94) {
    const d = 0.01 + rand() * 0.04;
    geometry = { type: 'Polygon', hasZ: false, hasM: false, coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] };
  } else if (shape < 0.97) {
    geometry = { type: 'MultiPoint', hasZ: false, hasM: false, geometries: [{ type: 'Point', hasZ: false, hasM: false, coordinates: [lon, lat] }, { type: 'Point', hasZ: false, hasM: false, coordinates: [lon - 0.02, lat + 0.01] }] };
  } else geometry = null;
  const y = 2008 + Math.floor(rand() * 20);
  const m = 1 + Math.floor(rand() * 12);
  const d = 1 + Math.floor(rand() * 28);
  const dateMin = rand() < 0.02 ? pick(['2017-02-30', 'n/a', '']) : `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const span = rand();
  const dateMax = span < 0.7 ? dateMin : span < 0.9 ? `${y + (rand() < 0.3 ? 1 : 0)}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-15` : null;
  rows.push({
    ...emptyRow(),
    fid: 100_000 + k,
    uuid: `syn-${k}`,
    cdNom: pick(TAXA),
    cdRefHint: rand() < 0.1 ? pick([60295, 2852, 777]) : null,
    dateMin,
    dateMax,
    bioStatus: pick(['0', '1', '2', '3', '4', '9', ' 3', null]),
    behaviour: pick(['0', '1', '7', '12', null]),
    diffusionLevel: pick(['0', '1', '2', '3', '4', '5', null, null, null]),
    datasetUuid: null,
    geom: geometry ? encodeGpkg(geometry, 4326) : null,
    geomLocal: geometry && rand() < 0.95 ? encodeWkb(local(geometry)) : null,
  });
}
// Observations at or near the place of an earlier synthetic one (its sensitivity is random: often
// sensitive), and relevés of several observations.
const points = rows.filter((r) => r.fid >= 100_000 && r.geom !== null && r.geom[0] !== undefined).map((r) => {
  const g = decodeGpkg(r.geom as Uint8Array).geometry;
  return g.type === 'Point' && g.coordinates.length ? [r.fid, g.coordinates[0] as number, g.coordinates[1] as number] as const : null;
}).filter((x): x is readonly [number, number, number] => x !== null);
const TOL = 1e-5;
for (let k = 0; k < 600; k++) {
  const [, x, y] = pick(points);
  const offsets: [number, number][] = [[0, 0], [0, 0], [0.4 * TOL, -0.7 * TOL], [TOL, -TOL], [1.5 * TOL, 0], [0, -1.35 * TOL], [-0.99 * TOL, 0.2 * TOL]];
  const [dx, dy] = pick(offsets);
  const shape = rand();
  const geometry: Geometry =
    shape < 0.8
      ? { type: 'Point', hasZ: false, hasM: false, coordinates: [x + dx, y + dy] }
      : shape < 0.9
        ? { type: 'LineString', hasZ: false, hasM: false, coordinates: [[x - 0.01, y - 0.004], [x + dx, y + dy], [x + 0.01, y]] }
        : { type: 'Polygon', hasZ: false, hasM: false, coordinates: [[[x + dx, y + dy], [x + 0.003, y], [x + 0.003, y + 0.003], [x + dx, y + dy]]] };
  rows.push({
    ...emptyRow(),
    fid: 200_000 + k,
    uuid: `near-${String(k).padStart(4, '0')}`,
    cdNom: pick([61119, 61119, 2645, 2852, 9900301, 9999999, null]),
    dateMin: pick(['2003-02-01', '2019-06-15', '2024-11-30']),
    dateMax: null,
    bioStatus: pick(['1', '3', '9', null]),
    behaviour: pick(['0', '1', null]),
    diffusionLevel: pick(['0', '1', '2', null, null, null]),
    geom: encodeGpkg(geometry, 4326),
    geomLocal: rand() < 0.95 ? encodeWkb(local(geometry)) : null,
  });
}
// Relevés: runs of 2–6 consecutive synthetic observations (the rest stay alone, as in the demo).
for (let k = 0; k < rows.length; ) {
  const n = 2 + Math.floor(rand() * 5);
  if (rows[k] && (rows[k] as ObservationRow).fid >= 100_000 && rand() < 0.35) for (let j = k; j < k + n && j < rows.length; j++) (rows[j] as ObservationRow).releve = `releve-${k}`;
  k += n;
}
// An observation in a relevé of its own name only (a relevé of one), and an empty relevé (none).
(rows[rows.length - 1] as ObservationRow).releve = 'releve-alone';
(rows[rows.length - 2] as ObservationRow).releve = '';

const overrides: SensitivityOverride[] = [
  { id: 'ov-a', target: { kind: 'observation', uuid: 'syn-1' }, level: 4, justification: 'test override', author: 't', at: '2026-01-01T00:00:00Z' },
  { id: 'ov-b', target: { kind: 'observation', uuid: 'syn-2' }, level: 0, justification: 'test override', author: 't', at: '2026-01-01T00:00:00Z' },
  { id: 'ov-c', target: { kind: 'observation', uuid: 'syn-3' }, level: 2, justification: 'test override', author: 't', at: '2026-01-01T00:00:00Z' },
  { id: 'ov-d', target: { kind: 'observation', uuid: rows[0]?.uuid as string }, level: 1, justification: 'test override', author: 't', at: '2026-01-01T00:00:00Z' },
  // Sources lowered to 0 or raised to 4, at sites other observations share.
  ...points.slice(0, 40).map(([fid], i): SensitivityOverride => ({ id: `ov-site-${i}`, target: { kind: 'observation', uuid: `syn-${fid - 100_000}` }, level: i % 2 ? 0 : 4, justification: 'test override', author: 't', at: '2026-01-01T00:00:00Z' })),
];

/** WKB of a GeoPackage blob (the pushdown stores plain WKB). */
const wkbOf = (blob: Uint8Array | null) => (blob ? blob.subarray(readGpkgHeader(blob).wkbOffset) : null);

describe('PostGIS pushdown ≡ in-process check', () => {
  let db: Awaited<ReturnType<typeof createScratchDb>>;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createScratchDb('passerelle_sensitivity');
    client = new pg.Client(db.config);
    await client.connect();
    await createPushdownSchema(client, { srid: territory.epsg });
    await loadPushdownReferential(client, referential);
    await loadPushdownAreas(client, areas);
    await loadPushdownObservations(
      client,
      rows.map((r) => ({
        obsId: r.fid,
        uuid: r.uuid,
        cdNom: r.cdNom,
        cdRefHint: r.cdRefHint,
        dateMin: r.dateMin,
        dateMax: r.dateMax,
        bioStatus: r.bioStatus,
        behaviour: r.behaviour,
        diffusionLevel: r.diffusionLevel,
        datasetUuid: r.datasetUuid,
        geomWkb: wkbOf(r.geom),
        geomLocalWkb: r.geomLocal,
        releve: r.releve,
      })),
      { srid: territory.epsg },
    );
    await loadPushdownOverrides(client, overrides);
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it.each([
    ['withhold', 'site+releve'],
    ['evaluate', 'site+releve'],
    ['withhold', 'releve'],
    ['withhold', 'off'],
  ] as const)('gives identical results on every observation (unmatched taxa: %s, propagation: %s)', async (policy, propagation) => {
    const checker = new SensitivityChecker({ referential, blurAreas: new BlurAreas(index, territory), asOf: AS_OF, overrides: new OverrideSet(overrides), unmatchedTaxon: policy, localSrid: 2154, propagation });
    checker.useSites(checker.collectSources(rows));
    const inProcess = rows.map((row) => {
      const r = checker.check(row);
      return {
        obsId: row.fid,
        resolution: r.resolution,
        taxonKey: r.taxonKey,
        computedLevel: r.computedLevel,
        sensitivityLevel: r.sensitivityLevel,
        blurLevel: r.blurLevel,
        requestedLevel: r.requestedLevel,
        reason: r.reason,
        rule: r.rule,
        overrideId: r.override?.id ?? null,
        areaType: r.areaType,
        areaCodes: r.areaCodes,
        propagatedFrom: r.propagation?.source.uuid ?? null,
      };
    });
    const n = await runPushdown(client, { asOf: AS_OF, areaTypesNeeded: referential.areaTypesNeeded, unmatchedTaxon: policy, srid: territory.epsg, gridPrefix: territory.gridPrefix, propagation });
    expect(n).toBe(rows.length);
    const pushed = await readPushdownResults(client);
    const byId = new Map(pushed.map((p) => [p.obsId, p]));
    const diffs = inProcess.filter((a) => JSON.stringify(a) !== JSON.stringify(byId.get(a.obsId)));
    expect(diffs.slice(0, 5).map((a) => ({ inProcess: a, postgis: byId.get(a.obsId) }))).toEqual([]);

    // The data hit every branch, so the equality means something.
    const count = (f: (r: (typeof inProcess)[number]) => boolean) => inProcess.filter(f).length;
    for (const level of [0, 1, 2, 3, 4]) expect(count((r) => r.blurLevel === level), `blur ${level}`).toBeGreaterThan(10);
    for (const reason of ['none', 'sensitivity', 'diffusion', 'override', 'area-not-found'] as const) expect(count((r) => r.reason === reason), reason).toBeGreaterThan(0);
    if (policy === 'withhold') expect(count((r) => r.reason === 'unmatched-taxon')).toBeGreaterThan(100);
    for (const res of ['cd_nom', 'cd_ref', 'unmatched', 'no-taxon'] as const) expect(count((r) => r.resolution === res), res).toBeGreaterThan(0);
    expect(count((r) => (r.areaCodes ?? '').includes(','))).toBeGreaterThan(0);
    expect(count((r) => r.areaType === 'M10')).toBeGreaterThan(10);
    expect(new Set(inProcess.map((r) => r.rule)).size).toBeGreaterThan(15);
    // Propagation happened, by site (lines and polygons too) and by relevé, and changed what it should only.
    const colocated = count((r) => r.reason === 'colocated');
    const sameReleve = count((r) => r.reason === 'same-releve');
    const propagated = count((r) => r.propagatedFrom !== null);
    if (propagation === 'off') expect([colocated, sameReleve, propagated]).toEqual([0, 0, 0]);
    else {
      expect(sameReleve).toBeGreaterThan(20);
      if (propagation === 'site+releve') {
        expect(colocated).toBeGreaterThan(50);
        const shapes = new Set(inProcess.filter((r) => r.reason === 'colocated').map((r) => decodeGpkg(rows.find((x) => x.fid === r.obsId)?.geom as Uint8Array).geometry.type));
        expect(shapes).toEqual(new Set(['Point', 'LineString', 'Polygon']));
      } else expect(colocated).toBe(0);
      // Propagated, then the area not found: withheld, the source still recorded.
      expect(propagated).toBeGreaterThan(colocated + sameReleve - 1);
    }
  });
});
