import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJobContext, type JobContext } from '../../electron/core/jobs/context.js';
import { DEMO, ROOT, SHARED_DATA } from './paths.js';

/** A private copy of the bundled demo (real Écrins observations, COM/DEP areas) to write to. */
export function demoCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-clean-'));
  const path = join(dir, 'ws.gpkg');
  copyFileSync(DEMO, path);
  return path;
}

/** A job context that is never cancelled. */
export function jobContext(): JobContext {
  return createJobContext('test', new AbortController().signal, () => {});
}

export const FIXTURES = join(ROOT, 'test', 'fixtures', 'cleanup');
export const TAXONOMY = join(FIXTURES, 'taxonomy-pne-test.csv');
export const GN_IMPORT = join(SHARED_DATA, 'geonature', 'import_csv_synthese');
export const GN_CYPRESS = join(SHARED_DATA, 'geonature', 'cypress_fixtures');
export const OCCURRENCE = join(SHARED_DATA, 'occurrence');
export { DEMO, ROOT };
