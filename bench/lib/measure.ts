/**
 * What the benches share: a measure (time, peak RSS, what was done), taken either in a child
 * process of the bench itself (`<bench> phase <name> <args…>`, so that its peak RSS is its own) or
 * around a GDAL command-line tool. Not a bench itself (bench/run.mjs runs `*.bench.*` only).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Measure {
  ms: number;
  maxRssMB: number;
  detail: string;
}

/** The line a phase prints last: its time, the peak RSS of its process, and what it did. */
export function measureLine(ms: number, detail: string): string {
  return JSON.stringify({ ms, maxRssMB: process.resourceUsage().maxRSS / 1024, detail } satisfies Measure);
}

/** Runs `<script> phase <name> <args…>` in a new Node process (through tsx) and reads the measure it printed last. */
export function runPhase(script: string, name: string, args: string[] = [], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Measure {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, 'phase', name, ...args], { encoding: 'utf8', maxBuffer: 1 << 24, cwd: opts.cwd, env: opts.env });
  if (r.status !== 0) throw new Error(`phase ${name} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Measure;
}

/**
 * Runs a GDAL command-line tool, timed around the command (so with GDAL's start-up), its peak RSS
 * read from /usr/bin/time when the machine has it (NaN otherwise). What it prints is discarded
 * (`ogrinfo` prints every feature, as in `ogrinfo … > /dev/null`). `detail` defaults to the
 * command and its arguments without the paths.
 */
export function gdalTool(cmd: string, args: string[], detail = `${cmd} ${args.filter((a) => !a.startsWith('/')).join(' ')}`): Measure {
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const t0 = performance.now();
  const opts = { encoding: 'utf8' as const, stdio: ['ignore', 'ignore', 'pipe'] as Array<'ignore' | 'pipe'> };
  const r = timeBin ? spawnSync(timeBin, ['-f', '__RSS_KB=%M', cmd, ...args], opts) : spawnSync(cmd, args, opts);
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  const kb = Number(/__RSS_KB=(\d+)/.exec(r.stderr ?? '')?.[1] ?? NaN);
  return { ms, maxRssMB: kb / 1024, detail };
}

/** The faster of two takes of the same measure (`a` null: the first take), with the higher peak RSS of the two. */
export function best(a: Measure | null, b: Measure): Measure {
  if (!a) return b;
  const maxRssMB = Math.max(a.maxRssMB, b.maxRssMB);
  return b.ms < a.ms ? { ...b, maxRssMB } : { ...a, maxRssMB };
}
