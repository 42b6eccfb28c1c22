import type Database from 'better-sqlite3';
import { identifyGpkg, type GpkgIdentity } from './detect.js';
import { openReadOnly, sqliteError, type ReadOnlyFile } from './open.js';

/** A GeoPackage opened for reading: the connection, what the file is, and how to close it. */
export interface GpkgSource {
  readonly db: Database.Database;
  readonly path: string;
  readonly file: ReadOnlyFile;
  readonly identity: GpkgIdentity;
  close(): void;
}

/**
 * Opens a GeoPackage read-only (never leaving a trace next to it) and checks it is one.
 *
 * Fails with NOT_FOUND, UNREADABLE, NOT_SQLITE, TRUNCATED, CORRUPT, LOCKED, SPATIALITE or
 * NOT_GEOPACKAGE, each with a message that names the file.
 */
export function openGpkgSource(path: string): GpkgSource {
  const file = openReadOnly(path);
  try {
    const identity = identifyGpkg(file.db, file.header, path);
    return { db: file.db, path, file, identity, close: () => file.close() };
  } catch (e) {
    file.close();
    throw sqliteError(e, path);
  }
}

/** Runs `fn` on a GeoPackage opened read-only, and closes it whatever happens. */
export function withGpkgSource<T>(path: string, fn: (src: GpkgSource) => T): T {
  const src = openGpkgSource(path);
  try {
    return fn(src);
  } catch (e) {
    throw sqliteError(e, path);
  } finally {
    src.close();
  }
}
