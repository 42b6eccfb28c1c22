import { describe, expect, it } from 'vitest';
import { AS_OF, testTaxonomy } from '../../test/fixtures/sensitivity/fixtures.js';
import { compileReferential } from './compile.js';
import { evaluateObservation, type ObservationInput } from './evaluate.js';
import { dwcGeneralization } from './generalization.js';
import { SITE_CELL_DEG, SITE_TOLERANCE_DEG, SensitiveSites, preferredPropagation, type Propagation, type PropagationMode } from './propagation.js';
import type { SensitivityRule } from './rule.js';

/** A source at (x, y), level, relevé. */
type Src = { uuid: string | null; id: number; level: number; at: number[]; releve?: string | null };

function sites(sources: Src[], mode: PropagationMode = 'site+releve'): SensitiveSites {
  const s = new SensitiveSites(mode);
  for (const x of sources) s.add(x, x.at, x.at.length >> 1, x.releve ?? null);
  return s;
}

const X = 6.45;
const Y = 44.86;
const T = SITE_TOLERANCE_DEG;
/** The next double above v. */
const up = (v: number) => {
  const b = new Float64Array([v]);
  const i = new BigInt64Array(b.buffer);
  i[0] = (i[0] as bigint) + (v >= 0 ? 1n : -1n);
  return b[0] as number;
};

describe('the same site: both coordinates within 1e-5° (not a rounding)', () => {
  const eagle: Src = { uuid: 'eagle', id: 1, level: 2, at: [X, Y] };
  // [label, vertices of the observation, coincides]
  it.each([
    ['the same point', [X, Y], true],
    ['0.4e-5° east, 0.7e-5° south', [X + 0.4 * T, Y - 0.7 * T], true],
    ['0.99e-5° away on both axes', [X + 0.99 * T, Y - 0.99 * T], true],
    ['1.01e-5° east', [X + 1.01 * T, Y], false],
    ['1.5 m north (1.36e-5°)', [X, Y + 1.5 / 110_574], false],
    ['1.5 m east at 45° N (1.9e-5°)', [X + 1.5 / (111_320 * Math.cos((Y * Math.PI) / 180)), Y], false],
    ['0.5 m north-east', [X + 0.5 / 78_900, Y + 0.5 / 110_574], true],
    ['a line with one vertex at the site', [X - 0.01, Y, X, Y, X + 0.01, Y + 0.01], true],
    ['a line crossing the site between its vertices', [X - 0.01, Y, X + 0.01, Y], false],
    ['no geometry', [], false],
    ['NaN coordinates (an empty point)', [NaN, NaN], false],
  ] as const)('%s', (_label, at, coincides) => {
    const found = sites([eagle]).find(at, at.length >> 1, null);
    expect(found?.source.uuid ?? null).toBe(coincides ? 'eagle' : null);
    if (found) expect(found.via).toBe('site');
  });

  it('the box is closed: exactly 1e-5° away coincides, the next double beyond does not', () => {
    // At 0° the differences are exact; elsewhere (X + 1e-5) − X is rarely exactly 1e-5.
    const s = sites([{ ...eagle, at: [0, 0] }]);
    expect(s.find([T, -T], 1, null)?.source.uuid).toBe('eagle');
    expect(s.find([up(T), 0], 1, null)).toBeNull();
    expect(s.find([0, -up(T)], 1, null)).toBeNull();
  });

  it('two points 2e-6° apart on either side of a cell boundary coincide (no rounding edge)', () => {
    const edge = Math.ceil(X / SITE_CELL_DEG) * SITE_CELL_DEG;
    for (const [a, b] of [
      [edge - 1e-6, edge + 1e-6],
      [edge + 1e-6, edge - 1e-6],
    ] as const) {
      expect(Math.floor(a / SITE_CELL_DEG)).not.toBe(Math.floor(b / SITE_CELL_DEG));
      expect(sites([{ ...eagle, at: [a, Y] }]).find([b, Y], 1, null)?.source.uuid).toBe('eagle');
      expect(sites([{ ...eagle, at: [X, a] }]).find([X, b], 1, null)?.source.uuid).toBe('eagle');
    }
  });

  it('every vertex of a sensitive line or polygon is a site', () => {
    const transect: Src = { uuid: 'transect', id: 2, level: 3, at: [X, Y, X + 0.01, Y, X + 0.01, Y + 0.01] };
    expect(sites([transect]).find([X + 0.01, Y + 0.01], 1, null)?.source.uuid).toBe('transect');
    expect(sites([transect]).find([X + 0.005, Y], 1, null)).toBeNull();
  });

  it('coordinates far outside ±180°/±90° (a layer in the wrong system) are compared exactly too', () => {
    const s = sites([{ uuid: 'metres', id: 3, level: 1, at: [945_000.5, 6_410_000.25] }]);
    expect(s.find([945_000.5, 6_410_000.25], 1, null)?.source.uuid).toBe('metres');
    expect(s.find([945_001.5, 6_410_000.25], 1, null)).toBeNull();
  });
});

