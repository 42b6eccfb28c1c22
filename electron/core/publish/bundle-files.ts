import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LICENCES, LICENCE_IDS, type LicenceId } from '../../../shared/metadata/licences.js';
import type { BundleFacts } from '../../../shared/publish/udata.js';
import { AppError } from '../errors.js';
import { PATHS } from '../bundle/layout.js';
import { unzipTo } from '../bundle/zip.js';

/**
 * A bundle as publishing reads it: a folder, or a zip unpacked in a temporary folder; its facts
 * (from datapackage.json, the README, the changelog and the metadata records) and the digests of
 * its files.
 */

export interface OpenedBundle {
  /** The folder holding the bundle's files. */
  readonly root: string;
  readonly zip: boolean;
  close(): void;
}

/** Opens a bundle folder, or unpacks a zip into a temporary folder (removed by `close`). */
export function openBundle(path: string): OpenedBundle {
  if (!existsSync(path)) throw new AppError('NOT_FOUND', `No bundle at ${path}`, { key: 'errors.FILE_NOT_FOUND', params: { path }, where: path });
  if (statSync(path).isDirectory()) return { root: path, zip: false, close: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-publish-'));
  try {
    unzipTo(path, dir);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { root: dir, zip: true, close: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The digests of a file, in one pass. */
export interface Digests {
  readonly bytes: number;
  readonly sha256: string;
  readonly sha1: string;
  readonly md5: string;
}

/** SHA-256, SHA-1 and MD5 of a file (the portal may answer with any of them). */
export function digestsOf(file: string): Digests {
  const h256 = createHash('sha256');
  const h1 = createHash('sha1');
  const h5 = createHash('md5');
  const fd = openSync(file, 'r');
  let bytes = 0;
  try {
    const buf = Buffer.allocUnsafe(4 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const chunk = buf.subarray(0, n);
      h256.update(chunk);
      h1.update(chunk);
      h5.update(chunk);
      bytes += n;
    }
  } finally {
    closeSync(fd);
  }
  return { bytes, sha256: h256.digest('hex'), sha1: h1.digest('hex'), md5: h5.digest('hex') };
}

/** manifest-sha256.txt as a map (path → sha256). */
export function readManifest(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const file = join(root, PATHS.manifest);
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^([0-9a-f]{64}) {1,2}(.+)$/.exec(line);
    if (m) out.set(m[2] as string, m[1] as string);
  }
  return out;
}

const readText = (root: string, path: string): string | null => {
  const f = join(root, ...path.split('/'));
  return existsSync(f) ? readFileSync(f, 'utf8') : null;
};

const readJson = (root: string, path: string): Record<string, unknown> | null => {
  const t = readText(root, path);
  if (t === null) return null;
  try {
    return JSON.parse(t) as Record<string, unknown>;
  } catch {
    return null;
  }
};

/** Everything publishing needs to know about a bundle, and its schema.org and DCAT records. */
export interface BundleInfo {
  readonly facts: BundleFacts;
  readonly licenceId: LicenceId;
  readonly dcat: Record<string, unknown> | null;
  readonly schemaOrg: Record<string, unknown> | null;
  readonly publisher: { name: string; url: string | null } | null;
}

/** Reads a bundle's facts; a folder that is not a Passerelle bundle is refused. */
export function readBundleInfo(root: string, where: string): BundleInfo {
  const dp = readJson(root, PATHS.datapackage);
  const desc = dp?.passerelle as { bundle?: string; version?: string; asOf?: string; licence?: string } | undefined;
  if (!dp || !desc?.bundle || !desc.version || !desc.asOf) {
    throw new AppError('INVALID_INPUT', `${where} is not a Passerelle bundle (no datapackage.json with its passerelle descriptor)`, { key: 'errors.PUBLISH_NOT_A_BUNDLE', params: { path: where }, where });
  }
  const licence = (LICENCE_IDS as readonly string[]).includes(String(desc.licence)) ? (desc.licence as LicenceId) : 'etalab-2.0';
  const dcat = readJson(root, 'metadata/dcat.jsonld');
  const schemaOrg = readJson(root, 'metadata/schemaorg.jsonld');
  // Language: the schema.org record's, else DCAT's (FRA/ENG), else French.
  const lang = String(schemaOrg?.inLanguage ?? '').startsWith('en') || /ENG$/.test(String((dcat?.['dct:language'] as { '@id'?: string } | undefined)?.['@id'] ?? '')) ? 'en' : 'fr';
  // Temporal coverage and box: the DCAT record's (the published records'), else schema.org's.
  const temporalDcat = dcat?.['dct:temporal'] as Record<string, { '@value'?: string }> | undefined;
  let temporal: { start: string; end: string } | null = null;
  if (temporalDcat?.['dcat:startDate']?.['@value'] && temporalDcat['dcat:endDate']?.['@value']) {
    temporal = { start: temporalDcat['dcat:startDate']['@value'], end: temporalDcat['dcat:endDate']['@value'] };
  } else if (typeof schemaOrg?.temporalCoverage === 'string' && schemaOrg.temporalCoverage.includes('/')) {
    const [start, end] = schemaOrg.temporalCoverage.split('/') as [string, string];
    temporal = { start, end };
  }
  let bbox: BundleFacts['bbox'] = null;
  const wkt = String(((dcat?.['dct:spatial'] as Record<string, unknown> | undefined)?.['dcat:bbox'] as { '@value'?: string } | undefined)?.['@value'] ?? '');
  const nums = wkt.match(/-?\d+(\.\d+)?/g)?.map(Number) ?? [];
  if (nums.length >= 8) {
    const xs = nums.filter((_, i) => i % 2 === 0);
    const ys = nums.filter((_, i) => i % 2 === 1);
    bbox = { west: Math.min(...xs), south: Math.min(...ys), east: Math.max(...xs), north: Math.max(...ys) };
  } else {
    const box = (((schemaOrg?.spatialCoverage as Record<string, unknown> | undefined)?.geo as Record<string, unknown> | undefined)?.box as string | undefined) ?? '';
    const b = box.split(/\s+/).map(Number);
    if (b.length === 4 && b.every(Number.isFinite)) bbox = { south: b[0] as number, west: b[1] as number, north: b[2] as number, east: b[3] as number };
  }
  const iso = readText(root, 'metadata/iso19139.xml');
  const fileIdentifier = iso ? (/<gmd:fileIdentifier>\s*<gco:CharacterString>([^<]+)<\/gco:CharacterString>/.exec(iso)?.[1]?.trim() ?? null) : null;
  const contributors = (dp.contributors as { title?: string; path?: string; roles?: string[] }[] | undefined) ?? [];
  const pub = contributors.find((c) => c.roles?.includes('publisher'));
  return {
    facts: {
      id: desc.bundle,
      version: desc.version,
      asOf: desc.asOf,
      title: String(dp.title ?? desc.bundle),
      summary: String(dp.description ?? ''),
      readme: readText(root, PATHS.readme) ?? '',
      changelog: readText(root, PATHS.changelogMd) ?? '',
      keywords: Array.isArray(dp.keywords) ? (dp.keywords as unknown[]).map(String) : [],
      licence,
      language: lang,
      temporal,
      bbox,
      fileIdentifier,
    },
    licenceId: licence,
    dcat,
    schemaOrg,
    publisher: pub?.title ? { name: pub.title, url: pub.path ?? null } : null,
  };
}

/** The licence's title and URL. */
export const licenceView = (id: LicenceId, lang: 'fr' | 'en') => ({ id, title: LICENCES[id].title[lang], url: LICENCES[id].url });
