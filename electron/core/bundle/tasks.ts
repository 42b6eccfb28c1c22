import type { BuildResult, BundleDiff, BundlePreview, GateReport } from '../../../shared/contract/schemas/bundle.js';
import type { Task, TaskLoaders } from '../jobs/task-types.js';
import type { BuildTaskInput } from './build.js';
import type { VerifyInput } from './verify.js';

/** The bundle domain's long tasks (they read whole workspaces and write big files: job processes). */
export interface BundleTasks {
  'bundle.preview': Task<Omit<BuildTaskInput, 'out' | 'previous' | 'verify' | 'operator'>, BundlePreview>;
  'bundle.build': Task<BuildTaskInput, BuildResult>;
  'bundle.verify': Task<VerifyInput, GateReport>;
  'bundle.diff': Task<{ old: string; new: string }, BundleDiff>;
}

export const bundleTaskLoaders: TaskLoaders<BundleTasks> = {
  'bundle.preview': async () => (await import('./build.js')).previewTask,
  'bundle.build': async () => (await import('./build.js')).buildBundleTask,
  'bundle.verify': async () => (await import('./verify.js')).verifyTask,
  'bundle.diff': async () => (await import('./diff.js')).diffBundlesTask,
};
