import { request } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import Pbf from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../core/engine.js';
import { InProcessRunner } from '../core/jobs/in-process-runner.js';
import { testEnv } from '../../test/helpers/transports.js';
import { createWebHost, type WebHost } from './server.js';

/** Raw HTTP, so tests can send the headers a browser would (Host, Origin) or an attacker would. */
function raw(host: WebHost, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

describe('web host security', () => {
  let engine: Engine;
  let host: WebHost;
  let ui: string;
  beforeAll(async () => {
    ui = mkdtempSync(join(tmpdir(), 'passerelle-ui-'));
    mkdirSync(join(ui, 'assets'));
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Passerelle</title>');
    writeFileSync(join(ui, 'assets', 'app.js'), 'console.log(1)');
    engine = createEngine({ host: 'web', runner: new InProcessRunner(), env: testEnv() });
    host = await createWebHost({ engine, port: 0, staticDir: ui, token: 'test-token-123' });
  });
  afterAll(async () => {
    await host.close();
    await engine.close();
  });
  const api = (headers: Record<string, string>, body = '{}', path = '/api/app.log') =>
    raw(host, { method: 'POST', path, headers: { Host: `127.0.0.1:${host.port}`, 'Content-Type': 'application/json', ...headers }, body });

  it('binds 127.0.0.1 only', () => {
    expect((host.server.address() as { address: string }).address).toBe('127.0.0.1');
  });

  it('an API call needs the session token', async () => {
    expect((await api({})).status).toBe(401);
    expect((await api({ Authorization: 'Bearer wrong-token-123' })).status).toBe(401);
    const ok = await api({ Authorization: 'Bearer test-token-123' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body.toString())).toMatchObject({ ok: true });
  });

  it('refuses another Host (DNS rebinding) and another Origin (a page of another site)', async () => {
    expect((await api({ Authorization: 'Bearer test-token-123', Host: 'evil.example:80' })).status).toBe(403);
    expect((await api({ Authorization: 'Bearer test-token-123', Origin: 'https://evil.example' })).status).toBe(403);
    expect((await api({ Authorization: 'Bearer test-token-123', Origin: `http://localhost:${host.port}` })).status).toBe(200);
  });

  it('refuses form posts and GET calls', async () => {
    expect((await api({ Authorization: 'Bearer test-token-123', 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await raw(host, { path: '/api/app.info?token=test-token-123', headers: { Host: `127.0.0.1:${host.port}` } })).status).toBe(405);
  });

  it('answers malformed JSON with an error value', async () => {
    const r = await api({ Authorization: 'Bearer test-token-123' }, '{not json');
    expect(JSON.parse(r.body.toString())).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('serves the UI with a strict CSP and never a file outside it', async () => {
    const index = await raw(host, { path: '/', headers: { Host: `127.0.0.1:${host.port}` } });
    expect(index.status).toBe(200);
    expect(String(index.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(String(index.headers['content-security-policy'])).not.toContain('unsafe-eval');
    const js = await raw(host, { path: '/assets/app.js', headers: { Host: `127.0.0.1:${host.port}` } });
    expect(js.headers['content-type']).toMatch(/javascript/);
    for (const p of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/assets/../../package.json']) {
      const r = await raw(host, { path: p, headers: { Host: `127.0.0.1:${host.port}` } });
      expect(r.body.toString()).not.toContain('"name"');
      expect(r.body.toString()).not.toContain('root:');
    }
  });

  it('serves vector tiles of an opened workspace only with the token', async () => {
    const m = await engine.dispatch('map.sources', { path: engine.demoPath }, { emit: () => undefined, paths: { allows: () => true, grant: () => undefined } });
    if (!m.ok) throw new Error(m.error.message);
    const id = (m.value as { sourceId: string }).sourceId;
    const path = `/tiles/${id}/observations/6/33/22.pbf`;
    expect((await raw(host, { path, headers: { Host: `127.0.0.1:${host.port}` } })).status).toBe(401);
    const r = await raw(host, { path: `${path}?token=test-token-123`, headers: { Host: `127.0.0.1:${host.port}` } });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    const tile = new VectorTile(new Pbf(new Uint8Array(r.body)));
    expect(tile.layers.observations?.length).toBeGreaterThan(0);
  });
});
