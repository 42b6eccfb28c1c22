import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { checkTask } from './check.js';
import { fixTask, history, undoTask } from './fix.js';
import { DEMO, demoCopy, jobContext } from '../../../test/helpers/cleanup.js';

/** Every value of every observation with its SQLite type, as bytes (hex): what "exactly" means. */
function dump(path: string, table = 'observations'): Map<number, string> {
  const db = new Database(path, { readonly: true });
  try {
    // The demo's own columns (opening it for writing migrates it, which adds empty columns).
    const demo = new Database(DEMO, { readonly: true });
    const cols = (demo.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
    demo.close();
    const sql = `SELECT fid, ${cols.map((c) => `typeof("${c}") || ':' || coalesce(hex("${c}"), 'NULL')`).join(" || '|' || ")} AS v FROM ${table} ORDER BY fid`;
    return new Map((db.prepare(sql).all() as Array<{ fid: number; v: string }>).map((r) => [r.fid, r.v]));
  } finally {
    db.close();
  }
}

const digest = (m: Map<number, string>) => createHash('sha256').update([...m].map(([k, v]) => `${k}=${v}`).join('\n')).digest('hex');

describe('the Écrins observations (bundled demo)', () => {
  it('check finds the 258 broken observer names (and the determiners and comments) without touching the demo', async () => {
    const before = createHash('sha256').update(readFileSync(DEMO)).digest('hex');
    const home = dirname(demoCopy());
    const r = await checkTask({ workspace: DEMO, params: { minYear: 1850, departements: [], duplicateToleranceM: 10, today: '2026-01-01' }, samples: 3, home }, jobContext());
    expect(createHash('sha256').update(readFileSync(DEMO)).digest('hex')).toBe(before);
    expect(r.observations).toBe(991);
    const moji = r.groups.find((g) => g.check === 'encoding.mojibake');
    expect(moji?.count).toBe(258 + 258 + 37);
    expect(r.clean).toBe(false);
    expect(r.territory.departements).toEqual(['05', '38']);
    // Taxa are not checked without a taxonomy: said, not silently skipped.
    expect(r.skipped.map((s) => s.check)).toContain('taxon.unknown-code');
  });

  it('repairing mojibake in observers changes exactly 258 names to the right ones, and nothing else', async () => {
    const ws = demoCopy();
    const before = dump(ws);
    const preview = await fixTask({ workspace: ws, fix: { kind: 'repair-mojibake', fields: ['observers'] }, dryRun: true, offset: 0, limit: 1000, actor: 't' }, jobContext());
    expect(preview.rowsChanged).toBe(258);
    expect(preview.changes).toHaveLength(258);
    expect(dump(ws)).toEqual(before);

    const applied = await fixTask({ workspace: ws, fix: { kind: 'repair-mojibake', fields: ['observers'] }, dryRun: false, offset: 0, limit: 0, actor: 't' }, jobContext());
    expect(applied.fixId).not.toBeNull();
    expect(applied.valuesChanged).toBe(258);
    const db = new Database(ws, { readonly: true });
    const names = new Set(
      (db.prepare('SELECT observers FROM observations').pluck().all() as string[]).flatMap((o) => o.split(', ')).filter((n) => /[^\x20-\x7e]/.test(n)),
    );
    expect([...names].sort()).toEqual([
      'Foret Jérôme',
      'Goulet Frédéric',
      'Jordana Régis',
      'Lefrançois Olivier',
      'Lombard Jean-François',
      'Magnolon Séverine',
      'Nicolas Marie-Geneviève',
      'Cortot Hervé',
      'Varreau Hervé',
    ].sort());
    expect(db.prepare("SELECT count(*) FROM passerelle_audit WHERE action = 'clean.fix.repair-mojibake'").pluck().get()).toBe(258);
    const audit = JSON.parse(db.prepare("SELECT before_json FROM passerelle_audit WHERE action = 'clean.fix.repair-mojibake' ORDER BY id LIMIT 1").pluck().get() as string) as Record<string, unknown>;
    expect(audit).toEqual({ fid: 1, observers: 'Nicolas Marie-GeneviÃ¨ve' });
    db.close();

    // Nothing else changed: every other column of every row, and the 733 other rows, byte for byte.
    const after = dump(ws);
    let changedRows = 0;
    for (const [fid, v] of before) {
      if (after.get(fid) === v) continue;
      changedRows++;
      const a = (after.get(fid) as string).split('|');
      const b = v.split('|');
      const diff = a.map((x, i) => (x === b[i] ? -1 : i)).filter((i) => i >= 0);
      expect(diff, `fid ${fid}`).toHaveLength(1);
    }
    expect(changedRows).toBe(258);

    // Undo restores exactly.
    const undo = await undoTask({ workspace: ws, actor: 't' }, jobContext());
    expect(undo.rowsRestored).toBe(258);
    expect(digest(dump(ws))).toBe(digest(before));
    const db2 = new Database(ws, { readonly: true });
    expect(history(db2)[0]).toMatchObject({ kind: 'fix', what: 'repair-mojibake', undone: true });
    db2.close();
    // Nothing left to undo.
    expect((await undoTask({ workspace: ws, actor: 't' }, jobContext())).undone).toBeNull();
  });

  it('repairing every text field also mends the determiners and the comments ("à préciser")', async () => {
    const ws = demoCopy();
    const r = await fixTask({ workspace: ws, fix: { kind: 'repair-mojibake' }, dryRun: false, offset: 0, limit: 5000, actor: 't' }, jobContext());
    expect(r.byField).toEqual([
      { field: 'observers', count: 258 },
      { field: 'determiner', count: 258 },
      { field: 'comment_description', count: 37 },
    ]);
    expect(r.changes.find((c) => c.field === 'comment_description' && String(c.before).startsWith('Enregistrement'))?.after).toBe('Enregistrement à préciser');
    const check = await checkTask({ workspace: ws, params: { checks: ['encoding.mojibake'], minYear: 1850, departements: [], duplicateToleranceM: 10 }, samples: 0, home: dirname(ws) }, jobContext());
    expect(check.groups).toEqual([]);
  });
});
