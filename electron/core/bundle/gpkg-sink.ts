import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { FieldProfile } from '../../../shared/bundle/presets.js';
import { AppError } from '../errors.js';
import { blobEnvelope } from '../gpkg/geometry/gpkg-binary.js';
import { quoteId } from '../gpkg/identifiers.js';
import { bulkLoadRtree } from '../gpkg/rtree-bulk.js';
import { createAttributesTable, createCoreTables, createFeatureTable, createMetadataExtension, createRtree, refreshContentsExtent } from '../gpkg/schema.js';
import { registerGpkgFunctions } from '../gpkg/sql-functions.js';
import type { BundleRecord } from './records.js';
import { indexed, type RecordSink } from './sinks.js';

/** Layer names of the bundle GeoPackage. */
export const GPKG_LAYER = 'observations';
export const GPKG_WITHHELD = 'observations_withheld';

const GPKG_TYPE: Readonly<Record<string, string>> = { string: 'TEXT', integer: 'INTEGER', number: 'REAL', date: 'DATE', datetime: 'DATETIME' };

/** Rows per message to the writer thread, and messages in flight before the pass waits for it. */
const BATCH = 2000;
const IN_FLIGHT = 6;

/**
 * The writer thread: parses the rows it is sent — the records' canonical CSV lines, with the
 * points as coordinates and other geometries as blobs — and inserts them in order, in one
 * transaction, with `secure_delete`. Plain JavaScript evaluated as a worker (so it runs the same
 * from sources, from tests and from the packaged app) that only needs better-sqlite3, resolved
 * from the engine. Reading the values back from the CSV line costs the main thread nothing (the
 * line is written anyway) and keeps the GeoPackage's values exactly the CSV's.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const Database = createRequire(workerData.base)('better-sqlite3');
const db = new Database(workerData.path);
db.pragma('secure_delete = ON');
db.pragma('journal_mode = OFF');
db.pragma('synchronous = OFF');
db.pragma('cache_size = -32768');
db.exec('BEGIN');
const feature = db.prepare(workerData.featureSql);
const withheld = db.prepare(workerData.withheldSql);
const types = workerData.types;
const n = types.length;
let fids = 0;
let wids = 0;
function split(line) {
  const end = line.endsWith('\\r\\n') ? line.length - 2 : line.length;
  if (line.indexOf('"') < 0) return line.slice(0, end).split(',');
  const out = [];
  let f = '';
  let q = false;
  for (let i = 0; i < end; i++) {
    const c = line[i];
    if (q) {
      if (c === '"') {
        if (line[i + 1] === '"') { f += '"'; i++; } else q = false;
      } else f += c;
    } else if (c === '"' && f === '') q = true;
    else if (c === ',') { out.push(f); f = ''; }
    else f += c;
  }
  out.push(f);
  return out;
}
function point(lon, lat) {
  const b = Buffer.alloc(29);
  b[0] = 0x47; b[1] = 0x50; b[2] = 0; b[3] = 1;
  b.writeInt32LE(4326, 4);
  b[8] = 1;
  b.writeUInt32LE(1, 9);
  b.writeDoubleLE(lon, 13);
  b.writeDoubleLE(lat, 21);
  return b;
}
parentPort.on('message', (m) => {
  try {
    if (m.type === 'rows') {
      const coords = m.coords;
      let blob = 0;
      for (let k = 0; k < m.lines.length; k++) {
        const f = split(m.lines[k]);
        const kind = m.kinds[k];
        const row = new Array(kind === 0 ? n + 1 : n + 2);
        let at = 1;
        if (kind === 0) row[0] = ++wids;
        else {
          row[0] = ++fids;
          row[1] = kind === 1 ? point(coords[2 * k], coords[2 * k + 1]) : m.blobs[blob++];
          at = 2;
        }
        for (let i = 0; i < n; i++) {
          const v = f[i];
          const x = v === undefined || v === '' ? null : types[i] === 't' ? v : Number(v);
          row[at + i] = typeof x === 'number' && Number.isNaN(x) ? v : x;
        }
        (kind === 0 ? withheld : feature).run(row);
      }
      parentPort.postMessage({ type: 'ack' });
    } else if (m.type === 'end') {
      db.exec('COMMIT');
      db.close();
      parentPort.postMessage({ type: 'done' });
    }
  } catch (e) {
    try { if (db.inTransaction) db.exec('ROLLBACK'); db.close(); } catch (_) {}
    parentPort.postMessage({ type: 'error', message: String((e && e.message) || e) });
  }
});
`;

/** The first 13 bytes of a 2D point blob as encodeGpkg writes it in EPSG:4326 (the worker rebuilds those from coordinates). */
const POINT_PREFIX = [0x47, 0x50, 0, 1, 0xe6, 0x10, 0, 0, 1, 1, 0, 0, 0];
const isCanonicalPoint = (b: Uint8Array) => b.length === 29 && POINT_PREFIX.every((x, i) => b[i] === x);

/**
 * The bundle's GeoPackage, written fresh (never a copy of the workspace edited in place) with
 * `PRAGMA secure_delete`, so that no freed page can keep a byte of anything deleted while it is
 * built. Records with a published geometry go to the `observations` layer (EPSG:4326, any
 * geometry type: points for precise records, the area's polygons for generalised ones); withheld
 * records, which have none, to the `observations_withheld` attributes table. Dates in the
 * GeoPackage tables (`last_change`, metadata reference timestamps) are the bundle's `asOf`.
 *
 * The inserts run in a worker thread while the pass goes on writing the text files: on the
 * parks' two-core machines this halves the GeoPackage's share of a build. The tables are created
 * before the worker starts and the spatial index, extent and metadata are added after it ends, by
 * this thread, on the same file.
 */
