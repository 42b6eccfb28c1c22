import { copyFileSync, existsSync, mkdirSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { tempPathFor } from '../files/atomic.js';

/**
 * The bundled demo is never modified. A command that writes to it works on its copy in
 * PASSERELLE_HOME (`workspaces/ecrins-demo.gpkg`), made on the first write; once the copy exists,
 * reads of the demo through the same commands read the copy, so that a fix, then a check, then an
 * undo see one workspace. Deleting the copy starts again from the bundled file.
 */
export function demoCopyPath(home: string, demoPath: string): string {
  return join(home, 'workspaces', basename(demoPath));
}

const same = (a: string, b: string): boolean => {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return resolve(a) === resolve(b);
  }
};

/** True when `path` names the bundled demo. */
export function isDemo(path: string, demoPath: string): boolean {
  return same(path, demoPath);
}

/** The file to read for `path`: the demo's copy when the demo is named and its copy exists. */
export function workspaceToRead(path: string, home: string, demoPath: string): string {
  if (!isDemo(path, demoPath)) return path;
  const copy = demoCopyPath(home, demoPath);
  return existsSync(copy) ? copy : path;
}

/** The file to write for `path`: the demo's copy (made now if needed) when the demo is named. */
export function workspaceToWrite(path: string, home: string, demoPath: string): string {
  if (!isDemo(path, demoPath)) return path;
  const copy = demoCopyPath(home, demoPath);
  if (!existsSync(copy)) {
    mkdirSync(join(home, 'workspaces'), { recursive: true });
    // Copied beside the target then renamed: an interrupted copy never leaves a half demo.
    const tmp = tempPathFor(copy);
    try {
      copyFileSync(demoPath, tmp);
      renameSync(tmp, copy);
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  return copy;
}
