/**
 * JSON-LD for one JDD: DCAT (for data.gouv.fr and DCAT-AP harvesters) and schema.org `Dataset`
 * (for Google Dataset Search and landing pages).
 *
 * DCAT follows data.gouv.fr's mapping, the de-facto DCAT-AP FR (standards-reference.md §4):
 * title, description, keywords, INSPIRE theme, language, licence on the dataset and on each
 * distribution (`dct:license`; udata reads both), temporal coverage as `dct:PeriodOfTime` with
 * `dcat:startDate`/`dcat:endDate`, spatial coverage as a `dcat:bbox` WKT literal, contact point
 * (vCard), publisher, creators, the CA as `dct:isPartOf`, lineage as `dct:provenance`.
 *
 * schema.org follows Google's Dataset guide (§5): name, a description of 50 to 5000 characters
 * (padded with the JDD's own label, type and framework when too short, cut at a word when too
 * long, and noted), licence URL, creators, funders, spatial coverage as a GeoShape box
 * ("south west north east"), temporal coverage as an ISO 8601 interval, distributions.
 *
 * Output is `JSON.stringify` of objects built in a fixed key order: the same input gives the same
 * bytes.
 */
import { DCAT_RECORD_CONTEXT, INSPIRE_THEMES, inspireThemeUri, type ExportedMetadata, type MetadataActor } from '../../../shared/metadata/index.js';
import { allKeywords, resolveExport, territoryLabels, type DatasetExportInput, type ResolvedExport } from './export-common.js';
import { writeNumber } from './values.js';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const EU_LANG = { fr: 'http://publications.europa.eu/resource/authority/language/FRA', en: 'http://publications.europa.eu/resource/authority/language/ENG' } as const;

/** `@value` with a language tag. */
const tagged = (value: string, lang: string): Json => ({ '@value': value, '@language': lang });

/** The JDD's IRI: the landing page when there is one, else its UUID as a URN. */
function datasetIri(r: ResolvedExport): string {
  return r.ctx.landingPage ?? `urn:uuid:${r.dataset.uuid}`;
}

function vcard(a: Pick<MetadataActor, 'person' | 'organism' | 'email'>): Json {
  const out: { [key: string]: Json } = {
    '@type': a.person ? 'vcard:Individual' : 'vcard:Organization',
    'vcard:fn': a.person ?? a.organism ?? '',
  };
  if (a.person && a.organism) out['vcard:organization-name'] = a.organism;
  if (a.email) out['vcard:hasEmail'] = { '@id': `mailto:${a.email}` };
  return out;
}

function agent(a: Pick<MetadataActor, 'person' | 'organism' | 'email'>): Json {
  const out: { [key: string]: Json } = { '@type': a.person ? 'foaf:Person' : 'foaf:Organization', 'foaf:name': a.person ?? a.organism ?? '' };
  if (a.email) out['foaf:mbox'] = { '@id': `mailto:${a.email}` };
  return out;
}

const stringify = (doc: Json): string => `${JSON.stringify(doc, null, 2)}\n`;

/**
 * Writes the DCAT (JSON-LD) description of one JDD.
 *
 * @throws AppError INVALID_INPUT when the JDD, the CA or the options do not have their shape
 */
