import { userInfo } from 'node:os';
import { BundlePreset, presetProblems } from '../../../shared/bundle/presets.js';
import type { Parsed } from '../../../shared/contract/index.js';
import type { CallContext, Handlers } from '../dispatch.js';
import { AppError } from '../errors.js';
import { deletePreset, getPreset, listPresets, presetsPath, publicPreset, savePreset } from '../bundle/presets-store.js';
import { workspaceToRead } from '../workspace/demo-copy.js';
import type { HandlerDeps } from './deps.js';
import { runAsJob } from './workspace.js';

type BundleHandlers = Pick<Handlers, 'bundle.presets' | 'bundle.savePreset' | 'bundle.deletePreset' | 'bundle.preview' | 'bundle.build' | 'bundle.verify' | 'bundle.diff'>;

/** Who builds (the OS user: Passerelle has no accounts of its own). */
function operator(): string {
  try {
    return userInfo().username || 'passerelle';
  } catch {
    return 'passerelle';
  }
}

/**
 * The preset of a build: a saved one by name, or the wizard's whole preset (whose pseudonym key,
 * never sent to the UI, comes from the saved preset of the same name), with the convention and
 * the producer's agreement given for this build. Refused when it cannot make a bundle.
 */
function resolvePreset(home: string, input: Parsed<'bundle.build'> | Parsed<'bundle.preview'>): BundlePreset {
  let preset: BundlePreset;
  if ('name' in input.preset) preset = getPreset(home, input.preset.name);
  else {
    const given = input.preset.preset;
    let key = given.pseudonymKey;
    if (!key) {
      try {
        key = getPreset(home, given.name).pseudonymKey;
      } catch {
        key = null;
      }
    }
    preset = { ...given, pseudonymKey: key };
  }
  preset = BundlePreset.parse({
    ...preset,
    ...(input.conventionReference ? { conventionReference: input.conventionReference } : {}),
    ...(input.producerAgreement ? { producerAgreement: input.producerAgreement } : {}),
  });
  const problems = presetProblems(preset);
  if (problems.length > 0) {
    const issues = problems.map((p) => p.message).join('; ');
    throw new AppError('INVALID_INPUT', `Bundle preset "${preset.name}": ${issues}`, { key: 'errors.BUNDLE_PRESET_INVALID', params: { name: preset.name, issues } });
  }
  return preset;
}

/** Path lists are not checked by the dispatcher (it checks single paths): each must be allowed. */
function checkPaths(ctx: CallContext, paths: readonly string[]): void {
  for (const p of paths) {
    if (!ctx.paths.allows(p)) {
      throw new AppError('PATH_NOT_ALLOWED', `${p} was not opened or chosen by the user in this session`, { key: 'errors.PATH_NOT_ALLOWED', params: { path: p }, where: p });
    }
  }
}

/**
 * The bundle domain. Presets are quick reads and writes of PASSERELLE_HOME/bundle-presets.json
 * (pseudonym keys never leave the engine); preview, build, verify and diff run as jobs. A bundle
 * only reads its workspace: "the demo" is the demo's working copy in PASSERELLE_HOME once a
 * command wrote to it (workspace/demo-copy.ts), else the bundled file, read-only.
 */
export function bundleHandlers(deps: HandlerDeps): BundleHandlers {
  const list = () => ({
    presets: listPresets(deps.home).map((p) => ({ ...p, preset: publicPreset(p.preset) })),
    file: presetsPath(deps.home),
  });
  return {
    'bundle.presets': async () => list(),
    'bundle.savePreset': async (input) => {
      await savePreset(deps.home, input.preset);
      return list();
    },
    'bundle.deletePreset': async (input) => {
      await deletePreset(deps.home, input.name);
      return list();
    },
    'bundle.preview': (input, ctx) => {
      checkPaths(ctx, input.referentials);
      const preset = resolvePreset(deps.home, input);
      return runAsJob(deps, ctx, 'bundle.preview', 'bundle.preview', {
        workspace: workspaceToRead(input.workspace, deps.home, deps.demoPath),
        preset,
        referentials: input.referentials,
        taxonomy: input.taxonomy ?? null,
        asOf: input.asOf ?? null,
      });
    },
    'bundle.build': (input, ctx) => {
      checkPaths(ctx, input.referentials);
      const preset = resolvePreset(deps.home, input);
      return runAsJob(deps, ctx, 'bundle.build', 'bundle.build', {
        workspace: workspaceToRead(input.workspace, deps.home, deps.demoPath),
        preset,
        referentials: input.referentials,
        taxonomy: input.taxonomy ?? null,
        asOf: input.asOf ?? null,
        out: input.out,
        previous: input.previous ?? null,
        verify: input.verify,
        operator: operator(),
      });
    },
    'bundle.verify': (input, ctx) => {
      checkPaths(ctx, input.referentials);
      return runAsJob(deps, ctx, 'bundle.verify', 'bundle.verify', {
        path: input.path,
        workspace: input.workspace ? workspaceToRead(input.workspace, deps.home, deps.demoPath) : null,
        referentials: input.referentials,
        taxonomy: input.taxonomy ?? null,
      });
    },
    'bundle.diff': (input, ctx) => runAsJob(deps, ctx, 'bundle.diff', 'bundle.diff', { old: input.old, new: input.new }),
  };
}
