/**
 * Sensitivity benchmark (issue 6): check + blur of 1,000,000 observations against a
 * national-size referential, in-process against PostGIS doing the same work, in the same run.
 *
 * Setup (not timed): a synthetic TAXREF-shaped taxonomy (~120,000 names: classes down to
 * subspecies, 30,000 synonyms), a referential of ~20,000 rules on species, genera and families
 * (v18-style per département, national, periods including wrap-around ones, durations,
 * biological status and behaviour criteria; tens of thousands of (rule, taxon) pairs after
 * expansion), the communes and départements of 04, 05, 38 and 73 (real boundaries), and
 * 1,000,000 observations: Zipf-distributed taxa (6 % of sensitive taxa, synonyms, unknown
 * cd_nom), dates skewed to recent years, points across the four départements (a few outside),
 * realistic STATUT_BIO / OCC_COMPORTEMENT / NIV_PRECIS, one observation in 50 at the point of the
 * one before and relevés of three for 30 % of them (site and relevé propagation). Both stores get
 * the same data: a SQLite file shaped like a workspace, and a PostGIS scratch database.
 *
 * Timed, each measure in its own process so its peak RSS is its own:
 *  - in-process: read the taxonomy and rules and compile them, index the areas, read every
 *    observation twice (the sensitive sites and relevés, then every row), decide level and
 *    blurred area with propagation, write every result row (SQLite);
 *  - PostGIS: `runPushdown`: expand the rules (recursive CTE), place, decide, propagate, blur,
 *    write every result row, in one transaction.
 * Then the two result tables are compared row by row. Prints both times, the ratio (target ≥ 2×)
 * and the in-process peak RSS (target < 600 MB). Never fails on a time.
 *
 * Run: `npm run bench -- sensitivity` or `node --import tsx bench/sensitivity.bench.ts`
 * (BENCH_OBSERVATIONS=100000 for a quick run, BENCH_REPEAT=n for best-of-n, default 2).
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConnection } from '../electron/core/pg/connection.js';
import { measureLine, runPhase, type Measure } from './lib/measure.js';
// Types only (erased): the modules themselves are loaded in each phase before its clock starts.
import type { ReferenceArea } from '../electron/core/sensitivity/area-index.js';
import type { PushdownObservation } from '../electron/core/sensitivity/pushdown.js';
import type { SensitivityRule } from '../shared/sensitivity/index.js';

const N = Number(process.env.BENCH_OBSERVATIONS ?? 1_000_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 2);
const AS_OF = '2026-06-30';
const self = fileURLToPath(import.meta.url);
const ROOT = join(dirname(self), '..');
const OUT = join(ROOT, 'bench', 'out');
const STORE = join(OUT, 'sensitivity-store.sqlite');
const PG_DB = `passerelle_bench_sensitivity_${process.pid}`;
const DEPS = ['04', '05', '38', '73'];

/** The machine's PostgreSQL (PASSERELLE_PG_URL, PG* or 127.0.0.1:5432 as postgres) on another database. */
function pgConfig(database: string): pg.ClientConfig {
  const base = defaultConnection();
  if (base.connectionString) {
    const u = new URL(base.connectionString);
    u.pathname = `/${database}`;
    return { connectionString: u.toString() };
  }
  return { ...base, database };
}

/** Park–Miller, seeded: the same data every run. */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

// ---------------------------------------------------------------------------------------------
// Generation (parent process, not timed)

interface Taxonomy {
  rows: { cdNom: number; cdRef: number; cdTaxsup: number | null }[];
  species: number[];
  genera: number[];
  families: number[];
  subspeciesOf: Map<number, number[]>;
  synonymsOf: Map<number, number[]>;
  parentOf: Map<number, number>;
}

