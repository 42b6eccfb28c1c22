import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture } from '../../../test/fixtures/sensitivity/fixtures.js';
import { localRules, rulesFromGeoNature, type SensitivityRule } from '../../../shared/sensitivity/index.js';
import { isAppError } from '../errors.js';
import { decodeText, parseCsv } from './csv.js';
import { loadReferentialFile, parseReferential } from './referential.js';

const tmp = mkdtempSync(join(tmpdir(), 'passerelle-sensitivity-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const byId = (rules: SensitivityRule[]) => new Map(rules.map((r) => [r.id, r]));
const withoutSource = (r: SensitivityRule) => ({ ...r, id: '', source: { ...r.source, name: '', version: null } });

describe('the v13 layout (comma)', () => {
  it('reads every rule with its territory, period, duration and criteria', async () => {
    const ref = await loadReferentialFile(fixture('test-referential-v13.csv'));
    expect(ref.errors).toEqual([]);
    expect(ref.rules).toHaveLength(20);
    expect(ref.provenance).toMatchObject({ name: 'test-referential-v13', version: '13', layout: 'v13', encoding: 'utf-8', delimiter: ',' });
    expect(ref.provenance.sha256).toMatch(/^[0-9a-f]{64}$/);
    const rules = byId(ref.rules);
    expect(rules.get('test-referential-v13 v13:1001')).toMatchObject({
      cdNom: 2852,
      nomCite: 'Gypaetus barbatus',
      level: 3,
      durationYears: null,
      territory: [{ type: 'DEP', code: '05' }],
      period: { start: '10-01', end: '07-31' },
      bioStatus: null,
      behaviour: null,
      local: false,
      comment: "Nidification, d'octobre à juillet",
      source: { name: 'test-referential-v13', version: '13', format: 'v13', line: 2 },
    });
    expect(rules.get('test-referential-v13 v13:1003')).toMatchObject({ durationYears: 10, territory: [{ type: 'TER', code: 'FXX' }], bioStatus: ['3'], period: { start: '02-01', end: '08-31' } });
    expect(rules.get('test-referential-v13 v13:1004')).toMatchObject({ territory: [{ type: 'REG', code: '93' }], level: 1 });
    // 7 (swarming) moved from STATUT_BIO to OCC_COMPORTEMENT.
    expect(rules.get('test-referential-v13 v13:1012')).toMatchObject({ territory: [{ type: 'REG', code: '82' }], bioStatus: null, behaviour: ['7'] });
    expect(rules.get('test-referential-v13 v13:1014')?.level).toBe(0);
    expect(rules.get('test-referential-v13 v13:1017')?.period).toEqual({ start: '02-29', end: '02-29' });
    expect(rules.get('test-referential-v13 v13:1020')?.period).toEqual({ start: '12-15', end: '01-15' });
  });
});

describe('the v18 layout (semicolon)', () => {
  it('reads UTF-8 with a byte-order mark', async () => {
    const ref = await loadReferentialFile(fixture('test-referential-v18.csv'), { name: 'RefSensibilite TEST', version: '18-test' });
    expect(ref.errors).toEqual([]);
    expect(ref.rules).toHaveLength(19);
    expect(ref.provenance).toMatchObject({ name: 'RefSensibilite TEST', version: '18-test', layout: 'v18', encoding: 'utf-8-bom', delimiter: ';' });
    const first = ref.rules[0];
    expect(first).toMatchObject({ id: 'RefSensibilite TEST v18-test:line 2', cdNom: 2645, level: 2, territory: [{ type: 'DEP', code: '05' }], bioStatus: ['3'], behaviour: null, period: null, durationYears: null });
    const find = (cdNom: number, dep: string) => ref.rules.find((r) => r.cdNom === cdNom && r.territory?.[0]?.code === dep);
    expect(find(9900305, '974')).toMatchObject({ level: 4 }); // D4 → 974
    expect(find(9900306, '2A')).toMatchObject({ level: 1 });
    expect(find(9900306, '05')).toMatchObject({ bioStatus: ['3'], behaviour: ['12'], comment: 'Status and behaviour; both (synthetic)' });
    expect(find(9900001, '38')).toMatchObject({ behaviour: ['7'], bioStatus: null });
    expect(find(9900301, '05')).toMatchObject({ durationYears: 10 });
    expect(find(18437, '05')?.comment).toBe('Écrevisse : stations');
  });

  it('reads the same rules from Latin-1 with CRLF and the CD_DEPT spelling', async () => {
    const utf8 = await loadReferentialFile(fixture('test-referential-v18.csv'));
    const latin1 = await loadReferentialFile(fixture('test-referential-v18-latin1.csv'));
    expect(latin1.provenance.encoding).toBe('windows-1252');
    expect(latin1.errors).toEqual([]);
    expect(latin1.rules.map(withoutSource)).toEqual(utf8.rules.map(withoutSource));
    expect(latin1.rules.find((r) => r.cdNom === 60295)?.comment).toBe('Gîtes');
  });

  it('matches columns by name, in any order, and lists the columns it ignores', () => {
    const text = 'REMARQUE;cd_dep;Cd_Sensibilite;cd_nom;DUREE\nx;05;3;2852;\ny;38;2;2645;5\nz;;1;18437;\n';
    const ref = parseReferential(new TextEncoder().encode(text), { name: 'reordered' });
    expect(ref.errors).toEqual([]);
    expect(ref.ignoredColumns).toEqual(['remarque']);
    expect(ref.rules.map((r) => [r.cdNom, r.level, r.territory?.[0]?.code, r.durationYears])).toEqual([
      [2852, 3, '05', null],
      [2645, 2, '38', 5],
      [18437, 1, undefined, null],
    ]);
    expect(ref.rules[2]?.territory).toBeNull();
  });

  it('reports every bad line with its number and reason, and keeps the good ones', async () => {
    const ref = await loadReferentialFile(fixture('test-referential-v18-bad-lines.csv'));
    expect(ref.rules.map((r) => r.nomCite)).toEqual(['Aquila chrysaetos']);
    expect(ref.errors.map((e) => [e.line, e.code])).toEqual([
      [3, 'cd-nom'],
      [4, 'level'],
      [5, 'departement'],
      [6, 'duration'],
      [7, 'duration'],
      [8, 'field-count'],
      [9, 'cd-nom'],
      [10, 'level'],
      [11, 'statut-bio'],
      [12, 'csv'],
    ]);
    expect(ref.errors[2]?.message).toBe('line 5: département "XX" is not a département code');
    expect(ref.dataLines).toBe(11);
  });
});

describe('files that are not referentials', () => {
  it('refuses a header of neither layout, naming the missing columns', () => {
    try {
      parseReferential(new TextEncoder().encode('cd_nom;lb_nom\n2852;Gypaetus barbatus\n'), { file: '/data/taxref.csv' });
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e, 'INVALID_INPUT')).toBe(true);
      expect((e as { key: string }).key).toBe('errors.SENSITIVITY_REFERENTIAL_COLUMNS');
      expect((e as Error).message).toContain('/data/taxref.csv');
    }
  });

  it('refuses a v18 file without its département column', () => {
    expect(() => parseReferential(new TextEncoder().encode('CD_NOM;CD_SENSIBILITE\n2852;3\n'))).toThrow(/missing column\(s\) cd_dep/);
  });

  it('refuses an empty file', () => {
    expect(() => parseReferential(new Uint8Array(0))).toThrow(/empty/);
  });

  it('says a missing file is missing', async () => {
    await expect(loadReferentialFile(join(tmp, 'nope.csv'))).rejects.toMatchObject({ code: 'NOT_FOUND', key: 'errors.FILE_NOT_FOUND' });
  });

  it('says a folder is not a file', async () => {
    await expect(loadReferentialFile(tmp)).rejects.toMatchObject({ code: 'UNREADABLE', key: 'errors.IS_DIRECTORY' });
  });
});

