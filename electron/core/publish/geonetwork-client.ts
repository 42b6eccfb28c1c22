import { geonetworkCall } from '../../../shared/publish/plan.js';
import { AppError } from '../errors.js';
import { serverSays, type HttpClient, type HttpResponse } from './http.js';

/** GeoNetwork's `SimpleMetadataProcessingReport` (the fields Passerelle reads). */
interface ProcessingReport {
  numberOfRecordsProcessed?: number;
  numberOfRecordsWithErrors?: number;
  metadataInfos?: Record<string, Array<{ uuid?: string; message?: string }>>;
  errors?: Array<{ message?: string } | string>;
}

/**
 * The GeoNetwork 4 records API (standards-reference.md §6): Basic authentication, the session
 * cookie and the XSRF token Spring Security asks for on every change (cookie `XSRF-TOKEN`, header
 * `X-XSRF-TOKEN`), a record inserted or updated by its fileIdentifier (`PUT /records` with
 * `uuidProcessing=OVERWRITE`, not published to all), published with `PUT /records/{uuid}/publish`.
 */
export class GeoNetworkClient {
  private readonly cookies = new Map<string, string>();

  constructor(
    private readonly http: HttpClient,
    private readonly base: string,
    private readonly user: string,
    private readonly password: string,
  ) {}

  private auth(extra: Record<string, string> = {}, write = false): Record<string, string> {
    const h: Record<string, string> = { Authorization: `Basic ${Buffer.from(`${this.user}:${this.password}`).toString('base64')}`, ...extra };
    if (this.cookies.size) h.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const xsrf = this.cookies.get('XSRF-TOKEN');
    if (write && xsrf) h['X-XSRF-TOKEN'] = xsrf;
    return h;
  }

  private keepCookies(res: HttpResponse): boolean {
    const h = res.headers as Headers & { getSetCookie?: () => string[] };
    const list = h.getSetCookie?.() ?? (h.get('set-cookie') ? [h.get('set-cookie') as string] : []);
    let xsrf = false;
    for (const c of list) {
      const m = /^\s*([^=;\s]+)=([^;]*)/.exec(c);
      if (!m) continue;
      this.cookies.set(m[1] as string, m[2] as string);
      if (m[1] === 'XSRF-TOKEN') xsrf = true;
    }
    return xsrf;
  }

  /** GET /me: the credentials work (an anonymous answer is a refusal), and the session and XSRF cookies. */
  async session(): Promise<{ username: string | null }> {
    const res = await this.http.send({ call: geonetworkCall.session(this.base), headers: this.auth({ Accept: 'application/json' }), idempotent: true });
    this.keepCookies(res);
    if (res.status === 204 || res.text.trim() === '') {
      throw new AppError('AUTH_FAILED', `${this.base} did not recognise the user ${this.user}`, {
        key: 'errors.PUBLISH_AUTH_FAILED',
        params: { portal: this.base, status: res.status, call: 'GET me', reason: 'anonymous session' },
        where: this.base,
      });
    }
    const me = res.json<{ username?: string }>();
    return { username: me.username ?? null };
  }

  /** Whether the catalogue has a record with this fileIdentifier. */
  async exists(uuid: string): Promise<boolean> {
    const res = await this.http.send({ call: geonetworkCall.getRecord(this.base, uuid), headers: this.auth({ Accept: 'application/xml' }), idempotent: true, accept: [404] });
    this.keepCookies(res);
    return res.status !== 404;
  }

  /** A change, sent again once (with the token the 403 set, if any) when the server answers 403. */
  private async write(make: () => Parameters<HttpClient['send']>[0]): Promise<HttpResponse> {
    const first = await this.http.send({ ...make(), accept: [403] });
    if (first.status !== 403) {
      this.keepCookies(first);
      return first;
    }
    // Spring Security's answer to a missing or stale token; a 403 again is a real refusal.
    this.keepCookies(first);
    return this.http.send(make());
  }

  /** Inserts the record, or updates the one with the same fileIdentifier. */
  async putRecord(xml: string, group: string | null, path: string, sha256: string): Promise<{ internalId: string | null; uuid: string | null }> {
    const bytes = Buffer.byteLength(xml);
    const res = await this.write(() => ({
      call: geonetworkCall.putRecord(this.base, group, path, bytes, sha256),
      headers: this.auth({ 'Content-Type': 'application/xml', Accept: 'application/json' }, true),
      body: () => xml,
      idempotent: true,
    }));
    let report: ProcessingReport;
    try {
      report = res.json<ProcessingReport>();
    } catch {
      report = {};
    }
    if ((report.numberOfRecordsWithErrors ?? 0) > 0 || (report.numberOfRecordsProcessed ?? 1) === 0) {
      const reason = (report.errors ?? []).map((e) => (typeof e === 'string' ? e : (e.message ?? ''))).join('; ') || serverSays(res.text);
      throw new AppError('INCOMPATIBLE', `${this.base} did not take the record: ${reason}`, {
        key: 'errors.PUBLISH_REJECTED',
        params: { portal: this.base, status: res.status, call: 'PUT records', reason },
        where: path,
      });
    }
    const [internalId, infos] = Object.entries(report.metadataInfos ?? {})[0] ?? [null, []];
    return { internalId, uuid: infos?.[0]?.uuid ?? null };
  }

  /** Publishes the record to all (the explicit publish step). */
  async publish(uuid: string): Promise<void> {
    await this.write(() => ({ call: geonetworkCall.publish(this.base, uuid), headers: this.auth({}, true), idempotent: true }));
  }
}
