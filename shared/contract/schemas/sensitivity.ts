import { z } from 'zod';
import { LocalRuleInput } from '../../sensitivity/local-rules.js';
import { IsoDate, IsoDateTime } from './common.js';

/**
 * The sensitivity domain's shapes (issue 6): referentials and rules, the check and its summary,
 * the report, the explanation of one observation, and manual overrides.
 *
 * Levels are SINP codes as numbers: SENSIBILITE 0–4 (`sensitivityLevel`) and the blurring applied,
 * on the same scale (`blurLevel`: 0 precise, 1 commune, 2 10 km cell, 3 département, 4 withheld).
 * Counts "by level" are arrays of five numbers, index = level.
 */

/** A SENSIBILITE code. */
export const SensitivityLevelCode = z.number().int().min(0).max(4);

/** Counts by level 0–4 (index = level). */
export const SensitivityCounts = z.array(z.number().int().nonnegative()).length(5);
export type SensitivityCounts = z.infer<typeof SensitivityCounts>;

/** Where a check takes its rules from: the workspace's pulled gn_sensitivity rules, the loaded referential files, the park's local rules. */
export const SensitivityRuleSourceKind = z.enum(['pulled', 'files', 'local']);
export type SensitivityRuleSourceKind = z.infer<typeof SensitivityRuleSourceKind>;

/** A reference area by type and code (`DEP:05` is `{ type: 'DEP', code: '05' }`). */
export const SensitivityAreaRef = z.object({ type: z.string().min(1), code: z.string().min(1) });

/** What a load reads a file as; `auto` decides from the extension and the header. */
export const SensitivityLoadKind = z.enum(['auto', 'referential', 'local-rules', 'taxonomy']);

/** What should happen to an observation whose taxon the referential's taxonomy does not know. */
export const SensitivityUnmatchedPolicy = z.enum(['withhold', 'evaluate']);

/**
 * Whether a sensitive observation's blurring also applies to the observations at its site (a
 * vertex within 1e-5° in longitude and latitude, any date) and in its relevé
 * (`unique_id_sinp_grp`): `site+releve` (default), `releve` only, or `off`.
 */
export const SensitivityPropagation = z.enum(['site+releve', 'releve', 'off']);
export type SensitivityPropagation = z.infer<typeof SensitivityPropagation>;

/** A French territory's grid (FXX metropolitan France, GLP, MTQ, GUF, REU, MYT). */
export const SensitivityTerritory = z.enum(['FXX', 'GLP', 'MTQ', 'GUF', 'REU', 'MYT']);

/** One line (or, in a JSON rules file, one rule) that did not make a rule or a taxon: where, and why. */
export const SensitivityLineError = z.object({
  /** 1-based line of the file (header = 1); for a JSON rules file, the rule's position (1-based). */
  line: z.number().int(),
  /** Stable reason code (`cd-nom`, `level`, `departement`, `period`, `csv`, `field-count`…). */
  code: z.string(),
  message: z.string(),
});
export type SensitivityLineError = z.infer<typeof SensitivityLineError>;

/** A referential, local rule set or taxonomy held by the workspace, with its provenance. */
export const SensitivityReferentialInfo = z.object({
  id: z.number().int(),
  kind: z.enum(['referential', 'local', 'taxonomy']),
  name: z.string(),
  version: z.string().nullable(),
  /** v13, v18 (SINP CSV layouts), local-json (a rules file), local (rules added one by one), taxonomy-csv. */
  layout: z.string(),
  file: z.string().nullable(),
  sha256: z.string().nullable(),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  loadedAt: IsoDateTime,
  loadedBy: z.string(),
  dataLines: z.number().int(),
  /** Rules kept (taxa, for a taxonomy). */
  items: z.number().int(),
  errorCount: z.number().int(),
});
export type SensitivityReferentialInfo = z.infer<typeof SensitivityReferentialInfo>;

