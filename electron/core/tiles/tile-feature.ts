import type { Geometry, Position } from '../gpkg/geometry/model.js';
import { toTileCoords } from './webmercator.js';

/** Tag values a vector tile feature carries. */
export type Tags = Record<string, string | number | boolean>;

/** A feature as vt-pbf's geojson-vt adapter encodes it (tile coordinates, 0..4096 inside the tile). */
export interface TileFeature {
  id?: number;
  type: 1 | 2 | 3;
  geometry: number[][] | number[][][];
  tags: Tags;
}

function signedArea(ring: number[][]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const p = ring[i] as number[];
    const q = ring[j] as number[];
    a += ((q[0] as number) - (p[0] as number)) * ((q[1] as number) + (p[1] as number));
  }
  return a;
}

/** MVT 2.1 §4.3.4.4: exterior rings clockwise in tile coordinates (y down), holes counter-clockwise. */
export function orientRing(ring: number[][], exterior: boolean): number[][] {
  const clockwise = signedArea(ring) < 0;
  return clockwise === exterior ? ring : ring.slice().reverse();
}

/**
 * A lon/lat geometry projected to the integer coordinates of tile (z, x, y): one feature per
 * part (multi-geometries and collections are split), rings oriented for MVT, no tags yet.
 * Curves give nothing (they are linearised through GDAL by the GeoPackage viewer).
 */
export function projectToTile(g: Geometry, z: number, x: number, y: number): TileFeature[] {
  const pt = (p: Position) => toTileCoords(p[0] as number, p[1] as number, z, x, y);
  switch (g.type) {
    case 'Point':
      return g.coordinates.length === 0 ? [] : [{ type: 1, geometry: [pt(g.coordinates)], tags: {} }];
    case 'LineString':
      return [{ type: 2, geometry: [g.coordinates.map(pt)], tags: {} }];
    case 'Polygon':
      return [{ type: 3, geometry: g.coordinates.map((r, i) => orientRing(r.map(pt), i === 0)), tags: {} }];
    case 'MultiPoint':
    case 'MultiLineString':
    case 'MultiPolygon':
    case 'GeometryCollection':
      return g.geometries.flatMap((c) => projectToTile(c, z, x, y));
    default:
      return [];
  }
}

/** Below this zoom, points closer than this many tile units are merged (4 px at 256 px tiles). */
const THIN_CELL = 64;
const THIN_BELOW_ZOOM = 12;

/**
 * Thinning of a workspace's observation points below zoom 12, one kept per 4 px cell: returns
 * the point already kept in `f`'s cell, its count `n` raised by one (the caller then drops `f`),
 * or undefined when `f` is kept (it is not a point, the zoom is 12 or more, or it is the first
 * point of its cell, then remembered in `cells`).
 */
export function thinnedInto(cells: Map<string, TileFeature>, f: TileFeature, z: number): TileFeature | undefined {
  if (f.type !== 1 || z >= THIN_BELOW_ZOOM) return undefined;
  const [px, py] = (f.geometry as number[][])[0] as number[];
  const key = `${Math.floor((px as number) / THIN_CELL)}:${Math.floor((py as number) / THIN_CELL)}`;
  const kept = cells.get(key);
  if (!kept) {
    cells.set(key, f);
    return undefined;
  }
  kept.tags.n = (kept.tags.n as number) + 1;
  return kept;
}
