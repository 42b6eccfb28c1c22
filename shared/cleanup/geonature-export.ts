/**
 * The CSV layout GeoNature's import module reads: the columns of its test file `valid_file.csv`
 * (PnX-SI/GeoNature, backend/geonature/tests/imports/files/synthese/), which are the synthese
 * export's names and the "Synthese GeoNature" field mapping's sources. `;`-separated, UTF-8.
 */
import { TARGET_FIELDS } from './fields.js';

/** The header, in order (valid_file.csv without its test-only `error` column). */
export const GEONATURE_IMPORT_COLUMNS: readonly string[] = [
  'id_synthese', 'id_origine', 'comment_releve', 'comment_occurrence', 'date_debut', 'date_fin', 'heure_debut', 'heure_fin',
  'cd_nom', 'cd_ref', 'nom_valide', 'nom_vernaculaire', 'nom_cite', 'regne', 'group1_inpn', 'group2_inpn', 'classe', 'ordre',
  'famille', 'rang_taxo', 'nombre_min', 'nombre_max', 'alti_min', 'alti_max', 'prof_min', 'prof_max', 'observateurs',
  'determinateur', 'communes', 'geometrie_wkt_4326', 'x_centroid_4326', 'y_centroid_4326', 'nom_lieu', 'validateur',
  'niveau_validation', 'date_validation', 'comment_validation', 'preuve_numerique_url', 'preuve_non_numerique', 'jdd_nom',
  'jdd_uuid', 'jdd_id', 'ca_nom', 'ca_uuid', 'ca_id', 'cd_habref', 'cd_habitat', 'nom_habitat', 'precision_geographique',
  'nature_objet_geo', 'type_regroupement', 'methode_regroupement', 'technique_observation', 'biologique_statut',
  'etat_biologique', 'biogeographique_statut', 'naturalite', 'preuve_existante', 'niveau_precision_diffusion', 'stade_vie',
  'sexe', 'objet_denombrement', 'type_denombrement', 'niveau_sensibilite', 'statut_observation', 'floutage_dee',
  'statut_source', 'type_info_geo', 'methode_determination', 'comportement', 'reference_biblio', 'uuid_perm_sinp',
  'uuid_perm_grp_sinp', 'date_creation', 'date_modification',
];

/** Export column → the target field whose value goes there. */
export const EXPORT_FIELD: ReadonlyMap<string, string> = new Map(TARGET_FIELDS.filter((t) => t.geonature).map((t) => [t.geonature as string, t.key]));

/** A CSV cell: quoted when it holds the separator, a quote or a line break. */
export function csvCell(v: string | number | null, sep = ';'): string {
  if (v === null) return '';
  const s = String(v);
  return s.includes(sep) || s.includes('"') || s.includes('\n') || s.includes('\r') ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Splits an ISO date-time into GeoNature's date and hour columns ("2017-01-01T12:05:02" → "2017-01-01", "12:05:02"). */
export function splitDateTime(iso: string | null): [string | null, string | null] {
  if (iso === null) return [null, null];
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?))?/.exec(iso);
  if (!m) return [iso, null];
  const time = m[2] && m[2] !== '00:00:00' && m[2] !== '00:00' ? m[2] : null;
  return [m[1] as string, time];
}
