import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type Database from 'better-sqlite3';
import {
  OverrideSet,
  TERRITORIES,
  TaxonomyIndex,
  compileReferential,
  rulesFromGeoNature,
  territoryForSrid,
  type GeoNatureRuleAreaRow,
  type GeoNatureRuleCriterionRow,
  type GeoNatureRuleRow,
  type SensitivityOverride,
  type SensitivityRule,
  type TaxonRow,
  type TerritorySystem,
} from '../../../shared/sensitivity/index.js';
import { AppError } from '../errors.js';
import { AreaIndex } from '../sensitivity/area-index.js';
import { BlurAreas } from '../sensitivity/blur.js';
import { decodeText, detectDelimiter, parseCsv } from '../sensitivity/csv.js';
import { validatedOverrides } from '../sensitivity/overrides.js';
import { loadReferentialFile } from '../sensitivity/referential.js';
import { SensitivityChecker } from '../sensitivity/runner.js';
import { readReferenceAreas, workspaceLocalSrid } from '../sensitivity/workspace-source.js';
import { hasTable } from '../workspace/migrations.js';

type Db = Database.Database;

/**
 * The sensitivity a bundle applies, behind one small interface: a checker ready for the build's
 * rows, and what to record about it in the bundle's provenance.
 *
 * Where the rules come from, first found wins:
 *  1. referential files given to the build (`--referential`, SINP v13/v18 layouts);
 *  2. the rules the workspace pulled from its GeoNature (`sensitivity_rules`, format 2).
 * Overrides: the workspace's stored overrides decided on or before `asOf` (read by
 * {@link workspaceOverrides} when the workspace has the table), so that a rebuild "as of" a past
 * moment applies the decisions of that moment. The taxonomy is the workspace's `taxref` (format 2)
 * plus an optional TAXREF-shaped file; a taxon none of them knows is unmatched, hence withheld.
 */
export interface BundleSensitivity {
  readonly checker: SensitivityChecker;
  readonly provenance: SensitivityProvenance;
  /** Names of taxa by cd_nom, for the unmatched-taxa list. */
  taxonName(cdNom: number): string | null;
}

/** What the bundle records about the sensitivity it applied (provenance, README, gate). */
export interface SensitivityProvenance {
  readonly source: 'referential-file' | 'workspace-rules';
  readonly referentials: readonly { name: string; version: string | null; file: string | null; sha256: string | null; rules: number; badLines: number }[];
  readonly taxonomy: { readonly workspaceRows: number; readonly file: string | null; readonly fileSha256: string | null; readonly fileRows: number };
  readonly overrides: number;
  /** The day rules are evaluated at (durations), from the bundle's asOf. */
  readonly asOf: string;
  readonly unmatchedTaxa: 'withhold';
  readonly territory: { readonly id: string; readonly epsg: number; readonly gridPrefix: string };
  readonly areas: readonly { type: string; count: number }[];
}

/** What a build says about sensitivity. */
export interface SensitivityOptions {
  /** Referential files (SINP layouts); empty: the workspace's pulled rules. */
  readonly referentials: readonly string[];
  /** A TAXREF-shaped CSV (cd_nom, cd_ref, cd_taxsup… by header name), added to the workspace's taxref. */
  readonly taxonomy: string | null;
  /** ISO timestamp of the bundle; its day is the check's day. */
  readonly asOf: string;
}

