/**
 * The publishing history in the workspace (format 6, issue 9): the 5 → 6 migration, and the
 * history written as a publication goes (created at once, resources one by one, the end).
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../../test/helpers/paths.js';
import { WORKSPACE_FORMAT_VERSION } from '../workspace/format.js';
import { openWorkspace } from '../workspace/open.js';
import { findTarget, HistoryWriter, readHistory } from './history.js';
import { PUB } from './schema.js';

const demoCopy = () => {
  const p = join(mkdtempSync(join(tmpdir(), 'passerelle-pubhist-')), 'ecrins.gpkg');
  copyFileSync(DEMO, p);
  return p;
};
const rows = <T>(path: string, sql: string): T[] => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
};

describe('format 6', () => {
  it('a v5 file migrates to v6: the publishing tables appear, registered in gpkg_contents, nothing else changes', () => {
    const path = demoCopy();
    openWorkspace(path, { write: true }).close();
    const db = new Database(path);
    for (const t of Object.values(PUB)) {
      db.exec(`DROP TABLE ${t}`);
      db.prepare('DELETE FROM gpkg_contents WHERE table_name = ?').run(t);
    }
    db.prepare("UPDATE passerelle_meta SET value = '5' WHERE key = 'format_version'").run();
    const before = db.prepare('SELECT count(*) AS n FROM observations').get();
    db.close();
    expect(WORKSPACE_FORMAT_VERSION).toBeGreaterThanOrEqual(6);
    const ws = openWorkspace(path, { write: true });
    expect(ws.formatVersion).toBe(WORKSPACE_FORMAT_VERSION);
    ws.close();
    const contents = rows<{ table_name: string; data_type: string }>(path, "SELECT table_name, data_type FROM gpkg_contents WHERE table_name LIKE 'publish_%' ORDER BY 1");
    expect(contents).toEqual([
      { table_name: 'publish_events', data_type: 'attributes' },
      { table_name: 'publish_resources', data_type: 'attributes' },
      { table_name: 'publish_targets', data_type: 'attributes' },
    ]);
    expect(rows(path, 'SELECT count(*) AS n FROM observations')[0]).toEqual(before);
    expect(rows(path, "SELECT before_json FROM passerelle_audit WHERE action = 'migrate' ORDER BY id DESC LIMIT 1")[0]).toEqual({ before_json: '{"formatVersion":5}' });
    expect(rows(path, 'PRAGMA integrity_check')[0]).toEqual({ integrity_check: 'ok' });
  });

  it('an older file read-only has no history (and is not changed)', () => {
    const path = demoCopy();
    expect(readHistory(path, null)).toEqual([]);
    expect(rows(path, "SELECT value FROM passerelle_meta WHERE key = 'format_version'")[0]).toEqual({ value: '1' });
  });
});

describe('the history as a publication goes', () => {
  const facts = { target: 'datagouv' as const, profile: 'datagouv-demo', baseUrl: 'https://demo.data.gouv.fr/api/1', bundleId: 'b-1', bundlePath: '/lots/b', version: '1.0.0', asOf: '2026-11-29T09:46:15.356Z', actor: 'tester', kind: 'upload' as const };

  it('the dataset is remembered as soon as it exists, resources one by one; a stop leaves it partial, the next run finds it', () => {
    const path = demoCopy();
    const h = new HistoryWriter(path, facts);
    h.begin(null);
    h.created({ id: 'ds-1', slug: 'synthese', page: 'https://demo.data.gouv.fr/fr/datasets/synthese/', visibility: 'private' }, false);
    h.resource({ path: 'data/observations.csv', resourceId: 'r-1', url: 'https://x/r-1.csv', sha256: 'aa', bytes: 10 });
    h.finish('partial', 'stopped', [], []);
    const ws = openWorkspace(path);
    const found = findTarget(ws.db, 'datagouv', facts.baseUrl, 'b-1');
    ws.close();
    expect(found?.row).toMatchObject({ remote_id: 'ds-1', visibility: 'private', last_version: null });
    expect(found?.resources.map((r) => [r.path, r.resource_id, r.sha256])).toEqual([['data/observations.csv', 'r-1', 'aa']]);
    expect(found?.lastUpload).toEqual({ status: 'partial', version: '1.0.0' });
    const h2 = new HistoryWriter(path, facts);
    h2.begin(found?.row.id ?? null);
    h2.resource({ path: 'data/observations.csv', resourceId: 'r-1', url: 'https://x/r-1b.csv', sha256: 'bb', bytes: 11 });
    h2.removed('LICENCE.md');
    h2.finish('done', null, [], [{ path: 'data/observations.csv', resourceId: 'r-1', action: 'replace' }]);
    const [t] = readHistory(path, 'b-1');
    expect(t).toMatchObject({ remoteId: 'ds-1', lastVersion: '1.0.0', supersededAt: null });
    expect(t?.resources).toEqual([expect.objectContaining({ path: 'data/observations.csv', resourceId: 'r-1', sha256: 'bb', bytes: 11 })]);
    expect(t?.events.map((e) => [e.status, e.message])).toEqual([
      ['partial', 'stopped'],
      ['done', null],
    ]);
    // Another portal, another bundle: not found.
    const ws2 = openWorkspace(path);
    expect(findTarget(ws2.db, 'datagouv', 'https://www.data.gouv.fr/api/1', 'b-1')).toBeNull();
    expect(findTarget(ws2.db, 'datagouv', facts.baseUrl, 'b-2')).toBeNull();
    ws2.close();
  });
});
