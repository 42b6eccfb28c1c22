/**
 * ISO 19139 (ISO 19115:2003 metadata in XML) for one JDD: export with the INSPIRE mandatory
 * elements, and import of foreign records (GeoNetwork, GéoBretagne) into the model.
 *
 * Export writes, per the INSPIRE TG table of standards-reference.md §6: fileIdentifier (the JDD
 * UUID), metadata language, character set, hierarchy level (dataset or series, from RESOURCE_TYP),
 * metadata contact, dateStamp (the export's metadata date, never the clock), CRS, title and
 * alternate title, resource dates, unique resource identifier, abstract, purpose (objectives),
 * funders as credit, responsible parties, keywords (one INSPIRE theme at least, GEMET thesaurus;
 * free keywords; territories as place keywords), licence and access constraints, the CA as
 * larger work, resource language, topic category, bounding box and temporal extent, resource
 * locators, INSPIRE conformity (not evaluated) and lineage. It validates against gmd.xsd.
 *
 * Keywords are `gco:CharacterString` with a thesaurus citation (INSPIRE TG 1.3 encoding), so the
 * record validates against gmd.xsd alone; TG 2.0's `gmx:Anchor` would need the gmx schema too.
 */
import {
  blankDataset,
  licenceFromUrl,
  normalizeUuid,
  type Dataset,
  type ExportedMetadata,
  type LicenceId,
  type MetadataActor,
  type MetadataNote,
} from '../../../shared/metadata/index.js';
import { AppError } from '../errors.js';
import { allKeywords, inspireThemeLabel, resolveExport, territoryLabels, type DatasetExportInput, type ResolvedExport } from './export-common.js';
import { ISO_ROLE, ROLE_FROM_ISO } from './roles.js';
import { Notes, readDate, readNumber, unionOfBoxes, writeNumber } from './values.js';
import { NS, attr, child, children, descendants, newDocument, path, qname, readXml, serialize, text, xmlSafe, type XMLBuilder, type XmlElement } from './xml.js';

const G = NS.gmd;
const CO = NS.gco;
const CODELISTS = 'http://standards.iso.org/iso/19139/resources/gmxCodelists.xml';

/** ISO 639-2/B codes, as INSPIRE asks. */
const ISO_LANG = { fr: 'fre', en: 'eng' } as const;

/** The INSPIRE implementing rule on interoperability, cited by the conformity report. */
const INSPIRE_REGULATION = {
  fr: 'Règlement (UE) n° 1089/2010 de la Commission du 23 novembre 2010 portant modalités d’application de la directive 2007/2/CE du Parlement européen et du Conseil en ce qui concerne l’interopérabilité des séries et des services de données géographiques',
  en: 'Commission Regulation (EU) No 1089/2010 of 23 November 2010 implementing Directive 2007/2/EC of the European Parliament and of the Council as regards interoperability of spatial data sets and services',
  date: '2010-12-08',
} as const;

const T = {
  fr: {
    themes: 'GEMET - INSPIRE themes, version 1.0',
    colon: ' : ',
    funder: 'Financeur',
    notEvaluated: 'Conformité non évaluée.',
    noLimitations: 'Pas de restriction d’accès public selon INSPIRE',
    environment: 'Accès public restreint pour protéger l’environnement, par exemple la localisation d’espèces rares (directive INSPIRE, article 13, paragraphe 1, point h)',
    licence: 'Licence',
    landing: 'Page de présentation',
    download: 'Téléchargement',
  },
  en: {
    themes: 'GEMET - INSPIRE themes, version 1.0',
    colon: ': ',
    funder: 'Funder',
    notEvaluated: 'Conformity not evaluated.',
    noLimitations: 'No limitations to public access',
    environment: 'Public access limited to protect the environment, such as the location of rare species (INSPIRE Directive, Article 13(1)(h))',
    licence: 'Licence',
    landing: 'Landing page',
    download: 'Download',
  },
} as const;

