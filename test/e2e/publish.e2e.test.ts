import { appendFileSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeWorkspace } from '../fixtures/publish/fixtures.js';
import { fixture } from '../fixtures/sensitivity/fixtures.js';
import { startGeoNetworkServer, type GeoNetworkServer } from '../helpers/geonetwork-server.js';
import { artifactsDir, DEMO } from '../helpers/paths.js';
import { testEnv } from '../helpers/transports.js';
import { openApp } from '../helpers/ui.js';
import { startUdataServer, type UdataServer } from '../helpers/udata-server.js';

const KEY = 'udata_e2e-key-4f1c9a';
const WRONG_KEY = 'udata_wrong-key-0000';
const GN_USER = 'editeur';
const GN_PASSWORD = 'gn-e2e-secret';
const UDATA_PROFILE = 'Portail regional PACA';
const GN_PROFILE = 'Catalogue du parc';
const AGREEMENT = 'Accord du producteur PNE, courrier du 12/03/2026 (test)';
const HOSTED_AT = 'https://donnees.parc.example/lots/opendata/';
const shot = (page: Page, name: string) => page.screenshot({ path: join(artifactsDir('e2e'), `publish-${name}.png`), fullPage: true });
/** A part of the view (it scrolls inside the app, so a page screenshot shows only what is on screen). */
const part = (l: Locator, name: string) => l.screenshot({ path: join(artifactsDir('e2e'), `publish-${name}.png`) });
const attr = async (l: Locator, name: string) => (await l.getAttribute(name)) ?? '';

/**
 * The publish step in the real UI (issue 9), on the real Écrins demo (test referential, TEST DATA),
 * against the local udata and GeoNetwork protocol servers (test/helpers: PROTOCOL TESTS, not the
 * real services), with the engine unmocked: the open-data bundle is built and verified in the export
 * wizard, then published from its result step — profiles saved through the UI, the dry run (nothing
 * received), a wrong key (nothing created), the private publication with per-file progress, the ISO
 * record to GeoNetwork; after a month of work in the workspace, a new version built as a copy
 * continuing the first goes to the SAME dataset and updates the record by its fileIdentifier;
 * « rendre public » is its own step; the history shows both versions; the landing page renders in
 * Chromium with its schema.org JSON-LD and its map; the DCAT feed is written; a bundle changed after
 * it was chosen is refused by the gate with its report.
 */
