/**
 * The columns of a bundle's tables (GeoPackage layer, CSV, GeoJSON properties) in the two field
 * profiles, and the Darwin Core terms of `occurrence.txt`.
 *
 * `synthese`: GeoNature's synthese column names, nomenclatures as SINP codes (docs/workspace-format.md).
 * `sinp`: the names of GeoNature's SINP export view `gn_exports.v_synthese_sinp_dee`
 * (PnX-SI/gn_module_export), which follow the standard Occurrences de taxons v2, with the SINP
 * codes rather than the view's labels. Names marked `unverified` are not in that view; they follow
 * the standard's naming and must be checked against the v2.0 XSD (standards-reference.md §2.4).
 *
 * Every table also has the publication columns: how the location is published (precise,
 * generalised to an area, withheld), the published point, its uncertainty and the Darwin Core
 * generalisation texts.
 */
import { NOMENCLATURE_FIELDS, SYNTHESE_NOMENCLATURES, nomenclatureColumn, type SyntheseNomenclatureField } from '../domain/synthese.js';
import type { FieldProfile } from './presets.js';

/** Frictionless Table Schema types used here. */
export type FieldType = 'string' | 'integer' | 'number' | 'date' | 'datetime';

/** One column of a bundle table. */
export interface BundleField {
  /** Internal key (the synthese name). */
  readonly key: string;
  readonly type: FieldType;
  /** Name per profile; null: the column is not in that profile. */
  readonly names: Readonly<Record<FieldProfile, string | null>>;
  readonly description: string;
  /** True when the sinp name is not in GeoNature's SINP export view (see the file comment). */
  readonly unverified?: boolean;
  /** SINP nomenclature type of a code column. */
  readonly nomenclature?: string;
}

const SINP_NOMENCLATURE_NAMES: Readonly<Record<SyntheseNomenclatureField, { name: string; unverified?: boolean }>> = {
  geo_object_nature: { name: 'natureObjetGeo' },
  grp_typ: { name: 'methodeRegroupement' },
  obs_technique: { name: 'obsTechnique' },
  bio_status: { name: 'occStatutBiologique' },
  bio_condition: { name: 'occEtatBiologique' },
  naturalness: { name: 'occNaturalite' },
  exist_proof: { name: 'preuveExistante' },
  valid_status: { name: 'nivVal', unverified: true },
  diffusion_level: { name: 'diffusionNiveauPrecision' },
  life_stage: { name: 'occStadeDeVie' },
  sex: { name: 'occSexe' },
  obj_count: { name: 'objetDenombrement' },
  type_count: { name: 'typeDenombrement' },
  sensitivity: { name: 'sensiNiveau' },
  observation_status: { name: 'statutObservation' },
  blurring: { name: 'dEEFloutage' },
  source_status: { name: 'statutSource' },
  info_geo_type: { name: 'typeInfoGeo', unverified: true },
  behaviour: { name: 'occComportement' },
  biogeo_status: { name: 'occStatutBioGeographique', unverified: true },
  determination_method: { name: 'occMethodeDetermination' },
};

const f = (key: string, type: FieldType, synthese: string | null, sinp: string | null, description: string, extra: Partial<BundleField> = {}): BundleField => ({
  key,
  type,
  names: { synthese, sinp },
  description,
  ...extra,
});

/**
 * The columns, in file order. `wkt` is written in the CSV only (the GeoPackage and GeoJSON carry
 * the geometry itself).
 */
