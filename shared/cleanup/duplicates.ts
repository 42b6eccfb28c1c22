/**
 * Probable duplicates (the same sighting imported twice, or typed twice): same taxon, same day,
 * same observers, places within a tolerance. The key groups candidates; the engine then compares
 * their positions. Merging keeps the most complete row.
 */
import { cellText, matchKey } from './normalize.js';

/** Observers as a set: "Bouche Michel, Lefrançois Olivier" = "LEFRANCOIS Olivier; Bouche Michel". */
export function observersKey(observers: string | null): string {
  if (observers === null) return '';
  const hit = memo.get(observers);
  if (hit !== undefined) return hit;
  const key = observers
    .split(/\s*(?:[,;|/&+]|\bet\b|\band\b)\s*/i)
    .map(matchKey)
    .filter((s) => s !== '')
    .sort()
    .join('|');
  // Observers repeat across rows: keep the keys of the last few thousand distinct values.
  if (memo.size >= 5000) memo.clear();
  memo.set(observers, key);
  return key;
}

const memo = new Map<string, string>();

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

/** A member of a duplicate group: its id, position and completeness. */
export interface Placed {
  readonly id: number;
  readonly lon: number;
  readonly lat: number;
  readonly score: number;
}

/**
 * Clusters of rows closer than `toleranceM` to one another (chains included), in O(n log n): a
 * sweep over longitude compares only neighbours. Each cluster keeps its most complete row (then
 * the lowest id); the others are its duplicates.
 */
export function duplicateClusters(items: readonly Placed[], toleranceM: number): { keep: Placed; duplicates: Placed[] }[] {
  if (items.length < 2) return [];
  const parent = items.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] as number] as number;
    return i;
  };
  const order = items.map((_, i) => i).sort((a, b) => (items[a] as Placed).lon - (items[b] as Placed).lon);
  const maxLat = Math.max(...items.map((p) => Math.abs(p.lat)));
  // Degrees of longitude a tolerance spans at the highest latitude of the group (plus a margin).
  const dLon = (toleranceM / (111_320 * Math.max(0.01, Math.cos((Math.min(89.9, maxLat) * Math.PI) / 180)))) * 1.01;
  for (let a = 0; a < order.length; a++) {
    const p = items[order[a] as number] as Placed;
    for (let b = a + 1; b < order.length; b++) {
      const q = items[order[b] as number] as Placed;
      if (q.lon - p.lon > dLon) break;
      if (metres(p, q) <= toleranceM) parent[find(order[a] as number)] = find(order[b] as number);
    }
  }
  const groups = new Map<number, Placed[]>();
  items.forEach((p, i) => {
    const r = find(i);
    const g = groups.get(r) ?? [];
    g.push(p);
    groups.set(r, g);
  });
  const out: { keep: Placed; duplicates: Placed[] }[] = [];
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    g.sort((x, y) => y.score - x.score || x.id - y.id);
    out.push({ keep: g[0] as Placed, duplicates: g.slice(1) });
  }
  return out;
}

function metres(a: Placed, b: Placed): number {
  const rad = Math.PI / 180;
  const x = (b.lon - a.lon) * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = b.lat - a.lat;
  return Math.sqrt(x * x + y * y) * rad * 6_371_008.8;
}
