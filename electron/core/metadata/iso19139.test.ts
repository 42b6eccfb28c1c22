import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_DATA } from '../../../test/helpers/paths.js';
import { validDataset, validFramework } from '../../../test/fixtures/metadata/records.js';
import { validateWithXsd } from '../../../test/fixtures/metadata/xmllint.js';
import type { Dataset, ExportContextInput } from '../../../shared/metadata/index.js';
import { isAppError } from '../errors.js';
import { exportIso19139, importIso19139 } from './iso19139.js';
import { NS, attr, child, children, descendants, parseXml, path, text, type XmlElement } from './xml.js';

const G = NS.gmd;
const context: ExportContextInput = {
  metadataDate: '2024-05-01',
  licence: 'etalab-2.0',
  temporalCoverage: { start: '2000-01-10', end: '2017-10-02' },
  landingPage: 'https://data.ecrins-parcnational.fr/jdd/4d331cae',
  distributions: [{ url: 'https://data.ecrins-parcnational.fr/jdd/4d331cae.gpkg', mediaType: 'application/geopackage+sqlite3', title: 'GeoPackage' }],
};
const cs = (e: XmlElement | undefined) => text(children(e ?? parseXml('<x/>'))[0]);
const codeValue = (e: XmlElement | undefined) => attr(children(e ?? parseXml('<x/>'))[0], 'codeListValue');

