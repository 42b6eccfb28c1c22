/**
 * A DCAT catalogue file the park hosts for harvesters (data.gouv.fr's `dcat` harvester, a regional
 * portal, GeoNetwork's DCAT harvester): JSON-LD, one `dcat:Catalog` and the `dcat:Dataset` of each
 * bundle published, with absolute download URLs where the park serves the bundle folders. Each new
 * version replaces its dataset in the file (same `@id`), so the feed stays current. Pure.
 */

import { DCAT_RECORD_CONTEXT } from '../metadata/export-context.js';

/** The DCAT context the bundle's own `metadata/dcat.jsonld` uses, plus `adms` (versions) and `spdx` (checksums). */
export const DCAT_CONTEXT = {
  ...DCAT_RECORD_CONTEXT,
  adms: 'http://www.w3.org/ns/adms#',
  spdx: 'http://spdx.org/rdf/terms#',
} as const;

type Json = Record<string, unknown>;

/** `base` + `path` (a relative path made absolute; absolute URLs and `urn:` left alone). */
export function resolveUrl(base: string, path: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return path;
  return `${base.replace(/\/*$/, '/')}${path.replace(/^\.?\//, '')}`;
}

/** Every `{ "@id": <relative> }` under `dcat:accessURL`/`dcat:downloadURL`/`dcat:landingPage`, made absolute. */
function absolutise(v: unknown, base: string, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => absolutise(x, base, key));
  if (v === null || typeof v !== 'object') return v;
  const o = v as Json;
  if (/^dcat:(accessURL|downloadURL|landingPage)$/.test(key) && typeof o['@id'] === 'string') return { ...o, '@id': resolveUrl(base, o['@id'] as string) };
  const out: Json = {};
  for (const [k, x] of Object.entries(o)) out[k] = absolutise(x, base, k);
  return out;
}

/** The dataset node of a bundle: its DCAT record, URLs absolute, with version and checksums of its files. */
export function feedDataset(p: {
  dcat: Json;
  hostedAt: string;
  version: string;
  landingPage: boolean;
  checksums: ReadonlyMap<string, { sha256: string; bytes: number }>;
  portalPages: readonly string[];
}): Json {
  const { '@context': _ctx, ...node } = p.dcat;
  const abs = absolutise(node, p.hostedAt) as Json;
  const dists = Array.isArray(abs['dcat:distribution']) ? (abs['dcat:distribution'] as Json[]) : [];
  const withSums = dists.map((d, i) => {
    const rel = (p.dcat['dcat:distribution'] as Json[] | undefined)?.[i]?.['dcat:downloadURL'] as Json | undefined;
    const sum = typeof rel?.['@id'] === 'string' ? p.checksums.get(rel['@id'] as string) : undefined;
    return sum
      ? {
          ...d,
          'dcat:byteSize': { '@value': String(sum.bytes), '@type': 'xsd:decimal' },
          'spdx:checksum': { '@type': 'spdx:Checksum', 'spdx:algorithm': { '@id': 'http://spdx.org/rdf/terms#checksumAlgorithm_sha256' }, 'spdx:checksumValue': sum.sha256 },
        }
      : d;
  });
  const pages = [...(p.landingPage ? [resolveUrl(p.hostedAt, 'index.html')] : []), ...p.portalPages];
  return {
    ...abs,
    'dcat:distribution': withSums,
    'adms:version': p.version,
    ...(pages.length ? { 'dcat:landingPage': pages.map((u) => ({ '@id': u })) } : {}),
  };
}

/** The feed with `dataset` added or replacing the dataset of the same `@id`. */
export function mergeFeed(existing: Json | null, dataset: Json, catalog: { id: string; title: string; publisher: string | null; homepage: string | null; modified: string }): Json {
  const graph = Array.isArray(existing?.['@graph']) ? ([...(existing?.['@graph'] as Json[])] as Json[]) : [];
  const others = graph.filter((n) => n['@type'] !== 'dcat:Catalog' && n['@id'] !== dataset['@id']);
  const datasets = [...others.filter((n) => n['@type'] === 'dcat:Dataset'), dataset].sort((a, b) => String(a['@id']).localeCompare(String(b['@id'])));
  const rest = others.filter((n) => n['@type'] !== 'dcat:Dataset');
  const catalogNode: Json = {
    '@id': catalog.id,
    '@type': 'dcat:Catalog',
    'dct:title': catalog.title,
    'dct:modified': { '@value': catalog.modified, '@type': 'xsd:date' },
    ...(catalog.publisher ? { 'dct:publisher': { '@type': 'foaf:Agent', 'foaf:name': catalog.publisher } } : {}),
    ...(catalog.homepage ? { 'foaf:homepage': { '@id': catalog.homepage } } : {}),
    'dcat:dataset': datasets.map((d) => ({ '@id': d['@id'] })),
  };
  return { '@context': DCAT_CONTEXT, '@graph': [catalogNode, ...datasets, ...rest] };
}