const code = (parent: XMLBuilder, name: string, list: string, value: string): void => {
  parent.ele(G, `gmd:${name}`).ele(G, `gmd:${list}`).att('codeList', `${CODELISTS}#${list}`).att('codeListValue', value);
};
const cs = (parent: XMLBuilder, name: string, value: string): XMLBuilder => {
  const e = parent.ele(G, `gmd:${name}`);
  e.ele(CO, 'gco:CharacterString').txt(xmlSafe(value));
  return e;
};
const date = (parent: XMLBuilder, value: string, type: string): void => {
  const d = parent.ele(G, 'gmd:date').ele(G, 'gmd:CI_Date');
  d.ele(G, 'gmd:date').ele(CO, 'gco:Date').txt(value);
  code(d, 'dateType', 'CI_DateTypeCode', type);
};

function party(parent: XMLBuilder, name: string, actor: { person: string | null; organism: string | null; email: string | null }, role: string): void {
  const p = parent.ele(G, `gmd:${name}`).ele(G, 'gmd:CI_ResponsibleParty');
  if (actor.person) cs(p, 'individualName', actor.person);
  if (actor.organism) cs(p, 'organisationName', actor.organism);
  if (actor.email) {
    const address = p.ele(G, 'gmd:contactInfo').ele(G, 'gmd:CI_Contact').ele(G, 'gmd:address').ele(G, 'gmd:CI_Address');
    cs(address, 'electronicMailAddress', actor.email);
  }
  code(p, 'role', 'CI_RoleCode', role);
}

function thesaurus(keywords: XMLBuilder, title: string, publication: string): void {
  const c = keywords.ele(G, 'gmd:thesaurusName').ele(G, 'gmd:CI_Citation');
  cs(c, 'title', title);
  date(c, publication, 'publication');
}

function keywordGroup(parent: XMLBuilder, words: readonly string[], type: 'theme' | 'place', thesaurusTitle?: string, thesaurusDate?: string): void {
  if (words.length === 0) return;
  const k = parent.ele(G, 'gmd:descriptiveKeywords').ele(G, 'gmd:MD_Keywords');
  for (const w of words) cs(k, 'keyword', w);
  code(k, 'type', 'MD_KeywordTypeCode', type);
  if (thesaurusTitle && thesaurusDate) thesaurus(k, thesaurusTitle, thesaurusDate);
}

function onlineResource(parent: XMLBuilder, url: string, name: string | null, fn: 'information' | 'download'): void {
  const r = parent.ele(G, 'gmd:onLine').ele(G, 'gmd:CI_OnlineResource');
  r.ele(G, 'gmd:linkage').ele(G, 'gmd:URL').txt(xmlSafe(url));
  if (name) cs(r, 'name', name);
  code(r, 'function', 'CI_OnLineFunctionCode', fn);
}

