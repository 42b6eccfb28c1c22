/**
 * English labels of the SINP nomenclature values CA and JDD take.
 *
 * The upstream file (nomenclatures_inpn_data.sql) carries French labels only, so these are
 * Passerelle's own translations, kept by hand. A unit test fails when a generated code has no
 * English label here, or when a label here names a code the source does not have, so a
 * regeneration that brings new codes asks for their translation.
 */
import type { MetadataNomenclatureType } from './nomenclature-types.js';

/** English type labels and value labels by code. */
export const NOMENCLATURE_LABELS_EN: {
  readonly [T in MetadataNomenclatureType]: { readonly label: string; readonly values: Readonly<Record<string, string>> };
} = {
  NIVEAU_TERRITORIAL: {
    label: 'Territorial level',
    values: {
      '1': 'International',
      '2': 'European',
      '3': 'National',
      '4': 'Inter-regional (land), or marine region',
      '5': 'Regional (land), or marine sub-region',
      '6': 'Departmental, or marine sector',
      '7': 'Municipal or local',
    },
  },
  TYPE_FINANCEMENT: {
    label: 'Financing type',
    values: { '1': 'Public', '2': 'Private', '3': 'Mixed', '4': 'Not funded' },
  },
  CA_OBJECTIFS: {
    label: 'Acquisition framework objective',
    values: {
      '8': 'Inventories and mapping',
      '9': 'Monitoring/surveillance over time',
      '10': 'Experimentation/research',
      '11': 'Multiple or other',
    },
  },
  TERRITOIRE: {
    label: 'Territory',
    values: {
      METROP: 'Metropolitan France',
      GUF: 'French Guiana',
      MTQ: 'Martinique',
      GLP: 'Guadeloupe',
      MAF: 'Saint Martin',
      BLM: 'Saint Barthélemy',
      SPM: 'Saint Pierre and Miquelon',
      MYT: 'Mayotte',
      REU: 'Réunion',
      NCL: 'New Caledonia',
      WLF: 'Wallis and Futuna',
      PYF: 'French Polynesia',
      CLI: 'Clipperton',
      EPA: 'TAAF: Scattered Islands',
      SUBANT: 'TAAF: sub-Antarctic islands',
      TADL: 'TAAF: Adélie Land',
      HORSFR: 'Outside French territory',
    },
  },
  VOLET_SINP: {
    label: 'SINP component',
    values: { '1': 'Land', '2': 'Sea', '3': 'Landscape' },
  },
  ROLE_ACTEUR: {
    label: 'Actor role',
    values: {
      '1': 'Main contact',
      '2': 'Funder',
      '3': 'Project owner (maître d’ouvrage)',
      '4': 'Project manager (maître d’œuvre)',
      '5': 'Dataset provider',
      '6': 'Dataset producer',
      '7': 'Production database contact',
      '8': 'Metadata contact',
    },
  },
  DATA_TYP: {
    label: 'Data type',
    values: {
      '1': 'Taxon occurrences',
      '2': 'Habitat occurrences',
      '3': 'Taxon synthesis (Syntax)',
      '4': 'Habitat synthesis (Synhab)',
      '5': 'Not specified',
    },
  },
  JDD_OBJECTIFS: {
    label: 'Dataset objective',
    values: {
      '1.1': 'Opportunistic naturalist observations',
      '1.2': 'Distribution inventory',
      '1.3': 'Inventory for a study of species or communities',
      '1.4': 'Digitisation of collections',
      '1.5': 'Digitisation of literature',
      '2.1': 'Habitat mapping',
      '2.2': 'Habitat inventory',
      '2.3': 'Opportunistic habitat data',
      '2.4': 'Inventory for a habitat study',
      '2.5': 'Digitisation of habitat literature',
      '3.1': 'ABC-type inventory (municipal biodiversity atlas)',
      '3.2': 'Inventory of areas of interest (ZNIEFF…)',
      '3.3': 'Inventory/assessment for management plans',
      '3.4': 'Opportunistic observations on a site',
      '3.5': 'General inventories and exploration',
      '3.6': 'Inventory for an impact study',
      '3.7': 'Habitat mapping of a site',
      '4.1': 'Assessment of a resource / harvesting',
      '4.2': 'Assessment of collisions/strandings',
      '5.1': 'Individual-centred monitoring',
      '5.2': 'Species monitoring over time',
      '5.3': 'Species community monitoring',
      '5.4': 'Habitat monitoring',
      '5.5': 'Monitoring of pathogens and invasive alien species',
      '6.1': 'Site monitoring',
      '6.2': 'Management or experimental monitoring',
      '6.3': 'Study of management effects',
      '6.4': 'Regulatory monitoring',
      '7.1': 'Data grouping',
      '7.2': 'Other studies and programmes',
    },
  },
  METHO_RECUEIL: {
    label: 'Data collection method',
    values: {
      '1': 'Direct observation: sight, hearing, smell, touch',
      '2': 'Camera traps',
      '3': 'Ultrasound detection',
      '4': 'Search for signs of presence',
      '5': 'Aerial photographs',
      '6': 'Remote sensing',
      '7': 'Telemetry',
      '8': 'Capture of individuals (no sample taken): catch and release',
      '9': 'Sampling (capture with sample collection): capture and preservation',
      '10': 'Capture-mark-recapture',
      '11': 'Capture and tracking (radio-tracking)',
      '12': 'Other',
    },
  },
  DS_PUBLIQUE: {
    label: 'Data origin (public/private)',
    values: { NSP: 'Unknown', Pr: 'Private', Pu: 'Public' },
  },
  STATUT_SOURCE: {
    label: 'Source status',
    values: { Co: 'Collection', Li: 'Literature', NSP: 'Unknown', Te: 'Field' },
  },
  RESOURCE_TYP: {
    label: 'Resource type',
    values: { '1': 'Dataset', '2': 'Series' },
  },
  TYPE_PROTOCOLE: {
    label: 'Protocol type',
    values: {
      '0': 'Unknown',
      '1': 'Collection protocol',
      '2': 'Synthesis protocol',
      '3': 'Conformity and consistency protocol',
      '4': 'Validation protocol',
    },
  },
};
