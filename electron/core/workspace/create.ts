import Database from 'better-sqlite3';
import { AppError } from '../errors.js';
import { writeAtomically } from '../files/atomic.js';
import { registerGpkgFunctions } from '../gpkg/sql-functions.js';
import { refreshContentsExtent } from '../gpkg/schema.js';
import { appendAudit, AREAS_GEOM, createWorkspaceSchema, OBS_GEOM, T } from './format.js';

type Db = Database.Database;

export interface NewWorkspace {
  title: string;
  source: string | null;
  localSrid: number | null;
  actor: string;
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
): Promise<void> {
  await writeAtomically(target, async (tmp) => {
    const db = new Database(tmp);
    try {
      registerGpkgFunctions(db);
      db.pragma('journal_mode = DELETE');
      db.exec('BEGIN');
      try {
        createWorkspaceSchema(db, { title: meta.title, source: meta.source, localSrid: meta.localSrid, createdBy: meta.actor });
        await fill(db);
        refreshContentsExtent(db, T.observations, OBS_GEOM);
        refreshContentsExtent(db, T.areas, AREAS_GEOM);
        appendAudit(db, { actor: meta.actor, action: 'create', entity: 'workspace', after: { title: meta.title, source: meta.source } });
        db.exec('COMMIT');
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw e;
      }
      db.exec('VACUUM');
      const check = db.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new AppError('INTERNAL', `The new workspace failed its integrity check: ${String(check)}`);
    } finally {
      db.close();
    }
  });
}
