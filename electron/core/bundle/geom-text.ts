import { toGeoJson } from '../gpkg/geometry/geojson.js';
import { envelopeOf, type Geometry, type Position } from '../gpkg/geometry/model.js';

/**
 * Geometries as text for the bundle's files: WKT for the CSV and Darwin Core `footprintWKT`,
 * GeoJSON for the GeoJSON file, the reference point of a geometry. Numbers are written as
 * JavaScript's shortest round-trip form, so the same double always gives the same text.
 */

const num = (v: number): string => (Object.is(v, -0) ? '0' : String(v));
const pos = (p: Position): string => `${num(p[0] as number)} ${num(p[1] as number)}`;
const ring = (r: readonly Position[]): string => `(${r.map(pos).join(', ')})`;

function body(g: Geometry): string {
  switch (g.type) {
    case 'Point':
      return g.coordinates.length === 0 ? 'EMPTY' : `(${pos(g.coordinates)})`;
    case 'LineString':
    case 'CircularString':
      return g.coordinates.length === 0 ? 'EMPTY' : ring(g.coordinates);
    case 'Polygon':
    case 'Triangle':
      return g.coordinates.length === 0 ? 'EMPTY' : `(${g.coordinates.map(ring).join(', ')})`;
    case 'MultiPoint':
      return g.geometries.length === 0 ? 'EMPTY' : `(${g.geometries.map((c) => body(c)).join(', ')})`;
    case 'MultiLineString':
    case 'MultiPolygon':
      return g.geometries.length === 0 ? 'EMPTY' : `(${g.geometries.map((c) => body(c)).join(', ')})`;
    default:
      return g.geometries.length === 0 ? 'EMPTY' : `(${g.geometries.map(toWkt).join(', ')})`;
  }
}

const WKT_NAME: Record<string, string> = {
  Point: 'POINT',
  LineString: 'LINESTRING',
  Polygon: 'POLYGON',
  MultiPoint: 'MULTIPOINT',
  MultiLineString: 'MULTILINESTRING',
  MultiPolygon: 'MULTIPOLYGON',
  GeometryCollection: 'GEOMETRYCOLLECTION',
  CircularString: 'CIRCULARSTRING',
  CompoundCurve: 'COMPOUNDCURVE',
  CurvePolygon: 'CURVEPOLYGON',
  MultiCurve: 'MULTICURVE',
  MultiSurface: 'MULTISURFACE',
  PolyhedralSurface: 'POLYHEDRALSURFACE',
  TIN: 'TIN',
  Triangle: 'TRIANGLE',
};

/** 2D WKT (Z and M dropped: the bundle's geometries are 2D). */
export function toWkt(g: Geometry): string {
  return `${WKT_NAME[g.type] ?? g.type.toUpperCase()} ${body(g)}`;
}

/** The point of a point, else the centre of the geometry's envelope; null when empty. */
export function referencePoint(g: Geometry): [number, number] | null {
  if (g.type === 'Point') return g.coordinates.length >= 2 ? [g.coordinates[0] as number, g.coordinates[1] as number] : null;
  const e = envelopeOf(g);
  return e ? [(e.minX + e.maxX) / 2, (e.minY + e.maxY) / 2] : null;
}

/** GeoJSON geometry text (curves are not expected in observations; they are refused by toGeoJson). */
export function toGeoJsonText(g: Geometry): string {
  return JSON.stringify(toGeoJson(g));
}
