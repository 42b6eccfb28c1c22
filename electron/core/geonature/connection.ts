import pg from 'pg';
import type { GeoNatureConnection, PgTarget } from '../../../shared/contract/index.js';
import { AppError } from '../errors.js';
import { pgError } from '../pg/errors.js';
import { getProfile } from './profiles.js';
import { describeBastion, openTunnel, type OpenTunnel } from './tunnel.js';

/** A connection with its profile resolved: where, and the secrets for this call only. */
export interface ResolvedConnection {
  readonly target: PgTarget;
  readonly secrets: GeoNatureConnection['secrets'];
}

/** Resolves a profile name against PASSERELLE_HOME; an explicit target is used as it is. */
export function resolveConnection(c: GeoNatureConnection, home: string): ResolvedConnection {
  const target = c.target ?? getProfile(home, c.profile as string);
  return { target, secrets: c.secrets };
}

/** `host:port/database`, plus the bastion: what the UI and the log may show (never a secret). */
export function describeGnTarget(t: PgTarget): string {
  return `${t.host}:${t.port}/${t.database}${t.ssh ? ` via ssh ${describeBastion(t.ssh)}` : ''}`;
}

/** An open connection to a GeoNature database, through its tunnel when there is one. */
export interface GnSession {
  readonly client: pg.Client;
  /** describeGnTarget of where we are connected. */
  readonly target: string;
  readonly user: string;
  close(): Promise<void>;
}

function sslOption(mode: PgTarget['sslMode'], host: string): pg.ClientConfig['ssl'] {
  switch (mode) {
    case 'disable':
      return false;
    case 'prefer':
    case 'require':
      // libpq's "require" encrypts without checking the certificate; so do we.
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true, servername: host };
  }
}

/**
 * Connects, opening the SSH tunnel first when the target has one.
 *
 * `prefer` is libpq's default: try TLS, and fall back to a plain connection when the server
 * has no TLS (node-postgres has no such mode, so we retry). Failures become AppErrors a
 * geomatician can act on (unreachable, authentication, unknown database, SSH).
 */
export async function openSession(rc: ResolvedConnection, opts: { timeoutMs?: number } = {}): Promise<GnSession> {
  const t = rc.target;
  const target = describeGnTarget(t);
  const timeoutMs = opts.timeoutMs ?? 15_000;
  let tunnel: OpenTunnel | null = null;
  if (t.ssh) tunnel = await openTunnel(t.ssh, t.host, t.port, { password: rc.secrets.sshPassword, passphrase: rc.secrets.sshPassphrase }, timeoutMs);
  const base: pg.ClientConfig = {
    host: tunnel ? '127.0.0.1' : t.host,
    port: tunnel ? tunnel.localPort : t.port,
    database: t.database,
    user: t.user,
    connectionTimeoutMillis: timeoutMs,
    application_name: 'passerelle',
    ...(rc.secrets.password !== undefined ? { password: rc.secrets.password } : {}),
  };
  const attempt = async (ssl: pg.ClientConfig['ssl']): Promise<pg.Client> => {
    const client = new pg.Client({ ...base, ssl });
    // An idle client whose server goes away emits 'error'; without a listener Node would crash.
    client.on('error', () => undefined);
    try {
      await client.connect();
      return client;
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
  };
  try {
    let client: pg.Client;
    try {
      client = await attempt(sslOption(t.sslMode, t.host));
    } catch (e) {
      if (t.sslMode !== 'prefer' || !/does not support SSL/i.test((e as Error).message)) throw e;
      client = await attempt(false);
    }
    return {
      client,
      target,
      user: t.user,
      close: async () => {
        await client.end().catch(() => undefined);
        await tunnel?.close();
      },
    };
  } catch (e) {
    await tunnel?.close();
    // node-postgres' wording when the server asks for a password and none was given.
    if (/password must be a string|no password/i.test((e as Error).message ?? '')) {
      throw new AppError('AUTH_FAILED', `${target} asks for a password and none was given`, { key: 'errors.GN_PASSWORD_NEEDED', params: { target }, cause: e });
    }
    throw gnError(e, target, 'connect');
  }
}

const LOST = /Connection terminated|terminating connection|server closed the connection|not queryable|ECONNRESET|EPIPE/i;

/**
 * Maps an error from a GeoNature database to an AppError: lost connection, privileges,
 * missing relation, then pg/errors.ts for the rest (unreachable, authentication, no database).
 */
export function gnError(e: unknown, target: string, what: string): AppError {
  if (e instanceof AppError) return e;
  const err = e as { code?: string; message?: string };
  const code = err.code ?? '';
  const msg = err.message ?? String(e);
  if (what !== 'connect' && (code === '57P01' || code === '57P02' || code === '57P03' || code === 'ECONNRESET' || LOST.test(msg))) {
    return new AppError('UNREACHABLE', `The connection to ${target} was lost during ${what}: ${msg}`, {
      key: 'errors.GN_CONNECTION_LOST',
      params: { target, what, reason: msg },
      cause: e,
    });
  }
  if (code === '42501') {
    return new AppError('PERMISSION_DENIED', `The database ${target} refused ${what}: ${msg}`, {
      key: 'errors.GN_NO_PRIVILEGE',
      params: { target, missing: msg },
      cause: e,
    });
  }
  if (code === '42P01' || code === '42703' || code === '3F000' || code === '42883') {
    return new AppError('INCOMPATIBLE', `${target} lacks what ${what} needs: ${msg}`, {
      key: 'errors.GN_MISSING_COLUMN',
      params: { target, missing: msg },
      cause: e,
    });
  }
  return pgError(e, target);
}
