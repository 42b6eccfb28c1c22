import { CSV_DIALECT } from '../../../shared/bundle/csv.js';
import { profileFields } from '../../../shared/bundle/fields.js';
import { LICENCE_TEXTS } from '../../../shared/bundle/licence-texts.js';
import { attributionSentence, type TargetLicence } from '../../../shared/bundle/licences.js';
import type { BundlePreset } from '../../../shared/bundle/presets.js';
import { LICENCES } from '../../../shared/metadata/licences.js';
import { outwardBox, type Box } from './bundle-metadata.js';
import { PATHS, mediaTypeOf, type BundleFile } from './layout.js';
import type { SensitivityProvenance } from './sensitivity.js';

/**
 * The documents of a bundle, written from one set of facts: datapackage.json, the RO-Crate,
 * PROV-JSON, the README, LICENCE.md and the changelog. Every date is the bundle's `asOf` and every
 * list is in a fixed order, so the same facts give the same bytes. Nothing here reads the clock,
 * the machine or a connection secret: the facts carry server and database names only.
 */

/** Where the data came from. */
export interface SourceFacts {
  readonly workspace: { readonly file: string; readonly sha256: string; readonly bytes: number; readonly title: string | null; readonly formatVersion: number; readonly source: string | null };
  /** The GeoNature the workspace was pulled from (passerelle_meta pull_*), never the role's password. */
  readonly geonature: { readonly server: string; readonly database: string; readonly version: string | null; readonly pulledAt: string | null; readonly filters: string | null } | null;
  /** Files imported by the cleanup (name and sha256). */
  readonly imports: readonly { readonly file: string; readonly sha256: string | null; readonly at: string; readonly rows: number }[];
}

/** A transformation the bundle records as a PROV activity / RO-Crate action. */
export interface ActivityFacts {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Counts (JSON numbers), in a fixed order. */
  readonly counts: Readonly<Record<string, number>>;
  readonly at: string;
  /** Ids of source entities used (`workspace`, `geonature`, `referential-1`…). */
  readonly used: readonly string[];
}

/** Everything the documents are written from. */
export interface BuildFacts {
  readonly bundleId: string;
  readonly title: string;
  /** In the preset's language (datapackage, RO-Crate). */
  readonly description: string;
  readonly descriptions: { readonly fr: string; readonly en: string };
  readonly version: string;
  readonly previousVersion: string | null;
  readonly asOf: string;
  readonly preset: BundlePreset;
  readonly publisherName: string;
  readonly operator: string;
  readonly software: { readonly name: string; readonly version: string; readonly sqlite: string };
  readonly sources: SourceFacts;
  readonly sensitivity: SensitivityProvenance | null;
  readonly activities: readonly ActivityFacts[];
  readonly dataFiles: readonly BundleFile[];
  readonly metadataFiles: readonly BundleFile[];
  readonly records: { readonly published: number; readonly precise: number; readonly generalised: number; readonly withheld: number; readonly excluded: number };
  readonly extent: { readonly box: Box | null; readonly firstDay: string | null; readonly lastDay: string | null };
  readonly datasets: readonly { readonly uuid: string; readonly name: string; readonly records: number }[];
  readonly targets: readonly TargetLicence[];
  readonly changes: { readonly added: number; readonly removed: number; readonly changed: number; readonly first: boolean };
}

const TITLES: Readonly<Record<string, { fr: string; en: string }>> = {
  [PATHS.gpkg]: { fr: 'Observations (GeoPackage)', en: 'Observations (GeoPackage)' },
  [PATHS.csv]: { fr: 'Observations (CSV)', en: 'Observations (CSV)' },
  [PATHS.geojson]: { fr: 'Observations (GeoJSON)', en: 'Observations (GeoJSON)' },
  [PATHS.dwcMeta]: { fr: 'Archive Darwin Core : descripteur', en: 'Darwin Core Archive: descriptor' },
  [PATHS.dwcEml]: { fr: 'Archive Darwin Core : métadonnées EML', en: 'Darwin Core Archive: EML metadata' },
  [PATHS.dwcOccurrence]: { fr: 'Archive Darwin Core : occurrences', en: 'Darwin Core Archive: occurrences' },
  'metadata/iso19139.xml': { fr: 'Métadonnées ISO 19139', en: 'ISO 19139 metadata' },
  'metadata/mtd.xml': { fr: 'Métadonnées SINP (MTD : cadres d’acquisition et jeux de données)', en: 'SINP metadata (MTD: acquisition frameworks and datasets)' },
  'metadata/eml.xml': { fr: 'Métadonnées EML (GBIF)', en: 'EML metadata (GBIF)' },
  'metadata/dcat.jsonld': { fr: 'Métadonnées DCAT (JSON-LD)', en: 'DCAT metadata (JSON-LD)' },
  'metadata/schemaorg.jsonld': { fr: 'Métadonnées schema.org (JSON-LD)', en: 'schema.org metadata (JSON-LD)' },
};

