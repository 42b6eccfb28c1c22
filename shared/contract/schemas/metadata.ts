import { z } from 'zod';
import {
  AcquisitionFramework,
  BoundingBox,
  Dataset,
  Distribution,
  INSPIRE_THEMES,
  LICENCE_IDS,
  METADATA_EXPORT_FORMATS,
  MetadataActor,
  MetadataIssueSchema,
  MetadataNoteSchema,
  Protocol,
  Publisher,
  type InspireThemeId,
} from '../../metadata/index.js';
import { IsoDate, IsoDateTime } from './common.js';
import { Uuid } from './geonature.js';

/**
 * Schemas of the metadata domain (CA/JDD of a workspace as the SINP model of shared/metadata):
 * the CA → JDD tree, records for forms, validation reports, restructuring previews and results,
 * undo, import and export.
 */

/** server: as pulled; modified: changed here; created: made here, not on the server yet. */
export const MetaStatus = z.enum(['server', 'modified', 'created']);

/** Taxonomic levels of the workspace's taxref a split or a filter can group by. */
export const TaxrefLevel = z.enum(['regne', 'phylum', 'classe', 'ordre', 'famille', 'group1_inpn', 'group2_inpn', 'group3_inpn']);
export type TaxrefLevel = z.infer<typeof TaxrefLevel>;

/** An issue's texts in one language: the field's label, what is wrong, how to fix it. */
export const MetadataIssueText = z.object({ field: z.string(), message: z.string(), fix: z.string() });

/** A validation issue of the workspace: the record, the field path, the rule, and its French and English texts. */
export const MetadataIssueView = MetadataIssueSchema.extend({
  /** The record's name (CA or JDD), to show it without a lookup. */
  name: z.string(),
  fr: MetadataIssueText,
  en: MetadataIssueText,
});
export type MetadataIssueView = z.infer<typeof MetadataIssueView>;

export const MetadataValidation = z.object({
  errors: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
  /** No error (warnings allowed): the metadata can go to the SINP. */
  valid: z.boolean(),
  issues: z.array(MetadataIssueView),
  /** Where the nomenclature codes were checked: the workspace's (pulled from GeoNature) or the SINP referential's. */
  catalog: z.enum(['workspace', 'builtin']),
});
export type MetadataValidation = z.infer<typeof MetadataValidation>;

/** One recorded metadata operation (an edit, a split…), for history and undo. */
export const MetadataOperation = z.object({
  id: z.number().int(),
  at: IsoDateTime,
  actor: z.string(),
  /** put, bulkEdit, createFramework, split, merge, move, reassign, import. */
  kind: z.string(),
  /** What it did, in words ("Split « JDD » by year into 5 JDD"). */
  label: z.string(),
  state: z.enum(['applied', 'undone']),
  summary: z.unknown(),
});
export type MetadataOperation = z.infer<typeof MetadataOperation>;

/** Whether the last operation can be undone, and why not. */
export const MetadataUndoState = z.object({
  available: z.boolean(),
  /** The operation undo would revert (the last one not undone yet). */
  operation: MetadataOperation.nullable(),
  /** pushed: its changes are on the server; changed: something changed the same rows since. */
  blocked: z.enum(['pushed', 'changed']).nullable(),
});
export type MetadataUndoState = z.infer<typeof MetadataUndoState>;

/** A JDD in the tree. */
export const MetadataTreeDataset = z.object({
  uuid: z.string(),
  name: z.string(),
  shortName: z.string(),
  frameworkUuid: z.string().nullable(),
  status: MetaStatus,
  active: z.boolean().nullable(),
  observations: z.number().int().nonnegative(),
  dateMin: IsoDate.nullable(),
  dateMax: IsoDate.nullable(),
  errors: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
});
export type MetadataTreeDataset = z.infer<typeof MetadataTreeDataset>;

/** A CA in the tree, with its JDD. */
export const MetadataTreeFramework = z.object({
  uuid: z.string(),
  name: z.string(),
  status: MetaStatus,
  isMetaFramework: z.boolean(),
  parentUuid: z.string().nullable(),
  observations: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
  datasets: z.array(MetadataTreeDataset),
});
export type MetadataTreeFramework = z.infer<typeof MetadataTreeFramework>;

