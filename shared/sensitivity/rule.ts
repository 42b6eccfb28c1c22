import { formatMonthDay, parseMonthDay } from './calendar.js';
import type { SensitivityLevel } from './levels.js';
import type { AreaRef } from './territory.js';

/**
 * A sensitivity rule: which observations of a taxon are sensitive, and how much.
 *
 * One line of the SINP referential, one `gn_sensitivity.t_sensitivity_rules` row with its
 * areas and criteria, or a rule the park adds. Every criterion that is null applies to
 * all observations; the criteria that are set must all hold (taxon AND territory AND period
 * AND duration AND biological status AND behaviour).
 */
export interface SensitivityRule {
  /** Unique within a referential set: `cd_sens`, `id_sensitivity`, `<referential>#<line>` or the park's own id. */
  readonly id: string;
  /** The taxon the rule is declared on; it also applies to its synonyms and descendants. */
  readonly cdNom: number;
  readonly nomCite: string | null;
  /** SENSIBILITE code the rule gives. */
  readonly level: SensitivityLevel;
  /**
   * Whole calendar years after the observation during which the rule applies (see
   * `yearsSince` in calendar.ts); null = forever (the referentials' empty DUREE, which
   * GeoNature stores as 10000).
   */
  readonly durationYears: number | null;
  /**
   * Areas the rule is restricted to (any one is enough): `DEP`/`REG`/`COM` codes, `TER:FXX`
   * for metropolitan France, or any loaded area. Null = everywhere.
   */
  readonly territory: readonly AreaRef[] | null;
  /** Period of the year, `MM-DD` to `MM-DD` inclusive; wraps the year end when start > end. Null = all year. */
  readonly period: YearPeriod | null;
  /** STATUT_BIO codes, any of which makes the rule apply. Null = any status. */
  readonly bioStatus: readonly string[] | null;
  /** OCC_COMPORTEMENT codes, any of which makes the rule apply. Null = any behaviour. */
  readonly behaviour: readonly string[] | null;
  /** True for a rule the park adds (golden eagle sites…), false for a national or regional referential. */
  readonly local: boolean;
  readonly source: RuleSource;
  readonly comment: string | null;
}

/** A period of the year, e.g. `{ start: '10-01', end: '07-31' }` for October–July. */
export interface YearPeriod {
  readonly start: string;
  readonly end: string;
}

/** Where a rule comes from, kept for provenance and explanations. */
export interface RuleSource {
  /** Referential name (`RefSensibilite`, `Référentiel sensibilité TAXREF v13 2020`, `PNE local rules`). */
  readonly name: string;
  readonly version: string | null;
  readonly format: 'v13' | 'v18' | 'geonature' | 'local';
  /** Line of the file the rule was read from (1 = header). */
  readonly line?: number;
}

/**
 * STATUT_BIO codes that say the status is not known: 0 Inconnu, 1 Non renseigné, 2 Non
 * déterminé (§3.3). An observation with one of them (or none) may be in the sensitive state:
 * a rule restricted to statuses applies to it, as a precaution (standards-reference §2.6).
 */
export const UNKNOWN_BIO_STATUS: ReadonlySet<string> = new Set(['0', '1', '2']);

/** OCC_COMPORTEMENT codes that say the behaviour is not known: 0 NSP, 1 Non renseigné. */
export const UNKNOWN_BEHAVIOUR: ReadonlySet<string> = new Set(['0', '1']);

/** The STATUT_BIO codes of the SINP nomenclature (nomenclatures_inpn_data.sql). */
export const STATUT_BIO_CODES: ReadonlySet<string> = new Set(['0', '1', '2', '3', '4', '5', '9', '13']);

/** The OCC_COMPORTEMENT codes of the SINP nomenclature: 0 to 23. */
export const OCC_COMPORTEMENT_CODES: ReadonlySet<string> = new Set(Array.from({ length: 24 }, (_, i) => String(i)));

