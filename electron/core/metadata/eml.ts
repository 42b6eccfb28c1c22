/**
 * EML 2.2.0 (GBIF metadata profile) for one JDD: export for an IPT, and import of EML 2.1/2.2
 * records (the GBIF and IPT samples, UTF-16 and BOM variants included) into the model.
 *
 * Export follows what the IPT requires and writes (standards-reference.md §1.1, gbif/ipt
 * `resource-metadata.adoc`): title, creator, metadata provider, contact, pubDate, language,
 * abstract, keywords (with their thesaurus; "Occurrence" from GBIF's dataset type vocabulary for
 * taxon occurrences), the licence as a machine-readable `<ulink url>` inside
 * `intellectualRights` (GBIF rejects an EML without it, gbif/ipt#1778) and as EML 2.2
 * `licensed`, geographic and temporal coverage, methods (lineage, sampling), and the CA as the
 * project with its funders. It validates against eml.xsd 2.2.0.
 *
 * SINP person names come in one piece ("NOM Prénom" or "Prénom NOM"); EML wants a surName, so
 * the whole name goes there rather than a guessed split (noted once per export).
 */
import {
  ROLE,
  blankDataset,
  gbifLicenceFor,
  isUuid,
  licenceFromUrl,
  normalizeUuid,
  type Dataset,
  type ExportedMetadata,
  type MetadataActor,
  type LicenceId,
} from '../../../shared/metadata/index.js';
import { AppError } from '../errors.js';
import { allKeywords, inspireThemeLabel, resolveExport, territoryLabels, type DatasetExportInput, type ResolvedExport } from './export-common.js';
import type { ForeignImport } from './iso19139.js';
import { EML_ROLE, ROLE_FROM_EML, roleKey } from './roles.js';
import { Notes, readDate, readNumber, unionOfBoxes, writeNumber } from './values.js';
import { NS, attr, child, children, descendants, newDocument, qname, readXml, serialize, text, textContent, xmlSafe, type XMLBuilder, type XmlElement } from './xml.js';

const EML = NS.eml220;
/** EML 3-letter language codes, as the IPT writes them. */
const EML_LANG = { fr: 'fra', en: 'eng' } as const;

const T = {
  fr: {
    licensed: 'Licence de ce travail : ',
    funder: 'Financeur : ',
    studyExtent: 'Territoires : ',
    method: 'Méthode de recueil : ',
    protocols: 'Protocoles : ',
    free: 'N/A',
    unknown: 'Non renseigné',
  },
  en: {
    licensed: 'This work is licensed under ',
    funder: 'Funder: ',
    studyExtent: 'Territories: ',
    method: 'Collection method: ',
    protocols: 'Protocols: ',
    free: 'N/A',
    unknown: 'Not given',
  },
} as const;

/** Elements of the resource group are unqualified in EML: children are written without namespace. */
const el = (parent: XMLBuilder, name: string, value?: string): XMLBuilder => {
  const e = parent.ele(name);
  if (value !== undefined) e.txt(xmlSafe(value));
  return e;
};

/** Paragraphs of a text: blank lines separate them. */
function paras(parent: XMLBuilder, textValue: string): void {
  const list = textValue
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const p of list.length ? list : ['']) el(parent, 'para', p);
}

function responsibleParty(parent: XMLBuilder, name: string, a: Pick<MetadataActor, 'person' | 'organism' | 'email'>, r: ResolvedExport, flags: { surname: boolean }, role?: string): void {
  const p = el(parent, name);
  if (a.person) {
    el(el(p, 'individualName'), 'surName', a.person);
    flags.surname = true;
  }
  if (a.organism) el(p, 'organizationName', a.organism);
  if (!a.person && !a.organism) el(p, 'organizationName', T[r.lang].unknown);
  if (a.email) el(p, 'electronicMailAddress', a.email);
  if (role) el(p, 'role', role);
}

