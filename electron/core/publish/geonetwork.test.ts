/**
 * The bundle's ISO 19139 record sent to a GeoNetwork through its records API (issue 9): inserted,
 * then updated by its fileIdentifier, then published to all on the explicit step — against a local
 * server speaking the GeoNetwork 4 records API subset (test/helpers/geonetwork-server.ts). PROTOCOL
 * tests, not tests against a real GeoNetwork.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCopy, writeTaxonomy } from '../../../test/fixtures/bundle/fixtures.js';
import { buildOpenData, changeWorkspace, publishInput, type PublishOverrides } from '../../../test/fixtures/publish/fixtures.js';
import { startGeoNetworkServer, type GeoNetworkServer } from '../../../test/helpers/geonetwork-server.js';
import { tempDir } from '../../../test/helpers/gpkg-fixtures.js';
import { isAppError } from '../errors.js';
import { createJobContext } from '../jobs/context.js';
import { readHistory } from './history.js';
import { isoWithLinks, publishTask } from './publish.js';

const tmp = tempDir('passerelle-publish-gn-');
let gn: GeoNetworkServer;
let ws = '';
let taxonomy = '';
const bundle = () => join(tmp.dir, 'bundle');
const ctx = () => createJobContext('gn', new AbortController().signal, () => undefined);
const UUID = '5b2f4a0e-7c1d-4e8a-9f3b-2d6c8e1a4b70';
const input = (over: PublishOverrides = {}) =>
  publishInput({
    bundle: bundle(),
    workspace: ws,
    taxonomy,
    profile: { name: 'catalogue-parc', target: 'geonetwork', baseUrl: gn.url, user: 'editeur', group: '3' },
    credentials: { password: 'gn-secret' },
    hostedAt: 'https://donnees.ecrins-parcnational.fr/lots/synthese/',
    ...over,
  });

beforeAll(async () => {
  gn = await startGeoNetworkServer({ user: 'editeur', password: 'gn-secret' });
  taxonomy = writeTaxonomy(tmp.dir);
  ws = demoCopy(tmp.dir, 'ecrins.gpkg');
  await buildOpenData(ws, bundle(), taxonomy);
}, 120_000);
afterAll(async () => {
  await gn.close();
  tmp.cleanup();
});

describe('the ISO record in a GeoNetwork', () => {
  it('dry run: the session, the lookup by fileIdentifier and the PUT, nothing sent', async () => {
    const r = await publishTask(input({ dryRun: true, credentials: {} }), ctx());
    expect(gn.requests).toHaveLength(0);
    expect(r.calls.map((c) => `${c.step} ${c.method} ${c.url.replace(gn.url, '')}`)).toEqual([
      'session GET /me',
      `get-record GET /records/${UUID}`,
      'put-record PUT /records?metadataType=METADATA&uuidProcessing=OVERWRITE&publishToAll=false&rejectIfInvalid=false&group=3',
    ]);
    expect(r.calls.every((c) => c.headers.Authorization === 'Basic ***')).toBe(true);
    expect(r.remote).toMatchObject({ id: UUID, existed: null, visibility: 'private' });
  }, 60_000);

  it('inserts the record (not published to all), with the XSRF token GeoNetwork asks for, download links made absolute', async () => {
    const r = await publishTask(input(), ctx());
    expect(r.action).toBe('record');
    expect(r.remote.existed).toBe(false);
    const put = gn.requests.find((q) => q.method === 'PUT');
    expect(put?.query).toMatchObject({ metadataType: 'METADATA', uuidProcessing: 'OVERWRITE', publishToAll: 'false', group: '3' });
    expect(put?.headers['content-type']).toContain('application/xml');
    expect(put?.headers['x-xsrf-token']).toMatch(/^[0-9a-f]{24}$/);
    expect(put?.headers.cookie).toContain(`XSRF-TOKEN=${put?.headers['x-xsrf-token']}`);
    expect(put?.headers.authorization).toBe(`Basic ${Buffer.from('editeur:gn-secret').toString('base64')}`);
    const rec = gn.records.get(UUID);
    expect(rec).toMatchObject({ published: false, updates: 0, group: '3' });
    expect(rec?.xml).toContain('<gmd:URL>https://donnees.ecrins-parcnational.fr/lots/synthese/data/observations.gpkg</gmd:URL>');
    // The bundle's record itself is unchanged: only what was sent has absolute links.
    expect(readFileSync(join(bundle(), 'metadata/iso19139.xml'), 'utf8')).toContain('<gmd:URL>data/observations.gpkg</gmd:URL>');
    const h = readHistory(ws, null);
    expect(h).toMatchObject([{ target: 'geonetwork', remoteId: UUID, visibility: 'private', lastVersion: '1.0.0' }]);
    expect(h[0]?.events[0]?.resources).toEqual([{ path: 'metadata/iso19139.xml', resourceId: expect.any(String), action: 'insert' }]);
  }, 60_000);

  it('updates the same record for a new version (found by its fileIdentifier)', async () => {
    changeWorkspace(ws, '2026-12-01T08:00:00.000Z', 'ffffffff-0000-4000-8000-000000000011');
    await buildOpenData(ws, bundle(), taxonomy);
    const n = gn.requests.length;
    const r = await publishTask(input(), ctx());
    expect(r.remote.existed).toBe(true);
    expect(gn.requests.slice(n).map((q) => `${q.method} ${q.path.replace(/^.*\/srv\/api/, '')} ${q.status}`)).toEqual(['GET /me 200', `GET /records/${UUID} 200`, 'PUT /records 201']);
    expect(gn.records.size).toBe(1);
    expect(gn.records.get(UUID)?.updates).toBe(1);
    expect(readHistory(ws, null)[0]?.events.map((e) => [e.version, e.status, e.resources[0]?.action])).toEqual([
      ['1.0.0', 'done', 'insert'],
      ['1.1.0', 'done', 'update'],
    ]);
  }, 120_000);

  it('the explicit publish step publishes it to all', async () => {
    const r = await publishTask(input({ step: 'make-public' }), ctx());
    expect(r.calls.map((c) => `${c.step} ${c.status}`)).toEqual(['session 200', 'publish-record 204']);
    expect(gn.records.get(UUID)?.published).toBe(true);
    expect(readHistory(ws, null)[0]?.visibility).toBe('public');
  }, 60_000);

  it('a wrong password is AUTH_FAILED before anything is sent', async () => {
    const n = gn.requests.length;
    const e = await publishTask(input({ credentials: { password: 'nope' } }), ctx()).catch((x: unknown) => x);
    expect(isAppError(e, 'AUTH_FAILED')).toBe(true);
    expect(gn.requests.slice(n).map((q) => q.status)).toEqual([401]);
  }, 60_000);
});

describe('a GeoNetwork that sets the XSRF token only when it refuses a change', () => {
  it('the refused PUT (403 with a fresh token) is sent again once with it', async () => {
    const other = await startGeoNetworkServer({ user: 'editeur', password: 'gn-secret', xsrfOnMe: false });
    try {
      const r = await publishTask(input({ profile: { name: 'catalogue-2', target: 'geonetwork', baseUrl: other.url, user: 'editeur', group: null }, newDataset: true }), ctx());
      expect(r.calls.map((c) => `${c.step} ${c.status}`)).toEqual(['session 200', 'get-record 404', 'put-record 403', 'put-record 201']);
      expect(other.records.get(UUID)?.updates).toBe(0);
    } finally {
      await other.close();
    }
  }, 60_000);
});

describe('links of the record', () => {
  it('only relative gmd:URL are made absolute', () => {
    const xml = '<gmd:URL>data/a.csv</gmd:URL><gmd:URL>https://x.fr/b</gmd:URL>';
    expect(isoWithLinks(xml, 'https://parc.fr/lot')).toBe('<gmd:URL>https://parc.fr/lot/data/a.csv</gmd:URL><gmd:URL>https://x.fr/b</gmd:URL>');
    expect(isoWithLinks(xml, null)).toBe(xml);
  });
});
