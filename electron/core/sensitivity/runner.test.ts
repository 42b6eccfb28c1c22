import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { AS_OF, demoTaxonomy, fixture, testTaxonomy } from '../../../test/fixtures/sensitivity/fixtures.js';
import { DEMO } from '../../../test/helpers/paths.js';
import {
  OverrideSet,
  TERRITORIES,
  compileReferential,
  localRules,
  type SensitivityOverride,
  type SensitivityRule,
  type TaxonomyIndex,
} from '../../../shared/sensitivity/index.js';
import { decodeGpkg, encodeGpkg } from '../gpkg/geometry/gpkg-binary.js';
import type { Geometry } from '../gpkg/geometry/model.js';
import { decodeWkb, encodeWkb } from '../gpkg/geometry/wkb.js';
import { AreaIndex, type ReferenceArea } from './area-index.js';
import { BlurAreas, blurRecord } from './blur.js';
import { loadReferentialFile } from './referential.js';
import { SensitivityChecker, checkRows, emptyRow, type CheckResult, type ObservationRow } from './runner.js';
import { projectorFor } from './territory-crs.js';
import { readReferenceAreas, workspaceCheckRows, workspaceLocalSrid, workspaceObservations } from './workspace-source.js';

const db = new Database(DEMO, { readonly: true, fileMustExist: true });
afterAll(() => db.close());
const areas = readReferenceAreas(db);
const zone: ReferenceArea = {
  // A park-defined zone (synthetic) around commune 05101's centre, for the "any area" criterion.
  type: 'ZSENS',
  code: 'zone-test-1',
  name: 'Zone test',
  geometry: { type: 'Polygon', hasZ: false, hasM: false, coordinates: [[[6.3, 44.8], [6.5, 44.8], [6.5, 45.0], [6.3, 45.0], [6.3, 44.8]]] },
};
const index = new AreaIndex([...areas, zone]);
const blurAreas = new BlurAreas(index, TERRITORIES.FXX as NonNullable<(typeof TERRITORIES)['FXX']>);
const l93 = projectorFor(2154);

const v13 = (await loadReferentialFile(fixture('test-referential-v13.csv'))).rules;
const v18 = (await loadReferentialFile(fixture('test-referential-v18.csv'))).rules;
const local = localRules(JSON.parse(readFileSync(fixture('local-rules.json'), 'utf8'))).rules;

function checker(rules: SensitivityRule[], taxonomy: TaxonomyIndex = demoTaxonomy(), overrides: SensitivityOverride[] = []) {
  const referential = compileReferential(rules, taxonomy, { loadedAreas: index.keys() });
  return new SensitivityChecker({ referential, blurAreas, asOf: AS_OF, overrides: new OverrideSet(overrides), localSrid: workspaceLocalSrid(db) });
}

type Kept = Omit<CheckResult, 'override' | 'propagation'> & { fid: number; cdNom: number | null; override: string | null; propagation: null; propagatedFrom: string | null };
async function runDemo(c: SensitivityChecker): Promise<{ rows: Kept[]; summary: Awaited<ReturnType<typeof checkRows>> }> {
  const rows: Kept[] = [];
  const summary = await checkRows(workspaceCheckRows(db, c), c, (r, row) => rows.push({ ...r, override: r.override?.id ?? null, propagation: null, fid: row.fid, cdNom: row.cdNom, propagatedFrom: r.propagation?.source.uuid ?? null }));
  return { rows, summary };
}

const ofTaxon = (rows: Kept[], cdNom: number) => rows.filter((r) => r.cdNom === cdNom);

