import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, EnvHttpProxyAgent, fetch, type Dispatcher, type FormData } from 'undici';
import type { PublishCall } from '../../../shared/publish/plan.js';
import { AppError } from '../errors.js';

/**
 * HTTP for publishing, as a park's network needs it: through the proxy of `HTTPS_PROXY` /
 * `HTTP_PROXY` (minus `NO_PROXY`) or the profile's, trusting a custom certificate authority besides
 * the system's (`caFile`, and `NODE_EXTRA_CA_CERTS` kept), with retries of what is safe to retry,
 * every call recorded (secrets masked) and failures turned into the contract's error codes.
 *
 * Library: undici (the HTTP client behind Node's own fetch, maintained by the Node.js project):
 * its `EnvHttpProxyAgent` does the environment's proxy and `NO_PROXY` rules, CONNECT tunnels to
 * HTTPS targets and proxy credentials in the URL, which Node 20's global fetch cannot.
 */

/** How to reach a portal. */
export interface NetworkOptions {
  /** A proxy URL, `''` for none; null: the environment's (HTTPS_PROXY, HTTP_PROXY). */
  readonly proxy: string | null;
  /** The environment the proxy and NO_PROXY are read from (the engine's). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** PEM file of extra certificate authorities. */
  readonly caFile: string | null;
  /** Attempts after the first for what may be retried. @default 3 */
  readonly retries?: number;
  /** First wait between attempts (doubled each time). @default 500 ms */
  readonly retryBaseMs?: number;
  /** Connect timeout. @default 15 s */
  readonly connectTimeoutMs?: number;
}

/** The proxy a URL goes through with these options (for messages; never with its credentials). */
export function proxyFor(opts: NetworkOptions, url: string): string | null {
  const env = opts.env;
  const https = url.startsWith('https:');
  const p = opts.proxy !== null ? opts.proxy : https ? (env.https_proxy ?? env.HTTPS_PROXY ?? env.http_proxy ?? env.HTTP_PROXY ?? '') : (env.http_proxy ?? env.HTTP_PROXY ?? '');
  return p ? withoutCredentials(p) : null;
}

/** A URL without user and password (proxies may carry them). */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/\s]*@/i, '$1');
}

/** The certificate authorities to trust: the system's, NODE_EXTRA_CA_CERTS and the profile's file. */
function certificateAuthorities(opts: NetworkOptions): string[] | null {
  const files = [opts.env.NODE_EXTRA_CA_CERTS, opts.caFile].filter((f): f is string => typeof f === 'string' && f.length > 0);
  if (files.length === 0 || opts.caFile === null) return null; // Node already trusts NODE_EXTRA_CA_CERTS by default.
  const extra = files.map((f) => {
    try {
      return readFileSync(f, 'utf8');
    } catch (e) {
      throw new AppError('NOT_FOUND', `Cannot read the certificate authority file ${f}: ${e instanceof Error ? e.message : String(e)}`, {
        key: 'errors.PUBLISH_CA_FILE',
        params: { path: f, reason: e instanceof Error ? e.message : String(e) },
        where: f,
      });
    }
  });
  if (!extra.some((pem) => pem.includes('-----BEGIN CERTIFICATE-----'))) {
    throw new AppError('INVALID_INPUT', `${opts.caFile}: no PEM certificate in it`, { key: 'errors.PUBLISH_CA_FILE', params: { path: opts.caFile, reason: 'no PEM certificate' }, where: opts.caFile });
  }
  return [...rootCertificates, ...extra];
}

/** The dispatcher for these options. */
export function dispatcherFor(opts: NetworkOptions): Dispatcher {
  const ca = certificateAuthorities(opts);
  const tls = ca ? { ca } : {};
  const agentOpts = { connect: { timeout: opts.connectTimeoutMs ?? 15_000, ...tls }, requestTls: tls, proxyTls: tls };
  const env = opts.env;
  if (opts.proxy === '') return new Agent(agentOpts);
  const httpProxy = opts.proxy ?? env.http_proxy ?? env.HTTP_PROXY ?? '';
  const httpsProxy = opts.proxy ?? env.https_proxy ?? env.HTTPS_PROXY ?? httpProxy;
  const noProxy = env.no_proxy ?? env.NO_PROXY ?? '';
  return new EnvHttpProxyAgent({ ...agentOpts, httpProxy, httpsProxy, noProxy });
}