function writeIdentification(md: XMLBuilder, r: ResolvedExport): void {
  const { dataset: d, framework: ca, lang } = r;
  const t = T[lang];
  const id = md.ele(G, 'gmd:identificationInfo').ele(G, 'gmd:MD_DataIdentification');
  const cit = id.ele(G, 'gmd:citation').ele(G, 'gmd:CI_Citation');
  cs(cit, 'title', d.name);
  if (d.shortName.trim() !== '' && d.shortName !== d.name) cs(cit, 'alternateTitle', d.shortName);
  if (r.created) date(cit, r.created, 'creation');
  if (r.revised) date(cit, r.revised, 'revision');
  if (!r.created && !r.revised) {
    date(cit, r.ctx.metadataDate, 'publication');
    r.notes.add('export.noResourceDate', { date: r.ctx.metadataDate });
  }
  cs(cit.ele(G, 'gmd:identifier').ele(G, 'gmd:MD_Identifier'), 'code', d.uuid);
  cs(id, 'abstract', d.description);
  const purposes = d.objectives.map((o) => r.label('JDD_OBJECTIFS', o)).filter((x): x is string => !!x);
  if (purposes.length) cs(id, 'purpose', purposes.join(' ; '));
  for (const f of r.funders) cs(id, 'credit', `${t.funder}${t.colon}${[f.person, f.organism].filter(Boolean).join(', ')}`);
  for (const a of d.actors) {
    const role = a.role ? ISO_ROLE[a.role] : undefined;
    if (role && (a.person || a.organism)) party(id, 'pointOfContact', a, role);
  }
  keywordGroup(id, r.inspireThemes.map((th) => inspireThemeLabel(th, lang)), 'theme', t.themes, '2008-06-01');
  keywordGroup(id, allKeywords(r), 'theme');
  keywordGroup(id, territoryLabels(r), 'place');
  const lic = r.licence;
  const use = id.ele(G, 'gmd:resourceConstraints').ele(G, 'gmd:MD_LegalConstraints');
  cs(use, 'useLimitation', `${t.licence}${t.colon}${lic.title[lang]} (${lic.url})`);
  code(use, 'useConstraints', 'MD_RestrictionCode', 'otherRestrictions');
  cs(use, 'otherConstraints', `${lic.title[lang]} ${lic.url}`);
  const access = id.ele(G, 'gmd:resourceConstraints').ele(G, 'gmd:MD_LegalConstraints');
  code(access, 'accessConstraints', 'MD_RestrictionCode', 'otherRestrictions');
  cs(access, 'otherConstraints', r.ctx.publicAccess === 'environment' ? t.environment : t.noLimitations);
  if (ca) {
    const agg = id.ele(G, 'gmd:aggregationInfo').ele(G, 'gmd:MD_AggregateInformation');
    const name = agg.ele(G, 'gmd:aggregateDataSetName').ele(G, 'gmd:CI_Citation');
    cs(name, 'title', ca.name);
    if (ca.startDate && /^\d{4}-\d{2}-\d{2}$/.test(ca.startDate)) date(name, ca.startDate, 'creation');
    else name.ele(G, 'gmd:date').att(CO, 'gco:nilReason', 'unknown');
    cs(agg.ele(G, 'gmd:aggregateDataSetIdentifier').ele(G, 'gmd:MD_Identifier'), 'code', ca.uuid);
    code(agg, 'associationType', 'DS_AssociationTypeCode', 'largerWorkCitation');
    code(agg, 'initiativeType', 'DS_InitiativeTypeCode', 'program');
  }
  code(id, 'spatialRepresentationType', 'MD_SpatialRepresentationTypeCode', 'vector');
  id.ele(G, 'gmd:language').ele(G, 'gmd:LanguageCode').att('codeList', 'http://www.loc.gov/standards/iso639-2/').att('codeListValue', ISO_LANG[lang]);
  code(id, 'characterSet', 'MD_CharacterSetCode', 'utf8');
  id.ele(G, 'gmd:topicCategory').ele(G, 'gmd:MD_TopicCategoryCode').txt('biota');
  if (d.marineDomain) id.ele(G, 'gmd:topicCategory').ele(G, 'gmd:MD_TopicCategoryCode').txt('oceans');
  const cover = r.ctx.temporalCoverage;
  if (r.bbox || cover) {
    const ext = id.ele(G, 'gmd:extent').ele(G, 'gmd:EX_Extent');
    if (r.bbox) {
      const b = ext.ele(G, 'gmd:geographicElement').ele(G, 'gmd:EX_GeographicBoundingBox');
      b.ele(G, 'gmd:westBoundLongitude').ele(CO, 'gco:Decimal').txt(writeNumber(r.bbox.west));
      b.ele(G, 'gmd:eastBoundLongitude').ele(CO, 'gco:Decimal').txt(writeNumber(r.bbox.east));
      b.ele(G, 'gmd:southBoundLatitude').ele(CO, 'gco:Decimal').txt(writeNumber(r.bbox.south));
      b.ele(G, 'gmd:northBoundLatitude').ele(CO, 'gco:Decimal').txt(writeNumber(r.bbox.north));
    }
    if (cover) {
      const period = ext.ele(G, 'gmd:temporalElement').ele(G, 'gmd:EX_TemporalExtent').ele(G, 'gmd:extent').ele(NS.gml, 'gml:TimePeriod');
      period.att(NS.gml, 'gml:id', 'temporal-extent');
      period.ele(NS.gml, 'gml:beginPosition').txt(cover.start);
      period.ele(NS.gml, 'gml:endPosition').txt(cover.end);
    }
  }
}

function writeDistribution(md: XMLBuilder, r: ResolvedExport): void {
  const { landingPage, distributions } = r.ctx;
  if (!landingPage && distributions.length === 0) return;
  const options = md.ele(G, 'gmd:distributionInfo').ele(G, 'gmd:MD_Distribution').ele(G, 'gmd:transferOptions').ele(G, 'gmd:MD_DigitalTransferOptions');
  if (landingPage) onlineResource(options, landingPage, T[r.lang].landing, 'information');
  for (const dist of distributions) onlineResource(options, dist.url, dist.title ?? T[r.lang].download, 'download');
}

