import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { appRoot } from '../../electron/core/paths.js';

/**
 * Where the real public data files live (../shared/data next to the repository, or
 * PASSERELLE_SHARED_DATA). The test database is built from them, never from invented rows.
 */
export function sharedDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.PASSERELLE_SHARED_DATA ?? join(appRoot(), '..', 'shared', 'data'));
}

/** The upstream files the builder reads, relative to the shared data folder (see its MANIFEST.md). */
export const SOURCE_FILES = {
  nomenclatures: 'geonature/nomenclatures/nomenclatures_inpn_data.sql',
  nomenclaturesTaxonomy: 'geonature/nomenclatures/nomenclatures_taxonomie_data.sql',
  syntheseDefaults: 'geonature/sql/core__synthese_default_values.sql',
  metaData: 'geonature/sql/core__meta_data.sql',
  sampleData: 'geonature/sql/tests__sample_data.sql',
  syntheseDump: 'geonature/sql/jdd_synthese_dev.sql',
  taxhubDump: 'geonature/sql/jdd_taxo_dev_copy.sql',
  communes05: 'admin_boundaries/communes-05-hautes-alpes.geojson',
  communes38: 'admin_boundaries/communes-38-isere.geojson',
  departement05: 'admin_boundaries/departement-05-hautes-alpes.geojson',
  departement38: 'admin_boundaries/departement-38-isere.geojson',
} as const;

export type SourceFile = keyof typeof SOURCE_FILES;

/** Absolute path of a source file; throws a message that says which file and where it was looked for. */
export function sourcePath(name: SourceFile, dataDir: string = sharedDataDir()): string {
  const path = join(dataDir, SOURCE_FILES[name]);
  if (!existsSync(path)) {
    throw new Error(
      `GeoNature test data file missing: ${path}. Set PASSERELLE_SHARED_DATA to the folder that holds ` +
        `geonature/ and admin_boundaries/ (../shared/data, described by its MANIFEST.md).`,
    );
  }
  return path;
}