export const BUNDLE_FIELDS: readonly BundleField[] = [
  f('unique_id_sinp', 'string', 'unique_id_sinp', 'idSINPOccTax', 'Permanent SINP identifier of the observation (UUID)'),
  f('unique_id_sinp_grp', 'string', 'unique_id_sinp_grp', 'idSINPRegroupement', 'SINP identifier of the group (relevé) the observation belongs to; empty when the location is generalised or withheld (it would link the record to precise ones)'),
  f('id_synthese', 'integer', 'id_synthese', 'ID_synthese', 'Identifier in the source GeoNature synthese; empty when the location is generalised or withheld'),
  f('entity_source_pk_value', 'string', 'entity_source_pk_value', 'idOrigine', 'Identifier in the original source; empty when the location is generalised or withheld'),
  f('dataset_uuid', 'string', 'dataset_uuid', 'idSINPJdd', 'SINP identifier of the dataset (JDD)'),
  f('dataset_name', 'string', 'dataset_name', null, 'Name of the dataset (JDD)'),
  f('data_origin', 'string', 'ds_publique', 'dSPublique', 'Origin of the data (DS_PUBLIQUE code of the JDD: Pu public, Pr private, NSP unknown)', { nomenclature: 'DS_PUBLIQUE' }),
  f('cd_nom', 'integer', 'cd_nom', 'cdNom', 'TAXREF cd_nom of the taxon as observed'),
  f('cd_ref', 'integer', 'cd_ref', 'cdRef', 'TAXREF cd_ref (valid name) when the workspace knows it'),
  f('nom_cite', 'string', 'nom_cite', 'nomCite', 'Taxon name as cited by the observer'),
  f('meta_v_taxref', 'string', 'meta_v_taxref', 'versionTAXREF', 'TAXREF version of cd_nom'),
  f('count_min', 'integer', 'count_min', 'denombrementMin', 'Minimum count'),
  f('count_max', 'integer', 'count_max', 'denombrementMax', 'Maximum count'),
  f('altitude_min', 'integer', 'altitude_min', 'altitudeMin', 'Minimum altitude (m); empty when the location is generalised or withheld'),
  f('altitude_max', 'integer', 'altitude_max', 'altitudeMax', 'Maximum altitude (m); empty when the location is generalised or withheld'),
  f('date_min', 'string', 'date_min', 'dateDebut', 'Start of the observation (ISO 8601 day or date-time; the day only when the location is generalised or withheld)'),
  f('date_max', 'string', 'date_max', 'dateFin', 'End of the observation (ISO 8601 day or date-time; the day only when the location is generalised or withheld)'),
  f('observers', 'string', 'observers', 'observateur', 'Observers, per the bundle’s personal-data policy (kept, pseudonymised or dropped)'),
  f('determiner', 'string', 'determiner', 'determinateur', 'Who identified the taxon, per the same policy'),
  f('sample_number_proof', 'string', 'sample_number_proof', null, 'Sample number of the proof'),
  f('digital_proof', 'string', 'digital_proof', 'uRLPreuveNumerique', 'Digital proof (URL); empty when the location is generalised or withheld (media may be geotagged)'),
  f('non_digital_proof', 'string', 'non_digital_proof', 'preuveNonNumerique', 'Non-digital proof; empty when the location is generalised or withheld'),
  f('comment_description', 'string', 'comment_description', 'obsDescription', 'Comment on the observation; empty when the location is generalised or withheld (free text can locate a site)'),
  ...NOMENCLATURE_FIELDS.map((n) =>
    f(
      nomenclatureColumn(n),
      'string',
      nomenclatureColumn(n),
      SINP_NOMENCLATURE_NAMES[n].name,
      `SINP code of ${SYNTHESE_NOMENCLATURES[n]}`,
      { nomenclature: SYNTHESE_NOMENCLATURES[n], ...(SINP_NOMENCLATURE_NAMES[n].unverified ? { unverified: true } : {}) },
    ),
  ),
  f('source_name', 'string', 'source_name', null, 'GeoNature source (module, protocol or import) of the observation'),
  f('meta_update_date', 'string', 'meta_update_date', 'dEEDateDerniereModification', 'Last modification of the record in the source (its creation when never modified)'),
  f('publication', 'string', 'publication', 'publication', 'How the location is published: precise, generalised (to the area in blur_area_type/blur_area_codes) or withheld', { unverified: true }),
  f('blur_area_type', 'string', 'blur_area_type', 'typeZoneFloutage', 'Type of the area a generalised location is published as: COM commune, M10 10 km grid cell, DEP département', { unverified: true }),
  f('blur_area_codes', 'string', 'blur_area_codes', 'codeZoneFloutage', 'Codes of the published areas (INSEE code, grid cell code), comma-separated', { unverified: true }),
  f('longitude', 'number', 'longitude', 'longitude', 'Published point, WGS 84 longitude: the observation itself, or the centre of the published area', { unverified: true }),
  f('latitude', 'number', 'latitude', 'latitude', 'Published point, WGS 84 latitude', { unverified: true }),
  f('coordinate_uncertainty_m', 'integer', 'coordinate_uncertainty_m', 'precisionGeometrie', 'Radius (m) around the published point that holds the published area; empty for a precise location'),
  f('data_generalizations', 'string', 'data_generalizations', 'dataGeneralizations', 'Darwin Core dataGeneralizations: what was done to the location, and why'),
  f('information_withheld', 'string', 'information_withheld', 'informationWithheld', 'Darwin Core informationWithheld: what is not published, and why'),
  f('wkt', 'string', 'wkt', 'geometrie', 'Geometry of a precise location as WKT (WGS 84); empty when generalised (see the area codes) or withheld'),
];

