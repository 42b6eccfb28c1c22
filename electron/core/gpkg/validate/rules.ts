import type { FindingSeverity, RuleInfo } from '../../../../shared/contract/index.js';

type Params = Record<string, string | number | boolean | null>;

interface RuleDef {
  /** The OGC GeoPackage clause (12-128r18, 1.3/1.4 numbering) or the PDOK check it follows. */
  readonly requirement: string;
  readonly severity: FindingSeverity;
  readonly title: string;
  /** One sentence a geomatician understands, filled from the finding's params. */
  message(p: Params): string;
  /** How to fix it, in the same terms. */
  fix(p: Params): string;
}

const s = (v: unknown): string => String(v ?? '');

/**
 * The validator's rules: id → requirement, severity, title, message and fix.
 *
 * Ids are stable (tests, the UI's i18n keys `gpkg.rule.<id>` and users' scripts rely on
 * them). Modelled on the OGC GeoPackage requirements (what a file SHALL be) and on the PDOK
 * validator's checks (what makes a file pleasant to use: rtree, valid geometries…).
 */
export const RULES = {
  'file-extension': {
    requirement: 'OGC GeoPackage §1.1.1.1.2 (file extension .gpkg)',
    severity: 'warning',
    title: 'File extension',
    message: (p) => `The file is named "${s(p.name)}": a GeoPackage should end in .gpkg, and some tools only offer files with that extension.`,
    fix: () => 'Rename the file with the .gpkg extension.',
  },
  'application-id': {
    requirement: 'OGC GeoPackage §1.1.1.1.1 Req 2 (application_id)',
    severity: 'error',
    title: 'application_id',
    message: (p) => `The SQLite header's application_id is ${s(p.applicationId)}, not "GPKG": readers may not recognise the file as a GeoPackage.`,
    fix: () => 'Run PRAGMA application_id = 1196444487 (GPKG), or re-export the file with GDAL or QGIS.',
  },
  'user-version': {
    requirement: 'OGC GeoPackage §1.1.1.1.1 Req 2 (user_version)',
    severity: 'warning',
    title: 'user_version',
    message: (p) => `user_version is ${s(p.userVersion)}, which names no GeoPackage version (1.2 = 10200, 1.3 = 10300, 1.4 = 10400).`,
    fix: () => 'Run PRAGMA user_version = 10300 (or the version the file follows).',
  },
  integrity: {
    requirement: 'OGC GeoPackage §1.1.1.1.3 Req 6 (PRAGMA integrity_check)',
    severity: 'error',
    title: 'SQLite integrity',
    message: (p) => `SQLite reports damage in the file: ${s(p.detail)}`,
    fix: () => 'Restore a backup, or export what can still be read to a new GeoPackage (passerelle gpkg convert).',
  },
  'foreign-keys': {
    requirement: 'OGC GeoPackage §1.1.1.1.3 Req 7 (PRAGMA foreign_key_check)',
    severity: 'error',
    title: 'Foreign keys',
    message: (p) => `Row ${s(p.rowid)} of "${s(p.table)}" refers to a row of "${s(p.parent)}" that does not exist.`,
    fix: (p) => `Add the missing row to "${s(p.parent)}", or correct or delete the referring row.`,
  },
  'srs-table': {
    requirement: 'OGC GeoPackage §1.1.2 Req 10 (gpkg_spatial_ref_sys)',
    severity: 'error',
    title: 'SRS table',
    message: () => 'The table gpkg_spatial_ref_sys is missing: no layer has a known coordinate system.',
    fix: () => 'Re-export the data with GDAL or QGIS, which create the GeoPackage tables.',
  },
  'srs-required-rows': {
    requirement: 'OGC GeoPackage §1.1.2 Req 11 (SRS -1, 0 and 4326)',
    severity: 'error',
    title: 'Required SRS rows',
    message: (p) => `gpkg_spatial_ref_sys lacks the row(s) the standard requires: ${s(p.missing)}.`,
    fix: () => 'Insert the rows for srs_id -1 (undefined Cartesian), 0 (undefined geographic) and 4326 (WGS 84).',
  },
  'srs-undefined': {
    requirement: 'OGC GeoPackage §1.1.2 (undefined SRS 0 / -1)',
    severity: 'warning',
    title: 'Undefined coordinate system',
    message: (p) => `Layer "${s(p.table)}" uses the undefined coordinate system ${s(p.srsId)}: it cannot be placed on a map or reprojected.`,
    fix: () => 'Assign the real coordinate system (e.g. EPSG:2154) in QGIS or with ogr2ogr -a_srs.',
  },
  'contents-table': {
    requirement: 'OGC GeoPackage §1.1.3 Req 13 (gpkg_contents)',
    severity: 'error',
    title: 'Contents table',
    message: () => 'The table gpkg_contents is missing: readers see no layer in this file.',
    fix: () => 'Re-export the data with GDAL or QGIS, or recreate gpkg_contents and register each layer.',
  },
  'contents-missing-table': {
    requirement: 'OGC GeoPackage §1.1.3 Req 14 (contents rows name existing tables)',
    severity: 'error',
    title: 'Layer without a table',
    message: (p) => `gpkg_contents lists layer "${s(p.table)}", but no table or view has that name.`,
    fix: (p) => `Delete the row "${s(p.table)}" from gpkg_contents (and gpkg_geometry_columns), or restore the table.`,
  },
  'contents-srs': {
    requirement: 'OGC GeoPackage §1.1.3 Req 16 (srs_id references gpkg_spatial_ref_sys)',
    severity: 'error',
    title: 'Unknown SRS',
    message: (p) => `Layer "${s(p.table)}" refers to srs_id ${s(p.srsId)}, which gpkg_spatial_ref_sys does not define.`,
    fix: () => 'Add the coordinate system to gpkg_spatial_ref_sys, or correct the srs_id.',
  },
  'contents-last-change': {
    requirement: 'OGC GeoPackage §1.1.3 Req 15 (last_change timestamp)',
    severity: 'warning',
    title: 'last_change format',
    message: (p) => `Layer "${s(p.table)}" has last_change "${s(p.value)}", not an ISO 8601 UTC timestamp (YYYY-MM-DDTHH:MM:SS.SSSZ).`,
    fix: () => "Set last_change to strftime('%Y-%m-%dT%H:%M:%fZ','now').",
  },
  'geometry-columns-table': {
    requirement: 'OGC GeoPackage §2.1.5 Req 21 (gpkg_geometry_columns)',
    severity: 'error',
    title: 'Geometry columns table',
    message: () => 'The table gpkg_geometry_columns is missing while the file has feature layers: their geometries cannot be found.',
    fix: () => 'Re-export the data with GDAL or QGIS.',
  },
  'geometry-columns-missing': {
    requirement: 'OGC GeoPackage §2.1.5 Req 22 (one geometry column per feature table)',
    severity: 'error',
    title: 'Feature layer without geometry column',
    message: (p) => `Feature layer "${s(p.table)}" has no row in gpkg_geometry_columns: readers do not know which column holds its geometries.`,
    fix: (p) => `Insert a gpkg_geometry_columns row for "${s(p.table)}".`,
  },
  'geometry-columns-column': {
    requirement: 'OGC GeoPackage §2.1.5 Req 24 (column_name names a column)',
    severity: 'error',
    title: 'Geometry column missing',
    message: (p) => `gpkg_geometry_columns says the geometries of "${s(p.table)}" are in column "${s(p.column)}", which the table does not have.`,
    fix: () => 'Correct column_name in gpkg_geometry_columns.',
  },
  'geometry-type-name': {
    requirement: 'OGC GeoPackage §2.1.5 Req 25 (geometry_type_name, upper case, Annex E)',
    severity: 'warning',
    title: 'Declared geometry type',
    message: (p) =>
      p.known
        ? `Layer "${s(p.table)}" declares its geometry type as "${s(p.value)}"; the standard wants it in upper case ("${s(p.expected)}"). Most readers cope, strict ones refuse the layer.`
        : `Layer "${s(p.table)}" declares an unknown geometry type "${s(p.value)}".`,
    fix: (p) => `Set geometry_type_name to "${s(p.expected || 'GEOMETRY')}" in gpkg_geometry_columns.`,
  },
  'geometry-columns-srs': {
    requirement: 'OGC GeoPackage §2.1.5 Req 26 (srs_id references gpkg_spatial_ref_sys)',
    severity: 'error',
    title: 'Geometry column SRS',
    message: (p) => `The geometry column of "${s(p.table)}" refers to srs_id ${s(p.srsId)}, which gpkg_spatial_ref_sys does not define.`,
    fix: () => 'Add the coordinate system to gpkg_spatial_ref_sys, or correct the srs_id.',
  },
  'geometry-columns-zm': {
    requirement: 'OGC GeoPackage §2.1.5 Req 27 (z and m are 0, 1 or 2)',
    severity: 'error',
    title: 'Z/M flags',
    message: (p) => `The geometry column of "${s(p.table)}" has z = ${s(p.z)} and m = ${s(p.m)}; each must be 0 (none), 1 (always) or 2 (optional).`,
    fix: () => 'Correct z and m in gpkg_geometry_columns.',
  },
  'primary-key': {
    requirement: 'OGC GeoPackage §2.1.6 / §2.4 (feature and attribute tables have an INTEGER PRIMARY KEY)',
    severity: 'error',
    title: 'Integer primary key',
    message: (p) => `Table "${s(p.table)}" has no INTEGER PRIMARY KEY column: its rows have no stable identifier (fid), and many readers refuse it.`,
    fix: (p) => `Recreate "${s(p.table)}" with a column "fid" INTEGER PRIMARY KEY AUTOINCREMENT (ogr2ogr does this on export).`,
  },
  'column-type': {
    requirement: 'OGC GeoPackage §1.1.1.1.3 Table 1 (column data types)',
    severity: 'warning',
    title: 'Column data type',
    message: (p) =>
      p.width
        ? `Column "${s(p.column)}" of "${s(p.table)}" is declared ${s(p.type)}: a width that large makes GDAL and other readers report errors.`
        : `Column "${s(p.column)}" of "${s(p.table)}" is declared "${s(p.type)}", which is not a GeoPackage data type: readers will guess its type.`,
    fix: (p) => (p.width ? 'Declare the column TEXT without a width.' : 'Use one of BOOLEAN, INTEGER, REAL, TEXT, BLOB, DATE, DATETIME (re-export with ogr2ogr).'),
  },
  'layer-empty': {
    requirement: 'PDOK RQ2 (layers have at least one feature)',
    severity: 'info',
    title: 'Empty layer',
    message: (p) => `Layer "${s(p.table)}" has no rows.`,
    fix: () => 'Remove the layer if it is not meant to be empty.',
  },
  'geometry-blob': {
    requirement: 'OGC GeoPackage §2.1.3 (StandardGeoPackageBinary geometry encoding)',
    severity: 'error',
    title: 'Unreadable geometry',
    message: (p) => `The geometry of feature ${s(p.fid)} in "${s(p.table)}" cannot be read: ${s(p.detail)}.`,
    fix: () => 'Redraw or delete the feature; if many are affected, the file was written by a faulty tool: re-export it.',
  },
  'geometry-type': {
    requirement: 'OGC GeoPackage §2.1.6 (geometries match geometry_type_name); PDOK RQ15',
    severity: 'error',
    title: 'Geometry type',
    message: (p) => `Feature ${s(p.fid)} of "${s(p.table)}" is a ${s(p.actual)}, but the layer is declared ${s(p.declared)}.`,
    fix: (p) => `Convert the feature to ${s(p.declared)}, or declare the layer as GEOMETRY (or the matching multi-type).`,
  },
  'geometry-dimension': {
    requirement: 'OGC GeoPackage §2.1.5 (z / m flags of gpkg_geometry_columns)',
    severity: 'error',
    title: 'Geometry dimensions',
    message: (p) => `Feature ${s(p.fid)} of "${s(p.table)}" ${p.has ? 'has' : 'lacks'} ${s(p.dim)} values, but the layer says ${s(p.dim)} is ${p.has ? 'prohibited' : 'mandatory'}.`,
    fix: (p) => `Make the geometries ${p.has ? 'drop' : 'carry'} ${s(p.dim)} (ogr2ogr -dim), or set ${s(p.dim).toLowerCase()} = 2 (optional) in gpkg_geometry_columns.`,
  },
  'geometry-srs': {
    requirement: 'OGC GeoPackage §2.1.3 (the blob srs_id equals the column srs_id)',
    severity: 'error',
    title: 'Geometry SRS',
    message: (p) => `Feature ${s(p.fid)} of "${s(p.table)}" says its coordinates are in srs_id ${s(p.actual)}, but the layer is in ${s(p.declared)}.`,
    fix: () => 'Re-export the layer with ogr2ogr, which rewrites every geometry header.',
  },
  'geometry-null': {
    requirement: 'PDOK (features have a geometry)',
    severity: 'warning',
    title: 'Missing geometry',
    message: (p) => `Feature ${s(p.fid)} of "${s(p.table)}" has no geometry (NULL): it will not show on a map.`,
    fix: () => 'Draw the feature, or move geometry-less rows to an attributes table.',
  },
  'geometry-empty': {
    requirement: 'PDOK (geometries are not empty); OGC GeoPackage §2.1.3 (empty flag)',
    severity: 'warning',
    title: 'Empty geometry',
    message: (p) => `Feature ${s(p.fid)} of "${s(p.table)}" has an empty geometry (${s(p.type)} EMPTY): it has no position.`,
    fix: () => 'Draw the feature, or delete it.',
  },
  'geometry-invalid': {
    requirement: 'PDOK RQ5 (geometries are valid, OGC Simple Features); checked by GEOS',
    severity: 'warning',
    title: 'Invalid geometry',
    message: (p) => `Feature ${s(p.fid)} of "${s(p.table)}" is not a valid ${s(p.type)} (self-intersection, bad ring…): areas and overlays computed on it are wrong.`,
    fix: () => "Repair it (QGIS: Vector › Geometry Tools › Fix Geometries, or ogr2ogr -makevalid).",
  },
  'geometry-not-simple': {
    requirement: 'PDOK (line geometries are simple); checked by GEOS',
    severity: 'warning',
    title: 'Self-intersecting line',
    message: (p) => `Feature ${s(p.fid)} of "${s(p.table)}" is a ${s(p.type)} that crosses itself.`,
    fix: () => 'Check the digitising of the line; split it where it crosses itself if that is not intended.',
  },
  'ring-orientation': {
    requirement: 'PDOK RC4; OGC GeoPackage 1.4 §2.1.3 (counter-clockwise exterior rings)',
    severity: 'info',
    title: 'Ring orientation',
    message: (p) => `Feature ${s(p.fid)} of "${s(p.table)}" has an exterior ring turning clockwise (or a hole counter-clockwise); some tools then draw or measure it wrongly.`,
    fix: () => 'Re-export with ogr2ogr (GDAL ≥ 3.7 writes counter-clockwise exterior rings) or fix the orientation in QGIS.',
  },
  'curve-type': {
    requirement: 'OGC GeoPackage Annex G (non-linear geometry types extension); PDOK RQ14',
    severity: 'info',
    title: 'Curve geometries',
    message: (p) => `Layer "${s(p.table)}" holds curve geometries (${s(p.type)}): Shapefile, GeoJSON, PostGIS exports to GeoNature and many web tools cannot read them; Passerelle linearises them on display and export.`,
    fix: () => 'If straight segments are enough, convert the layer (ogr2ogr -nlt CONVERT_TO_LINEAR).',
  },
  'curve-extension': {
    requirement: 'OGC GeoPackage Annex G (gpkg_geom_<TYPE> registered in gpkg_extensions)',
    severity: 'warning',
    title: 'Curve extension not registered',
    message: (p) => `Layer "${s(p.table)}" uses ${s(p.type)} geometries but gpkg_extensions does not register gpkg_geom_${s(p.type)}.`,
    fix: (p) => `Insert the gpkg_extensions row (table "${s(p.table)}", extension gpkg_geom_${s(p.type)}, scope read-write).`,
  },
  'rtree-missing': {
    requirement: 'PDOK RQ9; OGC GeoPackage Annex F.3 (RTree spatial index)',
    severity: 'warning',
    title: 'No spatial index',
    message: (p) => `Layer "${s(p.table)}" has no spatial index (rtree): maps and box queries must read every feature.`,
    fix: () => 'Create the index (QGIS: layer properties › Create spatial index, or ogrinfo -sql "SELECT CreateSpatialIndex(...)").',
  },
  'rtree-triggers': {
    requirement: 'OGC GeoPackage Annex F.3 (rtree triggers)',
    severity: 'error',
    title: 'Spatial index triggers missing',
    message: (p) => `The spatial index of "${s(p.table)}" lacks its trigger(s) ${s(p.missing)}: edits to the layer will leave the index stale.`,
    fix: () => 'Drop and recreate the spatial index.',
  },
  'rtree-inconsistent': {
    requirement: 'PDOK RQ10 (rtree indexes are valid)',
    severity: 'error',
    title: 'Spatial index out of date',
    message: (p) => `The spatial index of "${s(p.table)}" does not match its geometries: ${s(p.detail)}. Features may be missing from maps and box queries.`,
    fix: () => 'Drop and recreate the spatial index.',
  },
  'rtree-orphan': {
    requirement: 'OGC GeoPackage Annex F.3 (rtree of a registered geometry column)',
    severity: 'warning',
    title: 'Orphan spatial index',
    message: (p) => `The spatial index "${s(p.name)}" belongs to no registered layer: it is left over from a deleted or unregistered layer.`,
    fix: (p) => `DROP TABLE "${s(p.name)}" (it only takes space), or register its layer.`,
  },
  'table-unregistered': {
    requirement: 'OGC GeoPackage §1.1.3 (data tables are registered in gpkg_contents)',
    severity: 'warning',
    title: 'Table not registered',
    message: (p) => `Table "${s(p.table)}" is not listed in gpkg_contents: QGIS and GDAL will not show it as a layer.`,
    fix: (p) => `Register "${s(p.table)}" in gpkg_contents (as features or attributes), or drop it.`,
  },
  'view-unregistered': {
    requirement: 'PDOK RQ4 (no views); OGC GeoPackage §1.1.3',
    severity: 'warning',
    title: 'View not registered',
    message: (p) => `View "${s(p.table)}" is not listed in gpkg_contents: it is invisible to GIS tools and may break when its tables change.`,
    fix: (p) => `Register "${s(p.table)}" in gpkg_contents, or drop it.`,
  },
  'ogr-count': {
    requirement: 'PDOK RQ11 (GDAL feature counts are up to date)',
    severity: 'warning',
    title: 'Cached feature count',
    message: (p) => `gpkg_ogr_contents says "${s(p.table)}" has ${s(p.cached)} features, but it has ${s(p.actual)}: GDAL and QGIS will show a wrong count.`,
    fix: (p) => `UPDATE gpkg_ogr_contents SET feature_count = NULL WHERE table_name = '${s(p.table)}' (GDAL recounts).`,
  },
  identifier: {
    requirement: 'Passerelle (portable identifiers: PostgreSQL/GeoNature, SQL)',
    severity: 'info',
    title: 'Name needs quoting',
    message: (p) => `The ${s(p.kind)} name "${s(p.name)}" ${s(p.reason)}: in SQL, and once loaded into PostgreSQL (GeoNature), it must always be quoted.`,
    fix: () => 'Prefer lower-case names of letters, digits and underscores, starting with a letter, at most 63 characters.',
  },
  'geometry-column-name': {
    requirement: 'PDOK RC1/RC2 (same geometry column name in every layer)',
    severity: 'info',
    title: 'Geometry column names differ',
    message: (p) => `Layers name their geometry column differently (${s(p.names)}): scripts and joins must handle each case.`,
    fix: () => 'Use one name (e.g. "geom") for every layer.',
  },
  'tiles-matrix-set': {
    requirement: 'OGC GeoPackage §2.2.6 (gpkg_tile_matrix_set row for each tile pyramid)',
    severity: 'error',
    title: 'Tile matrix set missing',
    message: (p) => `Tile layer "${s(p.table)}" has no row in gpkg_tile_matrix_set: its tiles cannot be placed.`,
    fix: () => 'Re-export the tiles with GDAL (gdal_translate -of GPKG).',
  },
} as const satisfies Record<string, RuleDef>;

/** A rule id. */
export type RuleId = keyof typeof RULES;

/** Rules that need every geometry decoded (skipped with `geometry: false`). */
export const GEOMETRY_RULES: ReadonlySet<RuleId> = new Set<RuleId>([
  'geometry-blob',
  'geometry-type',
  'geometry-dimension',
  'geometry-srs',
  'geometry-null',
  'geometry-empty',
  'geometry-invalid',
  'geometry-not-simple',
  'ring-orientation',
  'rtree-inconsistent',
]);

/** The catalogue as the contract describes it. */
export function ruleInfos(ids: Iterable<RuleId>): RuleInfo[] {
  return [...ids].map((id) => ({ id, requirement: RULES[id].requirement, severity: RULES[id].severity, title: RULES[id].title }));
}
