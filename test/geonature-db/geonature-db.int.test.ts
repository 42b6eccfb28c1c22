/**
 * The GeoNature-shaped test database, built in the machine's real PostgreSQL + PostGIS and
 * checked against the upstream files it comes from. No mocks: if the server or PostGIS is
 * missing, beforeAll fails with the builder's message and every test here fails with it.
 */
import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SYNTHESE_DEFAULT_CODES, SYNTHESE_NOMENCLATURES } from '../../shared/domain/synthese.js';
import { buildGeoNatureTestDb, dropTestDb, maintenanceConnection, withDatabase, type BuiltGeoNatureTestDb } from './build.js';
import { ECRINS, ORGANISMS, SAMPLE } from './fixture-ids.js';
import { sourcePath } from './shared-data.js';
import { readSyntheseDump, type SyntheseDumpRow } from './synthese-dump-2018.js';

const uniqueName = (tag: string) => `passerelle_gn_${tag}_${process.pid}_${Date.now().toString(36)}`;

/** Runs fn in a transaction that is always rolled back, so tests can write without leaking. */
async function rolledBack<T>(client: pg.Client, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    return await fn();
  } finally {
    await client.query('ROLLBACK');
  }
}

/**
 * Builds in beforeAll but reports a failure through beforeEach, so that a missing server or
 * PostGIS fails every test with the builder's message (vitest would mark them skipped otherwise).
 */
function failEachTestOn(getError: () => unknown): void {
  beforeEach(() => {
    const error = getError();
    if (error !== undefined) throw error;
  });
}

