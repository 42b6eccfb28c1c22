import type Database from 'better-sqlite3';
import { DATASET_FIELDS, FRAMEWORK_FIELDS, type MetaField } from '../../../shared/domain/metadata.js';
import { createAttributesTable, type ColumnDef } from '../gpkg/schema.js';

type Db = Database.Database;

/**
 * What format 2 adds to a workspace (GeoNature pull and push, issue 4): the CA/JDD metadata
 * with nomenclature codes and labels, the nomenclatures, the taxref rows, the raw sensitivity
 * rules, a change journal and the conflicts of a re-pull. Shared by new files (format.ts) and
 * the v1 → v2 migration (migrations.ts), so both produce the same tables.
 */

const GPKG_TYPE: Record<MetaField['kind'], string> = {
  text: 'TEXT',
  date: 'DATE',
  boolean: 'BOOLEAN',
  nomenclature: 'TEXT',
  framework: 'TEXT',
  number: 'REAL',
};

/** Columns of a field table: the value, plus the label beside each nomenclature code. */
function fieldColumns(fields: readonly MetaField[], skip: ReadonlySet<string> = new Set()): ColumnDef[] {
  return fields.flatMap((f) => {
    if (skip.has(f.column)) return [];
    const col: ColumnDef = { name: f.column, type: GPKG_TYPE[f.kind] };
    return f.kind === 'nomenclature' ? [col, { name: labelColumn(f), type: 'TEXT' }] : [col];
  });
}

/** The workspace column holding the label of a nomenclature field (`label_data_type`). */
export function labelColumn(f: MetaField): string {
  return `label_${f.name}`;
}

/**
 * Local state of a CA/JDD row: `server_json` is the server's values (by field name) at the last
 * pull, the base a push compares with; `local_status` is server, modified or created.
 */
const STATE_COLUMNS: ColumnDef[] = [
  { name: 'meta_create_date', type: 'TEXT' },
  { name: 'meta_update_date', type: 'TEXT' },
  { name: 'actors_json', type: 'TEXT' },
  { name: 'territories_json', type: 'TEXT' },
  { name: 'server_json', type: 'TEXT' },
  { name: 'local_status', type: "TEXT NOT NULL DEFAULT 'server'" },
];

/**
 * Columns format 2 adds to the v1 `datasets` table (v1 had uuid, name, shortname, desc, id_dataset).
 *
 * Built from the field table, which format 3 extended (territory_desc): migrations add only the
 * columns a file lacks, so a 1 → 2 step that already adds it leaves the 2 → 3 step nothing to do.
 */
export const DATASET_V2_COLUMNS: readonly ColumnDef[] = [
  ...fieldColumns(DATASET_FIELDS, new Set(['dataset_name', 'dataset_shortname', 'dataset_desc'])),
  { name: 'protocols_json', type: 'TEXT' },
  { name: 'objectives_json', type: 'TEXT' },
  ...STATE_COLUMNS,
];

/** Columns format 2 adds to `areas`: the geometry in the local SRID, as the server intersects with it. */
export const AREA_V2_COLUMNS: readonly ColumnDef[] = [{ name: 'geom_local_wkb', type: 'BLOB' }];

