import { z } from 'zod';
import { IsoDateTime } from './common.js';

/**
 * The cleanup domain's shapes (issue 8): import a legacy file into a workspace through a field
 * mapping, check the observations, fix them in bulk with a preview and undo, export them back
 * in the CSV layout of GeoNature's import module.
 */

/** A text in French and English (finding messages are rendered by the engine, for the UI and the CLI alike). */
export const Bilingual = z.object({ fr: z.string(), en: z.string() });
export type Bilingual = z.infer<typeof Bilingual>;

/** What kind of file a source is. */
export const CleanSourceFormat = z.enum(['csv', 'geopackage', 'shapefile', 'geojson', 'dwca']);
export type CleanSourceFormat = z.infer<typeof CleanSourceFormat>;

/** The text encodings Passerelle reads (WHATWG labels). `windows-1252` also reads Latin-1 files. */
export const TextEncoding = z.enum(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'iso-8859-15']);
export type TextEncoding = z.infer<typeof TextEncoding>;

/** CSV delimiters Passerelle detects or accepts. */
export const CsvDelimiter = z.enum([',', ';', '\t', '|']);
export type CsvDelimiter = z.infer<typeof CsvDelimiter>;

/** How a source is read: what sniffing detected, or what the user confirmed. */
export const ReadOptions = z
  .object({
    /** Default: detected (BOM, then strict UTF-8, then Windows-1252). */
    encoding: TextEncoding.optional(),
    /** CSV only; default: detected. */
    delimiter: CsvDelimiter.optional(),
    /** CSV only: the 1-based line of the header; default: the first non-blank line. */
    headerLine: z.number().int().min(1).optional(),
    /** GeoPackage / multi-layer sources: the layer to read (default: the first). */
    layer: z.string().min(1).optional(),
  })
  .strict();
export type ReadOptions = z.infer<typeof ReadOptions>;

/** A file-level problem found while reading (the file is still read when it can be). */
export const FileIssue = z.object({
  code: z.enum([
    'empty-file',
    'no-data-rows',
    'duplicate-columns',
    'empty-column-name',
    'blank-lines-before-header',
    'encoding-uncertain',
    'encoding-damage',
    'mixed-line-endings',
    'unclosed-quote',
    'dwca-missing-file',
  ]),
  severity: z.enum(['error', 'warning', 'info']),
  message: Bilingual,
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
});
export type FileIssue = z.infer<typeof FileIssue>;

/** One value of a mapping: a column of the file, or a constant typed by the user. */
export const MappedValue = z.union([z.object({ column: z.string() }).strict(), z.object({ value: z.string() }).strict()]);
export type MappedValue = z.infer<typeof MappedValue>;

/** Where an observation's geometry comes from; tried in order until one gives a geometry. */
export const GeometrySource = z.discriminatedUnion('kind', [
  /** WKT in a column, in `srs` (default EPSG:4326). */
  z.object({ kind: z.literal('wkt'), column: z.string(), srs: z.string().default('EPSG:4326') }).strict(),
  /** X / Y (or longitude / latitude) columns in `srs` (default EPSG:4326). A decimal comma is accepted. */
  z.object({ kind: z.literal('xy'), x: z.string(), y: z.string(), srs: z.string().default('EPSG:4326') }).strict(),
  /** A commune (INSEE), département or grid cell code, looked up in the workspace areas (grid cells are also computed from their code). */
  z.object({ kind: z.literal('area'), column: z.string(), areaType: z.enum(['COM', 'DEP', 'M10', 'M5', 'M1']) }).strict(),
  /** The geometry of a GeoPackage, Shapefile or GeoJSON feature (reprojected from its layer SRS). */
  z.object({ kind: z.literal('native') }).strict(),
]);
export type GeometrySource = z.infer<typeof GeometrySource>;

/**
 * A field mapping: synthese field → source value, the geometry, the file's vocabulary for
 * nomenclature fields, and how to read dates. Target field keys are those of
 * `shared/cleanup/fields.ts` (`date_min`, `observers`, `life_stage`…).
 */
