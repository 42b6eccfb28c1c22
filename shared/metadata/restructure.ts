/**
 * Pure rules of JDD restructuring: how the JDD a split makes are named and described, and how
 * observation values are compared (observer names, periods).
 *
 * Names follow what GeoNature's JDD form allows (150 characters for the name, 30 for the short
 * name: validation's `text.long`): "<parent name> – <group>", the parent's part shortened with
 * "…" when needed; short names "<parent short name>_<group slug>", made unique in the workspace.
 */
import type { Lang } from './nomenclatures.js';

/** The JDD form's limits (GeoNature dataset-form.service.ts; standards-reference.md §2.2). */
export const NAME_MAX = 150;
export const SHORT_NAME_MAX = 30;

/** Lower case, without accents, spaces collapsed: "  Corail  MARC" and "corail marc" are one observer. */
export function normalizeName(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** An identifier-safe slug: ASCII letters, digits and "_" ("Oiseaux d'eau" → "oiseaux_d_eau"). */
export function slug(s: string): string {
  return normalizeName(s)
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** "<parent> – <label>", within `max` characters (the parent's part shortened with "…"). */
export function deriveName(parent: string, label: string, max = NAME_MAX): string {
  const sep = ' – ';
  const full = `${parent}${sep}${label}`;
  if (full.length <= max) return full;
  const room = max - sep.length - label.length - 1;
  if (room >= 10) return `${parent.slice(0, room).trimEnd()}…${sep}${label}`;
  return full.slice(0, max - 1).trimEnd() + '…';
}

/**
 * "<parent short>_<label slug>" within `max` characters, different from every name of `taken`
 * (compared case-insensitively); the name is added to `taken`.
 */
export function deriveShortName(parentShort: string, label: string, taken: Set<string>, max = SHORT_NAME_MAX): string {
  const tail = slug(label) || 'jdd';
  const head = slug(parentShort);
  const make = (suffix: string) => {
    const t = `${tail.slice(0, Math.max(1, Math.min(18, max - suffix.length)))}${suffix}`;
    const h = head.slice(0, Math.max(0, max - t.length - 1)).replace(/_+$/, '');
    return h ? `${h}_${t}` : t.slice(0, max);
  };
  let candidate = make('');
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) candidate = make(`_${i}`);
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** How a split's criterion reads in a description ("par année", "by observer"). */
export const SPLIT_BY_LABELS: Readonly<Record<string, Readonly<Record<Lang, string>>>> = {
  year: { fr: 'par année', en: 'by year' },
  period: { fr: 'par période', en: 'by period' },
  observer: { fr: 'par observateur', en: 'by observer' },
  taxonGroup: { fr: 'par groupe taxonomique', en: 'by taxonomic group' },
  protocol: { fr: 'par protocole', en: 'by protocol' },
  producer: { fr: 'par organisme producteur', en: 'by producer organism' },
  attribute: { fr: 'par attribut', en: 'by attribute' },
};

/** The labels of the two special groups. */
export const SPECIAL_GROUP_LABELS: Readonly<Record<'none' | 'others', Readonly<Record<Lang, string>>>> = {
  none: { fr: 'non renseigné', en: 'not given' },
  others: { fr: 'autres', en: 'others' },
};

/** The sentence added to a new JDD's description, saying where it comes from. */
export function splitNote(p: { parent: string; by: string; label: string; observations: number; dateMin: string | null; dateMax: string | null; date: string; lang: Lang }): string {
  const span = p.dateMin && p.dateMax ? (p.lang === 'fr' ? `, du ${p.dateMin} au ${p.dateMax}` : `, from ${p.dateMin} to ${p.dateMax}`) : '';
  return p.lang === 'fr'
    ? `Jeu de données issu de la division de « ${p.parent} » ${p.by} : ${p.label} (${p.observations} observation${p.observations > 1 ? 's' : ''}${span}). Passerelle, ${p.date}.`
    : `Dataset split from "${p.parent}" ${p.by}: ${p.label} (${p.observations} observation${p.observations > 1 ? 's' : ''}${span}). Passerelle, ${p.date}.`;
}

/** The description of a new JDD: the parent's, then the note. */
export function splitDescription(parentDescription: string, note: string): string {
  const d = parentDescription.trim();
  return d ? `${d}\n\n${note}` : note;
}

/** The period of a day among ranges (both ends included): its index, or -1. */
export function periodIndex(day: string | null, periods: ReadonlyArray<{ from: string; to: string }>): number {
  if (!day) return -1;
  return periods.findIndex((p) => day >= p.from && day <= p.to);
}
