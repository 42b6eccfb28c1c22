/**
 * Regenerates `shared/metadata/nomenclature-data.ts`, the SINP nomenclature values that CA and
 * JDD fields take, from the upstream SQL of PnX-SI/Nomenclature-api-module
 * (`nomenclatures_inpn_data.sql`, copied in `../shared/data/geonature/nomenclatures/`).
 *
 * Run: `npx tsx electron/core/metadata/build-nomenclature-catalog.ts [path/to/nomenclatures_inpn_data.sql]`
 * (default: `../shared/data/geonature/nomenclatures/nomenclatures_inpn_data.sql`, or
 * `$PASSERELLE_SHARED_DATA/geonature/nomenclatures/…`). A unit test regenerates the module in
 * memory and fails when the committed file differs, so the file cannot drift from its source.
 *
 * Only French labels exist upstream (the file has no label_en column); the English labels are
 * Passerelle's translation, kept by hand in `shared/metadata/nomenclature-labels-en.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { METADATA_NOMENCLATURE_TYPES } from '../../../shared/metadata/nomenclature-types.js';
import { appRoot } from '../paths.js';

/** One nomenclature value as the SQL file gives it. */
export interface SourceNomenclatureValue {
  readonly code: string;
  readonly label: string;
  readonly definition: string | null;
  readonly hierarchy: string | null;
  readonly active: boolean;
}

/** One nomenclature type (bib_nomenclatures_types) with its values, in file order. */
export interface SourceNomenclatureType {
  readonly mnemonique: string;
  readonly label: string;
  readonly definition: string | null;
  readonly values: SourceNomenclatureValue[];
}

type SqlValue = string | number | boolean | null | { readonly call: string; readonly args: SqlValue[] };

/** Reads one SQL literal or function call at `i`; returns it and the index after it. */
function readValue(sql: string, start: number): [SqlValue, number] {
  let i = start;
  while (/\s/.test(sql[i] ?? '')) i++;
  const c = sql[i];
  if ((c === 'E' || c === 'e') && sql[i + 1] === "'") {
    // E'…' strings: backslash escapes (\\, \', \n, \t), and '' as in plain strings.
    let out = '';
    i += 2;
    for (;;) {
      const ch = sql[i];
      if (ch === undefined) throw new Error(`unterminated string at ${start}`);
      if (ch === '\\') {
        const e = sql[i + 1] ?? '';
        out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
        i += 2;
        continue;
      }
      if (ch === "'") {
        if (sql[i + 1] === "'") {
          out += "'";
          i += 2;
          continue;
        }
        return [out, i + 1];
      }
      out += ch;
      i++;
    }
  }
  if (c === "'") {
    let out = '';
    i++;
    for (;;) {
      const ch = sql[i];
      if (ch === undefined) throw new Error(`unterminated string at ${start}`);
      if (ch === "'") {
        if (sql[i + 1] === "'") {
          out += "'";
          i += 2;
          continue;
        }
        return [out, i + 1];
      }
      out += ch;
      i++;
    }
  }
  const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(sql.slice(i));
  if (word) {
    const name = word[0];
    i += name.length;
    while (/\s/.test(sql[i] ?? '')) i++;
    if (sql[i] === '(') {
      const args: SqlValue[] = [];
      i++;
      while (/\s/.test(sql[i] ?? '')) i++;
      if (sql[i] === ')') return [{ call: name, args }, i + 1];
      for (;;) {
        const [v, next] = readValue(sql, i);
        args.push(v);
        i = next;
        while (/\s/.test(sql[i] ?? '')) i++;
        if (sql[i] === ',') {
          i++;
          continue;
        }
        if (sql[i] === ')') return [{ call: name, args }, i + 1];
        throw new Error(`expected , or ) at ${i} in ${name}(…)`);
      }
    }
    const lower = name.toLowerCase();
    if (lower === 'true') return [true, i];
    if (lower === 'false') return [false, i];
    if (lower === 'null') return [null, i];
    throw new Error(`unexpected identifier ${name} at ${start}`);
  }
  const num = /^-?\d+(\.\d+)?/.exec(sql.slice(i));
  if (num) return [Number(num[0]), i + num[0].length];
  throw new Error(`unexpected character ${JSON.stringify(c)} at ${i}`);
}

