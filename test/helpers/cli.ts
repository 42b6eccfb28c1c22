import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.js';

/** The `passerelle` command as a user runs it (bin/passerelle.js → dist/, which the test command's type-check emits). */
export const BIN = join(ROOT, 'bin', 'passerelle.js');
const BUILT = join(ROOT, 'dist', 'electron', 'cli', 'main.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI in a child process. The built entry rather than the sources through tsx:
 * transpiling the whole CLI on every start cost ~1.3 s per call on our 2-core machines.
 */
export function runPasserelle(args: readonly string[], env: NodeJS.ProcessEnv): CliRun {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` (npm test's type-check emits it)`);
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env, input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
