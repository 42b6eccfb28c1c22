import type Database from 'better-sqlite3';
import { blobEnvelope, readGpkgHeader } from './geometry/gpkg-binary.js';
import { decodeWkb } from './geometry/wkb.js';
import { isAssignable } from './geometry/model.js';

type Db = Database.Database;

const asBytes = (v: unknown): Uint8Array | null => (v instanceof Uint8Array ? v : null);

function envelopeOrNull(v: unknown) {
  const b = asBytes(v);
  if (!b) return null;
  try {
    return blobEnvelope(b);
  } catch {
    return null;
  }
}

/**
 * Registers the SQL functions the GeoPackage spec's triggers call.
 *
 * GDAL-written files carry rtree triggers that call ST_IsEmpty, ST_MinX… (and GDAL ≥ 3.7
 * adds GPKG_IsAssignable checks); without these functions, any write through
 * better-sqlite3 fails with "no such function". All are computable from the geometry
 * header (OGC 12-128r18, Annex F.3 and §2.1.3), falling back to decoding the WKB.
 */
export function registerGpkgFunctions(db: Db): void {
  const det = { deterministic: true } as const;
  db.function('ST_MinX', det, (g: unknown) => envelopeOrNull(g)?.minX ?? null);
  db.function('ST_MaxX', det, (g: unknown) => envelopeOrNull(g)?.maxX ?? null);
  db.function('ST_MinY', det, (g: unknown) => envelopeOrNull(g)?.minY ?? null);
  db.function('ST_MaxY', det, (g: unknown) => envelopeOrNull(g)?.maxY ?? null);
  db.function('ST_IsEmpty', det, (g: unknown) => {
    const b = asBytes(g);
    if (!b) return null;
    try {
      const h = readGpkgHeader(b);
      if (h.empty) return 1;
      return envelopeOrNull(b) === null ? 1 : 0;
    } catch {
      return null;
    }
  });
  db.function('ST_SRID', det, (g: unknown) => {
    const b = asBytes(g);
    if (!b) return null;
    try {
      return readGpkgHeader(b).srsId;
    } catch {
      return null;
    }
  });
  db.function('ST_GeometryType', det, (g: unknown) => {
    const b = asBytes(g);
    if (!b) return null;
    try {
      const h = readGpkgHeader(b);
      return decodeWkb(b, h.wkbOffset).geometry.type.toUpperCase();
    } catch {
      return null;
    }
  });
  // GDAL's geometry-type check triggers: is a value of type `actual` assignable to `expected`?
  db.function('GPKG_IsAssignable', det, (expected: unknown, actual: unknown) =>
    typeof expected === 'string' && typeof actual === 'string' && isAssignable(expected, actual) ? 1 : 0,
  );
}
