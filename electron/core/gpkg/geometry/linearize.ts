import { CURVE_TYPES, type CurveGeometry, type Geometry, type Position } from './model.js';

/**
 * Approximates curve geometries (CircularString, CompoundCurve, CurvePolygon, MultiCurve,
 * MultiSurface) by straight segments, for GeoJSON, vector tiles and formats without arcs.
 *
 * The rule is GDAL's (OGRGeometryFactory::curveToLineString): each arc, defined by three
 * points on a circle, is cut so that no segment spans more than `maxAngleDeg` (GDAL's
 * default step, OGR_ARC_STEPSIZE, is 4°). Done in TypeScript so the UI process (tables,
 * tiles) can draw curves without loading GDAL; a test compares it with GDAL's output.
 */
export const DEFAULT_ARC_STEP_DEG = 4;

/** True when the geometry or any part of it is a curve type. */
export function hasCurves(g: Geometry): boolean {
  if (CURVE_TYPES.has(g.type)) return true;
  return 'geometries' in g ? g.geometries.some(hasCurves) : false;
}

function lerp(a: number | undefined, b: number | undefined, t: number): number {
  const x = a ?? NaN;
  const y = b ?? NaN;
  return x + (y - x) * t;
}

/** Positions of one arc p0 → p1 → p2, without p0 (so consecutive arcs can be chained). */
function arcPoints(p0: Position, p1: Position, p2: Position, dims: number, stepRad: number): Position[] {
  const [x0, y0] = p0 as [number, number];
  const [x1, y1] = p1 as [number, number];
  const [x2, y2] = p2 as [number, number];
  // A full circle is written start, opposite point, start: its centre is the middle of the first two.
  if (x0 === x2 && y0 === y2 && (x0 !== x1 || y0 !== y1)) return fullCircle(p0, p1, dims, stepRad);
  const d = 2 * (x0 * (y1 - y2) + x1 * (y2 - y0) + x2 * (y0 - y1));
  // Collinear control points (or a degenerate arc): the "arc" is two straight segments.
  if (Math.abs(d) < 1e-12 * Math.max(1, Math.abs(x0) + Math.abs(y0) + Math.abs(x2) + Math.abs(y2)) ** 2) return [p1, p2];
  const s0 = x0 * x0 + y0 * y0;
  const s1 = x1 * x1 + y1 * y1;
  const s2 = x2 * x2 + y2 * y2;
  const cx = (s0 * (y1 - y2) + s1 * (y2 - y0) + s2 * (y0 - y1)) / d;
  const cy = (s0 * (x2 - x1) + s1 * (x0 - x2) + s2 * (x1 - x0)) / d;
  const r = Math.hypot(x0 - cx, y0 - cy);
  const a0 = Math.atan2(y0 - cy, x0 - cx);
  let a1 = Math.atan2(y1 - cy, x1 - cx);
  let a2 = Math.atan2(y2 - cy, x2 - cx);
  // Counter-clockwise when p1 lies left of p0→p2; unwrap the angles in the arc's direction.
  const ccw = (x1 - x0) * (y2 - y0) - (y1 - y0) * (x2 - x0) > 0;
  if (ccw) {
    while (a1 <= a0) a1 += 2 * Math.PI;
    while (a2 <= a1) a2 += 2 * Math.PI;
  } else {
    while (a1 >= a0) a1 -= 2 * Math.PI;
    while (a2 >= a1) a2 -= 2 * Math.PI;
  }
  const sweep = a2 - a0;
  const n = Math.max(2, Math.ceil(Math.abs(sweep) / stepRad));
  const out: Position[] = [];
  const split = (a1 - a0) / sweep;
  for (let i = 1; i < n; i++) {
    const t = i / n;
    const a = a0 + sweep * t;
    const p: Position = [cx + r * Math.cos(a), cy + r * Math.sin(a)];
    // Z and M vary linearly along each half of the arc.
    for (let k = 2; k < dims; k++) p.push(t <= split ? lerp(p0[k], p1[k], t / split) : lerp(p1[k], p2[k], (t - split) / (1 - split)));
    out.push(p);
  }
  out.push(p2);
  return out;
}

/** The positions of a full circle through p0 and the diametrically opposite p1, counter-clockwise, without p0. */
function fullCircle(p0: Position, p1: Position, dims: number, stepRad: number): Position[] {
  const cx = ((p0[0] as number) + (p1[0] as number)) / 2;
  const cy = ((p0[1] as number) + (p1[1] as number)) / 2;
  const r = Math.hypot((p0[0] as number) - cx, (p0[1] as number) - cy);
  const a0 = Math.atan2((p0[1] as number) - cy, (p0[0] as number) - cx);
  const n = Math.max(4, Math.ceil((2 * Math.PI) / stepRad));
  const out: Position[] = [];
  for (let i = 1; i < n; i++) {
    const a = a0 + (2 * Math.PI * i) / n;
    const p: Position = [cx + r * Math.cos(a), cy + r * Math.sin(a)];
    for (let k = 2; k < dims; k++) p.push(p0[k] as number);
    out.push(p);
  }
  out.push(p0.slice());
  return out;
}

function linearizeCurve(g: Geometry, dims: number, stepRad: number): Position[] {
  switch (g.type) {
    case 'LineString':
      return g.coordinates;
    case 'CircularString': {
      const c = g.coordinates;
      if (c.length < 3) return c;
      const out: Position[] = [c[0] as Position];
      for (let i = 0; i + 2 < c.length; i += 2) out.push(...arcPoints(c[i] as Position, c[i + 1] as Position, c[i + 2] as Position, dims, stepRad));
      return out;
    }
    case 'CompoundCurve': {
      const out: Position[] = [];
      for (const part of g.geometries) {
        const pts = linearizeCurve(part, dims, stepRad);
        // Members share their end points: drop the repeated first point of each next member.
        out.push(...(out.length > 0 ? pts.slice(1) : pts));
      }
      return out;
    }
    default:
      throw new Error(`${g.type} is not a curve`);
  }
}

/** Returns the geometry with every curve replaced by line strings and polygons. */
export function linearize(g: Geometry, maxAngleDeg = DEFAULT_ARC_STEP_DEG): Geometry {
  if (!hasCurves(g)) return g;
  const stepRad = (maxAngleDeg * Math.PI) / 180;
  const dims = 2 + (g.hasZ ? 1 : 0) + (g.hasM ? 1 : 0);
  const { hasZ, hasM } = g;
  const line = (c: Geometry): CurveGeometry => ({ type: 'LineString', hasZ, hasM, coordinates: linearizeCurve(c, dims, stepRad) });
  switch (g.type) {
    case 'CircularString':
    case 'CompoundCurve':
      return line(g);
    case 'CurvePolygon':
      return { type: 'Polygon', hasZ, hasM, coordinates: g.geometries.map((ring) => line(ring).coordinates) };
    case 'MultiCurve':
      return { type: 'MultiLineString', hasZ, hasM, geometries: g.geometries.map(line) };
    case 'MultiSurface':
      return { type: 'MultiPolygon', hasZ, hasM, geometries: g.geometries.map((s) => linearize(s, maxAngleDeg)) };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', hasZ, hasM, geometries: g.geometries.map((c) => linearize(c, maxAngleDeg)) };
    default:
      return g;
  }
}
