import type Database from 'better-sqlite3';
import { AppError } from '../errors.js';
import { openReadOnly, openSqlite, sqliteError } from '../gpkg/open.js';
import { readMeta, T, WORKSPACE_FORMAT_VERSION } from './format.js';
import { migrateWorkspace } from './migrations.js';

type Db = Database.Database;

export interface OpenWorkspace {
  readonly db: Db;
  readonly path: string;
  readonly formatVersion: number;
  readonly meta: Map<string, string | null>;
  close(): void;
}

const GPKG_IDS = new Set([0x47504b47 /* GPKG */, 0x47503130 /* GP10 */, 0x47503131 /* GP11 */]);

/**
 * Opens a Passerelle workspace, read-only unless `write` is set.
 *
 * Says precisely what is wrong otherwise: not SQLite, not a GeoPackage, a GeoPackage
 * that is not a workspace, or a workspace from a newer Passerelle.
 */
export function openWorkspace(path: string, opts: { write?: boolean } = {}): OpenWorkspace {
  // Read-only opens go through openReadOnly: a WAL-mode file must not get -wal/-shm beside it.
  const file = opts.write ? null : openReadOnly(path);
  const db = file ? file.db : openSqlite(path, opts);
  const close = () => (file ? file.close() : db.close());
  try {
    const appId = db.pragma('application_id', { simple: true }) as number;
    const hasContents = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_contents'").get();
    if (!GPKG_IDS.has(appId >>> 0) && !hasContents) {
      throw new AppError('NOT_GEOPACKAGE', `${path} is an SQLite database but not a GeoPackage`, { key: 'errors.NOT_GEOPACKAGE', params: { path }, where: path });
    }
    const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(T.meta);
    if (!hasMeta) {
      throw new AppError('NOT_A_WORKSPACE', `${path} is a GeoPackage but not a Passerelle workspace (no ${T.meta} table)`, {
        key: 'errors.NOT_A_WORKSPACE',
        params: { path },
        where: path,
      });
    }
    const meta = readMeta(db);
    const version = Number(meta.get('format_version'));
    if (!Number.isInteger(version) || version < 1) {
      throw new AppError('CORRUPT', `${path}: the workspace format version is missing or unreadable`, { key: 'errors.WORKSPACE_VERSION_UNREADABLE', params: { path }, where: path });
    }
    if (version > WORKSPACE_FORMAT_VERSION) {
      throw new AppError('WORKSPACE_TOO_NEW', `${path} was written by a newer Passerelle (format ${version}; this one reads up to ${WORKSPACE_FORMAT_VERSION})`, {
        key: 'errors.WORKSPACE_TOO_NEW',
        params: { path, version, supported: WORKSPACE_FORMAT_VERSION },
        where: path,
      });
    }
    if (opts.write && version < WORKSPACE_FORMAT_VERSION) {
      // Writing needs the current tables: an older file is migrated in one transaction first.
      // Read-only opens leave it as it is; readers check for the tables they need (hasTable).
      migrateWorkspace(db, path, version);
      return { db, path, formatVersion: WORKSPACE_FORMAT_VERSION, meta: readMeta(db), close };
    }
    return { db, path, formatVersion: version, meta, close };
  } catch (e) {
    close();
    throw sqliteError(e, path);
  }
}

/**
 * Runs `fn` in one write transaction of the workspace (BEGIN IMMEDIATE … COMMIT) and closes it.
 * Rolled back on an error or a cancel, and on a dry run (`dryRun`: the very same code runs, so a
 * preview is exactly what applying would do). `beforeCommit` runs last inside the transaction.
 * An older file is migrated first (as any write-open does).
 *
 * Driven by hand rather than with better-sqlite3's `transaction()` wrapper because long
 * operations await `ctx.checkpoint()` (progress, cancel) inside it.
 */
export async function inWriteTransaction<T>(path: string, fn: (db: Db) => Promise<T> | T, opts: { dryRun?: boolean; beforeCommit?: (db: Db) => void } = {}): Promise<T> {
  const ws = openWorkspace(path, { write: true });
  try {
    ws.db.exec('BEGIN IMMEDIATE');
    try {
      const out = await fn(ws.db);
      if (opts.dryRun) {
        ws.db.exec('ROLLBACK');
      } else {
        opts.beforeCommit?.(ws.db);
        ws.db.exec('COMMIT');
      }
      return out;
    } catch (e) {
      if (ws.db.inTransaction) ws.db.exec('ROLLBACK');
      throw e;
    }
  } finally {
    ws.close();
  }
}