function writeQuality(md: XMLBuilder, r: ResolvedExport, level: string): void {
  const q = md.ele(G, 'gmd:dataQualityInfo').ele(G, 'gmd:DQ_DataQuality');
  code(q.ele(G, 'gmd:scope').ele(G, 'gmd:DQ_Scope'), 'level', 'MD_ScopeCode', level);
  const result = q.ele(G, 'gmd:report').ele(G, 'gmd:DQ_DomainConsistency').ele(G, 'gmd:result').ele(G, 'gmd:DQ_ConformanceResult');
  const spec = result.ele(G, 'gmd:specification').ele(G, 'gmd:CI_Citation');
  cs(spec, 'title', INSPIRE_REGULATION[r.lang]);
  date(spec, INSPIRE_REGULATION.date, 'publication');
  cs(result, 'explanation', T[r.lang].notEvaluated);
  result.ele(G, 'gmd:pass').att(CO, 'gco:nilReason', 'unknown');
  cs(q.ele(G, 'gmd:lineage').ele(G, 'gmd:LI_Lineage'), 'statement', r.lineage);
}

/**
 * Writes the ISO 19139 record of one JDD. Deterministic: the same input gives the same bytes.
 *
 * @throws AppError INVALID_INPUT when the JDD, the CA or the options do not have their shape
 */
export function exportIso19139(input: DatasetExportInput): ExportedMetadata {
  const r = resolveExport(input, 'ISO 19139');
  const d = r.dataset;
  const level = d.resourceType === '2' ? 'series' : 'dataset';
  const md = newDocument(G, 'gmd:MD_Metadata', { gmd: G, gco: CO, gml: NS.gml });
  cs(md, 'fileIdentifier', d.uuid);
  md.ele(G, 'gmd:language').ele(G, 'gmd:LanguageCode').att('codeList', 'http://www.loc.gov/standards/iso639-2/').att('codeListValue', ISO_LANG[r.lang]);
  code(md, 'characterSet', 'MD_CharacterSetCode', 'utf8');
  code(md, 'hierarchyLevel', 'MD_ScopeCode', level);
  const contact = r.metadataContact ?? (r.publisher ? { person: null, organism: r.publisher.name, email: r.publisher.email } : null);
  if (contact) party(md, 'contact', contact, 'pointOfContact');
  else md.ele(G, 'gmd:contact').att(CO, 'gco:nilReason', 'missing');
  md.ele(G, 'gmd:dateStamp').ele(CO, 'gco:Date').txt(r.ctx.metadataDate);
  cs(md, 'metadataStandardName', 'ISO 19115:2003/19139');
  cs(md, 'metadataStandardVersion', '1.0');
  const rs = md.ele(G, 'gmd:referenceSystemInfo').ele(G, 'gmd:MD_ReferenceSystem').ele(G, 'gmd:referenceSystemIdentifier').ele(G, 'gmd:RS_Identifier');
  cs(rs, 'code', `http://www.opengis.net/def/crs/EPSG/0/${r.ctx.crsEpsg}`);
  cs(rs, 'codeSpace', 'EPSG');
  writeIdentification(md, r);
  writeDistribution(md, r);
  writeQuality(md, r, level);
  return { format: 'iso19139', content: serialize(md), mediaType: 'application/xml', extension: '.xml', notes: r.notes.list };
}

/** What a foreign ISO 19139 record gave: a JDD (partial) and what the model has no field for. */
export interface ForeignImport {
  readonly dataset: Dataset;
  readonly licence: { readonly id: LicenceId | null; readonly url: string | null; readonly text: string | null } | null;
  readonly temporalCoverage: { readonly start: string | null; readonly end: string | null } | null;
  readonly lineage: string | null;
  readonly language: string | null;
  readonly inspireThemes: readonly string[];
  readonly topicCategories: readonly string[];
  readonly onlineResources: readonly string[];
  readonly notes: readonly MetadataNote[];
  readonly encoding: string;
}

const csText = (e: XmlElement | undefined): string | null => {
  if (!e) return null;
  const inner = children(e)[0];
  return text(inner ?? e);
};

