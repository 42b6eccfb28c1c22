import type { Extent, SensitivityRuleView } from '../../../shared/contract/index.js';
import { LEVEL_COLORS } from '../map/styles.js';

/** SENSIBILITE codes, in the order counts come (index = level). */
export const LEVELS = [0, 1, 2, 3, 4] as const;

/** The map overlays the view asks the map to show (App.tsx names workspace overlays `workspace:<role>`). */
export const MAP_LAYERS = {
  precise: ['workspace:departements', 'workspace:sensitivity-precise'],
  published: ['workspace:departements', 'workspace:sensitivity-published'],
  both: ['workspace:departements', 'workspace:sensitivity-precise', 'workspace:sensitivity-published'],
} as const;

/** The colour of a level, as the map draws it (null = undetermined). */
export function levelColor(level: number | null): string {
  return LEVEL_COLORS[String(level ?? -1)] ?? '#868e96';
}

/** A month-day (`10-01`) in words, in the UI language ("1 octobre"). */
export function monthDay(md: string, lang: string): string {
  const m = /^(\d{2})-(\d{2})$/.exec(md);
  if (!m) return md;
  // A leap year, so 02-29 reads.
  const d = new Date(Date.UTC(2000, Number(m[1]) - 1, Number(m[2])));
  return new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(d);
}

/** Whether a period wraps the year end (October–July). */
export function wrapsYearEnd(period: { start: string; end: string }): boolean {
  return period.start > period.end;
}

/** `DEP:05, COM:05079`. */
export function areasText(areas: readonly { type: string; code: string }[] | null): string | null {
  return areas ? areas.map((a) => `${a.type}:${a.code}`).join(', ') : null;
}

/** Published areas: `Hautes-Alpes (05)`, or the code alone when it is its own name (a 10 km cell). */
export function areaNames(areas: readonly { code: string; name: string | null }[]): string {
  return areas.map((a) => (a.name && a.name !== a.code ? `${a.name} (${a.code})` : a.code)).join(', ');
}

/** Where a rule comes from: `test-referential-v13 v13 · line 2`. */
export function originText(origin: SensitivityRuleView['origin'], lineLabel: (line: number) => string): string {
  const name = [origin.name, origin.version && !origin.name.includes(origin.version) ? origin.version : null].filter(Boolean).join(' ');
  return [name, origin.format, origin.line !== null ? lineLabel(origin.line) : null].filter(Boolean).join(' · ');
}

/** A WGS 84 box as the map's fit extent; null when there is none. */
export function bboxExtent(bbox: readonly [number, number, number, number] | null): Extent | null {
  if (!bbox) return null;
  const [minX, minY, maxX, maxY] = bbox;
  return { srsId: 4326, minX, minY, maxX, maxY };
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether a text is a month-day `MM-DD` (02-29 included). */
export function isMonthDay(s: string): boolean {
  const m = /^(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const month = Number(m[1]);
  const day = Number(m[2]);
  return day >= 1 && day <= (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** `DEP:05` → `{ type: 'DEP', code: '05' }`; null when it is not TYPE:CODE. */
export function parseArea(s: string): { type: string; code: string } | null {
  const m = /^\s*([A-Za-z0-9_]+)\s*:\s*(\S+)\s*$/.exec(s);
  return m?.[1] && m[2] ? { type: m[1].toUpperCase(), code: m[2] } : null;
}