/** Title of a bundle file. */
export const fileTitle = (path: string, lang: 'fr' | 'en'): string => TITLES[path]?.[lang] ?? path;

const json = (v: unknown): string => JSON.stringify(v, null, 2) + '\n';
const resourceName = (path: string): string => path.toLowerCase().replace(/[^a-z0-9._-]+/g, '-');

/** datapackage.json (Frictionless Data Package v2). */
export function datapackageJson(f: BuildFacts): string {
  const l = LICENCES[f.preset.licence];
  const lang = f.preset.language;
  const fields = profileFields(f.preset.fieldProfile, { withWkt: true });
  const resources = [...f.dataFiles, ...f.metadataFiles].map((file) => {
    const base: Record<string, unknown> = {
      name: resourceName(file.path),
      path: file.path,
      title: fileTitle(file.path, lang),
    };
    if (file.path === PATHS.csv) {
      Object.assign(base, {
        type: 'table',
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8',
        dialect: CSV_DIALECT,
        schema: {
          $schema: 'https://datapackage.org/profiles/2.0/tableschema.json',
          fields: fields.map(({ field, name }) => ({
            name,
            type: field.type,
            description: field.description,
            ...(field.key === 'unique_id_sinp' ? { constraints: { required: true, unique: true } } : {}),
          })),
          missingValues: [''],
          primaryKey: [fields[0]?.name ?? 'unique_id_sinp'],
        },
      });
    } else {
      Object.assign(base, { format: file.path.split('.').pop(), mediatype: mediaTypeOf(file.path) });
    }
    Object.assign(base, { bytes: file.bytes, hash: `sha256:${file.sha256}` });
    return base;
  });
  const sources: Record<string, unknown>[] = [];
  if (f.sources.geonature) {
    sources.push({ title: `GeoNature ${f.sources.geonature.version ?? ''} — ${f.sources.geonature.database} @ ${f.sources.geonature.server}`.replace('  ', ' '), ...(f.sources.geonature.pulledAt ? { version: f.sources.geonature.pulledAt } : {}) });
  }
  sources.push({ title: `Passerelle workspace ${f.sources.workspace.file} (sha256 ${f.sources.workspace.sha256})` });
  for (const i of f.sources.imports) sources.push({ title: `Import ${i.file}${i.sha256 ? ` (sha256 ${i.sha256})` : ''}` });
  for (const r of f.sensitivity?.referentials ?? []) sources.push({ title: `Sensitivity referential ${r.name}${r.version ? ` v${r.version}` : ''}${r.sha256 ? ` (sha256 ${r.sha256})` : ''}` });
  return json({
    $schema: 'https://datapackage.org/profiles/2.0/datapackage.json',
    name: resourceName(f.preset.name),
    id: `urn:uuid:${f.bundleId}`,
    title: f.title,
    description: f.description,
    version: f.version,
    created: f.asOf,
    ...(f.preset.landingPage ? { homepage: f.preset.landingPage } : {}),
    keywords: ['biodiversité', 'biodiversity', 'SINP', 'GeoNature', 'occurrences'],
    licenses: [{ name: l.id, path: l.url, title: l.title[lang] }],
    sources,
    contributors: [
      { title: f.publisherName, roles: ['publisher'] },
      { title: f.operator, roles: ['creator'] },
    ],
    resources,
    passerelle: bundleDescriptor(f),
  });
}

/**
 * What the gate needs to know about a bundle, in datapackage.json's `passerelle` property (a
 * Data Package may carry properties of its own): the audience and its policies, the moment, the
 * sensitivity applied and the workspace it came from (by hash: no path, no secret).
 */