describe('the real Écrins observations (demo workspace, read-only)', () => {
  it('hold the species the test referential covers: 22 golden eagles, 5 bearded vultures, 1 crayfish', () => {
    const count = (cd: number) => (db.prepare('SELECT count(*) AS n FROM observations WHERE cd_nom = ?').get(cd) as { n: number }).n;
    expect([count(2645), count(2852), count(18437)]).toEqual([22, 5, 1]);
    expect([count(94041), count(60295), count(60313), count(60345)]).toEqual([0, 0, 0, 0]);
  });

  it('v13 referential: 2 of the 5 vultures nest within October–July, 6 golden eagles within February–August and 10 years, the crayfish in PACA', async () => {
    const { rows, summary } = await runDemo(checker(v13));
    expect(summary.total).toBe(991);
    expect(summary.unmatchedTaxa).toBe(0);
    const vultures = ofTaxon(rows, 2852);
    expect(vultures.map((r) => r.sensitivityLevel).sort()).toEqual([0, 0, 0, 3, 3]);
    expect(vultures.filter((r) => r.sensitivityLevel === 3).map((r) => [r.fid, r.areaType, r.areaCodes])).toEqual([
      [342, 'DEP', '05'],
      [383, 'DEP', '05'],
    ]);
    const eagles = ofTaxon(rows, 2645);
    expect(eagles.filter((r) => r.sensitivityLevel === 2).map((r) => r.fid).sort((a, b) => a - b)).toEqual([61, 62, 135, 828, 832, 866]);
    // The observations say "Non renseigné" (1): the reproduction criterion is taken as met, by precaution.
    expect(eagles.filter((r) => r.sensitivityLevel === 2).every((r) => r.precautions === 2 && r.areaType === 'M10' && /^10kmL93E\d{3}N\d{3}$/.test(r.areaCodes ?? ''))).toBe(true);
    expect(ofTaxon(rows, 18437).map((r) => [r.sensitivityLevel, r.areaType, r.areaCodes])).toEqual([[1, 'COM', '05029']]);
    expect(summary.bySensitivity).toEqual([982, 1, 6, 2, 0]);
    // Chamois 833 was seen at the very point of eagle 832 (another relevé, the same day): it keeps
    // its own level 0 but is published in the eagle's cell, or it would give the eagle's site away.
    expect(summary.byBlur).toEqual([981, 1, 7, 2, 0]);
    expect(summary.propagated).toBe(1);
    const eagle = rows.find((r) => r.fid === 832);
    expect(rows.find((r) => r.fid === 833)).toMatchObject({ cdNom: 61119, sensitivityLevel: 0, blurLevel: 2, reason: 'colocated', areaType: 'M10', areaCodes: eagle?.areaCodes });
    expect(rows.find((r) => r.fid === 833)?.propagatedFrom).toBe((db.prepare('SELECT unique_id_sinp AS u FROM observations WHERE fid = 832').get() as { u: string }).u);
  });

  it('v18 referential (per département, no periods): every eagle and vulture, in 05 and in 38', async () => {
    const { rows, summary } = await runDemo(checker(v18));
    expect(ofTaxon(rows, 2645).every((r) => r.sensitivityLevel === 2)).toBe(true);
    expect(ofTaxon(rows, 2852).every((r) => r.sensitivityLevel === 3)).toBe(true);
    expect(ofTaxon(rows, 2852).map((r) => r.areaCodes).sort()).toEqual(['05', '05', '05', '05', '38']);
    expect(summary.bySensitivity).toEqual([963, 1, 22, 5, 0]);
  });

  it('v13 + v18 + local rules: the golden eagle aerie commune withholds two observations', async () => {
    const { rows } = await runDemo(checker([...v13, ...v18, ...local]));
    const aerie = rows.filter((r) => r.fid === 61 || r.fid === 62);
    expect(aerie.map((r) => [r.sensitivityLevel, r.blurLevel, r.reason, r.areaCodes])).toEqual([
      [4, 4, 'sensitivity', null],
      [4, 4, 'sensitivity', null],
    ]);
  });

  it('with the small test taxonomy alone, every other taxon is reported unmatched and withheld, never "not sensitive"', async () => {
    const { summary } = await runDemo(checker(v13, testTaxonomy()));
    expect(summary.unmatchedTaxa).toBe(991 - 28);
    // The 963 unmatched, and 6 known-taxon observations at the site of a withheld (unmatched) one:
    // publishing them precisely would publish the place the precaution withholds.
    expect(summary.byBlur[4]).toBe(969);
    expect(summary.propagated).toBe(6);
    expect(summary.bySensitivity).toEqual([19, 1, 6, 2, 0]);
  });

  it('an override with its justification lowers one vulture; NIV_PRECIS is still honoured', async () => {
    const uuid = (db.prepare('SELECT unique_id_sinp AS u FROM observations WHERE fid = 383').get() as { u: string }).u;
    const o: SensitivityOverride = { id: 'ov-1', target: { kind: 'observation', uuid }, level: 1, justification: 'Nest abandoned since 2016 (field check)', author: 'geomaticien', at: '2026-06-01T10:00:00Z' };
    const { rows } = await runDemo(checker(v13, demoTaxonomy(), [o]));
    expect(rows.find((r) => r.fid === 383)).toMatchObject({ computedLevel: 3, sensitivityLevel: 1, blurLevel: 1, reason: 'override', areaType: 'COM', areaCodes: '05079', override: 'ov-1' });
    expect(rows.find((r) => r.fid === 342)).toMatchObject({ sensitivityLevel: 3, override: null });
  });
});

/** A row at a point (lon/lat), with its Lambert-93 local geometry. */
function pointRow(p: Partial<ObservationRow> & { lon: number; lat: number }): ObservationRow {
  const { lon, lat, ...rest } = p;
  const [x, y] = l93.forward(lon, lat);
  return {
    ...emptyRow(),
    uuid: `synthetic-${lon}-${lat}-${rest.cdNom}`,
    dateMin: '2020-06-15',
    dateMax: '2020-06-15',
    bioStatus: '3',
    behaviour: '0',
    geom: encodeGpkg({ type: 'Point', hasZ: false, hasM: false, coordinates: [lon, lat] }, 4326),
    geomLocal: encodeWkb({ type: 'Point', hasZ: false, hasM: false, coordinates: [x, y] }),
    ...rest,
  };
}

// Points inside known communes: 05101 (Vallouise-Pelvoux area), 38052 (Isère), and outside both départements (Savoie).
const IN_05 = { lon: 6.45, lat: 44.86 };
const IN_38 = { lon: 5.72, lat: 45.19 };
const IN_73 = { lon: 6.6, lat: 45.5 };