export const FieldMapping = z
  .object({
    fields: z.record(z.string(), MappedValue).default({}),
    geometry: z.array(GeometrySource).max(5).default([]),
    /** Per nomenclature field: the file's value → SINP code. SINP codes and labels are recognised without it. */
    values: z.record(z.string(), z.record(z.string(), z.string())).default({}),
    /** Date pattern (`DD/MM/YYYY`…) or `auto` (ISO, then the usual French patterns, per value). */
    dateFormat: z.string().min(1).max(40).default('auto'),
  })
  .strict();
export type FieldMapping = z.infer<typeof FieldMapping>;
export type FieldMappingInput = z.input<typeof FieldMapping>;

/** A mapping saved in PASSERELLE_HOME, or one of the built-in presets (GeoNature's own mappings, Darwin Core). */
export const SavedMapping = z.object({
  name: z.string(),
  builtin: z.boolean(),
  description: z.string().nullable(),
  savedAt: IsoDateTime.nullable(),
  mapping: FieldMapping,
});
export type SavedMapping = z.infer<typeof SavedMapping>;

/** A geometry summary for the map: a point (or the centre of the bbox) and the bbox, in WGS 84. */
export const GeometryHint = z.object({
  type: z.string(),
  lon: z.number(),
  lat: z.number(),
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
});
export type GeometryHint = z.infer<typeof GeometryHint>;

/** What `clean.sniff` says about a file: format, encoding, delimiter, header, the first rows and a suggested mapping. */
export const SniffResult = z.object({
  path: z.string(),
  format: CleanSourceFormat,
  size: z.number().int().nonnegative(),
  encoding: z.object({
    /** The encoding used for the preview. */
    used: TextEncoding,
    /** How it was chosen: a byte-order mark, valid UTF-8, the user, or a guess (Windows-1252). */
    how: z.enum(['bom', 'valid-utf8', 'given', 'guess', 'binary']),
    bom: z.boolean(),
    /** Each candidate with the header and first non-ASCII line it gives, to let the user confirm. */
    candidates: z.array(z.object({ encoding: TextEncoding, sample: z.string(), damage: z.number() })),
  }),
  csv: z
    .object({
      delimiter: CsvDelimiter,
      headerLine: z.number().int(),
      lineEnding: z.enum(['lf', 'crlf', 'cr', 'mixed', 'none']),
      quoted: z.boolean(),
    })
    .nullable(),
  layers: z.array(z.string()),
  layer: z.string().nullable(),
  /** The layer's coordinate system (GDAL sources), e.g. `EPSG:2154`. */
  srs: z.string().nullable(),
  columns: z.array(z.string()),
  /** The first rows as text (null for an empty cell), in column order. */
  preview: z.array(z.object({ line: z.number().int(), cells: z.array(z.string().nullable()) })),
  /** Data rows counted (CSV), or the layer's feature count; null when unknown. */
  rows: z.number().int().nullable(),
  suggested: FieldMapping,
  /** The preset whose column names matched best, if any. */
  preset: z.string().nullable(),
  issues: z.array(FileIssue),
});
export type SniffResult = z.infer<typeof SniffResult>;

/** Why a row was not imported. */
export const RejectReason = z.enum(['field-count', 'unclosed-quote', 'geometry-missing', 'geometry-unreadable', 'area-unknown', 'duplicate-uuid', 'existing-uuid', 'read-error']);
export type RejectReason = z.infer<typeof RejectReason>;

/** One problem in a mapped row (the live preview shows them beside the values). */
export const RowProblem = z.object({ field: z.string(), code: z.string(), message: Bilingual });

/** One row as the mapping reads it: the synthese values, the geometry, and what is wrong. */
export const MappedRow = z.object({
  line: z.number().int(),
  values: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  geometry: GeometryHint.nullable(),
  rejected: RejectReason.nullable(),
  problems: z.array(RowProblem),
});
export type MappedRow = z.infer<typeof MappedRow>;

/** A rejected row, kept aside in the workspace with its reason and its raw text. */
export const RejectedRow = z.object({
  id: z.number().int(),
  importId: z.number().int(),
  line: z.number().int(),
  reason: RejectReason,
  message: Bilingual,
  detail: z.string().nullable(),
  raw: z.string().nullable(),
  values: z.record(z.string(), z.string().nullable()).nullable(),
});
export type RejectedRow = z.infer<typeof RejectedRow>;

