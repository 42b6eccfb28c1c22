import { z } from 'zod';
import { AbsolutePath, IsoDate } from '../schemas/common.js';
import {
  SensitivityBlurReason,
  SensitivityCheckReport,
  SensitivityExplanation,
  SensitivityLevelCode,
  SensitivityLoadKind,
  SensitivityLoadReport,
  SensitivityLocalRule,
  SensitivityOverrideResult,
  SensitivityOverrideTarget,
  SensitivityOverrideView,
  SensitivityPropagation,
  SensitivityReferentialInfo,
  SensitivityReferentials,
  SensitivityReport,
  SensitivityRuleSourceKind,
  SensitivityRuleView,
  SensitivityTerritory,
  SensitivityUnmatchedPolicy,
} from '../schemas/sensitivity.js';
import { job, method, type MethodSpec } from './define.js';

const uses = { uses: ['workspace'] } as const;
const Lang = z.enum(['fr', 'en']).default('en');

/** A file to load: a SINP referential (v13/v18 CSV), a local rules JSON file, or a taxonomy CSV. */
const LoadSpec = {
  path: AbsolutePath,
  kind: SensitivityLoadKind.default('auto'),
  /** Provenance; defaults: the file name, and the number in it (`RefSensibilite_18.csv` → 18). */
  name: z.string().min(1).max(200).optional(),
  version: z.string().min(1).max(50).optional(),
};

/** What a check uses and how (the summary records it; overrides re-run the last check's options). */
const CheckOptions = {
  /** Rule sets to use (default: all the workspace holds). */
  sources: z.array(SensitivityRuleSourceKind).min(1).default(['pulled', 'files', 'local']),
  /** Only these loaded referentials (of the `files` and `local` sources); default: all. */
  referentialIds: z.array(z.number().int()).optional(),
  /** Day durations are counted to (default: today). */
  asOf: IsoDate.optional(),
  unmatchedTaxon: SensitivityUnmatchedPolicy.default('withhold'),
  /** A sensitive observation's blurring also applies at its site and in its relevé (default), in its relevé only, or not. */
  propagation: SensitivityPropagation.default('site+releve'),
  /** Grid and projected system; default: from the workspace's local SRID, else its départements. */
  territory: SensitivityTerritory.optional(),
  /** Language of the Darwin Core generalisation texts. */
  lang: Lang,
};

/**
 * The sensitivity domain (issue 6): load referentials, add local rules, check every observation
 * of a workspace (SINP level, blurring, Darwin Core terms), report, explain one observation,
 * and override with a justification.
 *
 * Writes (load, rules, check, overrides) run in one transaction each and append to the audit log.
 * The bundled demo is never modified: a write on it works on its working copy in PASSERELLE_HOME,
 * and the reads use that copy once it exists (every result names the workspace it used).
 */
