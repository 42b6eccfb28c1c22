import { parseSensitivityLevel } from './levels.js';
import { UNKNOWN_BEHAVIOUR, UNKNOWN_BIO_STATUS, checkRule, withoutUnknownOnly, yearPeriod, type RuleProblem, type SensitivityRule } from './rule.js';
import type { AreaRef } from './territory.js';

/**
 * A `gn_sensitivity.t_sensitivity_rules` row as the workspace keeps it (`sensitivity_rules`,
 * nomenclature ids replaced by SINP codes; geonature-reference.md §3.1).
 */
export interface GeoNatureRuleRow {
  readonly id_sensitivity: number;
  readonly cd_nom: number;
  readonly nom_cite: string | null;
  readonly cd_nomenclature_sensitivity: string | null;
  readonly sensitivity_duration: number | null;
  readonly sensitivity_territory?: string | null;
  readonly id_territory?: string | null;
  readonly date_min: string | null;
  readonly date_max: string | null;
  readonly source: string | null;
  readonly active: boolean | number | null;
  readonly comments: string | null;
}

/** A `cor_sensitivity_area` row by area type and code (`sensitivity_rule_areas`). */
export interface GeoNatureRuleAreaRow {
  readonly id_sensitivity: number;
  readonly type_code: string;
  readonly area_code: string;
}

/** A `cor_sensitivity_criteria` row as a SINP code (`sensitivity_rule_criteria`). */
export interface GeoNatureRuleCriterionRow {
  readonly id_sensitivity: number;
  /** `STATUT_BIO` or `OCC_COMPORTEMENT` (other types are reported, not used, as in GeoNature §3.2). */
  readonly type_mnemonique: string;
  readonly cd_nomenclature: string;
}

/** GeoNature's "no limit" duration: importers store 10000 for an empty DUREE (§3.1). */
const GEONATURE_FOREVER = 10000;

/**
 * Turns the rules pulled from a GeoNature database into rules.
 *
 * - Inactive rules are skipped (GeoNature ignores them too) and counted.
 * - `REG_1970` areas are read as `REG` (their codes do not collide with 2016 codes).
 * - A duration of 10000 or more is "no limit".
 * - A criteria list made only of "unknown" codes is dropped: GeoNature's v18 importer adds
 *   those codes to every rule with a criterion (§3.4), and with this engine's semantics
 *   (unknown values always match, types combine with AND) they would exclude observations.
 * - `date_min`/`date_max` keep only month and day (GeoNature stores year 1900 or NULL).
 */
export function rulesFromGeoNature(
  rows: readonly GeoNatureRuleRow[],
  areas: readonly GeoNatureRuleAreaRow[],
  criteria: readonly GeoNatureRuleCriterionRow[],
): { rules: SensitivityRule[]; inactive: number; errors: { idSensitivity: number; problems: RuleProblem[] | string[] }[] } {
  const areasOf = new Map<number, AreaRef[]>();
  for (const a of areas) {
    let list = areasOf.get(a.id_sensitivity);
    if (!list) areasOf.set(a.id_sensitivity, (list = []));
    list.push({ type: a.type_code === 'REG_1970' ? 'REG' : a.type_code, code: a.area_code });
  }
  const bioOf = new Map<number, string[]>();
  const behOf = new Map<number, string[]>();
  const errors: { idSensitivity: number; problems: RuleProblem[] | string[] }[] = [];
  for (const c of criteria) {
    const target = c.type_mnemonique === 'STATUT_BIO' ? bioOf : c.type_mnemonique === 'OCC_COMPORTEMENT' ? behOf : null;
    if (!target) {
      errors.push({ idSensitivity: c.id_sensitivity, problems: [`criterion of type ${c.type_mnemonique} is not used by the sensitivity evaluation`] });
      continue;
    }
    let list = target.get(c.id_sensitivity);
    if (!list) target.set(c.id_sensitivity, (list = []));
    if (!list.includes(c.cd_nomenclature)) list.push(c.cd_nomenclature);
  }
  const rules: SensitivityRule[] = [];
  let inactive = 0;
  for (const r of rows) {
    if (r.active === false || r.active === 0) {
      inactive++;
      continue;
    }
    const level = parseSensitivityLevel(r.cd_nomenclature_sensitivity);
    const period = yearPeriod(r.date_min, r.date_max);
    const duration = r.sensitivity_duration === null || r.sensitivity_duration >= GEONATURE_FOREVER ? null : r.sensitivity_duration;
    const rule: SensitivityRule = {
      id: `geonature:${r.id_sensitivity}`,
      cdNom: r.cd_nom,
      nomCite: r.nom_cite,
      level: (level ?? -1) as SensitivityRule['level'],
      durationYears: duration,
      territory: areasOf.get(r.id_sensitivity) ?? null,
      period: period === undefined ? { start: r.date_min ?? '', end: r.date_max ?? '' } : period,
      bioStatus: withoutUnknownOnly(bioOf.get(r.id_sensitivity) ?? null, UNKNOWN_BIO_STATUS),
      behaviour: withoutUnknownOnly(behOf.get(r.id_sensitivity) ?? null, UNKNOWN_BEHAVIOUR),
      local: false,
      source: { name: r.source ?? 'GeoNature', version: null, format: 'geonature' },
      comment: r.comments,
    };
    const problems = checkRule(rule);
    if (problems.length > 0) errors.push({ idSensitivity: r.id_sensitivity, problems });
    else rules.push(rule);
  }
  return { rules, inactive, errors };
}
