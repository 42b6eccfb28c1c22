import type Database from 'better-sqlite3';
import { PullFilters, type Provenance } from '../../../shared/contract/index.js';
import { putMeta, readMeta } from '../workspace/format.js';

type Db = Database.Database;

/**
 * Where a workspace came from, in passerelle_meta (keys `pull_*` and `local_srid`): the server
 * (host:port, and the bastion), database, role, GeoNature version, filters, local SRID and time.
 * Push compares it with the target, so a workspace never writes into another database.
 */
export function writeProvenance(db: Db, p: Provenance, bastion: string | null): void {
  putMeta(db, 'pull_server', p.server);
  putMeta(db, 'pull_database', p.database);
  putMeta(db, 'pull_user', p.user);
  putMeta(db, 'pull_ssh', bastion);
  putMeta(db, 'pull_geonature_version', p.geonatureVersion);
  putMeta(db, 'local_srid', String(p.localSrid));
  putMeta(db, 'pull_filters', JSON.stringify(p.filters));
  putMeta(db, 'pull_at', p.pulledAt);
  putMeta(db, 'pull_count', String(p.pulls));
}

/** Keys writeProvenance owns (a re-pull rewrites them; other keys of the old file are carried over). */
export const PROVENANCE_KEYS = new Set(['pull_server', 'pull_database', 'pull_user', 'pull_ssh', 'pull_geonature_version', 'local_srid', 'pull_filters', 'pull_at', 'pull_count']);

/** The provenance of a pulled workspace; null for one that was not pulled (the demo). */
export function readProvenance(meta: ReadonlyMap<string, string | null>): Provenance | null {
  const server = meta.get('pull_server');
  const database = meta.get('pull_database');
  if (!server || !database) return null;
  let filters: Provenance['filters'];
  try {
    filters = PullFilters.parse(JSON.parse(meta.get('pull_filters') ?? '{}'));
  } catch {
    filters = PullFilters.parse({});
  }
  return {
    server,
    database,
    user: meta.get('pull_user') ?? '',
    geonatureVersion: meta.get('pull_geonature_version') ?? null,
    localSrid: Number(meta.get('local_srid') ?? 0),
    filters,
    pulledAt: meta.get('pull_at') ?? '',
    pulls: Number(meta.get('pull_count') ?? 1),
  };
}

/** readProvenance of an open database. */
export function provenanceOf(db: Db): Provenance | null {
  return readProvenance(readMeta(db));
}