describe('synthetic observations of the species absent from the demo', () => {
  const c = checker([...v13, ...v18, ...local]);
  const run = (p: Parameters<typeof pointRow>[0]) => ({ ...c.check(pointRow(p)) });

  // [label, row, sensitivity, blur level, area type]
  it.each([
    ['lady’s-slipper orchid in 05 (v13 France + v18 05)', { ...IN_05, cdNom: 94041 }, 2, 2, 'M10'],
    ['greater horseshoe bat breeding roost in 05', { ...IN_05, cdNom: 60295, bioStatus: '3' }, 3, 3, 'DEP'],
    ['greater horseshoe bat hibernating in 05', { ...IN_05, cdNom: 60295, bioStatus: '4' }, 3, 3, 'DEP'],
    ['greater horseshoe bat, no reproduction (9): not sensitive', { ...IN_05, cdNom: 60295, bioStatus: '9' }, 0, 0, null],
    ['lesser horseshoe bat, status unknown: sensitive by precaution', { ...IN_05, cdNom: 60313, bioStatus: '1' }, 3, 3, 'DEP'],
    ['barbastelle roost in 38 (v13, metropolitan France)', { ...IN_38, cdNom: 60345, bioStatus: '4' }, 3, 3, 'DEP'],
    ['horseshoe bat swarming in Isère (genus rule, behaviour 7)', { ...IN_38, cdNom: 60313, bioStatus: '9', behaviour: '7' }, 2, 2, 'M10'],
    ['horseshoe bat swarming in Hautes-Alpes: that rule is for 38 and Rhône-Alpes', { ...IN_05, cdNom: 60313, bioStatus: '9', behaviour: '7' }, 0, 0, null],
    ['a subspecies of the greater horseshoe bat inherits', { ...IN_05, cdNom: 9900101, bioStatus: '3' }, 3, 3, 'DEP'],
    ['a park zone rule', { lon: 6.4, lat: 44.9, cdNom: 9900307 }, 3, 3, 'DEP'],
    ['outside the park zone', { ...IN_38, cdNom: 9900307 }, 0, 0, null],
    ['commune rule inside its duration', { ...IN_05, cdNom: 9900308, dateMin: '2024-05-01', dateMax: null }, 1, 1, 'COM'],
    ['commune rule past its duration', { ...IN_05, cdNom: 9900308, dateMin: '2022-05-01', dateMax: null }, 0, 0, null],
    ['crayfish in Savoie: no département loaded, the region rule matches by precaution and the record is withheld', { ...IN_73, cdNom: 18437 }, 1, 4, null],
    ['a not-sensitive taxon with NIV_PRECIS 2 goes to its cell', { ...IN_05, cdNom: 2645, bioStatus: '9', dateMin: '2020-11-01', dateMax: null, diffusionLevel: '2' }, 0, 2, 'M10'],
    ['a vulture without geometry: territory rules by precaution, withheld', { ...IN_05, cdNom: 2852, geom: null, geomLocal: null, dateMin: '2020-12-01', dateMax: null }, 3, 4, null],
  ] as const)('%s', (_label, p, sensitivity, blur, type) => {
    const r = run(p);
    expect([r.sensitivityLevel, r.blurLevel, r.areaType]).toEqual([sensitivity, blur, type]);
  });

  it('explains the bat roost: its rules, the precaution, the published département and its Darwin Core terms', () => {
    const { outcome, published } = c.explain(pointRow({ ...IN_05, cdNom: 60313, bioStatus: '1' }));
    expect(outcome.matches.map((m) => [m.ruleId, m.level, m.precautions])).toEqual([
      ['test-referential-v13 v13:1008', 3, ['BIO_STATUS']],
      ['test-referential-v13 v13:1009', 3, ['BIO_STATUS']],
      ['test-referential-v18 v18:line 12', 3, ['BIO_STATUS']],
      ['test-referential-v18 v18:line 13', 3, ['BIO_STATUS']],
    ]);
    expect(outcome.matches[0]?.rule).toMatchObject({ comment: 'Gîtes de reproduction', bioStatus: ['3'], territory: [{ type: 'TER', code: 'FXX' }] });
    expect(published).toMatchObject({ level: 3, areaType: 'DEP', areas: [{ code: '05', name: 'Hautes-Alpes' }], withheld: false });
    expect(published.dwc.dataGeneralizations).toBe(
      'Location generalised to the département Hautes-Alpes (05): SINP sensitivity level 3 (test-referential-v13 v13). Altitude and locality removed.',
    );
    expect(published.dwc.informationWithheld).toBeNull();
    expect(published.dwc.coordinateUncertaintyInMeters).toBeGreaterThan(50_000);
  });
});

describe('the fast check and the full explanation agree', () => {
  it('on every demo row and on random rows, for every referential', async () => {
    for (const rules of [v13, v18, [...v13, ...v18, ...local]]) {
      const c = checker(rules);
      let n = 0;
      const rows = Array.from(workspaceObservations(db), (r) => ({ ...r }));
      let seed = 7;
      const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      const taxa = [2645, 2852, 18437, 94041, 60295, 60313, 60345, 9900001, 9900101, 9900201, 9900301, 9900303, 9900306, 9900307, 9900308, 123, null];
      for (let k = 0; k < 2000; k++) {
        rows.push(
          pointRow({
            lon: 4.6 + rand() * 2.8,
            lat: 44.1 + rand() * 1.9,
            cdNom: taxa[Math.floor(rand() * taxa.length)] ?? null,
            dateMin: `${2010 + Math.floor(rand() * 17)}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`,
            bioStatus: ['0', '1', '3', '4', '9', null][Math.floor(rand() * 6)] ?? null,
            behaviour: ['0', '7', '12', null][Math.floor(rand() * 4)] ?? null,
            diffusionLevel: ['0', '1', '2', '3', '4', '5', null][Math.floor(rand() * 7)] ?? null,
          }),
        );
      }
      // 300 more at the point of an earlier random one, and relevés of a few: propagation.
      const random = rows.slice(991);
      for (let k = 0; k < 300; k++) {
        const at = random[Math.floor(rand() * random.length)] as ObservationRow;
        const g = decodeGpkg(at.geom as Uint8Array).geometry as Extract<Geometry, { type: 'Point' }>;
        rows.push(pointRow({ lon: g.coordinates[0] as number, lat: g.coordinates[1] as number, cdNom: taxa[Math.floor(rand() * taxa.length)] ?? null, uuid: `near-${k}`, releve: rand() < 0.3 ? `r${k % 40}` : null }));
      }
      c.useSites(c.collectSources(rows));
      let propagated = 0;
      for (const row of rows) {
        const fast = { ...c.check(row) };
        const { outcome, published } = c.explain(row);
        if (fast.propagation) propagated++;
        expect({
          level: fast.computedLevel,
          sensitivity: fast.sensitivityLevel < 0 ? null : fast.sensitivityLevel,
          rule: fast.rule < 0 ? null : c.options.referential.rules[fast.rule]?.id,
          blur: fast.blurLevel,
          reason: fast.reason,
          codes: fast.areaCodes,
          from: fast.propagation?.source.uuid ?? null,
        }).toEqual({
          level: outcome.computedLevel,
          sensitivity: outcome.sensitivityLevel,
          rule: outcome.matches[0]?.ruleId ?? null,
          blur: published.level,
          reason: published.reason,
          codes: published.areas.length ? published.areas.map((a) => a.code).join(',') : null,
          from: outcome.propagation?.source.uuid ?? null,
        });
        n++;
      }
      expect(n).toBe(991 + 2000 + 300);
      expect(propagated).toBeGreaterThan(30);
    }
  });
});