export const sensitivityMethods = {
  /** Loads a referential file (SINP v13/v18 CSV), a local rules JSON file or a taxonomy CSV into the workspace; every bad line is reported with its number and reason. */
  'sensitivity.load': job({ workspace: AbsolutePath, ...LoadSpec }, SensitivityLoadReport, { uses: ['workspace'], grants: ['path'] }),
  /** The referentials, local rule sets and taxonomies the workspace holds, and its pulled GeoNature rules. */
  'sensitivity.referentials': method(z.object({ workspace: AbsolutePath }).strict(), SensitivityReferentials, uses),
  /** Removes a loaded referential, local rule set or taxonomy and its rules. */
  'sensitivity.removeReferential': method(z.object({ workspace: AbsolutePath, id: z.number().int() }).strict(), z.object({ workspace: z.string(), removed: SensitivityReferentialInfo }), uses),
  /** A page of rules (pulled, loaded or local), optionally of one referential or taxon. */
  'sensitivity.rules': method(
    z
      .object({
        workspace: AbsolutePath,
        source: z.enum(['all', 'pulled', 'files', 'local']).default('all'),
        referentialId: z.number().int().optional(),
        cdNom: z.number().int().optional(),
        offset: z.number().int().nonnegative().default(0),
        limit: z.number().int().min(1).max(5000).default(200),
      })
      .strict(),
    z.object({ workspace: z.string(), total: z.number().int(), rules: z.array(SensitivityRuleView) }),
    uses,
  ),
  /** Adds a rule the park decides (golden eagle aerie…) to a local rule set (created on first use). */
  'sensitivity.addLocalRule': method(
    z.object({ workspace: AbsolutePath, rule: SensitivityLocalRule, ruleSet: z.string().min(1).max(200).default('Règles locales') }).strict(),
    z.object({ workspace: z.string(), rule: SensitivityRuleView, referential: SensitivityReferentialInfo }),
    uses,
  ),
  /** Removes a local rule by id. */
  'sensitivity.removeLocalRule': method(z.object({ workspace: AbsolutePath, id: z.string().min(1) }).strict(), z.object({ workspace: z.string(), removed: SensitivityRuleView }), uses),
  /**
   * Checks every observation: SINP level, blurring (commune, 10 km cell, département, withheld),
   * Darwin Core terms; stores the results and returns the summary. `load` loads files first, in
   * the same job. `observations: true` also returns the level of every observation.
   */
  'sensitivity.check': job(
    { workspace: AbsolutePath, ...CheckOptions, load: z.array(z.object(LoadSpec).strict()).max(20).default([]), observations: z.boolean().default(false) },
    SensitivityCheckReport,
    { uses: ['workspace'], grants: ['load[].path'] },
  ),
  /** The last check's summary and a page of its observations (by default the sensitive, degraded or unmatched ones) with the rule that made them so. */
  'sensitivity.report': method(
    z
      .object({
        workspace: AbsolutePath,
        /** Only observations with this SENSIBILITE (after override). */
        level: SensitivityLevelCode.optional(),
        blurLevel: SensitivityLevelCode.optional(),
        reason: SensitivityBlurReason.optional(),
        cdNom: z.number().int().optional(),
        datasetUuid: z.string().optional(),
        /** Only observations sensitive, degraded or unmatched (default); false lists all. */
        sensitiveOnly: z.boolean().default(true),
        offset: z.number().int().nonnegative().default(0),
        limit: z.number().int().min(0).max(5000).default(200),
      })
      .strict(),
    SensitivityReport,
    uses,
  ),
  /** Explains one observation (by UUID), evaluated now with the last check's options: taxon resolution, every matching rule, override, blurring and what is published. */
  'sensitivity.explain': job(
    { workspace: AbsolutePath, uuid: z.string().min(1), asOf: IsoDate.optional(), sources: z.array(SensitivityRuleSourceKind).min(1).optional(), lang: Lang },
    SensitivityExplanation,
    { uses: ['workspace'] },
  ),
  /** The overrides of the workspace (removed ones too with `includeRemoved`). */
  'sensitivity.overrides': method(
    z.object({ workspace: AbsolutePath, includeRemoved: z.boolean().default(false) }).strict(),
    z.object({ workspace: z.string(), overrides: z.array(SensitivityOverrideView) }),
    uses,
  ),
  /**
   * Sets the level of one observation (by UUID) or of every observation a filter selects, with a
   * mandatory justification (refused without: errors.SENSITIVITY_OVERRIDE_JUSTIFICATION). Kept in
   * the audit log; the last check is run again so the results and the map show it.
   */
  'sensitivity.addOverride': job(
    {
      workspace: AbsolutePath,
      target: SensitivityOverrideTarget,
      level: SensitivityLevelCode,
      justification: z.string().max(2000).default(''),
      /** Who decides (default: the user of the session). */
      author: z.string().min(1).max(200).optional(),
      recheck: z.boolean().default(true),
    },
    SensitivityOverrideResult,
    { uses: ['workspace'] },
  ),
  /** Removes an override, with a justification (kept in the override and the audit log); the last check is run again. */
  'sensitivity.removeOverride': job(
    { workspace: AbsolutePath, id: z.string().min(1), justification: z.string().max(2000).default(''), recheck: z.boolean().default(true) },
    SensitivityOverrideResult,
    { uses: ['workspace'] },
  ),
} as const satisfies Record<string, MethodSpec>;
