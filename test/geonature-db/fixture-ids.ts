/**
 * Stable identifiers of the rows the GeoNature test database holds, for the tests that read it.
 *
 * UUIDs (never serial ids) are what a client may rely on across installs: serial ids depend on
 * load order, as on a real server. The Écrins JDD UUID is the one the demo workspace uses
 * (scripts/build-demo.ts), so a pull from this database and the demo describe the same JDD.
 */
export const ECRINS = {
  /** CA created for the 2018 dump (the dump carries no metadata). */
  acquisitionFrameworkUuid: '3f6a2c4e-8b1d-4f7a-9c2e-5d8b1a7e4c60',
  acquisitionFrameworkName: 'Parc national des Écrins – données de développement GeoNature (2018)',
  /** JDD of the 1,000 observations (id_dataset 1 of the 2018 install). */
  datasetUuid: '5b2f4a0e-7c1d-4e8a-9f3b-2d6c8e1a4b70',
  datasetName: 'Synthèse PNE – extrait de développement GeoNature (2018)',
  datasetShortname: 'jdd_synthese_dev',
  /** gn_synthese.t_sources.name_source of the rows. */
  sourceName: 'Passerelle test – GeoNature data/dev/jdd_synthese_dev.sql (2018)',
  observations: 1000,
  /** Rows flagged deleted = t in the dump; loaded anyway (see README), listed in passerelle_testdata. */
  deletedInDump: 9,
  liveObservations: 991,
  /** Live observations that fall in Isère (38); the others are in Hautes-Alpes (05). */
  liveInIsere: 163,
} as const;

/** The CA and JDD of GeoNature's backend test fixture (backend/geonature/tests/data/sample_data.sql). */
export const SAMPLE = {
  acquisitionFrameworkUuid: '57b7d0f2-4183-4b7b-8f08-6e105d476dc5',
  datasetUuids: ['4d331cae-65e4-4948-b0b2-a11bc5bb46c2', 'dadab32d-5f9e-4dba-aa1f-c06487d536e8', 'dadab32d-5f9e-4dba-aa1f-c06487d536e9'],
  /** 'hors protocole' (core__meta_data.sql; migration 3d0bf4ee67d1). */
  protocolUuid: '9ed37cb1-803b-4eec-9ecd-31880475bbe9',
} as const;

/** Organisms by id, as UsersHub ships them ('ALL' = 0) and as the fixture refers to them. */
export const ORGANISMS = { all: 0, ecrins: 1, other: -1 } as const;

/** Schema of the builder's own bookkeeping; a real GeoNature has no such schema. */
export const PROVENANCE_SCHEMA = 'passerelle_testdata';
