import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fail, type EventName, type EventPayload, type Result } from '../../shared/contract/index.js';
import type { Engine } from '../core/engine.js';
import { toApiError } from '../core/errors.js';
import { FileGrants } from '../core/files/grants.js';
import { renderWorkspaceTile } from '../core/tiles/mvt.js';
import { CSP, requestToken, sameOriginRequest, tokenMatches } from './security.js';
import { resolveStatic, sendFile } from './static-files.js';

export interface WebHostOptions {
  engine: Engine;
  /** 0 picks a free port. */
  port: number;
  /** The built renderer (vite build output). */
  staticDir: string;
  /** Fixed token for tests; a random one by default. */
  token?: string;
}

export interface WebHost {
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  readonly server: Server;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The web host: the same engine and contract as the desktop app, over HTTP on 127.0.0.1.
 *
 * `POST /api/<method>` carries a call (JSON in, Result out, always HTTP 200 once
 * authenticated); `GET /api/events` streams events (SSE); `GET /tiles/…` serves vector
 * tiles; everything else is the built renderer. Every API, event and tile request needs
 * the session token; Host and Origin must be ours; paths must have been opened by the user.
 */
export async function createWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const grants = new FileGrants([opts.engine.demoPath]);
  const streams = new Set<ServerResponse>();
  let port = opts.port;

  const broadcast = <E extends EventName>(name: E, payload: EventPayload<E>) => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const s of streams) s.write(frame);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = sameOriginRequest(req, port);
    if (!origin.ok) {
      opts.engine.log.warn('web host refused a request', { reason: origin.reason, path: url.pathname });
      sendJson(res, 403, fail('UNTRUSTED', `Refused: ${origin.reason}`, { key: 'errors.UNTRUSTED' }));
      return;
    }
    const isApi = url.pathname.startsWith('/api/');
    const isTile = url.pathname.startsWith('/tiles/');
    if ((isApi || isTile) && !tokenMatches(token, requestToken(req, url))) {
      sendJson(res, 401, fail('UNTRUSTED', 'Missing or wrong session token', { key: 'errors.BAD_TOKEN' }));
      return;
    }

    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
      req.on('close', () => {
        clearInterval(beat);
        streams.delete(res);
      });
      return;
    }

    if (isApi) {
      if (req.method !== 'POST') {
        sendJson(res, 405, fail('INVALID_INPUT', 'Use POST for API calls', { key: 'errors.INVALID_INPUT' }));
        return;
      }
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        // Also stops "simple" cross-site form posts, which cannot set this content type.
        sendJson(res, 415, fail('INVALID_INPUT', 'API calls must be application/json', { key: 'errors.INVALID_INPUT' }));
        return;
      }
      const method = decodeURIComponent(url.pathname.slice('/api/'.length));
      let result: Result<unknown>;
      try {
        const body = await readBody(req);
        const input: unknown = body.length === 0 ? {} : JSON.parse(body);
        result = await opts.engine.dispatch(method, input, { emit: broadcast, paths: grants });
      } catch (e) {
        const err = e instanceof SyntaxError ? { code: 'INVALID_INPUT' as const, message: `Malformed JSON: ${e.message}` } : toApiError(e);
        result = { ok: false, error: { ...err, details: { key: `errors.${err.code}` } } };
      }
      sendJson(res, 200, result);
      return;
    }

    if (isTile && req.method === 'GET') {
      const m = /^\/tiles\/([0-9a-f]{16})\/(.+)\/(\d+)\/(\d+)\/(\d+)\.pbf$/.exec(url.pathname);
      if (!m) {
        sendJson(res, 404, fail('NOT_FOUND', 'No such tile URL', { key: 'errors.NOT_FOUND' }));
        return;
      }
      try {
        const tile = renderWorkspaceTile(opts.engine.sources, m[1] as string, decodeURIComponent(m[2] as string), Number(m[3]), Number(m[4]), Number(m[5]));
        res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'application/vnd.mapbox-vector-tile', 'Cache-Control': 'no-store', 'Content-Length': String(tile.byteLength) });
        res.end(tile);
      } catch (e) {
        const err = toApiError(e);
        sendJson(res, err.code === 'NOT_FOUND' || err.code === 'INVALID_INPUT' ? 404 : 500, { ok: false, error: err });
      }
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, fail('INVALID_INPUT', 'Method not allowed', { key: 'errors.INVALID_INPUT' }));
      return;
    }
    const file = resolveStatic(opts.staticDir, url.pathname) ?? resolveStatic(opts.staticDir, '/index.html');
    if (!file) {
      res.writeHead(503, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('The Passerelle UI is not built. Run `npm run build`.\n');
      return;
    }
    sendFile(res, file, SECURITY_HEADERS);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      opts.engine.log.error('web host failure', { message: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: toApiError(e) });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // 127.0.0.1 only: the web host must never be reachable from the network.
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const originUrl = `http://127.0.0.1:${port}`;
  opts.engine.log.info('web host listening', { port });
  return {
    url: `${originUrl}/?token=${encodeURIComponent(token)}`,
    origin: originUrl,
    port,
    token,
    server,
    close: async () => {
      for (const s of streams) s.end();
      streams.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