describe('publish step', () => {
  let app: Awaited<ReturnType<typeof openApp>>;
  let page: Page;
  let udata: UdataServer;
  let gn: GeoNetworkServer;
  const errors: string[] = [];
  const env: NodeJS.ProcessEnv = { ...testEnv(), PASSERELLE_PUBLISH_RETRY_BASE_MS: '5', HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '', http_proxy: '' };
  const home = env.PASSERELLE_HOME as string;
  const files = mkdtempSync(join(tmpdir(), 'passerelle-publish-e2e-'));
  const referential = join(files, 'référentiel-test-v13.csv');
  const taxonomy = join(files, 'taxonomie demo.csv');
  const out = join(files, 'exports');
  const v1 = join(out, 'données ouvertes');
  const v2 = join(out, 'données ouvertes (v2)');
  let datasetId = '';
  let recordUuid = '';
  let v1Resources = new Map<string, string>();
  let v1Record = '';

  const profileRow = (name: string) => page.locator(`[data-testid=publish-profile][data-name="${name}"]`);
  /** udata calls that sent a JSON body with `private: false`. */
  const madePublic = () => udata.requests.filter((r) => (r.json as { private?: unknown } | null)?.private === false);

  async function buildFirst(): Promise<void> {
    await page.getByTestId('views').getByText('Export', { exact: true }).click();
    await page.getByTestId('bundle-preset-partners').waitFor({ timeout: 30_000 });
    expect(await attr(page.getByTestId('bundle-step-preset'), 'data-audience')).toBe('opendata');
    await page.getByTestId('bundle-next-sensitivity').click();
    await page.getByTestId('bundle-sens-none').waitFor({ timeout: 30_000 });
    for (const [file, id] of [
      [referential, 'ref'],
      [taxonomy, 'tax'],
    ] as const) {
      await page.getByTestId(`bundle-${id}-path`).fill(file);
      await page.getByTestId(`bundle-${id}-path-submit`).click();
      await page.locator(`[data-testid=bundle-${id}-file]`).waitFor({ timeout: 30_000 });
    }
    await page.getByTestId('bundle-preview-run').click();
    await page.getByTestId('bundle-preview').waitFor({ timeout: 60_000 });
    await page.getByTestId('bundle-agreement-inline').fill(AGREEMENT);
    await page.getByTestId('bundle-agreement-apply').click();
    await expect.poll(async () => Number(await page.getByTestId('bundle-preview').getAttribute('data-published')), { timeout: 60_000 }).toBeGreaterThan(0);
    await page.getByTestId('bundle-next-build').click();
    await page.getByTestId('bundle-out').fill(v1);
    await page.getByTestId('bundle-build-run').click();
    await page.locator(`[data-testid=bundle-result-path][data-path="${v1}"]`).waitFor({ timeout: 120_000 });
  }

  async function selectProfile(name: string): Promise<void> {
    await profileRow(name).click();
    await expect.poll(() => attr(profileRow(name), 'data-selected')).toBe('true');
  }

  async function dryRun(): Promise<Locator> {
    await page.getByTestId('publish-dry-run').click();
    const plan = page.locator('[data-testid=publish-plan][data-dry-run=true]');
    await plan.waitFor({ timeout: 120_000 });
    return plan;
  }

  async function publish(): Promise<Locator> {
    await page.getByTestId('publish-run').click();
    const result = page.locator('[data-testid=publish-result][data-dry-run=false]');
    await result.waitFor({ timeout: 120_000 });
    return result;
  }

  async function enterSecret(value: string): Promise<void> {
    await page.getByTestId('publish-secret').fill(value);
    await page.getByTestId('publish-secret-save').click();
    await expect.poll(() => attr(page.getByTestId('publish-secret-status'), 'data-status')).toBe('session');
    // Never shown back.
    expect(await page.getByTestId('publish-secret').inputValue()).toBe('');
  }

  beforeAll(async () => {
    copyFileSync(fixture('test-referential-v13.csv'), referential);
    copyFileSync(fixture('demo-taxonomy.csv'), taxonomy);
    mkdirSync(out);
    udata = await startUdataServer({ apiKey: KEY });
    gn = await startGeoNetworkServer({ user: GN_USER, password: GN_PASSWORD });
    app = await openApp({ env });
    page = app.page;
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([udata?.close(), gn?.close()]);
    rmSync(files, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it('builds and verifies the open-data bundle in the wizard, and opens the publish step from its result', async () => {
    await buildFirst();
    expect(await attr(page.getByTestId('bundle-result'), 'data-version')).toBe('1.0.0');
    expect(await attr(page.getByTestId('bundle-gate'), 'data-verdict')).toBe('pass');
    await page.getByTestId('bundle-publish').click();
    await page.getByTestId('publish-view').waitFor();
    expect(await attr(page.getByTestId('publish-bundle'), 'data-path')).toBe(v1);
    // The built-in targets are there; nothing is sent anywhere yet.
    await profileRow('datagouv').waitFor();
    await profileRow('datagouv-demo').waitFor();
    expect(await page.getByTestId('publish-history-empty').count()).toBe(1);
    expect(udata.requests).toHaveLength(0);
  });

  it('saves a udata profile and a GeoNetwork profile through the UI, never with a secret', async () => {
    await page.getByTestId('publish-profile-add').click();
    await page.getByTestId('publish-profile-name').fill(UDATA_PROFILE);
    await page.getByTestId('publish-profile-url').fill(udata.url);
    await page.getByTestId('publish-profile-save').click();
    await expect.poll(() => attr(profileRow(UDATA_PROFILE), 'data-selected'), { timeout: 30_000 }).toBe('true');
    expect(await attr(profileRow(UDATA_PROFILE), 'data-target')).toBe('datagouv');

    await page.getByTestId('publish-profile-add').click();
    await page.getByTestId('publish-profile-name').fill(GN_PROFILE);
    await page.getByTestId('publish-profile-kind').getByText('GeoNetwork', { exact: true }).click();
    await page.getByTestId('publish-profile-url').fill(gn.url);
    // A GeoNetwork profile needs its user: not savable without.
    expect(await page.getByTestId('publish-profile-save').isDisabled()).toBe(true);
    await page.getByTestId('publish-profile-user').fill(GN_USER);
    await page.getByTestId('publish-profile-save').click();
    await expect.poll(() => attr(profileRow(GN_PROFILE), 'data-target'), { timeout: 30_000 }).toBe('geonetwork');

    const saved = JSON.parse(readFileSync(join(home, 'publish-profiles.json'), 'utf8')) as { profiles: Record<string, unknown>[] };
    expect(saved.profiles.map((p) => [p.name, p.target, p.baseUrl, p.user])).toEqual(
      expect.arrayContaining([
        [UDATA_PROFILE, 'datagouv', udata.url, null],
        [GN_PROFILE, 'geonetwork', gn.url, GN_USER],
      ]),
    );
    await selectProfile(UDATA_PROFILE);
    expect(await attr(page.getByTestId('publish-secret-status'), 'data-status')).toBe('none');
  });

  it('1. the dry run lists every call, the dataset created private, and the server receives nothing (no key needed)', async () => {
    // No dry run yet: nothing can be published.
    expect(await page.getByTestId('publish-run').isDisabled()).toBe(true);
    const plan = await dryRun();
    expect(await attr(plan, 'data-action')).toBe('create');
    expect(await attr(plan, 'data-visibility')).toBe('private');
    const rows = page.locator('[data-testid=publish-plan-call-row]');
    const calls = await rows.evaluateAll((els) => els.map((e) => ({ method: e.getAttribute('data-method'), url: e.getAttribute('data-url'), step: e.getAttribute('data-step'), priv: e.getAttribute('data-private') })));
    expect(calls[0]).toEqual({ method: 'GET', url: `${udata.url}/me/`, step: 'check-key', priv: '' });
    expect(calls[1]).toEqual({ method: 'POST', url: `${udata.url}/datasets/`, step: 'create-dataset', priv: 'true' });
    const uploads = calls.filter((c) => c.step === 'upload');
    expect(uploads.length).toBeGreaterThanOrEqual(3);
    for (const u of uploads) expect(u.url).toBe(`${udata.url}/datasets/{dataset}/upload/`);
    // What each call does, in French.
    expect((await rows.nth(1).textContent()) ?? '').toContain('Crée le jeu de données');
    expect((await rows.nth(1).textContent()) ?? '').toContain('privé');
    expect(calls.every((c) => c.priv !== 'false')).toBe(true);
    expect(await page.locator('[data-testid=publish-plan-resource][data-action=upload]').count()).toBe(uploads.length);
    expect(udata.requests).toHaveLength(0);
    expect(udata.datasets.size).toBe(0);
    // The key is still missing: publishing waits for it.
    expect(await page.getByTestId('publish-run').isDisabled()).toBe(true);
    await page.getByTestId('publish-run-needs-secret').waitFor();
    await shot(page, 'dry-run');
    await part(page.getByTestId('publish-plan'), 'dry-run-calls');
  });

  it('7. a wrong API key: a clear error, and nothing was created', async () => {
    await enterSecret(WRONG_KEY);
    await page.getByTestId('publish-run').click();
    const error = page.getByTestId('publish-run-error');
    await error.waitFor({ timeout: 120_000 });
    expect(await attr(error, 'data-code')).toBe('AUTH_FAILED');
    const text = (await error.textContent()) ?? '';
    expect(text).toContain('a refusé les identifiants');
    expect(text).toContain('Rien n’a été créé');
    expect(text).not.toContain(WRONG_KEY);
    expect(udata.datasets.size).toBe(0);
    expect(udata.requests.length).toBeGreaterThan(0);
    for (const r of udata.requests) {
      expect(r.method).toBe('GET');
      expect(r.status).toBe(401);
    }
    expect(await page.locator('body').textContent()).not.toContain(WRONG_KEY);
    await expect.poll(() => page.getByTestId('publish-history-empty').count()).toBe(1);
    await part(page.getByTestId('publish-run-error'), 'wrong-key');
    await page.getByTestId('publish-secret-forget').click();
    await expect.poll(() => attr(page.getByTestId('publish-secret-status'), 'data-status')).toBe('none');
  });

  it('2. publishes the verified bundle: dataset created private, X-API-KEY on every call, resources uploaded, per-file progress and the result', async () => {
    await enterSecret(KEY);
    const before = udata.requests.length;
    await page.evaluate(() => {
      const w = window as unknown as { sawRunBar?: boolean };
      w.sawRunBar = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid=publish-run-progress] [role=progressbar]')) w.sawRunBar = true;
      }).observe(document.body, { subtree: true, childList: true });
    });
    const result = await publish();
    expect(await page.evaluate(() => (window as unknown as { sawRunBar?: boolean }).sawRunBar)).toBe(true);
    expect(await attr(result, 'data-action')).toBe('create');
    expect(await attr(result, 'data-visibility')).toBe('private');
    datasetId = await attr(result, 'data-remote-id');
    expect([...udata.datasets.keys()]).toEqual([datasetId]);
    const ds = udata.datasets.get(datasetId);
    expect(ds?.private).toBe(true);
    expect(ds?.license).toBe('lov2');

    const sent = udata.requests.slice(before);
    // Every call carried the key; the dataset was created with private: true.
    for (const r of sent) expect(r.headers['x-api-key'], `${r.method} ${r.path}`).toBe(KEY);
    const creates = sent.filter((r) => r.method === 'POST' && r.path === '/api/1/datasets/');
    expect(creates).toHaveLength(1);
    expect((creates[0]?.json as { private?: unknown }).private).toBe(true);
    expect(madePublic()).toHaveLength(0);
    const uploads = sent.filter((r) => r.method === 'POST' && r.path === `/api/1/datasets/${datasetId}/upload/`);
    expect(uploads.length).toBeGreaterThanOrEqual(3);

    // The result: every resource with the id the portal gave it.
    const rows = page.locator('[data-testid=publish-result-resource]');
    const shown = await rows.evaluateAll((els) => els.map((e) => ({ path: e.getAttribute('data-path') ?? '', id: e.getAttribute('data-resource-id') ?? '', action: e.getAttribute('data-action') })));
    expect(shown).toHaveLength(uploads.length);
    expect(new Set(shown.map((s) => s.id))).toEqual(new Set(ds?.resources.map((r) => r.id)));
    expect(shown.every((s) => s.action === 'upload')).toBe(true);
    v1Resources = new Map(shown.map((s) => [s.path, s.id]));
    expect(await attr(page.getByTestId('publish-result-dataset'), 'data-id')).toBe(datasetId);
    expect(await page.getByTestId('publish-result-page').getAttribute('href')).toBe(ds?.page);
    expect((await page.getByTestId('publish-result-visibility').textContent()) ?? '').toBe('privé');

    // Per-file progress, from the job's progress events: one bar per file, each complete.
    const filesShown = await page.locator('[data-testid=publish-file]').evaluateAll((els) =>
      els.map((e) => ({ path: e.getAttribute('data-path'), sent: Number(e.getAttribute('data-sent')), bytes: Number(e.getAttribute('data-bytes')), done: e.getAttribute('data-done') })),
    );
    expect(filesShown.map((f) => f.path).sort()).toEqual([...v1Resources.keys()].sort());
    for (const f of filesShown) {
      expect(f.bytes, f.path ?? '').toBeGreaterThan(0);
      expect(f.sent, f.path ?? '').toBe(f.bytes);
      expect(f.done).toBe('true');
    }
    // The uploads' sizes are the ones shown.
    for (const u of uploads) expect(filesShown.some((f) => f.bytes === u.form?.file?.bytes)).toBe(true);

    // The key never shows, and is written nowhere in PASSERELLE_HOME's profiles.
    expect(await page.locator('body').textContent()).not.toContain(KEY);
    expect(readFileSync(join(home, 'publish-profiles.json'), 'utf8')).not.toContain(KEY);
    // The history of the workspace knows it.
    const target = page.locator(`[data-testid=publish-history-target][data-remote-id="${datasetId}"]`);
    await expect.poll(() => target.getAttribute('data-events'), { timeout: 30_000 }).toBe('1');
    expect(await attr(target, 'data-visibility')).toBe('private');
    await shot(page, 'published');
    await part(result, 'result');
  });

  it('5a. the ISO record goes to the GeoNetwork profile: inserted, not published', async () => {
    await selectProfile(GN_PROFILE);
    await enterSecret(GN_PASSWORD);
    const plan = await dryRun();
    expect(await attr(plan, 'data-action')).toBe('record');
    const steps = await page.locator('[data-testid=publish-plan-call-row]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-method')} ${e.getAttribute('data-step')}`));
    expect(steps).toEqual(['GET session', 'GET get-record', 'PUT put-record']);
    expect(gn.requests).toHaveLength(0);
    const result = await publish();
    expect(await attr(result, 'data-action')).toBe('record');
    expect(await attr(result, 'data-existed')).toBe('false');
    recordUuid = await attr(result, 'data-remote-id');
    expect([...gn.records.keys()]).toEqual([recordUuid]);
    const rec = gn.records.get(recordUuid);
    expect(rec?.updates).toBe(0);
    expect(rec?.published).toBe(false);
    v1Record = rec?.xml ?? '';
    const put = gn.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/records'));
    expect(put).toHaveLength(1);
    expect(put[0]?.query).toMatchObject({ uuidProcessing: 'OVERWRITE', publishToAll: 'false' });
    expect(put[0]?.headers.authorization).toBe(`Basic ${Buffer.from(`${GN_USER}:${GN_PASSWORD}`).toString('base64')}`);
    expect(await page.locator('body').textContent()).not.toContain(GN_PASSWORD);
  });

  it('3. a new version built as a copy continuing the first goes to the SAME dataset: resources replaced, changelog; the history shows both versions', async () => {
    // A month of work in the workspace (its working copy, where the history also is).
    const copy = join(home, 'workspaces', basename(DEMO));
    expect(existsSync(copy)).toBe(true);
    changeWorkspace(copy, '2026-12-01T08:00:00.000Z', 'ffffffff-0000-4000-8000-0000000000e2');
    await page.getByTestId('bundle-tab').getByText('Assistant d’export', { exact: true }).click();
    await page.getByTestId('bundle-rebuild').click();
    await page.getByTestId('bundle-out').fill(v2);
    await page.getByTestId('bundle-previous').fill(v1);
    await page.getByTestId('bundle-build-run').click();
    await page.locator(`[data-testid=bundle-result-path][data-path="${v2}"]`).waitFor({ timeout: 120_000 });
    expect(await attr(page.getByTestId('bundle-result'), 'data-version')).toBe('1.1.0');
    expect(await attr(page.getByTestId('bundle-result'), 'data-previous-version')).toBe('1.0.0');
    expect(await attr(page.getByTestId('bundle-gate'), 'data-verdict')).toBe('pass');
    await page.getByTestId('bundle-publish').click();
    await page.getByTestId('publish-view').waitFor();
    expect(await attr(page.getByTestId('publish-bundle'), 'data-path')).toBe(v2);

    await selectProfile(UDATA_PROFILE);
    // The key typed for this profile is still there for this session.
    expect(await attr(page.getByTestId('publish-secret-status'), 'data-status')).toBe('session');
    const before = udata.requests.length;
    const plan = await dryRun();
    expect(await attr(plan, 'data-action')).toBe('update');
    expect(await attr(plan, 'data-remote-id')).toBe(datasetId);
    expect((await page.getByTestId('publish-plan-same-dataset').textContent()) ?? '').toContain(`même jeu de données ${datasetId}`);
    const planned = await page.locator('[data-testid=publish-plan-call-row]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-method')} ${e.getAttribute('data-url')}`));
    expect(planned.some((c) => c.startsWith('POST') && c.endsWith('/datasets/'))).toBe(false);
    expect(planned).toContain(`PUT ${udata.url}/datasets/${datasetId}/`);
    expect(udata.requests.length).toBe(before);

    const result = await publish();
    expect(await attr(result, 'data-action')).toBe('update');
    expect(await attr(result, 'data-remote-id')).toBe(datasetId);
    expect(await attr(result, 'data-visibility')).toBe('private');
    expect([...udata.datasets.keys()]).toEqual([datasetId]);
    const sent = udata.requests.slice(before);
    for (const r of sent) expect(r.headers['x-api-key']).toBe(KEY);
    expect(sent.some((r) => r.method === 'POST' && r.path === '/api/1/datasets/')).toBe(false);
    // Changed files replaced in place: same resource ids.
    const replaced = page.locator('[data-testid=publish-result-resource][data-action=replace]');
    expect(await replaced.count()).toBeGreaterThan(0);
    for (const row of await replaced.all()) {
      const path = await attr(row, 'data-path');
      const rid = await attr(row, 'data-resource-id');
      expect(rid).toBe(v1Resources.get(path));
      expect(sent.some((r) => r.method === 'POST' && r.path === `/api/1/datasets/${datasetId}/resources/${rid}/upload/`), path).toBe(true);
    }
    const update = sent.filter((r) => r.method === 'PUT' && r.path === `/api/1/datasets/${datasetId}/`);
    expect(update).toHaveLength(1);
    const body = update[0]?.json as { private?: unknown; description?: string };
    expect(body.private).toBe(true);
    expect(body.description).toContain('1.1.0');
    expect(udata.datasets.get(datasetId)?.description).toContain('1.1.0');
    expect(udata.datasets.get(datasetId)?.private).toBe(true);
    expect(madePublic()).toHaveLength(0);

    const target = page.locator(`[data-testid=publish-history-target][data-remote-id="${datasetId}"]`);
    await expect.poll(() => target.getAttribute('data-events'), { timeout: 30_000 }).toBe('2');
    const events = await target.locator('[data-testid=publish-history-event]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-version'), e.getAttribute('data-status'), e.getAttribute('data-kind')]));
    expect(events).toEqual([
      ['1.0.0', 'done', 'upload'],
      ['1.1.0', 'done', 'upload'],
    ]);
    // Where each version went: the resource ids, in the history.
    const csvId = v1Resources.get('data/observations.csv');
    expect(await target.locator(`[data-testid=publish-history-resource][data-path="data/observations.csv"][data-resource-id="${csvId}"]`).count()).toBe(2);
    expect((await target.textContent()) ?? '').toContain('La prochaine version de ce lot ira dans ce même jeu de données');
    await shot(page, 'new-version');
    await part(page.getByTestId('publish-history'), 'history');
  });

  it('5b. the new version updates the ISO record by its fileIdentifier', async () => {
    await selectProfile(GN_PROFILE);
    await dryRun();
    const result = await publish();
    expect(await attr(result, 'data-action')).toBe('record');
    expect(await attr(result, 'data-existed')).toBe('true');
    expect(await attr(result, 'data-remote-id')).toBe(recordUuid);
    expect([...gn.records.keys()]).toEqual([recordUuid]);
    const rec = gn.records.get(recordUuid);
    expect(rec?.updates).toBe(1);
    expect(rec?.published).toBe(false);
    expect(rec?.xml).not.toBe(v1Record);
    expect(rec?.xml).toContain(recordUuid);
    const puts = gn.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/records'));
    expect(puts).toHaveLength(2);
    expect(puts.every((p) => p.query.uuidProcessing === 'OVERWRITE')).toBe(true);
    const target = page.locator(`[data-testid=publish-history-target][data-remote-id="${recordUuid}"]`);
    await expect.poll(() => target.getAttribute('data-events'), { timeout: 30_000 }).toBe('2');
    expect(await attr(target, 'data-target')).toBe('geonetwork');
  });

  it('4. « rendre public » is a separate step: its dry run sends nothing, only its confirmation sends private: false', async () => {
    await selectProfile(UDATA_PROFILE);
    expect(madePublic()).toHaveLength(0);
    const before = udata.requests.length;
    await page.getByTestId('publish-make-public-plan').click();
    const planned = page.getByTestId('publish-make-public-planned');
    await planned.waitFor({ timeout: 120_000 });
    const rows = await page.locator('[data-testid=publish-make-public-planned-call-row]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-method'), e.getAttribute('data-url'), e.getAttribute('data-private')]));
    expect(rows.at(-1)).toEqual(['PUT', `${udata.url}/datasets/${datasetId}/`, 'false']);
    expect(udata.requests.length).toBe(before);
    expect(udata.datasets.get(datasetId)?.private).toBe(true);

    await page.getByTestId('publish-make-public-confirm').click();
    const done = page.getByTestId('publish-make-public-done');
    await done.waitFor({ timeout: 120_000 });
    expect(await attr(done, 'data-visibility')).toBe('public');
    const flips = madePublic();
    expect(flips).toHaveLength(1);
    expect(flips[0]).toMatchObject({ method: 'PUT', path: `/api/1/datasets/${datasetId}/`, status: 200 });
    expect(flips[0]?.headers['x-api-key']).toBe(KEY);
    expect(udata.datasets.get(datasetId)?.private).toBe(false);
    const target = page.locator(`[data-testid=publish-history-target][data-remote-id="${datasetId}"]`);
    await expect.poll(() => target.getAttribute('data-visibility'), { timeout: 30_000 }).toBe('public');
    await shot(page, 'made-public');
    await part(page.getByTestId('publish-make-public'), 'make-public');
  });

  it('6. the landing page renders in Chromium: schema.org Dataset JSON-LD and a loaded map image', async () => {
    await page.getByTestId('publish-landing-hosted-at').fill(HOSTED_AT);
    await page.getByTestId('publish-landing-run').click();
    const result = page.getByTestId('publish-landing-result');
    await result.waitFor({ timeout: 120_000 });
    expect(await attr(result, 'data-files')).toBe('index.html,preview.png');
    const index = join(v2, 'index.html');
    expect(await attr(page.getByTestId('publish-landing-path-index-html'), 'data-path')).toBe(index);
    expect(Number(await attr(page.getByTestId('publish-landing-map'), 'data-points'))).toBeGreaterThan(0);

    const landing = await app.browser.context.newPage();
    try {
      await landing.goto(pathToFileURL(index).href);
      await landing.waitForLoadState('load');
      const raw = await landing.locator('script[type="application/ld+json"]').textContent();
      const ld = JSON.parse(raw ?? 'null') as Record<string, unknown>;
      expect(ld['@type']).toBe('Dataset');
      expect(typeof ld.name === 'string' && ld.name.length > 0).toBe(true);
      expect(await landing.locator('h1').first().textContent()).toContain(ld.name as string);
      // The open-data bundle's licence: the Licence Ouverte 2.0, as a URL.
      expect(ld.license).toBe('https://www.etalab.gouv.fr/licence-ouverte-open-licence/');
      const distribution = ld.distribution as Array<Record<string, unknown>>;
      expect(Array.isArray(distribution) && distribution.length > 0).toBe(true);
      for (const d of distribution) expect(String(d.contentUrl)).toMatch(new RegExp(`^${HOSTED_AT.replace(/[.?*+^$[\]\\(){}|-]/g, '\\$&')}`));
      expect(distribution.some((d) => String(d.contentUrl).endsWith('data/observations.csv'))).toBe(true);
      const img = landing.locator('img[src="preview.png"]');
      await expect.poll(() => img.evaluate((e) => (e as HTMLImageElement).complete && (e as HTMLImageElement).naturalWidth), { timeout: 30_000 }).toBeGreaterThan(0);
      await landing.screenshot({ path: join(artifactsDir('e2e'), 'publish-landing-page.png'), fullPage: true });
    } finally {
      await landing.close();
    }
  });

  it('writes the DCAT feed with the save path and the hosting URL; the public dataset is a landing page', async () => {
    const feed = join(files, 'catalogue-dcat.jsonld');
    await page.getByTestId('publish-feed-out').fill(feed);
    await page.getByTestId('publish-feed-hosted-at').fill(HOSTED_AT);
    await page.getByTestId('publish-feed-run').click();
    const result = page.getByTestId('publish-feed-result');
    await result.waitFor({ timeout: 120_000 });
    expect(await attr(result, 'data-datasets')).toBe('1');
    expect(await attr(result, 'data-path')).toBe(feed);
    const written = JSON.parse(readFileSync(feed, 'utf8')) as { '@graph': Record<string, unknown>[] };
    const dataset = written['@graph'].find((n) => n['@type'] === 'dcat:Dataset');
    expect(dataset).toBeDefined();
    const text = JSON.stringify(dataset);
    expect(text).toContain(`${HOSTED_AT}index.html`);
    expect(text).toContain(udata.datasets.get(datasetId)?.page ?? 'no page');
  });

  it('a bundle changed after it was chosen: the gate refuses it, its report is shown, nothing is sent', async () => {
    const other = join(out, 'autre lot');
    cpSync(v2, other, { recursive: true });
    await page.getByTestId('publish-bundle-other').fill(other);
    await page.getByTestId('publish-bundle-other-check').click();
    await expect.poll(() => page.getByTestId('publish-bundle').getAttribute('data-path'), { timeout: 120_000 }).toBe(other);
    appendFileSync(join(other, 'README.md'), '\nmodifié après coup\n');
    const before = udata.requests.length;
    await page.getByTestId('publish-dry-run').click();
    const refused = page.locator('[data-testid=publish-plan][data-refused=true]');
    await refused.waitFor({ timeout: 120_000 });
    expect(await attr(page.locator('[data-testid=publish-plan-problem]'), 'data-code')).toBe('gate');
    expect(await attr(page.getByTestId('publish-plan-gate'), 'data-verdict')).toBe('fail');
    expect(await attr(page.locator('[data-testid=publish-plan-gate-check][data-check=checksums]'), 'data-status')).toBe('fail');
    expect(await page.getByTestId('publish-run').isDisabled()).toBe(true);
    expect(udata.requests.length).toBe(before);
    await part(page.getByTestId('publish-plan'), 'gate-refused');
  });

  it('edits a saved profile (its name fixed, the secret never in it) and deletes one, forgetting its password', async () => {
    await profileRow(UDATA_PROFILE).getByTestId('publish-profile-edit').click();
    const dialog = page.getByTestId('publish-profile-dialog');
    await dialog.waitFor();
    expect(await page.getByTestId('publish-profile-name').isDisabled()).toBe(true);
    expect(await page.getByTestId('publish-profile-url').inputValue()).toBe(udata.url);
    await page.getByTestId('publish-profile-organization').fill('org-parc-ecrins');
    await page.getByTestId('publish-profile-save').click();
    await dialog.waitFor({ state: 'detached' });
    const read = () => (JSON.parse(readFileSync(join(home, 'publish-profiles.json'), 'utf8')) as { profiles: Record<string, unknown>[] }).profiles;
    expect(read().find((p) => p.name === UDATA_PROFILE)).toMatchObject({ baseUrl: udata.url, organization: 'org-parc-ecrins', user: null });

    await selectProfile(GN_PROFILE);
    expect(await attr(page.getByTestId('publish-secret-status'), 'data-status')).toBe('session');
    page.once('dialog', (d) => void d.accept());
    await profileRow(GN_PROFILE).getByTestId('publish-profile-delete').click();
    await expect.poll(() => profileRow(GN_PROFILE).count(), { timeout: 30_000 }).toBe(0);
    expect(read().map((p) => p.name)).toEqual([UDATA_PROFILE]);
    const file = readFileSync(join(home, 'publish-profiles.json'), 'utf8');
    for (const secret of [KEY, GN_PASSWORD, WRONG_KEY]) expect(file).not.toContain(secret);
    // Saved again under the same name, it has no password any more.
    await page.getByTestId('publish-profile-add').click();
    await page.getByTestId('publish-profile-name').fill(GN_PROFILE);
    await page.getByTestId('publish-profile-kind').getByText('GeoNetwork', { exact: true }).click();
    await page.getByTestId('publish-profile-url').fill(gn.url);
    await page.getByTestId('publish-profile-user').fill(GN_USER);
    await page.getByTestId('publish-profile-save').click();
    await expect.poll(() => attr(profileRow(GN_PROFILE), 'data-selected'), { timeout: 30_000 }).toBe('true');
    expect(await attr(profileRow(GN_PROFILE), 'data-secret')).toBe('none');
  });

  it('raised no error in the page', () => {
    expect(errors).toEqual([]);
  });
});
