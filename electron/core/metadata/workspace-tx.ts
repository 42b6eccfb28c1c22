/**
 * How metadata operations open a workspace: read-only for views, or for writing in one
 * transaction (BEGIN IMMEDIATE … COMMIT) that also rewrites the gpkg_metadata records. A dry run
 * runs the very same code and rolls back, so a preview is exactly what applying would do.
 * The transaction is the workspace's (`inWriteTransaction`): a cancel rolls everything back.
 */
import type Database from 'better-sqlite3';
import { inWriteTransaction, openWorkspace, type OpenWorkspace } from '../workspace/open.js';
import { syncGpkgMetadata } from './gpkg-metadata.js';

type Db = Database.Database;

/** Runs `fn` on a read-only open of the workspace. */
export function readWorkspace<T>(path: string, fn: (db: Db, ws: OpenWorkspace) => T): T {
  const ws = openWorkspace(path);
  try {
    return fn(ws.db, ws);
  } finally {
    ws.close();
  }
}

/**
 * Runs `fn` in one write transaction: committed (with the gpkg_metadata records rewritten) unless
 * `dryRun`, rolled back on a dry run, an error or a cancel. An older file is migrated first (as any
 * write-open does).
 */
export async function writeWorkspace<T>(path: string, dryRun: boolean, fn: (db: Db) => Promise<T> | T): Promise<T> {
  return inWriteTransaction(path, fn, { dryRun, beforeCommit: syncGpkgMetadata });
}
