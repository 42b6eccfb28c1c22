import { emptyWindow, isoYear, readWindow } from './calendar.js';
import {
  behaviourCodeId,
  bioCodeId,
  matchingRules,
  precautionNames,
  resolveTaxon,
  type CompiledReferential,
  type ObservationFacts,
  type PRECAUTION,
  type TaxonResolution,
} from './compile.js';
import { diffusionBlurLevel, type BlurLevel, type SensitivityLevel } from './levels.js';
import type { OverrideSet, SensitivityOverride } from './overrides.js';
import { propagationReason, type Propagation, type SensitiveSites } from './propagation.js';
import { UNKNOWN_BEHAVIOUR, UNKNOWN_BIO_STATUS, type RuleSource, type SensitivityRule } from './rule.js';
import { areaKey, keysImpliedByDepartement, type AreaRef } from './territory.js';

/** One observation as the evaluation reads it (workspace `observations` columns, SINP codes). */
export interface ObservationInput {
  readonly uuid?: string | null;
  readonly cdNom: number | null;
  /** The cd_ref the observation's own TAXREF gives, used when the referential's taxonomy does not know cd_nom. */
  readonly cdRefHint?: number | null;
  /** ISO 8601 (`YYYY-MM-DD`, a time may follow). */
  readonly dateMin: string | null;
  readonly dateMax?: string | null;
  /** STATUT_BIO code. */
  readonly bioStatus?: string | null;
  /** OCC_COMPORTEMENT code. */
  readonly behaviour?: string | null;
  /** NIV_PRECIS code. */
  readonly diffusionLevel?: string | null;
  readonly datasetUuid?: string | null;
  /**
   * Areas the observation lies in, any type (a `DEP` implies its regions and `TER:FXX`).
   * Null when it could not be placed at all (no geometry).
   */
  readonly areas: readonly AreaRef[] | null;
  /**
   * Area types the observation was placed in; defaults to the types of `areas`. A type
   * missing here (outside every loaded commune, say) makes rules on that type uncertain.
   */
  readonly locatedTypes?: readonly string[];
  /** The relevé (`unique_id_sinp_grp`), for propagation; empty or absent = none. */
  readonly releve?: string | null;
  /** The geometry's vertices in WGS 84, flat (lon, lat, lon, lat…), for propagation by site. */
  readonly vertices?: readonly number[] | null;
}

/** What to do with an observation whose taxon the referential's taxonomy does not know. */
export type UnmatchedTaxonPolicy = 'withhold' | 'evaluate';

/** The evaluation's parameters: the same for every observation of a check. */
export interface EvaluationContext {
  /** Day the check is made (ISO date): durations count calendar years up to it. */
  readonly asOf: string;
  readonly overrides?: OverrideSet;
  /**
   * `withhold` (default): an unmatched taxon is a possible leak, so its location is withheld
   * until someone fixes the taxonomy or decides with an override. `evaluate`: it gets the
   * level of the rules declared on its exact cd_nom (usually 0), still reported as unmatched.
   */
  readonly unmatchedTaxon?: UnmatchedTaxonPolicy;
  /**
   * The sensitive observations of the check (propagation.ts), collected in a first pass over
   * every observation: one at the same site or in the same relevé raises this one's blurring
   * to its own. Absent: no propagation.
   */
  readonly sites?: SensitiveSites | null;
}

/**
 * Why a record is published the way it is. The index is the `reason` code stored in the results:
 * new reasons go at the end. `colocated` and `same-releve`: a sensitive observation at the same
 * site or in the same relevé gave its level (propagation.ts).
 */
export const BLUR_REASONS = ['none', 'sensitivity', 'diffusion', 'override', 'unmatched-taxon', 'area-not-found', 'colocated', 'same-releve'] as const;
/** One of {@link BLUR_REASONS}. */
export type BlurReason = (typeof BLUR_REASONS)[number];

/** The blurring decided for an observation, before its area is looked up. */
export interface BlurDecision {
  readonly level: BlurLevel;
  readonly reason: BlurReason;
}

/** Name of a criterion taken as met by precaution (DATE, BIO_STATUS, BEHAVIOUR, TERRITORY). */
export type PrecautionName = keyof typeof PRECAUTION;

/** A rule that applies to the observation, for explanations. */
export interface RuleMatch {
  readonly ruleId: string;
  readonly level: SensitivityLevel;
  /** The taxon the rule is declared on. */
  readonly ruleCdNom: number;
  readonly ruleNomCite: string | null;
  /** True when the rule reaches the observation's taxon through a parent (a genus rule on a species). */
  readonly inherited: boolean;
  readonly local: boolean;
  readonly source: RuleSource;
  /** Criteria that could not be checked and were taken as met. */
  readonly precautions: readonly PrecautionName[];
  /** The rule itself (period, territory, duration, criteria, comment), for the explanation. */
  readonly rule: SensitivityRule;
}

/** Everything decided about one observation, and why. */
export interface SensitivityOutcome {
  readonly taxon: { readonly cdNom: number | null; readonly cdRef: number | null; readonly resolution: TaxonResolution };
  /** The highest level among matching rules, 0 when none matches. */
  readonly computedLevel: SensitivityLevel;
  /** The matching rules, the deciding one first (level descending, local first, file order). */
  readonly matches: readonly RuleMatch[];
  readonly override: SensitivityOverride | null;
  /** SENSIBILITE after the override; null when the taxon is unmatched and nobody decided. */
  readonly sensitivityLevel: SensitivityLevel | null;
  readonly diffusionLevel: string | null;
  /** The sensitive observation at the same site or in the same relevé that raised the blurring (null when none did). */
  readonly propagation: Propagation | null;
  readonly blur: BlurDecision;
}

