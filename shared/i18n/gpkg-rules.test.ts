import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { corpus } from '../../test/helpers/gpkg-fixtures.js';
import { CORPUS } from '../../electron/core/gpkg/corpus.table.js';
import { openGpkgSource } from '../../electron/core/gpkg/source.js';
import { RULES } from '../../electron/core/gpkg/validate/rules.js';
import { validateGpkg } from '../../electron/core/gpkg/validate/validate.js';
import { gpkgConvertWarningsEn, gpkgConvertWarningsFr, gpkgRuleMessagesEn, gpkgRuleMessagesFr } from './gpkg-rules.js';

const ROOT = join(__dirname, '..', '..');
const VALIDATE_DIR = join(ROOT, 'electron', 'core', 'gpkg', 'validate');
const CONVERT_DIR = join(ROOT, 'electron', 'core', 'gpkg', 'convert');

/** The `{{params}}` of a template, sorted and deduplicated. */
const params = (s: string): string[] => [...new Set([...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] as string))].sort();

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

function sources(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(dir, f));
}

function visitCalls(sf: ts.SourceFile, fn: (call: ts.CallExpression, name: string) => void): void {
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const e = n.expression;
      const name = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : '';
      if (name) fn(n, name);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}

/** The string literals an expression can evaluate to (`'a'`, `c ? 'a' : 'b'`). */
function literals(e: ts.Expression | undefined): string[] {
  if (!e) return [];
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [e.text];
  if (ts.isConditionalExpression(e)) return [...literals(e.whenTrue), ...literals(e.whenFalse)];
  if (ts.isParenthesizedExpression(e)) return literals(e.expression);
  return [];
}

/** The property names of an object literal argument (`{ a: 1, b }`), or [] when there is none. */
function objectKeys(e: ts.Expression | undefined): string[] {
  if (!e || !ts.isObjectLiteralExpression(e)) return [];
  return e.properties.flatMap((p) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? [p.name.text] : []));
}

/**
 * What the validator passes to each rule, read from its calls `out.add(rule, where, params)` and
 * `out.addRow(rule, table, fid, params)`; the collector always adds `table` and `fid`.
 */
function engineRuleParams(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const file of sources(VALIDATE_DIR)) {
    visitCalls(parse(file), (call, name) => {
      if (!ts.isPropertyAccessExpression(call.expression) || (name !== 'add' && name !== 'addRow')) return;
      const ids = literals(call.arguments[0]).filter((id) => id in RULES);
      const keys = objectKeys(call.arguments[name === 'add' ? 2 : 3]);
      for (const id of ids) {
        const set = out.get(id) ?? new Set(['table', 'fid']);
        for (const k of keys) set.add(k);
        out.set(id, set);
      }
    });
  }
  // The summary of a rule's extra rows (findings.ts).
  out.set('more', new Set(['rule', 'table', 'more']));
  return out;
}

/** The conversion warnings, read from the engine's calls `warn(list, id, layer, message, params)`. */
function engineConvertWarnings(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const file of sources(CONVERT_DIR)) {
    visitCalls(parse(file), (call, name) => {
      if (name !== 'warn' || !ts.isIdentifier(call.expression)) return;
      for (const id of literals(call.arguments[1])) {
        const set = out.get(id) ?? new Set(['layer']);
        for (const k of objectKeys(call.arguments[4])) set.add(k);
        out.set(id, set);
      }
    });
  }
  return out;
}

describe('GeoPackage validator texts', () => {
  const ruleIds = [...Object.keys(RULES), 'more'].sort();

  it('every rule (and the overflow summary) has a French and an English message and fix, and nothing else', () => {
    expect(Object.keys(gpkgRuleMessagesFr).sort()).toEqual(ruleIds);
    expect(Object.keys(gpkgRuleMessagesEn).sort()).toEqual(ruleIds);
    for (const id of ruleIds) {
      for (const [lang, texts] of [['fr', gpkgRuleMessagesFr], ['en', gpkgRuleMessagesEn]] as const) {
        expect(texts[id]?.message.trim().length, `${lang} ${id}.message`).toBeGreaterThan(10);
        expect(texts[id]?.fix.trim().length, `${lang} ${id}.fix`).toBeGreaterThan(5);
      }
    }
  });

  it('French and English use the same parameters', () => {
    for (const id of ruleIds) {
      expect(params(gpkgRuleMessagesFr[id]?.message ?? ''), `${id}.message`).toEqual(params(gpkgRuleMessagesEn[id]?.message ?? ''));
      expect(params(gpkgRuleMessagesFr[id]?.fix ?? ''), `${id}.fix`).toEqual(params(gpkgRuleMessagesEn[id]?.fix ?? ''));
    }
  });

  it('templates use only parameters the engine passes for that rule', () => {
    const engine = engineRuleParams();
    // The parse found the calls: every rule is emitted somewhere.
    expect([...engine.keys()].sort()).toEqual(ruleIds);
    for (const id of ruleIds) {
      const allowed = [...(engine.get(id) ?? [])];
      for (const texts of [gpkgRuleMessagesFr, gpkgRuleMessagesEn]) {
        const used = [...params(texts[id]?.message ?? ''), ...params(texts[id]?.fix ?? '')];
        for (const p of used) expect(allowed, `${id} uses {{${p}}}`).toContain(p);
      }
    }
  });

  it('findings of real GeoPackages fill every parameter of their texts', async () => {
    // Every file of the corpus that opens: together they trigger most rules.
    const files = CORPUS.filter((c) => c.error === null).map((c) => c.file);
    const seen = new Set<string>();
    for (const file of files) {
      const src = openGpkgSource(corpus(file));
      try {
        // maxPerRule 1 so that row rules also produce their `more` summary.
        const report = await validateGpkg(src, { geometry: true, maxPerRule: 1 });
        for (const f of report.findings) {
          const id = f.key.replace(/^gpkg\.rule\./, '');
          seen.add(id);
          expect(f.key, f.rule).toBe(`gpkg.rule.${id}`);
          for (const texts of [gpkgRuleMessagesFr, gpkgRuleMessagesEn]) {
            const t = texts[id];
            expect(t, `${file}: ${f.key}`).toBeDefined();
            for (const p of [...params(t?.message ?? ''), ...params(t?.fix ?? '')]) expect(f.params[p], `${file}: ${f.key} {{${p}}}`).not.toBeUndefined();
          }
        }
      } finally {
        src.close();
      }
    }
    expect(seen.has('more')).toBe(true);
    expect(seen.size).toBeGreaterThan(15);
  }, 120_000);
});

describe('conversion warnings', () => {
  const engine = engineConvertWarnings();

  it('every warning the converter emits has a French and an English text, and nothing else', () => {
    expect(engine.size).toBeGreaterThan(3);
    const ids = [...engine.keys()].sort();
    expect(Object.keys(gpkgConvertWarningsFr).sort()).toEqual(ids);
    expect(Object.keys(gpkgConvertWarningsEn).sort()).toEqual(ids);
  });

  it('both languages use the same parameters, all passed by the engine', () => {
    for (const [id, allowed] of engine) {
      const fr = params(gpkgConvertWarningsFr[id] ?? '');
      expect(fr, id).toEqual(params(gpkgConvertWarningsEn[id] ?? ''));
      for (const p of fr) expect([...allowed], `${id} uses {{${p}}}`).toContain(p);
    }
  });
});
