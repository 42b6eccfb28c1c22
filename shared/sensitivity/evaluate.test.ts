import { describe, expect, it } from 'vitest';
import { AS_OF, testTaxonomy } from '../../test/fixtures/sensitivity/fixtures.js';
import { compileReferential } from './compile.js';
import { decideBlur, evaluateObservation, type EvaluationContext, type ObservationInput } from './evaluate.js';
import type { BlurLevel, SensitivityLevel } from './levels.js';
import { OverrideSet, checkOverride, type SensitivityOverride } from './overrides.js';
import type { SensitivityRule } from './rule.js';
import type { AreaRef } from './territory.js';

const taxonomy = testTaxonomy();

/** A rule with every criterion open unless given. */
function rule(p: Partial<SensitivityRule> & { id: string; cdNom: number; level: SensitivityLevel }): SensitivityRule {
  return {
    nomCite: null,
    durationYears: null,
    territory: null,
    period: null,
    bioStatus: null,
    behaviour: null,
    local: false,
    source: { name: 'unit', version: '1', format: 'v18' },
    comment: null,
    ...p,
  };
}

const DEP05: AreaRef = { type: 'DEP', code: '05' };
const DEP38: AreaRef = { type: 'DEP', code: '38' };
const COM05101: AreaRef = { type: 'COM', code: '05101' };

/** An observation in Hautes-Alpes (commune 05101), status and behaviour known, in 2017. */
function obs(p: Partial<ObservationInput> = {}): ObservationInput {
  return {
    uuid: 'obs-1',
    cdNom: 2852,
    dateMin: '2017-04-19',
    dateMax: '2017-04-19',
    bioStatus: '3',
    behaviour: '12',
    diffusionLevel: null,
    areas: [DEP05, COM05101],
    ...p,
  };
}

function evaluate(rules: SensitivityRule[], o: ObservationInput, ctx: Partial<EvaluationContext> = {}, loadedAreas?: Set<string>) {
  const ref = compileReferential(rules, taxonomy, loadedAreas ? { loadedAreas } : {});
  expect(ref.diagnostics.invalid).toEqual([]);
  return evaluateObservation(ref, o, { asOf: AS_OF, ...ctx });
}

const levelOf = (rules: SensitivityRule[], o: ObservationInput, ctx: Partial<EvaluationContext> = {}) => evaluate(rules, o, ctx).computedLevel;

