import type { ConvertFormat } from '../../../../shared/contract/index.js';
import { AppError } from '../../errors.js';

/** What Passerelle knows of each output format. */
export interface FormatInfo {
  /** GDAL driver name. */
  driver: string;
  extension: string;
  /** Holds several layers in one file. */
  multiLayer: boolean;
  /** Stores arcs (else curves are linearised, with a warning). */
  curves: boolean;
  /** Stores M values. */
  measures: boolean;
  /** Forces WGS 84 longitude/latitude. */
  wgs84Only: boolean;
  /** GDAL layer creation options. */
  lco: readonly string[];
}

/** Output formats of `gpkg.convert`. */
export const FORMATS: Record<ConvertFormat, FormatInfo> = {
  gpkg: { driver: 'GPKG', extension: '.gpkg', multiLayer: true, curves: true, measures: true, wgs84Only: false, lco: [] },
  // RFC 7946: WGS 84 longitude/latitude, right-hand rings, what every web tool expects.
  geojson: { driver: 'GeoJSON', extension: '.geojson', multiLayer: false, curves: false, measures: false, wgs84Only: true, lco: ['RFC7946=YES'] },
  // UTF-8 with a .cpg so QGIS and ArcGIS read accents right.
  shapefile: { driver: 'ESRI Shapefile', extension: '.shp', multiLayer: false, curves: false, measures: true, wgs84Only: false, lco: ['ENCODING=UTF-8'] },
  csv: { driver: 'CSV', extension: '.csv', multiLayer: false, curves: false, measures: false, wgs84Only: false, lco: ['GEOMETRY=AS_WKT'] },
  flatgeobuf: { driver: 'FlatGeobuf', extension: '.fgb', multiLayer: false, curves: false, measures: true, wgs84Only: false, lco: [] },
  kml: { driver: 'KML', extension: '.kml', multiLayer: false, curves: false, measures: false, wgs84Only: true, lco: [] },
};

const BY_EXTENSION: Record<string, ConvertFormat> = {
  '.gpkg': 'gpkg',
  '.geojson': 'geojson',
  '.json': 'geojson',
  '.shp': 'shapefile',
  '.csv': 'csv',
  '.fgb': 'flatgeobuf',
  '.kml': 'kml',
};

/** The format a destination path names by its extension; UNSUPPORTED otherwise. */
export function formatForPath(path: string): ConvertFormat {
  const m = /(\.[A-Za-z0-9]+)$/.exec(path);
  const f = m ? BY_EXTENSION[(m[1] as string).toLowerCase()] : undefined;
  if (!f) {
    throw new AppError('UNSUPPORTED', `Cannot tell the output format of ${path}: use .gpkg, .geojson, .shp, .csv, .fgb or .kml (or --format)`, {
      key: 'errors.CONVERT_UNKNOWN_FORMAT',
      params: { path },
      where: path,
    });
  }
  return f;
}
