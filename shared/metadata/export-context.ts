/**
 * What an export of one JDD needs besides the JDD and its CA: the licence, the dates, the
 * online addresses and the INSPIRE theme, none of which the SINP metadata holds.
 *
 * The metadata date is an input, never the clock, so the same inputs give byte-identical files
 * (the export bundles check it).
 */
import { z } from 'zod';
import { LICENCE_IDS } from './licences.js';
import { NOTES, type MetadataNote, type MetadataNoteId } from './messages.js';
import type { Bilingual } from './nomenclatures.js';
import { MetaDate } from './schemas.js';

/** INSPIRE themes (GEMET, "INSPIRE themes, version 1.0") that biodiversity JDD fall under. */
export const INSPIRE_THEMES = {
  sd: { fr: 'Répartition des espèces', en: 'Species distribution' },
  hb: { fr: 'Habitats et biotopes', en: 'Habitats and biotopes' },
  ps: { fr: 'Sites protégés', en: 'Protected sites' },
  bg: { fr: 'Régions biogéographiques', en: 'Bio-geographical regions' },
  lc: { fr: 'Occupation des terres', en: 'Land cover' },
} as const satisfies Record<string, Bilingual>;
export type InspireThemeId = keyof typeof INSPIRE_THEMES;

/** The theme's URI in the INSPIRE registry. */
export const inspireThemeUri = (id: InspireThemeId): string => `http://inspire.ec.europa.eu/theme/${id}`;

/** The JSON-LD context of a JDD's DCAT record (`metadata/dcat.jsonld`); the publication's DCAT feed extends it. */
export const DCAT_RECORD_CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  locn: 'http://www.w3.org/ns/locn#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  gsp: 'http://www.opengis.net/ont/geosparql#',
} as const;

/** A file or service that gives the JDD's data. */
export const Distribution = z
  .object({
    url: z.string().min(1),
    title: z.string().nullable().default(null),
    /** IANA media type: `text/csv`, `application/geopackage+sqlite3`, `application/zip`. */
    mediaType: z.string().nullable().default(null),
  })
  .strict();
export type Distribution = z.infer<typeof Distribution>;

/** The organisation that publishes the JDD (a park), when it is not the JDD's main contact. */
export const Publisher = z
  .object({
    name: z.string().min(1),
    email: z.string().nullable().default(null),
    url: z.string().nullable().default(null),
  })
  .strict();
export type Publisher = z.infer<typeof Publisher>;

/** Export options of one JDD; `z.input` for callers, `z.output` (defaults applied) for writers. */
export const ExportContext = z
  .object({
    /** Date of this metadata record (ISO dateStamp, EML pubDate/dateStamp, DCAT/schema.org dateModified). */
    metadataDate: MetaDate,
    licence: z.enum(LICENCE_IDS),
    /** Language of the data and of the texts the export generates. @default 'fr' */
    language: z.enum(['fr', 'en']).default('fr'),
    /** First and last observation days of the JDD (from the workspace), for temporal coverage. */
    temporalCoverage: z.object({ start: MetaDate, end: MetaDate }).strict().nullable().default(null),
    /** Where the JDD is described online (the park's page, data.gouv.fr, INPN). */
    landingPage: z.string().nullable().default(null),
    distributions: z.array(Distribution).default([]),
    /** Defaults to the organism of the JDD's main contact. */
    publisher: Publisher.nullable().default(null),
    /** EPSG code of the data's CRS, for ISO referenceSystemInfo. @default 4326 */
    crsEpsg: z.number().int().positive().default(4326),
    /** INSPIRE themes; null picks one from the data type (habitats: hb, otherwise sd). */
    inspireThemes: z
      .array(z.enum(Object.keys(INSPIRE_THEMES) as [InspireThemeId, ...InspireThemeId[]]))
      .min(1)
      .nullable()
      .default(null),
    /**
     * Limitation on public access (INSPIRE): `none`, or `environment` when the data are withheld or
     * blurred to protect the environment, such as the location of rare species (INSPIRE Art. 13(1)(h),
     * code de l'environnement L124-4-I-2). @default 'none'
     */
    publicAccess: z.enum(['none', 'environment']).default('none'),
    /** Lineage statement; null writes one from the collecting method, source status and protocols. */
    lineage: z.string().nullable().default(null),
  })
  .strict();
export type ExportContext = z.output<typeof ExportContext>;
export type ExportContextInput = z.input<typeof ExportContext>;

/** The formats metadata can be exported to (`passerelle metadata export --format`). */
export const METADATA_EXPORT_FORMATS = ['mtd', 'iso19139', 'eml', 'dcat', 'schemaorg'] as const;
export type MetadataExportFormat = (typeof METADATA_EXPORT_FORMATS)[number];

/** A written metadata file: its text, what it is, and what the writer noted (dropped fields, padding…). */
export interface ExportedMetadata {
  readonly format: MetadataExportFormat;
  readonly content: string;
  readonly mediaType: string;
  /** File extension, with its dot: `.xml`, `.jsonld`. */
  readonly extension: string;
  readonly notes: readonly MetadataNote[];
}

/** A note as the contract carries it. */
export const MetadataNoteSchema = z.object({
  id: z.enum(Object.keys(NOTES) as [MetadataNoteId, ...MetadataNoteId[]]),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

/** The zod schema of {@link ExportedMetadata}, for the contract. */
export const ExportedMetadataSchema = z.object({
  format: z.enum(METADATA_EXPORT_FORMATS),
  content: z.string(),
  mediaType: z.string(),
  extension: z.string(),
  notes: z.array(MetadataNoteSchema),
});
