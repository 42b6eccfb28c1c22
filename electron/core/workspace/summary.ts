import type Database from 'better-sqlite3';
import type { LayerSummary, WorkspaceSummary } from '../../../shared/contract/index.js';
import { splitObservers } from '../../../shared/domain/synthese.js';
import type { JobContext } from '../jobs/context.js';
import { quoteId } from '../gpkg/identifiers.js';
import { openWorkspace } from './open.js';
import { OBS_GEOM, T } from './format.js';

type Db = Database.Database;

function layerSummaries(db: Db): LayerSummary[] {
  const rows = db
    .prepare(
      `SELECT c.table_name AS name, c.data_type AS dataType, g.geometry_type_name AS geometryType, c.srs_id AS srsId
         FROM gpkg_contents c LEFT JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
        ORDER BY c.table_name`,
    )
    .all() as Array<{ name: string; dataType: string; geometryType: string | null; srsId: number | null }>;
  return rows.map((r) => {
    const count = (db.prepare(`SELECT count(*) AS n FROM ${quoteId(r.name)}`).get() as { n: number }).n;
    const dataType = (['features', 'attributes', 'tiles'] as const).find((d) => d === r.dataType) ?? 'other';
    return { name: r.name, dataType, geometryType: r.geometryType, srsId: r.srsId, count };
  });
}

/**
 * Summarises a workspace: its layers, the observations (count, date range, taxa,
 * observers), the JDD with their counts, and the extent of the observations.
 */
export async function summarizeWorkspaceTask(input: { path: string }, ctx: JobContext): Promise<WorkspaceSummary> {
  const ws = openWorkspace(input.path);
  try {
    const db = ws.db;
    ctx.progress(0, 4, 'layers');
    const layers = layerSummaries(db);
    await ctx.checkpoint();

    ctx.progress(1, 4, 'observations');
    const obs = db
      .prepare(`SELECT count(*) AS n, min(substr(date_min, 1, 10)) AS dmin, max(substr(date_max, 1, 10)) AS dmax, count(DISTINCT cd_nom) AS taxa FROM ${T.observations}`)
      .get() as { n: number; dmin: string | null; dmax: string | null; taxa: number };
    const observers = new Set<string>();
    for (const r of db.prepare(`SELECT DISTINCT observers AS o FROM ${T.observations}`).iterate() as IterableIterator<{ o: string | null }>) {
      for (const name of splitObservers(r.o)) observers.add(name);
    }
    await ctx.checkpoint();

    ctx.progress(2, 4, 'datasets');
    const datasets = db
      .prepare(
        `SELECT d.unique_dataset_id AS uuid, d.dataset_name AS name, count(o.fid) AS observations
           FROM ${T.datasets} d LEFT JOIN ${T.observations} o ON o.dataset_uuid = d.unique_dataset_id
          GROUP BY d.unique_dataset_id, d.dataset_name ORDER BY d.dataset_name`,
      )
      .all() as Array<{ uuid: string; name: string; observations: number }>;
    await ctx.checkpoint();

    ctx.progress(3, 4, 'extent');
    // The rtree holds every non-empty geometry's box: the extent without decoding a geometry.
    const e = db
      .prepare(`SELECT min(minx) AS minX, min(miny) AS minY, max(maxx) AS maxX, max(maxy) AS maxY FROM ${quoteId(`rtree_${T.observations}_${OBS_GEOM}`)}`)
      .get() as { minX: number | null; minY: number | null; maxX: number | null; maxY: number | null };
    const extent =
      e.minX === null || e.minY === null || e.maxX === null || e.maxY === null
        ? null
        : { srsId: 4326, minX: e.minX, minY: e.minY, maxX: e.maxX, maxY: e.maxY };
    ctx.progress(4, 4, 'done');
    return {
      path: input.path,
      workingCopy: null,
      formatVersion: ws.formatVersion,
      title: ws.meta.get('title') ?? input.path,
      layers,
      observations: { count: obs.n, dateMin: obs.dmin, dateMax: obs.dmax, taxa: obs.taxa, observers: observers.size },
      datasets,
      extent,
      source: ws.meta.get('source') ?? null,
    };
  } finally {
    ws.close();
  }
}