describe('each criterion', () => {
  // [label, rule fields, observation fields, expected level]
  const cases: [string, Partial<SensitivityRule>, Partial<ObservationInput>, SensitivityLevel][] = [
    ['no criteria: applies', {}, {}, 3],
    ['taxon: another taxon', { cdNom: 2645 }, {}, 0],
    ['territory: the département', { territory: [DEP05] }, {}, 3],
    ['territory: another département', { territory: [DEP38] }, {}, 0],
    ['territory: any of several', { territory: [DEP38, DEP05] }, {}, 3],
    ['territory: the 2016 region of 05 (PACA 93)', { territory: [{ type: 'REG', code: '93' }] }, {}, 3],
    ['territory: a region 05 is not in (AURA 84)', { territory: [{ type: 'REG', code: '84' }] }, {}, 0],
    ['territory: a 1970 region (Rhône-Alpes 82) from Isère', { territory: [{ type: 'REG', code: '82' }] }, { areas: [DEP38] }, 3],
    ['territory: metropolitan France', { territory: [{ type: 'TER', code: 'FXX' }] }, {}, 3],
    ['territory: metropolitan France, not Réunion', { territory: [{ type: 'TER', code: 'FXX' }] }, { areas: [{ type: 'DEP', code: '974' }] }, 0],
    ['territory: the commune', { territory: [COM05101] }, {}, 3],
    ['territory: another commune', { territory: [{ type: 'COM', code: '05006' }] }, {}, 0],
    ['period: inside', { period: { start: '03-01', end: '05-31' } }, {}, 3],
    ['period: outside', { period: { start: '05-01', end: '05-31' } }, {}, 0],
    ['period wrapping the year end: April in October–July', { period: { start: '10-01', end: '07-31' } }, {}, 3],
    ['period wrapping the year end: December in October–July', { period: { start: '10-01', end: '07-31' } }, { dateMin: '2015-12-11', dateMax: '2015-12-11' }, 3],
    ['period wrapping the year end: August outside October–July', { period: { start: '10-01', end: '07-31' } }, { dateMin: '2017-08-25', dateMax: '2017-08-25' }, 0],
    ['period: 29 February on 29 February', { period: { start: '02-29', end: '02-29' } }, { dateMin: '2016-02-29', dateMax: null }, 3],
    ['period: 29 February on 1 March', { period: { start: '02-29', end: '02-29' } }, { dateMin: '2017-03-01', dateMax: null }, 0],
    ['duration: 9 years ago, duration 10', { durationYears: 10 }, { dateMin: '2017-04-19', dateMax: null }, 3],
    ['duration: exactly 10 calendar years, duration 10', { durationYears: 10 }, { dateMin: '2016-12-31', dateMax: null }, 3],
    ['duration: 10 years, first day of the year', { durationYears: 10 }, { dateMin: '2016-01-01', dateMax: null }, 3],
    ['duration: 11 years, duration 10', { durationYears: 10 }, { dateMin: '2015-12-31', dateMax: null }, 0],
    ['duration 0: same year', { durationYears: 0 }, { dateMin: '2026-01-02', dateMax: null }, 3],
    ['duration 0: previous year', { durationYears: 0 }, { dateMin: '2025-12-31', dateMax: null }, 0],
    ['duration: counted from date_max', { durationYears: 10 }, { dateMin: '2014-05-01', dateMax: '2016-05-01' }, 3],
    ['duration: future observation', { durationYears: 0 }, { dateMin: '2027-01-01', dateMax: null }, 3],
    ['status: listed', { bioStatus: ['3'] }, {}, 3],
    ['status: any of several', { bioStatus: ['4', '3'] }, {}, 3],
    ['status: not listed', { bioStatus: ['4'] }, {}, 0],
    ['status: empty matches by precaution', { bioStatus: ['4'] }, { bioStatus: null }, 3],
    ['status 0 Inconnu matches by precaution', { bioStatus: ['4'] }, { bioStatus: '0' }, 3],
    ['status 1 Non renseigné matches by precaution', { bioStatus: ['4'] }, { bioStatus: '1' }, 3],
    ['status 2 Non déterminé matches by precaution', { bioStatus: ['4'] }, { bioStatus: '2' }, 3],
    ['status 9 Pas de reproduction is a known, different status', { bioStatus: ['3'] }, { bioStatus: '9' }, 0],
    ['behaviour: listed', { behaviour: ['12'] }, {}, 3],
    ['behaviour: not listed', { behaviour: ['7'] }, {}, 0],
    ['behaviour 0 NSP matches by precaution', { behaviour: ['7'] }, { behaviour: '0' }, 3],
    ['behaviour 1 Non renseigné matches by precaution', { behaviour: ['7'] }, { behaviour: '1' }, 3],
    ['status AND behaviour: both hold', { bioStatus: ['3'], behaviour: ['12'] }, {}, 3],
    ['status AND behaviour: behaviour fails', { bioStatus: ['3'], behaviour: ['7'] }, {}, 0],
    ['status AND behaviour: status fails', { bioStatus: ['4'], behaviour: ['12'] }, {}, 0],
    ['every criterion at once', { territory: [DEP05], period: { start: '10-01', end: '07-31' }, durationYears: 10, bioStatus: ['3'], behaviour: ['12'] }, {}, 3],
  ];
  it.each(cases)('%s', (_label, r, o, level) => {
    expect(levelOf([rule({ id: 'r', cdNom: 2852, level: 3, ...r })], obs(o))).toBe(level);
  });
});

describe('precautions are explained', () => {
  it('names the criteria taken as met', () => {
    const out = evaluate([rule({ id: 'r', cdNom: 2852, level: 2, bioStatus: ['3'], behaviour: ['7'], territory: [DEP05], durationYears: 5 })], obs({ bioStatus: null, behaviour: '1', dateMin: 'unknown', areas: null }));
    expect(out.computedLevel).toBe(2);
    expect(out.matches[0]?.precautions).toEqual(['DATE', 'BIO_STATUS', 'BEHAVIOUR', 'TERRITORY']);
  });

  it('a plain match has no precaution', () => {
    const out = evaluate([rule({ id: 'r', cdNom: 2852, level: 2, bioStatus: ['3'] })], obs());
    expect(out.matches[0]?.precautions).toEqual([]);
  });

  it('an observation outside every loaded département matches département rules by precaution', () => {
    const out = evaluate([rule({ id: 'r', cdNom: 2852, level: 3, territory: [DEP38] })], obs({ areas: [COM05101], locatedTypes: ['COM'] }));
    expect(out.computedLevel).toBe(3);
    expect(out.matches[0]?.precautions).toEqual(['TERRITORY']);
  });

  it('a rule on a protected area that is not loaded matches by precaution; loaded, it is a definite no', () => {
    const r = rule({ id: 'r', cdNom: 2852, level: 3, territory: [{ type: 'ZNIEFF1', code: '930012345' }] });
    expect(evaluate([r], obs()).matches[0]?.precautions).toEqual(['TERRITORY']);
    expect(evaluate([r], obs(), {}, new Set(['ZNIEFF1:930012345'])).computedLevel).toBe(0);
    expect(evaluate([r], obs({ areas: [DEP05, { type: 'ZNIEFF1', code: '930012345' }] }), {}, new Set(['ZNIEFF1:930012345'])).computedLevel).toBe(3);
  });
});

