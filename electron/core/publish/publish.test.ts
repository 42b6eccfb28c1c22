/**
 * Publishing a bundle to a udata portal (issue 9), against a local server that speaks the udata
 * API v1 subset (test/helpers/udata-server.ts) and records every request. These are PROTOCOL
 * tests — the exact calls, headers, private flag and bodies Passerelle sends, and how it reacts
 * to the documented answers (401, 413, 5xx) — not tests against data.gouv.fr (docs/publishing.md
 * has the manual check against demo.data.gouv.fr).
 */
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishRun } from '../../../shared/contract/index.js';
import { parsePublishProgress } from '../../../shared/publish/progress.js';
import { demoCopy, writeTaxonomy } from '../../../test/fixtures/bundle/fixtures.js';
import { buildOpenData, changeWorkspace, publishInput, type PublishOverrides } from '../../../test/fixtures/publish/fixtures.js';
import { tempDir } from '../../../test/helpers/gpkg-fixtures.js';
import { startUdataServer, type RecordedRequest, type UdataServer } from '../../../test/helpers/udata-server.js';
import { createJobContext } from '../jobs/context.js';
import { isAppError } from '../errors.js';
import { readHistory } from './history.js';
import { publishTask } from './publish.js';

const KEY = 'udata_test-key-4f9a8b7c6d5e';
const tmp = tempDir('passerelle-publish-');
afterAll(() => tmp.cleanup());

let server: UdataServer;
let taxonomy = '';
let ws = '';
const bundle = () => join(tmp.dir, 'bundle');
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const fileSha = (p: string) => sha(readFileSync(p));
const messages: string[] = [];
const ctx = () => createJobContext('publish-test', new AbortController().signal, (_d, _t, m) => messages.push(m));

/** 256 KiB chunks: the CSV, GeoPackage and GeoJSON of the demo go in several chunks each. */
const CHUNK = 256 * 1024;
const profile = (over: Record<string, unknown> = {}) => ({ name: 'local-udata', target: 'datagouv' as const, baseUrl: server.url, chunkSize: CHUNK, frequency: 'monthly' as const, zones: ['fr:departement:05'], ...over });
const input = (over: PublishOverrides = {}) =>
  publishInput({ bundle: bundle(), workspace: ws, taxonomy, profile: profile(), credentials: { apiKey: KEY }, ...over });

const since = (n: number) => server.requests.slice(n);
const datasetCalls = (reqs: RecordedRequest[]) => reqs.filter((r) => /\/datasets\/([^/]+\/)?$/.test(r.path) && (r.method === 'POST' || r.method === 'PUT'));

beforeAll(async () => {
  taxonomy = writeTaxonomy(tmp.dir);
  ws = demoCopy(tmp.dir, 'ecrins.gpkg');
  server = await startUdataServer({ apiKey: KEY });
  await buildOpenData(ws, bundle(), taxonomy);
}, 120_000);
afterAll(async () => {
  await server.close();
});

