import { z } from 'zod';
import { ApiError } from '../errors.js';
import { AbsolutePath, IsoDate, IsoDateTime } from './common.js';

/** A UUID in any version, normalised to lower case (GeoNature compares them as `uuid`). */
export const Uuid = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, { message: 'must be a UUID' })
  .transform((s) => s.toLowerCase());

/** libpq's sslmode values Passerelle supports. `prefer` tries TLS and falls back, as psql does. */
export const SslMode = z.enum(['disable', 'prefer', 'require', 'verify-full']);
export type SslMode = z.infer<typeof SslMode>;

/** An SSH bastion to reach a database that is not directly reachable (the usual case in production). */
export const SshTunnel = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(22),
    user: z.string().min(1),
    /** A private key file (OpenSSH or PEM); null to authenticate with a password or the SSH agent. */
    privateKeyPath: AbsolutePath.nullable().default(null),
    /** SHA-256 fingerprint of the bastion's host key (`ssh-keygen -lf`, without "SHA256:"); null trusts on first use. */
    hostKeySha256: z.string().nullable().default(null),
  })
  .strict();
export type SshTunnel = z.infer<typeof SshTunnel>;

/** Where a GeoNature database is: everything but secrets, so it can be saved in a profile. */
export const PgTarget = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(5432),
    database: z.string().min(1),
    user: z.string().min(1),
    sslMode: SslMode.default('prefer'),
    ssh: SshTunnel.nullable().default(null),
  })
  .strict();
export type PgTarget = z.infer<typeof PgTarget>;

/** A saved connection (PASSERELLE_HOME/geonature-connections.json). Never holds a password. */
export const ConnectionProfile = PgTarget.extend({ name: z.string().min(1).max(100) }).strict();
export type ConnectionProfile = z.infer<typeof ConnectionProfile>;

/**
 * Secrets for one call, never stored by the engine: the app keeps them in the OS keyring
 * (safeStorage) or asks each time; the CLI reads PGPASSWORD or prompts.
 */
export const ConnectionSecrets = z
  .object({
    password: z.string().optional(),
    sshPassword: z.string().optional(),
    sshPassphrase: z.string().optional(),
  })
  .strict();

/** Which database a call talks to: a saved profile by name, or an explicit target; plus secrets. */
export const GeoNatureConnection = z
  .object({
    profile: z.string().min(1).optional(),
    target: PgTarget.optional(),
    secrets: ConnectionSecrets.default({}),
  })
  .strict()
  .refine((c) => (c.profile === undefined) !== (c.target === undefined), { message: 'give either a profile name or a target' });
export type GeoNatureConnection = z.infer<typeof GeoNatureConnection>;

/** What `geonature.test` concludes, most fundamental problem first. */
export const ConnectionStatus = z.enum([
  'ok',
  'unreachable',
  'ssh_failed',
  'auth_failed',
  'no_database',
  'not_geonature',
  'missing_schema',
  'missing_column',
  'insufficient_privileges',
]);
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

/** What the connector detected about a GeoNature database; it adapts to it instead of failing. */
export const SchemaInfo = z.object({
  /** GeoNature's version when the database records it (gn_commons.t_parameters), else null. */
  geonatureVersion: z.string().nullable(),
  /** Alembic revisions of public.alembic_version, when present (how GeoNature tracks its schema). */
  alembicRevisions: z.array(z.string()),
  /** SRID of the local geometries, read with Find_SRID (never assumed). */
  localSrid: z.number().int(),
  /** Optional columns and tables, "schema.table.column" → present. */
  optional: z.record(z.string(), z.boolean()),
  taxrefVersion: z.string().nullable(),
});
export type SchemaInfo = z.infer<typeof SchemaInfo>;

/** The result of testing a connection: never an error value for a connection problem, a status. */
export const ConnectionTest = z.object({
  status: ConnectionStatus,
  /** host:port/database (and the bastion), safe to show. */
  target: z.string(),
  /** Why, when status is not ok: the same error value other methods would fail with. */
  error: ApiError.nullable(),
  /** Missing schemas, tables, columns or privileges ("gn_synthese.synthese.the_geom_local"). */
  missing: z.array(z.string()),
  server: z.object({ postgres: z.string().nullable(), postgis: z.string().nullable() }),
  schema: SchemaInfo.nullable(),
  privileges: z.object({
    /** May read what a pull needs. */
    read: z.boolean(),
    /** May write what a push changes (CA/JDD, synthese.id_dataset). */
    push: z.boolean(),
    /** The privileges push would need and lacks ("UPDATE on gn_meta.t_datasets"). */
    missingForPush: z.array(z.string()),
  }),
  /** Rough sizes, for the connection dialog (observations from the planner's statistics). */
  counts: z.object({ frameworks: z.number().int(), datasets: z.number().int(), observationsEstimate: z.number().int() }).nullable(),
});
export type ConnectionTest = z.infer<typeof ConnectionTest>;

