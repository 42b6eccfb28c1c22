import { userInfo } from 'node:os';
import type { Parsed } from '../../../shared/contract/index.js';
import { PublishProfile } from '../../../shared/publish/profiles.js';
import type { CallContext, Handlers } from '../dispatch.js';
import { AppError } from '../errors.js';
import { readHistory } from '../publish/history.js';
import type { NetworkOptions } from '../publish/http.js';
import { deleteProfile, getProfile, listProfiles, saveProfile } from '../publish/profiles-store.js';
import type { PublishTaskInput } from '../publish/publish.js';
import { workspaceToRead, workspaceToWrite } from '../workspace/demo-copy.js';
import type { HandlerDeps } from './deps.js';
import { runAsJob } from './workspace.js';

type PublishHandlers = Pick<Handlers, 'publish.profiles' | 'publish.saveProfile' | 'publish.deleteProfile' | 'publish.run' | 'publish.makePublic' | 'publish.history' | 'publish.landing' | 'publish.feed'>;

function actor(): string {
  try {
    return userInfo().username || 'passerelle';
  } catch {
    return 'passerelle';
  }
}

/** The environment variables the network needs (never the whole environment: it may hold secrets). */
const NETWORK_ENV = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'NODE_EXTRA_CA_CERTS'] as const;

/** How to reach the profile's portal: its proxy and CA, else the environment's (`PASSERELLE_CA_FILE` for the CA). */
export function networkFor(profile: PublishProfile, env: NodeJS.ProcessEnv): NetworkOptions {
  const picked: Record<string, string | undefined> = {};
  for (const k of NETWORK_ENV) if (env[k]) picked[k] = env[k];
  const base = Number(env.PASSERELLE_PUBLISH_RETRY_BASE_MS);
  return {
    proxy: profile.proxy === 'direct' ? '' : profile.proxy,
    env: picked,
    caFile: profile.caFile ?? (env.PASSERELLE_CA_FILE || null),
    ...(Number.isFinite(base) && base >= 0 && env.PASSERELLE_PUBLISH_RETRY_BASE_MS ? { retryBaseMs: base } : {}),
  };
}

/**
 * The publish domain. Profiles are quick reads and writes of PASSERELLE_HOME/publish-profiles.json;
 * publications, the landing page and the feed run as jobs. The gate reads the workspace (the demo's
 * working copy once it exists); the history is written to it (to the demo's working copy, made then,
 * for the demo), never during a dry run.
 */
export function publishHandlers(deps: HandlerDeps): PublishHandlers {
  const resolveProfile = (choice: Parsed<'publish.run'>['profile']): PublishProfile => ('name' in choice ? getProfile(deps.home, choice.name) : PublishProfile.parse(choice.profile));
  const taskInput = (input: Parsed<'publish.run'>, ctx: CallContext, step: 'upload' | 'make-public'): PublishTaskInput => {
    for (const p of input.referentials) {
      if (!ctx.paths.allows(p)) {
        throw new AppError('PATH_NOT_ALLOWED', `${p} was not opened or chosen by the user in this session`, { key: 'errors.PATH_NOT_ALLOWED', params: { path: p }, where: p });
      }
    }
    const profile = resolveProfile(input.profile);
    const historyFile = input.dryRun ? null : workspaceToWrite(input.workspace, deps.home, deps.demoPath);
    return {
      step,
      bundle: input.bundle,
      workspace: historyFile ?? workspaceToRead(input.workspace, deps.home, deps.demoPath),
      historyFile,
      referentials: input.referentials,
      taxonomy: input.taxonomy ?? null,
      profile,
      credentials: input.credentials,
      dryRun: input.dryRun,
      frequency: input.frequency ?? null,
      hostedAt: input.hostedAt ?? null,
      newDataset: input.newDataset,
      network: networkFor(profile, deps.env),
      actor: actor(),
    };
  };
  return {
    'publish.profiles': async () => listProfiles(deps.home),
    'publish.saveProfile': (input) => saveProfile(deps.home, input.profile),
    'publish.deleteProfile': (input) => deleteProfile(deps.home, input.name),
    'publish.run': (input, ctx) => runAsJob(deps, ctx, 'publish.run', 'publish.run', taskInput(input, ctx, 'upload')),
    'publish.makePublic': (input, ctx) => runAsJob(deps, ctx, 'publish.makePublic', 'publish.run', taskInput(input, ctx, 'make-public')),
    'publish.history': async (input) => {
      const file = workspaceToRead(input.workspace, deps.home, deps.demoPath);
      return { workspace: file, targets: readHistory(file, input.bundleId ?? null) };
    },
    'publish.landing': (input, ctx) => runAsJob(deps, ctx, 'publish.landing', 'publish.landing', { bundle: input.bundle, hostedAt: input.hostedAt ?? null }),
    'publish.feed': (input, ctx) =>
      runAsJob(deps, ctx, 'publish.feed', 'publish.feed', {
        bundle: input.bundle,
        out: input.out,
        hostedAt: input.hostedAt,
        title: input.title ?? null,
        workspace: input.workspace ? workspaceToRead(input.workspace, deps.home, deps.demoPath) : null,
      }),
  };
}
