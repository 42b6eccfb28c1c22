import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { licenceForTarget } from '../../../shared/bundle/licences.js';
import type { GateReport, PublishResourceView, PublishRun } from '../../../shared/contract/index.js';
import {
  geonetworkCall,
  planDatagouv,
  resourcePlan,
  udataCall,
  type PlanFile,
  type PublishCall,
  type ResourcePlan,
} from '../../../shared/publish/plan.js';
import { normaliseBaseUrl, type PublishProfile, type UdataFrequency } from '../../../shared/publish/profiles.js';
import { formatPublishProgress } from '../../../shared/publish/progress.js';
import { datasetPayload, resourcePayload, RESOURCE_SPECS, type ResourceSpec } from '../../../shared/publish/udata.js';
import { resolveUrl } from '../../../shared/publish/dcat-feed.js';
import { verifyBundle } from '../bundle/verify.js';
import { zipFolder } from '../bundle/zip.js';
import { AppError } from '../errors.js';
import type { JobContext } from '../jobs/context.js';
import { openWorkspace } from '../workspace/open.js';
import { digestsOf, openBundle, readBundleInfo, readManifest, type BundleInfo, type Digests } from './bundle-files.js';
import { GeoNetworkClient } from './geonetwork-client.js';
import { findTarget, HistoryWriter } from './history.js';
import { HttpClient, type NetworkOptions } from './http.js';
import { UdataClient, type UdataResource, type UploadFile } from './udata-client.js';

/** What a publication task is given (the handler resolved the profile, the paths and the network). */
export interface PublishTaskInput {
  readonly step: 'upload' | 'make-public';
  readonly bundle: string;
  /** The workspace the gate reads and the history is read from. */
  readonly workspace: string;
  /** The file the history is written to (the demo's working copy for the demo); null for a dry run. */
  readonly historyFile: string | null;
  readonly referentials: readonly string[];
  readonly taxonomy: string | null;
  readonly profile: PublishProfile;
  readonly credentials: { readonly apiKey?: string; readonly password?: string };
  readonly dryRun: boolean;
  readonly frequency: UdataFrequency | null;
  readonly hostedAt: string | null;
  readonly newDataset: boolean;
  readonly network: NetworkOptions;
  readonly actor: string;
}

type Problem = { code: string; message: string };

/** The ISO record with relative `gmd:URL` links made absolute under `hostedAt` (where the park serves the bundle). */
export function isoWithLinks(xml: string, hostedAt: string | null): string {
  if (!hostedAt) return xml;
  return xml.replace(/<gmd:URL>([^<]+)<\/gmd:URL>/g, (all, url: string) => (/^[a-z][a-z0-9+.-]*:/i.test(url.trim()) ? all : `<gmd:URL>${resolveUrl(hostedAt, url.trim())}</gmd:URL>`));
}

/** The files a udata dataset gets, with their local path and digests; `dwca.zip` made from `dwca/`. */
async function prepareFiles(root: string, info: BundleInfo, tmp: string, ctx: JobContext): Promise<UploadFile[]> {
  const manifest = readManifest(root);
  const at = (p: string) => join(root, ...p.split('/'));
  const checked = (p: string): Digests => {
    const d = digestsOf(at(p));
    const expected = manifest.get(p);
    if (expected !== d.sha256) {
      throw new AppError('CONFLICT', `${p} changed after the gate checked it: nothing is sent`, { key: 'errors.PUBLISH_BUNDLE_CHANGED', params: { file: p }, where: p });
    }
    return d;
  };
  const out: UploadFile[] = [];
  for (const spec of RESOURCE_SPECS) {
    await ctx.checkpoint();
    if (spec.path === 'dwca.zip') {
      const dir = at('dwca');
      if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
      for (const f of ['dwca/meta.xml', 'dwca/eml.xml', 'dwca/occurrence.txt']) if (existsSync(at(f))) checked(f);
      const zip = join(tmp, 'dwca.zip');
      await zipFolder(dir, zip, info.facts.asOf, { checkpoint: () => ctx.checkpoint(), progress: () => undefined });
      out.push({ local: zip, spec, digests: digestsOf(zip) });
      continue;
    }
    if (!existsSync(at(spec.path))) continue;
    out.push({ local: at(spec.path), spec, digests: checked(spec.path) });
  }
  return out;
}