/** What a load did: the referential stored, and every bad line with its number and reason. */
export const SensitivityLoadReport = z.object({
  /** The workspace written (the demo's working copy when the bundled demo was named). */
  workspace: z.string(),
  referential: SensitivityReferentialInfo,
  /** A referential of the same kind, name and version was there and was replaced. */
  replaced: z.boolean(),
  errors: z.array(SensitivityLineError),
  /** Header columns the loader does not use (a renamed column shows here). */
  ignoredColumns: z.array(z.string()),
});
export type SensitivityLoadReport = z.infer<typeof SensitivityLoadReport>;

/** Where a rule comes from. */
export const SensitivityRuleOrigin = z.object({
  kind: z.enum(['pulled', 'referential', 'local']),
  /** The stored referential (null for pulled rules). */
  referentialId: z.number().int().nullable(),
  name: z.string(),
  version: z.string().nullable(),
  /** v13, v18, geonature, local. */
  format: z.string(),
  /** Line of the file the rule was read from (header = 1). */
  line: z.number().int().nullable(),
});

/** One sensitivity rule, with every criterion (null = any). */
export const SensitivityRuleView = z.object({
  id: z.string(),
  origin: SensitivityRuleOrigin,
  cdNom: z.number().int(),
  nomCite: z.string().nullable(),
  level: SensitivityLevelCode,
  /** Whole calendar years after the observation; null = forever. */
  durationYears: z.number().int().nullable(),
  territory: z.array(SensitivityAreaRef).nullable(),
  /** MM-DD to MM-DD inclusive; wraps the year end when start > end. */
  period: z.object({ start: z.string(), end: z.string() }).nullable(),
  bioStatus: z.array(z.string()).nullable(),
  behaviour: z.array(z.string()).nullable(),
  local: z.boolean(),
  comment: z.string().nullable(),
  /** False for a pulled rule GeoNature has switched off (never used by a check). */
  active: z.boolean(),
});
export type SensitivityRuleView = z.infer<typeof SensitivityRuleView>;

/** The referentials of a workspace and what the pulled GeoNature rules are. */
export const SensitivityReferentials = z.object({
  workspace: z.string(),
  referentials: z.array(SensitivityReferentialInfo),
  /** The gn_sensitivity rules a pull brought (format 2 tables); null when the workspace was not pulled. */
  pulled: z
    .object({
      rules: z.number().int(),
      inactive: z.number().int(),
      errors: z.array(z.object({ idSensitivity: z.number().int(), problems: z.array(z.string()) })),
      server: z.string().nullable(),
      pulledAt: z.string().nullable(),
    })
    .nullable(),
  /** Taxonomy rows a check reads: the workspace's taxref (pulled) and the loaded taxonomies. */
  taxonomy: z.object({ workspaceTaxa: z.number().int(), loadedTaxa: z.number().int() }),
});
export type SensitivityReferentials = z.infer<typeof SensitivityReferentials>;

/** A local rule as the UI edits it: everything but id, cdNom and level is optional. */
export const SensitivityLocalRule = LocalRuleInput;
export type SensitivityLocalRule = z.input<typeof LocalRuleInput>;

/** Which observations a filter override selects (every criterion set must hold). */
export const SensitivityOverrideFilter = z
  .object({
    cdNoms: z.array(z.number().int().positive()).max(10_000).optional(),
    datasetUuids: z.array(z.string().min(1)).max(10_000).optional(),
    /** `date_min` on or after. */
    dateFrom: IsoDate.optional(),
    /** `date_min` on or before. */
    dateTo: IsoDate.optional(),
    areas: z.array(SensitivityAreaRef).max(10_000).optional(),
  })
  .strict();
export type SensitivityOverrideFilter = z.infer<typeof SensitivityOverrideFilter>;

/** What an override applies to. */
export const SensitivityOverrideTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('observation'), uuid: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('filter'), filter: SensitivityOverrideFilter }).strict(),
]);
export type SensitivityOverrideTarget = z.infer<typeof SensitivityOverrideTarget>;

