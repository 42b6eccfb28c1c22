/**
 * A park's network (issue 9): publishing through an HTTP proxy (the profile's, or HTTPS_PROXY,
 * minus NO_PROXY; with credentials), to an HTTPS portal whose certificate a custom certificate
 * authority signed (a TLS-inspecting proxy). Real servers on loopback: the local udata server over
 * TLS (test/helpers/udata-server.ts), a real CONNECT proxy (test/helpers/http-proxy.ts), a CA made
 * by openssl (test/helpers/tls.ts). PROTOCOL tests, not tests of data.gouv.fr.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCopy, writeTaxonomy } from '../../../test/fixtures/bundle/fixtures.js';
import { buildOpenData, publishInput } from '../../../test/fixtures/publish/fixtures.js';
import { tempDir } from '../../../test/helpers/gpkg-fixtures.js';
import { startProxy, type TestProxy } from '../../../test/helpers/http-proxy.js';
import { makeTestPki, type TestPki } from '../../../test/helpers/tls.js';
import { startUdataServer, type UdataServer } from '../../../test/helpers/udata-server.js';
import { isAppError, type AppError } from '../errors.js';
import { createJobContext } from '../jobs/context.js';
import { HttpClient, proxyFor, type NetworkOptions } from './http.js';
import { publishTask } from './publish.js';
import { UdataClient } from './udata-client.js';

const KEY = 'udata_network-test-key';
const tmp = tempDir('passerelle-publish-net-');
let pki: TestPki;
let server: UdataServer;
let proxy: TestProxy;
let authProxy: TestProxy;

beforeAll(async () => {
  pki = makeTestPki();
  server = await startUdataServer({ apiKey: KEY, tls: { key: pki.key, cert: pki.cert } });
  proxy = await startProxy();
  authProxy = await startProxy({ user: 'agent.parc', password: 'p@ss:word' });
}, 60_000);
afterAll(async () => {
  await Promise.all([server.close(), proxy.close(), authProxy.close()]);
  tmp.cleanup();
});

const port = () => new URL(server.url).port;
/** GET /me/ through a client with these network options. */
async function checkKey(net: NetworkOptions, url = server.url) {
  const http = new HttpClient({ retries: 0, retryBaseMs: 1, ...net }, url, new AbortController().signal);
  try {
    return await new UdataClient(http, url, KEY).checkKey();
  } finally {
    await http.close();
  }
}
const fails = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as AppError);

describe('HTTPS with a custom certificate authority', () => {
  it('is refused without the CA (errors.PUBLISH_TLS, exit 3), and works with it', async () => {
    const e = await fails(checkKey({ proxy: '', env: {}, caFile: null }));
    expect(isAppError(e, 'UNREACHABLE')).toBe(true);
    expect(e?.key).toBe('errors.PUBLISH_TLS');
    expect(await checkKey({ proxy: '', env: {}, caFile: pki.caFile })).toMatchObject({ id: 'user-parc' });
  });

  it('a CA file that is not one is refused clearly', async () => {
    const e = await fails(checkKey({ proxy: '', env: {}, caFile: join(tmp.dir, 'missing.pem') }));
    expect(e?.key).toBe('errors.PUBLISH_CA_FILE');
  });
});

describe('through a proxy', () => {
  it('HTTPS_PROXY from the environment: a CONNECT tunnel to the portal', async () => {
    const n = proxy.records.length;
    await checkKey({ proxy: null, env: { HTTPS_PROXY: proxy.url }, caFile: pki.caFile });
    expect(proxy.records.slice(n)).toEqual([{ method: 'CONNECT', target: `127.0.0.1:${port()}`, authorized: true }]);
    expect(proxyFor({ proxy: null, env: { HTTPS_PROXY: proxy.url }, caFile: null }, server.url)).toBe(proxy.url);
  });

  it('NO_PROXY: the portal is reached directly', async () => {
    const n = proxy.records.length;
    await checkKey({ proxy: null, env: { HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }, caFile: pki.caFile });
    expect(proxy.records.length).toBe(n);
  });

  it('a proxy that wants credentials: with them in its URL it lets us through, without them it is a clear failure (exit 3)', async () => {
    await checkKey({ proxy: authProxy.urlWithCredentials, env: {}, caFile: pki.caFile });
    expect(authProxy.records.at(-1)).toMatchObject({ method: 'CONNECT', authorized: true });
    const e = await fails(checkKey({ proxy: authProxy.url, env: {}, caFile: pki.caFile }));
    expect(isAppError(e, 'UNREACHABLE')).toBe(true);
    expect(e?.key).toBe('errors.PUBLISH_PROXY');
    // The proxy's password is never in a message.
    expect(JSON.stringify(e?.toApiError())).not.toContain('p@ss');
  });

  it('a portal nobody listens on: UNREACHABLE (exit 3)', async () => {
    const free = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const e = await fails(checkKey({ proxy: '', env: {}, caFile: null }, `http://127.0.0.1:${free}/api/1`));
    expect(isAppError(e, 'UNREACHABLE')).toBe(true);
    expect(e?.key).toBe('errors.PUBLISH_UNREACHABLE');
  });

  it('a whole publication goes through the proxy to the HTTPS portal', async () => {
    const taxonomy = writeTaxonomy(tmp.dir);
    const ws = demoCopy(tmp.dir, 'ecrins.gpkg');
    const bundle = join(tmp.dir, 'bundle.zip');
    await buildOpenData(ws, bundle, taxonomy);
    const n = proxy.records.length;
    const r = await publishTask(
      {
        ...publishInput({ bundle, workspace: ws, taxonomy, profile: { name: 'tls', target: 'datagouv', baseUrl: server.url, caFile: pki.caFile, proxy: proxy.url }, credentials: { apiKey: KEY } }),
        network: { proxy: proxy.url, env: {}, caFile: pki.caFile, retryBaseMs: 5 },
      },
      createJobContext('net', new AbortController().signal, () => undefined),
    );
    expect(r.action).toBe('create');
    expect(server.datasets.get(r.remote.id as string)?.resources).toHaveLength(7);
    expect(proxy.records.slice(n).every((x) => x.method === 'CONNECT' && x.target === `127.0.0.1:${port()}`)).toBe(true);
    expect(proxy.records.length).toBeGreaterThan(n);
  }, 120_000);
});