describe('ISO 19139 export', () => {
  const variants: [string, Dataset, ExportContextInput, boolean][] = [
    ['the complete JDD with its CA', validDataset(), context, true],
    ['a JDD without its CA, dates, bbox or links', { ...validDataset(), bbox: null, metadataCreated: null, metadataRevised: null, actors: [] }, { metadataDate: '2024-05-01', licence: 'CC0-1.0' }, false],
    ['a series of marine habitats, in English, restricted', { ...validDataset(), resourceType: '2', dataType: '2', marineDomain: true }, { ...context, language: 'en', publicAccess: 'environment', crsEpsg: 2154 }, true],
  ];

  it.each(variants)('%s validates against gmd.xsd', (_name, dataset, ctx, withFramework) => {
    const out = exportIso19139({ dataset, framework: withFramework ? validFramework() : null, context: ctx });
    const check = validateWithXsd(out.content, 'iso19139');
    expect(check.output).toBe('- validates');
    expect(check.ok).toBe(true);
  });

  it('writes the INSPIRE mandatory elements', () => {
    const out = exportIso19139({ dataset: validDataset(), framework: validFramework(), context });
    const md = parseXml(out.content);
    const id = path(md, G, 'identificationInfo', 'MD_DataIdentification');
    const cit = path(id, G, 'citation', 'CI_Citation');
    const found = {
      fileIdentifier: cs(child(md, 'fileIdentifier', G)),
      metadataLanguage: codeValue(child(md, 'language', G)),
      hierarchyLevel: codeValue(child(md, 'hierarchyLevel', G)),
      metadataContact: cs(path(md, G, 'contact', 'CI_ResponsibleParty', 'organisationName')),
      metadataContactRole: codeValue(path(md, G, 'contact', 'CI_ResponsibleParty', 'role')),
      dateStamp: text(child(md, 'dateStamp', G)),
      crs: cs(path(md, G, 'referenceSystemInfo', 'MD_ReferenceSystem', 'referenceSystemIdentifier', 'RS_Identifier', 'code')),
      title: cs(child(cit, 'title', G)),
      dates: children(cit as XmlElement, 'date', G).map((d) => `${codeValue(path(d, G, 'CI_Date', 'dateType'))} ${text(path(d, G, 'CI_Date', 'date'))}`),
      identifier: cs(path(cit, G, 'identifier', 'MD_Identifier', 'code')),
      abstract: cs(child(id, 'abstract', G)),
      parties: children(id as XmlElement, 'pointOfContact', G).map((p) => codeValue(path(p, G, 'CI_ResponsibleParty', 'role'))),
      keywordThesauri: children(id as XmlElement, 'descriptiveKeywords', G).map((k) => cs(path(k, G, 'MD_Keywords', 'thesaurusName', 'CI_Citation', 'title')) ?? '(free)'),
      inspireTheme: cs(path(id, G, 'descriptiveKeywords', 'MD_Keywords', 'keyword')),
      topic: text(path(id, G, 'topicCategory', 'MD_TopicCategoryCode')),
      bbox: ['westBoundLongitude', 'eastBoundLongitude', 'southBoundLatitude', 'northBoundLatitude'].map((n) => cs(descendants(md, n, G)[0])),
      temporal: [text(descendants(md, 'beginPosition', NS.gml)[0]), text(descendants(md, 'endPosition', NS.gml)[0])],
      constraints: descendants(md, 'otherConstraints', G).map(cs),
      conformity: cs(path(descendants(md, 'DQ_ConformanceResult', G)[0], G, 'specification', 'CI_Citation', 'title'))?.slice(0, 30),
      lineage: cs(descendants(md, 'statement', G)[0])?.slice(0, 40),
      locators: descendants(md, 'CI_OnlineResource', G).map((o) => text(path(o, G, 'linkage', 'URL'))),
      largerWork: cs(path(id, G, 'aggregationInfo', 'MD_AggregateInformation', 'aggregateDataSetIdentifier', 'MD_Identifier', 'code')),
      credit: cs(child(id, 'credit', G)),
    };
    expect(found).toEqual({
      fileIdentifier: '4d331cae-65e4-4948-b0b2-a11bc5bb46c2',
      metadataLanguage: 'fre',
      hierarchyLevel: 'dataset',
      metadataContact: 'Organisme 1',
      metadataContactRole: 'pointOfContact',
      dateStamp: '2024-05-01',
      crs: 'http://www.opengis.net/def/crs/EPSG/0/4326',
      title: 'Conctat aléatoire tous règnes confondus',
      dates: ['creation 2017-06-01', 'revision 2018-02-01'],
      identifier: '4d331cae-65e4-4948-b0b2-a11bc5bb46c2',
      abstract: 'Observations aléatoires de la faune, de la flore ou de la fonge',
      parties: ['pointOfContact', 'pointOfContact', 'originator', 'custodian'],
      keywordThesauri: ['GEMET - INSPIRE themes, version 1.0', '(free)', '(free)'],
      inspireTheme: 'Répartition des espèces',
      topic: 'biota',
      bbox: ['4.85695', '6.85654', '44.502', '45.25'],
      temporal: ['2000-01-10', '2017-10-02'],
      constraints: ['Licence Ouverte / Open Licence version 2.0 https://www.etalab.gouv.fr/licence-ouverte-open-licence/', 'Pas de restriction d’accès public selon INSPIRE'],
      conformity: 'Règlement (UE) n° 1089/2010 de',
      lineage: 'Source des données : Terrain. Méthode de',
      locators: ['https://data.ecrins-parcnational.fr/jdd/4d331cae', 'https://data.ecrins-parcnational.fr/jdd/4d331cae.gpkg'],
      largerWork: '57b7d0f2-4183-4b7b-8f08-6e105d476dc5',
      credit: 'Financeur : Office français de la biodiversité',
    });
    expect(out.notes).toEqual([]);
  });

  it('notes what it had to assume: no resource date, no bbox, no contact', () => {
    const out = exportIso19139({ dataset: { ...validDataset(), bbox: { west: 0, south: 0, east: 0, north: 0 }, metadataCreated: null, metadataRevised: null, actors: [] }, framework: null, context });
    expect(out.notes.map((n) => n.id)).toEqual(['export.noContact', 'export.noBbox', 'export.noResourceDate']);
    expect(out.content).toContain('<gmd:contact gco:nilReason="missing"/>');
  });

  it('is byte-identical for the same input, and takes its dates from the input only', () => {
    const a = exportIso19139({ dataset: validDataset(), framework: validFramework(), context }).content;
    expect(exportIso19139({ dataset: validDataset(), framework: validFramework(), context }).content).toBe(a);
    expect(exportIso19139({ dataset: validDataset(), framework: validFramework(), context: { ...context, metadataDate: '2024-05-02' } }).content).not.toBe(a);
    const dates = [...a.matchAll(/\d{4}-\d{2}-\d{2}/g)].map((m) => m[0]);
    expect(new Set(dates)).toEqual(new Set(['2024-05-01', '2017-06-01', '2018-02-01', '2008-06-01', '1973-03-27', '2000-01-10', '2017-10-02', '2010-12-08']));
  });

  it.each([
    ['a JDD of the wrong shape', { dataset: { ...validDataset(), bbox: 'Ecrins' } as unknown as Dataset, framework: null, context }, 'metadata.errors.badRecord'],
    ['a metadata date that does not exist', { dataset: validDataset(), framework: null, context: { ...context, metadataDate: '2024-02-30' } }, 'metadata.errors.badContext'],
    ['an unknown licence', { dataset: validDataset(), framework: null, context: { ...context, licence: 'WTFPL' as never } }, 'metadata.errors.badContext'],
  ])('refuses %s', (_name, input, key) => {
    try {
      exportIso19139(input);
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e, 'INVALID_INPUT')).toBe(true);
      expect((e as { key: string }).key).toBe(key);
    }
  });

  it('round-trips the fields ISO carries', () => {
    const d = validDataset();
    const back = importIso19139(exportIso19139({ dataset: d, framework: validFramework(), context }).content);
    expect(back.dataset).toMatchObject({
      uuid: d.uuid,
      frameworkUuid: validFramework().uuid,
      name: d.name,
      shortName: d.shortName,
      description: d.description,
      resourceType: '1',
      bbox: d.bbox,
      metadataCreated: d.metadataCreated,
      metadataRevised: d.metadataRevised,
      // ISO has one pointOfContact role for the SINP main contact (1) and metadata contact (8): 8 reads back as 1.
      actors: d.actors.map((a) => (a.role === '8' ? { ...a, role: '1' } : a)),
    });
    expect(back.dataset.keywords).toEqual(expect.arrayContaining(d.keywords));
    expect(back.licence).toMatchObject({ id: 'etalab-2.0', url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/' });
    expect(back.temporalCoverage).toEqual({ start: '2000-01-10', end: '2017-10-02' });
    expect(back.inspireThemes).toEqual(['Répartition des espèces']);
    expect(back.notes).toEqual([]);
  });
});