/** A TCP port on loopback that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

describe('GeoNature test database (local SRID 2154)', () => {
  let built: BuiltGeoNatureTestDb;
  let db: pg.Client;
  let dump: SyntheseDumpRow[];
  const one = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R> => {
    const r = await db.query<R>(sql, params);
    const row = r.rows[0];
    if (!row) throw new Error(`no row for: ${sql}`);
    return row;
  };

  let setupError: unknown;

  beforeAll(async () => {
    try {
      dump = readSyntheseDump(sourcePath('syntheseDump')).rows;
      built = await buildGeoNatureTestDb({ database: uniqueName('main') });
      db = new pg.Client(built.connection);
      await db.connect();
    } catch (e) {
      setupError = e;
    }
  });
  failEachTestOn(() => setupError);

  afterAll(async () => {
    await db?.end().catch(() => undefined);
    if (built) await dropTestDb(built.database);
  });

  describe('ref_nomenclatures', () => {
    it('holds every SINP type and value of nomenclatures_inpn_data.sql', async () => {
      expect(built.counts['ref_nomenclatures.bib_nomenclatures_types']).toBe(101);
      expect(built.counts['ref_nomenclatures.t_nomenclatures']).toBe(568);
      const perType = await db.query<{ mnemonique: string; n: string }>(
        `SELECT t.mnemonique, count(n.id_nomenclature) AS n
         FROM ref_nomenclatures.bib_nomenclatures_types t
         LEFT JOIN ref_nomenclatures.t_nomenclatures n USING (id_type)
         GROUP BY t.mnemonique`,
      );
      const count = Object.fromEntries(perType.rows.map((r) => [r.mnemonique, Number(r.n)]));
      expect(count).toMatchObject({
        SENSIBILITE: 5,
        NIV_PRECIS: 6,
        DEE_FLOU: 3,
        ROLE_ACTEUR: 8,
        DATA_TYP: 5,
        JDD_OBJECTIFS: 30,
        CA_OBJECTIFS: 4,
        TERRITOIRE: 17,
        NIVEAU_TERRITORIAL: 7,
        TYPE_FINANCEMENT: 4,
        VOLET_SINP: 3,
        METHO_RECUEIL: 12,
        DS_PUBLIQUE: 3,
        STATUT_SOURCE: 4,
        RESOURCE_TYP: 2,
        STATUT_BIO: 8,
        OCC_COMPORTEMENT: 24,
      });
      const sensitivity = await db.query<{ cd_nomenclature: string; label_default: string }>(
        `SELECT n.cd_nomenclature, n.label_default FROM ref_nomenclatures.t_nomenclatures n
         WHERE n.id_type = ref_nomenclatures.get_id_nomenclature_type('SENSIBILITE') ORDER BY n.cd_nomenclature`,
      );
      expect(sensitivity.rows).toEqual([
        { cd_nomenclature: '0', label_default: 'Non sensible - Diffusion précise' },
        { cd_nomenclature: '1', label_default: 'Sensible - Diffusion à la Commune ou Znieff' },
        { cd_nomenclature: '2', label_default: 'Sensible - Diffusion à la maille 10km' },
        { cd_nomenclature: '3', label_default: 'Sensible - Diffusion au département' },
        { cd_nomenclature: '4', label_default: 'Sensible - Aucune diffusion' },
      ]);
    });

    it('resolves ids by type and code with get_id_nomenclature, and back with get_cd_nomenclature', async () => {
      const r = await one<{ id: number; mnemonique: string; cd: string; back: string; unknown: number | null; label: string }>(
        `SELECT n.id_nomenclature AS id, t.mnemonique, n.cd_nomenclature AS cd,
                ref_nomenclatures.get_cd_nomenclature(n.id_nomenclature) AS back,
                ref_nomenclatures.get_id_nomenclature('SENSIBILITE', '9') AS unknown,
                ref_nomenclatures.get_nomenclature_label(n.id_nomenclature, 'fr') AS label
         FROM ref_nomenclatures.t_nomenclatures n JOIN ref_nomenclatures.bib_nomenclatures_types t USING (id_type)
         WHERE n.id_nomenclature = ref_nomenclatures.get_id_nomenclature('ROLE_ACTEUR', '1')`,
      );
      expect(r).toMatchObject({ mnemonique: 'ROLE_ACTEUR', cd: '1', back: '1', unknown: null, label: 'Contact principal' });
    });

    it('ends with label_default NOT NULL, as the data file leaves it', async () => {
      const r = await db.query<{ table_name: string; is_nullable: string }>(
        `SELECT table_name, is_nullable FROM information_schema.columns
         WHERE table_schema = 'ref_nomenclatures' AND column_name = 'label_default' ORDER BY table_name`,
      );
      expect(r.rows).toEqual([
        { table_name: 'bib_nomenclatures_types', is_nullable: 'NO' },
        { table_name: 't_nomenclatures', is_nullable: 'NO' },
      ]);
    });

    it('has the gn_meta defaults of the data file, attached to the single organism ALL (id 0)', async () => {
      const all = await db.query(`SELECT id_organisme FROM utilisateurs.bib_organismes WHERE nom_organisme = 'ALL'`);
      expect(all.rows).toEqual([{ id_organisme: ORGANISMS.all }]);
      const r = await one<{ data_typ: string; objectif: string }>(
        `SELECT ref_nomenclatures.get_cd_nomenclature(ref_nomenclatures.get_default_nomenclature_value('DATA_TYP')) AS data_typ,
                ref_nomenclatures.get_cd_nomenclature(ref_nomenclatures.get_default_nomenclature_value('JDD_OBJECTIFS')) AS objectif`,
      );
      expect(r).toEqual({ data_typ: '1', objectif: '1.1' });
    });
  });

  describe('constraints and triggers a client meets', () => {
    it('rejects an id of another nomenclature type through the NOT VALID type CHECK', async () => {
      await rolledBack(db, async () => {
        await expect(
          db.query(
            `UPDATE gn_meta.t_datasets SET id_nomenclature_data_type = ref_nomenclatures.get_id_nomenclature('SENSIBILITE', '0')
             WHERE unique_dataset_id = $1`,
            [ECRINS.datasetUuid],
          ),
        ).rejects.toThrow(/id_nomenclature --> \(\d+\) and nomenclature --> \(DATA_TYP\) type didn't match/);
      });
      await rolledBack(db, async () => {
        await expect(
          db.query(
            `UPDATE gn_synthese.synthese SET id_nomenclature_sensitivity = ref_nomenclatures.get_id_nomenclature('NIV_PRECIS', '0')
             WHERE unique_id_sinp = $1`,
            [dump[0]?.uniqueIdSinp],
          ),
        ).rejects.toThrow(/SENSIBILITE/);
      });
      const notValid = await db.query<{ conname: string }>(
        `SELECT conname FROM pg_constraint WHERE conrelid = 'gn_synthese.synthese'::regclass AND contype = 'c' AND NOT convalidated ORDER BY conname`,
      );
      expect(notValid.rows.map((r) => r.conname)).toContain('check_synthese_sensitivity');
      expect(notValid.rows).toHaveLength(19);
    });

    it('refuses a group as a JDD actor (CHECK NOT role_is_group)', async () => {
      await rolledBack(db, async () => {
        await expect(
          db.query(
            `INSERT INTO gn_meta.cor_dataset_actor (id_dataset, id_role, id_nomenclature_actor_role)
             SELECT id_dataset, 9, ref_nomenclatures.get_id_nomenclature('ROLE_ACTEUR', '1') FROM gn_meta.t_datasets WHERE unique_dataset_id = $1`,
            [ECRINS.datasetUuid],
          ),
        ).rejects.toThrow(/check_id_role_not_group/);
      });
    });

    it('overwrites meta_create_date on INSERT and stamps meta_update_date on UPDATE', async () => {
      await rolledBack(db, async () => {
        const now = await one<{ now: Date }>('SELECT now()::timestamp AS now');
        const inserted = await one<{ id: number; meta_create_date: Date; meta_update_date: Date | null }>(
          `INSERT INTO gn_meta.t_acquisition_frameworks (acquisition_framework_name, acquisition_framework_desc,
             acquisition_framework_start_date, meta_create_date, meta_update_date)
           VALUES ('CA test', 'desc', '2024-01-01', '2001-02-03 04:05:06', NULL)
           RETURNING id_acquisition_framework AS id, meta_create_date, meta_update_date`,
        );
        expect(inserted.meta_create_date).toEqual(now.now);
        expect(inserted.meta_update_date).toBeNull();
        const updated = await one<{ meta_create_date: Date; meta_update_date: Date }>(
          `UPDATE gn_meta.t_acquisition_frameworks SET keywords = 'k' WHERE id_acquisition_framework = $1
           RETURNING meta_create_date, meta_update_date`,
          [inserted.id],
        );
        expect(updated.meta_update_date).toEqual(now.now);
        // Column defaults of the CA come from ref_nomenclatures.defaults_nomenclatures_value.
        const defaults = await one<{ level: string; financing: string }>(
          `SELECT ref_nomenclatures.get_cd_nomenclature(id_nomenclature_territorial_level) AS level,
                  ref_nomenclatures.get_cd_nomenclature(id_nomenclature_financing_type) AS financing
           FROM gn_meta.t_acquisition_frameworks WHERE id_acquisition_framework = $1`,
          [inserted.id],
        );
        expect(defaults).toEqual({ level: '3', financing: '1' });
      });
      // The fixture sent '2017-05-01 10:35:08' for the sample CA: the trigger replaced it at load time.
      const sample = await one<{ meta_create_date: Date }>(
        `SELECT meta_create_date FROM gn_meta.t_acquisition_frameworks WHERE unique_acquisition_framework_id = $1`,
        [SAMPLE.acquisitionFrameworkUuid],
      );
      expect(sample.meta_create_date.getFullYear()).toBeGreaterThan(2017);
    });

    it('rewrites synthese.observers from cor_observer_synthese', async () => {
      await rolledBack(db, async () => {
        const id = await one<{ id_synthese: number }>(`SELECT id_synthese FROM gn_synthese.synthese WHERE unique_id_sinp = $1`, [dump[0]?.uniqueIdSinp]);
        await db.query(`INSERT INTO gn_synthese.cor_observer_synthese (id_synthese, id_role) VALUES ($1, 2), ($1, 5)`, [id.id_synthese]);
        const r = await one<{ observers: string }>(`SELECT observers FROM gn_synthese.synthese WHERE id_synthese = $1`, [id.id_synthese]);
        expect(r.observers.split(', ').sort()).toEqual(['Agent test', 'Validateur test']);
      });
    });
  });

  describe('gn_synthese: the 1,000 Écrins observations', () => {
    it('reads the local SRID from the column types (Find_SRID)', async () => {
      const r = await one<{ synthese: number; areas: number; srid_4326: number }>(
        `SELECT Find_SRID('gn_synthese', 'synthese', 'the_geom_local') AS synthese,
                Find_SRID('ref_geo', 'l_areas', 'geom') AS areas,
                Find_SRID('gn_synthese', 'synthese', 'the_geom_4326') AS srid_4326`,
      );
      expect(r).toEqual({ synthese: 2154, areas: 2154, srid_4326: 4326 });
      expect(built.localSrid).toBe(2154);
    });

    it('holds every row of the dump, deleted ones included, with identical UUIDs, dates and geometries in both SRIDs', async () => {
      expect(dump).toHaveLength(ECRINS.observations);
      const r = await db.query<{
        unique_id_sinp: string;
        unique_id_sinp_grp: string;
        date_min: string;
        date_max: string;
        cd_nom: number;
        nom_cite: string;
        observers: string;
        g4326: string;
        glocal: string;
        gpoint: string;
      }>(
        `SELECT s.unique_id_sinp, s.unique_id_sinp_grp, to_char(s.date_min, 'YYYY-MM-DD HH24:MI:SS') AS date_min,
                to_char(s.date_max, 'YYYY-MM-DD HH24:MI:SS') AS date_max, s.cd_nom, s.nom_cite, s.observers,
                s.the_geom_4326::text AS g4326, s.the_geom_local::text AS glocal, s.the_geom_point::text AS gpoint
         FROM gn_synthese.synthese s JOIN gn_meta.t_datasets d USING (id_dataset)
         WHERE d.unique_dataset_id = $1`,
        [ECRINS.datasetUuid],
      );
      expect(r.rows).toHaveLength(ECRINS.observations);
      const byUuid = new Map(r.rows.map((row) => [row.unique_id_sinp, row]));
      for (const d of dump) {
        expect(byUuid.get(d.uniqueIdSinp), d.uniqueIdSinp).toEqual({
          unique_id_sinp: d.uniqueIdSinp,
          unique_id_sinp_grp: d.uniqueIdSinpGrp,
          date_min: `${d.dateMin} 00:00:00`,
          date_max: `${d.dateMax} 00:00:00`,
          cd_nom: d.cdNom,
          nom_cite: d.nomCite,
          observers: d.observers,
          g4326: d.theGeom4326.toUpperCase(),
          glocal: d.theGeomLocal.toUpperCase(),
          gpoint: d.theGeomPoint.toUpperCase(),
        });
      }
      // The two dumped SRIDs agree with each other (to 1 mm), which is what a client re-projecting relies on.
      const drift = await one<{ max: number }>(
        `SELECT max(ST_Distance(ST_Transform(the_geom_4326, 2154), the_geom_local)) AS max FROM gn_synthese.synthese`,
      );
      expect(drift.max).toBeLessThan(0.001);
    });

    it('lists the 9 rows the dump flags deleted, and deleting them leaves 991 and a deletion log', async () => {
      const deleted = await db.query<{ unique_id_sinp: string }>(
        `SELECT unique_id_sinp FROM passerelle_testdata.synthese_dump_2018 WHERE deleted ORDER BY 1`,
      );
      expect(deleted.rows.map((r) => r.unique_id_sinp)).toEqual(
        dump
          .filter((d) => d.deleted)
          .map((d) => d.uniqueIdSinp)
          .sort(),
      );
      expect(deleted.rows).toHaveLength(ECRINS.deletedInDump);
      await rolledBack(db, async () => {
        await db.query(
          `DELETE FROM gn_synthese.synthese WHERE unique_id_sinp IN (SELECT unique_id_sinp FROM passerelle_testdata.synthese_dump_2018 WHERE deleted)`,
        );
        const after = await one<{ synthese: string; logged: string; links: string }>(
          `SELECT (SELECT count(*) FROM gn_synthese.synthese) AS synthese,
                  (SELECT count(*) FROM gn_synthese.t_log_synthese WHERE last_action = 'D') AS logged,
                  (SELECT count(*) FROM gn_synthese.cor_area_synthese) AS links`,
        );
        expect(after).toEqual({ synthese: String(ECRINS.liveObservations), logged: '9', links: String(ECRINS.liveObservations * 3) });
      });
    });

    it('fills the nomenclature columns with the synthese defaults, by code; sensitivity computed by the trigger', async () => {
      const columns = Object.entries(SYNTHESE_NOMENCLATURES).map(([field, type]) => ({ column: `id_nomenclature_${field}`, type }));
      const select = columns.map((c, i) => `array_agg(DISTINCT ref_nomenclatures.get_cd_nomenclature(${pg.escapeIdentifier(c.column)})) AS c${i}`);
      const r = await one<Record<string, Array<string | null>>>(`SELECT ${select.join(', ')} FROM gn_synthese.synthese`);
      const expected = Object.fromEntries(
        columns.map((c, i) => {
          if (c.type === 'SENSIBILITE') return [`c${i}`, ['0']];
          return [`c${i}`, [SYNTHESE_DEFAULT_CODES[c.type] ?? null]];
        }),
      );
      expect(r).toEqual(expected);
    });

    it('shows a client the load time in meta_create_date and meta_update_date (both overwritten by triggers)', async () => {
      const r = await one<{ create_dates: string; update_dates: string; year: number }>(
        `SELECT count(DISTINCT meta_create_date) AS create_dates, count(DISTINCT meta_update_date) AS update_dates,
                extract(year FROM min(meta_create_date))::integer AS year
         FROM gn_synthese.synthese`,
      );
      expect(r.create_dates).toBe('1');
      expect(r.update_dates).toBe('1');
      expect(r.year).toBeGreaterThan(2018);
    });

    it('has a taxref row for every cd_nom, with cd_ref and the French name of TaxHub 2018', async () => {
      const missing = await one<{ n: string }>(
        `SELECT count(*) AS n FROM gn_synthese.synthese s LEFT JOIN taxonomie.taxref t USING (cd_nom) WHERE t.cd_nom IS NULL`,
      );
      expect(missing.n).toBe('0');
      const vulture = await one<{ lb_nom: string; nom_vern: string; cd_ref: number; regne: string; group2_inpn: string }>(
        `SELECT lb_nom, nom_vern, cd_ref, regne, group2_inpn FROM taxonomie.taxref WHERE cd_nom = 2860`,
      );
      expect(vulture).toEqual({ lb_nom: 'Gyps fulvus', nom_vern: 'Vautour fauve', cd_ref: 2860, regne: 'Animalia', group2_inpn: 'Oiseaux' });
      const synonym = await one<{ cd_ref: number; valid: number }>(
        `SELECT t.cd_ref, (SELECT count(*) FROM taxonomie.taxref v WHERE v.cd_nom = t.cd_ref)::integer AS valid
         FROM taxonomie.taxref t WHERE t.cd_nom = 199425`,
      );
      expect(synonym).toEqual({ cd_ref: 782304, valid: 1 });
      expect(built.counts['taxonomie.taxref']).toBe(254);
    });
  });

  describe('gn_meta: CA and JDD', () => {
    it('has the sample CA and its 3 JDD with their actors, territory, protocol and module, decoded by code', async () => {
      const r = await db.query<{ jdd: string; actor: string; role: string }>(
        `SELECT d.unique_dataset_id AS jdd,
                COALESCE(o.nom_organisme, r.nom_role || ' ' || r.prenom_role) AS actor,
                ref_nomenclatures.get_cd_nomenclature(a.id_nomenclature_actor_role) AS role
         FROM gn_meta.t_datasets d
         JOIN gn_meta.t_acquisition_frameworks ca USING (id_acquisition_framework)
         JOIN gn_meta.cor_dataset_actor a USING (id_dataset)
         LEFT JOIN utilisateurs.bib_organismes o ON o.id_organisme = a.id_organism
         LEFT JOIN utilisateurs.t_roles r ON r.id_role = a.id_role
         WHERE ca.unique_acquisition_framework_id = $1
         ORDER BY 1, 2, 3`,
        [SAMPLE.acquisitionFrameworkUuid],
      );
      const [jdd1, jdd2] = SAMPLE.datasetUuids;
      expect(r.rows).toEqual([
        { jdd: jdd1, actor: 'Parc National des Ecrins', role: '6' },
        { jdd: jdd1, actor: 'Parc National des Ecrins', role: '8' },
        { jdd: jdd1, actor: 'Partenaire test', role: '8' },
        { jdd: jdd2, actor: 'Autre', role: '8' },
        { jdd: jdd2, actor: 'Parc National des Ecrins', role: '5' },
        { jdd: jdd2, actor: 'Parc National des Ecrins', role: '8' },
      ]);
      const datasets = await db.query<{ uuid: string; data_typ: string; objectif: string; territory: string | null; protocol: string | null; modules: string[] }>(
        `SELECT d.unique_dataset_id AS uuid,
                ref_nomenclatures.get_cd_nomenclature(d.id_nomenclature_data_type) AS data_typ,
                ref_nomenclatures.get_cd_nomenclature(d.id_nomenclature_dataset_objectif) AS objectif,
                (SELECT ref_nomenclatures.get_cd_nomenclature(t.id_nomenclature_territory) FROM gn_meta.cor_dataset_territory t WHERE t.id_dataset = d.id_dataset) AS territory,
                (SELECT p.protocol_name FROM gn_meta.cor_dataset_protocol cp JOIN gn_meta.sinp_datatype_protocols p USING (id_protocol) WHERE cp.id_dataset = d.id_dataset) AS protocol,
                ARRAY(SELECT m.module_code FROM gn_commons.cor_module_dataset cm JOIN gn_commons.t_modules m USING (id_module) WHERE cm.id_dataset = d.id_dataset)::text[] AS modules
         FROM gn_meta.t_datasets d WHERE d.unique_dataset_id = ANY ($1::uuid[]) ORDER BY 1`,
        [[...SAMPLE.datasetUuids]],
      );
      expect(datasets.rows).toEqual([
        { uuid: SAMPLE.datasetUuids[0], data_typ: '3', objectif: '7.2', territory: 'METROP', protocol: 'hors protocole', modules: ['OCCTAX'] },
        { uuid: SAMPLE.datasetUuids[1], data_typ: '3', objectif: '7.2', territory: 'METROP', protocol: 'hors protocole', modules: ['OCCTAX'] },
        { uuid: SAMPLE.datasetUuids[2], data_typ: '3', objectif: '7.2', territory: null, protocol: null, modules: ['OCCTAX'] },
      ]);
      const ca = await db.query<{ organism: string; role: string }>(
        `SELECT o.nom_organisme AS organism, ref_nomenclatures.get_cd_nomenclature(a.id_nomenclature_actor_role) AS role
         FROM gn_meta.cor_acquisition_framework_actor a
         JOIN gn_meta.t_acquisition_frameworks ca USING (id_acquisition_framework)
         JOIN utilisateurs.bib_organismes o ON o.id_organisme = a.id_organism
         WHERE ca.unique_acquisition_framework_id = $1 ORDER BY 2`,
        [SAMPLE.acquisitionFrameworkUuid],
      );
      expect(ca.rows).toEqual(['6', '7', '8'].map((role) => ({ organism: 'Parc National des Ecrins', role })));
    });

    it('has a CA and a JDD for the Écrins observations, with their actors', async () => {
      const r = await one<{ ca: string; jdd: string; n: string; actors: string[]; source: string }>(
        `SELECT ca.acquisition_framework_name AS ca, d.dataset_name AS jdd,
                (SELECT count(*) FROM gn_synthese.synthese s WHERE s.id_dataset = d.id_dataset) AS n,
                ARRAY(SELECT ref_nomenclatures.get_cd_nomenclature(a.id_nomenclature_actor_role) FROM gn_meta.cor_dataset_actor a
                      WHERE a.id_dataset = d.id_dataset AND a.id_organism = $2 ORDER BY 1)::text[] AS actors,
                (SELECT DISTINCT t.name_source FROM gn_synthese.synthese s JOIN gn_synthese.t_sources t USING (id_source) WHERE s.id_dataset = d.id_dataset) AS source
         FROM gn_meta.t_datasets d JOIN gn_meta.t_acquisition_frameworks ca USING (id_acquisition_framework)
         WHERE d.unique_dataset_id = $1`,
        [ECRINS.datasetUuid, ORGANISMS.ecrins],
      );
      expect(r).toEqual({
        ca: ECRINS.acquisitionFrameworkName,
        jdd: ECRINS.datasetName,
        n: String(ECRINS.observations),
        actors: ['1', '6'],
        source: ECRINS.sourceName,
      });
    });
  });

  describe('ref_geo and cor_area_synthese', () => {
    it('stores the communes and départements of 05 and 38 in the local SRID, with geom_4326 as published', async () => {
      expect(built.counts['ref_geo.l_areas[COM]']).toBe(163 + 521);
      expect(built.counts['ref_geo.l_areas[DEP]']).toBe(2);
      expect(built.counts['ref_geo.li_municipalities']).toBe(163 + 521);
      const r = await one<{ srid: number; srid4326: number; name: string; dep: string; reg: string }>(
        `SELECT ST_SRID(a.geom) AS srid, ST_SRID(a.geom_4326) AS srid4326, m.nom_com AS name, m.nom_dep AS dep, m.insee_reg AS reg
         FROM ref_geo.l_areas a JOIN ref_geo.li_municipalities m USING (id_area) WHERE m.insee_com = '05101'`,
      );
      expect(r).toEqual({ srid: 2154, srid4326: 4326, name: expect.any(String), dep: 'Hautes-Alpes', reg: '93' });
    });

    it('links every observation to exactly one commune, one département and one 10 km cell', async () => {
      const r = await db.query<{ type_code: string; min: number; max: number; observations: string }>(
        `SELECT t.type_code, min(n)::integer AS min, max(n)::integer AS max, count(*) AS observations
         FROM (SELECT s.id_synthese, a.id_type, count(*) AS n
               FROM gn_synthese.synthese s
               JOIN gn_synthese.cor_area_synthese c USING (id_synthese)
               JOIN ref_geo.l_areas a USING (id_area)
               GROUP BY 1, 2) x
         JOIN ref_geo.bib_areas_types t USING (id_type)
         GROUP BY t.type_code ORDER BY 1`,
      );
      expect(r.rows).toEqual(
        ['COM', 'DEP', 'M10'].map((type_code) => ({ type_code, min: 1, max: 1, observations: String(ECRINS.observations) })),
      );
      // The commune and the département agree.
      const mismatch = await one<{ n: string }>(
        `SELECT count(*) AS n
         FROM gn_synthese.cor_area_synthese cc JOIN ref_geo.l_areas com ON com.id_area = cc.id_area AND com.id_type = ref_geo.get_id_area_type('COM')
         JOIN gn_synthese.cor_area_synthese cd ON cd.id_synthese = cc.id_synthese
         JOIN ref_geo.l_areas dep ON dep.id_area = cd.id_area AND dep.id_type = ref_geo.get_id_area_type('DEP')
         WHERE left(com.area_code, 2) <> dep.area_code`,
      );
      expect(mismatch.n).toBe('0');
    });

    it('puts 163 of the 991 live observations in Isère (165 of all 1,000), the rest in Hautes-Alpes', async () => {
      const r = await db.query<{ dep: string; live: string; all: string }>(
        `SELECT a.area_code AS dep, count(*) FILTER (WHERE NOT p.deleted) AS live, count(*) AS all
         FROM gn_synthese.synthese s
         JOIN passerelle_testdata.synthese_dump_2018 p USING (unique_id_sinp)
         JOIN gn_synthese.cor_area_synthese c USING (id_synthese)
         JOIN ref_geo.l_areas a ON a.id_area = c.id_area AND a.id_type = ref_geo.get_id_area_type('DEP')
         GROUP BY 1 ORDER BY 1`,
      );
      expect(r.rows).toEqual([
        { dep: '05', live: String(ECRINS.liveObservations - ECRINS.liveInIsere), all: '835' },
        { dep: '38', live: String(ECRINS.liveInIsere), all: '165' },
      ]);
    });

    it('covers every observation with INPN-coded 10 km cells whose code is the Lambert-93 corner', async () => {
      const cells = await db.query<{ area_code: string; xmin: number; ymin: number; size: number; grid: string }>(
        `SELECT a.area_code, ST_XMin(a.geom)::integer AS xmin, ST_YMin(a.geom)::integer AS ymin,
                (ST_XMax(a.geom) - ST_XMin(a.geom))::integer AS size, g.id_grid AS grid
         FROM ref_geo.l_areas a JOIN ref_geo.li_grids g USING (id_area)
         WHERE a.id_type = ref_geo.get_id_area_type('M10')`,
      );
      expect(cells.rows.length).toBe(built.counts['ref_geo.l_areas[M10]']);
      expect(cells.rows.length).toBeGreaterThan(0);
      for (const c of cells.rows) {
        const m = /^10kmL93E(\d{3})N(\d{3})$/.exec(c.area_code);
        expect(m, c.area_code).not.toBeNull();
        expect([Number(m?.[1]) * 10000, Number(m?.[2]) * 10000, c.size, c.grid]).toEqual([c.xmin, c.ymin, 10000, c.area_code]);
      }
      expect(cells.rows.map((c) => c.area_code)).toContain('10kmL93E094N643');
      const uncovered = await one<{ n: string }>(
        `SELECT count(*) AS n FROM gn_synthese.synthese s
         WHERE NOT EXISTS (SELECT 1 FROM ref_geo.l_areas a
                           WHERE a.id_type = ref_geo.get_id_area_type('M10') AND ST_Covers(a.geom, s.the_geom_local))`,
      );
      expect(uncovered.n).toBe('0');
    });

    it('maps sensitivity levels to blurring area types (1 COM, 2 M10, 3 DEP)', async () => {
      const r = await db.query<{ cd: string; type_code: string }>(
        `SELECT ref_nomenclatures.get_cd_nomenclature(c.id_nomenclature_sensitivity) AS cd, t.type_code
         FROM gn_sensitivity.cor_sensitivity_area_type c JOIN ref_geo.bib_areas_types t ON t.id_type = c.id_area_type ORDER BY 1`,
      );
      expect(r.rows).toEqual([
        { cd: '1', type_code: 'COM' },
        { cd: '2', type_code: 'M10' },
        { cd: '3', type_code: 'DEP' },
      ]);
    });
  });

  describe('builder safety', () => {
    it('fails with a message naming the server when PostgreSQL cannot be reached', async () => {
      const port = await closedPort();
      await expect(buildGeoNatureTestDb({ database: uniqueName('unreachable'), admin: { host: '127.0.0.1', port, user: 'postgres', database: 'postgres' } })).rejects.toThrow(
        new RegExp(`PostgreSQL is not reachable at 127\\.0\\.0\\.1:${port}/postgres .*PostGIS`),
      );
    });

    it('refuses to drop a database it did not build', async () => {
      const name = uniqueName('foreign');
      const admin = new pg.Client(maintenanceConnection());
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
        const other = new pg.Client(withDatabase(maintenanceConnection(), name));
        await other.connect();
        await other.query('CREATE TABLE precious (id integer)');
        await other.end();
        await expect(dropTestDb(name)).rejects.toThrow(/Refusing to drop database/);
        await expect(buildGeoNatureTestDb({ database: name, dropIfExists: true })).rejects.toThrow(/Refusing to drop database/);
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
        await admin.end();
      }
    });
  });
});

describe('GeoNature test database with another local SRID (UTM 32N)', () => {
  let built: BuiltGeoNatureTestDb;
  let db: pg.Client;

  let setupError: unknown;

  beforeAll(async () => {
    try {
      built = await buildGeoNatureTestDb({ database: uniqueName('utm'), localSrid: 32632 });
      db = new pg.Client(built.connection);
      await db.connect();
    } catch (e) {
      setupError = e;
    }
  });
  failEachTestOn(() => setupError);

  afterAll(async () => {
    await db?.end().catch(() => undefined);
    if (built) await dropTestDb(built.database);
  });

  it('types the local geometry columns with it, so Find_SRID reports it', async () => {
    const r = await db.query<{ f_table_name: string; f_geometry_column: string; srid: number }>(
      `SELECT f_table_name, f_geometry_column, srid FROM geometry_columns
       WHERE (f_table_schema, f_table_name) IN (('gn_synthese', 'synthese'), ('ref_geo', 'l_areas')) ORDER BY 1, 2`,
    );
    expect(r.rows).toEqual([
      { f_table_name: 'l_areas', f_geometry_column: 'centroid', srid: 32632 },
      { f_table_name: 'l_areas', f_geometry_column: 'geom', srid: 32632 },
      { f_table_name: 'l_areas', f_geometry_column: 'geom_4326', srid: 4326 },
      { f_table_name: 'synthese', f_geometry_column: 'the_geom_4326', srid: 4326 },
      { f_table_name: 'synthese', f_geometry_column: 'the_geom_local', srid: 32632 },
      { f_table_name: 'synthese', f_geometry_column: 'the_geom_point', srid: 4326 },
    ]);
    const f = await db.query(`SELECT Find_SRID('gn_synthese', 'synthese', 'the_geom_local') AS srid`);
    expect(f.rows).toEqual([{ srid: 32632 }]);
  });

  it('keeps the 4326 geometries of the dump and the same area links', async () => {
    const r = await db.query<{ n: string; max_drift: number; links: string }>(
      `SELECT count(*) AS n,
              max(ST_Distance(ST_Transform(the_geom_local, 4326)::geography, the_geom_4326::geography)) AS max_drift,
              (SELECT count(*) FROM gn_synthese.cor_area_synthese) AS links
       FROM gn_synthese.synthese`,
    );
    expect(r.rows[0]?.n).toBe(String(ECRINS.observations));
    expect(r.rows[0]?.max_drift).toBeLessThan(0.01);
    expect(r.rows[0]?.links).toBe(String(ECRINS.observations * 3));
  });
});
