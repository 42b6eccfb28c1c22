import { closeSync, fsyncSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { AppError } from '../errors.js';
import { writeAtomically } from '../files/atomic.js';
import { registerGpkgFunctions } from '../gpkg/sql-functions.js';
import { refreshContentsExtent } from '../gpkg/schema.js';
import { quoteId } from '../gpkg/identifiers.js';
import { appendAudit, AREAS_GEOM, createWorkspaceRtrees, createWorkspaceSchema, OBS_GEOM, T } from './format.js';

type Db = Database.Database;

export interface NewWorkspace {
  title: string;
  source: string | null;
  localSrid: number | null;
  actor: string;
}

/** How createWorkspaceFile writes. */
export interface CreateOptions {
  /**
   * A bulk fill (a pull of up to millions of rows): no rollback journal and no fsync while
   * filling (the temporary file is thrown away on any failure anyway), rtree indexes built once
   * after the rows, no VACUUM (a fresh file has nothing to reclaim), a quick_check instead of a
   * full integrity_check, and one fsync before the rename.
   */
  bulk?: boolean;
  /** Other files attached (read only by `fill`) under these schema names; ATTACH cannot run inside the transaction. */
  attach?: Record<string, string>;
  /** Audit entry of the creation (default: "create workspace"). */
  audit?: { action: string; after: unknown };
}

/**
 * Creates a workspace file at `target`, filled by `fill`, atomically.
 *
 * Everything is written to a temporary file in one transaction, compacted, and renamed
 * over `target` only when complete: a failure or a cancel leaves `target` as it was.
 */
export async function createWorkspaceFile(
  target: string,
  meta: NewWorkspace,
  fill: (db: Db) => Promise<void> | void,
  opts: CreateOptions = {},
): Promise<void> {
  await writeAtomically(target, async (tmp) => {
    const db = new Database(tmp);
    try {
      registerGpkgFunctions(db);
      if (opts.bulk) {
        db.pragma('journal_mode = OFF');
        db.pragma('synchronous = OFF');
        db.pragma('cache_size = -131072');
      } else {
        db.pragma('journal_mode = DELETE');
      }
      for (const [name, file] of Object.entries(opts.attach ?? {})) db.prepare(`ATTACH DATABASE ? AS ${quoteId(name)}`).run(file);
      db.exec('BEGIN');
      try {
        createWorkspaceSchema(db, { title: meta.title, source: meta.source, localSrid: meta.localSrid, createdBy: meta.actor }, { deferRtree: opts.bulk === true });
        await fill(db);
        if (opts.bulk) createWorkspaceRtrees(db);
        refreshContentsExtent(db, T.observations, OBS_GEOM);
        refreshContentsExtent(db, T.areas, AREAS_GEOM);
        appendAudit(db, { actor: meta.actor, action: opts.audit?.action ?? 'create', entity: 'workspace', after: opts.audit?.after ?? { title: meta.title, source: meta.source } });
        db.exec('COMMIT');
      } catch (e) {
        try {
          if (db.inTransaction) db.exec('ROLLBACK');
        } catch {
          // Without a journal (bulk) a rollback may fail: the temporary file is deleted anyway.
        }
        throw e;
      }
      for (const name of Object.keys(opts.attach ?? {})) db.exec(`DETACH DATABASE ${quoteId(name)}`);
      if (!opts.bulk) db.exec('VACUUM');
      const check = db.pragma(opts.bulk ? 'quick_check' : 'integrity_check', { simple: true });
      if (check !== 'ok') throw new AppError('INTERNAL', `The new workspace failed its integrity check: ${String(check)}`);
      if (opts.bulk) db.pragma('journal_mode = DELETE');
    } finally {
      db.close();
    }
    if (opts.bulk) {
      const fd = openSync(tmp, 'r+');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  });
}