export function bundleDescriptor(f: BuildFacts): Record<string, unknown> {
  return {
    bundle: f.bundleId,
    version: f.version,
    asOf: f.asOf,
    audience: f.preset.audience,
    preset: f.preset.name,
    locations: f.preset.locations,
    fieldProfile: f.preset.fieldProfile,
    observers: f.preset.observers,
    targets: f.preset.targets,
    licence: f.preset.licence,
    workspace: { file: f.sources.workspace.file, sha256: f.sources.workspace.sha256 },
    sensitivity: f.sensitivity
      ? {
          source: f.sensitivity.source,
          asOf: f.sensitivity.asOf,
          referentials: f.sensitivity.referentials.map((r) => ({ name: r.name, version: r.version, file: r.file, sha256: r.sha256 })),
          taxonomy: f.sensitivity.taxonomy.file ? { file: f.sensitivity.taxonomy.file, sha256: f.sensitivity.taxonomy.fileSha256 } : null,
          overrides: f.sensitivity.overrides,
        }
      : null,
  };
}

/** The RO-Crate 1.2 metadata file: the files, sources, software, operator and every transformation. */
export function roCrateJson(f: BuildFacts): string {
  const l = LICENCES[f.preset.licence];
  const files = [...f.dataFiles, ...f.metadataFiles];
  const docs = [PATHS.readme, PATHS.licence, PATHS.changelogMd, PATHS.changelogJson, PATHS.datapackage, PATHS.prov];
  const graph: Record<string, unknown>[] = [
    { '@id': 'ro-crate-metadata.json', '@type': 'CreativeWork', conformsTo: { '@id': 'https://w3id.org/ro/crate/1.2' }, about: { '@id': './' } },
    {
      '@id': './',
      '@type': 'Dataset',
      identifier: `urn:uuid:${f.bundleId}`,
      name: f.title,
      description: f.description,
      version: f.version,
      datePublished: f.asOf,
      license: { '@id': l.url },
      publisher: { '@id': '#publisher' },
      creator: { '@id': '#operator' },
      ...(f.extent.firstDay && f.extent.lastDay ? { temporalCoverage: `${f.extent.firstDay}/${f.extent.lastDay}` } : {}),
      ...(f.extent.box ? { spatialCoverage: { '@id': '#extent' } } : {}),
      hasPart: [...files.map((x) => x.path), ...docs].sort().map((p) => ({ '@id': p })),
      mentions: f.activities.map((a) => ({ '@id': `#${a.id}` })),
    },
    ...files.map((x) => ({ '@id': x.path, '@type': 'File', name: fileTitle(x.path, 'en'), encodingFormat: mediaTypeOf(x.path), contentSize: String(x.bytes), sha256: x.sha256 })),
    ...docs.map((p) => ({ '@id': p, '@type': 'File', name: p, encodingFormat: mediaTypeOf(p) })),
    { '@id': l.url, '@type': 'CreativeWork', name: l.title.en, identifier: l.id },
    { '@id': '#publisher', '@type': 'Organization', name: f.publisherName },
    { '@id': '#operator', '@type': 'Person', name: f.operator },
    { '@id': '#passerelle', '@type': 'SoftwareApplication', name: f.software.name, version: f.software.version, softwareRequirements: `SQLite ${f.software.sqlite}` },
    ...sourceEntities(f).map((s) => ({ '@id': `#${s.id}`, '@type': 'Dataset', name: s.name, ...s.extra })),
    ...f.activities.map((a) => ({
      '@id': `#${a.id}`,
      '@type': 'CreateAction',
      name: a.name,
      description: `${a.description} ${Object.entries(a.counts).map(([k, v]) => `${k}=${v}`).join(', ')}`.trim(),
      endTime: a.at,
      agent: { '@id': '#operator' },
      instrument: { '@id': '#passerelle' },
      object: a.used.map((u) => ({ '@id': `#${u}` })),
      result: files.map((x) => ({ '@id': x.path })),
    })),
  ];
  if (f.extent.box) {
    const b = f.extent.box;
    graph.push({ '@id': '#extent', '@type': 'Place', geo: { '@type': 'GeoShape', box: `${b.south} ${b.west} ${b.north} ${b.east}` } });
  }
  return json({ '@context': 'https://w3id.org/ro/crate/1.2/context', '@graph': graph });
}

