import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { startBuiltWebHost } from '../helpers/ui.js';
import { artifactsDir } from '../helpers/paths.js';

/**
 * The UI, built, served by the built web host (what `npm run web` runs), in the real
 * system Chromium: no WebGL, no GPU, no network.
 */
describe('the shell in a real browser', () => {
  let host: { url: string; close: () => Promise<void> };
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    host = await startBuiltWebHost();
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  it('loads the shell and shows the engine versions', async () => {
    await page.goto(host.url);
    await expect.poll(() => page.title()).toBe('Passerelle');
    const versions = page.getByTestId('engine-versions');
    await versions.waitFor({ timeout: 30_000 });
    const text = (await versions.textContent()) ?? '';
    expect(text).toMatch(/GDAL \d+\.\d+\.\d+/);
    expect(text).toMatch(/SQLite 3\.\d+/);
    // The token left the address bar once read.
    expect(page.url()).not.toContain('token=');
  });

  it('summarises the demo workspace in the sidebar', async () => {
    await expect.poll(async () => (await page.getByTestId('observation-count').textContent()) ?? '', { timeout: 30_000 }).toMatch(/991/);
  });

  it('draws the demo observations on the map canvas', async () => {
    const map = page.getByTestId('map');
    await page.waitForSelector('[data-testid=map][data-render-complete=true]', { timeout: 30_000 });
    await expect.poll(async () => Number(await map.getAttribute('data-observations-rendered')), { timeout: 30_000 }).toBeGreaterThan(100);
    // Pixels, not just features: count canvas pixels of the observation colour (#e8590c).
    const orange = await page.evaluate(() => {
      let n = 0;
      for (const canvas of Array.from(document.querySelectorAll<HTMLCanvasElement>('[data-testid=map] canvas'))) {
        const ctx = canvas.getContext('2d');
        if (!ctx || canvas.width === 0) continue;
        const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
        for (let i = 0; i < data.length; i += 4) {
          if (Math.abs((data[i] ?? 0) - 0xe8) < 12 && Math.abs((data[i + 1] ?? 0) - 0x59) < 12 && Math.abs((data[i + 2] ?? 0) - 0x0c) < 12) n++;
        }
      }
      return n;
    });
    expect(orange).toBeGreaterThan(500);
    await page.screenshot({ path: join(artifactsDir('e2e'), 'shell.png') });
  });

  it('speaks French and English', async () => {
    await page.getByTestId('language').getByText('FR').click();
    await expect.poll(() => page.getByText('Jeux de données (JDD)').count()).toBe(1);
    await page.getByTestId('language').getByText('EN').click();
    await expect.poll(() => page.getByText('Datasets (JDD)').count()).toBe(1);
  });

  it('says clearly why a file cannot be opened', async () => {
    await page.getByTestId('language').getByText('FR').click();
    await page.getByLabel('Chemin du fichier .gpkg').fill('/etc/hostname');
    await page.getByTestId('open-submit').click();
    const alert = page.getByTestId('open-error');
    await alert.waitFor();
    expect(await alert.textContent()).toContain("n'est pas une base SQLite");
  });

  it('shows the engine log', async () => {
    await page.getByTestId('open-log').click();
    await expect.poll(async () => (await page.getByTestId('log-lines').textContent()) ?? '').toContain('web host listening');
    await page.screenshot({ path: join(artifactsDir('e2e'), 'log.png') });
    await page.keyboard.press('Escape');
  });

  it('raised no error in the page', () => {
    expect(errors).toEqual([]);
  });
});
