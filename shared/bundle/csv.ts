/**
 * The CSV dialect of a bundle, documented in its datapackage.json and README: RFC 4180, UTF-8
 * without BOM, comma-separated, CRLF line ends, a header line, fields quoted with `"` only when
 * they hold a comma, a quote or a line break (quotes doubled), empty for no value, numbers with a
 * dot, dates ISO 8601. And the reading side: a line splitter for the gate.
 */

/** The dialect as Frictionless Table Dialect v2 describes it. */
export const CSV_DIALECT = {
  $schema: 'https://datapackage.org/profiles/2.0/tabledialect.json',
  header: true,
  delimiter: ',',
  lineTerminator: '\r\n',
  quoteChar: '"',
  doubleQuote: true,
} as const;

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field (null/undefined → empty). */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One CSV line with its CRLF. */
export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  let s = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) s += ',';
    s += csvField(values[i]);
  }
  return s + '\r\n';
}

/**
 * Splits CSV text of this dialect into records (arrays of fields, quotes removed). Accepts LF as
 * well as CRLF. Tolerant: an unterminated quote runs to the end of the text.
 */
export function parseCsvRecords(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const n = text.length;
  let quoted = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === 34) {
        if (text.charCodeAt(i + 1) === 34) {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += text[i];
      i++;
      continue;
    }
    if (c === 34 && field === '') {
      quoted = true;
      i++;
    } else if (c === 44) {
      row.push(field);
      field = '';
      i++;
    } else if (c === 13 || c === 10) {
      row.push(field);
      out.push(row);
      row = [];
      field = '';
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
    } else {
      field += text[i];
      i++;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    out.push(row);
  }
  return out;
}

/** A tab-separated field of `occurrence.txt` (no quoting: tabs and line breaks become spaces). */
export function tsvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[\t\r\n]/.test(v) ? v.replace(/[\t\r\n]+/g, ' ') : v;
}
