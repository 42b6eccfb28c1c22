/**
 * Probable duplicates (the same sighting imported twice, or typed twice): same taxon, same day,
 * same observers, places within a tolerance. The key groups candidates; the engine then compares
 * their positions. Merging keeps the most complete row.
 */
import { cellText, matchKey } from './normalize.js';

/** Observers as a set: "Bouche Michel, Lefrançois Olivier" = "LEFRANCOIS Olivier; Bouche Michel". */
export function observersKey(observers: string | null): string {
  if (observers === null) return '';
  return observers
    .split(/\s*(?:[,;|/&+]|\bet\b|\band\b)\s*/i)
    .map(matchKey)
    .filter((s) => s !== '')
    .sort()
    .join('|');
}

/** The grouping key of a row (taxon, day, observers), or null when the taxon or the date is missing. */
export function duplicateKey(values: Readonly<Record<string, unknown>>): string | null {
  const cd = cellText(values.cd_nom);
  const taxon = cd ?? (cellText(values.nom_cite) !== null ? `name:${matchKey(cellText(values.nom_cite) as string)}` : null);
  const date = cellText(values.date_min);
  if (taxon === null || date === null) return null;
  return `${taxon}#${date.slice(0, 10)}#${observersKey(cellText(values.observers))}`;
}

/** How complete a row is: the number of non-empty values (the row a merge keeps has the most). */
export function completeness(values: Readonly<Record<string, unknown>>): number {
  let n = 0;
  for (const v of Object.values(values)) if (v !== null && v !== undefined && !(typeof v === 'string' && v.trim() === '')) n++;
  return n;
}
