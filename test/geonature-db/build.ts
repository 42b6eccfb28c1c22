/**
 * Builds a GeoNature-shaped PostgreSQL/PostGIS database for integration tests, in the machine's
 * real server: the project's own DDL (./schema, written from ../shared/docs/geonature-reference.md)
 * loaded with real public data (SINP nomenclatures, GeoNature's test CA/JDD, 1,000 Écrins
 * observations, IGN communes and départements, a 10 km grid). See ./README.md for what is modelled
 * and how the 2018 data was adapted.
 *
 * Everything that depends on the install is a parameter, as on real servers: the local SRID
 * (geometry column types), the serial ids (nomenclatures, areas, CA/JDD). Tests must look things
 * up by code or UUID, as a client must.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { defaultConnection, describeTarget } from '../../electron/core/pg/connection.js';
import { ECRINS, ORGANISMS, PROVENANCE_SCHEMA, SAMPLE } from './fixture-ids.js';
import { sharedDataDir, SOURCE_FILES, sourcePath, type SourceFile } from './shared-data.js';
import { splitSqlStatements, statementHead } from './sql-script.js';
import { readSyntheseDump, type SyntheseDump } from './synthese-dump-2018.js';
import { readTaxhubDump, type TaxhubDump } from './taxhub-dump-2018.js';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface BuildGeoNatureTestDbOptions {
  /** Name of the database to create (any name: it is quoted). */
  database: string;
  /** Connection to the server's maintenance database; default: PASSERELLE_PG_URL / PG* / 127.0.0.1:5432 as postgres, database postgres. */
  admin?: pg.ClientConfig;
  /** SRID of the local geometry columns (ref_geo.l_areas.geom, synthese.the_geom_local); default 2154. */
  localSrid?: number;
  /** Replace an existing database of that name, if it is one this builder made (or an empty one). */
  dropIfExists?: boolean;
  /** Folder with geonature/ and admin_boundaries/; default PASSERELLE_SHARED_DATA or ../shared/data. */
  dataDir?: string;
}

export interface BuiltGeoNatureTestDb {
  database: string;
  localSrid: number;
  /** Row counts per table ("schema.table", plus "ref_geo.l_areas[COM]" etc.), read back after the load. */
  counts: Record<string, number>;
  /** How to connect to the new database (the admin connection with the database replaced). */
  connection: pg.ClientConfig;
  /** Duration of each build step, for keeping the build fast. */
  timingsMs: Record<string, number>;
}

/**
 * Creates and fills the test database. Fails (never skips) with a message that names the server
 * when PostgreSQL cannot be reached or PostGIS is missing. On any error the half-built database is
 * dropped.
 */
export async function buildGeoNatureTestDb(opts: BuildGeoNatureTestDbOptions): Promise<BuiltGeoNatureTestDb> {
  const localSrid = opts.localSrid ?? 2154;
  if (!Number.isInteger(localSrid) || localSrid <= 0) throw new Error(`localSrid must be a positive integer, got ${String(opts.localSrid)}`);
  checkDatabaseName(opts.database);
  const admin = { ...(opts.admin ?? maintenanceConnection()), application_name: 'passerelle-geonature-testdb' };
  const dataDir = opts.dataDir ?? sharedDataDir();
  // Fail on a missing file before touching the server.
  for (const name of Object.keys(SOURCE_FILES) as SourceFile[]) sourcePath(name, dataDir);

  const timingsMs: Record<string, number> = {};
  const timed = async <T>(step: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      timingsMs[step] = Math.round(performance.now() - t0);
    }
  };

  const adminClient = await connectOrExplain(admin);
  try {
    await requirePostgis(adminClient, describeTarget(admin));
    await timed('createDatabase', async () => {
      const exists = await adminClient.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
      if (exists.rowCount) {
        if (!opts.dropIfExists) throw new Error(`Database "${opts.database}" already exists at ${describeTarget(admin)} (pass dropIfExists to replace it)`);
        await dropIfBuiltByUs(adminClient, admin, opts.database);
      }
      await adminClient.query(`CREATE DATABASE ${pg.escapeIdentifier(opts.database)} TEMPLATE template0 ENCODING 'UTF8'`);
    });
  } finally {
    await adminClient.end();
  }

  const connection = withDatabase(admin, opts.database);
  const client = new pg.Client(connection);
  try {
    await client.connect();
    await timed('extensions', () => createExtensions(client, localSrid));
    await timed('schema', () => inTransaction(client, () => loadSchema(client, localSrid)));
    const dumps = await timed('readDumps', async () => ({
      synthese: readSyntheseDump(sourcePath('syntheseDump', dataDir)),
      taxhub: readTaxhubDump(sourcePath('taxhubDump', dataDir)),
    }));
    await inTransaction(client, async () => {
      await timed('referenceRows', () => runSeed(client, '10-organisms-roles-modules.sql'));
      await timed('nomenclatures', () => loadNomenclatures(client, dataDir));
      await timed('referenceRowsAfterNomenclatures', async () => {
        await runSeed(client, '20-area-types.sql');
        await runSeed(client, '30-sensitivity-blurring.sql');
      });
      await timed('taxref', () => loadTaxref(client, dumps.synthese, dumps.taxhub));
      await timed('syntheseDefaults', () => runUpstreamFile(client, dataDir, 'syntheseDefaults', ['SET', 'INSERT INTO DEFAULTS_NOMENCLATURES_VALUE']));
      await timed('sampleMetadata', () => loadSampleMetadata(client, dataDir));
      await timed('adminAreas', () => loadAdminAreas(client, dataDir, localSrid));
      await timed('ecrinsMetadata', () => loadEcrinsMetadata(client, dumps.synthese));
      await timed('synthese', () => loadSynthese(client, dumps.synthese, localSrid));
      await timed('grid', () => loadGrid(client, localSrid));
      await timed('provenance', () => recordProvenance(client, dataDir, localSrid));
    });
    await timed('analyze', async () => {
      await client.query('ANALYZE');
    });
    const counts = await timed('counts', () => countRows(client));
    return { database: opts.database, localSrid, counts, connection, timingsMs };
  } catch (e) {
    await client.end().catch(() => undefined);
    await dropTestDb(opts.database, admin).catch(() => undefined);
    throw e;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Drops a database made by buildGeoNatureTestDb (WITH FORCE: open test connections are closed).
 * Refuses a database that has user tables but no passerelle_testdata schema, so that a typo
 * cannot drop a real GeoNature database living on the same server. A missing database is fine.
 */
export async function dropTestDb(name: string, admin: pg.ClientConfig = maintenanceConnection()): Promise<void> {
  checkDatabaseName(name);
  const client = await connectOrExplain(admin);
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) return;
    await dropIfBuiltByUs(client, admin, name);
  } finally {
    await client.end();
  }
}

