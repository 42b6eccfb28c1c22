/**
 * GeoNature pull benchmark (issue 4): 1,000,000 synthese rows in a scratch GeoNature-shaped
 * database (test/geonature-db, then rows derived from the 1,000 real Écrins observations, moved
 * a little, with their cor_area_synthese links), pulled by Passerelle and by
 * `ogr2ogr -f GPKG PG:… -sql …` of the same rows in the same run.
 *
 * Passerelle does more than ogr2ogr: it decodes 21 nomenclatures to SINP codes, resolves the
 * JDD UUID, keeps the local-SRID geometry and the COM/DEP/M10 links, and writes the CA/JDD,
 * taxref, areas and nomenclatures. ogr2ogr copies the same rows' columns and 4326 geometry.
 * Each side runs in its own process so its peak RSS is its own. Target: ≤ 1.0× ogr2ogr, peak
 * < 600 MB. Prints; never fails on a time. BENCH_POINTS changes the size.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { gdalTool, measureLine, runPhase } from './lib/measure.js';

const N = Number(process.env.BENCH_POINTS ?? 1_000_000);
const self = fileURLToPath(import.meta.url);

/** Runs in a child process: one pull, reporting its time and peak RSS. */
async function phasePull(database: string, out: string): Promise<string> {
  const { pullTask } = await import('../electron/core/geonature/pull.js');
  const { createJobContext } = await import('../electron/core/jobs/context.js');
  const { maintenanceConnection } = await import('../test/geonature-db/build.js');
  const { targetOf, passwordOf } = await import('../test/geonature-db/target.js');
  const cfg = { ...maintenanceConnection(), database };
  const password = passwordOf(cfg);
  const t0 = performance.now();
  const r = await pullTask(
    {
      connection: { target: targetOf(cfg), secrets: password ? { password } : {} },
      filters: { frameworks: [], datasets: [], taxa: [], dateFrom: null, dateTo: null, bbox: null, areas: [] },
      out,
      overwrite: true,
      actor: 'bench',
    },
    createJobContext('bench', new AbortController().signal, () => undefined),
  );
  return measureLine(performance.now() - t0, `${r.observations} observations, ${r.areas} areas, ${r.taxa} taxa`);
}

/** Derives N synthese rows from the 1,000 real ones (moved up to ~1 km, dates shifted), with their area links. */
async function generate(client: pg.Client, localSrid: number): Promise<void> {
  await client.query(`SET session_replication_role = replica`); // no triggers while generating: links are made below in one join
  await client.query(`CREATE TEMP TABLE base AS SELECT row_number() OVER (ORDER BY id_synthese) - 1 AS k, * FROM gn_synthese.synthese`);
  const nomCols = (await client.query<{ c: string }>(`SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'gn_synthese' AND table_name = 'synthese' AND column_name LIKE 'id_nomenclature_%'`)).rows.map((r) => r.c);
  const cols = ['id_source', 'id_dataset', 'nom_cite', 'cd_nom', 'meta_v_taxref', 'count_min', 'count_max', 'altitude_min', 'altitude_max', 'observers', 'determiner', 'comment_description', ...nomCols];
  const list = cols.map((c) => pg.escapeIdentifier(c)).join(', ');
  const step = 200_000;
  for (let from = 0; from < N; from += step) {
    await client.query(
      `INSERT INTO gn_synthese.synthese (unique_id_sinp, unique_id_sinp_grp, entity_source_pk_value, ${list}, date_min, date_max, the_geom_4326, the_geom_point, the_geom_local, meta_create_date, meta_update_date, last_action)
       SELECT gen_random_uuid(), gen_random_uuid(), 'bench-' || g, ${cols.map((c) => `b.${pg.escapeIdentifier(c)}`).join(', ')},
              b.date_min + (g % 3650) * interval '1 day', b.date_max + (g % 3650) * interval '1 day', p.geom, p.geom, ST_Transform(p.geom, ${localSrid}), now(), now(), 'I'
         FROM generate_series($1::int, $2::int) g
         JOIN base b ON b.k = g % 1000
         CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(ST_X(b.the_geom_4326) + ((g::bigint * 7919) % 2000 - 1000) / 100000.0, ST_Y(b.the_geom_4326) + ((g::bigint * 104729) % 2000 - 1000) / 100000.0), 4326) AS geom) p`,
      [from + 1, Math.min(N, from + step)],
    );
    process.stderr.write(`  generated ${Math.min(N, from + step)} / ${N}\n`);
  }
  await client.query(`DELETE FROM gn_synthese.synthese WHERE entity_source_pk_value IS NULL OR entity_source_pk_value NOT LIKE 'bench-%'`);
  await client.query(`DELETE FROM gn_synthese.cor_area_synthese`);
  await client.query(
    `INSERT INTO gn_synthese.cor_area_synthese (id_synthese, id_area)
     SELECT s.id_synthese, a.id_area FROM gn_synthese.synthese s JOIN ref_geo.l_areas a ON ST_Intersects(s.the_geom_local, a.geom)`,
  );
  await client.query(`SET session_replication_role = origin`);
  // As autovacuum keeps a real server: vacuumed tables let the link lookups use index-only scans.
  await client.query('VACUUM ANALYZE');
}

