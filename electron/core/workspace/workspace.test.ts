import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import gdal from 'gdal-async';
import { describe, expect, it } from 'vitest';
import { SHARED_DATA } from '../../../test/helpers/paths.js';
import { isAppError } from '../errors.js';
import { createJobContext } from '../jobs/context.js';
import { demoWorkspacePath } from '../paths.js';
import { createWorkspaceFile } from './create.js';
import { openWorkspace } from './open.js';
import { summarizeWorkspaceTask } from './summary.js';
import { WORKSPACE_FORMAT_VERSION } from './format.js';

const demo = demoWorkspacePath();
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const tmp = () => mkdtempSync(join(tmpdir(), 'passerelle-ws-'));
const ctx = () => createJobContext('t', new AbortController().signal, () => undefined);

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'OK';
  } catch (e) {
    return isAppError(e) ? e.code : `not an AppError: ${String(e)}`;
  }
}

describe('the demo workspace', () => {
  it('summarises to what the demo command prints', async () => {
    const s = await summarizeWorkspaceTask({ path: demo }, ctx());
    // The bundled demo stays at format 1: read-only opens of an older format work (migrations.test.ts migrates a copy).
    expect(s.formatVersion).toBe(1);
    expect(WORKSPACE_FORMAT_VERSION).toBeGreaterThan(1);
    expect(s.observations).toEqual({ count: 991, dateMin: '2000-01-10', dateMax: '2017-10-02', taxa: 253, observers: 59 });
    expect(s.layers.find((l) => l.name === 'observations')).toMatchObject({ dataType: 'features', srsId: 4326, count: 991 });
    expect(s.layers.find((l) => l.name === 'areas')?.count).toBe(686);
    expect(s.datasets).toEqual([expect.objectContaining({ observations: 991 })]);
    // The Écrins, roughly: between Grenoble and Briançon, Gap and La Grave.
    expect(s.extent?.minX).toBeGreaterThan(5.8);
    expect(s.extent?.maxX).toBeLessThan(6.7);
    expect(s.extent?.minY).toBeGreaterThan(44.4);
    expect(s.extent?.maxY).toBeLessThan(45.2);
  });

  it('is never modified by reading it', async () => {
    const before = sha(demo);
    const mtime = statSync(demo).mtimeMs;
    await summarizeWorkspaceTask({ path: demo }, ctx());
    openWorkspace(demo).close();
    expect(sha(demo)).toBe(before);
    expect(statSync(demo).mtimeMs).toBe(mtime);
    expect(readdirSync(join(demo, '..')).filter((f) => /-(wal|shm|journal)$/.test(f))).toEqual([]);
  });

  it('is a GeoPackage GDAL reads: 991 features, same UUIDs', async () => {
    const ds = await gdal.openAsync(demo);
    const layer = ds.layers.get('observations');
    expect(layer.features.count()).toBe(991);
    const db = new Database(demo, { readonly: true });
    const first = db.prepare('SELECT fid, unique_id_sinp FROM observations ORDER BY fid LIMIT 1').get() as { fid: number; unique_id_sinp: string };
    expect(layer.features.get(first.fid).fields.get('unique_id_sinp')).toBe(first.unique_id_sinp);
    db.close();
    ds.close();
  });

  it('passes SQLite integrity and foreign key checks', () => {
    const db = new Database(demo, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });
});

describe('opening a workspace says what is wrong', () => {
  it('not SQLite', () => {
    const f = join(tmp(), 'notes.gpkg');
    writeFileSync(f, 'Observation de gypaète barbu, 12 mars.\n');
    expect(codeOf(() => openWorkspace(f))).toBe('NOT_SQLITE');
  });

  it('a plain SQLite database (real file from geopackage-js)', () => {
    expect(codeOf(() => openWorkspace(join(SHARED_DATA, 'geopackage', 'ngajs__test.gpkg')))).toBe('NOT_GEOPACKAGE');
  });

  it('a GeoPackage that is not a workspace (PDOK reference file)', () => {
    expect(codeOf(() => openWorkspace(join(SHARED_DATA, 'geopackage', 'pdok__test_allcorrect.gpkg')))).toBe('NOT_A_WORKSPACE');
  });

  it('a workspace from a newer Passerelle', () => {
    const f = join(tmp(), 'future.gpkg');
    copyFileSync(demo, f);
    const db = new Database(f);
    db.prepare("UPDATE passerelle_meta SET value = '999' WHERE key = 'format_version'").run();
    db.close();
    expect(codeOf(() => openWorkspace(f))).toBe('WORKSPACE_TOO_NEW');
  });

  it('a truncated copy', () => {
    const f = join(tmp(), 'cut.gpkg');
    copyFileSync(demo, f);
    truncateSync(f, Math.floor(statSync(f).size / 2));
    expect(codeOf(() => openWorkspace(f))).toBe('TRUNCATED');
  });

  it('a folder', () => {
    expect(codeOf(() => openWorkspace(tmp()))).toBe('UNREADABLE');
  });
});

describe('creating a workspace is atomic', () => {
  it('a failure midway leaves the previous file intact and no temporary file', async () => {
    const dir = tmp();
    const target = join(dir, 'travail.gpkg');
    copyFileSync(demo, target);
    const before = sha(target);
    await expect(
      createWorkspaceFile(target, { title: 't', source: null, localSrid: 2154, actor: 'test' }, (db) => {
        db.prepare("INSERT INTO datasets (unique_dataset_id, dataset_name) VALUES ('x', 'JDD')").run();
        throw new Error('the connection dropped');
      }),
    ).rejects.toThrow('the connection dropped');
    expect(sha(target)).toBe(before);
    expect(readdirSync(dir)).toEqual(['travail.gpkg']);
  });

  it('a new workspace records its creation in the audit log', async () => {
    const target = join(tmp(), 'neuf.gpkg');
    await createWorkspaceFile(target, { title: 'Neuf', source: null, localSrid: null, actor: 'test' }, () => undefined);
    const ws = openWorkspace(target);
    const audit = ws.db.prepare('SELECT actor, action, entity FROM passerelle_audit').all();
    ws.close();
    expect(audit).toEqual([{ actor: 'test', action: 'create', entity: 'workspace' }]);
  });
});
