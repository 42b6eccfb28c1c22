/**
 * Geometries as the GeoPackage stores them: simple features and curves, 2D/Z/M/ZM.
 *
 * A position is `[x, y]`, `[x, y, z]`, `[x, y, m]` or `[x, y, z, m]` according to
 * `hasZ`/`hasM`. Leaf types carry `coordinates`, composite types carry `geometries`.
 */
export type Position = number[];

export const GEOMETRY_TYPES = [
  'Geometry',
  'Point',
  'LineString',
  'Polygon',
  'MultiPoint',
  'MultiLineString',
  'MultiPolygon',
  'GeometryCollection',
  'CircularString',
  'CompoundCurve',
  'CurvePolygon',
  'MultiCurve',
  'MultiSurface',
  'Curve',
  'Surface',
  'PolyhedralSurface',
  'TIN',
  'Triangle',
] as const;
export type GeometryType = (typeof GEOMETRY_TYPES)[number];

/** ISO WKB base codes (ISO 13249-3 / OGC 06-103r4 §8.2.3), index = code. */
export const WKB_CODE: Record<GeometryType, number> = {
  Geometry: 0,
  Point: 1,
  LineString: 2,
  Polygon: 3,
  MultiPoint: 4,
  MultiLineString: 5,
  MultiPolygon: 6,
  GeometryCollection: 7,
  CircularString: 8,
  CompoundCurve: 9,
  CurvePolygon: 10,
  MultiCurve: 11,
  MultiSurface: 12,
  Curve: 13,
  Surface: 14,
  PolyhedralSurface: 15,
  TIN: 16,
  Triangle: 17,
};

export interface PointGeometry {
  readonly type: 'Point';
  readonly hasZ: boolean;
  readonly hasM: boolean;
  /** Empty array for POINT EMPTY. */
  readonly coordinates: Position;
}
export interface CurveGeometry {
  readonly type: 'LineString' | 'CircularString';
  readonly hasZ: boolean;
  readonly hasM: boolean;
  readonly coordinates: Position[];
}
export interface RingsGeometry {
  readonly type: 'Polygon' | 'Triangle';
  readonly hasZ: boolean;
  readonly hasM: boolean;
  readonly coordinates: Position[][];
}
export interface CompositeGeometry {
  readonly type:
    | 'MultiPoint'
    | 'MultiLineString'
    | 'MultiPolygon'
    | 'GeometryCollection'
    | 'CompoundCurve'
    | 'CurvePolygon'
    | 'MultiCurve'
    | 'MultiSurface'
    | 'PolyhedralSurface'
    | 'TIN';
  readonly hasZ: boolean;
  readonly hasM: boolean;
  readonly geometries: Geometry[];
}
export type Geometry = PointGeometry | CurveGeometry | RingsGeometry | CompositeGeometry;

/** Types whose members are themselves full geometries in WKB. */
export const COMPOSITE_TYPES: ReadonlySet<string> = new Set([
  'MultiPoint',
  'MultiLineString',
  'MultiPolygon',
  'GeometryCollection',
  'CompoundCurve',
  'CurvePolygon',
  'MultiCurve',
  'MultiSurface',
  'PolyhedralSurface',
  'TIN',
]);

/** Types GeoJSON cannot represent without linearisation. */
export const CURVE_TYPES: ReadonlySet<string> = new Set([
  'CircularString',
  'CompoundCurve',
  'CurvePolygon',
  'MultiCurve',
  'MultiSurface',
  'Curve',
  'Surface',
]);

export interface Envelope {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  minZ?: number;
  maxZ?: number;
  minM?: number;
  maxM?: number;
}

/** True when the geometry has no coordinates at all (POINT EMPTY, an empty collection…). */
export function isEmptyGeometry(g: Geometry): boolean {
  switch (g.type) {
    case 'Point':
      return g.coordinates.length === 0 || g.coordinates.every((v) => Number.isNaN(v));
    case 'LineString':
    case 'CircularString':
      return g.coordinates.length === 0;
    case 'Polygon':
    case 'Triangle':
      return g.coordinates.length === 0;
    default:
      return g.geometries.every(isEmptyGeometry);
  }
}

/** Visits every position of a geometry. */
export function forEachPosition(g: Geometry, fn: (p: Position) => void): void {
  switch (g.type) {
    case 'Point':
      if (g.coordinates.length > 0 && !Number.isNaN(g.coordinates[0])) fn(g.coordinates);
      return;
    case 'LineString':
    case 'CircularString':
      for (const p of g.coordinates) fn(p);
      return;
    case 'Polygon':
    case 'Triangle':
      for (const ring of g.coordinates) for (const p of ring) fn(p);
      return;
    default:
      for (const c of g.geometries) forEachPosition(c, fn);
  }
}

/** The envelope of a geometry, or null when it is empty. */
export function envelopeOf(g: Geometry): Envelope | null {
  let env: Envelope | null = null;
  const zi = 2;
  const mi = g.hasZ ? 3 : 2;
  forEachPosition(g, (p) => {
    const x = p[0] as number;
    const y = p[1] as number;
    if (!env) {
      env = { minX: x, maxX: x, minY: y, maxY: y };
    } else {
      if (x < env.minX) env.minX = x;
      if (x > env.maxX) env.maxX = x;
      if (y < env.minY) env.minY = y;
      if (y > env.maxY) env.maxY = y;
    }
    if (g.hasZ) {
      const z = p[zi] as number;
      env.minZ = env.minZ === undefined ? z : Math.min(env.minZ, z);
      env.maxZ = env.maxZ === undefined ? z : Math.max(env.maxZ, z);
    }
    if (g.hasM) {
      const m = p[mi] as number;
      env.minM = env.minM === undefined ? m : Math.min(env.minM, m);
      env.maxM = env.maxM === undefined ? m : Math.max(env.maxM, m);
    }
  });
  return env;
}

/**
 * Whether a geometry of type `actual` may be stored in a column declared `expected`
 * (OGC 12-128r18 Annex E type hierarchy; names case-insensitive, e.g. "MultiPolygon").
 */
export function isAssignable(expected: string, actual: string): boolean {
  const e = expected.toUpperCase();
  const a = actual.toUpperCase();
  if (e === a || e === 'GEOMETRY') return true;
  if (e === 'GEOMETRYCOLLECTION') return ['MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON', 'MULTICURVE', 'MULTISURFACE'].includes(a);
  if (e === 'MULTICURVE') return a === 'MULTILINESTRING';
  if (e === 'MULTISURFACE') return a === 'MULTIPOLYGON';
  if (e === 'CURVE') return ['LINESTRING', 'CIRCULARSTRING', 'COMPOUNDCURVE'].includes(a);
  if (e === 'SURFACE') return ['POLYGON', 'CURVEPOLYGON'].includes(a);
  if (e === 'CURVEPOLYGON') return a === 'POLYGON';
  if (e === 'COMPOUNDCURVE') return a === 'LINESTRING' || a === 'CIRCULARSTRING';
  return false;
}
