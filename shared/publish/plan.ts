/**
 * Every HTTP call a publication makes, described the same way for a dry run (planned, ids not
 * known yet: `{dataset}`, `{resource:<path>}`, `{uuid}`) and for a run (made, with the status
 * and attempts). The engine builds its requests with the same functions, so the dry run lists
 * exactly what a run sends. Secrets never appear: `X-API-KEY: ***`, `Authorization: Basic ***`.
 * Pure.
 */
import type { ResourceSpec, UdataDatasetPayload } from './udata.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What a call is for (the UI groups and translates them by this). */
export const PUBLISH_STEPS = [
  'check-key',
  'get-dataset',
  'create-dataset',
  'upload',
  'upload-chunk',
  'combine-chunks',
  'update-resource',
  'delete-resource',
  'update-dataset',
  'make-public',
  'session',
  'get-record',
  'put-record',
  'publish-record',
] as const;
export type PublishStep = (typeof PUBLISH_STEPS)[number];

/** The body of a call, as shown (never the bytes of a file: its name, size and SHA-256). */
export type CallBody =
  | { kind: 'none' }
  | { kind: 'json'; json: unknown }
  | { kind: 'multipart'; fields: Record<string, string>; file: { name: string; bytes: number; sha256: string | null } | null }
  | { kind: 'xml'; file: string; bytes: number; sha256: string };

/** One HTTP call, planned or made. */
export interface PublishCall {
  step: PublishStep;
  method: HttpMethod;
  url: string;
  /** Headers as sent, secrets masked. */
  headers: Record<string, string>;
  body: CallBody;
  /** The bundle file the call carries (or its chunk), if any. */
  file: string | null;
  /** HTTP status of the last attempt; null when planned (dry run) or when no answer came. */
  status: number | null;
  /** Attempts made (retries after 5xx or a dropped connection); 0 when planned. */
  attempts: number;
  ms: number | null;
}

/** The mask shown for a secret header. */
export const MASK = '***';

