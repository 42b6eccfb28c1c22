/**
 * `passerelle sensitivity …` as a user runs it (the built CLI in a child process) on the real
 * Écrins demo with the test referential (test/fixtures/sensitivity, TEST DATA): exit codes,
 * --json envelopes, the demo's working copy.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SensitivityCheckReport, SensitivityExplanation, SensitivityOverrideResult, SensitivityReport } from '../../../shared/contract/index.js';
import { AS_OF, fixture } from '../../../test/fixtures/sensitivity/fixtures.js';
import { DEMO, ROOT } from '../../../test/helpers/paths.js';

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

/** The real `passerelle` command (built by the test command), with its own PASSERELLE_HOME. */
function cli(home: string) {
  return (args: string[]) => {
    if (!existsSync(join(ROOT, 'dist', 'electron', 'cli', 'main.js'))) throw new Error('The CLI is not built: run `npm run build`.');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'passerelle.js'), ...args], { encoding: 'utf8', env: { ...process.env, PASSERELLE_HOME: home, PASSERELLE_WORKSPACE: '' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
}
const newHome = () => mkdtempSync(join(tmpdir(), 'passerelle-sens-cli-'));
const json = <T>(stdout: string) => JSON.parse(stdout) as { ok: true; value: T };

const V13 = fixture('test-referential-v13.csv');
const TAXONOMY = fixture('demo-taxonomy.csv');
const VULTURE = '445466b9-9582-4226-9733-30d28b52c40b';

describe('passerelle sensitivity', () => {
  it('check --referential loads and checks in one go; --json gives the counts by level and the level of every observation (exit 0)', () => {
    const before = sha(DEMO);
    const run = cli(newHome());
    const r = run(['--json', '-q', 'sensitivity', 'check', '-w', 'demo', '--referential', V13, '--taxonomy', TAXONOMY, '--as-of', AS_OF]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const v = json<SensitivityCheckReport>(r.stdout).value;
    expect(v.check.bySensitivity).toEqual([982, 1, 6, 2, 0]);
    expect(v.observations).toHaveLength(991);
    expect(v.observations?.find((o) => o.uuid === VULTURE)).toEqual({ uuid: VULTURE, sensitivityLevel: 3, blurLevel: 3 });
    expect(v.loaded.map((l) => l.referential.kind)).toEqual(['referential', 'taxonomy']);
    // The demo is untouched: the check went to its working copy.
    expect(sha(DEMO)).toBe(before);
    expect(v.workspace).not.toBe(DEMO);

    // The same workspace, read again: report and explain see that copy.
    const report = run(['--json', '-q', 'sensitivity', 'report', '-w', 'demo', '--level', '3']);
    expect(report.code).toBe(0);
    expect(json<SensitivityReport>(report.stdout).value.observations.map((o) => [o.uuid, o.rule?.id])).toContainEqual([VULTURE, 'test-referential-v13 v13:1001']);
    const human = run(['-q', 'sensitivity', 'report', '-w', 'demo']);
    expect(human.stdout).toMatch(/by level\s+0: 982 {3}1: 1 {3}2: 6 {3}3: 2 {3}4: 0/);
    expect(human.stdout).toContain('Gypaetus barbatus');
  });

  it('check exits 1 when something needs a look (here: no taxonomy, every taxon unmatched and withheld)', () => {
    const ws = join(mkdtempSync(join(tmpdir(), 'passerelle-sens-cli-ws-')), 'ecrins.gpkg');
    copyFileSync(DEMO, ws);
    const run = cli(newHome());
    const r = run(['-q', 'sensitivity', 'check', '-w', ws, '--referential', V13, '--as-of', AS_OF]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('991 unmatched taxon');
    expect(r.stdout).toContain('Unmatched taxa');
    // Adding the taxonomy clears it.
    expect(run(['-q', 'sensitivity', 'load', TAXONOMY, '-w', ws]).code).toBe(0);
    expect(run(['-q', 'sensitivity', 'check', '-w', ws, '--as-of', AS_OF]).code).toBe(0);
  });

  it('load reports bad lines with their numbers (exit 1) and refuses what is not a referential (exit 2)', () => {
    const run = cli(newHome());
    const bad = run(['-q', 'sensitivity', 'load', fixture('test-referential-v18-bad-lines.csv'), '-w', 'demo']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/bad lines\s+10/);
    expect(bad.stdout).toMatch(/line \d+: /);
    expect(run(['-q', 'sensitivity', 'load', fixture('README.md'), '-w', 'demo', '--kind', 'referential']).code).toBe(2);
    const missing = run(['--json', '-q', 'sensitivity', 'load', '/nonexistent/ref.csv', '-w', 'demo']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // -w is mandatory.
    expect(run(['sensitivity', 'check']).code).toBe(2);
  });

  it('explain and override: refused without a justification (exit 2), applied with one, the check run again', () => {
    const run = cli(newHome());
    expect(run(['-q', 'sensitivity', 'check', '-w', 'demo', '--referential', V13, '--taxonomy', TAXONOMY, '--as-of', AS_OF]).code).toBe(0);
    const explain = run(['-q', 'sensitivity', 'explain', VULTURE, '-w', 'demo']);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain('* level 3  test-referential-v13 v13:1001');
    expect(explain.stdout).toContain('period 10-01→07-31');
    expect(explain.stdout).toContain('Published: département Hautes-Alpes (05)');
    const ej = json<SensitivityExplanation>(run(['--json', '-q', 'sensitivity', 'explain', VULTURE, '-w', 'demo']).stdout).value;
    expect(ej).toMatchObject({ sensitivityLevel: 3, published: { areaType: 'DEP' } });
    expect(run(['-q', 'sensitivity', 'explain', 'no-such-uuid', '-w', 'demo']).code).toBe(2);

    const refused = run(['-q', 'sensitivity', 'override', VULTURE, '-w', 'demo', '--level', '1']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('justification');
    expect(run(['-q', 'sensitivity', 'override', VULTURE, '-w', 'demo', '--level', '9', '--why', 'Nest abandoned']).code).toBe(2);
    const ok = run(['--json', '-q', 'sensitivity', 'override', VULTURE, '-w', 'demo', '--level', '1', '--why', 'Nid abandonné depuis 2016 (visite terrain)']);
    expect(ok.code).toBe(0);
    const v = json<SensitivityOverrideResult>(ok.stdout).value;
    expect(v.override).toMatchObject({ level: 1, justification: 'Nid abandonné depuis 2016 (visite terrain)' });
    expect(v.check?.bySensitivity).toEqual([982, 2, 6, 1, 0]);
    const list = run(['-q', 'sensitivity', 'overrides', '-w', 'demo']);
    expect(list.stdout).toContain('Nid abandonné');
    const removed = run(['-q', 'sensitivity', 'override', '-w', 'demo', '--remove', v.override.id, '--why', 'Entered by mistake']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('Removed override');
    // A filter override from the shell.
    const filter = run(['--json', '-q', 'sensitivity', 'override', '-w', 'demo', '--taxon', '2645', '--level', '4', '--why', 'Aires en cours de suivi (test)']);
    expect(filter.code).toBe(0);
    expect(json<SensitivityOverrideResult>(filter.stdout).value).toMatchObject({ observations: 22, check: { bySensitivity: [966, 1, 0, 2, 22] } });
    expect(run(['-q', 'sensitivity', 'override', VULTURE, '-w', 'demo', '--taxon', '2645', '--level', '1', '--why', 'both at once']).code).toBe(2);
  });
});