const resourceView = (r: ResourcePlan, spec: ResourceSpec | undefined, lang: 'fr' | 'en', url: string | null = null, portal: UdataResource['checksum'] = null): PublishResourceView => ({
  path: r.path,
  title: spec?.title[lang] ?? r.path,
  type: spec?.type ?? 'main',
  action: r.action,
  resourceId: r.resourceId,
  url,
  bytes: r.bytes,
  sha256: r.sha256,
  chunks: r.chunks,
  portalChecksum: portal?.type && portal.value ? { type: portal.type, value: portal.value } : null,
});

/** Checks the checksum the portal computed against the file's own digests. */
function checkPortalChecksum(file: UploadFile, c: UdataResource['checksum'], portal: string): void {
  if (!c?.type || !c.value) return;
  const mine = c.type === 'sha1' ? file.digests.sha1 : c.type === 'sha256' || c.type === 'sha2' ? file.digests.sha256 : c.type === 'md5' ? file.digests.md5 : null;
  if (mine !== null && mine !== c.value.toLowerCase()) {
    throw new AppError('CONFLICT', `${portal} stored ${file.spec.path} with ${c.type} ${c.value}, but the file's is ${mine}: the transfer was damaged`, {
      key: 'errors.PUBLISH_CHECKSUM_MISMATCH',
      params: { file: file.spec.path, type: c.type, portal: c.value, local: mine },
      where: file.spec.path,
    });
  }
}

/** The secret a run needs (a dry run needs none). */
function secret(input: PublishTaskInput): string {
  const value = input.profile.target === 'datagouv' ? input.credentials.apiKey : input.credentials.password;
  if (!value) {
    const what = input.profile.target === 'datagouv' ? 'an API key' : 'a password';
    throw new AppError('AUTH_FAILED', `Publishing to ${input.profile.baseUrl} needs ${what} (profile "${input.profile.name}": keyring, or ${input.profile.target === 'datagouv' ? 'PASSERELLE_UDATA_API_KEY' : 'PASSERELLE_GEONETWORK_PASSWORD'})`, {
      key: 'errors.PUBLISH_SECRET_NEEDED',
      params: { portal: input.profile.baseUrl, profile: input.profile.name },
    });
  }
  return value;
}

/** The history of this bundle at this portal, read without writing. */
function historyOf(input: PublishTaskInput, bundleId: string) {
  const ws = openWorkspace(input.workspace);
  try {
    return findTarget(ws.db, input.profile.target, normaliseBaseUrl(input.profile.baseUrl), bundleId);
  } finally {
    ws.close();
  }
}

/**
 * A publication (`publish.run`), its dry run, or the explicit publish step (`publish.makePublic`).
 *
 * The gate runs first, on the bundle as it is now, with the workspace: nothing goes anywhere
 * unless it passes. Then, for udata, the dataset is created private or, when the history knows it,
 * read (its visibility is kept: Passerelle never publishes but on the explicit step) and updated;
 * every file is uploaded or replaced in place with its SHA-256 checked against the gate's; for
 * GeoNetwork, the ISO record is inserted or updated by its fileIdentifier. A dry run computes the
 * same plan and returns its calls without opening a connection.
 */
