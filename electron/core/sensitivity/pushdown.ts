import type pg from 'pg';
import {
  BLUR_REASONS,
  DEFAULT_PROPAGATION,
  SITE_CELL_DEG,
  SITE_TOLERANCE_DEG,
  isoYear,
  PARTITION_TYPES,
  areaKeyType,
  keysImpliedByDepartement,
  type BlurAreaType,
  type BlurReason,
  type CompiledReferential,
  type PropagationMode,
  type SensitivityOverride,
  type TaxonResolution,
  type UnmatchedTaxonPolicy,
} from '../../../shared/sensitivity/index.js';
import { AppError } from '../errors.js';
import { encodeWkb } from '../gpkg/geometry/wkb.js';
import type { ReferenceArea } from './area-index.js';

/**
 * The sensitivity check as set-based SQL for PostGIS ("pushdown"), for a national-size
 * synthese that does not fit a workstation: the same decisions as the in-process runner
 * (a test proves identical levels, rules and blurred areas on the same data), computed
 * where the data is.
 *
 * Layout, in one schema of the caller's choice (default `passerelle_sensitivity`):
 * `taxonomy`, `rules` (compiled: one row per rule, index = the in-process rule index),
 * `areas` (EPSG:4326), `dep_keys` (regions and TER a département implies),
 * `observations` (`geom` 4326, `geom_local` in the territory's SRID, `releve` the
 * `unique_id_sinp_grp`), `overrides` (per observation) and `results`. {@link runPushdown}
 * expands the rules to descendants with a recursive CTE (GeoNature's rules cache, cycle-safe),
 * places the candidate observations with ST_Intersects, picks the deciding rule with
 * DISTINCT ON, propagates the sensitive observations' levels to their sites and relevés
 * (shared/sensitivity/propagation.ts: a hash join on 2e-5° cells, then the exact 1e-5° test),
 * and writes every observation's result in one INSERT … SELECT.
 *
 * Filter overrides are not pushed down: expand them to observation UUIDs first.
 */

/** A schema name we create and quote ourselves: plain lowercase identifiers only. */
function ident(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new AppError('INVALID_INPUT', `Not a plain schema name: ${schema}`, { key: 'errors.INVALID_INPUT', params: { issues: `schema: ${schema}` } });
  }
  return `"${schema}"`;
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Creates (or recreates) the pushdown schema: tables, indexes and the two helper functions
 * (`pad3`, `in_period`), mirroring shared/sensitivity/territory.ts and calendar.ts.
 */
export async function createPushdownSchema(client: pg.ClientBase, options: { schema?: string; srid: number }): Promise<void> {
  const s = ident(options.schema ?? 'passerelle_sensitivity');
  if (!Number.isSafeInteger(options.srid)) throw new AppError('INVALID_INPUT', `Not an SRID: ${options.srid}`, { key: 'errors.INVALID_INPUT', params: { issues: 'srid' } });
  await client.query(`
    DROP SCHEMA IF EXISTS ${s} CASCADE;
    CREATE SCHEMA ${s};
    CREATE TABLE ${s}.taxonomy (cd_nom integer PRIMARY KEY, cd_ref integer NOT NULL, cd_taxsup integer);
    CREATE TABLE ${s}.rules (
      rule_idx integer PRIMARY KEY, rule_id text NOT NULL, cd_nom integer NOT NULL, level smallint NOT NULL, local boolean NOT NULL,
      max_years integer, period_start integer, period_end integer, bio_status text[], behaviour text[],
      ter_keys text[], ter_partition_types text[], ter_unloaded boolean NOT NULL DEFAULT false);
    CREATE TABLE ${s}.areas (type_code text COLLATE "C" NOT NULL, area_code text COLLATE "C" NOT NULL, area_name text, geom geometry(MultiPolygon, 4326) NOT NULL,
      PRIMARY KEY (type_code, area_code));
    CREATE INDEX areas_geom ON ${s}.areas USING gist (geom);
    CREATE TABLE ${s}.dep_keys (dep_code text NOT NULL, key text NOT NULL);
    CREATE TABLE ${s}.observations (obs_id bigint PRIMARY KEY, uuid text, cd_nom integer, cd_ref_hint integer, date_min timestamp, date_max timestamp,
      bio_status text, behaviour text, diffusion_level text, dataset_uuid text, geom geometry(Geometry, 4326), geom_local geometry(Geometry, ${options.srid}), releve text);
    CREATE TABLE ${s}.overrides (uuid text PRIMARY KEY, level smallint NOT NULL, override_id text NOT NULL);
    CREATE TABLE ${s}.results (obs_id bigint PRIMARY KEY, resolution text NOT NULL, taxon_key integer, computed_level smallint NOT NULL,
      sensitivity_level smallint, blur_level smallint NOT NULL, requested_level smallint NOT NULL, reason text NOT NULL, rule_idx integer,
      override_id text, area_type text, area_codes text COLLATE "C", propagated_from text);
    -- territory.ts gridCellCode's pad3: 3 digits, more when needed, a sign for negatives.
    CREATE FUNCTION ${s}.pad3(n bigint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT CASE WHEN n < 0 THEN '-' || lpad((-n)::text, 3, '0') WHEN n < 1000 THEN lpad(n::text, 3, '0') ELSE n::text END $$;
    -- calendar.ts inPeriod: month-day x in start–end, wrapping the year end when start > end.
    CREATE FUNCTION ${s}.in_period(x integer, s integer, e integer) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT CASE WHEN s <= e THEN x BETWEEN s AND e ELSE x >= s OR x <= e END $$;
  `);
}

