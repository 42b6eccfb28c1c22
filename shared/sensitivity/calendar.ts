/**
 * Dates as the sensitivity rules see them: a year, and a day of the year written as a
 * month-day number `MMDD` (101 = 1 January … 1231 = 31 December; 229 exists).
 *
 * A month-day number orders days like the calendar does, and February 29 sits between
 * 228 and 301 in every year, so a period "1 March – 31 May" means the same days in leap
 * and common years. Dates are read from their ISO text as written (no time zone shift):
 * GeoNature stores `date_min` as a local timestamp and the workspace keeps it as text.
 */

/** Days in each month of a leap year; February 29 is a valid month-day. */
const MONTH_DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** True for a valid month-day number (February 29 included). */
export function isMonthDay(md: number): boolean {
  if (!Number.isInteger(md)) return false;
  const month = Math.floor(md / 100);
  const day = md % 100;
  return month >= 1 && month <= 12 && day >= 1 && day <= (MONTH_DAYS[month] ?? 0);
}

/**
 * Reads a month-day written `MM-DD` (also `--MM-DD`, ISO 8601's form, or a full
 * `YYYY-MM-DD`, whose year is ignored, as GeoNature stores rule periods in year 1900), or
 * the French `DD/MM` (`DD/MM/YYYY`). Returns the `MMDD` number, or null.
 */
export function parseMonthDay(text: string | null | undefined): number | null {
  if (typeof text !== 'string') return null;
  const s = text.trim();
  let m = /^(?:--|\d{4}-)?(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(s);
  if (m) {
    const md = Number(m[1]) * 100 + Number(m[2]);
    return isMonthDay(md) ? md : null;
  }
  m = /^(\d{1,2})\/(\d{1,2})(?:\/\d{4})?$/.exec(s);
  if (m) {
    const md = Number(m[2]) * 100 + Number(m[1]);
    return isMonthDay(md) ? md : null;
  }
  return null;
}

/** `MM-DD` for a month-day number (the rule model's text form). */
export function formatMonthDay(md: number): string {
  const month = Math.floor(md / 100);
  const day = md % 100;
  return `${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1000;
};

/**
 * The year of an ISO date text (`YYYY-MM-DD`, optionally followed by a time), or -1 when the
 * text is not a valid calendar date. Allocation-free: the check of a million rows calls it.
 */
export function isoYear(text: string | null | undefined): number {
  if (typeof text !== 'string' || text.length < 10) return -1;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return -1;
  if (text.length > 10) {
    const c = text.charCodeAt(10);
    if (c !== 84 && c !== 32 && c !== 116) return -1; // 'T', ' ', 't'
  }
  const y = digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
  const month = digit(text, 5) * 10 + digit(text, 6);
  const day = digit(text, 8) * 10 + digit(text, 9);
  if (y < 0 || month < 1 || month > 12 || day < 1) return -1;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const max = month === 2 ? (leap ? 29 : 28) : (MONTH_DAYS[month] ?? 0);
  return day <= max ? y : -1;
}

/** The month-day number of an ISO date text already validated by {@link isoYear}. */
export function isoMonthDay(text: string): number {
  return (digit(text, 5) * 10 + digit(text, 6)) * 100 + digit(text, 8) * 10 + digit(text, 9);
}

/** True when month-day `x` lies in the period `start`–`end` (inclusive; wraps when start > end). */
export function inPeriod(x: number, start: number, end: number): boolean {
  return start <= end ? x >= start && x <= end : x >= start || x <= end;
}

/**
 * When an observation may have been made: from `date_min` to `date_max`, as years and
 * month-days. `known` is false when `date_min` cannot be read; a `date_max` that cannot be
 * read or is before `date_min` is replaced by `date_min`.
 */
export interface ObservationWindow {
  known: boolean;
  yearMin: number;
  mdMin: number;
  yearMax: number;
  mdMax: number;
}

/** A fresh, unknown window to fill with {@link readWindow} (one per loop, reused). */
export function emptyWindow(): ObservationWindow {
  return { known: false, yearMin: 0, mdMin: 0, yearMax: 0, mdMax: 0 };
}

/** Fills `w` from the observation's ISO dates, without allocating. */
export function readWindow(dateMin: string | null | undefined, dateMax: string | null | undefined, w: ObservationWindow): ObservationWindow {
  const y1 = isoYear(dateMin);
  if (y1 < 0) {
    w.known = false;
    w.yearMin = w.yearMax = w.mdMin = w.mdMax = 0;
    return w;
  }
  w.known = true;
  w.yearMin = y1;
  w.mdMin = isoMonthDay(dateMin as string);
  const y2 = isoYear(dateMax);
  const md2 = y2 < 0 ? 0 : isoMonthDay(dateMax as string);
  if (y2 < 0 || y2 < y1 || (y2 === y1 && md2 < w.mdMin)) {
    w.yearMax = y1;
    w.mdMax = w.mdMin;
  } else {
    w.yearMax = y2;
    w.mdMax = md2;
  }
  return w;
}

/**
 * True when some day of the observation window falls in the period of the year.
 *
 * Precaution: the observation may have been made on any day between `date_min` and
 * `date_max`, so a window that touches the period counts (GeoNature looks at `date_min`
 * only). A window of a year or more touches every period. Both the window and the period
 * are arcs of the circular year, and two arcs meet exactly when one contains the other's
 * start, which also covers periods that wrap the year end (October–July).
 */
export function windowTouchesPeriod(w: ObservationWindow, start: number, end: number): boolean {
  if (w.yearMax > w.yearMin + 1 || (w.yearMax === w.yearMin + 1 && w.mdMax >= w.mdMin)) return true;
  return inPeriod(w.mdMin, start, end) || inPeriod(start, w.mdMin, w.mdMax);
}

/**
 * Whole calendar years between the observation and the evaluation date, the way
 * GeoNature counts them (`year(now) − duration ≤ year(observation)`, §3.2), but from
 * `date_max`, the latest day the observation may have been made (precaution: GeoNature
 * uses `date_min`). A rule of duration D applies while `yearsSince ≤ D`: an observation of
 * any day of 2016 under a 10-year rule stays sensitive until 31 December 2026 and is
 * published precisely from 1 January 2027. A future observation has a negative count.
 */
export function yearsSince(w: ObservationWindow, asOfYear: number): number {
  return asOfYear - w.yearMax;
}
