import { copyFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createJobContext } from '../jobs/context.js';
import { demoWorkspacePath } from '../paths.js';
import { workspaceGeoNature, editField } from '../geonature/changes.js';
import { WORKSPACE_FORMAT_VERSION } from './format.js';
import { openWorkspace } from './open.js';
import { summarizeWorkspaceTask } from './summary.js';

const demo = demoWorkspacePath();
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const ctx = () => createJobContext('t', new AbortController().signal, () => undefined);

function copyOfDemo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-migrate-'));
  const path = join(dir, 'demo-v1.gpkg');
  copyFileSync(demo, path);
  return path;
}

const tables = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(`SELECT table_name AS t FROM gpkg_contents ORDER BY 1`).all() as Array<{ t: string }>).map((r) => r.t);
  } finally {
    db.close();
  }
};

describe('workspace migrations', () => {
  it('the bundled demo is format 1, and reading it (or a copy) read-only changes nothing', async () => {
    const path = copyOfDemo();
    const before = sha(path);
    const ws = openWorkspace(path);
    expect(ws.formatVersion).toBe(1);
    ws.close();
    const s = await summarizeWorkspaceTask({ path }, ctx());
    expect(s.observations.count).toBe(991);
    // The GeoNature view of an older workspace: empty, not an error.
    expect(workspaceGeoNature(path)).toMatchObject({ formatVersion: 1, provenance: null, frameworks: [], datasets: [], pendingChanges: 0 });
    expect(sha(path)).toBe(before);
  });

  it(`opening a copy of the demo for writing migrates it to format ${WORKSPACE_FORMAT_VERSION} in one transaction, keeping every row`, async () => {
    const demoSha = sha(demo);
    const path = copyOfDemo();
    const before = new Database(path, { readonly: true });
    const obsBefore = before.prepare('SELECT * FROM observations ORDER BY fid').all();
    const dsBefore = before.prepare('SELECT * FROM datasets').all() as Array<Record<string, unknown>>;
    before.close();

    const ws = openWorkspace(path, { write: true });
    expect(ws.formatVersion).toBe(WORKSPACE_FORMAT_VERSION);
    expect(ws.meta.get('format_version')).toBe(String(WORKSPACE_FORMAT_VERSION));
    ws.close();

    expect(tables(path)).toEqual(
      expect.arrayContaining(['acquisition_frameworks', 'nomenclatures', 'taxref', 'sensitivity_rules', 'sensitivity_rule_areas', 'sensitivity_rule_criteria', 'sensitivity_area_types', 'change_journal', 'pull_conflicts']),
    );
    const after = new Database(path, { readonly: true });
    try {
      // Every row kept as it was; format 3 adds the columns a split by protocol or producer reads, empty here.
      const obsAfter = after.prepare('SELECT * FROM observations ORDER BY fid').all() as Array<Record<string, unknown>>;
      expect(obsAfter.map((o) => Object.fromEntries(Object.keys(obsBefore[0] as object).map((k) => [k, o[k]])))).toEqual(obsBefore);
      expect(obsAfter.every((o) => o.source_name === null && o.producer_name === null && o.producer_uuid === null)).toBe(true);
      const ds = after.prepare('SELECT * FROM datasets').all() as Array<Record<string, unknown>>;
      expect(ds).toHaveLength(dsBefore.length);
      expect(ds[0]).toMatchObject({ ...dsBefore[0], local_status: 'server', cd_nomenclature_data_type: null });
      const cols = (after.prepare('PRAGMA table_info(areas)').all() as Array<{ name: string }>).map((c) => c.name);
      expect(cols).toContain('geom_local_wkb');
      const audit = after.prepare(`SELECT action, before_json, after_json FROM passerelle_audit ORDER BY id DESC LIMIT 1`).get();
      expect(audit).toEqual({ action: 'migrate', before_json: '{"formatVersion":1}', after_json: `{"formatVersion":${WORKSPACE_FORMAT_VERSION}}` });
      expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      after.close();
    }
    // A second write-open finds nothing to do.
    const again = openWorkspace(path, { write: true });
    const migrations = (again.db.prepare(`SELECT count(*) AS n FROM passerelle_audit WHERE action = 'migrate'`).get() as { n: number }).n;
    again.close();
    expect(migrations).toBe(1);
    // The committed demo was never touched.
    expect(sha(demo)).toBe(demoSha);
    expect(statSync(demo).size).toBeGreaterThan(0);
  });

  it('a change method on a format 1 workspace migrates it first and records the change', () => {
    const path = copyOfDemo();
    const uuid = (new Database(path, { readonly: true }).prepare('SELECT unique_dataset_id AS u FROM datasets').get() as { u: string }).u;
    const change = editField(path, 'dataset', uuid, 'dataset_shortname', 'demo_ecrins', 'test');
    expect(change).toMatchObject({ kind: 'edit', before: 'jdd_synthese_dev', after: 'demo_ecrins', state: 'pending' });
    const info = workspaceGeoNature(path);
    expect(info.formatVersion).toBe(WORKSPACE_FORMAT_VERSION);
    // Not pulled from a server: no base, so the JDD counts as made here.
    expect(info.datasets[0]).toMatchObject({ uuid, status: 'created', values: { dataset_shortname: 'demo_ecrins' } });
    expect(info.pendingChanges).toBe(1);
  });
});