function makeTaxonomy(rand: () => number): Taxonomy {
  const rows: Taxonomy['rows'] = [];
  let id = 1_000_000;
  const root = id++;
  rows.push({ cdNom: root, cdRef: root, cdTaxsup: null });
  const parentOf = new Map<number, number>();
  const level = (parents: number[], n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = id++;
      const parent = parents[Math.floor(rand() * parents.length)] as number;
      rows.push({ cdNom: t, cdRef: t, cdTaxsup: parent });
      parentOf.set(t, parent);
      out.push(t);
    }
    return out;
  };
  const classes = level([root], 20);
  const orders = level(classes, 200);
  const families = level(orders, 1500);
  const genera = level(families, 10_000);
  const species = level(genera, 60_000);
  const subspeciesOf = new Map<number, number[]>();
  for (let i = 0; i < 15_000; i++) {
    const sp = species[Math.floor(rand() * species.length)] as number;
    const t = id++;
    rows.push({ cdNom: t, cdRef: t, cdTaxsup: sp });
    subspeciesOf.set(sp, [...(subspeciesOf.get(sp) ?? []), t]);
  }
  const synonymsOf = new Map<number, number[]>();
  for (let i = 0; i < 30_000; i++) {
    const sp = species[Math.floor(rand() * species.length)] as number;
    const t = id++;
    rows.push({ cdNom: t, cdRef: sp, cdTaxsup: parentOf.get(sp) ?? null });
    synonymsOf.set(sp, [...(synonymsOf.get(sp) ?? []), t]);
  }
  return { rows, species, genera, families, subspeciesOf, synonymsOf, parentOf };
}

const ALL_DEPS = [...Array.from({ length: 95 }, (_, i) => String(i + 1).padStart(2, '0')).filter((d) => d !== '20'), '2A', '2B'];

async function makeRules(rand: () => number, tax: Taxonomy) {
  const { compileReferential, TaxonomyIndex } = await import('../shared/sensitivity/index.js');
  type Rule = SensitivityRule;
  const rules: Rule[] = [];
  const source = { name: 'Synthetic national referential (bench)', version: '18', format: 'v18' as const };
  const base = (cdNom: number, level: 0 | 1 | 2 | 3 | 4): Rule => ({
    id: `r${rules.length}`,
    cdNom,
    nomCite: null,
    level,
    durationYears: null,
    territory: null,
    period: null,
    bioStatus: null,
    behaviour: null,
    local: false,
    source,
    comment: null,
  });
  const lvl = () => (1 + Math.floor(rand() * 4)) as 1 | 2 | 3 | 4;
  const deps = (k: number) => {
    const out = new Set<string>();
    // The park's départements are often listed: the referential covers the whole country.
    while (out.size < k) out.add(rand() < 0.35 ? (DEPS[Math.floor(rand() * DEPS.length)] as string) : (ALL_DEPS[Math.floor(rand() * ALL_DEPS.length)] as string));
    return [...out].map((code) => ({ type: 'DEP', code }));
  };
  const sensitiveSpecies = tax.species.slice(0, 6000);
  for (const sp of sensitiveSpecies.slice(0, 4000)) {
    for (const t of deps(1 + Math.floor(rand() * 9))) {
      const r = base(sp, lvl());
      const x = rand();
      rules.push({
        ...r,
        territory: [t],
        durationYears: rand() < 0.4 ? [5, 10, 20, 30][Math.floor(rand() * 4)] ?? null : null,
        bioStatus: x < 0.3 ? (rand() < 0.7 ? ['3'] : ['3', '4']) : null,
        behaviour: x > 0.95 ? ['7'] : null,
        period: rand() < 0.2 ? (rand() < 0.5 ? { start: '10-01', end: '07-31' } : { start: '03-01', end: '08-31' }) : null,
      });
    }
  }
  for (const sp of sensitiveSpecies.slice(4000)) rules.push({ ...base(sp, lvl()), territory: [{ type: 'TER', code: 'FXX' }], bioStatus: rand() < 0.3 ? ['4'] : null });
  for (const g of tax.genera.slice(0, 1000)) for (const t of deps(3)) rules.push({ ...base(g, lvl()), territory: [t] });
  for (const f of tax.families.slice(0, 150)) for (const t of deps(2)) rules.push({ ...base(f, 1), territory: [t], durationYears: 10 });
  const taxonomy = TaxonomyIndex.build(tax.rows);
  const compiled = compileReferential(rules, taxonomy);
  // Species some rule reaches (itself, its genus or its family): observations of them are the "sensitive" ones.
  const ruled = new Set<number>([...sensitiveSpecies, ...tax.genera.slice(0, 1000), ...tax.families.slice(0, 150)]);
  const reached = (sp: number) => ruled.has(sp) || ruled.has(tax.parentOf.get(sp) ?? -1) || ruled.has(tax.parentOf.get(tax.parentOf.get(sp) ?? -1) ?? -1);
  return { rules, compiled, sensitive: tax.species.filter(reached), common: tax.species.filter((sp) => !reached(sp)).slice(0, 20_000) };
}