/** The admin connection of the environment, on the maintenance database `postgres`. */
export function maintenanceConnection(env: NodeJS.ProcessEnv = process.env): pg.ClientConfig {
  return withDatabase(defaultConnection(env), 'postgres');
}

/** The same server and credentials, another database (also for connection URLs). */
export function withDatabase(cfg: pg.ClientConfig, database: string): pg.ClientConfig {
  if (cfg.connectionString) {
    const url = new URL(cfg.connectionString);
    url.pathname = `/${encodeURIComponent(database)}`;
    return { ...cfg, connectionString: url.toString() };
  }
  return { ...cfg, database };
}

// ---------------------------------------------------------------------------------------------

const SYSTEM_DATABASES = new Set(['postgres', 'template0', 'template1']);

function checkDatabaseName(name: string): void {
  if (!name || Buffer.byteLength(name, 'utf8') > 63) throw new Error(`Invalid database name "${name}" (1 to 63 bytes)`);
  if (SYSTEM_DATABASES.has(name)) throw new Error(`Refusing to use the system database "${name}" as a test database`);
}

async function connectOrExplain(cfg: pg.ClientConfig): Promise<pg.Client> {
  const client = new pg.Client({ connectionTimeoutMillis: 5000, ...cfg });
  try {
    await client.connect();
    return client;
  } catch (e) {
    await client.end().catch(() => undefined);
    const err = e as { code?: string; message?: string };
    throw new Error(
      `PostgreSQL is not reachable at ${describeTarget(cfg)} (${err.code ?? err.message ?? String(e)}). ` +
        `The GeoNature test database needs the machine's PostgreSQL (15) with PostGIS (package postgresql-15-postgis-3): ` +
        `start the server, or point PASSERELLE_PG_URL / PGHOST, PGPORT, PGUSER at one.`,
      { cause: e },
    );
  }
}

async function requirePostgis(client: pg.Client, target: string): Promise<void> {
  const r = await client.query<{ server: string; postgis: string | null }>(
    `SELECT current_setting('server_version') AS server,
            (SELECT default_version FROM pg_available_extensions WHERE name = 'postgis') AS postgis`,
  );
  const row = r.rows[0];
  if (!row?.postgis) {
    throw new Error(
      `PostGIS is not installed for PostgreSQL ${row?.server ?? '?'} at ${target}: the GeoNature test database needs it ` +
        `(Debian: apt-get install postgresql-15-postgis-3).`,
    );
  }
}

/** Drops `name` if it carries our provenance schema or holds no user table at all. */
async function dropIfBuiltByUs(adminClient: pg.Client, admin: pg.ClientConfig, name: string): Promise<void> {
  const probe = new pg.Client(withDatabase(admin, name));
  let ours: boolean;
  try {
    await probe.connect();
    const r = await probe.query<{ marker: boolean; user_tables: string }>(
      `SELECT to_regnamespace($1) IS NOT NULL AS marker,
              (SELECT count(*) FROM pg_tables
                WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
                  AND NOT (schemaname = 'public' AND tablename = 'spatial_ref_sys')) AS user_tables`,
      [PROVENANCE_SCHEMA],
    );
    const row = r.rows[0];
    ours = Boolean(row?.marker) || Number(row?.user_tables ?? 0) === 0;
  } finally {
    await probe.end().catch(() => undefined);
  }
  if (!ours) {
    throw new Error(`Refusing to drop database "${name}": it has tables but no ${PROVENANCE_SCHEMA} schema, so this builder did not make it`);
  }
  await adminClient.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
}

