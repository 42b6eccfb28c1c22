import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { BundleMetadataFormat, BundlePreset } from '../../../shared/bundle/presets.js';
import {
  actorDisplayName,
  nomenclatureLabel,
  type AcquisitionFramework,
  type Dataset,
  type ExportContextInput,
  type MetadataActor,
  type MetadataNote,
} from '../../../shared/metadata/index.js';
import { buildLineage, exportMetadata } from '../metadata/index.js';
import { readWorkspaceSet, workspaceCatalog } from '../metadata/workspace-set.js';

type Db = Database.Database;

/** A published extent: a box in WGS 84. */
export interface Box {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** What the pass learned about one JDD's published records. */
export interface DatasetExtent {
  records: number;
  box: Box | null;
  firstDay: string | null;
  lastDay: string | null;
}

/** Grows a box (or makes one) with another. */
export function growBox(b: Box | null, w: number, s: number, e: number, n: number): Box {
  if (!b) return { west: w, south: s, east: e, north: n };
  if (w < b.west) b.west = w;
  if (s < b.south) b.south = s;
  if (e > b.east) b.east = e;
  if (n > b.north) b.north = n;
  return b;
}

/**
 * A box rounded outwards to 4 decimals (about 10 m): what the metadata records say. Derived from
 * the published geometries only, so it cannot hold a precise coordinate the data does not show.
 */
export function outwardBox(b: Box): Box {
  const f = 1e4;
  return { west: Math.floor(b.west * f) / f, south: Math.floor(b.south * f) / f, east: Math.ceil(b.east * f) / f, north: Math.ceil(b.north * f) / f };
}

/** The workspace's CA and JDD, for the bundle. */
export interface WorkspaceMetadata {
  readonly frameworks: readonly AcquisitionFramework[];
  readonly datasets: readonly Dataset[];
}

/** Reads the CA and JDD of the workspace. */
export function readMetadata(db: Db): WorkspaceMetadata {
  const { set } = readWorkspaceSet(db);
  return { frameworks: set.frameworks, datasets: set.datasets };
}

/** A stable UUID-shaped identifier from text (SHA-256, version nibble 5, variant 10). */
export function stableUuid(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  const variant = ((parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** What the bundle's metadata says beyond the JDD. */
export interface BundleMetadataContext {
  readonly bundleId: string;
  readonly title: string;
  readonly asOf: string;
  readonly preset: BundlePreset;
  /** Lineage sentences of the bundle (sensitivity, blurring, field policy, sources), in the preset's language. */
  readonly lineage: string;
  readonly extent: DatasetExtent;
  /** Some records generalised or withheld (INSPIRE limitation on public access: environment). */
  readonly restricted: boolean;
  readonly distributions: readonly { path: string; title: string; mediaType: string }[];
}

const uniqActors = (actors: readonly MetadataActor[]): MetadataActor[] => {
  const seen = new Set<string>();
  return actors.filter((a) => {
    const k = `${a.role ?? ''}|${actorDisplayName(a)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
};

/**
 * The record the bundle's ISO, EML, DCAT and schema.org metadata describe: the JDD itself when
 * the bundle holds one, else a record for the whole bundle (the JDD's actors, keywords and
 * territories together). Its bounding box and dates are those of the published records, never
 * the JDD's own (a JDD's stored box can close around a single sensitive observation).
 */
export function bundleRecord(meta: WorkspaceMetadata, included: readonly string[], ctx: BundleMetadataContext): { dataset: Dataset; framework: AcquisitionFramework | null } {
  const dsets = meta.datasets.filter((d) => included.includes(d.uuid));
  const box = ctx.extent.box ? outwardBox(ctx.extent.box) : null;
  const bbox = box ? { west: box.west, south: box.south, east: box.east, north: box.north } : null;
  if (dsets.length === 1) {
    const d = dsets[0] as Dataset;
    const framework = meta.frameworks.find((f) => f.uuid === d.frameworkUuid) ?? null;
    return { dataset: { ...d, bbox }, framework };
  }
  const fr = ctx.preset.language === 'fr';
  const list = dsets.map((d) => `${d.name} (${d.uuid})`).join(fr ? ' ; ' : '; ');
  const dataset: Dataset = {
    uuid: ctx.bundleId,
    frameworkUuid: '',
    name: ctx.title,
    shortName: ctx.preset.name,
    description: fr ? `Lot de données Passerelle réunissant ${dsets.length} jeux de données : ${list}.` : `Passerelle bundle of ${dsets.length} datasets: ${list}.`,
    dataType: null,
    objectives: [],
    collectingMethod: null,
    dataOrigin: null,
    sourceStatus: null,
    resourceType: '2',
    marineDomain: null,
    terrestrialDomain: null,
    territories: [...new Set(dsets.flatMap((d) => d.territories))].sort(),
    territoryDescription: null,
    keywords: [...new Set(dsets.flatMap((d) => d.keywords))].sort(),
    protocols: [],
    bbox,
    actors: uniqActors(dsets.flatMap((d) => d.actors)),
    metadataCreated: null,
    metadataRevised: null,
    additionalAttributes: [],
  };
  return { dataset, framework: null };
}

/** One metadata file of the bundle. */
export interface MetadataFile {
  readonly format: BundleMetadataFormat;
  readonly path: string;
  readonly content: string;
  readonly notes: readonly MetadataNote[];
}

/** Where each metadata format goes in the bundle. */
export const METADATA_PATHS: Readonly<Record<BundleMetadataFormat, string>> = {
  iso19139: 'metadata/iso19139.xml',
  mtd: 'metadata/mtd.xml',
  eml: 'metadata/eml.xml',
  dcat: 'metadata/dcat.jsonld',
  schemaorg: 'metadata/schemaorg.jsonld',
};

/**
 * The metadata records of the bundle, in the preset's formats (plus the EML the Darwin Core
 * Archive carries, and the ISO record of the GeoPackage, when asked). MTD holds every included
 * JDD with its CA, each with the box of its own published records.
 */
export function bundleMetadata(
  db: Db,
  meta: WorkspaceMetadata,
  included: readonly string[],
  extents: ReadonlyMap<string, DatasetExtent>,
  ctx: BundleMetadataContext,
  want: ReadonlySet<BundleMetadataFormat>,
): Map<BundleMetadataFormat, MetadataFile> {
  const catalog = workspaceCatalog(db);
  const lang = ctx.preset.language;
  const { dataset, framework } = bundleRecord(meta, included, ctx);
  const label = (type: string, code: string | null) => nomenclatureLabel(catalog, type, code, lang) ?? code;
  const lineage = `${buildLineage(dataset, framework, label, lang)} ${ctx.lineage}`.trim();
  const context: ExportContextInput = {
    metadataDate: ctx.asOf.slice(0, 10),
    licence: ctx.preset.licence,
    language: lang,
    temporalCoverage: ctx.extent.firstDay && ctx.extent.lastDay ? { start: ctx.extent.firstDay, end: ctx.extent.lastDay } : null,
    landingPage: ctx.preset.landingPage,
    distributions: ctx.distributions.map((d) => ({ url: d.path, title: d.title, mediaType: d.mediaType })),
    publisher: ctx.preset.publisher,
    crsEpsg: 4326,
    publicAccess: ctx.restricted ? 'environment' : 'none',
    lineage,
  };
  const out = new Map<BundleMetadataFormat, MetadataFile>();
  for (const format of ['iso19139', 'eml', 'dcat', 'schemaorg'] as const) {
    if (!want.has(format)) continue;
    const r = exportMetadata({ format, dataset, framework, context, catalog });
    out.set(format, { format, path: METADATA_PATHS[format], content: r.content, notes: r.notes });
  }
  if (want.has('mtd')) {
    const datasets = meta.datasets
      .filter((d) => included.includes(d.uuid))
      .map((d) => {
        const b = extents.get(d.uuid)?.box;
        return { ...d, bbox: b ? outwardBox(b) : null };
      });
    const cas = new Set(datasets.map((d) => d.frameworkUuid));
    const frameworks = meta.frameworks.filter((f) => cas.has(f.uuid));
    const r = exportMetadata({ format: 'mtd', set: { frameworks, datasets } });
    out.set('mtd', { format: 'mtd', path: METADATA_PATHS.mtd, content: r.content, notes: r.notes });
  }
  return out;
}
