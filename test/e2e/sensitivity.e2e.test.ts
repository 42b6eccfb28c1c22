import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SensitivityCheckReport, SensitivityCheckSummary, SensitivityOverrideResult, SensitivityReport } from '../../shared/contract/index.js';
import { AS_OF, fixture } from '../fixtures/sensitivity/fixtures.js';
import { launchChromium } from '../helpers/browser.js';
import { artifactsDir, DEMO, ROOT } from '../helpers/paths.js';
import { testEnv } from '../helpers/transports.js';
import type * as StartModuleNs from '../../electron/web/start.js';

type StartModule = typeof StartModuleNs;

const EAGLE = 2645;
const VULTURE = 2852;
const CRAYFISH = 18437;
const JUSTIFICATION = 'Aire abandonnée depuis 2014, vérifiée sur le terrain (agent PNE, 2026)';

/**
 * The built CLI (the same build as the web host under test) on its own copy of the demo: what the
 * engine says the UI must show. Counts are read from it, never written here (the engine's rules
 * evolve; its own tests pin them).
 */
function cli<T>(args: string[], home: string): T {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'passerelle.js'), ...args, '--json'], { env: { ...process.env, PASSERELLE_HOME: home }, encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`passerelle ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { ok: boolean; value: T };
  if (!out.ok) throw new Error(`passerelle ${args.join(' ')}: ${r.stdout}`);
  return out.value;
}

/** The level tiles of the report: count by level 0–4 (and -1, undetermined, when shown). */
async function levelCounts(page: Page): Promise<Record<string, number>> {
  return page.locator('[data-testid=sens-level]').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-level') ?? '', Number(e.getAttribute('data-count'))])));
}

/** `data-rendered` of the map: features drawn per overlay, once drawing settled. */
async function rendered(page: Page): Promise<Record<string, number>> {
  const raw = await page.getByTestId('map').getAttribute('data-rendered');
  return raw ? (JSON.parse(raw) as Record<string, number>) : {};
}

const expectSummaryLike = async (page: Page, check: SensitivityCheckSummary) => {
  await expect.poll(() => levelCounts(page), { timeout: 30_000 }).toMatchObject(Object.fromEntries(check.bySensitivity.map((n, l) => [String(l), n])));
  for (const cdNom of [EAGLE, VULTURE, CRAYFISH]) {
    const g = check.byTaxon.find((x) => x.cdNom === cdNom);
    expect(g, `cd_nom ${cdNom} in the engine's report`).toBeDefined();
    const row = page.locator(`[data-testid=sens-taxon][data-cdnom="${cdNom}"]`);
    await expect.poll(() => row.getAttribute('data-levels')).toBe(g?.bySensitivity.join(','));
    expect(await row.getAttribute('data-total')).toBe(String(g?.total));
  }
};

/**
 * A geomatician's sensitivity check in the real UI, on the real Écrins demo with the test
 * referential (TEST DATA): load the taxonomy and the referential, run the check, read the report
 * and why a bearded vulture is sensitive, override one observation with a justification, and see
 * the precise and the published (blurred) layers on the map.
 */