describe('encodings and CSV records', () => {
  it.each([
    ['UTF-8 without BOM', Buffer.from('é;ü', 'utf8'), 'utf-8'],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('é;ü', 'utf8')]), 'utf-8-bom'],
    ['Latin-1', Buffer.from('é;ü', 'latin1'), 'windows-1252'],
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('é;ü', 'utf16le')]), 'utf-16le'],
  ])('%s', (_label, bytes, encoding) => {
    expect(decodeText(bytes)).toEqual({ text: 'é;ü', encoding });
  });

  it('keeps quoted delimiters, quotes and line ends, and numbers lines', () => {
    const recs = parseCsv('a;b\r\n"x;y";"say ""hi"""\r\n"multi\nline";z\n\n1;2', ';');
    expect(recs.map((r) => [r.line, r.fields])).toEqual([
      [1, ['a', 'b']],
      [2, ['x;y', 'say "hi"']],
      [3, ['multi\nline', 'z']],
      [6, ['1', '2']],
    ]);
  });
});

describe('local rules and rules pulled from GeoNature', () => {
  it('reads the park’s local rules, marked local', () => {
    const file = JSON.parse(readFileSync(fixture('local-rules.json'), 'utf8')) as unknown;
    const out = localRules(file);
    expect(out.errors).toEqual([]);
    expect(out.rules.map((r) => [r.id, r.local, r.source.format])).toEqual([
      ['pne-aigle-05096', true, 'local'],
      ['pne-zone-test', true, 'local'],
      ['pne-testus-aequalis', true, 'local'],
      ['pne-commune-test', true, 'local'],
    ]);
    expect(out.rules[0]).toMatchObject({ level: 4, period: { start: '01-15', end: '08-31' }, territory: [{ type: 'COM', code: '05096' }] });
  });

  it('reports local rules that are not rules', () => {
    const out = localRules({ name: 'x', rules: [{ id: 'a', cdNom: 2852, level: 9 }, { id: 'b', level: 1 }, { id: 'c', cdNom: 2852, level: '2', period: { start: '02-31', end: '03-01' } }] });
    expect(out.rules).toEqual([]);
    expect(out.errors.map((e) => e.index)).toEqual([0, 1, 2]);
  });

  it('reads gn_sensitivity rows: areas, criteria (without the unknown-only lists GeoNature adds), inactive rows, the 10000-year duration', () => {
    const out = rulesFromGeoNature(
      [
        { id_sensitivity: 1, cd_nom: 2645, nom_cite: 'Aquila chrysaetos', cd_nomenclature_sensitivity: '2', sensitivity_duration: 10000, date_min: null, date_max: null, source: 'RefSensibilite_18', active: true, comments: null },
        { id_sensitivity: 2, cd_nom: 2852, nom_cite: null, cd_nomenclature_sensitivity: '3', sensitivity_duration: 5, date_min: '1900-10-01', date_max: '1900-07-31', source: 'local', active: 1, comments: 'x' },
        { id_sensitivity: 3, cd_nom: 2852, nom_cite: null, cd_nomenclature_sensitivity: '4', sensitivity_duration: 5, date_min: null, date_max: null, source: 'old', active: false, comments: null },
      ],
      [
        { id_sensitivity: 1, type_code: 'DEP', area_code: '05' },
        { id_sensitivity: 2, type_code: 'REG_1970', area_code: '82' },
      ],
      [
        { id_sensitivity: 1, type_mnemonique: 'STATUT_BIO', cd_nomenclature: '3' },
        { id_sensitivity: 1, type_mnemonique: 'STATUT_BIO', cd_nomenclature: '0' },
        { id_sensitivity: 1, type_mnemonique: 'OCC_COMPORTEMENT', cd_nomenclature: '0' },
        { id_sensitivity: 1, type_mnemonique: 'OCC_COMPORTEMENT', cd_nomenclature: '1' },
      ],
    );
    expect(out.inactive).toBe(1);
    expect(out.errors).toEqual([]);
    expect(out.rules[0]).toMatchObject({ id: 'geonature:1', durationYears: null, territory: [{ type: 'DEP', code: '05' }], bioStatus: ['3', '0'], behaviour: null, period: null });
    expect(out.rules[1]).toMatchObject({ id: 'geonature:2', durationYears: 5, territory: [{ type: 'REG', code: '82' }], period: { start: '10-01', end: '07-31' } });
  });
});

describe('overrides checked by the engine', () => {
  it('refuses an override without a justification, with its own error key', async () => {
    const { validatedOverrides } = await import('./overrides.js');
    const ok = { id: 'o1', target: { kind: 'observation' as const, uuid: 'u' }, level: 0 as const, justification: 'Nest abandoned (2024 survey)', author: 'a', at: '2026-01-01' };
    expect(validatedOverrides([ok]).size).toBe(1);
    expect(() => validatedOverrides([{ ...ok, justification: '  ' }])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', key: 'errors.SENSITIVITY_OVERRIDE_JUSTIFICATION' }));
    expect(() => validatedOverrides([{ ...ok, author: '' }])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', key: 'errors.INVALID_INPUT' }));
  });
});
