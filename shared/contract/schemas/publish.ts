import { z } from 'zod';
import { PUBLISH_TARGETS, PublishProfile, PublishProfileName, UdataFrequency } from '../../publish/profiles.js';
import { PUBLISH_STEPS } from '../../publish/plan.js';
import { AbsolutePath } from './common.js';
import { GateReport } from './bundle.js';

/**
 * Schemas of the publish domain (issue 9): profiles, a publication (or its dry run) with every
 * HTTP call, the history kept in the workspace, the landing page and the DCAT feed. The publish
 * step of the export wizard is built from these.
 */

/** A profile as listed, with where its secret lives. */
export const ListedPublishProfile = z.object({
  profile: PublishProfile,
  builtin: z.boolean(),
  /** The `secrets.get`/`secrets.set` key of its API key (udata) or password (GeoNetwork). */
  secretKey: z.string(),
  /** The environment variable the CLI reads the secret from. */
  envVariable: z.string(),
  /** What keeps it from being used (a GeoNetwork profile without a user…). */
  problems: z.array(z.object({ code: z.string(), message: z.string() })),
});
export const PublishProfileList = z.object({ profiles: z.array(ListedPublishProfile), file: z.string() });
export type PublishProfileList = z.infer<typeof PublishProfileList>;

/** A saved (or built-in) profile by name, or a whole profile given for this call. */
export const PublishProfileChoice = z.union([z.object({ name: PublishProfileName }).strict(), z.object({ profile: PublishProfile }).strict()]);
export type PublishProfileChoice = z.infer<typeof PublishProfileChoice>;

/**
 * The secret of one call, never stored by the engine: the app reads it from the keyring
 * (`secrets.get` with the profile's `secretKey`), the CLI from `PASSERELLE_UDATA_API_KEY` /
 * `PASSERELLE_GEONETWORK_PASSWORD`. Not needed for a dry run.
 */
export const PublishCredentials = z
  .object({
    apiKey: z.string().min(1).max(2000).optional(),
    password: z.string().min(1).max(2000).optional(),
  })
  .strict();

const HttpUrl = z.string().regex(/^https?:\/\/[^\s/]+/i, { message: 'must be an http(s) URL' });

/** What a publication (and its dry run, and the explicit publish step) is given. */
export const PublishInput = {
  /** The bundle (folder or zip), which the gate checks again just before anything is sent. */
  bundle: AbsolutePath,
  /** The workspace it was built from: the gate needs it, and the history is kept in it. */
  workspace: AbsolutePath,
  /** The referential files the bundle was built with (for the gate). */
  referentials: z.array(AbsolutePath).default([]),
  taxonomy: AbsolutePath.optional(),
  profile: PublishProfileChoice,
  credentials: PublishCredentials.default({}),
  /** List every call without sending any (no network at all). @default false */
  dryRun: z.boolean().default(false),
  /** udata: the update frequency, instead of the profile's. */
  frequency: UdataFrequency.optional(),
  /** Where the park serves the bundle folder: makes the ISO record's download links absolute. */
  hostedAt: HttpUrl.optional(),
  /** udata: create a new dataset even though this bundle was published at this portal before. @default false */
  newDataset: z.boolean().default(false),
};

/** One HTTP call, planned (dry run: `status` null, ids as `{dataset}`, `{resource:<path>}`) or made. Secrets masked. */
export const PublishCall = z.object({
  step: z.enum(PUBLISH_STEPS),
  method: z.enum(['GET', 'POST', 'PUT', 'DELETE']),
  url: z.string(),
  headers: z.record(z.string(), z.string()),
  body: z.union([
    z.object({ kind: z.literal('none') }),
    z.object({ kind: z.literal('json'), json: z.unknown() }),
    z.object({
      kind: z.literal('multipart'),
      fields: z.record(z.string(), z.string()),
      file: z.object({ name: z.string(), bytes: z.number().int(), sha256: z.string().nullable() }).nullable(),
    }),
    z.object({ kind: z.literal('xml'), file: z.string(), bytes: z.number().int(), sha256: z.string() }),
  ]),
  file: z.string().nullable(),
  status: z.number().int().nullable(),
  attempts: z.number().int(),
  ms: z.number().nullable(),
});
export type PublishCallView = z.infer<typeof PublishCall>;

/** What happens to one bundle file at the portal. */
export const PublishResourceView = z.object({
  path: z.string(),
  title: z.string(),
  type: z.enum(['main', 'documentation', 'metadata']),
  /** upload (new), replace (same resource id, new file), keep (same SHA-256 as sent before), delete (file no longer in the bundle), record (GeoNetwork). */
  action: z.enum(['upload', 'replace', 'keep', 'delete', 'record']),
  resourceId: z.string().nullable(),
  url: z.string().nullable(),
  bytes: z.number().int(),
  sha256: z.string().nullable(),
  chunks: z.number().int(),
  /** The checksum the portal computed, checked against the file's (null when planned or not returned). */
  portalChecksum: z.object({ type: z.string(), value: z.string() }).nullable(),
});
export type PublishResourceView = z.infer<typeof PublishResourceView>;

