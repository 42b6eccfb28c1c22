import { describe, expect, it } from 'vitest';
import {
  ECRINS_CA_UUID,
  geonatureSampleDatasets,
  geonatureSampleFramework,
  validDataset,
  validFramework,
  validSet,
} from '../../test/fixtures/metadata/records.js';
import { ERRORS, FIELD_LABELS, NOTES, RULES, fieldLabel, formatNote, interpolate, metadataResources, type MetadataRuleId } from './messages.js';
import { blankDataset, blankFramework } from './model.js';
import { catalogFromRows } from './nomenclatures.js';
import type { MetadataSet } from './schemas.js';
import { MetadataValidationReportSchema, formatIssue, validateMetadata, validateRecord, type MetadataIssue } from './validation.js';

/** The issues as comparable tuples: entity index, field, rule, severity. */
const brief = (issues: readonly MetadataIssue[]) => issues.map((i) => `${i.entity}[${i.index}] ${i.field} ${i.rule} ${i.severity}`);

type Case = [name: string, change: (s: MetadataSet) => void, expected: string[]];

const ca = (s: MetadataSet) => s.frameworks[0] as MetadataSet['frameworks'][number];
const jdd = (s: MetadataSet) => s.datasets[0] as MetadataSet['datasets'][number];

describe('validation rules', () => {
  it('finds nothing wrong in the completed GeoNature sample', () => {
    const report = validateMetadata(validSet(), { today: '2024-05-01' });
    expect(brief(report.issues)).toEqual([]);
    expect(report).toMatchObject({ errors: 0, warnings: 0, valid: true });
  });

  const cases: Case[] = [
    // required fields
    ['CA name empty', (s) => void (ca(s).name = '  '), ['framework[0] name required error']],
    ['CA description empty', (s) => void (ca(s).description = ''), ['framework[0] description required error']],
    ['CA without territorial level', (s) => void (ca(s).territorialLevel = null), ['framework[0] territorialLevel required error']],
    ['CA without financing type', (s) => void (ca(s).financingType = null), ['framework[0] financingType required error']],
    ['CA without objective', (s) => void (ca(s).objectives = []), ['framework[0] objectives required error']],
    ['CA without territory', (s) => void (ca(s).territories = []), ['framework[0] territories required error']],
    ['CA without start date', (s) => void (ca(s).startDate = null), ['framework[0] startDate required error']],
    ['JDD without short name', (s) => void (jdd(s).shortName = ''), ['dataset[0] shortName required error']],
    ['JDD without data type', (s) => void (jdd(s).dataType = null), ['dataset[0] dataType required error']],
    ['JDD without objective', (s) => void (jdd(s).objectives = []), ['dataset[0] objectives required error']],
    ['JDD without collecting method', (s) => void (jdd(s).collectingMethod = null), ['dataset[0] collectingMethod required error']],
    ['JDD without data origin', (s) => void (jdd(s).dataOrigin = null), ['dataset[0] dataOrigin required error']],
    ['JDD without source status', (s) => void (jdd(s).sourceStatus = null), ['dataset[0] sourceStatus required error']],
    ['JDD without resource type', (s) => void (jdd(s).resourceType = null), ['dataset[0] resourceType required error']],
    ['JDD without marine domain', (s) => void (jdd(s).marineDomain = null), ['dataset[0] marineDomain required error']],
    ['JDD without territory', (s) => void (jdd(s).territories = []), ['dataset[0] territories required error']],
    ['JDD without CA', (s) => void (jdd(s).frameworkUuid = ''), ['dataset[0] frameworkUuid required error']],
    // nomenclature codes
    ['CA objective from the old list', (s) => void (ca(s).objectives = ['7']), ['framework[0] objectives[0] code.unknown error']],
    ['unknown territorial level', (s) => void (ca(s).territorialLevel = '9'), ['framework[0] territorialLevel code.unknown error']],
    ['unknown SINP volet', (s) => void (ca(s).voletsSinp = ['1', '4']), ['framework[0] voletsSinp[1] code.unknown error']],
    ['unknown JDD objective', (s) => void (jdd(s).objectives = ['8.1']), ['dataset[0] objectives[0] code.unknown error']],
    ['data origin as a label', (s) => void (jdd(s).dataOrigin = 'Publique'), ['dataset[0] dataOrigin code.unknown error']],
    ['unknown actor role', (s) => void ((jdd(s).actors[1] as { role: string | null }).role = '0'), ['dataset[0] actors[1].role code.unknown error']],
    ['actor without role', (s) => void ((jdd(s).actors[1] as { role: string | null }).role = null), ['dataset[0] actors[1].role required error']],
    ['unknown protocol type', (s) => void ((jdd(s).protocols[0] as { type: string | null }).type = 'X'), ['dataset[0] protocols[0].type code.unknown error']],
    ['territory twice', (s) => void (jdd(s).territories = ['METROP', 'METROP']), ['dataset[0] territories[1] list.duplicate warning']],
    // contact principal
    ['no main contact on the CA', (s) => void (ca(s).actors = ca(s).actors.filter((a) => a.role !== '1')), ['framework[0] actors contact.missing error']],
    [
      'two main contacts on the JDD',
      (s) => void jdd(s).actors.push({ role: '1', person: 'Autre Personne', email: null, organism: null, organismUuid: null }),
      ['dataset[0] actors contact.multiple error'],
    ],
    ['actor without person nor organism', (s) => void jdd(s).actors.push({ role: '5', person: null, email: null, organism: ' ', organismUuid: null }), ['dataset[0] actors[4] actor.identity error']],
    [
      'two addresses in one email',
      (s) => void ((jdd(s).actors[0] as { email: string | null }).email = 'j.trondle@orange.fr;boutetmichel@mail.pf'),
      ['dataset[0] actors[0].email actor.email warning'],
    ],
    ['email "A renseigner"', (s) => void ((jdd(s).actors[0] as { email: string | null }).email = 'A renseigner'), ['dataset[0] actors[0].email text.placeholder warning']],
    ['same organism twice with the same role', (s) => void ca(s).actors.push({ ...(ca(s).actors[1] as MetadataSet['frameworks'][0]['actors'][0]) }), ['framework[0] actors[5] actor.duplicate warning']],
    ['organism UUID malformed', (s) => void ((jdd(s).actors[1] as { organismUuid: string | null }).organismUuid = 'org-1'), ['dataset[0] actors[1].organismUuid uuid.format error']],
    // dates
    ['CA closes before it starts', (s) => void (ca(s).endDate = '1970-01-01'), ['framework[0] endDate date.order error']],
    ['impossible date', (s) => void (ca(s).startDate = '2023-02-30'), ['framework[0] startDate date.format error']],
    ['MTD filler date', (s) => void (jdd(s).metadataCreated = '1900-01-01'), ['dataset[0] metadataCreated date.placeholder warning']],
    ['JDD revised before created', (s) => void (jdd(s).metadataRevised = '2016-01-01'), ['dataset[0] metadataRevised date.order error']],
    ['record updated in the future', (s) => void (ca(s).metadataUpdated = '2031-01-01'), ['framework[0] metadataUpdated date.future warning']],
    // identifiers and references
    ['JDD UUID not a UUID', (s) => void (jdd(s).uuid = 'JDD-1'), ['dataset[0] uuid uuid.format error']],
    ['JDD with its CA\'s UUID', (s) => void (jdd(s).uuid = ECRINS_CA_UUID.toUpperCase()), ['dataset[0] uuid uuid.duplicate error']],
    ['JDD of a CA that does not exist', (s) => void (jdd(s).frameworkUuid = '0e1f1b6c-0000-4000-8000-000000000000'), ['dataset[0] frameworkUuid framework.missing error']],
    ['JDD CA given as a URI', (s) => void (jdd(s).frameworkUuid = `http://oafs.fr/meta/ca/${ECRINS_CA_UUID}`), ['dataset[0] frameworkUuid uuid.format error']],
    ['JDD attached to a méta-cadre', (s) => void (ca(s).isMetaFramework = true), ['dataset[0] frameworkUuid framework.isMeta warning']],
    ['CA parent is itself', (s) => void (ca(s).parentUuid = ECRINS_CA_UUID), ['framework[0] parentUuid parent.self error']],
    ['CA parent unknown here', (s) => void (ca(s).parentUuid = '4a9dda1f-b68b-3e13-e053-2614a8c02b7c'), ['framework[0] parentUuid parent.missing warning']],
    // texts
    ['CA name over 255 characters', (s) => void (ca(s).name = 'x'.repeat(256)), ['framework[0] name text.tooLong error']],
    ['JDD name over the form\'s 150', (s) => void (jdd(s).name = 'x'.repeat(151)), ['dataset[0] name text.long warning']],
    ['JDD short name over the form\'s 30', (s) => void (jdd(s).shortName = 'Mollusques marins de Polynésie française'), ['dataset[0] shortName text.long warning']],
    ['description "null"', (s) => void (ca(s).description = 'null'), ['framework[0] description text.placeholder warning']],
    ['keyword twice', (s) => void (jdd(s).keywords = ['Faune', 'faune ']), ['dataset[0] keywords[1] list.duplicate warning']],
    // JDD specifics
    ['JDD neither marine nor terrestrial', (s) => void (jdd(s).terrestrialDomain = false), ['dataset[0] terrestrialDomain domain.none warning']],
    ['two JDD objectives', (s) => void (jdd(s).objectives = ['1.1', '3.4']), ['dataset[0] objectives objectives.multiple warning']],
    ['bbox in Lambert 93', (s) => void (jdd(s).bbox = { west: 900000, south: 6300000, east: 1000000, north: 6450000 }), ['dataset[0] bbox bbox.range error']],
    ['bbox south above north', (s) => void (jdd(s).bbox = { west: 4.8, south: 45.25, east: 6.8, north: 44.5 }), ['dataset[0] bbox bbox.order error']],
    ['bbox west east of east', (s) => void (jdd(s).bbox = { west: 6.8, south: 44.5, east: 4.8, north: 45.25 }), ['dataset[0] bbox bbox.antimeridian warning']],
    ['bbox 0,0,0,0', (s) => void (jdd(s).bbox = { west: 0, south: 0, east: 0, north: 0 }), ['dataset[0] bbox bbox.empty warning']],
    ['protocol without name', (s) => void ((jdd(s).protocols[0] as { name: string }).name = ''), ['dataset[0] protocols[0].name required error']],
    ['protocol URL without scheme', (s) => void ((jdd(s).protocols[0] as { url: string | null }).url = 'www.ecrins-parcnational.fr/protocole'), ['dataset[0] protocols[0].url url.format warning']],
    ['publication without reference', (s) => void ca(s).publications.push({ reference: '', url: 'https://doi.org/10.1234/x' }), ['framework[0] publications[0].reference required error']],
  ];

  it.each(cases)('%s', (_name, change, expected) => {
    const set = validSet();
    change(set);
    expect(brief(validateMetadata(set, { today: '2024-05-01' }).issues)).toEqual(expected);
  });

  it('reports the GeoNature test sample as stored: no main contact, a méta-cadre holding JDD, CA objectives and territories missing', () => {
    const report = validateMetadata({ frameworks: [geonatureSampleFramework()], datasets: geonatureSampleDatasets() });
    expect(brief(report.issues)).toEqual([
      'framework[0] objectives required error',
      'framework[0] territories required error',
      'framework[0] actors contact.missing error',
      'dataset[0] frameworkUuid framework.isMeta warning',
      'dataset[0] actors contact.missing error',
      'dataset[1] frameworkUuid framework.isMeta warning',
      'dataset[1] actors contact.missing error',
    ]);
    expect(report).toMatchObject({ errors: 5, warnings: 2, valid: false });
  });

  it('accepts a JDD whose CA is known outside the set (on the server)', () => {
    const set = { frameworks: [], datasets: [validDataset()] };
    expect(brief(validateMetadata(set).issues)).toEqual(['dataset[0] frameworkUuid framework.missing error']);
    expect(validateMetadata(set, { knownFrameworkUuids: [ECRINS_CA_UUID.toUpperCase()] }).issues).toEqual([]);
  });

  it('finds a loop of méta-cadres', () => {
    const a = { ...validFramework(), uuid: '11111111-1111-4111-8111-111111111111', name: 'A', isMetaFramework: true, parentUuid: '22222222-2222-4222-8222-222222222222' };
    const b = { ...validFramework(), uuid: '22222222-2222-4222-8222-222222222222', name: 'B', isMetaFramework: true, parentUuid: a.uuid };
    const issues = validateMetadata({ frameworks: [a, b], datasets: [] }).issues;
    expect(brief(issues)).toEqual(['framework[0] parentUuid parent.cycle error', 'framework[1] parentUuid parent.cycle error']);
    expect(issues[0]?.params.path).toBe('A → B → A');
  });

  it('flags a duplicate UUID on the second record, naming the first', () => {
    const second = { ...validDataset(), name: 'Copie' };
    const issues = validateMetadata({ frameworks: [validFramework()], datasets: [validDataset(), second] }).issues;
    expect(brief(issues)).toEqual(['dataset[1] uuid uuid.duplicate error']);
    expect(issues[0]?.params).toMatchObject({ otherEntity: 'le JDD', otherIndex: 0, otherName: 'Conctat aléatoire tous règnes confondus' });
  });

  it('checks codes against the catalog it is given (a GeoNature database that lacks a value)', () => {
    const catalog = catalogFromRows([{ type: 'DATA_TYP', code: '2', labelFr: 'Occurrences d’habitats' }]);
    expect(brief(validateMetadata(validSet(), { catalog }).issues)).toEqual(['dataset[0] dataType code.unknown error']);
  });

  it('validates blank records without throwing, and lists every required field', () => {
    const report = validateMetadata({ frameworks: [blankFramework('')], datasets: [blankDataset('', '')] });
    const required = report.issues.filter((i) => i.rule === 'required' || i.rule === 'contact.missing').map((i) => `${i.entity}.${i.field}`);
    expect(required).toEqual([
      'framework.uuid',
      'framework.name',
      'framework.description',
      'framework.territorialLevel',
      'framework.financingType',
      'framework.objectives',
      'framework.territories',
      'framework.actors',
      'framework.startDate',
      'dataset.uuid',
      'dataset.frameworkUuid',
      'dataset.name',
      'dataset.shortName',
      'dataset.description',
      'dataset.dataType',
      'dataset.objectives',
      'dataset.collectingMethod',
      'dataset.dataOrigin',
      'dataset.sourceStatus',
      'dataset.resourceType',
      'dataset.marineDomain',
      'dataset.terrestrialDomain',
      'dataset.territories',
      'dataset.actors',
    ]);
  });

  it('is deterministic and JSON-safe', () => {
    const input = { frameworks: [geonatureSampleFramework()], datasets: geonatureSampleDatasets() };
    const a = validateMetadata(input);
    expect(validateMetadata(JSON.parse(JSON.stringify(input)) as MetadataSet)).toEqual(a);
    expect(MetadataValidationReportSchema.parse(JSON.parse(JSON.stringify(a)))).toEqual(a);
  });

  it('validates one record in its set (for a form)', () => {
    const set = validSet();
    const edited = { ...validDataset(), frameworkUuid: '0e1f1b6c-0000-4000-8000-000000000000' };
    expect(brief(validateRecord('dataset', edited, 0, set))).toEqual(['dataset[0] frameworkUuid framework.missing error']);
    expect(validateRecord('framework', validFramework(), 0, set)).toEqual([]);
  });
});

