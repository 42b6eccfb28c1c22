/**
 * Built-in mappings: GeoNature's own field mappings ("Synthese GeoNature", the export column
 * names; "Format DEE", the 10-character SINP exchange names; and the synthese column names its
 * import test files use), and Darwin Core terms. From
 * `backend/geonature/migrations/data/imports/default_mappings_data.sql` (PnX-SI/GeoNature) and
 * the Darwin Core quick reference (dwc.tdwg.org/terms).
 *
 * {@link suggestMapping} proposes a mapping for a file's columns from all of them.
 */
import type { FieldMapping, GeometrySource } from '../contract/schemas/cleanup.js';
import { TARGET_FIELDS } from './fields.js';
import { matchKey } from './normalize.js';

/** One preset: target field → the source column names it takes, plus geometry columns. */
export interface MappingPreset {
  readonly name: string;
  readonly description: string;
  readonly fields: Readonly<Record<string, readonly string[]>>;
  readonly geometry: { readonly wkt?: readonly string[]; readonly x?: readonly string[]; readonly y?: readonly string[]; readonly commune?: readonly string[]; readonly departement?: readonly string[]; readonly maille?: readonly string[] };
}

/** GeoNature's export layout (the "Synthese GeoNature" mapping). */
const GEONATURE_EXPORT: MappingPreset = {
  name: 'geonature-export',
  description: 'GeoNature synthese export / import CSV (mapping « Synthese GeoNature »)',
  fields: Object.fromEntries(TARGET_FIELDS.filter((t) => t.geonature).map((t) => [t.key, [t.geonature as string]])),
  geometry: { wkt: ['geometrie_wkt_4326'], x: ['x_centroid_4326'], y: ['y_centroid_4326'], commune: ['codecommune'], departement: ['codedepartement'], maille: ['codemaille'] },
};

/** The SINP exchange format's 10-character names (the "Format DEE" mapping). */
const DEE: MappingPreset = {
  name: 'sinp-dee',
  description: 'SINP DEE exchange format, 10-character names (mapping « Format DEE »)',
  fields: {
    unique_id_sinp: ['permid'],
    entity_source_pk_value: ['idorigine'],
    unique_id_sinp_grp: ['permidgrp'],
    meta_v_taxref: ['vtaxref'],
    date_min: ['datedebut'],
    date_max: ['datefin'],
    hour_min: ['heuredebut'],
    hour_max: ['heurefin'],
    altitude_min: ['altmin'],
    altitude_max: ['altmax'],
    depth_min: ['profmin'],
    depth_max: ['profmax'],
    observers: ['observer'],
    comment_description: ['obsdescr'],
    comment_context: ['obsctx'],
    info_geo_type: ['typinfgeo'],
    grp_typ: ['typgrp'],
    grp_method: ['methgrp'],
    nom_cite: ['nomcite'],
    cd_nom: ['cdnom'],
    obs_technique: ['obstech'],
    bio_status: ['ocstatbio'],
    bio_condition: ['ocetatbio'],
    biogeo_status: ['ocbiogeo'],
    behaviour: ['occcomport'],
    naturalness: ['ocnat'],
    sensitivity: ['sensiniv'],
    diffusion_level: ['difnivprec'],
    blurring: ['deeflou'],
    life_stage: ['ocstade'],
    sex: ['ocsex'],
    type_count: ['denbrtyp'],
    obj_count: ['objdenbr'],
    count_min: ['denbrmin'],
    count_max: ['denbrmax'],
    determination_method: ['ocmethdet'],
    determiner: ['detminer'],
    exist_proof: ['preuveoui'],
    digital_proof: ['urlpreuv'],
    non_digital_proof: ['preuvnonum'],
    valid_status: ['nivval'],
    validator: ['validateur'],
    meta_validation_date: ['datectrl'],
    validation_comment: ['validcom'],
    geo_object_nature: ['natobjgeo'],
    observation_status: ['statobs'],
    source_status: ['statsource'],
    reference_biblio: ['refbiblio'],
    cd_hab: ['cdhab'],
    place_name: ['nomlieu'],
    precision: ['precisgeo'],
  },
  geometry: { wkt: ['geometrie'], x: ['x_centroid'], y: ['y_centroid'], commune: ['cdcommune'], departement: ['cddept'], maille: ['cdmaille10'] },
};

/** The synthese's own column names (GeoNature's import test files: `date_min;nom_cite;observers;WKT;cd_nom…`). */
const SYNTHESE_COLUMNS: MappingPreset = {
  name: 'synthese-columns',
  description: 'gn_synthese.synthese column names (GeoNature import test files)',
  fields: Object.fromEntries(
    TARGET_FIELDS.map((t) => [t.key, t.type ? [`id_nomenclature_${t.key}`, `cd_nomenclature_${t.key}`] : [t.key]]),
  ),
  geometry: { wkt: ['wkt', 'the_geom_4326', 'geom_wkt'], x: ['longitude', 'lon', 'x'], y: ['latitude', 'lat', 'y'], commune: ['codecommune'], departement: ['codedepartement'], maille: ['codemaille'] },
};

