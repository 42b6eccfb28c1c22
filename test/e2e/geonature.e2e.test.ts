import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGeoNatureTestDb, dropTestDb, maintenanceConnection, withDatabase } from '../geonature-db/build.js';
import { ECRINS } from '../geonature-db/fixture-ids.js';
import { launchChromium } from '../helpers/browser.js';
import { startBuiltWebHost } from '../helpers/ui.js';
import { artifactsDir } from '../helpers/paths.js';

/**
 * A geomatician's round trip in the real UI: connect to a (real, GeoNature-shaped) PostGIS
 * database, browse its CA → JDD, pull the Écrins JDD into a workspace, edit the JDD offline,
 * review the push and send it.
 */
describe('GeoNature in the UI', () => {
  const database = `passerelle_e2e_gn_${process.pid}`;
  let host: { url: string; close: () => Promise<void> };
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const errors: string[] = [];
  const out = join(mkdtempSync(join(tmpdir(), 'passerelle-gn-e2e-')), 'écrins extrait.gpkg');

  beforeAll(async () => {
    await buildGeoNatureTestDb({ database, dropIfExists: true });
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
    await dropTestDb(database);
  });

  it('creates a connection, tests it and saves it without its password', async () => {
    await page.getByTestId('new-connection').click();
    const dialog = page.getByTestId('connection-dialog');
    const cfg = maintenanceConnection();
    await dialog.getByLabel('Nom de la connexion').fill('PNE test');
    await dialog.getByLabel('Hôte').fill(String(cfg.host ?? '127.0.0.1'));
    await dialog.getByLabel('Base').fill(database);
    await dialog.getByLabel('Utilisateur').fill(String(cfg.user ?? 'postgres'));
    await dialog.getByLabel('Mot de passe').fill('jamais-écrit');
    await page.getByTestId('connection-test').click();
    await expect.poll(() => page.getByTestId('connection-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('ok');
    await page.getByTestId('connection-save').click();
    await page.getByTestId('connection').first().waitFor();
  });

  it('browses the CA → JDD tree with counts', async () => {
    await page.getByTestId('connection').first().click();
    await expect.poll(() => page.getByTestId('gn-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('ok');
    await page.getByTestId('gn-framework').first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('gn-framework').count()).toBe(2);
    await page.getByText(ECRINS.acquisitionFrameworkName, { exact: false }).click();
    const row = page.locator(`[data-testid=gn-dataset][data-uuid="${ECRINS.datasetUuid}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('1000');
  });

  it('pulls the Écrins JDD with a live estimate and opens the new workspace', async () => {
    await page.locator(`[data-testid=gn-dataset][data-uuid="${ECRINS.datasetUuid}"] input[type=checkbox]`).check();
    await expect.poll(async () => (await page.getByTestId('pull-estimate').textContent()) ?? '', { timeout: 30_000 }).toContain('1000 observations dans 1 JDD');
    await page.getByLabel('Nouvel espace de travail (.gpkg)').fill(out);
    await page.getByTestId('pull-run').click();
    await expect.poll(async () => (await page.getByTestId('observation-count').textContent()) ?? '', { timeout: 120_000 }).toBe('1000 observations');
    await page.getByTestId('ws-changes').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(artifactsDir('e2e'), 'geonature-pull.png') });
  });

  it('edits the JDD offline, reviews the diff and pushes it once', async () => {
    const ds = page.locator(`[data-testid=ws-dataset][data-uuid="${ECRINS.datasetUuid}"]`);
    await ds.getByTestId('ws-dataset-edit').click();
    await ds.getByTestId('field-dataset_shortname').fill('pne_faune_2018');
    await ds.getByTestId('ws-dataset-save').click();
    await expect.poll(async () => (await page.getByTestId('pending-changes').textContent()) ?? '').toContain('1 modification');
    await page.getByTestId('push-review-open').click();
    const review = page.getByTestId('push-review');
    await review.waitFor({ timeout: 30_000 });
    const rows = (await page.getByTestId('push-rows').textContent()) ?? '';
    expect(rows).toContain('jdd_synthese_dev');
    expect(rows).toContain('pne_faune_2018');
    await page.screenshot({ path: join(artifactsDir('e2e'), 'geonature-push-review.png') });
    await page.getByTestId('push-confirm').click();
    await page.getByTestId('push-done').waitFor({ timeout: 60_000 });
    const c = new pg.Client(withDatabase(maintenanceConnection(), database));
    await c.connect();
    try {
      const r = await c.query<{ dataset_shortname: string }>('SELECT dataset_shortname FROM gn_meta.t_datasets WHERE unique_dataset_id = $1', [ECRINS.datasetUuid]);
      expect(r.rows).toEqual([{ dataset_shortname: 'pne_faune_2018' }]);
    } finally {
      await c.end();
    }
    await expect.poll(async () => (await page.getByTestId('pending-changes').textContent()) ?? '').toContain('0 modification');
  });

  it('raised no error in the page', () => {
    expect(errors).toEqual([]);
  });
});
