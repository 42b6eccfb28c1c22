import type { BrowseDataset, BrowseResult, NomenclatureValue } from '../../../shared/contract/index.js';
import { gnError, openSession, type ResolvedConnection } from './connection.js';
import { requireReadable } from './detect.js';
import { loadNomenclatures } from './nomenclatures.js';
import { readServerMeta, type ServerMetaRow } from './server-meta.js';
import { qi, readOnly } from './sql.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * The server's CA → JDD tree, decoded, with per-JDD observation counts, taxa and date range.
 * One read-only snapshot; the counts take one pass over synthese grouped by JDD.
 */
export async function browseGeoNature(rc: ResolvedConnection): Promise<BrowseResult> {
  const session = await openSession(rc);
  const { client, target } = session;
  try {
    return await readOnly(client, async () => {
      const d = await requireReadable(client, target, session.user);
      const noms = await loadNomenclatures(client, d);
      const frameworks = await readServerMeta(client, d, noms, 'framework', null);
      const datasets = await readServerMeta(client, d, noms, 'dataset', null);
      const stats = await client.query<{ id: number | null; n: string; taxa: string; dmin: string | null; dmax: string | null }>(
        `SELECT id_dataset AS id, count(*) AS n, count(DISTINCT cd_nom) AS taxa, min(date_min)::date::text AS dmin, max(date_max)::date::text AS dmax
           FROM ${qi('gn_synthese', 'synthese')} GROUP BY id_dataset`,
      );
      const byDataset = new Map(stats.rows.map((r) => [r.id, r]));
      const toDataset = (ds: ServerMetaRow): BrowseDataset => {
        const s = byDataset.get(ds.id);
        return {
          uuid: ds.uuid,
          name: str(ds.values.dataset_name),
          shortname: str(ds.values.dataset_shortname),
          description: str(ds.values.dataset_desc),
          active: ds.values.active !== false,
          nomenclatures: ds.nomenclatures,
          actors: ds.actors,
          territories: ds.territories,
          observations: Number(s?.n ?? 0),
          taxa: Number(s?.taxa ?? 0),
          dateMin: s?.dmin ?? null,
          dateMax: s?.dmax ?? null,
          metaUpdateDate: ds.metaUpdateDate,
        };
      };
      const tree = frameworks.map((af) => {
        const children = datasets.filter((ds) => ds.values.acquisition_framework === af.uuid).map(toDataset);
        return {
          uuid: af.uuid,
          name: str(af.values.acquisition_framework_name),
          description: str(af.values.acquisition_framework_desc),
          startDate: strOrNull(af.values.acquisition_framework_start_date),
          endDate: strOrNull(af.values.acquisition_framework_end_date),
          parentUuid: strOrNull(af.extra.parent_uuid),
          isParent: typeof af.values.is_parent === 'boolean' ? af.values.is_parent : null,
          nomenclatures: af.nomenclatures,
          actors: af.actors,
          objectives: af.extra.objectives as NomenclatureValue[],
          territories: af.territories,
          voletsSinp: (af.extra.voletsSinp as NomenclatureValue[] | undefined) ?? [],
          datasets: children,
          observations: children.reduce((n, c) => n + c.observations, 0),
        };
      });
      return { target, schema: d.info, frameworks: tree, observationsWithoutDataset: Number(byDataset.get(null)?.n ?? 0) };
    });
  } catch (e) {
    throw gnError(e, target, 'browse');
  } finally {
    await session.close();
  }
}
