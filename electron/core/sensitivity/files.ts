import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { localRules, type SensitivityRule, type TaxonRow } from '../../../shared/sensitivity/index.js';
import { AppError } from '../errors.js';
import { decodeText, detectDelimiter, parseCsv } from './csv.js';
import { parseReferential, type LoadedReferential } from './referential.js';

/** A line (or a rule of a JSON file) that did not make a rule or a taxon. */
export interface FileLineError {
  readonly line: number;
  readonly code: string;
  readonly message: string;
}

/** What a file holds, read but not yet stored. */
export type ParsedSensitivityFile =
  | { readonly kind: 'referential'; readonly loaded: LoadedReferential }
  | {
      readonly kind: 'local';
      readonly name: string;
      readonly version: string | null;
      readonly file: string;
      readonly sha256: string;
      readonly rules: SensitivityRule[];
      readonly errors: FileLineError[];
      readonly dataLines: number;
    }
  | {
      readonly kind: 'taxonomy';
      readonly name: string;
      readonly version: string | null;
      readonly file: string;
      readonly sha256: string;
      readonly encoding: string;
      readonly delimiter: string;
      readonly rows: TaxonRow[];
      /** Vernacular names, by cd_nom (for the report). */
      readonly vernacular: ReadonlyMap<number, string>;
      readonly errors: FileLineError[];
      readonly dataLines: number;
      readonly ignoredColumns: string[];
    };

export type SensitivityFileKind = 'auto' | 'referential' | 'local-rules' | 'taxonomy';

async function readBytes(path: string): Promise<Buffer> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new AppError('UNREADABLE', `${path} is a folder, not a file`, { key: 'errors.IS_DIRECTORY', params: { path }, where: path });
    return await readFile(path);
  } catch (e) {
    if (e instanceof AppError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('NOT_FOUND', `No file at ${path}`, { key: 'errors.FILE_NOT_FOUND', params: { path }, where: path, cause: e });
    const reason = e instanceof Error ? e.message : String(e);
    throw new AppError('UNREADABLE', `Cannot read ${path}: ${reason}`, { key: 'errors.FILE_UNREADABLE', params: { path, reason }, where: path, cause: e });
  }
}

const header = (h: string) => h.replace(/^\ufeff/, '').trim().replace(/^"|"$/g, '').trim().toLowerCase();

/** The kind of a file: `.json` is local rules; a CSV with `cd_sensibilite` or `codage` a referential; with `cd_nom` and `cd_ref`/`cd_taxsup`/`cd_sup` a taxonomy. */
export function detectKind(path: string, bytes: Uint8Array): Exclude<SensitivityFileKind, 'auto'> {
  if (extname(path).toLowerCase() === '.json') return 'local-rules';
  const { text } = decodeText(bytes.subarray(0, 64 * 1024));
  const end = text.search(/\r\n|\n|\r/);
  const first = end < 0 ? text : text.slice(0, end);
  const cols = new Set(first.split(detectDelimiter(first)).map(header));
  if (cols.has('cd_sensibilite') || cols.has('codage')) return 'referential';
  if (cols.has('cd_nom') && (cols.has('cd_ref') || cols.has('cd_taxsup') || cols.has('cd_sup'))) return 'taxonomy';
  // Neither: read it as a referential, whose error names the columns it lacks.
  return 'referential';
}

function nameOf(path: string): { name: string; version: string | null } {
  const stem = basename(path, extname(path));
  const m = /(?:^|[_\s-])v?(\d{1,3})(?:[_\s-]|$)/i.exec(stem);
  return { name: stem, version: m?.[1] ?? null };
}

/**
 * Reads a file to load into a workspace: a SINP referential (v13 or v18 CSV, see
 * `parseReferential`), a JSON file of local rules (`{ name, version, rules: [...] }`), or a
 * taxonomy CSV (`cd_nom`, `cd_ref`, `cd_taxsup` or `cd_sup`, and optionally `rank`/`id_rang`,
 * `lb_nom`/`nom_valide`/`nom_complet`, `nom_vern`/`nom_francais`). Bad lines are values, never
 * dropped; only a file that is not of the kind at all fails (INVALID_INPUT).
 */
