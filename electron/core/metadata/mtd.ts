/**
 * The XML of the INPN metadata application (MTD): import and export of CA and JDD.
 *
 * Structure (no XSD is published; standards-reference.md §2.3 and the real exports used as test
 * fixtures by PnX-SI/mtd_sync): a GML 3.2 `FeatureCollection` whose `featureMember`s hold
 * `CadreAcquisition` and `JeuDeDonnees` elements of namespace `http://inpn.mnhn.fr/mtd` (the INPN
 * writes them with the prefixes `ca:` and `jdd:`, we do too), actors as `ActeurType {nomPrenom,
 * mail, roleActeur, organisme, idOrganisme}`, extra pairs in `attributsAdditionnels`.
 *
 * What does not map: MTD has no element for a JDD's collecting method, source status, resource
 * type, territory details, nor for a protocol's UUID and type (GeoNature's mtd_sync fills them with
 * defaults): export notes them, import leaves them empty for the user to fill. MTD's JDD
 * `pointContactPF` (the platform's contact) becomes an ordinary actor with its role, as in
 * GeoNature; export writes role 7 (production database contact) under `BaseProduction` and every
 * other JDD actor under `pointContactJdd`.
 */
import {
  blankDataset,
  blankFramework,
  type AcquisitionFramework,
  type AdditionalAttribute,
  type Dataset,
  type ExportedMetadata,
  type MetadataActor,
  type MetadataNote,
  type MetadataSet,
  ROLE,
} from '../../../shared/metadata/index.js';
import { AppError } from '../errors.js';
import { Notes, readBoolean, readDate, readIdentifier, readNumber, writeNumber } from './values.js';
import { NS, child, children, descendants, newDocument, qname, readXml, serialize, text, xmlSafe, type XMLBuilder, type XmlElement } from './xml.js';

/** What an MTD file gave. */
export interface MtdImport {
  readonly frameworks: AcquisitionFramework[];
  readonly datasets: Dataset[];
  readonly notes: MetadataNote[];
  readonly encoding: string;
}

const M = NS.mtd;

/** Elements read per record, so the others can be reported as not kept. */
const CA_KNOWN = new Set([
  'identifiantCadre', 'libelle', 'description', 'estMetaCadre', 'idMetaCadreParent', 'motCle', 'acteurPrincipal', 'acteurAutre',
  'typeFinancement', 'ReferenceTemporelle', 'objectif', 'objectifCadre', 'niveauTerritorial', 'territoire', 'precisionGeographique',
  'cibleEcologiqueOuGeologique', 'descriptionCible', 'referenceBiblio', 'dateCreationMtd', 'dateMiseAJourMtd', 'voletSINP',
  'attributsAdditionnels',
]);
const JDD_KNOWN = new Set([
  'identifiantJdd', 'identifiantCadre', 'libelle', 'libelleCourt', 'description', 'motCle', 'typeDonnees', 'typeDonneesCollectees',
  'objectifJdd', 'domaineMarin', 'domaineTerrestre', 'territoire', 'pointContactJdd', 'empriseGeographique', 'protocoles',
  'BaseProduction', 'dateCreation', 'dateRevision', 'pointContactPF', 'attributsAdditionnels',
]);

/** The additional attribute that carries a JDD's public/private origin (DS_PUBLIQUE). */
const DATA_ORIGIN_ATTRIBUTE = 'CODE_STATUT_DONNEES_SOURCE';

/** Reads the records of one entity, with the notes of what could not be read. */
class RecordReader {
  constructor(
    private readonly el: XmlElement,
    private readonly entity: 'framework' | 'dataset',
    private readonly record: string,
    private readonly notes: Notes,
  ) {}

  /** Text of a child; the literal "null" the MTD application writes counts as empty. */
  text(name: string, field: string, parent: XmlElement | undefined = this.el): string | null {
    const t = text(child(parent, name, M));
    if (t !== null && t.toLowerCase() === 'null') {
      this.notes.add('import.nullText', { entity: this.entity, field, record: this.record });
      return null;
    }
    return t;
  }

  texts(name: string): string[] {
    return children(this.el, name, M)
      .map((e) => text(e))
      .filter((t): t is string => t !== null && t.toLowerCase() !== 'null');
  }

  date(name: string, field: string, parent?: XmlElement): string | null {
    const raw = this.text(name, field, parent);
    const d = readDate(raw);
    if (raw !== null && d === null) this.notes.add('import.dateUnreadable', { entity: this.entity, field, value: raw, record: this.record });
    return d;
  }