async function readAreas() {
  const { fromGeoJson } = await import('../electron/core/gpkg/geometry/geojson.js');
  type Area = ReferenceArea;
  const dataDir = process.env.PASSERELLE_SHARED_DATA ?? join(ROOT, '..', 'shared', 'data');
  const dir = join(dataDir, 'admin_boundaries');
  const areas: Area[] = [];
  const files: Record<string, string> = { '04': 'communes-04-alpes-de-haute-provence.geojson', '05': 'communes-05-hautes-alpes.geojson', '38': 'communes-38-isere.geojson', '73': 'communes-73-savoie.geojson' };
  type Fc = { features: { properties: { code: string; nom: string }; geometry: Parameters<typeof fromGeoJson>[0] }[] };
  for (const file of Object.values(files)) {
    const fc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Fc;
    for (const f of fc.features) areas.push({ type: 'COM', code: f.properties.code, name: f.properties.nom, geometry: fromGeoJson(f.geometry) });
  }
  const deps = JSON.parse(readFileSync(join(dir, 'departements.geojson'), 'utf8')) as Fc;
  for (const f of deps.features) if (DEPS.includes(f.properties.code)) areas.push({ type: 'DEP', code: f.properties.code, name: f.properties.nom, geometry: fromGeoJson(f.geometry) });
  return areas;
}

