import { z } from 'zod';
import { PublishProfile, PublishProfileName } from '../../publish/profiles.js';
import { AbsolutePath } from '../schemas/common.js';
import { FeedResult, LandingResult, PublishHistory, PublishInput, PublishProfileList, PublishRun } from '../schemas/publish.js';
import { job, method, type MethodSpec } from './define.js';

const HttpUrl = z.string().regex(/^https?:\/\/[^\s/]+/i, { message: 'must be an http(s) URL' });

/**
 * The publish domain (issue 9): a bundle that passes the gate goes to data.gouv.fr (or any udata
 * portal, a profile with its own base URL) as a private dataset, its ISO record to a GeoNetwork;
 * making it public is a separate, explicit step; the history in the workspace sends the next
 * version to the same dataset. The publish step of the wizard is built from these: profiles (the
 * secret is in the keyring under each profile's `secretKey`, passed per call in `credentials`),
 * the dry run (`dryRun: true`: every call listed, nothing sent), the run (a job: `job.progress`
 * carries each file's progress, see shared/publish/progress.ts), the explicit publish step, the
 * history, the landing page and the DCAT feed.
 */
export const publishMethods = {
  /** Profiles: the built-in ones (data.gouv.fr and its demo instance) and the saved ones (PASSERELLE_HOME/publish-profiles.json). */
  'publish.profiles': method(z.object({}).strict(), PublishProfileList),
  /** Saves a profile (adds, or replaces the one of that name; a built-in name is refused). Never a secret. */
  'publish.saveProfile': method(z.object({ profile: PublishProfile }).strict(), PublishProfileList),
  /** Deletes a saved profile (its keyring entry is the app's to forget, with `secrets.set(secretKey, null)`). */
  'publish.deleteProfile': method(z.object({ name: PublishProfileName }).strict(), PublishProfileList),
  /**
   * Publishes a bundle, private: the gate runs again first (nothing is sent unless it passes), then
   * a udata dataset is created (`private: true`) or, when the history knows it, updated (resources
   * replaced, changelog added to the description, its visibility kept); or the ISO 19139 record is
   * inserted or updated in a GeoNetwork (not published to all). Writes the history as it goes.
   * `dryRun`: the same plan, every call listed, no network.
   */
  'publish.run': job(PublishInput, PublishRun, { uses: ['bundle', 'workspace', 'taxonomy'] }),
  /**
   * The explicit publish step: makes the dataset (or record) this bundle was published as public.
   * Only a version already sent completely, and the gate runs again. `dryRun` lists the call.
   */
  'publish.makePublic': job(PublishInput, PublishRun, { uses: ['bundle', 'workspace', 'taxonomy'] }),
  /** Where the bundles of a workspace went: datasets and records, their resource ids, every publication. */
  'publish.history': method(z.object({ workspace: AbsolutePath, bundleId: z.string().min(1).optional() }).strict(), PublishHistory, { uses: ['workspace'] }),
  /**
   * Writes the landing page into a bundle (folder or zip): `index.html` (schema.org Dataset JSON-LD,
   * README, licence, downloads) and `preview.png` (map of the published geometries only), added to
   * the bundle's checksums so it still passes the gate. `hostedAt` makes the JSON-LD's URLs absolute.
   */
  'publish.landing': job({ bundle: AbsolutePath, hostedAt: HttpUrl.optional() }, LandingResult, { uses: ['bundle'] }),
  /**
   * Adds the bundle's DCAT dataset (download URLs under `hostedAt`) to a DCAT catalogue file the
   * park hosts for harvesters (JSON-LD), replacing its previous version there.
   */
  'publish.feed': job(
    { bundle: AbsolutePath, out: AbsolutePath, hostedAt: HttpUrl, title: z.string().min(1).max(300).optional(), workspace: AbsolutePath.optional() },
    FeedResult,
    { grants: ['out'], uses: ['bundle', 'workspace'] },
  ),
} as const satisfies Record<string, MethodSpec>;
