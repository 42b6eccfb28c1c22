import type Database from 'better-sqlite3';
import { quoteId } from './identifiers.js';

type Db = Database.Database;

/** "GPKG" as a big-endian integer: the application_id of GeoPackage ≥ 1.2. */
export const GPKG_APPLICATION_ID = 0x47504b47;
/** The GeoPackage version we write: 1.3.1 has the widest support among readers. */
export const GPKG_USER_VERSION = 10301;

export const WGS84_WKT =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]';

/**
 * Creates the mandatory GeoPackage tables and the three SRS rows the spec requires
 * (OGC 12-128r18 §1.1.2–1.1.3: -1 undefined Cartesian, 0 undefined geographic, 4326).
 */
export function createCoreTables(db: Db): void {
  db.pragma(`application_id = ${GPKG_APPLICATION_ID}`);
  db.pragma(`user_version = ${GPKG_USER_VERSION}`);
  db.exec(`
    CREATE TABLE gpkg_spatial_ref_sys (
      srs_name TEXT NOT NULL,
      srs_id INTEGER PRIMARY KEY,
      organization TEXT NOT NULL,
      organization_coordsys_id INTEGER NOT NULL,
      definition TEXT NOT NULL,
      description TEXT
    );
    CREATE TABLE gpkg_contents (
      table_name TEXT NOT NULL PRIMARY KEY,
      data_type TEXT NOT NULL,
      identifier TEXT UNIQUE,
      description TEXT DEFAULT '',
      last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
      min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
      srs_id INTEGER,
      CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
    );
    CREATE TABLE gpkg_geometry_columns (
      table_name TEXT NOT NULL,
      column_name TEXT NOT NULL,
      geometry_type_name TEXT NOT NULL,
      srs_id INTEGER NOT NULL,
      z TINYINT NOT NULL,
      m TINYINT NOT NULL,
      CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
      CONSTRAINT uk_gc_table_name UNIQUE (table_name),
      CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
      CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
    );
    CREATE TABLE gpkg_extensions (
      table_name TEXT,
      column_name TEXT,
      extension_name TEXT NOT NULL,
      definition TEXT NOT NULL,
      scope TEXT NOT NULL,
      CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
    );
  `);
  const srs = db.prepare(
    'INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES (?, ?, ?, ?, ?, ?)',
  );
  srs.run('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
  srs.run('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
  srs.run('WGS 84 geodetic', 4326, 'EPSG', 4326, WGS84_WKT, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
}

export interface ColumnDef {
  readonly name: string;
  /** A GeoPackage data type: INTEGER, REAL, TEXT, BLOB, DATE, DATETIME, BOOLEAN… */
  readonly type: string;
  readonly notNull?: boolean;
  readonly unique?: boolean;
}

export interface FeatureTableDef {
  readonly table: string;
  readonly identifier?: string;
  readonly description?: string;
  readonly geometryColumn: string;
  /** Upper-case geometry type name (POINT, MULTIPOLYGON, GEOMETRY…). */
  readonly geometryType: string;
  readonly srsId: number;
  readonly z?: 0 | 1 | 2;
  readonly m?: 0 | 1 | 2;
  readonly columns: readonly ColumnDef[];
}

function columnSql(c: ColumnDef): string {
  return `${quoteId(c.name)} ${c.type}${c.notNull ? ' NOT NULL' : ''}${c.unique ? ' UNIQUE' : ''}`;
}

/**
 * Creates a feature table, registers it in gpkg_contents and gpkg_geometry_columns, and
 * indexes it. A bulk writer passes `rtree: false` and creates the index after the rows
 * (filling an rtree once is much faster than through its triggers row by row).
 */
export function createFeatureTable(db: Db, def: FeatureTableDef, opts: { rtree?: boolean } = {}): void {
  const cols = [
    '"fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL',
    `${quoteId(def.geometryColumn)} ${def.geometryType}`,
    ...def.columns.map(columnSql),
  ];
  db.exec(`CREATE TABLE ${quoteId(def.table)} (${cols.join(', ')})`);
  db.prepare(
    `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, 'features', ?, ?, ?)`,
  ).run(def.table, def.identifier ?? def.table, def.description ?? '', def.srsId);
  db.prepare(
    'INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(def.table, def.geometryColumn, def.geometryType, def.srsId, def.z ?? 0, def.m ?? 0);
  if (opts.rtree ?? true) createRtree(db, def.table, def.geometryColumn, 'fid');
}

/** Creates an attributes table (no geometry) and registers it in gpkg_contents. */
export function createAttributesTable(
  db: Db,
  def: { table: string; identifier?: string; description?: string; columns: readonly ColumnDef[]; primaryKey?: string },
): void {
  const pk = def.primaryKey ?? 'id';
  const cols = [`${quoteId(pk)} INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL`, ...def.columns.map(columnSql)];
  db.exec(`CREATE TABLE ${quoteId(def.table)} (${cols.join(', ')})`);
  db.prepare(`INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES (?, 'attributes', ?, ?)`).run(
    def.table,
    def.identifier ?? def.table,
    def.description ?? '',
  );
}

/**
 * Creates the rtree spatial index of a geometry column with the triggers of
 * OGC 12-128r18 Annex F.3 (1.4 variant: update6/update7 instead of update1, which
 * misbehaved with UPSERT), and registers the gpkg_rtree_index extension.
 */
export function createRtree(db: Db, table: string, column: string, idColumn: string): void {
  const rt = quoteId(`rtree_${table}_${column}`);
  const t = quoteId(table);
  const c = quoteId(column);
  const i = quoteId(idColumn);
  const trig = (suffix: string) => quoteId(`rtree_${table}_${column}_${suffix}`);
  const values = `NEW.${i}, ST_MinX(NEW.${c}), ST_MaxX(NEW.${c}), ST_MinY(NEW.${c}), ST_MaxY(NEW.${c})`;
  const newOk = `(NEW.${c} NOT NULL AND NOT ST_IsEmpty(NEW.${c}))`;
  const newEmpty = `(NEW.${c} ISNULL OR ST_IsEmpty(NEW.${c}))`;
  const oldOk = `(OLD.${c} NOT NULL AND NOT ST_IsEmpty(OLD.${c}))`;
  const oldEmpty = `(OLD.${c} ISNULL OR ST_IsEmpty(OLD.${c}))`;
  db.exec(`
    CREATE VIRTUAL TABLE ${rt} USING rtree(id, minx, maxx, miny, maxy);
    CREATE TRIGGER ${trig('insert')} AFTER INSERT ON ${t} WHEN ${newOk}
    BEGIN INSERT OR REPLACE INTO ${rt} VALUES (${values}); END;
    CREATE TRIGGER ${trig('update6')} AFTER UPDATE OF ${c} ON ${t}
      WHEN OLD.${i} = NEW.${i} AND ${newOk} AND ${oldOk}
    BEGIN UPDATE ${rt} SET minx = ST_MinX(NEW.${c}), maxx = ST_MaxX(NEW.${c}), miny = ST_MinY(NEW.${c}), maxy = ST_MaxY(NEW.${c}) WHERE id = NEW.${i}; END;
    CREATE TRIGGER ${trig('update7')} AFTER UPDATE OF ${c} ON ${t}
      WHEN OLD.${i} = NEW.${i} AND ${newOk} AND ${oldEmpty}
    BEGIN INSERT INTO ${rt} VALUES (${values}); END;
    CREATE TRIGGER ${trig('update2')} AFTER UPDATE OF ${c} ON ${t}
      WHEN OLD.${i} = NEW.${i} AND ${newEmpty}
    BEGIN DELETE FROM ${rt} WHERE id = OLD.${i}; END;
    CREATE TRIGGER ${trig('update5')} AFTER UPDATE ON ${t}
      WHEN OLD.${i} != NEW.${i} AND ${newOk}
    BEGIN DELETE FROM ${rt} WHERE id = OLD.${i}; INSERT OR REPLACE INTO ${rt} VALUES (${values}); END;
    CREATE TRIGGER ${trig('update4')} AFTER UPDATE ON ${t}
      WHEN OLD.${i} != NEW.${i} AND ${newEmpty}
    BEGIN DELETE FROM ${rt} WHERE id IN (OLD.${i}, NEW.${i}); END;
    CREATE TRIGGER ${trig('delete')} AFTER DELETE ON ${t} WHEN OLD.${c} NOT NULL
    BEGIN DELETE FROM ${rt} WHERE id = OLD.${i}; END;
  `);
  db.prepare(
    `INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES (?, ?, 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')`,
  ).run(table, column);
}

/** The GeoPackage metadata extension (OGC 12-128r18 §F.8). */
export const GPKG_METADATA_DEFINITION = 'http://www.geopackage.org/spec120/#extension_metadata';

/**
 * Creates the tables of the metadata extension (`gpkg_metadata`, `gpkg_metadata_reference`,
 * OGC 12-128r18 §F.8) and registers them in gpkg_extensions, in the caller's transaction.
 * Idempotent: tables that exist are kept.
 */
export function createMetadataExtension(db: Db): void {
  // SQLite keeps this text (less IF NOT EXISTS) in sqlite_master, so its white space is part of
  // every file written: kept as the bundle's GeoPackage always had it (a rebuild is byte-identical).
  db.exec(`
          CREATE TABLE IF NOT EXISTS gpkg_metadata (
            id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL,
            md_scope TEXT NOT NULL DEFAULT 'dataset',
            md_standard_uri TEXT NOT NULL,
            mime_type TEXT NOT NULL DEFAULT 'text/xml',
            metadata TEXT NOT NULL DEFAULT ''
          );
          CREATE TABLE IF NOT EXISTS gpkg_metadata_reference (
            reference_scope TEXT NOT NULL,
            table_name TEXT,
            column_name TEXT,
            row_id_value INTEGER,
            timestamp DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            md_file_id INTEGER NOT NULL,
            md_parent_id INTEGER,
            CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES gpkg_metadata(id),
            CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES gpkg_metadata(id)
          );
        `);
  const ext = db.prepare(`INSERT OR IGNORE INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES (?, NULL, 'gpkg_metadata', ?, 'read-write')`);
  ext.run('gpkg_metadata', GPKG_METADATA_DEFINITION);
  ext.run('gpkg_metadata_reference', GPKG_METADATA_DEFINITION);
}

/** Sets the extent of a feature table in gpkg_contents from its rtree (cheap) and stamps last_change. */
export function refreshContentsExtent(db: Db, table: string, column: string): void {
  const rt = quoteId(`rtree_${table}_${column}`);
  const e = db.prepare(`SELECT min(minx) AS a, min(miny) AS b, max(maxx) AS c, max(maxy) AS d FROM ${rt}`).get() as {
    a: number | null;
    b: number | null;
    c: number | null;
    d: number | null;
  };
  db.prepare(
    `UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?`,
  ).run(e.a, e.b, e.c, e.d, table);
}
