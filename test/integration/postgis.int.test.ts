import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeDatabase } from '../../electron/core/pg/probe.js';
import { createScratchDb } from '../helpers/pg.js';

describe('the real PostgreSQL + PostGIS of the machine', () => {
  let db: Awaited<ReturnType<typeof createScratchDb>>;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createScratchDb();
    client = new pg.Client(db.config);
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('round-trips a point through ST_Transform to Lambert-93 (EPSG:2154)', async () => {
    await client.query('CREATE TABLE obs (id serial PRIMARY KEY, nom_cite text NOT NULL, geom geometry(Point, 4326))');
    await client.query("INSERT INTO obs (nom_cite, geom) VALUES ($1, ST_SetSRID(ST_MakePoint($2, $3), 4326))", ['Paris, Notre-Dame', 2.3522, 48.8566]);
    const r = await client.query<{ x: number; y: number; srid: number; nom_cite: string }>(
      'SELECT nom_cite, ST_X(g) AS x, ST_Y(g) AS y, ST_SRID(g) AS srid FROM (SELECT nom_cite, ST_Transform(geom, 2154) AS g FROM obs) t',
    );
    const row = r.rows[0];
    expect(row?.srid).toBe(2154);
    expect(row?.nom_cite).toBe('Paris, Notre-Dame');
    expect(row?.x).toBeCloseTo(652469, -1);
    expect(row?.y).toBeCloseTo(6862035, -1);
  });

  it('app.info sees the server and PostGIS through the configured connection', async () => {
    const status = await probeDatabase({ ...process.env, PASSERELLE_PG_URL: undefined, PGHOST: String(db.config.host), PGPORT: String(db.config.port), PGUSER: String(db.config.user), PGDATABASE: db.name });
    expect(status.reachable).toBe(true);
    expect(status.serverVersion).toMatch(/^\d+/);
    expect(status.postgisVersion).toMatch(/^3\./);
    expect(status.target).toBe(`${db.config.host}:${db.config.port}/${db.name}`);
  });

  it('an unreachable server is reported as such, without a hang', async () => {
    const status = await probeDatabase({ PGHOST: '127.0.0.1', PGPORT: '1', PGUSER: 'postgres', PGDATABASE: 'postgres' }, 1500);
    expect(status.reachable).toBe(false);
    expect(status.error?.code).toBe('UNREACHABLE');
  });

  it('a database that does not exist is NOT_FOUND', async () => {
    const status = await probeDatabase({ PGHOST: String(db.config.host), PGPORT: String(db.config.port), PGUSER: String(db.config.user), PGDATABASE: `${db.name}_absent` });
    expect(status.error?.code).toBe('NOT_FOUND');
  });
});
