import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import {
  METROPOLITAN_FRANCE,
  OCC_COMPORTEMENT_CODES,
  STATUT_BIO_CODES,
  V13_BEHAVIOUR_CODES,
  normaliseDepartementCode,
  parseSensitivityLevel,
  yearPeriod,
  type AreaRef,
  type RuleSource,
  type SensitivityRule,
} from '../../../shared/sensitivity/index.js';
import { AppError } from '../errors.js';
import { decodeText, detectDelimiter, parseCsv, type TextEncoding } from './csv.js';

/** The two published layouts of the SINP sensitivity referential. */
export type ReferentialLayout = 'v13' | 'v18';

/** A line of the file that did not make a rule: where, and why. */
export interface ReferentialLineError {
  /** 1-based line of the file (the header is line 1). */
  readonly line: number;
  /** Stable reason code: `csv`, `field-count`, `cd-nom`, `level`, `departement`, `territory`, `duration`, `statut-bio`, `comportement`, `period`. */
  readonly code: string;
  /** English sentence naming the value, for the log and the CLI. */
  readonly message: string;
}

/** Where a referential comes from, kept with every rule and in the check's results. */
export interface ReferentialProvenance {
  readonly name: string;
  readonly version: string | null;
  readonly file: string | null;
  readonly sha256: string;
  readonly layout: ReferentialLayout;
  readonly encoding: TextEncoding;
  readonly delimiter: string;
}

/** A referential file read: its rules, its bad lines and its provenance. */
export interface LoadedReferential {
  readonly provenance: ReferentialProvenance;
  readonly rules: SensitivityRule[];
  readonly errors: ReferentialLineError[];
  /** Data lines read (rules + errors). */
  readonly dataLines: number;
  /** Header columns the loader does not use (kept for the report: a renamed column shows here). */
  readonly ignoredColumns: string[];
}

/** Provenance given by the caller (the file name is only a guess). */
export interface ReferentialOptions {
  /** Referential name for provenance; default: the file name without extension. */
  readonly name?: string;
  /** Referential version; default: the number in the file name (`RefSensibilite_18.csv` → 18), else null. */
  readonly version?: string | null;
  /** Prefix of rule ids (unique across the referentials checked together); default: `<name>[ v<version>]`. */
  readonly idPrefix?: string;
  /** File path for provenance and messages. */
  readonly file?: string;
}

const V18_REQUIRED = ['cd_nom', 'cd_sensibilite'] as const;
const V18_USED = ['cd_nom', 'nom_cite', 'cd_sensibilite', 'cd_dep', 'cd_dept', 'duree', 'autre', 'statut_biologique', 'comportement'];
const V13_REQUIRED = ['cd_nom', 'codage', 'cd_sig'] as const;
const V13_USED = ['cd_sens', 'cd_nom', 'nom_cite', 'duree', 'perimetre', 'autre', 'codage', 'cd_sig', 'cd_occ_statut_biologique', 'date_min', 'date_max'];

const normaliseHeader = (h: string) => h.replace(/^\ufeff/, '').trim().replace(/^"|"$/g, '').trim().toLowerCase();

/**
 * Reads a referential file from disk (see {@link parseReferential}).
 *
 * Throws NOT_FOUND / UNREADABLE for the file itself; bad lines are values in `errors`.
 */
export async function loadReferentialFile(path: string, options: Omit<ReferentialOptions, 'file'> = {}): Promise<LoadedReferential> {
  let bytes: Buffer;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new AppError('UNREADABLE', `${path} is a folder, not a referential file`, { key: 'errors.IS_DIRECTORY', params: { path }, where: path });
    bytes = await readFile(path);
  } catch (e) {
    if (e instanceof AppError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('NOT_FOUND', `No referential file at ${path}`, { key: 'errors.FILE_NOT_FOUND', params: { path }, where: path, cause: e });
    const reason = e instanceof Error ? e.message : String(e);
    throw new AppError('UNREADABLE', `Cannot read the referential ${path}: ${reason}`, { key: 'errors.FILE_UNREADABLE', params: { path, reason }, where: path, cause: e });
  }
  return parseReferential(bytes, { ...options, file: path });
}

/** Name and version guessed from a file name: `RefSensibilite_18.csv` → RefSensibilite_18, 18. */
function defaultsFromFile(file: string | undefined): { name: string; version: string | null } {
  if (!file) return { name: 'referential', version: null };
  const stem = basename(file, extname(file)).replace(/\.csv$/i, '');
  const m = /(?:^|[_\s-])v?(\d{1,3})(?:[_\s-]|$)/i.exec(stem);
  return { name: stem, version: m?.[1] ?? null };
}

