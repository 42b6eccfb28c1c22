import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../errors.js';
import { registerGpkgFunctions } from './sql-functions.js';

type Db = Database.Database;

const SQLITE_MAGIC = 'SQLite format 3\u0000';

/** What the first 100 bytes of a file say about it. */
export interface SqliteHeaderInfo {
  pageSize: number;
  /** Pages the header claims, when the header's "in-header database size" is valid. */
  pageCount: number | null;
  fileSize: number;
  applicationId: number;
  userVersion: number;
  /** Header bytes 18-19 are 2: the file is in WAL journal mode. */
  wal: boolean;
}

// GDAL's text dumps of GeoPackages start with this line (autotest/ogr/data/gpkg/*.gpkg.sql).
const GDAL_SQL_DUMP = '-- SQL GPKG';

/**
 * Checks that `path` is a readable, complete SQLite file before SQLite touches it.
 *
 * SQLite itself reports "file is not a database" for every one of these cases; doing the
 * checks first lets us say which one it is (missing, a folder, not SQLite, cut short).
 */
export function inspectSqliteHeader(path: string): SqliteHeaderInfo {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new AppError('UNREADABLE', `${path} is a folder, not a file`, { key: 'errors.IS_DIRECTORY', params: { path }, where: path });
    size = st.size;
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw fileError(e, path);
  }
  const header = Buffer.alloc(100);
  let read: number;
  try {
    const fd = openSync(path, 'r');
    try {
      read = readSync(fd, header, 0, 100, 0);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw fileError(e, path);
  }
  if (read < 16 || header.toString('latin1', 0, 16) !== SQLITE_MAGIC) {
    if (header.toString('latin1', 0, GDAL_SQL_DUMP.length) === GDAL_SQL_DUMP) {
      throw new AppError('NOT_SQLITE', `${path} is a GDAL SQL text dump of a GeoPackage, not a GeoPackage file: convert it with "passerelle gpkg convert" first`, {
        key: 'errors.GPKG_SQL_DUMP',
        params: { path },
        where: path,
      });
    }
    throw new AppError('NOT_SQLITE', `${path} is not an SQLite database (and so not a GeoPackage): its first bytes are not "SQLite format 3"`, {
      key: 'errors.NOT_SQLITE',
      params: { path },
      where: path,
    });
  }
  if (read < 100) {
    throw new AppError('TRUNCATED', `${path} is cut short: ${size} bytes, less than an SQLite header`, { key: 'errors.TRUNCATED', params: { path, size, expected: 100 }, where: path });
  }
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  const changeCounter = header.readUInt32BE(24);
  const inHeaderSize = header.readUInt32BE(28);
  const validFor = header.readUInt32BE(92);
  // The in-header size is trustworthy only when written by SQLite ≥ 3.7.0 (valid-for = change counter).
  const pageCount = inHeaderSize > 0 && validFor === changeCounter ? inHeaderSize : null;
  const expected = pageCount !== null ? pageCount * pageSize : Math.ceil(size / pageSize) * pageSize;
  // A database is a whole number of pages: a partial last page means the copy was cut.
  if (size < expected || (pageSize >= 512 && size % pageSize !== 0)) {
    throw new AppError('TRUNCATED', `${path} is cut short: ${size} bytes, the database says ${expected} (an interrupted copy or download?)`, {
      key: 'errors.TRUNCATED',
      params: { path, size, expected },
      where: path,
    });
  }
  return {
    pageSize,
    pageCount,
    fileSize: size,
    applicationId: header.readInt32BE(68),
    userVersion: header.readInt32BE(60),
    wal: header[18] === 2 || header[19] === 2,
  };
}

/** Maps a file-system error on `path` to an AppError that says what happened. */
function fileError(e: unknown, path: string): AppError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new AppError('NOT_FOUND', `No file at ${path}`, { key: 'errors.FILE_NOT_FOUND', params: { path }, where: path, cause: e });
  // Windows reports a file another program holds open exclusively as EBUSY (or EPERM on sharing violations).
  if (code === 'EBUSY') return new AppError('LOCKED', `${path} is locked by another program`, { key: 'errors.LOCKED', params: { path }, where: path, cause: e });
  return new AppError('UNREADABLE', `Cannot read ${path}: ${code ?? String(e)}`, { key: 'errors.FILE_UNREADABLE', params: { path, reason: code ?? '' }, where: path, cause: e });
}

