import { createRequire } from 'node:module';
import type * as GdalModule from 'gdal-async';
import { AppError } from '../errors.js';

const require = createRequire(import.meta.url);

/** The gdal-async module type. */
export type Gdal = typeof GdalModule;

let loaded: Gdal | null = null;

/**
 * gdal-async, loaded on first use and configured once.
 *
 * Load it only in a job process or the CLI, never in a worker thread: its native module
 * registers once per process ("Module did not self-register" in a second thread). With
 * GDAL ≥ 3, EPSG:4326 is latitude-first; TRADITIONAL_GIS_ORDER makes every SRS we create
 * longitude/latitude (x/y) like GeoPackage, GeoJSON and Shapefile store them.
 */
export function gdal(): Gdal {
  if (loaded) return loaded;
  try {
    const g = require('gdal-async') as Gdal;
    g.config.set('OSR_DEFAULT_AXIS_MAPPING_STRATEGY', 'TRADITIONAL_GIS_ORDER');
    loaded = g;
    return g;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new AppError('GDAL', `GDAL cannot be loaded: ${message}`, { key: 'errors.GDAL_UNAVAILABLE', params: { message }, cause: e });
  }
}

/** Turns an exception thrown by GDAL into a GDAL AppError that names the file. */
export function gdalError(e: unknown, where: string): AppError {
  if (e instanceof AppError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new AppError('GDAL', `GDAL failed on ${where}: ${message}`, { key: 'errors.GDAL', params: { message }, where, cause: e });
}