async function main(): Promise<void> {
  const { buildGeoNatureTestDb, dropTestDb } = await import('../test/geonature-db/build.js');
  const { targetOf } = await import('../test/geonature-db/target.js');
  // BENCH_KEEP_DB=name keeps (and on the next run reuses) the generated database, for profiling.
  const keep = process.env.BENCH_KEEP_DB;
  const database = keep ?? `passerelle_bench_${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-gn-'));
  process.stdout.write(`GeoNature pull: ${N} synthese rows (scratch database ${database})\n`);
  const { maintenanceConnection, withDatabase } = await import('../test/geonature-db/build.js');
  const admin = new pg.Client(maintenanceConnection());
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount === 1;
  await admin.end();
  const built = keep && exists ? { connection: withDatabase(maintenanceConnection(), database), localSrid: 2154 } : await buildGeoNatureTestDb({ database, dropIfExists: true });
  try {
    if (!(keep && exists)) {
      const client = new pg.Client(built.connection);
      await client.connect();
      const t0 = performance.now();
      try {
        await generate(client, built.localSrid);
      } finally {
        await client.end();
      }
      process.stdout.write(`  generated in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    }

    const t = targetOf(built.connection);
    const pgConn = `PG:host=${t.host} port=${t.port} dbname=${t.database} user=${t.user}`;
    const sql = `SELECT s.unique_id_sinp::text, s.unique_id_sinp_grp::text, s.id_synthese, s.entity_source_pk_value, s.id_dataset, s.cd_nom, s.nom_cite, s.meta_v_taxref,
                        s.count_min, s.count_max, s.altitude_min, s.altitude_max, s.date_min, s.date_max, s.observers, s.determiner, s.sample_number_proof,
                        s.digital_proof, s.non_digital_proof, s.comment_description, s.meta_create_date, s.meta_update_date, s.last_action, s.the_geom_4326
                   FROM gn_synthese.synthese s`;
    const ogrOut = join(dir, 'ogr2ogr.gpkg');
    const ours = join(dir, 'passerelle.gpkg');
    // Same run, one after the other (2 cores: side by side they would slow each other down).
    const a = runPhase(self, database, [ours]);
    const b = gdalTool('ogr2ogr', ['-f', 'GPKG', ogrOut, pgConn, '-sql', sql, '-nln', 'observations'], 'ogr2ogr -f GPKG PG:… -sql …');
    const size = (f: string) => `${(statSync(f).size / 1e6).toFixed(0)} MB`;
    const ratio = a.ms / b.ms;
    process.stdout.write(
      `\n  passerelle geonature pull  ${(a.ms / 1000).toFixed(2)} s  peak ${a.maxRssMB.toFixed(0)} MB  ${size(ours)}  (${a.detail})\n` +
        `  ogr2ogr -f GPKG PG: -sql    ${(b.ms / 1000).toFixed(2)} s  peak ${b.maxRssMB.toFixed(0)} MB  ${size(ogrOut)}\n` +
        `  ratio pull / ogr2ogr       ${ratio.toFixed(2)}×  (target ≤ 1.0×: ${ratio <= 1 ? 'met' : 'NOT met'}); peak ${a.maxRssMB.toFixed(0)} MB (target < 600 MB: ${a.maxRssMB < 600 ? 'met' : 'NOT met'})\n`,
    );
  } finally {
    if (!keep) await dropTestDb(database);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'phase') {
  phasePull(process.argv[3] as string, process.argv[4] as string).then(
    (out) => process.stdout.write(out + '\n'),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
} else {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
