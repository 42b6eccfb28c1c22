import GeoJSONVT from 'geojson-vt';
import vtpbf from 'vt-pbf';
import { AppError } from '../errors.js';
import { decodeGpkg } from '../gpkg/geometry/gpkg-binary.js';
import { toGeoJson } from '../gpkg/geometry/geojson.js';
import type { Geometry } from '../gpkg/geometry/model.js';
import { quoteId } from '../gpkg/identifiers.js';
import { AREAS_GEOM, OBS_GEOM, T } from '../workspace/format.js';
import type { Source, SourceRegistry } from './sources.js';
import { GPKG_TILE_PREFIX, gpkgTileFeatures } from './gpkg-layer.js';
import { SENSITIVITY_TILE_LAYERS, sensitivityTileFeatures } from './sensitivity-layer.js';
import { projectToTile, thinnedInto, type TileFeature } from './tile-feature.js';
import { isValidTile, tileBounds, TILE_EXTENT } from './webmercator.js';

const BUFFER = 64;

/** Layers the tile server knows for a workspace: the observations, the areas by type, and the sensitivity check's (sensitivity-layer.ts). */
export const WORKSPACE_TILE_LAYERS = ['observations', 'areas/DEP', 'areas/COM', ...SENSITIVITY_TILE_LAYERS] as const;

/** Observation tile: rtree query, then points thinned at low zooms, with their count. */
function observationFeatures(reg: SourceRegistry, src: Source, z: number, x: number, y: number): TileFeature[] {
  const db = reg.db(src);
  const b = tileBounds(z, x, y, BUFFER);
  const rows = db
    .prepare(
      `SELECT o.fid, o.${quoteId(OBS_GEOM)} AS geom, o.cd_nom, o.nom_cite, substr(o.date_min, 1, 10) AS date_min
         FROM ${quoteId(`rtree_${T.observations}_${OBS_GEOM}`)} r JOIN ${T.observations} o ON o.fid = r.id
        WHERE r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ?`,
    )
    .all(b.west, b.east, b.south, b.north) as Array<{ fid: number; geom: Uint8Array; cd_nom: number | null; nom_cite: string | null; date_min: string | null }>;
  const out: TileFeature[] = [];
  const cells = new Map<string, TileFeature>();
  for (const r of rows) {
    let geometry: Geometry;
    try {
      geometry = decodeGpkg(r.geom).geometry;
    } catch {
      continue; // an undecodable geometry is the validator's business, not the map's
    }
    for (const f of projectToTile(geometry, z, x, y)) {
      f.id = r.fid;
      f.tags = { fid: r.fid, n: 1, ...(r.cd_nom !== null ? { cd_nom: r.cd_nom } : {}), ...(r.nom_cite ? { nom_cite: r.nom_cite } : {}), ...(r.date_min ? { date_min: r.date_min } : {}) };
      if (thinnedInto(cells, f, z)) continue;
      out.push(f);
    }
  }
  return out;
}

/** Area tile (départements, communes): clipped and simplified by geojson-vt from a cached index. */
function areaFeatures(reg: SourceRegistry, src: Source, typeCode: string, z: number, x: number, y: number): TileFeature[] {
  const key = `areas/${typeCode}`;
  let index = src.indexes.get(key);
  if (!index) {
    const db = reg.db(src);
    const rows = db
      .prepare(`SELECT fid, ${quoteId(AREAS_GEOM)} AS geom, area_code, area_name FROM ${T.areas} WHERE type_code = ?`)
      .all(typeCode) as Array<{ fid: number; geom: Uint8Array; area_code: string; area_name: string | null }>;
    const features = rows.flatMap((r) => {
      try {
        return [
          {
            type: 'Feature' as const,
            id: r.fid,
            properties: { code: r.area_code, name: r.area_name ?? '' },
            geometry: toGeoJson(decodeGpkg(r.geom).geometry),
          },
        ];
      } catch {
        return [];
      }
    });
    index = new GeoJSONVT({ type: 'FeatureCollection', features } as never, { maxZoom: 14, indexMaxZoom: 5, buffer: BUFFER, extent: TILE_EXTENT });
    src.indexes.set(key, index);
  }
  const tile = index.getTile(z, x, y);
  return (tile?.features ?? []) as unknown as TileFeature[];
}

/**
 * Renders one Mapbox Vector Tile (MVT 2.1) of a workspace layer or of any GeoPackage layer.
 *
 * Layers: `observations`, `areas/DEP`, `areas/COM`, `sensitivity/precise`, `sensitivity/published`
 * (a workspace; MVT layers `sensitivity_precise`, `sensitivity_published`), `gpkg:<table>` (any
 * GeoPackage layer, named as `gpkg.mapSources` gives it; the MVT layer is `<table>`). Returns the uncompressed protobuf;
 * an empty tile is a valid, tiny tile.
 */
export function renderWorkspaceTile(reg: SourceRegistry, sourceId: string, layer: string, z: number, x: number, y: number): Uint8Array {
  if (!isValidTile(z, x, y)) throw new AppError('INVALID_INPUT', `No such tile ${z}/${x}/${y}`, { key: 'errors.BAD_TILE', params: { z, x, y } });
  const src = reg.get(sourceId);
  let features: TileFeature[];
  if (layer.startsWith(GPKG_TILE_PREFIX)) features = gpkgTileFeatures(reg, src, layer, z, x, y);
  else if (layer === 'observations') features = observationFeatures(reg, src, z, x, y);
  else if (layer === 'areas/DEP' || layer === 'areas/COM') features = areaFeatures(reg, src, layer.slice(6), z, x, y);
  else if (layer === 'sensitivity/precise' || layer === 'sensitivity/published') features = sensitivityTileFeatures(reg, src, layer, z, x, y);
  else throw new AppError('NOT_FOUND', `No map layer ${layer}`, { key: 'errors.UNKNOWN_LAYER', params: { layer } });
  const name = layer.startsWith(GPKG_TILE_PREFIX) ? layer.slice(GPKG_TILE_PREFIX.length) : layer.replace('/', '_');
  return vtpbf.fromGeojsonVt({ [name]: { features } }, { version: 2, extent: TILE_EXTENT });
}

/** The general entry of the tile server (workspace layers and `gpkg:` layers alike). */
export const renderTile = renderWorkspaceTile;
