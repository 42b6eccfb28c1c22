import type { GpkgLayer, GpkgMapSources } from '../../../shared/contract/index.js';
import { AppError } from '../errors.js';
import { readContents, readSrs, rtreeName } from '../gpkg/catalog.js';
import { decodeGpkg } from '../gpkg/geometry/gpkg-binary.js';
import { linearize } from '../gpkg/geometry/linearize.js';
import type { Geometry, Position } from '../gpkg/geometry/model.js';
import { quoteId } from '../gpkg/identifiers.js';
import { describeLayerByName, featureCount } from '../gpkg/inspect.js';
import { lonLatBoxToLayer, lonLatProjector, type LonLatProjector } from '../gpkg/reproject.js';
import type { Source, SourceRegistry } from './sources.js';
import { orientRing, type TileFeature } from './tile-feature.js';
import { tileBounds, toTileCoords, TILE_EXTENT } from './webmercator.js';

/** Prefix of GeoPackage layers in tile URLs, so they never collide with a workspace's own map layers. */
export const GPKG_TILE_PREFIX = 'gpkg:';


const BUFFER = 64;
/** Below this zoom, point layers are aggregated on a grid straight from the rtree (no blob decoded). */
const AGGREGATE_BELOW_ZOOM = 12;
/** Grid cells per tile side when aggregating (64 cells = 64 tile units = 4 px at 256 px). */
const GRID = 64;
/** Above this many points in one tile, points are thinned to one per grid cell, with their count. */
const THIN_ABOVE = 20_000;

interface LayerState {
  layer: GpkgLayer;
  proj: LonLatProjector;
  kind: 'point' | 'line' | 'polygon' | 'mixed';
}

/** What the map can do with a declared geometry type. */
export function geometryKind(type: string | null): 'point' | 'line' | 'polygon' | 'mixed' {
  switch ((type ?? '').toUpperCase()) {
    case 'POINT':
    case 'MULTIPOINT':
      return 'point';
    case 'LINESTRING':
    case 'MULTILINESTRING':
    case 'CIRCULARSTRING':
    case 'COMPOUNDCURVE':
    case 'MULTICURVE':
    case 'CURVE':
      return 'line';
    case 'POLYGON':
    case 'MULTIPOLYGON':
    case 'CURVEPOLYGON':
    case 'MULTISURFACE':
    case 'SURFACE':
      return 'polygon';
    default:
      return 'mixed';
  }
}

function layerState(reg: SourceRegistry, src: Source, name: string): LayerState {
  const key = `gpkg-layer:${name}`;
  const cached = src.layerCache.get(key) as LayerState | undefined;
  if (cached) return cached;
  const gp = reg.gpkg(src);
  const layer = describeLayerByName(gp, name);
  if (layer.kind !== 'features' || !layer.geometryColumn) {
    throw new AppError('UNSUPPORTED', `Layer "${name}" has no geometry to draw`, { key: 'errors.GPKG_NO_GEOMETRY', params: { layer: name } });
  }
  const srs = (readSrs(gp.db) ?? []).find((s) => s.srsId === layer.srsId) ?? null;
  const proj = lonLatProjector(srs);
  if (!proj) {
    throw new AppError('UNSUPPORTED', `Layer "${name}" is in a coordinate system the map cannot project (srs_id ${layer.srsId})`, {
      key: 'errors.GPKG_SRS_NOT_PROJECTABLE',
      params: { layer: name, srsId: layer.srsId },
    });
  }
  const state: LayerState = { layer, proj, kind: geometryKind(layer.geometryType) };
  src.layerCache.set(key, state);
  return state;
}

/** Quantised to tile units, consecutive duplicates dropped: the simplification low zooms need. */
function quantise(points: Position[], pt: (p: Position) => [number, number]): number[][] {
  const out: number[][] = [];
  let lx = NaN;
  let ly = NaN;
  for (const p of points) {
    const [x, y] = pt(p);
    if (x === lx && y === ly) continue;
    out.push([x, y]);
    lx = x;
    ly = y;
  }
  return out;
}

