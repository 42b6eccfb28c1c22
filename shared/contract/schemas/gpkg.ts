import { z } from 'zod';
import { AbsolutePath, Extent } from './common.js';

/**
 * GeoPackage version as read from `application_id` and `user_version`
 * (GP10 → 1.0, GP11 → 1.1, GPKG + 102xx/103xx/104xx → 1.2/1.3/1.4); null when the
 * header names none of these (the validator reports it).
 */
export const GpkgVersion = z.enum(['1.0', '1.1', '1.2', '1.3', '1.4']).nullable();
export type GpkgVersion = z.infer<typeof GpkgVersion>;

/** A row of `gpkg_spatial_ref_sys`. */
export const GpkgSrs = z.object({
  srsId: z.number().int(),
  name: z.string(),
  organization: z.string(),
  organizationCode: z.number().int(),
  /** The WKT (or "undefined" for the spec's -1 and 0 rows). */
  definition: z.string(),
  description: z.string().nullable(),
  /** The EPSG code when the organisation is EPSG, else null (custom or undefined SRS). */
  epsg: z.number().int().nullable(),
  /** True for the spec's "undefined" Cartesian (-1) and geographic (0) systems. */
  undefinedSrs: z.boolean(),
});
export type GpkgSrs = z.infer<typeof GpkgSrs>;

/** A column of a layer, as SQLite declares it. */
export const GpkgColumn = z.object({
  name: z.string(),
  /** Declared type as written in the table (TEXT(50), MEDIUMINT, POINT…), upper-cased. */
  type: z.string(),
  notNull: z.boolean(),
  primaryKey: z.boolean(),
  defaultValue: z.string().nullable(),
});
export type GpkgColumn = z.infer<typeof GpkgColumn>;

/** What a `gpkg_contents` row holds, grouped for the UI's icons. */
export const GpkgLayerKind = z.enum(['features', 'attributes', 'tiles', 'gridded-coverage', 'other']);
export type GpkgLayerKind = z.infer<typeof GpkgLayerKind>;

/** How the feature count was obtained: GDAL's cache when trustworthy, else a real count. */
export const CountSource = z.enum(['gpkg_ogr_contents', 'count', 'none']);

/** One entry of `gpkg_contents`, with what a layer list shows (type, SRS, count). */
export const GpkgLayer = z.object({
  name: z.string(),
  /** `data_type` as written in the file (features, attributes, tiles, 2d-gridded-coverage…). */
  dataType: z.string(),
  kind: GpkgLayerKind,
  identifier: z.string().nullable(),
  description: z.string().nullable(),
  /** A SQL view registered as a layer. */
  isView: z.boolean(),
  /** False when the contents row names a table that does not exist (the validator reports it). */
  exists: z.boolean(),
  geometryColumn: z.string().nullable(),
  /** Declared geometry type, upper-cased (POINT, MULTIPOLYGON, COMPOUNDCURVE, GEOMETRY…). */
  geometryType: z.string().nullable(),
  /** 0 prohibited, 1 mandatory, 2 optional (gpkg_geometry_columns.z / .m). */
  z: z.number().int().nullable(),
  m: z.number().int().nullable(),
  /** The declared type is a curve type (needs linearisation for GeoJSON, tiles, Shapefile). */
  curved: z.boolean(),
  srsId: z.number().int().nullable(),
  /** Extent recorded in gpkg_contents, in the layer's SRS (null when not recorded). */
  extent: Extent.nullable(),
  count: z.number().int().nonnegative().nullable(),
  countSource: CountSource,
  /** The integer primary key column (fid), null when the table has none. */
  primaryKey: z.string().nullable(),
  columns: z.array(GpkgColumn),
  /** An rtree spatial index exists for the geometry column. */
  spatialIndex: z.boolean(),
  /** Zoom levels of a tile pyramid (tiles and coverages), null for vector layers. */
  zoomLevels: z.array(z.number().int()).nullable(),
});
export type GpkgLayer = z.infer<typeof GpkgLayer>;

/** A row of `gpkg_extensions`. */
export const GpkgExtension = z.object({
  table: z.string().nullable(),
  column: z.string().nullable(),
  name: z.string(),
  definition: z.string(),
  scope: z.string(),
});
export type GpkgExtension = z.infer<typeof GpkgExtension>;

/** A table or view present in the file but absent from gpkg_contents. */
export const GpkgUnregistered = z.object({
  name: z.string(),
  type: z.enum(['table', 'view']),
});