describe('taxa: synonyms and descendants', () => {
  const onSpecies = [rule({ id: 'species', cdNom: 60295, level: 3 })];
  const onGenus = [rule({ id: 'genus', cdNom: 9900001, level: 2 })];
  const onSynonym = [rule({ id: 'synonym', cdNom: 9900201, level: 4 })];
  const onFamily = [rule({ id: 'family', cdNom: 9900002, level: 1 })];

  // [label, rules, observed cd_nom, level, inherited]
  it.each([
    ['the species itself', onSpecies, 60295, 3, false],
    ['a subspecies inherits the species rule', onSpecies, 9900101, 3, true],
    ['an observation under a synonym gets the valid name’s rule', onSpecies, 9900201, 3, false],
    ['a rule declared on a synonym applies to the valid name', onSynonym, 60295, 4, false],
    ['a genus rule reaches its species', onGenus, 60313, 2, true],
    ['a genus rule reaches a subspecies two levels down', onGenus, 9900101, 2, true],
    ['a family rule reaches its species', onFamily, 60295, 1, true],
    ['a genus rule does not reach another genus', onGenus, 60345, 0, false],
    ['a species rule does not climb to the genus', onSpecies, 9900001, 0, false],
    ['a child whose cd_taxsup names a synonym is still a descendant', onSpecies, 9900202, 3, true],
  ] as const)('%s', (_label, rules, cdNom, level, inherited) => {
    const out = evaluate([...rules], obs({ cdNom }));
    expect(out.computedLevel).toBe(level);
    if (level > 0) expect(out.matches[0]?.inherited).toBe(inherited);
  });

  it('a cd_taxsup cycle neither loops nor loses the rule', () => {
    const ref = compileReferential([rule({ id: 'c', cdNom: 9900309, level: 1 })], taxonomy);
    expect(ref.byTaxon.get(9900309)?.rules.length).toBe(1);
    expect(ref.byTaxon.get(9900310)?.rules.length).toBe(1);
  });

  it('a rule on a taxon the taxonomy does not know applies to that cd_nom only, and is reported', () => {
    const ref = compileReferential([rule({ id: 'u', cdNom: 9999999, level: 2 })], taxonomy);
    expect(ref.diagnostics.unknownTaxa).toEqual([{ ruleId: 'u', cdNom: 9999999 }]);
    expect(evaluateObservation(ref, obs({ cdNom: 9999999 }), { asOf: AS_OF, unmatchedTaxon: 'evaluate' }).computedLevel).toBe(2);
  });
});

describe('ties and the highest level', () => {
  it('the highest level wins and every matching rule is kept, best first', () => {
    const out = evaluate(
      [rule({ id: 'low', cdNom: 2852, level: 1 }), rule({ id: 'high', cdNom: 9900006, level: 3 }), rule({ id: 'mid', cdNom: 2852, level: 2 }), rule({ id: 'other', cdNom: 2645, level: 4 })],
      obs(),
    );
    expect(out.computedLevel).toBe(3);
    expect(out.matches.map((m) => m.ruleId)).toEqual(['high', 'mid', 'low']);
  });

  it('on a tie, a local rule comes first, then file order', () => {
    const out = evaluate(
      [rule({ id: 'national-a', cdNom: 2852, level: 2 }), rule({ id: 'national-b', cdNom: 2852, level: 2 }), rule({ id: 'local', cdNom: 2852, level: 2, local: true })],
      obs(),
    );
    expect(out.matches.map((m) => m.ruleId)).toEqual(['local', 'national-a', 'national-b']);
  });

  it('a level-0 rule that matches gives level 0 and is explained', () => {
    const out = evaluate([rule({ id: 'zero', cdNom: 2852, level: 0 })], obs());
    expect(out.computedLevel).toBe(0);
    expect(out.matches.map((m) => m.ruleId)).toEqual(['zero']);
    expect(out.blur).toEqual({ level: 0, reason: 'none' });
  });

  it('no matching rule: level 0, nothing to explain', () => {
    const out = evaluate([rule({ id: 'r', cdNom: 2645, level: 4 })], obs());
    expect(out).toMatchObject({ computedLevel: 0, matches: [], sensitivityLevel: 0, blur: { level: 0, reason: 'none' } });
  });
});

