#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.{mjs,js,ts} in its own process, one after the
// other (benchmarks compete for the same 2 cores), and prints what each reports.
// TypeScript benches run through tsx. Benchmarks measure; they never fail on a time.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => /\.bench\.(mjs|js|ts)$/.test(f))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
if (files.length === 0) {
  process.stderr.write('bench: no bench/*.bench.* file matches\n');
  process.exit(2);
}
let failed = 0;
for (const f of files) {
  process.stdout.write(`\n=== ${f} ===\n`);
  const args = f.endsWith('.ts') ? ['--import', 'tsx', join(here, f)] : [join(here, f)];
  const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: join(here, '..') });
  if (r.status !== 0) {
    failed++;
    process.stdout.write(`${f} exited with ${r.status ?? r.signal}\n`);
  }
}
process.exit(failed ? 1 : 0);