export async function publishTask(input: PublishTaskInput, ctx: JobContext): Promise<PublishRun> {
  const profile = input.profile;
  const baseUrl = normaliseBaseUrl(profile.baseUrl);
  // A zip is unpacked once: the gate checks the very files that are then sent.
  const bundle = openBundle(input.bundle);
  const tmp = mkdtempSync(join(tmpdir(), 'passerelle-publish-files-'));
  try {
    ctx.progress(0, null, formatPublishProgress('gate'));
    const checked = await verifyBundle(
      { path: bundle.root, workspace: input.workspace, referentials: input.referentials, taxonomy: input.taxonomy },
      { checkpoint: () => ctx.checkpoint(), progress: (d, t) => ctx.progress(d, t, formatPublishProgress('gate')) },
    );
    const gate: GateReport = { ...checked, path: input.bundle };
    ctx.progress(0, null, formatPublishProgress('prepare'));
    const info = readBundleInfo(bundle.root, input.bundle);
    const f = info.facts;
    const base: Omit<PublishRun, 'refused' | 'problems' | 'action' | 'remote' | 'resources' | 'calls' | 'publicationId'> = {
      dryRun: input.dryRun,
      step: input.step,
      target: profile.target,
      profile: profile.name,
      baseUrl,
      bundle: { path: input.bundle, id: f.id, version: f.version, asOf: f.asOf, title: f.title },
      gate,
    };
    const refuse = (problems: Problem[], remote: PublishRun['remote'] = { id: null, slug: null, page: null, visibility: null, existed: null }): PublishRun => ({
      ...base,
      refused: true,
      problems,
      action: 'none',
      remote,
      resources: [],
      calls: [],
      publicationId: null,
    });
    if (gate.verdict !== 'pass') {
      const failed = gate.checks.filter((c) => c.blocking && c.status !== 'pass' && c.status !== 'warn').map((c) => c.id);
      return refuse([{ code: 'gate', message: `the gate's verdict is ${gate.verdict} (${failed.join(', ')}): nothing is published` }]);
    }
    const existing = input.newDataset && input.step === 'upload' ? null : historyOf(input, f.id);
    if (input.step === 'make-public') return await makePublic(input, info, existing, base, refuse, ctx);
    if (profile.target === 'geonetwork') return await publishRecord(input, bundle.root, info, existing, base, refuse, ctx);
    return await publishDatagouv(input, bundle.root, info, existing, base, refuse, tmp, ctx);
  } finally {
    bundle.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

type Base = Omit<PublishRun, 'refused' | 'problems' | 'action' | 'remote' | 'resources' | 'calls' | 'publicationId'>;
type Refuse = (problems: Problem[], remote?: PublishRun['remote']) => PublishRun;
type Existing = ReturnType<typeof findTarget>;

/** Runs `body` with a history entry: done at the end, partial or failed (with the error) when it stops. */
async function withHistory<T>(
  input: PublishTaskInput,
  info: BundleInfo,
  kind: 'upload' | 'make-public' | 'record',
  targetId: number | null,
  body: (h: HistoryWriter, http: HttpClient) => Promise<{ value: T; resources: { path: string; resourceId: string | null; action: string }[] }>,
  ctx: JobContext,
): Promise<{ value: T; calls: PublishCall[]; publicationId: number | null }> {
  const h = new HistoryWriter(input.historyFile as string, {
    target: input.profile.target,
    profile: input.profile.name,
    baseUrl: normaliseBaseUrl(input.profile.baseUrl),
    bundleId: info.facts.id,
    bundlePath: input.bundle,
    version: info.facts.version,
    asOf: info.facts.asOf,
    actor: input.actor,
    kind,
  });
  const http = new HttpClient(input.network, normaliseBaseUrl(input.profile.baseUrl), ctx.signal);
  h.begin(targetId);
  try {
    const r = await body(h, http);
    h.finish('done', null, http.calls, r.resources);
    return { value: r.value, calls: http.calls, publicationId: h.publicationId };
  } catch (e) {
    // Something changed at the portal (a call other than a read answered 2xx): partial, the next run goes on.
    const changed = http.calls.some((c) => c.method !== 'GET' && c.status !== null && c.status >= 200 && c.status < 300);
    const message = e instanceof Error ? e.message : String(e);
    try {
      h.finish(changed ? 'partial' : 'failed', message, http.calls, []);
    } catch {
      // The history could not be written (the workspace locked?): the error that stopped us matters more.
    }
    throw e;
  } finally {
    await http.close();
  }
}

async function publishDatagouv(input: PublishTaskInput, root: string, info: BundleInfo, existing: Existing, base: Base, refuse: Refuse, tmp: string, ctx: JobContext): Promise<PublishRun> {
  const profile = input.profile;
  const f = info.facts;
  const lang = f.language;
  const licence = licenceForTarget(info.licenceId, 'datagouv');
  if (!licence.accepted || !licence.id) return refuse([{ code: 'licence', message: licence.message ?? `the licence ${info.licenceId} is not accepted by data.gouv.fr` }]);
  const files = await prepareFiles(root, info, tmp, ctx);
  const planFiles: PlanFile[] = files.map((x) => ({ spec: x.spec, bytes: x.digests.bytes, sha256: x.digests.sha256 }));
  const remoteId = existing?.row.remote_id ?? null;
  const plan = resourcePlan(
    planFiles,
    (existing?.resources ?? []).map((r) => ({ path: r.path, resourceId: r.resource_id, sha256: r.sha256 })),
    profile.chunkSize,
  );
  const frequency = input.frequency ?? profile.frequency;
  const payloadFor = (priv: boolean) => datasetPayload(f, { licenceId: licence.id as string, frequency, zones: profile.zones, organization: profile.organization, priv });
  const specs = new Map(files.map((x) => [x.spec.path, x.spec]));
  const plannedVisibility = existing?.row.visibility ?? 'private';
  const resourceJson = (spec: ResourceSpec, r: ResourcePlan) => resourcePayload(spec, { bytes: r.bytes, sha256: r.sha256 ?? '', url: '{url}' }, lang, f.version);
  if (input.dryRun) {
    return {
      ...base,
      refused: false,
      problems: [],
      action: remoteId ? 'update' : 'create',
      remote: { id: remoteId, slug: existing?.row.remote_slug ?? null, page: existing?.row.page_url ?? null, visibility: plannedVisibility, existed: remoteId !== null },
      resources: plan.map((r) => resourceView(r, specs.get(r.path), lang)),
      calls: planDatagouv({ baseUrl: base.baseUrl, datasetId: remoteId, payload: payloadFor(plannedVisibility === 'private'), files: planFiles, resources: plan, chunkSize: profile.chunkSize, lang, resourceJson }),
      publicationId: null,
    };
  }
  const apiKey = secret(input);
  const totalBytes = plan.filter((r) => r.action === 'upload' || r.action === 'replace').reduce((n, r) => n + r.bytes, 0);
  const uploads = plan.filter((r) => r.action === 'upload' || r.action === 'replace');
  const views: PublishResourceView[] = [];
  const run = await withHistory(
    input,
    info,
    'upload',
    existing?.row.id ?? null,
    async (h, http) => {
      const api = new UdataClient(http, base.baseUrl, apiKey);
      ctx.progress(0, totalBytes, formatPublishProgress('dataset'));
      await api.checkKey();
      let id: string;
      let remote: PublishRun['remote'];
      let priv = true;
      if (remoteId) {
        const d = await api.getDataset(remoteId);
        id = d.id ?? remoteId;
        // The visibility is the portal's: an update never publishes, and never unpublishes what was made public.
        priv = d.private !== false;
        remote = { id, slug: d.slug ?? existing?.row.remote_slug ?? null, page: d.page ?? existing?.row.page_url ?? null, visibility: priv ? 'private' : 'public', existed: true };
        h.updateTarget({ slug: remote.slug, page: remote.page, visibility: remote.visibility ?? 'private' });
      } else {
        const d = await api.createDataset(payloadFor(true));
        id = d.id;
        remote = { id, slug: d.slug ?? null, page: d.page ?? null, visibility: d.private === false ? 'public' : 'private', existed: false };
        h.created({ id, slug: remote.slug, page: remote.page, visibility: remote.visibility ?? 'private' }, input.newDataset);
      }
      let sentBefore = 0;
      const done: { path: string; resourceId: string | null; action: string }[] = [];
      for (const [k, r] of uploads.entries()) {
        const file = files.find((x) => x.spec.path === r.path) as UploadFile;
        // done/total are the file's own bytes: a file's last event is never dropped by the throttle.
        const progress = (sent: number) => ctx.progress(sent, r.bytes, formatPublishProgress('upload', { index: k + 1, count: uploads.length, sent, bytes: r.bytes, path: r.path }));
        progress(0);
        const up = await api.upload(id, r.action === 'replace' ? r.resourceId : null, file, profile.chunkSize, progress, () => ctx.checkpoint());
        checkPortalChecksum(file, up.resource.checksum, base.baseUrl);
        const rid = up.resource.id ?? r.resourceId;
        if (!rid) throw new AppError('INCOMPATIBLE', `${base.baseUrl} answered the upload of ${r.path} without a resource id`, { key: 'errors.PUBLISH_REJECTED', params: { portal: base.baseUrl, status: 0, call: 'POST upload', reason: 'no resource id' }, where: r.path });
        ctx.progress(r.bytes, r.bytes, formatPublishProgress('metadata', { index: k + 1, count: uploads.length, sent: r.bytes, bytes: r.bytes, path: r.path }));
        const meta = await api.updateResource(id, rid, r.path, resourcePayload(file.spec, { bytes: r.bytes, sha256: file.digests.sha256, url: up.resource.url ?? '' }, lang, f.version));
        const url = meta.url ?? up.resource.url ?? null;
        h.resource({ path: r.path, resourceId: rid, url, sha256: file.digests.sha256, bytes: r.bytes });
        views.push(resourceView({ ...r, resourceId: rid, chunks: up.chunks }, file.spec, lang, url, up.resource.checksum ?? null));
        done.push({ path: r.path, resourceId: rid, action: r.action });
        sentBefore += r.bytes;
      }
      for (const r of plan.filter((x) => x.action === 'keep')) {
        const prev = existing?.resources.find((x) => x.path === r.path);
        views.push(resourceView(r, specs.get(r.path), lang, prev?.url ?? null));
        done.push({ path: r.path, resourceId: r.resourceId, action: 'keep' });
      }
      for (const r of plan.filter((x) => x.action === 'delete')) {
        ctx.progress(sentBefore, totalBytes, formatPublishProgress('delete'));
        await api.deleteResource(id, r.resourceId as string, r.path);
        h.removed(r.path);
        views.push(resourceView(r, undefined, lang));
        done.push({ path: r.path, resourceId: r.resourceId, action: 'delete' });
      }
      if (remoteId) {
        ctx.progress(sentBefore, totalBytes, formatPublishProgress('dataset'));
        const d = await api.updateDataset(id, payloadFor(priv));
        remote = { ...remote, slug: d.slug ?? remote.slug, page: d.page ?? remote.page };
        h.updateTarget({ slug: remote.slug, page: remote.page });
      }
      ctx.progress(totalBytes, totalBytes, formatPublishProgress('done'));
      return { value: remote, resources: done };
    },
    ctx,
  );
  return {
    ...base,
    refused: false,
    problems: [],
    action: remoteId ? 'update' : 'create',
    remote: run.value,
    resources: views,
    calls: run.calls,
    publicationId: run.publicationId,
  };
}

async function publishRecord(input: PublishTaskInput, root: string, info: BundleInfo, existing: Existing, base: Base, refuse: Refuse, ctx: JobContext): Promise<PublishRun> {
  const profile = input.profile;
  const path = 'metadata/iso19139.xml';
  const file = join(root, 'metadata', 'iso19139.xml');
  const uuid = info.facts.fileIdentifier;
  if (!existsSync(file) || !uuid) return refuse([{ code: 'no-iso', message: 'the bundle has no ISO 19139 record with a fileIdentifier (metadata/iso19139.xml)' }]);
  const manifest = readManifest(root);
  const raw = readFileSync(file);
  const rawSha = digestsOf(file).sha256;
  if (manifest.get(path) !== rawSha) throw new AppError('CONFLICT', `${path} changed after the gate checked it: nothing is sent`, { key: 'errors.PUBLISH_BUNDLE_CHANGED', params: { file: path }, where: path });
  const xml = isoWithLinks(raw.toString('utf8'), input.hostedAt);
  const bytes = Buffer.byteLength(xml);
  const sha256 = createHash('sha256').update(xml).digest('hex');
  const page = `${base.baseUrl}/records/${encodeURIComponent(uuid)}`;
  const view = (existed: boolean | null, internalId: string | null): PublishResourceView => ({
    path,
    title: info.facts.language === 'fr' ? 'Métadonnées ISO 19139' : 'ISO 19139 metadata',
    type: 'metadata',
    action: 'record',
    resourceId: internalId ?? uuid,
    url: page,
    bytes,
    sha256,
    chunks: 1,
    portalChecksum: null,
  });
  const known = existing !== null;
  if (input.dryRun) {
    return {
      ...base,
      refused: false,
      problems: [],
      action: 'record',
      remote: { id: uuid, slug: null, page, visibility: existing?.row.visibility ?? 'private', existed: known ? true : null },
      resources: [view(known ? true : null, existing?.resources[0]?.resource_id ?? null)],
      calls: [geonetworkCall.session(base.baseUrl), geonetworkCall.getRecord(base.baseUrl, uuid), geonetworkCall.putRecord(base.baseUrl, profile.group, path, bytes, sha256)],
      publicationId: null,
    };
  }
  const password = secret(input);
  const run = await withHistory(
    input,
    info,
    'record',
    existing?.row.id ?? null,
    async (h, http) => {
      const gn = new GeoNetworkClient(http, base.baseUrl, profile.user ?? '', password);
      ctx.progress(0, bytes, formatPublishProgress('record'));
      await gn.session();
      const existed = await gn.exists(uuid);
      const r = await gn.putRecord(xml, profile.group, path, sha256);
      if (!existing) h.created({ id: uuid, slug: null, page, visibility: 'private' }, false);
      h.resource({ path, resourceId: r.internalId ?? uuid, url: page, sha256, bytes });
      ctx.progress(bytes, bytes, formatPublishProgress('done'));
      return { value: { existed, internalId: r.internalId }, resources: [{ path, resourceId: r.internalId ?? uuid, action: existed ? 'update' : 'insert' }] };
    },
    ctx,
  );
  return {
    ...base,
    refused: false,
    problems: [],
    action: 'record',
    remote: { id: uuid, slug: null, page, visibility: existing?.row.visibility ?? 'private', existed: run.value.existed },
    resources: [view(run.value.existed, run.value.internalId)],
    calls: run.calls,
    publicationId: run.publicationId,
  };
}

/**
 * The explicit publish step: the dataset (or record) this bundle became at this portal is made
 * public. Only when this version was sent completely (the last publication of it is done).
 */
async function makePublic(input: PublishTaskInput, info: BundleInfo, existing: Existing, base: Base, refuse: Refuse, ctx: JobContext): Promise<PublishRun> {
  const profile = input.profile;
  const f = info.facts;
  if (!existing) return refuse([{ code: 'not-published', message: `this bundle was never sent to ${base.baseUrl}: publish it (private) first` }]);
  const remoteView = { id: existing.row.remote_id, slug: existing.row.remote_slug, page: existing.row.page_url, visibility: existing.row.visibility, existed: true };
  if (!existing.lastUpload || existing.lastUpload.status !== 'done' || existing.lastUpload.version !== f.version) {
    const last = existing.lastUpload ? `${existing.lastUpload.version} (${existing.lastUpload.status})` : 'none';
    return refuse([{ code: 'version-not-sent', message: `version ${f.version} was not sent completely to ${base.baseUrl} (last: ${last}): publish it first` }], remoteView);
  }
  let payload = null;
  if (profile.target === 'datagouv') {
    const licence = licenceForTarget(info.licenceId, 'datagouv');
    if (!licence.accepted || !licence.id) return refuse([{ code: 'licence', message: licence.message ?? 'licence refused' }], remoteView);
    payload = datasetPayload(f, { licenceId: licence.id, frequency: input.frequency ?? profile.frequency, zones: profile.zones, organization: profile.organization, priv: false });
  }
  const calls =
    profile.target === 'datagouv'
      ? [udataCall.checkKey(base.baseUrl), udataCall.getDataset(base.baseUrl, existing.row.remote_id), udataCall.updateDataset(base.baseUrl, existing.row.remote_id, payload as NonNullable<typeof payload>, 'make-public')]
      : [geonetworkCall.session(base.baseUrl), geonetworkCall.publish(base.baseUrl, existing.row.remote_id)];
  if (input.dryRun) {
    return { ...base, refused: false, problems: [], action: 'make-public', remote: { ...remoteView, visibility: 'public' }, resources: [], calls, publicationId: null };
  }
  const key = secret(input);
  const run = await withHistory(
    input,
    info,
    'make-public',
    existing.row.id,
    async (h, http) => {
      if (profile.target === 'datagouv') {
        const api = new UdataClient(http, base.baseUrl, key);
        await api.checkKey();
        await api.getDataset(existing.row.remote_id);
        const d = await api.updateDataset(existing.row.remote_id, payload as NonNullable<typeof payload>, 'make-public');
        if (d.private !== false) {
          throw new AppError('INCOMPATIBLE', `${base.baseUrl} kept dataset ${existing.row.remote_id} private`, { key: 'errors.PUBLISH_REJECTED', params: { portal: base.baseUrl, status: 200, call: 'PUT dataset', reason: 'still private' } });
        }
        h.updateTarget({ visibility: 'public', madePublic: true, slug: d.slug ?? existing.row.remote_slug, page: d.page ?? existing.row.page_url });
      } else {
        const gn = new GeoNetworkClient(http, base.baseUrl, profile.user ?? '', key);
        await gn.session();
        await gn.publish(existing.row.remote_id);
        h.updateTarget({ visibility: 'public', madePublic: true });
      }
      ctx.progress(1, 1, formatPublishProgress('done'));
      return { value: null, resources: [] };
    },
    ctx,
  );
  return { ...base, refused: false, problems: [], action: 'make-public', remote: { ...remoteView, visibility: 'public' }, resources: [], calls: run.calls, publicationId: run.publicationId };
}