function intellectualRights(dataset: XMLBuilder, r: ResolvedExport): void {
  const lic = r.licence;
  const para = el(el(dataset, 'intellectualRights'), 'para');
  // The IPT's own English sentence when there is one (GBIF users know it), ours otherwise.
  const sentence = r.lang === 'en' && lic.gbifSentence ? lic.gbifSentence : { before: T[r.lang].licensed, after: '.' };
  para.txt(sentence.before);
  el(para.ele('ulink').att('url', lic.url), 'citetitle', lic.title[r.lang]);
  para.txt(sentence.after);
  if (!lic.gbif) {
    const suggested = gbifLicenceFor(lic.id);
    r.notes.add('export.licenceNotGbif', { licence: lic.id, suggested: suggested ?? 'CC0-1.0 / CC-BY-4.0 / CC-BY-NC-4.0' });
  }
  const licensed = el(dataset, 'licensed');
  el(licensed, 'licenseName', lic.title[r.lang]);
  el(licensed, 'url', lic.url);
  el(licensed, 'identifier', lic.id);
}

function keywordSet(parent: XMLBuilder, words: readonly string[], thesaurus: string): void {
  if (words.length === 0) return;
  const k = el(parent, 'keywordSet');
  for (const w of words) el(k, 'keyword', w);
  el(k, 'keywordThesaurus', thesaurus);
}

function coverage(dataset: XMLBuilder, r: ResolvedExport): void {
  const cover = r.ctx.temporalCoverage;
  if (!r.bbox && !cover) return;
  const c = el(dataset, 'coverage');
  if (r.bbox) {
    const g = el(c, 'geographicCoverage');
    const description = [territoryLabels(r).join(', '), r.dataset.territoryDescription ?? ''].filter((x) => x.trim() !== '').join(' – ');
    el(g, 'geographicDescription', description || r.dataset.name);
    const b = el(g, 'boundingCoordinates');
    el(b, 'westBoundingCoordinate', writeNumber(r.bbox.west));
    el(b, 'eastBoundingCoordinate', writeNumber(r.bbox.east));
    el(b, 'northBoundingCoordinate', writeNumber(r.bbox.north));
    el(b, 'southBoundingCoordinate', writeNumber(r.bbox.south));
  }
  if (cover) {
    const range = el(el(c, 'temporalCoverage'), 'rangeOfDates');
    el(el(range, 'beginDate'), 'calendarDate', cover.start);
    el(el(range, 'endDate'), 'calendarDate', cover.end);
  }
}

function methods(dataset: XMLBuilder, r: ResolvedExport): void {
  const t = T[r.lang];
  const d = r.dataset;
  const m = el(dataset, 'methods');
  paras(el(el(m, 'methodStep'), 'description'), r.lineage);
  const method = r.label('METHO_RECUEIL', d.collectingMethod);
  const sampling: string[] = [];
  if (method) sampling.push(`${t.method}${method}`);
  if (d.protocols.length) sampling.push(`${t.protocols}${d.protocols.map((p) => [p.name, p.description, p.url].filter(Boolean).join(' – ')).join(' ; ')}`);
  const extent = [territoryLabels(r).join(', '), d.territoryDescription ?? ''].filter((x) => x.trim() !== '').join(' – ');
  if (sampling.length && extent) {
    const s = el(m, 'sampling');
    paras(el(el(s, 'studyExtent'), 'description'), `${t.studyExtent}${extent}`);
    paras(el(s, 'samplingDescription'), sampling.join('\n\n'));
  }
}

