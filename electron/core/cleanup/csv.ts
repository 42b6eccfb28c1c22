import Papa from 'papaparse';
import type { CsvDelimiter } from '../../../shared/contract/index.js';

/**
 * CSV / TSV reading for legacy files, on papaparse.
 *
 * Why papaparse: it is the most used JavaScript CSV parser, maintained, dependency-free and
 * fast on large files; it implements RFC 4180 quoting (doubled quotes, separators and line breaks
 * inside quoted fields), and it guesses the delimiter — which csv-parse does not. It is used on
 * batches of records whose boundaries Passerelle finds first, so that one malformed line (a quote
 * that never closes, a row with too many or too few fields) is set aside alone and never swallows
 * or shifts the rows after it, which a parser left to itself on a broken quote would do.
 */

/** One physical record: its first line number, the text (without the line end), and its fields. */
export interface CsvRecord {
  readonly line: number;
  /** How many physical lines the record spans (more than one for quoted line breaks). */
  readonly lines: number;
  readonly text: string;
  readonly fields: string[];
  /** The record was cut at its first line because its quote never closed. */
  readonly unclosedQuote: boolean;
}

/** A record may span at most this many lines; beyond, its opening quote is taken as a typo. */
export const MAX_RECORD_LINES = 500;

/** Line-end statistics of what was read. */
export interface LineEndings {
  lf: number;
  crlf: number;
  cr: number;
}

/** Splits streamed text into physical lines, numbered from 1, counting line endings. */
export async function* physicalLines(chunks: AsyncIterable<string>, endings: LineEndings = { lf: 0, crlf: 0, cr: 0 }): AsyncGenerator<{ n: number; text: string }> {
  let rest = '';
  let n = 0;
  for await (const chunk of chunks) {
    const s = rest + chunk;
    let start = 0;
    // Next positions of \n and \r, searched again only once passed (a file without \r would
    // otherwise be scanned to its end for every line).
    let nl = s.indexOf('\n');
    let cr = s.indexOf('\r');
    for (;;) {
      if (nl >= 0 && nl < start) nl = s.indexOf('\n', start);
      if (cr >= 0 && cr < start) cr = s.indexOf('\r', start);
      if (nl < 0 && cr < 0) break;
      let end: number;
      let next: number;
      if (cr >= 0 && (nl < 0 || cr < nl)) {
        // "\r" at the very end of the chunk: wait for the next chunk to know whether "\n" follows.
        if (cr === s.length - 1) break;
        end = cr;
        if (s[cr + 1] === '\n') {
          next = cr + 2;
          endings.crlf++;
        } else {
          next = cr + 1;
          endings.cr++;
        }
      } else {
        end = nl;
        next = nl + 1;
        endings.lf++;
      }
      yield { n: ++n, text: s.slice(start, end) };
      start = next;
    }
    rest = s.slice(start);
  }
  if (rest.endsWith('\r')) {
    endings.cr++;
    rest = rest.slice(0, -1);
    yield { n: n + 1, text: rest };
    return;
  }
  if (rest !== '') yield { n: n + 1, text: rest };
}

/**
 * Whether a line ends inside a quoted field, given whether it started inside one. Quotes open a
 * field only at its start (as papaparse reads them); a doubled quote inside is an escaped quote.
 */
export function endsInQuotes(line: string, delimiter: string, startInQuotes: boolean, quote: string | null = '"'): boolean {
  if (quote === null) return false;
  if (!startInQuotes && !line.includes(quote)) return false;
  let inQuotes = startInQuotes;
  let fieldStart = !startInQuotes;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inQuotes) {
      if (c === quote) {
        if (line[i + 1] === quote) i++;
        else inQuotes = false;
      }
      continue;
    }
    if (c === delimiter) fieldStart = true;
    else if (c === quote && fieldStart) {
      inQuotes = true;
      fieldStart = false;
    } else fieldStart = false;
  }
  return inQuotes;
}

/** A quote character no text holds: Darwin Core files may declare no quoting at all. */
const NO_QUOTE = '\u0000';

/** Parses one batch of record texts with papaparse; null when it does not give one row per record. */
function parseBatch(texts: readonly string[], delimiter: string, quote: string | null): string[][] | null {
  const r = Papa.parse<string[]>(texts.join('\n'), { delimiter, newline: '\n', quoteChar: quote ?? NO_QUOTE, skipEmptyLines: false });
  return r.data.length === texts.length ? r.data : null;
}

