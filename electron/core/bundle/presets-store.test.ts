import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPreset } from '../../../shared/bundle/presets.js';
import { tempDir } from '../../../test/helpers/gpkg-fixtures.js';
import { deletePreset, getPreset, listPresets, presetsPath, savePreset } from './presets-store.js';

const tmp = tempDir('passerelle-presets-');
afterAll(() => tmp.cleanup());

describe('saved bundle presets', () => {
  it('lists the built-in presets, saves adjustments and new presets, deletes them', async () => {
    const home = tmp.dir;
    expect(listPresets(home).map((p) => [p.preset.name, p.builtin, p.adjusted])).toEqual([
      ['opendata', true, false],
      ['partners', true, false],
      ['sinp', true, false],
    ]);
    await savePreset(home, { ...defaultPreset('opendata'), licence: 'CC-BY-4.0' });
    await savePreset(home, { ...defaultPreset('partners'), name: 'LPO PACA', conventionReference: 'Convention 2026-17' });
    expect(listPresets(home).map((p) => [p.preset.name, p.builtin, p.adjusted])).toEqual([
      ['opendata', true, true],
      ['partners', true, false],
      ['sinp', true, false],
      ['LPO PACA', false, false],
    ]);
    expect(getPreset(home, 'opendata').licence).toBe('CC-BY-4.0');
    await deletePreset(home, 'opendata');
    expect(getPreset(home, 'opendata').licence).toBe('etalab-2.0');
    await expect(deletePreset(home, 'sinp')).rejects.toThrow(/No saved bundle preset/);
    expect(() => getPreset(home, 'nope')).toThrow(/No bundle preset named "nope"/);
  });

  it('gives a pseudonymising preset its key once and keeps it; refuses a preset that betrays its audience', async () => {
    const home = tmp.dir;
    await savePreset(home, { ...defaultPreset('opendata'), name: 'pseudo', observers: 'pseudonymise' });
    const key = getPreset(home, 'pseudo').pseudonymKey;
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    await savePreset(home, { ...defaultPreset('opendata'), name: 'pseudo', observers: 'pseudonymise', licence: 'CC0-1.0' });
    expect(getPreset(home, 'pseudo').pseudonymKey).toBe(key);
    await expect(savePreset(home, { ...defaultPreset('opendata'), name: 'bad', locations: 'precise' })).rejects.toThrow(/never precise/);
    expect(readFileSync(presetsPath(home), 'utf8')).not.toContain('"bad"');
  });
});
