import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../contract/errors.js';
import { errorMessagesEn, errorMessagesFr } from './errors.js';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' ? [] : sources(p);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('error messages', () => {
  it('every error code has a French and an English message', () => {
    for (const code of ERROR_CODES) {
      expect(errorMessagesFr[code], `fr ${code}`).toBeTruthy();
      expect(errorMessagesEn[code], `en ${code}`).toBeTruthy();
    }
  });

  it('both languages have the same keys and the same parameters', () => {
    expect(Object.keys(errorMessagesFr).sort()).toEqual(Object.keys(errorMessagesEn).sort());
    const params = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(errorMessagesFr)) expect(params(errorMessagesFr[k] ?? ''), k).toEqual(params(errorMessagesEn[k] ?? ''));
  });

  it('every errors.* key the code uses has a message', () => {
    const used = new Set<string>();
    for (const dir of ['electron', 'shared', 'renderer/src']) {
      for (const f of sources(join(ROOT, dir))) {
        for (const m of readFileSync(f, 'utf8').matchAll(/['"`]errors\.([A-Z0-9_]+)['"`]/g)) used.add(m[1] as string);
      }
    }
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used].filter((k) => !(k in errorMessagesFr) || !(k in errorMessagesEn));
    expect(missing).toEqual([]);
  });
});
