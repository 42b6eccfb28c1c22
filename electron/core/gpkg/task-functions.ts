import type { GpkgInfo, ValidationReport } from '../../../shared/contract/index.js';
import type { JobContext } from '../jobs/context.js';
import { inspectGpkg } from './inspect.js';
import { withGpkgSource } from './source.js';
import { validateGpkg } from './validate/validate.js';
import { openGpkgSource } from './source.js';
import { sqliteError } from './open.js';

/** Describes a GeoPackage (the `gpkg.open` / `gpkg.inspect` job). */
export async function inspectTask(input: { path: string }, ctx: JobContext): Promise<GpkgInfo> {
  ctx.progress(0, null, 'open');
  return withGpkgSource(input.path, (src) => inspectGpkg(src));
}

/** Validates a GeoPackage (the `gpkg.validate` job), with progress per 500 features and cancel. */
export async function validateTask(input: { path: string; geometry: boolean; maxPerRule: number }, ctx: JobContext): Promise<ValidationReport> {
  const src = openGpkgSource(input.path);
  try {
    return await validateGpkg(src, { geometry: input.geometry, maxPerRule: input.maxPerRule }, { checkpoint: () => ctx.checkpoint(), progress: (d, t, m) => ctx.progress(d, t, m) });
  } catch (e) {
    throw sqliteError(e, input.path);
  } finally {
    src.close();
  }
}