describe('what a blurred record looks like', () => {
  const c = checker(v13);
  const raw = db.prepare('SELECT * FROM observations WHERE fid = 383').get() as Record<string, unknown>;
  const row = [...workspaceObservations(db, { where: 'o.fid = 383' })][0] as ObservationRow;

  it('a nesting vulture is published as its département: geometry, coordinates, altitude, comments', () => {
    const r = c.check(row);
    expect([r.blurLevel, r.areaType, r.areaCodes]).toEqual([3, 'DEP', '05']);
    const pub = c.publishLast(row);
    const out = blurRecord(raw, pub, r.sensitivityLevel);
    const dep05 = areas.find((a) => a.type === 'DEP' && a.code === '05') as ReferenceArea;
    expect(decodeGpkg(out.geom as Uint8Array).geometry).toEqual(dep05.geometry);
    const local = decodeWkb(out.geom_local_wkb as Uint8Array).geometry as Geometry;
    expect(local.type).toBe('MultiPolygon');
    expect(out).toMatchObject({ altitude_min: null, altitude_max: null, comment_description: null, cd_nomenclature_sensitivity: '3', cd_nomenclature_blurring: 'OUI' });
    expect(raw.altitude_min).toBe(2340);
    expect(out.unique_id_sinp).toBe(raw.unique_id_sinp);
    expect(out.cd_nom).toBe(2852);
    expect(out.dataGeneralizations).toMatch(/^Location generalised to the département Hautes-Alpes \(05\)/);
    expect(out.coordinateUncertaintyInMeters).toBe(pub.dwc.coordinateUncertaintyInMeters);
  });

  it('a withheld record keeps no geometry and says why, in French too', () => {
    const o: SensitivityOverride = { id: 'ov', target: { kind: 'observation', uuid: raw.unique_id_sinp as string }, level: 4, justification: 'Aire occupée (vérifié)', author: 'x', at: '2026-01-01T00:00:00Z' };
    const cw = checker(v13, demoTaxonomy(), [o]);
    const r = cw.check(row);
    expect([r.blurLevel, r.reason]).toEqual([4, 'override']);
    const pub = cw.publishLast(row, 'fr');
    const out = blurRecord(raw, pub, r.sensitivityLevel);
    expect(out).toMatchObject({ geom: null, geom_local_wkb: null, altitude_min: null, decimalLatitude: null, decimalLongitude: null, coordinateUncertaintyInMeters: null, dataGeneralizations: null });
    expect(out.informationWithheld).toBe(
      'Localisation non diffusée : une décision de sensibilité documentée du producteur (niveau de sensibilité SINP 4). La localisation précise peut être demandée au producteur.',
    );
    expect(String(out.informationWithheld)).not.toContain('Aire occupée');
  });

  it('a precise record is unchanged', () => {
    const plain = [...workspaceObservations(db, { where: 'o.cd_nom = 2645 AND o.fid = 769' })][0] as ObservationRow;
    const r = c.check(plain);
    expect(r.blurLevel).toBe(0);
    const rawPlain = db.prepare('SELECT * FROM observations WHERE fid = 769').get() as Record<string, unknown>;
    const out = blurRecord(rawPlain, c.publishLast(plain), r.sensitivityLevel);
    expect(out.geom).toEqual(rawPlain.geom);
    expect(out.altitude_min).toBe(rawPlain.altitude_min);
    expect(out.dataGeneralizations).toBeNull();
  });
});

describe('rows read lazily or eagerly', () => {
  it('give the same results (the lazy scan reads details only for the rows that need them)', async () => {
    const c = checker([...v13, ...v18, ...local]);
    const lazy: unknown[] = [];
    const eager: unknown[] = [];
    await checkRows((p) => workspaceObservations(db, { positions: p.positions }), c, (r) => lazy.push({ ...r }));
    await checkRows(() => workspaceObservations(db, { eager: true }), c, (r) => eager.push({ ...r }));
    expect(lazy).toHaveLength(991);
    expect(lazy).toEqual(eager);
  });

  it('loads details only for rows with rules or a NIV_PRECIS to apply', async () => {
    const c = checker(v13);
    let loaded = 0;
    await checkRows((p) => workspaceObservations(db, { positions: p.positions }), c, (_r, row) => {
      if (row.detailsLoaded) loaded++;
    });
    // The eagles, vultures and the crayfish (the taxa with rules), and chamois 833 at eagle 832's
    // site: its 10 km cell is computed from its local geometry. Every other row read its geometry
    // and relevé with the page (propagation), nothing else.
    expect(loaded).toBe(29);
  });
});

