/**
 * Builds a persistent GeoNature-shaped test database on the local PostgreSQL + PostGIS, for a
 * developer to explore or to point the app at: `node --import tsx scripts/build-geonature-testdb.ts [dbname] [--srid N]`.
 * Default name: passerelle_geonature_test. An existing database of that name is replaced only if
 * this builder made it. Connection: PASSERELLE_PG_URL or the PG* variables (default 127.0.0.1:5432, postgres).
 */
import type { ClientConfig } from 'pg';
import { describeTarget } from '../electron/core/pg/connection.js';

/** The part of test/geonature-db/build.ts this script uses. */
type BuildGeoNatureTestDb = (opts: { database: string; localSrid?: number; dropIfExists?: boolean }) => Promise<{
  database: string;
  localSrid: number;
  counts: Record<string, number>;
  connection: ClientConfig;
}>;

/**
 * The builder lives with the tests (test/ is its own TypeScript project, which the scripts project
 * does not reference), so it is loaded at run time; tsx compiles it.
 */
async function loadBuilder(): Promise<BuildGeoNatureTestDb> {
  const mod = (await import(new URL('../test/geonature-db/build.ts', import.meta.url).href)) as { buildGeoNatureTestDb: BuildGeoNatureTestDb };
  return mod.buildGeoNatureTestDb;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let database = 'passerelle_geonature_test';
  let localSrid = 2154;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--srid') localSrid = Number(args[++i]);
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: node --import tsx scripts/build-geonature-testdb.ts [dbname] [--srid N]\n');
      return;
    } else database = a;
  }
  const t0 = performance.now();
  const buildGeoNatureTestDb = await loadBuilder();
  const built = await buildGeoNatureTestDb({ database, localSrid, dropIfExists: true });
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  process.stdout.write(`GeoNature test database "${built.database}" built at ${describeTarget(built.connection)} in ${seconds} s (local SRID ${built.localSrid})\n`);
  for (const [table, n] of Object.entries(built.counts)) process.stdout.write(`  ${table.padEnd(56)} ${n}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