/** A manual sensitivity decision, active or removed. */
export const SensitivityOverrideView = z.object({
  id: z.string(),
  target: SensitivityOverrideTarget,
  level: SensitivityLevelCode,
  justification: z.string(),
  author: z.string(),
  at: IsoDateTime,
  removedAt: IsoDateTime.nullable(),
  removedBy: z.string().nullable(),
  removedWhy: z.string().nullable(),
});
export type SensitivityOverrideView = z.infer<typeof SensitivityOverrideView>;

/** Darwin Core generalisation terms of a record (standards-reference §8). */
export const SensitivityDwc = z.object({
  dataGeneralizations: z.string().nullable(),
  informationWithheld: z.string().nullable(),
  coordinateUncertaintyInMeters: z.number().nullable(),
});

/**
 * Why a record is published the way it is. `colocated` / `same-releve`: a sensitive observation
 * at the same site / in the same relevé gave it its level.
 */
export const SensitivityBlurReason = z.enum(['none', 'sensitivity', 'diffusion', 'override', 'unmatched-taxon', 'area-not-found', 'colocated', 'same-releve']);

/** The sensitive observation whose level another took (workspace-internal: never published). */
export const SensitivityPropagationSource = z.object({
  /** By the same site or the same relevé. */
  via: z.enum(['site', 'releve']),
  /** Its `unique_id_sinp`. */
  uuid: z.string().nullable(),
  fid: z.number().int(),
  /** Its own blurring level, which the observation took. */
  level: SensitivityLevelCode,
});

/** How an observation's taxon was found in the referential's taxonomy. */
export const SensitivityTaxonResolution = z.enum(['cd_nom', 'cd_ref', 'unmatched', 'no-taxon']);

/** A criterion taken as met by precaution (it could not be checked). */
export const SensitivityPrecaution = z.enum(['DATE', 'BIO_STATUS', 'BEHAVIOUR', 'TERRITORY']);

/** Counts of one taxon or one JDD. */
export const SensitivityGroupCounts = z.object({
  total: z.number().int(),
  /** By SENSIBILITE after override (undetermined apart). */
  bySensitivity: SensitivityCounts,
  /** Unmatched or taxon-less observations nobody decided on. */
  undetermined: z.number().int(),
  /** By blurring applied. */
  byBlur: SensitivityCounts,
});

/** The summary of a check: counts by level, taxon and JDD, and what needs a look. */
export const SensitivityCheckSummary = z.object({
  id: z.number().int(),
  at: IsoDateTime,
  actor: z.string(),
  /** Day durations are counted to. */
  asOf: IsoDate,
  options: z.object({
    sources: z.array(SensitivityRuleSourceKind),
    referentialIds: z.array(z.number().int()).nullable(),
    unmatchedTaxon: SensitivityUnmatchedPolicy,
    lang: z.enum(['fr', 'en']),
    /** `off` for a check stored before propagation existed. */
    propagation: SensitivityPropagation,
  }),
  territory: SensitivityTerritory,
  gridPrefix: z.string(),
  /** The rule sets used, with their provenance and how many of their rules took part. */
  rules: z.array(
    z.object({ kind: z.enum(['pulled', 'referential', 'local']), referentialId: z.number().int().nullable(), name: z.string(), version: z.string().nullable(), sha256: z.string().nullable(), rules: z.number().int() }),
  ),
  diagnostics: z.object({
    /** Rules left out, with why (an invalid or duplicate rule never applies silently). */
    invalidRules: z.array(z.object({ ruleId: z.string(), problems: z.array(z.string()) })),
    /** Rules whose taxon the taxonomy does not know: they apply to that exact cd_nom only. */
    unknownRuleTaxa: z.array(z.object({ ruleId: z.string(), cdNom: z.number().int() })),
    expandedPairs: z.number().int(),
    taxaCovered: z.number().int(),
    pulledInactive: z.number().int(),
  }),
  taxonomy: z.object({ workspaceTaxa: z.number().int(), loadedTaxa: z.number().int() }),
  total: z.number().int(),
  bySensitivity: SensitivityCounts,
  undetermined: z.number().int(),
  byBlur: SensitivityCounts,
  /** Observations published blurred or withheld (blur > 0). */
  degraded: z.number().int(),
  /** Observations whose taxon the taxonomy does not know (possible leaks: withheld by default). */
  unmatched: z.number().int(),
  noTaxon: z.number().int(),
  /** Observations whose commune, cell or département could not be found: withheld, never published precisely. */
  areaNotFound: z.number().int(),
  /** Observations whose deciding rule matched only by precaution on some criterion. */
  byPrecaution: z.number().int(),
  overridden: z.number().int(),
  /** Observations blurred more by the producer's NIV_PRECIS than by sensitivity. */
  byDiffusion: z.number().int(),
  /** Observations whose blurring a sensitive observation at the same site or in the same relevé raised. */
  propagated: z.number().int(),
  /** Taxa with a sensitive, degraded or unmatched observation. */
  byTaxon: z.array(SensitivityGroupCounts.extend({ cdNom: z.number().int().nullable(), name: z.string().nullable() })),
  /** Every JDD of the observations. */
  byDataset: z.array(SensitivityGroupCounts.extend({ uuid: z.string().nullable(), name: z.string().nullable() })),
  unmatchedTaxa: z.array(z.object({ cdNom: z.number().int().nullable(), name: z.string().nullable(), observations: z.number().int() })),
  /** The observations whose area was not found (the first 200), with the level asked for. */
  areasNotFound: z.array(z.object({ uuid: z.string().nullable(), requestedLevel: z.number().int(), areaType: z.string() })),
  durationMs: z.number().int(),
  /** The workspace changed since (rules, overrides, observations): run the check again. */
  stale: z.boolean(),
});
export type SensitivityCheckSummary = z.infer<typeof SensitivityCheckSummary>;