function project(dataset: XMLBuilder, r: ResolvedExport, flags: { surname: boolean }): void {
  const ca = r.framework;
  if (!ca) return;
  const personnel = ca.actors.filter((a) => a.role !== ROLE.FUNDER && (a.person || a.organism) && a.role && EML_ROLE[a.role]);
  const fallback = r.mainContact ? [r.mainContact] : [];
  const people = personnel.length ? personnel : fallback;
  if (people.length === 0) return;
  const p = el(dataset, 'project');
  if (isUuid(ca.uuid)) p.att('id', `ca-${normalizeUuid(ca.uuid)}`);
  el(p, 'title', ca.name || r.dataset.name);
  for (const a of people) responsibleParty(p, 'personnel', a, r, flags, (a.role && EML_ROLE[a.role]) || 'pointOfContact');
  if (ca.description.trim()) paras(el(p, 'abstract'), ca.description);
  if (r.funders.length) paras(el(p, 'funding'), r.funders.map((f) => `${T[r.lang].funder}${[f.person, f.organism].filter(Boolean).join(', ')}`).join('\n\n'));
}

/**
 * Writes the EML 2.2.0 document of one JDD, GBIF profile. Deterministic.
 *
 * @throws AppError INVALID_INPUT when the JDD, the CA or the options do not have their shape
 */
export function exportEml(input: DatasetExportInput): ExportedMetadata {
  const r = resolveExport(input, 'EML');
  const d = r.dataset;
  const t = T[r.lang];
  const flags = { surname: false };
  const root = newDocument(EML, 'eml:eml', { eml: EML, xsi: NS.xsi })
    .att(NS.xsi, 'xsi:schemaLocation', `${EML} https://rs.gbif.org/schema/eml-gbif-profile/1.3/eml.xsd`)
    .att('packageId', d.uuid || 'unidentified')
    .att('system', 'http://gbif.org')
    .att('scope', 'system')
    .att(NS.xml, 'xml:lang', EML_LANG[r.lang]);
  const ds = el(root, 'dataset');
  el(ds, 'alternateIdentifier', d.uuid);
  if (r.ctx.landingPage) el(ds, 'alternateIdentifier', r.ctx.landingPage);
  if (d.shortName.trim()) el(ds, 'shortName', d.shortName);
  el(ds, 'title', d.name).att(NS.xml, 'xml:lang', EML_LANG[r.lang]);
  const creators = r.creators.length ? r.creators : r.publisher ? [{ person: null, organism: r.publisher.name, email: r.publisher.email }] : [{ person: null, organism: null, email: null }];
  for (const a of creators) responsibleParty(ds, 'creator', a, r, flags);
  if (r.metadataContact) responsibleParty(ds, 'metadataProvider', r.metadataContact, r, flags);
  for (const a of d.actors) {
    const role = a.role ? EML_ROLE[a.role] : undefined;
    if (role && (a.person || a.organism)) responsibleParty(ds, 'associatedParty', a, r, flags, role);
  }
  el(ds, 'pubDate', r.ctx.metadataDate);
  el(ds, 'language', EML_LANG[r.lang]);
  paras(el(ds, 'abstract'), d.description);
  keywordSet(ds, allKeywords(r), t.free);
  keywordSet(ds, territoryLabels(r), t.free);
  keywordSet(ds, r.inspireThemes.map((id) => inspireThemeLabel(id, r.lang)), 'GEMET - INSPIRE themes, version 1.0');
  if (d.dataType === '1') keywordSet(ds, ['Occurrence'], 'GBIF Dataset Type Vocabulary: http://rs.gbif.org/vocabulary/gbif/dataset_type.xml');
  intellectualRights(ds, r);
  if (r.ctx.landingPage) el(el(el(ds, 'distribution'), 'online'), 'url', r.ctx.landingPage).att('function', 'information');
  for (const dist of r.ctx.distributions) el(el(el(ds, 'distribution'), 'online'), 'url', dist.url).att('function', 'download');
  coverage(ds, r);
  const contact = r.mainContact ?? (r.publisher ? { person: null, organism: r.publisher.name, email: r.publisher.email } : { person: null, organism: null, email: null });
  responsibleParty(ds, 'contact', contact, r, flags);
  methods(ds, r);
  project(ds, r, flags);
  const gbif = el(el(el(root, 'additionalMetadata'), 'metadata'), 'gbif');
  el(gbif, 'dateStamp', r.ctx.metadataDate);
  el(gbif, 'hierarchyLevel', d.resourceType === '2' ? 'series' : 'dataset');
  if (flags.surname) r.notes.add('export.personAsSurname');
  return { format: 'eml', content: inlineLicenceParagraph(serialize(root)), mediaType: 'application/xml', extension: '.xml', notes: r.notes.list };
}