  boolean(name: string, field: string): boolean | null {
    const raw = this.text(name, field);
    const b = readBoolean(raw);
    if (b === undefined) {
      this.notes.add('import.booleanUnreadable', { entity: this.entity, field, value: raw, record: this.record });
      return null;
    }
    return b;
  }

  identifier(name: string, field: string): string {
    const raw = this.text(name, field);
    const { id, stripped } = readIdentifier(raw);
    if (stripped) this.notes.add('import.frameworkUriStripped', { value: raw, record: this.record });
    return id;
  }

  actors(containerName: string, parent: XmlElement = this.el, defaultRole: string | null = null): MetadataActor[] {
    const out: MetadataActor[] = [];
    for (const container of children(parent, containerName, M)) {
      for (const a of children(container, 'ActeurType', M)) {
        const value = (n: string) => {
          const t = text(child(a, n, M));
          return t === null || t.toLowerCase() === 'null' ? null : t;
        };
        const organismUuid = value('idOrganisme');
        out.push({
          role: value('roleActeur') ?? defaultRole,
          person: value('nomPrenom'),
          email: value('mail'),
          organism: value('organisme'),
          organismUuid: organismUuid === null ? null : readIdentifier(organismUuid).id,
        });
      }
    }
    return out;
  }

  additionalAttributes(): AdditionalAttribute[] {
    const out: AdditionalAttribute[] = [];
    for (const box of children(this.el, 'attributsAdditionnels', M)) {
      for (const a of children(box, 'AttributAdditionnel', M)) {
        const name = text(child(a, 'nomAttribut', M));
        if (name === null) continue;
        out.push({ name, value: text(child(a, 'valeurAttribut', M)) ?? '', definition: text(child(a, 'definitionAttribut', M)) });
      }
    }
    return out;
  }

  reportUnknown(known: ReadonlySet<string>): void {
    const counts = new Map<string, number>();
    for (const c of children(this.el)) {
      if (c.ns === M && known.has(c.name)) continue;
      counts.set(qname(c), (counts.get(qname(c)) ?? 0) + 1);
    }
    for (const [element, count] of counts) this.notes.add('import.ignoredElement', { element, count, record: this.record });
  }
}

function readFramework(el: XmlElement, notes: Notes): AcquisitionFramework {
  const record = text(child(el, 'identifiantCadre', M)) ?? '';
  const r = new RecordReader(el, 'framework', record, notes);
  const ca = blankFramework(r.identifier('identifiantCadre', 'uuid'));
  const temporal = child(el, 'ReferenceTemporelle', M);
  const parent = r.text('idMetaCadreParent', 'parentUuid');
  const publications = children(el, 'referenceBiblio', M).flatMap((box) => children(box, 'Publication', M));
  return {
    ...ca,
    name: r.text('libelle', 'name') ?? '',
    description: r.text('description', 'description') ?? '',
    isMetaFramework: r.boolean('estMetaCadre', 'isMetaFramework') ?? false,
    parentUuid: parent === null ? null : readIdentifier(parent).id,
    territorialLevel: r.text('niveauTerritorial', 'territorialLevel'),
    financingType: r.text('typeFinancement', 'financingType'),
    objectives: [...r.texts('objectif'), ...r.texts('objectifCadre')],
    territories: r.texts('territoire'),
    territoryDescription: r.text('precisionGeographique', 'territoryDescription'),
    keywords: r.texts('motCle'),
    targetDescription: r.text('descriptionCible', 'targetDescription'),
    ecologicalTarget: r.text('cibleEcologiqueOuGeologique', 'ecologicalTarget'),
    voletsSinp: r.texts('voletSINP'),
    publications: publications
      .map((p) => ({ reference: text(child(p, 'referencePublication', M)) ?? '', url: text(child(p, 'URLPublication', M)) }))
      .filter((p) => p.reference !== '' || p.url !== null),
    actors: [...r.actors('acteurPrincipal', el, ROLE.MAIN_CONTACT), ...r.actors('acteurAutre')],
    startDate: temporal ? r.date('dateLancement', 'startDate', temporal) : null,
    endDate: temporal ? r.date('dateCloture', 'endDate', temporal) : null,
    metadataCreated: r.date('dateCreationMtd', 'metadataCreated'),
    metadataUpdated: r.date('dateMiseAJourMtd', 'metadataUpdated'),
    additionalAttributes: r.additionalAttributes(),
  };
}

