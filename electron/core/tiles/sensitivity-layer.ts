import GeoJSONVT from 'geojson-vt';
import { BLUR_REASONS, TERRITORIES } from '../../../shared/sensitivity/index.js';
import { decodeGpkg } from '../gpkg/geometry/gpkg-binary.js';
import { toGeoJson } from '../gpkg/geometry/geojson.js';
import type { Geometry } from '../gpkg/geometry/model.js';
import { quoteId } from '../gpkg/identifiers.js';
import { AreaIndex } from '../sensitivity/area-index.js';
import { BlurAreas } from '../sensitivity/blur.js';
import { SENS } from '../sensitivity/schema.js';
import { OBS_GEOM, T } from '../workspace/format.js';
import type { Source, SourceRegistry } from './sources.js';
import { projectToTile, thinnedInto, type TileFeature } from './tile-feature.js';
import { tileBounds, TILE_EXTENT } from './webmercator.js';

/**
 * The sensitivity layers of a workspace's map, from the results of its last check:
 *
 * - `sensitivity/precise`: every checked observation at its own place, tagged with the level
 *   the check gave it (`level` SENSIBILITE, -1 undetermined; `blur` 0–4; `reason`), for the
 *   geomatician's side of the comparison;
 * - `sensitivity/published`: what would be published — the point of an observation published
 *   precisely (blur 0), the polygon of the commune, 10 km cell or département of a blurred one
 *   (one feature per area, with how many observations it stands for, and no observation id),
 *   nothing for a withheld one. No vertex of that layer comes from a sensitive observation's
 *   own geometry: polygons are the reference areas (or the computed cells) themselves.
 *
 * Observations added since the check have no result and are drawn in neither.
 */
export const SENSITIVITY_TILE_LAYERS = ['sensitivity/precise', 'sensitivity/published'] as const;

const BUFFER = 64;

function hasResults(reg: SourceRegistry, src: Source): boolean {
  const db = reg.db(src);
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(SENS.results) !== undefined;
}

/**
 * Observations of the tile with their result, thinned below zoom 12 (one kept per 4 px cell,
 * with the count and the highest blur level of those it stands for). `where` filters the
 * results (`r.blur_level = 0` for the published points).
 */
function observationsWithResults(reg: SourceRegistry, src: Source, z: number, x: number, y: number, where: string, published: boolean): TileFeature[] {
  const db = reg.db(src);
  const b = tileBounds(z, x, y, BUFFER);
  const rows = db
    .prepare(
      `SELECT o.fid, o.${quoteId(OBS_GEOM)} AS geom, o.cd_nom, o.nom_cite, substr(o.date_min, 1, 10) AS date_min, r.sensitivity_level AS lvl, r.blur_level AS blur, r.reason
         FROM ${quoteId(`rtree_${T.observations}_${OBS_GEOM}`)} t JOIN ${T.observations} o ON o.fid = t.id JOIN ${SENS.results} r ON r.observation_fid = o.fid
        WHERE t.maxx >= ? AND t.minx <= ? AND t.maxy >= ? AND t.miny <= ? AND ${where}`,
    )
    .all(b.west, b.east, b.south, b.north) as Array<{ fid: number; geom: Uint8Array; cd_nom: number | null; nom_cite: string | null; date_min: string | null; lvl: number | null; blur: number; reason: number }>;
  const out: TileFeature[] = [];
  const cells = new Map<string, TileFeature>();
  for (const r of rows) {
    let geometry: Geometry;
    try {
      geometry = decodeGpkg(r.geom).geometry;
    } catch {
      continue;
    }
    for (const f of projectToTile(geometry, z, x, y)) {
      f.id = r.fid;
      f.tags = {
        fid: r.fid,
        n: 1,
        ...(published ? {} : { level: r.lvl ?? -1, blur: r.blur, reason: BLUR_REASONS[r.reason] ?? 'none' }),
        ...(r.cd_nom !== null ? { cd_nom: r.cd_nom } : {}),
        ...(r.nom_cite ? { nom_cite: r.nom_cite } : {}),
        ...(r.date_min ? { date_min: r.date_min } : {}),
      };
      const kept = thinnedInto(cells, f, z);
      if (kept) {
        if (!published && (kept.tags.blur as number) < r.blur) {
          kept.tags.blur = r.blur;
          kept.tags.level = r.lvl ?? -1;
          kept.tags.reason = BLUR_REASONS[r.reason] ?? 'none';
        }
        continue;
      }
      out.push(f);
    }
  }
  return out;
}

