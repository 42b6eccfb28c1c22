/**
 * A local GeoNetwork 4 records API for the publishing tests (issue 9): a real HTTP server speaking
 * the subset Passerelle uses (core-geonetwork `MetadataInsertDeleteApi`, `MetadataSharingApi`,
 * `MeApi`), recording every request. PROTOCOL TESTS: this is not GeoNetwork.
 *
 * - Basic authentication; `GET /srv/api/me` answers the user (204 when anonymous) and sets the
 *   session and `XSRF-TOKEN` cookies, as Spring Security does;
 * - every change needs the `X-XSRF-TOKEN` header equal to the `XSRF-TOKEN` cookie the server set,
 *   else 403 with a fresh cookie;
 * - `GET /srv/api/records/{uuid}`: the XML, or 404;
 * - `PUT /srv/api/records?metadataType=METADATA&uuidProcessing=…&publishToAll=…&group=…` with the
 *   XML: inserted, or (OVERWRITE) updated by its `fileIdentifier`; answers the processing report;
 * - `PUT /srv/api/records/{uuid}/publish`: published to all (204).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GnRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  status: number;
}

export interface GnRecord {
  id: number;
  uuid: string;
  xml: string;
  group: string | null;
  published: boolean;
  updates: number;
}

export interface GeoNetworkServer {
  /** The API root (`…/geonetwork/srv/api`), what a profile's baseUrl is. */
  readonly url: string;
  readonly requests: GnRequest[];
  readonly records: Map<string, GnRecord>;
  close(): Promise<void>;
}

export async function startGeoNetworkServer(opts: { user: string; password: string; /** Whether GET /me sets the XSRF cookie (some versions set it only on a refused change). @default true */ xsrfOnMe?: boolean }): Promise<GeoNetworkServer> {
  const requests: GnRequest[] = [];
  const records = new Map<string, GnRecord>();
  const tokens = new Set<string>();
  let nextId = 100;

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
    const rec: GnRequest = { method: req.method ?? 'GET', path: u.pathname, query: Object.fromEntries(u.searchParams), headers, body, status: 0 };
    requests.push(rec);
    const send = (status: number, value: string | object | null, type = 'application/json', cookies: string[] = []) => {
      rec.status = status;
      const text = value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
      res.writeHead(status, { ...(text ? { 'Content-Type': type } : {}), 'Set-Cookie': cookies });
      res.end(text);
    };
    const fresh = () => {
      const t = randomBytes(12).toString('hex');
      tokens.add(t);
      return [`XSRF-TOKEN=${t}; Path=/geonetwork`, `JSESSIONID=${randomBytes(8).toString('hex')}; Path=/geonetwork; HttpOnly`];
    };
    const base = '/geonetwork/srv/api';
    if (!u.pathname.startsWith(base)) return send(404, { message: 'not found' });
    const route = u.pathname.slice(base.length);
    const auth = headers.authorization ?? '';
    const expected = `Basic ${Buffer.from(`${opts.user}:${opts.password}`).toString('base64')}`;
    if (auth && auth !== expected) return send(401, { message: 'Bad credentials' });
    const authenticated = auth === expected;
    if (rec.method === 'GET' && route === '/me') {
      if (!authenticated) return send(204, null);
      return send(200, { id: 7, username: opts.user, profile: 'Editor', name: 'Parc', surname: 'National' }, 'application/json', opts.xsrfOnMe === false ? [] : fresh());
    }
    if (rec.method !== 'GET') {
      // Spring Security's CSRF check: header = cookie = a token the server issued.
      const cookie = /(?:^|;\s*)XSRF-TOKEN=([^;]+)/.exec(headers.cookie ?? '')?.[1];
      const header = headers['x-xsrf-token'];
      if (!cookie || cookie !== header || !tokens.has(cookie)) return send(403, { message: 'Invalid CSRF Token' }, 'application/json', fresh());
      if (!authenticated) return send(403, { message: 'Access denied' });
    }
    let m: RegExpExecArray | null;
    if (rec.method === 'PUT' && route === '/records') {
      if (!(headers['content-type'] ?? '').startsWith('application/xml')) return send(415, { message: 'Unsupported media type' });
      const uuid = /<gmd:fileIdentifier>\s*<gco:CharacterString>([^<]+)<\/gco:CharacterString>/.exec(body)?.[1]?.trim();
      if (!uuid || !/<gmd:MD_Metadata[\s>]/.test(body)) {
        return send(201, { numberOfRecordsProcessed: 0, numberOfRecordsWithErrors: 1, errors: [{ message: 'Not an ISO 19139 record with a fileIdentifier' }], metadataInfos: {} });
      }
      const processing = rec.query.uuidProcessing ?? 'NOTHING';
      const old = records.get(uuid);
      if (old && processing === 'NOTHING') return send(400, { message: `Record with UUID ${uuid} already exists` });
      const r: GnRecord = old
        ? { ...old, xml: body, updates: old.updates + 1, published: old.published || rec.query.publishToAll === 'true' }
        : { id: nextId++, uuid, xml: body, group: rec.query.group ?? null, published: rec.query.publishToAll === 'true', updates: 0 };
      records.set(uuid, r);
      return send(201, {
        type: 'SimpleMetadataProcessingReport',
        numberOfRecordsProcessed: 1,
        numberOfRecordsWithErrors: 0,
        errors: [],
        metadataInfos: { [String(r.id)]: [{ uuid, message: `Metadata imported from XML with UUID '${uuid}'`, draft: false, approved: true }] },
      });
    }
    if ((m = /^\/records\/([^/]+)\/publish$/.exec(route)) && rec.method === 'PUT') {
      const r = records.get(decodeURIComponent(m[1] as string));
      if (!r) return send(404, { message: 'Metadata not found' });
      r.published = true;
      return send(204, null);
    }
    if ((m = /^\/records\/([^/]+)$/.exec(route)) && rec.method === 'GET') {
      const r = records.get(decodeURIComponent(m[1] as string));
      if (!r || (!r.published && !authenticated)) return send(404, { message: 'Metadata not found' });
      return send(200, r.xml, 'application/xml');
    }
    return send(405, { message: 'Method not allowed' });
  };

  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(parts).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/geonetwork/srv/api`,
    requests,
    records,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