/** Batches rows into `INSERT … SELECT FROM unnest($1, $2, …)`: one round trip per batch. */
async function insertColumns(client: pg.ClientBase, sql: string, columns: unknown[][], batch = 20_000): Promise<void> {
  const n = columns[0]?.length ?? 0;
  for (let start = 0; start < n; start += batch) await client.query(sql, columns.map((c) => c.slice(start, start + batch)));
}

/**
 * Loads the compiled referential: its taxonomy and its rules as compiled (the rule index is
 * the one the in-process runner reports, so results compare one to one).
 */
export async function loadPushdownReferential(client: pg.ClientBase, referential: CompiledReferential, options: { schema?: string } = {}): Promise<void> {
  const s = ident(options.schema ?? 'passerelle_sensitivity');
  const tax = [...referential.taxonomy.allRows()];
  await insertColumns(
    client,
    `INSERT INTO ${s}.taxonomy SELECT * FROM unnest($1::int[], $2::int[], $3::int[])`,
    [tax.map((t) => t.cdNom), tax.map((t) => t.cdRef ?? t.cdNom), tax.map((t) => t.cdTaxsup ?? null)],
  );
  const r = referential;
  const names = (m: ReadonlyMap<string, number>) => [...m.entries()].reduce<string[]>((a, [k, v]) => ((a[v] = k), a), []);
  const bioNames = names(r.bioCodes);
  const behNames = names(r.behaviourCodes);
  const keyNames = names(r.keyIds);
  const list = (off: Int32Array, len: Int32Array, byId: string[], i: number): string[] | null => {
    const l = len[i] as number;
    return l === 0 ? null : Array.from(r.pool.subarray(off[i] as number, (off[i] as number) + l), (id) => byId[id] as string);
  };
  const records = r.rules.map((rule, i) => {
    const ter = list(r.terOff, r.terLen, keyNames, i);
    return {
      rule_idx: i,
      rule_id: rule.id,
      cd_nom: rule.cdNom,
      level: r.level[i],
      local: rule.local,
      max_years: (r.maxYears[i] as number) >= 0 ? r.maxYears[i] : null,
      period_start: (r.periodStart[i] as number) > 0 ? r.periodStart[i] : null,
      period_end: (r.periodStart[i] as number) > 0 ? r.periodEnd[i] : null,
      bio_status: list(r.bioOff, r.bioLen, bioNames, i),
      behaviour: list(r.behOff, r.behLen, behNames, i),
      ter_keys: ter,
      ter_partition_types: ter ? [...new Set(ter.map(areaKeyType).filter((t) => PARTITION_TYPES.has(t)))] : null,
      ter_unloaded: r.terUnloaded[i] === 1,
    };
  });
  for (let start = 0; start < records.length; start += 10_000) {
    await client.query(
      `INSERT INTO ${s}.rules SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(rule_idx integer, rule_id text, cd_nom integer, level smallint, local boolean,
         max_years integer, period_start integer, period_end integer, bio_status text[], behaviour text[], ter_keys text[], ter_partition_types text[], ter_unloaded boolean)`,
      [JSON.stringify(records.slice(start, start + 10_000))],
    );
  }
  await client.query(`CREATE INDEX rules_cd_nom ON ${s}.rules (cd_nom); CREATE INDEX taxonomy_taxsup ON ${s}.taxonomy (cd_taxsup); ANALYZE ${s}.rules; ANALYZE ${s}.taxonomy;`);
}

