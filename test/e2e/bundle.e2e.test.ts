import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundlePreview, GateReport } from '../../shared/contract/index.js';
import { unzipTo } from '../../electron/core/bundle/zip.js';
import { rewriteManifest } from '../fixtures/bundle/fixtures.js';
import { fixture } from '../fixtures/sensitivity/fixtures.js';
import { artifactsDir, DEMO, ROOT } from '../helpers/paths.js';
import { testEnv } from '../helpers/transports.js';
import { openApp } from '../helpers/ui.js';

const AGREEMENT = 'Accord du producteur PNE, courrier du 12/03/2026 (test)';
const CONVENTION = 'Convention PNE-LPO n° 2026-03 (test)';
const PARTNERS_PRESET = 'Partenaires LPO 2026';
const shot = (page: Page, name: string) => page.screenshot({ path: join(artifactsDir('e2e'), `bundle-${name}.png`), fullPage: true });
const attr = async (l: Locator, name: string) => (await l.getAttribute(name)) ?? '';

/** The built CLI (the same build as the web host under test), with the web host's PASSERELLE_HOME. */
function cli<T>(args: string[], home: string): { status: number | null; value: T; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'passerelle.js'), ...args, '--json'], { env: { ...process.env, PASSERELLE_HOME: home }, encoding: 'utf8' });
  const out = JSON.parse(r.stdout) as { ok: boolean; value: T };
  if (!out.ok) throw new Error(`passerelle ${args.join(' ')}: ${r.stdout}`);
  return { status: r.status, value: out.value, stderr: r.stderr };
}

/** `data-rendered` of the map: features drawn per overlay, once drawing settled. */
async function rendered(page: Page): Promise<Record<string, number>> {
  const raw = await page.getByTestId('map').getAttribute('data-rendered');
  return raw ? (JSON.parse(raw) as Record<string, number>) : {};
}

const count = (page: Page, kind: string) => page.locator(`[data-testid=bundle-count][data-kind=${kind}]`).getAttribute('data-count');

/**
 * The export wizard in the real UI (issue 7), on the real Écrins demo with the test referential
 * (TEST DATA): an open-data bundle (the demo's JDD has no data origin, so the producer's agreement;
 * the referential and taxonomy given as files), the same bundle again as a copy continuing it, and a
 * partners bundle (a zip, with the convention); the gate passes all of them in the UI and the built
 * CLI's `bundle verify` passes them too. Then a precise coordinate of a sensitive observation is
 * planted in the copy (by the test, with the engine's helpers), and the UI's "Verify another bundle"
 * catches it.
 */
