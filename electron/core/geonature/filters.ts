import type pg from 'pg';
import type { PullEstimate, PullFilters } from '../../../shared/contract/index.js';
import { AppError } from '../errors.js';
import { gnError, openSession, type ResolvedConnection } from './connection.js';
import { requireReadable, type DetectedSchema } from './detect.js';
import { Params, qi, readOnly } from './sql.js';

/** True when no filter is set: the pull takes the whole synthese. */
export function noFilter(f: PullFilters): boolean {
  return !f.frameworks.length && !f.datasets.length && !f.taxa.length && !f.dateFrom && !f.dateTo && !f.bbox && !f.areas.length;
}

/**
 * The WHERE clause selecting the synthese rows (alias `s`) of a pull; values go to `p`.
 *
 * Kinds combine with AND, values of one kind with OR. Taxa include their descendants, walking
 * taxref.cd_sup as taxonomie.find_all_taxons_children does (reference §7), and every name of
 * those taxa (same cd_ref), since observations may cite a synonym.
 */
export function filterSql(f: PullFilters, p: Params, d: DetectedSchema): string {
  const conds: string[] = [];
  if (f.frameworks.length) {
    conds.push(
      `s.id_dataset IN (SELECT d.id_dataset FROM ${qi('gn_meta', 't_datasets')} d JOIN ${qi('gn_meta', 't_acquisition_frameworks')} af ON af.id_acquisition_framework = d.id_acquisition_framework
                         WHERE af.unique_acquisition_framework_id = ANY(${p.add(f.frameworks, 'uuid[]')}))`,
    );
  }
  if (f.datasets.length) {
    conds.push(`s.id_dataset IN (SELECT d.id_dataset FROM ${qi('gn_meta', 't_datasets')} d WHERE d.unique_dataset_id = ANY(${p.add(f.datasets, 'uuid[]')}))`);
  }
  if (f.taxa.length) {
    const taxa = p.add(f.taxa, 'int[]');
    const taxref = qi('taxonomie', 'taxref');
    const walk = d.has('taxonomie.taxref.cd_sup')
      ? `WITH RECURSIVE tree AS (
           SELECT t.cd_nom, t.cd_ref FROM ${taxref} t
            WHERE t.cd_nom = ANY(${taxa}) OR t.cd_nom IN (SELECT x.cd_ref FROM ${taxref} x WHERE x.cd_nom = ANY(${taxa}))
           UNION
           SELECT c.cd_nom, c.cd_ref FROM ${taxref} c JOIN tree ON c.cd_sup = tree.cd_nom)
         SELECT cd_ref FROM tree`
      : `SELECT x.cd_ref FROM ${taxref} x WHERE x.cd_nom = ANY(${taxa})`;
    conds.push(`(s.cd_nom = ANY(${taxa}) OR s.cd_nom IN (SELECT n.cd_nom FROM ${taxref} n WHERE n.cd_ref IN (${walk})))`);
  }
  if (f.dateFrom) conds.push(`s.date_min >= ${p.add(f.dateFrom, 'date')}`);
  if (f.dateTo) conds.push(`s.date_min < ${p.add(f.dateTo, 'date')} + 1`);
  if (f.bbox) {
    const [a, b, c, e] = f.bbox;
    const env = `ST_MakeEnvelope(${p.add(a, 'float8')}, ${p.add(b, 'float8')}, ${p.add(c, 'float8')}, ${p.add(e, 'float8')}, 4326)`;
    conds.push(`(s.the_geom_4326 && ${env} AND ST_Intersects(s.the_geom_4326, ${env}))`);
  }
  if (f.areas.length) {
    const typed = f.areas.filter((a) => a.type !== null);
    const any = f.areas.filter((a) => a.type === null).map((a) => a.code);
    const ors: string[] = [];
    if (typed.length) {
      ors.push(`(bt.type_code, a.area_code) IN (SELECT * FROM unnest(${p.add(typed.map((x) => x.type), 'text[]')}, ${p.add(typed.map((x) => x.code), 'text[]')}))`);
    }
    if (any.length) ors.push(`a.area_code = ANY(${p.add(any, 'text[]')})`);
    conds.push(
      `EXISTS (SELECT 1 FROM ${qi('gn_synthese', 'cor_area_synthese')} c JOIN ${qi('ref_geo', 'l_areas')} a ON a.id_area = c.id_area
                 JOIN ${qi('ref_geo', 'bib_areas_types')} bt ON bt.id_type = a.id_type
                WHERE c.id_synthese = s.id_synthese AND (${ors.join(' OR ')}))`,
    );
  }
  return conds.length ? conds.join('\n   AND ') : 'TRUE';
}

/** Fails with NOT_FOUND when a CA, JDD or area named in the filters does not exist: a typo must not pull nothing silently. */
export async function checkFilters(client: pg.Client, f: PullFilters, target: string): Promise<void> {
  const missing = async (sql: string, values: unknown[]): Promise<string[]> => (await client.query<{ v: string }>(sql, values)).rows.map((r) => r.v);
  const report = (filter: string, values: string[]) => {
    if (values.length) {
      const value = values.join(', ');
      throw new AppError('NOT_FOUND', `No ${filter} ${value} in ${target}`, { key: 'errors.GN_FILTER_UNKNOWN', params: { filter, value, target } });
    }
  };
  if (f.frameworks.length) {
    report(
      'CA',
      await missing(
        `SELECT u::text AS v FROM unnest($1::uuid[]) u WHERE NOT EXISTS (SELECT 1 FROM ${qi('gn_meta', 't_acquisition_frameworks')} WHERE unique_acquisition_framework_id = u)`,
        [f.frameworks],
      ),
    );
  }
  if (f.datasets.length) {
    report('JDD', await missing(`SELECT u::text AS v FROM unnest($1::uuid[]) u WHERE NOT EXISTS (SELECT 1 FROM ${qi('gn_meta', 't_datasets')} WHERE unique_dataset_id = u)`, [f.datasets]));
  }
  if (f.areas.length) {
    report(
      'area',
      await missing(
        `SELECT coalesce(t || ':', '') || c AS v FROM unnest($1::text[], $2::text[]) AS x(t, c)
          WHERE NOT EXISTS (SELECT 1 FROM ${qi('ref_geo', 'l_areas')} a JOIN ${qi('ref_geo', 'bib_areas_types')} bt ON bt.id_type = a.id_type
                             WHERE a.area_code = x.c AND (x.t IS NULL OR bt.type_code = x.t))`,
        [f.areas.map((a) => a.type), f.areas.map((a) => a.code)],
      ),
    );
  }
}

/** Counts what a pull with these filters would bring (one count in a read-only snapshot). */
export async function estimatePull(rc: ResolvedConnection, filters: PullFilters): Promise<PullEstimate> {
  const session = await openSession(rc);
  const { client, target } = session;
  try {
    return await readOnly(client, async () => {
      const d = await requireReadable(client, target, session.user);
      await checkFilters(client, filters, target);
      const p = new Params();
      const r = await client.query<{ n: string; d: string }>(
        `SELECT count(*) AS n, count(DISTINCT s.id_dataset) AS d FROM ${qi('gn_synthese', 'synthese')} s WHERE ${filterSql(filters, p, d)}`,
        p.values,
      );
      return { observations: Number(r.rows[0]?.n ?? 0), datasets: Number(r.rows[0]?.d ?? 0) };
    });
  } catch (e) {
    throw gnError(e, target, 'estimate');
  } finally {
    await session.close();
  }
}