export function exportDcat(input: DatasetExportInput): ExportedMetadata {
  const r = resolveExport(input, 'DCAT');
  const { dataset: d, lang, licence } = r;
  const doc: { [key: string]: Json } = {
    '@context': DCAT_RECORD_CONTEXT,
    '@id': datasetIri(r),
    '@type': 'dcat:Dataset',
    'dct:identifier': d.uuid,
    'dct:title': tagged(d.name, lang),
    'dct:description': tagged(d.description, lang),
  };
  const keywords = [...allKeywords(r), ...territoryLabels(r)];
  if (keywords.length) doc['dcat:keyword'] = keywords.map((k) => tagged(k, lang));
  doc['dcat:theme'] = r.inspireThemes.map((id) => ({ '@id': inspireThemeUri(id), 'rdfs:label': tagged(INSPIRE_THEMES[id][lang], lang) }));
  doc['dct:language'] = { '@id': EU_LANG[lang] };
  if (r.created) doc['dct:issued'] = { '@value': r.created, '@type': 'xsd:date' };
  doc['dct:modified'] = { '@value': r.revised ?? r.ctx.metadataDate, '@type': 'xsd:date' };
  doc['dct:license'] = { '@id': licence.url, 'dct:title': licence.title[lang] };
  doc['dct:accessRights'] = { '@id': r.ctx.publicAccess === 'environment' ? 'http://publications.europa.eu/resource/authority/access-right/RESTRICTED' : 'http://publications.europa.eu/resource/authority/access-right/PUBLIC' };
  if (r.bbox) {
    const { west, south, east, north } = r.bbox;
    const [w, s, e, n] = [west, south, east, north].map(writeNumber);
    const wkt = `POLYGON((${w} ${s},${e} ${s},${e} ${n},${w} ${n},${w} ${s}))`;
    doc['dct:spatial'] = { '@type': 'dct:Location', 'dcat:bbox': { '@value': wkt, '@type': 'gsp:wktLiteral' } };
  }
  const cover = r.ctx.temporalCoverage;
  if (cover) {
    doc['dct:temporal'] = {
      '@type': 'dct:PeriodOfTime',
      'dcat:startDate': { '@value': cover.start, '@type': 'xsd:date' },
      'dcat:endDate': { '@value': cover.end, '@type': 'xsd:date' },
    };
  }
  if (r.mainContact) doc['dcat:contactPoint'] = vcard(r.mainContact);
  if (r.publisher) {
    const p: { [key: string]: Json } = { '@type': 'foaf:Organization', 'foaf:name': r.publisher.name };
    if (r.publisher.email) p['foaf:mbox'] = { '@id': `mailto:${r.publisher.email}` };
    if (r.publisher.url) p['foaf:homepage'] = { '@id': r.publisher.url };
    doc['dct:publisher'] = p;
  }
  if (r.creators.length) doc['dct:creator'] = r.creators.map(agent);
  if (r.framework) doc['dct:isPartOf'] = { '@id': `urn:uuid:${r.framework.uuid}`, 'dct:identifier': r.framework.uuid, 'dct:title': tagged(r.framework.name, lang) };
  doc['dct:provenance'] = { '@type': 'dct:ProvenanceStatement', 'rdfs:label': tagged(r.lineage, lang) };
  doc['dct:type'] = { '@id': d.resourceType === '2' ? 'http://purl.org/dc/dcmitype/Collection' : 'http://purl.org/dc/dcmitype/Dataset' };
  if (r.ctx.landingPage) doc['dcat:landingPage'] = { '@id': r.ctx.landingPage };
  if (r.ctx.distributions.length) {
    doc['dcat:distribution'] = r.ctx.distributions.map((dist) => {
      const out: { [key: string]: Json } = { '@type': 'dcat:Distribution', 'dcat:accessURL': { '@id': dist.url }, 'dcat:downloadURL': { '@id': dist.url } };
      if (dist.title) out['dct:title'] = tagged(dist.title, lang);
      if (dist.mediaType) out['dcat:mediaType'] = { '@id': `https://www.iana.org/assignments/media-types/${dist.mediaType}` };
      out['dct:license'] = { '@id': licence.url };
      return out;
    });
  }
  return { format: 'dcat', content: stringify(doc), mediaType: 'application/ld+json', extension: '.jsonld', notes: r.notes.list };
}

/** Google Dataset Search's description bounds. */
export const DESCRIPTION_MIN = 50;
export const DESCRIPTION_MAX = 5000;

/**
 * A description within Google's 50–5000 characters, and how it was changed.
 *
 * Too short: the JDD's own facts are appended (label, data type, framework), never filler
 * characters. Too long: cut at the last space before 4999 characters, with "…".
 */
export function boundedDescription(r: ResolvedExport): { text: string; change: 'padded' | 'truncated' | null } {
  const d = r.dataset;
  let text = d.description.trim();
  if (text.length < DESCRIPTION_MIN) {
    const type = r.label('DATA_TYP', d.dataType);
    const territory = territoryLabels(r).join(', ');
    const objectives = d.objectives.map((o) => r.label('JDD_OBJECTIFS', o)).filter(Boolean).join(', ');
    const facts =
      r.lang === 'fr'
        ? [
            `Jeu de données SINP « ${d.name} »${d.shortName && d.shortName !== d.name ? ` (${d.shortName})` : ''}.`,
            type ? `Type de données : ${type}.` : '',
            objectives ? `Objectif : ${objectives}.` : '',
            territory ? `Territoire : ${territory}.` : '',
            r.framework ? `Cadre d’acquisition : « ${r.framework.name} ».` : '',
          ]
        : [
            `SINP dataset "${d.name}"${d.shortName && d.shortName !== d.name ? ` (${d.shortName})` : ''}.`,
            type ? `Data type: ${type}.` : '',
            objectives ? `Objective: ${objectives}.` : '',
            territory ? `Territory: ${territory}.` : '',
            r.framework ? `Acquisition framework: "${r.framework.name}".` : '',
          ];
    const own = text === '' || /[.!?…]$/.test(text) ? text : `${text}.`;
    text = [own, ...facts].filter((x) => x !== '').join(' ');
    return { text, change: 'padded' };
  }
  if (text.length > DESCRIPTION_MAX) {
    const cut = text.slice(0, DESCRIPTION_MAX - 1);
    const space = cut.lastIndexOf(' ');
    return { text: `${(space > DESCRIPTION_MAX / 2 ? cut.slice(0, space) : cut).trimEnd()}…`, change: 'truncated' };
  }
  return { text, change: null };
}