async function inTransaction(client: pg.Client, fn: () => Promise<void>): Promise<void> {
  await client.query('BEGIN');
  try {
    await fn();
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** PostGIS, and uuid_generate_v4() for the column defaults (uuid-ossp, or a wrapper of gen_random_uuid). */
async function createExtensions(client: pg.Client, localSrid: number): Promise<void> {
  await client.query('CREATE EXTENSION IF NOT EXISTS postgis');
  const ossp = await client.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'uuid-ossp'`);
  if (ossp.rowCount) {
    await client.query('CREATE EXTENSION IF NOT EXISTS "uuid-ossp"');
  } else {
    await client.query(`CREATE FUNCTION public.uuid_generate_v4() RETURNS uuid LANGUAGE sql VOLATILE AS 'SELECT gen_random_uuid()'`);
  }
  const srid = await client.query('SELECT 1 FROM spatial_ref_sys WHERE srid = $1', [localSrid]);
  if (!srid.rowCount) throw new Error(`SRID ${localSrid} is not in PostGIS spatial_ref_sys: choose another localSrid`);
}

/** Runs schema/*.sql in name order; {{LOCAL_SRID}} becomes the validated integer. */
async function loadSchema(client: pg.Client, localSrid: number): Promise<void> {
  const dir = join(HERE, 'schema');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
    const sql = readFileSync(join(dir, file), 'utf8').replaceAll('{{LOCAL_SRID}}', String(localSrid));
    try {
      await client.query(sql);
    } catch (e) {
      throw new Error(`schema/${file}: ${(e as Error).message}`, { cause: e });
    }
  }
}

async function runSeed(client: pg.Client, file: string): Promise<void> {
  try {
    await client.query(readFileSync(join(HERE, 'seed', file), 'utf8'));
  } catch (e) {
    throw new Error(`seed/${file}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Executes an upstream SQL file, after checking that each statement starts with one of the
 * expected heads (so a changed file fails loudly instead of doing something unplanned).
 * The files SET search_path for the session: it is reset afterwards.
 */
async function runUpstreamFile(
  client: pg.Client,
  dataDir: string,
  name: SourceFile,
  allowedHeads: string[],
  filter: (statement: string) => boolean = () => true,
): Promise<number> {
  const statements = splitSqlStatements(readFileSync(sourcePath(name, dataDir), 'utf8')).filter(filter);
  for (const s of statements) {
    const head = statementHead(s, 6);
    if (!allowedHeads.some((h) => head.startsWith(h))) throw new Error(`${SOURCE_FILES[name]}: unexpected statement "${head}…"`);
  }
  try {
    await client.query(statements.join(';\n') + ';');
  } catch (e) {
    throw new Error(`${SOURCE_FILES[name]}: ${(e as Error).message}`, { cause: e });
  } finally {
    await client.query('RESET ALL');
  }
  return statements.length;
}

/**
 * The SINP nomenclatures of Nomenclature-api-module, executed as shipped except for one block.
 *
 * What the file needs: bib_nomenclatures_types with its id_type sequence, t_nomenclatures with
 * label_default nullable (the file fills label_fr, copies it, then sets NOT NULL itself),
 * get_id_nomenclature_type / get_id_nomenclature, defaults_nomenclatures_value, and the
 * organism 'ALL'. Its DO block inserts 'ALL' again with a serial id; bib_organismes has no
 * unique name, so on a database that already has 'ALL' (UsersHub's, id 0, as here) it would
 * make a second one and break every "WHERE nom_organisme = 'ALL'" subquery. That block is left out.
 */
async function loadNomenclatures(client: pg.Client, dataDir: string): Promise<void> {
  await client.query(`ALTER TABLE ref_nomenclatures.bib_nomenclatures_types ALTER COLUMN label_default DROP NOT NULL;
                      ALTER TABLE ref_nomenclatures.t_nomenclatures ALTER COLUMN label_default DROP NOT NULL`);
  await runUpstreamFile(
    client,
    dataDir,
    'nomenclatures',
    ['SET', 'INSERT INTO BIB_NOMENCLATURES_TYPES', 'INSERT INTO T_NOMENCLATURES', 'INSERT INTO DEFAULTS_NOMENCLATURES_VALUE', "SELECT SETVAL('REF_NOMENCLATURES.", 'UPDATE', 'ALTER TABLE'],
    (s) => !(statementHead(s, 1) === 'DO' && /utilisateurs\.bib_organismes/i.test(s)),
  );
  const nn = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM information_schema.columns
      WHERE table_schema = 'ref_nomenclatures' AND column_name = 'label_default' AND is_nullable = 'NO'`,
  );
  if (Number(nn.rows[0]?.n) !== 2) throw new Error('nomenclatures_inpn_data.sql did not restore NOT NULL on label_default');
  await runUpstreamFile(client, dataDir, 'nomenclaturesTaxonomy', ['SET', 'INSERT INTO COR_TAXREF_NOMENCLATURE']);
}

/**
 * The gn_meta rows of GeoNature's backend test fixture (tests__sample_data.sql): 1 CA, 3 JDD,
 * their actors, territory, protocol and module links, executed verbatim. Its other rows need
 * Occtax, permissions and mobile apps, which this product does not use. The 'hors protocole'
 * protocol they refer to comes from core__meta_data.sql.
 */
async function loadSampleMetadata(client: pg.Client, dataDir: string): Promise<void> {
  await runUpstreamFile(client, dataDir, 'metaData', ['SET', 'INSERT INTO SINP_DATATYPE_PROTOCOLS', "SELECT PG_CATALOG.SETVAL('SINP_DATATYPE_PROTOCOLS"]);
  const kept = await runUpstreamFile(
    client,
    dataDir,
    'sampleData',
    ['INSERT INTO GN_META.', 'INSERT INTO GN_COMMONS.COR_MODULE_DATASET', "SELECT PG_CATALOG.SETVAL('GN_META."],
    (s) => /^(INSERT INTO (gn_meta\.|gn_commons\.cor_module_dataset)|SELECT pg_catalog\.setval\('gn_meta\.)/i.test(s),
  );
  if (kept !== 13) throw new Error(`tests__sample_data.sql: expected 13 gn_meta statements, found ${kept}`);
}

/**
 * taxonomie.taxref rows for every cd_nom of the observations (and the cd_ref of synonyms), built
 * from TaxHub's 2018 bib_noms: cd_nom, cd_ref, nom_francais -> nom_vern; lb_nom is the
 * observations' nom_cite; regne and group2_inpn come from the PNE taxon lists the name is in.
 * cd_sup / cd_taxsup / ranks are unknown (no TAXREF extract is available): NULL.
 */
async function loadTaxref(client: pg.Client, synthese: SyntheseDump, taxhub: TaxhubDump): Promise<void> {
  const nomCite = new Map<number, string>();
  for (const r of synthese.rows) {
    const known = nomCite.get(r.cdNom);
    if (known !== undefined && known !== r.nomCite) throw new Error(`cd_nom ${r.cdNom} is cited as "${known}" and "${r.nomCite}"`);
    nomCite.set(r.cdNom, r.nomCite);
  }
  const byCdNom = new Map(taxhub.names.map((n) => [n.cdNom, n]));
  const listById = new Map(taxhub.lists.map((l) => [l.idListe, l]));
  const listsOf = new Map<number, number[]>();
  for (const m of taxhub.listMembers) listsOf.set(m.cdNom, [...(listsOf.get(m.cdNom) ?? []), m.idListe]);
  const single = (values: Array<string | null>): string | null => {
    const set = new Set(values.filter((v): v is string => v !== null && v !== '<Autres>'));
    return set.size === 1 ? ([...set][0] ?? null) : null;
  };
  const classify = (cdNom: number) => {
    const lists = (listsOf.get(cdNom) ?? []).map((id) => listById.get(id)).filter((l) => l !== undefined);
    return { regne: single(lists.map((l) => l.regne)), group2_inpn: single(lists.map((l) => l.group2Inpn)) };
  };

  interface TaxrefRow {
    cd_nom: number;
    cd_ref: number;
    lb_nom: string | null;
    nom_valide: string | null;
    nom_vern: string | null;
    regne: string | null;
    group2_inpn: string | null;
    origin: string;
  }
  const rows = new Map<number, TaxrefRow>();
  for (const [cdNom, cited] of nomCite) {
    const name = byCdNom.get(cdNom);
    if (!name) throw new Error(`cd_nom ${cdNom} (${cited}) is not in TaxHub's bib_noms`);
    rows.set(cdNom, {
      cd_nom: cdNom,
      cd_ref: name.cdRef,
      lb_nom: cited,
      nom_valide: name.cdRef === cdNom ? cited : null,
      nom_vern: name.nomFrancais,
      ...classify(cdNom),
      origin: 'bib_noms 2018 (cd_nom, cd_ref, nom_francais) + nom_cite of the observations',
    });
  }
  for (const row of [...rows.values()]) {
    if (rows.has(row.cd_ref)) continue;
    const name = byCdNom.get(row.cd_ref);
    rows.set(row.cd_ref, {
      cd_nom: row.cd_ref,
      cd_ref: row.cd_ref,
      lb_nom: null,
      nom_valide: null,
      nom_vern: name?.nomFrancais ?? null,
      regne: row.regne,
      group2_inpn: row.group2_inpn,
      origin: `valid name (cd_ref) of synonym ${row.cd_nom} in bib_noms 2018; name unknown`,
    });
  }
  const json = JSON.stringify([...rows.values()]);
  await client.query(
    `INSERT INTO taxonomie.taxref (cd_nom, cd_ref, lb_nom, nom_complet, nom_valide, nom_vern, regne, group2_inpn)
     SELECT cd_nom, cd_ref, lb_nom, lb_nom, nom_valide, nom_vern, regne, group2_inpn
     FROM jsonb_to_recordset($1::jsonb) AS r(cd_nom integer, cd_ref integer, lb_nom text, nom_valide text, nom_vern text, regne text, group2_inpn text)`,
    [json],
  );
  await client.query(
    `INSERT INTO ${PROVENANCE_SCHEMA}.taxref_origin (cd_nom, origin)
     SELECT cd_nom, origin FROM jsonb_to_recordset($1::jsonb) AS r(cd_nom integer, origin text)`,
    [json],
  );
  await client.query(`INSERT INTO taxonomie.t_meta_taxref (referencial_name, version) VALUES ($1, 9)`, [
    'TAXREF (Passerelle test extract: TaxHub bib_noms 2018 + nom_cite, not a TAXREF release)',
  ]);
  // TaxHub 2 made code_liste mandatory; the 2018 lists had none: their id stands in.
  await client.query(
    `INSERT INTO taxonomie.bib_listes (id_liste, code_liste, nom_liste, desc_liste, regne, group2_inpn)
     SELECT id, id::text, nom, descr, regne, grp FROM jsonb_to_recordset($1::jsonb) AS r(id integer, nom text, descr text, regne text, grp text)`,
    [JSON.stringify(taxhub.lists.map((l) => ({ id: l.idListe, nom: l.nomListe, descr: l.descListe, regne: l.regne, grp: l.group2Inpn })))],
  );
  await client.query(`SELECT setval('taxonomie.bib_listes_id_liste_seq', (SELECT max(id_liste) FROM taxonomie.bib_listes))`);
  await client.query(
    `INSERT INTO taxonomie.cor_nom_liste (id_liste, cd_nom)
     SELECT DISTINCT id_liste, cd_nom FROM jsonb_to_recordset($1::jsonb) AS r(id_liste integer, cd_nom integer)`,
    [JSON.stringify(taxhub.listMembers.filter((m) => rows.has(m.cdNom)).map((m) => ({ id_liste: m.idListe, cd_nom: m.cdNom })))],
  );
}

/** INSEE region of each département loaded (COG 2018). */
const DEPARTEMENTS = [
  { code: '05', region: '93', regionName: "Provence-Alpes-Côte d'Azur", communes: 'communes05', outline: 'departement05' },
  { code: '38', region: '84', regionName: 'Auvergne-Rhône-Alpes', communes: 'communes38', outline: 'departement38' },
] as const satisfies ReadonlyArray<{ code: string; region: string; regionName: string; communes: SourceFile; outline: SourceFile }>;

const ADMIN_SOURCE = 'IGN Admin Express COG 2018 via gregoiredavid/france-geojson 5d34ee6d, Licence Ouverte';

/**
 * Départements and communes of 05 and 38 into ref_geo.l_areas (DEP, COM): geom_4326 is the
 * GeoJSON as published, geom its ST_Transform to the local SRID. Then li_municipalities.
 */
async function loadAdminAreas(client: pg.Client, dataDir: string, localSrid: number): Promise<void> {
  const insert = async (typeCode: 'DEP' | 'COM', features: unknown[]) => {
    await client.query(
      `INSERT INTO ref_geo.l_areas (id_type, area_code, area_name, geom_4326, geom, centroid, source, enable)
       SELECT ref_geo.get_id_area_type($1), f->'properties'->>'code', f->'properties'->>'nom',
              g.geom_4326, ST_Multi(ST_Transform(g.geom_4326, $2::integer)), ST_Centroid(ST_Transform(g.geom_4326, $2::integer)), $3, true
       FROM jsonb_array_elements($4::jsonb) AS f,
            LATERAL (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 4326)) AS geom_4326) AS g`,
      [typeCode, localSrid, ADMIN_SOURCE, JSON.stringify(features)],
    );
  };
  const read = (name: SourceFile) => JSON.parse(readFileSync(sourcePath(name, dataDir), 'utf8')) as { type: string; features?: unknown[] };
  const featuresOf = (json: { type: string; features?: unknown[] }) => (json.type === 'FeatureCollection' ? (json.features ?? []) : [json]);
  await insert('DEP', DEPARTEMENTS.flatMap((d) => featuresOf(read(d.outline))));
  await insert('COM', DEPARTEMENTS.flatMap((d) => featuresOf(read(d.communes))));
  await client.query(
    `INSERT INTO ref_geo.li_municipalities (id_municipality, id_area, status, insee_com, nom_com, insee_dep, nom_dep, insee_reg, nom_reg)
     SELECT c.area_code, c.id_area, 'Commune simple', c.area_code, c.area_name, d.area_code, d.area_name, r.insee_reg, r.nom_reg
     FROM ref_geo.l_areas c
     JOIN ref_geo.l_areas d ON d.id_type = ref_geo.get_id_area_type('DEP') AND d.area_code = left(c.area_code, 2)
     JOIN jsonb_to_recordset($1::jsonb) AS r(insee_dep text, insee_reg text, nom_reg text) ON r.insee_dep = d.area_code
     WHERE c.id_type = ref_geo.get_id_area_type('COM')`,
    [JSON.stringify(DEPARTEMENTS.map((d) => ({ insee_dep: d.code, insee_reg: d.region, nom_reg: d.regionName })))],
  );
}

/**
 * The CA, JDD and t_sources row of the 2018 observations (the dump has none: id_dataset 1 and
 * id_source 1 of that install). Nomenclatures are resolved by code, as a client must (§1.5).
 */
async function loadEcrinsMetadata(client: pg.Client, dump: SyntheseDump): Promise<void> {
  const dates = dump.rows.map((r) => r.dateMin).sort();
  const env = await client.query<{ west: number; east: number; south: number; north: number }>(
    `SELECT ST_XMin(e) AS west, ST_XMax(e) AS east, ST_YMin(e) AS south, ST_YMax(e) AS north
     FROM (SELECT ST_Extent(g::geometry) AS e FROM unnest($1::text[]) AS g) x`,
    [dump.rows.map((r) => r.theGeom4326)],
  );
  const bbox = env.rows[0];
  const ca = await client.query<{ id: number }>(
    `INSERT INTO gn_meta.t_acquisition_frameworks (
       unique_acquisition_framework_id, acquisition_framework_name, acquisition_framework_desc,
       id_nomenclature_territorial_level, territory_desc, keywords, id_nomenclature_financing_type,
       target_description, is_parent, acquisition_framework_start_date, meta_create_date)
     VALUES ($1, $2, $3, ref_nomenclatures.get_id_nomenclature('NIVEAU_TERRITORIAL', '3'),
       'Parc national des Écrins (Hautes-Alpes, Isère)', 'Écrins, parc national, faune, flore, développement',
       ref_nomenclatures.get_id_nomenclature('TYPE_FINANCEMENT', '1'), 'Tous les taxons', false, $4, now())
     RETURNING id_acquisition_framework AS id`,
    [
      ECRINS.acquisitionFrameworkUuid,
      ECRINS.acquisitionFrameworkName,
      "Cadre créé pour les données de développement publiées par GeoNature (data/dev/jdd_synthese_dev.sql, 2018), qui n'ont pas de métadonnées.",
      dates[0],
    ],
  );
  const idCa = ca.rows[0]?.id;
  await client.query(
    `INSERT INTO gn_meta.cor_acquisition_framework_actor (id_acquisition_framework, id_organism, id_nomenclature_actor_role)
     VALUES ($1, $2, ref_nomenclatures.get_id_nomenclature('ROLE_ACTEUR', '1'))`,
    [idCa, ORGANISMS.ecrins],
  );
  await client.query(
    `INSERT INTO gn_meta.cor_acquisition_framework_voletsinp (id_acquisition_framework, id_nomenclature_voletsinp)
     VALUES ($1, ref_nomenclatures.get_id_nomenclature('VOLET_SINP', '1'))`,
    [idCa],
  );
  await client.query(
    `INSERT INTO gn_meta.cor_acquisition_framework_territory (id_acquisition_framework, id_nomenclature_territory)
     VALUES ($1, ref_nomenclatures.get_id_nomenclature('TERRITOIRE', 'METROP'))`,
    [idCa],
  );
  const jdd = await client.query<{ id: number }>(
    `INSERT INTO gn_meta.t_datasets (
       unique_dataset_id, id_acquisition_framework, dataset_name, dataset_shortname, dataset_desc,
       id_nomenclature_data_type, keywords, marine_domain, terrestrial_domain, id_nomenclature_dataset_objectif,
       bbox_west, bbox_east, bbox_south, bbox_north, id_nomenclature_collecting_method, id_nomenclature_data_origin,
       id_nomenclature_source_status, id_nomenclature_resource_type, validable, meta_create_date)
     VALUES ($1, $2, $3, $4, $5, ref_nomenclatures.get_id_nomenclature('DATA_TYP', '1'), 'Écrins, faune, flore',
       false, true, ref_nomenclatures.get_id_nomenclature('JDD_OBJECTIFS', '1.1'), $6, $7, $8, $9,
       ref_nomenclatures.get_id_nomenclature('METHO_RECUEIL', '1'), ref_nomenclatures.get_id_nomenclature('DS_PUBLIQUE', 'Pu'),
       ref_nomenclatures.get_id_nomenclature('STATUT_SOURCE', 'Te'), ref_nomenclatures.get_id_nomenclature('RESOURCE_TYP', '1'),
       true, now())
     RETURNING id_dataset AS id`,
    [
      ECRINS.datasetUuid,
      idCa,
      ECRINS.datasetName,
      ECRINS.datasetShortname,
      "Observations réelles du Parc national des Écrins publiées par GeoNature comme données de développement (data/dev/jdd_synthese_dev.sql, 2018). Jeu thématique unique, à restructurer par protocole ou producteur.",
      bbox?.west,
      bbox?.east,
      bbox?.south,
      bbox?.north,
    ],
  );
  const idJdd = jdd.rows[0]?.id;
  await client.query(
    `INSERT INTO gn_meta.cor_dataset_actor (id_dataset, id_organism, id_nomenclature_actor_role)
     VALUES ($1, $2, ref_nomenclatures.get_id_nomenclature('ROLE_ACTEUR', '1')),
            ($1, $2, ref_nomenclatures.get_id_nomenclature('ROLE_ACTEUR', '6'))`,
    [idJdd, ORGANISMS.ecrins],
  );
  await client.query(
    `INSERT INTO gn_meta.cor_dataset_territory (id_dataset, id_nomenclature_territory, territory_desc)
     VALUES ($1, ref_nomenclatures.get_id_nomenclature('TERRITOIRE', 'METROP'), 'Parc national des Écrins et ses environs')`,
    [idJdd],
  );
  await client.query(
    `INSERT INTO gn_meta.cor_dataset_protocol (id_dataset, id_protocol)
     SELECT $1, id_protocol FROM gn_meta.sinp_datatype_protocols WHERE unique_protocol_id = $2`,
    [idJdd, SAMPLE.protocolUuid],
  );
  await client.query(
    `INSERT INTO gn_synthese.t_sources (name_source, desc_source, entity_source_pk_field)
     VALUES ($1, $2, NULL)`,
    [ECRINS.sourceName, 'Observations réelles du Parc national des Écrins, dump de développement GeoNature de 2018, adapté aux colonnes actuelles par Passerelle.'],
  );
}

/**
 * The 1,000 observations, in one INSERT … SELECT so that the statement triggers (sensitivity,
 * cor_area_synthese) run once, as for a bulk load on a real server. Values are the dump's; the
 * nomenclature columns are left to their defaults (the 2018 ids mean nothing today), which
 * resolve the synthese defaults by code. the_geom_point is the centroid of the_geom_4326; with a
 * local SRID other than the dump's 2154, the_geom_local is ST_Transform(the_geom_4326, local).
 */
async function loadSynthese(client: pg.Client, dump: SyntheseDump, localSrid: number): Promise<void> {
  await client.query('REFRESH MATERIALIZED VIEW gn_sensitivity.t_sensitivity_rules_cd_ref');
  const rows = dump.rows.map((r) => ({
    id_synthese: r.idSynthese,
    unique_id_sinp: r.uniqueIdSinp,
    unique_id_sinp_grp: r.uniqueIdSinpGrp,
    entity_source_pk_value: r.entitySourcePkValue,
    count_min: r.countMin,
    count_max: r.countMax,
    cd_nom: r.cdNom,
    nom_cite: r.nomCite,
    meta_v_taxref: r.metaVTaxref,
    sample_number_proof: r.sampleNumberProof,
    digital_proof: r.digitalProof,
    non_digital_proof: r.nonDigitalProof,
    altitude_min: r.altitudeMin,
    altitude_max: r.altitudeMax,
    the_geom_4326: r.theGeom4326,
    the_geom_local: r.theGeomLocal,
    date_min: r.dateMin,
    date_max: r.dateMax,
    validation_comment: r.validationComment,
    observers: r.observers,
    determiner: r.determiner,
    comment_description: r.comments,
    meta_validation_date: r.metaValidationDate,
    meta_create_date: r.metaCreateDate,
    meta_update_date: r.metaUpdateDate,
    last_action: r.lastAction,
  }));
  await client.query(
    `INSERT INTO gn_synthese.synthese (
       id_synthese, unique_id_sinp, unique_id_sinp_grp, id_source, entity_source_pk_value, id_dataset,
       count_min, count_max, cd_nom, nom_cite, meta_v_taxref, sample_number_proof, digital_proof, non_digital_proof,
       altitude_min, altitude_max, the_geom_4326, the_geom_point, the_geom_local, date_min, date_max,
       validation_comment, observers, determiner, comment_description, meta_validation_date,
       meta_create_date, meta_update_date, last_action)
     SELECT r.id_synthese, r.unique_id_sinp, r.unique_id_sinp_grp,
            (SELECT id_source FROM gn_synthese.t_sources WHERE name_source = $2),
            r.entity_source_pk_value,
            (SELECT id_dataset FROM gn_meta.t_datasets WHERE unique_dataset_id = $3::uuid),
            r.count_min, r.count_max, r.cd_nom, r.nom_cite, r.meta_v_taxref, r.sample_number_proof, r.digital_proof,
            r.non_digital_proof, r.altitude_min, r.altitude_max,
            g.geom_4326, ST_Centroid(g.geom_4326),
            CASE WHEN $4::integer = 2154 THEN r.the_geom_local::geometry ELSE ST_Transform(g.geom_4326, $4::integer) END,
            r.date_min, r.date_max, r.validation_comment, r.observers, r.determiner, r.comment_description,
            r.meta_validation_date, r.meta_create_date, r.meta_update_date, r.last_action
     FROM jsonb_to_recordset($1::jsonb) AS r(
            id_synthese integer, unique_id_sinp uuid, unique_id_sinp_grp uuid, entity_source_pk_value text,
            count_min integer, count_max integer, cd_nom integer, nom_cite text, meta_v_taxref text,
            sample_number_proof text, digital_proof text, non_digital_proof text, altitude_min integer, altitude_max integer,
            the_geom_4326 text, the_geom_local text, date_min timestamp, date_max timestamp, validation_comment text,
            observers text, determiner text, comment_description text, meta_validation_date timestamp,
            meta_create_date timestamp, meta_update_date timestamp, last_action text),
          LATERAL (SELECT r.the_geom_4326::geometry AS geom_4326) AS g`,
    [JSON.stringify(rows), ECRINS.sourceName, ECRINS.datasetUuid, localSrid],
  );
  await client.query(`SELECT setval('gn_synthese.synthese_id_synthese_seq', (SELECT max(id_synthese) FROM gn_synthese.synthese))`);
  await client.query(
    `INSERT INTO ${PROVENANCE_SCHEMA}.synthese_dump_2018 (
       unique_id_sinp, id_synthese_2018, deleted, id_municipality, nomenclature_ids_2018, determination_method,
       meta_create_date_2018, meta_update_date_2018)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
       unique_id_sinp uuid, id_synthese_2018 integer, deleted boolean, id_municipality text, nomenclature_ids_2018 jsonb,
       determination_method text, meta_create_date_2018 timestamp, meta_update_date_2018 timestamp)`,
    [
      JSON.stringify(
        dump.rows.map((r) => ({
          unique_id_sinp: r.uniqueIdSinp,
          id_synthese_2018: r.idSynthese,
          deleted: r.deleted,
          id_municipality: r.idMunicipality,
          nomenclature_ids_2018: r.nomenclatureIds,
          determination_method: r.determinationMethod,
          meta_create_date_2018: r.metaCreateDate,
          meta_update_date_2018: r.metaUpdateDate,
        })),
      ),
    ],
  );
}

/**
 * INPN-style 10 km cells (M10) covering every observation, with codes 10kmL93E<x/10 km>N<y/10 km>
 * from the Lambert-93 lower-left corner (e.g. 10kmL93E094N643). Cells are exact squares in
 * EPSG:2154 and transformed (densified) when the local SRID differs. Inserted after the
 * observations, so that cor_area_synthese gets its M10 links from the l_areas trigger.
 */
async function loadGrid(client: pg.Client, localSrid: number): Promise<void> {
  await client.query(
    `WITH l93 AS (
       SELECT CASE WHEN $1::integer = 2154 THEN the_geom_local ELSE ST_Transform(the_geom_4326, 2154) END AS g
       FROM gn_synthese.synthese
     ), cells AS (
       SELECT DISTINCT ex, ny
       FROM l93,
            generate_series(floor(ST_XMin(g) / 10000)::integer, floor(ST_XMax(g) / 10000)::integer) AS ex,
            generate_series(floor(ST_YMin(g) / 10000)::integer, floor(ST_YMax(g) / 10000)::integer) AS ny
     ), squares AS (
       SELECT format('10kmL93E%sN%s', lpad(ex::text, 3, '0'), lpad(ny::text, 3, '0')) AS code,
              ST_MakeEnvelope(ex * 10000, ny * 10000, (ex + 1) * 10000, (ny + 1) * 10000, 2154) AS sq
       FROM cells
     )
     INSERT INTO ref_geo.l_areas (id_type, area_code, area_name, geom, geom_4326, centroid, source, enable)
     SELECT ref_geo.get_id_area_type('M10'), code, code,
            ST_Multi(CASE WHEN $1::integer = 2154 THEN sq ELSE ST_Transform(ST_Segmentize(sq, 100), $1::integer) END),
            ST_Multi(ST_Transform(ST_Segmentize(sq, 100), 4326)),
            ST_Centroid(CASE WHEN $1::integer = 2154 THEN sq ELSE ST_Transform(ST_Segmentize(sq, 100), $1::integer) END),
            'Grille 10 km Lambert-93, codes INPN, générée pour les tests Passerelle', true
     FROM squares
     ORDER BY code`,
    [localSrid],
  );
  await client.query(
    `INSERT INTO ref_geo.li_grids (id_grid, id_area, cxmin, cxmax, cymin, cymax)
     SELECT a.area_code, a.id_area, m[1]::integer * 10000, (m[1]::integer + 1) * 10000, m[2]::integer * 10000, (m[2]::integer + 1) * 10000
     FROM ref_geo.l_areas a, regexp_match(a.area_code, '^10kmL93E(\\d{3})N(\\d{3})$') AS m
     WHERE a.id_type = ref_geo.get_id_area_type('M10')`,
  );
}

async function recordProvenance(client: pg.Client, dataDir: string, localSrid: number): Promise<void> {
  const about: Record<string, string> = {
    builder: 'test/geonature-db/build.ts',
    built_at: new Date().toISOString(),
    local_srid: String(localSrid),
    reference: '../shared/docs/geonature-reference.md (GeoNature 2.17.4)',
    dump_rows_loaded: 'all 1000 rows of jdd_synthese_dev.sql, including the 9 flagged deleted (see synthese_dump_2018.deleted)',
  };
  for (const [name, rel] of Object.entries(SOURCE_FILES)) {
    const sha = createHash('sha256').update(readFileSync(sourcePath(name as SourceFile, dataDir))).digest('hex').slice(0, 16);
    about[`source:${name}`] = `${rel} sha256:${sha}`;
  }
  await client.query(`INSERT INTO ${PROVENANCE_SCHEMA}.about (key, value) SELECT key, value FROM jsonb_each_text($1::jsonb)`, [JSON.stringify(about)]);
}

const COUNTED_TABLES = [
  'utilisateurs.bib_organismes',
  'utilisateurs.t_roles',
  'ref_nomenclatures.bib_nomenclatures_types',
  'ref_nomenclatures.t_nomenclatures',
  'ref_nomenclatures.defaults_nomenclatures_value',
  'ref_nomenclatures.cor_taxref_nomenclature',
  'taxonomie.taxref',
  'taxonomie.bib_listes',
  'taxonomie.cor_nom_liste',
  'ref_geo.bib_areas_types',
  'ref_geo.l_areas',
  'ref_geo.li_municipalities',
  'ref_geo.li_grids',
  'gn_commons.t_modules',
  'gn_commons.t_parameters',
  'gn_commons.cor_module_dataset',
  'gn_meta.t_acquisition_frameworks',
  'gn_meta.t_datasets',
  'gn_meta.cor_acquisition_framework_actor',
  'gn_meta.cor_dataset_actor',
  'gn_meta.cor_dataset_territory',
  'gn_meta.cor_dataset_protocol',
  'gn_meta.sinp_datatype_protocols',
  'gn_synthese.defaults_nomenclatures_value',
  'gn_synthese.t_sources',
  'gn_synthese.synthese',
  'gn_synthese.cor_area_synthese',
  'gn_sensitivity.t_sensitivity_rules',
  'gn_sensitivity.cor_sensitivity_area_type',
  `${PROVENANCE_SCHEMA}.synthese_dump_2018`,
] as const;

async function countRows(client: pg.Client): Promise<Record<string, number>> {
  const parts = COUNTED_TABLES.map((t, i) => {
    const [schema, table] = t.split('.') as [string, string];
    return `SELECT $${i + 1}::text AS key, count(*) AS n FROM ${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(table)}`;
  });
  const r = await client.query<{ key: string; n: string }>(parts.join(' UNION ALL '), [...COUNTED_TABLES]);
  const counts: Record<string, number> = Object.fromEntries(r.rows.map((row) => [row.key, Number(row.n)]));
  const areas = await client.query<{ type_code: string; n: string }>(
    `SELECT t.type_code, count(*) AS n FROM ref_geo.l_areas a JOIN ref_geo.bib_areas_types t USING (id_type) GROUP BY t.type_code`,
  );
  for (const row of areas.rows) counts[`ref_geo.l_areas[${row.type_code}]`] = Number(row.n);
  const deleted = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${PROVENANCE_SCHEMA}.synthese_dump_2018 WHERE deleted`);
  counts[`${PROVENANCE_SCHEMA}.synthese_dump_2018[deleted]`] = Number(deleted.rows[0]?.n ?? 0);
  return counts;
}