/** What a check returns. */
export const SensitivityCheckReport = z.object({
  workspace: z.string(),
  /** Files loaded before checking (`load`). */
  loaded: z.array(SensitivityLoadReport),
  check: SensitivityCheckSummary,
  /** With `observations: true`: the level of every observation, in fid order. */
  observations: z.array(z.object({ uuid: z.string().nullable(), sensitivityLevel: SensitivityLevelCode.nullable(), blurLevel: SensitivityLevelCode })).optional(),
});
export type SensitivityCheckReport = z.infer<typeof SensitivityCheckReport>;

/** The deciding rule, as the report shows it. */
export const SensitivityRuleRef = z.object({
  id: z.string(),
  level: SensitivityLevelCode,
  cdNom: z.number().int(),
  nomCite: z.string().nullable(),
  local: z.boolean(),
  comment: z.string().nullable(),
  origin: SensitivityRuleOrigin,
});

/** One observation of the report: what the last check decided, and the rule that made it sensitive. */
export const SensitivityReportRow = z.object({
  fid: z.number().int(),
  uuid: z.string().nullable(),
  cdNom: z.number().int().nullable(),
  nomCite: z.string().nullable(),
  dateMin: z.string().nullable(),
  dateMax: z.string().nullable(),
  datasetUuid: z.string().nullable(),
  resolution: SensitivityTaxonResolution,
  computedLevel: SensitivityLevelCode,
  sensitivityLevel: SensitivityLevelCode.nullable(),
  blurLevel: SensitivityLevelCode,
  requestedLevel: SensitivityLevelCode,
  reason: SensitivityBlurReason,
  /** The deciding rule (null when none matched: NIV_PRECIS, override or unmatched taxon). */
  rule: SensitivityRuleRef.nullable(),
  matchingRuleIds: z.array(z.string()),
  precautions: z.array(SensitivityPrecaution),
  overrideId: z.string().nullable(),
  /** UUID of the sensitive observation at the same site or in the same relevé whose level this one took. */
  propagatedFrom: z.string().nullable(),
  areaType: z.string().nullable(),
  areas: z.array(z.object({ code: z.string(), name: z.string().nullable() })),
  dwc: SensitivityDwc,
});
export type SensitivityReportRow = z.infer<typeof SensitivityReportRow>;

