/**
 * Observation filters (contract ObservationFilter) as SQL over the workspace's `observations`,
 * for reassignments. Values always travel as parameters; a column name is checked against the
 * table's own columns and quoted.
 */
import type Database from 'better-sqlite3';
import type { ObservationFilter, TaxrefLevel } from '../../../shared/contract/index.js';
import { splitObservers } from '../../../shared/domain/synthese.js';
import { normalizeName } from '../../../shared/metadata/index.js';
import { AppError } from '../errors.js';
import { quoteId } from '../gpkg/identifiers.js';
import { OBS_GEOM, T } from '../workspace/format.js';
import { hasTable } from '../workspace/migrations.js';

type Db = Database.Database;

/** Columns of `observations` a split or a filter may use: everything but the geometries. */
export function attributeColumns(db: Db): string[] {
  return (db.prepare(`PRAGMA table_info(${T.observations})`).all() as Array<{ name: string; type: string }>)
    .filter((c) => c.name !== OBS_GEOM && c.name !== 'geom_local_wkb')
    .map((c) => c.name);
}

/** The column, or INVALID_INPUT naming the ones there are. */
export function requireColumn(db: Db, column: string): string {
  const cols = attributeColumns(db);
  if (!cols.includes(column)) {
    throw new AppError('INVALID_INPUT', `The observations have no column ${column} (they have ${cols.join(', ')})`, {
      key: 'errors.METADATA_UNKNOWN_COLUMN',
      params: { column, columns: cols.join(', ') },
    });
  }
  return column;
}

/** The taxref rows are there (a pulled workspace), or INVALID_INPUT: the demo has none. */
export function requireTaxref(db: Db): void {
  const n = hasTable(db, T.taxref) ? (db.prepare(`SELECT count(*) AS n FROM ${T.taxref}`).get() as { n: number }).n : 0;
  if (!n) {
    throw new AppError('INVALID_INPUT', 'This workspace has no taxref rows: taxonomic groups are known only in a workspace pulled from GeoNature', {
      key: 'errors.METADATA_NO_TAXREF',
    });
  }
}

/**
 * The SQL of an observation's taxonomic group at `level`: its own taxref row's value, else its
 * valid name's (a synonym's row often lacks the groups). Use with alias `o` for observations.
 */
export function taxonGroupSql(level: TaxrefLevel): string {
  const col = quoteId(level);
  return `(SELECT coalesce(nullif(t.${col}, ''), nullif(r.${col}, '')) FROM ${T.taxref} t LEFT JOIN ${T.taxref} r ON r.cd_nom = t.cd_ref WHERE t.cd_nom = o.cd_nom)`;
}

/** cd_nom of the taxa and of their descendants (cd_sup, cd_taxsup) and synonyms (same cd_ref), from the workspace's taxref. */
function withDescendants(db: Db, taxa: readonly number[]): number[] {
  const out = new Set<number>(taxa);
  if (!hasTable(db, T.taxref)) return [...out];
  const rows = db.prepare(`SELECT cd_nom, cd_ref, cd_sup, cd_taxsup FROM ${T.taxref}`).all() as Array<{ cd_nom: number; cd_ref: number | null; cd_sup: number | null; cd_taxsup: number | null }>;
  const children = new Map<number, number[]>();
  const synonyms = new Map<number, number[]>();
  for (const r of rows) {
    for (const p of [r.cd_sup, r.cd_taxsup]) if (p !== null && p !== r.cd_nom) children.set(p, [...(children.get(p) ?? []), r.cd_nom]);
    if (r.cd_ref !== null) synonyms.set(r.cd_ref, [...(synonyms.get(r.cd_ref) ?? []), r.cd_nom]);
  }
  const queue = [...out];
  while (queue.length) {
    const cd = queue.pop() as number;
    for (const next of [...(children.get(cd) ?? []), ...(synonyms.get(cd) ?? [])]) {
      if (!out.has(next)) {
        out.add(next);
        queue.push(next);
      }
    }
  }
  return [...out];
}

/** A WHERE clause (alias `o`) and its parameters. Registers the observer-matching function it uses. */
export function filterSql(db: Db, f: ObservationFilter): { where: string; params: unknown[] } {
  const conds: string[] = [];
  const params: unknown[] = [];
  const json = (v: unknown) => {
    params.push(JSON.stringify(v));
    return `(SELECT value FROM json_each(?))`;
  };
  if (f.datasets.length) conds.push(`o.dataset_uuid IN ${json(f.datasets)}`);
  if (f.observations.length) conds.push(`o.unique_id_sinp IN ${json(f.observations)}`);
  if (f.taxa.length) conds.push(`o.cd_nom IN ${json(withDescendants(db, f.taxa))}`);
  if (f.taxonGroup) {
    requireTaxref(db);
    conds.push(`${taxonGroupSql(f.taxonGroup.level)} IN ${json(f.taxonGroup.values)}`);
  }
  if (f.dateFrom) {
    params.push(f.dateFrom);
    conds.push('substr(o.date_min, 1, 10) >= ?');
  }
  if (f.dateTo) {
    params.push(f.dateTo);
    conds.push('substr(o.date_min, 1, 10) <= ?');
  }
  if (f.observers.length) {
    const wanted = new Set(f.observers.map(normalizeName));
    // Observers are one text ("Nom Prénom, Nom Prénom"): matched name by name, accents and case ignored.
    db.function('passerelle_has_observer', { deterministic: true }, (observers: unknown) =>
      splitObservers(typeof observers === 'string' ? observers : null).some((n) => wanted.has(normalizeName(n))) ? 1 : 0,
    );
    conds.push('passerelle_has_observer(o.observers) = 1');
  }
  for (const a of f.attributes) {
    const col = `o.${quoteId(requireColumn(db, a.column))}`;
    switch (a.op) {
      case 'isNull':
        conds.push(`(${col} IS NULL OR ${col} = '')`);
        break;
      case 'notNull':
        conds.push(`(${col} IS NOT NULL AND ${col} <> '')`);
        break;
      case 'in':
      case 'notIn': {
        const values = a.values ?? (a.value === undefined || a.value === null ? [] : [a.value]);
        conds.push(`CAST(${col} AS TEXT) ${a.op === 'in' ? 'IN' : 'NOT IN'} ${json(values.map(String))}`);
        break;
      }
      case 'like':
        params.push(String(a.value ?? ''));
        conds.push(`${col} LIKE ?`);
        break;
      default:
        if (a.value === undefined || a.value === null) {
          conds.push(a.op === 'eq' ? `${col} IS NULL` : `${col} IS NOT NULL`);
        } else {
          params.push(String(a.value));
          conds.push(`CAST(${col} AS TEXT) ${a.op === 'eq' ? '=' : '<>'} ?`);
        }
    }
  }
  if (f.bbox) {
    const [minX, minY, maxX, maxY] = f.bbox;
    params.push(minX, maxX, minY, maxY);
    conds.push(`o.fid IN (SELECT id FROM ${quoteId(`rtree_${T.observations}_${OBS_GEOM}`)} WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?)`);
  }
  return { where: conds.length ? conds.join(' AND ') : '1', params };
}
