/**
 * Restructuring a pulled GeoNature extract and pushing the new structure back, against a real
 * GeoNature-shaped PostgreSQL/PostGIS database (test/geonature-db) built for each suite and
 * dropped after. No mocks: a missing server or PostGIS fails every test (never skipped).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient, type Client, type GeoNatureConnection, type SplitResult } from '../../../shared/contract/index.js';
import type { AcquisitionFramework, Dataset } from '../../../shared/metadata/index.js';
import { buildGeoNatureTestDb, dropTestDb, type BuiltGeoNatureTestDb } from '../../../test/geonature-db/build.js';
import { ECRINS, ORGANISMS, SAMPLE } from '../../../test/geonature-db/fixture-ids.js';
import { passwordOf, targetOf } from '../../../test/geonature-db/target.js';
import { inProcess, type TransportUnderTest } from '../../../test/helpers/transports.js';

interface Fixture {
  built: BuiltGeoNatureTestDb;
  db: pg.Client;
  connection: GeoNatureConnection;
  face: TransportUnderTest;
  client: Client;
}

async function setUp(tag: string): Promise<Fixture> {
  const built = await buildGeoNatureTestDb({ database: `passerelle_md_${tag}_${process.pid}_${Date.now().toString(36)}`, localSrid: 2154 });
  const db = new pg.Client(built.connection);
  await db.connect();
  const password = passwordOf(built.connection);
  const face = inProcess();
  return { built, db, connection: { target: targetOf(built.connection), secrets: password ? { password } : {} }, face, client: createClient(face.transport) };
}

async function tearDown(f: Fixture | undefined): Promise<void> {
  if (!f) return;
  await f.face.close();
  await f.db.end().catch(() => undefined);
  await dropTestDb(f.built.database);
}

/** Fails every test with the setup error (vitest would mark them skipped otherwise). */
function suite(tag: string, body: (get: () => Fixture) => void): void {
  let f: Fixture | undefined;
  let setupError: unknown;
  beforeAll(async () => {
    try {
      f = await setUp(tag);
    } catch (e) {
      setupError = e;
    }
  });
  beforeEach(() => {
    if (setupError !== undefined) throw setupError;
  });
  afterAll(async () => tearDown(f));
  body(() => {
    if (!f) throw new Error('no fixture');
    return f;
  });
}

const tmp = () => mkdtempSync(join(tmpdir(), 'passerelle-mdint-'));

/** Observations of each JDD on the server, by UUID. */
async function serverCounts(db: pg.Client): Promise<Record<string, number>> {
  const r = await db.query<{ u: string; n: string }>(
    `SELECT d.unique_dataset_id::text AS u, count(s.id_synthese) AS n FROM gn_meta.t_datasets d LEFT JOIN gn_synthese.synthese s ON s.id_dataset = d.id_dataset GROUP BY 1`,
  );
  return Object.fromEntries(r.rows.map((x) => [x.u, Number(x.n)]));
}

