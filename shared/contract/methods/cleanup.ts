import { z } from 'zod';
import { AbsolutePath } from '../schemas/common.js';
import {
  CheckId,
  CheckParams,
  CheckReport,
  CleanOperation,
  ExportGeoNatureReport,
  FieldMapping,
  CleanFinding,
  FixReport,
  FixSpec,
  ImportReport,
  MappedRow,
  ReadOptions,
  RejectedRow,
  SavedMapping,
  SniffResult,
  UndoReport,
} from '../schemas/cleanup.js';
import { job, method, type MethodSpec } from './define.js';

const Mappings = z.object({ mappings: z.array(SavedMapping), file: z.string() });
const MappingName = z.string().min(1).max(100).regex(/^[^/\\]+$/);

/**
 * The cleanup domain (issue 8): import legacy files (CSV/TSV, GeoPackage, Shapefile, GeoJSON,
 * Darwin Core Archive) into a workspace through a field mapping, find every defect, fix them in
 * bulk with a preview of every changed value and a one-step undo, and export the observations in
 * the CSV layout GeoNature's import module reads.
 *
 * Writes (import, fix, undo) append to the workspace audit log in the transaction of the change.
 * The bundled demo is never modified: a write on it works on its copy in PASSERELLE_HOME, and the
 * cleanup methods read that copy once it exists (every report names the workspace it used).
 */
export const cleanupMethods = {
  /** Reads the start of a file the user chose: format, encoding (with candidates to confirm), delimiter, header, first rows, a suggested mapping. */
  'clean.sniff': job({ path: AbsolutePath, read: ReadOptions.default({}), previewRows: z.number().int().min(1).max(200).default(20) }, SniffResult, { grants: ['path'] }),
  /** The first rows of a file through a mapping, as the import would write them (live preview of the wizard). */
  'clean.previewMapping': job(
    {
      path: AbsolutePath,
      read: ReadOptions.default({}),
      mapping: FieldMapping,
      workspace: AbsolutePath.optional(),
      rows: z.number().int().min(1).max(200).default(20),
    },
    z.object({ rows: z.array(MappedRow) }),
    { uses: ['path', 'workspace'] },
  ),
  /** Imports a file into a workspace; rows that cannot be imported are kept aside with their reason. */
  'clean.import': job(
    {
      workspace: AbsolutePath,
      path: AbsolutePath,
      read: ReadOptions.default({}),
      mapping: FieldMapping,
      /** Also save the mapping under this name (PASSERELLE_HOME) for the next file. */
      saveMappingAs: MappingName.optional(),
      /** Create the workspace when the file does not exist yet. */
      create: z.boolean().default(false),
      title: z.string().min(1).max(200).optional(),
    },
    ImportReport,
    { uses: ['path'], grants: ['workspace'] },
  ),
  /** Runs the checks; the report groups findings by check with counts and the first findings of each. */
  'clean.check': job(
    {
      workspace: AbsolutePath,
      params: CheckParams.default({ minYear: 1850, departements: [], duplicateToleranceM: 10 }),
      /** A taxonomy CSV (cd_nom, cd_ref and a name column) when the workspace has no taxref table. */
      taxonomy: AbsolutePath.optional(),
      /** Findings listed per check in the report (all of them are paged with `clean.findings`). */
      samples: z.number().int().min(0).max(1000).default(20),
    },
    CheckReport,
    { uses: ['workspace', 'taxonomy'] },
  ),
  /** One page of a check run's findings (all checks, or one), each with its geometry for the map. */
  'clean.findings': method(
    z
      .object({
        workspace: AbsolutePath,
        runId: z.string().min(1).max(100),
        check: CheckId.optional(),
        fid: z.number().int().optional(),
        offset: z.number().int().nonnegative().default(0),
        limit: z.number().int().min(1).max(5000).default(200),
      })
      .strict(),
    z.object({ total: z.number().int(), findings: z.array(CleanFinding) }),
    { uses: ['workspace'] },
  ),
  /** Previews (`dryRun`) or applies a fix: every changed value, paged; applying records it in the audit log. */
  'clean.fix': job(
    {
      workspace: AbsolutePath,
      fix: FixSpec,
      dryRun: z.boolean().default(true),
      /** Only these observations (e.g. the rows of one check's findings). */
      fids: z.array(z.number().int()).max(1_000_000).optional(),
      taxonomy: AbsolutePath.optional(),
      offset: z.number().int().nonnegative().default(0),
      limit: z.number().int().min(0).max(100_000).default(1000),
    },
    FixReport,
    { uses: ['workspace', 'taxonomy'] },
  ),
  /** Reverts the last import or fix not yet undone, exactly (values, geometries, deleted rows). */
  'clean.undo': job({ workspace: AbsolutePath }, UndoReport, { uses: ['workspace'] }),
  /** The imports and fixes of a workspace, last first. */
  'clean.history': method(z.object({ workspace: AbsolutePath }).strict(), z.object({ workspace: z.string(), operations: z.array(CleanOperation) }), { uses: ['workspace'] }),
  /** The rows an import kept aside, with their reason and raw text. */
  'clean.rejected': method(
    z.object({ workspace: AbsolutePath, importId: z.number().int().optional(), offset: z.number().int().nonnegative().default(0), limit: z.number().int().min(1).max(5000).default(200) }).strict(),
    z.object({ total: z.number().int(), rows: z.array(RejectedRow) }),
    { uses: ['workspace'] },
  ),
  /** Saved mappings (PASSERELLE_HOME/cleanup-mappings.json) and the built-in presets. */
  'clean.listMappings': method(z.object({}).strict(), Mappings),
  /** Saves (or replaces) a mapping by name. */
  'clean.saveMapping': method(z.object({ name: MappingName, mapping: FieldMapping, description: z.string().max(500).optional() }).strict(), Mappings),
  /** Deletes a saved mapping. */
  'clean.deleteMapping': method(z.object({ name: MappingName }).strict(), Mappings),
  /** Writes the observations as the CSV GeoNature's import module reads (its field names, `;`, UTF-8). */
  'clean.exportGeonature': job(
    { workspace: AbsolutePath, out: AbsolutePath, overwrite: z.boolean().default(false), nomenclatures: z.enum(['labels', 'codes']).default('labels') },
    ExportGeoNatureReport,
    { uses: ['workspace'], grants: ['out'] },
  ),
} as const satisfies Record<string, MethodSpec>;
