import proj4 from 'proj4';
import type { SimpleGeometry } from '../../../shared/cleanup/geometry.js';
import { mapPositions } from '../../../shared/cleanup/geometry.js';
import { AppError } from '../errors.js';
import { gdal } from '../gpkg/gdal.js';
import { decodeGpkg, encodeGpkg } from '../gpkg/geometry/gpkg-binary.js';
import type { Geometry } from '../gpkg/geometry/model.js';
import { linearize } from '../gpkg/geometry/linearize.js';
import { decodeWkb, encodeWkb } from '../gpkg/geometry/wkb.js';
import { lonLatProjector } from '../gpkg/reproject.js';

/** The engine's geometry model and the cleanup rules' one are the same shape (see shared/cleanup/geometry.ts). */
export const toModel = (g: SimpleGeometry): Geometry => g as unknown as Geometry;
export const fromModel = (g: Geometry): SimpleGeometry => linearize(g) as unknown as SimpleGeometry;

/** A GeoPackage geometry blob as the cleanup model; null for NULL; throws on a broken blob. */
export function decodeBlob(blob: unknown): SimpleGeometry | null {
  if (!(blob instanceof Uint8Array)) return null;
  return fromModel(decodeGpkg(blob).geometry);
}

/** The GeoPackage blob of a WGS 84 geometry. */
export function encodeBlob(g: SimpleGeometry): Buffer {
  return Buffer.from(encodeGpkg(toModel(g), 4326));
}

/** ISO WKB (geom_local_wkb). */
export function encodeIsoWkb(g: SimpleGeometry): Buffer {
  return Buffer.from(encodeWkb(toModel(g)));
}

export function decodeIsoWkb(b: Uint8Array): SimpleGeometry {
  return fromModel(decodeWkb(b).geometry);
}

/** A transformation between a coordinate system and WGS 84 lon/lat. */
export interface Projector {
  readonly srs: string;
  toLonLat(x: number, y: number): [number, number];
  fromLonLat(lon: number, lat: number): [number, number];
  readonly identity: boolean;
}

const cache = new Map<string, Projector>();

/**
 * A projector for "EPSG:n" (or any definition GDAL reads). proj4js does the per-point work (fast
 * enough for millions of points); the definition comes from Passerelle's table of French systems
 * or, for any other, from GDAL/PROJ (`toProj4`), so every EPSG code PROJ knows works.
 */
export function projectorFor(srs: string): Projector {
  const key = srs.trim().toUpperCase();
  const hit = cache.get(key);
  if (hit) return hit;
  const epsg = /^EPSG:(\d+)$/.exec(key);
  const code = epsg ? Number(epsg[1]) : null;
  let p = code !== null ? lonLatProjector({ srsId: code, epsg: code, definition: '', undefinedSrs: false }) : null;
  if (!p) {
    try {
      const def = gdal().SpatialReference.fromUserInput(srs).toProj4();
      const conv = proj4(def, 'EPSG:4326');
      p = { identity: false, toLonLat: (x, y) => conv.forward([x, y]) as [number, number], fromLonLat: (x, y) => conv.inverse([x, y]) as [number, number] };
    } catch (e) {
      throw new AppError('INVALID_INPUT', `Unknown coordinate system ${srs}`, { key: 'errors.CLEAN_UNKNOWN_SRS', params: { srs }, cause: e });
    }
  }
  const out: Projector = { srs: key, ...p, toLonLat: p.toLonLat, fromLonLat: p.fromLonLat, identity: p.identity };
  cache.set(key, out);
  return out;
}

/** A geometry's positions from `srs` to WGS 84 (Z and M kept). */
export function toWgs84(g: SimpleGeometry, srs: string): SimpleGeometry {
  const p = projectorFor(srs);
  if (p.identity) return g;
  return mapPositions(g, (pos) => {
    const [lon, lat] = p.toLonLat(pos[0] as number, pos[1] as number);
    return [lon, lat, ...pos.slice(2)];
  });
}

/** A WGS 84 geometry in `srs`. */
export function fromWgs84(g: SimpleGeometry, srs: string): SimpleGeometry {
  const p = projectorFor(srs);
  if (p.identity) return g;
  return mapPositions(g, (pos) => {
    const [x, y] = p.fromLonLat(pos[0] as number, pos[1] as number);
    return [x, y, ...pos.slice(2)];
  });
}

/** GEOS validity of a geometry: null when valid (or a point), else GEOS's reason. */
export function invalidReason(g: SimpleGeometry): string | null {
  if (g.type === 'Point' || g.type === 'MultiPoint') return null;
  const G = gdal();
  const og = G.Geometry.fromWKB(encodeIsoWkb(g));
  if (og.isValid()) return null;
  // GDAL has no IsValidReason binding: say what is wrong in general terms, with the type.
  return og.isSimple() ? 'invalid ring or polygon topology' : 'self-intersection';
}

/** GEOS MakeValid (GDAL ≥ 3.0), as the cleanup model. */
export function makeValid(g: SimpleGeometry): SimpleGeometry {
  const G = gdal();
  const og = G.Geometry.fromWKB(encodeIsoWkb(g)).makeValid();
  return fromModel(decodeWkb(og.toWKB(G.wkbNDR, G.wkbVariantIso)).geometry);
}

/** WKT of a geometry (for previews and the export), 7 decimals at most. */
export function toWkt(g: SimpleGeometry): string {
  const num = (n: number) => String(Math.round(n * 1e7) / 1e7);
  const pos = (p: number[]) => p.map(num).join(' ');
  const dim = g.hasZ && g.hasM ? ' ZM' : g.hasZ ? ' Z' : g.hasM ? ' M' : '';
  const body = (x: SimpleGeometry): string => {
    switch (x.type) {
      case 'Point':
        return x.coordinates.length ? `(${pos(x.coordinates)})` : ' EMPTY';
      case 'LineString':
        return x.coordinates.length ? `(${x.coordinates.map(pos).join(', ')})` : ' EMPTY';
      case 'Polygon':
        return x.coordinates.length ? `(${x.coordinates.map((r) => `(${r.map(pos).join(', ')})`).join(', ')})` : ' EMPTY';
      case 'MultiPoint':
        return x.geometries.length ? `(${x.geometries.map((c) => body(c)).join(', ')})` : ' EMPTY';
      case 'MultiLineString':
      case 'MultiPolygon':
        return x.geometries.length ? `(${x.geometries.map((c) => body(c)).join(', ')})` : ' EMPTY';
      default:
        return x.geometries.length ? `(${x.geometries.map((c) => toWkt(c)).join(', ')})` : ' EMPTY';
    }
  };
  const b = body(g);
  return dim ? `${g.type.toUpperCase()}${dim} ${b.trim()}` : `${g.type.toUpperCase()}${b}`;
}
