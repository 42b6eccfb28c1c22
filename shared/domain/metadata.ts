/**
 * The CA (cadre d'acquisition) and JDD (jeu de données) fields a workspace keeps, how each maps
 * to its GeoNature column, and which ones the generic change methods may edit.
 *
 * One table drives the pull (which columns to read and decode), the workspace schema, the
 * change methods (validation of a field and its value) and the push (which column to write,
 * how to resolve a nomenclature code). Source: gn_meta.t_acquisition_frameworks and
 * gn_meta.t_datasets in GeoNature 2.17 (geonature-reference.md §1.1–1.2).
 */

/** How a value is stored and checked. Dates are ISO `YYYY-MM-DD`; nomenclatures are SINP codes. */
export type MetaFieldKind = 'text' | 'date' | 'boolean' | 'nomenclature' | 'framework';

export interface MetaField {
  /** Name in the contract and the change journal (e.g. `data_type`). */
  readonly name: string;
  /** Column in gn_meta (e.g. `id_nomenclature_data_type`). */
  readonly serverColumn: string;
  /** Column in the workspace table (e.g. `cd_nomenclature_data_type`). */
  readonly column: string;
  readonly kind: MetaFieldKind;
  /** The nomenclature type (bib_nomenclatures_types.mnemonique) of a `nomenclature` field. */
  readonly nomenclatureType?: string;
  /** NOT NULL on the server: an edit may not clear it, a new JDD must have it. */
  readonly required: boolean;
  /** The generic change methods may change it. */
  readonly editable: boolean;
  /** May be missing on some servers (detected through information_schema; e.g. develop drops it). */
  readonly optional?: boolean;
}

const nomenclature = (name: string, type: string, required: boolean, optional = false): MetaField => ({
  name,
  serverColumn: `id_nomenclature_${name}`,
  column: `cd_nomenclature_${name}`,
  kind: 'nomenclature',
  nomenclatureType: type,
  required,
  editable: true,
  ...(optional ? { optional } : {}),
});

const plain = (name: string, kind: MetaFieldKind, required: boolean, editable = true): MetaField => ({
  name,
  serverColumn: name,
  column: name,
  kind,
  required,
  editable,
});

/** Fields of gn_meta.t_acquisition_frameworks kept in the workspace table `acquisition_frameworks`. */
export const FRAMEWORK_FIELDS: readonly MetaField[] = [
  plain('acquisition_framework_name', 'text', true),
  plain('acquisition_framework_desc', 'text', true),
  nomenclature('territorial_level', 'NIVEAU_TERRITORIAL', false),
  plain('territory_desc', 'text', false),
  plain('keywords', 'text', false),
  nomenclature('financing_type', 'TYPE_FINANCEMENT', false),
  plain('target_description', 'text', false),
  plain('ecologic_or_geologic_target', 'text', false),
  plain('is_parent', 'boolean', false),
  plain('opened', 'boolean', false),
  plain('acquisition_framework_start_date', 'date', true),
  plain('acquisition_framework_end_date', 'date', false),
];

/** Fields of gn_meta.t_datasets kept in the workspace table `datasets`. */
export const DATASET_FIELDS: readonly MetaField[] = [
  { name: 'acquisition_framework', serverColumn: 'id_acquisition_framework', column: 'acquisition_framework_uuid', kind: 'framework', required: true, editable: true },
  plain('dataset_name', 'text', true),
  plain('dataset_shortname', 'text', true),
  plain('dataset_desc', 'text', true),
  nomenclature('data_type', 'DATA_TYP', true),
  plain('keywords', 'text', false),
  plain('marine_domain', 'boolean', true),
  plain('terrestrial_domain', 'boolean', true),
  // Dropped by GeoNature's develop branch (cor_dataset_objectif replaces it, reference §1.6).
  nomenclature('dataset_objectif', 'JDD_OBJECTIFS', true, true),
  nomenclature('collecting_method', 'METHO_RECUEIL', true),
  nomenclature('data_origin', 'DS_PUBLIQUE', true),
  nomenclature('source_status', 'STATUT_SOURCE', true),
  nomenclature('resource_type', 'RESOURCE_TYP', true),
  plain('active', 'boolean', true),
  plain('validable', 'boolean', false),
];

/** Nomenclature types used by CA/JDD fields and their cor_* tables: pulled whole, so an edit can pick any value. */
export const METADATA_NOMENCLATURE_TYPES = [
  ...new Set([
    ...[...FRAMEWORK_FIELDS, ...DATASET_FIELDS].flatMap((f) => (f.nomenclatureType ? [f.nomenclatureType] : [])),
    'ROLE_ACTEUR',
    'CA_OBJECTIFS',
    'TERRITOIRE',
    'VOLET_SINP',
    'SENSIBILITE',
  ]),
] as const;

export type MetaEntity = 'framework' | 'dataset';

/** The field table of an entity. */
export function metaFields(entity: MetaEntity): readonly MetaField[] {
  return entity === 'framework' ? FRAMEWORK_FIELDS : DATASET_FIELDS;
}

/** A field by name, or undefined. */
export function metaField(entity: MetaEntity, name: string): MetaField | undefined {
  return metaFields(entity).find((f) => f.name === name);
}

/** A value of a CA/JDD field as the contract and the workspace carry it. */
export type MetaValue = string | boolean | null;

/**
 * Checks a value against a field's kind; returns an English reason, or null when it fits.
 *
 * Nomenclature codes are checked against the workspace's nomenclatures by the engine, not here.
 */
export function checkMetaValue(field: MetaField, value: MetaValue): string | null {
  if (value === null) return field.required ? `${field.name} is required` : null;
  switch (field.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? null : `${field.name} takes true or false`;
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? null : `${field.name} takes a date YYYY-MM-DD`;
    case 'text':
      return typeof value === 'string' && (!field.required || value.trim() !== '') ? null : `${field.name} takes a non-empty text`;
    case 'nomenclature':
    case 'framework':
      return typeof value === 'string' && value !== '' ? null : `${field.name} takes a code`;
  }
}