describe('a first publication to a udata portal', () => {
  let dry: PublishRun;
  let run: PublishRun;

  it('the dry run lists every call — private dataset, chunked uploads with their checksums — and sends nothing, writes nothing', async () => {
    const wsSha = fileSha(ws);
    dry = await publishTask(input({ dryRun: true, credentials: {} }), ctx());
    expect(server.requests).toHaveLength(0);
    expect(fileSha(ws)).toBe(wsSha);
    expect(dry.refused).toBe(false);
    expect(dry.gate.verdict).toBe('pass');
    expect(dry.action).toBe('create');
    expect(dry.publicationId).toBeNull();
    const steps = dry.calls.map((c) => c.step);
    expect(steps.slice(0, 2)).toEqual(['check-key', 'create-dataset']);
    const create = dry.calls[1];
    expect(create?.url).toBe(`${server.url}/datasets/`);
    expect(create?.body).toMatchObject({ kind: 'json', json: { private: true, license: 'lov2', frequency: 'monthly', temporal_coverage: { start: '2000-01-10', end: '2017-10-02' }, spatial: { zones: ['fr:departement:05'], granularity: 'poi' } } });
    // Every call carries the key header, masked.
    expect(dry.calls.every((c) => c.headers['X-API-KEY'] === '***')).toBe(true);
    expect(JSON.stringify(dry)).not.toContain(KEY);
    // The GeoJSON (1.8 MB) goes in 256 KiB chunks, then the combining call.
    const geojson = dry.resources.find((r) => r.path === 'data/observations.geojson');
    expect(geojson?.chunks).toBe(Math.ceil((geojson?.bytes ?? 0) / CHUNK));
    expect(dry.calls.filter((c) => c.file === 'data/observations.geojson' && c.step === 'upload-chunk')).toHaveLength(geojson?.chunks ?? -1);
    expect(dry.calls.filter((c) => c.step === 'combine-chunks').length).toBeGreaterThanOrEqual(3);
    expect(dry.resources.map((r) => [r.path, r.action])).toEqual([
      ['data/observations.csv', 'upload'],
      ['data/observations.gpkg', 'upload'],
      ['data/observations.geojson', 'upload'],
      ['dwca.zip', 'upload'],
      ['datapackage.json', 'upload'],
      ['metadata/iso19139.xml', 'upload'],
      ['LICENCE.md', 'upload'],
    ]);
    expect(dry.calls.filter((c) => c.step === 'update-resource')).toHaveLength(7);
  }, 60_000);

  it('a run without the API key is refused before any call (AUTH_FAILED, exit 3)', async () => {
    const e = await publishTask(input({ credentials: {} }), ctx()).catch((x: unknown) => x);
    expect(isAppError(e, 'AUTH_FAILED')).toBe(true);
    expect(server.requests).toHaveLength(0);
  }, 60_000);

  it('creates the dataset private, uploads every file (chunked past 256 KiB) with its SHA-256, exactly the calls of the dry run', async () => {
    messages.length = 0;
    run = await publishTask(input(), ctx());
    expect(run.refused).toBe(false);
    expect(run.action).toBe('create');
    const reqs = server.requests;
    // The same calls as the dry run, in the same order (ids filled in).
    const reqKey = (r: RecordedRequest) => `${r.method} ${r.path.replace(/\/datasets\/[0-9a-f]{24}\//, '/datasets/{dataset}/').replace(/\/resources\/[0-9a-f-]{36}\//, '/resources/{rid}/')}`;
    const dryKey = (c: PublishRun['calls'][number]) => `${c.method} ${c.url.replace(/^https?:\/\/[^/]+/, '').replace(/\/resources\/\{resource:[^}]+\}\//, '/resources/{rid}/')}`;
    expect(reqs.map(reqKey)).toEqual(dry.calls.map(dryKey));
    expect(run.calls.map((c) => c.step)).toEqual(dry.calls.map((c) => c.step));
    // Every request carried the key; the dataset was created private and is private at the portal.
    expect(reqs.every((r) => r.headers['x-api-key'] === KEY)).toBe(true);
    const create = reqs.find((r) => r.method === 'POST' && r.path === '/api/1/datasets/');
    expect(create?.json).toMatchObject({ private: true, title: 'Synthèse PNE – extrait de développement GeoNature (2018)', license: 'lov2' });
    const d = server.datasets.get(run.remote.id as string);
    expect(d?.private).toBe(true);
    expect(run.remote.visibility).toBe('private');
    expect(d?.description).toContain('## Journal des versions / Changelog');
    expect(d?.description).toContain('## 1.0.0');
    expect(d?.tags).toEqual(expect.arrayContaining(['biodiversite', 'geonature', 'sinp']));
    // The portal has the bundle's very bytes, and each resource the SHA-256 Passerelle sent.
    expect(d?.resources).toHaveLength(7);
    for (const [path, local] of [
      ['data/observations.csv', join(bundle(), 'data/observations.csv')],
      ['data/observations.geojson', join(bundle(), 'data/observations.geojson')],
      ['data/observations.gpkg', join(bundle(), 'data/observations.gpkg')],
      ['LICENCE.md', join(bundle(), 'LICENCE.md')],
    ] as const) {
      const view = run.resources.find((r) => r.path === path);
      const stored = server.files.get(view?.resourceId ?? '');
      expect(stored && sha(stored), path).toBe(fileSha(local));
      const res = d?.resources.find((r) => r.id === view?.resourceId);
      expect(res?.checksum, path).toEqual({ type: 'sha256', value: fileSha(local) });
      // The portal's own checksum (SHA-1) was checked against the file's.
      expect(view?.portalChecksum?.type).toBe('sha1');
    }
    // Chunked: the GeoJSON went in chunks of at most 256 KiB, with udata's fields.
    const chunks = reqs.filter((r) => r.form?.fields.totalparts && r.form.file && r.form.fields.filename === 'observations.geojson');
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((r) => (r.form?.file?.bytes ?? 0) <= CHUNK && r.form?.fields.chunksize === String(r.form?.file?.bytes))).toBe(true);
    expect(chunks.map((r) => Number(r.form?.fields.partbyteoffset))).toEqual(chunks.map((_, i) => i * CHUNK));
    // Progress per file.
    const perFile = messages.map(parsePublishProgress).filter((p) => p?.phase === 'upload' && p.file);
    expect(new Set(perFile.map((p) => p?.file?.path))).toEqual(new Set(run.resources.map((r) => r.path)));
  }, 60_000);

  it('records where it went in the workspace: the dataset, each file’s resource id and SHA-256, the publication', () => {
    const h = readHistory(ws, null);
    expect(h).toHaveLength(1);
    const t = h[0];
    expect(t).toMatchObject({ target: 'datagouv', profile: 'local-udata', baseUrl: server.url, remoteId: run.remote.id, visibility: 'private', lastVersion: '1.0.0', madePublicAt: null });
    expect(t?.resources.map((r) => r.path).sort()).toEqual(run.resources.map((r) => r.path).sort());
    expect(t?.resources.find((r) => r.path === 'data/observations.csv')?.sha256).toBe(fileSha(join(bundle(), 'data/observations.csv')));
    expect(t?.events).toHaveLength(1);
    expect(t?.events[0]).toMatchObject({ kind: 'upload', status: 'done', version: '1.0.0', calls: run.calls.length });
    // Nothing of the key in the workspace.
    expect(readFileSync(ws).includes(Buffer.from(KEY))).toBe(false);
  });
});