/** The source entities (workspace, GeoNature, imports, referentials), with stable ids. */
function sourceEntities(f: BuildFacts): { id: string; name: string; extra: Record<string, string | number> }[] {
  const out: { id: string; name: string; extra: Record<string, string | number> }[] = [];
  const w = f.sources.workspace;
  out.push({ id: 'workspace', name: `Passerelle workspace ${w.file}${w.title ? ` (${w.title})` : ''}`, extra: { sha256: w.sha256, contentSize: String(w.bytes), version: `format ${w.formatVersion}` } });
  const g = f.sources.geonature;
  if (g) out.push({ id: 'geonature', name: `GeoNature database ${g.database} on ${g.server}`, extra: { ...(g.version ? { version: g.version } : {}), ...(g.pulledAt ? { dateModified: g.pulledAt } : {}), ...(g.filters ? { description: `pull filters ${g.filters}` } : {}) } });
  f.sources.imports.forEach((i, k) => out.push({ id: `import-${k + 1}`, name: `Imported file ${i.file}`, extra: { ...(i.sha256 ? { sha256: i.sha256 } : {}), dateCreated: i.at } }));
  f.sensitivity?.referentials.forEach((r, k) =>
    out.push({ id: `referential-${k + 1}`, name: `Sensitivity referential ${r.name}`, extra: { ...(r.version ? { version: r.version } : {}), ...(r.sha256 ? { sha256: r.sha256 } : {}), ...(r.file ? { url: r.file } : {}) } }),
  );
  if (f.sensitivity?.taxonomy.file) out.push({ id: 'taxonomy', name: `Taxonomy ${f.sensitivity.taxonomy.file}`, extra: f.sensitivity.taxonomy.fileSha256 ? { sha256: f.sensitivity.taxonomy.fileSha256 } : {} });
  return out;
}

/** The provenance as W3C PROV-JSON (Member Submission 2013). */
export function provJson(f: BuildFacts): string {
  const ns = 'bundle';
  const entity: Record<string, Record<string, unknown>> = {};
  for (const s of sourceEntities(f)) entity[`${ns}:${s.id}`] = { 'prov:label': s.name, ...Object.fromEntries(Object.entries(s.extra).map(([k, v]) => [`schema:${k}`, v])) };
  for (const x of [...f.dataFiles, ...f.metadataFiles]) entity[`${ns}:${x.path}`] = { 'prov:type': 'schema:MediaObject', 'prov:label': fileTitle(x.path, 'en'), 'schema:sha256': x.sha256, 'schema:contentSize': x.bytes };
  const activity: Record<string, Record<string, unknown>> = {};
  for (const a of f.activities) {
    activity[`${ns}:${a.id}`] = { 'prov:label': a.name, 'prov:startTime': a.at, 'prov:endTime': a.at, 'schema:description': a.description, ...Object.fromEntries(Object.entries(a.counts).map(([k, v]) => [`passerelle:${k}`, v])) };
  }
  const used: Record<string, unknown> = {};
  const informed: Record<string, unknown> = {};
  const associated: Record<string, unknown> = {};
  let k = 0;
  f.activities.forEach((a, i) => {
    for (const u of a.used) used[`_:u${++k}`] = { 'prov:activity': `${ns}:${a.id}`, 'prov:entity': `${ns}:${u}` };
    associated[`_:a${i + 1}`] = { 'prov:activity': `${ns}:${a.id}`, 'prov:agent': `${ns}:operator`, 'prov:plan': `${ns}:passerelle` };
    const prev = f.activities[i - 1];
    if (prev) informed[`_:i${i}`] = { 'prov:informed': `${ns}:${a.id}`, 'prov:informant': `${ns}:${prev.id}` };
  });
  const last = f.activities[f.activities.length - 1];
  const generated: Record<string, unknown> = {};
  const derived: Record<string, unknown> = {};
  [...f.dataFiles, ...f.metadataFiles].forEach((x, i) => {
    if (last) generated[`_:g${i + 1}`] = { 'prov:entity': `${ns}:${x.path}`, 'prov:activity': `${ns}:${last.id}`, 'prov:time': f.asOf };
    derived[`_:d${i + 1}`] = { 'prov:generatedEntity': `${ns}:${x.path}`, 'prov:usedEntity': `${ns}:workspace` };
  });
  return json({
    prefix: { [ns]: `urn:uuid:${f.bundleId}#`, passerelle: 'urn:passerelle:terms:', schema: 'https://schema.org/' },
    entity,
    activity,
    agent: {
      [`${ns}:operator`]: { 'prov:type': 'prov:Person', 'prov:label': f.operator },
      [`${ns}:publisher`]: { 'prov:type': 'prov:Organization', 'prov:label': f.publisherName },
      [`${ns}:passerelle`]: { 'prov:type': 'prov:SoftwareAgent', 'prov:label': `${f.software.name} ${f.software.version}` },
    },
    used,
    wasGeneratedBy: generated,
    wasDerivedFrom: derived,
    wasAssociatedWith: associated,
    wasInformedBy: informed,
    actedOnBehalfOf: { '_:b1': { 'prov:delegate': `${ns}:operator`, 'prov:responsible': `${ns}:publisher` } },
  });
}