/** Reads the `(…), (…), …` tuples of a VALUES list starting at `i`, up to the closing `;`. */
function readTuples(sql: string, start: number): SqlValue[][] {
  const tuples: SqlValue[][] = [];
  let i = start;
  for (;;) {
    while (/[\s,]/.test(sql[i] ?? '')) i++;
    if (sql[i] === ';' || sql[i] === undefined) return tuples;
    if (sql[i] !== '(') throw new Error(`expected ( at ${i}`);
    i++;
    const tuple: SqlValue[] = [];
    for (;;) {
      const [v, next] = readValue(sql, i);
      tuple.push(v);
      i = next;
      while (/\s/.test(sql[i] ?? '')) i++;
      if (sql[i] === ',') {
        i++;
        continue;
      }
      if (sql[i] === ')') {
        i++;
        break;
      }
      throw new Error(`expected , or ) at ${i}`);
    }
    tuples.push(tuple);
  }
}

/** Drops `-- …` comments outside strings, so commented-out rows are not read. */
function stripLineComments(sql: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i] as string;
    if (inString) {
      out += c;
      if (c === "'") inString = false;
      continue;
    }
    if (c === "'") {
      inString = true;
      out += c;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      out += '\n';
      continue;
    }
    out += c;
  }
  return out;
}

/** The INSERT statements into `table`: their column list and rows. */
function inserts(sql: string, table: string): { columns: string[]; rows: SqlValue[][] }[] {
  const re = new RegExp(`INSERT INTO\\s+${table}\\s*\\(([^)]*)\\)\\s*VALUES`, 'gi');
  const out: { columns: string[]; rows: SqlValue[][] }[] = [];
  for (const m of sql.matchAll(re)) {
    const columns = (m[1] ?? '').split(',').map((c) => c.trim());
    out.push({ columns, rows: readTuples(sql, (m.index ?? 0) + m[0].length) });
  }
  return out;
}

const str = (v: SqlValue | undefined): string | null => (typeof v === 'string' ? v : v === null || v === undefined ? null : String(v));

/**
 * Parses the nomenclature SQL and keeps the types CA and JDD use.
 *
 * Throws when a type is missing, when a value's type is not written as
 * `get_id_nomenclature_type('X')` (the only form the file uses), or when a code appears twice
 * in one type: any of these means the upstream file changed shape and the catalog must be
 * looked at by a person.
 */
export function parseNomenclatureSql(sqlText: string, types: readonly string[] = METADATA_NOMENCLATURE_TYPES): SourceNomenclatureType[] {
  const sql = stripLineComments(sqlText);
  const typeRows = new Map<string, { label: string; definition: string | null }>();
  for (const { columns, rows } of inserts(sql, 'bib_nomenclatures_types')) {
    const at = (name: string) => columns.indexOf(name);
    for (const r of rows) {
      const mnemonique = str(r[at('mnemonique')]);
      if (mnemonique) typeRows.set(mnemonique, { label: str(r[at('label_fr')]) ?? mnemonique, definition: str(r[at('definition_fr')]) });
    }
  }
  const values = new Map<string, SourceNomenclatureValue[]>();
  for (const { columns, rows } of inserts(sql, 't_nomenclatures')) {
    const at = (name: string) => columns.indexOf(name);
    for (const r of rows) {
      const typeRef = r[at('id_type')];
      if (typeof typeRef !== 'object' || typeRef === null || typeRef.call !== 'get_id_nomenclature_type') {
        throw new Error(`t_nomenclatures row with an id_type that is not get_id_nomenclature_type('…'): ${JSON.stringify(r.slice(0, 3))}`);
      }
      const type = str(typeRef.args[0]);
      if (!type || !types.includes(type)) continue;
      const code = str(r[at('cd_nomenclature')]);
      const label = str(r[at('label_fr')]);
      if (!code || !label) throw new Error(`${type}: a value without code or label`);
      const list = values.get(type) ?? [];
      if (list.some((v) => v.code === code)) throw new Error(`${type}: code ${code} appears twice`);
      list.push({ code, label, definition: str(r[at('definition_fr')]), hierarchy: str(r[at('hierarchy')]), active: r[at('active')] !== false });
      values.set(type, list);
    }
  }
  return types.map((mnemonique) => {
    const t = typeRows.get(mnemonique);
    const v = values.get(mnemonique);
    if (!t || !v || v.length === 0) throw new Error(`nomenclature type ${mnemonique} not found in the SQL file`);
    return { mnemonique, label: t.label, definition: t.definition, values: v };
  });
}

