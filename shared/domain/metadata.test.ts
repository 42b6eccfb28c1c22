import { describe, expect, it } from 'vitest';
import { checkMetaValue, DATASET_LISTS, float4Text, FRAMEWORK_FIELDS, listKey, metaField, metaList, sameList } from './metadata.js';

describe('CA/JDD field table', () => {
  it('keeps the bbox as the text of the float4 PostgreSQL stores, so a value compares equal after a round trip', () => {
    // What PostgreSQL 15 prints for `x::real` (select 44.812345678901::real → 44.812347).
    for (const [x, pg] of [
      [6.1, '6.1'],
      [44.812345678901, '44.812347'],
      [6.123456789012345, '6.123457'],
      [5.98765432, '5.987654'],
      [45.0000001, '45'],
      [-0.5, '-0.5'],
    ] as const) expect(float4Text(x)).toBe(pg);
    // What the server sends back for a float4 reads the same.
    for (const x of [5.98765432, 44.123456, 45.0000001, 0.1]) expect(float4Text(Number(float4Text(x)))).toBe(float4Text(x));
    expect(checkMetaValue(metaField('dataset', 'bbox_west') ?? FRAMEWORK_FIELDS[0]!, '6.1')).toBeNull();
    expect(checkMetaValue(metaField('dataset', 'bbox_west') ?? FRAMEWORK_FIELDS[0]!, 'abc')).toBe('bbox_west takes a number');
  });

  it('has the méta-cadre parent and the territory description in its field table', () => {
    expect(metaField('framework', 'parent')).toMatchObject({ column: 'parent_uuid', serverColumn: 'acquisition_framework_parent_id', kind: 'framework' });
    expect(metaField('dataset', 'territory_desc')?.via).toEqual({ table: 'cor_dataset_territory', owner: 'id_dataset' });
    expect(DATASET_LISTS.map((l) => l.name)).toEqual(['actors', 'territories', 'protocols', 'objectives']);
  });

  it('compares lists by content: order, repeats, labels and e-mails do not count', () => {
    const actors = metaList('dataset', 'actors');
    const territories = metaList('dataset', 'territories');
    const protocols = metaList('dataset', 'protocols');
    if (!actors || !territories || !protocols) throw new Error('lists missing');
    const pne = { organism: 'Parc National des Ecrins', organismUuid: 'c8a2b7e1-4f3d-4a9b-8e6c-2d1f0a5b7c31', person: null, personUuid: null, role: { type: 'ROLE_ACTEUR', code: '1', label: 'Contact principal' } };
    expect(sameList(actors, [pne, { ...pne, role: { ...pne.role, code: '6' } }], [{ ...pne, role: { ...pne.role, code: '6' }, email: 'x@y.fr' }, { ...pne, organism: ' parc national des ecrins ' }])).toBe(true);
    expect(sameList(actors, [pne], [{ ...pne, role: { ...pne.role, code: '6' } }])).toBe(false);
    expect(sameList(territories, [{ type: 'TERRITOIRE', code: 'METROP', label: 'a' }], [{ type: 'TERRITOIRE', code: 'METROP', label: 'b' }])).toBe(true);
    expect(listKey(territories, [])).toBe('');
    expect(sameList(protocols, [{ uuid: '9ED37CB1-803B-4EEC-9ECD-31880475BBE9', name: 'hors protocole' }], [{ uuid: '9ed37cb1-803b-4eec-9ecd-31880475bbe9', name: 'Hors protocole' }])).toBe(true);
    expect(sameList(protocols, [{ uuid: null, name: 'STOC' }], [{ uuid: null, name: 'stoc ' }])).toBe(true);
  });
});
