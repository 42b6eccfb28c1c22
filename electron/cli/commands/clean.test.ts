import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPasserelle } from '../../../test/helpers/cli.js';
import { DEMO, ROOT } from '../../../test/helpers/paths.js';

/**
 * `passerelle clean …` as a user runs it (the built command), against the bundled demo: the demo
 * is never modified, writes go to its copy in PASSERELLE_HOME.
 */
const passerelle = (args: string[], home: string) => runPasserelle(args, { ...process.env, PASSERELLE_HOME: home });

const demoBytes = () => readFileSync(DEMO);

describe('passerelle clean', () => {
  it('check --json: findings grouped by check with counts, exit 1 on defects; fix, undo on the demo’s copy', () => {
    const home = mkdtempSync(join(tmpdir(), 'passerelle-clean-cli-'));
    const before = demoBytes();
    const check = passerelle(['--json', '-q', 'clean', 'check', '-w', 'demo', '--samples', '1'], home);
    expect(check.code).toBe(1);
    const report = JSON.parse(check.stdout) as { ok: true; value: { groups: Array<{ check: string; count: number; rows: number }>; runId: string } };
    expect(report.value.groups.find((g) => g.check === 'encoding.mojibake')).toMatchObject({ count: 553, rows: 293 });

    const dry = passerelle(['-q', 'clean', 'fix', 'repair-mojibake', '--field', 'observers', '-w', 'demo', '--dry-run', '--limit', '2'], home);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('would change 258 value(s) in 258 row(s)');
    expect(dry.stdout).toContain('"Nicolas Marie-Geneviève"');
    expect(existsSync(join(home, 'workspaces', 'ecrins-demo.gpkg'))).toBe(false);

    const fix = passerelle(['--json', '-q', 'clean', 'fix', 'repair-mojibake', '--field', 'observers', '-w', 'demo'], home);
    expect(fix.code).toBe(0);
    const fixed = JSON.parse(fix.stdout) as { value: { workspace: string; fixId: number } };
    expect(fixed.value.workspace).toBe(join(home, 'workspaces', 'ecrins-demo.gpkg'));
    expect(Buffer.compare(demoBytes(), before)).toBe(0);

    // The copy is what later commands on "demo" see.
    const again = passerelle(['--json', '-q', 'clean', 'check', '-w', 'demo', '-c', 'encoding.mojibake'], home);
    expect((JSON.parse(again.stdout) as typeof report).value.groups[0]).toMatchObject({ count: 258 + 37 });
    const hist = passerelle(['-q', 'clean', 'history', '-w', 'demo'], home);
    expect(hist.stdout).toContain('clean-fix:1');

    const undo = passerelle(['-q', 'clean', 'undo', '-w', 'demo'], home);
    expect(undo.code).toBe(0);
    expect(undo.stdout).toContain('258 row(s) restored');
    const last = passerelle(['--json', '-q', 'clean', 'check', '-w', 'demo', '-c', 'encoding.mojibake'], home);
    expect((JSON.parse(last.stdout) as typeof report).value.groups[0]).toMatchObject({ count: 553 });
    expect(Buffer.compare(demoBytes(), before)).toBe(0);
  });

  it('import, findings, export-geonature; bad input exits 2', () => {
    const home = mkdtempSync(join(tmpdir(), 'passerelle-clean-cli-'));
    const ws = join(home, 'legacy.gpkg');
    const csv = join(ROOT, 'test', 'fixtures', 'cleanup', 'legacy-ecrins.csv');
    const imp = passerelle(
      ['-q', 'clean', 'import', csv, '-w', ws, '--create', '--set', 'nom_cite=espece', '--set', 'date_min=date', '--set', 'observers=observateurs', '--set', 'cd_nom=cd_nom', '--x', 'x', '--y', 'y', '--const', 'dataset_uuid=5b2f4a0e-7c1d-4e8a-9f3b-2d6c8e1a4b70', '--save-mapping', 'legacy'],
      home,
    );
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toContain('read 14, imported 12, set aside 2');
    expect(imp.stdout).toContain('mapping saved as "legacy"');
    const rejected = passerelle(['-q', 'clean', 'rejected', '-w', ws], home);
    expect(rejected.stdout).toContain('2 row(s) set aside');
    const check = passerelle(['--json', '-q', 'clean', 'check', '-w', ws, '--taxonomy', join(ROOT, 'test', 'fixtures', 'cleanup', 'taxonomy-pne-test.csv')], home);
    expect(check.code).toBe(1);
    const runId = (JSON.parse(check.stdout) as { value: { runId: string } }).value.runId;
    const findings = passerelle(['-q', 'clean', 'findings', '-w', ws, '--run', runId, '-c', 'geometry.projected'], home);
    expect(findings.stdout).toContain('1 finding(s)');
    expect(findings.stdout).toContain('reproject');
    const out = join(home, 'out.csv');
    const exp = passerelle(['-q', 'clean', 'export-geonature', '-w', ws, '-o', out], home);
    expect(exp.code).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toMatch(/^id_synthese;id_origine;comment_releve;/);
    // Saved mapping reused by name.
    const again = passerelle(['-q', 'clean', 'import', csv, '-w', ws, '-m', 'legacy'], home);
    expect(again.stdout).toContain('imported 12');
    expect(passerelle(['-q', 'clean', 'fix', 'reproject', '-w', ws], home).code).toBe(2);
    expect(passerelle(['-q', 'clean', 'import', join(home, 'nope.csv'), '-w', ws], home).code).toBe(2);
  });
});
