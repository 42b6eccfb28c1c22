import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventName, EventPayload, Result } from '../../../shared/contract/index.js';
import { corpus, listing, sha256, tempDir } from '../../../test/helpers/gpkg-fixtures.js';
import { createEngine } from '../engine.js';
import { FileGrants } from '../files/grants.js';
import { InProcessRunner } from '../jobs/in-process-runner.js';

const tmp = tempDir();
const engine = createEngine({ host: 'cli', runner: new InProcessRunner(), env: { ...process.env, PASSERELLE_HOME: join(tmp.dir, 'home') } });
afterAll(async () => {
  await engine.close();
  tmp.cleanup();
});

const events: Array<{ name: string; payload: unknown }> = [];
const grants = new FileGrants();
const call = <T>(method: string, input: unknown): Promise<Result<T>> =>
  engine.dispatch(method, input, {
    emit: <E extends EventName>(name: E, payload: EventPayload<E>) => events.push({ name, payload }),
    paths: grants,
  }) as Promise<Result<T>>;

describe('the gpkg methods through the dispatcher', () => {
  const file = corpus('ogc-ets__null_geometry.gpkg');

  it('refuses a file the user did not open, then opens it (granting it) and pages, without touching it', async () => {
    const before = sha256(file);
    const refused = await call('gpkg.rows', { path: file, layer: 'PointExamples' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
    const opened = await call<{ layers: Array<{ name: string; count: number }> }>('gpkg.open', { path: file, jobId: 'open-1' });
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.value.layers.map((l) => [l.name, l.count])).toEqual([['PointExamples', 2], ['new_geopackage', 3]]);
    expect(events.some((e) => e.name === 'job.finished' && (e.payload as { jobId: string }).jobId === 'open-1')).toBe(true);
    const rows = await call<{ total: number; rows: Array<{ fid: number; geometry: unknown }> }>('gpkg.rows', { path: file, layer: 'new_geopackage', limit: 2 });
    expect(rows).toMatchObject({ ok: true, value: { total: 3 } });
    const feature = await call('gpkg.feature', { path: file, layer: 'new_geopackage', fid: 999 });
    expect(feature).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', details: { key: 'errors.GPKG_NO_FEATURE' } } });
    expect(sha256(file)).toBe(before);
  });

  it('validates with findings a UI can zoom to (table + fid)', async () => {
    const r = await call<{ clean: boolean; findings: Array<{ rule: string; table: string | null; fid: number | null; key: string }> }>('gpkg.validate', { path: file });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.clean).toBe(false);
    const nulls = r.value.findings.filter((f) => f.rule === 'geometry-null');
    expect(nulls.length).toBeGreaterThan(0);
    expect(nulls.every((f) => f.table !== null && f.fid !== null && f.key === 'gpkg.rule.geometry-null')).toBe(true);
  });

  it('returns errors as values with a code, an i18n key and where', async () => {
    const r = await call('gpkg.open', { path: corpus('gdal__poly.gpkg.sql') });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_SQLITE', details: { key: 'errors.GPKG_SQL_DUMP', where: corpus('gdal__poly.gpkg.sql') } } });
    const invalid = await call('gpkg.rows', { path: file, layer: 'PointExamples', limit: 5000 });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('converts to a destination the user chose, and lists map layers', async () => {
    const dest = join(tmp.dir, 'out.gpkg');
    const r = await call<{ layers: unknown[] }>('gpkg.convert', { source: file, dest });
    expect(r.ok).toBe(true);
    expect(listing(tmp.dir)).toContain('out.gpkg');
    const m = await call<{ sourceId: string; layers: Array<{ tileLayer: string; drawable: boolean }> }>('gpkg.mapSources', { path: dest });
    expect(m).toMatchObject({ ok: true });
    if (m.ok) expect(m.value.layers.map((l) => l.tileLayer).sort()).toEqual(['gpkg:PointExamples', 'gpkg:new_geopackage']);
  });
});