/** The CA → JDD tree of a workspace with validation counts per record. */
export const MetadataTree = z.object({
  workspace: z.string(),
  formatVersion: z.number().int(),
  /** False for the bundled demo and for files not yet migrated that cannot be written. */
  writable: z.boolean(),
  /** Pulled from a GeoNature database (push possible). */
  pulled: z.boolean(),
  frameworks: z.array(MetadataTreeFramework),
  /** JDD whose CA is not in the workspace (none, or a UUID of another database). */
  orphans: z.array(MetadataTreeDataset),
  errors: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
  /** Change-journal entries waiting for push. */
  pendingChanges: z.number().int().nonnegative(),
  undo: MetadataUndoState,
});
export type MetadataTree = z.infer<typeof MetadataTree>;

const RecordCommon = {
  uuid: z.string(),
  status: MetaStatus,
  observations: z.number().int().nonnegative(),
  dateMin: IsoDate.nullable(),
  dateMax: IsoDate.nullable(),
  /** This record's validation issues (cross-record rules included). */
  issues: z.array(MetadataIssueView),
};

/** A CA or JDD for a form: the SINP model record, its state and its issues. */
export const MetadataRecordView = z.discriminatedUnion('entity', [
  z.object({
    entity: z.literal('framework'),
    record: AcquisitionFramework,
    /** GeoNature's "opened" flag of the CA (not in the SINP model). */
    opened: z.boolean().nullable(),
    /** UUIDs of its JDD. */
    datasets: z.array(z.string()),
    ...RecordCommon,
  }),
  z.object({
    entity: z.literal('dataset'),
    record: Dataset,
    /** GeoNature's active and validable flags of the JDD (not in the SINP model). */
    active: z.boolean().nullable(),
    validable: z.boolean().nullable(),
    ...RecordCommon,
  }),
]);
export type MetadataRecordView = z.infer<typeof MetadataRecordView>;

/** What a write returns: the operation recorded (null for a dry run or when nothing changed) and the fields it changed. */
export const MetadataWriteResult = z.object({
  /** The workspace written (the same path). */
  workspace: z.string(),
  dryRun: z.boolean(),
  operation: MetadataOperation.nullable(),
  /** Field and list names that changed (shared/domain/metadata.ts: dataset_name, actors…). */
  changed: z.array(z.string()),
  view: MetadataRecordView,
});
export type MetadataWriteResult = z.infer<typeof MetadataWriteResult>;

/** A built-in CA template. */
export const FrameworkPreset = z.enum(['blank', 'inventory', 'monitoring']);

/** One change of a bulk edit, applied to every JDD chosen. */
export const BulkEdit = z.discriminatedUnion('op', [
  z
    .object({
      op: z.literal('set'),
      field: z.enum(['dataType', 'collectingMethod', 'dataOrigin', 'sourceStatus', 'resourceType', 'marineDomain', 'terrestrialDomain', 'territoryDescription', 'active', 'validable']),
      value: z.union([z.string(), z.boolean(), z.null()]),
    })
    .strict(),
  z.object({ op: z.enum(['add', 'remove']), field: z.enum(['territories', 'keywords', 'objectives']), value: z.string().min(1) }).strict(),
  z.object({ op: z.enum(['addActor', 'removeActor']), actor: MetadataActor }).strict(),
  z.object({ op: z.enum(['addProtocol', 'removeProtocol']), protocol: Protocol }).strict(),
]);
export type BulkEdit = z.infer<typeof BulkEdit>;

/** A field's value before and after a change (preview rows). */
export const FieldChange = z.object({ field: z.string(), before: z.unknown(), after: z.unknown() });

export const BulkEditResult = z.object({
  workspace: z.string(),
  dryRun: z.boolean(),
  datasets: z.array(z.object({ uuid: z.string(), name: z.string(), changes: z.array(FieldChange) })),
  operation: MetadataOperation.nullable(),
});
export type BulkEditResult = z.infer<typeof BulkEditResult>;

/** A date range of a split by period (both days included). */
export const SplitPeriod = z.object({ from: IsoDate, to: IsoDate, label: z.string().min(1).max(100).optional() }).strict();

/**
 * What a JDD is split by. protocol: the observation's source (gn_synthese.t_sources, the module,
 * protocol or import it came from); producer: the organism of its digitiser; observer: its first
 * observer (`mode: 'all'`: its whole list of observers); taxonGroup: a taxref level (needs the
 * taxref rows a pull brings); attribute: any observation column.
 */