/** Loads the reference areas (and the keys each département implies). */
export async function loadPushdownAreas(client: pg.ClientBase, areas: readonly ReferenceArea[], options: { schema?: string } = {}): Promise<void> {
  const s = ident(options.schema ?? 'passerelle_sensitivity');
  await insertColumns(
    client,
    `INSERT INTO ${s}.areas SELECT t, c, n, ST_Multi(ST_GeomFromWKB(g, 4326)) FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[]) AS x(t, c, n, g)`,
    [areas.map((a) => a.type), areas.map((a) => a.code), areas.map((a) => a.name), areas.map((a) => Buffer.from(encodeWkb(a.geometry)))],
    500,
  );
  const deps = areas.filter((a) => a.type === 'DEP');
  const pairs = deps.flatMap((d) => keysImpliedByDepartement(d.code).map((k) => [d.code, k] as const));
  await insertColumns(client, `INSERT INTO ${s}.dep_keys SELECT * FROM unnest($1::text[], $2::text[])`, [pairs.map((p) => p[0]), pairs.map((p) => p[1])]);
  await client.query(`ANALYZE ${s}.areas; ANALYZE ${s}.dep_keys;`);
}

/** One observation for the pushdown store (geometries as WKB). */
export interface PushdownObservation {
  readonly obsId: number;
  readonly uuid: string | null;
  readonly cdNom: number | null;
  readonly cdRefHint: number | null;
  readonly dateMin: string | null;
  readonly dateMax: string | null;
  readonly bioStatus: string | null;
  readonly behaviour: string | null;
  readonly diffusionLevel: string | null;
  readonly datasetUuid: string | null;
  /** ISO WKB, EPSG:4326. */
  readonly geomWkb: Uint8Array | null;
  /** ISO WKB in the territory's SRID. */
  readonly geomLocalWkb: Uint8Array | null;
  /** The relevé (`unique_id_sinp_grp`); absent = none. */
  readonly releve?: string | null;
}

/**
 * Appends observations. Dates that are not valid timestamps are stored NULL (unknown), as
 * the in-process runner reads an unparseable date as unknown.
 */
export async function loadPushdownObservations(client: pg.ClientBase, rows: readonly PushdownObservation[], options: { schema?: string; srid: number }): Promise<void> {
  const s = ident(options.schema ?? 'passerelle_sensitivity');
  // The runner reads the date part of the text; so does this (a time or offset that follows is dropped).
  const ts = (d: string | null) => (d !== null && isoYear(d) >= 0 ? d.slice(0, 10) : null);
  await insertColumns(
    client,
    `INSERT INTO ${s}.observations SELECT i, u, n, h, d1, d2, b, c, l, j, ST_GeomFromWKB(g, 4326), ST_GeomFromWKB(gl, ${Number(options.srid)}), r
       FROM unnest($1::bigint[], $2::text[], $3::int[], $4::int[], $5::timestamp[], $6::timestamp[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bytea[], $12::bytea[], $13::text[])
       AS x(i, u, n, h, d1, d2, b, c, l, j, g, gl, r)`,
    [
      rows.map((r) => r.obsId),
      rows.map((r) => r.uuid),
      rows.map((r) => r.cdNom),
      rows.map((r) => r.cdRefHint),
      rows.map((r) => ts(r.dateMin)),
      rows.map((r) => ts(r.dateMax)),
      rows.map((r) => r.bioStatus),
      rows.map((r) => r.behaviour),
      rows.map((r) => r.diffusionLevel),
      rows.map((r) => r.datasetUuid),
      rows.map((r) => (r.geomWkb ? Buffer.from(r.geomWkb) : null)),
      rows.map((r) => (r.geomLocalWkb ? Buffer.from(r.geomLocalWkb) : null)),
      rows.map((r) => r.releve ?? null),
    ],
  );
}

/** Per-observation overrides (filter overrides must be expanded to UUIDs by the caller). */
export async function loadPushdownOverrides(client: pg.ClientBase, overrides: readonly SensitivityOverride[], options: { schema?: string } = {}): Promise<void> {
  const s = ident(options.schema ?? 'passerelle_sensitivity');
  const latest = new Map<string, SensitivityOverride>();
  for (const o of overrides) {
    if (o.target.kind !== 'observation') {
      throw new AppError('UNSUPPORTED', `Filter override ${o.id} cannot be pushed down: expand it to observation UUIDs first`, {
        key: 'errors.SENSITIVITY_PUSHDOWN_FILTER_OVERRIDE',
        params: { id: o.id },
      });
    }
    const prev = latest.get(o.target.uuid);
    if (!prev || prev.at <= o.at) latest.set(o.target.uuid, o);
  }
  const list = [...latest.entries()];
  await insertColumns(client, `INSERT INTO ${s}.overrides SELECT * FROM unnest($1::text[], $2::smallint[], $3::text[])`, [list.map((e) => e[0]), list.map((e) => e[1].level), list.map((e) => e[1].id)]);
}

