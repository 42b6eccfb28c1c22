import type { ConnectionStatus, ConnectionTest } from '../../../shared/contract/index.js';
import { AppError } from '../errors.js';
import { describeGnTarget, openSession, type ResolvedConnection } from './connection.js';
import { detectSchema, missingPushPrivileges, missingReadPrivileges, missingRequired } from './detect.js';
import { qi, readOnly } from './sql.js';

function statusOf(e: AppError): ConnectionStatus {
  if (e.key === 'errors.GN_SSH_FAILED' || e.key === 'errors.GN_SSH_AUTH_FAILED' || e.key === 'errors.GN_SSH_HOST_KEY') return 'ssh_failed';
  if (e.code === 'AUTH_FAILED') return 'auth_failed';
  if (e.key === 'errors.PG_NO_DATABASE') return 'no_database';
  if (e.code === 'PERMISSION_DENIED') return 'insufficient_privileges';
  return 'unreachable';
}

/**
 * Tests a connection step by step and reports the first problem as a status, for the
 * connection dialog: SSH, reachability, authentication, database, GeoNature schemas and
 * columns, read privileges; then what a push would lack, the detected schema and sizes.
 * Never throws for a connection problem.
 */
export async function testConnection(rc: ResolvedConnection, timeoutMs: number): Promise<ConnectionTest> {
  const target = describeGnTarget(rc.target);
  const result: ConnectionTest = {
    status: 'ok',
    target,
    error: null,
    missing: [],
    server: { postgres: null, postgis: null },
    schema: null,
    privileges: { read: false, push: false, missingForPush: [] },
    counts: null,
  };
  let session;
  try {
    session = await openSession(rc, { timeoutMs });
  } catch (e) {
    const err = e instanceof AppError ? e : new AppError('INTERNAL', String(e));
    return { ...result, status: statusOf(err), error: err.toApiError() };
  }
  const client = session.client;
  try {
    return await readOnly(client, async () => {
      await client.query(`SET LOCAL statement_timeout = ${Math.round(timeoutMs)}`);
      const v = await client.query<{ server: string; postgis: string | null }>(
        `SELECT current_setting('server_version') AS server, (SELECT extversion FROM pg_extension WHERE extname = 'postgis') AS postgis`,
      );
      result.server = { postgres: v.rows[0]?.server ?? null, postgis: v.rows[0]?.postgis ?? null };
      const d = await detectSchema(client);
      const m = missingRequired(d);
      if (m.status !== 'ok') {
        const missing = m.missing.join(', ');
        const key = m.status === 'not_geonature' ? 'errors.GN_NOT_GEONATURE' : m.status === 'missing_schema' ? 'errors.GN_MISSING_SCHEMA' : 'errors.GN_MISSING_COLUMN';
        const err = new AppError('INCOMPATIBLE', `${target}: ${m.status.replace('_', ' ')}: ${missing}`, { key, params: { target, missing } });
        return { ...result, status: m.status, missing: m.missing, error: err.toApiError() };
      }
      result.schema = d.info;
      const denied = await missingReadPrivileges(client);
      const missingForPush = await missingPushPrivileges(client);
      result.privileges = { read: denied.length === 0, push: missingForPush.length === 0, missingForPush };
      if (denied.length) {
        const missing = denied.join(', ');
        const err = new AppError('PERMISSION_DENIED', `The role ${session.user} may not read what a pull needs on ${target}: ${missing}`, {
          key: 'errors.GN_NO_PRIVILEGE',
          params: { target, missing },
        });
        return { ...result, status: 'insufficient_privileges', missing: denied, error: err.toApiError() };
      }
      const c = await client.query<{ frameworks: string; datasets: string; estimate: string }>(
        `SELECT (SELECT count(*) FROM ${qi('gn_meta', 't_acquisition_frameworks')}) AS frameworks,
                (SELECT count(*) FROM ${qi('gn_meta', 't_datasets')}) AS datasets,
                (SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'gn_synthese.synthese'::regclass) AS estimate`,
      );
      const row = c.rows[0];
      result.counts = { frameworks: Number(row?.frameworks ?? 0), datasets: Number(row?.datasets ?? 0), observationsEstimate: Number(row?.estimate ?? 0) };
      return result;
    });
  } catch (e) {
    const err = e instanceof AppError ? e : new AppError('INTERNAL', `Testing ${target} failed: ${(e as Error).message}`, { key: 'errors.PG_OTHER', params: { target, message: (e as Error).message } });
    return { ...result, status: statusOf(err), error: err.toApiError() };
  } finally {
    await session.close();
  }
}