const fmtBox = (b: Box) => {
  const o = outwardBox(b);
  return `${o.west}, ${o.south} — ${o.east}, ${o.north}`;
};

/** README.md in French then English: what, who, when, where, licence, how to cite, what is inside. */
export function readme(f: BuildFacts): string {
  const l = LICENCES[f.preset.licence];
  const cite = attributionSentence(f.preset.licence, { publisher: f.publisherName, title: f.title, lastUpdate: f.asOf.slice(0, 10), version: f.version, url: f.preset.landingPage });
  const files = [...f.dataFiles, ...f.metadataFiles];
  const r = f.records;
  const sens = f.sensitivity;
  const refs = (sens?.referentials ?? []).map((x) => `${x.name}${x.version ? ` v${x.version}` : ''}`).join(', ');
  const observersFr = { keep: 'conservés', pseudonymise: 'remplacés par des pseudonymes stables', drop: 'retirés' }[f.preset.observers];
  const observersEn = { keep: 'kept', pseudonymise: 'replaced by stable pseudonyms', drop: 'removed' }[f.preset.observers];
  const when = f.extent.firstDay ? `${f.extent.firstDay} → ${f.extent.lastDay}` : '—';
  const where = f.extent.box ? fmtBox(f.extent.box) : '—';
  const fr = [
    `# ${f.title}`,
    '',
    `Version ${f.version} — état au ${f.asOf} — identifiant urn:uuid:${f.bundleId}`,
    '',
    '## Français',
    '',
    `**Quoi.** ${f.descriptions.fr}`,
    '',
    `**Qui.** Publié par ${f.publisherName}. Lot préparé par ${f.operator} avec ${f.software.name} ${f.software.version}.`,
    '',
    `**Quand.** Observations du ${when}.`,
    '',
    `**Où.** Emprise des géométries publiées (WGS 84, ouest, sud — est, nord) : ${where}.`,
    '',
    `**Contenu.** ${r.published} observations : ${r.precise} à localisation précise, ${r.generalised} à localisation dégradée (commune, maille 10 km ou département), ${r.withheld} sans localisation publiée.${r.excluded ? ` ${r.excluded} observations non publiques écartées.` : ''}`,
    '',
    sens ? `**Sensibilité.** Référentiel ${refs}, évalué au ${sens.asOf} ; les taxons absents du référentiel sont retirés par précaution. Voir \`dataGeneralizations\` et \`informationWithheld\` de chaque observation.` : '**Sensibilité.** Données précises : aucun floutage appliqué.',
    '',
    `**Données personnelles.** Noms des observateurs et déterminateurs : ${observersFr}.`,
    ...(f.preset.conventionReference ? [`**Convention.** ${f.preset.conventionReference}`, ''] : []),
    ...(f.preset.producerAgreement ? [`**Accord du producteur.** ${f.preset.producerAgreement}`, ''] : []),
    `**Licence.** ${l.title.fr} (${l.id}) — ${l.url}. Texte intégral et identifiants par plateforme : LICENCE.md.`,
    '',
    `**Citer.** ${cite.fr}`,
    '',
    '**Fichiers.** CSV : UTF-8, séparateur virgule, fins de ligne CRLF, guillemets doubles si nécessaire, ligne d’en-tête (voir datapackage.json). Sommes de contrôle : manifest-sha256.txt. Provenance : ro-crate-metadata.json et prov.json. Versions : CHANGELOG.md.',
    '',
  ];
  const en = [
    '## English',
    '',
    `**What.** ${f.descriptions.en}`,
    '',
    `**Who.** Published by ${f.publisherName}. Bundle prepared by ${f.operator} with ${f.software.name} ${f.software.version}.`,
    '',
    `**When.** Observations from ${when}.`,
    '',
    `**Where.** Extent of the published geometries (WGS 84, west, south — east, north): ${where}.`,
    '',
    `**Contents.** ${r.published} observations: ${r.precise} with a precise location, ${r.generalised} generalised (commune, 10 km grid cell or département), ${r.withheld} without published location.${r.excluded ? ` ${r.excluded} non-public observations left out.` : ''}`,
    '',
    sens ? `**Sensitivity.** Referential ${refs}, evaluated as of ${sens.asOf}; taxa the referential does not know are withheld by precaution. See each observation's \`dataGeneralizations\` and \`informationWithheld\`.` : '**Sensitivity.** Precise data: no blurring applied.',
    '',
    `**Personal data.** Observer and determiner names: ${observersEn}.`,
    ...(f.preset.conventionReference ? [`**Convention.** ${f.preset.conventionReference}`, ''] : []),
    ...(f.preset.producerAgreement ? [`**Producer's agreement.** ${f.preset.producerAgreement}`, ''] : []),
    `**Licence.** ${l.title.en} (${l.id}) — ${l.url}. Full text and identifiers per platform: LICENCE.md.`,
    '',
    `**Cite.** ${cite.en}`,
    '',
    '**Files.** CSV: UTF-8, comma-separated, CRLF line ends, double quotes when needed, a header line (see datapackage.json). Checksums: manifest-sha256.txt. Provenance: ro-crate-metadata.json and prov.json. Versions: CHANGELOG.md.',
    '',
    '| file | bytes | sha256 |',
    '| --- | ---: | --- |',
    ...files.map((x) => `| ${x.path} | ${x.bytes} | ${x.sha256} |`),
    '',
  ];
  return [...fr, ...en].join('\n');
}