describe('messages', () => {
  const cases = Object.keys(RULES) as MetadataRuleId[];

  it.each(cases)('rule %s has a French and an English message and fix with the same parameters', (rule) => {
    const r = RULES[rule];
    const params = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    expect(params(r.fr.message)).toEqual(params(r.en.message));
    expect(params(r.fr.fix)).toEqual(params(r.en.fix));
    expect(r.fr.message).toContain('{{field}}');
    expect(r.en.message).toContain('{{field}}');
    expect(r.fr.fix.length).toBeGreaterThan(10);
    expect(r.en.fix.length).toBeGreaterThan(10);
  });

  it('notes and errors have the same parameters in both languages', () => {
    const params = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [id, n] of [...Object.entries(NOTES), ...Object.entries(ERRORS)]) expect(params(n.fr), id).toEqual(params(n.en));
  });

  it('names the field, the problem and the fix, in French and in English', () => {
    const set = validSet();
    (jdd(set).actors[0] as { email: string | null }).email = 'j.trondle@orange.fr;boutetmichel@mail.pf';
    const [issue] = validateMetadata(set).issues;
    expect(formatIssue(issue as MetadataIssue, 'fr')).toEqual({
      severity: 'warning',
      field: 'Acteurs du JDD n°1 › Courriel de l’acteur',
      message: '« Acteurs du JDD n°1 › Courriel de l’acteur » : « j.trondle@orange.fr;boutetmichel@mail.pf » n’est pas une adresse électronique valide.',
      fix: 'Saisissez une seule adresse de la forme nom@domaine.fr ; pour deux personnes, créez deux acteurs.',
    });
    expect(formatIssue(issue as MetadataIssue, 'en').message).toBe('"JDD actors #1 › Actor email": "j.trondle@orange.fr;boutetmichel@mail.pf" is not a valid email address.');
  });

  it('every issue the rules can raise formats without a leftover placeholder', () => {
    const set: MetadataSet = { frameworks: [geonatureSampleFramework(), blankFramework('x')], datasets: [...geonatureSampleDatasets(), blankDataset('y', 'z')] };
    const issues = validateMetadata(set, { today: '2000-01-01' }).issues;
    expect(issues.length).toBeGreaterThan(20);
    for (const i of issues) {
      for (const lang of ['fr', 'en'] as const) {
        const f = formatIssue(i, lang);
        expect(`${f.message} ${f.fix}`, `${i.rule} ${lang}`).not.toMatch(/\{\{|undefined/);
        expect(f.field).not.toMatch(/^[a-z]+[A-Z]|\[/);
      }
    }
  });

  it('has a label for every field of the model', () => {
    for (const f of Object.keys(validFramework())) expect(FIELD_LABELS.framework, f).toHaveProperty(f);
    for (const f of Object.keys(validDataset())) expect(FIELD_LABELS.dataset, f).toHaveProperty(f);
    expect(fieldLabel('dataset', 'protocols[1].url', 'en')).toBe('Protocols #2 › Protocol URL');
  });

  it('exports flat i18next resources with the same keys in both languages', () => {
    const fr = metadataResources('fr');
    const en = metadataResources('en');
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    expect(fr['metadata.rules.contact.missing.fix']).toContain('Contact principal');
    expect(en['metadata.errors.notMtd']).toContain('http://inpn.mnhn.fr/mtd');
  });

  it('formats notes with field labels and the record concerned', () => {
    expect(formatNote({ id: 'import.nullText', params: { entity: 'framework', field: 'description', record: 'ABC' } }, 'fr')).toBe(
      'ABC : « Description du CA » valait le texte « null », lu comme une valeur vide.',
    );
    expect(formatNote({ id: 'export.notInFormat', params: { format: 'MTD', entity: 'dataset', fields: 'collectingMethod, sourceStatus' } }, 'en')).toBe(
      'MTD has no element for Collection method, Source status: these fields are not written.',
    );
    expect(interpolate('{{a}} {{b}}', { a: 1 })).toBe('1 {{b}}');
  });
});
