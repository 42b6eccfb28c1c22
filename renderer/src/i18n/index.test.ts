import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../../shared/contract/index.js';
import { createI18n, errorText } from './index.js';

describe('i18n resources', () => {
  it('resolve validator findings, conversion warnings, metadata texts and errors in both languages', () => {
    for (const lang of ['fr', 'en'] as const) {
      const { t } = createI18n(lang);
      const has = (key: string, params: Record<string, unknown> = {}) => {
        const text = t(key, { ...params, defaultValue: '' });
        expect(text, `${lang} ${key}`).not.toBe('');
        expect(text, `${lang} ${key}`).not.toContain('{{');
        return text;
      };
      expect(has('gpkg.rule.geometry-null.message', { table: 'obs', fid: 7 })).toContain('obs');
      has('gpkg.rule.geometry-null.fix', { table: 'obs', fid: 7 });
      has('gpkg.rule.more.message', { rule: 'geometry-null', table: 'obs', more: 3 });
      has('gpkg.convert.field-renamed', { layer: 'obs', from: 'date_observation', to: 'date_obser' });
      has('gpkg.validate'); // the UI's own gpkg texts are still there
      has('metadata.rules.uuid.format.message', { field: 'UUID', value: 'x' });
      has('metadata.fields.dataset.actors');
      has('metadata.fields.dataset.actors.role');
      has('metadata.errors.notXml', { reason: 'unclosed tag', line: 3 });
    }
  });

  it('errorText translates errors.* and metadata.* keys, and falls back to the engine message', () => {
    const { t } = createI18n('fr');
    const err = (key: string | undefined, params: Record<string, string | number> = {}): ApiError => ({ code: 'INVALID_INPUT', message: 'engine english', ...(key ? { details: { key, params } } : {}) });
    expect(errorText(t, err('errors.GPKG_NO_LAYER', { path: 'a.gpkg', layer: 'obs' }))).toBe('Couche(s) absente(s) de a.gpkg : obs');
    expect(errorText(t, err('metadata.errors.notEml', { root: 'foo' }))).toContain('EML');
    expect(errorText(t, err('metadata.errors.nope'))).toBe('engine english');
    expect(errorText(t, err('other.key'))).toBe('engine english');
    expect(errorText(t, err(undefined))).toBe('engine english');
  });
});
