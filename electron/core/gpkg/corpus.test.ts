import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, corpus, listing, sha256 } from '../../../test/helpers/gpkg-fixtures.js';
import { isAppError } from '../errors.js';
import { CORPUS } from './corpus.table.js';
import { inspectGpkg } from './inspect.js';
import { openGpkgSource } from './source.js';
import { validateGpkg } from './validate/validate.js';
import { RULES } from './validate/rules.js';

describe('the corpus of real GeoPackages', () => {
  it('the table covers every file of the folder, and only those', () => {
    const files = readdirSync(CORPUS_DIR).filter((f) => /\.gpkg(\.sql)?$/.test(f)).sort();
    expect(CORPUS.map((c) => c.file).sort()).toEqual(files);
    expect(files.length).toBe(36);
  });

  it('names only rules the validator has', () => {
    for (const c of CORPUS) for (const r of c.rules ?? []) expect(Object.keys(RULES)).toContain(r);
  });

  it.each(CORPUS.map((c) => [c.file, c] as const))('%s', async (_name, c) => {
    const path = corpus(c.file);
    const before = sha256(path);
    const filesBefore = listing(CORPUS_DIR);
    try {
      if (c.error) {
        let caught: unknown = null;
        try {
          openGpkgSource(path).close();
        } catch (e) {
          caught = e;
        }
        expect(isAppError(caught, c.error), `${c.file} should fail with ${c.error}, got ${String(caught)}`).toBe(true);
        // The message says what and where.
        expect((caught as Error).message).toContain(path);
        return;
      }
      const src = openGpkgSource(path);
      try {
        const info = inspectGpkg(src);
        if (c.layers !== undefined) expect(info.layers).toHaveLength(c.layers);
        for (const l of info.layers) if (l.exists && (l.kind === 'features' || l.kind === 'attributes')) expect(l.count).not.toBeNull();
        const report = await validateGpkg(src, { geometry: true, maxPerRule: 20 });
        const found = new Set(report.findings.map((f) => f.rule));
        for (const r of c.rules ?? []) expect([...found], `${c.file} must report ${r}`).toContain(r);
        if (c.clean !== undefined) expect(report.clean, JSON.stringify(report.findings.filter((f) => f.severity !== 'info').slice(0, 3))).toBe(c.clean);
        for (const f of report.findings) {
          expect(f.message.length).toBeGreaterThan(10);
          expect(f.fix.length).toBeGreaterThan(5);
        }
      } finally {
        src.close();
      }
    } finally {
      expect(sha256(path)).toBe(before);
      expect(listing(CORPUS_DIR)).toEqual(filesBefore);
    }
  });
});
