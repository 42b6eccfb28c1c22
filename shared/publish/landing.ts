/**
 * The bundle's landing page (issue 9): a static `index.html` the park can put on its web site
 * with the bundle folder, with the schema.org `Dataset` JSON-LD Google Dataset Search reads
 * (standards-reference.md §5), the README, a map preview of the published geometries, the
 * licence and the download links. Pure: the engine gives the facts and writes the files.
 */
import { escapeHtml, markdownToHtml } from './markdown.js';

/** A file offered for download. */
export interface LandingFile {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly mediaType: string;
  readonly title: string;
  /** A form of the data itself (a schema.org `DataDownload`), not a document about it. */
  readonly data: boolean;
}

export interface LandingFacts {
  readonly bundleId: string;
  readonly title: string;
  /** datapackage.json's description. */
  readonly summary: string;
  readonly version: string;
  readonly asOf: string;
  readonly language: 'fr' | 'en';
  readonly licence: { readonly id: string; readonly title: string; readonly url: string };
  /** The bundle's own schema.org record (metadata/schemaorg.jsonld), when it has one. */
  readonly schemaOrg: Record<string, unknown> | null;
  readonly keywords: readonly string[];
  readonly temporal: { readonly start: string; readonly end: string } | null;
  readonly bbox: { readonly west: number; readonly south: number; readonly east: number; readonly north: number } | null;
  readonly publisher: { readonly name: string; readonly url: string | null } | null;
  readonly readme: string;
  readonly files: readonly LandingFile[];
  /** Where the bundle folder is served (`https://parc.fr/donnees/lot/`): makes the JSON-LD's URLs absolute. */
  readonly hostedAt: string | null;
  /** The map preview (its path in the bundle and size), when one could be drawn. */
  readonly image: { readonly path: string; readonly width: number; readonly height: number } | null;
}

/** Google's bounds for a Dataset description (standards-reference.md §5). */
export const DESCRIPTION_MIN = 50;
export const DESCRIPTION_MAX = 5000;

const absolute = (hostedAt: string | null, path: string): string => (hostedAt ? `${hostedAt.replace(/\/*$/, '/')}${path}` : path);

/** A description Google accepts: 50–5000 characters. */
function describe(f: LandingFacts): string {
  const own = typeof f.schemaOrg?.description === 'string' ? (f.schemaOrg.description as string).trim() : '';
  let d = own;
  if (d.length < DESCRIPTION_MIN && f.summary.trim() && !d.includes(f.summary.trim())) d = [d, f.summary.trim()].filter((s) => s).join(' ');
  if (d.length < DESCRIPTION_MIN) d = `${d} ${f.language === 'fr' ? `Lot de données ${f.title}, version ${f.version}, état au ${f.asOf.slice(0, 10)}.` : `Dataset ${f.title}, version ${f.version}, as of ${f.asOf.slice(0, 10)}.`}`.trim();
  return d.length > DESCRIPTION_MAX ? `${d.slice(0, DESCRIPTION_MAX - 1)}…` : d;
}

/**
 * The page's schema.org Dataset: the bundle's record completed with what the landing page knows
 * (version, dates, the downloads with their sizes, the preview image, the page's own URL when the
 * hosting address is given, which also makes every URL absolute).
 */
export function landingJsonLd(f: LandingFacts): Record<string, unknown> {
  const own = f.schemaOrg ?? {};
  const spatial =
    own.spatialCoverage ??
    (f.bbox ? { '@type': 'Place', geo: { '@type': 'GeoShape', box: `${f.bbox.south} ${f.bbox.west} ${f.bbox.north} ${f.bbox.east}` } } : undefined);
  const temporal = own.temporalCoverage ?? (f.temporal ? `${f.temporal.start}/${f.temporal.end}` : undefined);
  const j: Record<string, unknown> = {
    '@context': 'https://schema.org/',
    '@type': 'Dataset',
    ...(own['@id'] ? { '@id': own['@id'] } : {}),
    name: typeof own.name === 'string' && own.name ? own.name : f.title,
    description: describe(f),
    ...(own.alternateName ? { alternateName: own.alternateName } : {}),
    identifier: own.identifier ?? [`urn:uuid:${f.bundleId}`],
    version: f.version,
    dateModified: f.asOf.slice(0, 10),
    inLanguage: own.inLanguage ?? f.language,
    license: f.licence.url,
    isAccessibleForFree: true,
    ...(f.keywords.length ? { keywords: [...f.keywords] } : {}),
    ...(own.creator ? { creator: own.creator } : {}),
    ...(f.publisher
      ? { publisher: { '@type': 'Organization', name: f.publisher.name, ...(f.publisher.url ? { url: f.publisher.url } : {}) } }
      : own.publisher
        ? { publisher: own.publisher }
        : {}),
    ...(spatial ? { spatialCoverage: spatial } : {}),
    ...(temporal ? { temporalCoverage: temporal } : {}),
    ...(f.hostedAt ? { url: absolute(f.hostedAt, 'index.html') } : {}),
    ...(f.image ? { image: absolute(f.hostedAt, f.image.path) } : {}),
    distribution: f.files.filter((x) => x.data).map((x) => ({
      '@type': 'DataDownload',
      name: x.title,
      contentUrl: absolute(f.hostedAt, x.path),
      encodingFormat: x.mediaType,
      contentSize: `${x.bytes} B`,
    })),
  };
  return j;
}

