import { describe, expect, it } from 'vitest';
import { GATE_CHECKS, GATE_FINDINGS } from '../../../shared/bundle/gate.js';
import { defaultPreset, type PresetProblem } from '../../../shared/bundle/presets.js';
import { createI18n } from '../i18n/index.js';
import { AS_OF_PATTERN, buildSources, formatBytes, INITIAL_WIZARD, noteText, sourcesKey, wizardProblems } from './format.js';

const PROBLEM_CODES: PresetProblem['code'][] = ['opendata-precise', 'partners-convention', 'sinp-mtd', 'sinp-profile', 'pseudonym-key', 'no-data-file', 'agreement-without-private'];

describe('export view helpers', () => {
  it('translates every gate finding and check title in both languages, with its parameters', () => {
    for (const lang of ['fr', 'en'] as const) {
      const { t } = createI18n(lang);
      for (const [key, text] of Object.entries(GATE_FINDINGS)) {
        const params = Object.fromEntries([...text.en.matchAll(/\{\{(\w+)\}\}/g)].map((m) => [m[1], `<${m[1]}>`]));
        const out = t(`bundle.finding.${key}`, { ...params, defaultValue: '' });
        expect(out, `${lang} ${key}`).not.toBe('');
        expect(out, `${lang} ${key}`).not.toContain('{{');
        for (const p of Object.keys(params)) expect(out, `${lang} ${key} ${p}`).toContain(`<${p}>`);
      }
      for (const id of GATE_CHECKS) expect(t(`bundle.check.${id}`, { defaultValue: '' }), `${lang} ${id}`).not.toBe('');
      // An unknown key falls back to the engine's English message.
      expect(t('bundle.finding.nope.key', { defaultValue: 'engine text' })).toBe('engine text');
    }
    expect(createI18n('fr').t('bundle.finding.leaks.found', { uuid: 'u', form: 'text-lonlat', file: 'data/observations.csv', at: 'ligne 3' })).toBe(
      'Coordonnée précise de l’observation sensible u (text-lonlat) dans data/observations.csv, ligne 3.',
    );
  });

  it('has a text for every preset problem, audience, target and licence remark', () => {
    for (const lang of ['fr', 'en'] as const) {
      const { t } = createI18n(lang);
      const has = (key: string) => expect(t(key, { defaultValue: '' }), `${lang} ${key}`).not.toBe('');
      for (const code of PROBLEM_CODES) has(`bundle.presetProblem.${code}`);
      for (const a of ['opendata', 'partners', 'sinp']) {
        has(`bundle.audience.${a}`);
        has(`bundle.presetName.${a}`);
        has(`bundle.presetDescription.${a}`);
      }
      for (const x of ['datagouv', 'gbif', 'sinp', 'partner']) has(`bundle.target.${x}`);
      for (const r of ['gbif-refuses', 'gbif-refuses-no-equivalent', 'datagouv-not-open', 'datagouv-id-unverified']) has(`bundle.remark.${r}`);
      for (const v of ['pass', 'fail', 'incomplete']) has(`bundle.gate.verdict.${v}`);
      has('bundle.problem.no-referential');
      expect(t('views.map')).not.toBe('');
      expect(t('bundle.view')).toBe('Export');
    }
  });

  it('formats sizes, moments and the metadata writers’ notes', () => {
    expect(formatBytes(812, 'fr')).toBe('812 o');
    expect(formatBytes(12_400, 'en')).toBe('12.4 kB');
    expect(formatBytes(3_200_000, 'fr')).toBe('3,2 Mo');
    for (const ok of ['2026-06-30', '2026-06-30T12:00', '2026-11-29T09:46:15.356Z', '2026-06-30T12:00:00+02:00']) expect(AS_OF_PATTERN.test(ok), ok).toBe(true);
    for (const bad of ['30/06/2026', '2026-6-30', 'hier']) expect(AS_OF_PATTERN.test(bad), bad).toBe(false);
    expect(noteText('eml: export.noContact {"format":"EML"}', 'fr')).toBe('eml · Aucun acteur n’a de nom ou d’organisme utilisable comme contact : EML en demande un.');
    expect(noteText('something else', 'en')).toBe('something else');
    expect(noteText('eml: export.unknownNote {}', 'en')).toBe('eml: export.unknownNote {}');
  });

  it('builds the sources of a preview from the wizard: files only in files mode, a blank moment left to the engine', () => {
    const w = { ...INITIAL_WIZARD, referentials: [{ path: '/r.csv', rows: 20, columns: [], encoding: 'utf-8' }], taxonomy: { path: '/t.csv', rows: 3, columns: [], encoding: 'utf-8' } };
    expect(buildSources(w, '/ws.gpkg')).toEqual({ workspace: '/ws.gpkg', preset: { preset: { ...w.preset, pseudonymKey: null } }, referentials: ['/r.csv'], taxonomy: '/t.csv' });
    expect(buildSources({ ...w, sensMode: 'workspace', asOf: ' 2026-06-30 ' }, '/ws.gpkg')).toEqual({ workspace: '/ws.gpkg', preset: { preset: { ...w.preset, pseudonymKey: null } }, referentials: [], asOf: '2026-06-30' });
    // A changed setting makes the preview out of date; moving between steps does not.
    expect(sourcesKey({ ...w, step: 3 }, '/ws.gpkg')).toBe(sourcesKey(w, '/ws.gpkg'));
    expect(sourcesKey({ ...w, preset: { ...w.preset, licence: 'CC-BY-4.0' } }, '/ws.gpkg')).not.toBe(sourcesKey(w, '/ws.gpkg'));
  });

  it('shows preset problems but not the pseudonym key, which saving the preset makes', () => {
    expect(wizardProblems(defaultPreset('opendata'))).toEqual([]);
    expect(wizardProblems({ ...defaultPreset('opendata'), observers: 'pseudonymise' })).toEqual([]);
    expect(wizardProblems({ ...defaultPreset('opendata'), locations: 'precise' }).map((p) => p.code)).toEqual(['opendata-precise']);
    expect(wizardProblems(defaultPreset('partners')).map((p) => p.code)).toEqual(['partners-convention']);
    expect(wizardProblems({ ...defaultPreset('partners'), conventionReference: 'Convention 2026-03' })).toEqual([]);
  });
});
