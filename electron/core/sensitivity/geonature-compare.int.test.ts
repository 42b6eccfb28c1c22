import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGeoNatureTestDb, dropTestDb } from '../../../test/geonature-db/build.js';
import { AS_OF, demoTaxonomy } from '../../../test/fixtures/sensitivity/fixtures.js';
import { DEMO } from '../../../test/helpers/paths.js';
import { TERRITORIES, compileReferential, rulesFromGeoNature, type GeoNatureRuleAreaRow, type GeoNatureRuleRow } from '../../../shared/sensitivity/index.js';
import { AreaIndex } from './area-index.js';
import { BlurAreas } from './blur.js';
import { SensitivityChecker, checkRows } from './runner.js';
import { readReferenceAreas, workspaceObservations } from './workspace-source.js';

/**
 * GeoNature's own algorithm (gn_sensitivity.get_id_nomenclature_sensitivity, as the
 * GeoNature-shaped test database implements it from reference §3.2) against this engine, on the
 * same Écrins observations and the same rules pulled from gn_sensitivity: they agree on a plain
 * period, and GeoNature misses the bearded vulture's October–July nesting period, which wraps
 * the year end (its 'MMDD' BETWEEN never matches).
 */
describe('GeoNature’s sensitivity function and this engine, same rules, same observations', () => {
  const name = `passerelle_sens_gn_${process.pid}`;
  let client: pg.Client;
  beforeAll(async () => {
    const db = await buildGeoNatureTestDb({ database: name, dropIfExists: true });
    client = new pg.Client(db.connection);
    await client.connect();
    // Two rules, on the départements 05 and 38, as an importer would write them.
    await client.query(`
      WITH r AS (
        INSERT INTO gn_sensitivity.t_sensitivity_rules (cd_nom, nom_cite, id_nomenclature_sensitivity, sensitivity_duration, sensitivity_territory, date_min, date_max, source, active)
        VALUES (2852, 'Gypaetus barbatus', ref_nomenclatures.get_id_nomenclature('SENSIBILITE', '3'), 10000, 'Département', '1900-10-01', '1900-07-31', 'test', true),
               (2645, 'Aquila chrysaetos', ref_nomenclatures.get_id_nomenclature('SENSIBILITE', '2'), 10000, 'Département', '1900-02-01', '1900-08-31', 'test', true)
        RETURNING id_sensitivity
      )
      INSERT INTO gn_sensitivity.cor_sensitivity_area (id_sensitivity, id_area)
      SELECT r.id_sensitivity, a.id_area FROM r, ref_geo.l_areas a JOIN ref_geo.bib_areas_types t ON t.id_type = a.id_type AND t.type_code = 'DEP';
      REFRESH MATERIALIZED VIEW gn_sensitivity.t_sensitivity_rules_cd_ref;
    `);
    // The 9 observations flagged deleted in the 2018 dump are not in the demo workspace either.
    await client.query('DELETE FROM gn_synthese.synthese WHERE unique_id_sinp IN (SELECT unique_id_sinp FROM passerelle_testdata.synthese_dump_2018 WHERE deleted)');
    await client.query('SELECT gn_synthese.update_sensitivity()');
  });
  afterAll(async () => {
    await client?.end();
    await dropTestDb(name);
  });

  it('agrees on February–August and differs on October–July', async () => {
    // GeoNature's levels, by UUID.
    const gn = await client.query<{ uuid: string; cd_nom: number; level: string }>(`
      SELECT s.unique_id_sinp::text AS uuid, s.cd_nom, n.cd_nomenclature AS level
      FROM gn_synthese.synthese s JOIN ref_nomenclatures.t_nomenclatures n ON n.id_nomenclature = s.id_nomenclature_sensitivity
      WHERE s.cd_nom IN (2645, 2852)`);
    // The same rules pulled from gn_sensitivity as the connector stores them (codes, not ids).
    const rows = (
      await client.query<GeoNatureRuleRow>(`
        SELECT r.id_sensitivity, r.cd_nom, r.nom_cite, n.cd_nomenclature AS cd_nomenclature_sensitivity, r.sensitivity_duration,
               r.sensitivity_territory, r.id_territory, r.date_min::text AS date_min, r.date_max::text AS date_max, r.source, r.active, r.comments
        FROM gn_sensitivity.t_sensitivity_rules r JOIN ref_nomenclatures.t_nomenclatures n ON n.id_nomenclature = r.id_nomenclature_sensitivity`)
    ).rows;
    const ruleAreas = (
      await client.query<GeoNatureRuleAreaRow>(`
        SELECT c.id_sensitivity, t.type_code, a.area_code FROM gn_sensitivity.cor_sensitivity_area c
        JOIN ref_geo.l_areas a ON a.id_area = c.id_area JOIN ref_geo.bib_areas_types t ON t.id_type = a.id_type`)
    ).rows;
    const pulled = rulesFromGeoNature(rows, ruleAreas, []);
    expect(pulled.rules).toHaveLength(2);

    const demo = new Database(DEMO, { readonly: true, fileMustExist: true });
    try {
      const index = new AreaIndex(readReferenceAreas(demo));
      const checker = new SensitivityChecker({
        referential: compileReferential(pulled.rules, demoTaxonomy(), { loadedAreas: index.keys() }),
        blurAreas: new BlurAreas(index, TERRITORIES.FXX as NonNullable<(typeof TERRITORIES)['FXX']>),
        asOf: AS_OF,
        localSrid: 2154,
      });
      const ours = new Map<string, number>();
      await checkRows(() => workspaceObservations(demo, { where: 'o.cd_nom IN (2645, 2852)', eager: true }), checker, (r, row) => ours.set(row.uuid as string, r.sensitivityLevel));
      const theirs = new Map(gn.rows.map((r) => [r.uuid, Number(r.level)]));
      expect(ours.size).toBe(27);
      expect(theirs.size).toBe(27);

      const eagles = gn.rows.filter((r) => r.cd_nom === 2645).map((r) => r.uuid);
      expect(eagles.map((u) => ours.get(u))).toEqual(eagles.map((u) => theirs.get(u)));
      expect(eagles.filter((u) => ours.get(u) === 2)).toHaveLength(6);

      const vultures = gn.rows.filter((r) => r.cd_nom === 2852).map((r) => r.uuid);
      expect(vultures.map((u) => theirs.get(u))).toEqual([0, 0, 0, 0, 0]);
      expect(vultures.map((u) => ours.get(u)).sort()).toEqual([0, 0, 0, 3, 3]);
    } finally {
      demo.close();
    }
  });
});
