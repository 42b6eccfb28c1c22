/**
 * `passerelle metadata …` as a user runs it: a child process running the CLI's entry point on the
 * bundled demo (through its working copy) and on a copy of it; exit codes, --json envelopes,
 * human output. The built command (test/helpers/cli.ts).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateWithXsd } from '../../test/fixtures/metadata/xmllint.js';
import { runPasserelle } from '../../test/helpers/cli.js';
import { DEMO } from '../../test/helpers/paths.js';
import { demoCopyPath } from '../core/workspace/demo-copy.js';

const home = mkdtempSync(join(tmpdir(), 'passerelle-mdcli-'));
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const passerelle = (args: string[]) => runPasserelle(args, { ...process.env, PASSERELLE_HOME: home });

describe('passerelle metadata (CLI)', () => {
  const demoSha = sha(DEMO);

  it('validate lists each error with its field, rule and fix, and exits 1', () => {
    const r = passerelle(['-q', 'metadata', 'validate', '-w', 'demo', '--lang', 'en']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('ERROR actors (contact.missing): "JDD actors": no actor has the role "Main contact"');
    expect(r.stdout).toContain('→ Add an actor with the role "Main contact"');
    expect(r.stdout).toContain('INVALID: 11 error(s), 0 warning(s) (nomenclatures: builtin)');
    const json = passerelle(['--json', '-q', 'metadata', 'validate', '-w', 'demo']);
    expect(json.code, json.stderr).toBe(1);
    expect((JSON.parse(json.stdout) as { ok: boolean; value: { errors: number } }).value.errors).toBe(11);
  });

  it('split previews with --dry-run, applies on the demo’s working copy, list shows it, undo reverts it; the bundled demo is untouched', () => {
    const dry = passerelle(['-q', 'metadata', 'split', '-w', 'demo', '--by', 'year', '--min', '100', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/new\s+2017\s+507 obs\./);
    expect(dry.stdout).toContain('Dry run: nothing was written.');
    const copy = demoCopyPath(home, DEMO);
    expect(existsSync(copy)).toBe(true);
    const applied = passerelle(['--json', '-q', 'metadata', 'split', '-w', 'demo', '--by', 'year', '--min', '100']);
    expect(applied.code, applied.stderr).toBe(0);
    const v = (JSON.parse(applied.stdout) as { value: { workspace: string; created: number; operation: { id: number } } }).value;
    expect(v).toMatchObject({ workspace: copy, created: 4 });
    const list = passerelle(['-q', 'metadata', 'list', '-w', 'demo']);
    expect(list.stdout).toContain('– 2016');
    expect(list.stdout).toContain('8 change(s) waiting for push');
    const undo = passerelle(['-q', 'metadata', 'undo', '-w', 'demo']);
    expect(undo.code).toBe(0);
    expect(undo.stdout).toMatch(/^Undone: Split/);
    const nothing = passerelle(['-q', 'metadata', 'undo', '-w', 'demo']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('passerelle: NOT_FOUND: Nothing to undo in this workspace');
    expect(sha(DEMO)).toBe(demoSha);
  });

  it('export writes an ISO 19139 record the XSD accepts; import previews; a bad option exits 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-mdcli-out-'));
    const out = join(dir, 'jdd.xml');
    const r = passerelle(['-q', 'metadata', 'export', '-w', 'demo', '-f', 'iso19139', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Wrote ${out} (iso19139`);
    expect(validateWithXsd(readFileSync(out, 'utf8'), 'iso19139').ok).toBe(true);
    const mtd = join(dir, 'set.xml');
    expect(passerelle(['-q', 'metadata', 'export', '-w', 'demo', '-f', 'mtd', '--out', mtd]).code).toBe(0);
    const ws = join(dir, 'ws.gpkg');
    copyFileSync(DEMO, ws);
    const imp = passerelle(['--json', '-q', 'metadata', 'import', mtd, '-w', ws, '--dry-run']);
    expect(imp.code, imp.stderr).toBe(0);
    expect((JSON.parse(imp.stdout) as { value: { datasets: Array<{ action: string }> } }).value.datasets.map((d) => d.action)).toEqual(['unchanged']);
    const bad = passerelle(['-q', 'metadata', 'split', '-w', ws, '--by', 'period']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--by period needs at least one --period from..to');
    expect(sha(DEMO)).toBe(demoSha);
  });
});