describe('sensitivity in the UI', () => {
  let host: { url: string; close: () => Promise<void> };
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const errors: string[] = [];
  // The files as a user would have them: somewhere of their own, not in the repository.
  const files = mkdtempSync(join(tmpdir(), 'passerelle-sens-e2e-'));
  const taxonomy = join(files, 'taxonomie demo.csv');
  const referential = join(files, 'référentiel-test-v13.csv');
  // What the engine computes on its own copy of the demo.
  const engineHome = mkdtempSync(join(tmpdir(), 'passerelle-sens-e2e-home-'));
  const engineWs = join(files, 'engine-copy.gpkg');
  let expected: SensitivityCheckReport;
  let expectedRows = 0;
  let vultureUuid = '';
  let before: Record<string, number> = {};

  beforeAll(async () => {
    copyFileSync(fixture('demo-taxonomy.csv'), taxonomy);
    copyFileSync(fixture('test-referential-v13.csv'), referential);
    copyFileSync(DEMO, engineWs);
    const start = join(ROOT, 'dist', 'electron', 'web', 'start.js');
    if (!existsSync(join(ROOT, 'dist', 'renderer', 'index.html')) || !existsSync(start)) throw new Error('The app is not built: run `npm run build`.');
    expected = cli<SensitivityCheckReport>(['sensitivity', 'check', '--referential', referential, '--taxonomy', taxonomy, '--as-of', AS_OF, '-w', engineWs], engineHome);
    expectedRows = cli<SensitivityReport>(['sensitivity', 'report', '--limit', '0', '-w', engineWs], engineHome).total;
    const { startWebHost } = (await import(pathToFileURL(start).href)) as StartModule;
    host = await startWebHost({ port: 0, env: testEnv() });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(host.url);
    await page.getByTestId('language').getByText('FR').click();
    await page.getByTestId('observation-count').waitFor({ timeout: 30_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    rmSync(files, { recursive: true, force: true });
    rmSync(engineHome, { recursive: true, force: true });
  });

  it('opens the Sensibilité view: nothing loaded, no check yet', async () => {
    await page.getByTestId('views').getByText('Sensibilité', { exact: true }).click();
    await page.getByTestId('sensitivity-view').waitFor({ timeout: 30_000 });
    await page.getByTestId('sens-report-none').waitFor();
    await page.getByTestId('sens-no-taxonomy').waitFor();
    expect(await page.getByTestId('sens-map-published').isDisabled()).toBe(true);
  });

  it('loads the test taxonomy and the test referential by path, with their provenance and counts', async () => {
    for (const [file, kind] of [
      [taxonomy, 'taxonomy'],
      [referential, 'referential'],
    ] as const) {
      await page.getByTestId('sens-load-path').fill(file);
      await page.getByTestId('sens-load-submit').click();
      await expect.poll(() => page.locator(`[data-testid=sens-referential][data-kind=${kind}]`).count(), { timeout: 60_000 }).toBe(1);
      const result = page.getByTestId('sens-load-result');
      await result.waitFor();
      expect(await result.getAttribute('data-errors')).toBe('0');
    }
    const ref = expected.loaded.find((l) => l.referential.kind === 'referential')?.referential;
    const tax = expected.loaded.find((l) => l.referential.kind === 'taxonomy')?.referential;
    expect(await page.locator('[data-testid=sens-referential][data-kind=referential]').getAttribute('data-items')).toBe(String(ref?.items));
    expect(await page.locator('[data-testid=sens-referential][data-kind=taxonomy]').getAttribute('data-items')).toBe(String(tax?.items));
    expect(await page.getByTestId('sens-taxonomy').textContent()).toContain(`${tax?.items} chargés`);
    // The bundled demo is never written: the sidebar now names its working copy.
    await page.getByTestId('working-copy').waitFor({ timeout: 30_000 });
  });

  it('runs the check: counts by level, taxon and JDD as the engine computes them', async () => {
    await page.getByTestId('sens-check-asof').fill(AS_OF);
    await page.getByTestId('sens-check-run').click();
    await page.getByTestId('sens-check-done').waitFor({ timeout: 120_000 });
    const summary = page.getByTestId('sens-summary');
    await summary.waitFor();
    const c = expected.check;
    expect(await summary.getAttribute('data-total')).toBe(String(c.total));
    await expectSummaryLike(page, c);
    // Every observation has one level (or is undetermined): the tiles add up to the demo.
    const counts = await levelCounts(page);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(991);
    // The facts: 5 bearded vultures, 2 of them inside October–July.
    const vulture = page.locator(`[data-testid=sens-taxon][data-cdnom="${VULTURE}"]`);
    expect(await vulture.getAttribute('data-total')).toBe('5');
    expect(await vulture.getAttribute('data-sensitive')).toBe('2');
    expect(await page.locator('[data-testid=sens-dataset]').count()).toBe(c.byDataset.length);
    expect(await page.getByTestId('sens-unmatched').count()).toBe(c.unmatched > 0 ? 1 : 0);
    // The table lists what the engine's report lists: the sensitive, degraded or unmatched observations.
    await expect.poll(() => page.getByTestId('sens-observations-total').getAttribute('data-total'), { timeout: 30_000 }).toBe(String(expectedRows));
    before = counts;
    await page.screenshot({ path: join(artifactsDir('e2e'), 'sensitivity-report.png') });
  });

  it('lists the sensitive observations with their deciding rule, and explains a bearded vulture (October–July)', async () => {
    await page.locator(`[data-testid=sens-taxon][data-cdnom="${VULTURE}"]`).click();
    const rows = page.locator(`[data-testid=sens-row][data-cdnom="${VULTURE}"]`);
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
    const sensitive = page.locator(`[data-testid=sens-row][data-cdnom="${VULTURE}"][data-level="3"]`);
    expect(await sensitive.count()).toBe(2);
    expect(await sensitive.first().getAttribute('data-rule')).toMatch(/^référentiel-test-v13 v13:\d+$/);
    await page.getByTestId('sens-observations').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifactsDir('e2e'), 'sensitivity-observations.png') });
    vultureUuid = (await sensitive.first().getAttribute('data-uuid')) ?? '';
    expect(vultureUuid).not.toBe('');
    await sensitive.first().getByTestId('sens-row-explain').click();

    const body = page.getByTestId('sens-explain-body');
    await body.waitFor({ timeout: 60_000 });
    expect(await body.getAttribute('data-uuid')).toBe(vultureUuid);
    expect(await body.getAttribute('data-level')).toBe('3');
    const deciding = page.locator('[data-testid=sens-match][data-deciding=true]');
    expect(await deciding.count()).toBe(1);
    // The rule that made it sensitive: nesting from October to July, a period that wraps the year end.
    await deciding.locator('[data-testid=sens-period][data-start="10-01"][data-end="07-31"]').waitFor();
    const text = (await deciding.textContent()) ?? '';
    expect(text).toContain('1 octobre');
    expect(text).toContain('31 juillet');
    expect(text).toContain('à cheval sur la fin d’année');
    expect(text).toContain('décisive');
    expect((await page.getByTestId('sens-explain-taxon').textContent()) ?? '').toContain('Gypaetus');
    // What is published: the département, with the Darwin Core generalisation terms.
    const published = (await page.getByTestId('sens-explain-published').textContent()) ?? '';
    expect(published).toContain('Hautes-Alpes');
    expect(published).toContain('dataGeneralizations');
    expect(published).toContain('coordinateUncertaintyInMeters');
    await page.screenshot({ path: join(artifactsDir('e2e'), 'sensitivity-explain.png') });
  });

  it('refuses an override without a justification, saves one with it, and the report changes', async () => {
    const save = page.getByTestId('sens-override-save');
    await page.getByTestId('sens-override-level').click();
    await page.getByRole('option', { name: '2 · maille 10 km' }).click();
    expect(await save.isDisabled()).toBe(true);
    await page.getByTestId('sens-override-why').fill('ok');
    expect(await save.isDisabled()).toBe(true);
    await page.getByTestId('sens-override-why').fill(JUSTIFICATION);
    expect(await save.isDisabled()).toBe(false);
    const checkId = await page.getByTestId('sens-summary').getAttribute('data-check-id');
    await save.click();
    await page.getByTestId('sens-override-saved').waitFor({ timeout: 60_000 });
    await page.getByTestId('sens-override-current').waitFor({ timeout: 60_000 });
    expect((await page.getByTestId('sens-override-current').textContent()) ?? '').toContain(JUSTIFICATION);
    expect(await page.getByTestId('sens-explain-body').getAttribute('data-level')).toBe('2');

    // The same decision through the engine, on its copy: what the report must now say.
    const after = cli<SensitivityOverrideResult>(['sensitivity', 'override', vultureUuid, '--level', '2', '--why', JUSTIFICATION, '-w', engineWs], engineHome);
    expect(after.check).not.toBeNull();
    await expect.poll(() => page.getByTestId('sens-summary').getAttribute('data-check-id'), { timeout: 30_000 }).not.toBe(checkId);
    if (after.check) await expectSummaryLike(page, after.check);
    const counts = await levelCounts(page);
    expect(counts['3']).toBe((before['3'] ?? 0) - 1);
    expect(counts['2']).toBe((before['2'] ?? 0) + 1);
    expect((await page.getByTestId('sens-totals').textContent()) ?? '').toContain(`${after.check?.overridden} par décision manuelle`);
    expect(after.check?.overridden).toBe(1);
    await page.locator(`[data-testid=sens-override-row]`).first().waitFor();
    expect(await page.getByTestId('sens-overrides').getAttribute('data-count')).toBe('1');
    await page.screenshot({ path: join(artifactsDir('e2e'), 'sensitivity-override.png') });
  });

  it('shows the precise and the published (blurred) locations on the map', async () => {
    // From the explanation: both layers, zoomed to what is published of that vulture (its département).
    await page.getByTestId('sens-explain-map').click();
    await page.waitForSelector('[data-testid=map][data-render-complete=true]', { timeout: 30_000 });
    await expect.poll(async () => (await rendered(page))['workspace:sensitivity-published'] ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await rendered(page))['workspace:sensitivity-precise'] ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: join(artifactsDir('e2e'), 'sensitivity-map-both.png') });

    // Only what would be published.
    await page.getByTestId('views').getByText('Sensibilité', { exact: true }).click();
    await page.getByTestId('sens-map-published').click();
    await expect.poll(async () => (await rendered(page))['workspace:sensitivity-precise'] ?? -1, { timeout: 30_000 }).toBe(0);
    const published = await rendered(page);
    expect(published['workspace:sensitivity-published']).toBeGreaterThan(0);
    expect(published['workspace:observations']).toBe(0);
    await page.screenshot({ path: join(artifactsDir('e2e'), 'sensitivity-map-published.png') });

    // Only the precise locations, coloured by level.
    await page.getByTestId('views').getByText('Sensibilité', { exact: true }).click();
    await page.getByTestId('sens-map-precise').click();
    await expect.poll(async () => (await rendered(page))['workspace:sensitivity-published'] ?? -1, { timeout: 30_000 }).toBe(0);
    expect((await rendered(page))['workspace:sensitivity-precise']).toBeGreaterThan(0);
    await page.screenshot({ path: join(artifactsDir('e2e'), 'sensitivity-map-precise.png') });
  });

  it('adds a local rule (a period wrapping the year end) and the report says to run the check again', async () => {
    await page.getByTestId('views').getByText('Sensibilité', { exact: true }).click();
    await page.getByTestId('sens-local-toggle').click();
    const form = page.getByTestId('sens-local-form');
    await form.waitFor();
    await page.getByTestId('sens-local-cdnom').fill(String(EAGLE));
    await form.getByLabel('Début (MM-JJ)').fill('11-15');
    await form.getByLabel('Fin (MM-JJ)').fill('08-15');
    expect((await form.textContent()) ?? '').toContain('à cheval sur la fin d’année');
    await page.getByTestId('sens-local-save').click();
    await page.getByTestId('sens-local-added').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator(`[data-testid=sens-local-rules] [data-testid=sens-rule][data-cdnom="${EAGLE}"]`).count()).toBe(1);
    await page.getByTestId('sens-stale').waitFor({ timeout: 30_000 });
  });

  it('raised no error in the page', () => {
    expect(errors).toEqual([]);
  });
});