export class GpkgSink implements RecordSink {
  private readonly fields: ReturnType<typeof indexed>;
  private readonly worker: Worker;
  private readonly envelopes = new WeakMap<Uint8Array, { minX: number; maxX: number; minY: number; maxY: number } | null>();
  private lines: string[] = [];
  private kinds: number[] = [];
  private coords = new Float64Array(BATCH * 2);
  private blobs: Uint8Array[] = [];
  private inFlight = 0;
  private failure: Error | null = null;
  private waiting: (() => void) | null = null;
  private finished: Promise<void>;
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
    const columns = this.fields.map((f) => ({ name: f.name, type: GPKG_TYPE[f.field.type] ?? 'TEXT' }));
    try {
      db.pragma('secure_delete = ON');
      db.pragma('journal_mode = OFF');
      db.exec('BEGIN');
      createCoreTables(db);
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
      db.exec('COMMIT');
    } finally {
      db.close();
    }
    const names = columns.map((c) => quoteId(c.name)).join(', ');
    const marks = columns.map(() => '?').join(', ');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        path,
        base: import.meta.url,
        featureSql: `INSERT INTO ${GPKG_LAYER} (fid, geom, ${names}) VALUES (?, ?, ${marks})`,
        withheldSql: `INSERT INTO ${GPKG_WITHHELD} (fid, ${names}) VALUES (?, ${marks})`,
        types: this.fields.map((f) => (f.field.type === 'integer' || f.field.type === 'number' ? 'n' : 't')),
      },
    });
    let done: () => void = () => {};
    let failed: (e: Error) => void = () => {};
    this.finished = new Promise<void>((resolve, reject) => {
      done = resolve;
      failed = reject;
    });
    this.finished.catch(() => {});
    this.worker.on('message', (m: { type: string; message?: string }) => {
      if (m.type === 'ack') {
        this.inFlight--;
        const w = this.waiting;
        this.waiting = null;
        w?.();
      } else if (m.type === 'done') done();
      else if (m.type === 'error') {
        this.failure = new AppError('INTERNAL', `Writing the bundle's GeoPackage failed: ${m.message ?? ''}`, { key: 'errors.INTERNAL', params: { message: m.message ?? '' } });
        failed(this.failure);
        const w = this.waiting;
        this.waiting = null;
        w?.();
      }
    });
    this.worker.on('error', (e) => {
      this.failure = e;
      failed(e);
    });
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

  /**
   * Adds a record, given its canonical CSV line (CsvSink): the GeoPackage's columns are the CSV's
   * without the last one (`wkt`), in the same order.
   */
  add(r: BundleRecord, line: string): void {
    if (this.failure) throw this.failure;
    const k = this.lines.length;
    this.lines.push(line);
    const g = r.gpkgGeometry;
    if (!g) {
      this.kinds.push(0);
      this.nWithheld++;
    } else {
      const fid = ++this.nFeatures;
      if (isCanonicalPoint(g)) {
        const view = new DataView(g.buffer, g.byteOffset, 29);
        this.coords[2 * k] = view.getFloat64(13, true);
        this.coords[2 * k + 1] = view.getFloat64(21, true);
        this.kinds.push(1);
      } else {
        this.blobs.push(g);
        this.kinds.push(2);
      }
      const env = this.envelope(g);
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
    }
    if (this.lines.length >= BATCH) this.send();
  }

  private send(): void {
    if (this.lines.length === 0) return;
    const coords = this.coords;
    this.worker.postMessage({ type: 'rows', lines: this.lines, kinds: this.kinds, coords, blobs: this.blobs }, [coords.buffer]);
    this.lines = [];
    this.kinds = [];
    this.coords = new Float64Array(BATCH * 2);
    this.blobs = [];
    this.inFlight++;
  }

  /** Waits while the writer thread is too far behind (bounded memory). */
  async backpressure(): Promise<void> {
    while (this.inFlight > IN_FLIGHT && !this.failure) await new Promise<void>((resolve) => (this.waiting = resolve));
    if (this.failure) throw this.failure;
  }

  /**
   * Waits for the writer, then builds the spatial index, stamps the tables with `asOf`, adds the
   * ISO 19139 record as the layer's metadata (GeoPackage metadata extension), and closes.
   */
  async close(isoRecord: string | null): Promise<{ features: number; withheld: number }> {
    this.send();
    this.worker.postMessage({ type: 'end' });
    try {
      await this.finished;
    } finally {
      await this.worker.terminate();
    }
    const db = new Database(this.path);
    try {
      registerGpkgFunctions(db);
      db.pragma('secure_delete = ON');
      db.pragma('journal_mode = OFF');
      db.exec('BEGIN');
      createRtree(db, GPKG_LAYER, 'geom', 'fid');
      bulkLoadRtree(db, `rtree_${GPKG_LAYER}_geom`, { count: this.indexed, ids: this.ids, boxes: this.boxes });
      refreshContentsExtent(db, GPKG_LAYER, 'geom');
      if (isoRecord) {
        createMetadataExtension(db);
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

  /** Stops the writer (a failed or cancelled build; the file is thrown away with the staging folder). */
  abort(): void {
    void this.worker.terminate();
  }
}
