import { closeSync, openSync, readSync, statSync } from 'node:fs';
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
}

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
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('NOT_FOUND', `No file at ${path}`, { key: 'errors.FILE_NOT_FOUND', params: { path }, where: path });
    throw new AppError('UNREADABLE', `Cannot read ${path}: ${code ?? String(e)}`, { key: 'errors.FILE_UNREADABLE', params: { path, reason: code ?? '' }, where: path, cause: e });
  }
  const header = Buffer.alloc(100);
  let read = 0;
  try {
    const fd = openSync(path, 'r');
    try {
      read = readSync(fd, header, 0, 100, 0);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppError('UNREADABLE', `Cannot read ${path}: ${code ?? String(e)}`, { key: 'errors.FILE_UNREADABLE', params: { path, reason: code ?? '' }, where: path, cause: e });
  }
  if (read < 16 || header.toString('latin1', 0, 16) !== SQLITE_MAGIC) {
    throw new AppError('NOT_SQLITE', `${path} is not an SQLite database (and so not a GeoPackage)`, {
      key: 'errors.NOT_SQLITE',
      params: { path },
      where: path,
    });
  }
  if (read < 100) {
    throw new AppError('CORRUPT', `${path} is cut short: ${size} bytes, less than an SQLite header`, { key: 'errors.TRUNCATED', params: { path, size, expected: 100 }, where: path });
  }
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  const changeCounter = header.readUInt32BE(24);
  const inHeaderSize = header.readUInt32BE(28);
  const validFor = header.readUInt32BE(92);
  // The in-header size is trustworthy only when written by SQLite ≥ 3.7.0 (valid-for = change counter).
  const pageCount = inHeaderSize > 0 && validFor === changeCounter ? inHeaderSize : null;
  if (pageCount !== null && size < pageCount * pageSize) {
    throw new AppError('CORRUPT', `${path} is cut short: ${size} bytes, the database says ${pageCount * pageSize}`, {
      key: 'errors.TRUNCATED',
      params: { path, size, expected: pageCount * pageSize },
      where: path,
    });
  }
  return { pageSize, pageCount, fileSize: size, applicationId: header.readInt32BE(68), userVersion: header.readInt32BE(60) };
}

/** Maps an SQLite error raised while opening or reading `path` to an AppError. */
export function sqliteError(e: unknown, path: string): AppError {
  if (e instanceof AppError) return e;
  const code = (e as { code?: string }).code ?? '';
  const msg = e instanceof Error ? e.message : String(e);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new AppError('LOCKED', `${path} is locked by another program (${msg})`, { key: 'errors.LOCKED', params: { path }, where: path, cause: e });
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return new AppError('CORRUPT', `${path} is damaged: ${msg}`, { key: 'errors.CORRUPT', params: { path, reason: msg }, where: path, cause: e });
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM' || code === 'SQLITE_READONLY' || code === 'SQLITE_IOERR') {
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
