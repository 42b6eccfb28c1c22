import { describe, expect, it } from 'vitest';
import type { CheckId } from '../contract/schemas/cleanup.js';
import { CHECKS, checkRow, findingMessage, isProofUrl, type CheckContext, type CheckRow } from './checks.js';
import { FRANCE_BOX, inBox } from './coords.js';
import { parseWkt, type SimpleGeometry } from './geometry.js';
import { SYNTHESE_CATALOG } from './nomenclatures.js';
import { buildTaxonomy } from './taxonomy.js';

// A real Écrins observation (demo fid 5, Buteo buteo), as the workspace stores it.
const BASE: Record<string, unknown> = {
  unique_id_sinp: '38cf6aa0-df52-4052-adfe-4eee5a92ce75',
  dataset_uuid: '5b2f4a0e-7c1d-4e8a-9f3b-2d6c8e1a4b70',
  cd_nom: 2623,
  nom_cite: 'Buteo buteo',
  date_min: '2017-09-20',
  date_max: '2017-09-20',
  observers: 'Rutili Marine, Rippert Laurent',
  count_min: 1,
  count_max: 1,
  altitude_min: 1839,
  altitude_max: 1839,
  cd_nomenclature_life_stage: '2',
  cd_nomenclature_exist_proof: '0',
};
const POINT = parseWkt('POINT(6.4362 44.6490)');

const taxonomy = buildTaxonomy(
  [
    { cdNom: 2623, cdRef: 2623, names: ['Buteo buteo', 'Buse variable'] },
    { cdNom: 3608, cdRef: 3608, names: ['Dryocopus martius', 'Pic noir'] },
    { cdNom: 99001, cdRef: 3608, names: ['Picus martius'] },
  ],
  'test',
);
// The Hautes-Alpes, roughly (a box is enough for the rules; the engine uses the real areas).
const hautesAlpes = (lon: number, lat: number) => lon > 5.4 && lon < 7.1 && lat > 44.1 && lat < 45.2;

function ctx(over: Partial<CheckContext> = {}): CheckContext {
  return {
    enabled: new Set(CHECKS.map((c) => c.id)),
    today: '2026-01-01',
    minYear: 1850,
    catalog: SYNTHESE_CATALOG,
    taxonomy,
    inTerritory: hautesAlpes,
    departementOf: (lon, lat) => (hautesAlpes(lon, lat) ? '05' : null),
    departements: [],
    referenceBox: FRANCE_BOX,
    toLonLat: (x, y, srs) => (srs === 'EPSG:2154' && x > 900000 && x < 1000000 ? [6.4, 44.6] : null),
    ...over,
  };
}

const run = (values: Record<string, unknown>, geometry: SimpleGeometry | null = POINT, invalidReason: string | null = null, c = ctx()) => {
  const row: CheckRow = { fid: 1, values: { ...BASE, ...values }, geometry, invalidReason };
  return checkRow(row, c);
};