describe('taxa the referential does not know', () => {
  const rules = [rule({ id: 'r', cdNom: 60295, level: 3 })];

  it('resolves through the observation’s own cd_ref', () => {
    const out = evaluate(rules, obs({ cdNom: 123456789, cdRefHint: 60295 }));
    expect(out.taxon).toEqual({ cdNom: 123456789, cdRef: 60295, resolution: 'cd_ref' });
    expect(out.computedLevel).toBe(3);
  });

  it('otherwise is reported and withheld, never silently "not sensitive"', () => {
    const out = evaluate(rules, obs({ cdNom: 123456789, cdRefHint: 987654321 }));
    expect(out.taxon.resolution).toBe('unmatched');
    expect(out.sensitivityLevel).toBeNull();
    expect(out.blur).toEqual({ level: 4, reason: 'unmatched-taxon' });
  });

  it('an observation without a taxon is reported the same way', () => {
    const out = evaluate(rules, obs({ cdNom: null }));
    expect(out.taxon.resolution).toBe('no-taxon');
    expect(out.blur).toEqual({ level: 4, reason: 'unmatched-taxon' });
  });

  it('the "evaluate" policy publishes per the rules on its exact cd_nom, still reporting it', () => {
    const out = evaluate(rules, obs({ cdNom: 123456789 }), { unmatchedTaxon: 'evaluate' });
    expect(out.taxon.resolution).toBe('unmatched');
    expect(out.sensitivityLevel).toBeNull();
    expect(out.blur).toEqual({ level: 0, reason: 'none' });
  });

  it('an override decides for an unmatched taxon', () => {
    const o: SensitivityOverride = { id: 'o', target: { kind: 'observation', uuid: 'obs-1' }, level: 1, justification: 'Taxon checked by hand', author: 'geomaticien', at: '2026-06-01T10:00:00Z' };
    const out = evaluate(rules, obs({ cdNom: 123456789 }), { overrides: new OverrideSet([o]) });
    expect(out.sensitivityLevel).toBe(1);
    expect(out.blur).toEqual({ level: 1, reason: 'override' });
  });
});

describe('NIV_PRECIS combines with sensitivity, the coarser wins', () => {
  // [sensitivity, NIV_PRECIS, expected blur, reason]
  const table: [SensitivityLevel, string | null, BlurLevel, string][] = [
    [0, null, 0, 'none'],
    [0, '0', 0, 'none'],
    [0, '5', 0, 'none'],
    [0, '1', 1, 'diffusion'],
    [0, '2', 2, 'diffusion'],
    [0, '3', 3, 'diffusion'],
    [0, '4', 4, 'diffusion'],
    [0, 'NSP', 0, 'none'],
    [2, '0', 2, 'sensitivity'],
    [2, '5', 2, 'sensitivity'],
    [2, '1', 2, 'sensitivity'],
    [2, '2', 2, 'sensitivity'],
    [2, '3', 3, 'diffusion'],
    [3, '2', 3, 'sensitivity'],
    [1, '4', 4, 'diffusion'],
    [4, '1', 4, 'sensitivity'],
  ];
  it.each(table)('sensitivity %i with NIV_PRECIS %j → %i (%s)', (s, d, blur, reason) => {
    expect(decideBlur(s, s, false, d)).toEqual({ level: blur, reason });
    const rules = s > 0 ? [rule({ id: 'r', cdNom: 2852, level: s })] : [];
    expect(evaluate(rules, obs({ diffusionLevel: d })).blur).toEqual({ level: blur, reason });
  });
});

