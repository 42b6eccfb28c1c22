import type Database from 'better-sqlite3';
import { AppError } from '../errors.js';
import { quoteId } from '../gpkg/identifiers.js';
import { AREA_V2_COLUMNS, createV2Tables, DATASET_V2_COLUMNS } from './format-v2.js';
import { addV3Columns, createV3Tables, fillListBases } from './format-v3.js';
import { createCleanupTables } from '../cleanup/schema.js';
import { createSensitivityTables } from '../sensitivity/schema.js';
import { createPublishTables } from '../publish/schema.js';
import { appendAudit, putMeta, T, WORKSPACE_FORMAT_VERSION } from './format.js';

type Db = Database.Database;

/** One step: brings a file from `from` to `from + 1`, inside the caller's transaction. */
interface Migration {
  readonly from: number;
  readonly what: string;
  run(db: Db): void;
}

const MIGRATIONS: readonly Migration[] = [
  {
    from: 1,
    what: 'GeoNature metadata, nomenclatures, taxref, sensitivity rules, change journal (issue 4)',
    run(db) {
      const add = (table: string, cols: readonly { name: string; type: string }[]) => {
        const have = new Set((db.prepare(`PRAGMA table_info(${quoteId(table)})`).all() as Array<{ name: string }>).map((c) => c.name));
        for (const c of cols) if (!have.has(c.name)) db.exec(`ALTER TABLE ${quoteId(table)} ADD COLUMN ${quoteId(c.name)} ${c.type}`);
      };
      add(T.datasets, DATASET_V2_COLUMNS);
      add(T.areas, AREA_V2_COLUMNS);
      createV2Tables(db);
    },
  },
  {
    from: 2,
    what: 'SINP metadata: CA/JDD publications, territory description, additional attributes, list bases; observation source and producer; undo stack; gpkg_metadata (issue 5)',
    run(db) {
      addV3Columns(db);
      createV3Tables(db);
      fillListBases(db);
    },
  },
  {
    from: 3,
    what: 'Cleanup: imports with their mapping, imported rows and extra fields, rejected rows, fixes (issue 8)',
    run(db) {
      createCleanupTables(db);
    },
  },
  {
    from: 4,
    what: 'Sensitivity: loaded referentials, their rules and local rules, taxonomy rows, overrides with justification, checks and per-observation results (issue 6)',
    run(db) {
      createSensitivityTables(db);
    },
  },
  {
    from: 5,
    what: 'Publishing history: datasets and records the bundles became at each portal, their resource ids and checksums, every publication (issue 9)',
    run(db) {
      createPublishTables(db);
    },
  },
];

/**
 * Brings a workspace opened for writing up to the current format, in one transaction: a
 * failure leaves the file exactly as it was. Returns the version it had.
 */
export function migrateWorkspace(db: Db, path: string, from: number, actor = 'passerelle'): number {
  if (from >= WORKSPACE_FORMAT_VERSION) return from;
  db.exec('BEGIN IMMEDIATE');
  try {
    let v = from;
    while (v < WORKSPACE_FORMAT_VERSION) {
      const step = MIGRATIONS.find((m) => m.from === v);
      if (!step) throw new Error(`no migration from format ${v}`);
      step.run(db);
      v++;
    }
    putMeta(db, 'format_version', String(WORKSPACE_FORMAT_VERSION));
    appendAudit(db, { actor, action: 'migrate', entity: 'workspace', before: { formatVersion: from }, after: { formatVersion: WORKSPACE_FORMAT_VERSION } });
    db.exec('COMMIT');
    return from;
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (e instanceof AppError) throw e;
    const reason = e instanceof Error ? e.message : String(e);
    throw new AppError('CORRUPT', `${path}: cannot migrate the workspace from format ${from} to ${WORKSPACE_FORMAT_VERSION}: ${reason}`, {
      key: 'errors.WORKSPACE_MIGRATION_FAILED',
      params: { path, from, to: WORKSPACE_FORMAT_VERSION, reason },
      where: path,
      cause: e,
    });
  }
}

/** True when the table exists (read-only opens of an older file may lack the newer tables). */
export function hasTable(db: Db, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}