function readDataset(el: XmlElement, notes: Notes): Dataset {
  const record = text(child(el, 'identifiantJdd', M)) ?? '';
  const r = new RecordReader(el, 'dataset', record, notes);
  const jdd = blankDataset(r.identifier('identifiantJdd', 'uuid'), r.identifier('identifiantCadre', 'frameworkUuid'));
  const box = child(child(el, 'empriseGeographique', M), 'BoundingBox', M);
  let bbox: Dataset['bbox'] = null;
  if (box) {
    const values = (['borneOuest', 'borneSud', 'borneEst', 'borneNord'] as const).map((n) => [n, r.text(n, 'bbox', box)] as const);
    const numbers = values.map(([, v]) => readNumber(v));
    const bad = values.find((_, i) => numbers[i] === undefined);
    if (bad) notes.add('import.numberUnreadable', { entity: 'dataset', field: 'bbox', value: bad[1], record });
    else if (numbers.every((n): n is number => typeof n === 'number')) {
      const [west, south, east, north] = numbers as [number, number, number, number];
      bbox = { west, south, east, north };
    }
  }
  const production = child(el, 'BaseProduction', M);
  const collected = r.text('typeDonneesCollectees', 'dataType');
  if (collected !== null) notes.add('import.ignoredElement', { element: 'typeDonneesCollectees', count: 1, record });
  const productionName = production ? text(child(production, 'baseProduction', M)) : null;
  if (productionName !== null) notes.add('import.ignoredElement', { element: 'BaseProduction/baseProduction', count: 1, record });
  const attributes = r.additionalAttributes();
  const origin = attributes.find((a) => a.name === DATA_ORIGIN_ATTRIBUTE);
  const protocols = children(el, 'protocoles', M).flatMap((p) => children(p, 'ProtocoleType', M));
  return {
    ...jdd,
    name: r.text('libelle', 'name') ?? '',
    shortName: r.text('libelleCourt', 'shortName') ?? '',
    description: r.text('description', 'description') ?? '',
    dataType: r.text('typeDonnees', 'dataType'),
    objectives: r.texts('objectifJdd'),
    dataOrigin: origin && origin.value !== '' ? origin.value : null,
    marineDomain: r.boolean('domaineMarin', 'marineDomain'),
    terrestrialDomain: r.boolean('domaineTerrestre', 'terrestrialDomain'),
    territories: r.texts('territoire'),
    keywords: r.texts('motCle'),
    protocols: protocols.map((p) => ({
      uuid: null,
      name: text(child(p, 'libelleProtocole', M)) ?? '',
      description: text(child(p, 'descriptionProtocole', M)),
      url: text(child(p, 'url', M)),
      type: null,
    })),
    bbox,
    actors: [...r.actors('pointContactJdd'), ...(production ? r.actors('contactBaseProduction', production) : []), ...r.actors('pointContactPF')],
    metadataCreated: r.date('dateCreation', 'metadataCreated'),
    metadataRevised: r.date('dateRevision', 'metadataRevised'),
    additionalAttributes: attributes.filter((a) => a !== origin),
  };
}

/**
 * Reads an MTD export (a CA file, a JDD file, or one holding both).
 *
 * Codes are kept as written, even when the nomenclature does not know them (`objectif` 7 of the
 * old CA_OBJECTIFS list): validation reports them. UUIDs are lower-cased as GeoNature stores them.
 *
 * @throws AppError INVALID_INPUT `metadata.errors.notXml` / `metadata.errors.notMtd`
 */
export function importMtd(input: Uint8Array | string, where?: string): MtdImport {
  const { root, encoding } = readXml(input, where);
  return mtdFromRoot(root, encoding, where);
}

/** {@link importMtd} on an already parsed document. */
export function mtdFromRoot(root: XmlElement, encoding: string, where?: string): MtdImport {
  const notes = new Notes();
  const cas = root.ns === M && root.name === 'CadreAcquisition' ? [root] : descendants(root, 'CadreAcquisition', M);
  const jdds = root.ns === M && root.name === 'JeuDeDonnees' ? [root] : descendants(root, 'JeuDeDonnees', M);
  if (cas.length === 0 && jdds.length === 0) {
    throw new AppError('INVALID_INPUT', `Not an MTD export${where ? ` (${where})` : ''}: root ${qname(root)}, no CadreAcquisition or JeuDeDonnees in ${M}`, {
      key: 'metadata.errors.notMtd',
      params: { root: qname(root) },
      ...(where ? { where } : {}),
    });
  }
  const frameworks = cas.map((el) => {
    const ca = readFramework(el, notes);
    new RecordReader(el, 'framework', ca.uuid, notes).reportUnknown(CA_KNOWN);
    return ca;
  });
  const datasets = jdds.map((el) => {
    const jdd = readDataset(el, notes);
    new RecordReader(el, 'dataset', jdd.uuid, notes).reportUnknown(JDD_KNOWN);
    return jdd;
  });
  return { frameworks, datasets, notes: notes.list, encoding };
}

