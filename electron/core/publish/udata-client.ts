import { createHash, randomUUID } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { FormData } from 'undici';
import { MIN_CHUNK } from '../../../shared/publish/profiles.js';
import { udataCall, type PublishCall } from '../../../shared/publish/plan.js';
import type { ResourceSpec, UdataDatasetPayload } from '../../../shared/publish/udata.js';
import { AppError } from '../errors.js';
import type { HttpClient, HttpResponse } from './http.js';
import type { Digests } from './bundle-files.js';

/** A dataset as udata returns it (the fields Passerelle reads). */
export interface UdataDataset {
  id: string;
  slug?: string;
  page?: string;
  private?: boolean;
  deleted?: string | null;
  resources?: UdataResource[];
}

/** A resource as udata returns it. */
export interface UdataResource {
  id: string;
  url?: string;
  title?: string;
  checksum?: { type?: string; value?: string } | null;
  filesize?: number;
}

/** A file to upload: where it is on disk, its spec and digests. */
export interface UploadFile {
  readonly local: string;
  readonly spec: ResourceSpec;
  readonly digests: Digests;
}

/** Reads `length` bytes of a file at `offset`. */
function readRange(file: string, offset: number, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, buf, got, length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return got === length ? buf : buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/**
 * The udata API v1 (standards-reference.md §4) for one publication: `X-API-KEY` on every call,
 * JSON bodies for datasets and resource metadata, multipart uploads (chunked past the chunk size,
 * smaller chunks after a 413), every call through the recording {@link HttpClient}.
 */
export class UdataClient {
  constructor(
    private readonly http: HttpClient,
    private readonly base: string,
    private readonly apiKey: string,
  ) {}

  private headers(json: boolean): Record<string, string> {
    return { 'X-API-KEY': this.apiKey, Accept: 'application/json', ...(json ? { 'Content-Type': 'application/json' } : {}) };
  }

  private json(call: PublishCall, body: unknown | null, idempotent: boolean, accept?: number[]): Promise<HttpResponse> {
    return this.http.send({ call, headers: this.headers(body !== null), ...(body !== null ? { body: () => JSON.stringify(body) } : {}), idempotent, ...(accept ? { accept } : {}) });
  }

  /** GET /me/: the key works (401 otherwise) before anything is changed. */
  async checkKey(): Promise<{ id?: string; slug?: string }> {
    return (await this.json(udataCall.checkKey(this.base), null, true)).json();
  }

  async getDataset(id: string): Promise<UdataDataset> {
    const d = (await this.json(udataCall.getDataset(this.base, id), null, true)).json<UdataDataset>();
    if (d.deleted) {
      throw new AppError('NOT_FOUND', `Dataset ${id} was deleted at ${this.base}`, { key: 'errors.PUBLISH_REMOTE_GONE', params: { portal: this.base, status: 410, call: `GET datasets/${id}/`, reason: 'deleted' }, where: id });
    }
    return d;
  }

  async createDataset(payload: UdataDatasetPayload): Promise<UdataDataset> {
    // Not idempotent: retried only when the portal said it did nothing (HttpClient's rule).
    return (await this.json(udataCall.createDataset(this.base, payload), payload, false)).json();
  }

  async updateDataset(id: string, payload: UdataDatasetPayload, step: 'update-dataset' | 'make-public' = 'update-dataset'): Promise<UdataDataset> {
    return (await this.json(udataCall.updateDataset(this.base, id, payload, step), payload, true)).json();
  }

  async updateResource(datasetId: string, rid: string, path: string, body: unknown): Promise<UdataResource> {
    return (await this.json(udataCall.updateResource(this.base, datasetId, rid, path, body), body, true)).json();
  }

  async deleteResource(datasetId: string, rid: string, path: string): Promise<void> {
    await this.json(udataCall.deleteResource(this.base, datasetId, rid, path), null, true, [404]);
  }

  /**
   * Uploads a file as a new resource (`rid` null) or as the new file of resource `rid`: whole when
   * it fits in one chunk, else in chunks and a combining call. A 413 makes the chunks smaller (down
   * to 64 KiB) and starts again with a new upload id. The bytes sent are hashed as they go and must
   * be the ones the gate passed (else the bundle changed under us and nothing more is sent).
   */
  async upload(
    datasetId: string,
    rid: string | null,
    file: UploadFile,
    chunkSize: number,
    onProgress: (sent: number) => void,
    checkpoint: () => Promise<void>,
  ): Promise<{ resource: UdataResource; chunks: number }> {
    let size = chunkSize;
    const { bytes } = file.digests;
    for (;;) {
      const total = bytes > size ? Math.ceil(bytes / size) : 1;
      const hash = createHash('sha256');
      if (total === 1) {
        const buf = readRange(file.local, 0, bytes);
        hash.update(buf);
        this.sameBytes(file, hash.digest('hex'));
        const res = await this.http.send({
          call: udataCall.upload(this.base, datasetId, rid, file.spec.path, file.spec.uploadName, bytes, file.digests.sha256),
          headers: this.headers(false),
          body: () => {
            const f = new FormData();
            f.append('file', new Blob([buf], { type: file.spec.mime }), file.spec.uploadName);
            return f;
          },
          idempotent: rid !== null,
          accept: [413],
        });
        if (res.status === 413) {
          size = this.smaller(size, bytes, file);
          continue;
        }
        onProgress(bytes);
        return { resource: res.json<UdataResource>(), chunks: 1 };
      }
      const uuid = randomUUID();
      let tooLarge = false;
      for (let i = 0; i < total; i++) {
        await checkpoint();
        const offset = i * size;
        const len = Math.min(size, bytes - offset);
        const buf = readRange(file.local, offset, len);
        hash.update(buf);
        const res = await this.http.send({
          call: udataCall.chunk(this.base, datasetId, rid, file.spec.path, file.spec.uploadName, uuid, i, offset, total, len),
          headers: this.headers(false),
          body: () => {
            const f = new FormData();
            f.append('uuid', uuid);
            f.append('filename', file.spec.uploadName);
            f.append('partindex', String(i));
            f.append('partbyteoffset', String(offset));
            f.append('totalparts', String(total));
            f.append('chunksize', String(len));
            f.append('file', new Blob([buf], { type: 'application/octet-stream' }), file.spec.uploadName);
            return f;
          },
          // A chunk is stored under its upload id and index: sending it again is harmless.
          idempotent: true,
          accept: [413],
        });
        if (res.status === 413) {
          tooLarge = true;
          break;
        }
        const ok = res.json<{ success?: boolean; error?: string }>();
        if (ok.success === false) {
          throw new AppError('INCOMPATIBLE', `${this.base} refused chunk ${i + 1}/${total} of ${file.spec.path}: ${ok.error ?? ''}`, {
            key: 'errors.PUBLISH_REJECTED',
            params: { portal: this.base, status: res.status, call: `POST upload (chunk ${i + 1}/${total})`, reason: ok.error ?? '' },
            where: file.spec.path,
          });
        }
        onProgress(offset + len);
      }
      if (tooLarge) {
        size = this.smaller(size, bytes, file);
        continue;
      }
      this.sameBytes(file, hash.digest('hex'));
      const res = await this.http.send({
        call: udataCall.combine(this.base, datasetId, rid, file.spec.path, file.spec.uploadName, uuid, total),
        headers: this.headers(false),
        body: () => {
          const f = new FormData();
          f.append('uuid', uuid);
          f.append('filename', file.spec.uploadName);
          f.append('totalparts', String(total));
          return f;
        },
        idempotent: rid !== null,
      });
      return { resource: res.json<UdataResource>(), chunks: total };
    }
  }

  /** The next chunk size after a 413 (half), or the error when it cannot be smaller. */
  private smaller(size: number, bytes: number, file: UploadFile): number {
    const next = Math.floor(Math.min(size, bytes) / 2);
    if (next < MIN_CHUNK) {
      throw new AppError('UNSUPPORTED', `${this.base} refused ${file.spec.path} as too large (413) even in chunks of ${size} bytes`, {
        key: 'errors.PUBLISH_TOO_LARGE',
        params: { portal: this.base, status: 413, call: `POST upload ${file.spec.path}`, reason: `chunks of ${size} bytes` },
        where: file.spec.path,
      });
    }
    return next;
  }

  private sameBytes(file: UploadFile, sha256: string): void {
    if (sha256 !== file.digests.sha256) {
      throw new AppError('CONFLICT', `${file.spec.path} changed after the gate checked it (sha256 ${sha256}, expected ${file.digests.sha256}): nothing more is sent`, {
        key: 'errors.PUBLISH_BUNDLE_CHANGED',
        params: { file: file.spec.path },
        where: file.spec.path,
      });
    }
  }
}
