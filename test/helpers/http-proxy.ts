/**
 * A real HTTP proxy for the publishing tests (a park's network): CONNECT tunnels (what clients
 * use for HTTPS, and undici for every target behind a proxy) and absolute-URI forwarding for plain
 * HTTP, with optional Basic proxy authentication (407 otherwise). It records what went through it.
 */
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ProxyRecord {
  method: string;
  target: string;
  authorized: boolean;
}

export interface TestProxy {
  readonly url: string;
  /** The URL with credentials, when the proxy requires them. */
  readonly urlWithCredentials: string;
  readonly records: ProxyRecord[];
  close(): Promise<void>;
}

export async function startProxy(opts: { user?: string; password?: string } = {}): Promise<TestProxy> {
  const records: ProxyRecord[] = [];
  const expected = opts.user ? `Basic ${Buffer.from(`${opts.user}:${opts.password ?? ''}`).toString('base64')}` : null;
  const sockets = new Set<Socket>();
  const ok = (req: IncomingMessage) => expected === null || req.headers['proxy-authorization'] === expected;
  const server = createServer((req, res) => {
    const authorized = ok(req);
    records.push({ method: req.method ?? 'GET', target: req.url ?? '', authorized });
    if (!authorized) {
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="parc"' });
      res.end();
      return;
    }
    const u = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const up = httpRequest({ host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method: req.method, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => (res.writeHead(502), res.end()));
    req.pipe(up);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const authorized = ok(req);
    records.push({ method: 'CONNECT', target: req.url ?? '', authorized });
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (!authorized) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="parc"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host as string, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    urlWithCredentials: opts.user ? `http://${encodeURIComponent(opts.user)}:${encodeURIComponent(opts.password ?? '')}@127.0.0.1:${port}` : `http://127.0.0.1:${port}`,
    records,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
