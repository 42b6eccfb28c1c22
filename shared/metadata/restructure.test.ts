import { describe, expect, it } from 'vitest';
import { deriveName, deriveShortName, normalizeName, NAME_MAX, periodIndex, SHORT_NAME_MAX, slug, splitDescription, splitNote } from './restructure.js';

describe('restructuring names', () => {
  it.each([
    ['Corail Marc', 'corail marc'],
    ['  CORAIL   Marc ', 'corail marc'],
    ['Hervé Cortot', 'herve cortot'],
    ['Marie-Geneviève', 'marie-genevieve'],
  ])('normalizeName(%j) = %j', (input, out) => expect(normalizeName(input)).toBe(out));

  it.each([
    ["Oiseaux d'eau", 'oiseaux_d_eau'],
    ['2016', '2016'],
    ['Protocole – STOC EPS', 'protocole_stoc_eps'],
    ['…', ''],
  ])('slug(%j) = %j', (input, out) => expect(slug(input)).toBe(out));

  it('names a new JDD "<parent> – <value>" and keeps it within the form’s 150 characters', () => {
    expect(deriveName('Synthèse PNE', '2016')).toBe('Synthèse PNE – 2016');
    const long = 'Observations naturalistes '.repeat(8);
    const name = deriveName(long, 'Oiseaux');
    expect(name.length).toBeLessThanOrEqual(NAME_MAX);
    expect(name.endsWith('… – Oiseaux')).toBe(true);
    // A label longer than the limit is cut, never the whole name exceeding it.
    expect(deriveName('P', 'x'.repeat(300)).length).toBe(NAME_MAX);
  });

  it('derives short names within 30 characters, unique in the workspace (case-insensitive)', () => {
    const taken = new Set(['jdd_synthese_dev', 'jdd_synthese_dev_2016']);
    expect(deriveShortName('jdd_synthese_dev', '2016', taken)).toBe('jdd_synthese_dev_2016_2');
    expect(deriveShortName('jdd_synthese_dev', '2017', taken)).toBe('jdd_synthese_dev_2017');
    const a = deriveShortName('jdd_synthese_dev', 'Boccon-Gebeaud Camille', taken);
    const b = deriveShortName('jdd_synthese_dev', 'Boccon-Gebeaud Camille', taken);
    expect(a.length).toBeLessThanOrEqual(SHORT_NAME_MAX);
    expect(b.length).toBeLessThanOrEqual(SHORT_NAME_MAX);
    expect(a).not.toBe(b);
    expect(taken.has(a.toLowerCase()) && taken.has(b.toLowerCase())).toBe(true);
    expect(deriveShortName('', 'Aves', new Set())).toBe('aves');
  });

  it('places a day in its period (both ends included), -1 outside', () => {
    const periods = [
      { from: '2000-01-01', to: '2014-12-31' },
      { from: '2015-01-01', to: '2015-12-31' },
    ];
    expect(periodIndex('2014-12-31', periods)).toBe(0);
    expect(periodIndex('2015-01-01', periods)).toBe(1);
    expect(periodIndex('2016-01-01', periods)).toBe(-1);
    expect(periodIndex(null, periods)).toBe(-1);
  });

  it('describes where a JDD comes from, after the parent’s description, in French or English', () => {
    const fr = splitNote({ parent: 'Synthèse PNE', by: 'par année', label: '2016', observations: 295, dateMin: '2016-01-05', dateMax: '2016-05-07', date: '2026-11-29', lang: 'fr' });
    expect(fr).toBe('Jeu de données issu de la division de « Synthèse PNE » par année : 2016 (295 observations, du 2016-01-05 au 2016-05-07). Passerelle, 2026-11-29.');
    const en = splitNote({ parent: 'P', by: 'by observer', label: 'Corail Marc', observations: 1, dateMin: null, dateMax: null, date: '2026-11-29', lang: 'en' });
    expect(en).toBe('Dataset split from "P" by observer: Corail Marc (1 observation). Passerelle, 2026-11-29.');
    expect(splitDescription('Jeu thématique.', fr)).toBe(`Jeu thématique.\n\n${fr}`);
    expect(splitDescription('  ', fr)).toBe(fr);
  });
});
