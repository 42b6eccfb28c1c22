import proj4 from 'proj4';
import type { GpkgSrs } from '../../../shared/contract/index.js';

/** Converts positions between a layer's SRS and WGS 84 longitude/latitude. */
export interface LonLatProjector {
  /** Layer coordinates → [lon, lat]. */
  toLonLat(x: number, y: number): [number, number];
  /** [lon, lat] → layer coordinates. */
  fromLonLat(lon: number, lat: number): [number, number];
  readonly identity: boolean;
}

const IDENTITY: LonLatProjector = { toLonLat: (x, y) => [x, y], fromLonLat: (x, y) => [x, y], identity: true };

/**
 * PROJ strings of the systems French parks use, for definitions proj4js cannot parse
 * (e.g. some WKT2). Values from the EPSG registry as PROJ 9 exports them.
 */
const KNOWN: Record<number, string> = {
  2154: '+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
  3857: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs',
  4171: '+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs',
  4258: '+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs',
  27572: '+proj=lcc +lat_1=46.8 +lat_0=46.8 +lon_0=0 +k_0=0.99987742 +x_0=600000 +y_0=2200000 +a=6378249.2 +b=6356515 +towgs84=-168,-60,320,0,0,0,0 +pm=paris +units=m +no_defs',
  32630: '+proj=utm +zone=30 +datum=WGS84 +units=m +no_defs',
  32631: '+proj=utm +zone=31 +datum=WGS84 +units=m +no_defs',
  32632: '+proj=utm +zone=32 +datum=WGS84 +units=m +no_defs',
};

/**
 * A projector between a GeoPackage SRS and WGS 84, or null when the SRS cannot be
 * projected (the spec's undefined systems -1 and 0, an unparseable definition).
 *
 * This is proj4js, not GDAL/PROJ: the map's tile server and the table run in the UI's
 * process, where GDAL is not loaded (gdal-async can be loaded once per process and lives
 * in job processes). For display this is exact enough (a test checks it against PROJ);
 * conversions and exports reproject through GDAL.
 */
export function lonLatProjector(srs: Pick<GpkgSrs, 'srsId' | 'definition' | 'epsg' | 'undefinedSrs'> | null): LonLatProjector | null {
  if (!srs || srs.undefinedSrs || srs.srsId === -1 || srs.srsId === 0) return null;
  if (srs.epsg === 4326 || srs.srsId === 4326) return IDENTITY;
  const candidates = [srs.definition, srs.epsg !== null ? KNOWN[srs.epsg] : undefined].filter((d): d is string => typeof d === 'string' && d.trim() !== '' && d.trim().toLowerCase() !== 'undefined');
  for (const def of candidates) {
    try {
      const conv = proj4(def, 'EPSG:4326');
      // Probe once: proj4 accepts some definitions it then cannot use.
      const probe = conv.forward([0, 0]);
      if (!Array.isArray(probe)) continue;
      return {
        identity: false,
        toLonLat: (x, y) => conv.forward([x, y]) as [number, number],
        fromLonLat: (lon, lat) => conv.inverse([lon, lat]) as [number, number],
      };
    } catch {
      // try the next candidate; null below says the SRS cannot be drawn
    }
  }
  return null;
}

/**
 * A WGS 84 box (west, south, east, north) as a box in a layer's SRS. The edges of a
 * lon/lat box are curves in most projections: they are sampled, not just the corners.
 */
export function lonLatBoxToLayer(proj: LonLatProjector, b: { west: number; south: number; east: number; north: number }): { minX: number; minY: number; maxX: number; maxY: number } {
  if (proj.identity) return { minX: b.west, minY: b.south, maxX: b.east, maxY: b.north };
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i <= 8; i++) {
    const t = i / 8;
    const lon = b.west + (b.east - b.west) * t;
    const lat = b.south + (b.north - b.south) * t;
    for (const [a, c] of [
      [lon, b.south],
      [lon, b.north],
      [b.west, lat],
      [b.east, lat],
    ] as Array<[number, number]>) {
      const [x, y] = proj.fromLonLat(a, c);
      if (Number.isFinite(x) && Number.isFinite(y)) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  // Nothing projectable (a box on the far side of the projection's domain): an empty box.
  if (xs.length === 0) return { minX: 0, minY: 0, maxX: -1, maxY: -1 };
  return { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) };
}
