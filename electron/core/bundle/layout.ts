/**
 * Where everything goes in a bundle (a folder, or the same tree in a zip):
 *
 * ```
 * README.md                 what, who, when, where, licence, how to cite (French, then English)
 * LICENCE.md                licence, attribution sentence, identifier per target, full text and its source
 * CHANGELOG.md              versions, newest first (added, removed, changed observations)
 * changelog.json            this version's changes by observation UUID, and the content fingerprint
 * datapackage.json          Frictionless Data Package v2: resources with schema, licences, sources, contributors, sha256, bytes
 * ro-crate-metadata.json    RO-Crate 1.2: the files, the sources and every transformation as an action
 * prov.json                 the same provenance as W3C PROV-JSON
 * manifest-sha256.txt       BagIt-style checksums of every other file
 * data/observations.gpkg    GeoPackage: layer `observations` + table `observations_withheld`
 * data/observations.csv     CSV (dialect in datapackage.json)
 * data/observations.geojson GeoJSON FeatureCollection, one feature per line
 * dwca/meta.xml, dwca/eml.xml, dwca/occurrence.txt   Darwin Core Archive (as a folder)
 * metadata/iso19139.xml, mtd.xml, eml.xml, dcat.jsonld, schemaorg.jsonld
 * ```
 */
export const PATHS = {
  readme: 'README.md',
  licence: 'LICENCE.md',
  changelogMd: 'CHANGELOG.md',
  changelogJson: 'changelog.json',
  datapackage: 'datapackage.json',
  rocrate: 'ro-crate-metadata.json',
  prov: 'prov.json',
  manifest: 'manifest-sha256.txt',
  gpkg: 'data/observations.gpkg',
  csv: 'data/observations.csv',
  geojson: 'data/observations.geojson',
  dwcMeta: 'dwca/meta.xml',
  dwcEml: 'dwca/eml.xml',
  dwcOccurrence: 'dwca/occurrence.txt',
} as const;

/** IANA media types of the bundle's files, by extension. */
export function mediaTypeOf(path: string): string {
  if (path.endsWith('.gpkg')) return 'application/geopackage+sqlite3';
  if (path.endsWith('.csv')) return 'text/csv';
  if (path.endsWith('.geojson')) return 'application/geo+json';
  if (path.endsWith('.jsonld')) return 'application/ld+json';
  if (path.endsWith('.json')) return 'application/json';
  if (path.endsWith('.xml')) return 'application/xml';
  if (path.endsWith('.md')) return 'text/markdown';
  if (path.endsWith('.txt')) return path.startsWith('dwca/') ? 'text/tab-separated-values' : 'text/plain';
  return 'application/octet-stream';
}

/** A file of the bundle with its digest. */
export interface BundleFile {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}