describe('checks', () => {
  it('a real, correct observation has no finding', () => {
    expect(run({})).toEqual([]);
  });

  const cases: Array<[string, Record<string, unknown>, CheckId, string, unknown?]> = [
    ['date missing', { date_min: null }, 'date.missing', 'date_min'],
    ['end date missing: suggests the start date', { date_max: '' }, 'date.missing', 'date_max', '2017-09-20'],
    ['French date', { date_min: '20/09/2017' }, 'date.unparseable', 'date_min', '2017-09-20'],
    ['impossible date', { date_min: '31/02/2017' }, 'date.unparseable', 'date_min'],
    ['end before start', { date_max: '2017-09-19' }, 'date.end-before-start', 'date_max'],
    ['future', { date_min: '2099-06-01', date_max: '2099-06-01' }, 'date.future', 'date_min'],
    ['implausible year', { date_min: '1066-10-14', date_max: '1066-10-14' }, 'date.implausible-year', 'date_min'],
    ['unknown taxon code: suggests the code of the name', { cd_nom: 123456789 }, 'taxon.unknown-code', 'cd_nom', 2623],
    ['name of another taxon', { nom_cite: 'Pic noir' }, 'taxon.name-code-mismatch', 'cd_nom'],
    ['code missing, name known', { cd_nom: null, nom_cite: 'Buse variable' }, 'taxon.code-from-name', 'cd_nom', 2623],
    ['count min > max', { count_min: 20, count_max: 5 }, 'count.min-gt-max', 'count_min'],
    ['negative count', { count_min: -1 }, 'count.negative', 'count_min'],
    ['altitude min > max', { altitude_min: 20, altitude_max: 10 }, 'altitude.min-gt-max', 'altitude_min'],
    ['depth min > max', { depth_min: 20, depth_max: 10 }, 'depth.min-gt-max', 'depth_min'],
    ['not an integer', { altitude_min: 'a' }, 'value.not-integer', 'altitude_min'],
    ['not a SINP value: suggests the code of the label', { cd_nomenclature_life_stage: 'Adulte' }, 'nomenclature.unknown-value', 'cd_nomenclature_life_stage', '2'],
    ['not a SINP value at all', { cd_nomenclature_exist_proof: '?' }, 'nomenclature.unknown-value', 'cd_nomenclature_exist_proof'],
    ['mojibake', { observers: 'Nicolas Marie-GeneviÃ¨ve' }, 'encoding.mojibake', 'observers', 'Nicolas Marie-Geneviève'],
    ['lost characters', { observers: 'Nicolas Marie-Genevi\ufffdve' }, 'encoding.lost-characters', 'observers'],
    ['mandatory observers', { observers: null }, 'mandatory.missing', 'observers'],
    ['mandatory JDD', { dataset_uuid: '' }, 'mandatory.missing', 'dataset_uuid'],
    ['literature without reference', { cd_nomenclature_source_status: 'Li' }, 'mandatory.conditional', 'reference_biblio'],
    ['invalid UUID', { unique_id_sinp: 'abcdef' }, 'uuid.invalid', 'unique_id_sinp'],
    ['proof yes but none given', { cd_nomenclature_exist_proof: '1' }, 'proof.inconsistent', 'cd_nomenclature_exist_proof'],
    ['proof no but a URL given', { cd_nomenclature_exist_proof: '2', digital_proof: 'https://test.fr' }, 'proof.inconsistent', 'cd_nomenclature_exist_proof'],
    ['bad proof URL', { cd_nomenclature_exist_proof: '1', digital_proof: 'htt://ik.fr' }, 'proof.invalid-url', 'digital_proof'],
  ];
  it.each(cases)('%s', (_name, values, check, field, suggested) => {
    const found = run(values).filter((f) => f.check === check);
    expect(found.map((f) => f.field)).toContain(field);
    const f = found.find((x) => x.field === field);
    if (suggested !== undefined) expect(f?.suggestion?.value).toBe(suggested);
    // Every finding renders in both languages, placeholders filled.
    const m = findingMessage(check, f?.params ?? {});
    expect(m.fr).not.toMatch(/\{\{/);
    expect(m.en).not.toMatch(/\{\{/);
  });

  it.each<[string, SimpleGeometry | null, string | null, CheckId, Record<string, unknown>?]>([
    ['missing geometry', null, null, 'geometry.missing'],
    ['empty geometry', parseWkt('POINT EMPTY'), null, 'geometry.empty'],
    ['invalid (GEOS said so)', parseWkt('POLYGON((6.4 44.6, 6.5 44.7, 6.5 44.6, 6.4 44.7, 6.4 44.6))'), 'self-intersection', 'geometry.invalid', { fix: 'make-valid' }],
    ['swapped', parseWkt('POINT(44.6490 6.4362)'), null, 'geometry.swapped', { fix: 'swap-coordinates', value: '6.4362 44.649' }],
    ['Lambert-93 in degrees', parseWkt('POINT(950123.4 6410456.7)'), null, 'geometry.projected', { fix: 'reproject', params: { from: 'EPSG:2154' } }],
    ['outside the territory', parseWkt('POINT(2.35 48.85)'), null, 'geometry.outside-territory'],
  ])('%s', (_name, geometry, reason, check, suggestion) => {
    const found = run({}, geometry, reason).filter((f) => f.check === check);
    expect(found).toHaveLength(1);
    if (suggestion) expect(found[0]?.suggestion).toMatchObject(suggestion);
  });

  it('outside the expected département', () => {
    const c = ctx({ inTerritory: () => true, departementOf: () => '38', departements: ['05'] });
    expect(run({}, POINT, null, c).map((f) => f.check)).toEqual(['geometry.outside-departement']);
  });

  it('runs only the enabled checks', () => {
    const c = ctx({ enabled: new Set<CheckId>(['count.min-gt-max']) });
    expect(run({ count_min: 9, count_max: 1, observers: null, date_min: 'x' }, null, null, c).map((f) => f.check)).toEqual(['count.min-gt-max']);
  });

  it('without a taxonomy, no taxon check runs', () => {
    expect(run({ cd_nom: 123456789 }, POINT, null, ctx({ taxonomy: null }))).toEqual([]);
  });

  it('accepts the proof URLs GeoNature accepts', () => {
    for (const ok of ['https://test.fr', 'http://178.32.193.151', 'geonature.fr', 'ftp://test.com']) expect(isProofUrl(ok), ok).toBe(true);
    for (const bad of ['http:/ik.fr', 'htt://ik.fr', 'http://ik']) expect(isProofUrl(bad), bad).toBe(false);
  });

  it('every check has a title and message in both languages', () => {
    for (const c of CHECKS) {
      expect(c.title.fr && c.title.en && c.message.fr && c.message.en, c.id).toBeTruthy();
      expect([...c.message.fr.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort(), c.id).toEqual([...c.message.en.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort());
    }
  });
});

describe('territory box fallback', () => {
  it('uses the reference box when the workspace has no areas', () => {
    const c = ctx({ inTerritory: null, departementOf: null });
    expect(run({}, parseWkt('POINT(44.6490 6.4362)'), null, c).map((f) => f.check)).toEqual(['geometry.swapped']);
    expect(inBox(6.4, 44.6, FRANCE_BOX)).toBe(true);
  });
});