describe('an observation without geometry', () => {
  it('matches a rule on a loaded park zone by precaution (it cannot be ruled out)', () => {
    const c = checker(local);
    const r = c.check(pointRow({ ...IN_05, cdNom: 9900307, geom: null, geomLocal: null }));
    expect([r.sensitivityLevel, r.precautions, r.blurLevel, r.reason]).toEqual([3, 8, 4, 'area-not-found']);
  });
});

describe('an overseas park: the grid follows the territory', () => {
  const reunion = TERRITORIES.REU as NonNullable<(typeof TERRITORIES)['REU']>;
  // Synthetic Réunion areas (boxes), test data: a département and one commune.
  const box = (x0: number, y0: number, x1: number, y1: number): Geometry => ({ type: 'Polygon', hasZ: false, hasM: false, coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });
  const reuAreas = new AreaIndex([
    { type: 'DEP', code: '974', name: 'La Réunion', geometry: box(55.2, -21.4, 55.9, -20.85) },
    { type: 'COM', code: '97416', name: 'Saint-Pierre (test box)', geometry: box(55.4, -21.35, 55.55, -21.2) },
  ]);
  const rules: SensitivityRule[] = [
    { id: 'reu-2', cdNom: 9900306, nomCite: null, level: 2, durationYears: null, territory: [{ type: 'DEP', code: '974' }], period: null, bioStatus: null, behaviour: null, local: true, source: { name: 'test', version: null, format: 'local' }, comment: null },
    ...v18,
  ];
  const c = new SensitivityChecker({ referential: compileReferential(rules, demoTaxonomy(), { loadedAreas: reuAreas.keys() }), blurAreas: new BlurAreas(reuAreas, reunion), asOf: AS_OF, localSrid: 2975 });
  const row = (lon: number, lat: number, cdNom: number): ObservationRow => ({
    ...emptyRow(),
    cdNom,
    dateMin: '2024-03-01',
    dateMax: null,
    bioStatus: '3',
    geom: encodeGpkg({ type: 'Point', hasZ: false, hasM: false, coordinates: [lon, lat] }, 4326),
    geomLocal: null,
  });

  it('publishes the UTM 40S cell (EPSG:2975) computed from the coordinates, checked against PROJ', async () => {
    const { gdal } = await import('../gpkg/gdal.js');
    const g = gdal();
    const ct = new g.CoordinateTransformation(g.SpatialReference.fromEPSG(4326), g.SpatialReference.fromEPSG(2975));
    const p = ct.transformPoint(55.48, -21.3);
    const r = c.check(row(55.48, -21.3, 9900306));
    expect([r.sensitivityLevel, r.areaType]).toEqual([2, 'M10']);
    expect(r.areaCodes).toBe(`10kmUTM40E${String(Math.floor(p.x / 1e4)).padStart(3, '0')}N${String(Math.floor(p.y / 1e4)).padStart(3, '0')}`);
    const pub = c.publishLast(row(55.48, -21.3, 9900306));
    expect(pub.dwc.coordinateUncertaintyInMeters).toBe(7072);
    expect(Math.abs((pub.decimalLatitude as number) + 21.3)).toBeLessThan(0.1);
  });

  it('withholds a level-4 taxon of the D4 rule', () => {
    expect(c.check(row(55.48, -21.3, 9900305))).toMatchObject({ sensitivityLevel: 4, blurLevel: 4 });
  });
});

describe('storing results', () => {
  it('writes one row per observation, in batches, with the deciding rule and published area', async () => {
    const { createResultsTable, ResultsWriter, RESOLUTIONS } = await import('./results-store.js');
    const out = new Database(':memory:');
    const c = checker(v13);
    createResultsTable(out);
    const writer = new ResultsWriter(out, c.options.referential);
    out.exec('BEGIN');
    await checkRows(workspaceCheckRows(db, c), c, (r, row) => writer.add(row.fid, r));
    writer.flush();
    out.exec('COMMIT');
    expect((out.prepare('SELECT count(*) AS n FROM sensitivity_results').get() as { n: number }).n).toBe(991);
    const vulture = out.prepare('SELECT * FROM sensitivity_results WHERE observation_fid = 383').get() as Record<string, unknown>;
    expect(vulture).toMatchObject({ resolution: RESOLUTIONS.indexOf('cd_nom'), computed_level: 3, sensitivity_level: 3, blur_level: 3, reason: 1, rule_id: 'test-referential-v13 v13:1001', area_type: 'DEP', area_codes: '05', precautions: 0 });
    out.close();
  });
});

