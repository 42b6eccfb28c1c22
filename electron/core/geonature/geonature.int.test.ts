/**
 * The GeoNature connector against a real GeoNature-shaped PostgreSQL/PostGIS database
 * (test/geonature-db), built for this file and dropped after. No mocks: a missing server or
 * PostGIS fails every test with the builder's message (never skipped).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient, type Client, type GeoNatureConnection, type PgTarget } from '../../../shared/contract/index.js';
import { buildGeoNatureTestDb, dropTestDb, type BuiltGeoNatureTestDb } from '../../../test/geonature-db/build.js';
import { ECRINS, SAMPLE } from '../../../test/geonature-db/fixture-ids.js';
import { passwordOf, targetOf } from '../../../test/geonature-db/target.js';
import { inProcess, type TransportUnderTest } from '../../../test/helpers/transports.js';
import { isAppError } from '../errors.js';
import { decodeGpkg } from '../gpkg/geometry/gpkg-binary.js';
import { decodeWkb } from '../gpkg/geometry/wkb.js';
import { registerGpkgFunctions } from '../gpkg/sql-functions.js';
import { createJobContext, type JobContext } from '../jobs/context.js';
import { WORKSPACE_FORMAT_VERSION } from '../workspace/format.js';
import { pullTask, type PullTaskInput } from './pull.js';

const uniqueName = (tag: string) => `passerelle_gnc_${tag}_${process.pid}_${Date.now().toString(36)}`;
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const tmp = () => mkdtempSync(join(tmpdir(), 'passerelle-gn-'));

/** Fails every test with the setup error (vitest would mark them skipped otherwise). */
function failEachTestOn(getError: () => unknown): void {
  beforeEach(() => {
    const error = getError();
    if (error !== undefined) throw error;
  });
}

interface Fixture {
  built: BuiltGeoNatureTestDb;
  db: pg.Client;
  target: PgTarget;
  connection: GeoNatureConnection;
  face: TransportUnderTest;
  client: Client;
}

async function setUp(tag: string, localSrid: number): Promise<Fixture> {
  const built = await buildGeoNatureTestDb({ database: uniqueName(tag), localSrid });
  const db = new pg.Client(built.connection);
  await db.connect();
  const target = targetOf(built.connection);
  const password = passwordOf(built.connection);
  const face = inProcess();
  return { built, db, target, connection: { target, secrets: password ? { password } : {} }, face, client: createClient(face.transport) };
}

async function tearDown(f: Fixture | undefined): Promise<void> {
  if (!f) return;
  await f.face.close();
  await f.db.end().catch(() => undefined);
  await dropTestDb(f.built.database);
}

function ctxWith(checkpoint?: (rows: number) => Promise<void>): JobContext {
  const base = createJobContext('test', new AbortController().signal, () => undefined);
  let batches = 0;
  return { ...base, checkpoint: async () => checkpoint?.(++batches) };
}

/** Reads every observation of a workspace by UUID. */
function observationsOf(path: string): Map<string, { date_min: string; date_max: string; dataset_uuid: string; geom: Buffer; geom_local_wkb: Buffer; cd_nom: number; sensi: string | null }> {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db
      .prepare('SELECT unique_id_sinp, date_min, date_max, dataset_uuid, geom, geom_local_wkb, cd_nom, cd_nomenclature_sensitivity AS sensi FROM observations')
      .all() as Array<{ unique_id_sinp: string; date_min: string; date_max: string; dataset_uuid: string; geom: Buffer; geom_local_wkb: Buffer; cd_nom: number; sensi: string | null }>;
    return new Map(rows.map((r) => [r.unique_id_sinp, r]));
  } finally {
    db.close();
  }
}

/** Pull round-trip: identical UUIDs, dates and geometries in both SRIDs. */
async function expectRoundTrip(f: Fixture, path: string): Promise<void> {
  const server = await f.db.query<{ u: string; dmin: string; dmax: string; g4326: Buffer; glocal: Buffer; ds: string; cd_nom: number }>(
    `SELECT s.unique_id_sinp::text AS u, to_char(s.date_min, 'YYYY-MM-DD"T"HH24:MI:SS') AS dmin, to_char(s.date_max, 'YYYY-MM-DD"T"HH24:MI:SS') AS dmax,
            ST_AsBinary(s.the_geom_4326) AS g4326, ST_AsBinary(s.the_geom_local) AS glocal, d.unique_dataset_id::text AS ds, s.cd_nom
       FROM gn_synthese.synthese s JOIN gn_meta.t_datasets d USING (id_dataset)`,
  );
  const ws = observationsOf(path);
  expect(ws.size).toBe(ECRINS.observations);
  expect(server.rows).toHaveLength(ECRINS.observations);
  for (const s of server.rows) {
    const o = ws.get(s.u);
    expect(o, s.u).toBeDefined();
    if (!o) continue;
    expect([o.date_min, o.date_max, o.dataset_uuid, o.cd_nom]).toEqual([s.dmin, s.dmax, s.ds, s.cd_nom]);
    // WGS 84: the GeoPackage blob's geometry is exactly PostGIS's (same doubles).
    expect(decodeGpkg(new Uint8Array(o.geom)).geometry).toEqual(decodeWkb(new Uint8Array(s.g4326)).geometry);
    // Local SRID: the very bytes PostGIS sent.
    expect(Buffer.from(o.geom_local_wkb).equals(s.glocal)).toBe(true);
  }
}