/** A decoded nomenclature value: the SINP code and its label, never the install's id. */
export const NomenclatureValue = z.object({
  type: z.string(),
  code: z.string(),
  label: z.string(),
});
export type NomenclatureValue = z.infer<typeof NomenclatureValue>;

/** An actor of a CA or JDD: an organism or a person, with its role (ROLE_ACTEUR). */
export const MetaActor = z.object({
  organism: z.string().nullable(),
  organismUuid: z.string().nullable(),
  person: z.string().nullable(),
  personUuid: z.string().nullable(),
  role: NomenclatureValue.nullable(),
  /** The person's (else the organism's) e-mail on the server, or as entered here. */
  email: z.string().nullable().optional(),
});
export type MetaActor = z.infer<typeof MetaActor>;

/** A JDD in the server's CA → JDD tree. */
export const BrowseDataset = z.object({
  uuid: z.string(),
  name: z.string(),
  shortname: z.string(),
  description: z.string(),
  active: z.boolean(),
  /** Nomenclature fields by name (data_type, collecting_method…), decoded; null when unset. */
  nomenclatures: z.record(z.string(), NomenclatureValue.nullable()),
  actors: z.array(MetaActor),
  territories: z.array(NomenclatureValue),
  observations: z.number().int().nonnegative(),
  taxa: z.number().int().nonnegative(),
  dateMin: IsoDate.nullable(),
  dateMax: IsoDate.nullable(),
  metaUpdateDate: z.string().nullable(),
});
export type BrowseDataset = z.infer<typeof BrowseDataset>;

/** A CA with its JDD. */
export const BrowseFramework = z.object({
  uuid: z.string(),
  name: z.string(),
  description: z.string(),
  startDate: IsoDate.nullable(),
  endDate: IsoDate.nullable(),
  parentUuid: z.string().nullable(),
  isParent: z.boolean().nullable(),
  nomenclatures: z.record(z.string(), NomenclatureValue.nullable()),
  actors: z.array(MetaActor),
  objectives: z.array(NomenclatureValue),
  territories: z.array(NomenclatureValue),
  voletsSinp: z.array(NomenclatureValue),
  datasets: z.array(BrowseDataset),
  observations: z.number().int().nonnegative(),
});
export type BrowseFramework = z.infer<typeof BrowseFramework>;

export const BrowseResult = z.object({
  target: z.string(),
  schema: SchemaInfo,
  frameworks: z.array(BrowseFramework),
  /** Observations whose id_dataset is NULL (nullable in synthese): no JDD can pull them. */
  observationsWithoutDataset: z.number().int().nonnegative(),
});
export type BrowseResult = z.infer<typeof BrowseResult>;

/** An area of ref_geo by type (COM, DEP, M10…; null for any type) and code. */
export const AreaRef = z.object({ type: z.string().min(1).nullable().default(null), code: z.string().min(1) }).strict();

/**
 * What to pull from gn_synthese.synthese. Filters of different kinds combine with AND; several
 * values of one kind with OR. All empty = the whole synthese.
 */
export const PullFilters = z
  .object({
    frameworks: z.array(Uuid).default([]),
    datasets: z.array(Uuid).default([]),
    /** cd_nom, each with its descendants (taxref.cd_sup) and their synonyms (same cd_ref). */
    taxa: z.array(z.number().int().positive()).default([]),
    /** Observations whose date_min falls on or after this day. */
    dateFrom: IsoDate.nullable().default(null),
    /** Observations whose date_min falls on or before this day. */
    dateTo: IsoDate.nullable().default(null),
    /** WGS 84 [minLon, minLat, maxLon, maxLat]: observations whose geometry intersects it. */
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable().default(null),
    /** Observations linked to one of these areas in cor_area_synthese. */
    areas: z.array(AreaRef).default([]),
  })
  .strict();
export type PullFilters = z.infer<typeof PullFilters>;

export const PullEstimate = z.object({
  observations: z.number().int().nonnegative(),
  datasets: z.number().int().nonnegative(),
});
export type PullEstimate = z.infer<typeof PullEstimate>;

export const ConflictEntity = z.enum(['framework', 'dataset', 'observation']);

/** A thing both sides changed: the user decides (geonature.resolveConflict) before pushing it. */
export const Conflict = z.object({
  id: z.number().int(),
  entity: ConflictEntity,
  uuid: z.string(),
  /** What the user knows it by (JDD name…). */
  label: z.string(),
  /** Field name (see shared/domain/metadata.ts), "dataset" for an observation's JDD, "deleted" when the server removed it. */
  field: z.string(),
  base: z.unknown(),
  local: z.unknown(),
  server: z.unknown(),
  detectedAt: IsoDateTime,
});
export type Conflict = z.infer<typeof Conflict>;