describe('restructuring a pulled extract and pushing it (Écrins JDD split by year)', () => {
  suite('year', (get) => {
    const ws = join(tmp(), 'ecrins.gpkg');
    let split: SplitResult;

    it('pulls the Écrins CA, reports its validation errors, and fixes every one of them', async () => {
      const { client, connection } = get();
      await client.invoke('geonature.pull', { connection, filters: { frameworks: [ECRINS.acquisitionFrameworkUuid] }, out: ws });
      const v = await client.invoke('metadata.validate', { workspace: ws, lang: 'en' });
      expect(v.catalog).toBe('workspace');
      // The CA the test database holds has no objective (cor_acquisition_framework_objectif is empty).
      expect(v.issues.map((i) => [i.entity, i.field, i.rule])).toEqual([['framework', 'objectives', 'required']]);
      expect(v.issues[0]?.en.fix).toBeTruthy();
      const ca = (await client.invoke('metadata.get', { workspace: ws, entity: 'framework', uuid: ECRINS.acquisitionFrameworkUuid })).record as AcquisitionFramework;
      const put = await client.invoke('metadata.put', { workspace: ws, entity: 'framework', record: { ...ca, objectives: ['8', '9'] } });
      expect(put.changed).toEqual(['objectives']);
      expect(put.view.status).toBe('modified');
      expect(await client.invoke('metadata.validate', { workspace: ws })).toMatchObject({ valid: true, errors: 0 });
    });

    it('splits the JDD by year: the preview counts what the server has', async () => {
      const { client, db } = get();
      const server = await db.query<{ y: string; n: string }>(
        `SELECT extract(year FROM s.date_min)::text AS y, count(*) AS n FROM gn_synthese.synthese s JOIN gn_meta.t_datasets d USING (id_dataset) WHERE d.unique_dataset_id = $1 GROUP BY 1`,
        [ECRINS.datasetUuid],
      );
      const byYear = Object.fromEntries(server.rows.map((r) => [r.y, Number(r.n)]));
      const preview = await client.invoke('metadata.split', { workspace: ws, dataset: ECRINS.datasetUuid, by: { kind: 'year' }, minObservations: 100, dryRun: true });
      const big = Object.entries(byYear).filter(([, n]) => n >= 100);
      expect(preview.groups.filter((g) => g.key !== '(others)').map((g) => [g.key, g.observations])).toEqual(big.sort());
      expect(preview.groups.find((g) => g.key === '(others)')?.observations).toBe(ECRINS.observations - big.reduce((n, [, c]) => n + c, 0));
      split = await client.invoke('metadata.split', {
        workspace: ws,
        dataset: ECRINS.datasetUuid,
        by: { kind: 'year' },
        minObservations: 100,
        expect: Object.fromEntries(preview.groups.map((g) => [g.key, g.observations])),
      });
      expect(split.created).toBe(preview.groups.length);
      expect(split.moved).toBe(ECRINS.observations);
    });

    it('shows the push as a dry run: the new JDD inserted with their UUIDs, the observations moved, no conflict', async () => {
      const { client, connection, db } = get();
      const before = await serverCounts(db);
      const r = await client.invoke('geonature.push', { connection, workspace: ws, dryRun: true });
      expect(r.conflicts).toEqual([]);
      const inserted = new Set(r.rows.filter((x) => x.action === 'insert').map((x) => x.uuid));
      expect([...inserted].sort()).toEqual(split.groups.map((g) => g.uuid).sort());
      expect(r.rows.filter((x) => x.action === 'update').map((x) => [x.entity, x.field])).toEqual([['framework', 'objectives']]);
      expect(r.moves.map((m) => [m.from, m.to, m.observations]).sort()).toEqual(split.groups.map((g) => [ECRINS.datasetUuid, g.uuid, g.observations]).sort());
      expect(await serverCounts(db)).toEqual(before);
    });

    it('pushes: the database has the new JDD with the parent’s metadata and the observations moved, exactly once', async () => {
      const { client, connection, db } = get();
      const r = await client.invoke('geonature.push', { connection, workspace: ws, dryRun: false });
      expect(r).toMatchObject({ applied: true, conflicts: [] });
      const counts = await serverCounts(db);
      for (const g of split.groups) expect(counts[g.uuid as string], g.key).toBe(g.observations);
      expect(counts[ECRINS.datasetUuid]).toBe(0);
      const jdd = await db.query<{ name: string; short: string; ca: string; actors: string; territory: string; desc: string | null; protocol: string; data_type: string; west: number }>(
        `SELECT d.dataset_name AS name, d.dataset_shortname AS short, af.unique_acquisition_framework_id::text AS ca,
                (SELECT string_agg(o.nom_organisme || ':' || ref_nomenclatures.get_cd_nomenclature(a.id_nomenclature_actor_role), ',' ORDER BY 1) FROM gn_meta.cor_dataset_actor a JOIN utilisateurs.bib_organismes o ON o.id_organisme = a.id_organism WHERE a.id_dataset = d.id_dataset) AS actors,
                (SELECT string_agg(ref_nomenclatures.get_cd_nomenclature(t.id_nomenclature_territory), ',') FROM gn_meta.cor_dataset_territory t WHERE t.id_dataset = d.id_dataset) AS territory,
                (SELECT max(t.territory_desc) FROM gn_meta.cor_dataset_territory t WHERE t.id_dataset = d.id_dataset) AS desc,
                (SELECT string_agg(p.unique_protocol_id::text, ',') FROM gn_meta.cor_dataset_protocol c JOIN gn_meta.sinp_datatype_protocols p USING (id_protocol) WHERE c.id_dataset = d.id_dataset) AS protocol,
                ref_nomenclatures.get_cd_nomenclature(d.id_nomenclature_data_type) AS data_type, d.bbox_west AS west
           FROM gn_meta.t_datasets d JOIN gn_meta.t_acquisition_frameworks af USING (id_acquisition_framework) WHERE d.unique_dataset_id = $1`,
        [split.groups[0]?.uuid],
      );
      expect(jdd.rows[0]).toMatchObject({
        name: split.groups[0]?.name,
        short: split.groups[0]?.shortName,
        ca: ECRINS.acquisitionFrameworkUuid,
        actors: 'Parc National des Ecrins:1,Parc National des Ecrins:6',
        territory: 'METROP',
        desc: 'Parc national des Écrins et ses environs',
        protocol: SAMPLE.protocolUuid,
        data_type: '1',
      });
      expect(jdd.rows[0]?.west).toBeGreaterThan(5);
      const objectives = await db.query<{ c: string }>(
        `SELECT ref_nomenclatures.get_cd_nomenclature(o.id_nomenclature_objectif) AS c FROM gn_meta.cor_acquisition_framework_objectif o JOIN gn_meta.t_acquisition_frameworks af USING (id_acquisition_framework) WHERE af.unique_acquisition_framework_id = $1 ORDER BY 1`,
        [ECRINS.acquisitionFrameworkUuid],
      );
      expect(objectives.rows.map((x) => x.c)).toEqual(['8', '9']);

      // Exactly once: a second push has nothing to do and writes nothing.
      const again = await client.invoke('geonature.push', { connection, workspace: ws, dryRun: false });
      expect(again).toMatchObject({ rows: [], moves: [], conflicts: [] });
      expect(await serverCounts(db)).toEqual(counts);
      const tree = await client.invoke('metadata.tree', { workspace: ws });
      expect(tree.pendingChanges).toBe(0);
      expect([...tree.frameworks.flatMap((f) => f.datasets)].every((d) => d.status === 'server')).toBe(true);
      expect(tree.frameworks[0]?.status).toBe('server');
      // Pushed: the split can no longer be undone here.
      expect(tree.undo).toMatchObject({ available: false, blocked: 'pushed' });
      const u = await client.call('metadata.undo', { workspace: ws });
      expect(u.ok ? 'ok' : u.error.details?.key).toBe('errors.METADATA_UNDO_PUSHED');
    });

    it('re-pulls the pushed structure without conflict: the new JDD come back from the server', async () => {
      const { client, connection } = get();
      const r = await client.invoke('geonature.pull', { connection, workspace: ws, filters: { frameworks: [ECRINS.acquisitionFrameworkUuid] } });
      expect(r.merge?.conflicts).toEqual([]);
      const tree = await client.invoke('metadata.tree', { workspace: ws });
      const datasets = tree.frameworks.flatMap((f) => f.datasets);
      expect(datasets.map((d) => d.uuid).sort()).toEqual([ECRINS.datasetUuid, ...split.groups.map((g) => g.uuid as string)].sort());
      expect(datasets.every((d) => d.status === 'server')).toBe(true);
      expect(tree.pendingChanges).toBe(0);
    });

    it('keeps a local list change across a re-pull, lists a conflict when the server changed the same list, and pushes the settled value', async () => {
      const { client, connection, db } = get();
      const get_ = async () => (await client.invoke('metadata.get', { workspace: ws, entity: 'framework', uuid: ECRINS.acquisitionFrameworkUuid })).record as AcquisitionFramework;
      const ca = await get_();
      const funder = { role: '2', person: null, email: null, organism: 'Parc National des Ecrins', organismUuid: null };
      await client.invoke('metadata.put', { workspace: ws, entity: 'framework', record: { ...ca, actors: [...ca.actors, funder] } });
      // The server changes another list of the CA: the re-pull takes it and keeps the local actors.
      await db.query(
        `INSERT INTO gn_meta.cor_acquisition_framework_territory (id_acquisition_framework, id_nomenclature_territory)
         SELECT id_acquisition_framework, ref_nomenclatures.get_id_nomenclature('TERRITOIRE', 'GLP') FROM gn_meta.t_acquisition_frameworks WHERE unique_acquisition_framework_id = $1`,
        [ECRINS.acquisitionFrameworkUuid],
      );
      const first = await client.invoke('geonature.pull', { connection, workspace: ws, filters: { frameworks: [ECRINS.acquisitionFrameworkUuid] } });
      expect(first.merge?.conflicts).toEqual([]);
      const merged = await get_();
      expect(merged.territories.sort()).toEqual(['GLP', 'METROP']);
      expect(merged.actors.map((a) => a.role).sort()).toEqual(['1', '2']);
      // Now the server changes the actors too: a conflict on the list, push stops until it is settled.
      await db.query(
        `INSERT INTO gn_meta.cor_acquisition_framework_actor (id_acquisition_framework, id_organism, id_nomenclature_actor_role)
         SELECT id_acquisition_framework, $2, ref_nomenclatures.get_id_nomenclature('ROLE_ACTEUR', '3') FROM gn_meta.t_acquisition_frameworks WHERE unique_acquisition_framework_id = $1`,
        [ECRINS.acquisitionFrameworkUuid, ORGANISMS.other],
      );
      const second = await client.invoke('geonature.pull', { connection, workspace: ws, filters: { frameworks: [ECRINS.acquisitionFrameworkUuid] } });
      expect(second.merge?.conflicts.map((c) => [c.entity, c.field])).toEqual([['framework', 'actors']]);
      const blocked = await client.call('geonature.push', { connection, workspace: ws, dryRun: false });
      expect(blocked.ok ? 'ok' : blocked.error.code).toBe('CONFLICT');
      await client.invoke('geonature.resolveConflict', { workspace: ws, conflict: second.merge?.conflicts[0]?.id ?? -1, keep: 'local' });
      const pushed = await client.invoke('geonature.push', { connection, workspace: ws, dryRun: false });
      expect(pushed.rows.map((r) => [r.entity, r.field, r.action])).toEqual([['framework', 'actors', 'update']]);
      const actors = await db.query<{ a: string }>(
        `SELECT a.id_organism || ':' || ref_nomenclatures.get_cd_nomenclature(a.id_nomenclature_actor_role) AS a FROM gn_meta.cor_acquisition_framework_actor a
           JOIN gn_meta.t_acquisition_frameworks af USING (id_acquisition_framework) WHERE af.unique_acquisition_framework_id = $1 ORDER BY 1`,
        [ECRINS.acquisitionFrameworkUuid],
      );
      expect(actors.rows.map((r) => r.a)).toEqual([`${ORGANISMS.ecrins}:1`, `${ORGANISMS.ecrins}:2`]);
      expect((await client.invoke('metadata.tree', { workspace: ws })).frameworks[0]?.status).toBe('server');
    });
  });
});

