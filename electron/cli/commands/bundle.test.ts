import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTaxonomy } from '../../../test/fixtures/bundle/fixtures.js';
import { fixture } from '../../../test/fixtures/sensitivity/fixtures.js';
import { tempDir } from '../../../test/helpers/gpkg-fixtures.js';
import { ROOT } from '../../../test/helpers/paths.js';

const tmp = tempDir('passerelle-cli-bundle-');
afterAll(() => tmp.cleanup());
const home = join(tmp.dir, 'home');
let taxonomy = '';
beforeAll(() => {
  mkdirSync(home);
  taxonomy = writeTaxonomy(tmp.dir);
});

/** The real `passerelle` command (built by the test command), as a user or a script runs it. */
function passerelle(args: string[]) {
  if (!existsSync(join(ROOT, 'dist', 'electron', 'cli', 'main.js'))) throw new Error('The CLI is not built: run `npm run build`.');
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'passerelle.js'), ...args], { encoding: 'utf8', env: { ...process.env, PASSERELLE_HOME: home } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const sources = ['-w', 'demo', '--referential', fixture('test-referential-v13.csv'), '--taxonomy', ''];
const src = () => sources.map((s) => (s === '' ? taxonomy : s));

describe('passerelle bundle', () => {
  const zip = join(tmp.dir, 'open.zip');

  it('build writes a verified open-data zip and says what it published', () => {
    const r = passerelle(['-q', 'bundle', 'build', ...src(), '--producer-agreement', 'Accord PNE (test)', '--out', zip]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/generalised to the département\s+2/);
    expect(r.stdout).toContain('Gate: PASS');
    expect(existsSync(zip)).toBe(true);
  });

  it('verify: 0 when the gate passes with the workspace, 1 when it cannot prove everything without it', () => {
    const full = passerelle(['-q', 'bundle', 'verify', zip, ...src()]);
    expect(full.code, full.stdout).toBe(0);
    const alone = passerelle(['--json', '-q', 'bundle', 'verify', zip]);
    expect(alone.code).toBe(1);
    const j = JSON.parse(alone.stdout) as { ok: true; value: { verdict: string; checks: { id: string; status: string }[] } };
    expect(j.value.verdict).toBe('incomplete');
    expect(j.value.checks.find((c) => c.id === 'leaks')?.status).toBe('skipped');
  });

  it('verify exits 1 on a tampered bundle and names the file', () => {
    const folder = join(tmp.dir, 'open-folder');
    expect(passerelle(['-q', 'bundle', 'build', ...src(), '--producer-agreement', 'Accord PNE (test)', '--out', folder]).code).toBe(0);
    appendFileSync(join(folder, 'README.md'), '\nedited\n');
    const r = passerelle(['-q', 'bundle', 'verify', folder, ...src()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+Checksums/);
    expect(r.stdout).toContain('README.md: sha256');
  });

  it('a partners bundle without its convention is refused (exit 2); with it, built', () => {
    const out = join(tmp.dir, 'partners');
    const bad = passerelle(['-q', 'bundle', 'build', ...src(), '--audience', 'partners', '--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('convention');
    const ok = passerelle(['--json', '-q', 'bundle', 'build', ...src(), '--audience', 'partners', '--convention', 'Convention 2026-17', '--out', out]);
    expect(ok.code, ok.stderr).toBe(0);
    expect((JSON.parse(ok.stdout) as { value: { counts: { precise: number } } }).value.counts.precise).toBe(991);
  });

  it('diff compares two bundles; preview and presets answer in JSON', () => {
    const d = passerelle(['--json', '-q', 'bundle', 'diff', zip, join(tmp.dir, 'open-folder')]);
    expect(d.code).toBe(0);
    const j = JSON.parse(d.stdout) as { value: { sameBundle: boolean; files: { changed: string[] }; observations: { unchanged: number } } };
    expect(j.value.sameBundle).toBe(true);
    expect(j.value.files.changed).toEqual(['README.md']);
    expect(j.value.observations.unchanged).toBe(991);
    const p = passerelle(['--json', '-q', 'bundle', 'preview', ...src(), '--producer-agreement', 'Accord PNE (test)']);
    expect(p.code).toBe(0);
    expect((JSON.parse(p.stdout) as { value: { counts: { generalised: unknown } } }).value.counts.generalised).toEqual({ commune: 1, cell: 7, departement: 2 });
    const presets = passerelle(['-q', 'bundle', 'presets']);
    expect(presets.stdout).toMatch(/opendata\s+opendata\s+built-in/);
  });
});