/** What `clean.import` did. */
export const ImportReport = z.object({
  /** The workspace written (the demo's working copy when the bundled demo was named). */
  workspace: z.string(),
  importId: z.number().int(),
  file: z.string(),
  format: CleanSourceFormat,
  encoding: TextEncoding.nullable(),
  rowsRead: z.number().int(),
  imported: z.number().int(),
  rejected: z.number().int(),
  rejectedByReason: z.array(z.object({ reason: RejectReason, count: z.number().int() })),
  /** Rows that got a new UUID (none in the file). */
  generatedUuids: z.number().int(),
  /** date_max filled from date_min where empty (GeoNature's importer does the same). */
  filledDateMax: z.number().int(),
  firstRejected: z.array(RejectedRow),
  issues: z.array(FileIssue),
  mappingSavedAs: z.string().nullable(),
});
export type ImportReport = z.infer<typeof ImportReport>;

/** Check identifiers (see `shared/cleanup/checks.ts` for what each one looks at). */
export const CheckId = z.enum([
  'date.missing',
  'date.unparseable',
  'date.end-before-start',
  'date.future',
  'date.implausible-year',
  'taxon.unknown-code',
  'taxon.name-code-mismatch',
  'taxon.code-from-name',
  'geometry.missing',
  'geometry.empty',
  'geometry.invalid',
  'geometry.outside-territory',
  'geometry.outside-departement',
  'geometry.swapped',
  'geometry.projected',
  'duplicate.observation',
  'duplicate.source-pk',
  'count.min-gt-max',
  'count.negative',
  'altitude.min-gt-max',
  'depth.min-gt-max',
  'value.not-integer',
  'nomenclature.unknown-value',
  'encoding.mojibake',
  'encoding.lost-characters',
  'mandatory.missing',
  'mandatory.conditional',
  'uuid.invalid',
  'proof.inconsistent',
  'proof.invalid-url',
]);
export type CheckId = z.infer<typeof CheckId>;

export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

/** Fix kinds (see `shared/cleanup/fixes.ts`). */
export const FixKind = z.enum(['repair-mojibake', 'swap-coordinates', 'reproject', 'make-valid', 'parse-dates', 'fill-taxon-codes', 'merge-duplicates', 'map-values']);
export type FixKind = z.infer<typeof FixKind>;

/** The fix a finding suggests, with the value it would write (when it is one value). */
export const Suggestion = z.object({
  fix: FixKind,
  value: z.union([z.string(), z.number(), z.null()]).optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
});
export type Suggestion = z.infer<typeof Suggestion>;

/** One defect of one observation. */
export const CleanFinding = z.object({
  check: CheckId,
  severity: Severity,
  fid: z.number().int(),
  uuid: z.string().nullable(),
  /** The line in the source file, for imported rows. */
  line: z.number().int().nullable(),
  field: z.string(),
  value: z.union([z.string(), z.number(), z.null()]),
  suggestion: Suggestion.nullable(),
  message: Bilingual,
  geometry: GeometryHint.nullable(),
});
export type CleanFinding = z.infer<typeof CleanFinding>;

/** Parameters of a check run. */
export const CheckParams = z
  .object({
    /** Only these checks (default: all). */
    checks: z.array(CheckId).optional(),
    /** Dates after this day are in the future (default: today, UTC). */
    today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    /** Dates before this year are implausible. */
    minYear: z.number().int().min(1000).max(2100).default(1850),
    /** Observations must fall in these départements (codes of the workspace's DEP areas, e.g. "05"). */
    departements: z.array(z.string().min(1)).default([]),
    /** Two observations of the same taxon, day and observers closer than this are duplicates. */
    duplicateToleranceM: z.number().min(0).max(100_000).default(10),
  })
  .strict();
export type CheckParams = z.infer<typeof CheckParams>;
export type CheckParamsInput = z.input<typeof CheckParams>;

/** One check's findings: the count, the rows, a title, which fixes apply, and the first findings. */
export const CheckGroup = z.object({
  check: CheckId,
  category: z.enum(['dates', 'taxa', 'geometry', 'duplicates', 'counts', 'nomenclatures', 'encoding', 'mandatory']),
  severity: Severity,
  title: Bilingual,
  count: z.number().int(),
  rows: z.number().int(),
  fixes: z.array(FixKind),
  samples: z.array(CleanFinding),
});
export type CheckGroup = z.infer<typeof CheckGroup>;