/** Adds `<prefix:name>text</prefix:name>` when the value is not null (always when `always`). */
function leaf(parent: XMLBuilder, prefix: string, name: string, value: string | null, always = false): void {
  if (value === null && !always) return;
  const e = parent.ele(M, `${prefix}:${name}`);
  if (value !== null && value !== '') e.txt(xmlSafe(value));
}

function writeActor(parent: XMLBuilder, prefix: string, container: string, a: MetadataActor): void {
  const t = parent.ele(M, `${prefix}:${container}`).ele(M, `${prefix}:ActeurType`);
  leaf(t, prefix, 'mail', a.email);
  leaf(t, prefix, 'nomPrenom', a.person);
  leaf(t, prefix, 'roleActeur', a.role);
  leaf(t, prefix, 'organisme', a.organism);
  leaf(t, prefix, 'idOrganisme', a.organismUuid);
}

function writeAttributes(parent: XMLBuilder, prefix: string, attributes: readonly AdditionalAttribute[]): void {
  if (attributes.length === 0) return;
  const box = parent.ele(M, `${prefix}:attributsAdditionnels`);
  for (const a of attributes) {
    const e = box.ele(M, `${prefix}:AttributAdditionnel`);
    leaf(e, prefix, 'valeurAttribut', a.value, true);
    leaf(e, prefix, 'definitionAttribut', a.definition);
    leaf(e, prefix, 'nomAttribut', a.name, true);
  }
}

function writeFramework(member: XMLBuilder, ca: AcquisitionFramework, id: string): void {
  const p = 'ca';
  const e = member.ele(M, `${p}:CadreAcquisition`).att(NS.gml, 'gml:id', id);
  leaf(e, p, 'identifiantCadre', ca.uuid, true);
  leaf(e, p, 'libelle', ca.name, true);
  leaf(e, p, 'description', ca.description, true);
  leaf(e, p, 'estMetaCadre', String(ca.isMetaFramework), true);
  leaf(e, p, 'idMetaCadreParent', ca.parentUuid);
  for (const k of ca.keywords) leaf(e, p, 'motCle', k);
  const mainIndex = ca.actors.findIndex((a) => a.role === ROLE.MAIN_CONTACT);
  if (mainIndex >= 0) writeActor(e, p, 'acteurPrincipal', ca.actors[mainIndex] as MetadataActor);
  ca.actors.forEach((a, i) => {
    if (i !== mainIndex) writeActor(e, p, 'acteurAutre', a);
  });
  leaf(e, p, 'typeFinancement', ca.financingType);
  const t = e.ele(M, `${p}:ReferenceTemporelle`);
  leaf(t, p, 'dateLancement', ca.startDate);
  leaf(t, p, 'dateCloture', ca.endDate);
  for (const o of ca.objectives) leaf(e, p, 'objectif', o);
  leaf(e, p, 'niveauTerritorial', ca.territorialLevel);
  for (const t2 of ca.territories) leaf(e, p, 'territoire', t2);
  leaf(e, p, 'precisionGeographique', ca.territoryDescription);
  leaf(e, p, 'cibleEcologiqueOuGeologique', ca.ecologicalTarget);
  leaf(e, p, 'descriptionCible', ca.targetDescription);
  for (const pub of ca.publications) {
    const b = e.ele(M, `${p}:referenceBiblio`).ele(M, `${p}:Publication`);
    leaf(b, p, 'referencePublication', pub.reference, true);
    leaf(b, p, 'URLPublication', pub.url);
  }
  leaf(e, p, 'dateCreationMtd', ca.metadataCreated);
  leaf(e, p, 'dateMiseAJourMtd', ca.metadataUpdated);
  for (const v of ca.voletsSinp) leaf(e, p, 'voletSINP', v);
  writeAttributes(e, p, ca.additionalAttributes);
}