/** One request. `body` is made again for each attempt. */
export interface HttpRequest {
  /** How the call is recorded (secrets masked): `status`, `attempts` and `ms` are filled in. */
  readonly call: PublishCall;
  /** The real headers (with the secret). */
  readonly headers: Record<string, string>;
  readonly body?: () => string | Buffer | FormData;
  /**
   * May the request be sent again after a 500 or a connection dropped after sending? (GET, PUT,
   * DELETE, and a chunk, which the server stores under its index). A create is retried only when
   * the server said it did nothing (502, 503, 504, 429) or the connection was refused.
   */
  readonly idempotent: boolean;
  /** Statuses the caller handles itself (no error thrown): 404 to learn a record does not exist, 413 to split. */
  readonly accept?: readonly number[];
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  json<T = unknown>(): T;
}

/** Where errors say the problem is: the portal's origin and path, no query. */
const where = (url: string) => url.replace(/\?.*$/, '');

const RETRY_STATUS = new Set([429, 502, 503, 504]);
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|DEPTH_ZERO|UNABLE_TO_GET_ISSUER/;

/** The innermost `code` and message of a fetch failure (undici wraps the socket's error in `cause`). */
function rootCause(e: unknown): { code: string; message: string } {
  let cur: unknown = e;
  let code = '';
  let message = e instanceof Error ? e.message : String(e);
  for (let i = 0; i < 5 && cur && typeof cur === 'object'; i++) {
    const c = cur as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof c.code === 'string') code = c.code;
    if (typeof c.message === 'string' && c.message) message = c.message;
    cur = c.cause;
  }
  return { code, message };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason as Error)), { once: true });
  });

/** What the server said, short (its JSON `message` when it has one), for an error message. */
export function serverSays(text: string): string {
  try {
    const j = JSON.parse(text) as { message?: unknown; errors?: unknown; error?: unknown; description?: unknown };
    const m = j.message ?? j.error ?? j.description;
    const s = typeof m === 'string' ? m : '';
    const errs = j.errors ? JSON.stringify(j.errors) : '';
    return `${s}${s && errs ? ' ' : ''}${errs}`.slice(0, 500) || text.slice(0, 300);
  } catch {
    return text.replace(/\s+/g, ' ').slice(0, 300);
  }
}

/**
 * An HTTP client for one publication: every call recorded in `calls` (the run's list, as the dry
 * run showed it, with statuses), retries with backoff, errors as the contract's codes:
 * 401 AUTH_FAILED, 403 PERMISSION_DENIED, unreachable, TLS or proxy failures and 5xx that retries
 * did not cure UNREACHABLE (CLI exit 3), other refusals INCOMPATIBLE with what the server said.
 */
export class HttpClient {
  readonly calls: PublishCall[] = [];
  private readonly dispatcher: Dispatcher;