/** Maps an SQLite error raised while opening or reading `path` to an AppError. */
export function sqliteError(e: unknown, path: string): AppError {
  if (e instanceof AppError) return e;
  const code = (e as { code?: string }).code ?? '';
  const msg = e instanceof Error ? e.message : String(e);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new AppError('LOCKED', `${path} is locked by another program (${msg})`, { key: 'errors.LOCKED', params: { path }, where: path, cause: e });
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new AppError('CORRUPT', `${path} is damaged: ${msg}`, { key: 'errors.CORRUPT', params: { path, reason: msg }, where: path, cause: e });
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_IOERR')) {
    return new AppError('UNREADABLE', `Cannot open ${path}: ${msg}`, { key: 'errors.FILE_UNREADABLE', params: { path, reason: msg }, where: path, cause: e });
  }
  return new AppError('INTERNAL', `SQLite error on ${path}: ${msg}`, { key: 'errors.INTERNAL', params: { message: msg }, where: path, cause: e });
}

/**
 * Opens an SQLite/GeoPackage file. Read-only unless `write` is set: a source file is never
 * modified by looking at it.
 */
export function openSqlite(path: string, opts: { write?: boolean } = {}): Db {
  inspectSqliteHeader(path);
  let db: Db;
  try {
    db = new Database(path, { readonly: !opts.write, fileMustExist: true, timeout: 2000 });
    // Touch the schema now, so a damaged or locked file fails here with a clear error.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    throw sqliteError(e, path);
  }
  registerGpkgFunctions(db);
  return db;
}

/** A file opened read-only, possibly through a private copy; `close()` also removes the copy. */
export interface ReadOnlyFile {
  readonly db: Db;
  /** The user's path (never the copy's). */
  readonly path: string;
  readonly header: SqliteHeaderInfo;
  /** The folder of the private copy, when the file had to be copied (WAL mode, a pending journal). */
  readonly snapshotDir: string | null;
  close(): void;
}

/**
 * Opens an SQLite/GeoPackage file read-only without leaving any trace next to it.
 *
 * A rollback-journal file is opened in place with SQLITE_OPEN_READONLY, which creates no
 * file. A WAL-mode file cannot be: even a read-only connection creates `-wal` and `-shm`
 * beside it (measured here), and joins the `-shm` of a program that has it open. SQLite's
 * `immutable=1` would avoid that, but better-sqlite3 is built without URI filenames. So a
 * WAL-mode file, or one with a `-wal` or `-journal` left beside it, is copied with those
 * files to a private temporary folder, and the copy is opened (SQLite then replays the WAL
 * or rolls back the journal in the copy, and our reads see what the writer committed).
 */
export function openReadOnly(path: string): ReadOnlyFile {
  const header = inspectSqliteHeader(path);
  const sides = ['-wal', '-journal'].filter((s) => existsSync(path + s));
  const needsCopy = header.wal || sides.length > 0;
  let dir: string | null = null;
  let target = path;
  if (needsCopy) {
    dir = mkdtempSync(join(tmpdir(), 'passerelle-read-'));
    target = join(dir, 'source.gpkg');
    try {
      copyFileSync(path, target);
      for (const side of sides) copyFileSync(path + side, target + side);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw fileError(e, path);
    }
  }
  let db: Db;
  try {
    // The copy is opened writable so SQLite may replay its WAL or roll back its journal;
    // query_only then forbids any change through this connection.
    db = new Database(target, { readonly: !needsCopy, fileMustExist: true, timeout: 2000 });
    if (needsCopy) db.pragma('query_only = 1');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    if (dir) rmSync(dir, { recursive: true, force: true });
    throw sqliteError(e, path);
  }
  registerGpkgFunctions(db);
  const snapshotDir = dir;
  return {
    db,
    path,
    header,
    snapshotDir,
    close() {
      if (db.open) db.close();
      if (snapshotDir) rmSync(snapshotDir, { recursive: true, force: true });
    },
  };
}