describe('export wizard', () => {
  let app: Awaited<ReturnType<typeof openApp>>;
  let page: Page;
  const errors: string[] = [];
  const env = testEnv();
  const home = env.PASSERELLE_HOME as string;
  // The files as a user would have them: somewhere of their own, not in the repository.
  const files = mkdtempSync(join(tmpdir(), 'passerelle-bundle-e2e-'));
  const referential = join(files, 'référentiel-test-v13.csv');
  const taxonomy = join(files, 'taxonomie demo.csv');
  const out = join(files, 'exports');
  const opendata = join(out, 'données ouvertes');
  const copy = join(out, 'données ouvertes (copie)');
  const partners = join(out, 'partenaires.zip');
  let expected: BundlePreview;

  beforeAll(async () => {
    copyFileSync(fixture('test-referential-v13.csv'), referential);
    copyFileSync(fixture('demo-taxonomy.csv'), taxonomy);
    mkdirSync(out);
    // What the engine says the open-data bundle of the demo publishes (its own tests pin the numbers).
    expected = cli<BundlePreview>(['bundle', 'preview', '-w', 'demo', '--audience', 'opendata', '--referential', referential, '--taxonomy', taxonomy, '--producer-agreement', AGREEMENT], home).value;
    expect(expected.counts.published).toBeGreaterThan(0);
    expect(expected.counts.generalised.departement + expected.counts.generalised.cell + expected.counts.generalised.commune).toBeGreaterThan(0);
    app = await openApp({ env });
    page = app.page;
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(files, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it('opens the Export view on the open-data preset, which explains the producer’s agreement', async () => {
    await page.getByTestId('views').getByText('Export', { exact: true }).click();
    await page.getByTestId('bundle-view').waitFor({ timeout: 30_000 });
    await page.getByTestId('bundle-preset-partners').waitFor({ timeout: 30_000 });
    expect(await attr(page.getByTestId('bundle-step-preset'), 'data-audience')).toBe('opendata');
    expect((await page.getByTestId('bundle-agreement-box').textContent()) ?? '').toContain('DS_PUBLIQUE');
    await shot(page, 'preset-opendata');
    await page.getByTestId('bundle-next-sensitivity').click();
  });

  it('says the demo has no sensitivity rules, and takes the referential and the taxonomy as files', async () => {
    await page.getByTestId('bundle-step-sensitivity').waitFor();
    await page.getByTestId('bundle-sens-none').waitFor({ timeout: 30_000 });
    for (const [file, id] of [
      [referential, 'ref'],
      [taxonomy, 'tax'],
    ] as const) {
      await page.getByTestId(`bundle-${id}-path`).fill(file);
      await page.getByTestId(`bundle-${id}-path-submit`).click();
      await page.locator(`[data-testid=bundle-${id}-file]`).waitFor({ timeout: 30_000 });
      expect(await attr(page.getByTestId(`bundle-${id}-file`), 'data-path')).toBe(file);
      expect(Number(await attr(page.getByTestId(`bundle-${id}-file`), 'data-rows'))).toBeGreaterThan(10);
    }
    await shot(page, 'sensitivity-files');
  });

  it('reviews: the non-public JDD are left out until the producer’s agreement is recorded, then the counts are the engine’s', async () => {
    await page.getByTestId('bundle-preview-run').click();
    const preview = page.getByTestId('bundle-preview');
    await preview.waitFor({ timeout: 60_000 });
    // Without the agreement, nothing is published: the demo's JDD has no data origin recorded.
    expect(await attr(preview, 'data-published')).toBe('0');
    expect(await attr(page.getByTestId('bundle-nonpublic'), 'data-count')).toBe(String(expected.counts.workspace));
    expect(await page.getByTestId('bundle-next-build').isDisabled()).toBe(true);
    await shot(page, 'review-non-public');

    await page.getByTestId('bundle-agreement-inline').fill(AGREEMENT);
    await page.getByTestId('bundle-agreement-apply').click();
    await expect.poll(() => preview.getAttribute('data-published'), { timeout: 60_000 }).toBe(String(expected.counts.published));
    const c = expected.counts;
    expect(await attr(preview, 'data-precise')).toBe(String(c.precise));
    expect(await attr(preview, 'data-withheld')).toBe(String(c.withheld));
    expect(await attr(preview, 'data-excluded')).toBe('0');
    expect(await count(page, 'commune')).toBe(String(c.generalised.commune));
    expect(await count(page, 'cell')).toBe(String(c.generalised.cell));
    expect(await count(page, 'departement')).toBe(String(c.generalised.departement));
    expect(await count(page, 'propagated')).toBe(String(c.propagated));
    expect(await attr(page.getByTestId('bundle-by-level'), 'data-levels')).toBe(c.bySensitivity.join(','));
    expect(await page.getByTestId('bundle-unmatched').count()).toBe(expected.unmatchedTaxa.length > 0 ? 1 : 0);
    expect(await attr(page.locator('[data-testid=bundle-licence-row][data-target=datagouv]'), 'data-accepted')).toBe('true');
    expect(await attr(page.getByTestId('bundle-preview-files'), 'data-count')).toBe(String(expected.files.length));
    expect(await page.getByTestId('bundle-next-build').isDisabled()).toBe(false);
    await shot(page, 'review');
  });

  it('shows the published locations next to the precise ones on the map, after a check with the bundle’s rules', async () => {
    await page.getByTestId('bundle-map-check').click();
    await expect.poll(() => page.getByTestId('bundle-map').getAttribute('data-check'), { timeout: 120_000 }).not.toBe('');
    // The check wrote the workspace (its working copy): the preview is computed again, the same counts.
    await expect.poll(() => page.getByTestId('bundle-preview-progress').count(), { timeout: 60_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('bundle-preview').getAttribute('data-published'), { timeout: 60_000 }).toBe(String(expected.counts.published));
    await page.getByTestId('bundle-map-show').click();
    await page.waitForSelector('[data-testid=map][data-render-complete=true]', { timeout: 30_000 });
    await expect.poll(async () => (await rendered(page))['workspace:sensitivity-published'] ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await rendered(page))['workspace:sensitivity-precise'] ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: join(artifactsDir('e2e'), 'bundle-map.png') });
    // Back to the wizard: where it was.
    await page.getByTestId('views').getByText('Export', { exact: true }).click();
    await page.getByTestId('bundle-step-review').waitFor();
    expect(await attr(page.getByTestId('bundle-preview'), 'data-published')).toBe(String(expected.counts.published));
  });

  it('builds the open-data bundle with a progress bar; the gate passes', async () => {
    await page.getByTestId('bundle-next-build').click();
    await page.getByTestId('bundle-out').fill(opendata);
    // The build is quick on the demo: watch for its progress bar from the start.
    await page.evaluate(() => {
      const w = window as unknown as { sawProgress?: boolean };
      w.sawProgress = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid=bundle-build-progress] [role=progressbar]')) w.sawProgress = true;
      }).observe(document.body, { subtree: true, childList: true });
    });
    await page.getByTestId('bundle-build-run').click();
    const result = page.getByTestId('bundle-result');
    await result.waitFor({ timeout: 120_000 });
    expect(await page.evaluate(() => (window as unknown as { sawProgress?: boolean }).sawProgress)).toBe(true);
    expect(await attr(result, 'data-written')).toBe('true');
    expect(await attr(result, 'data-version')).toBe('1.0.0');
    expect(await attr(page.getByTestId('bundle-gate'), 'data-verdict')).toBe('pass');
    expect(await attr(page.getByTestId('bundle-gate-verdict'), 'data-verdict')).toBe('pass');
    const checks = page.locator('[data-testid=bundle-gate-check]');
    expect(await checks.count()).toBe(11);
    expect(await attr(page.locator('[data-testid=bundle-gate-check][data-check=leaks]'), 'data-status')).toBe('pass');
    expect(await attr(page.locator('[data-testid=bundle-gate-check][data-check=sensitivity]'), 'data-status')).toBe('pass');
    expect(await page.locator('[data-testid=bundle-gate-check][data-status=fail]').count()).toBe(0);
    expect(await attr(page.getByTestId('bundle-result-path'), 'data-path')).toBe(opendata);
    const manifest = readFileSync(join(opendata, 'manifest-sha256.txt'), 'utf8');
    const rows = page.locator('[data-testid=bundle-result-file]');
    expect(await rows.count()).toBe(expected.files.length);
    // Each file with its sha256, as the manifest lists it.
    const csvSha = await attr(page.locator('[data-testid=bundle-result-file][data-path="data/observations.csv"]'), 'data-sha256');
    expect(manifest).toContain(`${csvSha}  data/observations.csv`);
    expect(await attr(page.getByTestId('bundle-result-counts'), 'data-published')).toBe(String(expected.counts.published));
    expect(await attr(page.getByTestId('bundle-result-changes'), 'data-first')).toBe('true');
    await shot(page, 'result-opendata');
  });

  it('builds it again as a copy continuing it: the same content keeps its version, byte for byte', async () => {
    await page.getByTestId('bundle-rebuild').click();
    await page.getByTestId('bundle-out').fill(copy);
    await page.getByTestId('bundle-previous').fill(opendata);
    await page.getByTestId('bundle-build-run').click();
    const result = page.locator(`[data-testid=bundle-result-path][data-path="${copy}"]`);
    await result.waitFor({ timeout: 120_000 });
    expect(await attr(page.getByTestId('bundle-result'), 'data-version')).toBe('1.0.0');
    expect(await attr(page.getByTestId('bundle-result'), 'data-previous-version')).toBe('1.0.0');
    expect(await attr(page.getByTestId('bundle-result-changes'), 'data-same-content')).toBe('true');
    expect(await attr(page.getByTestId('bundle-gate'), 'data-verdict')).toBe('pass');
    expect(readFileSync(join(copy, 'manifest-sha256.txt'), 'utf8')).toBe(readFileSync(join(opendata, 'manifest-sha256.txt'), 'utf8'));
  });

  it('builds a partners bundle as a zip from a preset adjusted and saved with its convention; the gate passes', async () => {
    await page.getByTestId('bundle-new').click();
    await page.getByTestId('bundle-preset-partners').click();
    expect(await attr(page.getByTestId('bundle-step-preset'), 'data-audience')).toBe('partners');
    // No convention, no partners bundle.
    expect(await page.getByTestId('bundle-next-sensitivity').isDisabled()).toBe(true);
    await page.getByTestId('bundle-convention').fill(CONVENTION);
    // Adjusted (observer names pseudonymised) and saved under a name, the convention with it.
    await page.getByTestId('bundle-observers').getByText('Pseudonymiser', { exact: true }).click();
    await page.getByTestId('bundle-save-name').fill(PARTNERS_PRESET);
    await page.getByTestId('bundle-save-preset').click();
    await page.getByTestId('bundle-preset-saved').waitFor({ timeout: 30_000 });
    await page.locator(`[data-testid="bundle-preset-${PARTNERS_PRESET}"]`).waitFor();
    const saved = JSON.parse(readFileSync(join(home, 'bundle-presets.json'), 'utf8')) as unknown;
    expect(JSON.stringify(saved)).toContain(CONVENTION);
    expect(await attr(page.getByTestId('bundle-convention'), 'value')).toBe(CONVENTION);
    await page.getByTestId('bundle-next-sensitivity').click();
    await page.getByTestId('bundle-sens-precise').waitFor();
    await page.getByTestId('bundle-preview-run').click();
    const preview = page.getByTestId('bundle-preview');
    await preview.waitFor({ timeout: 60_000 });
    expect(await attr(preview, 'data-published')).toBe(String(expected.counts.workspace));
    expect(await attr(preview, 'data-precise')).toBe(String(expected.counts.workspace));
    await page.getByTestId('bundle-next-build').click();
    await page.getByTestId('bundle-out').fill(partners);
    await page.getByTestId('bundle-build-run').click();
    await page.locator(`[data-testid=bundle-result-path][data-path="${partners}"]`).waitFor({ timeout: 120_000 });
    expect(await attr(page.getByTestId('bundle-result'), 'data-written')).toBe('true');
    expect(await attr(page.getByTestId('bundle-gate'), 'data-verdict')).toBe('pass');
    expect((await page.getByTestId('bundle-result-written').textContent()) ?? '').toContain('zip');
    await shot(page, 'result-partners');
    // The observers as the saved preset says: pseudonyms, no name.
    const unzipped = join(files, 'partners-unzipped');
    mkdirSync(unzipped);
    unzipTo(partners, unzipped);
    const [head, ...rows] = readFileSync(join(unzipped, 'data', 'observations.csv'), 'utf8').split('\r\n').filter((l) => l !== '');
    const observers = (head as string).split(',').indexOf('observers');
    const names = new Set(rows.map((l) => l.split(',')[observers] ?? '').filter((n) => n !== ''));
    expect(names.size).toBeGreaterThan(1);
    for (const n of names) expect(n).toMatch(/^"?Observateur [0-9a-f]{10}/);
  });

  it('`passerelle bundle verify` (the built CLI) passes both bundles', () => {
    const open = cli<GateReport>(['bundle', 'verify', opendata, '-w', 'demo', '--referential', referential, '--taxonomy', taxonomy], home);
    expect(open.value.verdict, open.stderr).toBe('pass');
    expect(open.status).toBe(0);
    const part = cli<GateReport>(['bundle', 'verify', partners, '-w', 'demo'], home);
    expect(part.value.verdict, part.stderr).toBe('pass');
    expect(part.status).toBe(0);
  });

  it('catches a precise coordinate of a sensitive observation planted in the copy, through "Verify another bundle"', async () => {
    // The engine's way (electron/core/bundle/build.test.ts): a generalised observation whose place
    // no other observation shares, and its precise coordinates written in the comment of a precise
    // record of the CSV; the manifest is rewritten, so only the leak scan can see it.
    const csvPath = join(copy, 'data', 'observations.csv');
    const lines = readFileSync(csvPath, 'utf8').split('\r\n');
    const header = (lines[0] as string).split(',');
    const col = (name: string) => header.indexOf(name);
    const records = lines.slice(1).filter((l) => l !== '');
    const generalised = records.filter((l) => l.split(',')[col('publication')] === 'generalised').map((l) => l.split(',')[0] as string);
    const db = new Database(DEMO, { readonly: true });
    let secret: { uuid: string; lon: number; lat: number };
    try {
      const key = (b: Buffer) => `${b.readDoubleLE(13).toFixed(4)},${b.readDoubleLE(21).toFixed(4)}`;
      const counts = new Map<string, number>();
      for (const g of db.prepare('SELECT geom FROM observations').pluck().all() as Buffer[]) counts.set(key(g), (counts.get(key(g)) ?? 0) + 1);
      const pts = db.prepare('SELECT unique_id_sinp AS uuid, geom FROM observations WHERE unique_id_sinp IN (SELECT value FROM json_each(?))').all(JSON.stringify(generalised)) as { uuid: string; geom: Buffer }[];
      const alone = pts.find((p) => counts.get(key(p.geom)) === 1);
      if (!alone) throw new Error('no generalised observation alone at its place');
      secret = { uuid: alone.uuid, lon: alone.geom.readDoubleLE(13), lat: alone.geom.readDoubleLE(21) };
    } finally {
      db.close();
    }
    const target = lines.findIndex((l, i) => i > 0 && !l.includes('"') && l.split(',')[col('publication')] === 'precise');
    const cells = (lines[target] as string).split(',');
    cells[col('comment_description')] = `"nid sous la crête, ${secret.lat.toFixed(6)} N ${secret.lon.toFixed(6)} E"`;
    lines[target] = cells.join(',');
    const csv = Buffer.from(lines.join('\r\n'));
    writeFileSync(csvPath, csv);
    // A tamperer who covers their tracks: the data package's size and hash, then the manifest.
    const dpPath = join(copy, 'datapackage.json');
    const dp = JSON.parse(readFileSync(dpPath, 'utf8')) as { resources: { path: string; bytes: number; hash: string }[] };
    const res = dp.resources.find((r) => r.path === 'data/observations.csv');
    if (!res) throw new Error('no CSV resource in datapackage.json');
    res.bytes = csv.length;
    res.hash = `sha256:${createHash('sha256').update(csv).digest('hex')}`;
    writeFileSync(dpPath, JSON.stringify(dp, null, 2) + '\n');
    rewriteManifest(copy);

    const verify = page.getByTestId('bundle-verify');
    await verify.scrollIntoViewIfNeeded();
    await page.getByTestId('bundle-verify-path').fill(copy);
    await page.getByTestId('bundle-verify-run').click();
    const report = page.getByTestId('bundle-verify-report');
    await report.waitFor({ timeout: 120_000 });
    expect(await attr(report, 'data-verdict')).toBe('fail');
    expect(await attr(page.getByTestId('bundle-verify-report-verdict'), 'data-verdict')).toBe('fail');
    expect(await attr(page.locator('[data-testid=bundle-verify-report-check][data-check=leaks]'), 'data-status')).toBe('fail');
    // The checksums were covered: the leak scan found it, and says where.
    for (const check of ['checksums', 'datapackage']) expect(await attr(page.locator(`[data-testid=bundle-verify-report-check][data-check=${check}]`), 'data-status'), check).toBe('pass');
    const finding = page.locator('[data-testid=bundle-verify-report-finding][data-key="leaks.found"]').first();
    expect(await attr(finding, 'data-where')).toBe(`data/observations.csv:${target + 1}`);
    const text = (await finding.textContent()) ?? '';
    expect(text).toContain(secret.uuid);
    expect(text).toContain('Coordonnée précise de l’observation sensible');
    await page.locator('[data-testid=bundle-verify-report-check][data-check=leaks]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifactsDir('e2e'), 'bundle-verify-leak.png') });

    // The CLI agrees.
    const leaked = cli<GateReport>(['bundle', 'verify', copy, '-w', 'demo', '--referential', referential, '--taxonomy', taxonomy], home);
    expect(leaked.value.verdict).toBe('fail');
    expect(leaked.status).toBe(1);

    // And the comparison with the good bundle names the file and the observation that changed.
    await page.getByTestId('bundle-diff-old').fill(opendata);
    await page.getByTestId('bundle-diff-new').fill(copy);
    await page.getByTestId('bundle-diff-run').click();
    const diff = page.getByTestId('bundle-diff-result');
    await diff.waitFor({ timeout: 60_000 });
    expect(await attr(diff, 'data-same')).toBe('true');
    expect(await attr(diff, 'data-changed-obs')).toBe('1');
    expect((await page.getByTestId('bundle-diff-files-changed').textContent()) ?? '').toContain('data/observations.csv');
    expect((await page.getByTestId('bundle-diff-obs-changed').textContent()) ?? '').toContain(cells[0] as string);
    await page.getByTestId('bundle-diff').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifactsDir('e2e'), 'bundle-diff.png') });
  });

  it('raised no error in the page', () => {
    expect(errors).toEqual([]);
  });
});
