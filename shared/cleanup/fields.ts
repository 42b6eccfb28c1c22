/**
 * The synthese fields a legacy file can be mapped to, where each one lands in a workspace (an
 * `observations` column, or the import's extra fields when the workspace has no column for it),
 * and its name in the CSV layout of GeoNature's import module (the export, and the preset that
 * reads GeoNature exports back).
 *
 * Export names: GeoNature's "Synthese GeoNature" field mapping
 * (`backend/geonature/migrations/data/imports/default_mappings_data.sql`), the header of its test
 * file `valid_file.csv`.
 */
import { NOMENCLATURE_FIELDS, SYNTHESE_NOMENCLATURES, nomenclatureColumn, type SyntheseNomenclatureField } from '../domain/synthese.js';

/** How a field's text is read and checked. */
export type FieldKind = 'uuid' | 'text' | 'integer' | 'date' | 'time' | 'nomenclature' | 'json';

export interface TargetField {
  readonly key: string;
  readonly kind: FieldKind;
  /** The `observations` column, or null when the value is kept with the import's extra fields. */
  readonly column: string | null;
  /** Column name in GeoNature's import CSV, or null when that layout has none. */
  readonly geonature: string | null;
  readonly label: { readonly fr: string; readonly en: string };
  /** The SINP nomenclature type (nomenclature fields). */
  readonly type?: string;
}

const f = (key: string, kind: FieldKind, column: string | null, geonature: string | null, fr: string, en: string): TargetField => ({ key, kind, column, geonature, label: { fr, en } });

const NOMENCLATURE_EXPORT: Record<SyntheseNomenclatureField, string> = {
  geo_object_nature: 'nature_objet_geo',
  grp_typ: 'type_regroupement',
  obs_technique: 'technique_observation',
  bio_status: 'biologique_statut',
  bio_condition: 'etat_biologique',
  naturalness: 'naturalite',
  exist_proof: 'preuve_existante',
  valid_status: 'niveau_validation',
  diffusion_level: 'niveau_precision_diffusion',
  life_stage: 'stade_vie',
  sex: 'sexe',
  obj_count: 'objet_denombrement',
  type_count: 'type_denombrement',
  sensitivity: 'niveau_sensibilite',
  observation_status: 'statut_observation',
  blurring: 'floutage_dee',
  source_status: 'statut_source',
  info_geo_type: 'type_info_geo',
  behaviour: 'comportement',
  biogeo_status: 'biogeographique_statut',
  determination_method: 'methode_determination',
};

const NOMENCLATURE_LABELS: Record<SyntheseNomenclatureField, [string, string]> = {
  geo_object_nature: ["Nature de l'objet géographique", 'Nature of the geographic object'],
  grp_typ: 'Type de regroupement|Grouping type'.split('|') as [string, string],
  obs_technique: ["Technique d'observation", 'Observation technique'],
  bio_status: ['Statut biologique', 'Biological status'],
  bio_condition: ['État biologique', 'Biological condition'],
  naturalness: ['Naturalité', 'Naturalness'],
  exist_proof: ['Preuve existante', 'Existing proof'],
  valid_status: ['Niveau de validation', 'Validation status'],
  diffusion_level: ['Niveau de précision de diffusion', 'Diffusion precision level'],
  life_stage: ['Stade de vie', 'Life stage'],
  sex: ['Sexe', 'Sex'],
  obj_count: ['Objet du dénombrement', 'Counted object'],
  type_count: ['Type de dénombrement', 'Count type'],
  sensitivity: ['Sensibilité', 'Sensitivity'],
  observation_status: ["Statut d'observation", 'Observation status'],
  blurring: ['Floutage DEE', 'Blurring'],
  source_status: ['Statut de la source', 'Source status'],
  info_geo_type: "Type d'information géographique|Geographic information type".split('|') as [string, string],
  behaviour: ['Comportement', 'Behaviour'],
  biogeo_status: ['Statut biogéographique', 'Biogeographic status'],
  determination_method: ['Méthode de détermination', 'Determination method'],
};

