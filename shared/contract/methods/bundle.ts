import { z } from 'zod';
import { BundlePreset, PresetName } from '../../bundle/presets.js';
import { AbsolutePath } from '../schemas/common.js';
import { BuildResult, BuildSources, BundleDiff, BundlePresetList, BundlePreview, GateReport } from '../schemas/bundle.js';
import { job, method, type MethodSpec } from './define.js';

/**
 * The bundle domain (issue 7): export bundles per audience — data (GeoPackage, CSV, GeoJSON,
 * Darwin Core Archive), metadata, licence and provenance — reproducible, versioned, and verified
 * by the gate before anything is published. The export wizard is built from these methods:
 * presets (list, save, delete), a preview (counts, files, licence per target), the build (a job
 * with progress and cancel, which runs the gate), the gate on any bundle, and the difference
 * between two bundles.
 */
export const bundleMethods = {
  /** The presets: the three audiences' built-in ones (as adjusted) and the user's, from PASSERELLE_HOME. */
  'bundle.presets': method(z.object({}).strict(), BundlePresetList),
  /** Saves a preset (adds, or replaces the one of that name); a built-in name saves an adjustment. */
  'bundle.savePreset': method(z.object({ preset: BundlePreset }).strict(), BundlePresetList),
  /** Deletes a saved preset (a built-in one returns to its defaults). */
  'bundle.deletePreset': method(z.object({ name: PresetName }).strict(), BundlePresetList),
  /**
   * What a build would publish, nothing written: counts (precise, generalised by level, withheld
   * by reason, non-public left out), unmatched taxa, the files, the licence as each target sees
   * it, and what would stop the build.
   */
  'bundle.preview': job({ ...BuildSources }, BundlePreview, { uses: ['workspace'], grants: ['referentials', 'taxonomy'] }),
  /**
   * Builds a bundle at `out` (a folder, or a `.zip`): written in a temporary folder, checked by the
   * gate, then renamed into place (`written: false` and nothing in place when the gate fails). A
   * bundle already at `out` (or at `previous`) is the previous version: same content keeps its
   * version, changed content gets the next one and a changelog by observation UUID.
   */
  'bundle.build': job(
    {
      ...BuildSources,
      out: AbsolutePath,
      previous: AbsolutePath.optional(),
      /** Run the gate before putting the bundle in place. @default true */
      verify: z.boolean().default(true),
    },
    BuildResult,
    { grants: ['out', 'previous', 'referentials', 'taxonomy'], uses: ['workspace'] },
  ),
  /**
   * The gate on a bundle (folder or zip, built here or elsewhere). With the workspace it was built
   * from (and its referential files), also recomputes the sensitivity decisions and scans every
   * byte for precise coordinates; without, those checks are skipped and the verdict is `incomplete`.
   */
  'bundle.verify': job(
    { path: AbsolutePath, workspace: AbsolutePath.optional(), referentials: z.array(AbsolutePath).default([]), taxonomy: AbsolutePath.optional() },
    GateReport,
    // The bundle and its referential files are what the user chose to check (built here or elsewhere).
    { grants: ['path', 'referentials', 'taxonomy'], uses: ['workspace'] },
  ),
  /** Two bundles compared: files by checksum, observations by UUID (added, removed, changed). */
  'bundle.diff': job({ old: AbsolutePath, new: AbsolutePath }, BundleDiff, { grants: ['old', 'new'] }),
} as const satisfies Record<string, MethodSpec>;