describe('propagation: a sensitive observation blurs the observations at its site and in its relevé', () => {
  const rules = [...v13, ...v18, ...local];
  /** Lon/lat `dx` metres east and `dy` metres north of IN_05. */
  const near = (dx: number, dy: number) => ({ lon: IN_05.lon + dx / (111_320 * Math.cos((IN_05.lat * Math.PI) / 180)), lat: IN_05.lat + dy / 110_574 });
  /** A greater horseshoe bat breeding roost in 05: level 3, published as the département. */
  const ROOST = { ...IN_05, uuid: 'roost', cdNom: 60295, bioStatus: '3', releve: 'releve-roost', dateMin: '2020-06-15' };
  /** A chamois (no rule): level 0. */
  const CHAMOIS = { ...IN_05, uuid: 'chamois', cdNom: 61119, bioStatus: '1', releve: 'releve-chamois', dateMin: '2011-01-02', dateMax: null };
  const line = (coords: [number, number][]) => ({ geom: encodeGpkg({ type: 'LineString', hasZ: false, hasM: false, coordinates: coords }, 4326), geomLocal: null });
  const roostOverride = (level: 0 | 4): SensitivityOverride => ({ id: `ov-${level}`, target: { kind: 'observation', uuid: 'roost' }, level, justification: 'field check (test)', author: 't', at: '2026-01-01T00:00:00Z' });

  type Case = {
    /** The other observations (the sources and bystanders). */
    others: Parameters<typeof pointRow>[0][];
    /** The observation looked at. */
    target: Parameters<typeof pointRow>[0];
    mode?: 'site+releve' | 'releve' | 'off';
    overrides?: SensitivityOverride[];
    /** [blur level, reason, UUID of the source, area type] */
    expected: [number, string, string | null, string | null];
  };
  const cases: [string, Case][] = [
    ['the same point, another day, another relevé', { others: [ROOST], target: CHAMOIS, expected: [3, 'colocated', 'roost', 'DEP'] }],
    ['the same relevé, 5 km away', { others: [ROOST], target: { ...CHAMOIS, lon: IN_05.lon + 0.06, releve: 'releve-roost' }, expected: [3, 'same-releve', 'roost', 'DEP'] }],
    ['0.5 m north-east: the same site', { others: [ROOST], target: { ...CHAMOIS, ...near(0.5, 0.5) }, expected: [3, 'colocated', 'roost', 'DEP'] }],
    ['1.5 m north: another site', { others: [ROOST], target: { ...CHAMOIS, ...near(0, 1.5) }, expected: [0, 'none', null, null] }],
    ['1.5 m east: another site', { others: [ROOST], target: { ...CHAMOIS, ...near(1.5, 0) }, expected: [0, 'none', null, null] }],
    ['the sensitive one overridden to level 0: nothing to protect', { others: [ROOST], target: CHAMOIS, overrides: [roostOverride(0)], expected: [0, 'none', null, null] }],
    ['the sensitive one withheld (override 4): withheld too', { others: [ROOST], target: CHAMOIS, overrides: [roostOverride(4)], expected: [4, 'colocated', 'roost', null] }],
    ['a withheld unmatched taxon at the site', { others: [{ ...ROOST, cdNom: 123456789 }], target: CHAMOIS, expected: [4, 'colocated', 'roost', null] }],
    ['a public one the producer blurs (NIV_PRECIS 3) at the site', { others: [{ ...CHAMOIS, uuid: 'niv3', diffusionLevel: '3', releve: null }], target: CHAMOIS, expected: [3, 'colocated', 'niv3', 'DEP'] }],
    ['a line with a vertex at the site', { others: [ROOST], target: { ...CHAMOIS, ...line([[IN_05.lon - 0.01, IN_05.lat], [IN_05.lon, IN_05.lat], [IN_05.lon + 0.01, IN_05.lat + 0.005]]) }, expected: [3, 'colocated', 'roost', 'DEP'] }],
    ['a line crossing the site between its vertices', { others: [ROOST], target: { ...CHAMOIS, ...line([[IN_05.lon - 0.01, IN_05.lat], [IN_05.lon + 0.01, IN_05.lat]]) }, expected: [0, 'none', null, null] }],
    ['its own level higher: kept', { others: [{ ...CHAMOIS, uuid: 'niv1', diffusionLevel: '1', releve: null }], target: ROOST, expected: [3, 'sensitivity', null, 'DEP'] }],
    ['the highest of several sources wins', { others: [{ ...CHAMOIS, uuid: 'niv1', diffusionLevel: '1', releve: null }, ROOST], target: { ...CHAMOIS, uuid: 'x' }, expected: [3, 'colocated', 'roost', 'DEP'] }],
    ['mode releve: the same point is not enough', { others: [ROOST], target: CHAMOIS, mode: 'releve', expected: [0, 'none', null, null] }],
    ['mode releve: the same relevé is', { others: [ROOST], target: { ...CHAMOIS, lon: IN_05.lon + 0.06, releve: 'releve-roost' }, mode: 'releve', expected: [3, 'same-releve', 'roost', 'DEP'] }],
    ['mode off', { others: [ROOST], target: { ...CHAMOIS, releve: 'releve-roost' }, mode: 'off', expected: [0, 'none', null, null] }],
    [
      'one step only: at the point of an observation raised by its relevé, nothing',
      { others: [ROOST, { ...CHAMOIS, uuid: 'raised', lon: IN_05.lon + 0.06, releve: 'releve-roost' }], target: { ...CHAMOIS, lon: IN_05.lon + 0.06 }, expected: [0, 'none', null, null] },
    ],
    [
      'the area not found: the source withheld, the one at its site too (same reason)',
      { others: [{ ...IN_73, uuid: 'crayfish', cdNom: 18437 }], target: { ...CHAMOIS, ...IN_73 }, expected: [4, 'area-not-found', 'crayfish', null] },
    ],
  ];

  it.each(cases)('%s', (_label, t) => {
    const c = new SensitivityChecker({
      referential: compileReferential(rules, demoTaxonomy(), { loadedAreas: index.keys() }),
      blurAreas,
      asOf: AS_OF,
      overrides: new OverrideSet(t.overrides ?? []),
      localSrid: 2154,
      propagation: t.mode ?? 'site+releve',
    });
    const rows = [...t.others, t.target].map((p, i) => ({ ...pointRow(p), fid: i + 1 }));
    const target = rows[rows.length - 1] as ObservationRow;
    c.useSites(c.collectSources(rows));
    const r = { ...c.check(target) };
    const [blur, reason, from, areaType] = t.expected;
    expect([r.blurLevel, r.reason, r.propagation?.source.uuid ?? null, r.areaType]).toEqual([blur, reason, from, areaType]);
    // The explanation says the same, and names the source.
    const { outcome, published } = c.explain(target);
    expect([published.level, published.reason, outcome.propagation?.source.uuid ?? null]).toEqual([blur, reason, from]);
    // Its own SENSIBILITE is never changed by propagation; the published texts never name the source.
    expect(r.sensitivityLevel).toBe(outcome.sensitivityLevel ?? -1);
    const texts = JSON.stringify(c.publishLast(target).dwc);
    if (from) expect(texts).not.toContain(from);
    // Through checkRows (two passes) the same.
    const seen: unknown[] = [];
    return checkRows(rows, c, (x, row) => {
      if (row === target) seen.push([x.blurLevel, x.reason, x.propagation?.source.uuid ?? null, x.areaType]);
    }).then(() => expect(seen).toEqual([t.expected]));
  });

  it('publishes the area of the co-located observation itself (its commune, cell or département)', () => {
    const c = checker(rules);
    const rows = [pointRow(ROOST), pointRow({ ...CHAMOIS, ...near(0.3, -0.3) })];
    c.useSites(c.collectSources(rows));
    const roost = { ...c.check(rows[0] as ObservationRow) };
    const chamois = { ...c.check(rows[1] as ObservationRow) };
    expect([chamois.areaType, chamois.areaCodes]).toEqual([roost.areaType, roost.areaCodes]);
    expect(c.publishLast(rows[1] as ObservationRow).dwc.dataGeneralizations).toBe(
      'Location generalised to the département Hautes-Alpes (05): precaution: a sensitive observation was made at the same site. Altitude and locality removed.',
    );
  });

  it('a generator cannot be read twice: checkRows says so rather than propagating nothing', async () => {
    const c = checker(v13);
    await expect(checkRows(workspaceObservations(db), c, () => undefined)).rejects.toThrow(/reads the rows twice/);
    // With propagation off one pass is enough (and chamois 833 is published at eagle 832's point).
    const off = new SensitivityChecker({ ...c.options, propagation: 'off' });
    expect((await checkRows(workspaceObservations(db), off, () => undefined)).byBlur).toEqual([982, 1, 6, 2, 0]);
    expect((await checkRows(workspaceCheckRows(db, c), c, () => undefined)).byBlur).toEqual([981, 1, 7, 2, 0]);
  });
});

