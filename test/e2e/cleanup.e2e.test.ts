import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repairMojibake } from '../../shared/cleanup/mojibake.js';
import { launchChromium } from '../helpers/browser.js';
import { startBuiltWebHost } from '../helpers/ui.js';
import { FIXTURES, GN_IMPORT } from '../helpers/cleanup.js';
import { artifactsDir } from '../helpers/paths.js';

const DEMO_JDD = '5b2f4a0e-7c1d-4e8a-9f3b-2d6c8e1a4b70';
const shot = (page: Page, name: string) => page.screenshot({ path: join(artifactsDir('e2e'), `cleanup-${name}.png`) });
const text = async (l: Locator) => (await l.textContent()) ?? '';

/**
 * The messy legacy CSV of the engine's workflow test (test/fixtures/cleanup/legacy-ecrins.csv:
 * real Écrins observations with dates in three formats, latitude/longitude swapped, Lambert-93
 * where degrees are expected, a name without a code, counts min > max, a non-SINP life stage, an
 * impossible date, a malformed line, an unclosed quote, a date in the future, duplicates) as an
 * old spreadsheet saved it: Windows-1252, the observers' accents right. Written in a folder and
 * under a name with accents and spaces.
 */
function legacyCsv(dir: string): string {
  const utf8 = readFileSync(join(FIXTURES, 'legacy-ecrins.csv'), 'utf8');
  const repaired = utf8.split('\r\n').map(repairMojibake).join('\r\n');
  const path = join(dir, 'faune été 2017.csv');
  writeFileSync(path, Buffer.from(repaired, 'latin1'));
  return path;
}