/** What `clean.check` returns; the findings are paged with `clean.findings` by `runId`. */
export const CheckReport = z.object({
  workspace: z.string(),
  runId: z.string(),
  at: IsoDateTime,
  observations: z.number().int(),
  /** Observations with at least one finding. */
  flagged: z.number().int(),
  total: z.number().int(),
  /** No error and no warning. */
  clean: z.boolean(),
  taxonomy: z.object({ source: z.enum(['workspace', 'file', 'none']), name: z.string().nullable(), taxa: z.number().int() }),
  territory: z.object({ source: z.enum(['areas', 'none']), departements: z.array(z.string()) }),
  groups: z.array(CheckGroup),
  skipped: z.array(z.object({ check: CheckId, reason: Bilingual })),
});
export type CheckReport = z.infer<typeof CheckReport>;

/** A fix to preview or apply. Without `fids`, a fix applies to every row it finds a defect in. */
export const FixSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('repair-mojibake'), fields: z.array(z.string()).optional() }).strict(),
  z.object({ kind: z.literal('swap-coordinates') }).strict(),
  z.object({ kind: z.literal('reproject'), from: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('make-valid') }).strict(),
  z.object({ kind: z.literal('parse-dates'), pattern: z.string().min(1).max(40), fields: z.array(z.enum(['date_min', 'date_max'])).optional() }).strict(),
  z.object({ kind: z.literal('fill-taxon-codes') }).strict(),
  z.object({ kind: z.literal('merge-duplicates'), toleranceM: z.number().min(0).max(100_000).default(10) }).strict(),
  z.object({ kind: z.literal('map-values'), field: z.string().min(1), values: z.record(z.string(), z.string().nullable()) }).strict(),
]);
export type FixSpec = z.infer<typeof FixSpec>;
export type FixSpecInput = z.input<typeof FixSpec>;

/** One changed value of a fix (geometries as WKT). `after` null with `deleted` for a merged duplicate. */
export const FixChange = z.object({
  fid: z.number().int(),
  uuid: z.string().nullable(),
  field: z.string(),
  before: z.union([z.string(), z.number(), z.null()]),
  after: z.union([z.string(), z.number(), z.null()]),
  deleted: z.boolean(),
});
export type FixChange = z.infer<typeof FixChange>;

/** What a fix changes (dry run) or changed. */
export const FixReport = z.object({
  workspace: z.string(),
  kind: FixKind,
  dryRun: z.boolean(),
  /** The operation id to undo (null on a dry run or when nothing changed). */
  fixId: z.number().int().nullable(),
  rowsChanged: z.number().int(),
  rowsDeleted: z.number().int(),
  valuesChanged: z.number().int(),
  byField: z.array(z.object({ field: z.string(), count: z.number().int() })),
  /** The changes from `offset`, at most `limit` of them; `valuesChanged` says how many there are in all. */
  changes: z.array(FixChange),
  offset: z.number().int(),
  /** Rows the fix could not change, with why (e.g. a point that does not reproject). */
  skipped: z.array(z.object({ fid: z.number().int(), reason: z.string() })),
});
export type FixReport = z.infer<typeof FixReport>;

/** An import or a fix, as the history lists them (the last one not undone is what undo reverts). */
export const CleanOperation = z.object({
  id: z.string(),
  kind: z.enum(['import', 'fix']),
  what: z.string(),
  at: IsoDateTime,
  rows: z.number().int(),
  undone: z.boolean(),
  undoneAt: IsoDateTime.nullable(),
});
export type CleanOperation = z.infer<typeof CleanOperation>;

/** What `clean.undo` reverted. */
export const UndoReport = z.object({
  workspace: z.string(),
  undone: CleanOperation.nullable(),
  rowsRestored: z.number().int(),
  rowsRemoved: z.number().int(),
});
export type UndoReport = z.infer<typeof UndoReport>;

/** What `clean.exportGeonature` wrote. */
export const ExportGeoNatureReport = z.object({
  out: z.string(),
  rows: z.number().int(),
  columns: z.array(z.string()),
  /** Rows left out, with why (no geometry: GeoNature's importer refuses them). */
  skipped: z.number().int(),
});
export type ExportGeoNatureReport = z.infer<typeof ExportGeoNatureReport>;
