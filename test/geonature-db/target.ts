import type pg from 'pg';
import type { PgTarget } from '../../shared/contract/index.js';

/** The PgTarget of a test database (from the builder's pg.ClientConfig, URL or fields). */
export function targetOf(cfg: pg.ClientConfig): PgTarget {
  if (cfg.connectionString) {
    const u = new URL(cfg.connectionString);
    return {
      host: u.hostname || '127.0.0.1',
      port: u.port ? Number(u.port) : 5432,
      database: decodeURIComponent(u.pathname.slice(1)),
      user: decodeURIComponent(u.username) || 'postgres',
      sslMode: 'prefer',
      ssh: null,
    };
  }
  return {
    host: typeof cfg.host === 'string' ? cfg.host : '127.0.0.1',
    port: cfg.port ?? 5432,
    database: cfg.database ?? 'postgres',
    user: cfg.user ?? 'postgres',
    sslMode: 'prefer',
    ssh: null,
  };
}

/** The password of a test connection, if the environment gives one (never written anywhere). */
export function passwordOf(cfg: pg.ClientConfig): string | undefined {
  if (cfg.connectionString) {
    const p = new URL(cfg.connectionString).password;
    return p ? decodeURIComponent(p) : undefined;
  }
  return typeof cfg.password === 'string' ? cfg.password : undefined;
}