export const SplitBy = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('year') }).strict(),
  z.object({ kind: z.literal('period'), periods: z.array(SplitPeriod).min(1).max(200) }).strict(),
  z.object({ kind: z.literal('observer'), mode: z.enum(['first', 'all']).default('first') }).strict(),
  z.object({ kind: z.literal('taxonGroup'), level: TaxrefLevel.default('group2_inpn') }).strict(),
  z.object({ kind: z.literal('protocol') }).strict(),
  z.object({ kind: z.literal('producer') }).strict(),
  z.object({ kind: z.literal('attribute'), column: z.string().min(1).max(100) }).strict(),
]);
export type SplitBy = z.infer<typeof SplitBy>;

/** Group key of observations with no value (no observer, no taxon group…). */
export const SPLIT_NONE_KEY = '(none)';
/** Group key of the groups smaller than `minObservations`, put together. */
export const SPLIT_OTHERS_KEY = '(others)';

/** One group of a split: the JDD it becomes (or the parent it stays in). */
export const SplitGroup = z.object({
  /** The value split on; SPLIT_NONE_KEY and SPLIT_OTHERS_KEY for the two special groups. */
  key: z.string(),
  label: z.string(),
  observations: z.number().int().nonnegative(),
  dateMin: IsoDate.nullable(),
  dateMax: IsoDate.nullable(),
  bbox: BoundingBox.nullable(),
  /** True when the group stays in the parent JDD (keepInParent). */
  stays: z.boolean(),
  name: z.string(),
  shortName: z.string(),
  /** The new JDD's UUID (null in a preview and for groups that stay). */
  uuid: z.string().nullable(),
});
export type SplitGroup = z.infer<typeof SplitGroup>;

export const SplitResult = z.object({
  workspace: z.string(),
  dryRun: z.boolean(),
  parent: z.object({ uuid: z.string(), name: z.string(), observations: z.number().int(), remaining: z.number().int(), deactivated: z.boolean() }),
  /** What it was split by, in words. */
  by: z.string(),
  groups: z.array(SplitGroup),
  moved: z.number().int(),
  created: z.number().int(),
  operation: MetadataOperation.nullable(),
});
export type SplitResult = z.infer<typeof SplitResult>;

export const MergeResult = z.object({
  workspace: z.string(),
  dryRun: z.boolean(),
  target: z.object({ uuid: z.string(), name: z.string(), observationsBefore: z.number().int(), observationsAfter: z.number().int() }),
  sources: z.array(
    z.object({
      uuid: z.string(),
      name: z.string(),
      observations: z.number().int(),
      status: MetaStatus,
      /** deleted: made here, removed; deactivated: on the server, kept there with active = false; kept: as it is, empty. */
      action: z.enum(['deleted', 'deactivated', 'kept']),
    }),
  ),
  moved: z.number().int(),
  operation: MetadataOperation.nullable(),
});
export type MergeResult = z.infer<typeof MergeResult>;

export const MoveResult = z.object({
  workspace: z.string(),
  dryRun: z.boolean(),
  framework: z.object({ uuid: z.string(), name: z.string() }),
  datasets: z.array(z.object({ uuid: z.string(), name: z.string(), from: z.string().nullable(), fromName: z.string().nullable(), observations: z.number().int() })),
  operation: MetadataOperation.nullable(),
});
export type MoveResult = z.infer<typeof MoveResult>;

/** A condition on an observation column. */
export const AttributeCondition = z
  .object({
    column: z.string().min(1).max(100),
    op: z.enum(['eq', 'ne', 'in', 'notIn', 'like', 'isNull', 'notNull']),
    value: z.union([z.string(), z.number(), z.null()]).optional(),
    values: z.array(z.union([z.string(), z.number()])).max(10_000).optional(),
  })
  .strict();

/** Which observations: conditions of different kinds combine with AND, values of one kind with OR. */
export const ObservationFilter = z
  .object({
    datasets: z.array(Uuid).default([]),
    /** Observations by unique_id_sinp. */
    observations: z.array(Uuid).max(5_000_000).default([]),
    /** cd_nom, with their descendants and synonyms when the workspace has taxref rows. */
    taxa: z.array(z.number().int().positive()).default([]),
    taxonGroup: z.object({ level: TaxrefLevel, values: z.array(z.string().min(1)).min(1) }).strict().nullable().default(null),
    /** On the observation's first day (date_min), both included. */
    dateFrom: IsoDate.nullable().default(null),
    dateTo: IsoDate.nullable().default(null),
    /** Any of these observers (case and accents ignored) among the observation's observers. */
    observers: z.array(z.string().min(1)).default([]),
    attributes: z.array(AttributeCondition).default([]),
    /** WGS 84 [minLon, minLat, maxLon, maxLat]. */
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable().default(null),
  })
  .strict();