function writeDataset(member: XMLBuilder, jdd: Dataset, id: string): void {
  const p = 'jdd';
  const e = member.ele(M, `${p}:JeuDeDonnees`).att(NS.gml, 'gml:id', id);
  leaf(e, p, 'identifiantJdd', jdd.uuid, true);
  leaf(e, p, 'identifiantCadre', jdd.frameworkUuid, true);
  leaf(e, p, 'libelle', jdd.name, true);
  leaf(e, p, 'libelleCourt', jdd.shortName, true);
  leaf(e, p, 'description', jdd.description, true);
  for (const k of jdd.keywords) leaf(e, p, 'motCle', k);
  leaf(e, p, 'typeDonnees', jdd.dataType);
  for (const o of jdd.objectives) leaf(e, p, 'objectifJdd', o);
  leaf(e, p, 'domaineMarin', jdd.marineDomain === null ? null : String(jdd.marineDomain));
  leaf(e, p, 'domaineTerrestre', jdd.terrestrialDomain === null ? null : String(jdd.terrestrialDomain));
  for (const t of jdd.territories) leaf(e, p, 'territoire', t);
  const production = jdd.actors.filter((a) => a.role === ROLE.PRODUCTION_DB_CONTACT);
  for (const a of jdd.actors) if (a.role !== ROLE.PRODUCTION_DB_CONTACT) writeActor(e, p, 'pointContactJdd', a);
  if (jdd.bbox) {
    const b = e.ele(M, `${p}:empriseGeographique`).ele(M, `${p}:BoundingBox`);
    leaf(b, p, 'borneNord', writeNumber(jdd.bbox.north));
    leaf(b, p, 'borneSud', writeNumber(jdd.bbox.south));
    leaf(b, p, 'borneEst', writeNumber(jdd.bbox.east));
    leaf(b, p, 'borneOuest', writeNumber(jdd.bbox.west));
  }
  for (const proto of jdd.protocols) {
    const t = e.ele(M, `${p}:protocoles`).ele(M, `${p}:ProtocoleType`);
    leaf(t, p, 'libelleProtocole', proto.name, true);
    leaf(t, p, 'descriptionProtocole', proto.description);
    leaf(t, p, 'url', proto.url);
  }
  if (production.length > 0) {
    const b = e.ele(M, `${p}:BaseProduction`);
    for (const a of production) writeActor(b, p, 'contactBaseProduction', a);
  }
  leaf(e, p, 'dateCreation', jdd.metadataCreated);
  leaf(e, p, 'dateRevision', jdd.metadataRevised);
  const attributes: AdditionalAttribute[] = [
    ...(jdd.dataOrigin !== null ? [{ name: DATA_ORIGIN_ATTRIBUTE, value: jdd.dataOrigin, definition: null }] : []),
    ...jdd.additionalAttributes.filter((a) => a.name !== DATA_ORIGIN_ATTRIBUTE),
  ];
  writeAttributes(e, p, attributes);
}

/** The JDD fields MTD cannot carry, among those that hold a value (for the export note). */
function droppedFields(jdd: Dataset): string[] {
  const out: string[] = [];
  if (jdd.collectingMethod !== null) out.push('collectingMethod');
  if (jdd.sourceStatus !== null) out.push('sourceStatus');
  if (jdd.resourceType !== null) out.push('resourceType');
  if (jdd.territoryDescription !== null) out.push('territoryDescription');
  if (jdd.protocols.some((p) => p.uuid !== null)) out.push('protocols.uuid');
  if (jdd.protocols.some((p) => p.type !== null)) out.push('protocols.type');
  return out;
}

/**
 * Writes CA and JDD as one MTD feature collection: CA first, then JDD, each in input order, one
 * `featureMember` each, `gml:id` from the position (`CA_1`, `JDD_1`) so ids are valid whatever
 * the UUIDs hold. Deterministic: the same set gives the same bytes.
 */
export function exportMtd(set: MetadataSet): ExportedMetadata {
  const notes = new Notes();
  const root = newDocument(NS.gml, 'gml:FeatureCollection', { gml: NS.gml, ca: M, jdd: M }).att(NS.gml, 'gml:id', 'MTD');
  set.frameworks.forEach((ca, i) => writeFramework(root.ele(NS.gml, 'gml:featureMember'), ca, `CA_${i + 1}`));
  set.datasets.forEach((jdd, i) => {
    writeDataset(root.ele(NS.gml, 'gml:featureMember'), jdd, `JDD_${i + 1}`);
    const dropped = droppedFields(jdd);
    if (dropped.length > 0) notes.add('export.notInFormat', { format: 'MTD', entity: 'dataset', fields: dropped.join(', '), record: jdd.uuid });
  });
  return { format: 'mtd', content: serialize(root), mediaType: 'application/xml', extension: '.xml', notes: notes.list };
}