describe('a new version of the bundle', () => {
  let v2: PublishRun;
  let before: ReturnType<typeof readHistory>[number];

  it('goes to the same dataset: every file replaced in place (same resource ids), the changelog added, still private', async () => {
    before = readHistory(ws, null)[0] as typeof before;
    changeWorkspace(ws, '2026-12-01T08:00:00.000Z', 'ffffffff-0000-4000-8000-000000000001');
    const b2 = await buildOpenData(ws, bundle(), taxonomy);
    expect(b2.version).toBe('1.1.0');
    const n = server.requests.length;
    const dry = await publishTask(input({ dryRun: true }), ctx());
    expect(server.requests.length).toBe(n);
    expect(dry.action).toBe('update');
    // Every file of a new version differs (dates, version, checksums): each is replaced, none added.
    expect(Object.fromEntries(dry.resources.map((r) => [r.path, [r.action, r.resourceId]]))).toEqual(Object.fromEntries(before.resources.map((r) => [r.path, ['replace', r.resourceId]])));
    v2 = await publishTask(input(), ctx());
    expect(v2.action).toBe('update');
    expect(v2.remote.id).toBe(before.remoteId);
    const reqs = since(n);
    expect(reqs.some((r) => r.method === 'POST' && r.path === '/api/1/datasets/')).toBe(false);
    expect(reqs.map((r) => `${r.method} ${r.path}`)).toContain(`GET /api/1/datasets/${before.remoteId}/`);
    const csvRid = before.resources.find((r) => r.path === 'data/observations.csv')?.resourceId;
    expect(reqs.some((r) => r.path === `/api/1/datasets/${before.remoteId}/resources/${csvRid}/upload/`)).toBe(true);
    const licRid = before.resources.find((r) => r.path === 'LICENCE.md')?.resourceId;
    expect(reqs.some((r) => r.path.includes(`/resources/${licRid}/upload/`))).toBe(true);
    const d = server.datasets.get(before.remoteId);
    expect(d?.resources).toHaveLength(7);
    expect(sha(server.files.get(csvRid as string) as Buffer)).toBe(fileSha(join(bundle(), 'data/observations.csv')));
    // Every dataset call said private: true, the update too (the portal would have made it public otherwise).
    const calls = datasetCalls(server.requests);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.every((r) => (r.json as { private?: unknown }).private === true)).toBe(true);
    expect(d?.private).toBe(true);
    // The changelog of both versions in the description, newest first.
    expect(d?.description.indexOf('## 1.1.0')).toBeGreaterThan(-1);
    expect(d?.description.indexOf('## 1.1.0')).toBeLessThan(d?.description.indexOf('## 1.0.0') ?? -1);
    const h = readHistory(ws, null)[0];
    expect(h?.lastVersion).toBe('1.1.0');
    expect(h?.events.map((e) => [e.version, e.status])).toEqual([
      ['1.0.0', 'done'],
      ['1.1.0', 'done'],
    ]);
    expect(h?.resources.find((r) => r.path === 'data/observations.csv')).toMatchObject({ resourceId: csvRid, version: '1.1.0' });
    expect(h?.resources.find((r) => r.path === 'LICENCE.md')).toMatchObject({ resourceId: licRid, version: '1.1.0' });
  }, 120_000);
});

