import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type Database from 'better-sqlite3';
import { DEFAULT_PROPAGATION, OverrideSet, TaxonomyIndex, compileReferential, type SensitivityRule, type TaxonRow, type TerritorySystem } from '../../../shared/sensitivity/index.js';
import { AppError } from '../errors.js';
import { AreaIndex } from '../sensitivity/area-index.js';
import { BlurAreas } from '../sensitivity/blur.js';
import { decodeText, detectDelimiter, parseCsv } from '../sensitivity/csv.js';
import { validatedOverrides } from '../sensitivity/overrides.js';
import { loadReferentialFile } from '../sensitivity/referential.js';
import { SensitivityChecker } from '../sensitivity/runner.js';
import { SENS } from '../sensitivity/schema.js';
import { overridesAsOf, pulledRules, storedRules, taxonomyRows } from '../sensitivity/store.js';
import { pickTerritory } from '../sensitivity/workspace-check.js';
import { readReferenceAreas, workspaceLocalSrid, workspaceSources } from '../sensitivity/workspace-source.js';
import { hasTable } from '../workspace/migrations.js';

type Db = Database.Database;

/**
 * The sensitivity a bundle applies, behind one small interface: a checker ready for the build's
 * rows (with the sources of site and relevé propagation already collected over the whole
 * workspace), and what to record about it in the bundle's provenance.
 *
 * Where the rules come from:
 *  - referential files given to the build (`--referential`, SINP v13/v18 layouts), alone;
 *  - otherwise the workspace's own, as its sensitivity check uses them (workspace format 5:
 *    the rules pulled from GeoNature, the referentials loaded into it and the park's local rules).
 * Either way the taxonomy is the workspace's (its taxref and the taxonomies loaded into it) plus an
 * optional TAXREF-shaped file, and the overrides are those in force at `asOf` (decided on or
 * before it, not revoked by then), so a rebuild "as of" a past moment applies that moment's
 * decisions. A taxon none of the taxonomies knows is unmatched, hence withheld.
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
  /** Site and relevé propagation mode, and how many observations are sources. */
  readonly propagation: { readonly mode: string; readonly sources: number };
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

/**
 * Prepares the sensitivity check of a build. Null when there is nothing to check with (no
 * referential given, none in the workspace): the caller decides whether that is acceptable
 * (precise audiences) or not (open data).
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
      referentials.push({ name: loaded.provenance.name, version: loaded.provenance.version, file: basename(file), sha256: loaded.provenance.sha256, rules: loaded.rules.length, badLines: loaded.errors.length });
    }
  } else {
    source = 'workspace-rules';
    const pulled = pulledRules(db);
    const stored = [...(pulled?.rules ?? []), ...storedRules(db, 'referential'), ...storedRules(db, 'local')];
    if (stored.length === 0) return null;
    rules = stored.map((x) => x.rule);
    const shas = new Map<number, string | null>();
    if (hasTable(db, SENS.referentials)) for (const r of db.prepare(`SELECT id, file_sha256 FROM ${SENS.referentials}`).all() as { id: number; file_sha256: string | null }[]) shas.set(r.id, r.file_sha256);
    const groups = new Map<string, SensitivityProvenance['referentials'][number] & { rules: number }>();
    for (const x of stored) {
      const o = x.origin;
      const key = `${o.kind}:${o.referentialId ?? o.name}`;
      const g = groups.get(key);
      if (g) g.rules++;
      else groups.set(key, { name: o.kind === 'pulled' ? `GeoNature gn_sensitivity (${o.name})` : o.name, version: o.version, file: null, sha256: o.referentialId === null ? null : (shas.get(o.referentialId) ?? null), rules: 1, badLines: 0 });
    }
    referentials.push(...groups.values());
  }
  const tax = taxonomyRows(db);
  const fileTaxa = opts.taxonomy ? readTaxonomyFile(opts.taxonomy) : null;
  const taxonRows = fileTaxa ? [...tax.rows, ...fileTaxa.rows] : tax.rows;
  const taxonomy = TaxonomyIndex.build(taxonRows);
  const names = new Map<number, string>();
  for (const r of taxonRows) if (r.name) names.set(r.cdNom, r.name);

  const areas = readReferenceAreas(db);
  const index = new AreaIndex(areas);
  const localSrid = workspaceLocalSrid(db);
  const territory: TerritorySystem = pickTerritory(null, localSrid, index);
  const overrides = overridesAsOf(db, opts.asOf);
  const referential = compileReferential(rules, taxonomy, { loadedAreas: index.keys() });
  const checker = new SensitivityChecker({
    referential,
    blurAreas: new BlurAreas(index, territory),
    asOf: day,
    overrides: overrides.length > 0 ? validatedOverrides(overrides) : new OverrideSet([]),
    localSrid,
    propagation: DEFAULT_PROPAGATION,
  });
  // The sources of propagation come from every observation of the workspace, whatever the
  // bundle's filters: a sensitive observation left out still blurs the ones at its site.
  const sites = workspaceSources(db, checker);
  checker.useSites(sites);
  const areaCounts = new Map<string, number>();
  for (const a of areas) areaCounts.set(a.type, (areaCounts.get(a.type) ?? 0) + 1);
  return {
    checker,
    taxonName: (cdNom) => names.get(cdNom) ?? null,
    provenance: {
      source,
      propagation: { mode: DEFAULT_PROPAGATION, sources: sites.size },
      referentials,
      taxonomy: { workspaceRows: tax.rows.length, file: opts.taxonomy ? basename(opts.taxonomy) : null, fileSha256: fileTaxa?.sha256 ?? null, fileRows: fileTaxa?.rows.length ?? 0 },
      overrides: overrides.length,
      asOf: day,
      unmatchedTaxa: 'withhold',
      territory: { id: territory.id, epsg: territory.epsg, gridPrefix: territory.gridPrefix },
      areas: [...areaCounts].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([type, count]) => ({ type, count })),
    },
  };
}