/** What `gpkg.open` / `gpkg.inspect` and `passerelle gpkg inspect` report. */
export const GpkgInfo = z.object({
  path: z.string(),
  fileSize: z.number().int().nonnegative(),
  version: GpkgVersion,
  /** application_id as four characters ("GPKG", "GP10") or 0x-hex when not printable. */
  applicationId: z.string(),
  userVersion: z.number().int(),
  /** The file is in WAL journal mode (it was read through a private copy, never in place). */
  walMode: z.boolean(),
  layers: z.array(GpkgLayer),
  srs: z.array(GpkgSrs),
  extensions: z.array(GpkgExtension),
  unregistered: z.array(GpkgUnregistered),
});
export type GpkgInfo = z.infer<typeof GpkgInfo>;

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/**
 * One condition of an attribute filter. Column names are quoted and values bound, so a
 * filter can never inject SQL; conditions are combined with AND.
 */
export const RowFilter = z.object({
  column: z.string().min(1),
  op: z.enum(['=', '!=', '<', '<=', '>', '>=', 'like', 'isNull', 'notNull', 'in']),
  value: z.union([Scalar, z.array(z.union([z.string(), z.number()]))]).optional(),
});
export type RowFilter = z.infer<typeof RowFilter>;

/** A bounding box filter; `crs: 'layer'` (default) means the layer's own SRS, 'wgs84' longitude/latitude. */
export const BBoxFilter = z.object({
  minX: z.number(),
  minY: z.number(),
  maxX: z.number(),
  maxY: z.number(),
  crs: z.enum(['layer', 'wgs84']).default('layer'),
});
export type BBoxFilter = z.infer<typeof BBoxFilter>;

/** Input of `gpkg.rows`: one page of a layer's rows. */
export const RowsRequest = z
  .object({
    path: AbsolutePath,
    layer: z.string().min(1),
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().min(1).max(1000).default(100),
    filter: z.array(RowFilter).max(20).default([]),
    bbox: BBoxFilter.optional(),
    /** 'summary': type and bbox of each geometry; 'geojson': the geometry too (layer SRS); 'none'. */
    geometry: z.enum(['none', 'summary', 'geojson']).default('summary'),
    /** Also count the rows matching the filter (a full scan on big unindexed filters). */
    count: z.boolean().default(true),
  })
  .strict();

/** A geometry as a table cell shows it; `geojson` only when asked for. */
export const GeometryCell = z.object({
  type: z.string(),
  empty: z.boolean(),
  /** [minX, minY, maxX, maxY] in the layer's SRS; null for empty geometries. */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
  hasZ: z.boolean(),
  hasM: z.boolean(),
  /** GeoJSON geometry (M dropped, curves linearised), when requested. */
  geojson: z.unknown().optional(),
  /** Why the blob could not be decoded, when it could not. */
  error: z.string().optional(),
});
export type GeometryCell = z.infer<typeof GeometryCell>;

/**
 * A cell value: integers beyond ±2^53 come as decimal strings (JSON numbers would lose
 * digits), BLOBs as `{ blob: byteLength }`.
 */
export const CellValue = z.union([Scalar, z.object({ blob: z.number().int().nonnegative() })]);
export type CellValue = z.infer<typeof CellValue>;

export const Row = z.object({
  /** The primary key value; null for tables without an integer primary key. */
  fid: z.number().int().nullable(),
  values: z.record(z.string(), CellValue),
  geometry: GeometryCell.nullable(),
});
export type Row = z.infer<typeof Row>;

/** A page of rows for a virtualised table. */
export const RowsPage = z.object({
  layer: z.string(),
  /** The non-geometry columns, in table order. */
  columns: z.array(GpkgColumn),
  geometryColumn: z.string().nullable(),
  offset: z.number().int().nonnegative(),
  /** Rows matching the filters (null when not counted). */
  total: z.number().int().nonnegative().nullable(),
  rows: z.array(Row),
});
export type RowsPage = z.infer<typeof RowsPage>;

/** One feature, for the map's "click to see attributes" and the report's "zoom to". */
export const FeatureDetail = z.object({
  layer: z.string(),
  fid: z.number().int(),
  values: z.record(z.string(), CellValue),
  geometry: GeometryCell.nullable(),
  /** Bounding box in WGS 84 longitude/latitude, null when the SRS cannot be projected. */
  bboxWgs84: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
});
export type FeatureDetail = z.infer<typeof FeatureDetail>;

export const FindingSeverity = z.enum(['error', 'warning', 'info']);
export type FindingSeverity = z.infer<typeof FindingSeverity>;

/**
 * One thing the validator found.
 *
 * `rule` is our stable id (see `gpkg.rules`); `requirement` cites the OGC GeoPackage
 * requirement or the PDOK check it is modelled on. `table`/`column`/`fid` say where, so a
 * UI can zoom to it; `count` is how many rows the finding stands for (per-row findings are
 * listed up to a limit, then summarised).
 */
