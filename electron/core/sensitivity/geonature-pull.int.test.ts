/**
 * The sensitivity check of a workspace pulled from a real GeoNature-shaped PostgreSQL/PostGIS
 * database (test/geonature-db), with the rules pulled from its gn_sensitivity: the taxonomy
 * is the pulled taxref, the areas the pulled ref_geo, the rules the pulled ones (areas and
 * criteria as codes, inactive ones left out). No mocks: a missing server or PostGIS fails every
 * test with the builder's message (never skipped).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient, type Client } from '../../../shared/contract/index.js';
import { AS_OF, fixture } from '../../../test/fixtures/sensitivity/fixtures.js';
import { buildGeoNatureTestDb, dropTestDb, type BuiltGeoNatureTestDb } from '../../../test/geonature-db/build.js';
import { ECRINS } from '../../../test/geonature-db/fixture-ids.js';
import { passwordOf, targetOf } from '../../../test/geonature-db/target.js';
import { inProcess, type TransportUnderTest } from '../../../test/helpers/transports.js';
import { SENS } from './schema.js';

const VULTURE_IN_PERIOD = ['82161268-f86f-42cb-bb8c-57203fa26944', '445466b9-9582-4226-9733-30d28b52c40b'];

describe('a workspace pulled from GeoNature, checked with its pulled gn_sensitivity rules', () => {
  const name = `passerelle_sens_pull_${process.pid}_${Date.now().toString(36)}`;
  let built: BuiltGeoNatureTestDb | undefined;
  let face: TransportUnderTest | undefined;
  let client: Client;
  let setupError: unknown;
  const ws = join(mkdtempSync(join(tmpdir(), 'passerelle-sens-pull-')), 'pulled.gpkg');
  /** GeoNature's own levels after its trigger ran (by UUID). */
  let serverLevels = new Map<string, number>();

  beforeAll(async () => {
    try {
      built = await buildGeoNatureTestDb({ database: name });
      const db = new pg.Client(built.connection);
      await db.connect();
      try {
        // Rules as an importer writes them: the bearded vulture nesting October–July (wraps the year
        // end) and the golden eagle breeding February–August with a STATUT_BIO criterion, in both
        // départements; the crayfish in 05; an inactive rule on the chamois that must never apply.
        await db.query(`
          INSERT INTO gn_sensitivity.t_sensitivity_rules (cd_nom, nom_cite, id_nomenclature_sensitivity, sensitivity_duration, sensitivity_territory, date_min, date_max, source, active, comments)
          VALUES (2852, 'Gypaetus barbatus', ref_nomenclatures.get_id_nomenclature('SENSIBILITE', '3'), 10000, 'Département', '1900-10-01', '1900-07-31', 'sens-test', true, 'Nidification'),
                 (2645, 'Aquila chrysaetos', ref_nomenclatures.get_id_nomenclature('SENSIBILITE', '2'), 10, 'Département', '1900-02-01', '1900-08-31', 'sens-test', true, 'Reproduction'),
                 (18437, 'Austropotamobius pallipes', ref_nomenclatures.get_id_nomenclature('SENSIBILITE', '1'), 10000, 'Département', NULL, NULL, 'sens-test', true, NULL),
                 (61119, 'Rupicapra rupicapra', ref_nomenclatures.get_id_nomenclature('SENSIBILITE', '4'), 10000, 'Département', NULL, NULL, 'sens-test', false, 'inactive');
          INSERT INTO gn_sensitivity.cor_sensitivity_area (id_sensitivity, id_area)
          SELECT r.id_sensitivity, a.id_area FROM gn_sensitivity.t_sensitivity_rules r
            JOIN ref_geo.l_areas a ON a.id_type = ref_geo.get_id_area_type('DEP') AND (a.area_code IN ('05', '38') AND r.cd_nom <> 18437 OR a.area_code = '05' AND r.cd_nom = 18437)
           WHERE r.source = 'sens-test';
          INSERT INTO gn_sensitivity.cor_sensitivity_criteria (id_sensitivity, id_criteria, id_type_nomenclature)
          SELECT r.id_sensitivity, ref_nomenclatures.get_id_nomenclature('STATUT_BIO', '3'), ref_nomenclatures.get_id_nomenclature_type('STATUT_BIO')
            FROM gn_sensitivity.t_sensitivity_rules r WHERE r.source = 'sens-test' AND r.cd_nom = 2645;
          REFRESH MATERIALIZED VIEW gn_sensitivity.t_sensitivity_rules_cd_ref;
        `);
        // The server's state of "991 live", as the demo.
        await db.query('DELETE FROM gn_synthese.synthese WHERE unique_id_sinp IN (SELECT unique_id_sinp FROM passerelle_testdata.synthese_dump_2018 WHERE deleted)');
        await db.query('SELECT gn_synthese.update_sensitivity()');
        const levels = await db.query<{ uuid: string; level: string }>(
          `SELECT s.unique_id_sinp::text AS uuid, n.cd_nomenclature AS level FROM gn_synthese.synthese s JOIN ref_nomenclatures.t_nomenclatures n ON n.id_nomenclature = s.id_nomenclature_sensitivity`,
        );
        serverLevels = new Map(levels.rows.map((r) => [r.uuid, Number(r.level)]));
      } finally {
        await db.end();
      }
      face = inProcess();
      client = createClient(face.transport);
      const target = targetOf(built.connection);
      const password = passwordOf(built.connection);
      await client.invoke('geonature.pull', { connection: { target, secrets: password ? { password } : {} }, filters: { datasets: [ECRINS.datasetUuid] }, out: ws });
    } catch (e) {
      setupError = e;
    }
  });
  beforeEach(() => {
    if (setupError !== undefined) throw setupError;
  });
  afterAll(async () => {
    await face?.close();
    if (built) await dropTestDb(built.database);
  });

  it('lists the pulled rules: three active, the inactive one apart, and the pulled taxref as the taxonomy', async () => {
    const r = await client.invoke('sensitivity.referentials', { workspace: ws });
    expect(r.referentials).toEqual([]);
    expect(r.pulled).toMatchObject({ rules: 3, inactive: 1, errors: [] });
    expect(r.taxonomy.workspaceTaxa).toBe(254);
    const rules = await client.invoke('sensitivity.rules', { workspace: ws, source: 'pulled' });
    expect(rules.rules.map((x) => [x.cdNom, x.level, x.active, x.origin.kind, x.origin.format])).toEqual([
      [2852, 3, true, 'pulled', 'geonature'],
      [2645, 2, true, 'pulled', 'geonature'],
      [18437, 1, true, 'pulled', 'geonature'],
      [61119, 4, false, 'pulled', 'geonature'],
    ]);
    expect(rules.rules[0]).toMatchObject({ period: { start: '10-01', end: '07-31' }, durationYears: null, territory: [{ type: 'DEP', code: '05' }, { type: 'DEP', code: '38' }] });
    expect(rules.rules[1]).toMatchObject({ durationYears: 10, bioStatus: ['3'] });
  });

  it('checks with the pulled rules: the vultures inside October–July, which GeoNature misses, and nothing from the inactive rule', async () => {
    const r = await client.invoke('sensitivity.check', { workspace: ws, asOf: AS_OF, sources: ['pulled'], observations: true });
    // The chamois seen at eagle 832's point takes its cell (propagation): not sensitive, blurred.
    expect(r.check).toMatchObject({ total: 991, unmatched: 0, areaNotFound: 0, bySensitivity: [982, 1, 6, 2, 0], byBlur: [981, 1, 7, 2, 0], propagated: 1, territory: 'FXX' });
    expect(r.check.rules).toEqual([{ kind: 'pulled', referentialId: null, name: 'sens-test', version: null, sha256: null, rules: 3 }]);
    expect(r.check.diagnostics.pulledInactive).toBe(1);
    const ours = new Map(r.observations?.map((o) => [o.uuid, o.sensitivityLevel]));
    expect(VULTURE_IN_PERIOD.map((u) => ours.get(u))).toEqual([3, 3]);
    // GeoNature's function agrees everywhere but on the wrap-around period (its 'MMDD' BETWEEN never
    // matches) and on the eagles whose STATUT_BIO is "Non renseigné": this engine takes an unknown
    // status as meeting the criterion, by precaution (as INPN's GINCO does); GeoNature does not.
    const differ = [...serverLevels].filter(([u, l]) => ours.get(u) !== l).map(([u]) => u);
    expect(VULTURE_IN_PERIOD.map((u) => serverLevels.get(u))).toEqual([0, 0]);
    const eagles = await client.invoke('sensitivity.report', { workspace: ws, cdNom: 2645 });
    expect(eagles.observations.map((o) => [o.sensitivityLevel, o.precautions])).toEqual(Array(6).fill([2, ['BIO_STATUS']]));
    expect(eagles.observations.every((o) => serverLevels.get(o.uuid as string) === 0)).toBe(true);
    expect(differ.sort()).toEqual([...VULTURE_IN_PERIOD, ...eagles.observations.map((o) => o.uuid as string)].sort());
    // The chamois stays public: its only rule is inactive.
    const db = new Database(ws, { readonly: true });
    try {
      expect(db.prepare(`SELECT max(r.sensitivity_level) AS m FROM ${SENS.results} r JOIN observations o ON o.fid = r.observation_fid WHERE o.cd_nom = 61119`).get()).toEqual({ m: 0 });
    } finally {
      db.close();
    }
  });

  it('explains a vulture with its pulled rule, and reports it', async () => {
    const e = await client.invoke('sensitivity.explain', { workspace: ws, uuid: VULTURE_IN_PERIOD[0] as string });
    expect(e.taxon).toMatchObject({ resolution: 'cd_nom', cdRef: 2852 });
    expect(e.matches).toHaveLength(1);
    expect(e.matches[0]?.rule).toMatchObject({ id: expect.stringMatching(/^geonature:\d+$/), origin: { kind: 'pulled', format: 'geonature', name: 'sens-test' }, comment: 'Nidification' });
    expect(e.published).toMatchObject({ level: 3, areaType: 'DEP', areas: [{ code: '05' }] });
    const report = await client.invoke('sensitivity.report', { workspace: ws, level: 3 });
    expect(report.observations.map((o) => [o.uuid, o.rule?.origin.kind]).sort()).toEqual(VULTURE_IN_PERIOD.map((u) => [u, 'pulled']).sort());
  });

  it('pulled rules, a loaded referential and local rules together: each recorded with its provenance', async () => {
    const r = await client.invoke('sensitivity.check', {
      workspace: ws,
      asOf: AS_OF,
      load: [{ path: fixture('test-referential-v18.csv') }, { path: fixture('local-rules.json') }],
    });
    expect(r.check.rules.map((x) => [x.kind, x.name])).toEqual([
      ['pulled', 'sens-test'],
      ['referential', 'test-referential-v18'],
      ['local', 'Règles locales PNE (TEST)'],
    ]);
    // v18: every golden eagle and vulture of 05 and 38; the local aerie rule withholds two eagles.
    expect(r.check.bySensitivity).toEqual([963, 1, 20, 5, 2]);
    const filesOnly = await client.invoke('sensitivity.check', { workspace: ws, asOf: AS_OF, sources: ['files'] });
    expect(filesOnly.check.rules.map((x) => x.kind)).toEqual(['referential']);
  });
});
