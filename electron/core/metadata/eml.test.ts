import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_DATA } from '../../../test/helpers/paths.js';
import { validDataset, validFramework } from '../../../test/fixtures/metadata/records.js';
import { validateWithXsd } from '../../../test/fixtures/metadata/xmllint.js';
import { LICENCE_IDS, formatNote, type Dataset, type ExportContextInput, type LicenceId } from '../../../shared/metadata/index.js';
import { exportEml, importEml, inlineLicenceParagraph } from './eml.js';
import { child, children, descendants, parseXml, text } from './xml.js';

const context: ExportContextInput = {
  metadataDate: '2024-05-01',
  licence: 'CC-BY-4.0',
  temporalCoverage: { start: '2000-01-10', end: '2017-10-02' },
  landingPage: 'https://data.ecrins-parcnational.fr/jdd/4d331cae',
  distributions: [{ url: 'https://data.ecrins-parcnational.fr/jdd/4d331cae.zip', mediaType: 'application/zip', title: 'DwC-A' }],
};
const emlFile = (name: string) => readFileSync(join(SHARED_DATA, 'metadata', 'eml', name));

describe('EML 2.2.0 export (GBIF profile)', () => {
  const variants: [string, Dataset, ExportContextInput, boolean][] = [
    ['the complete JDD with its CA', validDataset(), context, true],
    ['a bare JDD: no CA, actors, bbox, dates or coverage', { ...validDataset(), actors: [], bbox: null, protocols: [], collectingMethod: null, territories: [], metadataCreated: null }, { metadataDate: '2024-05-01', licence: 'CC0-1.0' }, false],
    ['a series in English under the Licence Ouverte', { ...validDataset(), resourceType: '2' }, { ...context, language: 'en', licence: 'etalab-2.0' }, true],
  ];

  it.each(variants)('%s validates against eml.xsd', (_name, dataset, ctx, withFramework) => {
    const out = exportEml({ dataset, framework: withFramework ? validFramework() : null, context: ctx });
    const check = validateWithXsd(out.content, 'eml');
    expect(check.output).toBe('- validates');
    expect(check.ok).toBe(true);
  });

  it.each(LICENCE_IDS.map((id) => [id]))('states the %s licence with a machine-readable ulink', (id: LicenceId) => {
    const out = exportEml({ dataset: validDataset(), framework: validFramework(), context: { ...context, licence: id } });
    const rights = descendants(parseXml(out.content), 'intellectualRights')[0];
    const ulink = rights ? descendants(rights, 'ulink')[0] : undefined;
    expect(ulink?.attributes.find((a) => a.name === 'url')?.value).toMatch(/^https?:\/\//);
    expect(text(child(ulink, 'citetitle'))).toBeTruthy();
    expect(out.content).toMatch(/<para>Licence de ce travail : <ulink url="[^"]+"><citetitle>[^<]+<\/citetitle><\/ulink>\.<\/para>/);
    const gbif = ['CC-BY-4.0', 'CC0-1.0', 'CC-BY-NC-4.0'].includes(id);
    expect(out.notes.some((n) => n.id === 'export.licenceNotGbif')).toBe(!gbif);
  });

  it('uses the IPT\'s own sentence in English, and tells which licence to choose for GBIF', () => {
    const en = exportEml({ dataset: validDataset(), framework: null, context: { ...context, language: 'en', licence: 'CC0-1.0' } });
    expect(en.content).toContain(
      '<para>To the extent possible under law, the publisher has waived all rights to these data and has dedicated them to the <ulink url="http://creativecommons.org/publicdomain/zero/1.0/legalcode"><citetitle>Public Domain (CC0 1.0)</citetitle></ulink>. Users may copy, modify, distribute and use the work, including for commercial purposes, without restriction.</para>',
    );
    const lo = exportEml({ dataset: validDataset(), framework: null, context: { ...context, licence: 'etalab-2.0' } });
    const note = lo.notes.find((n) => n.id === 'export.licenceNotGbif');
    expect(note && formatNote(note, 'fr')).toBe(
      'GBIF n’accepte pas la licence etalab-2.0 (seulement CC0, CC-BY et CC-BY-NC) : l’EML la déclare quand même, mais l’IPT la refusera ; pour GBIF, choisissez CC-BY-4.0.',
    );
  });

  it('writes what the IPT requires: title, creator, metadata provider, contact, pubDate, language, abstract, coverage, project', () => {
    const out = exportEml({ dataset: validDataset(), framework: validFramework(), context });
    const root = parseXml(out.content);
    const ds = child(root, 'dataset');
    const names = (n: string) => children(ds as never, n).map((p) => [text(child(child(p, 'individualName'), 'surName')), text(child(p, 'organizationName'))].filter(Boolean).join(' / '));
    expect({
      packageId: root.attributes.find((a) => a.name === 'packageId')?.value,
      title: text(child(ds, 'title')),
      creator: names('creator'),
      metadataProvider: names('metadataProvider'),
      contact: names('contact'),
      associatedRoles: children(ds as never, 'associatedParty').map((p) => text(child(p, 'role'))),
      pubDate: text(child(ds, 'pubDate')),
      language: text(child(ds, 'language')),
      abstract: text(child(child(ds, 'abstract'), 'para')),
      keywordSets: children(ds as never, 'keywordSet').map((k) => text(child(k, 'keywordThesaurus'))),
      bbox: ['west', 'east', 'north', 'south'].map((s) => text(descendants(root, `${s}BoundingCoordinate`)[0])),
      temporal: descendants(root, 'calendarDate').map((d) => text(d)),
      project: text(child(child(ds, 'project'), 'title')),
      funding: text(descendants(root, 'funding')[0]),
      dateStamp: text(descendants(root, 'dateStamp')[0]),
    }).toEqual({
      packageId: '4d331cae-65e4-4948-b0b2-a11bc5bb46c2',
      title: 'Conctat aléatoire tous règnes confondus',
      creator: ['Organisme 1'],
      metadataProvider: ['Organisme 1'],
      contact: ['Dupont Marie / Organisme 1'],
      associatedRoles: ['pointOfContact', 'metadataProvider', 'originator', 'custodianSteward'],
      pubDate: '2024-05-01',
      language: 'fra',
      abstract: 'Observations aléatoires de la faune, de la flore ou de la fonge',
      keywordSets: ['N/A', 'N/A', 'GEMET - INSPIRE themes, version 1.0', 'GBIF Dataset Type Vocabulary: http://rs.gbif.org/vocabulary/gbif/dataset_type.xml'],
      bbox: ['4.85695', '6.85654', '45.25', '44.502'],
      temporal: ['2000-01-10', '2017-10-02'],
      project: 'Données d\'observation de la faune, de la Flore et de la fonge du parc nationl des Ecrins',
      funding: 'Financeur : Office français de la biodiversité',
      dateStamp: '2024-05-01',
    });
    expect(out.notes.map((n) => n.id)).toEqual(['export.personAsSurname']);
  });

  it('adds GBIF\'s "Occurrence" dataset type for taxon occurrences only', () => {
    const occurrences = exportEml({ dataset: { ...validDataset(), dataType: '1' }, framework: null, context }).content;
    const habitats = exportEml({ dataset: { ...validDataset(), dataType: '2' }, framework: null, context }).content;
    expect(occurrences).toContain('<keyword>Occurrence</keyword>');
    expect(habitats).not.toContain('<keyword>Occurrence</keyword>');
  });

  it('is byte-identical for the same input', () => {
    const a = exportEml({ dataset: validDataset(), framework: validFramework(), context }).content;
    expect(exportEml({ dataset: validDataset(), framework: validFramework(), context }).content).toBe(a);
  });

  it('inlines only the pretty-printed licence paragraph', () => {
    expect(inlineLicenceParagraph('<para>\n  A \n  <ulink url="u">\n    <citetitle>T</citetitle>\n  </ulink>\n  .\n</para>')).toBe('<para>A <ulink url="u"><citetitle>T</citetitle></ulink>.</para>');
    expect(inlineLicenceParagraph('<para>\n  text\n</para>')).toBe('<para>\n  text\n</para>');
  });

  it('round-trips the fields EML carries', () => {
    const d = validDataset();
    const back = importEml(exportEml({ dataset: d, framework: validFramework(), context }).content);
    expect(back.dataset).toMatchObject({ uuid: d.uuid, name: d.name, shortName: d.shortName, description: d.description, bbox: d.bbox, resourceType: '1' });
    expect(back.dataset.keywords).toEqual(expect.arrayContaining(d.keywords));
    expect(back.dataset.actors).toEqual(expect.arrayContaining(d.actors));
    expect(back.licence).toMatchObject({ id: 'CC-BY-4.0', url: 'http://creativecommons.org/licenses/by/4.0/legalcode' });
    expect(back.temporalCoverage).toEqual({ start: '2000-01-10', end: '2017-10-02' });
    expect(back.language).toBe('fra');
  });
});

describe('EML import of real records', () => {
  it.each([
    // file, encoding, uuid, title start, bbox west, keywords, actors, licence id
    ['dwca-io__metadata_eml.xml', 'utf-16le', '', 'Checklist of the Vascular Plants of Big Lagoon Bog', null, 1, 2, null],
    ['dwca-io__metadata_eml-utf16LE.xml', 'utf-16le', '', 'Checklist of the Vascular Plants of Big Lagoon Bog', null, 1, 2, null],
    ['dwca-io__metadata_eml_utf8_bom.xml', 'utf-8', '', 'Checklist of the Vascular Plants of Big Lagoon Bog', null, 1, 2, null],
    ['dwca-io__metadata_ipt_eml.xml', 'utf-8', '2853f657-ede6-4956-aea3-ca0b4a775947', 'PonTaurus', -180, 2, 2, null],
    ['dwca-io__metadata_clb_eml.xml', 'utf-8', '', 'ITIS', null, 0, 1, null],
    ['dwca-io__metadata_worms_eml2.1.xml', 'utf-8', '', 'World Register of Marine Species', -180, 5, 4, null],
    ['dwca-io__eml_sample.xml', 'utf-8', '619a4b95-1a82-4006-be6a-7dbe3c9b33c5', 'Tanzanian Entomological Collection', -10.703, 4, 5, null],
    ['ipt__data_eml.xml', 'utf-8', '9fdbfd6e-e727-4188-a864-6f499d484c81', 'WII Herbarium Dataset', 68.7, 15, 17, 'CC0-1.0'],
    ['ipt__data_emlGeographicIssues.xml', 'utf-8', '9fdbfd6e-e727-4188-a864-6f499d484c81', 'WII Herbarium Dataset', 68.7, 15, 17, null],
    ['ipt__res1_eml-5.0.xml', 'utf-8', 'da2049f3-bcc3-4730-ad33-c057ed5ac20b', 'Test Dataset Please Ignore', -180, 0, 8, 'CC0-1.0'],
  ] as const)('reads %s', (name, encoding, uuid, title, west, keywords, actors, licence) => {
    const r = importEml(emlFile(name), name);
    expect(r.encoding).toBe(encoding);
    expect(r.dataset.uuid).toBe(uuid);
    expect(r.dataset.name.startsWith(title)).toBe(true);
    expect(r.dataset.bbox?.west ?? null).toBe(west);
    expect(r.dataset.keywords).toHaveLength(keywords);
    expect(r.dataset.actors).toHaveLength(actors);
    expect(r.licence?.id ?? null).toBe(licence);
  });

  it('reads a UTF-8 file that starts with a byte order mark', () => {
    // The shared "utf8_bom" sample lost its BOM in transit (it starts with "<?xml"), so add one.
    const plain = emlFile('dwca-io__metadata_eml_utf8_bom.xml');
    const withBom = Uint8Array.from([0xef, 0xbb, 0xbf, ...plain]);
    expect(importEml(withBom).dataset).toEqual(importEml(plain).dataset);
  });

  it('maps the GBIF record\'s parties and coverage without losing them (IPT WII Herbarium)', () => {
    const r = importEml(emlFile('ipt__data_eml.xml'));
    expect(r.dataset.actors.slice(0, 4)).toEqual([
      { role: '6', person: 'Bhupendra Singh Adhikari', email: 'adhikaribs@wii.gov.in', organism: 'Wildlife Institute of India', organismUuid: null },
      { role: '1', person: 'Bhupendra Singh Adhikari', email: 'adhikaribs@wii.gov.in', organism: 'Wildlife Institute of India', organismUuid: null },
      { role: '8', person: 'Bhupendra Singh Adhikari', email: 'adhikaribs@wii.gov.in', organism: 'Wildlife Institute of India', organismUuid: null },
      { role: '7', person: 'Gopal Singh Rawat', email: expect.any(String) as unknown as string, organism: 'Wildlife Institute of India', organismUuid: null },
    ]);
    expect(r.temporalCoverage).toEqual({ start: '2012-08-02', end: '2012-08-04' });
    expect(r.dataset.metadataRevised).toBe('2011-06-29');
    expect(r.dataset.description.length).toBe(1198);
  });

  it('maps GBIF roles as written in the wild, notes those it cannot, and several extents', () => {
    const sample = importEml(emlFile('dwca-io__eml_sample.xml'));
    // "principleInvestigator" (sic) is how this IPT record spells principalInvestigator.
    expect(sample.dataset.actors.find((a) => a.person?.includes('Doering'))?.role).toBe('4');
    expect(sample.notes.map((n) => formatNote(n, 'en'))).toEqual(['The file gives 2 extents: the JDD gets the rectangle that encloses them all.']);
    const worms = importEml(emlFile('dwca-io__metadata_worms_eml2.1.xml'));
    expect(worms.dataset.actors.find((a) => a.person === 'David Remsen')?.role).toBe('8');
    const custom = importEml(
      '<eml:eml xmlns:eml="https://eml.ecoinformatics.org/eml-2.2.0" packageId="x" system="s"><dataset><title>T</title><associatedParty><organizationName>O</organizationName><role>hairdresser</role></associatedParty></dataset></eml:eml>',
    );
    expect(custom.dataset.actors).toEqual([{ role: null, person: null, email: null, organism: 'O', organismUuid: null }]);
    expect(custom.notes.map((n) => n.id)).toEqual(['import.noUuid', 'import.roleUnmapped']);
  });

  it('refuses a document that is not EML', () => {
    expect(() => importEml('<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd"/>')).toThrow(/Not an EML document: root gmd:MD_Metadata/);
  });
});