/**
 * Parses a SINP sensitivity referential in either published layout, matching columns by
 * name (any order, any case, extra columns ignored):
 *
 * - v13 (`,`): `cd_sens, cd_nom, nom_cite, grain, duree, perimetre, autre, codage, cd_sl,
 *   cd_sig, cd_occ_statut_biologique, date_min, date_max`. `cd_sig` is the territory
 *   (`TERFXFR` metropolitan France, `INSEED<dep>`, `INSEER<region>` — 2016 or 1970 codes);
 *   `cd_occ_statut_biologique` is a STATUT_BIO code, or an OCC_COMPORTEMENT code for 6, 7, 8,
 *   10, 11, 12 (as GeoNature's migration reads it); `date_min`/`date_max` the period of the year.
 * - v18 (`;`): `CD_NOM;NOM_CITE;CD_SENSIBILITE;CD_DEP|CD_DEPT;DUREE;AUTRE;STATUT_BIOLOGIQUE;COMPORTEMENT`,
 *   one rule per taxon and département (`D1`…`D6` = 971…976), no period.
 *
 * An empty `duree`/`DUREE` means no time limit; an empty `CD_DEP` a rule for everywhere
 * (precaution: GeoNature would link it to no area, which also means everywhere). A criteria cell may hold several codes
 * separated by `,`, `|` or `/`. Every line that does not make a valid rule is reported with
 * its line number and reason; the file as a whole fails (INVALID_INPUT) only when its header
 * is not one of the layouts.
 */
export function parseReferential(bytes: Uint8Array, options: ReferentialOptions = {}): LoadedReferential {
  const where = options.file ?? 'referential';
  const { text, encoding } = decodeText(bytes);
  const firstLineEnd = text.search(/\r\n|\n|\r/);
  const headerLine = firstLineEnd < 0 ? text : text.slice(0, firstLineEnd);
  if (headerLine.trim() === '') {
    throw new AppError('INVALID_INPUT', `${where}: the referential file is empty`, { key: 'errors.SENSITIVITY_REFERENTIAL_EMPTY', params: { path: where }, where });
  }
  const delimiter = detectDelimiter(headerLine);
  const records = parseCsv(text, delimiter);
  const header = (records[0]?.fields ?? []).map(normaliseHeader);
  const col = new Map<string, number>();
  header.forEach((h, i) => {
    if (!col.has(h)) col.set(h, i);
  });
  const layout: ReferentialLayout | null = col.has('cd_sensibilite') ? 'v18' : col.has('codage') ? 'v13' : null;
  const required: readonly string[] = layout === 'v18' ? [...V18_REQUIRED, col.has('cd_dept') ? 'cd_dept' : 'cd_dep'] : layout === 'v13' ? V13_REQUIRED : [];
  const missing = layout ? required.filter((c) => !col.has(c)) : ['cd_sensibilite (v18) or codage (v13)'];
  if (!layout || missing.length > 0) {
    throw new AppError(
      'INVALID_INPUT',
      `${where}: not a SINP sensitivity referential (v13 or v18 layout): missing column(s) ${missing.join(', ')}; header is "${headerLine.slice(0, 200)}"`,
      { key: 'errors.SENSITIVITY_REFERENTIAL_COLUMNS', params: { path: where, missing: missing.join(', ') }, where },
    );
  }
  const guessed = defaultsFromFile(options.file);
  const name = options.name ?? guessed.name;
  const version = options.version === undefined ? guessed.version : options.version;
  const idPrefix = options.idPrefix ?? (version ? `${name} v${version}` : name);
  const used = layout === 'v18' ? V18_USED : V13_USED;
  const rules: SensitivityRule[] = [];
  const errors: ReferentialLineError[] = [];
  const ids = new Set<string>();
  const get = (fields: string[], c: string): string => {
    const i = col.get(c);
    return i === undefined ? '' : (fields[i] ?? '').trim();
  };

  for (const rec of records.slice(1)) {
    const fail = (code: string, message: string) => errors.push({ line: rec.line, code, message: `line ${rec.line}: ${message}` });
    if (rec.problem) {
      fail('csv', rec.problem);
      continue;
    }
    if (rec.fields.length !== header.length) {
      fail('field-count', `${rec.fields.length} fields where the header has ${header.length}`);
      continue;
    }
    const source: RuleSource = { name, version, format: layout, line: rec.line };
    const problem = layout === 'v18' ? v18Rule(rec.fields, get, source) : v13Rule(rec.fields, get, source);
    if ('code' in problem) {
      fail(problem.code, problem.message);
      continue;
    }
    const ownId = layout === 'v13' ? get(rec.fields, 'cd_sens') : '';
    let id = `${idPrefix}:${ownId || `line ${rec.line}`}`;
    if (ids.has(id)) id = `${idPrefix}:line ${rec.line}`;
    ids.add(id);
    rules.push({ ...problem.rule, id });
  }

  return {
    provenance: { name, version, file: options.file ?? null, sha256: createHash('sha256').update(bytes).digest('hex'), layout, encoding, delimiter },
    rules,
    errors,
    dataLines: records.length - 1,
    ignoredColumns: header.filter((h) => !used.includes(h) && h !== ''),
  };
}

type Getter = (fields: string[], column: string) => string;
type RuleOrProblem = { rule: Omit<SensitivityRule, 'id'> } | { code: string; message: string };