function toTile(g: Geometry, pt: (p: Position) => [number, number]): TileFeature[] {
  switch (g.type) {
    case 'Point':
      return g.coordinates.length === 0 ? [] : [{ type: 1, geometry: [pt(g.coordinates)], tags: {} }];
    case 'LineString': {
      const line = quantise(g.coordinates, pt);
      return line.length < 2 ? [] : [{ type: 2, geometry: [line], tags: {} }];
    }
    case 'Polygon':
    case 'Triangle': {
      const rings = g.coordinates
        .map((r) => quantise(r, pt))
        .filter((r) => r.length >= 4)
        .map((r, i) => orientRing(r, i === 0));
      return rings.length === 0 ? [] : [{ type: 3, geometry: rings, tags: {} }];
    }
    default:
      return 'geometries' in g ? g.geometries.flatMap((c) => toTile(c, pt)) : [];
  }
}

/** Points aggregated on a grid from the rtree alone: one feature per occupied cell, with its count. */
function aggregatedPoints(reg: SourceRegistry, src: Source, st: LayerState, z: number, x: number, y: number): TileFeature[] {
  const db = reg.db(src);
  const box = lonLatBoxToLayer(st.proj, tileBounds(z, x, y, BUFFER));
  const cw = (box.maxX - box.minX) / GRID || 1;
  const ch = (box.maxY - box.minY) / GRID || 1;
  const rt = quoteId(rtreeName(st.layer.name, st.layer.geometryColumn as string));
  const rows = db
    .prepare(
      `SELECT count(*) AS n, min(id) AS fid, avg((minx + maxx) / 2) AS x, avg((miny + maxy) / 2) AS y FROM ${rt}
        WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?
        GROUP BY CAST(((minx + maxx) / 2 - ?) / ? AS INTEGER), CAST(((miny + maxy) / 2 - ?) / ? AS INTEGER)`,
    )
    .all(box.minX, box.maxX, box.minY, box.maxY, box.minX, cw, box.minY, ch) as Array<{ n: number; fid: number; x: number; y: number }>;
  return rows.map((r) => {
    const [lon, lat] = st.proj.toLonLat(r.x, r.y);
    const f: TileFeature = { type: 1, geometry: [toTileCoords(lon, lat, z, x, y)], tags: { n: r.n } };
    if (r.n === 1) {
      f.id = r.fid;
      f.tags.fid = r.fid;
    }
    return f;
  });
}

/** Features of a tile decoded from their blobs (rtree query when the layer has one), thinned when dense. */
function decodedFeatures(reg: SourceRegistry, src: Source, st: LayerState, z: number, x: number, y: number): TileFeature[] {
  const db = reg.db(src);
  const l = st.layer;
  const g = quoteId(l.geometryColumn as string);
  const box = lonLatBoxToLayer(st.proj, tileBounds(z, x, y, BUFFER));
  const key = l.primaryKey ? quoteId(l.primaryKey) : 'rowid';
  const sql =
    l.spatialIndex && l.primaryKey
      ? `SELECT t.${key} AS fid, t.${g} AS geom FROM ${quoteId(rtreeName(l.name, l.geometryColumn as string))} r JOIN ${quoteId(l.name)} t ON t.${key} = r.id
          WHERE r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ?`
      : `SELECT ${key} AS fid, ${g} AS geom FROM ${quoteId(l.name)}
          WHERE ${g} IS NOT NULL AND ST_MaxX(${g}) >= ? AND ST_MinX(${g}) <= ? AND ST_MaxY(${g}) >= ? AND ST_MinY(${g}) <= ?`;
  const pt = (p: Position): [number, number] => {
    const [lon, lat] = st.proj.toLonLat(p[0] as number, p[1] as number);
    return toTileCoords(lon, lat, z, x, y);
  };
  const out: TileFeature[] = [];
  const cells = new Map<number, TileFeature>();
  let thin = false;
  let n = 0;
  for (const r of db.prepare(sql).iterate(box.minX, box.maxX, box.minY, box.maxY) as IterableIterator<{ fid: number; geom: Uint8Array | null }>) {
    if (!(r.geom instanceof Uint8Array)) continue;
    let geometry: Geometry;
    try {
      geometry = linearize(decodeGpkg(r.geom).geometry);
    } catch {
      continue; // an undecodable geometry is the validator's business, not the map's
    }
    if (++n > THIN_ABOVE) thin = true;
    for (const f of toTile(geometry, pt)) {
      if (f.type === 1) {
        // The query box, projected to the layer's SRS, is a little larger than the tile: trim points to the buffer.
        const [px, py] = (f.geometry as number[][])[0] as number[];
        if ((px as number) < -BUFFER || (px as number) > TILE_EXTENT + BUFFER || (py as number) < -BUFFER || (py as number) > TILE_EXTENT + BUFFER) continue;
      }
      f.id = r.fid;
      f.tags = { fid: r.fid, n: 1 };
      if (thin && f.type === 1) {
        const [px, py] = (f.geometry as number[][])[0] as number[];
        const cell = Math.floor((py as number) / GRID + 2) * 1024 + Math.floor((px as number) / GRID + 2);
        const kept = cells.get(cell);
        if (kept) {
          kept.tags.n = (kept.tags.n as number) + 1;
          continue;
        }
        cells.set(cell, f);
      }
      out.push(f);
    }
  }
  return out;
}