/** Every target field, in the order a mapping screen lists them. */
export const TARGET_FIELDS: readonly TargetField[] = [
  f('unique_id_sinp', 'uuid', 'unique_id_sinp', 'uuid_perm_sinp', 'Identifiant permanent SINP', 'SINP permanent identifier'),
  f('unique_id_sinp_grp', 'uuid', 'unique_id_sinp_grp', 'uuid_perm_grp_sinp', 'Identifiant du regroupement', 'Grouping identifier'),
  f('entity_source_pk_value', 'text', 'entity_source_pk_value', 'id_synthese', "Identifiant d'origine", 'Source identifier'),
  f('dataset_uuid', 'uuid', 'dataset_uuid', 'jdd_uuid', 'JDD (UUID)', 'Dataset (UUID)'),
  f('cd_nom', 'integer', 'cd_nom', 'cd_nom', 'Code du taxon (cd_nom)', 'Taxon code (cd_nom)'),
  f('nom_cite', 'text', 'nom_cite', 'nom_cite', 'Nom cité', 'Cited name'),
  f('meta_v_taxref', 'text', 'meta_v_taxref', null, 'Version de TAXREF', 'TAXREF version'),
  f('date_min', 'date', 'date_min', 'date_debut', 'Date de début', 'Start date'),
  f('date_max', 'date', 'date_max', 'date_fin', 'Date de fin', 'End date'),
  f('hour_min', 'time', null, 'heure_debut', 'Heure de début', 'Start time'),
  f('hour_max', 'time', null, 'heure_fin', 'Heure de fin', 'End time'),
  f('observers', 'text', 'observers', 'observateurs', 'Observateurs', 'Observers'),
  f('determiner', 'text', 'determiner', 'determinateur', 'Déterminateur', 'Determiner'),
  f('count_min', 'integer', 'count_min', 'nombre_min', 'Nombre minimal', 'Minimum count'),
  f('count_max', 'integer', 'count_max', 'nombre_max', 'Nombre maximal', 'Maximum count'),
  f('altitude_min', 'integer', 'altitude_min', 'alti_min', 'Altitude minimale', 'Minimum altitude'),
  f('altitude_max', 'integer', 'altitude_max', 'alti_max', 'Altitude maximale', 'Maximum altitude'),
  f('depth_min', 'integer', null, 'prof_min', 'Profondeur minimale', 'Minimum depth'),
  f('depth_max', 'integer', null, 'prof_max', 'Profondeur maximale', 'Maximum depth'),
  f('sample_number_proof', 'text', 'sample_number_proof', null, "Numéro d'échantillon", 'Sample number'),
  f('digital_proof', 'text', 'digital_proof', 'preuve_numerique_url', 'Preuve numérique (URL)', 'Digital proof (URL)'),
  f('non_digital_proof', 'text', 'non_digital_proof', 'preuve_non_numerique', 'Preuve non numérique', 'Non-digital proof'),
  f('comment_description', 'text', 'comment_description', 'comment_occurrence', "Commentaire de l'occurrence", 'Occurrence comment'),
  f('comment_context', 'text', null, 'comment_releve', 'Commentaire du relevé', 'Survey comment'),
  f('place_name', 'text', null, 'nom_lieu', 'Nom du lieu', 'Place name'),
  f('precision', 'integer', null, 'precision_geographique', 'Précision géographique (m)', 'Geographic precision (m)'),
  f('reference_biblio', 'text', null, 'reference_biblio', 'Référence bibliographique', 'Bibliographic reference'),
  f('cd_hab', 'integer', null, 'cd_habref', 'Code habitat (cd_hab)', 'Habitat code (cd_hab)'),
  f('grp_method', 'text', null, 'methode_regroupement', 'Méthode de regroupement', 'Grouping method'),
  f('validator', 'text', null, 'validateur', 'Validateur', 'Validator'),
  f('validation_comment', 'text', null, 'comment_validation', 'Commentaire de validation', 'Validation comment'),
  f('meta_validation_date', 'text', null, 'date_validation', 'Date de validation', 'Validation date'),
  f('additional_data', 'json', null, null, 'Données additionnelles', 'Additional data'),
  f('meta_create_date', 'text', 'meta_create_date', 'date_creation', 'Date de création', 'Creation date'),
  f('meta_update_date', 'text', 'meta_update_date', 'date_modification', 'Date de modification', 'Update date'),
  ...NOMENCLATURE_FIELDS.map((n) => ({
    ...f(n, 'nomenclature', nomenclatureColumn(n), NOMENCLATURE_EXPORT[n], NOMENCLATURE_LABELS[n][0], NOMENCLATURE_LABELS[n][1]),
    type: SYNTHESE_NOMENCLATURES[n],
  })),
];

const BY_KEY = new Map(TARGET_FIELDS.map((t) => [t.key, t]));
const BY_COLUMN = new Map(TARGET_FIELDS.filter((t) => t.column).map((t) => [t.column as string, t]));

/** A target field by key. */
export function targetField(key: string): TargetField | undefined {
  return BY_KEY.get(key);
}

/** The target field stored in an `observations` column. */
export function fieldOfColumn(column: string): TargetField | undefined {
  return BY_COLUMN.get(column);
}

/**
 * The SINP fields an observation must have (gn_synthese NOT NULL columns, the JDD, and what
 * GeoNature's importer refuses to do without: the taxon code and the observers). The geometry is
 * checked by its own checks.
 */
export const MANDATORY_FIELDS: readonly string[] = ['unique_id_sinp', 'dataset_uuid', 'cd_nom', 'nom_cite', 'date_min', 'date_max', 'observers'];
