import { z } from 'zod';
import { AbsolutePath } from '../schemas/common.js';
import {
  ConvertReport,
  ConvertRequest,
  FeatureDetail,
  GpkgInfo,
  GpkgMapSources,
  RowsPage,
  RowsRequest,
  ValidateRequest,
  ValidationReport,
} from '../schemas/gpkg.js';
import { job, method, type MethodSpec } from './define.js';

/**
 * The GeoPackage domain: open any real GeoPackage read-only, list its layers, page its
 * rows, validate it, draw it, convert it.
 *
 * Sources are never modified: they are read in place read-only, or through a private copy
 * when SQLite would otherwise create side files (WAL mode, a pending journal).
 */
export const gpkgMethods = {
  /** Opens a GeoPackage the user chose (dialog, path field, drop) and describes it. */
  'gpkg.open': job({ path: AbsolutePath }, GpkgInfo, { grants: ['path'] }),
  /** Describes an opened GeoPackage: layers (type, SRS, extent, count, columns), SRS, extensions, unregistered tables. */
  'gpkg.inspect': job({ path: AbsolutePath }, GpkgInfo, { uses: ['path'] }),
  /** One page of a layer's rows, with attribute and bbox filters, for a virtualised table. */
  'gpkg.rows': method(RowsRequest, RowsPage, { uses: ['path'] }),
  /** One feature by fid: attributes, GeoJSON geometry (layer SRS) and its WGS 84 bbox (zoom to). */
  'gpkg.feature': method(
    z.object({ path: AbsolutePath, layer: z.string().min(1), fid: z.number().int() }).strict(),
    FeatureDetail,
    { uses: ['path'] },
  ),
  /** A conformance report (OGC GeoPackage requirements, PDOK checks), each finding with table/fid. */
  'gpkg.validate': job(ValidateRequest, ValidationReport, { uses: ['path'] }),
  /** Converts between GeoPackage, GeoJSON, Shapefile, CSV, FlatGeobuf and KML, with reprojection. */
  'gpkg.convert': job(ConvertRequest, ConvertReport, { uses: ['source'], grants: ['dest'] }),
  /** The vector layers of a GeoPackage the map can draw, and the handle for their tiles. */
  'gpkg.mapSources': method(z.object({ path: AbsolutePath }).strict(), GpkgMapSources, { uses: ['path'] }),
} as const satisfies Record<string, MethodSpec>;
