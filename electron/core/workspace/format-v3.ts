import type Database from 'better-sqlite3';
import { metaLists, type MetaEntity } from '../../../shared/domain/metadata.js';
import { quoteId } from '../gpkg/identifiers.js';
import { createAttributesTable, createMetadataExtension, type ColumnDef } from '../gpkg/schema.js';

type Db = Database.Database;

/**
 * What format 3 adds (SINP metadata, issue 5): the CA/JDD fields the SINP model has and format 2
 * lacked, the observation attributes restructuring splits by, the undo stack of metadata
 * operations, and the GeoPackage metadata extension (an ISO 19139 record per JDD, so that QGIS,
 * GDAL and other readers see the metadata). Shared by new files (format.ts) and the 2 → 3
 * migration, which adds only what a file lacks.
 */

/** Columns format 3 adds to `acquisition_frameworks`. */
export const FRAMEWORK_V3_COLUMNS: readonly ColumnDef[] = [
  // gn_meta.t_bibliographical_references of the CA: [{reference, url}].
  { name: 'publications_json', type: 'TEXT' },
  // MTD attributsAdditionnels kept for round trips: [{name, value, definition}].
  { name: 'additional_json', type: 'TEXT' },
];

/** Columns format 3 adds to `datasets` (territory_desc comes from the field table, format-v2.ts). */
export const DATASET_V3_COLUMNS: readonly ColumnDef[] = [
  { name: 'territory_desc', type: 'TEXT' },
  { name: 'additional_json', type: 'TEXT' },
];

/**
 * Columns format 3 adds to `observations`: what restructuring splits "by protocol" and "by
 * producer" read. A pull fills them from the synthese: the observation's source
 * (gn_synthese.t_sources.name_source: each GeoNature module, protocol or import writes its own
 * source) and the organism of its digitiser (id_digitiser → t_roles.id_organisme → bib_organismes).
 */
export const OBSERVATION_V3_COLUMNS: readonly ColumnDef[] = [
  { name: 'source_name', type: 'TEXT' },
  { name: 'producer_name', type: 'TEXT' },
  { name: 'producer_uuid', type: 'TEXT' },
];

/** The undo stack of metadata operations. */
export const OPERATIONS_TABLE = 'metadata_operations';

function addMissingColumns(db: Db, table: string, cols: readonly ColumnDef[]): void {
  const have = new Set((db.prepare(`PRAGMA table_info(${quoteId(table)})`).all() as Array<{ name: string }>).map((c) => c.name));
  for (const c of cols) if (!have.has(c.name)) db.exec(`ALTER TABLE ${quoteId(table)} ADD COLUMN ${quoteId(c.name)} ${c.type}`);
}

/** Adds the format 3 columns a file lacks (a new file's observations already have theirs). */
export function addV3Columns(db: Db): void {
  addMissingColumns(db, 'acquisition_frameworks', FRAMEWORK_V3_COLUMNS);
  addMissingColumns(db, 'datasets', DATASET_V3_COLUMNS);
  addMissingColumns(db, 'observations', OBSERVATION_V3_COLUMNS);
}

/** Creates the tables format 3 adds, in the caller's transaction. */
export function createV3Tables(db: Db): void {
  createAttributesTable(db, {
    table: OPERATIONS_TABLE,
    description: 'Metadata operations (edits, splits, merges, moves…) with what undoing each one restores',
    columns: [
      { name: 'at', type: 'DATETIME', notNull: true },
      { name: 'actor', type: 'TEXT', notNull: true },
      { name: 'kind', type: 'TEXT', notNull: true },
      { name: 'label', type: 'TEXT', notNull: true },
      { name: 'summary_json', type: 'TEXT' },
      { name: 'undo_json', type: 'TEXT' },
      { name: 'after_hash', type: 'TEXT' },
      { name: 'journal_ids_json', type: 'TEXT' },
      { name: 'state', type: 'TEXT', notNull: true },
      { name: 'undone_at', type: 'DATETIME' },
    ],
  });
  createMetadataExtension(db);
}

/**
 * Format 2 kept the server's scalar values in `server_json` (the base push compares with) but
 * not its lists. Lists could not be edited in format 2 (a JDD made here copied them from another),
 * so each row's current lists are the server's: they become the base. A JDD's `objectives` list
 * exists only on servers without `t_datasets.id_nomenclature_dataset_objectif` (develop, reference
 * §1.6), which is how the base tells them apart.
 */
export function fillListBases(db: Db): void {
  for (const [entity, table, uuidCol] of [
    ['framework', 'acquisition_frameworks', 'unique_acquisition_framework_id'],
    ['dataset', 'datasets', 'unique_dataset_id'],
  ] as const satisfies ReadonlyArray<readonly [MetaEntity, string, string]>) {
    const rows = db.prepare(`SELECT * FROM ${table} WHERE server_json IS NOT NULL`).all() as Array<Record<string, unknown>>;
    const put = db.prepare(`UPDATE ${table} SET server_json = ? WHERE ${uuidCol} = ?`);
    for (const r of rows) {
      const server = JSON.parse(r.server_json as string) as Record<string, unknown>;
      for (const f of metaLists(entity)) {
        if (f.name in server) continue;
        if (entity === 'dataset' && f.name === 'objectives' && 'dataset_objectif' in server) continue;
        server[f.name] = typeof r[f.column] === 'string' ? (JSON.parse(r[f.column] as string) as unknown) : [];
      }
      put.run(JSON.stringify(server), r[uuidCol] as string);
    }
  }
}