/**
 * Puts the licence paragraph back on one line. The pretty printer indents mixed content, which
 * would add line breaks and spaces inside the sentence GBIF shows; this is the only mixed content
 * we write, so its printed shape is known exactly.
 */
export function inlineLicenceParagraph(xml: string): string {
  return xml.replace(
    /<para>\n[ ]*([^<\n]*)\n[ ]*<ulink url="([^"]*)">\n[ ]*<citetitle>([^<]*)<\/citetitle>\n[ ]*<\/ulink>\n[ ]*([^<\n]*)\n[ ]*<\/para>/g,
    '<para>$1<ulink url="$2"><citetitle>$3</citetitle></ulink>$4</para>',
  );
}

function emlParty(p: XmlElement): { person: string | null; organism: string | null; email: string | null } {
  const name = child(p, 'individualName');
  const person = name ? [text(child(name, 'givenName')), text(child(name, 'surName'))].filter(Boolean).join(' ') || null : null;
  const organism = text(child(p, 'organizationName')) ?? text(child(p, 'positionName'));
  return { person, organism, email: text(child(p, 'electronicMailAddress')) };
}

/**
 * Reads an EML document (2.1.x or 2.2.0) into a JDD: identifier (packageId or
 * alternateIdentifier that holds a UUID), title, short name, abstract, keywords, bounding box
 * (union of the geographic coverages), creators (producers), contacts (main contact), metadata
 * providers (metadata contact), associated parties (GBIF roles mapped to SINP roles),
 * publication date as revision date, series/dataset level; the licence (from the `ulink` of
 * intellectualRights or EML 2.2 `licensed`), temporal coverage, methods as lineage and language
 * come apart.
 *
 * @throws AppError INVALID_INPUT `metadata.errors.notXml` / `metadata.errors.notEml`
 */
export function importEml(input: Uint8Array | string, where?: string): ForeignImport {
  const { root, encoding } = readXml(input, where);
  return emlFromRoot(root, encoding, where);
}

/** True when the root is an EML document (2.x, any minor version). */
export const isEmlRoot = (root: XmlElement): boolean => root.name === 'eml' && !!root.ns && /ecoinformatics\.org\/eml-2/.test(root.ns);

