import {
  COMPOSITE_TYPES,
  GEOMETRY_TYPES,
  WKB_CODE,
  type Geometry,
  type GeometryType,
  type Position,
} from './model.js';

/** A WKB byte string that cannot be decoded; `offset` says where it went wrong. */
export class WkbError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
    this.name = 'WkbError';
  }
}

/** Member types each composite type may hold (ISO 13249-3; GeometryCollection holds anything). */
const MEMBERS: Partial<Record<GeometryType, ReadonlySet<GeometryType>>> = {
  MultiPoint: new Set(['Point']),
  MultiLineString: new Set(['LineString']),
  MultiPolygon: new Set(['Polygon']),
  CompoundCurve: new Set(['LineString', 'CircularString']),
  CurvePolygon: new Set(['LineString', 'CircularString', 'CompoundCurve']),
  MultiCurve: new Set(['LineString', 'CircularString', 'CompoundCurve']),
  MultiSurface: new Set(['Polygon', 'CurvePolygon']),
  PolyhedralSurface: new Set(['Polygon']),
  TIN: new Set(['Triangle']),
};

// Guards against hostile counts that would allocate gigabytes before failing.
const MAX_COUNT = 100_000_000;

interface TypeInfo {
  type: GeometryType;
  hasZ: boolean;
  hasM: boolean;
  /** EWKB (PostGIS) embeds the SRID after the type. */
  hasSrid: boolean;
}

/**
 * Reads a WKB type word: ISO codes (1001 = Point Z, 2001 = Point M, 3001 = Point ZM) and
 * the EWKB / "2.5D" high-bit flags PostGIS and old GDAL write (0x80000000 Z,
 * 0x40000000 M, 0x20000000 SRID).
 */
function decodeType(word: number, offset: number): TypeInfo {
  const ewkbZ = (word & 0x80000000) !== 0;
  const ewkbM = (word & 0x40000000) !== 0;
  const hasSrid = (word & 0x20000000) !== 0;
  let code = word & 0x0fffffff;
  let isoZ = false;
  let isoM = false;
  if (code >= 3000) {
    isoZ = isoM = true;
    code -= 3000;
  } else if (code >= 2000) {
    isoM = true;
    code -= 2000;
  } else if (code >= 1000) {
    isoZ = true;
    code -= 1000;
  }
  const type = GEOMETRY_TYPES[code];
  if (type === undefined || code === 0) throw new WkbError(`Unknown WKB geometry type ${word}`, offset);
  return { type, hasZ: ewkbZ || isoZ, hasM: ewkbM || isoM, hasSrid };
}

class Reader {
  private readonly view: DataView;
  offset: number;
  constructor(
    private readonly bytes: Uint8Array,
    start: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = start;
  }
  need(n: number): void {
    if (this.offset + n > this.bytes.byteLength) throw new WkbError('WKB is truncated', this.offset);
  }
  u8(): number {
    this.need(1);
    return this.view.getUint8(this.offset++);
  }
  u32(le: boolean): number {
    this.need(4);
    const v = this.view.getUint32(this.offset, le);
    this.offset += 4;
    return v;
  }
  f64(le: boolean): number {
    this.need(8);
    const v = this.view.getFloat64(this.offset, le);
    this.offset += 8;
    return v;
  }
  count(le: boolean, perItemMinBytes: number): number {
    const at = this.offset;
    const n = this.u32(le);
    if (n > MAX_COUNT || n * perItemMinBytes > this.bytes.byteLength - this.offset) {
      throw new WkbError(`Implausible element count ${n}`, at);
    }
    return n;
  }
}

function readPosition(r: Reader, le: boolean, dims: number): Position {
  const p = new Array<number>(dims);
  for (let i = 0; i < dims; i++) p[i] = r.f64(le);
  return p;
}