describe('overrides', () => {
  const rules = [rule({ id: 'r', cdNom: 2852, level: 3 })];
  const base = { justification: 'Nest abandoned since 2010', author: 'geomaticien' };
  const byUuid = (level: SensitivityLevel, at = '2026-06-01T10:00:00Z', uuid = 'obs-1'): SensitivityOverride => ({ ...base, id: `u-${at}`, target: { kind: 'observation', uuid }, level, at });
  const byFilter = (level: SensitivityLevel, filter: object, at: string): SensitivityOverride => ({ ...base, id: `f-${at}`, target: { kind: 'filter', filter }, level, at });

  it('lowers a level with a justification, and NIV_PRECIS still applies on top', () => {
    const out = evaluate(rules, obs({ diffusionLevel: '2' }), { overrides: new OverrideSet([byUuid(0)]) });
    expect(out.computedLevel).toBe(3);
    expect(out.sensitivityLevel).toBe(0);
    expect(out.override?.justification).toBe('Nest abandoned since 2010');
    expect(out.blur).toEqual({ level: 2, reason: 'diffusion' });
  });

  it('raises a level', () => {
    const out = evaluate(rules, obs(), { overrides: new OverrideSet([byUuid(4)]) });
    expect(out.blur).toEqual({ level: 4, reason: 'override' });
  });

  it('a per-observation override beats a later filter; the latest of two filters wins', () => {
    const f1 = byFilter(1, { cdNoms: [2852] }, '2026-01-01T00:00:00Z');
    const f2 = byFilter(2, { cdNoms: [2852], dateFrom: '2017-01-01' }, '2026-02-01T00:00:00Z');
    const set = new OverrideSet([f1, f2]);
    expect(evaluate(rules, obs(), { overrides: set }).sensitivityLevel).toBe(2);
    expect(evaluate(rules, obs({ dateMin: '2016-05-01', dateMax: null }), { overrides: set }).sensitivityLevel).toBe(1);
    const withUuid = new OverrideSet([f2, byUuid(4, '2025-01-01T00:00:00Z'), f1]);
    expect(evaluate(rules, obs(), { overrides: withUuid }).sensitivityLevel).toBe(4);
  });

  it('filters select by taxon (cd_nom or resolved cd_ref), dataset, dates and area', () => {
    const f = (filter: object) => new OverrideSet([byFilter(1, filter, '2026-01-01T00:00:00Z')]);
    expect(evaluate(rules, obs({ cdNom: 9900201 }), { overrides: f({ cdNoms: [60295] }) }).override).not.toBeNull();
    expect(evaluate(rules, obs(), { overrides: f({ datasetUuids: ['jdd-a'] }) }).override).toBeNull();
    expect(evaluate(rules, obs({ datasetUuid: 'jdd-a' }), { overrides: f({ datasetUuids: ['jdd-a'] }) }).override).not.toBeNull();
    expect(evaluate(rules, obs(), { overrides: f({ dateTo: '2016-12-31' }) }).override).toBeNull();
    expect(evaluate(rules, obs(), { overrides: f({ areas: [COM05101] }) }).override).not.toBeNull();
    expect(evaluate(rules, obs(), { overrides: f({ areas: [{ type: 'REG', code: '93' }] }) }).override).not.toBeNull();
    expect(evaluate(rules, obs(), { overrides: f({ areas: [DEP38] }) }).override).toBeNull();
  });

  it('a justification is mandatory', () => {
    expect(checkOverride(byUuid(0))).toEqual([]);
    expect(checkOverride({ ...byUuid(0), justification: '   ' }).map((p) => p.code)).toEqual(['justification']);
    expect(checkOverride({ ...byUuid(0), justification: 'ok' }).map((p) => p.code)).toEqual(['justification']);
    expect(checkOverride(byFilter(1, {}, '2026-01-01')).map((p) => p.code)).toEqual(['filter-empty']);
  });
});

describe('compilation', () => {
  it('reports invalid rules instead of dropping them silently', () => {
    const ref = compileReferential(
      [rule({ id: 'ok', cdNom: 2852, level: 2 }), rule({ id: 'bad-level', cdNom: 2852, level: 7 as SensitivityLevel }), rule({ id: 'bad-period', cdNom: 2852, level: 1, period: { start: '02-30', end: '03-01' } }), rule({ id: 'ok', cdNom: 2645, level: 1 })],
      taxonomy,
    );
    expect(ref.rules.map((r) => r.id)).toEqual(['ok']);
    expect(ref.diagnostics.invalid.map((i) => [i.ruleId, i.problems.map((p) => p.code)])).toEqual([
      ['bad-level', ['level']],
      ['bad-period', ['period']],
      ['ok', ['rule-id-duplicate']],
    ]);
  });

  it('expands a genus rule to every valid taxon below it', () => {
    const ref = compileReferential([rule({ id: 'g', cdNom: 9900001, level: 2 })], taxonomy);
    expect([...ref.byTaxon.keys()].sort((a, b) => a - b)).toEqual([60295, 60313, 9900001, 9900101, 9900202]);
    expect(ref.diagnostics.expandedPairs).toBe(5);
  });
});
