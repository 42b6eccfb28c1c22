import { describe, expect, it } from 'vitest';
import { datasetDescription, datasetPayload, readmeForPortal, udataTag, type BundleFacts } from './udata.js';

const facts: BundleFacts = {
  id: '12bd116d-e30f-57fb-b766-0923ec86cc67',
  version: '1.1.0',
  asOf: '2026-12-01T08:00:00.000Z',
  title: 'Synthèse PNE',
  summary: 'Observations naturalistes.',
  readme: '# Synthèse PNE\n\n## Français\n\n**Quoi.** Observations.\n\n| file | bytes | sha256 |\n| --- | ---: | --- |\n| data/observations.csv | 1 | ab |\n\nFin.\n',
  changelog: '# Journal des versions / Changelog\n\n## 1.1.0 — 2026-12-01\n\n- 1 ajoutée\n\n## 1.0.0 — 2026-11-29\n\n- Première version\n',
  keywords: ['biodiversité', 'SINP', 'GeoNature', 'x'],
  licence: 'etalab-2.0',
  language: 'fr',
  temporal: { start: '2000-01-10', end: '2017-10-02' },
  bbox: { west: 5.4, south: 44.1, east: 7.1, north: 45.2 },
  fileIdentifier: null,
};

describe('the udata dataset from a bundle', () => {
  it('is private when asked, with the licence id, frequency, temporal and spatial coverage, tags as udata stores them', () => {
    const p = datasetPayload(facts, { licenceId: 'lov2', frequency: 'monthly', zones: ['fr:departement:05'], organization: '5bbb6d6cff66bd4dc17bfd5a', priv: true });
    expect(p).toMatchObject({
      title: 'Synthèse PNE',
      license: 'lov2',
      frequency: 'monthly',
      private: true,
      temporal_coverage: { start: '2000-01-10', end: '2017-10-02' },
      spatial: { zones: ['fr:departement:05'], granularity: 'poi' },
      tags: ['biodiversite', 'geonature', 'sinp'],
      organization: '5bbb6d6cff66bd4dc17bfd5a',
    });
    expect(datasetPayload(facts, { licenceId: 'lov2', frequency: 'monthly', zones: [], organization: null, priv: false })).toMatchObject({ private: false });
    expect('organization' in datasetPayload({ ...facts, temporal: null }, { licenceId: 'lov2', frequency: 'irregular', zones: [], organization: null, priv: true })).toBe(false);
  });

  it('the description is the README without its file table, then every version’s changelog (headings one level down), then the bundle id', () => {
    const d = datasetDescription(facts);
    expect(d).not.toContain('| file |');
    expect(d).not.toMatch(/^# Synthèse PNE/m);
    expect(d).toContain('**Quoi.** Observations.');
    expect(d).toContain('Fin.');
    expect(d).toContain('## Journal des versions / Changelog');
    expect(d.indexOf('### 1.1.0')).toBeLessThan(d.indexOf('### 1.0.0'));
    expect(d).toContain('lot 12bd116d-e30f-57fb-b766-0923ec86cc67, version 1.1.0');
    expect(readmeForPortal('a\n\n| fichier | x |\n|---|---|\n| y | z |\n\nb')).toBe('a\n\nb');
  });

  it('tags: accents off, lower case, dashes, too short dropped', () => {
    expect(udataTag('Données ouvertes')).toBe('donnees-ouvertes');
    expect(udataTag('x')).toBeNull();
  });
});