/** A responsible party as an actor, with the ISO role it had (for the note when it does not map). */
function isoActor(p: XmlElement): { actor: MetadataActor; isoRole: string | null } | null {
  const rp = child(p, 'CI_ResponsibleParty', G) ?? children(p)[0];
  if (!rp) return null;
  const person = csText(child(rp, 'individualName', G));
  const organism = csText(child(rp, 'organisationName', G));
  if (!person && !organism) return null;
  const email = csText(path(rp, G, 'contactInfo', 'CI_Contact', 'address', 'CI_Address', 'electronicMailAddress'));
  const isoRole = attr(path(rp, G, 'role', 'CI_RoleCode'), 'codeListValue') ?? text(path(rp, G, 'role', 'CI_RoleCode'));
  return { actor: { role: isoRole ? (ROLE_FROM_ISO[isoRole] ?? null) : null, person, email, organism, organismUuid: null }, isoRole };
}

/**
 * Reads an ISO 19139 record (also inside a CSW response, or as ISO 19115-2 `gmi:MI_Metadata`)
 * into a JDD: identifier, title, alternate title, abstract, keywords, bounding box (their union
 * when there are several), responsible parties (ISO roles mapped to SINP roles), creation and
 * revision dates, resource type, the CA when it is cited as larger work; licence, temporal
 * extent, lineage, language, INSPIRE themes, topic categories and online resources come apart.
 * SINP nomenclature fields stay empty: ISO has no such codes.
 *
 * @throws AppError INVALID_INPUT `metadata.errors.notXml` / `metadata.errors.notIso`
 */
export function importIso19139(input: Uint8Array | string, where?: string): ForeignImport {
  const { root, encoding } = readXml(input, where);
  return isoFromRoot(root, encoding, where);
}

/** The ISO record of a document: the root itself, or the first one inside (a CSW response). */
export function findIsoRecord(root: XmlElement): XmlElement | undefined {
  const isMd = (e: XmlElement) => (e.name === 'MD_Metadata' && e.ns === G) || (e.name === 'MI_Metadata' && e.ns === NS.gmi);
  return isMd(root) ? root : [...descendants(root, 'MD_Metadata', G), ...descendants(root, 'MI_Metadata', NS.gmi)][0];
}