export const Finding = z.object({
  rule: z.string(),
  requirement: z.string(),
  severity: FindingSeverity,
  table: z.string().nullable(),
  column: z.string().nullable(),
  fid: z.number().int().nullable(),
  count: z.number().int().positive(),
  message: z.string(),
  fix: z.string(),
  /** i18n key of the message (`gpkg.rule.<rule>`), filled with `params`. */
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type Finding = z.infer<typeof Finding>;

/** A rule of the validator: what it checks and what it is modelled on. */
export const RuleInfo = z.object({
  id: z.string(),
  requirement: z.string(),
  severity: FindingSeverity,
  title: z.string(),
});
export type RuleInfo = z.infer<typeof RuleInfo>;

/** The validator's report on one file. */
export const ValidationReport = z.object({
  path: z.string(),
  version: GpkgVersion,
  /** No error and no warning (info findings are advice and do not make a file unclean). */
  clean: z.boolean(),
  summary: z.object({ errors: z.number().int(), warnings: z.number().int(), infos: z.number().int() }),
  findings: z.array(Finding),
  /** Rules run on this file (geometry rules are skipped when `geometry: false`). */
  rules: z.array(RuleInfo),
});
export type ValidationReport = z.infer<typeof ValidationReport>;

/** Input of `gpkg.validate`. */
export const ValidateRequest = {
  path: AbsolutePath,
  /** Decode every geometry (types, dimensions, SRS, empty/NULL, validity through GEOS). */
  geometry: z.boolean().default(true),
  /** Per-row findings listed per rule and table before they are summarised. */
  maxPerRule: z.number().int().min(1).max(10_000).default(50),
};

/** Formats `gpkg.convert` reads and writes through GDAL (plus our own GeoPackage writer). */
export const ConvertFormat = z.enum(['gpkg', 'geojson', 'shapefile', 'csv', 'flatgeobuf', 'kml']);
export type ConvertFormat = z.infer<typeof ConvertFormat>;

/** Input of `gpkg.convert`. */
export const ConvertRequest = {
  source: AbsolutePath,
  dest: AbsolutePath,
  /** Output format; by default from the destination's extension. */
  format: ConvertFormat.optional(),
  /** Layers to convert (default: every vector layer). */
  layers: z.array(z.string().min(1)).optional(),
  /** Target SRS, e.g. "EPSG:2154" (default: keep each layer's SRS; GeoJSON and KML force WGS 84). */
  targetSrs: z.string().min(1).optional(),
  /** SRS of a source that declares none (CSV lon/lat: default EPSG:4326). */
  sourceSrs: z.string().min(1).optional(),
  /** CSV sources: the WKT column, or the X/Y (lon/lat) columns; detected when omitted. */
  csv: z.object({ wkt: z.string().optional(), x: z.string().optional(), y: z.string().optional() }).strict().optional(),
  /** Replace an existing destination (always atomically). */
  overwrite: z.boolean().default(false),
};

/** One layer written by a conversion. */
export const ConvertedLayer = z.object({
  source: z.string(),
  dest: z.string(),
  features: z.number().int().nonnegative(),
  geometryType: z.string().nullable(),
  srs: z.string().nullable(),
});

/** Something a conversion changed or could not keep (a truncated field name, a dropped M…). */
export const ConvertWarning = z.object({
  key: z.string(),
  message: z.string(),
  layer: z.string().nullable(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type ConvertWarning = z.infer<typeof ConvertWarning>;

/** What `gpkg.convert` did. */
export const ConvertReport = z.object({
  source: z.string(),
  dest: z.string(),
  format: ConvertFormat,
  /** Files written (a Shapefile is .shp, .shx, .dbf, .prj, .cpg per layer). */
  files: z.array(z.string()),
  layers: z.array(ConvertedLayer),
  warnings: z.array(ConvertWarning),
});
export type ConvertReport = z.infer<typeof ConvertReport>;

/** A GeoPackage layer the map can draw, served as vector tiles. */
export const GpkgMapLayer = z.object({
  layer: z.string(),
  /** The name to put in tile URLs (`…/tiles/<sourceId>/<tileLayer>/z/x/y.pbf`), also the MVT layer name in the tile. */
  tileLayer: z.string(),
  geometryKind: z.enum(['point', 'line', 'polygon', 'mixed']),
  count: z.number().int().nonnegative().nullable(),
  /** Extent in WGS 84 (longitude/latitude), null when unknown or not projectable. */
  extent: Extent.nullable(),
  /** False when the layer cannot be drawn (no SRS the map can project); `reason` says why. */
  drawable: z.boolean(),
  reason: z.string().nullable(),
});

/** Layers of a GeoPackage for the map, and the opaque source id of its tile URLs. */
export const GpkgMapSources = z.object({
  sourceId: z.string(),
  layers: z.array(GpkgMapLayer),
});
export type GpkgMapSources = z.infer<typeof GpkgMapSources>;
