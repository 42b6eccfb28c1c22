/**
 * Reading the referential CSV files: the character encoding, then RFC 4180 records.
 *
 * The INPN publishes files in UTF-8 (with or without a byte-order mark) or in Latin-1
 * (Windows-1252 in practice); GeoNature's importer assumes UTF-8 and fails on the others.
 */

/** The encodings a referential file is read in. */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/**
 * Decodes a file's bytes, detecting the encoding: a byte-order mark decides; otherwise
 * strict UTF-8 when every byte sequence is valid UTF-8, else Windows-1252 (a superset of
 * Latin-1 for printable characters, which is what French exports from spreadsheets use).
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

/** One CSV record with the line it starts on (1-based, header = 1). */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
  /** Set when the record is malformed (an unclosed quote). */
  readonly problem?: string;
}

/**
 * Splits text into records: `"` quotes fields (doubled inside), the delimiter and line
 * ends (LF, CRLF, CR) inside quotes are data. Empty lines are skipped. A quote that is
 * never closed makes one last record with a problem, never a silent merge of the rest.
 */
export function parseCsv(text: string, delimiter: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  const d = delimiter.charCodeAt(0);
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let atFieldStart = true;
    let problem: string | undefined;
    let endOfRecord = false;
    while (i < n && !endOfRecord) {
      const c = text.charCodeAt(i);
      if (quoted) {
        if (c === 34) {
          if (text.charCodeAt(i + 1) === 34) {
            field += '"';
            i += 2;
          } else {
            quoted = false;
            i++;
          }
        } else {
          if (c === 10) line++;
          else if (c === 13 && text.charCodeAt(i + 1) !== 10) line++;
          field += text[i];
          i++;
        }
        continue;
      }
      if (c === 34 && atFieldStart) {
        quoted = true;
        atFieldStart = false;
        i++;
      } else if (c === d) {
        fields.push(field);
        field = '';
        atFieldStart = true;
        i++;
      } else if (c === 10 || c === 13) {
        i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
        line++;
        endOfRecord = true;
      } else {
        field += text[i];
        atFieldStart = false;
        i++;
      }
    }
    if (quoted) problem = 'a quoted field is never closed';
    fields.push(field);
    const blank = fields.length === 1 && fields[0] === '' && !problem;
    if (!blank) out.push(problem ? { line: startLine, fields, problem } : { line: startLine, fields });
  }
  return out;
}

/** The delimiter of a header line: `;` or `,`, whichever splits it more (tab too). */
export function detectDelimiter(headerLine: string): ';' | ',' | '\t' {
  const count = (ch: string) => headerLine.split(ch).length - 1;
  const semi = count(';');
  const comma = count(',');
  const tab = count('\t');
  if (tab > semi && tab > comma) return '\t';
  return semi >= comma && semi > 0 ? ';' : ',';
}