describe('the portal’s answers', () => {
  it('5xx: retried with backoff, then the publication goes on (attempts recorded)', async () => {
    const n = server.requests.length;
    server.failNext(2, 503, (m, p) => m === 'GET' && p === '/api/1/me/');
    const r = await publishTask(input(), ctx());
    expect(r.calls[0]).toMatchObject({ step: 'check-key', status: 200, attempts: 3 });
    expect(since(n).slice(0, 3).map((x) => x.status)).toEqual([503, 503, 200]);
  }, 60_000);

  it('5xx that retries do not cure: UNREACHABLE (exit 3), the history says where it stopped', async () => {
    server.failNext(4, 502, (m, p) => m === 'PUT' && /\/datasets\/[^/]+\/$/.test(p));
    // A new version, so that files are replaced before the failing update of the dataset.
    changeWorkspace(ws, '2026-12-02T08:00:00.000Z', 'ffffffff-0000-4000-8000-000000000002');
    await buildOpenData(ws, bundle(), taxonomy);
    const e = await publishTask(input(), ctx()).catch((x: unknown) => x);
    expect(isAppError(e, 'UNREACHABLE')).toBe(true);
    const last = readHistory(ws, null)[0]?.events.at(-1);
    expect(last).toMatchObject({ version: '1.2.0', status: 'partial' });
    expect(last?.message).toContain('502');
    // The next run finishes it on the same dataset, sending only what is left: the files went, their SHA-256 is recorded, they are kept.
    const n = server.requests.length;
    const again = await publishTask(input(), ctx());
    expect(again.action).toBe('update');
    expect(again.resources.every((r) => r.action === 'keep')).toBe(true);
    expect(since(n).filter((x) => x.form?.file)).toHaveLength(0);
    expect(readHistory(ws, null)[0]?.lastVersion).toBe('1.2.0');
  }, 120_000);

  it('401: a wrong key is AUTH_FAILED before anything changes', async () => {
    const n = server.requests.length;
    const e = await publishTask(input({ credentials: { apiKey: 'udata_wrong' } }), ctx()).catch((x: unknown) => x);
    expect(isAppError(e, 'AUTH_FAILED')).toBe(true);
    expect(since(n).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /api/1/me/ 401']);
    expect(readHistory(ws, null)[0]?.events.at(-1)?.status).toBe('failed');
  }, 60_000);

  it('413: the chunks get smaller until the portal takes them', async () => {
    const dir = join(tmp.dir, 'small');
    cpSync(bundle(), dir, { recursive: true });
    server.setMaxBodyBytes(150 * 1024);
    try {
      const n = server.requests.length;
      const r = await publishTask(input({ bundle: dir, newDataset: true }), ctx());
      expect(r.action).toBe('create');
      const reqs = since(n);
      expect(reqs.some((x) => x.status === 413)).toBe(true);
      const accepted = reqs.filter((x) => x.status === 200 && x.form?.fields.partindex !== undefined);
      expect(accepted.length).toBeGreaterThan(0);
      expect(accepted.every((x) => x.bodyBytes <= 150 * 1024)).toBe(true);
      const csv = r.resources.find((x) => x.path === 'data/observations.csv');
      expect(sha(server.files.get(csv?.resourceId as string) as Buffer)).toBe(fileSha(join(dir, 'data/observations.csv')));
      // A new dataset for the same bundle at the same portal: the older one is no longer updated.
      const targets = readHistory(ws, null);
      expect(targets).toHaveLength(2);
    } finally {
      server.setMaxBodyBytes(null);
    }
  }, 120_000);

  it('a 500 on creation is not retried (the dataset may exist): UNREACHABLE, nothing recorded as created', async () => {
    const dir = join(tmp.dir, 'again');
    cpSync(bundle(), dir, { recursive: true });
    server.failNext(1, 500, (m, p) => m === 'POST' && p === '/api/1/datasets/');
    const n = server.requests.length;
    const e = await publishTask(input({ bundle: dir, newDataset: true }), ctx()).catch((x: unknown) => x);
    expect(isAppError(e, 'UNREACHABLE')).toBe(true);
    expect(since(n).filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(readHistory(ws, null)).toHaveLength(2);
  }, 60_000);
});

describe('the gate before anything is sent', () => {
  it('a tampered bundle is refused: verdict fail, no call made', async () => {
    const dir = join(tmp.dir, 'tampered');
    cpSync(bundle(), dir, { recursive: true });
    appendFileSync(join(dir, 'data/observations.csv'), '"x"\r\n');
    const n = server.requests.length;
    const r = await publishTask(input({ bundle: dir }), ctx());
    expect(r.refused).toBe(true);
    expect(r.gate.verdict).toBe('fail');
    expect(r.problems[0]?.code).toBe('gate');
    expect(r.calls).toEqual([]);
    expect(server.requests.length).toBe(n);
  }, 60_000);
});

describe('the explicit publish step', () => {
  it('makes the dataset public — dry run first, then the one call — and later updates keep it public', async () => {
    const id = readHistory(ws, null).find((t) => t.supersededAt === null)?.remoteId as string;
    const dry = await publishTask(input({ step: 'make-public', dryRun: true }), ctx());
    expect(dry.action).toBe('make-public');
    expect(dry.calls.map((c) => `${c.step} ${c.method}`)).toEqual(['check-key GET', 'get-dataset GET', 'make-public PUT']);
    expect(dry.calls[2]?.body).toMatchObject({ kind: 'json', json: { private: false } });
    expect(server.datasets.get(id)?.private).toBe(true);
    const r = await publishTask(input({ step: 'make-public' }), ctx());
    expect(r.remote.visibility).toBe('public');
    expect(server.datasets.get(id)?.private).toBe(false);
    const t = readHistory(ws, null).find((x) => x.remoteId === id);
    expect(t?.visibility).toBe('public');
    expect(t?.madePublicAt).not.toBeNull();
    // The next version updates it without unpublishing it.
    changeWorkspace(ws, '2026-12-03T08:00:00.000Z', 'ffffffff-0000-4000-8000-000000000003');
    await buildOpenData(ws, bundle(), taxonomy);
    const n = server.requests.length;
    const up = await publishTask(input(), ctx());
    expect(up.remote.visibility).toBe('public');
    const put = datasetCalls(since(n)).at(-1);
    expect((put?.json as { private?: unknown }).private).toBe(false);
    expect(server.datasets.get(id)?.private).toBe(false);
  }, 120_000);

  it('is refused for a version not sent completely', async () => {
    const other = join(tmp.dir, 'ws-other.gpkg');
    cpSync(ws, other);
    const db = new Database(other);
    db.prepare('DELETE FROM publish_events').run();
    db.close();
    const r = await publishTask(input({ step: 'make-public', workspace: other, historyFile: other }), ctx());
    expect(r.refused).toBe(true);
    expect(r.problems[0]?.code).toBe('version-not-sent');
  }, 60_000);
});
