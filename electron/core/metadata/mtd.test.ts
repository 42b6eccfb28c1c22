import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validDataset, validFramework, validSet } from '../../../test/fixtures/metadata/records.js';
import { METADATA_FIXTURES, checkWellFormed } from '../../../test/fixtures/metadata/xmllint.js';
import { formatNote, validateMetadata, type AcquisitionFramework, type Dataset, type MetadataSet } from '../../../shared/metadata/index.js';
import { isAppError } from '../errors.js';
import { exportMtd, importMtd } from './mtd.js';
import { NS, child, children, descendants, parseXml, text } from './xml.js';

const fixture = (name: string) => readFileSync(join(METADATA_FIXTURES, 'mtd', name));

describe('MTD import of real INPN exports', () => {
  it('reads a CA with every mapped field (short_mock_af.xml)', () => {
    const r = importMtd(fixture('mtd_sync__short_mock_af.xml'));
    expect(r.datasets).toEqual([]);
    expect(r.frameworks).toEqual<AcquisitionFramework[]>([
      {
        uuid: '4a9dda1f-b623-3e13-e053-2614a8c02b7c',
        name: 'Données du Parc national des Pyrénées',
        description: '',
        isMetaFramework: false,
        parentUuid: '4a9dda1f-b68b-3e13-e053-2614a8c02b7c',
        territorialLevel: '5',
        financingType: null,
        objectives: ['9999'],
        territories: ['METROP'],
        territoryDescription: null,
        keywords: [],
        targetDescription: 'Amphibiens, Reptiles,Mammifères,Flore,Faune, Flore, Fonge,Faune',
        ecologicalTarget: null,
        voletsSinp: ['1'],
        publications: [],
        actors: [
          { role: '1', person: 'Vest Frédéric', email: 'vest@mnhn.fr', organism: 'mnhn', organismUuid: null },
          { role: '3', person: null, email: null, organism: 'Parc national des Pyrénées', organismUuid: null },
          { role: '4', person: null, email: null, organism: 'Service scientifique du Parc national des Pyrénées', organismUuid: null },
        ],
        startDate: null,
        endDate: null,
        metadataCreated: '1900-01-01',
        metadataUpdated: '2017-03-30',
        additionalAttributes: [
          { name: 'ID_CREATEUR', value: '922', definition: null },
          { name: 'ID_INSTANCE', value: '2', definition: null },
          { name: 'ID_PLATEFORME', value: '2', definition: null },
        ],
      },
    ]);
    expect(r.notes.map((n) => formatNote(n, 'en'))).toEqual(['4A9DDA1F-B623-3E13-E053-2614A8C02B7C: "CA description" held the text "null", read as an empty value.']);
    expect(r.encoding).toBe('utf-8');
  });

  it('reads a JDD with every mapped field (short_mock_ds.xml), the platform contact as an actor', () => {
    const r = importMtd(fixture('mtd_sync__short_mock_ds.xml'));
    expect(r.frameworks).toEqual([]);
    expect(r.datasets).toEqual<Dataset[]>([
      {
        uuid: '4a9dda1f-b713-3e13-e053-2614a8c02b7c',
        frameworkUuid: '4a9dda1f-b623-3e13-e053-2614a8c02b7c',
        name: 'Programme Ecoscope: données d\'observations des écosystèmes marins exploités (Réunion)',
        shortName: 'Ecoscope-Réunion',
        description: expect.stringMatching(/^Le projet Ecoscope a débuté en 2005 .* contextes différents\.$/s) as unknown as string,
        dataType: '5',
        objectives: [],
        collectingMethod: null,
        dataOrigin: null,
        sourceStatus: null,
        resourceType: null,
        marineDomain: true,
        terrestrialDomain: false,
        territories: ['REU'],
        territoryDescription: null,
        keywords: [],
        protocols: [],
        bbox: { west: 52.34395, south: -23.99374, east: 56.66173, north: -19.75458 },
        actors: [
          { role: '5', person: 'J. Barde', email: 'julien.barde@ird.fr', organism: 'IRD-Sète', organismUuid: null },
          { role: '1', person: 'Jeanne de Mazières', email: 'jdemazieres@mnhn.fr', organism: null, organismUuid: null },
        ],
        metadataCreated: '2013-12-03',
        metadataRevised: '2013-12-03',
        additionalAttributes: [
          { name: 'ID_CREATEUR', value: '922', definition: null },
          { name: 'ID_INSTANCE', value: '2', definition: null },
        ],
      },
    ]);
    expect(r.notes).toEqual([]);
  });

  it('reads several records in one featureMember, CR LF from &#13;, closing dates, empty acteurPrincipal', () => {
    const r = importMtd(fixture('mtd_sync__af_extract.xml'));
    expect(r.frameworks.map((c) => [c.uuid, c.startDate, c.endDate, c.actors.map((a) => a.role).join(','), c.objectives.join(','), c.voletsSinp.join(',')])).toEqual([
      ['4a9dda1f-b624-3e13-e053-2614a8c02b7c', '2012-04-09', '2012-04-28', '3,4,4', '1', '2'],
      ['4a9dda1f-b628-3e13-e053-2614a8c02b7c', '2011-01-01', '2012-01-01', '3', '7', '2'],
    ]);
    expect(r.frameworks[1]?.description).toContain('au-delà de la mer territoriale.\nL’étude des habitats');
    expect(r.frameworks[1]?.description).not.toContain('\r');
  });

  it('reads keywords, objectives and the CODE_STATUT_DONNEES_SOURCE of JDD, and the issues validation then finds', () => {
    const r = importMtd(fixture('mtd_sync__jdd_extract.xml'));
    const mollusques = r.datasets[1] as Dataset;
    expect(mollusques.keywords).toEqual(['Australes', 'Gambier', 'Marquises', 'Mollusques Marins', 'Polynésie Française', 'Société', 'Tuamotu']);
    expect(mollusques.objectives).toEqual(['1.5']);
    expect(mollusques.dataType).toBe('3');
    const report = validateMetadata({ frameworks: [], datasets: r.datasets }, { knownFrameworkUuids: r.datasets.map((d) => d.frameworkUuid) });
    const rules = report.issues.map((i) => `${i.index} ${i.field} ${i.rule}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        '0 shortName text.placeholder',
        '0 terrestrialDomain domain.none',
        '0 bbox bbox.empty',
        '0 actors[0].email text.placeholder',
        '0 metadataCreated date.placeholder',
        '1 shortName text.long',
        '1 actors[0].email actor.email',
        '1 collectingMethod required',
      ]),
    );
    const withOrigin = importMtd(
      fixture('mtd_sync__short_mock_ds.xml')
        .toString('utf8')
        .replace('<jdd:nomAttribut>ID_INSTANCE</jdd:nomAttribut>', '<jdd:nomAttribut>ID_INSTANCE</jdd:nomAttribut></jdd:AttributAdditionnel><jdd:AttributAdditionnel><jdd:valeurAttribut>Pu</jdd:valeurAttribut><jdd:nomAttribut>CODE_STATUT_DONNEES_SOURCE</jdd:nomAttribut>'),
    );
    expect(withOrigin.datasets[0]?.dataOrigin).toBe('Pu');
    expect(withOrigin.datasets[0]?.additionalAttributes.map((a) => a.name)).toEqual(['ID_CREATEUR', 'ID_INSTANCE']);
  });

  it('strips the oafs.fr URI of a CA identifier, reads the standard\'s objectifCadre, and reports unknown elements', () => {
    const xml = `<gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:jdd="http://inpn.mnhn.fr/mtd">
      <gml:featureMember><jdd:CadreAcquisition><jdd:identifiantCadre>X</jdd:identifiantCadre><jdd:objectifCadre>8</jdd:objectifCadre>
      <jdd:inventeParLaSuite>1</jdd:inventeParLaSuite><jdd:estMetaCadre>peut-être</jdd:estMetaCadre><jdd:ReferenceTemporelle><jdd:dateLancement>le 3 mai</jdd:dateLancement></jdd:ReferenceTemporelle></jdd:CadreAcquisition></gml:featureMember>
      <gml:featureMember><jdd:JeuDeDonnees><jdd:identifiantJdd>4A9DDA1F-B713-3E13-E053-2614A8C02B7C</jdd:identifiantJdd>
      <jdd:identifiantCadre>http://oafs.fr/meta/ca/4A9DDA1F-B623-3E13-E053-2614A8C02B7C</jdd:identifiantCadre>
      <jdd:empriseGeographique><jdd:BoundingBox><jdd:borneNord>45,25</jdd:borneNord><jdd:borneSud>44.5</jdd:borneSud><jdd:borneEst>6.8</jdd:borneEst><jdd:borneOuest>4.8</jdd:borneOuest></jdd:BoundingBox></jdd:empriseGeographique>
      <jdd:protocoles><jdd:ProtocoleType><jdd:libelleProtocole>STOC</jdd:libelleProtocole><jdd:url>https://www.vigienature.fr/fr/oiseaux</jdd:url></jdd:ProtocoleType></jdd:protocoles>
      </jdd:JeuDeDonnees></gml:featureMember></gml:FeatureCollection>`;
    const r = importMtd(xml);
    expect(r.frameworks[0]?.objectives).toEqual(['8']);
    expect(r.datasets[0]?.frameworkUuid).toBe('4a9dda1f-b623-3e13-e053-2614a8c02b7c');
    expect(r.datasets[0]?.bbox).toEqual({ west: 4.8, south: 44.5, east: 6.8, north: 45.25 });
    expect(r.datasets[0]?.protocols).toEqual([{ uuid: null, name: 'STOC', description: null, url: 'https://www.vigienature.fr/fr/oiseaux', type: null }]);
    expect(r.notes.map((n) => n.id).sort()).toEqual(['import.booleanUnreadable', 'import.dateUnreadable', 'import.frameworkUriStripped', 'import.ignoredElement']);
  });

  it.each([
    ['not XML', '<gml:FeatureCollection>', 'metadata.errors.notXml'],
    ['XML that is not MTD', '<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd"/>', 'metadata.errors.notMtd'],
    ['MTD elements in another namespace', '<FeatureCollection><CadreAcquisition/></FeatureCollection>', 'metadata.errors.notMtd'],
  ])('refuses %s', (_name, input, key) => {
    try {
      importMtd(input, 'in.xml');
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e, 'INVALID_INPUT')).toBe(true);
      expect((e as { key: string }).key).toBe(key);
    }
  });
});

describe('MTD export', () => {
  const set = (): MetadataSet => {
    const s = validSet();
    const ca = s.frameworks[0] as AcquisitionFramework;
    ca.publications = [{ reference: 'Bonnet et al. 2019, Atlas des Écrins', url: 'https://doi.org/10.0000/atlas' }];
    ca.parentUuid = null;
    ca.ecologicalTarget = '61098;61057';
    return s;
  };

  it('writes well-formed XML with the structure of the INPN exports', () => {
    const out = exportMtd(set());
    expect(checkWellFormed(out.content)).toEqual({ ok: true, output: '' });
    const root = parseXml(out.content);
    expect([root.ns, root.name]).toEqual([NS.gml, 'FeatureCollection']);
    const members = children(root, 'featureMember', NS.gml);
    expect(members.map((m) => `${children(m)[0]?.ns} ${children(m)[0]?.name}`)).toEqual([`${NS.mtd} CadreAcquisition`, `${NS.mtd} JeuDeDonnees`]);
    const ca = children(members[0] as never)[0];
    expect(children(ca as never).map((e) => e.name)).toEqual([
      'identifiantCadre', 'libelle', 'description', 'estMetaCadre', 'motCle', 'motCle', 'motCle', 'motCle', 'motCle', 'acteurPrincipal',
      'acteurAutre', 'acteurAutre', 'acteurAutre', 'acteurAutre', 'typeFinancement', 'ReferenceTemporelle', 'objectif', 'niveauTerritorial',
      'territoire', 'precisionGeographique', 'cibleEcologiqueOuGeologique', 'descriptionCible', 'referenceBiblio', 'dateCreationMtd', 'voletSINP',
    ]);
    const main = child(child(ca, 'acteurPrincipal', NS.mtd), 'ActeurType', NS.mtd);
    expect(children(main as never).map((e) => [e.name, text(e)])).toEqual([
      ['mail', 'marie.dupont@example.org'],
      ['nomPrenom', 'Dupont Marie'],
      ['roleActeur', '1'],
      ['organisme', 'Organisme 1'],
    ]);
    const jdd = descendants(root, 'JeuDeDonnees', NS.mtd)[0];
    expect(text(child(child(child(jdd, 'BaseProduction', NS.mtd), 'contactBaseProduction', NS.mtd), 'ActeurType', NS.mtd))).toContain('Martin Paul');
    expect(out.content).toContain('<jdd:nomAttribut>CODE_STATUT_DONNEES_SOURCE</jdd:nomAttribut>');
    expect(out.notes).toEqual([{ id: 'export.notInFormat', params: { format: 'MTD', entity: 'dataset', fields: 'collectingMethod, sourceStatus, resourceType, territoryDescription, protocols.uuid, protocols.type', record: validDataset().uuid } }]);
  });

  it('round-trips every field MTD carries', () => {
    const original = set();
    const back = importMtd(exportMtd(original).content);
    expect(back.frameworks).toEqual(original.frameworks);
    const notCarried = { collectingMethod: null, sourceStatus: null, resourceType: null, territoryDescription: null };
    expect(back.datasets).toEqual(original.datasets.map((d) => ({ ...d, ...notCarried, protocols: d.protocols.map((p) => ({ ...p, uuid: null, type: null })) })));
    expect(back.notes).toEqual([]);
  });

  it('round-trips the real exports: read, write, read again gives the same records', () => {
    for (const name of ['mtd_sync__short_mock_af.xml', 'mtd_sync__short_mock_ds.xml', 'mtd_sync__af_extract.xml', 'mtd_sync__jdd_extract.xml']) {
      const first = importMtd(fixture(name));
      const second = importMtd(exportMtd(first).content);
      expect({ frameworks: second.frameworks, datasets: second.datasets }, name).toEqual({ frameworks: first.frameworks, datasets: first.datasets });
    }
  });

  it('is deterministic, and escapes what XML needs', () => {
    const s = set();
    (s.datasets[0] as Dataset).description = 'Présence < 5 & absence > 0 "toujours"\u0007 — fin';
    const a = exportMtd(s).content;
    expect(exportMtd(JSON.parse(JSON.stringify(s)) as MetadataSet).content).toBe(a);
    expect(a).toContain('Présence &lt; 5 &amp; absence &gt; 0 "toujours" — fin');
    expect(importMtd(a).datasets[0]?.description).toBe('Présence < 5 & absence > 0 "toujours" — fin');
  });

  it('keeps a second main contact of a CA as acteurAutre with its role', () => {
    const s = set();
    const ca = s.frameworks[0] as AcquisitionFramework;
    ca.actors = [...ca.actors, { role: '1', person: 'Second Contact', email: null, organism: null, organismUuid: null }];
    const back = importMtd(exportMtd(s).content).frameworks[0] as AcquisitionFramework;
    expect(back.actors.filter((a) => a.role === '1').map((a) => a.person)).toEqual(['Dupont Marie', 'Second Contact']);
    expect(validFramework().actors).toHaveLength(5);
  });
});
