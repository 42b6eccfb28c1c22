/**
 * `passerelle publish` as a user or a script runs it (the built CLI in a child process), against
 * the local udata and GeoNetwork protocol servers of the tests (not the real services): dry run,
 * publication with the key from PASSERELLE_UDATA_API_KEY, a new version, the explicit publish
 * step, the history, the landing page, the DCAT feed, and the exit codes (1 refused, 3 key refused
 * or portal unreachable).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedResult, LandingResult, PublishHistory, PublishRun } from '../../../shared/contract/index.js';
import { demoCopy, writeTaxonomy } from '../../../test/fixtures/bundle/fixtures.js';
import { buildOpenData, changeWorkspace, V13 } from '../../../test/fixtures/publish/fixtures.js';
import { startGeoNetworkServer, type GeoNetworkServer } from '../../../test/helpers/geonetwork-server.js';
import { tempDir } from '../../../test/helpers/gpkg-fixtures.js';
import { ROOT } from '../../../test/helpers/paths.js';
import { startUdataServer, type UdataServer } from '../../../test/helpers/udata-server.js';

const KEY = 'udata_cli-test-key';
const tmp = tempDir('passerelle-cli-publish-');
const home = join(tmp.dir, 'home');
let udata: UdataServer;
let gn: GeoNetworkServer;
let ws = '';
let taxonomy = '';
const bundle = () => join(tmp.dir, 'bundle');

/** The real `passerelle` command, run asynchronously (the servers answer from this process). */
function passerelle(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (!existsSync(join(ROOT, 'dist', 'electron', 'cli', 'main.js'))) throw new Error('The CLI is not built: run `npm run build`.');
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(ROOT, 'bin', 'passerelle.js'), ...args], {
      env: { ...process.env, PASSERELLE_HOME: home, PASSERELLE_PUBLISH_RETRY_BASE_MS: '5', HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '', http_proxy: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
const json = <T>(stdout: string) => JSON.parse(stdout) as { ok: true; value: T };
const common = () => ['-w', ws, '--referential', V13, '--taxonomy', taxonomy];

beforeAll(async () => {
  udata = await startUdataServer({ apiKey: KEY });
  gn = await startGeoNetworkServer({ user: 'editeur', password: 'gn-secret' });
  taxonomy = writeTaxonomy(tmp.dir);
  ws = demoCopy(tmp.dir, 'ecrins.gpkg');
  await buildOpenData(ws, bundle(), taxonomy);
}, 120_000);
afterAll(async () => {
  await Promise.all([udata.close(), gn.close()]);
  tmp.cleanup();
});

describe('passerelle publish', () => {
  it('--dry-run lists every call and sends nothing (no key needed)', async () => {
    const r = await passerelle(['-q', 'publish', bundle(), '--target', 'datagouv', '--base-url', udata.url, '--dry-run', ...common()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('DRY RUN: nothing sent');
    expect(r.stdout).toContain('Gate: PASS');
    expect(r.stdout).toMatch(/POST\s+http:\/\/127\.0\.0\.1:\d+\/api\/1\/datasets\/ private=true/);
    expect(udata.requests).toHaveLength(0);
  }, 120_000);

  it('without PASSERELLE_UDATA_API_KEY: exit 3 and nothing sent; with a wrong one: exit 3', async () => {
    const none = await passerelle(['-q', 'publish', bundle(), '--target', 'datagouv', '--base-url', udata.url, ...common()]);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('AUTH_FAILED');
    expect(udata.requests).toHaveLength(0);
    const wrong = await passerelle(['-q', 'publish', bundle(), '--target', 'datagouv', '--base-url', udata.url, ...common()], { PASSERELLE_UDATA_API_KEY: 'udata_wrong' });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).not.toContain('udata_wrong');
  }, 120_000);

  it('publishes (private), then a new version to the same dataset; --json everywhere', async () => {
    const r = await passerelle(['--json', '-q', 'publish', bundle(), '--target', 'datagouv', '--base-url', udata.url, '--frequency', 'monthly', ...common()], { PASSERELLE_UDATA_API_KEY: KEY });
    expect(r.code, r.stderr).toBe(0);
    const v1 = json<PublishRun>(r.stdout).value;
    expect(v1).toMatchObject({ action: 'create', refused: false, remote: { visibility: 'private' } });
    expect(udata.datasets.get(v1.remote.id as string)).toMatchObject({ private: true, frequency: 'monthly', license: 'lov2' });
    expect(r.stdout).not.toContain(KEY);
    changeWorkspace(ws, '2026-12-01T08:00:00.000Z', 'ffffffff-0000-4000-8000-000000000021');
    await buildOpenData(ws, bundle(), taxonomy);
    const r2 = await passerelle(['--json', '-q', 'publish', bundle(), '--target', 'datagouv', '--base-url', udata.url, ...common()], { PASSERELLE_UDATA_API_KEY: KEY });
    expect(r2.code, r2.stderr).toBe(0);
    const v2 = json<PublishRun>(r2.stdout).value;
    expect(v2).toMatchObject({ action: 'update', remote: { id: v1.remote.id } });
    expect(udata.datasets.get(v1.remote.id as string)?.description).toContain('1.1.0');
  }, 120_000);

  it('status -w shows where each version went; --make-public is its own step', async () => {
    const s = await passerelle(['--json', 'publish', 'status', '-w', ws]);
    expect(s.code, s.stderr).toBe(0);
    const h = json<PublishHistory>(s.stdout).value;
    expect(h.targets).toHaveLength(1);
    expect(h.targets[0]?.events.map((e) => [e.version, e.status])).toEqual([
      ['1.0.0', 'done'],
      ['1.1.0', 'done'],
    ]);
    const human = await passerelle(['publish', 'status', '-w', ws]);
    expect(human.stdout).toContain(`dataset ${h.targets[0]?.remoteId}`);
    expect(human.stdout).toContain('data/observations.csv');
    const pub = await passerelle(['-q', 'publish', bundle(), '--target', 'datagouv', '--base-url', udata.url, '--make-public', ...common()], { PASSERELLE_UDATA_API_KEY: KEY });
    expect(pub.code, pub.stderr).toBe(0);
    expect(pub.stdout).toMatch(/PUT\s+\S+ private=false → 200/);
    expect(udata.datasets.get(h.targets[0]?.remoteId as string)?.private).toBe(false);
  }, 120_000);

  it('a bundle the gate refuses: exit 1, nothing sent', async () => {
    const dir = join(tmp.dir, 'tampered');
    cpSync(bundle(), dir, { recursive: true });
    appendFileSync(join(dir, 'README.md'), '\nedited\n');
    const n = udata.requests.length;
    const r = await passerelle(['-q', 'publish', dir, '--target', 'datagouv', '--base-url', udata.url, ...common()], { PASSERELLE_UDATA_API_KEY: KEY });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('REFUSED');
    expect(udata.requests.length).toBe(n);
  }, 120_000);

  it('an unreachable portal: exit 3', async () => {
    const r = await passerelle(['-q', 'publish', bundle(), '--target', 'datagouv', '--base-url', 'http://127.0.0.1:9/api/1', ...common()], { PASSERELLE_UDATA_API_KEY: KEY, PASSERELLE_PUBLISH_RETRY_BASE_MS: '1' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('UNREACHABLE');
  }, 120_000);

  it('the ISO record to a saved GeoNetwork profile (password from PASSERELLE_GEONETWORK_PASSWORD)', async () => {
    const save = await passerelle(['publish', 'save-profile', 'catalogue', '--target', 'geonetwork', '--base-url', gn.url, '--user', 'editeur', '--group', '2']);
    expect(save.code, save.stderr).toBe(0);
    const list = await passerelle(['publish', 'profiles']);
    expect(list.stdout).toMatch(/catalogue\s+geonetwork/);
    expect(list.stdout).toContain('PASSERELLE_GEONETWORK_PASSWORD');
    expect(readFileSync(join(home, 'publish-profiles.json'), 'utf8')).not.toContain('gn-secret');
    const r = await passerelle(['--json', '-q', 'publish', bundle(), '--target', 'geonetwork', '--profile', 'catalogue', ...common()], { PASSERELLE_GEONETWORK_PASSWORD: 'gn-secret' });
    expect(r.code, r.stderr).toBe(0);
    expect(json<PublishRun>(r.stdout).value).toMatchObject({ action: 'record', remote: { existed: false } });
    expect(gn.records.size).toBe(1);
  }, 120_000);

  it('landing writes the page into the bundle; feed writes the DCAT catalogue', async () => {
    const l = await passerelle(['--json', '-q', 'publish', 'landing', bundle(), '--hosted-at', 'https://donnees.parc.fr/lot/']);
    expect(l.code, l.stderr).toBe(0);
    expect(json<LandingResult>(l.stdout).value.files.map((f) => f.path)).toEqual(['index.html', 'preview.png']);
    expect(existsSync(join(bundle(), 'index.html'))).toBe(true);
    const out = join(tmp.dir, 'catalog.jsonld');
    const f = await passerelle(['--json', '-q', 'publish', 'feed', bundle(), '--out', out, '--hosted-at', 'https://donnees.parc.fr/lot/', '-w', ws]);
    expect(f.code, f.stderr).toBe(0);
    expect(json<FeedResult>(f.stdout).value.datasets).toBe(1);
    const feed = JSON.parse(readFileSync(out, 'utf8')) as { '@graph': Record<string, unknown>[] };
    expect(feed['@graph'][1]?.['dcat:landingPage']).toEqual(expect.arrayContaining([{ '@id': 'https://donnees.parc.fr/lot/index.html' }]));
    // The dataset made public on the portal is a landing page too.
    expect(JSON.stringify(feed)).toContain('/fr/datasets/');
  }, 120_000);
});
