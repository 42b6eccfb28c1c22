/**
 * The small geometry model the cleanup rules work on, shaped like the engine's GeoPackage model
 * (`electron/core/gpkg/geometry/model.ts`) so values pass between them unchanged, with a WKT
 * reader (legacy files carry WKT: "POINT(6.5 44.85)") and the positional helpers the checks
 * need (bbox, point in polygon, swapped coordinates).
 */

export type Position = number[];

export type SimpleGeometry =
  | { readonly type: 'Point'; readonly hasZ: boolean; readonly hasM: boolean; readonly coordinates: Position }
  | { readonly type: 'LineString'; readonly hasZ: boolean; readonly hasM: boolean; readonly coordinates: Position[] }
  | { readonly type: 'Polygon'; readonly hasZ: boolean; readonly hasM: boolean; readonly coordinates: Position[][] }
  | {
      readonly type: 'MultiPoint' | 'MultiLineString' | 'MultiPolygon' | 'GeometryCollection';
      readonly hasZ: boolean;
      readonly hasM: boolean;
      readonly geometries: SimpleGeometry[];
    };

/** A WKT text Passerelle cannot read. */
export class WktError extends Error {}

/** Reads WKT (2D, Z, M, ZM; EMPTY; an optional `SRID=n;` EWKT prefix, which is ignored). */
export function parseWkt(text: string): SimpleGeometry {
  const s = text.trim().replace(/^SRID=\d+;/i, '');
  let i = 0;
  const ws = () => {
    while (i < s.length && /\s/.test(s[i] as string)) i++;
  };
  const word = (): string => {
    ws();
    const m = /^[A-Za-z]+/.exec(s.slice(i));
    if (!m) throw new WktError(`expected a word at ${i}`);
    i += m[0].length;
    return m[0].toUpperCase();
  };
  const peek = (c: string) => {
    ws();
    return s[i] === c;
  };
  const expect = (c: string) => {
    ws();
    if (s[i] !== c) throw new WktError(`expected "${c}" at ${i}`);
    i++;
  };
  const isEmpty = (): boolean => {
    ws();
    if (/^EMPTY/i.test(s.slice(i))) {
      i += 5;
      return true;
    }
    return false;
  };
  const num = (): number => {
    ws();
    const m = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(s.slice(i));
    if (!m) throw new WktError(`expected a number at ${i}`);
    i += m[0].length;
    return Number(m[0]);
  };
  const position = (dims: number): Position => {
    const p: number[] = [num(), num()];
    for (let k = 2; k < dims; k++) p.push(num());
    // Tolerate a third/fourth ordinate WKT did not announce ("POINT(1 2 3)").
    while (!peek(',') && !peek(')')) p.push(num());
    return p;
  };
  const positions = (dims: number): Position[] => {
    expect('(');
    const out: Position[] = [];
    do {
      // MULTIPOINT((1 2),(3 4)) and MULTIPOINT(1 2, 3 4) are both in use.
      if (peek('(')) {
        expect('(');
        out.push(position(dims));
        expect(')');
      } else out.push(position(dims));
    } while (peek(',') && (i++, true));
    expect(')');
    return out;
  };
  const rings = (dims: number): Position[][] => {
    expect('(');
    const out: Position[][] = [];
    do out.push(positions(dims));
    while (peek(',') && (i++, true));
    expect(')');
    return out;
  };
  const geometry = (): SimpleGeometry => {
    const type = word();
    let hasZ = false;
    let hasM = false;
    ws();
    const dimWord = /^(ZM|Z|M)\b/i.exec(s.slice(i));
    if (dimWord) {
      const d = dimWord[1]?.toUpperCase();
      hasZ = d === 'Z' || d === 'ZM';
      hasM = d === 'M' || d === 'ZM';
      i += dimWord[0].length;
    }
    const dims = 2 + (hasZ ? 1 : 0) + (hasM ? 1 : 0);
    const empty = isEmpty();
    switch (type) {
      case 'POINT': {
        if (empty) return { type: 'Point', hasZ, hasM, coordinates: [] };
        expect('(');
        const p = position(dims);
        expect(')');
        return { type: 'Point', hasZ: hasZ || p.length > 2, hasM, coordinates: p };
      }
      case 'LINESTRING':
        return { type: 'LineString', hasZ, hasM, coordinates: empty ? [] : positions(dims) };
      case 'POLYGON':
        return { type: 'Polygon', hasZ, hasM, coordinates: empty ? [] : rings(dims) };
      case 'MULTIPOINT':
        return { type: 'MultiPoint', hasZ, hasM, geometries: empty ? [] : positions(dims).map((c) => ({ type: 'Point', hasZ, hasM, coordinates: c })) };
      case 'MULTILINESTRING':
        return { type: 'MultiLineString', hasZ, hasM, geometries: empty ? [] : rings(dims).map((c) => ({ type: 'LineString', hasZ, hasM, coordinates: c })) };
      case 'MULTIPOLYGON': {
        if (empty) return { type: 'MultiPolygon', hasZ, hasM, geometries: [] };
        expect('(');
        const polys: SimpleGeometry[] = [];
        do polys.push({ type: 'Polygon', hasZ, hasM, coordinates: rings(dims) });
        while (peek(',') && (i++, true));
        expect(')');
        return { type: 'MultiPolygon', hasZ, hasM, geometries: polys };
      }
      case 'GEOMETRYCOLLECTION': {
        if (empty) return { type: 'GeometryCollection', hasZ, hasM, geometries: [] };
        expect('(');
        const parts: SimpleGeometry[] = [];
        do parts.push(geometry());
        while (peek(',') && (i++, true));
        expect(')');
        return { type: 'GeometryCollection', hasZ, hasM, geometries: parts };
      }
      default:
        throw new WktError(`unsupported geometry type ${type}`);
    }
  };
  const g = geometry();
  ws();
  if (i !== s.length) throw new WktError(`unexpected text after the geometry at ${i}`);
  return g;
}