/** Parses one record alone (fallback when a batch does not line up). */
export function parseRecord(text: string, delimiter: string, quote: string | null = '"'): string[] {
  const r = Papa.parse<string[]>(text, { delimiter, newline: '\n', quoteChar: quote ?? NO_QUOTE });
  return r.data[0] ?? [''];
}

/**
 * Groups physical lines into records and parses them in batches. Blank lines are skipped (as
 * GeoNature's importer does). An unclosed quote: after {@link MAX_RECORD_LINES} lines, or at the end
 * of the file, the record is cut back to its first line (flagged) and reading resumes on the next.
 */
export async function* csvRecords(
  lines: AsyncIterable<{ n: number; text: string }>,
  delimiter: string,
  opts: { quote?: string | null; batchSize?: number } = {},
): AsyncGenerator<CsvRecord[]> {
  const quote = opts.quote === undefined ? '"' : opts.quote;
  const batchSize = opts.batchSize ?? 2000;
  let batch: { line: number; lines: number; text: string; unclosed: boolean }[] = [];
  const flush = (): CsvRecord[] => {
    const texts = batch.map((b) => b.text);
    const parsed = parseBatch(texts, delimiter, quote);
    const out = batch.map((b, i) => ({ line: b.line, lines: b.lines, text: b.text, unclosedQuote: b.unclosed, fields: parsed?.[i] ?? parseRecord(b.text, delimiter, quote) }));
    batch = [];
    return out;
  };
  // A record being built across lines.
  let open: { line: number; parts: { n: number; text: string }[] } | null = null;
  const pending: { n: number; text: string }[] = [];
  const iterator = lines[Symbol.asyncIterator]();
  const next = async (): Promise<{ n: number; text: string } | null> => {
    const p = pending.shift();
    if (p) return p;
    const r = await iterator.next();
    return r.done ? null : r.value;
  };
  for (;;) {
    const l = await next();
    if (l === null) {
      if (open) {
        // End of file inside a quote: the first line alone is the broken record; re-read the rest.
        const [first, ...others] = open.parts;
        open = null;
        if (first) batch.push({ line: first.n, lines: 1, text: first.text, unclosed: true });
        pending.push(...others);
        if (pending.length) continue;
      }
      break;
    }
    if (open) {
      open.parts.push(l);
      // A continuation line starts inside the quoted field (the line break belongs to it).
      if (!endsInQuotes(l.text, delimiter, true, quote)) {
        batch.push({ line: open.line, lines: open.parts.length, text: open.parts.map((p) => p.text).join('\n'), unclosed: false });
        open = null;
      } else if (open.parts.length >= MAX_RECORD_LINES) {
        const [first, ...others] = open.parts;
        open = null;
        if (first) batch.push({ line: first.n, lines: 1, text: first.text, unclosed: true });
        pending.unshift(...others);
      }
    } else if (l.text.trim() === '') {
      continue;
    } else if (endsInQuotes(l.text, delimiter, false, quote)) {
      open = { line: l.n, parts: [l] };
    } else {
      batch.push({ line: l.n, lines: 1, text: l.text, unclosed: false });
    }
    if (batch.length >= batchSize) yield flush();
  }
  if (batch.length) yield flush();
}

/** Guesses the delimiter from the first lines: the one giving the same field count (> 1) on the most lines. */
export function guessDelimiter(sampleLines: readonly string[]): CsvDelimiter {
  const candidates: CsvDelimiter[] = [';', ',', '\t', '|'];
  const lines = sampleLines.filter((l) => l.trim() !== '').slice(0, 50);
  let best: { d: CsvDelimiter; score: number } = { d: ';', score: -1 };
  for (const d of candidates) {
    const counts = lines.map((l) => parseRecord(l, d).length);
    const first = counts[0] ?? 1;
    if (first < 2) continue;
    const same = counts.filter((c) => c === first).length;
    const score = same * 1000 + first;
    if (score > best.score) best = { d, score };
  }
  if (best.score < 0) {
    // One column everywhere: papaparse's own guess, else ';' (French spreadsheets).
    const g = Papa.parse(lines.join('\n'), { delimitersToGuess: candidates, preview: 10 });
    const d = g.meta.delimiter as CsvDelimiter;
    return candidates.includes(d) ? d : ';';
  }
  return best.d;
}