/**
 * Combines sensitivity, override and NIV_PRECIS into the blurring to apply.
 *
 * The coarser of sensitivity and the producer's wish wins; on a tie the reason is the
 * sensitivity (or the override that set it). An unmatched taxon nobody decided on is
 * withheld under the `withhold` policy.
 */
export function decideBlur(
  sensitivityLevel: SensitivityLevel | null,
  computedLevel: SensitivityLevel,
  overridden: boolean,
  diffusionLevel: string | null | undefined,
  policy: UnmatchedTaxonPolicy = 'withhold',
): BlurDecision {
  if (sensitivityLevel === null && policy === 'withhold') return { level: 4, reason: 'unmatched-taxon' };
  const s = sensitivityLevel ?? computedLevel;
  const d = diffusionBlurLevel(diffusionLevel);
  if (d > s) return { level: d, reason: 'diffusion' };
  if (s === 0) return { level: 0, reason: overridden ? 'override' : 'none' };
  return { level: s, reason: overridden ? 'override' : 'sensitivity' };
}

/**
 * Fills matcher facts for an observation: dates, criteria codes and area keys (allocates
 * only the area array; the engine's runner fills facts without allocating).
 */
export function observationFacts(ref: CompiledReferential, obs: ObservationInput): ObservationFacts {
  const window = readWindow(obs.dateMin, obs.dateMax ?? null, emptyWindow());
  const keys: number[] = [];
  let located = 0;
  const addKey = (k: string) => {
    const id = ref.keyIds.get(k);
    if (id !== undefined && !keys.includes(id)) keys.push(id);
  };
  const locate = (type: string) => {
    const bit = ref.typeIds.get(type);
    if (bit !== undefined) located |= 1 << bit;
    if (type === 'DEP') {
      locate('REG');
      locate('TER');
    }
  };
  for (const a of obs.areas ?? []) {
    addKey(areaKey(a.type, a.code));
    if (a.type === 'DEP') for (const k of keysImpliedByDepartement(a.code)) addKey(k);
  }
  for (const t of obs.locatedTypes ?? (obs.areas ?? []).map((a) => a.type)) locate(t);
  return {
    window,
    bio: bioCodeId(ref, obs.bioStatus, UNKNOWN_BIO_STATUS),
    behaviour: behaviourCodeId(ref, obs.behaviour, UNKNOWN_BEHAVIOUR),
    areaKeys: Int32Array.from(keys),
    areaCount: keys.length,
    locatedTypes: located,
    placed: obs.areas !== null,
  };
}

/**
 * Evaluates one observation against a compiled referential: its level, every rule that
 * applies with the criteria taken on precaution, the override, and the blurring to apply
 * (raised by a sensitive observation at the same site or in the same relevé when `ctx.sites`
 * holds the check's sources).
 *
 * Pure: the same inputs give the same outcome. The engine's fast runner makes the same
 * decisions (a test checks that they agree on every row) without building explanations.
 */
export function evaluateObservation(ref: CompiledReferential, obs: ObservationInput, ctx: EvaluationContext): SensitivityOutcome {
  const asOfYear = isoYear(ctx.asOf);
  if (asOfYear < 0) throw new Error(`evaluateObservation: asOf "${ctx.asOf}" is not an ISO date`);
  const { key, how } = resolveTaxon(ref, obs.cdNom, obs.cdRefHint);
  const facts = observationFacts(ref, obs);
  const entry = key >= 0 ? ref.byTaxon.get(key) : undefined;
  const found = matchingRules(ref, entry, facts, asOfYear);
  const matches: RuleMatch[] = found.map(({ rule, precautions }) => {
    const r = ref.rules[rule];
    if (!r) throw new Error(`evaluateObservation: rule index ${rule} out of range`);
    const declaredRef = ref.taxonomy.cdRefOf(r.cdNom) ?? r.cdNom;
    return {
      ruleId: r.id,
      level: r.level,
      ruleCdNom: r.cdNom,
      ruleNomCite: r.nomCite,
      inherited: declaredRef !== key,
      local: r.local,
      source: r.source,
      precautions: precautionNames(precautions),
      rule: r,
    };
  });
  const computedLevel: SensitivityLevel = matches[0]?.level ?? 0;
  const areaKeys = obs.areas ? new Set(obs.areas.flatMap((a) => [areaKey(a.type, a.code), ...(a.type === 'DEP' ? keysImpliedByDepartement(a.code) : [])])) : null;
  const override =
    ctx.overrides?.find({
      uuid: obs.uuid ?? null,
      cdNom: obs.cdNom,
      cdRef: how === 'cd_nom' || how === 'cd_ref' ? key : null,
      datasetUuid: obs.datasetUuid ?? null,
      dateMin: obs.dateMin,
      areaKeys,
    }) ?? null;
  const resolved = how === 'cd_nom' || how === 'cd_ref';
  const sensitivityLevel: SensitivityLevel | null = override ? override.level : resolved ? computedLevel : null;
  const policy = ctx.unmatchedTaxon ?? 'withhold';
  const own = decideBlur(sensitivityLevel, computedLevel, override !== null, obs.diffusionLevel, policy);
  const vertices = obs.vertices ?? [];
  const propagation = ctx.sites ? ctx.sites.raise(own.level, vertices, vertices.length >> 1, obs.releve ?? null) : null;
  return {
    taxon: { cdNom: obs.cdNom, cdRef: resolved ? key : null, resolution: how },
    computedLevel,
    matches,
    override,
    sensitivityLevel,
    diffusionLevel: obs.diffusionLevel ?? null,
    propagation,
    blur: propagation ? { level: propagation.source.level, reason: propagationReason(propagation) } : own,
  };
}
