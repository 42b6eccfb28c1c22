import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpus, tempDir } from '../../../test/helpers/gpkg-fixtures.js';
import { ROOT } from '../../../test/helpers/paths.js';

const tmp = tempDir('passerelle-cli-gpkg-');
afterAll(() => tmp.cleanup());
let runs = 0;

/** The real `passerelle` command (built by the test command), as a user or a script runs it. */
function passerelle(args: string[]) {
  if (!existsSync(join(ROOT, 'dist', 'electron', 'cli', 'main.js'))) throw new Error('The CLI is not built: run `npm run build`.');
  const home = join(tmp.dir, `home-${++runs}`);
  mkdirSync(home);
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'passerelle.js'), ...args], { encoding: 'utf8', env: { ...process.env, PASSERELLE_HOME: home } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('passerelle gpkg', () => {
  it('inspect lists the layers like a GIS browser', () => {
    const r = passerelle(['-q', 'gpkg', 'inspect', corpus('ogc-ets__simple_sewer_features.gpkg')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/s_manhole\s+features\s+POINT\s+EPSG:27700\s+69/);
  });

  it('validate exits 0 for a clean file, 1 with findings, 2 when unreadable', () => {
    expect(passerelle(['-q', 'gpkg', 'validate', corpus('pdok__test_allcorrect.gpkg')]).code).toBe(0);
    const bad = passerelle(['-q', 'gpkg', 'validate', corpus('pdok__test_geometry_null.gpkg')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/WARNING geometry-null \[test_geometry_null #\d+\]/);
    const unreadable = passerelle(['-q', 'gpkg', 'validate', corpus('gdal__byte.gpkg.sql')]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain('NOT_SQLITE');
  });

  it('validate --json gives the report in the Result envelope', () => {
    const r = passerelle(['--json', '-q', 'gpkg', 'validate', corpus('pdok__test_db_views.gpkg')]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { ok: true; value: { findings: Array<{ rule: string }> } };
    expect(j.value.findings.map((f) => f.rule)).toContain('view-unregistered');
  });

  it('convert writes the destination, reprojected, and reports it', () => {
    const dest = join(tmp.dir, 'regards.geojson');
    const r = passerelle(['--json', '-q', 'gpkg', 'convert', corpus('ogc-ets__simple_sewer_features.gpkg'), dest, '--layer', 's_manhole']);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(dest, 'utf8')).features).toHaveLength(69);
    const again = passerelle(['-q', 'gpkg', 'convert', corpus('ogc-ets__simple_sewer_features.gpkg'), dest, '--layer', 's_manhole']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('CONFLICT');
  });
});