export async function readSensitivityFile(
  path: string,
  kind: SensitivityFileKind = 'auto',
  provenance: { name?: string | undefined; version?: string | undefined } = {},
): Promise<ParsedSensitivityFile> {
  const bytes = await readBytes(path);
  const k = kind === 'auto' ? detectKind(path, bytes) : kind;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (k === 'referential') {
    return {
      kind: 'referential',
      loaded: parseReferential(bytes, {
        file: path,
        ...(provenance.name !== undefined ? { name: provenance.name } : {}),
        ...(provenance.version !== undefined ? { version: provenance.version } : {}),
      }),
    };
  }
  if (k === 'local-rules') {
    let json: unknown;
    try {
      json = JSON.parse(decodeText(bytes).text);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new AppError('INVALID_INPUT', `${path} is not a local rules file: ${reason}`, { key: 'errors.SENSITIVITY_LOCAL_RULES_FILE', params: { path, reason }, where: path });
    }
    const r = localRules(json);
    const fileProblem = r.errors.find((e) => e.index < 0);
    if (fileProblem) {
      const reason = fileProblem.problems.map((p) => (typeof p === 'string' ? p : p.message)).join('; ');
      throw new AppError('INVALID_INPUT', `${path} is not a local rules file ({ name, version, rules: [...] }): ${reason}`, {
        key: 'errors.SENSITIVITY_LOCAL_RULES_FILE',
        params: { path, reason },
        where: path,
      });
    }
    const name = provenance.name ?? r.name;
    const version = provenance.version ?? r.version;
    const rules = r.rules.map((rule) => ({ ...rule, source: { ...rule.source, name, version } }));
    return {
      kind: 'local',
      name,
      version,
      file: path,
      sha256,
      rules,
      errors: r.errors.map((e) => ({
        line: e.index + 1,
        code: 'rule',
        message: `rule ${e.index + 1}: ${e.problems.map((p) => (typeof p === 'string' ? p : p.message)).join('; ')}`,
      })),
      dataLines: r.rules.length + r.errors.length,
    };
  }
  return parseTaxonomy(bytes, path, sha256, provenance);
}

const TAXONOMY_USED = ['cd_nom', 'cd_ref', 'cd_taxsup', 'cd_sup', 'rank', 'id_rang', 'lb_nom', 'nom_valide', 'nom_complet', 'nom_vern', 'nom_francais'];

function parseTaxonomy(bytes: Uint8Array, path: string, sha256: string, provenance: { name?: string | undefined; version?: string | undefined }): ParsedSensitivityFile {
  const { text, encoding } = decodeText(bytes);
  const end = text.search(/\r\n|\n|\r/);
  const first = end < 0 ? text : text.slice(0, end);
  if (first.trim() === '') throw new AppError('INVALID_INPUT', `${path}: the taxonomy file is empty`, { key: 'errors.SENSITIVITY_REFERENTIAL_EMPTY', params: { path }, where: path });
  const delimiter = detectDelimiter(first);
  const records = parseCsv(text, delimiter);
  const cols = (records[0]?.fields ?? []).map(header);
  const at = (c: string) => cols.indexOf(c);
  const missing = at('cd_nom') < 0 ? ['cd_nom'] : [];
  if (at('cd_ref') < 0 && at('cd_taxsup') < 0 && at('cd_sup') < 0) missing.push('cd_ref or cd_taxsup');
  if (missing.length > 0) {
    throw new AppError('INVALID_INPUT', `${path} is not a taxonomy: missing column(s) ${missing.join(', ')}`, { key: 'errors.SENSITIVITY_TAXONOMY_COLUMNS', params: { path, missing: missing.join(', ') }, where: path });
  }
  const pick = (...names: string[]) => names.map(at).find((i) => i >= 0) ?? -1;
  const iNom = at('cd_nom');
  const iRef = at('cd_ref');
  const iSup = pick('cd_taxsup', 'cd_sup');
  const iRank = pick('rank', 'id_rang');
  const iName = pick('lb_nom', 'nom_valide', 'nom_complet');
  const iVern = pick('nom_vern', 'nom_francais');
  const rows: TaxonRow[] = [];
  const vernacular = new Map<number, string>();
  const errors: FileLineError[] = [];
  const int = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v.trim()) ? Number(v.trim()) : null);
  for (const rec of records.slice(1)) {
    const fail = (code: string, message: string) => errors.push({ line: rec.line, code, message: `line ${rec.line}: ${message}` });
    if (rec.problem) {
      fail('csv', rec.problem);
      continue;
    }
    if (rec.fields.length !== cols.length) {
      fail('field-count', `${rec.fields.length} fields where the header has ${cols.length}`);
      continue;
    }
    const cdNom = int(rec.fields[iNom]);
    if (cdNom === null || cdNom <= 0) {
      fail('cd-nom', `cd_nom "${rec.fields[iNom] ?? ''}" is not a positive integer`);
      continue;
    }
    const refText = iRef >= 0 ? (rec.fields[iRef] ?? '').trim() : '';
    const cdRef = int(refText);
    if (refText !== '' && cdRef === null) {
      fail('cd-ref', `cd_ref "${refText}" is not a positive integer`);
      continue;
    }
    const supText = iSup >= 0 ? (rec.fields[iSup] ?? '').trim() : '';
    const cdTaxsup = int(supText);
    if (supText !== '' && cdTaxsup === null) {
      fail('cd-taxsup', `cd_taxsup "${supText}" is not a positive integer`);
      continue;
    }
    const text = (i: number) => (i >= 0 ? (rec.fields[i] ?? '').trim() || null : null);
    rows.push({ cdNom, cdRef, cdTaxsup, rank: text(iRank), name: text(iName) });
    const vern = text(iVern);
    if (vern) vernacular.set(cdNom, vern);
  }
  const guessed = nameOf(path);
  return {
    kind: 'taxonomy',
    name: provenance.name ?? guessed.name,
    version: provenance.version ?? guessed.version,
    file: path,
    sha256,
    encoding,
    delimiter,
    rows,
    vernacular,
    errors,
    dataLines: records.length - 1,
    ignoredColumns: cols.filter((c) => c !== '' && !TAXONOMY_USED.includes(c)),
  };
}
