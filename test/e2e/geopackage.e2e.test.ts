import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { startBuiltWebHost } from '../helpers/ui.js';
import { artifactsDir, SHARED_DATA } from '../helpers/paths.js';

/** A real corpus GeoPackage in the UI: layer list, map, attribute table, validation report. */
describe('GeoPackages in the UI', () => {
  let host: { url: string; close: () => Promise<void> };
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const errors: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'passerelle e2e é-'));
  const sewers = join(dir, 'réseau assainissement.gpkg');
  const invalid = join(dir, 'géométries invalides.gpkg');

  beforeAll(async () => {
    copyFileSync(join(SHARED_DATA, 'geopackage', 'ogc-ets__simple_sewer_features.gpkg'), sewers);
    copyFileSync(join(SHARED_DATA, 'geopackage', 'pdok__test_geometry_valid.gpkg'), invalid);
    host = await startBuiltWebHost();
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.url);
    await page.getByTestId('language').getByText('FR').click();
    await page.getByTestId('observation-count').waitFor({ timeout: 30_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  const openFile = async (path: string) => {
    await page.getByLabel('Chemin du GeoPackage').fill(path);
    await page.getByTestId('gpkg-open-submit').click();
  };

  it('opens a file with accents and spaces in its path and lists its layers with SRS and counts', async () => {
    await openFile(sewers);
    const layers = page.getByTestId('gpkg-layer');
    await expect.poll(() => layers.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    const text = (await page.getByTestId('gpkg-panel').textContent()) ?? '';
    expect(text).toContain('EPSG:27700');
  });

  it('draws the layer on the map and pages its attribute table', async () => {
    const layer = page.getByTestId('gpkg-layer').first();
    const name = (await layer.getAttribute('data-layer')) ?? '';
    await layer.click();
    const table = page.getByTestId('attribute-table');
    await table.waitFor({ timeout: 30_000 });
    expect(Number(await table.getAttribute('data-total'))).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('attribute-row').count()).toBeGreaterThan(0);
    await page.waitForSelector('[data-testid=map][data-render-complete=true]');
    await expect
      .poll(async () => {
        const rendered = JSON.parse((await page.getByTestId('map').getAttribute('data-rendered')) ?? '{}') as Record<string, number>;
        return Object.entries(rendered).find(([id]) => id.endsWith(`:${name}`))?.[1] ?? 0;
      }, { timeout: 30_000 })
      .toBeGreaterThan(0);
    await page.screenshot({ path: join(artifactsDir('e2e'), 'geopackage-table.png') });
  });

  it('validates a file and zooms to an offending feature from the report', async () => {
    await openFile(invalid);
    await expect.poll(() => page.getByTestId('gpkg-file').count(), { timeout: 30_000 }).toBe(2);
    await page.getByTestId('gpkg-validate').nth(1).click();
    const report = page.getByTestId('validation-report');
    await report.waitFor({ timeout: 60_000 });
    expect(await report.getAttribute('data-clean')).toBe('false');
    const finding = page.locator('[data-testid=finding]:not([disabled])').first();
    const text = (await finding.textContent()) ?? '';
    const fid = /fid (\d+)/.exec(text)?.[1];
    expect(fid).toBeDefined();
    await finding.click();
    // The map zooms to the offending feature and highlights it.
    await expect.poll(async () => (await page.getByTestId('map').getAttribute('data-highlight')) ?? '').toMatch(new RegExp(`#${fid}$`));
    await page.waitForSelector('[data-testid=map][data-render-complete=true]');
    await page.screenshot({ path: join(artifactsDir('e2e'), 'geopackage-report.png') });
  });

  it('raised no error in the page', () => {
    expect(errors).toEqual([]);
  });
});