/** Picks an option of a Mantine Select (its dropdown is in a portal). */
async function pick(page: Page, select: Locator, option: string): Promise<void> {
  await select.click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** The run id of the check on screen, once one is there. */
async function runId(page: Page): Promise<string> {
  const s = page.getByTestId('clean-summary');
  await s.waitFor({ timeout: 60_000 });
  return (await s.getAttribute('data-run')) ?? '';
}

/** Waits until the check shown is another run than `previous` (a re-check after a fix or an undo). */
async function nextRun(page: Page, previous: string): Promise<string> {
  await expect.poll(() => page.getByTestId('clean-summary').getAttribute('data-run'), { timeout: 60_000 }).not.toBe(previous);
  await expect.poll(() => page.getByTestId('cleanup-view').getAttribute('data-checking'), { timeout: 60_000 }).toBe('false');
  return runId(page);
}

const group = (page: Page, check: string) => page.locator(`[data-testid=clean-group][data-check="${check}"]`);

/**
 * The cleanup view in the real UI (issue 8): on the Écrins demo, the check finds the observers'
 * broken accents, the repair is previewed value by value, applied, checked again and undone; then
 * a messy legacy CSV goes through the import wizard (encoding confirmed, columns mapped, live
 * preview, rows kept aside with their reason) into a new workspace, which is checked and fixed.
 */
describe('cleanup view', () => {
  let host: { url: string; close: () => Promise<void> };
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const errors: string[] = [];
  const dir = join(mkdtempSync(join(tmpdir(), 'passerelle-clean-e2e-')), 'relevés anciens');
  mkdirSync(dir);
  const csv = legacyCsv(dir);

  beforeAll(async () => {
    host = await startBuiltWebHost();
    browser = await launchChromium({ width: 1600, height: 1000 });
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

  it('checks the demo: the broken accents are one group with their count', async () => {
    await page.getByTestId('views').getByText('Nettoyage').click();
    await page.getByTestId('cleanup-view').waitFor();
    await page.getByTestId('clean-check-run').click();
    await runId(page);
    // 258 observer names, 258 determiners and 37 comments (electron/core/cleanup/ecrins.test.ts).
    await expect.poll(() => group(page, 'encoding.mojibake').getAttribute('data-count'), { timeout: 60_000 }).toBe(String(258 + 258 + 37));
    expect(await text(page.getByTestId('clean-summary'))).toContain('991 observations');
    await group(page, 'encoding.mojibake').getByTestId('clean-group-toggle').click();
    const rows = group(page, 'encoding.mojibake').getByTestId('clean-finding');
    await rows.first().waitFor();
    expect(await text(rows.first())).toContain('GeneviÃ¨ve');
    // The flagged observations on the view's map.
    await expect.poll(async () => Number(await page.getByTestId('clean-map').getAttribute('data-flagged')), { timeout: 30_000 }).toBeGreaterThan(100);
    await shot(page, 'demo-check');
  });

  it('shows a group on the main map and comes back to the same findings', async () => {
    await group(page, 'encoding.mojibake').getByTestId('clean-group-map').click();
    await expect.poll(() => page.getByTestId('view-cleanup').count()).toBe(0);
    await page.getByTestId('views').getByText('Nettoyage').click();
    await expect.poll(() => group(page, 'encoding.mojibake').getAttribute('data-count')).toBe('553');
    await group(page, 'encoding.mojibake').getByTestId('clean-finding').first().waitFor();
  });

  it('previews the mojibake repair value by value, applies it, checks again, and undoes it', async () => {
    const before = await runId(page);
    await group(page, 'encoding.mojibake').getByTestId('clean-fix-repair-mojibake').click();
    const dialog = page.getByTestId('fix-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('fix-preview').click();
    const summary = dialog.getByTestId('fix-summary');
    await summary.waitFor({ timeout: 60_000 });
    expect(await summary.getAttribute('data-values')).toBe('553');
    expect(await dialog.locator('[data-testid=fix-byfield][data-field=observers]').getAttribute('data-count')).toBe('258');
    const change = dialog.locator('[data-testid=fix-change][data-field=observers]').filter({ hasText: 'Nicolas Marie-GeneviÃ¨ve' }).first();
    await change.waitFor();
    expect(await text(change.locator('[data-role=after]'))).toBe('Nicolas Marie-Geneviève');
    await shot(page, 'demo-fix-preview');

    await dialog.getByTestId('fix-apply').click();
    await page.getByTestId('clean-notice').waitFor({ timeout: 60_000 });
    const after = await nextRun(page, before);
    expect(await group(page, 'encoding.mojibake').count()).toBe(0);
    expect(await text(page.getByTestId('clean-notice'))).toContain('553 valeurs modifiées');
    await expect.poll(async () => (await page.getByTestId('clean-operation').first().getAttribute('data-what')) ?? '').toBe('repair-mojibake');

    await page.getByTestId('clean-notice-undo').click();
    await nextRun(page, after);
    await expect.poll(() => group(page, 'encoding.mojibake').getAttribute('data-count')).toBe('553');
    await expect.poll(() => page.getByTestId('clean-operation').first().getAttribute('data-undone')).toBe('true');
    await shot(page, 'demo-undone');
  });

  it('imports a messy legacy CSV through the wizard: encoding confirmed, columns mapped, live preview', async () => {
    await page.getByTestId('clean-tab-import').click();
    await page.getByTestId('wizard-path').fill(csv);
    await page.getByTestId('wizard-path-submit').click();
    await page.getByTestId('wizard-read').waitFor({ timeout: 30_000 });
    // Not valid UTF-8: Windows-1252 is a guess the user confirms on the sample lines.
    const status = page.getByTestId('encoding-status');
    expect(await status.getAttribute('data-encoding')).toBe('windows-1252');
    expect(await status.getAttribute('data-confirmed')).toBe('false');
    expect(await text(page.getByTestId('encoding-utf-8'))).toContain('Genevi�ve');
    expect(await text(page.getByTestId('encoding-windows-1252'))).toContain('Geneviève');
    await expect.poll(() => page.getByTestId('raw-row').count()).toBeGreaterThanOrEqual(13);
    expect(await page.getByTestId('wizard-next-map').isDisabled()).toBe(true);
    await page.getByTestId('encoding-windows-1252').click();
    await expect.poll(() => status.getAttribute('data-confirmed')).toBe('true');
    await shot(page, 'wizard-read');
    await page.getByTestId('wizard-next-map').click();

    const editor = page.getByTestId('mapping-editor');
    await editor.waitFor();
    // The suggestion recognised cd_nom, observateurs and the counts; the rest is mapped by hand.
    expect(await editor.locator('[data-testid=mapping-field][data-field=observers]').getAttribute('data-source')).toBe('col:observateurs');
    await pick(page, editor.getByTestId('map-entity_source_pk_value'), 'id');
    await pick(page, editor.getByTestId('map-nom_cite'), 'espece');
    await pick(page, editor.getByTestId('map-date_min'), 'date');
    await pick(page, editor.getByTestId('map-life_stage'), 'stade');
    await pick(page, editor.getByTestId('map-comment_description'), 'commentaire');
    await pick(page, editor.getByTestId('map-dataset_uuid'), 'Valeur constante…');
    await editor.getByTestId('map-dataset_uuid-value').fill(DEMO_JDD);
    await editor.getByTestId('geom-add').click();
    await page.getByTestId('geom-add-xy').click();
    await pick(page, editor.getByTestId('geom-0-x'), 'x');
    await pick(page, editor.getByTestId('geom-0-y'), 'y');

    // The live preview: 14 rows read as the import will write them, problems in red, the broken lines kept aside.
    const preview = page.getByTestId('mapped-preview');
    await expect.poll(() => preview.getAttribute('data-fresh'), { timeout: 30_000 }).toBe('true');
    await expect.poll(async () => (await preview.locator('[data-testid=mapped-row][data-line="2"] [data-field=geom]').textContent()) ?? '', { timeout: 30_000 }).toContain('Point 6.48631 44.92892');
    expect(await preview.getAttribute('data-rows')).toBe('14');
    expect(await preview.locator('[data-testid=mapped-row][data-line="10"]').getAttribute('data-rejected')).toBe('field-count');
    expect(await preview.locator('[data-testid=mapped-row][data-line="2"] [data-field=date_min]').textContent()).toBe('2017-08-03');
    expect(await preview.locator('[data-testid=mapped-row][data-line="2"] [data-field=observers]').textContent()).toBe('Nicolas Marie-Geneviève');
    expect(await preview.locator('[data-testid=mapped-row][data-line="8"] [data-field=life_stage]').getAttribute('data-problem')).toBe('true');
    // The file's "adulto" is offered for a SINP code.
    await page.locator('[data-testid=value-map][data-field=life_stage]').getByText('adulto').waitFor();
    await shot(page, 'wizard-mapping');
    // Saved for the next file of the same spreadsheet.
    await page.getByTestId('mapping-save-name').fill('tableur faune 2017');
    await page.getByTestId('mapping-save').click();
    await expect.poll(() => page.getByTestId('mapping-origin').inputValue()).toBe('tableur faune 2017');
  });

  it('imports into a new workspace, lists the rows kept aside, and opens it', async () => {
    await page.getByTestId('wizard-next-import').click();
    await page.getByTestId('target-new').click();
    await page.getByTestId('target-path').fill(join(dir, 'espace nettoyé.gpkg'));
    await page.getByTestId('target-title').fill('Relevés anciens 2017');
    await page.getByTestId('import-run').click();
    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 60_000 });
    expect([await report.getAttribute('data-read'), await report.getAttribute('data-imported'), await report.getAttribute('data-rejected')]).toEqual(['14', '12', '2']);
    const rejected = page.getByTestId('rejected-row');
    await expect.poll(() => rejected.count()).toBe(2);
    expect(await rejected.evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-line'), r.getAttribute('data-reason')]))).toEqual([
      ['10', 'field-count'],
      ['13', 'unclosed-quote'],
    ]);
    expect(await text(rejected.nth(1))).toContain('guillemet jamais fermé');
    // The new workspace is the open one.
    await expect.poll(async () => text(page.getByTestId('observation-count')), { timeout: 30_000 }).toBe('12 observations');
    await shot(page, 'import-report');
  });

  it('checks the imported rows and fixes the swapped coordinates with a preview', async () => {
    await page.getByTestId('import-check').click();
    const first = await runId(page);
    await expect.poll(() => page.getByTestId('cleanup-view').getAttribute('data-checking'), { timeout: 60_000 }).toBe('false');
    expect(await text(page.getByTestId('clean-summary'))).toContain('12 observations');
    const checks = await page.getByTestId('clean-group').evaluateAll((gs) => Object.fromEntries(gs.map((g) => [g.getAttribute('data-check'), Number(g.getAttribute('data-count'))])));
    expect(checks).toMatchObject({
      'geometry.swapped': 1,
      'geometry.projected': 1,
      'date.unparseable': 1,
      'date.future': 2,
      'count.min-gt-max': 1,
      'nomenclature.unknown-value': 1,
    });
    // The accents were right in the file once read as Windows-1252: nothing to repair.
    expect(checks['encoding.mojibake']).toBeUndefined();

    await group(page, 'geometry.swapped').getByTestId('clean-group-toggle').click();
    await group(page, 'geometry.swapped').getByTestId('clean-fix-swap-coordinates').click();
    const dialog = page.getByTestId('fix-dialog');
    await dialog.getByTestId('fix-preview').click();
    await dialog.getByTestId('fix-summary').waitFor({ timeout: 60_000 });
    expect(await dialog.getByTestId('fix-summary').getAttribute('data-values')).toBe('1');
    const change = dialog.getByTestId('fix-change').first();
    expect(await text(change.locator('[data-role=before]'))).toContain('45.0018639 6.4446589');
    expect(await text(change.locator('[data-role=after]'))).toContain('6.4446589 45.0018639');
    await shot(page, 'import-fix-preview');
    await dialog.getByTestId('fix-apply').click();
    await nextRun(page, first);
    expect(await group(page, 'geometry.swapped').count()).toBe(0);
    await shot(page, 'import-fixed');
  });

  it('exports the workspace for GeoNature’s import module', async () => {
    await page.getByTestId('clean-tab-export').click();
    const out = join(dir, 'import géonature.csv');
    await page.getByTestId('clean-export-path').fill(out);
    await page.getByTestId('clean-export-run').click();
    await page.getByTestId('clean-export-done').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('clean-export-done').getAttribute('data-rows')).toBe('12');
    // The header of GeoNature's own test file (without its `error` column).
    const header = readFileSync(join(GN_IMPORT, 'valid_file.csv'), 'utf8').split('\n')[0]?.split(';').slice(1);
    const lines = readFileSync(out, 'utf8').split('\n');
    expect(lines[0]?.split(';')).toEqual(header);
    // L3, its coordinates swapped back.
    expect(lines.find((l) => l.startsWith('L3;'))).toContain('POINT(6.44');
  });

  it('raised no error in the page', () => {
    expect(errors).toEqual([]);
  });
});
