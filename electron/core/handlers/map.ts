import type Database from 'better-sqlite3';
import type { MapLayer } from '../../../shared/contract/index.js';
import type { Handlers } from '../dispatch.js';
import { quoteId } from '../gpkg/identifiers.js';
import { AREAS_GEOM, OBS_GEOM, T } from '../workspace/format.js';
import { openWorkspace } from '../workspace/open.js';
import { workspaceToRead } from '../workspace/demo-copy.js';
import { hasTable } from '../workspace/migrations.js';
import { SENS } from '../sensitivity/schema.js';
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
    'map.sources': async (input) => {
      // The demo's working copy once it exists (a check, a fix… made on "the demo" live there).
      const path = workspaceToRead(input.path, deps.home, deps.demoPath);
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
        // The last sensitivity check's layers, when the workspace has one (tiles/sensitivity-layer.ts).
        if (hasTable(db, SENS.results)) {
          const checked = count(`SELECT count(*) AS n FROM ${SENS.results}`);
          if (checked > 0) {
            const published = count(`SELECT count(*) AS n FROM ${SENS.results} WHERE blur_level < 4`);
            const extent = extentOf(db, T.observations, OBS_GEOM);
            layers.push(
              { layer: 'sensitivity/precise', role: 'sensitivity-precise', geometryKind: 'mixed', count: checked, extent },
              { layer: 'sensitivity/published', role: 'sensitivity-published', geometryKind: 'mixed', count: published, extent },
            );
          }
        }
        return { sourceId: deps.sources.register(path).id, layers };
      } finally {
        ws.close();
      }
    },
  };
}
