import type Database from 'better-sqlite3';
import { createAttributesTable } from '../gpkg/schema.js';

type Db = Database.Database;

/**
 * What the cleanup domain adds to a workspace (format 4, issue 8): the imports with their
 * mapping and provenance, each imported observation's source line and the synthese fields the
 * observation table has no column for, the rows an import kept aside, and the fixes (whose
 * before/after values are in passerelle_audit, linked by `job_id = clean-fix:<id>`).
 */
export const CT = {
  imports: 'cleanup_imports',
  rows: 'cleanup_rows',
  rejected: 'cleanup_rejected',
  fixes: 'cleanup_fixes',
} as const;

/** The audit entries of one cleanup operation carry this job id. */
export const fixAuditId = (id: number): string => `clean-fix:${id}`;
export const importAuditId = (id: number): string => `clean-import:${id}`;

/** Creates the cleanup tables a file lacks (new files and the 3 → 4 migration), in the caller's transaction. */
export function createCleanupTables(db: Db): void {
  const has = (t: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t) !== undefined;
  if (!has(CT.imports)) {
    createAttributesTable(db, {
      table: CT.imports,
      description: 'Files imported by the cleanup: provenance (file, checksum, encoding), mapping and counts',
      columns: [
        { name: 'at', type: 'DATETIME', notNull: true },
        { name: 'actor', type: 'TEXT', notNull: true },
        { name: 'file', type: 'TEXT', notNull: true },
        { name: 'file_sha256', type: 'TEXT' },
        { name: 'format', type: 'TEXT', notNull: true },
        { name: 'encoding', type: 'TEXT' },
        { name: 'delimiter', type: 'TEXT' },
        { name: 'layer', type: 'TEXT' },
        { name: 'mapping_json', type: 'TEXT', notNull: true },
        { name: 'rows_read', type: 'INTEGER', notNull: true },
        { name: 'rows_imported', type: 'INTEGER', notNull: true },
        { name: 'rows_rejected', type: 'INTEGER', notNull: true },
        { name: 'undone_at', type: 'DATETIME' },
      ],
    });
  }
  if (!has(CT.rows)) {
    createAttributesTable(db, {
      table: CT.rows,
      primaryKey: 'observation_fid',
      description: 'Imported observations: their import, source line, and synthese fields without a column (JSON)',
      columns: [
        { name: 'import_id', type: 'INTEGER', notNull: true },
        { name: 'source_line', type: 'INTEGER' },
        { name: 'extra_json', type: 'TEXT' },
      ],
    });
    db.exec(`CREATE INDEX ${CT.rows}_import ON ${CT.rows}(import_id)`);
  }
  if (!has(CT.rejected)) {
    createAttributesTable(db, {
      table: CT.rejected,
      description: 'Rows an import could not turn into observations, kept with their reason and raw text',
      columns: [
        { name: 'import_id', type: 'INTEGER', notNull: true },
        { name: 'source_line', type: 'INTEGER', notNull: true },
        { name: 'reason', type: 'TEXT', notNull: true },
        { name: 'detail', type: 'TEXT' },
        { name: 'raw_text', type: 'TEXT' },
        { name: 'values_json', type: 'TEXT' },
      ],
    });
    db.exec(`CREATE INDEX ${CT.rejected}_import ON ${CT.rejected}(import_id)`);
  }
  if (!has(CT.fixes)) {
    createAttributesTable(db, {
      table: CT.fixes,
      description: 'Bulk fixes applied by the cleanup; their before/after values are in passerelle_audit',
      columns: [
        { name: 'at', type: 'DATETIME', notNull: true },
        { name: 'actor', type: 'TEXT', notNull: true },
        { name: 'kind', type: 'TEXT', notNull: true },
        { name: 'params_json', type: 'TEXT', notNull: true },
        { name: 'rows_changed', type: 'INTEGER', notNull: true },
        { name: 'rows_deleted', type: 'INTEGER', notNull: true },
        { name: 'values_changed', type: 'INTEGER', notNull: true },
        { name: 'undone_at', type: 'DATETIME' },
      ],
    });
  }
  // Undo reads a fix's audit entries by job id.
  db.exec('CREATE INDEX IF NOT EXISTS passerelle_audit_job_id ON passerelle_audit(job_id)');
}

/** True when the workspace has the cleanup tables (a read-only open of an older file may not). */
export function hasCleanupTables(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(CT.imports) !== undefined;
}
