import type Database from 'better-sqlite3';
import { createAttributesTable } from '../gpkg/schema.js';
import { RESULT_COLUMNS } from './results-store.js';

type Db = Database.Database;

/**
 * What the sensitivity domain adds to a workspace (format 5, issue 6): the referentials loaded
 * from files (with their provenance and bad lines), their rules and the park's local rules, the
 * taxonomy rows loaded with them, the manual overrides with their justification, the checks run
 * (options, provenance of the rules used, summary) and the result of the last check for every
 * observation. Pulled `gn_sensitivity` rules stay in the format 2 tables (`sensitivity_rules`…).
 */
export const SENS = {
  referentials: 'sensitivity_referentials',
  rules: 'sensitivity_referential_rules',
  taxa: 'sensitivity_taxa',
  overrides: 'sensitivity_overrides',
  checks: 'sensitivity_checks',
  results: 'sensitivity_results',
} as const;

/** Creates the sensitivity tables a file lacks (new files and the 4 → 5 migration), in the caller's transaction. */
export function createSensitivityTables(db: Db): void {
  const has = (t: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t) !== undefined;
  if (!has(SENS.referentials)) {
    createAttributesTable(db, {
      table: SENS.referentials,
      description: 'Sensitivity referentials, local rule sets and taxonomies loaded into the workspace, with their provenance and bad lines',
      columns: [
        // referential (a SINP CSV), local (the park's rules), taxonomy (TAXREF-shaped rows).
        { name: 'kind', type: 'TEXT', notNull: true },
        { name: 'name', type: 'TEXT', notNull: true },
        { name: 'version', type: 'TEXT' },
        // v13, v18, local-json, local, taxonomy-csv.
        { name: 'layout', type: 'TEXT', notNull: true },
        { name: 'file', type: 'TEXT' },
        { name: 'file_sha256', type: 'TEXT' },
        { name: 'encoding', type: 'TEXT' },
        { name: 'delimiter', type: 'TEXT' },
        { name: 'loaded_at', type: 'DATETIME', notNull: true },
        { name: 'loaded_by', type: 'TEXT', notNull: true },
        { name: 'data_lines', type: 'INTEGER', notNull: true },
        // Rules (or taxa, for a taxonomy) kept.
        { name: 'item_count', type: 'INTEGER', notNull: true },
        { name: 'error_count', type: 'INTEGER', notNull: true },
        { name: 'errors_json', type: 'TEXT' },
        { name: 'ignored_columns_json', type: 'TEXT' },
      ],
    });
    db.exec(`CREATE UNIQUE INDEX ${SENS.referentials}_identity ON ${SENS.referentials}(kind, name, coalesce(version, ''))`);
  }
  if (!has(SENS.rules)) {
    createAttributesTable(db, {
      table: SENS.rules,
      description: 'Rules of the loaded sensitivity referentials and the park’s local rules (one SINP rule each)',
      columns: [
        { name: 'referential_id', type: 'INTEGER', notNull: true },
        { name: 'rule_id', type: 'TEXT', notNull: true, unique: true },
        { name: 'cd_nom', type: 'INTEGER', notNull: true },
        { name: 'nom_cite', type: 'TEXT' },
        { name: 'level', type: 'INTEGER', notNull: true },
        { name: 'duration_years', type: 'INTEGER' },
        { name: 'territory_json', type: 'TEXT' },
        { name: 'period_start', type: 'TEXT' },
        { name: 'period_end', type: 'TEXT' },
        { name: 'bio_status_json', type: 'TEXT' },
        { name: 'behaviour_json', type: 'TEXT' },
        { name: 'local', type: 'BOOLEAN', notNull: true },
        { name: 'source_line', type: 'INTEGER' },
        { name: 'comment', type: 'TEXT' },
      ],
    });
    db.exec(`CREATE INDEX ${SENS.rules}_referential ON ${SENS.rules}(referential_id); CREATE INDEX ${SENS.rules}_cd_nom ON ${SENS.rules}(cd_nom)`);
  }
  if (!has(SENS.taxa)) {
    createAttributesTable(db, {
      table: SENS.taxa,
      description: 'Taxonomy rows (cd_nom, cd_ref, cd_taxsup) loaded for the sensitivity check, when the workspace has no TAXREF of its own',
      columns: [
        { name: 'referential_id', type: 'INTEGER', notNull: true },
        { name: 'cd_nom', type: 'INTEGER', notNull: true },
        { name: 'cd_ref', type: 'INTEGER' },
        { name: 'cd_taxsup', type: 'INTEGER' },
        { name: 'rank', type: 'TEXT' },
        { name: 'lb_nom', type: 'TEXT' },
        { name: 'nom_vern', type: 'TEXT' },
      ],
    });
    db.exec(`CREATE INDEX ${SENS.taxa}_referential ON ${SENS.taxa}(referential_id)`);
  }
  if (!has(SENS.overrides)) {
    createAttributesTable(db, {
      table: SENS.overrides,
      description: 'Manual sensitivity decisions (per observation or per filter) with their mandatory justification; also in passerelle_audit',
      columns: [
        { name: 'override_id', type: 'TEXT', notNull: true, unique: true },
        // observation (by UUID) or filter.
        { name: 'target_kind', type: 'TEXT', notNull: true },
        // The observation's unique_id_sinp (kind observation), or the filter (kind filter).
        { name: 'uuid', type: 'TEXT' },
        { name: 'filter_json', type: 'TEXT' },
        { name: 'level', type: 'INTEGER', notNull: true },
        { name: 'justification', type: 'TEXT', notNull: true },
        { name: 'author', type: 'TEXT', notNull: true },
        { name: 'at', type: 'DATETIME', notNull: true },
        // Set when the override was removed (it then no longer applies), by whom and why.
        { name: 'revoked_at', type: 'DATETIME' },
        { name: 'revoked_by', type: 'TEXT' },
        { name: 'revoked_why', type: 'TEXT' },
      ],
    });
    db.exec(`CREATE INDEX ${SENS.overrides}_uuid ON ${SENS.overrides}(uuid)`);
  }
  if (!has(SENS.checks)) {
    createAttributesTable(db, {
      table: SENS.checks,
      description: 'Sensitivity checks run on the workspace: options, the rules used with their provenance, and the summary',
      columns: [
        { name: 'at', type: 'DATETIME', notNull: true },
        { name: 'actor', type: 'TEXT', notNull: true },
        { name: 'as_of', type: 'DATE', notNull: true },
        { name: 'options_json', type: 'TEXT', notNull: true },
        { name: 'rules_json', type: 'TEXT', notNull: true },
        { name: 'territory', type: 'TEXT', notNull: true },
        { name: 'grid_prefix', type: 'TEXT', notNull: true },
        { name: 'total', type: 'INTEGER', notNull: true },
        { name: 'by_sensitivity_json', type: 'TEXT', notNull: true },
        { name: 'by_blur_json', type: 'TEXT', notNull: true },
        { name: 'unmatched_taxa', type: 'INTEGER', notNull: true },
        { name: 'no_taxon', type: 'INTEGER', notNull: true },
        { name: 'area_not_found', type: 'INTEGER', notNull: true },
        { name: 'by_precaution', type: 'INTEGER', notNull: true },
        { name: 'overridden', type: 'INTEGER', notNull: true },
        { name: 'by_diffusion', type: 'INTEGER', notNull: true },
        { name: 'summary_json', type: 'TEXT', notNull: true },
        { name: 'duration_ms', type: 'INTEGER', notNull: true },
      ],
    });
  }
  if (!has(SENS.results)) {
    createAttributesTable(db, {
      table: SENS.results,
      primaryKey: 'observation_fid',
      description: 'Result of the last sensitivity check for each observation: levels, published area, deciding and matching rules, Darwin Core generalisation terms',
      // resolution: 0 cd_nom, 1 cd_ref, 2 unmatched, 3 no-taxon; reason: index in BLUR_REASONS (results-store.ts).
      columns: RESULT_COLUMNS,
    });
    db.exec(`CREATE INDEX ${SENS.results}_blur ON ${SENS.results}(blur_level)`);
  }
  addMissingResultColumns(db);
}

/**
 * Adds the results columns a format 5 file made before them lacks (`propagated_from`): the table
 * is rewritten by every check, which calls this first. Nullable columns only, in the caller's
 * transaction.
 */
export function addMissingResultColumns(db: Db): void {
  const have = new Set(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(SENS.results) as string[]);
  if (have.size === 0) return;
  for (const c of RESULT_COLUMNS) {
    if (have.has(c.name)) continue;
    if (c.notNull) throw new Error(`${SENS.results}.${c.name} is NOT NULL: it cannot be added to an existing table`);
    db.exec(`ALTER TABLE ${SENS.results} ADD COLUMN ${c.name} ${c.type}`);
  }
}

/** True when the workspace has the sensitivity tables (a read-only open of an older file may not). */
export function hasSensitivityTables(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(SENS.results) !== undefined;
}