/** A publication, its dry run, or the explicit publish step. */
export const PublishRun = z.object({
  dryRun: z.boolean(),
  /** `upload` (publish.run: private) or `make-public` (publish.makePublic). */
  step: z.enum(['upload', 'make-public']),
  target: z.enum(PUBLISH_TARGETS),
  profile: z.string(),
  baseUrl: z.string(),
  bundle: z.object({ path: z.string(), id: z.string(), version: z.string(), asOf: z.string(), title: z.string() }),
  /** The gate, run just before sending anything. */
  gate: GateReport,
  /** True when nothing was (or would be) sent: the gate did not pass, or a problem below. */
  refused: z.boolean(),
  problems: z.array(z.object({ code: z.string(), message: z.string() })),
  /** create (new dataset), update (same dataset), record (GeoNetwork insert or update), make-public, none. */
  action: z.enum(['create', 'update', 'record', 'make-public', 'none']),
  remote: z.object({
    id: z.string().nullable(),
    slug: z.string().nullable(),
    page: z.string().nullable(),
    /** Visibility after the call (the planned one for a dry run). */
    visibility: z.enum(['private', 'public']).nullable(),
    /** GeoNetwork: whether the record existed before (null when unknown: dry run without history). */
    existed: z.boolean().nullable(),
  }),
  resources: z.array(PublishResourceView),
  calls: z.array(PublishCall),
  /** The history entry of this publication (null for a dry run or a refusal). */
  publicationId: z.number().int().nullable(),
});
export type PublishRun = z.infer<typeof PublishRun>;

export const PublishEventView = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  kind: z.enum(['upload', 'make-public', 'record']),
  bundlePath: z.string(),
  version: z.string(),
  asOf: z.string(),
  /** done; partial (stopped midway: the next run goes on with the same dataset); failed (nothing changed). */
  status: z.enum(['done', 'partial', 'failed']),
  message: z.string().nullable(),
  calls: z.number().int(),
  resources: z.array(z.object({ path: z.string(), resourceId: z.string().nullable(), action: z.string() })),
});

/** A dataset (udata) or record (GeoNetwork) a bundle of this workspace was published as. */
export const PublishedTarget = z.object({
  id: z.number().int(),
  target: z.enum(PUBLISH_TARGETS),
  profile: z.string(),
  baseUrl: z.string(),
  bundleId: z.string(),
  remoteId: z.string(),
  slug: z.string().nullable(),
  page: z.string().nullable(),
  visibility: z.enum(['private', 'public']),
  createdAt: z.string(),
  madePublicAt: z.string().nullable(),
  lastVersion: z.string().nullable(),
  lastPublishedAt: z.string().nullable(),
  /** A newer dataset was made for the same bundle at the same portal (`newDataset`): this one is no longer updated. */
  supersededAt: z.string().nullable(),
  resources: z.array(
    z.object({ path: z.string(), resourceId: z.string(), url: z.string().nullable(), sha256: z.string().nullable(), bytes: z.number().int(), version: z.string(), updatedAt: z.string() }),
  ),
  events: z.array(PublishEventView),
});
export type PublishedTarget = z.infer<typeof PublishedTarget>;

export const PublishHistory = z.object({ workspace: z.string(), targets: z.array(PublishedTarget) });
export type PublishHistory = z.infer<typeof PublishHistory>;

/** The landing page written into a bundle. */
export const LandingResult = z.object({
  path: z.string(),
  zip: z.boolean(),
  files: z.array(z.object({ path: z.string(), bytes: z.number().int(), sha256: z.string() })),
  /** The schema.org Dataset embedded in the page. */
  jsonLd: z.record(z.string(), z.unknown()),
  /** What Google Dataset Search would miss (empty: nothing). */
  problems: z.array(z.string()),
  /** The preview: its size, how many points and areas it draws, and the box it shows (lon/lat). */
  map: z
    .object({
      width: z.number().int(),
      height: z.number().int(),
      points: z.number().int(),
      areas: z.number().int(),
      box: z.object({ west: z.number(), south: z.number(), east: z.number(), north: z.number() }),
    })
    .nullable(),
});
export type LandingResult = z.infer<typeof LandingResult>;

/** The DCAT feed written or updated. */
export const FeedResult = z.object({ path: z.string(), datasetId: z.string(), datasets: z.number().int() });
export type FeedResult = z.infer<typeof FeedResult>;
