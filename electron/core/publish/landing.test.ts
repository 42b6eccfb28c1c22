/**
 * The landing page of a bundle (issue 9): written into the bundle (folder and zip) so it still
 * passes the gate, opened in the system Chromium from file:// — valid schema.org Dataset JSON-LD,
 * the map image loaded — and the map drawn from the published geometries only: no precise location
 * of a sensitive observation in its pixels.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LandingResult } from '../../../shared/contract/index.js';
import { schemaOrgProblems } from '../../../shared/publish/landing.js';
import { demoCopy, jobContext, writeTaxonomy } from '../../../test/fixtures/bundle/fixtures.js';
import { buildOpenData, V13 } from '../../../test/fixtures/publish/fixtures.js';
import { launchChromium } from '../../../test/helpers/browser.js';
import { tempDir } from '../../../test/helpers/gpkg-fixtures.js';
import { artifactsDir } from '../../../test/helpers/paths.js';
import { unzipTo } from '../bundle/zip.js';
import { verifyBundle } from '../bundle/verify.js';
import { gdal } from '../gpkg/gdal.js';
import { readManifest } from './bundle-files.js';
import { landingTask } from './landing.js';
import { pixelOf, POINT_RADIUS, PREVIEW_COLOURS } from './preview-map.js';

const tmp = tempDir('passerelle-landing-');
let ws = '';
let taxonomy = '';
const folder = () => join(tmp.dir, 'bundle');
const HOSTED = 'https://donnees.ecrins-parcnational.fr/lots/synthese-2018/';
let result: LandingResult;

beforeAll(async () => {
  taxonomy = writeTaxonomy(tmp.dir);
  ws = demoCopy(tmp.dir, 'ecrins.gpkg');
  await buildOpenData(ws, folder(), taxonomy);
  result = await landingTask({ bundle: folder(), hostedAt: HOSTED }, jobContext());
}, 120_000);
afterAll(() => tmp.cleanup());

const gate = (path: string) => verifyBundle({ path, workspace: ws, referentials: [V13], taxonomy }, jobContext());

describe('the landing page in the bundle', () => {
  it('adds index.html and preview.png to the checksums: the bundle still passes the gate (leak scan included)', async () => {
    expect(result.files.map((f) => f.path)).toEqual(['index.html', 'preview.png']);
    const m = readManifest(folder());
    for (const f of result.files) expect(m.get(f.path)).toBe(f.sha256);
    const g = await gate(folder());
    expect(g.verdict).toBe('pass');
    expect(g.checks.find((c) => c.id === 'leaks')?.status).toBe('pass');
    expect(result.problems).toEqual([]);
  }, 60_000);

  it('renders in Chromium from file://: valid schema.org Dataset JSON-LD, the README, the licence, the downloads, the map loaded', async () => {
    const { context, close } = await launchChromium({ width: 1200, height: 900 });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(pathToFileURL(join(folder(), 'index.html')).href);
      await page.waitForFunction(() => {
        const img = document.querySelector('figure.map img') as HTMLImageElement | null;
        return img !== null && img.complete;
      });
      const facts = await page.evaluate(() => {
        const img = document.querySelector('figure.map img') as HTMLImageElement;
        const scripts = [...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => s.textContent ?? '');
        return {
          naturalWidth: img.naturalWidth,
          naturalHeight: img.naturalHeight,
          scripts,
          title: document.querySelector('h1')?.textContent,
          text: document.body.innerText,
          licence: (document.querySelector('a[rel="license"]') as HTMLAnchorElement | null)?.getAttribute('href'),
          downloads: [...document.querySelectorAll('#downloads a[download]')].map((a) => a.getAttribute('href')),
          executable: [...document.querySelectorAll('script')].filter((s) => s.type !== 'application/ld+json').length,
        };
      });
      await page.screenshot({ path: join(artifactsDir('publish'), 'landing.png'), fullPage: false });
      expect(facts.naturalWidth).toBeGreaterThan(0);
      expect(facts.naturalWidth).toBe(result.map?.width);
      expect(facts.naturalHeight).toBe(result.map?.height);
      expect(facts.scripts).toHaveLength(1);
      const j = JSON.parse(facts.scripts[0] as string) as Record<string, unknown>;
      expect(schemaOrgProblems(j)).toEqual([]);
      expect(j).toMatchObject({
        '@context': 'https://schema.org/',
        '@type': 'Dataset',
        name: 'Synthèse PNE – extrait de développement GeoNature (2018)',
        license: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
        version: '1.0.0',
        temporalCoverage: '2000-01-10/2017-10-02',
        url: `${HOSTED}index.html`,
        image: `${HOSTED}preview.png`,
        isAccessibleForFree: true,
      });
      expect((j.description as string).length).toBeGreaterThanOrEqual(50);
      expect(j.spatialCoverage).toMatchObject({ '@type': 'Place', geo: { '@type': 'GeoShape', box: expect.stringMatching(/^[\d.]+ [\d.]+ [\d.]+ [\d.]+$/) } });
      const dist = j.distribution as { contentUrl: string; encodingFormat: string }[];
      expect(dist.find((d) => d.contentUrl === `${HOSTED}data/observations.csv`)?.encodingFormat).toBe('text/csv');
      expect(facts.title).toBe(j.name);
      expect(facts.text).toContain('Français');
      expect(facts.text).toContain('English');
      expect(facts.licence).toBe('https://www.etalab.gouv.fr/licence-ouverte-open-licence/');
      expect(facts.downloads).toEqual(expect.arrayContaining(['data/observations.csv', 'data/observations.gpkg', 'LICENCE.md', 'metadata/iso19139.xml']));
      // No script runs: the JSON-LD is data.
      expect(facts.executable).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('the map shows the published geometries only: every published point is drawn, no precise location of a generalised observation is', () => {
    const map = result.map;
    expect(map).not.toBeNull();
    if (!map) return;
    const g = gdal();
    const png = g.open(join(folder(), 'preview.png'));
    const [r, gr, b] = [1, 2, 3].map((i) => png.bands.get(i).pixels.read(0, 0, map.width, map.height) as Uint8Array);
    png.close();
    const isPrecise = (x: number, y: number) => {
      if (x < 0 || y < 0 || x >= map.width || y >= map.height) return false;
      const o = y * map.width + x;
      const [pr, pg, pb] = PREVIEW_COLOURS.precise;
      return r?.[o] === pr && gr?.[o] === pg && b?.[o] === pb;
    };
    // The published records, from the bundle's CSV: precise points, and the generalised ones' UUIDs.
    const lines = readFileSync(join(folder(), 'data/observations.csv'), 'utf8').split('\r\n').filter((l) => l);
    const header = (lines[0] as string).split(',');
    const col = (n: string) => header.indexOf(n);
    const rows = lines.slice(1).map((l) => l.split(','));
    const generalised = new Set(rows.filter((x) => x[col('publication')] === 'generalised').map((x) => x[col('unique_id_sinp')] as string));
    expect(generalised.size).toBe(10);
    const pub = g.open(join(folder(), 'data/observations.gpkg'));
    const published: [number, number][] = [];
    pub.layers.get('observations').features.forEach((f) => {
      const geom = f.getGeometry();
      if (geom && (geom.wkbType & 0xff) === g.wkbPoint) published.push(pixelOf(map.box, map.width, map.height, (geom as unknown as { x: number }).x, (geom as unknown as { y: number }).y));
    });
    pub.close();
    expect(published.length).toBe(map.points);
    // Positive control: every published point is drawn.
    expect(published.filter(([x, y]) => !isPrecise(x, y))).toEqual([]);
    // The precise locations of the generalised observations, from the workspace.
    const wsDs = g.open(ws);
    const secret: [number, number][] = [];
    wsDs.layers.get('observations').features.forEach((f) => {
      if (!generalised.has(f.fields.get('unique_id_sinp') as string)) return;
      const geom = f.getGeometry();
      if (geom && (geom.wkbType & 0xff) === g.wkbPoint) secret.push(pixelOf(map.box, map.width, map.height, (geom as unknown as { x: number }).x, (geom as unknown as { y: number }).y));
    });
    wsDs.close();
    expect(secret.length).toBe(10);
    // A secret pixel far enough from every published point must not carry the point colour.
    const reach = 2 * POINT_RADIUS + 1;
    const isolated = secret.filter(([x, y]) => published.every(([px, py]) => Math.abs(px - x) > reach || Math.abs(py - y) > reach));
    expect(isolated.length).toBeGreaterThan(0);
    for (const [x, y] of isolated) for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) expect(isPrecise(x + dx, y + dy), `pixel ${x + dx},${y + dy}`).toBe(false);
  });
});

describe('a zip bundle', () => {
  it('gets the page too (zip rewritten in place), and still passes the gate', async () => {
    const zip = join(tmp.dir, 'bundle.zip');
    await buildOpenData(ws, zip, taxonomy);
    const r = await landingTask({ bundle: zip, hostedAt: null }, jobContext());
    expect(r.zip).toBe(true);
    expect(r.problems.some((p) => p.includes('hostedAt'))).toBe(true);
    expect((r.jsonLd.distribution as { contentUrl: string }[])[0]?.contentUrl).toMatch(/^(data|dwca|metadata)\//);
    const out = join(tmp.dir, 'unzipped');
    mkdirSync(out);
    expect(unzipTo(zip, out)).toEqual(expect.arrayContaining(['index.html', 'preview.png']));
    expect((await gate(zip)).verdict).toBe('pass');
  }, 120_000);
});