/** {@link importIso19139} on an already parsed document. */
export function isoFromRoot(root: XmlElement, encoding: string, where?: string): ForeignImport {
  const md = findIsoRecord(root);
  if (!md) {
    throw new AppError('INVALID_INPUT', `No ISO 19139 record${where ? ` in ${where}` : ''}: root ${qname(root)}`, { key: 'metadata.errors.notIso', params: { root: qname(root) } });
  }
  const notes = new Notes();
  const fileId = csText(child(md, 'fileIdentifier', G));
  const ident = children(child(md, 'identificationInfo', G) ?? md)[0];
  const cit = path(ident, G, 'citation', 'CI_Citation');
  const citId = csText(path(cit, G, 'identifier', '*', 'code'));
  const uuidOf = (v: string | null) => {
    const m = v ? /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/.exec(v) : null;
    return m ? normalizeUuid(m[0]) : null;
  };
  const uuid = uuidOf(fileId) ?? uuidOf(citId);
  if (!uuid) notes.add('import.noUuid', { value: fileId ?? citId ?? '' });
  const larger = ident
    ? children(ident, 'aggregationInfo', G)
        .map((a) => child(a, 'MD_AggregateInformation', G))
        .find((a) => attr(path(a, G, 'associationType', 'DS_AssociationTypeCode'), 'codeListValue') === 'largerWorkCitation')
    : undefined;
  const frameworkUuid = uuidOf(csText(path(larger, G, 'aggregateDataSetIdentifier', '*', 'code'))) ?? '';
  const base = blankDataset(uuid ?? '', frameworkUuid);

  const themes: string[] = [];
  const keywords: string[] = [];
  for (const k of ident ? children(ident, 'descriptiveKeywords', G).map((x) => child(x, 'MD_Keywords', G)) : []) {
    if (!k) continue;
    const words = children(k, 'keyword', G).map(csText).filter((x): x is string => !!x);
    const thesaurusTitle = csText(path(k, G, 'thesaurusName', 'CI_Citation', 'title')) ?? '';
    if (/inspire/i.test(thesaurusTitle) && /theme/i.test(thesaurusTitle)) themes.push(...words);
    else keywords.push(...words);
  }
  const bbox = unionOfBoxes(
    descendants(ident ?? md, 'EX_GeographicBoundingBox', G).map((b) =>
      ['westBoundLongitude', 'southBoundLatitude', 'eastBoundLongitude', 'northBoundLatitude'].map((n) => readNumber(csText(child(b, n, G)))),
    ),
    notes,
  );

  const dates = cit ? children(cit, 'date', G).map((x) => child(x, 'CI_Date', G)) : [];
  const dateOf = (type: string) => {
    const e = dates.find((x) => attr(path(x, G, 'dateType', 'CI_DateTypeCode'), 'codeListValue') === type);
    const value = child(e, 'date', G);
    return value ? readDate(text(children(value)[0] ?? value)) : null;
  };
  const parties = [...(ident ? children(ident, 'pointOfContact', G) : []), ...(cit ? children(cit, 'citedResponsibleParty', G) : [])]
    .map(isoActor)
    .filter((a): a is NonNullable<ReturnType<typeof isoActor>> => a !== null)
    .filter((a, i, all) => all.findIndex((b) => b.actor.person === a.actor.person && b.actor.organism === a.actor.organism && b.isoRole === a.isoRole) === i);
  for (const p of parties) if (p.actor.role === null) notes.add('import.roleUnmapped', { role: p.isoRole ?? '', name: p.actor.person ?? p.actor.organism ?? '' });
  const actors = parties.map((p) => p.actor);

  const level = attr(path(md, G, 'hierarchyLevel', 'MD_ScopeCode'), 'codeListValue');
  const constraints = ident ? descendants(ident, 'MD_LegalConstraints', G).concat(descendants(ident, 'MD_Constraints', G)) : [];
  const texts = (name: string) => constraints.flatMap((c) => children(c, name, G).map(csText)).filter((x): x is string => !!x);
  const others = texts('otherConstraints');
  const all = [...texts('useLimitation'), ...others];
  const urls = all.flatMap((x) => [...x.matchAll(/https?:\/\/[^\s"<>]+/g)].map((m) => m[0].replace(/[).,;]+$/, '')));
  const licenceLike = all.find((x) => /licen[cs]e|creative commons|cc[- ]by|cc0|odbl|etalab/i.test(x)) ?? null;
  const licenceUrl = urls.find((u) => licenceFromUrl(u) !== null) ?? (licenceLike ? (/https?:\/\/[^\s"<>]+/.exec(licenceLike)?.[0]?.replace(/[).,;]+$/, '') ?? null) : null);
  const licenceText = licenceLike ?? (others.length ? others.join(' ; ') : null);
  const period = ident ? descendants(ident, 'TimePeriod')[0] : undefined;
  const begin = period ? readDate(text(child(period, 'beginPosition')) ?? text(path(period, undefined, 'begin', '*', 'timePosition'))) : null;
  const end = period ? readDate(text(child(period, 'endPosition')) ?? text(path(period, undefined, 'end', '*', 'timePosition'))) : null;
  const lang = attr(path(ident, G, 'language', 'LanguageCode'), 'codeListValue') ?? csText(child(ident, 'language', G));

  const dataset: Dataset = {
    ...base,
    name: csText(child(cit, 'title', G)) ?? '',
    shortName: csText(child(cit, 'alternateTitle', G)) ?? '',
    description: csText(child(ident, 'abstract', G)) ?? '',
    resourceType: level === 'series' ? '2' : level === 'dataset' ? '1' : null,
    keywords: keywords.filter((k, i) => keywords.indexOf(k) === i),
    bbox,
    actors,
    metadataCreated: dateOf('creation'),
    metadataRevised: dateOf('revision'),
  };
  return {
    dataset,
    licence: licenceText ? { id: licenceUrl ? licenceFromUrl(licenceUrl) : null, url: licenceUrl, text: licenceText } : null,
    temporalCoverage: begin || end ? { start: begin, end } : null,
    lineage: csText(path(md, G, 'dataQualityInfo', 'DQ_DataQuality', 'lineage', 'LI_Lineage', 'statement')),
    language: lang,
    inspireThemes: themes,
    topicCategories: ident ? children(ident, 'topicCategory', G).map((t) => text(t)).filter((x): x is string => !!x) : [],
    onlineResources: descendants(md, 'CI_OnlineResource', G)
      .map((o) => text(path(o, G, 'linkage', 'URL')))
      .filter((x): x is string => !!x),
    notes: notes.list,
    encoding,
  };
}
