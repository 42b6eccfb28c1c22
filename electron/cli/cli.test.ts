import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../test/helpers/paths.js';

/** The real `passerelle` command, as a user or a script runs it (built by the test command). */
function passerelle(args: string[], env: NodeJS.ProcessEnv = {}) {
  const bin = join(ROOT, 'bin', 'passerelle.js');
  if (!existsSync(join(ROOT, 'dist', 'electron', 'cli', 'main.js'))) throw new Error('The CLI is not built: run `npm run build`.');
  const home = mkdtempSync(join(tmpdir(), 'passerelle-cli-'));
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, PASSERELLE_HOME: home, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('passerelle CLI', () => {
  it('demo prints the summary of the bundled demo', () => {
    const r = passerelle(['demo']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Observations  991');
    expect(r.stdout).toContain('2000-01-10 → 2017-10-02');
    expect(r.stdout).toMatch(/Taxa\s+253/);
    expect(r.stdout).toContain('Datasets (JDD)  1');
    expect(r.stdout).toMatch(/Extent \(WGS 84, lon\/lat\)\s+5\.\d+ 44\.\d+ → 6\.\d+ 45\.\d+/);
    // Progress goes to stderr, never into the result.
    expect(r.stderr).toContain('progress workspace.summary');
  });

  it('--json gives the Result envelope', () => {
    const r = passerelle(['--json', '--quiet', 'demo', '-w', 'demo']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { ok: boolean; value: { observations: { count: number } } };
    expect(j.ok).toBe(true);
    expect(j.value.observations.count).toBe(991);
    expect(r.stderr).toBe('');
  });

  it('PASSERELLE_WORKSPACE selects the workspace', () => {
    const r = passerelle(['--json', 'demo'], { PASSERELLE_WORKSPACE: '/nonexistent/espace.gpkg' });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', details: { where: '/nonexistent/espace.gpkg' } } });
  });

  it('exit code 2 with a sentence for unreadable input', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'passerelle-cli-')), 'faux.gpkg');
    writeFileSync(f, 'pas un gpkg');
    const r = passerelle(['demo', '-w', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('NOT_SQLITE');
    expect(r.stderr).toContain(f);
  });

  it('exit code 2 for an unknown command or option', () => {
    expect(passerelle(['nosuch']).code).toBe(2);
    expect(passerelle(['demo', '--nope']).code).toBe(2);
  });

  it('info prints library versions and the database status', () => {
    const r = passerelle(['info']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/GDAL\s+\d+\.\d+/);
    expect(r.stdout).toMatch(/SQLite\s+3\./);
    expect(r.stdout).toMatch(/PostgreSQL\s+\S+:/);
  });

  it('--help lists the command groups', () => {
    const r = passerelle(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('demo');
    expect(r.stdout).toContain('info');
  });
});