export type ObservationFilter = z.infer<typeof ObservationFilter>;

export const ReassignResult = z.object({
  workspace: z.string(),
  dryRun: z.boolean(),
  to: z.object({ uuid: z.string(), name: z.string() }),
  /** Observations the filter matches. */
  matched: z.number().int(),
  /** Of those, the ones not yet in the target JDD. */
  moving: z.number().int(),
  from: z.array(z.object({ uuid: z.string().nullable(), name: z.string().nullable(), observations: z.number().int() })),
  operation: MetadataOperation.nullable(),
});
export type ReassignResult = z.infer<typeof ReassignResult>;

export const UndoResult = z.object({
  workspace: z.string(),
  dryRun: z.boolean(),
  operation: MetadataOperation,
  /** What was put back (null for a dry run). */
  restored: z.object({ rows: z.number().int(), observations: z.number().int(), journal: z.number().int() }).nullable(),
});
export type UndoResult = z.infer<typeof UndoResult>;

export const MetadataHistory = z.object({ operations: z.array(MetadataOperation), undo: MetadataUndoState });
export type MetadataHistory = z.infer<typeof MetadataHistory>;

/** A note of an import or export, with its texts. */
export const MetadataNoteView = MetadataNoteSchema.extend({ fr: z.string(), en: z.string() });

/** Export options a caller may set; the engine fills the dates and coverage from the workspace. */
export const MetadataExportOptions = z
  .object({
    licence: z.enum(LICENCE_IDS).optional(),
    language: z.enum(['fr', 'en']).optional(),
    landingPage: z.string().nullable().optional(),
    distributions: z.array(Distribution).optional(),
    publisher: Publisher.nullable().optional(),
    inspireThemes: z
      .array(z.enum(Object.keys(INSPIRE_THEMES) as [InspireThemeId, ...InspireThemeId[]]))
      .min(1)
      .nullable()
      .optional(),
    publicAccess: z.enum(['none', 'environment']).optional(),
    lineage: z.string().nullable().optional(),
    /** The record's date; defaults to the JDD's revision date, else today. */
    metadataDate: IsoDate.optional(),
  })
  .strict();
export type MetadataExportOptions = z.infer<typeof MetadataExportOptions>;

export const MetadataExportFormat = z.enum(METADATA_EXPORT_FORMATS);
export type MetadataExportFormat = z.infer<typeof MetadataExportFormat>;

export const MetadataExportResult = z.object({
  path: z.string(),
  format: MetadataExportFormat,
  mediaType: z.string(),
  bytes: z.number().int(),
  /** JDD written (MTD: all of the set, or the one asked with its CA). */
  datasets: z.number().int(),
  frameworks: z.number().int(),
  notes: z.array(MetadataNoteView),
});
export type MetadataExportResult = z.infer<typeof MetadataExportResult>;

/** What an import does to one record. */
export const ImportedRecord = z.object({
  uuid: z.string(),
  name: z.string(),
  /** create: new here; update: fields change; unchanged: already as the file says. */
  action: z.enum(['create', 'update', 'unchanged']),
  changed: z.array(z.string()),
  /** A JDD whose CA is neither in the file nor in the workspace: imported without a CA. */
  frameworkMissing: z.boolean(),
});

export const MetadataImportResult = z.object({
  workspace: z.string(),
  dryRun: z.boolean(),
  format: z.enum(['mtd', 'eml', 'iso19139']),
  frameworks: z.array(ImportedRecord),
  datasets: z.array(ImportedRecord),
  notes: z.array(MetadataNoteView),
  /** Validation of the imported records once merged. */
  issues: z.array(MetadataIssueView),
  operation: MetadataOperation.nullable(),
});
export type MetadataImportResult = z.infer<typeof MetadataImportResult>;

/** A nomenclature type for the pickers: its label and values in both languages. */
export const CatalogType = z.object({
  label: z.object({ fr: z.string(), en: z.string() }),
  values: z.array(z.object({ code: z.string(), label: z.object({ fr: z.string(), en: z.string() }), definition: z.string().nullable() })),
});

export const MetadataCatalog = z.object({
  source: z.enum(['workspace', 'builtin']),
  types: z.record(z.string(), CatalogType),
  licences: z.array(z.enum(LICENCE_IDS)),
  /** The licence the workspace's gpkg_metadata records and exports use by default. */
  licence: z.enum(LICENCE_IDS),
});
export type MetadataCatalog = z.infer<typeof MetadataCatalog>;
