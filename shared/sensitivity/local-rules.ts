import { z } from 'zod';
import { parseSensitivityLevel, type SensitivityLevel } from './levels.js';
import { checkRule, yearPeriod, type RuleProblem, type SensitivityRule } from './rule.js';
import type { AreaRef } from './territory.js';

const AreaRefSchema = z.object({ type: z.string().min(1), code: z.string().min(1) });

/** One rule the park adds, as the UI edits it or a JSON file holds it: everything but cdNom and level is optional. */
export const LocalRuleInput = z.object({
  id: z.string().min(1),
  cdNom: z.number().int().positive(),
  nomCite: z.string().nullable().optional(),
  level: z.union([z.number().int(), z.string()]),
  durationYears: z.number().int().min(0).nullable().optional(),
  territory: z.array(AreaRefSchema).min(1).nullable().optional(),
  period: z.object({ start: z.string(), end: z.string() }).nullable().optional(),
  bioStatus: z.array(z.string().min(1)).min(1).nullable().optional(),
  behaviour: z.array(z.string().min(1)).min(1).nullable().optional(),
  comment: z.string().nullable().optional(),
});
/** The JSON shape of a local rule. */
export type LocalRuleInput = z.input<typeof LocalRuleInput>;

/** A file of local rules: `{ name, version, rules: [...] }`. */
export const LocalRulesFile = z.object({
  name: z.string().min(1),
  version: z.string().nullable().optional(),
  rules: z.array(z.unknown()),
});

/**
 * Builds the park's own rules (golden eagle aeries…) from JSON-shaped input, marked
 * `local: true` so explanations and reports tell them from the national referential's.
 * Every entry that is not a valid rule is reported with its index and reason, never dropped.
 */
export function localRules(
  input: unknown,
): { name: string; version: string | null; rules: SensitivityRule[]; errors: { index: number; problems: RuleProblem[] | string[] }[] } {
  const file = LocalRulesFile.safeParse(input);
  if (!file.success) return { name: 'local', version: null, rules: [], errors: [{ index: -1, problems: file.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }] };
  const { name } = file.data;
  const version = file.data.version ?? null;
  const rules: SensitivityRule[] = [];
  const errors: { index: number; problems: RuleProblem[] | string[] }[] = [];
  file.data.rules.forEach((raw, index) => {
    const parsed = LocalRuleInput.safeParse(raw);
    if (!parsed.success) {
      errors.push({ index, problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
      return;
    }
    const r = parsed.data;
    const level = parseSensitivityLevel(r.level);
    const period = r.period ? yearPeriod(r.period.start, r.period.end) : null;
    const rule: SensitivityRule = {
      id: r.id,
      cdNom: r.cdNom,
      nomCite: r.nomCite ?? null,
      level: (level ?? -1) as SensitivityLevel,
      durationYears: r.durationYears ?? null,
      territory: (r.territory as AreaRef[] | null | undefined) ?? null,
      period: period === undefined ? { start: r.period?.start ?? '', end: r.period?.end ?? '' } : period,
      bioStatus: r.bioStatus ?? null,
      behaviour: r.behaviour ?? null,
      local: true,
      source: { name, version, format: 'local' },
      comment: r.comment ?? null,
    };
    const problems = checkRule(rule);
    if (problems.length > 0) errors.push({ index, problems });
    else rules.push(rule);
  });
  return { name, version, rules, errors };
}
