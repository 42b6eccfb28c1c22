/**
 * A local udata API v1 server for the publishing tests (issue 9): a real HTTP(S) server speaking
 * the documented subset of data.gouv.fr's API (standards-reference.md §4; udata's
 * `core/dataset/api.py` and `core/storages/api.py`), which records every request so that tests
 * assert the exact calls, headers and bodies. PROTOCOL TESTS: this is not data.gouv.fr, and
 * passing against it says nothing of the real service's current behaviour (docs/publishing.md
 * says how to check against demo.data.gouv.fr by hand).
 *
 * What it implements, as udata does:
 * - `X-API-KEY` on every call, 401 otherwise; `GET /me/`;
 * - `POST /datasets/` (title and description required, licence and frequency ids checked): a
 *   dataset is **public unless `private: true` is sent**, and a `PUT /datasets/{id}/` without
 *   `private` makes it public again (the trap the API documentation warns about);
 * - `POST /datasets/{id}/upload/` and `POST /datasets/{id}/resources/{rid}/upload/`: a multipart
 *   `file`, or chunks (`uuid`, `filename`, `partindex`, `partbyteoffset`, `totalparts`, `chunksize`,
 *   the chunk's size checked) then a call without file that puts them together; the stored file's
 *   checksum is SHA-1, as udata's storage computes it; HTML is refused (415);
 * - `PUT` and `DELETE /datasets/{id}/resources/{rid}/`;
 * - faults on demand: 5xx for the next matching calls, 413 above a body size.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The JSON body, when there is one. */
  json: unknown;
  /** A multipart body: its fields and its file (name, size, SHA-256). */
  form: { fields: Record<string, string>; file: { name: string; bytes: number; sha256: string } | null } | null;
  bodyBytes: number;
  status: number;
}

export interface ServerResource {
  id: string;
  title: string;
  description?: string;
  type: string;
  filetype: 'file' | 'remote';
  url: string;
  format: string;
  mime: string;
  filesize: number;
  checksum: { type: string; value: string } | null;
  last_modified: string;
}

export interface ServerDataset {
  id: string;
  slug: string;
  page: string;
  title: string;
  description: string;
  private: boolean;
  license: string;
  frequency: string;
  temporal_coverage: { start: string; end: string } | null;
  spatial: unknown;
  tags: string[];
  organization: string | null;
  deleted: string | null;
  resources: ServerResource[];
}

export interface UdataServer {
  /** The API root (`…/api/1`), what a profile's baseUrl is. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly datasets: Map<string, ServerDataset>;
  /** The bytes of each resource's current file. */
  readonly files: Map<string, Buffer>;
  /** The next `count` calls matching `match` answer `status`. */
  failNext(count: number, status: number, match?: (method: string, path: string) => boolean): void;
  /** Bodies larger than this answer 413 (null: no limit). */
  setMaxBodyBytes(n: number | null): void;
  close(): Promise<void>;
}

const LICENSES = new Set(['lov2', 'fr-lo', 'odc-odbl', 'odc-by', 'odc-pddl', 'cc-by', 'cc-by-sa', 'cc-zero', 'notspecified', 'other-at']);
const FREQUENCIES = new Set(['unknown', 'punctual', 'continuous', 'hourly', 'daily', 'weekly', 'biweekly', 'monthly', 'quarterly', 'semiannual', 'annual', 'biennial', 'triennial', 'irregular']);

