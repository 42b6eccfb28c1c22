import type { ClientConfig } from 'pg';

/**
 * The PostgreSQL connection the engine uses when none is chosen in the UI.
 *
 * PASSERELLE_PG_URL, else the standard PG* variables (PGHOST, PGPORT, PGDATABASE,
 * PGUSER, PGPASSWORD), else 127.0.0.1:5432 as postgres. The password never leaves this
 * object: it is not logged and `describeTarget` leaves it out.
 */
export function defaultConnection(env: NodeJS.ProcessEnv = process.env): ClientConfig {
  if (env.PASSERELLE_PG_URL) return { connectionString: env.PASSERELLE_PG_URL };
  const cfg: ClientConfig = {
    host: env.PGHOST ?? '127.0.0.1',
    port: env.PGPORT ? Number(env.PGPORT) : 5432,
    database: env.PGDATABASE ?? 'postgres',
    user: env.PGUSER ?? 'postgres',
  };
  if (env.PGPASSWORD) cfg.password = env.PGPASSWORD;
  return cfg;
}

/** host:port/database, without user or password: safe to show and to log. */
export function describeTarget(cfg: ClientConfig): string {
  if (cfg.connectionString) {
    try {
      const u = new URL(cfg.connectionString);
      return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
    } catch {
      return '(connection URL)';
    }
  }
  return `${cfg.host ?? 'localhost'}:${cfg.port ?? 5432}/${cfg.database ?? ''}`;
}
