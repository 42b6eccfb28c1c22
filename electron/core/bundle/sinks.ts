import Database from 'better-sqlite3';
import { csvLine, tsvField } from '../../../shared/bundle/csv.js';
import { DWC_TERMS, DWC_TERM_URI, profileFields, type BundleField, type DwcTerm } from '../../../shared/bundle/fields.js';
import type { FieldProfile } from '../../../shared/bundle/presets.js';
import { blobEnvelope } from '../gpkg/geometry/gpkg-binary.js';
import { quoteId } from '../gpkg/identifiers.js';
import { bulkLoadRtree } from '../gpkg/rtree-bulk.js';
import { createAttributesTable, createCoreTables, createFeatureTable, createRtree, refreshContentsExtent } from '../gpkg/schema.js';
import { registerGpkgFunctions } from '../gpkg/sql-functions.js';
import { GPKG_METADATA_DEFINITION } from '../workspace/format-v3.js';
import { HashedWriter, type FileDigest } from './hashed-writer.js';
import { F, type BundleRecord } from './records.js';

/**
 * Where a bundle's records go: one sink per data file, fed in one pass over the workspace.
 * Text sinks hash what they write; the GeoPackage is hashed once closed.
 */
export interface RecordSink {
  add(r: BundleRecord): void;
}

/** The fields of a profile with their index in a record's values. */
function indexed(profile: FieldProfile, withWkt: boolean): { field: BundleField; name: string; index: number }[] {
  return profileFields(profile, { withWkt }).map((x) => ({ ...x, index: F[x.field.key] as number }));
}

/** The CSV file (and the canonical line of each record, which versioning compares). */
export class CsvSink implements RecordSink {
  private readonly fields: ReturnType<typeof indexed>;
  private readonly out: HashedWriter | null;
  private readonly row: (string | number | null)[];
  readonly header: string;

  constructor(
    path: string | null,
    profile: FieldProfile,
    /** Receives each record's UUID and canonical line (even when no file is written). */
    private readonly onLine?: (uuid: string, line: string) => void,
  ) {
    this.fields = indexed(profile, true);
    this.row = new Array(this.fields.length);
    this.header = csvLine(this.fields.map((f) => f.name));
    this.out = path ? new HashedWriter(path) : null;
    this.out?.write(this.header);
  }

  add(r: BundleRecord): void {
    const fs = this.fields;
    for (let i = 0; i < fs.length; i++) this.row[i] = r.values[(fs[i] as { index: number }).index] ?? null;
    const line = csvLine(this.row);
    this.out?.write(line);
    this.onLine?.(r.uuid, line);
  }

  close(): FileDigest | null {
    return this.out ? this.out.close() : null;
  }

  abort(): void {
    this.out?.abort();
  }
}

/** The GeoJSON file: a FeatureCollection, one feature per line (RFC 7946, WGS 84). */
export class GeoJsonSink implements RecordSink {
  private readonly fields: ReturnType<typeof indexed>;
  private readonly out: HashedWriter;
  private n = 0;

  constructor(path: string, profile: FieldProfile) {
    this.fields = indexed(profile, false);
    this.out = new HashedWriter(path);
    this.out.write('{"type":"FeatureCollection","name":"observations","features":[\n');
  }

  add(r: BundleRecord): void {
    const props: Record<string, string | number | null> = {};
    for (const f of this.fields) props[f.name] = r.values[f.index] ?? null;
    const g = r.geojson ?? (r.point && r.lon !== null ? `{"type":"Point","coordinates":[${r.lon},${r.lat}]}` : 'null');
    this.out.write(`${this.n > 0 ? ',\n' : ''}{"type":"Feature","id":${++this.n},"geometry":${g},"properties":${JSON.stringify(props)}}`);
  }

  close(): FileDigest {
    this.out.write('\n]}\n');
    return this.out.close();
  }

  abort(): void {
    this.out.abort();
  }
}

/** What a Darwin Core row needs besides the record. */
export interface DwcContext {
  readonly licenceUrl: string;
  readonly rightsHolder: string | null;
}

const STATUS: Readonly<Record<string, string>> = { Pr: 'present', No: 'absent' };

