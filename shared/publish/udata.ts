/**
 * What Passerelle sends to a udata portal (data.gouv.fr API v1, standards-reference.md §4): the
 * dataset's fields from the bundle's metadata, the resources (which bundle files, their type and
 * title), and the description with the changelog of every version. Pure.
 */
import type { UdataFrequency } from './profiles.js';

/** The bundle facts the dataset is described from (read from its datapackage.json, README, changelog, metadata). */
export interface BundleFacts {
  readonly id: string;
  readonly version: string;
  readonly asOf: string;
  readonly title: string;
  /** datapackage.json's description (one paragraph). */
  readonly summary: string;
  readonly readme: string;
  readonly changelog: string;
  readonly keywords: readonly string[];
  /** The bundle's SPDX-like licence id (etalab-2.0…). */
  readonly licence: string;
  readonly language: 'fr' | 'en';
  /** First and last day of the published observations. */
  readonly temporal: { readonly start: string; readonly end: string } | null;
  /** Box of the published geometries (WGS 84). */
  readonly bbox: { readonly west: number; readonly south: number; readonly east: number; readonly north: number } | null;
  /** The ISO record's fileIdentifier (the JDD's UUID, or the bundle's for several JDD). */
  readonly fileIdentifier: string | null;
}

/** The JSON of a dataset create or update (udata DatasetForm fields). `private` is always there. */
export interface UdataDatasetPayload {
  title: string;
  description: string;
  license: string;
  frequency: UdataFrequency;
  temporal_coverage?: { start: string; end: string };
  spatial: { zones: string[]; granularity: string };
  tags: string[];
  private: boolean;
  organization?: string;
}

/** A tag as udata stores them: lower case, no accents, words joined by dashes, 2–96 characters. */
export function udataTag(s: string): string | null {
  const t = s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 96);
  return t.length >= 2 ? t : null;
}

/** The README without its file table (the resources list the files on the portal). */
export function readmeForPortal(readme: string): string {
  const lines = readme.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    if (/^\|\s*(file|fichier)\s*\|/i.test(l)) {
      while (i < lines.length && (lines[i] as string).startsWith('|')) i++;
      i--;
      continue;
    }
    out.push(l);
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** Headings one level down (`#` → `##`), so a document fits under the description's own headings. */
export const demoteHeadings = (md: string): string => md.replace(/^(#{1,5}) /gm, '#$1 ');

/**
 * The dataset's description: the README (what, who, when, where, licence, how to cite, in both
 * languages), the changelog of every version (a new version adds its entry), and where the
 * data comes from. Markdown, which data.gouv.fr renders.
 */
export function datasetDescription(b: BundleFacts): string {
  const fr = b.language === 'fr';
  const readme = readmeForPortal(b.readme).replace(/^# .*\n+/, '');
  const changelog = b.changelog.trim() ? demoteHeadings(b.changelog.replace(/\r\n/g, '\n').trim()) : '';
  const footer = fr
    ? `_Publié avec Passerelle : lot ${b.id}, version ${b.version}, état au ${b.asOf}. Les sommes de contrôle SHA-256 de chaque fichier sont dans ses métadonnées._`
    : `_Published with Passerelle: bundle ${b.id}, version ${b.version}, as of ${b.asOf}. Each file's SHA-256 checksum is in its metadata._`;
  return [readme, changelog, footer].filter((s) => s.length > 0).join('\n\n') + '\n';
}

/** The dataset's fields for a create or an update. `priv`: the visibility to keep (true until the explicit publish step). */
export function datasetPayload(
  b: BundleFacts,
  opts: { licenceId: string; frequency: UdataFrequency; zones: readonly string[]; organization: string | null; priv: boolean },
): UdataDatasetPayload {
  const tags = [...new Set(b.keywords.map(udataTag).filter((t): t is string => t !== null))].sort();
  return {
    title: b.title,
    description: datasetDescription(b),
    license: opts.licenceId,
    frequency: opts.frequency,
    ...(b.temporal ? { temporal_coverage: { start: b.temporal.start, end: b.temporal.end } } : {}),
    // Observations are points (a generalised one is an area, but most are points): udata's "POI".
    spatial: { zones: [...opts.zones], granularity: 'poi' },
    tags,
    private: opts.priv,
    ...(opts.organization ? { organization: opts.organization } : {}),
  };
}

/** A resource a bundle file becomes. */
export interface ResourceSpec {
  /** Path in the bundle (`dwca.zip` is the `dwca/` folder, zipped). */
  readonly path: string;
  /** File name sent in the upload. */
  readonly uploadName: string;
  readonly type: 'main' | 'documentation';
  readonly format: string;
  readonly mime: string;
  readonly title: { readonly fr: string; readonly en: string };
}

/** The bundle files published as resources, in this order, when the bundle has them. */
export const RESOURCE_SPECS: readonly ResourceSpec[] = [
  { path: 'data/observations.csv', uploadName: 'observations.csv', type: 'main', format: 'csv', mime: 'text/csv', title: { fr: 'Observations (CSV)', en: 'Observations (CSV)' } },
  { path: 'data/observations.gpkg', uploadName: 'observations.gpkg', type: 'main', format: 'gpkg', mime: 'application/geopackage+sqlite3', title: { fr: 'Observations (GeoPackage)', en: 'Observations (GeoPackage)' } },
  { path: 'data/observations.geojson', uploadName: 'observations.geojson', type: 'main', format: 'geojson', mime: 'application/geo+json', title: { fr: 'Observations (GeoJSON)', en: 'Observations (GeoJSON)' } },
  { path: 'dwca.zip', uploadName: 'dwca.zip', type: 'main', format: 'zip', mime: 'application/zip', title: { fr: 'Archive Darwin Core (occurrences, EML)', en: 'Darwin Core Archive (occurrences, EML)' } },
  { path: 'datapackage.json', uploadName: 'datapackage.json', type: 'documentation', format: 'json', mime: 'application/json', title: { fr: 'Description des fichiers (Data Package)', en: 'Files description (Data Package)' } },
  { path: 'metadata/iso19139.xml', uploadName: 'iso19139.xml', type: 'documentation', format: 'xml', mime: 'application/xml', title: { fr: 'Métadonnées ISO 19139', en: 'ISO 19139 metadata' } },
  { path: 'LICENCE.md', uploadName: 'LICENCE.md', type: 'documentation', format: 'md', mime: 'text/markdown', title: { fr: 'Licence', en: 'Licence' } },
];

/** The udata checksum types (`Checksum.type`) Passerelle can compare. */
export type ChecksumType = 'sha1' | 'sha256' | 'md5';

/** The resource metadata set after an upload: title, type, format, size and the SHA-256 of the bytes sent. */
export function resourcePayload(spec: ResourceSpec, file: { bytes: number; sha256: string; url: string }, lang: 'fr' | 'en', version: string) {
  return {
    title: spec.title[lang],
    description: lang === 'fr' ? `Version ${version} du lot.` : `Bundle version ${version}.`,
    type: spec.type,
    filetype: 'file' as const,
    url: file.url,
    format: spec.format,
    mime: spec.mime,
    filesize: file.bytes,
    checksum: { type: 'sha256' as const, value: file.sha256 },
  };
}
