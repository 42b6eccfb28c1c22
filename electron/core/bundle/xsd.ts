import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resourcesDir } from '../paths.js';

/**
 * Validating the bundle's XML against the official schemas with xmllint, offline (`--nonet`:
 * xmllint fails rather than fetch anything).
 *
 * The schemas are looked for in PASSERELLE_SCHEMAS, then `resources/schemas` (shipped with the
 * app, CREDITS.md there). Without xmllint or the schemas the gate cannot prove the metadata valid
 * and says so: it fails, it does not pass by default.
 */

/** Entry points of the schemas, relative to the schemas folder. */
const ENTRY = {
  eml: join('eml-2.2.0', 'eml.xsd'),
  iso19139: join('iso19139', 'ogc', 'iso', '19139', '20070417', 'gmd', 'gmd.xsd'),
} as const;
export type XsdName = keyof typeof ENTRY;

/** The schemas folder, or null when none is found. */
export function schemasDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates: string[] = [];
  if (env.PASSERELLE_SCHEMAS) candidates.push(env.PASSERELLE_SCHEMAS);
  try {
    candidates.push(join(resourcesDir(env), 'schemas'));
  } catch {
    // no app root: only the environment variable
  }
  return candidates.find((d) => existsSync(join(d, ENTRY.eml)) && existsSync(join(d, ENTRY.iso19139))) ?? null;
}

/** xmllint's verdict on one document. */
export type XsdResult = { ok: true } | { ok: false; reason: string; unavailable: boolean };

let xmllintChecked: boolean | null = null;

function hasXmllint(): boolean {
  if (xmllintChecked === null) {
    const probe = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
    xmllintChecked = !probe.error && probe.status === 0;
  }
  return xmllintChecked;
}

/** Validates a file against one of the schemas (or only for well-formedness when `schema` is null). */
export function validateXml(file: string, schema: XsdName | null): XsdResult {
  if (!hasXmllint()) return { ok: false, reason: 'xmllint is not installed (Debian package libxml2-utils)', unavailable: true };
  const args = ['--noout', '--nonet'];
  if (schema) {
    const dir = schemasDir();
    if (!dir) return { ok: false, reason: 'the XML schemas are not found (PASSERELLE_SCHEMAS, resources/schemas)', unavailable: true };
    args.push('--schema', join(dir, ENTRY[schema]));
  }
  const run = spawnSync('xmllint', [...args, file], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status === 0) return { ok: true };
  const text = `${run.stdout ?? ''}${run.stderr ?? ''}`
    .split('\n')
    .filter((l) => l.trim() !== '' && !/validates$/.test(l))
    .slice(0, 3)
    .join(' | ');
  return { ok: false, reason: text || `xmllint exited with ${run.status}`, unavailable: false };
}
