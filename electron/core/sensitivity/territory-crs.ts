import proj4 from 'proj4';
import { AppError } from '../errors.js';

/**
 * PROJ definitions of the territories' projected systems, as GDAL 3.6 / PROJ export them
 * (`SpatialReference.fromEPSG(n).toProj4()`; a test checks these against GDAL). Kept here so
 * the sensitivity runner projects with proj4js in any process: GDAL can be loaded once per
 * process only, and the runner must also work where it is not.
 */
const DEFINITIONS: Readonly<Record<number, string>> = {
  2154: '+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
  5490: '+proj=utm +zone=20 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
  2972: '+proj=utm +zone=22 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
  2975: '+proj=utm +zone=40 +south +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
  4471: '+proj=utm +zone=38 +south +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
};

/** The EPSG codes {@link projectorFor} knows. */
export const KNOWN_PROJECTED_SRIDS: readonly number[] = Object.keys(DEFINITIONS).map(Number);

/** Longitude/latitude (EPSG:4326) ⇄ a territory's projected metres. */
export interface Projector {
  readonly epsg: number;
  /** [lon, lat] → [x, y] in metres. */
  forward(lon: number, lat: number): [number, number];
  /** [x, y] in metres → [lon, lat]. */
  inverse(x: number, y: number): [number, number];
}

const cache = new Map<number, Projector>();

/**
 * The projector of a territory's system (2154, 5490, 2972, 2975, 4471), or of another SRID
 * given its PROJ definition. Throws UNSUPPORTED for an SRID it does not know.
 */
export function projectorFor(epsg: number, definition?: string): Projector {
  const hit = cache.get(epsg);
  if (hit && !definition) return hit;
  const def = definition ?? DEFINITIONS[epsg];
  if (!def) {
    throw new AppError('UNSUPPORTED', `No projection definition for EPSG:${epsg}: the 10 km grid of this territory cannot be computed`, {
      key: 'errors.SENSITIVITY_UNKNOWN_SRID',
      params: { srid: epsg },
    });
  }
  const conv = proj4('+proj=longlat +datum=WGS84 +no_defs', def);
  const p: Projector = {
    epsg,
    forward: (lon, lat) => conv.forward([lon, lat]) as [number, number],
    inverse: (x, y) => conv.inverse([x, y]) as [number, number],
  };
  if (!definition) cache.set(epsg, p);
  return p;
}
