import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildNomenclatureModuleSync, defaultNomenclatureSqlPath, nomenclatureModulePath, parseNomenclatureSql } from './build-nomenclature-catalog.js';

describe('nomenclature catalog generator', () => {
  it('reads the upstream SQL from the shared data folder', () => {
    // The generator and this test need ../shared/data (or PASSERELLE_SHARED_DATA): fail, never skip.
    expect(existsSync(defaultNomenclatureSqlPath()), `missing ${defaultNomenclatureSqlPath()}`).toBe(true);
  });

  it('regenerates exactly the committed shared/metadata/nomenclature-data.ts', () => {
    // If this fails, the upstream file changed: run `npx tsx electron/core/metadata/build-nomenclature-catalog.ts`
    // and translate any new code in shared/metadata/nomenclature-labels-en.ts.
    expect(buildNomenclatureModuleSync()).toBe(readFileSync(nomenclatureModulePath(), 'utf8'));
  });

  it('parses quoted, E-quoted and commented rows', () => {
    const sql = `
      INSERT INTO bib_nomenclatures_types (id_type, mnemonique, label_fr, definition_fr) VALUES
      (1, 'T1', 'Type un', 'Déf. d''un type');
      INSERT INTO t_nomenclatures (id_type, cd_nomenclature, mnemonique, label_fr, definition_fr, hierarchy, active) VALUES
      (get_id_nomenclature_type('T1'), 'A', 'a', 'L''étiquette A', E'Ligne\\nsuivante', '001.001', true)
      -- ,(get_id_nomenclature_type('T1'), 'Z', 'z', 'commentée', null, null, true)
      ,(get_id_nomenclature_type('T1'), 'B', 'b', 'Étiquette B', NULL, NULL, false);`;
    expect(parseNomenclatureSql(sql, ['T1'])).toEqual([
      {
        mnemonique: 'T1',
        label: 'Type un',
        definition: 'Déf. d\'un type',
        values: [
          { code: 'A', label: 'L\'étiquette A', definition: 'Ligne\nsuivante', hierarchy: '001.001', active: true },
          { code: 'B', label: 'Étiquette B', definition: null, hierarchy: null, active: false },
        ],
      },
    ]);
  });

  it.each([
    ['a missing type', `INSERT INTO bib_nomenclatures_types (id_type, mnemonique, label_fr) VALUES (1, 'T1', 'x');`, /T2 not found/],
    [
      'a code twice',
      `INSERT INTO bib_nomenclatures_types (id_type, mnemonique, label_fr) VALUES (1, 'T2', 'x');
       INSERT INTO t_nomenclatures (id_type, cd_nomenclature, label_fr) VALUES (get_id_nomenclature_type('T2'), '1', 'a'), (get_id_nomenclature_type('T2'), '1', 'b');`,
      /code 1 appears twice/,
    ],
    ['an id_type given as a number', `INSERT INTO t_nomenclatures (id_type, cd_nomenclature, label_fr) VALUES (3, '1', 'a');`, /not get_id_nomenclature_type/],
  ])('refuses %s', (_name, sql, error) => {
    expect(() => parseNomenclatureSql(sql, ['T2'])).toThrow(error);
  });
});
