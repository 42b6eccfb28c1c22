import { demoCopyPath, isDemo, workspaceToRead, workspaceToWrite } from './demo-copy.js';

/**
 * The same helpers as `demo-copy.ts` (the one implementation: the demo's working copy is
 * `PASSERELLE_HOME/workspaces/<demo file>`), with the paths passed as one object. Kept because
 * the metadata handler uses these names; new code may use either.
 */
export interface DemoPaths {
  /** The bundled demo workspace. */
  readonly demoPath: string;
  /** PASSERELLE_HOME. */
  readonly home: string;
}

/** Where the demo's working copy lives (it may not exist yet). */
export function demoWorkingCopyPath(p: DemoPaths): string {
  return demoCopyPath(p.home, p.demoPath);
}

/** True when `path` names the bundled demo. */
export function isDemoPath(path: string, p: DemoPaths): boolean {
  return isDemo(path, p.demoPath);
}

/** The file a write to `path` goes to: the demo's working copy (made on first use) for the demo, else `path`. */
export function writableWorkspacePath(path: string, p: DemoPaths): string {
  return workspaceToWrite(path, p.home, p.demoPath);
}

/** The file a read of `path` reads: the demo's working copy when it exists, else `path`. */
export function readableWorkspacePath(path: string, p: DemoPaths): string {
  return workspaceToRead(path, p.home, p.demoPath);
}