/** The report of the last check: its summary and a page of observations. */
export const SensitivityReport = z.object({
  workspace: z.string(),
  /** Null when no check was run on this workspace. */
  check: SensitivityCheckSummary.nullable(),
  total: z.number().int(),
  observations: z.array(SensitivityReportRow),
});
export type SensitivityReport = z.infer<typeof SensitivityReport>;

/** One matching rule in an explanation. */
export const SensitivityMatch = z.object({
  rule: SensitivityRuleView,
  /** The first match decides (level descending, local rules first, file order). */
  deciding: z.boolean(),
  /** The rule is declared on an ancestor (or a synonym) of the observation's taxon. */
  inherited: z.boolean(),
  precautions: z.array(SensitivityPrecaution),
});

/** The whole story of one observation: taxon resolution, every matching rule, override, blurring, and what is published. */
export const SensitivityExplanation = z.object({
  workspace: z.string(),
  asOf: IsoDate,
  observation: z.object({
    fid: z.number().int(),
    uuid: z.string(),
    cdNom: z.number().int().nullable(),
    nomCite: z.string().nullable(),
    dateMin: z.string().nullable(),
    dateMax: z.string().nullable(),
    bioStatus: z.string().nullable(),
    behaviour: z.string().nullable(),
    diffusionLevel: z.string().nullable(),
    datasetUuid: z.string().nullable(),
    datasetName: z.string().nullable(),
  }),
  taxon: z.object({
    resolution: SensitivityTaxonResolution,
    /** The valid taxon evaluated; null when unmatched. */
    cdRef: z.number().int().nullable(),
    name: z.string().nullable(),
    /** From the taxon up to the root (cd_taxsup), for "inherited from the genus". */
    lineage: z.array(z.object({ cdNom: z.number().int(), name: z.string().nullable(), rank: z.string().nullable() })),
  }),
  /** Areas of the workspace the observation lies in. */
  areas: z.array(SensitivityAreaRef),
  matches: z.array(SensitivityMatch),
  computedLevel: SensitivityLevelCode,
  override: SensitivityOverrideView.nullable(),
  /** After the override; null when undetermined (unmatched taxon nobody decided on). */
  sensitivityLevel: SensitivityLevelCode.nullable(),
  diffusionLevel: z.string().nullable(),
  /** The sensitive observation at the same site or in the same relevé that raised the blurring (null when none did). */
  propagation: SensitivityPropagationSource.nullable(),
  blur: z.object({ level: SensitivityLevelCode, reason: SensitivityBlurReason, requestedLevel: SensitivityLevelCode }),
  published: z.object({
    level: SensitivityLevelCode,
    withheld: z.boolean(),
    areaType: z.string().nullable(),
    areas: z.array(z.object({ code: z.string(), name: z.string().nullable() })),
    /** Box of the published areas (WGS 84: west, south, east, north); null when precise or withheld. */
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
    decimalLongitude: z.number().nullable(),
    decimalLatitude: z.number().nullable(),
    dwc: SensitivityDwc,
    /** Columns emptied in what is published (altitude, place name, comments…). */
    removedColumns: z.array(z.string()),
  }),
  /** What the last check stored for this observation (null when never checked). */
  stored: z
    .object({
      checkId: z.number().int(),
      asOf: IsoDate,
      sensitivityLevel: SensitivityLevelCode.nullable(),
      blurLevel: SensitivityLevelCode,
      reason: SensitivityBlurReason,
      ruleId: z.string().nullable(),
    })
    .nullable(),
  /** The explanation (made now) and the stored result differ: the check is stale. */
  differsFromStored: z.boolean(),
});
export type SensitivityExplanation = z.infer<typeof SensitivityExplanation>;

/** What adding or removing an override did: the override, and the check run again with the last check's options (null when none was run). */
export const SensitivityOverrideResult = z.object({
  workspace: z.string(),
  override: SensitivityOverrideView,
  /** Observations the override selects. */
  observations: z.number().int(),
  check: SensitivityCheckSummary.nullable(),
});
export type SensitivityOverrideResult = z.infer<typeof SensitivityOverrideResult>;