describe('ISO 19139 import of real records', () => {
  const read = (name: string) => importIso19139(readFileSync(join(SHARED_DATA, 'metadata', 'iso19139', name)), name);

  it('reads the French GéoBretagne record (inside a CSW response) without losing the mapped fields', () => {
    const r = read('owslib__csw_geobretagne_mdmetadata.xml');
    expect(r.dataset).toMatchObject({
      uuid: '955c3e47-411e-4969-b61b-3556d1b9f879',
      name: 'Cadastre 2018 en Bretagne',
      resourceType: '1',
      bbox: { west: -5.23515625, south: 46.755859375, east: -1.1921875, north: 49.30468750000001 },
      metadataRevised: '2018-09-01',
      actors: [{ role: '1', person: 'DIRECTION GENERALE DES FINANCES PUBLIQUES', email: 'bureau.gf3a@dgfip.finances.gouv.fr', organism: 'DGFIP Bretagne', organismUuid: null }],
    });
    expect(r.dataset.description).toMatch(/^Le plan du cadastre est un document administratif[^]*des plans non initialement géoréférencés\)$/);
    expect(r.dataset.keywords).toHaveLength(15);
    expect(r.inspireThemes).toEqual(['Parcelles cadastrales']);
    expect(r.language).toBe('fre');
    expect(r.topicCategories).toEqual(['planningCadastre']);
    expect(r.lineage).toMatch(/^Les plans cadastraux au format vecteur/);
    expect(r.licence?.text).toMatch(/^Usage libre sous réserve des mentions obligatoires/);
  });

  it.each([
    // file, uuid, title, bbox west, creation, revision, actors, keywords
    ['owslib__17bd184a-7e7d-4f81-95a5-041449a7212b_iso.xml', '17bd184a-7e7d-4f81-95a5-041449a7212b', 'Air temperature', -9.5, '2015-12-16', null, 1, 1],
    ['owslib__9250AA67-F3AC-6C12-0CB9-0662231AA181_iso.xml', '3f342f64-9348-11df-ba6a-0014c2c00eab', 'ALLSPECIES', null, null, null, 0, 57],
    ['owslib__iso_keywords_anchor.xml', '', 'CE0911 Climate Change Survey', -15.148822, '2009-06-14', '2018-11-29', 1, 6],
    ['owslib__iso_mi.xml', '3f342f64-9348-11df-ba6a-0014c2c00eab', 'title in English', -141, '2011-11-11', null, 0, 7],
    ['owslib__iso19139_srv.xml', '01ef8e6a-df59-4c2d-8468-79da95046705', 'ALKIS®-vereinfacht ohne Eigentümer - Web Feature Service', 8.945096154917964, null, '2019-11-21', 1, 1],
  ] as const)('reads %s', (name, uuid, title, west, created, revised, actors, keywords) => {
    const r = read(name);
    expect(r.dataset.uuid).toBe(uuid);
    expect(r.dataset.name).toBe(title);
    expect(r.dataset.bbox?.west ?? null).toBe(west);
    expect(r.dataset.metadataCreated).toBe(created);
    expect(r.dataset.metadataRevised).toBe(revised);
    expect(r.dataset.actors).toHaveLength(actors);
    expect(r.dataset.keywords).toHaveLength(keywords);
    if (!uuid) expect(r.notes.map((n) => n.id)).toContain('import.noUuid');
  });

  it('reads the ISO-8859-1 record through its declaration', () => {
    expect(read('owslib__9250AA67-F3AC-6C12-0CB9-0662231AA181_iso.xml').encoding).toBe('iso-8859-1');
  });

  it('says so when the record is ISO 19115-3 rather than 19139', () => {
    expect(() => read('owslib__metawal.wallonie.be-catchments.xml')).toThrow(/No ISO 19139 record.*mdb:MD_Metadata/);
  });
});
