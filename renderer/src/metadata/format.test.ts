import { describe, expect, it } from 'vitest';
import type { MetadataIssueView, MetadataOperation } from '../../../shared/contract/index.js';
import { createI18n } from '../i18n/index.js';
import { changedFields, formPath, issuesByPath, langOf, operationText } from './format.js';

const issue = (field: string, severity: 'error' | 'warning', fr: string, en = fr): MetadataIssueView => ({
  severity,
  entity: 'dataset',
  uuid: '5b2f4a0e-7c1d-4e8a-9f3b-2d6c8e1a4b70',
  index: 0,
  field,
  rule: 'required',
  key: 'metadata.rules.required',
  params: {},
  name: 'JDD',
  fr: { field, message: fr, fix: '' },
  en: { field, message: en, fix: '' },
});

describe('metadata view helpers', () => {
  it('map issue field paths to form paths', () => {
    expect(formPath('dataType')).toBe('dataType');
    expect(formPath('actors[2].email')).toBe('actors.2.email');
    expect(formPath('actors[0]')).toBe('actors.0');
    expect(formPath('objectives[1]')).toBe('objectives');
    expect(formPath('keywords[3]')).toBe('keywords');
    expect(formPath('protocols[0].url')).toBe('protocols.0.url');
  });

  it('group issues by form path in the chosen language, an error winning over a warning', () => {
    const by = issuesByPath([issue('objectives[0]', 'warning', 'a', 'A'), issue('objectives[1]', 'error', 'b', 'B'), issue('dataType', 'error', 'c', 'C')], 'en');
    expect(by).toEqual({ objectives: { message: 'A B', severity: 'error' }, dataType: { message: 'C', severity: 'error' } });
  });

  it('lists the top-level fields that changed', () => {
    expect(changedFields({ a: 1, b: [1, 2], c: null }, { a: 1, b: [1, 3], c: 'x' })).toEqual(['b', 'c']);
    expect(changedFields({ a: { x: 1 } }, { a: { x: 1 } })).toEqual([]);
  });

  it('says what an operation did, in both languages', () => {
    const op: MetadataOperation = {
      id: 3,
      at: '2026-01-01T10:00:00.000Z',
      actor: 'geomaticien',
      kind: 'split',
      label: 'Split « Synthèse PNE » par année into 10 JDD (991 observations)',
      state: 'applied',
      summary: { dataset: 'x', by: { kind: 'year' }, created: new Array(10).fill({}) },
    };
    const text = operationText(op) ?? { key: '', params: {} };
    expect(text).toEqual({ key: 'meta.op.split', params: { name: 'Synthèse PNE', count: 10 } });
    expect(createI18n('fr').t(text.key, text.params)).toBe('découpage de « Synthèse PNE » en 10 JDD');
    expect(createI18n('en').t(text.key, text.params)).toBe('split of "Synthèse PNE" into 10 JDD');
    expect(operationText({ ...op, kind: 'unknown' })).toBeNull();
    expect(langOf('en-GB')).toBe('en');
    expect(langOf('fr')).toBe('fr');
  });

  it('has every meta.* text in English that it has in French', () => {
    const keys = (o: object, prefix = ''): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`)));
    const fr = createI18n('fr').getResourceBundle('fr', 'translation') as { meta: object };
    const en = createI18n('en').getResourceBundle('en', 'translation') as { meta: object };
    expect(keys(en.meta).sort()).toEqual(keys(fr.meta).sort());
  });
});
