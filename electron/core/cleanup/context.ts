import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type Database from 'better-sqlite3';
import Papa from 'papaparse';
import { catalogFromRows, SYNTHESE_CATALOG, type SyntheseCatalog } from '../../../shared/cleanup/nomenclatures.js';
import { buildTaxonomy, type TaxonRecord, type Taxonomy } from '../../../shared/cleanup/taxonomy.js';
import { AppError } from '../errors.js';
import { hasTable } from '../workspace/migrations.js';

type Db = Database.Database;

/**
 * The SINP values the checks compare with: a pulled workspace's own `nomenclatures` rows for the
 * types it has, the INPN referential (generated) for the others.
 */
export function loadCatalog(db: Db): SyntheseCatalog {
  if (!hasTable(db, 'nomenclatures')) return SYNTHESE_CATALOG;
  const rows = db.prepare('SELECT type_mnemonique AS type, cd_nomenclature AS code, coalesce(label_fr, label_default, mnemonique, cd_nomenclature) AS label, active FROM nomenclatures').all() as Array<{
    type: string;
    code: string;
    label: string;
    active: number | null;
  }>;
  const own = catalogFromRows(rows.map((r) => ({ type: r.type, code: r.code, label: r.label, active: r.active !== 0 })));
  return { ...SYNTHESE_CATALOG, ...Object.fromEntries(Object.entries(own).filter(([type]) => type in SYNTHESE_CATALOG)) };
}

/** The taxonomy of a pulled workspace (its `taxref` rows), or null when it has none. */
export function workspaceTaxonomy(db: Db): Taxonomy | null {
  if (!hasTable(db, 'taxref')) return null;
  const rows = db.prepare('SELECT cd_nom, cd_ref, lb_nom, nom_valide, nom_vern FROM taxref').all() as Array<{
    cd_nom: number;
    cd_ref: number | null;
    lb_nom: string | null;
    nom_valide: string | null;
    nom_vern: string | null;
  }>;
  if (rows.length === 0) return null;
  return buildTaxonomy(
    rows.map((r) => ({ cdNom: r.cd_nom, cdRef: r.cd_ref ?? r.cd_nom, names: [r.lb_nom, r.nom_vern].filter((n): n is string => !!n) })),
    'workspace taxref',
  );
}

/**
 * A taxonomy from a CSV file (`;`, `,` or tab): columns `cd_nom`, `cd_ref` (optional) and names in
 * any of `lb_nom`, `nom_valide`, `nom_vern`, `nom_francais`, `name`.
 */
export function fileTaxonomy(path: string): Taxonomy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AppError('NOT_FOUND', `No taxonomy file at ${path}`, { key: 'errors.FILE_NOT_FOUND', params: { path }, where: path, cause: e });
  }
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\ufeff/, ''), { header: true, skipEmptyLines: true });
  const fields = parsed.meta.fields ?? [];
  if (!fields.includes('cd_nom')) {
    throw new AppError('INVALID_INPUT', `${path} has no cd_nom column (columns: ${fields.join(', ')})`, { key: 'errors.CSV_NO_COLUMN', params: { path, column: 'cd_nom' }, where: path });
  }
  const nameCols = ['lb_nom', 'nom_valide', 'nom_vern', 'nom_francais', 'name'].filter((c) => fields.includes(c));
  const records: TaxonRecord[] = [];
  for (const r of parsed.data) {
    const cd = Number(r.cd_nom);
    if (!Number.isInteger(cd)) continue;
    const ref = Number(r.cd_ref);
    records.push({ cdNom: cd, cdRef: Number.isInteger(ref) && r.cd_ref !== '' ? ref : cd, names: nameCols.map((c) => r[c] ?? '').filter((n) => n.trim() !== '') });
  }
  return buildTaxonomy(records, basename(path));
}

/** The taxonomy a check or a fix uses: the file given, else the workspace's taxref, else none. */
export function resolveTaxonomy(db: Db, file: string | undefined): { taxonomy: Taxonomy | null; source: 'workspace' | 'file' | 'none' } {
  if (file) return { taxonomy: fileTaxonomy(file), source: 'file' };
  const ws = workspaceTaxonomy(db);
  return ws ? { taxonomy: ws, source: 'workspace' } : { taxonomy: null, source: 'none' };
}

/** The columns `observations` has in this file (formats differ). */
export function observationColumns(db: Db): string[] {
  return (db.prepare('PRAGMA table_info(observations)').all() as Array<{ name: string }>).map((c) => c.name);
}
