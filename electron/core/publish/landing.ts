import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LandingResult } from '../../../shared/contract/schemas/publish.js';
import { landingHtml, landingJsonLd, schemaOrgProblems, type LandingFile } from '../../../shared/publish/landing.js';
import { fileTitle } from '../bundle/documents.js';
import { PATHS, mediaTypeOf } from '../bundle/layout.js';
import { zipFolder } from '../bundle/zip.js';
import { tempPathFor } from '../files/atomic.js';
import type { JobContext } from '../jobs/context.js';
import { digestsOf, licenceView, openBundle, readBundleInfo, readManifest } from './bundle-files.js';
import { renderPreview } from './preview-map.js';

/** The landing page's files, at the bundle's root. */
export const LANDING = { html: 'index.html', preview: 'preview.png' } as const;

const OTHER_TITLES: Readonly<Record<string, { fr: string; en: string }>> = {
  [PATHS.readme]: { fr: 'Présentation (README)', en: 'Presentation (README)' },
  [PATHS.licence]: { fr: 'Licence', en: 'Licence' },
  [PATHS.changelogMd]: { fr: 'Journal des versions', en: 'Changelog' },
  [PATHS.changelogJson]: { fr: 'Changements de cette version (JSON)', en: 'Changes of this version (JSON)' },
  [PATHS.datapackage]: { fr: 'Description des fichiers (Data Package)', en: 'Files description (Data Package)' },
  [PATHS.rocrate]: { fr: 'Provenance (RO-Crate)', en: 'Provenance (RO-Crate)' },
  [PATHS.prov]: { fr: 'Provenance (W3C PROV)', en: 'Provenance (W3C PROV)' },
};

/** Rewrites manifest-sha256.txt with these files' lines added or replaced (and `removed` gone), in the byte order of paths. */
function updateManifest(root: string, files: readonly { path: string; sha256: string }[], removed: readonly string[]): void {
  const lines = readManifest(root);
  for (const f of files) lines.set(f.path, f.sha256);
  for (const p of removed) lines.delete(p);
  const sorted = [...lines].sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])));
  const target = join(root, PATHS.manifest);
  const tmp = tempPathFor(target);
  writeFileSync(tmp, sorted.map(([p, s]) => `${s}  ${p}\n`).join(''));
  renameSync(tmp, target);
}

/**
 * Writes the landing page into a bundle: `index.html` and `preview.png` (the map of the bundle's
 * own published geometries), listed in manifest-sha256.txt so the bundle still passes the gate. A
 * zip is rewritten (deterministically, at the bundle's `asOf`) and put in place by a rename.
 */
export async function landingTask(input: { bundle: string; hostedAt: string | null }, ctx: JobContext): Promise<LandingResult> {
  const bundle = openBundle(input.bundle);
  const staging = mkdtempSync(join(tmpdir(), 'passerelle-landing-'));
  try {
    const root = bundle.root;
    const info = readBundleInfo(root, input.bundle);
    const f = info.facts;
    const lang = f.language;
    ctx.progress(0, 3, 'map');
    const source = [PATHS.gpkg, PATHS.geojson].map((p) => join(root, ...p.split('/'))).find((p) => existsSync(p)) ?? null;
    const previewTmp = join(staging, LANDING.preview);
    const map = source ? await renderPreview(source, previewTmp) : null;
    await ctx.checkpoint();
    ctx.progress(1, 3, 'page');
    const manifest = readManifest(root);
    const downloads: LandingFile[] = [...manifest]
      .filter(([p]) => p !== LANDING.html && p !== LANDING.preview)
      .map(([p, sha256]) => ({
        path: p,
        sha256,
        bytes: statSync(join(root, ...p.split('/'))).size,
        mediaType: mediaTypeOf(p),
        title: OTHER_TITLES[p]?.[lang] ?? fileTitle(p, lang),
        data: p.startsWith('data/') || p === PATHS.dwcOccurrence,
      }));
    const facts = {
      bundleId: f.id,
      title: f.title,
      summary: f.summary,
      version: f.version,
      asOf: f.asOf,
      language: lang,
      licence: licenceView(info.licenceId, lang),
      schemaOrg: info.schemaOrg,
      keywords: f.keywords,
      temporal: f.temporal,
      bbox: f.bbox,
      publisher: info.publisher,
      readme: f.readme,
      files: downloads,
      hostedAt: input.hostedAt,
      image: map ? { path: LANDING.preview, width: map.width, height: map.height } : null,
    };
    const jsonLd = landingJsonLd(facts);
    const html = landingHtml(facts, jsonLd);
    const htmlTmp = join(staging, LANDING.html);
    writeFileSync(htmlTmp, html);
    ctx.progress(2, 3, 'write');
    const written = [{ path: LANDING.html, local: htmlTmp }, ...(map ? [{ path: LANDING.preview, local: previewTmp }] : [])].map((x) => {
      const d = digestsOf(x.local);
      return { ...x, bytes: d.bytes, sha256: d.sha256 };
    });
    // In the bundle folder: each file renamed in from a temporary name beside it, the manifest last.
    for (const w of written) {
      const target = join(root, w.path);
      const tmp = tempPathFor(target);
      copyFileSync(w.local, tmp);
      renameSync(tmp, target);
    }
    // A bundle without a data file to draw keeps no preview of an earlier page.
    if (!map) rmSync(join(root, LANDING.preview), { force: true });
    updateManifest(root, written, map ? [] : [LANDING.preview]);
    if (bundle.zip) {
      const tmpZip = tempPathFor(input.bundle);
      try {
        await zipFolder(root, tmpZip, f.asOf, { checkpoint: () => ctx.checkpoint(), progress: () => undefined });
        renameSync(tmpZip, input.bundle);
      } finally {
        rmSync(tmpZip, { force: true });
      }
    }
    ctx.progress(3, 3, 'done');
    return {
      path: input.bundle,
      zip: bundle.zip,
      files: written.map((w) => ({ path: w.path, bytes: w.bytes, sha256: w.sha256 })),
      jsonLd,
      problems: [...schemaOrgProblems(jsonLd), ...(input.hostedAt ? [] : ['no hostedAt: the JSON-LD URLs are relative to the page (Google prefers absolute URLs)'])],
      map: map ? { width: map.width, height: map.height, points: map.points, areas: map.areas, box: map.box } : null,
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    bundle.close();
  }
}
