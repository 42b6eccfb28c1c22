/**
 * The synthese's nomenclature columns, and the SINP nomenclature type each one holds.
 *
 * GeoNature stores `id_nomenclature_<x>` integers that differ per install; a workspace
 * stores the SINP code instead, in `cd_nomenclature_<x>`, so that it means the same thing
 * on every machine. Source: gn_synthese.synthese in GeoNature 2.17 (docs/data_model).
 */
export const SYNTHESE_NOMENCLATURES = {
  geo_object_nature: 'NAT_OBJ_GEO',
  grp_typ: 'TYP_GRP',
  obs_technique: 'METH_OBS',
  bio_status: 'STATUT_BIO',
  bio_condition: 'ETA_BIO',
  naturalness: 'NATURALITE',
  exist_proof: 'PREUVE_EXIST',
  valid_status: 'STATUT_VALID',
  diffusion_level: 'NIV_PRECIS',
  life_stage: 'STADE_VIE',
  sex: 'SEXE',
  obj_count: 'OBJ_DENBR',
  type_count: 'TYP_DENBR',
  sensitivity: 'SENSIBILITE',
  observation_status: 'STATUT_OBS',
  blurring: 'DEE_FLOU',
  source_status: 'STATUT_SOURCE',
  info_geo_type: 'TYP_INF_GEO',
  behaviour: 'OCC_COMPORTEMENT',
  biogeo_status: 'STAT_BIOGEO',
  determination_method: 'METH_DETERMIN',
} as const;

export type SyntheseNomenclatureField = keyof typeof SYNTHESE_NOMENCLATURES;
export type NomenclatureType = (typeof SYNTHESE_NOMENCLATURES)[SyntheseNomenclatureField];

/** The workspace column holding the SINP code of a synthese nomenclature field. */
export const nomenclatureColumn = (field: SyntheseNomenclatureField): string => `cd_nomenclature_${field}`;

export const NOMENCLATURE_FIELDS = Object.keys(SYNTHESE_NOMENCLATURES) as SyntheseNomenclatureField[];

/**
 * GeoNature's default nomenclature values for synthese rows, by type, as SINP codes.
 *
 * From `backend/geonature/migrations/data/core/synthese_default_values.sql` (the
 * `gn_synthese.defaults_nomenclatures_value` rows for organism ALL). SENSIBILITE and
 * NIV_PRECIS have no default there: they stay unknown until computed or decided.
 */
export const SYNTHESE_DEFAULT_CODES: Partial<Record<NomenclatureType, string>> = {
  TYP_INF_GEO: '1',
  NAT_OBJ_GEO: 'NSP',
  METH_OBS: '21',
  ETA_BIO: '1',
  STATUT_BIO: '1',
  NATURALITE: '0',
  PREUVE_EXIST: '0',
  STATUT_VALID: '0',
  STADE_VIE: '0',
  SEXE: '6',
  OBJ_DENBR: 'NSP',
  TYP_DENBR: 'NSP',
  STATUT_OBS: 'Pr',
  DEE_FLOU: 'NON',
  TYP_GRP: 'NSP',
  STATUT_SOURCE: 'NSP',
  METH_DETERMIN: '1',
  OCC_COMPORTEMENT: '0',
  STAT_BIOGEO: '1',
};

/** Area types of ref_geo that the workspace keeps (bib_areas_types.type_code). */
export const AREA_TYPES = ['COM', 'DEP', 'M10'] as const;
export type AreaType = (typeof AREA_TYPES)[number];

/**
 * Splits GeoNature's `observers` text ("Nom Prénom, Nom Prénom") into names.
 *
 * GeoNature joins observers with ", " (trigger trg_maj_synthese_observers_txt).
 */
export function splitObservers(observers: string | null | undefined): string[] {
  if (!observers) return [];
  return observers
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