  constructor(
    private readonly opts: NetworkOptions,
    private readonly portal: string,
    private readonly signal: AbortSignal,
  ) {
    this.dispatcher = dispatcherFor(opts);
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    const call: PublishCall = { ...req.call, status: null, attempts: 0, ms: null };
    this.calls.push(call);
    const retries = this.opts.retries ?? 3;
    const base = this.opts.retryBaseMs ?? 500;
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      call.attempts = attempt + 1;
      let res: Awaited<ReturnType<typeof fetch>>;
      try {
        res = await fetch(req.call.url, {
          method: req.call.method,
          headers: req.headers,
          body: req.body ? req.body() : undefined,
          dispatcher: this.dispatcher,
          signal: this.signal,
          redirect: 'manual',
        });
      } catch (e) {
        if (this.signal.aborted) throw e;
        const cause = rootCause(e);
        const retriable = NOT_SENT.has(cause.code) || req.idempotent;
        call.ms = Date.now() - started;
        if (retriable && attempt < retries) {
          await sleep(base * 2 ** attempt, this.signal);
          continue;
        }
        throw this.networkError(req.call.url, cause);
      }
      const text = await res.text();
      call.status = res.status;
      call.ms = Date.now() - started;
      const retryAfter = Number(res.headers.get('retry-after'));
      if ((RETRY_STATUS.has(res.status) || (res.status >= 500 && req.idempotent)) && attempt < retries && !req.accept?.includes(res.status)) {
        await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 30_000) : base * 2 ** attempt, this.signal);
        continue;
      }
      const response: HttpResponse = {
        status: res.status,
        headers: res.headers as unknown as Headers,
        text,
        json: <T>() => JSON.parse(text) as T,
      };
      if ((res.status >= 200 && res.status < 300) || req.accept?.includes(res.status)) return response;
      throw this.statusError(req.call, res.status, text);
    }
  }

  private networkError(url: string, cause: { code: string; message: string }): AppError {
    const proxy = proxyFor(this.opts, url);
    if (TLS_CODES.test(cause.code) || /certificate/i.test(cause.message)) {
      return new AppError('UNREACHABLE', `${this.portal}: the TLS certificate was refused (${cause.message}); behind a TLS-inspecting proxy, give its certificate authority (caFile, --ca-file)`, {
        key: 'errors.PUBLISH_TLS',
        params: { portal: this.portal, reason: cause.message },
        where: where(url),
      });
    }
    if (proxy && /proxy|407|UND_ERR_ABORTED|ECONNREFUSED|ENOTFOUND|EAI_AGAIN/i.test(`${cause.code} ${cause.message}`)) {
      return new AppError('UNREACHABLE', `${this.portal} cannot be reached through the proxy ${proxy}: ${cause.message}`, {
        key: 'errors.PUBLISH_PROXY',
        params: { portal: this.portal, proxy, reason: cause.message },
        where: where(url),
      });
    }
    return new AppError('UNREACHABLE', `${this.portal} cannot be reached: ${cause.message}${cause.code ? ` (${cause.code})` : ''}`, {
      key: 'errors.PUBLISH_UNREACHABLE',
      params: { portal: this.portal, reason: `${cause.message}${cause.code ? ` (${cause.code})` : ''}` },
      where: where(url),
    });
  }

  private statusError(call: PublishCall, status: number, text: string): AppError {
    const says = serverSays(text);
    const params = { portal: this.portal, status, call: `${call.method} ${where(call.url)}`, reason: says };
    if (status === 401) return new AppError('AUTH_FAILED', `${this.portal} refused the credentials (401): ${says}`, { key: 'errors.PUBLISH_AUTH_FAILED', params, where: where(call.url) });
    if (status === 403) return new AppError('PERMISSION_DENIED', `${this.portal} refused ${params.call} (403): ${says}`, { key: 'errors.PUBLISH_FORBIDDEN', params, where: where(call.url) });
    if (status === 407) return new AppError('UNREACHABLE', `The proxy refused the credentials (407)`, { key: 'errors.PUBLISH_PROXY', params: { portal: this.portal, proxy: proxyFor(this.opts, call.url) ?? '', reason: '407 Proxy Authentication Required' }, where: where(call.url) });
    if (status === 404 || status === 410) return new AppError('NOT_FOUND', `${this.portal}: ${params.call} is not there (${status}): ${says}`, { key: 'errors.PUBLISH_REMOTE_GONE', params, where: where(call.url) });
    if (status === 413) return new AppError('UNSUPPORTED', `${this.portal} refused ${params.call} as too large (413)`, { key: 'errors.PUBLISH_TOO_LARGE', params, where: where(call.url) });
    if (status >= 500 || status === 429) return new AppError('UNREACHABLE', `${this.portal} failed (${status}) on ${params.call}, after retries: ${says}`, { key: 'errors.PUBLISH_SERVER_ERROR', params, where: where(call.url) });
    return new AppError('INCOMPATIBLE', `${this.portal} refused ${params.call} (${status}): ${says}`, { key: 'errors.PUBLISH_REJECTED', params, where: where(call.url) });
  }
}