describe('a new CA from a template, a split by producer moved into it, pushed', () => {
  suite('producer', (get) => {
    const ws = join(tmp(), 'producer.gpkg');
    let caUuid: string;
    let split: SplitResult;

    it('pulls observations whose digitisers belong to two organisms, and splits by producer', async () => {
      const { client, connection, db } = get();
      // Digitisers as Occtax records them: an agent of the park, a partner of another organism (roles of the seed).
      await db.query(`UPDATE gn_synthese.synthese SET id_digitiser = CASE WHEN extract(year FROM date_min) = 2016 THEN 3 ELSE 2 END`);
      await client.invoke('geonature.pull', { connection, filters: { frameworks: [ECRINS.acquisitionFrameworkUuid] }, out: ws });
      const producers = new Database(ws, { readonly: true })
        .prepare(`SELECT producer_name AS p, producer_uuid AS u, count(*) AS n FROM observations GROUP BY 1, 2 ORDER BY n DESC`)
        .all();
      expect(producers).toEqual([
        { p: 'Parc National des Ecrins', u: 'c8a2b7e1-4f3d-4a9b-8e6c-2d1f0a5b7c31', n: expect.any(Number) },
        { p: 'Autre', u: '0b6e9d42-7a1c-4e58-b3f0-9c2d8e4a6f15', n: expect.any(Number) },
      ]);
      const ca = await client.invoke('metadata.createFramework', {
        workspace: ws,
        from: { framework: ECRINS.acquisitionFrameworkUuid },
        values: { name: 'Écrins – données par producteur', objectives: ['9'] },
      });
      caUuid = ca.view.uuid;
      expect(ca.view.record).toMatchObject({ name: 'Écrins – données par producteur', objectives: ['9'], territories: ['METROP'], voletsSinp: ['1'] });
      split = await client.invoke('metadata.split', { workspace: ws, dataset: ECRINS.datasetUuid, by: { kind: 'producer' } });
      expect(split.groups.map((g) => g.key)).toEqual(['Parc National des Ecrins', 'Autre']);
      await client.invoke('metadata.move', { workspace: ws, datasets: split.groups.map((g) => g.uuid as string), framework: caUuid });
      const other = (await client.invoke('metadata.get', { workspace: ws, entity: 'dataset', uuid: split.groups[1]?.uuid as string })).record as Dataset;
      expect(other.frameworkUuid).toBe(caUuid);
      expect(other.actors.map((a) => [a.role, a.organism])).toEqual([
        ['1', 'Parc National des Ecrins'],
        ['6', 'Autre'],
      ]);
    });

    it('pushes the CA (with its lists), the JDD under it with their producers, and the moves', async () => {
      const { client, connection, db } = get();
      const dry = await client.invoke('geonature.push', { connection, workspace: ws, dryRun: true });
      expect(dry.conflicts).toEqual([]);
      expect(dry.rows.filter((r) => r.entity === 'framework' && r.action === 'insert').map((r) => r.field)).toEqual(
        expect.arrayContaining(['acquisition_framework_name', 'acquisition_framework_start_date', 'actors', 'territories', 'objectives', 'volets_sinp']),
      );
      const r = await client.invoke('geonature.push', { connection, workspace: ws, dryRun: false });
      expect(r.applied).toBe(true);
      const ca = await db.query<{ name: string; objectives: string; volets: string; actors: string }>(
        `SELECT af.acquisition_framework_name AS name,
                (SELECT string_agg(ref_nomenclatures.get_cd_nomenclature(o.id_nomenclature_objectif), ',') FROM gn_meta.cor_acquisition_framework_objectif o WHERE o.id_acquisition_framework = af.id_acquisition_framework) AS objectives,
                (SELECT string_agg(ref_nomenclatures.get_cd_nomenclature(v.id_nomenclature_voletsinp), ',') FROM gn_meta.cor_acquisition_framework_voletsinp v WHERE v.id_acquisition_framework = af.id_acquisition_framework) AS volets,
                (SELECT string_agg(a.id_organism || ':' || ref_nomenclatures.get_cd_nomenclature(a.id_nomenclature_actor_role), ',') FROM gn_meta.cor_acquisition_framework_actor a WHERE a.id_acquisition_framework = af.id_acquisition_framework) AS actors
           FROM gn_meta.t_acquisition_frameworks af WHERE af.unique_acquisition_framework_id = $1`,
        [caUuid],
      );
      expect(ca.rows).toEqual([{ name: 'Écrins – données par producteur', objectives: '9', volets: '1', actors: `${ORGANISMS.ecrins}:1` }]);
      const jdd = await db.query<{ u: string; ca: string; producers: string; n: string }>(
        `SELECT d.unique_dataset_id::text AS u, af.unique_acquisition_framework_id::text AS ca,
                (SELECT string_agg(a.id_organism::text, ',') FROM gn_meta.cor_dataset_actor a WHERE a.id_dataset = d.id_dataset AND a.id_nomenclature_actor_role = ref_nomenclatures.get_id_nomenclature('ROLE_ACTEUR', '6')) AS producers,
                (SELECT count(*) FROM gn_synthese.synthese s WHERE s.id_dataset = d.id_dataset) AS n
           FROM gn_meta.t_datasets d JOIN gn_meta.t_acquisition_frameworks af USING (id_acquisition_framework) WHERE d.unique_dataset_id = ANY($1::uuid[]) ORDER BY 1`,
        [split.groups.map((g) => g.uuid)],
      );
      const expected = split.groups
        .map((g) => ({ u: g.uuid, ca: caUuid, producers: String(g.key === 'Autre' ? ORGANISMS.other : ORGANISMS.ecrins), n: String(g.observations) }))
        .sort((a, b) => String(a.u).localeCompare(String(b.u)));
      expect(jdd.rows).toEqual(expected);
      const again = await client.invoke('geonature.push', { connection, workspace: ws, dryRun: false });
      expect(again).toMatchObject({ rows: [], moves: [], conflicts: [] });
    });

    it('splits the pulled extract by taxonomic group (taxref rows of the pull)', async () => {
      const { client } = get();
      const jdd = split.groups[0]?.uuid as string;
      const preview = await client.invoke('metadata.split', { workspace: ws, dataset: jdd, by: { kind: 'taxonGroup', level: 'group2_inpn' }, dryRun: true });
      const db = new Database(ws, { readonly: true });
      const expected = db
        .prepare(
          `SELECT coalesce(nullif(t.group2_inpn, ''), nullif(r.group2_inpn, '')) AS g, count(*) AS n FROM observations o LEFT JOIN taxref t ON t.cd_nom = o.cd_nom LEFT JOIN taxref r ON r.cd_nom = t.cd_ref WHERE o.dataset_uuid = ? GROUP BY 1`,
        )
        .all(jdd) as Array<{ g: string | null; n: number }>;
      db.close();
      expect(expected.length).toBeGreaterThan(2);
      expect(Object.fromEntries(preview.groups.map((g) => [g.key, g.observations]))).toEqual(Object.fromEntries(expected.map((e) => [e.g ?? '(none)', e.n])));
      const applied = await client.invoke('metadata.split', { workspace: ws, dataset: jdd, by: { kind: 'taxonGroup', level: 'group2_inpn' } });
      const first = applied.groups[0];
      const rec = (await client.invoke('metadata.get', { workspace: ws, entity: 'dataset', uuid: first?.uuid as string })).record as Dataset;
      expect(rec.keywords).toContain(first?.label);
      expect(rec.name).toMatch(new RegExp(`– ${first?.label}$`));
    });
  });
});