async function generate(): Promise<{ rules: number; pairs: number; taxa: number; areas: number }> {
  const rand = rng(20260630);
  const tax = makeTaxonomy(rand);
  const { rules, compiled, sensitive: sensitiveSpecies, common } = await makeRules(rand, tax);
  const areas = await readAreas();
  const { AreaIndex } = await import('../electron/core/sensitivity/area-index.js');
  const { encodeGpkg } = await import('../electron/core/gpkg/geometry/gpkg-binary.js');
  const { encodeWkb } = await import('../electron/core/gpkg/geometry/wkb.js');
  const { projectorFor } = await import('../electron/core/sensitivity/territory-crs.js');
  const pd = await import('../electron/core/sensitivity/pushdown.js');
  const index = new AreaIndex(areas);
  const l93 = projectorFor(2154);

  rmSync(STORE, { force: true });
  mkdirSync(OUT, { recursive: true });
  const db = new Database(STORE);
  db.pragma('journal_mode = WAL');
  db.exec(`
    CREATE TABLE passerelle_meta (key TEXT PRIMARY KEY, value TEXT);
    INSERT INTO passerelle_meta VALUES ('local_srid', '2154');
    CREATE TABLE taxref (cd_nom INTEGER PRIMARY KEY, cd_ref INTEGER, cd_taxsup INTEGER);
    CREATE TABLE sensitivity_rules (rule_idx INTEGER PRIMARY KEY, json TEXT NOT NULL);
    CREATE TABLE areas (fid INTEGER PRIMARY KEY, geom BLOB, type_code TEXT NOT NULL, area_code TEXT NOT NULL, area_name TEXT);
    CREATE TABLE observations (fid INTEGER PRIMARY KEY, geom BLOB, unique_id_sinp TEXT, cd_nom INTEGER, date_min TEXT, date_max TEXT,
      cd_nomenclature_bio_status TEXT, cd_nomenclature_behaviour TEXT, cd_nomenclature_diffusion_level TEXT, dataset_uuid TEXT, geom_local_wkb BLOB, unique_id_sinp_grp TEXT);
  `);
  const insTax = db.prepare('INSERT INTO taxref VALUES (?, ?, ?)');
  const insRule = db.prepare('INSERT INTO sensitivity_rules VALUES (?, ?)');
  const insArea = db.prepare('INSERT INTO areas (geom, type_code, area_code, area_name) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const t of tax.rows) insTax.run(t.cdNom, t.cdRef, t.cdTaxsup);
    rules.forEach((r, i) => insRule.run(i, JSON.stringify(r)));
    for (const a of areas) insArea.run(encodeGpkg(a.geometry, 4326), a.type, a.code, a.name);
  })();

  // PostGIS store.
  const admin = new pg.Client(pgConfig('postgres'));
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${PG_DB}`);
  await admin.query(`CREATE DATABASE ${PG_DB}`);
  await admin.end();
  const client = new pg.Client(pgConfig(PG_DB));
  await client.connect();
  await client.query('CREATE EXTENSION postgis');
  await pd.createPushdownSchema(client, { srid: 2154 });
  await pd.loadPushdownReferential(client, compiled);
  await pd.loadPushdownAreas(client, areas);

  // Observations: taxa (Zipf over common species, 6 % sensitive, synonyms, unknown), dates, places.
  const zipf = common.map((_, i) => 1 / (i + 1));
  const cum: number[] = [];
  zipf.reduce((a, w, i) => ((cum[i] = a + w), a + w), 0);
  const total = cum[cum.length - 1] as number;
  const pickCommon = () => {
    const x = rand() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cum[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return common[lo] as number;
  };
  const depAreas = areas.filter((a) => a.type === 'DEP');
  const boxes = depAreas.map((a) => index.polygon(index.find('DEP', a.code)));
  const minX = Math.min(...boxes.map((b) => b.minX));
  const maxX = Math.max(...boxes.map((b) => b.maxX));
  const minY = Math.min(...boxes.map((b) => b.minY));
  const maxY = Math.max(...boxes.map((b) => b.maxY));
  const out = new Int32Array(4);
  const insObs = db.prepare('INSERT INTO observations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  // Sites and relevés for propagation, drawn without the generator (the rest of the data stays the
  // same): one observation in 50 at the very point of the one before (another relevé, another day),
  // and relevés of three for three observations in ten.
  let prevLon = 0;
  let prevLat = 0;
  const weightsBio = ['1', '1', '1', '1', '1', '1', '1', '0', '3', '9'];
  const batch: PushdownObservation[] = [];
  const flush = async () => {
    await pd.loadPushdownObservations(client, batch, { srid: 2154 });
    batch.length = 0;
  };
  const insertMany = db.transaction((rows: unknown[][]) => {
    for (const r of rows) insObs.run(...r);
  });
  let sqliteRows: unknown[][] = [];
  for (let i = 1; i <= N; i++) {
    const x = rand();
    let cdNom: number | null;
    if (x < 0.001) cdNom = null;
    else if (x < 0.004) cdNom = 90_000_000 + Math.floor(rand() * 1000); // unknown to the referential's TAXREF
    else if (x < 0.064) {
      const sp = sensitiveSpecies[Math.floor(rand() * sensitiveSpecies.length)] as number;
      const y = rand();
      cdNom = y < 0.1 ? (tax.subspeciesOf.get(sp)?.[0] ?? sp) : y < 0.2 ? (tax.synonymsOf.get(sp)?.[0] ?? sp) : sp;
    } else cdNom = rand() < 0.05 ? (tax.synonymsOf.get(pickCommon())?.[0] ?? pickCommon()) : pickCommon();
    let lon = 0;
    let lat = 0;
    for (let tries = 0; tries < 50; tries++) {
      lon = minX + rand() * (maxX - minX);
      lat = minY + rand() * (maxY - minY);
      if (rand() < 0.005 || index.containing('DEP', lon, lat, out) > 0) break;
    }
    if (i % 50 === 0 && i > 1) {
      lon = prevLon;
      lat = prevLat;
    }
    prevLon = lon;
    prevLat = lat;
    const releve = i % 10 < 3 ? `releve-${Math.floor(i / 10)}` : null;
    const year = 2026 - Math.floor(Math.pow(rand(), 2) * 36);
    const month = 1 + Math.floor(rand() * 12);
    const day = 1 + Math.floor(rand() * 28);
    const dateMin = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const dateMax = rand() < 0.05 ? `${year}-${String(Math.min(12, month + 1)).padStart(2, '0')}-28` : dateMin;
    const bio = weightsBio[Math.floor(rand() * weightsBio.length)] as string;
    const beh = rand() < 0.9 ? '0' : String(Math.floor(rand() * 24));
    const d = rand();
    const diffusion = d < 0.8 ? null : d < 0.9 ? '5' : d < 0.95 ? '0' : String(1 + Math.floor(rand() * 4));
    const point = { type: 'Point' as const, hasZ: false, hasM: false, coordinates: [lon, lat] };
    const [lx, ly] = l93.forward(lon, lat);
    const localWkb = encodeWkb({ ...point, coordinates: [lx, ly] });
    const uuid = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    sqliteRows.push([i, encodeGpkg(point, 4326), uuid, cdNom, dateMin, dateMax, bio, beh, diffusion, null, localWkb, releve]);
    batch.push({ obsId: i, uuid, cdNom, cdRefHint: null, dateMin, dateMax, bioStatus: bio, behaviour: beh, diffusionLevel: diffusion, datasetUuid: null, geomWkb: encodeWkb(point), geomLocalWkb: localWkb, releve });
    if (batch.length === 50_000) {
      insertMany(sqliteRows);
      sqliteRows = [];
      await flush();
    }
  }
  insertMany(sqliteRows);
  await flush();
  await client.query('VACUUM ANALYZE passerelle_sensitivity.observations');
  await client.end();
  db.close();
  return { rules: rules.length, pairs: compiled.diagnostics.expandedPairs, taxa: tax.rows.length, areas: areas.length };
}

// ---------------------------------------------------------------------------------------------
// Timed phases (child processes)

async function phase(name: string): Promise<string> {
  // Modules are loaded before the clock starts: the app loads them once, not per check.
  const [sens, { AreaIndex }, { BlurAreas }, { SensitivityChecker, checkRows }, ws, pd, rs] = await Promise.all([
    import('../shared/sensitivity/index.js'),
    import('../electron/core/sensitivity/area-index.js'),
    import('../electron/core/sensitivity/blur.js'),
    import('../electron/core/sensitivity/runner.js'),
    import('../electron/core/sensitivity/workspace-source.js'),
    import('../electron/core/sensitivity/pushdown.js'),
    import('../electron/core/sensitivity/results-store.js'),
  ]);
  const territory = sens.TERRITORIES.FXX as NonNullable<(typeof sens.TERRITORIES)['FXX']>;
  const t0 = performance.now();
  let detail = '';
  if (name === 'in-process') {
    const db = new Database(STORE);
    const taxonomy = sens.TaxonomyIndex.build(
      (db.prepare('SELECT cd_nom, cd_ref, cd_taxsup FROM taxref').raw(true).all() as [number, number, number | null][]).map(([cdNom, cdRef, cdTaxsup]) => ({ cdNom, cdRef, cdTaxsup })),
    );
    const rules = (db.prepare('SELECT json FROM sensitivity_rules ORDER BY rule_idx').pluck().all() as string[]).map((j) => JSON.parse(j) as SensitivityRule);
    const areas = ws.readReferenceAreas(db);
    const index = new AreaIndex(areas);
    const referential = sens.compileReferential(rules, taxonomy, { loadedAreas: index.keys() });
    const checker = new SensitivityChecker({ referential, blurAreas: new BlurAreas(index, territory), asOf: AS_OF, localSrid: ws.workspaceLocalSrid(db) });
    rs.createResultsTable(db);
    const writer = new rs.ResultsWriter(db, referential);
    const reader = new Database(STORE, { readonly: true });
    db.exec('BEGIN');
    const summary = await checkRows(ws.workspaceCheckRows(reader, checker), checker, (r, row) => writer.add(row.fid, r));
    writer.flush();
    db.exec('COMMIT');
    reader.close();
    db.close();
    detail = `${summary.total} rows; blur 0–4: ${summary.byBlur.join('/')}; unmatched ${summary.unmatchedTaxa + summary.noTaxon}; area not found ${summary.areaNotFound}; precaution ${summary.byPrecaution}; same site/relevé ${summary.propagated}; ${referential.diagnostics.expandedPairs} (rule, taxon) pairs`;
  } else if (name === 'postgis') {
    const client = new pg.Client(pgConfig(PG_DB_CHILD));
    await client.connect();
    const t1 = performance.now();
    await client.query('BEGIN');
    const areaTypes = (await client.query<{ t: string }>("SELECT DISTINCT CASE WHEN split_part(k, ':', 1) IN ('REG', 'TER') THEN 'DEP' ELSE split_part(k, ':', 1) END AS t FROM passerelle_sensitivity.rules, unnest(ter_keys) k")).rows.map((r) => r.t);
    const n = await pd.runPushdown(client, { asOf: AS_OF, areaTypesNeeded: areaTypes, srid: territory.epsg, gridPrefix: territory.gridPrefix });
    await client.query('COMMIT');
    const ms = performance.now() - t1;
    const counts = await client.query<{ b: number; n: string }>('SELECT blur_level AS b, count(*) AS n FROM passerelle_sensitivity.results GROUP BY 1 ORDER BY 1');
    const propagated = await client.query<{ n: string }>('SELECT count(*) AS n FROM passerelle_sensitivity.results WHERE propagated_from IS NOT NULL');
    await client.end();
    detail = `${n} rows; blur 0–4: ${counts.rows.map((r) => r.n).join('/')}; same site/relevé ${propagated.rows[0]?.n ?? '?'}`;
    return measureLine(ms, detail);
  }
  return measureLine(performance.now() - t0, detail);
}

const PG_DB_CHILD = process.env.BENCH_PG_DB ?? PG_DB;
/** A phase's environment: it works on this run's scratch database. */
const phaseEnv = { ...process.env, BENCH_PG_DB: PG_DB };

/** Row-by-row comparison of the two result tables (keyset pages from PostGIS, SQLite in order). */
async function compare(): Promise<{ rows: number; differ: number; example: string | null }> {
  const db = new Database(STORE, { readonly: true });
  const client = new pg.Client(pgConfig(PG_DB));
  await client.connect();
  const { RESOLUTIONS } = await import('../electron/core/sensitivity/results-store.js');
  const { BLUR_REASONS } = await import('../shared/sensitivity/index.js');
  const it = db
    .prepare('SELECT observation_fid, resolution, computed_level, sensitivity_level, blur_level, requested_level, reason, rule_id, area_type, area_codes, propagated_from FROM sensitivity_results ORDER BY observation_fid')
    .raw(true)
    .iterate() as Iterator<unknown[]>;
  let last = 0;
  let rows = 0;
  let differ = 0;
  let example: string | null = null;
  for (;;) {
    const page = await client.query({
      text: `SELECT x.obs_id, x.resolution, x.computed_level, x.sensitivity_level, x.blur_level, x.requested_level, x.reason, r.rule_id, x.area_type, x.area_codes, x.propagated_from
             FROM passerelle_sensitivity.results x LEFT JOIN passerelle_sensitivity.rules r ON r.rule_idx = x.rule_idx WHERE x.obs_id > $1 ORDER BY x.obs_id LIMIT 100000`,
      values: [last],
      rowMode: 'array',
    });
    if (page.rows.length === 0) break;
    for (const p of page.rows as unknown[][]) {
      const s = it.next().value as unknown[] | undefined;
      if (s) {
        s[1] = RESOLUTIONS[s[1] as number];
        s[6] = BLUR_REASONS[s[6] as number];
      }
      const a = JSON.stringify(s?.map((v) => (v === null ? null : String(v))));
      const b = JSON.stringify(p.map((v) => (v === null ? null : String(v))));
      rows++;
      if (a !== b) {
        differ++;
        example ??= `in-process ${a} vs PostGIS ${b}`;
      }
      last = Number(p[0]);
    }
  }
  if (!it.next().done) differ++;
  await client.end();
  db.close();
  return { rows, differ, example };
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const g = await generate();
  process.stdout.write(
    `setup: ${N.toLocaleString('en')} observations, ${g.taxa.toLocaleString('en')} taxa, ${g.rules.toLocaleString('en')} rules → ${g.pairs.toLocaleString('en')} (rule, taxon) pairs, ${g.areas} areas; ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  try {
    let best: { inProcess: Measure; postgis: Measure } | null = null;
    for (let i = 0; i < REPEAT; i++) {
      const inProcess = runPhase(self, 'in-process', [], { env: phaseEnv });
      const postgis = runPhase(self, 'postgis', [], { env: phaseEnv });
      best = !best ? { inProcess, postgis } : { inProcess: inProcess.ms < best.inProcess.ms ? inProcess : best.inProcess, postgis: postgis.ms < best.postgis.ms ? postgis : best.postgis };
    }
    const b = best as NonNullable<typeof best>;
    const cmp = await compare();
    const ratio = b.postgis.ms / b.inProcess.ms;
    process.stdout.write(
      [
        `in-process check + blur: ${(b.inProcess.ms / 1000).toFixed(2)} s, peak RSS ${b.inProcess.maxRssMB.toFixed(0)} MB (target < 600 MB) — ${b.inProcess.detail}`,
        `PostGIS pushdown:        ${(b.postgis.ms / 1000).toFixed(2)} s — ${b.postgis.detail}`,
        `ratio: in-process is ${ratio.toFixed(2)}× faster than PostGIS (target ≥ 2×, aim 5×)`,
        `identical results: ${cmp.differ === 0 ? 'yes' : 'NO'} (${cmp.rows.toLocaleString('en')} rows compared${cmp.example ? `; first difference: ${cmp.example}` : ''})`,
        `(best of ${REPEAT}, alternating; each measure in its own process, modules loaded before the clock; load average ${loadavg()[0]?.toFixed(2)})`,
      ].join('\n') + '\n',
    );
  } finally {
    if (process.env.BENCH_KEEP) process.stdout.write(`kept ${STORE} and database ${PG_DB} (BENCH_KEEP)\n`);
    else await cleanUp();
  }
}

/** Drops the scratch database and the SQLite store. */
async function cleanUp(): Promise<void> {
  const admin = new pg.Client(pgConfig('postgres'));
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${PG_DB} WITH (FORCE)`);
  await admin.end();
  rmSync(STORE, { force: true });
  rmSync(`${STORE}-wal`, { force: true });
  rmSync(`${STORE}-shm`, { force: true });
}

if (process.argv[2] === 'phase') {
  phase(process.argv[3] as string).then((out) => process.stdout.write(out + '\n'));
} else {
  await main();
}