/** Rows of a TAXREF-shaped CSV: columns found by name (cd_nom, cd_ref, cd_taxsup, rang/rank, lb_nom). */
export function readTaxonomyFile(path: string): { rows: TaxonRow[]; sha256: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('NOT_FOUND', `No taxonomy file at ${path}`, { key: 'errors.FILE_NOT_FOUND', params: { path }, where: path, cause: e });
    throw new AppError('UNREADABLE', `Cannot read the taxonomy ${path}`, { key: 'errors.FILE_UNREADABLE', params: { path, reason: String(e) }, where: path, cause: e });
  }
  const { text } = decodeText(bytes);
  const firstLine = text.slice(0, Math.max(0, text.search(/\r\n|\n|\r/)));
  const records = parseCsv(text, detectDelimiter(firstLine || text));
  const header = (records[0]?.fields ?? []).map((h) => h.replace(/^\ufeff/, '').trim().toLowerCase());
  const at = (names: string[]) => header.findIndex((h) => names.includes(h));
  const iNom = at(['cd_nom']);
  const iRef = at(['cd_ref']);
  const iSup = at(['cd_taxsup']);
  const iRank = at(['rang', 'rank', 'id_rang']);
  const iName = at(['lb_nom', 'nom_complet', 'name']);
  if (iNom < 0) {
    throw new AppError('INVALID_INPUT', `${path}: a taxonomy file needs a cd_nom column (and cd_ref, cd_taxsup)`, {
      key: 'errors.BUNDLE_TAXONOMY_COLUMNS',
      params: { path },
      where: path,
    });
  }
  const num = (v: string | undefined) => (v && /^\d+$/.test(v.trim()) ? Number(v.trim()) : null);
  const rows: TaxonRow[] = [];
  for (const r of records.slice(1)) {
    const cdNom = num(r.fields[iNom]);
    if (cdNom === null) continue;
    rows.push({
      cdNom,
      cdRef: iRef >= 0 ? num(r.fields[iRef]) : null,
      cdTaxsup: iSup >= 0 ? num(r.fields[iSup]) : null,
      rank: iRank >= 0 ? (r.fields[iRank] ?? null) : null,
      name: iName >= 0 ? (r.fields[iName] ?? null) : null,
    });
  }
  return { rows, sha256: createHash('sha256').update(bytes).digest('hex') };
}

function workspaceTaxonRows(db: Db): TaxonRow[] {
  if (!hasTable(db, 'taxref')) return [];
  const rows = db.prepare('SELECT cd_nom, cd_ref, cd_taxsup, id_rang, coalesce(nom_complet, lb_nom) AS name FROM taxref').all() as Array<{
    cd_nom: number;
    cd_ref: number | null;
    cd_taxsup: number | null;
    id_rang: string | null;
    name: string | null;
  }>;
  return rows.map((r) => ({ cdNom: r.cd_nom, cdRef: r.cd_ref, cdTaxsup: r.cd_taxsup, rank: r.id_rang, name: r.name }));
}

function workspaceRules(db: Db): SensitivityRule[] {
  if (!hasTable(db, 'sensitivity_rules')) return [];
  const rows = db.prepare('SELECT * FROM sensitivity_rules ORDER BY id_sensitivity').all() as GeoNatureRuleRow[];
  const areas = hasTable(db, 'sensitivity_rule_areas') ? (db.prepare('SELECT id_sensitivity, type_code, area_code FROM sensitivity_rule_areas ORDER BY rowid').all() as GeoNatureRuleAreaRow[]) : [];
  const criteria = hasTable(db, 'sensitivity_rule_criteria')
    ? (db.prepare('SELECT id_sensitivity, type_mnemonique, cd_nomenclature FROM sensitivity_rule_criteria ORDER BY rowid').all() as GeoNatureRuleCriterionRow[])
    : [];
  return rulesFromGeoNature(rows, areas, criteria).rules;
}

/**
 * The workspace's sensitivity overrides decided on or before `asOf`.
 *
 * The table belongs to the sensitivity wiring (workspace format 5); until a workspace has it
 * there are none. Read defensively: the columns are the contract's override fields, the target
 * and its filter as JSON.
 */
