/**
 * The SINP nomenclature types (bib_nomenclatures_types.mnemonique) that CA and JDD fields take,
 * and the shape of their generated data.
 *
 * Kept apart from the generated data so the generator can import the list without importing
 * what it generates.
 */

/**
 * Every nomenclature type a CA or JDD field, actor or protocol takes (geonature-reference.md §1.4).
 *
 * SAMPLING_PLAN_TYP is not here: no gn_meta column uses it.
 */
export const METADATA_NOMENCLATURE_TYPES = [
  'NIVEAU_TERRITORIAL',
  'TYPE_FINANCEMENT',
  'CA_OBJECTIFS',
  'TERRITOIRE',
  'VOLET_SINP',
  'ROLE_ACTEUR',
  'DATA_TYP',
  'JDD_OBJECTIFS',
  'METHO_RECUEIL',
  'DS_PUBLIQUE',
  'STATUT_SOURCE',
  'RESOURCE_TYP',
  'TYPE_PROTOCOLE',
] as const;

/** One of the types above. */
export type MetadataNomenclatureType = (typeof METADATA_NOMENCLATURE_TYPES)[number];

/** One value as the upstream SQL gives it (French only). */
export interface NomenclatureSourceValue {
  readonly code: string;
  readonly label: string;
  readonly definition: string | null;
  /** The SINP hierarchy path (e.g. `107.003`), kept for ordering and traceability. */
  readonly hierarchy: string | null;
  /** Present (false) only for values the source marks inactive. */
  readonly active?: boolean;
}

/** The generated data: every type's French label and values. */
export type NomenclatureSourceData = {
  readonly [T in MetadataNomenclatureType]: {
    readonly label: string;
    readonly definition: string | null;
    readonly values: readonly NomenclatureSourceValue[];
  };
};