function common(fields: string[], get: Getter, levelColumn: string, durationColumn: string): { cdNom: number; level: SensitivityRule['level']; durationYears: number | null } | { code: string; message: string } {
  const cdNomText = get(fields, 'cd_nom');
  const cdNom = /^\d+$/.test(cdNomText) ? Number(cdNomText) : NaN;
  if (!Number.isSafeInteger(cdNom) || cdNom <= 0) return { code: 'cd-nom', message: `cd_nom "${cdNomText}" is not a positive integer` };
  const levelText = get(fields, levelColumn);
  const level = parseSensitivityLevel(levelText);
  if (level === null) return { code: 'level', message: `${levelColumn} "${levelText}" is not a sensitivity level 0–4` };
  const durationText = get(fields, durationColumn);
  let durationYears: number | null = null;
  if (durationText !== '') {
    if (!/^\d+$/.test(durationText)) return { code: 'duration', message: `${durationColumn} "${durationText}" is not a whole number of years` };
    durationYears = Number(durationText);
  }
  return { cdNom, level, durationYears };
}

function codes(text: string): string[] {
  return text
    .split(/[,|/]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function v18Rule(fields: string[], get: Getter, source: RuleSource): RuleOrProblem {
  const c = common(fields, get, 'cd_sensibilite', 'duree');
  if ('code' in c) return c;
  const depText = get(fields, 'cd_dep') || get(fields, 'cd_dept');
  let territory: AreaRef[] | null = null;
  if (depText !== '') {
    const dep = normaliseDepartementCode(depText);
    if (dep === null) return { code: 'departement', message: `département "${depText}" is not a département code` };
    territory = [{ type: 'DEP', code: dep }];
  }
  const bio = codes(get(fields, 'statut_biologique'));
  const badBio = bio.find((b) => !STATUT_BIO_CODES.has(b));
  if (badBio !== undefined) return { code: 'statut-bio', message: `STATUT_BIOLOGIQUE "${badBio}" is not a STATUT_BIO code` };
  const beh = codes(get(fields, 'comportement'));
  const badBeh = beh.find((b) => !OCC_COMPORTEMENT_CODES.has(b));
  if (badBeh !== undefined) return { code: 'comportement', message: `COMPORTEMENT "${badBeh}" is not an OCC_COMPORTEMENT code` };
  return {
    rule: {
      cdNom: c.cdNom,
      nomCite: get(fields, 'nom_cite') || null,
      level: c.level,
      durationYears: c.durationYears,
      territory,
      period: null,
      bioStatus: bio.length ? bio : null,
      behaviour: beh.length ? beh : null,
      local: false,
      source,
      comment: get(fields, 'autre') || null,
    },
  };
}

function v13Rule(fields: string[], get: Getter, source: RuleSource): RuleOrProblem {
  const c = common(fields, get, 'codage', 'duree');
  if ('code' in c) return c;
  const sig = get(fields, 'cd_sig').toUpperCase();
  const perimetre = get(fields, 'perimetre');
  let territory: AreaRef[];
  if (sig === 'TERFXFR' || (sig === '' && /^france m[ée]tropolitaine$/i.test(perimetre))) {
    territory = [{ type: 'TER', code: METROPOLITAN_FRANCE }];
  } else if (sig.startsWith('INSEED')) {
    const dep = normaliseDepartementCode(sig.slice(6));
    if (dep === null) return { code: 'territory', message: `cd_sig "${sig}" does not name a département` };
    territory = [{ type: 'DEP', code: dep }];
  } else if (/^INSEER\d{2}$/.test(sig)) {
    territory = [{ type: 'REG', code: sig.slice(6) }];
  } else {
    return { code: 'territory', message: `cd_sig "${sig}" (perimetre "${perimetre}") is not TERFXFR, INSEED<département> or INSEER<région>` };
  }
  const occ = codes(get(fields, 'cd_occ_statut_biologique'));
  const bio: string[] = [];
  const beh: string[] = [];
  for (const code of occ) {
    if (V13_BEHAVIOUR_CODES.has(code)) beh.push(code);
    else if (STATUT_BIO_CODES.has(code)) bio.push(code);
    else return { code: 'statut-bio', message: `cd_occ_statut_biologique "${code}" is neither a STATUT_BIO code nor a former one now in OCC_COMPORTEMENT` };
  }
  const period = yearPeriod(get(fields, 'date_min'), get(fields, 'date_max'));
  if (period === undefined) return { code: 'period', message: `date_min "${get(fields, 'date_min')}" / date_max "${get(fields, 'date_max')}" is not a period of the year` };
  return {
    rule: {
      cdNom: c.cdNom,
      nomCite: get(fields, 'nom_cite') || null,
      level: c.level,
      durationYears: c.durationYears,
      territory,
      period,
      bioStatus: bio.length ? bio : null,
      behaviour: beh.length ? beh : null,
      local: false,
      source,
      comment: get(fields, 'autre') || null,
    },
  };
}
