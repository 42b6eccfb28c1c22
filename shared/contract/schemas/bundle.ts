import { z } from 'zod';
import { GATE_CHECKS } from '../../bundle/gate.js';
import { BundlePreset, TARGETS } from '../../bundle/presets.js';
import { LICENCE_IDS } from '../../metadata/licences.js';
import { AbsolutePath, IsoDateTime } from './common.js';

/**
 * Schemas of the bundle domain (issue 7): presets, the build preview, the build's result, the
 * gate's report and the difference between two bundles. The wizard is built from these.
 */

/** A preset as listed: the preset (without its pseudonym key), built in or not, adjusted or not. */
export const ListedPreset = z.object({ preset: BundlePreset, builtin: z.boolean(), adjusted: z.boolean() });
export const BundlePresetList = z.object({ presets: z.array(ListedPreset), file: z.string() });
export type BundlePresetList = z.infer<typeof BundlePresetList>;

/** The preset of a build: a saved one by name, or one given whole (the wizard's), with a few overrides. */
export const PresetChoice = z.union([z.object({ name: z.string().min(1) }).strict(), z.object({ preset: BundlePreset }).strict()]);
export type PresetChoice = z.infer<typeof PresetChoice>;

/** What a build or a preview reads besides the preset. */
export const BuildSources = {
  workspace: AbsolutePath,
  preset: PresetChoice,
  /** Convention reference (partners), overriding the preset's. */
  conventionReference: z.string().min(1).max(500).optional(),
  /** The producer's agreement to publish non-public data, overriding the preset's. */
  producerAgreement: z.string().min(1).max(500).optional(),
  /** SINP sensitivity referential files (v13/v18 layouts); default: the rules the workspace pulled. */
  referentials: z.array(AbsolutePath).default([]),
  /** A TAXREF-shaped CSV (cd_nom, cd_ref, cd_taxsup) completing the workspace's taxref. */
  taxonomy: AbsolutePath.optional(),
  /** The moment of the bundle (ISO 8601); default: the workspace's last recorded change. */
  asOf: IsoDateTime.optional(),
};

/** How one target sees the licence. */
export const TargetLicenceView = z.object({
  target: z.enum(TARGETS),
  id: z.string().nullable(),
  accepted: z.boolean(),
  suggestion: z.enum(LICENCE_IDS).nullable(),
  remark: z.string().nullable(),
  message: z.string().nullable(),
});

/** Counts of a build or preview. */
export const BundleCounts = z.object({
  /** Observations in the workspace, and those the preset's filters select. */
  workspace: z.number().int(),
  selected: z.number().int(),
  published: z.number().int(),
  precise: z.number().int(),
  generalised: z.object({ commune: z.number().int(), cell: z.number().int(), departement: z.number().int() }),
  withheld: z.number().int(),
  withheldBy: z.object({ sensitivity: z.number().int(), unmatchedTaxon: z.number().int(), areaNotFound: z.number().int(), diffusion: z.number().int(), noGeometry: z.number().int() }),
  excludedNonPublic: z.number().int(),
  /** Blurred because a sensitive observation shares their site or relevé (propagation). */
  propagated: z.number().int(),
  /** By SENSIBILITE level 0–4 (when a referential was applied). */
  bySensitivity: z.array(z.number().int()),
});
export type BundleCounts = z.infer<typeof BundleCounts>;

export const UnmatchedTaxon = z.object({ cdNom: z.number().int(), name: z.string().nullable(), count: z.number().int() });

/** What a build would do, without writing anything. */
export const BundlePreview = z.object({
  asOf: IsoDateTime,
  preset: BundlePreset,
  /** Problems that would stop the build (preset, missing referential). */
  problems: z.array(z.object({ code: z.string(), message: z.string() })),
  counts: BundleCounts,
  unmatchedTaxa: z.array(UnmatchedTaxon),
  files: z.array(z.string()),
  licence: z.object({ id: z.enum(LICENCE_IDS), targets: z.array(TargetLicenceView) }),
  sensitivity: z.object({ source: z.string(), referentials: z.array(z.string()), overrides: z.number().int() }).nullable(),
  /** JDD included with their counts. */
  datasets: z.array(z.object({ uuid: z.string(), name: z.string(), records: z.number().int(), dataOrigin: z.string().nullable() })),
});
export type BundlePreview = z.infer<typeof BundlePreview>;

/** One finding of the gate: what, where, in both languages through `key`. */
export const GateFinding = z.object({
  key: z.string(),
  message: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  /** The file (and line, byte offset, table, page…) the finding is about. */
  where: z.string().nullable(),
});

export const GateCheck = z.object({
  id: z.enum(GATE_CHECKS),
  status: z.enum(['pass', 'fail', 'warn', 'skipped']),
  blocking: z.boolean(),
  findings: z.array(GateFinding),
  /** Findings left out of the list (the first ones are listed). */
  more: z.number().int(),
});
export type GateCheck = z.infer<typeof GateCheck>;

/** The gate's report: pass only when every blocking check passed. */
export const GateReport = z.object({
  path: z.string(),
  verdict: z.enum(['pass', 'fail', 'incomplete']),
  ok: z.boolean(),
  bundle: z.object({ id: z.string(), version: z.string(), audience: z.string(), asOf: z.string() }).nullable(),
  checks: z.array(GateCheck),
  unmatchedTaxa: z.array(UnmatchedTaxon),
  stats: z.object({ files: z.number().int(), bytes: z.number().int(), secretPoints: z.number().int(), sharedLocations: z.number().int() }),
});
export type GateReport = z.infer<typeof GateReport>;

export const BundleFileView = z.object({ path: z.string(), bytes: z.number().int(), sha256: z.string() });

/** What a build did. `written` is false when the gate refused the bundle (nothing was published). */
export const BuildResult = z.object({
  path: z.string(),
  written: z.boolean(),
  zip: z.boolean(),
  bundleId: z.string(),
  version: z.string(),
  previousVersion: z.string().nullable(),
  asOf: IsoDateTime,
  changes: z.object({ first: z.boolean(), added: z.number().int(), removed: z.number().int(), changed: z.number().int(), unchanged: z.number().int() }),
  counts: BundleCounts,
  unmatchedTaxa: z.array(UnmatchedTaxon),
  files: z.array(BundleFileView),
  licence: z.object({ id: z.enum(LICENCE_IDS), targets: z.array(TargetLicenceView) }),
  gate: GateReport.nullable(),
  /** Remarks of the metadata writers (fields a format cannot carry…), in English. */
  notes: z.array(z.string()),
});
export type BuildResult = z.infer<typeof BuildResult>;

/** Two bundles compared. */
export const BundleDiff = z.object({
  old: z.object({ path: z.string(), id: z.string().nullable(), version: z.string().nullable(), asOf: z.string().nullable() }),
  new: z.object({ path: z.string(), id: z.string().nullable(), version: z.string().nullable(), asOf: z.string().nullable() }),
  sameBundle: z.boolean(),
  files: z.object({ added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(z.string()), unchanged: z.array(z.string()) }),
  /** By observation UUID, from the two CSV files (null when one has none). */
  observations: z
    .object({ added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(z.string()), unchanged: z.number().int(), truncated: z.boolean() })
    .nullable(),
});
export type BundleDiff = z.infer<typeof BundleDiff>;
