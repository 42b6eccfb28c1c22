import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { defaultConnection } from '../../electron/core/pg/connection.js';

/** The machine's PostgreSQL as an admin, from PG* variables or 127.0.0.1:5432 as postgres. */
export function adminConfig(database = 'postgres'): pg.ClientConfig {
  return { ...defaultConnection(), database };
}

/**
 * Creates a scratch database with PostGIS, for one test file; `drop` removes it.
 * A missing server or PostGIS fails loudly: tests never skip for a missing service.
 */
export async function createScratchDb(prefix = 'passerelle_test'): Promise<{ name: string; config: pg.ClientConfig; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client(adminConfig());
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(`PostgreSQL is required for the integration tests and is not reachable (${(e as Error).message}). Run scripts/system-deps.sh, which starts it.`, { cause: e });
  }
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const config = adminConfig(name);
  const c = new pg.Client(config);
  await c.connect();
  try {
    await c.query('CREATE EXTENSION postgis');
  } catch (e) {
    throw new Error(`PostGIS is required for the integration tests (${(e as Error).message}). Install postgresql-15-postgis-3 (scripts/system-deps.sh).`, { cause: e });
  } finally {
    await c.end();
  }
  return {
    name,
    config,
    drop: async () => {
      const a = new pg.Client(adminConfig());
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}