describe('which source, and when it raises', () => {
  it('the highest level, then by site before by relevé, then the smallest UUID, then the smallest id', () => {
    const s = sites([
      { uuid: 'b', id: 10, level: 2, at: [X, Y], releve: 'R' },
      { uuid: 'a', id: 11, level: 2, at: [X, Y] },
      { uuid: 'c', id: 12, level: 3, at: [X + 1, Y], releve: 'R' },
      { uuid: null, id: 1, level: 2, at: [X, Y] },
    ]);
    expect(s.find([X, Y], 1, null)).toMatchObject({ source: { uuid: 'a', level: 2 }, via: 'site' });
    expect(s.find([X, Y], 1, 'R')).toMatchObject({ source: { uuid: 'c', level: 3 }, via: 'releve' });
    expect(s.find([5, 45], 1, 'R')).toMatchObject({ source: { uuid: 'c' }, via: 'releve' });
    const p = (level: 1 | 2, via: 'site' | 'releve', uuid: string | null, id: number): Propagation => ({ source: { uuid, id, level }, via });
    expect(preferredPropagation(p(2, 'releve', 'a', 1), p(1, 'site', 'a', 1))).toBe(true);
    expect(preferredPropagation(p(1, 'site', 'z', 9), p(1, 'releve', 'a', 1))).toBe(true);
    expect(preferredPropagation(p(1, 'site', 'a', 9), p(1, 'site', null, 1))).toBe(true);
    expect(preferredPropagation(p(1, 'site', 'a', 1), p(1, 'site', 'a', 2))).toBe(true);
  });

  it('raises only above the observation’s own level, never from 4, and level-0 rows are no sources', () => {
    const s = sites([
      { uuid: 'cell', id: 1, level: 2, at: [X, Y] },
      { uuid: 'public', id: 2, level: 0, at: [X + 1, Y] },
    ]);
    expect(s.size).toBe(1);
    expect(s.raise(0, [X, Y], 1, null)?.source.uuid).toBe('cell');
    expect(s.raise(1, [X, Y], 1, null)?.source.uuid).toBe('cell');
    expect(s.raise(2, [X, Y], 1, null)).toBeNull();
    expect(s.raise(4, [X, Y], 1, null)).toBeNull();
    expect(s.raise(0, [X + 1, Y], 1, null)).toBeNull();
  });

  it('an empty relevé is none; modes releve and off', () => {
    const src: Src[] = [{ uuid: 's', id: 1, level: 1, at: [X, Y], releve: '' }];
    expect(sites(src).find([5, 45], 1, '')).toBeNull();
    const r: Src[] = [{ uuid: 's', id: 1, level: 1, at: [X, Y], releve: 'R' }];
    expect(sites(r, 'releve').find([X, Y], 1, null)).toBeNull();
    expect(sites(r, 'releve').find([5, 45], 1, 'R')?.via).toBe('releve');
    expect(sites(r, 'off').find([X, Y], 1, 'R')).toBeNull();
    expect(sites(r, 'off').size).toBe(0);
  });
});

describe('in the evaluation', () => {
  const rule: SensitivityRule = {
    id: 'r',
    cdNom: 2852,
    nomCite: null,
    level: 3,
    durationYears: null,
    territory: null,
    period: null,
    bioStatus: null,
    behaviour: null,
    local: false,
    source: { name: 'unit', version: '1', format: 'v18' },
    comment: null,
  };
  const ref = compileReferential([rule], testTaxonomy());
  const obs = (p: Partial<ObservationInput>): ObservationInput => ({ uuid: 'o', cdNom: 2645, dateMin: '2017-04-19', areas: [{ type: 'DEP', code: '05' }], vertices: [X, Y], ...p });

  it('an observation keeps its own level but takes the blurring of a sensitive one at its site', () => {
    const s = new SensitiveSites();
    s.add({ uuid: 'vulture', id: 7, level: 3 }, [X, Y], 1, 'R');
    const out = evaluateObservation(ref, obs({ releve: 'other' }), { asOf: AS_OF, sites: s });
    expect(out).toMatchObject({ computedLevel: 0, sensitivityLevel: 0, blur: { level: 3, reason: 'colocated' }, propagation: { via: 'site', source: { uuid: 'vulture', level: 3 } } });
    const far = evaluateObservation(ref, obs({ vertices: [X + 0.1, Y], releve: 'R' }), { asOf: AS_OF, sites: s });
    expect(far).toMatchObject({ blur: { level: 3, reason: 'same-releve' }, propagation: { via: 'releve' } });
    const without = evaluateObservation(ref, obs({}), { asOf: AS_OF });
    expect(without).toMatchObject({ blur: { level: 0, reason: 'none' }, propagation: null });
    // NIV_PRECIS above the source's level: the producer's wish stands.
    expect(evaluateObservation(ref, obs({ diffusionLevel: '4' }), { asOf: AS_OF, sites: s })).toMatchObject({ blur: { level: 4, reason: 'diffusion' }, propagation: null });
  });

  it('the published texts say why, never which observation', () => {
    const base = { sensitivityLevel: 0, diffusionLevel: null, source: null, cdNom: 61119, uncertaintyMeters: 7072, areas: [{ code: '10kmL93E097N643', name: null }] };
    const en = dwcGeneralization({ ...base, level: 2, reason: 'colocated' });
    expect(en.dataGeneralizations).toBe('Location generalised to the 10 km grid cell 10kmL93E097N643: precaution: a sensitive observation was made at the same site. Altitude and locality removed.');
    expect(dwcGeneralization({ ...base, level: 4, reason: 'same-releve' }, 'fr').informationWithheld).toBe(
      'Localisation non diffusée : précaution : le relevé dont elle fait partie contient une observation sensible. La localisation précise peut être demandée au producteur.',
    );
    expect(dwcGeneralization({ ...base, level: 4, reason: 'area-not-found', requestedLevel: 1, requestedReason: 'colocated' }).informationWithheld).toBe(
      'Location withheld: the commune to generalise to could not be determined (a sensitive observation was made at the same site). The precise location may be available from the producer on request.',
    );
  });
});
