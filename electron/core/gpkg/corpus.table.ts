import type { ErrorCode } from '../../../shared/contract/index.js';

/** What Passerelle must make of one real file of ../shared/data/geopackage. */
export interface CorpusCase {
  readonly file: string;
  /** The MANIFEST's description of the file, in short: why this outcome. */
  readonly why: string;
  /** null: opens and inspects; else the error code opening must fail with. */
  readonly error: ErrorCode | null;
  /** Layers gpkg_contents lists (when it opens). */
  readonly layers?: number;
  /** Rule ids the validator must report (at least these). */
  readonly rules?: readonly string[];
  /** The validator's verdict: clean = no error and no warning. */
  readonly clean?: boolean;
}

/**
 * The committed expectations of the corpus test: every GeoPackage of the shared folder
 * (and GDAL's two SQL dumps), its outcome and the defect the validator must report.
 */
export const CORPUS: readonly CorpusCase[] = [
  { file: 'gdal__poly.gpkg.sql', why: "GDAL's SQL text dump, not a binary GeoPackage", error: 'NOT_SQLITE' },
  { file: 'gdal__byte.gpkg.sql', why: "GDAL's SQL text dump of a tiles-only GeoPackage", error: 'NOT_SQLITE' },
  { file: 'ngajs__test.gpkg', why: 'plain SQLite, application_id 0, no gpkg tables', error: 'NOT_GEOPACKAGE' },
  { file: 'ngajs__attributes.gpkg', why: 'attributes-only GeoPackage', error: null, layers: 1, clean: true },
  { file: 'ngajs__geometrycollection.gpkg', why: 'GEOMETRY column holding a GeometryCollection', error: null, layers: 1, clean: true },
  { file: 'ngajs__super.gpkg', why: 'kitchen sink; a MultiLineString holding a CircularString (GDAL cannot read it either), NGA tables not registered', error: null, layers: 26, rules: ['geometry-blob', 'table-unregistered'], clean: false },
  { file: 'ogc-ets__coastline-polyline-hydro-115mil-and-smaller.gpkg', why: '3D MULTILINESTRING, z mandatory, valid', error: null, layers: 1, clean: true },
  { file: 'ogc-ets__elevation.gpkg', why: 'gridded coverage + an empty feature table in undefined SRS 0', error: null, layers: 2, rules: ['layer-empty', 'srs-undefined'] },
  { file: 'ogc-ets__empty.gpkg', why: 'valid GeoPackage without any layer', error: null, layers: 0, clean: true },
  { file: 'ogc-ets__gdal_sample.gpkg', why: 'GDAL 1.0 sample: SRS 0 layers, NULL geometries indexed in the rtree', error: null, layers: 16, rules: ['srs-undefined', 'geometry-null', 'rtree-inconsistent'] },
  { file: 'ogc-ets__gdal_sample_v1.2_no_extensions.gpkg', why: 'no gpkg_extensions, no rtree', error: null, rules: ['rtree-missing', 'geometry-null'] },
  { file: 'ogc-ets__gdal_sample_v1.2_no_extensions_with_gpkg_ogr_contents.gpkg', why: "GDAL's gpkg_ogr_contents present (tolerated)", error: null, rules: ['rtree-missing'] },
  { file: 'ogc-ets__gdal_sample_v1.2_spatial_index_extension.gpkg', why: 'rtree on every layer: no rtree finding', error: null, rules: ['srs-undefined'] },
  { file: 'ogc-ets__gdal_sample_v1.2_spi_nonlinear_webp_elevation.gpkg', why: 'curve layers, WebP tiles, elevation coverages', error: null, rules: ['curve-type'] },
  { file: 'ogc-ets__gdal_sample_view.gpkg', why: 'a SQL view registered as a feature layer', error: null, rules: ['srs-undefined'] },
  { file: 'ogc-ets__geonames_belgium.gpkg', why: "orphan rtrees of unregistered layers; geometry_type_name 'Point'", error: null, layers: 6, rules: ['rtree-orphan', 'geometry-type-name', 'integrity'], clean: false },
  { file: 'ogc-ets__null_geometry.gpkg', why: 'NULL geometries; mixed-case layer name', error: null, layers: 2, rules: ['geometry-null', 'identifier'], clean: false },
  { file: 'ogc-ets__simple_sewer_features.gpkg', why: 'EPSG:27700, lower-case geometry_type_name, no rtree', error: null, layers: 3, rules: ['geometry-type-name', 'rtree-missing'], clean: false },
  { file: 'ogc-ets__states10.gpkg', why: 'QGIS-written 1.0, mixed-case table name, no rtree', error: null, layers: 1, rules: ['identifier', 'rtree-missing'] },
  { file: 'ogc-ets__v12_bad_attributes.gpkg', why: 'attributes table without INTEGER PRIMARY KEY', error: null, layers: 2, rules: ['primary-key'], clean: false },
  { file: 'pdok__test_allcorrect.gpkg', why: "PDOK's valid reference file", error: null, layers: 1, clean: true },
  { file: 'pdok__test_broken_geopackage.gpkg', why: 'gpkg_contents missing', error: null, layers: 0, rules: ['contents-table', 'table-unregistered'], clean: false },
  { file: 'pdok__test_db_views.gpkg', why: "a view 'wrong_view' not registered", error: null, layers: 1, rules: ['view-unregistered'], clean: false },
  { file: 'pdok__test_foreign_key_violation.gpkg', why: 'a row violating a FOREIGN KEY', error: null, layers: 4, rules: ['foreign-keys'], clean: false },
  { file: 'pdok__test_gdal_error.gpkg', why: 'columns declared TEXT(2147483647), which GDAL reports as errors', error: null, layers: 2, rules: ['column-type'], clean: false },
  { file: 'pdok__test_geom_columnname.gpkg', why: "geometry columns named 'geom' or 'geometry'", error: null, layers: 3, rules: ['geometry-column-name'], clean: true },
  { file: 'pdok__test_geometry_empty.gpkg', why: '45 EMPTY points', error: null, layers: 1, rules: ['geometry-empty'], clean: false },
  { file: 'pdok__test_geometry_null.gpkg', why: '2 NULL geometries', error: null, layers: 1, rules: ['geometry-null'], clean: false },
  { file: 'pdok__test_geometry_simple.gpkg', why: 'self-intersecting LINESTRING', error: null, layers: 1, rules: ['geometry-not-simple'], clean: false },
  { file: 'pdok__test_geometry_type.gpkg', why: 'COMPOUNDCURVE layer', error: null, layers: 1, rules: ['curve-type'], clean: true },
  { file: 'pdok__test_geometry_valid.gpkg', why: 'invalid polygon, clockwise exterior ring, a POINT in a POLYGON layer', error: null, layers: 1, rules: ['geometry-invalid', 'ring-orientation', 'geometry-type'], clean: false },
  { file: 'pdok__test_layername.gpkg', why: 'upper-case layer names; empty attributes layer', error: null, layers: 2, rules: ['identifier', 'layer-empty'] },
  { file: 'pdok__test_rtree_present_alltables.gpkg', why: 'feature table without rtree', error: null, layers: 1, rules: ['rtree-missing'], clean: false },
  { file: 'pyogrio__curve.gpkg', why: 'COMPOUNDCURVE feature', error: null, layers: 1, rules: ['curve-type'], clean: true },
  { file: 'pyogrio__multisurface.gpkg', why: 'MULTISURFACE with a CURVEPOLYGON member', error: null, layers: 1, rules: ['curve-type'], clean: true },
  { file: 'pyogrio__test_gpkg_nulls.gpkg', why: 'NULLs in typed columns (allowed)', error: null, layers: 1, clean: true },
];
