import { z } from 'zod';
import { AbsolutePath } from '../schemas/common.js';
import {
  BrowseResult,
  ChangeRecord,
  Conflict,
  ConnectionProfile,
  ConnectionTest,
  GeoNatureConnection,
  MetaEntity,
  MetaValue,
  PullEstimate,
  PullFilters,
  PullReport,
  PushReport,
  Uuid,
  WorkspaceGeoNature,
} from '../schemas/geonature.js';
import { job, method, type MethodSpec } from './define.js';

const Profiles = z.object({ profiles: z.array(ConnectionProfile), file: z.string() });

/**
 * The GeoNature domain: connect to a GeoNature database, browse its CA → JDD tree, pull an
 * extract into a workspace, change CA/JDD metadata offline, and push the changes back.
 *
 * Reads run in read-only transactions; push writes in one transaction and stops on a conflict.
 * Secrets travel in `connection.secrets` for one call and are never stored by the engine.
 */
export const geonatureMethods = {
  /** Saved connections (no secrets in them). */
  'geonature.listProfiles': method(z.object({}).strict(), Profiles),
  /** Adds or replaces a saved connection by name. */
  'geonature.saveProfile': method(z.object({ profile: ConnectionProfile }).strict(), Profiles),
  /** Removes a saved connection. */
  'geonature.deleteProfile': method(z.object({ name: z.string().min(1) }).strict(), Profiles),
  /**
   * Tests a connection and says precisely what is wrong: unreachable, SSH, authentication, not a
   * GeoNature database, missing schema or column, insufficient privileges. Connection problems
   * are a status, not an error value.
   */
  'geonature.test': method(
    z.object({ connection: GeoNatureConnection, timeoutMs: z.number().int().min(500).max(120_000).default(10_000) }).strict(),
    ConnectionTest,
  ),
  /** The CA → JDD tree with decoded nomenclatures, actors, territories, and per-JDD counts, taxa and dates. */
  'geonature.browse': method(z.object({ connection: GeoNatureConnection }).strict(), BrowseResult),
  /** How many observations (and JDD) a pull with these filters would bring: one count, for a live estimate. */
  'geonature.estimate': method(z.object({ connection: GeoNatureConnection, filters: PullFilters }).strict(), PullEstimate),
  /**
   * Pulls a filtered extract into a NEW workspace (`out`) or merges it into an existing one
   * (`workspace`: re-pull, local changes kept, conflicts listed). The file is replaced only when
   * the pull is complete: a cancel or a lost connection leaves it as it was.
   */
  'geonature.pull': job(
    {
      connection: GeoNatureConnection,
      filters: PullFilters.default({ frameworks: [], datasets: [], taxa: [], dateFrom: null, dateTo: null, bbox: null, areas: [] }),
      out: AbsolutePath.optional(),
      workspace: AbsolutePath.optional(),
      title: z.string().min(1).max(200).optional(),
      /** With `out`: replace an existing file there (default: refuse with CONFLICT). */
      overwrite: z.boolean().default(false),
    },
    PullReport,
    { grants: ['out'], uses: ['workspace'] },
  ),
  /** The GeoNature side of a workspace: provenance, CA and JDD with their local state, pending changes, conflicts. */
  'geonature.workspace': method(z.object({ workspace: AbsolutePath }).strict(), WorkspaceGeoNature, { uses: ['workspace'] }),
  /** Changes one CA or JDD field in the workspace (journal + audit, one transaction). */
  'geonature.editField': method(
    z.object({ workspace: AbsolutePath, entity: MetaEntity, uuid: Uuid, field: z.string().min(1), value: MetaValue }).strict(),
    ChangeRecord,
    { uses: ['workspace'] },
  ),
  /** Creates a JDD in the workspace, in a CA it holds; `copyFrom` copies another JDD's fields and actors first. */
  'geonature.createDataset': method(
    z
      .object({
        workspace: AbsolutePath,
        framework: Uuid,
        uuid: Uuid.optional(),
        copyFrom: Uuid.optional(),
        values: z.record(z.string(), MetaValue).default({}),
      })
      .strict(),
    ChangeRecord,
    { uses: ['workspace'] },
  ),
  /** Moves observations (by UUID, or all those of `fromDataset`) to another JDD of the workspace. */
  'geonature.reassignObservations': method(
    z
      .object({
        workspace: AbsolutePath,
        dataset: Uuid,
        observations: z.array(Uuid).max(5_000_000).optional(),
        fromDataset: Uuid.optional(),
      })
      .strict()
      .refine((x) => (x.observations === undefined) !== (x.fromDataset === undefined), { message: 'give observations or fromDataset' }),
    ChangeRecord,
    { uses: ['workspace'] },
  ),
  /** The change journal, newest first. */
  'geonature.journal': method(
    z.object({ workspace: AbsolutePath, state: z.enum(['pending', 'all']).default('pending') }).strict(),
    z.object({ changes: z.array(ChangeRecord) }),
    { uses: ['workspace'] },
  ),
  /** Settles a re-pull conflict: keep the local value (push will write it) or take the server's. */
  'geonature.resolveConflict': method(
    z.object({ workspace: AbsolutePath, conflict: z.number().int(), keep: z.enum(['local', 'server']) }).strict(),
    Conflict,
    { uses: ['workspace'] },
  ),
  /**
   * Sends the workspace's pending metadata changes to the database. `dryRun` computes the diff
   * (what rows change, how many observations move, conflicts) without writing. Otherwise one
   * transaction, all or nothing, stopped with CONFLICT if the server changed what we change.
   */
  'geonature.push': job({ connection: GeoNatureConnection, workspace: AbsolutePath, dryRun: z.boolean() }, PushReport, { uses: ['workspace'] }),
} as const satisfies Record<string, MethodSpec>;