export const MergeReport = z.object({
  /** Observations new on the server. */
  added: z.number().int(),
  /** Observations the server changed and the workspace had not. */
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Observations gone from the server (or the filters) without local changes: dropped. */
  removed: z.number().int(),
  /** Local changes kept (CA/JDD fields, reassignments, JDD created here). */
  keptLocal: z.number().int(),
  conflicts: z.array(Conflict),
});
export type MergeReport = z.infer<typeof MergeReport>;

export const PullReport = z.object({
  path: z.string(),
  /** True for a new workspace, false for a re-pull merged into an existing one. */
  created: z.boolean(),
  observations: z.number().int(),
  frameworks: z.number().int(),
  datasets: z.number().int(),
  taxa: z.number().int(),
  nomenclatures: z.number().int(),
  areas: z.number().int(),
  sensitivityRules: z.number().int(),
  localSrid: z.number().int(),
  geonatureVersion: z.string().nullable(),
  filters: PullFilters,
  pulledAt: IsoDateTime,
  merge: MergeReport.nullable(),
});
export type PullReport = z.infer<typeof PullReport>;

/** A CA/JDD field value: text, ISO date, boolean, SINP code (nomenclature) or CA UUID. */
export const MetaValue = z.union([z.string(), z.boolean(), z.null()]);

export const MetaEntity = z.enum(['framework', 'dataset']);

/** One entry of the workspace's change journal. */
export const ChangeRecord = z.object({
  id: z.number().int(),
  at: IsoDateTime,
  actor: z.string(),
  /** edit: one field (scalar or list) of a CA/JDD; create_*: a CA/JDD made here; reassign: observations moved to a JDD. */
  kind: z.enum(['edit', 'create_dataset', 'create_framework', 'reassign']),
  entity: ConflictEntity,
  uuid: z.string(),
  field: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  state: z.enum(['pending', 'pushed', 'discarded']),
});
export type ChangeRecord = z.infer<typeof ChangeRecord>;

/** Where a workspace came from (passerelle_meta), for the user and for push. */
export const Provenance = z.object({
  server: z.string(),
  database: z.string(),
  user: z.string(),
  geonatureVersion: z.string().nullable(),
  localSrid: z.number().int(),
  filters: PullFilters,
  pulledAt: IsoDateTime,
  pulls: z.number().int(),
});
export type Provenance = z.infer<typeof Provenance>;

/** A CA or JDD as the workspace holds it, with its local state. */
export const WorkspaceMetaRecord = z.object({
  entity: MetaEntity,
  uuid: z.string(),
  name: z.string(),
  /** Field values by name (shared/domain/metadata.ts); nomenclatures as codes. */
  values: z.record(z.string(), MetaValue),
  /** Labels of the nomenclature fields, by name. */
  labels: z.record(z.string(), z.string().nullable()),
  /** server: as pulled; modified: edited here; created: made here, not on the server yet. */
  status: z.enum(['server', 'modified', 'created']),
  observations: z.number().int(),
});
export type WorkspaceMetaRecord = z.infer<typeof WorkspaceMetaRecord>;

export const WorkspaceGeoNature = z.object({
  path: z.string(),
  formatVersion: z.number().int(),
  provenance: Provenance.nullable(),
  frameworks: z.array(WorkspaceMetaRecord),
  datasets: z.array(WorkspaceMetaRecord),
  pendingChanges: z.number().int(),
  conflicts: z.array(Conflict),
});
export type WorkspaceGeoNature = z.infer<typeof WorkspaceGeoNature>;

/** One field a push would write (a table row in the review screen). */
export const PushDiffRow = z.object({
  entity: MetaEntity,
  uuid: z.string(),
  name: z.string(),
  action: z.enum(['update', 'insert']),
  field: z.string(),
  /** The value on the server now. */
  server: z.unknown(),
  /** The value the push writes. */
  local: z.unknown(),
  /** The server's value when the workspace was pulled. */
  base: z.unknown(),
  conflict: z.boolean(),
});
export type PushDiffRow = z.infer<typeof PushDiffRow>;

/** Observations a push moves from one JDD to another. */
export const PushMove = z.object({
  from: z.string().nullable(),
  fromName: z.string().nullable(),
  to: z.string(),
  toName: z.string(),
  observations: z.number().int(),
});

export const PushConflict = z.object({
  entity: ConflictEntity,
  uuid: z.string(),
  label: z.string(),
  field: z.string(),
  base: z.unknown(),
  local: z.unknown(),
  server: z.unknown(),
});
export type PushConflict = z.infer<typeof PushConflict>;

export const PushReport = z.object({
  target: z.string(),
  dryRun: z.boolean(),
  /** True when the changes are now in the database (never with dryRun, never with conflicts). */
  applied: z.boolean(),
  rows: z.array(PushDiffRow),
  moves: z.array(PushMove),
  conflicts: z.array(PushConflict),
  /** Journal entries the push covers. */
  changes: z.number().int(),
  pushedAt: IsoDateTime.nullable(),
});
export type PushReport = z.infer<typeof PushReport>;
