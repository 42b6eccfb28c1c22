import { describe, expect, it } from 'vitest';
import { validDataset, validFramework } from '../../../test/fixtures/metadata/records.js';
import type { Dataset, ExportContextInput } from '../../../shared/metadata/index.js';
import { resolveExport } from './export-common.js';
import { DESCRIPTION_MAX, DESCRIPTION_MIN, boundedDescription, exportDcat, exportSchemaOrg } from './jsonld.js';

const context: ExportContextInput = {
  metadataDate: '2024-05-01',
  licence: 'etalab-2.0',
  temporalCoverage: { start: '2000-01-10', end: '2017-10-02' },
  landingPage: 'https://data.ecrins-parcnational.fr/jdd/4d331cae',
  distributions: [{ url: 'https://data.ecrins-parcnational.fr/jdd/4d331cae.csv', mediaType: 'text/csv', title: 'Observations (CSV)' }],
  publisher: { name: 'Parc national des Écrins', url: 'https://www.ecrins-parcnational.fr' },
};
type Doc = Record<string, unknown>;

describe('DCAT (JSON-LD)', () => {
  it('writes the dataset as data.gouv.fr maps DCAT', () => {
    const out = exportDcat({ dataset: validDataset(), framework: validFramework(), context });
    expect(out).toMatchObject({ format: 'dcat', mediaType: 'application/ld+json', extension: '.jsonld', notes: [] });
    const doc = JSON.parse(out.content) as Doc;
    expect(doc).toMatchObject({
      '@id': 'https://data.ecrins-parcnational.fr/jdd/4d331cae',
      '@type': 'dcat:Dataset',
      'dct:identifier': '4d331cae-65e4-4948-b0b2-a11bc5bb46c2',
      'dct:title': { '@value': 'Conctat aléatoire tous règnes confondus', '@language': 'fr' },
      'dcat:theme': [{ '@id': 'http://inspire.ec.europa.eu/theme/sd' }],
      'dct:language': { '@id': 'http://publications.europa.eu/resource/authority/language/FRA' },
      'dct:issued': { '@value': '2017-06-01', '@type': 'xsd:date' },
      'dct:modified': { '@value': '2018-02-01', '@type': 'xsd:date' },
      'dct:license': { '@id': 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/' },
      'dct:spatial': { 'dcat:bbox': { '@value': 'POLYGON((4.85695 44.502,6.85654 44.502,6.85654 45.25,4.85695 45.25,4.85695 44.502))', '@type': 'gsp:wktLiteral' } },
      'dct:temporal': { '@type': 'dct:PeriodOfTime', 'dcat:startDate': { '@value': '2000-01-10' }, 'dcat:endDate': { '@value': '2017-10-02' } },
      'dcat:contactPoint': { '@type': 'vcard:Individual', 'vcard:fn': 'Dupont Marie', 'vcard:hasEmail': { '@id': 'mailto:marie.dupont@example.org' } },
      'dct:publisher': { '@type': 'foaf:Organization', 'foaf:name': 'Parc national des Écrins', 'foaf:homepage': { '@id': 'https://www.ecrins-parcnational.fr' } },
      'dct:isPartOf': { '@id': 'urn:uuid:57b7d0f2-4183-4b7b-8f08-6e105d476dc5' },
      'dcat:landingPage': { '@id': 'https://data.ecrins-parcnational.fr/jdd/4d331cae' },
      'dcat:distribution': [
        {
          '@type': 'dcat:Distribution',
          'dcat:accessURL': { '@id': 'https://data.ecrins-parcnational.fr/jdd/4d331cae.csv' },
          'dcat:mediaType': { '@id': 'https://www.iana.org/assignments/media-types/text/csv' },
          'dct:license': { '@id': 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/' },
        },
      ],
    });
    expect((doc['dcat:keyword'] as { '@value': string }[]).map((k) => k['@value'])).toEqual([
      'Aléatoire', 'hors protocole', 'faune', 'flore', 'fonge', 'Occurrences de Taxons', 'Observations naturalistes opportunistes', 'Métropole',
    ]);
  });

  it('names the JDD by a URN without landing page, and is byte-identical for the same input', () => {
    const input = { dataset: validDataset(), framework: null, context: { metadataDate: '2024-05-01', licence: 'CC-BY-4.0' as const } };
    const a = exportDcat(input).content;
    expect(exportDcat(input).content).toBe(a);
    expect(JSON.parse(a)['@id']).toBe('urn:uuid:4d331cae-65e4-4948-b0b2-a11bc5bb46c2');
    expect(a.endsWith('}\n')).toBe(true);
  });
});

describe('schema.org Dataset (JSON-LD)', () => {
  it('writes what Google Dataset Search reads', () => {
    const out = exportSchemaOrg({ dataset: validDataset(), framework: validFramework(), context });
    const doc = JSON.parse(out.content) as Doc;
    expect(doc).toMatchObject({
      '@context': 'https://schema.org/',
      '@type': 'Dataset',
      name: 'Conctat aléatoire tous règnes confondus',
      alternateName: 'Contact aléatoire',
      identifier: ['urn:uuid:4d331cae-65e4-4948-b0b2-a11bc5bb46c2'],
      url: 'https://data.ecrins-parcnational.fr/jdd/4d331cae',
      license: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
      isAccessibleForFree: true,
      inLanguage: 'fr',
      creator: [{ '@type': 'Organization', name: 'Organisme 1' }],
      funder: [{ '@type': 'Organization', name: 'Office français de la biodiversité' }],
      publisher: { '@type': 'Organization', name: 'Parc national des Écrins' },
      measurementTechnique: 'Observation directe : Vue, écoute, olfactive, tactile',
      spatialCoverage: { '@type': 'Place', name: 'Métropole', geo: { '@type': 'GeoShape', box: '44.502 4.85695 45.25 6.85654' } },
      temporalCoverage: '2000-01-10/2017-10-02',
      distribution: [{ '@type': 'DataDownload', contentUrl: 'https://data.ecrins-parcnational.fr/jdd/4d331cae.csv', encodingFormat: 'text/csv' }],
    });
    expect((doc.description as string).length).toBeGreaterThanOrEqual(DESCRIPTION_MIN);
    expect(out.notes.map((n) => n.id)).toEqual([]);
  });

  const withDescription = (description: string, framework = true) =>
    resolveExport({ dataset: { ...validDataset(), description } as Dataset, framework: framework ? validFramework() : null, context }, 'schema.org');

  it.each([
    ['long enough', 'x'.repeat(60), null, 60],
    ['exactly 50', 'y'.repeat(50), null, 50],
    ['exactly 5000', 'z'.repeat(5000), null, 5000],
  ])('keeps a description %s', (_name, description, change, length) => {
    const r = boundedDescription(withDescription(description));
    expect(r).toEqual({ text: description, change });
    expect(r.text.length).toBe(length);
  });

  it('pads a short description with the JDD\'s own facts, never with filler', () => {
    const r = boundedDescription(withDescription('Contacts'));
    expect(r).toEqual({
      change: 'padded',
      text: 'Contacts. Jeu de données SINP « Conctat aléatoire tous règnes confondus » (Contact aléatoire). Type de données : Occurrences de Taxons. Objectif : Observations naturalistes opportunistes. Territoire : Métropole. Cadre d’acquisition : « Données d\'observation de la faune, de la Flore et de la fonge du parc nationl des Ecrins ».',
    });
  });

  it('cuts a long description at a word, under 5000 characters, and notes it', () => {
    const words = Array.from({ length: 1200 }, (_, i) => `mot${i}`).join(' ');
    const r = boundedDescription(withDescription(words));
    expect(r.change).toBe('truncated');
    expect(r.text.length).toBeLessThanOrEqual(DESCRIPTION_MAX);
    expect(r.text.endsWith('…')).toBe(true);
    expect(words.startsWith(r.text.slice(0, -1))).toBe(true);
    expect(words[r.text.length - 1]).toBe(' ');
    const out = exportSchemaOrg({ dataset: { ...validDataset(), description: words }, framework: null, context });
    expect(out.notes).toEqual([{ id: 'export.descriptionTruncated', params: { from: words.length, to: r.text.length } }]);
  });

  it('notes a description still too short after padding', () => {
    const out = exportSchemaOrg({
      dataset: { ...validDataset(), name: 'JDD', shortName: 'JDD', description: '', dataType: null, objectives: [], territories: [] },
      framework: null,
      context: { metadataDate: '2024-05-01', licence: 'CC0-1.0' },
    });
    expect(out.notes.map((n) => n.id)).toEqual(['export.descriptionPadded', 'export.descriptionStillShort']);
    expect(JSON.parse(out.content).description).toBe('Jeu de données SINP « JDD ».');
  });
});
