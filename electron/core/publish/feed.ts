import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { FeedResult } from '../../../shared/contract/schemas/publish.js';
import { feedDataset, mergeFeed, resolveUrl } from '../../../shared/publish/dcat-feed.js';
import { AppError } from '../errors.js';
import { writeAtomically } from '../files/atomic.js';
import type { JobContext } from '../jobs/context.js';
import { readHistory } from './history.js';
import { openBundle, readBundleInfo, readManifest } from './bundle-files.js';
import { LANDING } from './landing.js';

/**
 * Adds a bundle's DCAT dataset to the park's DCAT catalogue file (JSON-LD), or replaces the
 * previous version of it there. Download URLs are made absolute under `hostedAt`; with the
 * workspace, the pages of the public datasets it became (data.gouv.fr…) are added as landing pages.
 */
export async function feedTask(input: { bundle: string; out: string; hostedAt: string; title: string | null; workspace: string | null }, ctx: JobContext): Promise<FeedResult> {
  const bundle = openBundle(input.bundle);
  try {
    ctx.progress(0, 1, 'feed');
    const info = readBundleInfo(bundle.root, input.bundle);
    if (!info.dcat) {
      throw new AppError('INVALID_INPUT', `${input.bundle} has no DCAT record (metadata/dcat.jsonld): build it with the dcat metadata format`, {
        key: 'errors.PUBLISH_NO_DCAT',
        params: { path: input.bundle },
        where: input.bundle,
      });
    }
    const manifest = readManifest(bundle.root);
    const sizes = new Map([...manifest].map(([p, sha256]) => [p, { sha256, bytes: statSync(`${bundle.root}/${p}`).size }]));
    const pages = input.workspace
      ? readHistory(input.workspace, info.facts.id)
          .filter((t) => t.visibility === 'public' && t.page)
          .map((t) => t.page as string)
      : [];
    const dataset = feedDataset({ dcat: info.dcat, hostedAt: input.hostedAt, version: info.facts.version, landingPage: manifest.has(LANDING.html), checksums: sizes, portalPages: pages });
    let existing: Record<string, unknown> | null = null;
    if (existsSync(input.out)) {
      try {
        existing = JSON.parse(readFileSync(input.out, 'utf8')) as Record<string, unknown>;
      } catch (e) {
        throw new AppError('CORRUPT', `${input.out} is not a JSON-LD feed: ${e instanceof Error ? e.message : String(e)}`, { key: 'errors.PUBLISH_FEED_UNREADABLE', params: { path: input.out }, where: input.out });
      }
    }
    const previousCatalog = ((existing?.['@graph'] as Record<string, unknown>[] | undefined) ?? []).find((n) => n['@type'] === 'dcat:Catalog');
    const previousTitle = typeof previousCatalog?.['dct:title'] === 'string' ? (previousCatalog['dct:title'] as string) : null;
    const feed = mergeFeed(existing, dataset, {
      id: typeof previousCatalog?.['@id'] === 'string' ? (previousCatalog['@id'] as string) : resolveUrl(input.hostedAt, basename(input.out)),
      title: input.title ?? previousTitle ?? info.publisher?.name ?? info.facts.title,
      publisher: info.publisher?.name ?? null,
      homepage: info.publisher?.url ?? null,
      modified: info.facts.asOf.slice(0, 10),
    });
    const graph = feed['@graph'] as Record<string, unknown>[];
    await writeAtomically(input.out, (tmp) => writeFileSync(tmp, JSON.stringify(feed, null, 2) + '\n'));
    ctx.progress(1, 1, 'done');
    return { path: input.out, datasetId: String(dataset['@id']), datasets: graph.filter((n) => n['@type'] === 'dcat:Dataset').length };
  } finally {
    bundle.close();
  }
}
