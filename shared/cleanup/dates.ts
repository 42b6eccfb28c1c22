/**
 * Dates as legacy files write them ("12/05/2019", "2019/05/12", "12.05.19", "20190512",
 * "2019-05-12 08:30"), parsed with an explicit pattern into the ISO 8601 text the workspace
 * stores (`YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS` with a time).
 *
 * Patterns use the tokens YYYY, YY, MM, M, DD, D, HH, mm, ss; any other character must appear
 * as it is. A two-digit year is 19YY or 20YY, whichever is not in the future.
 */

/** Patterns tried, in this order, when the user leaves the choice to Passerelle. */
export const DATE_PATTERNS = [
  'YYYY-MM-DD',
  'YYYY-MM-DD HH:mm:ss',
  'YYYY-MM-DDTHH:mm:ss',
  'YYYY-MM-DD HH:mm',
  'DD/MM/YYYY',
  'DD/MM/YYYY HH:mm:ss',
  'DD/MM/YYYY HH:mm',
  'YYYY/MM/DD',
  'DD-MM-YYYY',
  'DD.MM.YYYY',
  'YYYYMMDD',
  'DD/MM/YY',
  'MM/DD/YYYY',
] as const;

/** A date-time as numbers; `time` false for a date alone. */
export interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly time: boolean;
}

const TOKEN = /YYYY|YY|MM|M|DD|D|HH|mm|ss/g;
const compiled = new Map<string, { re: RegExp; tokens: string[] }>();

function compile(pattern: string): { re: RegExp; tokens: string[] } {
  const hit = compiled.get(pattern);
  if (hit) return hit;
  const tokens: string[] = [];
  let src = '^';
  let last = 0;
  for (const m of pattern.matchAll(TOKEN)) {
    src += pattern.slice(last, m.index).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const t = m[0];
    tokens.push(t);
    src += t === 'YYYY' ? '(\\d{4})' : t === 'M' || t === 'D' ? '(\\d{1,2})' : '(\\d{2})';
    last = (m.index ?? 0) + t.length;
  }
  src += pattern.slice(last).replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '(?:\\.\\d+)?$';
  const c = { re: new RegExp(src), tokens };
  compiled.set(pattern, c);
  return c;
}

function daysIn(year: number, month: number): number {
  return [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** Parses `text` with `pattern`; null when it does not match or is not a real calendar date. */
export function parseDateWith(text: string, pattern: string, today: string = todayIso()): DateParts | null {
  const { re, tokens } = compile(pattern);
  const m = re.exec(text.trim());
  if (!m) return null;
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let time = false;
  tokens.forEach((t, i) => {
    const n = Number(m[i + 1]);
    if (t === 'YYYY') year = n;
    else if (t === 'YY') {
      const thisYear = Number(today.slice(0, 4));
      year = 2000 + n > thisYear ? 1900 + n : 2000 + n;
    } else if (t === 'MM' || t === 'M') month = n;
    else if (t === 'DD' || t === 'D') day = n;
    else {
      time = true;
      if (t === 'HH') hour = n;
      else if (t === 'mm') minute = n;
      else second = n;
    }
  });
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return null;
  return { year, month, day, hour, minute, second, time };
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** The ISO text of a date (`YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS` when it has a time). */
export function formatIso(d: DateParts): string {
  const date = `${String(d.year).padStart(4, '0')}-${p2(d.month)}-${p2(d.day)}`;
  return d.time ? `${date}T${p2(d.hour)}:${p2(d.minute)}:${p2(d.second)}` : date;
}

/** Today in UTC as YYYY-MM-DD. */
export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * The value as the workspace stores it, when it already is an ISO date or date-time
 * (`YYYY-MM-DD`, with an optional `T`/space time and fraction): the parsed parts, else null.
 */
export function parseIso(text: string): DateParts | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/.exec(text.trim());
  if (!m) return null;
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4] ?? 0), minute: Number(m[5] ?? 0), second: Number(m[6] ?? 0), time: m[4] !== undefined };
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > daysIn(d.year, d.month) || d.hour > 23 || d.minute > 59 || d.second > 59) return null;
  return d;
}

/**
 * The patterns of {@link DATE_PATTERNS} that read every sample, best first. An ambiguous
 * sample set ("05/06/2019" reads as DD/MM and MM/DD) lists both, DD/MM first (French use).
 */
export function detectDatePatterns(samples: readonly string[], today: string = todayIso()): string[] {
  const values = samples.map((s) => s.trim()).filter((s) => s !== '');
  if (values.length === 0) return [];
  return DATE_PATTERNS.filter((p) => values.every((v) => parseDateWith(v, p, today) !== null));
}

/** A sortable key of an ISO value (date-only values compare as midnight). */
export function isoSortKey(d: DateParts): string {
  return `${String(d.year).padStart(4, '0')}-${p2(d.month)}-${p2(d.day)}T${p2(d.hour)}:${p2(d.minute)}:${p2(d.second)}`;
}

/** Adds a time of day ("08:30", "8:30:15") to a date; null when the time cannot be read. */
export function withTime(d: DateParts, time: string): DateParts | null {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(time.trim());
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  const second = Number(m[3] ?? 0);
  if (hour > 23 || minute > 59 || second > 59) return null;
  return { ...d, hour, minute, second, time: true };
}
