import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGeoNatureTestDb, dropTestDb, maintenanceConnection, withDatabase } from '../geonature-db/build.js';
import { ECRINS } from '../geonature-db/fixture-ids.js';
import { launchChromium } from '../helpers/browser.js';
import { startBuiltWebHost } from '../helpers/ui.js';
import { artifactsDir } from '../helpers/paths.js';

const DEMO_JDD = '5b2f4a0e-7c1d-4e8a-9f3b-2d6c8e1a4b70';
const DEMO_JDD_NAME = 'Synthèse PNE – extrait de développement GeoNature (2018)';

/** The built web host and a Chromium page on it, in French, with the page's errors collected. */
async function openApp(): Promise<{ host: { url: string; close: () => Promise<void> }; browser: Awaited<ReturnType<typeof launchChromium>>; page: Page; errors: string[] }> {
  const host = await startBuiltWebHost();
  const browser = await launchChromium();
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(host.url);
  await page.getByTestId('language').getByText('FR').click();
  await page.getByTestId('observation-count').waitFor({ timeout: 30_000 });
  return { host, browser, page, errors };
}

const text = async (l: Locator) => (await l.textContent()) ?? '';

/** The JDD rows of the tree as [uuid, name, observations]. */
async function treeDatasets(page: Page): Promise<{ uuid: string; name: string; observations: number; status: string }[]> {
  return page.getByTestId('meta-dataset').evaluateAll((rows) =>
    rows.map((r) => ({
      uuid: r.getAttribute('data-uuid') ?? '',
      name: r.getAttribute('data-name') ?? '',
      status: r.getAttribute('data-status') ?? '',
      observations: Number((r.querySelector('[data-testid=meta-node-observations]')?.textContent ?? '').replace(/\D/g, '')),
    })),
  );
}

/** Opens the split wizard of a JDD, previews by `kind` (a label of the picker) and checks the counts add up. */
async function previewSplit(page: Page, uuid: string, kind: string, min: number | null, expected: number): Promise<{ key: string; observations: number }[]> {
  await page.locator(`[data-testid=meta-dataset][data-uuid="${uuid}"] [data-testid=meta-dataset-menu]`).click();
  await page.getByTestId('meta-action-split').click();
  const wizard = page.getByTestId('meta-split');
  await wizard.waitFor();
  await wizard.getByTestId('meta-split-by').click();
  await page.getByRole('option', { name: kind, exact: true }).click();
  if (min !== null) await wizard.getByTestId('meta-split-min').fill(String(min));
  await wizard.getByTestId('meta-split-preview').click();
  const total = wizard.getByTestId('meta-split-total');
  await total.waitFor({ timeout: 60_000 });
  const groups = await wizard.getByTestId('meta-split-group').evaluateAll((rows) => rows.map((r) => ({ key: r.getAttribute('data-key') ?? '', observations: Number(r.getAttribute('data-observations')) })));
  expect(groups.reduce((n, g) => n + g.observations, 0)).toBe(expected);
  expect(Number(await total.getAttribute('data-total'))).toBe(expected);
  return groups;
}

/**
 * The metadata view on the demo workspace, in the real UI: the CA → JDD tree, a split by
 * year previewed then applied and undone, a validation error fixed through the form, a new CA
 * the JDD is dragged onto, and ISO 19139 / MTD exports (the latter read back by the import).
 */