describe('GeoNature connector (local SRID 2154)', () => {
  let f: Fixture;
  let setupError: unknown;
  const dir = tmp();

  beforeAll(async () => {
    try {
      f = await setUp('main', 2154);
    } catch (e) {
      setupError = e;
    }
  });
  failEachTestOn(() => setupError);
  afterAll(async () => tearDown(f));

  describe('connection test', () => {
    it('reports ok with the detected schema: Find_SRID, optional columns, privileges, sizes', async () => {
      const t = await f.client.invoke('geonature.test', { connection: f.connection });
      expect(t.status).toBe('ok');
      expect(t.error).toBeNull();
      expect(t.schema?.localSrid).toBe(2154);
      expect(t.schema?.optional['gn_meta.t_datasets.id_nomenclature_dataset_objectif']).toBe(true);
      expect(t.schema?.optional['gn_meta.cor_dataset_objectif']).toBe(false);
      expect(t.privileges).toEqual({ read: true, push: true, missingForPush: [] });
      expect(t.counts).toMatchObject({ frameworks: 2, datasets: 4 });
      expect(t.target).toBe(`${f.target.host}:${f.target.port}/${f.built.database}`);
    });

    it('says unreachable for a closed port, no_database for an unknown database', async () => {
      const closed = await f.client.invoke('geonature.test', { connection: { target: { ...f.target, port: 1 } }, timeoutMs: 2000 });
      expect(closed.status).toBe('unreachable');
      expect(closed.error?.code).toBe('UNREACHABLE');
      const nodb = await f.client.invoke('geonature.test', { connection: { ...f.connection, target: { ...f.target, database: `${f.built.database}_nope` } } });
      expect(nodb.status).toBe('no_database');
    });

    it('says auth_failed for a role that may not log in', async () => {
      const role = `${f.built.database}_nologin`;
      await f.db.query(`CREATE ROLE ${pg.escapeIdentifier(role)} NOLOGIN`);
      try {
        const t = await f.client.invoke('geonature.test', { connection: { target: { ...f.target, user: role } } });
        expect(t.status).toBe('auth_failed');
        expect(t.error?.code).toBe('AUTH_FAILED');
        const browse = await f.client.call('geonature.browse', { connection: { target: { ...f.target, user: role } } });
        expect(browse.ok ? 'ok' : browse.error.code).toBe('AUTH_FAILED');
      } finally {
        await f.db.query(`DROP ROLE ${pg.escapeIdentifier(role)}`);
      }
    });

    it('says insufficient_privileges for a role that may not read the synthese, and what push would lack', async () => {
      const role = `${f.built.database}_reader`;
      const r = pg.escapeIdentifier(role);
      await f.db.query(`CREATE ROLE ${r} LOGIN`);
      try {
        for (const s of ['gn_meta', 'gn_synthese', 'ref_nomenclatures', 'ref_geo', 'taxonomie']) {
          await f.db.query(`GRANT USAGE ON SCHEMA ${s} TO ${r}; GRANT SELECT ON ALL TABLES IN SCHEMA ${s} TO ${r}`);
        }
        const reader = await f.client.invoke('geonature.test', { connection: { target: { ...f.target, user: role } } });
        expect(reader.status).toBe('ok');
        expect(reader.privileges.push).toBe(false);
        expect(reader.privileges.missingForPush).toContain('UPDATE on gn_meta.t_datasets');
        await f.db.query(`REVOKE SELECT ON gn_synthese.synthese FROM ${r}`);
        const t = await f.client.invoke('geonature.test', { connection: { target: { ...f.target, user: role } } });
        expect(t.status).toBe('insufficient_privileges');
        expect(t.missing).toEqual(['SELECT on gn_synthese.synthese']);
        const pull = await f.client.call('geonature.pull', { connection: { target: { ...f.target, user: role } }, out: join(dir, 'denied.gpkg') });
        expect(pull.ok ? 'ok' : pull.error.code).toBe('PERMISSION_DENIED');
        expect(existsSync(join(dir, 'denied.gpkg'))).toBe(false);
      } finally {
        await f.db.query(`REASSIGN OWNED BY ${r} TO CURRENT_USER; DROP OWNED BY ${r}; DROP ROLE ${r}`);
      }
    });
  });

  describe('browse', () => {
    it('returns the sample CA/JDD and the Écrins one with decoded labels and counts', async () => {
      const b = await f.client.invoke('geonature.browse', { connection: f.connection });
      expect(b.schema.localSrid).toBe(2154);
      const sample = b.frameworks.find((x) => x.uuid === SAMPLE.acquisitionFrameworkUuid);
      expect(sample?.datasets.map((d) => d.uuid).sort()).toEqual([...SAMPLE.datasetUuids].sort());
      const ecrins = b.frameworks.find((x) => x.uuid === ECRINS.acquisitionFrameworkUuid);
      expect(ecrins?.name).toBe(ECRINS.acquisitionFrameworkName);
      expect(ecrins?.nomenclatures.territorial_level).toEqual({ type: 'NIVEAU_TERRITORIAL', code: '3', label: expect.any(String) });
      expect(ecrins?.territories.map((t) => t.code)).toEqual(['METROP']);
      const jdd = ecrins?.datasets[0];
      expect(jdd).toMatchObject({ uuid: ECRINS.datasetUuid, name: ECRINS.datasetName, observations: 1000, taxa: 253, dateMin: '2000-01-10', dateMax: '2017-10-02' });
      expect(jdd?.nomenclatures.data_type).toEqual({ type: 'DATA_TYP', code: '1', label: 'Occurrences de Taxons' });
      expect(jdd?.nomenclatures.data_origin?.code).toBe('Pu');
      expect(jdd?.actors.map((a) => [a.organism, a.role?.code])).toEqual([
        ['Parc National des Ecrins', '1'],
        ['Parc National des Ecrins', '6'],
      ]);
      // Never an install id: every decoded value is a code with a label.
      expect(JSON.stringify(b)).not.toMatch(/"id_nomenclature/);
    });
  });

  describe('estimate', () => {
    it('counts by JDD, CA, taxon with descendants, dates, bbox and area, as the server does', async () => {
      const est = (filters: object) => f.client.invoke('geonature.estimate', { connection: f.connection, filters });
      expect(await est({})).toEqual({ observations: 1000, datasets: 1 });
      expect((await est({ datasets: [ECRINS.datasetUuid] })).observations).toBe(1000);
      expect((await est({ frameworks: [SAMPLE.acquisitionFrameworkUuid] })).observations).toBe(0);
      expect((await est({ areas: [{ type: 'DEP', code: '38' }] })).observations).toBe(165);
      expect((await est({ areas: [{ type: null, code: '05' }] })).observations).toBe(835);
      const byYear = await f.db.query<{ n: string }>(`SELECT count(*) AS n FROM gn_synthese.synthese WHERE date_min >= '2010-01-01' AND date_min < '2011-01-01'`);
      expect((await est({ dateFrom: '2010-01-01', dateTo: '2010-12-31' })).observations).toBe(Number(byYear.rows[0]?.n));
      const inBox = await f.db.query<{ n: string }>(`SELECT count(*) AS n FROM gn_synthese.synthese WHERE ST_Intersects(the_geom_4326, ST_MakeEnvelope(6, 44.8, 6.4, 45, 4326))`);
      expect((await est({ bbox: [6, 44.8, 6.4, 45] })).observations).toBe(Number(inBox.rows[0]?.n));
      // A genus: make two observed species its children (the test taxref has no hierarchy), then filter on the genus.
      const two = await f.db.query<{ cd_nom: number; n: string }>(`SELECT cd_nom, count(*) AS n FROM gn_synthese.synthese GROUP BY cd_nom ORDER BY 2 DESC, 1 LIMIT 2`);
      const [a, b] = two.rows;
      await f.db.query('BEGIN');
      try {
        await f.db.query(`INSERT INTO taxonomie.taxref (cd_nom, cd_ref, lb_nom) VALUES (999001, 999001, 'Genus testus')`);
        await f.db.query(`UPDATE taxonomie.taxref SET cd_sup = 999001 WHERE cd_nom = ANY($1::int[])`, [[a?.cd_nom, b?.cd_nom]]);
        await f.db.query('COMMIT');
      } catch (e) {
        await f.db.query('ROLLBACK');
        throw e;
      }
      try {
        expect((await est({ taxa: [999001] })).observations).toBe(Number(a?.n) + Number(b?.n));
      } finally {
        await f.db.query(`UPDATE taxonomie.taxref SET cd_sup = NULL WHERE cd_sup = 999001; DELETE FROM taxonomie.taxref WHERE cd_nom = 999001`);
      }
    });

    it('refuses a CA, JDD or area that does not exist (a typo must not pull nothing)', async () => {
      const r = await f.client.call('geonature.estimate', { connection: f.connection, filters: { datasets: ['00000000-0000-4000-8000-000000000000'] } });
      expect(r.ok ? 'ok' : [r.error.code, r.error.details?.key]).toEqual(['NOT_FOUND', 'errors.GN_FILTER_UNKNOWN']);
      const a = await f.client.call('geonature.estimate', { connection: f.connection, filters: { areas: [{ type: 'DEP', code: "'; DROP TABLE gn_meta.t_datasets; --" }] } });
      expect(a.ok ? 'ok' : a.error.code).toBe('NOT_FOUND');
    });
  });

  describe('pull', () => {
    const ws = join(dir, 'ecrins.gpkg');

    it('pulls the Écrins JDD: 1,000 observations with identical UUIDs, dates and geometries (4326 and 2154)', async () => {
      const r = await f.client.invoke('geonature.pull', { connection: f.connection, filters: { datasets: [ECRINS.datasetUuid] }, out: ws });
      expect(r).toMatchObject({ created: true, observations: 1000, frameworks: 1, datasets: 1, taxa: 254, localSrid: 2154, merge: null });
      await expectRoundTrip(f, ws);
      const db = new Database(ws, { readonly: true });
      registerGpkgFunctions(db);
      try {
        const meta = Object.fromEntries((db.prepare('SELECT key, value FROM passerelle_meta').all() as Array<{ key: string; value: string }>).map((m) => [m.key, m.value]));
        expect(meta).toMatchObject({ format_version: String(WORKSPACE_FORMAT_VERSION), local_srid: '2154', pull_server: `${f.target.host}:${f.target.port}`, pull_database: f.built.database, pull_count: '1' });
        expect(JSON.parse(meta.pull_filters ?? '{}')).toMatchObject({ datasets: [ECRINS.datasetUuid] });
        const jdd = db.prepare('SELECT cd_nomenclature_data_type AS c, label_data_type AS l, acquisition_framework_uuid AS af, local_status AS s FROM datasets').get();
        expect(jdd).toEqual({ c: '1', l: 'Occurrences de Taxons', af: ECRINS.acquisitionFrameworkUuid, s: 'server' });
        // Areas covering the extract: every observation in exactly one COM, one DEP and one M10, as cor_area_synthese says.
        const perType = db
          .prepare(`SELECT a.type_code AS t, count(DISTINCT c.observation_fid) AS n, count(*) AS links FROM cor_area_observation c JOIN areas a ON a.fid = c.area_fid GROUP BY 1 ORDER BY 1`)
          .all();
        expect(perType).toEqual(['COM', 'DEP', 'M10'].map((t) => ({ t, n: 1000, links: 1000 })));
        const deps = db.prepare(`SELECT area_code FROM areas WHERE type_code = 'DEP' ORDER BY 1`).all();
        expect(deps).toEqual([{ area_code: '05' }, { area_code: '38' }]);
        expect((db.prepare(`SELECT count(*) AS n FROM nomenclatures WHERE type_mnemonique = 'SENSIBILITE'`).get() as { n: number }).n).toBe(5);
        expect((db.prepare(`SELECT count(*) AS n FROM sensitivity_area_types`).get() as { n: number }).n).toBe(3);
        // No install id anywhere: nomenclature columns hold SINP codes.
        // The packed rtree is one SQLite accepts, and indexes every observation at its point.
        expect(db.prepare(`SELECT rtreecheck('rtree_observations_geom') AS r`).get()).toEqual({ r: 'ok' });
        expect(db.prepare(`SELECT count(*) AS n FROM rtree_observations_geom r JOIN observations o ON o.fid = r.id WHERE r.minx <= ST_MinX(o.geom) AND r.maxx >= ST_MaxX(o.geom)`).get()).toEqual({ n: 1000 });
        const sensi = db.prepare(`SELECT DISTINCT cd_nomenclature_sensitivity AS c FROM observations`).all();
        expect(sensi).toEqual([{ c: '0' }]);
      } finally {
        db.close();
      }
      // A GeoPackage other tools read: GDAL counts the same.
      const summary = await f.client.invoke('workspace.summary', { path: ws });
      expect(summary.observations.count).toBe(1000);
      expect(summary.formatVersion).toBe(WORKSPACE_FORMAT_VERSION);
    });

    it('pulls the raw sensitivity rules of the extract’s taxa with their areas and criteria, as codes', async () => {
      const cd = await f.db.query<{ cd_nom: number }>(`SELECT cd_nom FROM gn_synthese.synthese WHERE cd_nom IS NOT NULL LIMIT 1`);
      const cdNom = cd.rows[0]?.cd_nom;
      await f.db.query(
        `INSERT INTO gn_sensitivity.t_sensitivity_rules (cd_nom, id_nomenclature_sensitivity, sensitivity_duration, sensitivity_territory, source)
         VALUES ($1, ref_nomenclatures.get_id_nomenclature('SENSIBILITE', '2'), 10000, 'Département', 'passerelle test')`,
        [cdNom],
      );
      try {
        await f.db.query(
          `INSERT INTO gn_sensitivity.cor_sensitivity_area (id_sensitivity, id_area)
           SELECT r.id_sensitivity, a.id_area FROM gn_sensitivity.t_sensitivity_rules r, ref_geo.l_areas a
            WHERE r.source = 'passerelle test' AND a.area_code = '38' AND a.id_type = ref_geo.get_id_area_type('DEP');
           INSERT INTO gn_sensitivity.cor_sensitivity_criteria (id_sensitivity, id_criteria, id_type_nomenclature)
           SELECT r.id_sensitivity, ref_nomenclatures.get_id_nomenclature('STATUT_BIO', '3'), ref_nomenclatures.get_id_nomenclature_type('STATUT_BIO')
             FROM gn_sensitivity.t_sensitivity_rules r WHERE r.source = 'passerelle test'`,
        );
        const out = join(dir, 'rules.gpkg');
        const r = await f.client.invoke('geonature.pull', { connection: f.connection, filters: { taxa: [Number(cdNom)] }, out });
        expect(r.sensitivityRules).toBe(1);
        const db = new Database(out, { readonly: true });
        try {
          expect(db.prepare('SELECT cd_nom, cd_nomenclature_sensitivity AS s, sensitivity_duration AS d FROM sensitivity_rules').all()).toEqual([{ cd_nom: cdNom, s: '2', d: 10000 }]);
          expect(db.prepare('SELECT type_code, area_code FROM sensitivity_rule_areas').all()).toEqual([{ type_code: 'DEP', area_code: '38' }]);
          expect(db.prepare('SELECT type_mnemonique, cd_nomenclature FROM sensitivity_rule_criteria').all()).toEqual([{ type_mnemonique: 'STATUT_BIO', cd_nomenclature: '3' }]);
          // The rule's area is in the workspace even if no observation of the extract falls in it.
          expect(db.prepare(`SELECT count(*) AS n FROM areas WHERE type_code = 'DEP' AND area_code = '38'`).get()).toEqual({ n: 1 });
        } finally {
          db.close();
        }
      } finally {
        await f.db.query(`DELETE FROM gn_sensitivity.t_sensitivity_rules WHERE source = 'passerelle test'`);
      }
    });

    it('refuses to overwrite an existing file with --out, and leaves it as it was', async () => {
      const before = sha(ws);
      const r = await f.client.call('geonature.pull', { connection: f.connection, out: ws });
      expect(r.ok ? 'ok' : [r.error.code, r.error.details?.key]).toEqual(['CONFLICT', 'errors.GN_OUT_EXISTS']);
      expect(sha(ws)).toBe(before);
    });

    it('leaves the previous workspace untouched when the connection is killed mid-pull', async () => {
      const before = sha(ws);
      const input: PullTaskInput = { connection: { target: f.target, secrets: f.connection.secrets }, filters: { frameworks: [], datasets: [], taxa: [], dateFrom: null, dateTo: null, bbox: null, areas: [] }, workspace: ws, overwrite: false, actor: 'test', batchSize: 50 };
      let killed = 0;
      const ctx = ctxWith(async (batches) => {
        if (batches !== 2) return;
        const r = await f.db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'passerelle' AND pid <> pg_backend_pid()`, [f.built.database]);
        killed = r.rowCount ?? 0;
      });
      const error = await pullTask(input, ctx).then(
        () => null,
        (e: unknown) => e,
      );
      expect(killed).toBe(1);
      expect(isAppError(error, 'UNREACHABLE') ? error.key : String(error)).toBe('errors.GN_CONNECTION_LOST');
      expect(sha(ws)).toBe(before);
      expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    });

    it('leaves the previous workspace untouched when the pull is cancelled', async () => {
      const before = sha(ws);
      const controller = new AbortController();
      const base = createJobContext('cancel', controller.signal, () => undefined);
      let batches = 0;
      const ctx: JobContext = {
        ...base,
        checkpoint: async () => {
          if (++batches === 3) controller.abort();
          await base.checkpoint();
        },
      };
      const input: PullTaskInput = { connection: { target: f.target, secrets: f.connection.secrets }, filters: { frameworks: [], datasets: [], taxa: [], dateFrom: null, dateTo: null, bbox: null, areas: [] }, workspace: ws, overwrite: false, actor: 'test', batchSize: 50 };
      const error = await pullTask(input, ctx).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isAppError(error, 'CANCELLED')).toBe(true);
      expect(sha(ws)).toBe(before);
      expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    });
  });

  describe('changes and push', () => {
    const ws = join(dir, 'push.gpkg');
    const newJdd = '7d1f6a3e-2b4c-4d5e-8f9a-0b1c2d3e4f50';
    let moved: string[] = [];

    beforeAll(async () => {
      if (setupError) return;
      await f.client.invoke('geonature.pull', { connection: f.connection, filters: { frameworks: [ECRINS.acquisitionFrameworkUuid] }, out: ws });
    });

    it('records field edits, a new JDD and a reassignment in the journal and the audit log, atomically', async () => {
      const edit = await f.client.invoke('geonature.editField', { workspace: ws, entity: 'dataset', uuid: ECRINS.datasetUuid, field: 'keywords', value: 'Écrins, faune, flore, restructuré' });
      expect(edit).toMatchObject({ kind: 'edit', field: 'keywords', before: 'Écrins, faune, flore', after: 'Écrins, faune, flore, restructuré', state: 'pending' });
      const code = await f.client.invoke('geonature.editField', { workspace: ws, entity: 'dataset', uuid: ECRINS.datasetUuid, field: 'collecting_method', value: '12' });
      expect(code.after).toBe('12');
      const bad = await f.client.call('geonature.editField', { workspace: ws, entity: 'dataset', uuid: ECRINS.datasetUuid, field: 'collecting_method', value: '999' });
      expect(bad.ok ? 'ok' : bad.error.details?.key).toBe('errors.GN_UNKNOWN_CODE');
      const readOnly = await f.client.call('geonature.editField', { workspace: ws, entity: 'dataset', uuid: ECRINS.datasetUuid, field: 'meta_update_date', value: '2020-01-01' });
      expect(readOnly.ok ? 'ok' : readOnly.error.details?.key).toBe('errors.GN_UNKNOWN_FIELD');
      await f.client.invoke('geonature.createDataset', {
        workspace: ws,
        framework: ECRINS.acquisitionFrameworkUuid,
        uuid: newJdd,
        copyFrom: ECRINS.datasetUuid,
        values: { dataset_name: 'Écrins – oiseaux', dataset_shortname: 'ecrins_oiseaux', dataset_desc: 'Oiseaux extraits du JDD de développement' },
      });
      const obs = observationsOf(ws);
      moved = [...obs.keys()].sort().slice(0, 40);
      const re = await f.client.invoke('geonature.reassignObservations', { workspace: ws, dataset: newJdd, observations: moved });
      expect(re.after).toEqual({ dataset: newJdd, observations: 40 });
      const info = await f.client.invoke('geonature.workspace', { workspace: ws });
      expect(info.pendingChanges).toBe(4);
      expect(info.datasets.find((d) => d.uuid === newJdd)).toMatchObject({ status: 'created', observations: 40, values: { collecting_method: '12', data_type: '1' } });
      expect(info.datasets.find((d) => d.uuid === ECRINS.datasetUuid)).toMatchObject({ status: 'modified', observations: 960, labels: { collecting_method: 'Autre' } });
      const db = new Database(ws, { readonly: true });
      try {
        const audit = db.prepare(`SELECT action FROM passerelle_audit ORDER BY id`).all().map((r) => (r as { action: string }).action);
        expect(audit).toEqual(['pull', 'edit', 'edit', 'create', 'reassign']);
      } finally {
        db.close();
      }
    });

    it('shows the diff as a dry run, writing nothing anywhere', async () => {
      const before = sha(ws);
      const server = await f.db.query(`SELECT keywords, meta_update_date FROM gn_meta.t_datasets WHERE unique_dataset_id = $1`, [ECRINS.datasetUuid]);
      const r = await f.client.invoke('geonature.push', { connection: f.connection, workspace: ws, dryRun: true });
      expect(r).toMatchObject({ dryRun: true, applied: false, conflicts: [], changes: 4 });
      expect(r.rows.filter((x) => x.action === 'update').map((x) => [x.field, x.server, x.local])).toEqual([
        ['keywords', 'Écrins, faune, flore', 'Écrins, faune, flore, restructuré'],
        ['collecting_method', '1', '12'],
      ]);
      expect(r.rows.filter((x) => x.action === 'insert' && x.uuid === newJdd).map((x) => x.field)).toContain('dataset_name');
      expect(r.moves).toEqual([{ from: ECRINS.datasetUuid, fromName: ECRINS.datasetName, to: newJdd, toName: 'Écrins – oiseaux', observations: 40 }]);
      expect(sha(ws)).toBe(before);
      expect((await f.db.query(`SELECT keywords, meta_update_date FROM gn_meta.t_datasets WHERE unique_dataset_id = $1`, [ECRINS.datasetUuid])).rows).toEqual(server.rows);
      expect((await f.db.query(`SELECT 1 FROM gn_meta.t_datasets WHERE unique_dataset_id = $1`, [newJdd])).rowCount).toBe(0);
    });

    it('pushes the JDD edit, the new JDD and the reassignment exactly once, respecting the triggers', async () => {
      const r = await f.client.invoke('geonature.push', { connection: f.connection, workspace: ws, dryRun: false });
      expect(r).toMatchObject({ applied: true, conflicts: [] });
      const jdd = await f.db.query<{ keywords: string; method: string; updated: Date | null }>(
        `SELECT keywords, ref_nomenclatures.get_cd_nomenclature(id_nomenclature_collecting_method) AS method, meta_update_date AS updated FROM gn_meta.t_datasets WHERE unique_dataset_id = $1`,
        [ECRINS.datasetUuid],
      );
      expect(jdd.rows[0]).toMatchObject({ keywords: 'Écrins, faune, flore, restructuré', method: '12' });
      expect(jdd.rows[0]?.updated).not.toBeNull();
      const created = await f.db.query<{ n: string; name: string; created: Date; actors: string }>(
        `SELECT (SELECT count(*) FROM gn_synthese.synthese s WHERE s.id_dataset = d.id_dataset) AS n, d.dataset_name AS name, d.meta_create_date AS created,
                (SELECT count(*) FROM gn_meta.cor_dataset_actor a WHERE a.id_dataset = d.id_dataset) AS actors
           FROM gn_meta.t_datasets d WHERE d.unique_dataset_id = $1`,
        [newJdd],
      );
      expect(created.rows).toEqual([{ n: '40', name: 'Écrins – oiseaux', created: expect.any(Date), actors: '2' }]);
      const onServer = await f.db.query<{ u: string }>(`SELECT s.unique_id_sinp::text AS u FROM gn_synthese.synthese s JOIN gn_meta.t_datasets d USING (id_dataset) WHERE d.unique_dataset_id = $1 ORDER BY 1`, [newJdd]);
      expect(onServer.rows.map((x) => x.u)).toEqual(moved);
      // The workspace now has the server's values (dates set by the triggers) as its base, and nothing pending.
      const info = await f.client.invoke('geonature.workspace', { workspace: ws });
      expect(info.pendingChanges).toBe(0);
      expect(info.datasets.map((d) => d.status)).toEqual(['server', 'server']);
      // Again: nothing to push, nothing written.
      const again = await f.client.invoke('geonature.push', { connection: f.connection, workspace: ws, dryRun: false });
      expect(again).toMatchObject({ rows: [], moves: [], conflicts: [] });
      const db = new Database(ws, { readonly: true });
      try {
        expect(db.prepare(`SELECT count(*) AS n FROM passerelle_audit WHERE action = 'push'`).get()).toEqual({ n: 2 });
        expect(db.prepare(`SELECT DISTINCT state FROM change_journal`).all()).toEqual([{ state: 'pushed' }]);
      } finally {
        db.close();
      }
    });

    it('stops with CONFLICT when the server changed the same field since the pull, and writes nothing', async () => {
      await f.client.invoke('geonature.editField', { workspace: ws, entity: 'dataset', uuid: ECRINS.datasetUuid, field: 'dataset_shortname', value: 'pne_dev_local' });
      await f.client.invoke('geonature.editField', { workspace: ws, entity: 'dataset', uuid: ECRINS.datasetUuid, field: 'keywords', value: 'local' });
      await f.db.query(`UPDATE gn_meta.t_datasets SET dataset_shortname = 'pne_dev_server' WHERE unique_dataset_id = $1`, [ECRINS.datasetUuid]);
      const dry = await f.client.invoke('geonature.push', { connection: f.connection, workspace: ws, dryRun: true });
      expect(dry.conflicts).toEqual([{ entity: 'dataset', uuid: ECRINS.datasetUuid, label: ECRINS.datasetName, field: 'dataset_shortname', base: 'jdd_synthese_dev', local: 'pne_dev_local', server: 'pne_dev_server' }]);
      const before = sha(ws);
      const r = await f.client.call('geonature.push', { connection: f.connection, workspace: ws, dryRun: false });
      expect(r.ok ? 'ok' : [r.error.code, r.error.details?.key]).toEqual(['CONFLICT', 'errors.GN_PUSH_CONFLICT']);
      const server = await f.db.query(`SELECT dataset_shortname, keywords FROM gn_meta.t_datasets WHERE unique_dataset_id = $1`, [ECRINS.datasetUuid]);
      expect(server.rows).toEqual([{ dataset_shortname: 'pne_dev_server', keywords: 'Écrins, faune, flore, restructuré' }]);
      expect(sha(ws)).toBe(before);
    });

    it('re-pulls: keeps local edits, takes server changes, lists the conflict; settling it lets push go through', async () => {
      // The server also changes a field the workspace did not touch, and moves an observation back.
      await f.db.query(`UPDATE gn_meta.t_datasets SET dataset_desc = 'Description changée sur le serveur' WHERE unique_dataset_id = $1`, [ECRINS.datasetUuid]);
      const r = await f.client.invoke('geonature.pull', { connection: f.connection, workspace: ws, filters: { frameworks: [ECRINS.acquisitionFrameworkUuid] } });
      expect(r.created).toBe(false);
      expect(r.merge?.conflicts.map((c) => [c.field, c.base, c.local, c.server])).toEqual([['dataset_shortname', 'jdd_synthese_dev', 'pne_dev_local', 'pne_dev_server']]);
      expect(r.merge).toMatchObject({ added: 0, removed: 0 });
      const info = await f.client.invoke('geonature.workspace', { workspace: ws });
      const jdd = info.datasets.find((d) => d.uuid === ECRINS.datasetUuid);
      expect(jdd?.values).toMatchObject({ keywords: 'local', dataset_shortname: 'pne_dev_local', dataset_desc: 'Description changée sur le serveur' });
      expect(info.provenance?.pulls).toBe(2);
      expect(info.pendingChanges).toBe(2);
      const blocked = await f.client.call('geonature.push', { connection: f.connection, workspace: ws, dryRun: false });
      expect(blocked.ok ? 'ok' : blocked.error.code).toBe('CONFLICT');
      const conflict = info.conflicts[0];
      expect(conflict?.field).toBe('dataset_shortname');
      await f.client.invoke('geonature.resolveConflict', { workspace: ws, conflict: conflict?.id ?? -1, keep: 'local' });
      const pushed = await f.client.invoke('geonature.push', { connection: f.connection, workspace: ws, dryRun: false });
      expect(pushed.applied).toBe(true);
      const server = await f.db.query(`SELECT dataset_shortname, keywords, dataset_desc FROM gn_meta.t_datasets WHERE unique_dataset_id = $1`, [ECRINS.datasetUuid]);
      expect(server.rows).toEqual([{ dataset_shortname: 'pne_dev_local', keywords: 'local', dataset_desc: 'Description changée sur le serveur' }]);
    });

    it('refuses to push into another database than the one pulled from', async () => {
      const r = await f.client.call('geonature.push', { connection: { ...f.connection, target: { ...f.target, database: 'postgres' } }, workspace: ws, dryRun: true });
      expect(r.ok ? 'ok' : [r.error.code, r.error.details?.key]).toEqual(['CONFLICT', 'errors.GN_OTHER_DATABASE']);
    });
  });

  describe('hostile names', () => {
    it('a table or column name with quotes in it cannot inject SQL', async () => {
      const evilColumn = `x"); DROP TABLE gn_meta.t_acquisition_frameworks; --`;
      const evilTable = `t"; DROP TABLE gn_synthese.synthese; --`;
      await f.db.query(`ALTER TABLE gn_synthese.synthese ADD COLUMN ${pg.escapeIdentifier(evilColumn)} text`);
      await f.db.query(`CREATE TABLE gn_meta.${pg.escapeIdentifier(evilTable)} (${pg.escapeIdentifier(evilColumn)} int)`);
      try {
        const t = await f.client.invoke('geonature.test', { connection: f.connection });
        expect(t.status).toBe('ok');
        const out = join(dir, 'hostile.gpkg');
        const r = await f.client.invoke('geonature.pull', { connection: f.connection, out, filters: { areas: [{ type: `DEP'); DROP TABLE x; --`, code: '05' }, { type: 'DEP', code: '05' }] } }).catch((e: unknown) => e);
        // The hostile area type does not exist: refused by name, nothing run.
        expect(r).toBeInstanceOf(Error);
        const ok = await f.client.invoke('geonature.pull', { connection: f.connection, out, filters: { areas: [{ type: 'DEP', code: '05' }] } });
        expect(ok.observations).toBe(835);
        const tables = await f.db.query(`SELECT to_regclass('gn_meta.t_acquisition_frameworks') IS NOT NULL AS af, to_regclass('gn_synthese.synthese') IS NOT NULL AS s`);
        expect(tables.rows).toEqual([{ af: true, s: true }]);
      } finally {
        await f.db.query(`DROP TABLE gn_meta.${pg.escapeIdentifier(evilTable)}; ALTER TABLE gn_synthese.synthese DROP COLUMN ${pg.escapeIdentifier(evilColumn)}`);
      }
    });
  });

  describe('free text', () => {
    it('keeps tabs, newlines, backslashes, a literal \\N, quotes and double-encoded UTF-8 exactly', async () => {
      const nasty = 'Dupont\tJean\nligne 2\\r\\N \\ "guillemets" \'apostrophe\' Marie-GeneviÃ¨ve \r fin';
      const row = await f.db.query<{ u: string; old: string | null; obs: string | null }>(
        `SELECT unique_id_sinp::text AS u, comment_description AS old, observers AS obs FROM gn_synthese.synthese ORDER BY id_synthese LIMIT 1`,
      );
      const u = row.rows[0]?.u as string;
      await f.db.query(`UPDATE gn_synthese.synthese SET comment_description = $1::text, observers = $1::text WHERE unique_id_sinp = $2`, [nasty, u]);
      try {
        const out = join(dir, 'text.gpkg');
        await f.client.invoke('geonature.pull', { connection: f.connection, out });
        const db = new Database(out, { readonly: true });
        try {
          expect(db.prepare('SELECT comment_description AS c, observers AS o FROM observations WHERE unique_id_sinp = ?').get(u)).toEqual({ c: nasty, o: nasty });
        } finally {
          db.close();
        }
      } finally {
        await f.db.query(`UPDATE gn_synthese.synthese SET comment_description = $1, observers = $2 WHERE unique_id_sinp = $3`, [row.rows[0]?.old ?? null, row.rows[0]?.obs ?? null, u]);
      }
    });
  });

  describe('profiles', () => {
    it('saves connections without any secret, even when one is passed with the call', async () => {
      const saved = await f.client.invoke('geonature.saveProfile', { profile: { name: 'test', ...f.target } });
      expect(saved.profiles.map((p) => p.name)).toEqual(['test']);
      const secret = 'hunter2-do-not-store';
      const t = await f.client.invoke('geonature.test', { connection: { profile: 'test', secrets: { password: secret, sshPassword: secret } } });
      expect(t.status).toBe('ok');
      const text = readFileSync(saved.file, 'utf8');
      expect(text).not.toContain(secret);
      expect(text).not.toMatch(/password/i);
      const log = readFileSync(f.face.engine.log.file, 'utf8');
      expect(log).not.toContain(secret);
      const injected = await f.client.call('geonature.saveProfile', { profile: { name: 'x', ...f.target, password: secret } as never });
      expect(injected.ok ? 'ok' : injected.error.code).toBe('INVALID_INPUT');
      expect(readFileSync(saved.file, 'utf8')).not.toContain(secret);
      await f.client.invoke('geonature.deleteProfile', { name: 'test' });
      const missing = await f.client.call('geonature.test', { connection: { profile: 'test' } });
      expect(missing.ok ? 'ok' : missing.error.details?.key).toBe('errors.GN_PROFILE_NOT_FOUND');
    });
  });
});

describe('GeoNature connector: another local SRID (UTM 32N) and develop’s t_datasets without id_nomenclature_dataset_objectif', () => {
  let f: Fixture;
  let setupError: unknown;
  const dir = tmp();

  beforeAll(async () => {
    try {
      f = await setUp('utm', 32632);
      // GeoNature develop (reference §1.6) moves the objective to cor_dataset_objectif and drops the column.
      await f.db.query(`CREATE TABLE gn_meta.cor_dataset_objectif AS SELECT id_dataset, id_nomenclature_dataset_objectif AS id_nomenclature_objectif FROM gn_meta.t_datasets`);
      await f.db.query(`ALTER TABLE gn_meta.t_datasets DROP COLUMN id_nomenclature_dataset_objectif`);
    } catch (e) {
      setupError = e;
    }
  });
  failEachTestOn(() => setupError);
  afterAll(async () => tearDown(f));

  it('detects the variant and pulls 1,000 observations with identical geometries in 4326 and EPSG:32632', async () => {
    const t = await f.client.invoke('geonature.test', { connection: f.connection });
    expect(t.status).toBe('ok');
    expect(t.schema?.localSrid).toBe(32632);
    expect(t.schema?.optional).toMatchObject({ 'gn_meta.t_datasets.id_nomenclature_dataset_objectif': false, 'gn_meta.cor_dataset_objectif': true });
    const ws = join(dir, 'utm.gpkg');
    const r = await f.client.invoke('geonature.pull', { connection: f.connection, filters: { datasets: [ECRINS.datasetUuid] }, out: ws });
    expect(r).toMatchObject({ observations: 1000, localSrid: 32632 });
    await expectRoundTrip(f, ws);
    const b = await f.client.invoke('geonature.browse', { connection: f.connection });
    const jdd = b.frameworks.flatMap((x) => x.datasets).find((d) => d.uuid === ECRINS.datasetUuid);
    expect(jdd?.nomenclatures.dataset_objectif).toBeUndefined();
    expect(jdd?.nomenclatures.data_type?.code).toBe('1');
  });

  it('pushes an edit to a server without the column', async () => {
    const ws = join(dir, 'utm-push.gpkg');
    await f.client.invoke('geonature.pull', { connection: f.connection, filters: { datasets: [ECRINS.datasetUuid] }, out: ws });
    await f.client.invoke('geonature.editField', { workspace: ws, entity: 'dataset', uuid: ECRINS.datasetUuid, field: 'data_origin', value: 'Pr' });
    const r = await f.client.invoke('geonature.push', { connection: f.connection, workspace: ws, dryRun: false });
    expect(r.rows.map((x) => [x.field, x.local])).toEqual([['data_origin', 'Pr']]);
    const s = await f.db.query(`SELECT ref_nomenclatures.get_cd_nomenclature(id_nomenclature_data_origin) AS c FROM gn_meta.t_datasets WHERE unique_dataset_id = $1`, [ECRINS.datasetUuid]);
    expect(s.rows).toEqual([{ c: 'Pr' }]);
  });
});

describe('GeoNature connector: databases that are not (quite) GeoNature', () => {
  let admin: pg.Client;
  let target: PgTarget;
  let face: TransportUnderTest;
  let client: Client;
  const name = uniqueName('bare');
  let setupError: unknown;

  beforeAll(async () => {
    try {
      const built = await buildGeoNatureTestDb({ database: name });
      // Strip it down step by step in the tests below.
      admin = new pg.Client(built.connection);
      await admin.connect();
      target = targetOf(built.connection);
      face = inProcess();
      client = createClient(face.transport);
    } catch (e) {
      setupError = e;
    }
  });
  failEachTestOn(() => setupError);
  afterAll(async () => {
    await face?.close();
    await admin?.end().catch(() => undefined);
    await dropTestDb(name);
  });

  it('says missing_column, then missing_schema, then not_geonature, and fails pull with INCOMPATIBLE', async () => {
    const test = () => client.invoke('geonature.test', { connection: { target } });
    await admin.query('ALTER TABLE gn_synthese.synthese DROP COLUMN the_geom_local CASCADE');
    expect(await test()).toMatchObject({ status: 'missing_column', missing: ['gn_synthese.synthese.the_geom_local'] });
    const pull = await client.call('geonature.pull', { connection: { target }, out: join(tmp(), 'x.gpkg') });
    expect(pull.ok ? 'ok' : [pull.error.code, pull.error.details?.key]).toEqual(['INCOMPATIBLE', 'errors.GN_MISSING_COLUMN']);
    await admin.query('DROP SCHEMA taxonomie CASCADE');
    expect(await test()).toMatchObject({ status: 'missing_schema', missing: ['taxonomie'] });
    await admin.query('DROP SCHEMA gn_meta CASCADE; DROP SCHEMA gn_synthese CASCADE');
    expect((await test()).status).toBe('not_geonature');
  });
});