/**
 * The features of one vector tile of a GeoPackage layer, in tile coordinates.
 *
 * Scales to millions of points: an rtree query per tile; below zoom 12, point layers are
 * aggregated on a 64×64 grid straight from the rtree (no blob decoded, each cell a point
 * with its count `n`); denser tiles above are thinned the same way; lines and polygons are
 * quantised to tile units. Coordinates are projected to WGS 84 with proj4js.
 */
export function gpkgTileFeatures(reg: SourceRegistry, src: Source, tileLayer: string, z: number, x: number, y: number): TileFeature[] {
  const name = tileLayer.startsWith(GPKG_TILE_PREFIX) ? tileLayer.slice(GPKG_TILE_PREFIX.length) : tileLayer;
  const st = layerState(reg, src, name);
  if (st.kind === 'point' && st.layer.spatialIndex && z < AGGREGATE_BELOW_ZOOM) return aggregatedPoints(reg, src, st, z, x, y);
  return decodedFeatures(reg, src, st, z, x, y);
}

/** The layers of a GeoPackage the map can draw, with their WGS 84 extents. */
export function gpkgMapSources(reg: SourceRegistry, src: Source): GpkgMapSources {
  const gp = reg.gpkg(src);
  const srsRows = readSrs(gp.db) ?? [];
  const layers = (readContents(gp.db) ?? [])
    .filter((c) => c.dataType.toLowerCase() === 'features')
    .flatMap((c) => {
      let layer: GpkgLayer;
      try {
        layer = describeLayerByName(gp, c.tableName);
      } catch {
        return []; // a contents row without a table: the validator reports it
      }
      if (!layer.geometryColumn) return [];
      const proj = lonLatProjector(srsRows.find((s) => s.srsId === layer.srsId) ?? null);
      let extent = null;
      if (proj) {
        let e = layer.extent;
        if (!e && layer.spatialIndex) {
          const r = gp.db.prepare(`SELECT min(minx) AS a, min(miny) AS b, max(maxx) AS c, max(maxy) AS d FROM ${quoteId(rtreeName(layer.name, layer.geometryColumn))}`).get() as { a: number | null; b: number | null; c: number | null; d: number | null };
          if (r.a !== null && r.b !== null && r.c !== null && r.d !== null) e = { srsId: layer.srsId ?? 0, minX: r.a, minY: r.b, maxX: r.c, maxY: r.d };
        }
        if (e) {
          const corners = [proj.toLonLat(e.minX, e.minY), proj.toLonLat(e.maxX, e.maxY), proj.toLonLat(e.minX, e.maxY), proj.toLonLat(e.maxX, e.minY)];
          const lons = corners.map((p) => p[0]);
          const lats = corners.map((p) => p[1]);
          if ([...lons, ...lats].every(Number.isFinite)) extent = { srsId: 4326, minX: Math.min(...lons), minY: Math.min(...lats), maxX: Math.max(...lons), maxY: Math.max(...lats) };
        }
      }
      return [
        {
          layer: layer.name,
          tileLayer: `${GPKG_TILE_PREFIX}${layer.name}`,
          geometryKind: geometryKind(layer.geometryType),
          count: featureCount(gp.db, layer.name).count,
          extent,
          drawable: proj !== null,
          reason: proj ? null : `srs_id ${layer.srsId} cannot be projected on the map (undefined or unknown coordinate system)`,
        },
      ];
    });
  return { sourceId: src.id, layers };
}

export { TILE_EXTENT };