describe('the first pass reads only the rows that may be sources', () => {
  it('and finds the same sources as a scan of every row: no taxon, a text or huge cd_nom, unknown taxa, NIV_PRECIS in every spelling, overrides', () => {
    const mem = new Database(':memory:');
    mem.exec(`CREATE TABLE observations (fid INTEGER PRIMARY KEY, geom BLOB, unique_id_sinp TEXT, unique_id_sinp_grp TEXT, cd_nom INTEGER, date_min TEXT, date_max TEXT,
      cd_nomenclature_bio_status TEXT, cd_nomenclature_behaviour TEXT, cd_nomenclature_diffusion_level TEXT, dataset_uuid TEXT, geom_local_wkb BLOB)`);
    const ins = mem.prepare('INSERT INTO observations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const demoRows = db.prepare('SELECT fid, geom, unique_id_sinp, unique_id_sinp_grp, cd_nom, date_min, date_max, cd_nomenclature_bio_status, cd_nomenclature_behaviour, cd_nomenclature_diffusion_level, dataset_uuid, geom_local_wkb FROM observations').raw(true).all() as unknown[][];
    for (const r of demoRows) ins.run(...r);
    const g = (pointRow({ ...IN_05, cdNom: 1 }).geom as Uint8Array);
    const odd: [unknown, string | null][] = [
      [null, null],
      ['abc', null],
      [2n ** 60n, null],
      [123456789, null],
      [2852, null],
      [61119, ' 1'],
      [61119, '4'],
      [61119, '5'],
      [61119, ''],
      [61119, '0'],
      [61119, '02'],
      [61119, null],
      [2645.5, null],
    ];
    odd.forEach(([cd, d], i) => ins.run(10_000 + i, g, `odd-${i}`, null, cd, '2020-06-15', null, '3', '0', d, null, null));
    for (const overrides of [[], [{ id: 'ov', target: { kind: 'observation', uuid: 'odd-11' }, level: 2, justification: 'test, level 2', author: 't', at: '2026-01-01T00:00:00Z' }]] as SensitivityOverride[][]) {
      for (const policy of ['withhold', 'evaluate'] as const) {
        const c = new SensitivityChecker({ ...checker(v13, demoTaxonomy(), overrides).options, unmatchedTaxon: policy });
        const all = c.collectSources(workspaceObservations(mem, { needsDetails: c.needsDetails }));
        const read: number[] = [];
        const few = c.collectSources((function* () {
          for (const r of workspaceCheckRows(mem, c)({ pass: 'sources', positions: false })) {
            read.push(r.fid);
            yield r;
          }
        })());
        const ids = (s: typeof all) => s.list().map((x) => [x.id, x.level]);
        expect(ids(few)).toEqual(ids(all));
        expect(all.size).toBeGreaterThan(9);
        // Without overrides only a few rows are read (the taxa with rules, the odd ones); with one, every row.
        if (overrides.length === 0) expect(read.length).toBeLessThan(60);
        else expect(read.length).toBe(991 + odd.length);
      }
    }
    mem.close();
  });
});

describe('positions read as hex in the second pass', () => {
  /** GeoPackage blobs of a point written every way a file may hold it. */
  function blob(kind: string, x: number, y: number): Uint8Array | null {
    const wkbPoint = (le: boolean, type: number, coords: number[]) => {
      const b = new DataView(new ArrayBuffer(5 + 8 * coords.length));
      b.setUint8(0, le ? 1 : 0);
      b.setUint32(1, type, le);
      coords.forEach((c, i) => b.setFloat64(5 + 8 * i, c, le));
      return new Uint8Array(b.buffer);
    };
    const header = (flags: number, envelope: number[]) => {
      const le = (flags & 1) === 1;
      const b = new DataView(new ArrayBuffer(8 + 8 * envelope.length));
      b.setUint8(0, 0x47);
      b.setUint8(1, 0x50);
      b.setUint8(3, flags);
      b.setInt32(4, 4326, le);
      envelope.forEach((c, i) => b.setFloat64(8 + 8 * i, c, le));
      return new Uint8Array(b.buffer);
    };
    const cat = (a: Uint8Array, b: Uint8Array) => Uint8Array.from([...a, ...b]);
    switch (kind) {
      case 'plain':
        return encodeGpkg({ type: 'Point', hasZ: false, hasM: false, coordinates: [x, y] }, 4326);
      case 'big-endian':
        return cat(header(0x00, []), wkbPoint(false, 1, [x, y]));
      case 'envelope':
        return cat(header(0x03, [x, x, y, y]), wkbPoint(true, 1, [x, y]));
      case 'z':
        return cat(header(0x01, []), wkbPoint(true, 1001, [x, y, 1234]));
      case 'empty':
        return cat(header(0x11, []), wkbPoint(true, 1, [NaN, NaN]));
      case 'line':
        return encodeGpkg({ type: 'LineString', hasZ: false, hasM: false, coordinates: [[x + 0.004, y - 0.001], [x, y]] }, 4326);
      default:
        return null;
    }
  }

  it('give the same sites and results as the blobs, for every way a point may be written', async () => {
    const kinds = ['plain', 'big-endian', 'envelope', 'z', 'empty', 'line', 'null'];
    const mem = new Database(':memory:');
    mem.exec(`CREATE TABLE observations (fid INTEGER PRIMARY KEY, geom BLOB, unique_id_sinp TEXT, unique_id_sinp_grp TEXT, cd_nom INTEGER, date_min TEXT, date_max TEXT,
      cd_nomenclature_bio_status TEXT, cd_nomenclature_behaviour TEXT, cd_nomenclature_diffusion_level TEXT, dataset_uuid TEXT, geom_local_wkb BLOB)`);
    const ins = mem.prepare('INSERT INTO observations VALUES (?, ?, ?, NULL, ?, ?, NULL, ?, ?, NULL, NULL, NULL)');
    let fid = 1;
    kinds.forEach((kind, i) => {
      const x = IN_05.lon + i * 0.01;
      const y = IN_05.lat;
      // A bat roost (level 3) written this way with a plain chamois at its point, and the other way round.
      ins.run(fid++, blob(kind, x, y), `roost-${kind}`, 60295, '2020-06-15', '3', '0');
      ins.run(fid++, blob('plain', x, y), `chamois-at-${kind}`, 61119, '2020-06-15', '1', '0');
      ins.run(fid++, blob('plain', x, y + 0.003), `roost-for-${kind}`, 60295, '2020-06-15', '3', '0');
      ins.run(fid++, blob(kind, x, y + 0.003), `chamois-${kind}`, 61119, '2020-06-15', '1', '0');
    });
    const c = checker([...v13, ...v18, ...local]);
    const viaHex: unknown[] = [];
    const viaBlob: unknown[] = [];
    await checkRows(workspaceCheckRows(mem, c), c, (r, row) => viaHex.push([row.uuid ?? row.fid, r.blurLevel, r.reason, r.propagation?.source.uuid ?? null, r.areaCodes]));
    await checkRows(() => workspaceObservations(mem, { eager: true }), c, (r, row) => viaBlob.push([row.uuid ?? row.fid, r.blurLevel, r.reason, r.propagation?.source.uuid ?? null, r.areaCodes]));
    // The lazy rows have no UUID unless their details were read: compare by fid order, then the levels.
    expect(viaHex.map((x) => (x as unknown[]).slice(1))).toEqual(viaBlob.map((x) => (x as unknown[]).slice(1)));
    const byUuid = new Map(viaBlob.map((x) => [(x as unknown[])[0], x as unknown[]]));
    for (const kind of ['plain', 'big-endian', 'envelope', 'z', 'line']) {
      expect(byUuid.get(`chamois-at-${kind}`)?.slice(1, 4), kind).toEqual([3, 'colocated', `roost-${kind}`]);
      expect(byUuid.get(`chamois-${kind}`)?.slice(1, 4), kind).toEqual([3, 'colocated', `roost-for-${kind}`]);
    }
    // No position, no site.
    for (const kind of ['empty', 'null']) expect(byUuid.get(`chamois-at-${kind}`)?.slice(1, 4), kind).toEqual([0, 'none', null]);
    mem.close();
  });
});