/** LICENCE.md: the licence, the attribution sentence, the identifier per target with warnings, and the full text with its source. */
export function licenceMd(f: BuildFacts): string {
  const l = LICENCES[f.preset.licence];
  const t = LICENCE_TEXTS[f.preset.licence];
  const cite = attributionSentence(f.preset.licence, { publisher: f.publisherName, title: f.title, lastUpdate: f.asOf.slice(0, 10), version: f.version, url: f.preset.landingPage });
  const rows = f.targets.map((x) => `| ${x.target} | ${x.id ?? '—'} | ${x.accepted ? 'yes' : 'NO'} | ${x.message ?? ''} |`);
  return [
    `# ${l.title.fr === l.title.en ? l.title.fr : `${l.title.fr} / ${l.title.en}`}`,
    '',
    `SPDX: ${l.id} — ${l.url}${l.dataGouv ? ` — data.gouv.fr: ${l.dataGouv}` : ''}`,
    '',
    '## Mention de la source / Attribution',
    '',
    `- ${cite.fr}`,
    `- ${cite.en}`,
    '',
    '## Identifiants par destinataire / Identifier per target',
    '',
    '| target | identifier | accepted | note |',
    '| --- | --- | --- | --- |',
    ...(rows.length ? rows : ['| — | — | — | no target chosen |']),
    '',
    '## Texte intégral / Full text',
    '',
    `Source: ${t.source}, ${t.spdxName} (${t.reference}).`,
    '',
    '```text',
    t.text,
    '```',
    '',
  ].join('\n');
}

/** A CHANGELOG.md entry for this version. */
export function changelogEntry(f: { version: string; asOf: string; changes: BuildFacts['changes']; records: number }): string {
  const c = f.changes;
  const lines = [`## ${f.version} — ${f.asOf.slice(0, 10)}`, ''];
  if (c.first) lines.push(`- Première version / first version: ${f.records} observations.`);
  else {
    lines.push(`- Observations ajoutées / added: ${c.added}`);
    lines.push(`- Observations retirées / removed: ${c.removed}`);
    lines.push(`- Observations modifiées / changed: ${c.changed}`);
    lines.push('- UUID : changelog.json de cette version / UUIDs: this version’s changelog.json.');
  }
  lines.push('');
  return lines.join('\n');
}

/** CHANGELOG.md: this version's entry above the previous ones. */
export function changelogMd(entry: string, previous: string | null): string {
  const head = '# Journal des versions / Changelog\n\n';
  const older = previous ? previous.replace(/^# [^\n]*\n\n?/, '') : '';
  return head + entry + (older ? '\n' + older : '');
}