/** The polygons of the published areas (one per area, counted), as a geojson-vt index cached on the source. */
function publishedAreaIndex(reg: SourceRegistry, src: Source): GeoJSONVT {
  const key = 'sensitivity/published';
  const hit = src.indexes.get(key);
  if (hit) return hit;
  const db = reg.db(src);
  const check = db.prepare(`SELECT territory, grid_prefix FROM ${SENS.checks} ORDER BY id DESC LIMIT 1`).get() as { territory: string; grid_prefix: string } | undefined;
  const groups = db
    .prepare(`SELECT area_type, area_codes, count(*) AS n FROM ${SENS.results} WHERE blur_level BETWEEN 1 AND 3 AND area_codes IS NOT NULL GROUP BY area_type, area_codes`)
    .all() as { area_type: string; area_codes: string; n: number }[];
  // One feature per area: an observation published as several areas (a line across communes) counts in each.
  const perArea = new Map<string, { type: string; code: string; n: number }>();
  for (const g of groups) {
    for (const code of g.area_codes.split(',')) {
      const k = `${g.area_type}:${code}`;
      const a = perArea.get(k);
      if (a) a.n += g.n;
      else perArea.set(k, { type: g.area_type, code, n: g.n });
    }
  }
  const territory = check ? TERRITORIES[check.territory] : undefined;
  const cells = territory ? new BlurAreas(new AreaIndex([]), territory, { gridPrefix: check?.grid_prefix }) : null;
  const areaGeom = db.prepare(`SELECT geom, area_name FROM ${T.areas} WHERE type_code = ? AND area_code = ?`);
  const level: Record<string, number> = { COM: 1, M10: 2, DEP: 3 };
  const features: unknown[] = [];
  for (const a of perArea.values()) {
    let geometry: Geometry | null = null;
    let name: string | null = null;
    if (a.type === 'M10') geometry = cells?.publication('M10', a.code)?.geometry ?? null;
    else {
      const row = areaGeom.get(a.type, a.code) as { geom: Uint8Array | null; area_name: string | null } | undefined;
      if (row?.geom) {
        try {
          geometry = decodeGpkg(row.geom).geometry;
        } catch {
          geometry = null;
        }
      }
      name = row?.area_name ?? null;
    }
    // An area that cannot be drawn is left out (its observations were published there, but the
    // map has nothing to show): never replaced by anything nearer the observations.
    if (!geometry) continue;
    features.push({
      type: 'Feature',
      properties: { area_type: a.type, code: a.code, name: name ?? '', level: level[a.type] ?? 0, n: a.n },
      geometry: toGeoJson(geometry),
    });
  }
  const index = new GeoJSONVT({ type: 'FeatureCollection', features } as never, { maxZoom: 14, indexMaxZoom: 5, buffer: BUFFER, extent: TILE_EXTENT });
  src.indexes.set(key, index);
  return index;
}

/** The features of a sensitivity layer's tile (empty when the workspace has never been checked). */
export function sensitivityTileFeatures(reg: SourceRegistry, src: Source, layer: (typeof SENSITIVITY_TILE_LAYERS)[number], z: number, x: number, y: number): TileFeature[] {
  if (!hasResults(reg, src)) return [];
  if (layer === 'sensitivity/precise') return observationsWithResults(reg, src, z, x, y, '1 = 1', false);
  const areas = (publishedAreaIndex(reg, src).getTile(z, x, y)?.features ?? []) as unknown as TileFeature[];
  return [...areas, ...observationsWithResults(reg, src, z, x, y, 'r.blur_level = 0', true)];
}
