import { envelopeOf, isEmptyGeometry, type Envelope, type Geometry } from './model.js';
import { decodeWkb, encodeWkb, WkbError } from './wkb.js';

/**
 * The GeoPackage geometry blob: a header (magic "GP", version, flags, srs_id, optional
 * envelope) followed by WKB. OGC 12-128r18 §2.1.3, "GeoPackageBinary".
 */
export interface GpkgHeader {
  version: number;
  /** Bit 5 of the flags: ExtendedGeoPackageBinary (a vendor extension geometry). */
  extended: boolean;
  /** Bit 4 of the flags: the geometry is empty. */
  empty: boolean;
  /** Envelope contents indicator (bits 1-3): 0 none, 1 XY, 2 XYZ, 3 XYM, 4 XYZM. */
  envelopeKind: 0 | 1 | 2 | 3 | 4;
  littleEndian: boolean;
  srsId: number;
  envelope: Envelope | null;
  /** Byte offset where the WKB starts. */
  wkbOffset: number;
}

const ENVELOPE_DOUBLES = [0, 4, 6, 6, 8] as const;

/** Reads the GeoPackage binary header; throws WkbError on anything malformed. */
export function readGpkgHeader(bytes: Uint8Array): GpkgHeader {
  if (bytes.byteLength < 8) throw new WkbError('GeoPackage geometry blob is shorter than its header', 0);
  if (bytes[0] !== 0x47 || bytes[1] !== 0x50) throw new WkbError('Not a GeoPackage geometry blob (no "GP" magic)', 0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[2] as number;
  const flags = bytes[3] as number;
  const littleEndian = (flags & 0x01) === 1;
  const kind = (flags >> 1) & 0x07;
  if (kind > 4) throw new WkbError(`Invalid envelope contents indicator ${kind}`, 3);
  const envelopeKind = kind as GpkgHeader['envelopeKind'];
  const empty = (flags & 0x10) !== 0;
  const extended = (flags & 0x20) !== 0;
  const srsId = view.getInt32(4, littleEndian);
  const n = ENVELOPE_DOUBLES[envelopeKind];
  const wkbOffset = 8 + n * 8;
  if (bytes.byteLength < wkbOffset) throw new WkbError('GeoPackage geometry blob is cut inside its envelope', 8);
  let envelope: Envelope | null = null;
  if (n > 0) {
    const d = (i: number) => view.getFloat64(8 + i * 8, littleEndian);
    envelope = { minX: d(0), maxX: d(1), minY: d(2), maxY: d(3) };
    if (envelopeKind === 2 || envelopeKind === 4) {
      envelope.minZ = d(4);
      envelope.maxZ = d(5);
    }
    if (envelopeKind === 3) {
      envelope.minM = d(4);
      envelope.maxM = d(5);
    }
    if (envelopeKind === 4) {
      envelope.minM = d(6);
      envelope.maxM = d(7);
    }
  }
  return { version, extended, empty, envelopeKind, littleEndian, srsId, envelope, wkbOffset };
}

/** Decodes a GeoPackage geometry blob into its header and geometry. */
export function decodeGpkg(bytes: Uint8Array): { header: GpkgHeader; geometry: Geometry } {
  const header = readGpkgHeader(bytes);
  if (header.extended) {
    throw new WkbError('ExtendedGeoPackageBinary geometry (vendor extension) cannot be decoded', 3);
  }
  const { geometry, end } = decodeWkb(bytes, header.wkbOffset);
  if (end !== bytes.byteLength) throw new WkbError(`${bytes.byteLength - end} trailing bytes after the WKB`, end);
  return { header, geometry };
}

/**
 * Encodes a geometry as a GeoPackage blob: little-endian, with an XY envelope (XYZ when
 * the geometry has Z) so readers can filter without decoding, and the empty flag set
 * for empty geometries (which then carry no envelope, as the spec asks).
 */
export function encodeGpkg(g: Geometry, srsId: number): Uint8Array {
  // The common case (observations are points) written directly: 8-byte header + 21-byte WKB.
  if (g.type === 'Point' && !g.hasZ && !g.hasM && g.coordinates.length >= 2) {
    const out = new Uint8Array(29);
    const view = new DataView(out.buffer);
    out[0] = 0x47;
    out[1] = 0x50;
    out[3] = 0x01;
    view.setInt32(4, srsId, true);
    out[8] = 1;
    view.setUint32(9, 1, true);
    view.setFloat64(13, g.coordinates[0] as number, true);
    view.setFloat64(21, g.coordinates[1] as number, true);
    return out;
  }
  const wkb = encodeWkb(g);
  const empty = isEmptyGeometry(g);
  // A single point is its own envelope: skipping it saves 32 bytes per row (spec allows it).
  const env = empty || g.type === 'Point' ? null : envelopeOf(g);
  const kind = env ? (g.hasZ ? 2 : 1) : 0;
  const n = ENVELOPE_DOUBLES[kind];
  const out = new Uint8Array(8 + n * 8 + wkb.byteLength);
  const view = new DataView(out.buffer);
  out[0] = 0x47;
  out[1] = 0x50;
  out[2] = 0;
  out[3] = 0x01 | (kind << 1) | (empty ? 0x10 : 0);
  view.setInt32(4, srsId, true);
  if (env) {
    view.setFloat64(8, env.minX, true);
    view.setFloat64(16, env.maxX, true);
    view.setFloat64(24, env.minY, true);
    view.setFloat64(32, env.maxY, true);
    if (kind === 2) {
      view.setFloat64(40, env.minZ ?? NaN, true);
      view.setFloat64(48, env.maxZ ?? NaN, true);
    }
  }
  out.set(wkb, 8 + n * 8);
  return out;
}

/**
 * The XY envelope of a blob: from its header when present, else by decoding the WKB.
 * Null for an empty geometry.
 */
export function blobEnvelope(bytes: Uint8Array): Envelope | null {
  const header = readGpkgHeader(bytes);
  if (header.empty) return null;
  if (header.envelope) return header.envelope;
  // A 2D point without envelope (what most writers store for points): read x, y in place.
  const o = header.wkbOffset;
  if (bytes.byteLength === o + 21) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const le = bytes[o] === 1;
    if (view.getUint32(o + 1, le) === 1) {
      const x = view.getFloat64(o + 5, le);
      const y = view.getFloat64(o + 13, le);
      return Number.isNaN(x) && Number.isNaN(y) ? null : { minX: x, maxX: x, minY: y, maxY: y };
    }
  }
  const { geometry } = decodeWkb(bytes, header.wkbOffset);
  return envelopeOf(geometry);
}
