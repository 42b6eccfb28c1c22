import { copyFileSync, existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { AppError } from '../errors.js';
import { writeAtomically } from '../files/atomic.js';
import { hasObject } from './catalog.js';
import { blobEnvelope, encodeGpkg } from './geometry/gpkg-binary.js';
import { envelopeOf, type Geometry } from './geometry/model.js';
import { quoteId } from './identifiers.js';
import { bulkLoadRtree } from './rtree-bulk.js';
import { inspectSqliteHeader } from './open.js';
import { createCoreTables, createFeatureTable, createRtree, refreshContentsExtent, type ColumnDef } from './schema.js';
import { registerGpkgFunctions } from './sql-functions.js';

type Db = Database.Database;

/** A coordinate system to declare in gpkg_spatial_ref_sys. */
export interface SrsSpec {
  srsId: number;
  name: string;
  organization: string;
  organizationCode: number;
  /** WKT (GDAL's exportToWkt) or "undefined" for -1 / 0. */
  definition: string;
  description?: string | null;
}

/** A feature layer to write. */
export interface LayerSpec {
  name: string;
  identifier?: string;
  description?: string;
  /** @default 'geom' */
  geometryColumn?: string;
  /** Upper-case type name (POINT, MULTIPOLYGON, GEOMETRY…). */
  geometryType: string;
  srs: SrsSpec;
  z?: 0 | 1 | 2;
  m?: 0 | 1 | 2;
  /** Attribute columns (not the fid, not the geometry), in the order of `values`. */
  columns: readonly ColumnDef[];
}

/**
 * A feature to write. `geometry` is a model geometry, or a GeoPackage blob already
 * encoded for this layer's srs_id (the fast path of a GeoPackage-to-GeoPackage copy).
 */
export interface WriteFeature {
  fid?: number | null;
  geometry: Geometry | Uint8Array | null;
  values: readonly unknown[];
}

/** What the writer asks of its caller while it writes (progress, cancel). */
export interface WriteHooks {
  checkpoint(): Promise<void>;
  progress(done: number, total: number | null, message: string): void;
}

const NO_HOOKS: WriteHooks = { checkpoint: async () => {}, progress: () => {} };

/** One layer to write and its features (any iterable: an array, a generator, a GDAL reader). */
export interface LayerInput {
  spec: LayerSpec;
  features: Iterable<WriteFeature> | AsyncIterable<WriteFeature>;
  /** Expected number of features, for progress (null when unknown). */
  total?: number | null;
}

/** What was written, per layer. */
export interface WrittenLayer {
  name: string;
  features: number;
}

function sqlValue(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string' || v instanceof Uint8Array) return v;
  return JSON.stringify(v);
}

function ensureSrs(db: Db, srs: SrsSpec): void {
  const existing = db.prepare('SELECT srs_id FROM gpkg_spatial_ref_sys WHERE srs_id = ?').get(srs.srsId);
  if (existing) return;
  db.prepare(
    'INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(srs.name, srs.srsId, srs.organization, srs.organizationCode, srs.definition, srs.description ?? null);
}

async function writeLayer(db: Db, input: LayerInput, hooks: WriteHooks): Promise<WrittenLayer> {
  const spec = input.spec;
  const geomCol = spec.geometryColumn ?? 'geom';
  if (hasObject(db, spec.name)) {
    throw new AppError('CONFLICT', `The GeoPackage already has a table "${spec.name}"`, { key: 'errors.GPKG_LAYER_EXISTS', params: { layer: spec.name }, where: spec.name });
  }
  const names = new Set<string>(['fid', geomCol.toLowerCase()]);
  for (const c of spec.columns) {
    if (names.has(c.name.toLowerCase())) {
      throw new AppError('INVALID_INPUT', `Layer "${spec.name}" has the column "${c.name}" twice (names are case-insensitive in SQLite)`, {
        key: 'errors.GPKG_DUPLICATE_COLUMN',
        params: { layer: spec.name, column: c.name },
      });
    }
    names.add(c.name.toLowerCase());
  }
  ensureSrs(db, spec.srs);
  createFeatureTable(
    db,
    {
      table: spec.name,
      identifier: spec.identifier ?? spec.name,
      description: spec.description ?? '',
      geometryColumn: geomCol,
      geometryType: spec.geometryType,
      srsId: spec.srs.srsId,
      z: spec.z ?? 0,
      m: spec.m ?? 0,
      columns: spec.columns,
    },
    { rtree: false },
  );
  const cols = ['fid', geomCol, ...spec.columns.map((c) => c.name)];
  const insert = db.prepare(`INSERT INTO ${quoteId(spec.name)} (${cols.map(quoteId).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
  // Envelopes gathered while inserting, to fill the rtree in one pass afterwards.
  let ids = new Float64Array(1024);
  let boxes = new Float64Array(4096);
  let indexed = 0;
  let n = 0;
  const params: unknown[] = new Array(cols.length);
  const add = (f: WriteFeature): void => {
    let blob: Uint8Array | null = null;
    let env: { minX: number; minY: number; maxX: number; maxY: number } | null = null;
    if (f.geometry instanceof Uint8Array) {
      blob = f.geometry;
      env = blobEnvelope(blob);
    } else if (f.geometry) {
      blob = encodeGpkg(f.geometry, spec.srs.srsId);
      env = envelopeOf(f.geometry);
    }
    params[0] = f.fid ?? null;
    params[1] = blob;
    for (let i = 0; i < spec.columns.length; i++) params[i + 2] = sqlValue(f.values[i]);
    const info = insert.run(...params);
    if (env && Number.isFinite(env.minX) && Number.isFinite(env.minY)) {
      if (indexed === ids.length) {
        const nid = new Float64Array(ids.length * 2);
        nid.set(ids);
        ids = nid;
        const nb = new Float64Array(boxes.length * 2);
        nb.set(boxes);
        boxes = nb;
      }
      ids[indexed] = Number(info.lastInsertRowid);
      const o = indexed * 4;
      boxes[o] = env.minX;
      boxes[o + 1] = env.maxX;
      boxes[o + 2] = env.minY;
      boxes[o + 3] = env.maxY;
      indexed++;
    }
  };
  // A synchronous source (a generator over another GeoPackage, an array) is read without an
  // await per feature: a million awaits cost about a second.
  const features = input.features;
  if (Symbol.iterator in features) {
    for (const f of features) {
      add(f);
      if (++n % 1000 === 0) {
        hooks.progress(n, input.total ?? null, spec.name);
        await hooks.checkpoint();
      }
    }
  } else {
    for await (const f of features) {
      add(f);
      if (++n % 1000 === 0) {
        hooks.progress(n, input.total ?? null, spec.name);
        await hooks.checkpoint();
      }
    }
  }
  createRtree(db, spec.name, geomCol, 'fid');
  bulkLoadRtree(db, `rtree_${spec.name}_${geomCol}`, { count: indexed, ids, boxes });
  refreshContentsExtent(db, spec.name, geomCol);
  hooks.progress(n, n, spec.name);
  return { name: spec.name, features: n };
}

/**
 * Writes feature layers to a GeoPackage, spec-compliant and atomically.
 *
 * `create` builds a new file; `append` adds layers to a copy of an existing one. Either
 * way everything happens in one transaction on a temporary file next to `target`, renamed
 * over it only on success: a failure or a cancel leaves `target` as it was. Each layer
 * gets its SRS row, its gpkg_contents row with extent, its gpkg_geometry_columns row, an
 * rtree spatial index with the spec's triggers, and the gpkg_rtree_index extension row.
 */
export async function writeGpkg(target: string, layers: readonly LayerInput[], opts: { mode: 'create' | 'append'; overwrite?: boolean }, hooks: WriteHooks = NO_HOOKS): Promise<WrittenLayer[]> {
  const exists = existsSync(target);
  if (opts.mode === 'create' && exists && !opts.overwrite) {
    throw new AppError('CONFLICT', `${target} already exists`, { key: 'errors.FILE_EXISTS', params: { path: target }, where: target });
  }
  if (opts.mode === 'append') {
    if (!exists) throw new AppError('NOT_FOUND', `No file at ${target}`, { key: 'errors.FILE_NOT_FOUND', params: { path: target }, where: target });
    inspectSqliteHeader(target);
  }
  return writeAtomically(target, async (tmp) => {
    if (opts.mode === 'append') copyFileSync(target, tmp);
    const db = new Database(tmp);
    try {
      registerGpkgFunctions(db);
      // The temporary file is our safety net: no rollback journal needed while filling it.
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      db.pragma('cache_size = -65536');
      db.exec('BEGIN');
      const written: WrittenLayer[] = [];
      try {
        if (opts.mode === 'create') createCoreTables(db);
        for (const l of layers) written.push(await writeLayer(db, l, hooks));
        db.exec('COMMIT');
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw e;
      }
      db.pragma('journal_mode = DELETE');
      return written;
    } finally {
      db.close();
    }
  });
}
