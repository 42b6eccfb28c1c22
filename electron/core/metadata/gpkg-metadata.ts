/**
 * The GeoPackage metadata extension (OGC 12-128r18 §F.8) of a workspace: one ISO 19139 record
 * per JDD in `gpkg_metadata`, referenced from its `datasets` row (scope `row`) and from the
 * `observations` layer (scope `table`, which is what GDAL and QGIS show as layer metadata).
 *
 * The records are derived data: every metadata write rewrites them in its own transaction, so
 * a GIS tool never sees them out of date. Records Passerelle did not write (another tool's) are
 * left alone: ours are the ones referenced from a `datasets` row.
 */
import type Database from 'better-sqlite3';
import type { LicenceId } from '../../../shared/metadata/index.js';
import { LICENCE_IDS } from '../../../shared/metadata/index.js';
import { isAppError } from '../errors.js';
import { T } from '../workspace/format.js';
import { hasTable } from '../workspace/migrations.js';
import { exportIso19139 } from './iso19139.js';
import { observationStats, readWorkspaceSet, workspaceCatalog } from './workspace-set.js';

type Db = Database.Database;

/** passerelle_meta key of the licence written in the records (a LICENCE_IDS id). */
export const LICENCE_META_KEY = 'metadata_licence';
/** @default licence of the records: the French administration's open licence. */
export const DEFAULT_LICENCE: LicenceId = 'etalab-2.0';

const ISO_URI = 'http://www.isotc211.org/2005/gmd';

/** The workspace's licence for metadata records (passerelle_meta `metadata_licence`), else Etalab 2.0. */
export function workspaceLicence(db: Db): LicenceId {
  const r = db.prepare(`SELECT value FROM ${T.meta} WHERE key = ?`).get(LICENCE_META_KEY) as { value: string | null } | undefined;
  const v = r?.value ?? null;
  return (LICENCE_IDS as readonly string[]).includes(v ?? '') ? (v as LicenceId) : DEFAULT_LICENCE;
}

/** Rewrites the ISO 19139 records of every JDD. Call inside the transaction of the change. */
export function syncGpkgMetadata(db: Db, today: string = new Date().toISOString().slice(0, 10)): number {
  if (!hasTable(db, 'gpkg_metadata') || !hasTable(db, 'gpkg_metadata_reference')) return 0;
  const ours = (db.prepare(`SELECT DISTINCT md_file_id AS id FROM gpkg_metadata_reference WHERE table_name = ? AND reference_scope = 'row'`).all(T.datasets) as Array<{ id: number }>).map((r) => r.id);
  if (ours.length) {
    const ids = JSON.stringify(ours);
    db.prepare(`DELETE FROM gpkg_metadata_reference WHERE md_file_id IN (SELECT value FROM json_each(?)) OR md_parent_id IN (SELECT value FROM json_each(?))`).run(ids, ids);
    db.prepare(`DELETE FROM gpkg_metadata WHERE id IN (SELECT value FROM json_each(?))`).run(ids);
  }
  const { set, datasetRows } = readWorkspaceSet(db);
  if (!set.datasets.length) return 0;
  const catalog = workspaceCatalog(db);
  const licence = workspaceLicence(db);
  const stats = observationStats(db);
  const frameworks = new Map(set.frameworks.map((f) => [f.uuid, f]));
  const insertMd = db.prepare(`INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) VALUES (?, ?, 'text/xml', ?)`);
  const insertRef = db.prepare(
    `INSERT INTO gpkg_metadata_reference (reference_scope, table_name, column_name, row_id_value, timestamp, md_file_id, md_parent_id) VALUES (?, ?, NULL, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?, NULL)`,
  );
  let written = 0;
  set.datasets.forEach((dataset, i) => {
    const row = datasetRows[i];
    if (!row) return;
    const s = stats.get(dataset.uuid);
    let xml: string;
    try {
      xml = exportIso19139({
        dataset,
        framework: frameworks.get(dataset.frameworkUuid) ?? null,
        catalog,
        context: {
          metadataDate: dataset.metadataRevised ?? dataset.metadataCreated ?? today,
          licence,
          temporalCoverage: s?.dateMin && s.dateMax ? { start: s.dateMin, end: s.dateMax } : null,
        },
      }).content;
    } catch (e) {
      // A record the ISO writer refuses (a malformed date from an import) gets no entry here;
      // `metadata.export` reports why. A metadata edit must not fail because of it.
      if (isAppError(e, 'INVALID_INPUT')) return;
      throw e;
    }
    const id = Number(insertMd.run(dataset.resourceType === '2' ? 'series' : 'dataset', ISO_URI, xml).lastInsertRowid);
    insertRef.run('row', T.datasets, row.raw.id as number, id);
    insertRef.run('table', T.observations, null, id);
    written++;
  });
  return written;
}