const X_KEYS = [
  'date_min',
  'date_max',
  'count_min',
  'count_max',
  'cd_nomenclature_obj_count',
  'cd_nom',
  'dataset_uuid',
  'dataset_name',
  'cd_nomenclature_observation_status',
  'nom_cite',
  'observers',
  'determiner',
  'comment_description',
  'coordinate_uncertainty_m',
  'altitude_min',
  'altitude_max',
  'data_generalizations',
  'information_withheld',
] as const;
/** Index in a record's values of the fields Darwin Core reads. */
const X = Object.fromEntries(X_KEYS.map((k) => [k, F[k] as number])) as Record<(typeof X_KEYS)[number], number>;

const isoDate = (d: string | number | null): string | null => (typeof d === 'string' ? d.replace(' ', 'T') : null);
/** Darwin Core separates people with " | " (GeoNature with ", "). */
const people = (x: string | number | null): string | null => (typeof x === 'string' ? x.split(/\s*,\s*/).join(' | ') : null);

/** The Darwin Core occurrence core (`occurrence.txt`, tab-separated, UTF-8, LF, a header line). */
export class DwcSink implements RecordSink {
  private readonly out: HashedWriter;
  private readonly row: (string | number | null)[] = new Array(DWC_TERMS.length);
  private readonly at: Record<DwcTerm, number>;

  constructor(
    path: string,
    private readonly ctx: DwcContext,
  ) {
    this.out = new HashedWriter(path);
    this.out.write(DWC_TERMS.join('\t') + '\n');
    this.at = Object.fromEntries(DWC_TERMS.map((t, i) => [t, i])) as Record<DwcTerm, number>;
  }

  add(r: BundleRecord): void {
    const v = r.values;
    const row = this.row;
    const t = this.at;
    row.fill(null);
    const dateMin = v[X.date_min] ?? null;
    const dateMax = v[X.date_max] ?? null;
    const countMin = v[X.count_min] ?? null;
    const objCount = v[X.cd_nomenclature_obj_count] ?? null;
    const cdNom = v[X.cd_nom] ?? null;
    row[t.occurrenceID] = r.uuid;
    row[t.basisOfRecord] = 'HumanObservation';
    row[t.datasetID] = v[X.dataset_uuid] ?? null;
    row[t.datasetName] = v[X.dataset_name] ?? null;
    row[t.institutionCode] = this.ctx.rightsHolder;
    row[t.license] = this.ctx.licenceUrl;
    row[t.rightsHolder] = this.ctx.rightsHolder;
    row[t.occurrenceStatus] = STATUS[String(v[X.cd_nomenclature_observation_status])] ?? null;
    row[t.scientificName] = r.scientificName;
    row[t.taxonID] = cdNom === null ? null : `https://inpn.mnhn.fr/espece/cd_nom/${cdNom}`;
    row[t.verbatimIdentification] = v[X.nom_cite] ?? null;
    row[t.eventDate] = dateMax !== null && dateMax !== dateMin ? `${isoDate(dateMin)}/${isoDate(dateMax)}` : isoDate(dateMin);
    row[t.recordedBy] = people(v[X.observers] ?? null);
    row[t.identifiedBy] = people(v[X.determiner] ?? null);
    if (countMin !== null && countMin === v[X.count_max]) {
      row[t.organismQuantity] = countMin;
      row[t.organismQuantityType] = objCount;
      if (objCount === 'IND') row[t.individualCount] = countMin;
    }
    row[t.occurrenceRemarks] = v[X.comment_description] ?? null;
    row[t.countryCode] = 'FR';
    if (r.lat !== null && r.lon !== null) {
      row[t.decimalLatitude] = r.lat;
      row[t.decimalLongitude] = r.lon;
      row[t.geodeticDatum] = 'EPSG:4326';
    }
    row[t.coordinateUncertaintyInMeters] = v[X.coordinate_uncertainty_m] ?? null;
    if (r.footprintWkt) {
      row[t.footprintWKT] = r.footprintWkt;
      row[t.footprintSRS] = 'EPSG:4326';
    }
    row[t.minimumElevationInMeters] = v[X.altitude_min] ?? null;
    row[t.maximumElevationInMeters] = v[X.altitude_max] ?? null;
    row[t.dataGeneralizations] = v[X.data_generalizations] ?? null;
    row[t.informationWithheld] = v[X.information_withheld] ?? null;
    let line = tsvField(row[0] ?? null);
    for (let i = 1; i < row.length; i++) line += '\t' + tsvField(row[i] ?? null);
    this.out.write(line + '\n');
  }

