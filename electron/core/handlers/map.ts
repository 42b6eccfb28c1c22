import type Database from 'better-sqlite3';
import type { MapLayer } from '../../../shared/contract/index.js';
import type { Handlers } from '../dispatch.js';
import { quoteId } from '../gpkg/identifiers.js';
import { AREAS_GEOM, OBS_GEOM, T } from '../workspace/format.js';
import { openWorkspace } from '../workspace/open.js';
import type { HandlerDeps } from './deps.js';

function extentOf(db: Database.Database, table: string, column: string, where = ''): MapLayer['extent'] {
  const e = db
    .prepare(
      `SELECT min(r.minx) AS minX, min(r.miny) AS minY, max(r.maxx) AS maxX, max(r.maxy) AS maxY
         FROM ${quoteId(`rtree_${table}_${column}`)} r ${where ? `JOIN ${quoteId(table)} t ON t.fid = r.id WHERE ${where}` : ''}`,
    )
    .get() as { minX: number | null; minY: number | null; maxX: number | null; maxY: number | null };
  if (e.minX === null || e.minY === null || e.maxX === null || e.maxY === null) return null;
  return { srsId: 4326, minX: e.minX, minY: e.minY, maxX: e.maxX, maxY: e.maxY };
}

export function mapHandlers(deps: HandlerDeps): Pick<Handlers, 'map.sources'> {
  return {
    'map.sources': async ({ path }) => {
      const ws = openWorkspace(path);
      try {
        const db = ws.db;
        const count = (sql: string, ...p: unknown[]) => (db.prepare(sql).get(...p) as { n: number }).n;
        const layers: MapLayer[] = [
          {
            layer: 'areas/DEP',
            role: 'departements',
            geometryKind: 'polygon',
            count: count(`SELECT count(*) AS n FROM ${T.areas} WHERE type_code = 'DEP'`),
            extent: extentOf(db, T.areas, AREAS_GEOM, "t.type_code = 'DEP'"),
          },
          {
            layer: 'areas/COM',
            role: 'communes',
            geometryKind: 'polygon',
            count: count(`SELECT count(*) AS n FROM ${T.areas} WHERE type_code = 'COM'`),
            extent: extentOf(db, T.areas, AREAS_GEOM, "t.type_code = 'COM'"),
          },
          {
            layer: 'observations',
            role: 'observations',
            geometryKind: 'mixed',
            count: count(`SELECT count(*) AS n FROM ${T.observations}`),
            extent: extentOf(db, T.observations, OBS_GEOM),
          },
        ];
        return { sourceId: deps.sources.register(path).id, layers };
      } finally {
        ws.close();
      }
    },
  };
}
