/**
 * The 2 → 3 migration (SINP metadata, issue 5) on a format 2 workspace built like a pull of
 * GeoNature 2.17 wrote it: its lists' bases filled from the lists themselves, the new columns and
 * tables added, every row kept.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../../test/helpers/paths.js';
import { quoteId } from '../gpkg/identifiers.js';
import { registerGpkgFunctions } from '../gpkg/sql-functions.js';
import { createV2Tables, DATASET_V2_COLUMNS } from './format-v2.js';
import { WORKSPACE_FORMAT_VERSION } from './format.js';
import { openWorkspace } from './open.js';

const CA = '3f6a2c4e-8b1d-4f7a-9c2e-5d8b1a7e4c60';
const JDD = '5b2f4a0e-7c1d-4e8a-9f3b-2d6c8e1a4b70';
const PNE = { organism: 'Parc National des Ecrins', organismUuid: 'c8a2b7e1-4f3d-4a9b-8e6c-2d1f0a5b7c31', person: null, personUuid: null, role: { type: 'ROLE_ACTEUR', code: '1', label: 'Contact principal' } };
const METROP = { type: 'TERRITOIRE', code: 'METROP', label: 'Métropole' };

/** A format 2 file: the demo with the tables and columns format 2 had, and a CA/JDD as a pull wrote them. */
function formatTwo(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'passerelle-v2-')), 'v2.gpkg');
  copyFileSync(DEMO, path);
  const db = new Database(path);
  registerGpkgFunctions(db);
  try {
    db.transaction(() => {
      const have = new Set((db.prepare(`PRAGMA table_info(datasets)`).all() as Array<{ name: string }>).map((c) => c.name));
      for (const c of DATASET_V2_COLUMNS) if (!have.has(c.name) && c.name !== 'territory_desc') db.exec(`ALTER TABLE datasets ADD COLUMN ${quoteId(c.name)} ${c.type}`);
      createV2Tables(db);
      db.prepare(
        `INSERT INTO acquisition_frameworks (unique_acquisition_framework_id, acquisition_framework_name, actors_json, territories_json, objectives_json, voletsinp_json, server_json, local_status)
         VALUES (?, 'Écrins', ?, ?, '[]', ?, ?, 'server')`,
      ).run(CA, JSON.stringify([PNE]), JSON.stringify([METROP]), JSON.stringify([{ type: 'VOLET_SINP', code: '1', label: 'Terre' }]), JSON.stringify({ acquisition_framework_name: 'Écrins' }));
      db.prepare(`UPDATE datasets SET acquisition_framework_uuid = ?, actors_json = ?, territories_json = ?, protocols_json = '[]', objectives_json = '[]', server_json = ?, local_status = 'server' WHERE unique_dataset_id = ?`).run(
        CA,
        JSON.stringify([PNE]),
        JSON.stringify([METROP]),
        JSON.stringify({ dataset_name: 'x', dataset_objectif: '1.1' }),
        JDD,
      );
      db.prepare(`UPDATE passerelle_meta SET value = '2' WHERE key = 'format_version'`).run();
    })();
  } finally {
    db.close();
  }
  return path;
}

describe('workspace format 3', () => {
  it('migrates a format 2 file: list bases from the lists, new columns and tables, gpkg_metadata registered, rows kept', () => {
    const path = formatTwo();
    const ws = openWorkspace(path, { write: true });
    ws.close();
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare(`SELECT value FROM passerelle_meta WHERE key = 'format_version'`).get()).toEqual({ value: String(WORKSPACE_FORMAT_VERSION) });
      const cols = (t: string) => (db.prepare(`PRAGMA table_info(${t})`).all() as Array<{ name: string }>).map((c) => c.name);
      expect(cols('acquisition_frameworks')).toEqual(expect.arrayContaining(['publications_json', 'additional_json', 'parent_uuid']));
      expect(cols('datasets')).toEqual(expect.arrayContaining(['territory_desc', 'additional_json', 'bbox_west']));
      expect(cols('observations')).toEqual(expect.arrayContaining(['source_name', 'producer_name', 'producer_uuid']));
      const ca = JSON.parse((db.prepare(`SELECT server_json AS s FROM acquisition_frameworks`).get() as { s: string }).s) as Record<string, unknown>;
      expect(ca).toEqual({ acquisition_framework_name: 'Écrins', actors: [PNE], territories: [METROP], objectives: [], volets_sinp: [{ type: 'VOLET_SINP', code: '1', label: 'Terre' }], publications: [] });
      // GeoNature 2.17 (the scalar objective): the JDD's objectives list is not the server's, no base for it.
      const jdd = JSON.parse((db.prepare(`SELECT server_json AS s FROM datasets`).get() as { s: string }).s) as Record<string, unknown>;
      expect(jdd).toEqual({ dataset_name: 'x', dataset_objectif: '1.1', actors: [PNE], territories: [METROP], protocols: [] });
      const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name);
      expect(tables).toEqual(expect.arrayContaining(['metadata_operations', 'gpkg_metadata', 'gpkg_metadata_reference']));
      expect(db.prepare(`SELECT data_type FROM gpkg_contents WHERE table_name = 'metadata_operations'`).get()).toEqual({ data_type: 'attributes' });
      expect(db.prepare(`SELECT table_name, extension_name, scope FROM gpkg_extensions WHERE extension_name = 'gpkg_metadata' ORDER BY 1`).all()).toEqual([
        { table_name: 'gpkg_metadata', extension_name: 'gpkg_metadata', scope: 'read-write' },
        { table_name: 'gpkg_metadata_reference', extension_name: 'gpkg_metadata', scope: 'read-write' },
      ]);
      expect((db.prepare(`SELECT count(*) AS n FROM observations`).get() as { n: number }).n).toBe(991);
      expect(db.prepare(`SELECT before_json FROM passerelle_audit WHERE action = 'migrate' ORDER BY id DESC LIMIT 1`).get()).toEqual({ before_json: '{"formatVersion":2}' });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});