  close(): FileDigest {
    return this.out.close();
  }

  abort(): void {
    this.out.abort();
  }
}

/** meta.xml of the archive: the occurrence core and its terms (GBIF Darwin Core text guidelines). */
export function dwcMetaXml(): string {
  const fields = DWC_TERMS.map((t, i) => `    <field index="${i}" term="${DWC_TERM_URI(t)}"/>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<archive xmlns="http://rs.tdwg.org/dwc/text/" metadata="eml.xml">
  <core encoding="UTF-8" fieldsTerminatedBy="\\t" linesTerminatedBy="\\n" fieldsEnclosedBy="" ignoreHeaderLines="1" rowType="http://rs.tdwg.org/dwc/terms/Occurrence">
    <files>
      <location>occurrence.txt</location>
    </files>
    <id index="0"/>
${fields}
  </core>
</archive>
`;
}

const GPKG_TYPE: Readonly<Record<string, string>> = { string: 'TEXT', integer: 'INTEGER', number: 'REAL', date: 'DATE', datetime: 'DATETIME' };

/** Layer names of the bundle GeoPackage. */
export const GPKG_LAYER = 'observations';
export const GPKG_WITHHELD = 'observations_withheld';

/**
 * The bundle's GeoPackage, written fresh (never a copy of the workspace edited in place) with
 * `PRAGMA secure_delete`, so that no freed page can keep a byte of anything deleted while it is
 * built. Records with a published geometry go to the `observations` layer (EPSG:4326, any
 * geometry type: points for precise records, the area's polygons for generalised ones);
 * withheld records, which have none, to the `observations_withheld` attributes table. Dates in
 * the GeoPackage tables (`last_change`, metadata reference timestamps) are the bundle's `asOf`.
 */
export class GpkgSink implements RecordSink {
  private readonly db: Database.Database;
  private readonly fields: ReturnType<typeof indexed>;
  private readonly insertFeature: Database.Statement;
  private readonly insertWithheld: Database.Statement;
  private readonly params: unknown[];
  private readonly envelopes = new WeakMap<Uint8Array, { minX: number; maxX: number; minY: number; maxY: number } | null>();
  private ids = new Float64Array(1 << 16);
  private boxes = new Float64Array(4 << 16);
  private indexed = 0;
  private nFeatures = 0;
  private nWithheld = 0;

  constructor(
    readonly path: string,
    profile: FieldProfile,
    private readonly asOf: string,
  ) {
    this.fields = indexed(profile, false);
    const db = new Database(path);
    this.db = db;
    registerGpkgFunctions(db);
    db.pragma('secure_delete = ON');
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -65536');
    db.exec('BEGIN');
    createCoreTables(db);
    const columns = this.fields.map((f) => ({ name: f.name, type: GPKG_TYPE[f.field.type] ?? 'TEXT' }));
    createFeatureTable(
      db,
      {
        table: GPKG_LAYER,
        identifier: 'Observations',
        description: 'Published observations: precise points, or the area a sensitive observation is generalised to',
        geometryColumn: 'geom',
        geometryType: 'GEOMETRY',
        srsId: 4326,
        columns,
      },
      { rtree: false },
    );
    createAttributesTable(db, {
      table: GPKG_WITHHELD,
      identifier: 'Observations without published location',
      description: 'Observations whose location is withheld (sensitivity, unmatched taxon, no geometry)',
      primaryKey: 'fid',
      columns,
    });
    const names = columns.map((c) => quoteId(c.name)).join(', ');
    const marks = columns.map(() => '?').join(', ');
    this.insertFeature = db.prepare(`INSERT INTO ${GPKG_LAYER} (fid, geom, ${names}) VALUES (?, ?, ${marks})`);
    this.insertWithheld = db.prepare(`INSERT INTO ${GPKG_WITHHELD} (fid, ${names}) VALUES (?, ${marks})`);
    this.params = new Array(columns.length + 2);
  }

  private envelope(blob: Uint8Array): { minX: number; maxX: number; minY: number; maxY: number } | null {
    // Points: read in place; area blobs are shared by their records, their envelope computed once.
    if (blob.length === 29) {
      const view = new DataView(blob.buffer, blob.byteOffset, 29);
      const x = view.getFloat64(13, true);
      const y = view.getFloat64(21, true);
      return { minX: x, maxX: x, minY: y, maxY: y };
    }
    let e = this.envelopes.get(blob);
    if (e === undefined) {
      e = blobEnvelope(blob);
      this.envelopes.set(blob, e);
    }
    return e;
  }

  add(r: BundleRecord): void {
    const fs = this.fields;
    const p = this.params;
    if (r.gpkgGeometry) {
      const fid = ++this.nFeatures;
      p[0] = fid;
      p[1] = r.gpkgGeometry;
      for (let i = 0; i < fs.length; i++) p[i + 2] = r.values[(fs[i] as { index: number }).index] ?? null;
      this.insertFeature.run(p);
      const env = this.envelope(r.gpkgGeometry);
      if (env && Number.isFinite(env.minX)) {
        if (this.indexed === this.ids.length) {
          const ids = new Float64Array(this.ids.length * 2);
          ids.set(this.ids);
          this.ids = ids;
          const boxes = new Float64Array(this.boxes.length * 2);
          boxes.set(this.boxes);
          this.boxes = boxes;
        }
        this.ids[this.indexed] = fid;
        const o = this.indexed * 4;
        this.boxes[o] = env.minX;
        this.boxes[o + 1] = env.maxX;
        this.boxes[o + 2] = env.minY;
        this.boxes[o + 3] = env.maxY;
        this.indexed++;
      }
    } else {
      const q = p.slice(0, fs.length + 1);
      q[0] = ++this.nWithheld;
      for (let i = 0; i < fs.length; i++) q[i + 1] = r.values[(fs[i] as { index: number }).index] ?? null;
      this.insertWithheld.run(q);
    }
  }

  /**
   * Builds the spatial index, stamps the tables with `asOf`, adds the ISO 19139 record as the
   * layer's metadata (GeoPackage metadata extension), commits and closes.
   */
  close(isoRecord: string | null): { features: number; withheld: number } {
    const db = this.db;
    try {
      createRtree(db, GPKG_LAYER, 'geom', 'fid');
      bulkLoadRtree(db, `rtree_${GPKG_LAYER}_geom`, { count: this.indexed, ids: this.ids, boxes: this.boxes });
      refreshContentsExtent(db, GPKG_LAYER, 'geom');
      if (isoRecord) {
        db.exec(`
          CREATE TABLE gpkg_metadata (
            id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL,
            md_scope TEXT NOT NULL DEFAULT 'dataset',
            md_standard_uri TEXT NOT NULL,
            mime_type TEXT NOT NULL DEFAULT 'text/xml',
            metadata TEXT NOT NULL DEFAULT ''
          );
          CREATE TABLE gpkg_metadata_reference (
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
        const ext = db.prepare(`INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES (?, NULL, 'gpkg_metadata', ?, 'read-write')`);
        ext.run('gpkg_metadata', GPKG_METADATA_DEFINITION);
        ext.run('gpkg_metadata_reference', GPKG_METADATA_DEFINITION);
        db.prepare(`INSERT INTO gpkg_metadata (id, md_scope, md_standard_uri, mime_type, metadata) VALUES (1, 'dataset', 'http://www.isotc211.org/2005/gmd', 'text/xml', ?)`).run(isoRecord);
        db.prepare(`INSERT INTO gpkg_metadata_reference (reference_scope, table_name, column_name, row_id_value, timestamp, md_file_id, md_parent_id) VALUES ('table', ?, NULL, NULL, ?, 1, NULL)`).run(GPKG_LAYER, this.asOf);
      }
      db.prepare('UPDATE gpkg_contents SET last_change = ?').run(this.asOf);
      db.exec('COMMIT');
      db.pragma('journal_mode = DELETE');
    } finally {
      db.close();
    }
    return { features: this.nFeatures, withheld: this.nWithheld };
  }

  abort(): void {
    try {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.db.close();
    } catch {
      // closing a failed build
    }
  }
}
