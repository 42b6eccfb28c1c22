import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED_DATA } from './paths.js';

/** The real GeoPackages of ../shared/data/geopackage (MANIFEST.md §1). */
export const CORPUS_DIR = join(SHARED_DATA, 'geopackage');

/** A corpus file by name. */
export function corpus(name: string): string {
  return join(CORPUS_DIR, name);
}

/** sha256 of a file, to prove a source was not modified. */
export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The names in a folder, sorted: to prove no side file (-wal, -shm, -journal) appeared. */
export function listing(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** A fresh temporary folder and its removal. */
export function tempDir(prefix = 'passerelle-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
