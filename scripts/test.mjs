#!/usr/bin/env node
// The test command (`npm test`): type-check, lint, build what the end-to-end tests serve,
// then each test group in turn, and a table of how many tests ran in each.
// With CI=true a missing PostgreSQL/PostGIS or Chromium fails the run with a clear message.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'test-results');
mkdirSync(out, { recursive: true });
const ci = process.env.CI === 'true' || process.env.CI === '1';
const only = process.argv.slice(2); // e.g. `npm test -- unit e2e`

function run(label, cmd, args, opts = {}) {
  process.stderr.write(`\n▶ ${label}: ${cmd} ${args.join(' ')}\n`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...opts.env } });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  process.stderr.write(`  ${label} ${r.status === 0 ? 'ok' : 'FAILED'} in ${seconds} s\n`);
  return { ok: r.status === 0, seconds };
}

const steps = [];
const fail = (msg) => {
  process.stderr.write(`\n✖ ${msg}\n`);
  process.exitCode = 1;
};

// Services the integration and end-to-end groups need: checked first so a missing one says so plainly.
function preflight() {
  const problems = [];
  const pg = spawnSync('pg_isready', ['-h', process.env.PGHOST ?? '127.0.0.1', '-p', process.env.PGPORT ?? '5432'], { encoding: 'utf8' });
  if (pg.status !== 0) problems.push('PostgreSQL is not accepting connections on 127.0.0.1:5432 (run scripts/system-deps.sh, which starts it).');
  const postgis = spawnSync('psql', ['-h', process.env.PGHOST ?? '127.0.0.1', '-U', process.env.PGUSER ?? 'postgres', '-d', 'postgres', '-tAc', "select default_version from pg_available_extensions where name = 'postgis'"], { encoding: 'utf8' });
  if (pg.status === 0 && !(postgis.stdout ?? '').trim()) problems.push('PostGIS is not installed for the running PostgreSQL (apt-get install postgresql-15-postgis-3).');
  const chromium = process.env.PASSERELLE_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) problems.push(`Chromium is not installed at ${chromium} (apt-get install chromium).`);
  for (const p of problems) process.stderr.write(`  ${ci ? '✖' : '!'} ${p}\n`);
  return problems;
}

const problems = preflight();
if (ci && problems.length > 0) {
  fail('Required services are missing (CI=true: nothing is skipped).');
  process.exit(1);
}

const wanted = (g) => only.length === 0 || only.includes(g);

steps.push(['type-check', run('type-check', 'npx', ['tsc', '-b', 'tsconfig.json'])]);
steps.push(['lint', run('lint', 'npx', ['eslint', '--max-warnings', '0', '.'])]);
if (wanted('e2e')) {
  steps.push(['build preload', run('build preload', 'node', ['scripts/build-preload.mjs'])]);
  steps.push(['build renderer', run('build renderer', 'npx', ['vite', 'build', '--logLevel', 'warn', '--config', 'renderer/vite.config.ts'])]);
}

const groups = [
  { name: 'unit', projects: ['unit', 'renderer'] },
  { name: 'integration', projects: ['integration'] },
  { name: 'e2e', projects: ['e2e'] },
];
const counts = [];
for (const g of groups) {
  if (!wanted(g.name)) continue;
  const report = join(out, `vitest-${g.name}.json`);
  rmSync(report, { force: true });
  const args = ['vitest', 'run', ...g.projects.flatMap((p) => ['--project', p]), '--reporter=default', '--reporter=json', `--outputFile.json=${report}`];
  const r = run(`tests: ${g.name}`, 'npx', args);
  steps.push([`tests: ${g.name}`, r]);
  let c = { group: g.name, files: 0, tests: 0, passed: 0, failed: 0, skipped: 0, seconds: r.seconds };
  if (existsSync(report)) {
    const j = JSON.parse(readFileSync(report, 'utf8'));
    c = {
      ...c,
      files: j.numTotalTestSuites !== undefined ? j.testResults.length : 0,
      tests: j.numTotalTests,
      passed: j.numPassedTests,
      failed: j.numFailedTests,
      skipped: (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0),
    };
  }
  counts.push(c);
  if (c.tests === 0) fail(`The ${g.name} group ran no test.`);
  if (ci && c.skipped > 0) fail(`${c.skipped} test(s) skipped in the ${g.name} group (CI=true: nothing may be skipped).`);
}

process.stderr.write('\nTests run, by group\n');
process.stderr.write('  group         files  tests  passed  failed  skipped  seconds\n');
for (const c of counts) {
  process.stderr.write(
    `  ${c.group.padEnd(12)}  ${String(c.files).padStart(5)}  ${String(c.tests).padStart(5)}  ${String(c.passed).padStart(6)}  ${String(c.failed).padStart(6)}  ${String(c.skipped).padStart(7)}  ${String(c.seconds).padStart(7)}\n`,
  );
}
const failed = steps.filter(([, r]) => !r.ok).map(([name]) => name);
if (failed.length > 0) fail(`Failed: ${failed.join(', ')}`);
else if (!process.exitCode) process.stderr.write('\n✔ all green\n');