/** What a schema.org Dataset for Google Dataset Search lacks (empty: nothing). */
export function schemaOrgProblems(j: Record<string, unknown>): string[] {
  const out: string[] = [];
  const ctx = j['@context'];
  if (typeof ctx !== 'string' || !/^https?:\/\/schema\.org\/?$/.test(ctx)) out.push('@context is not schema.org');
  if (j['@type'] !== 'Dataset') out.push('@type is not Dataset');
  if (typeof j.name !== 'string' || j.name.trim() === '') out.push('name is missing');
  if (typeof j.description !== 'string') out.push('description is missing');
  else if (j.description.length < DESCRIPTION_MIN || j.description.length > DESCRIPTION_MAX) out.push(`description has ${j.description.length} characters (50–5000)`);
  if (typeof j.license !== 'string' || !/^https?:\/\//.test(j.license)) out.push('license is not a URL');
  const dist = j.distribution;
  if (!Array.isArray(dist) || dist.length === 0) out.push('no distribution');
  else
    for (const d of dist as Record<string, unknown>[]) {
      if (d['@type'] !== 'DataDownload' || typeof d.contentUrl !== 'string' || typeof d.encodingFormat !== 'string') out.push(`distribution ${String(d.name ?? '?')} lacks contentUrl or encodingFormat`);
    }
  return out;
}

/** JSON for a `<script>` element: `<` escaped, so no string in it can close the element. */
export const scriptJson = (v: unknown): string => JSON.stringify(v, null, 2).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

const size = (n: number): string => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`);

/**
 * The page. Static, without any script but the JSON-LD (which browsers do not run), its own
 * content security policy, every text escaped; links are relative to the bundle folder, so the
 * folder can be served anywhere as it is.
 */
export function landingHtml(f: LandingFacts, jsonLd: Record<string, unknown>): string {
  const fr = f.language === 'fr';
  const t = (frText: string, enText: string) => (fr ? `${frText} · ${enText}` : `${enText} · ${frText}`);
  const rows = f.files
    .map(
      (x) =>
        `<tr><td><a href="${escapeHtml(x.path)}" download>${escapeHtml(x.title)}</a></td><td><code>${escapeHtml(x.path)}</code></td><td>${escapeHtml(x.mediaType)}</td><td class="n">${escapeHtml(size(x.bytes))}</td><td><code class="sha">${escapeHtml(x.sha256)}</code></td></tr>`,
    )
    .join('\n');
  const map = f.image
    ? `<figure class="map"><img src="${escapeHtml(f.image.path)}" width="${f.image.width}" height="${f.image.height}" alt="${escapeHtml(
        t('Carte des localisations publiées', 'Map of the published locations'),
      )}"><figcaption>${escapeHtml(
        fr
          ? 'Localisations publiées : points précis, et zones (commune, maille, département) des observations sensibles dégradées. Aucune localisation précise d’observation sensible.'
          : 'Published locations: precise points, and the areas (commune, grid cell, département) sensitive observations are generalised to. No precise location of a sensitive observation.',
      )}</figcaption></figure>`
    : '';
  const readme = markdownToHtml(f.readme.replace(/^# .*\n+/, ''), { headingOffset: 1 });
  return `<!DOCTYPE html>
<html lang="${f.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<title>${escapeHtml(f.title)}</title>
<meta name="description" content="${escapeHtml(String(jsonLd.description ?? f.summary))}">
<script type="application/ld+json">
${scriptJson(jsonLd)}
</script>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2a22;background:#f6f8f5;line-height:1.5}
header,main,footer{max-width:70rem;margin:0 auto;padding:1rem 1.5rem}
header{border-bottom:3px solid #2f6b3b}
h1{margin:.2rem 0;font-size:1.8rem}
.meta{color:#4b5b50;margin:0}
figure.map{margin:1rem 0;background:#fff;border:1px solid #cfd8cf;padding:.5rem}
figure.map img{max-width:100%;height:auto;display:block}
figcaption{font-size:.9rem;color:#4b5b50}
table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0 1rem}
th,td{border:1px solid #cfd8cf;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right;white-space:nowrap}
code.sha{font-size:.75rem;word-break:break-all}
section{margin:1.5rem 0}
footer{color:#4b5b50;font-size:.85rem}
</style>
</head>
<body>
<header>
<h1>${escapeHtml(f.title)}</h1>
<p class="meta">${escapeHtml(fr ? `Version ${f.version} — état au ${f.asOf}` : `Version ${f.version} — as of ${f.asOf}`)}</p>
</header>
<main>
${map}
<section id="downloads">
<h2>${escapeHtml(t('Télécharger', 'Download'))}</h2>
<table><thead><tr><th>${escapeHtml(t('Fichier', 'File'))}</th><th>${escapeHtml(t('Chemin', 'Path'))}</th><th>${escapeHtml(t('Format', 'Format'))}</th><th>${escapeHtml(t('Taille', 'Size'))}</th><th>SHA-256</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p><a href="manifest-sha256.txt">manifest-sha256.txt</a> — ${escapeHtml(t('sommes de contrôle de tous les fichiers', 'checksums of every file'))}</p>
</section>
<section id="licence">
<h2>${escapeHtml(t('Licence', 'Licence'))}</h2>
<p><a rel="license" href="${escapeHtml(f.licence.url)}">${escapeHtml(f.licence.title)}</a> (<code>${escapeHtml(f.licence.id)}</code>) — <a href="LICENCE.md">LICENCE.md</a></p>
</section>
<section id="readme">
${readme}
</section>
</main>
<footer><p>${escapeHtml(fr ? `Page produite par Passerelle pour le lot ${f.bundleId}.` : `Page made by Passerelle for bundle ${f.bundleId}.`)}</p></footer>
</body>
</html>
`;
}
