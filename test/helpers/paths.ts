import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared real-data folder (../shared/data), overridable with PASSERELLE_SHARED_DATA. */
export const SHARED_DATA = resolve(process.env.PASSERELLE_SHARED_DATA ?? join(ROOT, '..', 'shared', 'data'));

/** Where tests write artifacts a human looks at (screenshots). Ignored by git. */
export function artifactsDir(group: string): string {
  const dir = join(ROOT, 'test-results', group);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The bundled demo workspace. */
export const DEMO = join(ROOT, 'resources', 'demo', 'ecrins-demo.gpkg');
