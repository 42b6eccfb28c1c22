import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, methods, type Client, type JobProgress } from '../../shared/contract/index.js';
import { inProcess, overHttp, overIpcLoopback, type TransportUnderTest } from '../helpers/transports.js';

/**
 * One contract suite, run against every transport that can run here: in-process (the
 * CLI's path), HTTP + SSE (the web host) and the IPC adapter + preload bridge (the app's
 * path, without the Electron binary).
 */
const transports: Array<[string, () => Promise<TransportUnderTest> | TransportUnderTest]> = [
  ['in-process', inProcess],
  ['http', overHttp],
  ['ipc', overIpcLoopback],
];

describe.each(transports)('contract over %s', (_name, make) => {
  let t: TransportUnderTest;
  let client: Client;
  beforeAll(async () => {
    t = await make();
    client = createClient(t.transport);
  });
  afterAll(async () => {
    await t.close();
  });

  it('app.info gives the library versions and a valid shape', async () => {
    const r = await client.call('app.info', {});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(methods['app.info'].output.safeParse(r.value).success).toBe(true);
    expect(r.value.libraries.gdal).toMatch(/^\d+\.\d+/);
    expect(r.value.libraries.sqlite).toMatch(/^3\.\d+/);
    expect(r.value.paths.demoWorkspace).toMatch(/ecrins-demo\.gpkg$/);
    // Never a password in what crosses the boundary.
    expect(JSON.stringify(r.value)).not.toMatch(/password/i);
  });

  it('workspace.summary of the demo: 991 observations, with job progress events', async () => {
    const info = await client.invoke('app.info', {});
    const events: JobProgress[] = [];
    const off = client.on('job.progress', (p) => events.push(p));
    const jobId = `summary-${t.name}`;
    const s = await client.invoke('workspace.summary', { path: info.paths.demoWorkspace, jobId });
    off();
    expect(s.observations.count).toBe(991);
    expect(s.observations.dateMin).toBe('2000-01-10');
    expect(s.observations.dateMax).toBe('2017-10-02');
    expect(s.observations.taxa).toBe(253);
    expect(s.datasets).toHaveLength(1);
    expect(s.datasets[0]?.observations).toBe(991);
    expect(s.extent?.srsId).toBe(4326);
    // SSE may deliver the last event just after the reply: wait for it briefly.
    for (let i = 0; i < 20 && !events.some((e) => e.done === e.total); i++) await new Promise((r) => setTimeout(r, 25));
    expect(events.filter((e) => e.jobId === jobId).length).toBeGreaterThan(0);
    expect(events.some((e) => e.jobId === jobId && e.total !== null && e.done === e.total)).toBe(true);
  });

  it('an unknown method is an error value, not an exception', async () => {
    const raw = await t.transport.call('nope.never', {});
    expect(raw).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('input is validated against the schema (a relative path is refused)', async () => {
    const r = await client.call('workspace.summary', { path: 'relative/demo.gpkg' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_INPUT');
      expect(r.error.message).toMatch(/absolute path/);
    }
  });

  it('unknown fields are refused (strict inputs)', async () => {
    const r = await t.transport.call('app.info', { surprise: 1 });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('a path the user did not open is refused by the app and the web host; a missing file says where', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-contract-'));
    const missing = join(dir, 'absent.gpkg');
    const r = await client.call('workspace.summary', { path: missing });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(t.enforcesPaths ? 'PATH_NOT_ALLOWED' : 'NOT_FOUND');
    const opened = await client.call('workspace.open', { path: missing });
    expect(opened.ok).toBe(false);
    if (!opened.ok) {
      expect(opened.error.code).toBe('NOT_FOUND');
      expect(opened.error.details?.where).toBe(missing);
    }
  });

  it('workspace.open grants the chosen file to later calls', async () => {
    const info = await client.invoke('app.info', {});
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-contract-'));
    const copy = join(dir, 'copie démo é.gpkg');
    copyFileSync(info.paths.demoWorkspace, copy);
    const before = await client.call('workspace.summary', { path: copy });
    expect(before.ok).toBe(!t.enforcesPaths);
    const opened = await client.invoke('workspace.open', { path: copy });
    expect(opened.observations.count).toBe(991);
    const after = await client.call('workspace.summary', { path: copy });
    expect(after.ok).toBe(true);
  });

  it('map.sources gives a tile handle, never the path', async () => {
    const info = await client.invoke('app.info', {});
    const m = await client.invoke('map.sources', { path: info.paths.demoWorkspace });
    expect(m.sourceId).toMatch(/^[0-9a-f]{16}$/);
    expect(m.layers.map((l) => l.role).sort()).toEqual(['communes', 'departements', 'observations']);
    expect(m.layers.find((l) => l.role === 'observations')?.count).toBe(991);
    expect(JSON.stringify(m)).not.toContain('ecrins-demo');
  });

  it('metadata: the demo’s tree, then a split previewed as a job (the app and the web host run it in a job process)', async () => {
    const info = await client.invoke('app.info', {});
    const tree = await client.invoke('metadata.tree', { workspace: info.paths.demoWorkspace });
    expect(tree.orphans.map((d) => [d.observations, d.errors])).toEqual([[991, 11]]);
    const events: JobProgress[] = [];
    const off = client.on('job.progress', (p) => events.push(p));
    const jobId = `split-${t.name}-${Date.now()}`;
    const split = await client.invoke('metadata.split', { workspace: info.paths.demoWorkspace, dataset: tree.orphans[0]?.uuid ?? '', by: { kind: 'year' }, minObservations: 100, dryRun: true, jobId });
    off();
    expect(split.groups.map((g) => [g.key, g.observations])).toEqual([
      ['2015', 153],
      ['2016', 295],
      ['2017', 507],
      ['(others)', 36],
    ]);
    // Writes to the demo, dry runs included, go to its working copy.
    expect(split.workspace).not.toBe(info.paths.demoWorkspace);
    for (let i = 0; i < 20 && !events.some((e) => e.jobId === jobId); i++) await new Promise((r) => setTimeout(r, 25));
    expect(events.some((e) => e.jobId === jobId && e.method === 'metadata.split')).toBe(true);
  });

  it('job.cancel of an unknown job says so', async () => {
    expect(await client.invoke('job.cancel', { jobId: 'never-started' })).toEqual({ cancelled: false });
  });

  it('job.cancel on a running job ends it with CANCELLED or lets a finished one stand', async () => {
    // A cancel races the job: the 991-row summary may finish first. Either way the caller gets
    // a coherent answer; the decisive cancel tests are beside the runners (electron/core/jobs).
    const info = await client.invoke('app.info', {});
    const jobId = `cancel-${t.name}-${Date.now()}`;
    const pending = client.call('workspace.summary', { path: info.paths.demoWorkspace, jobId });
    await client.invoke('job.cancel', { jobId });
    const r = await pending;
    if (r.ok) expect(r.value.observations.count).toBe(991);
    else expect(r.error.code).toBe('CANCELLED');
  });

  it('dialog.openFile is not offered by faces without a system dialog', async () => {
    expect(await client.invoke('dialog.openFile', {})).toEqual({ supported: false, path: null });
  });
});

