import { afterAll, beforeAll, beforeEach } from 'vitest';
import { buildGeoNatureTestDb, dropTestDb, type BuiltGeoNatureTestDb } from '../geonature-db/build.js';

/**
 * A scratch GeoNature-shaped database (test/geonature-db) for the tests around the call (a file,
 * or a `describe` block when called inside one): built in beforeAll as `<prefix>_<pid>_<time>`,
 * dropped in afterAll. A build that fails (no server, no PostGIS) fails every test with the
 * builder's message, through beforeEach (vitest would mark them skipped otherwise).
 *
 * Returns how to get the database inside a test (it throws when there is none).
 */
export function useGeoNatureTestDb(prefix: string): () => BuiltGeoNatureTestDb {
  let built: BuiltGeoNatureTestDb | undefined;
  let setupError: unknown;
  beforeAll(async () => {
    try {
      built = await buildGeoNatureTestDb({ database: `${prefix}_${process.pid}_${Date.now().toString(36)}` });
    } catch (e) {
      setupError = e;
    }
  });
  beforeEach(() => {
    if (setupError !== undefined) throw setupError;
  });
  afterAll(async () => {
    if (built) await dropTestDb(built.database);
  });
  return () => {
    if (!built) throw new Error('no database');
    return built;
  };
}