function readGeometry(r: Reader, depth: number): Geometry & { srid?: number } {
  if (depth > 64) throw new WkbError('Geometry nesting is too deep', r.offset);
  const at = r.offset;
  const order = r.u8();
  if (order !== 0 && order !== 1) throw new WkbError(`Bad WKB byte order ${order}`, at);
  const le = order === 1;
  const info = decodeType(r.u32(le), at + 1);
  let srid: number | undefined;
  if (info.hasSrid) srid = r.u32(le);
  const dims = 2 + (info.hasZ ? 1 : 0) + (info.hasM ? 1 : 0);
  const { type, hasZ, hasM } = info;
  let g: Geometry;
  switch (type) {
    case 'Point': {
      const p = readPosition(r, le, dims);
      // POINT EMPTY is encoded with NaN coordinates.
      g = { type, hasZ, hasM, coordinates: p.every((v) => Number.isNaN(v)) ? [] : p };
      break;
    }
    case 'LineString':
    case 'CircularString': {
      const n = r.count(le, dims * 8);
      const coords: Position[] = new Array(n);
      for (let i = 0; i < n; i++) coords[i] = readPosition(r, le, dims);
      g = { type, hasZ, hasM, coordinates: coords };
      break;
    }
    case 'Polygon':
    case 'Triangle': {
      const nr = r.count(le, 4);
      const rings: Position[][] = new Array(nr);
      for (let j = 0; j < nr; j++) {
        const n = r.count(le, dims * 8);
        const ring: Position[] = new Array(n);
        for (let i = 0; i < n; i++) ring[i] = readPosition(r, le, dims);
        rings[j] = ring;
      }
      g = { type, hasZ, hasM, coordinates: rings };
      break;
    }
    default: {
      if (!COMPOSITE_TYPES.has(type)) throw new WkbError(`Unsupported WKB geometry type ${type}`, at);
      const n = r.count(le, 5);
      const parts: Geometry[] = new Array(n);
      const allowed = MEMBERS[type];
      for (let i = 0; i < n; i++) {
        const partAt = r.offset;
        const part = readGeometry(r, depth + 1);
        // GDAL refuses e.g. a MultiLineString holding a CircularString: so do we, with where.
        if (allowed && !allowed.has(part.type)) throw new WkbError(`A ${type} cannot contain a ${part.type}`, partAt);
        parts[i] = part;
      }
      g = { type: type as Extract<Geometry, { geometries: Geometry[] }>['type'], hasZ, hasM, geometries: parts };
    }
  }
  return srid === undefined ? g : { ...g, srid };
}

/**
 * Decodes WKB (ISO, OGC 2.5D or PostGIS EWKB) starting at `start`.
 *
 * Returns the geometry, the SRID when the bytes carry one (EWKB), and where the WKB ended.
 */
export function decodeWkb(bytes: Uint8Array, start = 0): { geometry: Geometry; srid: number | null; end: number } {
  const r = new Reader(bytes, start);
  const g = readGeometry(r, 0);
  const { srid, ...geometry } = g as Geometry & { srid?: number };
  return { geometry: geometry as Geometry, srid: srid ?? null, end: r.offset };
}

/** Decodes a hex string of WKB/EWKB, as PostgreSQL prints geometry columns. */
export function decodeHexWkb(hex: string): { geometry: Geometry; srid: number | null } {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new WkbError('Not a hexadecimal WKB string', 0);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  const { geometry, srid } = decodeWkb(bytes);
  return { geometry, srid };
}

class Writer {
  private buf: Uint8Array;
  private view: DataView;
  offset = 0;
  constructor(size = 64) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }
  private ensure(n: number): void {
    if (this.offset + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.offset + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf);
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): void {
    this.ensure(1);
    this.view.setUint8(this.offset++, v);
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.offset, v, true);
    this.offset += 4;
  }
  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.offset, v, true);
    this.offset += 8;
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.offset);
  }
}

function writePosition(w: Writer, p: Position, dims: number): void {
  for (let i = 0; i < dims; i++) w.f64(p[i] ?? NaN);
}

function writeGeometry(w: Writer, g: Geometry): void {
  const dims = 2 + (g.hasZ ? 1 : 0) + (g.hasM ? 1 : 0);
  const code = WKB_CODE[g.type] + (g.hasZ && g.hasM ? 3000 : g.hasZ ? 1000 : g.hasM ? 2000 : 0);
  w.u8(1);
  w.u32(code);
  switch (g.type) {
    case 'Point':
      if (g.coordinates.length === 0) for (let i = 0; i < dims; i++) w.f64(NaN);
      else writePosition(w, g.coordinates, dims);
      return;
    case 'LineString':
    case 'CircularString':
      w.u32(g.coordinates.length);
      for (const p of g.coordinates) writePosition(w, p, dims);
      return;
    case 'Polygon':
    case 'Triangle':
      w.u32(g.coordinates.length);
      for (const ring of g.coordinates) {
        w.u32(ring.length);
        for (const p of ring) writePosition(w, p, dims);
      }
      return;
    default:
      w.u32(g.geometries.length);
      for (const c of g.geometries) writeGeometry(w, c);
  }
}

/** Encodes a geometry as little-endian ISO WKB (what the GeoPackage spec requires). */
export function encodeWkb(g: Geometry): Uint8Array {
  const w = new Writer();
  writeGeometry(w, g);
  return w.bytes();
}