/** Parameters of one pushdown run (the same as the in-process checker's). */
export interface PushdownOptions {
  readonly schema?: string;
  /** Day of the check (ISO date). */
  readonly asOf: string;
  /** Area types the referential's territories need (`CompiledReferential.areaTypesNeeded`). */
  readonly areaTypesNeeded: readonly string[];
  readonly unmatchedTaxon?: UnmatchedTaxonPolicy;
  /** The territory's projected SRID and cell-code prefix (TerritorySystem). */
  readonly srid: number;
  readonly gridPrefix: string;
  /** As the in-process checker's option: `site+releve` (default), `releve` or `off`. */
  readonly propagation?: PropagationMode;
}

/**
 * The set-based check: fills `results` for every observation. Runs in the caller's
 * transaction if there is one. Returns the number of rows written.
 */
export async function runPushdown(client: pg.ClientBase, o: PushdownOptions): Promise<number> {
  await client.query(pushdownScript(o));
  const n = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${ident(o.schema ?? 'passerelle_sensitivity')}.results`);
  return Number(n.rows[0]?.n ?? 0);
}

/**
 * The SQL script {@link runPushdown} runs: plain statements separated by `;` and blank lines,
 * for a DBA who wants to read it or run it with psql against the schema's tables.
 */
export function pushdownScript(o: PushdownOptions): string {
  const s = ident(o.schema ?? 'passerelle_sensitivity');
  const asOfYear = /^(\d{4})-\d{2}-\d{2}/.exec(o.asOf)?.[1];
  if (!asOfYear) throw new AppError('INVALID_INPUT', `The date of the sensitivity check "${o.asOf}" is not an ISO date`, { key: 'errors.INVALID_INPUT', params: { issues: `asOf: ${o.asOf}` } });
  const withhold = (o.unmatchedTaxon ?? 'withhold') === 'withhold';
  const types = `ARRAY[${o.areaTypesNeeded.map(literal).join(',')}]::text[]`;
  const srid = Number(o.srid);
  const prefix = literal(o.gridPrefix);
  const propagation = o.propagation ?? DEFAULT_PROPAGATION;
  const sql = `
    DROP TABLE IF EXISTS pg_temp.tax, pg_temp.rules_by_ref, pg_temp.taxa_need, pg_temp.obs_tax, pg_temp.cand, pg_temp.need_pts, pg_temp.need_va, pg_temp.obs_loc,
      pg_temp.decided, pg_temp.dec, pg_temp.src, pg_temp.src_rel, pg_temp.obs_shapes, pg_temp.obs_vertices, pg_temp.src_pts, pg_temp.src_cells, pg_temp.prop, pg_temp.blur_pts, pg_temp.blur_va, pg_temp.blur_codes;

    -- Parents read as valid names (taxonomy.ts: a cd_taxsup naming a synonym counts as its cd_ref).
    CREATE TEMP TABLE tax AS
      SELECT c.cd_nom, c.cd_ref, COALESCE(p.cd_ref, c.cd_taxsup) AS parent_ref
      FROM ${s}.taxonomy c LEFT JOIN ${s}.taxonomy p ON p.cd_nom = c.cd_taxsup;
    CREATE INDEX ON tax (parent_ref);
    ANALYZE tax;

    -- GeoNature's t_sensitivity_rules_cd_ref, cycle-safe (UNION drops rows already produced).
    CREATE TEMP TABLE rules_by_ref AS
      WITH RECURSIVE tree(rule_idx, cd_ref) AS (
        SELECT r.rule_idx, COALESCE(t.cd_ref, r.cd_nom) FROM ${s}.rules r LEFT JOIN ${s}.taxonomy t ON t.cd_nom = r.cd_nom
        UNION
        SELECT tree.rule_idx, c.cd_ref FROM tree JOIN tax c ON c.parent_ref = tree.cd_ref
      )
      SELECT rule_idx, cd_ref FROM tree;
    CREATE INDEX ON rules_by_ref (cd_ref);
    ANALYZE rules_by_ref;

    CREATE TEMP TABLE taxa_need AS
      SELECT DISTINCT rr.cd_ref FROM rules_by_ref rr JOIN ${s}.rules r USING (rule_idx) WHERE r.ter_keys IS NOT NULL;

    -- The taxon each observation is evaluated under (compile.ts resolveTaxon).
    CREATE TEMP TABLE obs_tax AS
      SELECT o.obs_id,
             CASE WHEN o.cd_nom IS NULL THEN 'no-taxon' WHEN t1.cd_nom IS NOT NULL THEN 'cd_nom' WHEN t2.cd_nom IS NOT NULL THEN 'cd_ref' ELSE 'unmatched' END AS resolution,
             CASE WHEN o.cd_nom IS NULL THEN -1 ELSE COALESCE(t1.cd_ref, t2.cd_ref, o.cd_nom) END AS taxon_key
      FROM ${s}.observations o
      LEFT JOIN ${s}.taxonomy t1 ON t1.cd_nom = o.cd_nom
      LEFT JOIN ${s}.taxonomy t2 ON t2.cd_nom = o.cd_ref_hint;

    -- Observations whose taxon has rules, with their window of dates (calendar.ts readWindow).
    CREATE TEMP TABLE cand AS
      SELECT o.obs_id, x.taxon_key, o.geom, dd.d1, dd.y1, dd.md1,
             CASE WHEN dd.d1 IS NULL THEN NULL WHEN o.date_max IS NULL OR o.date_max::date < dd.d1 THEN dd.y1 ELSE extract(year FROM o.date_max)::int END AS y2,
             CASE WHEN dd.d1 IS NULL THEN NULL WHEN o.date_max IS NULL OR o.date_max::date < dd.d1 THEN dd.md1
                  ELSE (extract(month FROM o.date_max) * 100 + extract(day FROM o.date_max))::int END AS md2,
             o.bio_status IS NULL OR btrim(o.bio_status) IN ('', '0', '1', '2') AS bio_unknown, btrim(o.bio_status) AS bio,
             o.behaviour IS NULL OR btrim(o.behaviour) IN ('', '0', '1') AS beh_unknown, btrim(o.behaviour) AS beh
      FROM obs_tax x
      JOIN ${s}.observations o ON o.obs_id = x.obs_id
      CROSS JOIN LATERAL (SELECT o.date_min::date AS d1, extract(year FROM o.date_min)::int AS y1,
                                 (extract(month FROM o.date_min) * 100 + extract(day FROM o.date_min))::int AS md1) dd
      WHERE x.taxon_key IN (SELECT cd_ref FROM rules_by_ref);
    ANALYZE cand;

    -- Where the candidates that need it are: area keys of every vertex, and the types every vertex is in.
    -- Points go to a temp table with its own GiST index so that the join runs area by area: each
    -- polygon is then prepared once by PostGIS and tested against the points of its box.
    CREATE TEMP TABLE need_pts AS
      SELECT c.obs_id, dp.path, dp.geom FROM cand c JOIN taxa_need n ON n.cd_ref = c.taxon_key, LATERAL ST_DumpPoints(c.geom) dp;
    CREATE INDEX ON need_pts USING gist (geom);
    ANALYZE need_pts;

    CREATE TEMP TABLE need_va AS
      SELECT p.obs_id, p.path, a.type_code, a.area_code FROM ${s}.areas a JOIN need_pts p ON ST_Intersects(a.geom, p.geom) WHERE a.type_code = ANY(${types});

    CREATE TEMP TABLE obs_loc AS
      WITH nv AS (SELECT obs_id, count(*) AS n FROM need_pts GROUP BY obs_id),
      keys AS (
        SELECT obs_id, type_code || ':' || area_code AS key FROM need_va
        UNION SELECT va.obs_id, dk.key FROM need_va va JOIN ${s}.dep_keys dk ON va.type_code = 'DEP' AND dk.dep_code = va.area_code
      ),
      k AS (SELECT obs_id, array_agg(key) AS keys FROM keys GROUP BY obs_id),
      loc AS (SELECT va.obs_id, va.type_code FROM need_va va JOIN nv USING (obs_id) GROUP BY va.obs_id, va.type_code, nv.n HAVING count(DISTINCT va.path) = nv.n),
      l AS (
        SELECT obs_id, array_agg(t) AS located
        FROM (SELECT obs_id, type_code AS t FROM loc UNION SELECT obs_id, unnest(ARRAY['REG', 'TER']) FROM loc WHERE type_code = 'DEP') x GROUP BY obs_id
      )
      SELECT nv.obs_id, COALESCE(k.keys, '{}') AS keys, COALESCE(l.located, '{}') AS located
      FROM nv LEFT JOIN k USING (obs_id) LEFT JOIN l USING (obs_id);
    CREATE INDEX ON obs_loc (obs_id);
    ANALYZE obs_loc;

    -- compile.ts matchRule, then decidingRule: level descending, local first, rule order.
    CREATE TEMP TABLE decided AS
      SELECT DISTINCT ON (c.obs_id) c.obs_id, r.rule_idx, r.level
      FROM cand c
      JOIN rules_by_ref rr ON rr.cd_ref = c.taxon_key
      JOIN ${s}.rules r ON r.rule_idx = rr.rule_idx
      LEFT JOIN obs_loc l ON l.obs_id = c.obs_id
      WHERE (r.max_years IS NULL OR c.d1 IS NULL OR ${asOfYear} - c.y2 <= r.max_years)
        AND (r.period_start IS NULL OR c.d1 IS NULL
             OR c.y2 > c.y1 + 1 OR (c.y2 = c.y1 + 1 AND c.md2 >= c.md1)
             OR ${s}.in_period(c.md1, r.period_start, r.period_end) OR ${s}.in_period(r.period_start, c.md1, c.md2))
        AND (r.bio_status IS NULL OR c.bio_unknown OR c.bio = ANY (r.bio_status))
        AND (r.behaviour IS NULL OR c.beh_unknown OR c.beh = ANY (r.behaviour))
        AND (r.ter_keys IS NULL OR l.obs_id IS NULL OR l.keys && r.ter_keys OR r.ter_unloaded
             OR NOT (COALESCE(r.ter_partition_types, '{}') <@ l.located))
      ORDER BY c.obs_id, r.level DESC, r.local DESC, r.rule_idx;
    CREATE INDEX ON decided (obs_id);
    ANALYZE decided;

    -- evaluate.ts decideBlur: sensitivity (after override) and NIV_PRECIS, the coarser wins. Kept only
    -- for rows where something happens; every other row is resolved, level 0, precise.
    CREATE TEMP TABLE dec AS
      SELECT x.obs_id, x.resolution, x.taxon_key, COALESCE(d.level, 0)::smallint AS computed_level, d.rule_idx, ov.override_id, sv.sens, NULL::text AS propagated_from,
             CASE WHEN sv.sens IS NULL AND ${withhold} THEN 4 WHEN dl.diff > sv.s THEN dl.diff ELSE sv.s END AS level,
             CASE WHEN sv.sens IS NULL AND ${withhold} THEN 'unmatched-taxon'
                  WHEN dl.diff > sv.s THEN 'diffusion'
                  WHEN ov.override_id IS NOT NULL THEN 'override'
                  WHEN sv.s = 0 THEN 'none'
                  ELSE 'sensitivity' END AS reason
      FROM obs_tax x
      JOIN ${s}.observations o ON o.obs_id = x.obs_id
      LEFT JOIN decided d ON d.obs_id = x.obs_id
      LEFT JOIN ${s}.overrides ov ON ov.uuid = o.uuid
      CROSS JOIN LATERAL (
        SELECT s1.sens, COALESCE(s1.sens, COALESCE(d.level, 0)) AS s
        FROM (SELECT CASE WHEN ov.level IS NOT NULL THEN ov.level WHEN x.resolution IN ('cd_nom', 'cd_ref') THEN COALESCE(d.level, 0) END::smallint AS sens) s1
      ) sv
      CROSS JOIN LATERAL (
        SELECT CASE btrim(o.diffusion_level) WHEN '1' THEN 1 WHEN '2' THEN 2 WHEN '3' THEN 3 WHEN '4' THEN 4 ELSE 0 END AS diff
      ) dl
      WHERE d.obs_id IS NOT NULL OR ov.uuid IS NOT NULL OR dl.diff > 0 OR x.resolution NOT IN ('cd_nom', 'cd_ref');
    CREATE INDEX ON dec (obs_id);
    ANALYZE dec;
${propagation === 'off' ? '' : propagationSql(s, propagation)}
    -- The published areas: per vertex the commune / département with the smallest code, or the
    -- 10 km cell of its projected coordinates; not found when some vertex has none.
    CREATE TEMP TABLE blur_pts AS
      SELECT d.obs_id, d.level, dp.path, dp.geom FROM dec d JOIN ${s}.observations o ON o.obs_id = d.obs_id, LATERAL ST_DumpPoints(o.geom) dp
      WHERE d.level IN (1, 3);
    CREATE INDEX ON blur_pts USING gist (geom);
    ANALYZE blur_pts;

    CREATE TEMP TABLE blur_va AS
      SELECT p.obs_id, p.path, min(a.area_code) AS code
      FROM ${s}.areas a JOIN blur_pts p ON ST_Intersects(a.geom, p.geom)
      WHERE (p.level = 1 AND a.type_code = 'COM') OR (p.level = 3 AND a.type_code = 'DEP')
      GROUP BY p.obs_id, p.path;

    CREATE TEMP TABLE blur_codes AS
      WITH vc AS (
        SELECT p.obs_id, v.code COLLATE "C" AS code FROM blur_pts p LEFT JOIN blur_va v ON v.obs_id = p.obs_id AND v.path = p.path
        UNION ALL
        SELECT d.obs_id, (${prefix} || 'E' || ${s}.pad3(floor(ST_X(dp.geom) / 10000)::bigint) || 'N' || ${s}.pad3(floor(ST_Y(dp.geom) / 10000)::bigint)) COLLATE "C"
        FROM dec d JOIN ${s}.observations o ON o.obs_id = d.obs_id, LATERAL ST_DumpPoints(COALESCE(o.geom_local, ST_Transform(o.geom, ${srid}))) dp
        WHERE d.level = 2
      )
      SELECT obs_id, CASE WHEN bool_and(code IS NOT NULL) THEN string_agg(DISTINCT code, ',' ORDER BY code) END AS codes FROM vc GROUP BY obs_id;

    TRUNCATE ${s}.results;

    INSERT INTO ${s}.results
      SELECT x.obs_id, x.resolution, x.taxon_key, COALESCE(d.computed_level, 0), CASE WHEN d.obs_id IS NULL THEN 0 ELSE d.sens END,
             CASE WHEN d.level IN (1, 2, 3) AND b.codes IS NULL THEN 4 ELSE COALESCE(d.level, 0) END,
             COALESCE(d.level, 0),
             CASE WHEN d.level IN (1, 2, 3) AND b.codes IS NULL THEN 'area-not-found' ELSE COALESCE(d.reason, 'none') END,
             d.rule_idx, d.override_id,
             CASE WHEN d.level IN (1, 2, 3) AND b.codes IS NOT NULL THEN CASE d.level WHEN 1 THEN 'COM' WHEN 2 THEN 'M10' ELSE 'DEP' END END,
             CASE WHEN d.level IN (1, 2, 3) THEN b.codes END,
             d.propagated_from
      FROM obs_tax x LEFT JOIN dec d ON d.obs_id = x.obs_id LEFT JOIN blur_codes b ON b.obs_id = x.obs_id;
  `;
  return sql;
}

/** A float8 literal with exactly the double the in-process code uses. */
const float8 = (v: number) => `${String(v)}::float8`;

/**
 * propagation.ts as SQL, run on `dec` (every observation's own level, before its area is looked
 * up): the sources (own level ≥ 1), their vertices filed in 2e-5° cells with the eight around
 * each, every observation's vertices hash-joined to them on the cell then tested exactly (1e-5°
 * in longitude and latitude), their relevés; each observation takes the preferred source (highest
 * level, by site before by relevé, smallest UUID, smallest id) when its level is higher than its
 * own. One step: the sources are the observations as decided before propagation.
 */
function propagationSql(s: string, mode: PropagationMode): string {
  const cell = float8(SITE_CELL_DEG);
  const tol = float8(SITE_TOLERANCE_DEG);
  // One float8 per cell (never an overflow, whatever the coordinates); cells sharing a key only add candidates.
  const key = (x: string, y: string, dx = '0', dy = '0') => `(floor(${x} / ${cell}) + ${dx}) * 67108864::float8 + (floor(${y} / ${cell}) + ${dy})`;
  const site = mode === 'site+releve';
  // ST_X fails on anything but a point, and the planner may test a qual before the type: CASE fixes the order.
  const pointX = (g: string) => `CASE WHEN GeometryType(${g}) = 'POINT' THEN ST_X(${g}) END`;
  const pointY = (g: string) => `CASE WHEN GeometryType(${g}) = 'POINT' THEN ST_Y(${g}) END`;
  return `
    CREATE TEMP TABLE src AS
      SELECT d.obs_id, o.uuid, d.level, o.geom, o.releve FROM dec d JOIN ${s}.observations o ON o.obs_id = d.obs_id WHERE d.level >= 1;

    CREATE TEMP TABLE src_rel AS
      SELECT DISTINCT ON (releve) releve, obs_id, uuid, level FROM src WHERE releve IS NOT NULL AND releve <> ''
      ORDER BY releve, level DESC, uuid COLLATE "C" NULLS LAST, obs_id;
${
  site
    ? `
    -- Vertices of the lines and polygons (points are read as they are): from a table of those
    -- geometries alone, so that the planner counts them (ST_DumpPoints is estimated at 1,000 rows).
    CREATE TEMP TABLE obs_shapes AS
      SELECT o.obs_id, o.geom FROM ${s}.observations o WHERE GeometryType(o.geom) <> 'POINT';
    ANALYZE obs_shapes;

    CREATE TEMP TABLE obs_vertices AS
      SELECT v.obs_id, ST_X(dp.geom) AS x, ST_Y(dp.geom) AS y FROM obs_shapes v, LATERAL ST_DumpPoints(v.geom) dp;
    ANALYZE obs_vertices;

    CREATE TEMP TABLE src_pts AS
      SELECT row_number() OVER () AS vid, p.* FROM (
        SELECT c.obs_id, c.uuid, c.level, ${pointX('c.geom')} AS x, ${pointY('c.geom')} AS y FROM src c WHERE GeometryType(c.geom) = 'POINT'
        UNION ALL
        SELECT c.obs_id, c.uuid, c.level, v.x, v.y FROM src c JOIN obs_vertices v ON v.obs_id = c.obs_id
      ) p
      WHERE p.x IS NOT NULL AND p.y IS NOT NULL AND p.x <> 'NaN' AND p.y <> 'NaN';
    CREATE INDEX ON src_pts (vid);
    ANALYZE src_pts;

    -- Each source vertex in its cell and the eight around it: a lookup reads one cell.
    CREATE TEMP TABLE src_cells AS
      SELECT ${key('p.x', 'p.y', 'dx', 'dy')} AS k, p.vid FROM src_pts p, generate_series(-1, 1) dx, generate_series(-1, 1) dy;
    ANALYZE src_cells;
`
    : ''
}
    CREATE TEMP TABLE prop AS
      WITH cand AS (${
        site
          ? `
        SELECT p.obs_id, sp.obs_id AS src_id, sp.uuid, sp.level, 0 AS via
        FROM (SELECT o.obs_id, ${pointX('o.geom')} AS x, ${pointY('o.geom')} AS y FROM ${s}.observations o WHERE GeometryType(o.geom) = 'POINT'
              UNION ALL
              SELECT v.obs_id, v.x, v.y FROM obs_vertices v) p
        JOIN src_cells c ON c.k = ${key('p.x', 'p.y')}
        JOIN src_pts sp ON sp.vid = c.vid
        WHERE abs(p.x - sp.x) <= ${tol} AND abs(p.y - sp.y) <= ${tol}
        UNION ALL`
          : ''
      }
        SELECT o.obs_id, r.obs_id AS src_id, r.uuid, r.level, 1 AS via FROM ${s}.observations o JOIN src_rel r ON r.releve = o.releve
      )
      SELECT DISTINCT ON (c.obs_id) c.obs_id, c.uuid, c.level::smallint AS level, CASE c.via WHEN 0 THEN 'colocated' ELSE 'same-releve' END AS reason
      FROM cand c LEFT JOIN dec d ON d.obs_id = c.obs_id
      WHERE c.level > COALESCE(d.level, 0)
      ORDER BY c.obs_id, c.level DESC, c.via, c.uuid COLLATE "C" NULLS LAST, c.src_id;

    UPDATE dec d SET level = p.level, reason = p.reason, propagated_from = p.uuid FROM prop p WHERE p.obs_id = d.obs_id;

    -- Rows not in dec are resolved, level 0, precise: they keep that SENSIBILITE, blurred as the source.
    INSERT INTO dec (obs_id, resolution, taxon_key, computed_level, rule_idx, override_id, sens, propagated_from, level, reason)
      SELECT p.obs_id, x.resolution, x.taxon_key, 0, NULL, NULL, 0, p.uuid, p.level, p.reason
      FROM prop p JOIN obs_tax x ON x.obs_id = p.obs_id
      WHERE NOT EXISTS (SELECT 1 FROM dec d WHERE d.obs_id = p.obs_id);
    ANALYZE dec;
`;
}

/** One row of the pushdown's `results`, shaped like the runner's CheckResult. */
export interface PushdownResult {
  readonly obsId: number;
  readonly resolution: TaxonResolution;
  readonly taxonKey: number;
  readonly computedLevel: number;
  readonly sensitivityLevel: number;
  readonly blurLevel: number;
  readonly requestedLevel: number;
  readonly reason: BlurReason;
  readonly rule: number;
  readonly overrideId: string | null;
  readonly areaType: BlurAreaType | null;
  readonly areaCodes: string | null;
  /** UUID of the sensitive observation whose level this one took (propagation). */
  readonly propagatedFrom: string | null;
}

/** Reads the results back, by observation id. */
export async function readPushdownResults(client: pg.ClientBase, options: { schema?: string } = {}): Promise<PushdownResult[]> {
  const s = ident(options.schema ?? 'passerelle_sensitivity');
  const res = await client.query(`SELECT * FROM ${s}.results ORDER BY obs_id`);
  return res.rows.map((r: Record<string, unknown>) => {
    const reason = r.reason as BlurReason;
    if (!BLUR_REASONS.includes(reason)) throw new AppError('INTERNAL', `Unknown blur reason ${String(reason)} in pushdown results`);
    return {
      obsId: Number(r.obs_id),
      resolution: r.resolution as TaxonResolution,
      taxonKey: Number(r.taxon_key),
      computedLevel: Number(r.computed_level),
      sensitivityLevel: r.sensitivity_level === null ? -1 : Number(r.sensitivity_level),
      blurLevel: Number(r.blur_level),
      requestedLevel: Number(r.requested_level),
      reason,
      rule: r.rule_idx === null ? -1 : Number(r.rule_idx),
      overrideId: (r.override_id as string | null) ?? null,
      areaType: (r.area_type as BlurAreaType | null) ?? null,
      areaCodes: (r.area_codes as string | null) ?? null,
      propagatedFrom: (r.propagated_from as string | null) ?? null,
    };
  });
}