/** Creates the tables format 2 adds, in the caller's transaction. */
export function createV2Tables(db: Db): void {
  createAttributesTable(db, {
    table: 'acquisition_frameworks',
    description: 'Cadres d’acquisition (CA) of the JDD, shaped on gn_meta.t_acquisition_frameworks (nomenclatures as SINP codes and labels)',
    columns: [
      { name: 'unique_acquisition_framework_id', type: 'TEXT', notNull: true, unique: true },
      { name: 'id_acquisition_framework', type: 'INTEGER' },
      // parent_uuid comes from the field table (the `parent` field).
      ...fieldColumns(FRAMEWORK_FIELDS),
      { name: 'initial_closing_date', type: 'TEXT' },
      { name: 'objectives_json', type: 'TEXT' },
      { name: 'voletsinp_json', type: 'TEXT' },
      ...STATE_COLUMNS,
    ],
  });
  createAttributesTable(db, {
    table: 'nomenclatures',
    description: 'SINP nomenclature values the workspace uses (ref_nomenclatures), by type and code',
    columns: [
      { name: 'type_mnemonique', type: 'TEXT', notNull: true },
      { name: 'cd_nomenclature', type: 'TEXT', notNull: true },
      { name: 'mnemonique', type: 'TEXT' },
      { name: 'label_default', type: 'TEXT' },
      { name: 'label_fr', type: 'TEXT' },
      { name: 'label_en', type: 'TEXT' },
      { name: 'definition_fr', type: 'TEXT' },
      { name: 'hierarchy', type: 'TEXT' },
      { name: 'active', type: 'BOOLEAN' },
    ],
  });
  db.exec('CREATE UNIQUE INDEX nomenclatures_type_code ON nomenclatures(type_mnemonique, cd_nomenclature)');
  createAttributesTable(db, {
    table: 'taxref',
    description: 'TAXREF rows of the observed taxa, their valid names and ancestors (taxonomie.taxref)',
    columns: [
      { name: 'cd_nom', type: 'INTEGER', notNull: true, unique: true },
      { name: 'cd_ref', type: 'INTEGER' },
      { name: 'cd_sup', type: 'INTEGER' },
      { name: 'cd_taxsup', type: 'INTEGER' },
      { name: 'id_rang', type: 'TEXT' },
      { name: 'regne', type: 'TEXT' },
      { name: 'phylum', type: 'TEXT' },
      { name: 'classe', type: 'TEXT' },
      { name: 'ordre', type: 'TEXT' },
      { name: 'famille', type: 'TEXT' },
      { name: 'group1_inpn', type: 'TEXT' },
      { name: 'group2_inpn', type: 'TEXT' },
      { name: 'group3_inpn', type: 'TEXT' },
      { name: 'lb_nom', type: 'TEXT' },
      { name: 'lb_auteur', type: 'TEXT' },
      { name: 'nom_complet', type: 'TEXT' },
      { name: 'nom_valide', type: 'TEXT' },
      { name: 'nom_vern', type: 'TEXT' },
    ],
  });
  db.exec('CREATE INDEX taxref_cd_ref ON taxref(cd_ref)');
  createAttributesTable(db, {
    table: 'sensitivity_rules',
    description: 'Raw sensitivity rules of the server for the extract’s taxa (gn_sensitivity.t_sensitivity_rules)',
    columns: [
      { name: 'id_sensitivity', type: 'INTEGER', notNull: true, unique: true },
      { name: 'cd_nom', type: 'INTEGER', notNull: true },
      { name: 'nom_cite', type: 'TEXT' },
      { name: 'cd_nomenclature_sensitivity', type: 'TEXT' },
      { name: 'sensitivity_duration', type: 'INTEGER' },
      { name: 'sensitivity_territory', type: 'TEXT' },
      { name: 'id_territory', type: 'TEXT' },
      { name: 'date_min', type: 'DATE' },
      { name: 'date_max', type: 'DATE' },
      { name: 'source', type: 'TEXT' },
      { name: 'active', type: 'BOOLEAN' },
      { name: 'comments', type: 'TEXT' },
      { name: 'meta_update_date', type: 'TEXT' },
    ],
  });
  createAttributesTable(db, {
    table: 'sensitivity_rule_areas',
    description: 'Areas a sensitivity rule is restricted to (gn_sensitivity.cor_sensitivity_area), by area type and code',
    columns: [
      { name: 'id_sensitivity', type: 'INTEGER', notNull: true },
      { name: 'type_code', type: 'TEXT', notNull: true },
      { name: 'area_code', type: 'TEXT', notNull: true },
    ],
  });
  createAttributesTable(db, {
    table: 'sensitivity_rule_criteria',
    description: 'Biological criteria of a sensitivity rule (gn_sensitivity.cor_sensitivity_criteria), as SINP codes',
    columns: [
      { name: 'id_sensitivity', type: 'INTEGER', notNull: true },
      { name: 'type_mnemonique', type: 'TEXT', notNull: true },
      { name: 'cd_nomenclature', type: 'TEXT', notNull: true },
    ],
  });
  createAttributesTable(db, {
    table: 'sensitivity_area_types',
    description: 'Area type used to blur each sensitivity level (gn_sensitivity.cor_sensitivity_area_type)',
    columns: [
      { name: 'cd_sensitivity', type: 'TEXT', notNull: true },
      { name: 'type_code', type: 'TEXT', notNull: true },
    ],
  });
  createAttributesTable(db, {
    table: 'change_journal',
    description: 'Metadata changes made in the workspace, pending until pushed to GeoNature',
    columns: [
      { name: 'at', type: 'DATETIME', notNull: true },
      { name: 'actor', type: 'TEXT', notNull: true },
      { name: 'kind', type: 'TEXT', notNull: true },
      { name: 'entity', type: 'TEXT', notNull: true },
      { name: 'uuid', type: 'TEXT', notNull: true },
      { name: 'field', type: 'TEXT' },
      { name: 'before_json', type: 'TEXT' },
      { name: 'after_json', type: 'TEXT' },
      { name: 'state', type: 'TEXT', notNull: true },
      { name: 'pushed_at', type: 'DATETIME' },
    ],
  });
  db.exec('CREATE INDEX change_journal_state ON change_journal(state)');
  createAttributesTable(db, {
    table: 'pull_conflicts',
    description: 'What both the server and the workspace changed, found by a re-pull, for the user to decide',
    columns: [
      { name: 'detected_at', type: 'DATETIME', notNull: true },
      { name: 'entity', type: 'TEXT', notNull: true },
      { name: 'uuid', type: 'TEXT', notNull: true },
      { name: 'label', type: 'TEXT' },
      { name: 'field', type: 'TEXT', notNull: true },
      { name: 'base_json', type: 'TEXT' },
      { name: 'local_json', type: 'TEXT' },
      { name: 'server_json', type: 'TEXT' },
      { name: 'resolved', type: 'TEXT' },
      { name: 'resolved_at', type: 'DATETIME' },
    ],
  });
}