function person(a: Pick<MetadataActor, 'person' | 'organism' | 'email'>): Json {
  if (a.person) {
    const out: { [key: string]: Json } = { '@type': 'Person', name: a.person };
    if (a.email) out.email = a.email;
    if (a.organism) out.affiliation = { '@type': 'Organization', name: a.organism };
    return out;
  }
  const out: { [key: string]: Json } = { '@type': 'Organization', name: a.organism ?? '' };
  if (a.email) out.email = a.email;
  return out;
}

/**
 * Writes the schema.org `Dataset` (JSON-LD) of one JDD, for Google Dataset Search.
 *
 * @throws AppError INVALID_INPUT when the JDD, the CA or the options do not have their shape
 */
export function exportSchemaOrg(input: DatasetExportInput): ExportedMetadata {
  const r = resolveExport(input, 'schema.org');
  const { dataset: d, lang } = r;
  const description = boundedDescription(r);
  if (description.change === 'padded') r.notes.add('export.descriptionPadded', { from: d.description.trim().length, to: description.text.length });
  if (description.text.length < DESCRIPTION_MIN) r.notes.add('export.descriptionStillShort', { length: description.text.length });
  if (description.change === 'truncated') r.notes.add('export.descriptionTruncated', { from: d.description.trim().length, to: description.text.length });
  const doc: { [key: string]: Json } = {
    '@context': 'https://schema.org/',
    '@type': 'Dataset',
    '@id': datasetIri(r),
    name: d.name,
    description: description.text,
  };
  if (d.shortName && d.shortName !== d.name) doc.alternateName = d.shortName;
  doc.identifier = [`urn:uuid:${d.uuid}`];
  if (r.ctx.landingPage) doc.url = r.ctx.landingPage;
  const keywords = [...allKeywords(r), ...territoryLabels(r)];
  if (keywords.length) doc.keywords = keywords;
  doc.license = r.licence.url;
  doc.isAccessibleForFree = true;
  doc.inLanguage = lang;
  if (r.creators.length) doc.creator = r.creators.map(person);
  if (r.funders.length) doc.funder = r.funders.map(person);
  if (r.publisher) {
    const p: { [key: string]: Json } = { '@type': 'Organization', name: r.publisher.name };
    if (r.publisher.email) p.email = r.publisher.email;
    if (r.publisher.url) p.url = r.publisher.url;
    doc.publisher = p;
  }
  const method = r.label('METHO_RECUEIL', d.collectingMethod);
  if (method) doc.measurementTechnique = method;
  if (r.created) doc.dateCreated = r.created;
  doc.dateModified = r.revised ?? r.ctx.metadataDate;
  if (r.bbox) {
    const { west, south, east, north } = r.bbox;
    const box = [south, west, north, east].map(writeNumber).join(' ');
    const place: { [key: string]: Json } = { '@type': 'Place', geo: { '@type': 'GeoShape', box } };
    const territory = territoryLabels(r).join(', ');
    if (territory) place.name = territory;
    doc.spatialCoverage = place;
  }
  const cover = r.ctx.temporalCoverage;
  if (cover) doc.temporalCoverage = `${cover.start}/${cover.end}`;
  if (r.framework) doc.isPartOf = { '@type': 'CreativeWork', name: r.framework.name, identifier: `urn:uuid:${r.framework.uuid}` };
  if (r.ctx.distributions.length) {
    doc.distribution = r.ctx.distributions.map((dist) => {
      const out: { [key: string]: Json } = { '@type': 'DataDownload', contentUrl: dist.url };
      if (dist.mediaType) out.encodingFormat = dist.mediaType;
      if (dist.title) out.name = dist.title;
      return out;
    });
  }
  return { format: 'schemaorg', content: stringify(doc), mediaType: 'application/ld+json', extension: '.jsonld', notes: r.notes.list };
}