/** {@link importEml} on an already parsed document. */
export function emlFromRoot(root: XmlElement, encoding: string, where?: string): ForeignImport {
  if (!isEmlRoot(root)) {
    throw new AppError('INVALID_INPUT', `Not an EML document${where ? ` (${where})` : ''}: root ${qname(root)}`, { key: 'metadata.errors.notEml', params: { root: qname(root) } });
  }
  const notes = new Notes();
  const ds = child(root, 'dataset');
  const packageId = attr(root, 'packageId');
  const candidates = [packageId, ...(ds ? children(ds, 'alternateIdentifier').map((a) => text(a)) : [])];
  const uuid = candidates.map((c) => (c ? /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/.exec(c)?.[0] : undefined)).find(Boolean);
  if (!uuid) notes.add('import.noUuid', { value: packageId ?? '' });
  const base = blankDataset(uuid ? normalizeUuid(uuid) : '', '');

  const actors: MetadataActor[] = [];
  const addActors = (name: string, role: string | null) => {
    for (const p of ds ? children(ds, name) : []) {
      const a = emlParty(p);
      if (!a.person && !a.organism) continue;
      actors.push({ role, person: a.person, email: a.email, organism: a.organism, organismUuid: null });
    }
  };
  addActors('creator', ROLE.PRODUCER);
  addActors('contact', ROLE.MAIN_CONTACT);
  addActors('metadataProvider', ROLE.METADATA_CONTACT);
  for (const p of ds ? children(ds, 'associatedParty') : []) {
    const a = emlParty(p);
    if (!a.person && !a.organism) continue;
    const emlRole = text(child(p, 'role')) ?? '';
    const role = ROLE_FROM_EML[roleKey(emlRole)] ?? null;
    if (role === null) notes.add('import.roleUnmapped', { role: emlRole, name: a.person ?? a.organism ?? '' });
    actors.push({ role, person: a.person, email: a.email, organism: a.organism, organismUuid: null });
  }

  const keywords: string[] = [];
  for (const set of ds ? children(ds, 'keywordSet') : []) {
    const thesaurus = text(child(set, 'keywordThesaurus')) ?? '';
    if (/dataset type vocabulary/i.test(thesaurus)) continue;
    for (const k of children(set, 'keyword')) {
      const w = text(k);
      if (w && !keywords.includes(w)) keywords.push(w);
    }
  }

  const bbox = unionOfBoxes(
    (ds ? descendants(ds, 'boundingCoordinates') : []).map((b) =>
      ['westBoundingCoordinate', 'southBoundingCoordinate', 'eastBoundingCoordinate', 'northBoundingCoordinate'].map((n) => readNumber(text(child(b, n)))),
    ),
    notes,
  );

  const rights = child(ds, 'intellectualRights');
  const ulink = rights ? descendants(rights, 'ulink')[0] : undefined;
  const licensedUrl = text(child(child(ds, 'licensed'), 'url'));
  const licenceUrl = attr(ulink, 'url') ?? licensedUrl;
  const licenceText = rights ? textContent(rights).replace(/\s+/g, ' ').trim() || null : null;
  const licenceId: LicenceId | null = licenceUrl ? licenceFromUrl(licenceUrl) : null;

  const ranges = ds ? descendants(ds, 'rangeOfDates') : [];
  const singles = ds ? descendants(ds, 'singleDateTime') : [];
  const calendar = (e: XmlElement | undefined) => readDate(text(child(e, 'calendarDate')));
  const starts = [...ranges.map((x) => calendar(child(x, 'beginDate'))), ...singles.map(calendar)].filter((x): x is string => !!x).sort();
  const ends = [...ranges.map((x) => calendar(child(x, 'endDate'))), ...singles.map(calendar)].filter((x): x is string => !!x).sort();
  const steps = ds ? descendants(ds, 'methodStep').map((m) => text(child(m, 'description'))?.replace(/\s*\n\s*/g, '\n')) : [];
  const abstract = child(ds, 'abstract');
  const abstractParas = abstract ? children(abstract, 'para').map((p) => text(p)).filter((x): x is string => !!x) : [];
  const level = ds ? text(descendants(root, 'hierarchyLevel')[0]) : null;

  const dataset: Dataset = {
    ...base,
    name: text(child(ds, 'title')) ?? '',
    shortName: text(child(ds, 'shortName')) ?? '',
    description: abstractParas.length ? abstractParas.join('\n\n') : (text(abstract) ?? ''),
    resourceType: level === 'series' ? '2' : level === 'dataset' ? '1' : null,
    keywords,
    bbox,
    actors,
    metadataRevised: readDate(text(child(ds, 'pubDate'))),
  };
  return {
    dataset,
    licence: licenceUrl || licenceText ? { id: licenceId, url: licenceUrl, text: licenceText } : null,
    temporalCoverage: starts.length || ends.length ? { start: starts[0] ?? null, end: ends[ends.length - 1] ?? null } : null,
    lineage: steps.filter((x): x is string => !!x).join('\n\n') || null,
    language: text(child(ds, 'language')) ?? attr(root, 'lang', NS.xml),
    inspireThemes: [],
    topicCategories: [],
    onlineResources: ds ? descendants(ds, 'url').map((u) => text(u)).filter((x): x is string => !!x) : [],
    notes: notes.list,
    encoding,
  };
}
