/**
 * Reads the data blocks of a plain-text pg_dump (`COPY table (cols) FROM stdin;` … `\.`).
 *
 * PostgreSQL's COPY text format: tab-separated, `\N` for NULL, backslash escapes
 * (`\\`, `\t`, `\n`, `\r`, octal `\123`, hex `\x41`). Used to load real GeoNature dumps
 * without a database (the demo) and into one (tests).
 */
export interface CopyBlock {
  table: string;
  columns: string[];
  rows: Array<Array<string | null>>;
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** Decodes one COPY text field; null for `\N`. */
export function decodeCopyField(raw: string): string | null {
  if (raw === '\\N') return null;
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c !== '\\' || i === raw.length - 1) {
      out += c;
      continue;
    }
    const n = raw[i + 1] as string;
    if (n in ESCAPES) {
      out += ESCAPES[n];
      i++;
    } else if (n === 'x' && /^[0-9a-fA-F]{1,2}/.test(raw.slice(i + 2))) {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(raw.slice(i + 2))?.[0] ?? '';
      out += String.fromCharCode(parseInt(hex, 16));
      i += 1 + hex.length;
    } else if (/[0-7]/.test(n)) {
      const oct = /^[0-7]{1,3}/.exec(raw.slice(i + 1))?.[0] ?? '';
      out += String.fromCharCode(parseInt(oct, 8));
      i += oct.length;
    } else {
      out += n;
      i++;
    }
  }
  return out;
}

/** Every COPY block of a dump, in order. */
export function parseCopyBlocks(dump: string): CopyBlock[] {
  const blocks: CopyBlock[] = [];
  const lines = dump.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^COPY\s+([^\s(]+)\s*\(([^)]*)\)\s+FROM\s+stdin;\s*$/i.exec(lines[i] as string);
    if (!m) continue;
    const columns = (m[2] as string).split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
    const rows: Array<Array<string | null>> = [];
    for (i++; i < lines.length && lines[i] !== '\\.'; i++) {
      const line = lines[i] as string;
      const fields = line.split('\t').map(decodeCopyField);
      if (fields.length !== columns.length) {
        throw new Error(`COPY ${m[1]}: line ${i + 1} has ${fields.length} fields, expected ${columns.length}`);
      }
      rows.push(fields);
    }
    blocks.push({ table: m[1] as string, columns, rows });
  }
  return blocks;
}
