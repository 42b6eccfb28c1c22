import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client, type JobProgress } from '../../shared/contract/index.js';
import { fixture } from '../fixtures/sensitivity/fixtures.js';
import { inProcess, overHttp, overIpcLoopback, type TransportUnderTest } from '../helpers/transports.js';

/**
 * The bundle methods over every transport: presets, the preview, and a build in a job process
 * (the IPC transport runs jobs in child processes, where the GeoPackage writer thread runs too).
 */
const transports: Array<[string, () => Promise<TransportUnderTest> | TransportUnderTest]> = [
  ['in-process', inProcess],
  ['http', overHttp],
  ['ipc', overIpcLoopback],
];

const dir = mkdtempSync(join(tmpdir(), 'passerelle-bundle-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(transports)('bundle methods over %s', (name, make) => {
  let t: TransportUnderTest;
  let client: Client;
  let demo = '';
  beforeAll(async () => {
    t = await make();
    client = createClient(t.transport);
    demo = (await client.invoke('app.info', {})).paths.demoWorkspace;
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the three built-in presets, without any pseudonym key', async () => {
    const p = await client.invoke('bundle.presets', {});
    expect(p.presets.map((x) => [x.preset.name, x.builtin])).toEqual(expect.arrayContaining([['opendata', true], ['partners', true], ['sinp', true]]));
    expect(p.presets.every((x) => x.preset.pseudonymKey === null)).toBe(true);
  });

  it('refuses a referential the user did not open (over a face that checks paths), else previews', async () => {
    const r = await client.call('bundle.preview', { workspace: demo, preset: { name: 'opendata' }, referentials: [fixture('test-referential-v13.csv')], producerAgreement: 'test' });
    if (t.enforcesPaths) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('PATH_NOT_ALLOWED');
    } else {
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.value.counts.published).toBe(991);
    }
  });

  it('builds a partners bundle as a job with progress, the gate passing', async () => {
    const out = join(dir, `partners-${name}`);
    const events: JobProgress[] = [];
    const off = client.on('job.progress', (p) => events.push(p));
    const r = await client.invoke('bundle.build', { workspace: demo, preset: { name: 'partners' }, conventionReference: 'Convention 2026-17', out, jobId: `build-${name}` });
    off();
    expect(r.written).toBe(true);
    expect(r.gate?.verdict).toBe('pass');
    expect(r.counts.precise).toBe(991);
    expect(existsSync(join(out, 'data', 'observations.gpkg'))).toBe(true);
    for (let i = 0; i < 20 && !events.some((e) => e.jobId === `build-${name}`); i++) await new Promise((res) => setTimeout(res, 25));
    expect(events.some((e) => e.jobId === `build-${name}` && e.method === 'bundle.build')).toBe(true);
  }, 60_000);
});
