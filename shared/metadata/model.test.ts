import { describe, expect, it } from 'vitest';
import { validDataset, validFramework } from '../../test/fixtures/metadata/records.js';
import { ExportContext } from './export-context.js';
import { LICENCES, LICENCE_IDS, gbifLicenceFor, licenceFromUrl } from './licences.js';
import { actorDisplayName, blankDataset, blankFramework, isIsoDate, isUuid, joinKeywords, normalizeUuid, splitKeywords } from './model.js';
import { AcquisitionFramework, Dataset, MetadataSet } from './schemas.js';

describe('model helpers', () => {
  it.each([
    ['4A9DDA1F-B623-3E13-E053-2614A8C02B7C', true],
    ['57b7d0f2-4183-4b7b-8f08-6e105d476dc5', true],
    ['http://oafs.fr/meta/ca/57b7d0f2-4183-4b7b-8f08-6e105d476dc5', false],
    ['57b7d0f2418340b7b8f086e105d476dc5', false],
    ['', false],
  ])('isUuid(%s) is %s', (value, expected) => expect(isUuid(value)).toBe(expected));

  it('lower-cases UUIDs only', () => {
    expect(normalizeUuid(' 4A9DDA1F-B623-3E13-E053-2614A8C02B7C ')).toBe('4a9dda1f-b623-3e13-e053-2614a8c02b7c');
    expect(normalizeUuid('JDD-A')).toBe('JDD-A');
  });

  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['1900-02-29', false],
    ['2000-02-29', true],
    ['2023-04-31', false],
    ['2023-13-01', false],
    ['2023-1-01', false],
  ])('isIsoDate(%s) is %s', (value, expected) => expect(isIsoDate(value)).toBe(expected));

  it('splits and joins GeoNature keyword texts', () => {
    expect(splitKeywords('Ecrins, parc national, faune;flore, , Faune')).toEqual(['Ecrins', 'parc national', 'faune', 'flore']);
    expect(splitKeywords(null)).toEqual([]);
    expect(joinKeywords(['Ecrins', ' ', 'faune'])).toBe('Ecrins, faune');
    expect(joinKeywords([])).toBeNull();
  });

  it('shows an actor by person and organism', () => {
    expect(actorDisplayName({ role: '1', person: 'Vest Frédéric', email: null, organism: 'mnhn', organismUuid: null })).toBe('Vest Frédéric (mnhn)');
    expect(actorDisplayName({ role: '3', person: null, email: null, organism: 'DREAL Auvergne', organismUuid: null })).toBe('DREAL Auvergne');
  });
});

describe('schemas', () => {
  it('accept blank and complete records, which survive JSON unchanged', () => {
    for (const record of [blankFramework('a'), validFramework()]) expect(AcquisitionFramework.parse(JSON.parse(JSON.stringify(record)))).toEqual(record);
    for (const record of [blankDataset('a', 'b'), validDataset()]) expect(Dataset.parse(JSON.parse(JSON.stringify(record)))).toEqual(record);
  });

  it.each([
    ['an unknown key', { ...validDataset(), licence: 'CC0-1.0' }],
    ['a date with a time', { ...validDataset(), metadataCreated: '2017-06-01T16:57:44' }],
    ['a missing list', { ...validDataset(), territories: undefined }],
    ['a bbox with text', { ...validDataset(), bbox: { west: '4.8', south: 44, east: 6, north: 45 } }],
    ['an infinite bbox', { ...validDataset(), bbox: { west: Number.POSITIVE_INFINITY, south: 44, east: 6, north: 45 } }],
  ])('refuse %s', (_name, record) => {
    expect(Dataset.safeParse(record).success).toBe(false);
  });

  it('parse a set', () => {
    expect(MetadataSet.parse({ frameworks: [validFramework()], datasets: [validDataset()] }).datasets).toHaveLength(1);
  });

  it('fill export option defaults and refuse an unknown licence', () => {
    expect(ExportContext.parse({ metadataDate: '2024-05-01', licence: 'etalab-2.0' })).toEqual({
      metadataDate: '2024-05-01',
      licence: 'etalab-2.0',
      language: 'fr',
      temporalCoverage: null,
      landingPage: null,
      distributions: [],
      publisher: null,
      crsEpsg: 4326,
      inspireThemes: null,
      publicAccess: 'none',
      lineage: null,
    });
    expect(ExportContext.safeParse({ metadataDate: '2024-05-01', licence: 'CC-BY-SA-4.0' }).success).toBe(false);
    expect(ExportContext.safeParse({ licence: 'etalab-2.0' }).success).toBe(false);
  });
});

describe('licences', () => {
  it.each([
    ['http://creativecommons.org/licenses/by/4.0/legalcode', 'CC-BY-4.0'],
    ['https://creativecommons.org/licenses/by/4.0/', 'CC-BY-4.0'],
    ['http://creativecommons.org/publicdomain/zero/1.0/legalcode', 'CC0-1.0'],
    ['https://creativecommons.org/licenses/by-nc/4.0/legalcode.fr', 'CC-BY-NC-4.0'],
    ['https://www.etalab.gouv.fr/licence-ouverte-open-licence/', 'etalab-2.0'],
    ['https://github.com/etalab/licence-ouverte/blob/master/LO.md', 'etalab-2.0'],
    ['http://opendatacommons.org/licenses/odbl/1.0/', 'ODbL-1.0'],
    ['https://example.org/licence', null],
  ])('%s is %s', (url, id) => expect(licenceFromUrl(url)).toBe(id));

  it('maps each licence to one GBIF accepts, when there is one', () => {
    expect(LICENCE_IDS.map((id) => [id, gbifLicenceFor(id)])).toEqual([
      ['etalab-2.0', 'CC-BY-4.0'],
      ['CC-BY-4.0', 'CC-BY-4.0'],
      ['CC0-1.0', 'CC0-1.0'],
      ['CC-BY-NC-4.0', 'CC-BY-NC-4.0'],
      ['ODbL-1.0', null],
    ]);
    expect(Object.values(LICENCES).filter((l) => l.gbif).map((l) => l.id)).toEqual(['CC-BY-4.0', 'CC0-1.0', 'CC-BY-NC-4.0']);
  });
});
