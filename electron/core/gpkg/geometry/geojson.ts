import { CURVE_TYPES, type Geometry, type Position } from './model.js';

/** A GeoJSON geometry (RFC 7946), with positions of 2 or 3 numbers. */
export type GeoJsonGeometry =
  | { type: 'Point'; coordinates: number[] }
  | { type: 'LineString'; coordinates: number[][] }
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPoint'; coordinates: number[][] }
  | { type: 'MultiLineString'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] }
  | { type: 'GeometryCollection'; geometries: GeoJsonGeometry[] };

/** GeoJSON has no M: keep x, y and z. */
const xyz = (p: Position, hasZ: boolean): number[] => (hasZ ? [p[0] as number, p[1] as number, p[2] as number] : [p[0] as number, p[1] as number]);

/**
 * Converts to GeoJSON. M values are dropped (GeoJSON has none); curve types throw, since
 * they must be linearised first (through GDAL) and a silent approximation would lie.
 */
export function toGeoJson(g: Geometry): GeoJsonGeometry {
  if (CURVE_TYPES.has(g.type)) throw new Error(`${g.type} must be linearised before conversion to GeoJSON`);
  switch (g.type) {
    case 'Point':
      return { type: 'Point', coordinates: g.coordinates.length === 0 ? [] : xyz(g.coordinates, g.hasZ) };
    case 'LineString':
      return { type: 'LineString', coordinates: g.coordinates.map((p) => xyz(p, g.hasZ)) };
    case 'Polygon':
    case 'Triangle':
      return { type: 'Polygon', coordinates: g.coordinates.map((r) => r.map((p) => xyz(p, g.hasZ))) };
    case 'MultiPoint':
      return {
        type: 'MultiPoint',
        coordinates: g.geometries.map((c) => (c.type === 'Point' ? xyz(c.coordinates, g.hasZ) : [])),
      };
    case 'MultiLineString':
      return {
        type: 'MultiLineString',
        coordinates: g.geometries.map((c) => (c.type === 'LineString' ? c.coordinates.map((p) => xyz(p, g.hasZ)) : [])),
      };
    case 'MultiPolygon':
    case 'PolyhedralSurface':
    case 'TIN':
      return {
        type: 'MultiPolygon',
        coordinates: g.geometries.map((c) =>
          c.type === 'Polygon' || c.type === 'Triangle' ? c.coordinates.map((r) => r.map((p) => xyz(p, g.hasZ))) : [],
        ),
      };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: g.geometries.map(toGeoJson) };
    default:
      throw new Error(`${g.type} cannot be converted to GeoJSON`);
  }
}

function depth3(c: number[]): boolean {
  return c.length >= 3;
}

/** Converts a GeoJSON geometry (2D or 3D positions) to the internal model. */
export function fromGeoJson(j: GeoJsonGeometry): Geometry {
  switch (j.type) {
    case 'Point':
      return { type: 'Point', hasZ: depth3(j.coordinates), hasM: false, coordinates: j.coordinates };
    case 'LineString':
      return { type: 'LineString', hasZ: depth3(j.coordinates[0] ?? []), hasM: false, coordinates: j.coordinates };
    case 'Polygon':
      return { type: 'Polygon', hasZ: depth3(j.coordinates[0]?.[0] ?? []), hasM: false, coordinates: j.coordinates };
    case 'MultiPoint': {
      const hasZ = depth3(j.coordinates[0] ?? []);
      return { type: 'MultiPoint', hasZ, hasM: false, geometries: j.coordinates.map((c) => ({ type: 'Point', hasZ, hasM: false, coordinates: c })) };
    }
    case 'MultiLineString': {
      const hasZ = depth3(j.coordinates[0]?.[0] ?? []);
      return {
        type: 'MultiLineString',
        hasZ,
        hasM: false,
        geometries: j.coordinates.map((c) => ({ type: 'LineString', hasZ, hasM: false, coordinates: c })),
      };
    }
    case 'MultiPolygon': {
      const hasZ = depth3(j.coordinates[0]?.[0]?.[0] ?? []);
      return {
        type: 'MultiPolygon',
        hasZ,
        hasM: false,
        geometries: j.coordinates.map((c) => ({ type: 'Polygon', hasZ, hasM: false, coordinates: c })),
      };
    }
    case 'GeometryCollection': {
      const parts = j.geometries.map(fromGeoJson);
      return { type: 'GeometryCollection', hasZ: parts.some((p) => p.hasZ), hasM: false, geometries: parts };
    }
  }
}