/** Darwin Core occurrence terms. */
const DARWIN_CORE: MappingPreset = {
  name: 'darwin-core',
  description: 'Darwin Core occurrence terms (Darwin Core Archive, GBIF downloads)',
  fields: {
    entity_source_pk_value: ['occurrenceID', 'catalogNumber', 'id'],
    nom_cite: ['scientificName', 'verbatimScientificName', 'vernacularName'],
    date_min: ['eventDate', 'verbatimEventDate'],
    observers: ['recordedBy'],
    determiner: ['identifiedBy'],
    count_min: ['individualCount'],
    count_max: ['individualCount'],
    altitude_min: ['minimumElevationInMeters'],
    altitude_max: ['maximumElevationInMeters'],
    depth_min: ['minimumDepthInMeters'],
    depth_max: ['maximumDepthInMeters'],
    comment_description: ['occurrenceRemarks'],
    comment_context: ['eventRemarks'],
    place_name: ['locality'],
    precision: ['coordinateUncertaintyInMeters'],
    reference_biblio: ['associatedReferences', 'bibliographicCitation'],
    life_stage: ['lifeStage'],
    sex: ['sex'],
    observation_status: ['occurrenceStatus'],
  },
  geometry: { wkt: ['footprintWKT'], x: ['decimalLongitude'], y: ['decimalLatitude'] },
};

export const MAPPING_PRESETS: readonly MappingPreset[] = [GEONATURE_EXPORT, SYNTHESE_COLUMNS, DEE, DARWIN_CORE];

/** The value mapping Darwin Core vocabularies need (occurrenceStatus present/absent, sex, lifeStage in English). */
export const DARWIN_CORE_VALUES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  observation_status: { present: 'Pr', absent: 'No' },
  sex: { female: '2', male: '3', hermaphrodite: '4', unknown: '0', undetermined: '1' },
  life_stage: { adult: '2', juvenile: '3', immature: '4', larva: '6', egg: '9', pupa: '11', unknown: '0' },
};

/** The preset in a mapping that applies it to `columns`: each field to the first column the preset names for it. */
export function presetMapping(preset: MappingPreset, columns: readonly string[]): { mapping: FieldMapping; matched: number } {
  const byKey = new Map(columns.map((c) => [matchKey(c), c]));
  const find = (names: readonly string[] | undefined): string | undefined => {
    for (const n of names ?? []) {
      const c = byKey.get(matchKey(n));
      if (c !== undefined) return c;
    }
    return undefined;
  };
  const fields: FieldMapping['fields'] = {};
  let matched = 0;
  for (const [key, names] of Object.entries(preset.fields)) {
    const c = find(names);
    if (c !== undefined) {
      fields[key] = { column: c };
      matched++;
    }
  }
  const geometry: GeometrySource[] = [];
  const wkt = find(preset.geometry.wkt);
  const x = find(preset.geometry.x);
  const y = find(preset.geometry.y);
  if (wkt) geometry.push({ kind: 'wkt', column: wkt, srs: 'EPSG:4326' });
  if (x && y) geometry.push({ kind: 'xy', x, y, srs: 'EPSG:4326' });
  const com = find(preset.geometry.commune);
  const maille = find(preset.geometry.maille);
  const dep = find(preset.geometry.departement);
  if (com) geometry.push({ kind: 'area', column: com, areaType: 'COM' });
  if (maille) geometry.push({ kind: 'area', column: maille, areaType: 'M10' });
  if (dep) geometry.push({ kind: 'area', column: dep, areaType: 'DEP' });
  matched += geometry.length;
  const values = preset === DARWIN_CORE ? Object.fromEntries(Object.entries(DARWIN_CORE_VALUES).map(([k, v]) => [k, { ...v }])) : {};
  return { mapping: { fields, geometry, values, dateFormat: 'auto' }, matched };
}

/**
 * The best preset for a file's columns (the one that recognises most of them), applied; a native
 * geometry (GeoPackage, Shapefile, GeoJSON) comes first when the source has one.
 */
export function suggestMapping(columns: readonly string[], opts: { nativeGeometry?: boolean } = {}): { mapping: FieldMapping; preset: string | null } {
  let best: { mapping: FieldMapping; matched: number; name: string } | null = null;
  for (const p of MAPPING_PRESETS) {
    const r = presetMapping(p, columns);
    if (r.matched > 0 && (!best || r.matched > best.matched)) best = { ...r, name: p.name };
  }
  const mapping: FieldMapping = best?.mapping ?? { fields: {}, geometry: [], values: {}, dateFormat: 'auto' };
  if (opts.nativeGeometry) mapping.geometry = [{ kind: 'native' }, ...mapping.geometry];
  return { mapping, preset: best?.name ?? null };
}
