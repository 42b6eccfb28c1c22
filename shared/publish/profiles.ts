/**
 * Publishing targets and profiles (issue 9).
 *
 * A profile says where a bundle goes: a portal speaking data.gouv.fr's udata API v1 (data.gouv.fr
 * itself, its demo instance, a regional portal such as DataSud), or a GeoNetwork catalogue (records
 * API). It holds everything but the secret: the API key (udata) or the password (GeoNetwork) is kept
 * by the app in the system keyring under {@link secretKeyFor} (`secrets.set`), or read from
 * {@link ENV_SECRET} in the CLI, and passed per call; it is never written in a profile, a bundle, the
 * workspace or the log. Pure: the UI uses the same schema and the same checks as the engine.
 */
import { z } from 'zod';

/** What a profile publishes to. */
export const PUBLISH_TARGETS = ['datagouv', 'geonetwork'] as const;
export const PublishTarget = z.enum(PUBLISH_TARGETS);
export type PublishTarget = z.infer<typeof PublishTarget>;

/**
 * udata update frequencies Passerelle offers: the ones both the legacy list and the newer EU
 * vocabulary of udata accept (standards-reference.md §4; `GET /api/1/datasets/frequencies/` is
 * authoritative on a given portal).
 */
export const UDATA_FREQUENCIES = ['unknown', 'punctual', 'continuous', 'daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual', 'biennial', 'irregular'] as const;
export const UdataFrequency = z.enum(UDATA_FREQUENCIES);
export type UdataFrequency = z.infer<typeof UdataFrequency>;

/** A profile name: ASCII letters, digits, spaces and `._-` (it is part of the keyring entry's name). */
export const PublishProfileName = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, { message: 'ASCII letters, digits, spaces, dots, dashes and underscores only' });

const HttpUrl = z
  .string()
  .min(1)
  .max(2000)
  .refine((u) => /^https?:\/\/[^\s/]+/i.test(u), { message: 'must be an http(s) URL' });

/** Smallest and default chunk of a chunked upload (bytes). */
export const MIN_CHUNK = 64 * 1024;
export const DEFAULT_CHUNK = 8 * 1024 * 1024;

/** Where a bundle is published, without any secret. */
export const PublishProfile = z
  .object({
    name: PublishProfileName,
    target: PublishTarget,
    /**
     * The API root: `https://www.data.gouv.fr/api/1` for a udata portal,
     * `https://catalogue.example.fr/geonetwork/srv/api` for a GeoNetwork.
     */
    baseUrl: HttpUrl,
    /** udata: the organisation the dataset is created for (its id); null: the API key's user. */
    organization: z.string().min(1).max(100).nullable().default(null),
    /** udata: the update frequency announced (a call may override it). @default 'irregular' */
    frequency: UdataFrequency.default('irregular'),
    /** udata: GeoZone ids of the spatial coverage (`fr:departement:05`…); empty: none declared. */
    zones: z.array(z.string().min(1).max(100)).max(50).default([]),
    /** udata: files larger than this go in chunks of this size (bytes). */
    chunkSize: z.number().int().min(MIN_CHUNK).max(1 << 30).default(DEFAULT_CHUNK),
    /** GeoNetwork: the user name (the password is a secret). */
    user: z.string().min(1).max(200).nullable().default(null),
    /** GeoNetwork: the group id records are inserted in; null: the user's default. */
    group: z.string().min(1).max(100).nullable().default(null),
    /**
     * The HTTP(S) proxy: null follows the environment (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`),
     * `direct` uses none, anything else is the proxy's URL (credentials in it are masked in logs).
     */
    proxy: z.string().min(1).max(2000).nullable().default(null),
    /** A PEM file of certificate authorities to trust besides the system's (a park's TLS-inspecting proxy). */
    caFile: z.string().min(1).max(4000).nullable().default(null),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.proxy !== null && p.proxy !== 'direct' && !/^https?:\/\/[^\s/]+/i.test(p.proxy)) {
      ctx.addIssue({ code: 'custom', path: ['proxy'], message: 'must be "direct" or an http(s) URL' });
    }
    if (p.caFile !== null && !(p.caFile.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p.caFile))) {
      ctx.addIssue({ code: 'custom', path: ['caFile'], message: 'must be an absolute path' });
    }
  });
export type PublishProfile = z.output<typeof PublishProfile>;
export type PublishProfileInput = z.input<typeof PublishProfile>;

/** The profiles every installation has (their base URL cannot be changed; save another name instead). */
export const BUILTIN_PROFILES: readonly PublishProfile[] = [
  PublishProfile.parse({ name: 'datagouv', target: 'datagouv', baseUrl: 'https://www.data.gouv.fr/api/1' }),
  PublishProfile.parse({ name: 'datagouv-demo', target: 'datagouv', baseUrl: 'https://demo.data.gouv.fr/api/1' }),
];

/** The keyring entry (`secrets.get`/`secrets.set` key) of a profile's API key or password. */
export const secretKeyFor = (profile: string): string => `publish:${profile}`;

/** The environment variable the CLI reads the secret from, per target. */
export const ENV_SECRET: Readonly<Record<PublishTarget, string>> = {
  datagouv: 'PASSERELLE_UDATA_API_KEY',
  geonetwork: 'PASSERELLE_GEONETWORK_PASSWORD',
};

/** A base URL without its trailing slashes: the key publications are remembered under. */
export const normaliseBaseUrl = (url: string): string => url.trim().replace(/\/+$/, '');

/** What is wrong with a profile for its target (empty: usable). English; `code` is stable. */
export function profileProblems(p: PublishProfile): { code: 'geonetwork-user' | 'datagouv-user'; message: string }[] {
  const out: { code: 'geonetwork-user' | 'datagouv-user'; message: string }[] = [];
  if (p.target === 'geonetwork' && p.user === null) out.push({ code: 'geonetwork-user', message: 'a GeoNetwork profile needs a user name' });
  if (p.target === 'datagouv' && p.user !== null) out.push({ code: 'datagouv-user', message: 'a udata profile authenticates with an API key, not a user name' });
  return out;
}
