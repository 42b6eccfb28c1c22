import { describe, expect, it } from 'vitest';
import { BUILTIN_PRESETS, BundlePreset, defaultPreset, presetProblems } from './presets.js';

describe('bundle presets', () => {
  it('each audience has a built-in preset that can make a bundle (partners once the convention is given)', () => {
    expect(BUILTIN_PRESETS.map((p) => p.name)).toEqual(['opendata', 'partners', 'sinp']);
    expect(presetProblems(defaultPreset('opendata'))).toEqual([]);
    expect(presetProblems(defaultPreset('sinp'))).toEqual([]);
    expect(presetProblems(defaultPreset('partners')).map((p) => p.code)).toEqual(['partners-convention']);
    expect(presetProblems({ ...defaultPreset('partners'), conventionReference: 'Convention 2026-17' })).toEqual([]);
  });

  it('open data drops observer names, keeps only public data and blurs; the licence is the Licence Ouverte 2.0', () => {
    const p = defaultPreset('opendata');
    expect([p.observers, p.publicOnly, p.locations, p.licence]).toEqual(['drop', true, 'blurred', 'etalab-2.0']);
  });

  it('refuses what would betray an audience', () => {
    expect(presetProblems({ ...defaultPreset('opendata'), locations: 'precise' }).map((p) => p.code)).toEqual(['opendata-precise']);
    expect(presetProblems({ ...defaultPreset('sinp'), metadata: ['iso19139'], fieldProfile: 'synthese' }).map((p) => p.code)).toEqual(['sinp-mtd', 'sinp-profile']);
    expect(presetProblems({ ...defaultPreset('opendata'), observers: 'pseudonymise' }).map((p) => p.code)).toEqual(['pseudonym-key']);
  });

  it('parses strictly: an unknown field or format is refused, names are plain', () => {
    expect(BundlePreset.safeParse({ ...defaultPreset('opendata'), extra: 1 }).success).toBe(false);
    expect(BundlePreset.safeParse({ ...defaultPreset('opendata'), formats: ['shp'] }).success).toBe(false);
    expect(BundlePreset.safeParse({ ...defaultPreset('opendata'), name: '../etc' }).success).toBe(false);
    expect(BundlePreset.safeParse({ ...defaultPreset('opendata'), name: 'Données ouvertes 2026' }).success).toBe(true);
  });
});