const slugify = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/** Starts the server on 127.0.0.1 (HTTPS with `tls`). */
export async function startUdataServer(opts: { apiKey: string; tls?: { key: string; cert: string } }): Promise<UdataServer> {
  const requests: RecordedRequest[] = [];
  const datasets = new Map<string, ServerDataset>();
  const files = new Map<string, Buffer>();
  const chunks = new Map<string, { filename: string; total: number; parts: Map<number, Buffer> }>();
  const faults: Array<{ count: number; status: number; match: (m: string, p: string) => boolean }> = [];
  let maxBody: number | null = null;
  let origin = '';

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    const path = u.pathname;
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
    const rec: RecordedRequest = { method, path, query: Object.fromEntries(u.searchParams), headers, json: null, form: null, bodyBytes: body.length, status: 0 };
    requests.push(rec);
    const send = (status: number, value: unknown) => {
      rec.status = status;
      const text = value === undefined ? '' : JSON.stringify(value);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };
    const ct = headers['content-type'] ?? '';
    let form: FormData | null = null;
    if (ct.startsWith('application/json') && body.length) {
      try {
        rec.json = JSON.parse(body.toString('utf8'));
      } catch {
        return send(400, { message: 'The browser (or proxy) sent a request that this server could not understand.' });
      }
    } else if (ct.startsWith('multipart/form-data')) {
      form = await new Response(new Uint8Array(body), { headers: { 'content-type': ct } }).formData();
      const fields: Record<string, string> = {};
      let file: NonNullable<RecordedRequest['form']>['file'] = null;
      for (const [k, v] of form.entries()) {
        if (typeof v === 'string') fields[k] = v;
        else {
          const buf = Buffer.from(await v.arrayBuffer());
          file = { name: v.name, bytes: buf.length, sha256: createHash('sha256').update(buf).digest('hex') };
        }
      }
      rec.form = { fields, file };
    }
    const fault = faults.find((f) => f.count > 0 && f.match(method, path));
    if (fault) {
      fault.count--;
      return send(fault.status, { message: fault.status === 503 ? 'Service Unavailable' : 'Internal Server Error' });
    }
    if (maxBody !== null && body.length > maxBody) return send(413, { message: 'Request Entity Too Large' });
    if (!path.startsWith('/api/1/')) return send(404, { message: 'Not found' });
    if (headers['x-api-key'] !== opts.apiKey) return send(401, { message: 'Invalid API Key' });
    const route = path.slice('/api/1'.length);
    let m: RegExpExecArray | null;

    if (method === 'GET' && route === '/me/') return send(200, { id: 'user-parc', slug: 'parc-national', first_name: 'Parc', last_name: 'National' });

    if (method === 'POST' && route === '/datasets/') {
      const j = (rec.json ?? {}) as Record<string, unknown>;
      const errors: Record<string, string[]> = {};
      if (typeof j.title !== 'string' || !j.title) errors.title = ['This field is required.'];
      if (typeof j.description !== 'string' || !j.description) errors.description = ['This field is required.'];
      if (j.license !== undefined && !LICENSES.has(String(j.license))) errors.license = ['Unknown licence'];
      if (j.frequency !== undefined && !FREQUENCIES.has(String(j.frequency))) errors.frequency = ['Unknown frequency'];
      if (Object.keys(errors).length) return send(400, { errors, message: 'Validation error' });
      const id = randomBytes(12).toString('hex');
      const slug = slugify(String(j.title));
      const d: ServerDataset = {
        id,
        slug,
        page: `${origin}/fr/datasets/${slug}/`,
        title: String(j.title),
        description: String(j.description),
        // The API makes a dataset public unless told otherwise.
        private: j.private === true,
        license: String(j.license ?? 'notspecified'),
        frequency: String(j.frequency ?? 'unknown'),
        temporal_coverage: (j.temporal_coverage as ServerDataset['temporal_coverage']) ?? null,
        spatial: j.spatial ?? null,
        tags: (j.tags as string[] | undefined) ?? [],
        organization: (j.organization as string | undefined) ?? null,
        deleted: null,
        resources: [],
      };
      datasets.set(id, d);
      return send(201, d);
    }

    if ((m = /^\/datasets\/([^/]+)\/$/.exec(route))) {
      const d = datasets.get(m[1] as string);
      if (!d) return send(404, { message: 'Dataset not found' });
      if (method === 'GET') return send(200, d);
      if (method === 'PUT') {
        const j = (rec.json ?? {}) as Record<string, unknown>;
        if (j.license !== undefined && !LICENSES.has(String(j.license))) return send(400, { errors: { license: ['Unknown licence'] } });
        if (typeof j.title === 'string') d.title = j.title;
        if (typeof j.description === 'string') d.description = j.description;
        if (j.license !== undefined) d.license = String(j.license);
        if (j.frequency !== undefined) d.frequency = String(j.frequency);
        if (j.temporal_coverage !== undefined) d.temporal_coverage = j.temporal_coverage as ServerDataset['temporal_coverage'];
        if (j.spatial !== undefined) d.spatial = j.spatial;
        if (Array.isArray(j.tags)) d.tags = j.tags as string[];
        // A boolean the form does not get is false: the dataset becomes public again.
        d.private = j.private === true;
        return send(200, d);
      }
      if (method === 'DELETE') {
        d.deleted = new Date().toISOString();
        return send(204, undefined);
      }
    }

    const upload = /^\/datasets\/([^/]+)\/(?:resources\/([^/]+)\/)?upload\/$/.exec(route);
    if (method === 'POST' && upload) {
      const d = datasets.get(upload[1] as string);
      if (!d) return send(404, { message: 'Dataset not found' });
      const rid = upload[2] ?? null;
      const existing = rid ? d.resources.find((r) => r.id === rid) : null;
      if (rid && !existing) return send(404, { message: 'Resource does not exist' });
      if (!form) return send(400, { message: 'Missing file parameter' });
      const fields = rec.form?.fields ?? {};
      const fileEntry = form.get('file');
      const total = Number(fields.totalparts ?? 0);
      let bytes: Buffer;
      let filename: string;
      if (total > 1) {
        const uuid = fields.uuid ?? '';
        if (fileEntry && typeof fileEntry !== 'string') {
          const chunk = Buffer.from(await fileEntry.arrayBuffer());
          if (chunk.length !== Number(fields.chunksize)) return send(400, { success: false, error: 'Chunk size mismatch' });
          const c = chunks.get(uuid) ?? { filename: fields.filename ?? fileEntry.name, total, parts: new Map<number, Buffer>() };
          c.parts.set(Number(fields.partindex), chunk);
          chunks.set(uuid, c);
          return send(200, { success: true });
        }
        const c = chunks.get(uuid);
        if (!c || c.parts.size !== c.total) return send(400, { success: false, error: 'Missing chunks' });
        bytes = Buffer.concat([...Array(c.total).keys()].map((i) => c.parts.get(i) as Buffer));
        filename = fields.filename ?? c.filename;
        chunks.delete(uuid);
      } else {
        if (!fileEntry || typeof fileEntry === 'string') return send(400, { message: 'Missing file parameter' });
        bytes = Buffer.from(await fileEntry.arrayBuffer());
        filename = fileEntry.name;
      }
      if (/\.html?$/i.test(filename)) return send(415, { message: 'Incorrect file content type: HTML' });
      const ext = filename.includes('.') ? (filename.split('.').pop() as string).toLowerCase() : '';
      const info = {
        url: `${origin}/files/${d.slug}/${Date.now()}-${randomBytes(3).toString('hex')}/${filename}`,
        filesize: bytes.length,
        checksum: { type: 'sha1', value: createHash('sha1').update(bytes).digest('hex') },
        format: ext,
        mime: ext === 'csv' ? 'text/csv' : 'application/octet-stream',
        last_modified: new Date().toISOString(),
      };
      if (existing) {
        Object.assign(existing, info);
        files.set(existing.id, bytes);
        return send(200, existing);
      }
      const r: ServerResource = { id: randomUUID(), title: filename, type: 'main', filetype: 'file', ...info };
      d.resources.push(r);
      files.set(r.id, bytes);
      return send(201, r);
    }

    if ((m = /^\/datasets\/([^/]+)\/resources\/([^/]+)\/$/.exec(route))) {
      const d = datasets.get(m[1] as string);
      const r = d?.resources.find((x) => x.id === m?.[2]);
      if (!d || !r) return send(404, { message: 'Resource does not exist' });
      if (method === 'PUT') {
        const j = (rec.json ?? {}) as Record<string, unknown>;
        if (j.filetype !== undefined && j.filetype !== r.filetype) return send(400, { message: 'Cannot modify filetype after creation' });
        for (const k of ['title', 'description', 'type', 'format', 'mime'] as const) if (typeof j[k] === 'string') (r as unknown as Record<string, unknown>)[k] = j[k];
        if (typeof j.filesize === 'number') r.filesize = j.filesize;
        if (j.checksum !== undefined) r.checksum = j.checksum as ServerResource['checksum'];
        // The URL of a file resource is the portal's.
        return send(200, r);
      }
      if (method === 'DELETE') {
        d.resources = d.resources.filter((x) => x.id !== r.id);
        files.delete(r.id);
        return send(204, undefined);
      }
    }
    return send(405, { message: 'Method not allowed' });
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: e instanceof Error ? e.message : String(e) }));
    });
  };
  const server: Server = opts.tls ? createHttps({ key: opts.tls.key, cert: opts.tls.cert }, listener) : createHttp(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    url: `${origin}/api/1`,
    requests,
    datasets,
    files,
    failNext: (count, status, match = () => true) => void faults.push({ count, status, match }),
    setMaxBodyBytes: (n) => void (maxBody = n),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