/** The fields of a profile, in order, with their names (`wkt` dropped unless `withWkt`). */
export function profileFields(profile: FieldProfile, opts: { withWkt: boolean }): { field: BundleField; name: string }[] {
  const out: { field: BundleField; name: string }[] = [];
  for (const field of BUNDLE_FIELDS) {
    const name = field.names[profile];
    if (name === null) continue;
    if (field.key === 'wkt' && !opts.withWkt) continue;
    out.push({ field, name });
  }
  return out;
}

/** The publication of a record's location. */
export type Publication = 'precise' | 'generalised' | 'withheld';

/**
 * Darwin Core terms of `occurrence.txt`, in order (term local names; namespaces in
 * {@link DWC_TERM_URI}). The core id is `occurrenceID`.
 */
export const DWC_TERMS = [
  'occurrenceID',
  'basisOfRecord',
  'datasetID',
  'datasetName',
  'institutionCode',
  'license',
  'rightsHolder',
  'occurrenceStatus',
  'scientificName',
  'taxonID',
  'verbatimIdentification',
  'eventDate',
  'recordedBy',
  'identifiedBy',
  'individualCount',
  'organismQuantity',
  'organismQuantityType',
  'occurrenceRemarks',
  'countryCode',
  'decimalLatitude',
  'decimalLongitude',
  'geodeticDatum',
  'coordinateUncertaintyInMeters',
  'footprintWKT',
  'footprintSRS',
  'minimumElevationInMeters',
  'maximumElevationInMeters',
  'dataGeneralizations',
  'informationWithheld',
] as const;
export type DwcTerm = (typeof DWC_TERMS)[number];

/** Terms of the Dublin Core namespace among {@link DWC_TERMS}; the others are Darwin Core. */
const DC_TERMS: ReadonlySet<string> = new Set(['license', 'rightsHolder']);

/** The URI of a term. */
export function DWC_TERM_URI(term: string): string {
  return DC_TERMS.has(term) ? `http://purl.org/dc/terms/${term}` : `http://rs.tdwg.org/dwc/terms/${term}`;
}

/** The Darwin Core basisOfRecord vocabulary (DwC type vocabulary, as the IPT checks it). */
export const DWC_BASIS_OF_RECORD: ReadonlySet<string> = new Set([
  'PreservedSpecimen',
  'FossilSpecimen',
  'LivingSpecimen',
  'MaterialSample',
  'Event',
  'HumanObservation',
  'MachineObservation',
  'Taxon',
  'Occurrence',
  'MaterialCitation',
  'MaterialEntity',
]);