/** Calls `fn` on every position. */
export function eachPosition(g: SimpleGeometry, fn: (p: Position) => void): void {
  switch (g.type) {
    case 'Point':
      if (g.coordinates.length) fn(g.coordinates);
      return;
    case 'LineString':
      g.coordinates.forEach(fn);
      return;
    case 'Polygon':
      g.coordinates.forEach((r) => r.forEach(fn));
      return;
    default:
      g.geometries.forEach((c) => eachPosition(c, fn));
  }
}

/** A copy with every position mapped (reprojection, swapping). */
export function mapPositions(g: SimpleGeometry, fn: (p: Position) => Position): SimpleGeometry {
  switch (g.type) {
    case 'Point':
      return { ...g, coordinates: g.coordinates.length ? fn(g.coordinates) : [] };
    case 'LineString':
      return { ...g, coordinates: g.coordinates.map(fn) };
    case 'Polygon':
      return { ...g, coordinates: g.coordinates.map((r) => r.map(fn)) };
    default:
      return { ...g, geometries: g.geometries.map((c) => mapPositions(c, fn)) };
  }
}

/** Bounding box [minX, minY, maxX, maxY], or null for an empty geometry. */
export function bboxOf(g: SimpleGeometry): [number, number, number, number] | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  eachPosition(g, (p) => {
    const x = p[0] as number;
    const y = p[1] as number;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  });
  return minX === Infinity ? null : [minX, minY, maxX, maxY];
}

/** True when the geometry has no position at all. */
export function isEmptyGeometry(g: SimpleGeometry): boolean {
  return bboxOf(g) === null;
}

/** A representative position: the point itself, else the centre of the bbox. */
export function anchorOf(g: SimpleGeometry): [number, number] | null {
  if (g.type === 'Point') return g.coordinates.length ? [g.coordinates[0] as number, g.coordinates[1] as number] : null;
  const b = bboxOf(g);
  return b ? [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2] : null;
}

/** Even-odd point-in-ring test (ray casting). */
function inRing(x: number, y: number, ring: readonly Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i]?.[0] as number;
    const yi = ring[i]?.[1] as number;
    const xj = ring[j]?.[0] as number;
    const yj = ring[j]?.[1] as number;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** True when (x, y) is inside a Polygon or MultiPolygon (holes respected). */
export function pointInPolygonal(x: number, y: number, g: SimpleGeometry): boolean {
  if (g.type === 'Polygon') {
    const [outer, ...holes] = g.coordinates;
    return outer !== undefined && inRing(x, y, outer) && !holes.some((h) => inRing(x, y, h));
  }
  if (g.type === 'MultiPolygon' || g.type === 'GeometryCollection') return g.geometries.some((c) => pointInPolygonal(x, y, c));
  return false;
}

/**
 * A polygon or multipolygon prepared for many point tests: its edges bucketed by horizontal band,
 * so a test reads only the edges its band crosses (communes and départements have thousands of
 * vertices; a million points each tested against every edge would take minutes). Even-odd over all
 * rings, which is the inside of a valid (multi)polygon with its holes.
 */
export function preparePolygonal(g: SimpleGeometry): (x: number, y: number) => boolean {
  const edges: number[] = [];
  const addRing = (ring: readonly Position[]) => {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[j] as Position;
      const b = ring[i] as Position;
      if ((a[1] as number) !== (b[1] as number)) edges.push(a[0] as number, a[1] as number, b[0] as number, b[1] as number);
    }
  };
  const walk = (x: SimpleGeometry) => {
    if (x.type === 'Polygon') x.coordinates.forEach(addRing);
    else if (x.type === 'MultiPolygon' || x.type === 'GeometryCollection') x.geometries.forEach(walk);
  };
  walk(g);
  const box = bboxOf(g);
  if (!box || edges.length === 0) return () => false;
  const [minX, minY, maxX, maxY] = box;
  const n = edges.length / 4;
  const bands = Math.max(1, Math.min(4096, Math.ceil(n / 8)));
  const h = (maxY - minY) / bands || 1;
  const lists: number[][] = Array.from({ length: bands }, () => []);
  for (let e = 0; e < n; e++) {
    const y1 = edges[e * 4 + 1] as number;
    const y2 = edges[e * 4 + 3] as number;
    const lo = Math.max(0, Math.floor((Math.min(y1, y2) - minY) / h));
    const hi = Math.min(bands - 1, Math.floor((Math.max(y1, y2) - minY) / h));
    for (let b = lo; b <= hi; b++) (lists[b] as number[]).push(e);
  }
  const buckets = lists.map((l) => Int32Array.from(l));
  return (x, y) => {
    if (x < minX || x > maxX || y < minY || y > maxY) return false;
    const list = buckets[Math.min(bands - 1, Math.floor((y - minY) / h))] as Int32Array;
    let inside = false;
    for (let k = 0; k < list.length; k++) {
      const o = (list[k] as number) * 4;
      const xi = edges[o] as number;
      const yi = edges[o + 1] as number;
      const xj = edges[o + 2] as number;
      const yj = edges[o + 3] as number;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
}