export function workspaceOverrides(db: Db, asOf: string): SensitivityOverride[] {
  if (!hasTable(db, 'sensitivity_overrides')) return [];
  const cols = new Set((db.prepare('PRAGMA table_info(sensitivity_overrides)').all() as Array<{ name: string }>).map((c) => c.name));
  if (!cols.has('level') || !cols.has('at')) return [];
  const rows = db.prepare('SELECT * FROM sensitivity_overrides ORDER BY rowid').all() as Array<Record<string, unknown>>;
  const out: SensitivityOverride[] = [];
  for (const r of rows) {
    const at = String(r.at ?? '');
    if (at > asOf) continue;
    if (r.revoked_at !== undefined && r.revoked_at !== null && String(r.revoked_at) <= asOf) continue;
    let target: SensitivityOverride['target'] | null = null;
    try {
      if (typeof r.target_json === 'string') target = JSON.parse(r.target_json) as SensitivityOverride['target'];
      else if (typeof r.uuid === 'string' && r.uuid) target = { kind: 'observation', uuid: r.uuid };
      else if (typeof r.filter_json === 'string') target = { kind: 'filter', filter: JSON.parse(r.filter_json) as never };
    } catch {
      target = null;
    }
    if (!target) continue;
    out.push({
      id: String(r.override_id ?? r.id ?? out.length + 1),
      target,
      level: Number(r.level) as SensitivityOverride['level'],
      justification: String(r.justification ?? ''),
      author: String(r.author ?? r.actor ?? ''),
      at,
    });
  }
  return out;
}

/**
 * Prepares the sensitivity check of a build. Null when there is nothing to check with (no
 * referential given and none pulled): the caller decides whether that is acceptable (precise
 * audiences) or not (open data).
 */
export async function openBundleSensitivity(db: Db, opts: SensitivityOptions): Promise<BundleSensitivity | null> {
  const day = opts.asOf.slice(0, 10);
  const referentials: SensitivityProvenance['referentials'][number][] = [];
  let rules: SensitivityRule[] = [];
  let source: SensitivityProvenance['source'];
  if (opts.referentials.length > 0) {
    source = 'referential-file';
    for (const file of opts.referentials) {
      const loaded = await loadReferentialFile(file);
      rules = rules.concat(loaded.rules);
      referentials.push({
        name: loaded.provenance.name,
        version: loaded.provenance.version,
        file: basename(file),
        sha256: loaded.provenance.sha256,
        rules: loaded.rules.length,
        badLines: loaded.errors.length,
      });
    }
  } else {
    rules = workspaceRules(db);
    if (rules.length === 0) return null;
    source = 'workspace-rules';
    referentials.push({ name: 'GeoNature gn_sensitivity (workspace)', version: null, file: null, sha256: null, rules: rules.length, badLines: 0 });
  }
  const wsTaxa = workspaceTaxonRows(db);
  const fileTaxa = opts.taxonomy ? readTaxonomyFile(opts.taxonomy) : null;
  const taxonRows = fileTaxa ? [...wsTaxa, ...fileTaxa.rows] : wsTaxa;
  const taxonomy = TaxonomyIndex.build(taxonRows);
  const names = new Map<number, string>();
  for (const r of taxonRows) if (r.name) names.set(r.cdNom, r.name);

  const areas = readReferenceAreas(db);
  const index = new AreaIndex(areas);
  const localSrid = workspaceLocalSrid(db);
  const territory: TerritorySystem = territoryForSrid(localSrid ?? 2154) ?? (TERRITORIES.FXX as TerritorySystem);
  const overrides = workspaceOverrides(db, opts.asOf);
  const referential = compileReferential(rules, taxonomy, { loadedAreas: index.keys() });
  const checker = new SensitivityChecker({
    referential,
    blurAreas: new BlurAreas(index, territory),
    asOf: day,
    overrides: overrides.length > 0 ? validatedOverrides(overrides) : new OverrideSet([]),
    localSrid,
  });
  const areaCounts = new Map<string, number>();
  for (const a of areas) areaCounts.set(a.type, (areaCounts.get(a.type) ?? 0) + 1);
  return {
    checker,
    taxonName: (cdNom) => names.get(cdNom) ?? null,
    provenance: {
      source,
      referentials,
      taxonomy: { workspaceRows: wsTaxa.length, file: opts.taxonomy ? basename(opts.taxonomy) : null, fileSha256: fileTaxa?.sha256 ?? null, fileRows: fileTaxa?.rows.length ?? 0 },
      overrides: overrides.length,
      asOf: day,
      unmatchedTaxa: 'withhold',
      territory: { id: territory.id, epsg: territory.epsg, gridPrefix: territory.gridPrefix },
      areas: [...areaCounts].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([type, count]) => ({ type, count })),
    },
  };
}
