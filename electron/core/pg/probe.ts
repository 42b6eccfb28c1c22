import pg from 'pg';
import type { AppInfo } from '../../../shared/contract/index.js';
import { defaultConnection, describeTarget } from './connection.js';
import { pgError } from './errors.js';

type DatabaseStatus = AppInfo['database'];

/**
 * Says whether PostgreSQL (and PostGIS) answers with the configured connection.
 *
 * Never throws: an unreachable server is a normal state for a workstation offline.
 */
export async function probeDatabase(env: NodeJS.ProcessEnv = process.env, timeoutMs = 2500): Promise<DatabaseStatus> {
  const cfg = { ...defaultConnection(env), connectionTimeoutMillis: timeoutMs, statement_timeout: timeoutMs };
  const target = describeTarget(cfg);
  const client = new pg.Client(cfg);
  try {
    await client.connect();
    const r = await client.query<{ server: string; postgis: string | null; available: string | null }>(
      `select current_setting('server_version') as server,
              (select extversion from pg_extension where extname = 'postgis') as postgis,
              (select default_version from pg_available_extensions where name = 'postgis') as available`,
    );
    const row = r.rows[0];
    return {
      target,
      reachable: true,
      serverVersion: row?.server ?? null,
      postgisVersion: row?.postgis ?? null,
      postgisAvailable: row?.available ?? null,
      error: null,
    };
  } catch (e) {
    return {
      target,
      reachable: false,
      serverVersion: null,
      postgisVersion: null,
      postgisAvailable: null,
      error: pgError(e, target).toApiError(),
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}
