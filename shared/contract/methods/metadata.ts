import { z } from 'zod';
import { AcquisitionFramework, Dataset } from '../../metadata/index.js';
import { AbsolutePath } from '../schemas/common.js';
import { MetaEntity, Uuid } from '../schemas/geonature.js';
import {
  BulkEdit,
  BulkEditResult,
  FrameworkPreset,
  MergeResult,
  MetadataCatalog,
  MetadataExportFormat,
  MetadataExportOptions,
  MetadataExportResult,
  MetadataHistory,
  MetadataImportResult,
  MetadataRecordView,
  MetadataTree,
  MetadataValidation,
  MetadataWriteResult,
  MoveResult,
  ObservationFilter,
  ReassignResult,
  SplitBy,
  SplitResult,
  UndoResult,
} from '../schemas/metadata.js';
import { job, method, type MethodSpec } from './define.js';

const Lang = z.enum(['fr', 'en']).default('fr');
const ws = { workspace: AbsolutePath };
const uses = { uses: ['workspace'] } as const;

/**
 * The metadata domain: the CA and JDD of a workspace as the SINP model (shared/metadata), their
 * validation, editing, restructuring (split, merge, move, reassign), undo, import and export.
 *
 * Every write is previewed (`dryRun: true` returns what would change and writes nothing), runs
 * in one transaction that also appends the change journal (so `geonature.push` sends it) and the
 * audit log, and is recorded for `metadata.undo`. The bundled demo is read-only (work on a copy).
 */
export const metadataMethods = {
  /** The CA → JDD tree with state, observation counts and validation counts per record, and what undo would revert. */
  'metadata.tree': method(z.object(ws).strict(), MetadataTree, uses),
  /** One CA or JDD as the SINP model record, for a form, with its issues. */
  'metadata.get': method(z.object({ ...ws, entity: MetaEntity, uuid: Uuid, lang: Lang }).strict(), MetadataRecordView, uses),
  /**
   * Saves a whole CA or JDD record (the form's). Refuses only what the workspace cannot hold
   * (unknown code, missing CA, clearing a field the server requires); the SINP rules' issues come
   * back in `view.issues`. `dryRun` checks and returns the view without writing.
   */
  'metadata.put': method(
    z.discriminatedUnion('entity', [
      z.object({ ...ws, entity: z.literal('framework'), record: AcquisitionFramework, dryRun: z.boolean().default(false), lang: Lang }).strict(),
      z.object({ ...ws, entity: z.literal('dataset'), record: Dataset, dryRun: z.boolean().default(false), lang: Lang }).strict(),
    ]),
    MetadataWriteResult,
    uses,
  ),
  /** Validation of every CA and JDD of the workspace (or of `uuids`), with the workspace's nomenclatures. */
  'metadata.validate': method(z.object({ ...ws, uuids: z.array(Uuid).optional(), lang: Lang }).strict(), MetadataValidation, uses),
  /** The nomenclature values the forms pick from (the workspace's, else the SINP referential's), and the licences. */
  'metadata.catalog': method(z.object(ws).strict(), MetadataCatalog, uses),
  /**
   * Creates a CA from a template: another CA of the workspace (copied), or a preset (blank,
   * inventory, monitoring), with `values` over it.
   */
  'metadata.createFramework': method(
    z
      .object({
        ...ws,
        from: z.union([z.object({ framework: Uuid }).strict(), z.object({ preset: FrameworkPreset }).strict()]).default({ preset: 'blank' }),
        values: AcquisitionFramework.omit({ uuid: true }).partial().default({}),
        uuid: Uuid.optional(),
        dryRun: z.boolean().default(false),
        lang: Lang,
      })
      .strict(),
    MetadataWriteResult,
    uses,
  ),
  /** Sets a field, or adds/removes a territory, keyword, objective, actor or protocol, on many JDD at once. */
  'metadata.bulkEdit': method(
    z.object({ ...ws, datasets: z.array(Uuid).min(1).max(10_000), edits: z.array(BulkEdit).min(1).max(100), dryRun: z.boolean().default(false) }).strict(),
    BulkEditResult,
    uses,
  ),
  /**
   * Splits a JDD: one new JDD per value of `by` (observation counts, names, dates and extents in
   * the preview), copying the parent's metadata; its observations move to them. Groups under
   * `minObservations` go together (SPLIT_OTHERS_KEY); `keepInParent` groups stay; `names`
   * overrides derived names by group key; `expect` (group key → count from the preview) refuses
   * to apply if the data changed since.
   */
  'metadata.split': job(
    {
      ...ws,
      dataset: Uuid,
      by: SplitBy,
      minObservations: z.number().int().min(1).default(1),
      keepInParent: z.array(z.string()).default([]),
      names: z.record(z.string(), z.object({ name: z.string().min(1).max(255).optional(), shortName: z.string().min(1).max(255).optional() }).strict()).default({}),
      deactivateParent: z.boolean().default(false),
      expect: z.record(z.string(), z.number().int().nonnegative()).optional(),
      dryRun: z.boolean().default(false),
      lang: Lang,
    },
    SplitResult,
    uses,
  ),
  /** Moves the observations of `datasets` into `into`; sources made here are deleted, the others deactivated (or kept). */
  'metadata.merge': job(
    { ...ws, into: Uuid, datasets: z.array(Uuid).min(1).max(1000), deactivate: z.boolean().default(true), dryRun: z.boolean().default(false) },
    MergeResult,
    uses,
  ),
  /** Moves JDD to another CA (not a méta-cadre). */
  'metadata.move': method(z.object({ ...ws, datasets: z.array(Uuid).min(1).max(10_000), framework: Uuid, dryRun: z.boolean().default(false) }).strict(), MoveResult, uses),
  /** Moves the observations a filter matches to a JDD. */
  'metadata.reassign': job({ ...ws, filter: ObservationFilter, to: Uuid, dryRun: z.boolean().default(false) }, ReassignResult, uses),
  /** Undoes the last metadata operation not undone yet, exactly; `dryRun` says which one and whether it can. */
  'metadata.undo': job({ ...ws, dryRun: z.boolean().default(false) }, UndoResult, uses),
  /** The metadata operations, newest first, and the undo state. */
  'metadata.history': method(z.object({ ...ws, limit: z.number().int().min(1).max(1000).default(100) }).strict(), MetadataHistory, uses),
  /**
   * Writes the metadata to a file, atomically: MTD (the whole set, or one JDD with its CA),
   * ISO 19139, EML, DCAT or schema.org (one JDD: `dataset`, needed when there are several).
   */
  'metadata.export': method(
    z
      .object({
        ...ws,
        format: MetadataExportFormat,
        dataset: Uuid.optional(),
        out: AbsolutePath,
        overwrite: z.boolean().default(false),
        options: MetadataExportOptions.default({}),
      })
      .strict(),
    MetadataExportResult,
    { grants: ['out'], uses: ['workspace'] },
  ),
  /**
   * Reads an MTD, EML or ISO 19139 file and merges its records into the workspace (new ones
   * created, known ones updated; a field the file leaves empty is kept); `dryRun` previews.
   */
  // The file is one the user just chose (a path field or a dialog): calling import allows it.
  'metadata.import': job({ ...ws, file: AbsolutePath, dryRun: z.boolean().default(false), lang: Lang }, MetadataImportResult, { uses: ['workspace'], grants: ['file'] }),
} as const satisfies Record<string, MethodSpec>;