describe('metadata view on the demo workspace', () => {
  let app: Awaited<ReturnType<typeof openApp>>;
  let page: Page;
  const out = mkdtempSync(join(tmpdir(), 'passerelle-md-e2e-'));

  beforeAll(async () => {
    app = await openApp();
    page = app.page;
  });
  afterAll(async () => {
    await app?.browser.close();
    await app?.host.close();
  });

  it('opens the Métadonnées view with the CA → JDD tree, counts and issues', async () => {
    await page.getByTestId('views').getByText('Métadonnées').click();
    await page.getByTestId('meta-tree').waitFor({ timeout: 30_000 });
    expect(await treeDatasets(page)).toEqual([{ uuid: DEMO_JDD, name: DEMO_JDD_NAME, observations: 991, status: 'created' }]);
    // The demo's JDD has no CA and most SINP fields empty: every issue is listed with its fix.
    await page.getByTestId('meta-issue').first().waitFor();
    expect(Number(await page.getByTestId('meta-issues').getAttribute('data-errors'))).toBe(11);
    expect(await text(page.getByTestId('meta-issues'))).toContain('Renseignez « Type de données »');
    await page.screenshot({ path: join(artifactsDir('e2e'), 'metadata-tree.png') });
  });

  it('splits the thematic JDD by year: the preview adds up to 991, the tree shows the new JDD', async () => {
    const groups = await previewSplit(page, DEMO_JDD, 'Année', null, 991);
    expect(groups.map((g) => g.key)).toContain('2016');
    await page.screenshot({ path: join(artifactsDir('e2e'), 'metadata-split-preview.png') });
    await page.getByTestId('meta-split-apply').click();
    await page.getByTestId('meta-notice').waitFor({ timeout: 60_000 });
    await expect.poll(async () => (await treeDatasets(page)).length, { timeout: 30_000 }).toBe(groups.length + 1);
    const rows = await treeDatasets(page);
    const y2016 = rows.find((r) => r.name.endsWith('2016'));
    expect(y2016).toMatchObject({ status: 'created', observations: groups.find((g) => g.key === '2016')?.observations });
    expect(rows.find((r) => r.uuid === DEMO_JDD)?.observations).toBe(0);
    expect(rows.reduce((n, r) => n + r.observations, 0)).toBe(991);
    // The sidebar's summary follows (the demo's working copy now).
    await expect.poll(async () => (await page.getByText('Jeux de données (JDD)').locator('..').textContent()) ?? '').toContain('2016');
  });

  it('merges one of the new JDD back into the thematic one (preview, apply)', async () => {
    const y2016 = (await treeDatasets(page)).find((r) => r.name.endsWith('2016'));
    await page.locator(`[data-testid=meta-dataset][data-uuid="${DEMO_JDD}"] [data-testid=meta-dataset-menu]`).click();
    await page.getByTestId('meta-action-merge').click();
    const merge = page.getByTestId('meta-merge');
    await merge.getByTestId('meta-merge-sources').click();
    await page.getByRole('option', { name: `${y2016?.name} (${y2016?.observations})` }).click();
    await page.keyboard.press('Escape');
    await merge.getByTestId('meta-merge-preview').click();
    await expect.poll(async () => text(merge.getByTestId('meta-merge-result')), { timeout: 30_000 }).toContain(`${y2016?.observations} obs. — supprimé`);
    await merge.getByTestId('meta-merge-apply').click();
    await expect.poll(async () => (await treeDatasets(page)).find((r) => r.uuid === DEMO_JDD)?.observations, { timeout: 30_000 }).toBe(y2016?.observations);
    expect((await treeDatasets(page)).some((r) => r.uuid === y2016?.uuid)).toBe(false);
  });

  it('undoes the merge, then the split, saying each time what it undoes: the tree is back', async () => {
    const undo = page.getByTestId('meta-undo');
    expect(await text(undo)).toContain(`fusion de 1 JDD dans « ${DEMO_JDD_NAME} »`);
    await undo.click();
    await expect.poll(async () => text(undo), { timeout: 60_000 }).toContain(`découpage de « ${DEMO_JDD_NAME} » en`);
    expect((await treeDatasets(page)).find((r) => r.uuid === DEMO_JDD)?.observations).toBe(0);
    await undo.click();
    await expect.poll(async () => treeDatasets(page), { timeout: 60_000 }).toEqual([{ uuid: DEMO_JDD, name: DEMO_JDD_NAME, observations: 991, status: 'created' }]);
    await page.getByTestId('meta-history').click();
    await expect.poll(async () => text(page.getByTestId('meta-history-list'))).toContain('annulée');
    await page.keyboard.press('Escape');
  });

  it('fixes a validation error through the form: the issue focuses its field, and disappears once saved', async () => {
    const issue = page.locator(`[data-testid=meta-issue][data-uuid="${DEMO_JDD}"][data-field=dataType]`);
    await issue.click();
    const form = page.locator(`[data-testid=meta-form][data-uuid="${DEMO_JDD}"]`);
    await form.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-path'))).toBe('dataType');
    expect(await text(form)).toContain('« Type de données » : champ obligatoire non renseigné.');
    await form.getByTestId('meta-field-dataType').click();
    await page.getByRole('option', { name: 'Occurrences de Taxons (1)' }).click();
    await expect.poll(async () => text(form.getByTestId('meta-form-dirty'))).toContain('Type de données');
    await form.getByTestId('meta-form-save').click();
    await expect.poll(async () => text(page.getByTestId('meta-saved')), { timeout: 30_000 }).toContain('Type de données');
    await expect.poll(() => issue.count()).toBe(0);
    expect(Number(await page.getByTestId('meta-issues').getAttribute('data-errors'))).toBe(10);
  });

  it('creates a CA and drags the JDD onto it: the missing-CA issue goes', async () => {
    await page.getByTestId('meta-new-framework-open').click();
    await page.getByTestId('meta-new-framework-name').fill('Inventaires faune PNE');
    await page.getByTestId('meta-new-framework-create').click();
    const ca = page.locator('[data-testid=meta-framework][data-name="Inventaires faune PNE"]');
    await ca.waitFor({ timeout: 30_000 });
    await page.locator(`[data-testid=meta-dataset][data-uuid="${DEMO_JDD}"]`).dragTo(ca);
    const move = page.getByTestId('meta-move');
    await move.waitFor();
    await expect.poll(async () => text(move.getByTestId('meta-move-preview'))).toContain('991 obs.');
    await move.getByTestId('meta-move-apply').click();
    await expect.poll(async () => ca.locator('xpath=..').locator(`[data-testid=meta-dataset][data-uuid="${DEMO_JDD}"]`).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.locator(`[data-testid=meta-issue][data-uuid="${DEMO_JDD}"][data-field=frameworkUuid]`).count()).toBe(0);
    await page.locator(`[data-testid=meta-dataset][data-uuid="${DEMO_JDD}"] [data-testid=meta-dataset-select]`).click();
    await page.locator(`[data-testid=meta-form][data-uuid="${DEMO_JDD}"]`).waitFor();
    await page.screenshot({ path: join(artifactsDir('e2e'), 'metadata-view.png') });
  });

  it('exports the JDD as ISO 19139 to a path', async () => {
    const file = join(out, 'jdd-iso19139.xml');
    await page.getByTestId('meta-export-open').click();
    const dialog = page.getByTestId('meta-export');
    await dialog.waitFor();
    expect(await dialog.getByTestId('meta-export-format').inputValue()).toBe('ISO 19139 (INSPIRE)');
    await dialog.getByTestId('meta-export-out').fill(file);
    await dialog.getByTestId('meta-export-run').click();
    await expect.poll(async () => text(dialog.getByTestId('meta-export-done')), { timeout: 30_000 }).toContain(file);
    expect(existsSync(file)).toBe(true);
    const xml = readFileSync(file, 'utf8');
    expect(xml).toContain(DEMO_JDD_NAME);
    expect(xml).toContain(DEMO_JDD);
    await page.keyboard.press('Escape');
  });

  it('exports MTD and previews its import: every record is already as the file says', async () => {
    const file = join(out, 'metadonnees-mtd.xml');
    await page.getByTestId('meta-export-open').click();
    const dialog = page.getByTestId('meta-export');
    await dialog.getByTestId('meta-export-format').click();
    await page.getByRole('option', { name: 'MTD (INPN, XML)' }).click();
    await dialog.getByTestId('meta-export-out').fill(file);
    await dialog.getByTestId('meta-export-run').click();
    await dialog.getByTestId('meta-export-done').waitFor({ timeout: 30_000 });
    expect(readFileSync(file, 'utf8')).toContain('http://inpn.mnhn.fr/mtd');
    await page.keyboard.press('Escape');
    await page.getByTestId('meta-import-open').click();
    const imp = page.getByTestId('meta-import');
    await imp.getByTestId('meta-import-file').fill(file);
    await imp.getByTestId('meta-import-preview').click();
    const result = imp.getByTestId('meta-import-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.getAttribute('data-changes')).toBe('0');
    expect(await imp.locator('[data-testid=meta-import-record][data-action=unchanged]').count()).toBe(2);
    await page.keyboard.press('Escape');
  });

  it('raised no error in the page', () => {
    expect(app.errors).toEqual([]);
  });
});

/**
 * The same on a pulled GeoNature extract: pull the Écrins JDD through the UI, split it by
 * year, fix every validation error, then push the new structure through the GeoNature view's
 * reviewed push and find it in PostgreSQL.
 */
describe('metadata view on a pulled GeoNature extract', () => {
  const database = `passerelle_e2e_md_${process.pid}`;
  let app: Awaited<ReturnType<typeof openApp>>;
  let page: Page;
  const out = join(mkdtempSync(join(tmpdir(), 'passerelle-md-gn-e2e-')), 'écrins restructuré.gpkg');
  let created: { uuid: string; name: string; observations: number }[] = [];

  beforeAll(async () => {
    await buildGeoNatureTestDb({ database, dropIfExists: true });
    app = await openApp();
    page = app.page;
  });
  afterAll(async () => {
    await app?.browser.close();
    await app?.host.close();
    await dropTestDb(database);
  });

  it('pulls the Écrins JDD through the GeoNature view', async () => {
    await page.getByTestId('new-connection').click();
    const dialog = page.getByTestId('connection-dialog');
    const cfg = maintenanceConnection();
    await dialog.getByLabel('Nom de la connexion').fill('PNE métadonnées');
    await dialog.getByLabel('Hôte').fill(String(cfg.host ?? '127.0.0.1'));
    await dialog.getByLabel('Base').fill(database);
    await dialog.getByLabel('Utilisateur').fill(String(cfg.user ?? 'postgres'));
    if (cfg.password) await dialog.getByLabel('Mot de passe').fill(String(cfg.password));
    await page.getByTestId('connection-test').click();
    await expect.poll(() => page.getByTestId('connection-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('ok');
    await page.getByTestId('connection-save').click();
    await page.getByTestId('connection').first().click();
    await expect.poll(() => page.getByTestId('gn-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('ok');
    await page.getByText(ECRINS.acquisitionFrameworkName, { exact: false }).click();
    await page.locator(`[data-testid=gn-dataset][data-uuid="${ECRINS.datasetUuid}"] input[type=checkbox]`).check();
    await page.getByLabel('Nouvel espace de travail (.gpkg)').fill(out);
    await page.getByTestId('pull-run').click();
    await expect.poll(async () => text(page.getByTestId('observation-count')), { timeout: 120_000 }).toBe('1000 observations');
  });

  it('splits the JDD by year (groups under 100 observations together): the preview adds up, the tree shows the new JDD', async () => {
    await page.getByTestId('views').getByText('Métadonnées').click();
    const ca = page.locator(`[data-testid=meta-framework][data-uuid="${ECRINS.acquisitionFrameworkUuid}"]`);
    await ca.waitFor({ timeout: 30_000 });
    expect(await treeDatasets(page)).toEqual([{ uuid: ECRINS.datasetUuid, name: ECRINS.datasetName, observations: ECRINS.observations, status: 'server' }]);
    const groups = await previewSplit(page, ECRINS.datasetUuid, 'Année', 100, ECRINS.observations);
    expect(groups.map((g) => g.key)).toContain('(others)');
    await page.getByTestId('meta-split-apply').click();
    await expect.poll(async () => (await treeDatasets(page)).length, { timeout: 60_000 }).toBe(groups.length + 1);
    created = (await treeDatasets(page)).filter((d) => d.status === 'created');
    expect(created.map((d) => d.observations).sort()).toEqual(groups.map((g) => g.observations).sort());
    await expect.poll(async () => Number((await text(page.getByTestId('meta-pending'))).replace(/\D/g, ''))).toBeGreaterThan(0);
  });

  it('fixes every validation error through the form', async () => {
    // The CA of the test database has no objective: the only error.
    const issue = page.locator(`[data-testid=meta-issue][data-uuid="${ECRINS.acquisitionFrameworkUuid}"][data-field=objectives]`);
    await expect.poll(() => page.locator('[data-testid=meta-issue][data-severity=error]').count()).toBe(1);
    await issue.click();
    const form = page.locator(`[data-testid=meta-form][data-uuid="${ECRINS.acquisitionFrameworkUuid}"]`);
    await form.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-path]')?.getAttribute('data-path') ?? document.activeElement?.getAttribute('data-path'))).toBe('objectives');
    await form.getByTestId('meta-field-objectives').click();
    await page.getByRole('option', { name: 'Inventaires et cartographie (8)' }).click();
    await page.keyboard.press('Escape');
    await form.getByTestId('meta-form-save').click();
    await expect.poll(async () => text(page.getByTestId('meta-saved')), { timeout: 30_000 }).toContain('Objectifs du CA');
    await expect.poll(() => page.getByTestId('meta-validity').getAttribute('data-valid'), { timeout: 30_000 }).toBe('true');
    await page.screenshot({ path: join(artifactsDir('e2e'), 'metadata-geonature.png') });
  });

  it('exports one of the new JDD as EML', async () => {
    const jdd = created[0] as { uuid: string; name: string };
    const file = join(out, '..', 'jdd-eml.xml');
    await page.locator(`[data-testid=meta-dataset][data-uuid="${jdd.uuid}"] [data-testid=meta-dataset-menu]`).click();
    await page.getByTestId('meta-action-export').click();
    const dialog = page.getByTestId('meta-export');
    await dialog.getByTestId('meta-export-format').click();
    await page.getByRole('option', { name: 'EML 2.2 (GBIF)' }).click();
    await dialog.getByTestId('meta-export-out').fill(file);
    await dialog.getByTestId('meta-export-run').click();
    await dialog.getByTestId('meta-export-done').waitFor({ timeout: 30_000 });
    const xml = readFileSync(file, 'utf8');
    expect(xml).toContain('https://eml.ecoinformatics.org/eml-2.2.0');
    expect(xml).toContain(jdd.name);
    await page.keyboard.press('Escape');
  });

  it('pushes the new structure through the GeoNature view’s review: PostgreSQL has the new JDD and the observations moved', async () => {
    await page.getByTestId('views').getByText('GeoNature').click();
    await page.getByTestId('ws-changes').waitFor({ timeout: 30_000 });
    await page.getByTestId('push-review-open').click();
    const review = page.getByTestId('push-review');
    await review.waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('push-move').count()).toBe(created.length);
    await page.screenshot({ path: join(artifactsDir('e2e'), 'metadata-push-review.png') });
    await page.getByTestId('push-confirm').click();
    await page.getByTestId('push-done').waitFor({ timeout: 60_000 });

    const c = new pg.Client(withDatabase(maintenanceConnection(), database));
    await c.connect();
    try {
      const r = await c.query<{ uuid: string; name: string; ca: string; n: string }>(
        `SELECT d.unique_dataset_id::text AS uuid, d.dataset_name AS name, af.unique_acquisition_framework_id::text AS ca, count(s.id_synthese) AS n
           FROM gn_meta.t_datasets d JOIN gn_meta.t_acquisition_frameworks af USING (id_acquisition_framework)
           LEFT JOIN gn_synthese.synthese s ON s.id_dataset = d.id_dataset
          GROUP BY 1, 2, 3`,
      );
      const server = new Map(r.rows.map((x) => [x.uuid, x]));
      for (const d of created) {
        expect(server.get(d.uuid), d.name).toMatchObject({ name: d.name, ca: ECRINS.acquisitionFrameworkUuid, n: String(d.observations) });
      }
      expect(server.get(ECRINS.datasetUuid)?.n).toBe('0');
      const objectives = await c.query<{ c: string }>(
        `SELECT ref_nomenclatures.get_cd_nomenclature(o.id_nomenclature_objectif) AS c FROM gn_meta.cor_acquisition_framework_objectif o JOIN gn_meta.t_acquisition_frameworks af USING (id_acquisition_framework) WHERE af.unique_acquisition_framework_id = $1`,
        [ECRINS.acquisitionFrameworkUuid],
      );
      expect(objectives.rows.map((x) => x.c)).toEqual(['8']);
    } finally {
      await c.end();
    }

    // Back in the metadata view: everything is as on the server, and the split can no longer be undone here.
    await page.getByTestId('views').getByText('Métadonnées').click();
    await expect.poll(async () => (await treeDatasets(page)).every((d) => d.status === 'server'), { timeout: 30_000 }).toBe(true);
    expect(await page.getByTestId('meta-undo').getAttribute('data-available')).toBe('false');
  });

  it('raised no error in the page', () => {
    expect(app.errors).toEqual([]);
  });
});
