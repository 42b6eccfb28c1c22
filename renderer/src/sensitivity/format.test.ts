import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n/index.js';
import { areaNames, isMonthDay, levelColor, monthDay, parseArea, wrapsYearEnd } from './format.js';
import { draftRule } from './LocalRuleForm.js';

const draft = (over: Partial<Parameters<typeof draftRule>[0]> = {}) =>
  draftRule({ cdNom: '2852', nomCite: '', level: '3', territory: [], periodStart: '', periodEnd: '', duration: '', bioStatus: [], behaviour: [], comment: '', ruleSet: '', ...over }, 'r1');

describe('sensitivity view helpers', () => {
  it('reads periods, wrapping the year end when the start follows the end', () => {
    expect(wrapsYearEnd({ start: '10-01', end: '07-31' })).toBe(true);
    expect(wrapsYearEnd({ start: '03-01', end: '07-31' })).toBe(false);
    expect(monthDay('10-01', 'fr')).toBe('1 octobre');
    expect(monthDay('07-31', 'en')).toBe('July 31');
    expect(monthDay('02-29', 'fr')).toBe('29 février');
    expect(['02-29', '12-31', '01-01'].every(isMonthDay)).toBe(true);
    expect(['02-30', '13-01', '1-01', '2026-10-01', ''].some(isMonthDay)).toBe(false);
  });

  it('reads areas as TYPE:CODE and names published areas', () => {
    expect(parseArea(' dep:05 ')).toEqual({ type: 'DEP', code: '05' });
    expect(parseArea('COM:05079')).toEqual({ type: 'COM', code: '05079' });
    expect(parseArea('05')).toBeNull();
    expect(areaNames([{ code: '05', name: 'Hautes-Alpes' }, { code: '10kmL93E097N643', name: '10kmL93E097N643' }, { code: '38', name: null }])).toBe('Hautes-Alpes (05), 10kmL93E097N643, 38');
  });

  it('colours levels as the map does, undetermined apart', () => {
    expect(levelColor(3)).toBe('#e03131');
    expect(levelColor(null)).toBe('#868e96');
  });

  it('makes a local rule from the form, or says what is wrong', () => {
    expect(draft({ territory: ['DEP:05'], periodStart: '10-01', periodEnd: '07-31', duration: 10, bioStatus: ['3'] })).toEqual({
      rule: { id: 'r1', cdNom: 2852, nomCite: null, level: 3, durationYears: 10, territory: [{ type: 'DEP', code: '05' }], period: { start: '10-01', end: '07-31' }, bioStatus: ['3'], behaviour: null, comment: null },
      problems: [],
    });
    expect(draft().rule).toMatchObject({ territory: null, period: null, durationYears: null, bioStatus: null });
    const bad = draft({ cdNom: 'aigle', territory: ['05'], periodStart: '10-01', duration: -1 });
    expect(bad.rule).toBeNull();
    expect(bad.problems.map((p) => p.key)).toEqual(['sens.local.badCdNom', 'sens.local.badTerritory', 'sens.local.badPeriod', 'sens.local.badDuration']);
  });

  it('has every text the view asks for, in both languages', () => {
    for (const lang of ['fr', 'en'] as const) {
      const { t } = createI18n(lang);
      for (const key of ['sens.view', 'sens.level.-1', 'sens.level.4', 'sens.reason.colocated', 'sens.explain.deciding', 'sens.local.badPeriod']) {
        expect(t(key, { defaultValue: '' }), `${lang} ${key}`).not.toBe('');
      }
      expect(t('sens.override.whyHint', { min: 5 })).toContain('5');
    }
  });
});