const join = (base: string, path: string) => `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
const planned = (c: Omit<PublishCall, 'status' | 'attempts' | 'ms'>): PublishCall => ({ ...c, status: null, attempts: 0, ms: null });

/** Placeholders of ids a dry run cannot know. */
export const DATASET_PLACEHOLDER = '{dataset}';
export const resourcePlaceholder = (path: string) => `{resource:${path}}`;

/** The udata API's calls (standards-reference.md §4), built once for the plan and the run. */
export const udataCall = {
  headers: (json: boolean): Record<string, string> => ({ 'X-API-KEY': MASK, Accept: 'application/json', ...(json ? { 'Content-Type': 'application/json' } : {}) }),
  checkKey: (base: string) => planned({ step: 'check-key', method: 'GET', url: join(base, 'me/'), headers: udataCall.headers(false), body: { kind: 'none' }, file: null }),
  getDataset: (base: string, id: string) => planned({ step: 'get-dataset', method: 'GET', url: join(base, `datasets/${id}/`), headers: udataCall.headers(false), body: { kind: 'none' }, file: null }),
  createDataset: (base: string, payload: UdataDatasetPayload) =>
    planned({ step: 'create-dataset', method: 'POST', url: join(base, 'datasets/'), headers: udataCall.headers(true), body: { kind: 'json', json: payload }, file: null }),
  updateDataset: (base: string, id: string, payload: UdataDatasetPayload, step: 'update-dataset' | 'make-public' = 'update-dataset') =>
    planned({ step, method: 'PUT', url: join(base, `datasets/${id}/`), headers: udataCall.headers(true), body: { kind: 'json', json: payload }, file: null }),
  /** A whole file: a new resource (`rid` null) or the replacement of a resource's file. */
  upload: (base: string, id: string, rid: string | null, path: string, name: string, bytes: number, sha256: string | null) =>
    planned({
      step: 'upload',
      method: 'POST',
      url: join(base, rid ? `datasets/${id}/resources/${rid}/upload/` : `datasets/${id}/upload/`),
      headers: udataCall.headers(false),
      body: { kind: 'multipart', fields: {}, file: { name, bytes, sha256 } },
      file: path,
    }),
  /** One chunk of a chunked upload (udata `storages/api.py`: uuid, filename, partindex, partbyteoffset, totalparts, chunksize). */
  chunk: (base: string, id: string, rid: string | null, path: string, name: string, uuid: string, index: number, offset: number, total: number, size: number) =>
    planned({
      step: 'upload-chunk',
      method: 'POST',
      url: join(base, rid ? `datasets/${id}/resources/${rid}/upload/` : `datasets/${id}/upload/`),
      headers: udataCall.headers(false),
      body: {
        kind: 'multipart',
        fields: { uuid, filename: name, partindex: String(index), partbyteoffset: String(offset), totalparts: String(total), chunksize: String(size) },
        file: { name, bytes: size, sha256: null },
      },
      file: path,
    }),
  /** The call after the last chunk: no file, the server puts the chunks together into the resource. */
  combine: (base: string, id: string, rid: string | null, path: string, name: string, uuid: string, total: number) =>
    planned({
      step: 'combine-chunks',
      method: 'POST',
      url: join(base, rid ? `datasets/${id}/resources/${rid}/upload/` : `datasets/${id}/upload/`),
      headers: udataCall.headers(false),
      body: { kind: 'multipart', fields: { uuid, filename: name, totalparts: String(total) }, file: null },
      file: path,
    }),
  updateResource: (base: string, id: string, rid: string, path: string, json: unknown) =>
    planned({ step: 'update-resource', method: 'PUT', url: join(base, `datasets/${id}/resources/${rid}/`), headers: udataCall.headers(true), body: { kind: 'json', json }, file: path }),
  deleteResource: (base: string, id: string, rid: string, path: string) =>
    planned({ step: 'delete-resource', method: 'DELETE', url: join(base, `datasets/${id}/resources/${rid}/`), headers: udataCall.headers(false), body: { kind: 'none' }, file: path }),
};

/** The GeoNetwork 4 records API's calls. */
export const geonetworkCall = {
  headers: (extra: Record<string, string> = {}): Record<string, string> => ({ Authorization: `Basic ${MASK}`, ...extra }),
  session: (base: string) => planned({ step: 'session', method: 'GET', url: join(base, 'me'), headers: geonetworkCall.headers({ Accept: 'application/json' }), body: { kind: 'none' }, file: null }),
  getRecord: (base: string, uuid: string) =>
    planned({ step: 'get-record', method: 'GET', url: join(base, `records/${encodeURIComponent(uuid)}`), headers: geonetworkCall.headers({ Accept: 'application/xml' }), body: { kind: 'none' }, file: null }),
  /** Insert, or update the record with the same fileIdentifier (`uuidProcessing=OVERWRITE`), never public here. */
  putRecord: (base: string, group: string | null, path: string, bytes: number, sha256: string) => {
    const q = `metadataType=METADATA&uuidProcessing=OVERWRITE&publishToAll=false&rejectIfInvalid=false${group ? `&group=${encodeURIComponent(group)}` : ''}`;
    return planned({
      step: 'put-record',
      method: 'PUT',
      url: `${join(base, 'records')}?${q}`,
      headers: geonetworkCall.headers({ 'Content-Type': 'application/xml', Accept: 'application/json', 'X-XSRF-TOKEN': MASK, Cookie: MASK }),
      body: { kind: 'xml', file: path, bytes, sha256 },
      file: path,
    });
  },
  publish: (base: string, uuid: string) =>
    planned({
      step: 'publish-record',
      method: 'PUT',
      url: join(base, `records/${encodeURIComponent(uuid)}/publish`),
      headers: geonetworkCall.headers({ 'X-XSRF-TOKEN': MASK, Cookie: MASK }),
      body: { kind: 'none' },
      file: null,
    }),
};

/** A bundle file ready to go: its resource spec, size and digests. */
export interface PlanFile {
  readonly spec: ResourceSpec;
  readonly bytes: number;
  readonly sha256: string;
}

/** What happens to a resource. */
export type ResourceAction = 'upload' | 'replace' | 'keep' | 'delete';

/** One resource's fate in a publication. */
export interface ResourcePlan {
  path: string;
  action: ResourceAction;
  /** The portal's resource id: known for replace, keep and delete; set by the run for upload. */
  resourceId: string | null;
  bytes: number;
  sha256: string | null;
  /** Chunks of the upload (1: one request). */
  chunks: number;
}

/** Chunks a file of `bytes` is sent in (1: a single request). */
export const chunkCount = (bytes: number, chunkSize: number): number => (bytes > chunkSize ? Math.ceil(bytes / chunkSize) : 1);

/**
 * What happens to each resource: a file the dataset does not have yet is uploaded, one it has is
 * replaced (its resource id kept, so links to it keep working) unless its SHA-256 is the one
 * already sent, and a resource of a file the new version no longer has is deleted.
 */
export function resourcePlan(files: readonly PlanFile[], existing: readonly { path: string; resourceId: string; sha256: string | null }[], chunkSize: number): ResourcePlan[] {
  const byPath = new Map(existing.map((e) => [e.path, e]));
  const out: ResourcePlan[] = files.map((f) => {
    const e = byPath.get(f.spec.path);
    const chunks = chunkCount(f.bytes, chunkSize);
    if (!e) return { path: f.spec.path, action: 'upload', resourceId: null, bytes: f.bytes, sha256: f.sha256, chunks };
    return { path: f.spec.path, action: e.sha256 === f.sha256 ? 'keep' : 'replace', resourceId: e.resourceId, bytes: f.bytes, sha256: f.sha256, chunks: e.sha256 === f.sha256 ? 0 : chunks };
  });
  const kept = new Set(files.map((f) => f.spec.path));
  for (const e of existing) if (!kept.has(e.path)) out.push({ path: e.path, action: 'delete', resourceId: e.resourceId, bytes: 0, sha256: null, chunks: 0 });
  return out;
}

/** The calls of one file's upload (whole, or its chunks and the combining call). */
export function uploadCalls(base: string, datasetId: string, r: ResourcePlan, spec: ResourceSpec, chunkSize: number, uuid: string): PublishCall[] {
  const rid = r.action === 'replace' ? (r.resourceId ?? resourcePlaceholder(r.path)) : null;
  if (r.chunks <= 1) return [udataCall.upload(base, datasetId, rid, r.path, spec.uploadName, r.bytes, r.sha256)];
  const calls: PublishCall[] = [];
  for (let i = 0; i < r.chunks; i++) {
    const offset = i * chunkSize;
    calls.push(udataCall.chunk(base, datasetId, rid, r.path, spec.uploadName, uuid, i, offset, r.chunks, Math.min(chunkSize, r.bytes - offset)));
  }
  calls.push(udataCall.combine(base, datasetId, rid, r.path, spec.uploadName, uuid, r.chunks));
  return calls;
}

/**
 * Every call of a udata publication, in order: the key checked, the dataset created (private) or
 * read (its visibility kept), each file uploaded or replaced (in chunks when large) and its
 * metadata and SHA-256 set, resources of files gone deleted, then the dataset's fields and
 * description (with the new changelog entry) updated.
 */
export function planDatagouv(p: {
  baseUrl: string;
  datasetId: string | null;
  payload: UdataDatasetPayload;
  files: readonly PlanFile[];
  resources: readonly ResourcePlan[];
  chunkSize: number;
  lang: 'fr' | 'en';
  resourceJson: (spec: ResourceSpec, r: ResourcePlan) => unknown;
}): PublishCall[] {
  const id = p.datasetId ?? DATASET_PLACEHOLDER;
  const calls: PublishCall[] = [udataCall.checkKey(p.baseUrl)];
  if (p.datasetId) calls.push(udataCall.getDataset(p.baseUrl, p.datasetId));
  else calls.push(udataCall.createDataset(p.baseUrl, p.payload));
  const specs = new Map(p.files.map((f) => [f.spec.path, f.spec]));
  for (const r of p.resources) {
    const spec = specs.get(r.path);
    if (r.action === 'delete') {
      calls.push(udataCall.deleteResource(p.baseUrl, id, r.resourceId ?? resourcePlaceholder(r.path), r.path));
      continue;
    }
    if (!spec || r.action === 'keep') continue;
    calls.push(...uploadCalls(p.baseUrl, id, r, spec, p.chunkSize, `{uuid:${r.path}}`));
    calls.push(udataCall.updateResource(p.baseUrl, id, r.resourceId ?? resourcePlaceholder(r.path), r.path, p.resourceJson(spec, r)));
  }
  if (p.datasetId) calls.push(udataCall.updateDataset(p.baseUrl, id, p.payload));
  return calls;
}