/**
 * Codes the v13 referential writes in `cd_occ_statut_biologique` that are behaviours: they
 * moved from STATUT_BIO to OCC_COMPORTEMENT (GeoNature migration 7dfd0a813f86).
 */
export const V13_BEHAVIOUR_CODES: ReadonlySet<string> = new Set(['6', '7', '8', '10', '11', '12']);

/** A problem found in a rule: which field, and why (English; `code` is stable for translation). */
export interface RuleProblem {
  readonly field: keyof SensitivityRule | 'period.start' | 'period.end';
  readonly code: string;
  readonly message: string;
}

/** Checks a rule's values; an empty list means the rule can be compiled. */
export function checkRule(rule: SensitivityRule): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const add = (field: RuleProblem['field'], code: string, message: string) => problems.push({ field, code, message });
  if (typeof rule.id !== 'string' || rule.id.trim() === '') add('id', 'rule-id', 'the rule has no id');
  if (!Number.isSafeInteger(rule.cdNom) || rule.cdNom <= 0) add('cdNom', 'cd-nom', `cd_nom ${String(rule.cdNom)} is not a positive integer`);
  if (![0, 1, 2, 3, 4].includes(rule.level)) add('level', 'level', `level ${String(rule.level)} is not a SENSIBILITE code 0–4`);
  if (rule.durationYears !== null && (!Number.isSafeInteger(rule.durationYears) || rule.durationYears < 0)) {
    add('durationYears', 'duration', `duration ${String(rule.durationYears)} is not a whole number of years`);
  }
  if (rule.period !== null) {
    if (parseMonthDay(rule.period.start) === null) add('period.start', 'period', `period start "${rule.period.start}" is not a month-day (MM-DD)`);
    if (parseMonthDay(rule.period.end) === null) add('period.end', 'period', `period end "${rule.period.end}" is not a month-day (MM-DD)`);
  }
  for (const [field, codes] of [
    ['bioStatus', rule.bioStatus],
    ['behaviour', rule.behaviour],
  ] as const) {
    if (codes === null) continue;
    if (codes.length === 0) add(field, 'criteria-empty', `${field} is an empty list (use null for "any")`);
    if (codes.some((c) => typeof c !== 'string' || c.trim() === '')) add(field, 'criteria-code', `${field} holds an empty code`);
  }
  if (rule.territory !== null) {
    if (rule.territory.length === 0) add('territory', 'territory-empty', 'territory is an empty list (use null for "everywhere")');
    if (rule.territory.some((a) => !a.type || !a.code || a.type.includes(':'))) add('territory', 'territory-area', 'territory holds an area without type or code');
  }
  return problems;
}

/**
 * A period from two month-days in any form `parseMonthDay` reads (MM-DD, YYYY-MM-DD,
 * DD/MM), normalised to `MM-DD`; null when both are empty or span the whole year
 * (01-01 → 12-31), undefined when one cannot be read.
 */
export function yearPeriod(start: string | null | undefined, end: string | null | undefined): YearPeriod | null | undefined {
  const blank = (s: string | null | undefined) => s === null || s === undefined || s.trim() === '';
  if (blank(start) && blank(end)) return null;
  const s = blank(start) ? 101 : parseMonthDay(start);
  const e = blank(end) ? 1231 : parseMonthDay(end);
  if (s === null || e === null) return undefined;
  if (s === 101 && e === 1231) return null;
  return { start: formatMonthDay(s), end: formatMonthDay(e) };
}

/**
 * Drops a criteria list that holds only "unknown" codes. GeoNature's v18 importer adds the
 * unknown statuses and behaviours to every rule that has a criterion, as a precaution
 * (§3.4); with our semantics (an unknown value always matches, criteria types combine with
 * AND) such a list would wrongly exclude an observation with a known, different behaviour.
 */
export function withoutUnknownOnly(codes: readonly string[] | null, unknown: ReadonlySet<string>): readonly string[] | null {
  if (codes === null || codes.length === 0) return null;
  return codes.every((c) => unknown.has(c)) ? null : codes;
}