/** Where the data comes from, written into the generated module's header and source constant. */
export const NOMENCLATURE_SOURCE = {
  repository: 'PnX-SI/Nomenclature-api-module',
  path: 'src/pypnnomenclature/migrations/data/nomenclatures_inpn_data.sql',
  commit: '2f30b07c901428ee8f0921a79f9be897263714ab',
  licence: 'GPL-3.0',
  localCopy: '../shared/data/geonature/nomenclatures/nomenclatures_inpn_data.sql',
} as const;

/** Renders the generated TypeScript module: stable order (types as listed, values as in the file). */
export function renderNomenclatureModule(types: readonly SourceNomenclatureType[]): string {
  const q = (s: string) => JSON.stringify(s);
  const lines: string[] = [
    '// GENERATED by electron/core/metadata/build-nomenclature-catalog.ts: do not edit by hand.',
    '// Regenerate with `npx tsx electron/core/metadata/build-nomenclature-catalog.ts`.',
    '//',
    `// Source: ${NOMENCLATURE_SOURCE.repository}, ${NOMENCLATURE_SOURCE.path}`,
    `// at commit ${NOMENCLATURE_SOURCE.commit} (${NOMENCLATURE_SOURCE.licence}), the SINP nomenclatures`,
    '// published by the INPN (MNHN/OFB) and used by GeoNature. French labels and definitions only:',
    '// the English labels are in nomenclature-labels-en.ts.',
    '',
    "import type { NomenclatureSourceData } from './nomenclature-types.js';",
    '',
    '/** Where the values below come from (for credits and for the export bundles\' provenance). */',
    'export const SINP_NOMENCLATURE_SOURCE = {',
    ...Object.entries(NOMENCLATURE_SOURCE).map(([k, v]) => `  ${k}: ${q(v)},`),
    '} as const;',
    '',
    '/** The SINP values of every nomenclature type a CA or JDD field takes, in the source\'s order. */',
    'export const SINP_NOMENCLATURE_DATA: NomenclatureSourceData = {',
  ];
  for (const t of types) {
    lines.push(`  ${t.mnemonique}: {`);
    lines.push(`    label: ${q(t.label)},`);
    lines.push(`    definition: ${t.definition === null ? 'null' : q(t.definition)},`);
    lines.push('    values: [');
    for (const v of t.values) {
      const parts = [`code: ${q(v.code)}`, `label: ${q(v.label)}`, `definition: ${v.definition === null ? 'null' : q(v.definition)}`, `hierarchy: ${v.hierarchy === null ? 'null' : q(v.hierarchy)}`];
      if (!v.active) parts.push('active: false');
      lines.push(`      { ${parts.join(', ')} },`);
    }
    lines.push('    ],');
    lines.push('  },');
  }
  lines.push('};', '');
  return lines.join('\n');
}

/** The default location of the upstream SQL file. */
export function defaultNomenclatureSqlPath(env: NodeJS.ProcessEnv = process.env): string {
  const data = resolve(env.PASSERELLE_SHARED_DATA ?? join(appRoot(), '..', 'shared', 'data'));
  return join(data, 'geonature', 'nomenclatures', 'nomenclatures_inpn_data.sql');
}

/** The generated module's path in the repository. */
export function nomenclatureModulePath(): string {
  return join(appRoot(), 'shared', 'metadata', 'nomenclature-data.ts');
}

/** Reads the SQL file and returns the module text (no write). */
export function buildNomenclatureModuleSync(sqlPath: string = defaultNomenclatureSqlPath()): string {
  return renderNomenclatureModule(parseNomenclatureSql(readFileSync(sqlPath, 'utf8')));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const sqlPath = process.argv[2] ? resolve(process.argv[2]) : defaultNomenclatureSqlPath();
  const out = nomenclatureModulePath();
  writeFileSync(out, buildNomenclatureModuleSync(sqlPath));
  console.warn(`wrote ${out} from ${sqlPath}`);
}
