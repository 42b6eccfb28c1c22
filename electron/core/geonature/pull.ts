import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type pg from 'pg';
import type { MergeReport, PullFilters, PullReport } from '../../../shared/contract/index.js';
import { METADATA_NOMENCLATURE_TYPES } from '../../../shared/domain/metadata.js';
import { AREA_TYPES, SYNTHESE_NOMENCLATURES } from '../../../shared/domain/synthese.js';
import { AppError } from '../errors.js';
import { encodeGpkg } from '../gpkg/geometry/gpkg-binary.js';
import { decodeWkb } from '../gpkg/geometry/wkb.js';
import type { JobContext } from '../jobs/context.js';
import { createWorkspaceFile } from '../workspace/create.js';
import { OBS_GEOM, putMeta, T } from '../workspace/format.js';
import { createRtree } from '../gpkg/schema.js';
import { bulkLoadRtree } from '../gpkg/rtree-bulk.js';
import { blobEnvelope } from '../gpkg/geometry/gpkg-binary.js';
import { gnError, openSession, type ResolvedConnection } from './connection.js';
import { requireReadable, type DetectedSchema } from './detect.js';
import { checkFilters, filterSql } from './filters.js';
import { mergeWorkspace, readOldWorkspace, type OldWorkspace } from './merge.js';
import { loadNomenclatures, type Nomenclatures } from './nomenclatures.js';
import { loadRowLookups, observationQuery } from './observations-sql.js';
import { writeProvenance } from './provenance.js';
import { readServerMeta } from './server-meta.js';
import { Params, qi, RAW_TYPES } from './sql.js';
import { writeServerMeta } from './ws-meta.js';
import { syncGpkgMetadata } from '../metadata/gpkg-metadata.js';

type Db = Database.Database;

/** Input of the pull task: the contract's, with the connection resolved (profile → target). */
export interface PullTaskInput {
  readonly connection: ResolvedConnection;
  readonly filters: PullFilters;
  readonly out?: string | undefined;
  readonly workspace?: string | undefined;
  readonly title?: string | undefined;
  readonly overwrite: boolean;
  readonly actor: string;
  /** Rows per FETCH (tests make it small to stop a pull midway). */
  readonly batchSize?: number;
}

const DEFAULT_BATCH = 5000;

/**
 * A GeoPackage blob from PostGIS's ISO WKB. Points (nearly every observation) take a fast path:
 * an 8-byte header (no envelope: a point is its own, as the spec allows) before the WKB as sent.
 */
export function wkbToGpkg(wkb: Buffer): Uint8Array {
  if (wkb.length === 21 && wkb[0] === 1 && wkb.readUInt32LE(1) === 1 && !Number.isNaN(wkb.readDoubleLE(5))) {
    const out = Buffer.allocUnsafe(29);
    out[0] = 0x47;
    out[1] = 0x50;
    out[2] = 0;
    out[3] = 0x01;
    out.writeInt32LE(4326, 4);
    wkb.copy(out, 8);
    return out;
  }
  return encodeGpkg(decodeWkb(wkb).geometry, 4326);
}

/**
 * Pulls a filtered extract of a GeoNature database into a workspace.
 *
 * Everything is read in one REPEATABLE READ, READ ONLY transaction (one consistent snapshot),
 * the observations through a server-side cursor whose next batch is requested before the
 * current one is written (the server works while we write). The workspace is written to a
 * temporary file and renamed into place only when complete: a cancel, an error or a lost
 * connection leaves the previous file untouched. Re-pulling into an existing workspace
 * merges by UUID and keeps local changes (merge.ts).
 */
export async function pullTask(input: PullTaskInput, ctx: JobContext): Promise<PullReport> {
  const dest = input.workspace ?? input.out;
  if (!dest || (input.workspace && input.out)) {
    throw new AppError('INVALID_INPUT', 'A pull needs either out (a new workspace) or workspace (an existing one), not both', { key: 'errors.GN_PULL_TARGET' });
  }
  if (input.out && existsSync(input.out) && !input.overwrite) {
    throw new AppError('CONFLICT', `${input.out} already exists (choose another file, or pull into it as an existing workspace)`, {
      key: 'errors.GN_OUT_EXISTS',
      params: { path: input.out },
      where: input.out,
    });
  }
  const old = input.workspace ? readOldWorkspace(input.workspace) : null;
  try {
    return await pullInto(dest, old, input, ctx);
  } finally {
    old?.close();
  }
}

async function pullInto(dest: string, old: OldWorkspace | null, input: PullTaskInput, ctx: JobContext): Promise<PullReport> {
  ctx.progress(0, null, 'connecting');
  const session = await openSession(input.connection);
  const { client, target } = session;
  const t = input.connection.target;
  try {
    if (old?.provenance && (old.provenance.server !== `${t.host}:${t.port}` || old.provenance.database !== t.database)) {
      throw new AppError('CONFLICT', `${dest} was pulled from ${old.provenance.server}/${old.provenance.database}, not from ${target}`, {
        key: 'errors.GN_OTHER_DATABASE',
        params: { path: dest, pulled: `${old.provenance.server}/${old.provenance.database}`, target },
        where: dest,
      });
    }
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const d = await requireReadable(client, target, session.user);
    await checkFilters(client, input.filters, target);
    const noms = await loadNomenclatures(client, d);
    const ids = await client.query<{ id: string; uuid: string }>(`SELECT id_dataset::text AS id, unique_dataset_id::text AS uuid FROM ${qi('gn_meta', 't_datasets')}`);
    const datasetUuidById = new Map(ids.rows.map((r) => [r.id, r.uuid]));
    const p = new Params();
    const where = filterSql(input.filters, p, d);
    ctx.progress(0, null, 'counting');
    const count = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${qi('gn_synthese', 'synthese')} s WHERE ${where} AND s.unique_id_sinp IS NOT NULL`, p.values);
    const total = Number(count.rows[0]?.n ?? 0);
    await ctx.checkpoint();

    const pulledAt = new Date().toISOString();
    let report: Omit<PullReport, 'path' | 'created' | 'merge'> | null = null;
    let merge: MergeReport | null = null;
    const title = input.title ?? old?.title ?? `GeoNature ${t.database} (${pulledAt.slice(0, 10)})`;
    await createWorkspaceFile(
      dest,
      { title, source: `GeoNature ${target}`, localSrid: d.info.localSrid, actor: input.actor },
      async (db) => {
        const counts = await writeExtract(db, client, d, noms, datasetUuidById, where, p.values, input, total, ctx);
        writeProvenance(db, {
          server: `${t.host}:${t.port}`,
          database: t.database,
          user: t.user,
          geonatureVersion: d.info.geonatureVersion,
          localSrid: d.info.localSrid,
          filters: input.filters,
          pulledAt,
          pulls: (old?.provenance?.pulls ?? 0) + 1,
        }, t.ssh ? `${t.ssh.user}@${t.ssh.host}:${t.ssh.port}` : null);
        if (old) {
          ctx.progress(total, total, 'merging local changes');
          merge = mergeWorkspace(db, pulledAt);
          for (const [k, v] of old.extraMeta) putMeta(db, k, v);
        }
        // One ISO 19139 record per JDD in gpkg_metadata, for other GIS tools (format 3).
        syncGpkgMetadata(db);
        report = { ...counts, localSrid: d.info.localSrid, geonatureVersion: d.info.geonatureVersion, filters: input.filters, pulledAt };
      },
      {
        bulk: true,
        attach: old ? { old: old.attachPath } : {},
        audit: { action: old ? 'repull' : 'pull', after: { target, filters: input.filters } },
      },
    );
    await client.query('COMMIT');
    if (!report) throw new AppError('INTERNAL', 'The pull wrote no report');
    const done: Omit<PullReport, 'path' | 'created' | 'merge'> = report;
    ctx.progress(total, total, 'done');
    return { ...done, path: dest, created: old === null, merge };
  } catch (e) {
    throw gnError(e, target, 'pull');
  } finally {
    await session.close();
  }
}

interface ExtractCounts {
  observations: number;
  frameworks: number;
  datasets: number;
  taxa: number;
  nomenclatures: number;
  areas: number;
  sensitivityRules: number;
}

async function canRead(client: pg.Client, d: DetectedSchema, table: string): Promise<boolean> {
  if (!d.has(table)) return false;
  const r = await client.query<{ ok: boolean }>("SELECT has_schema_privilege(split_part($1, '.', 1), 'USAGE') AND has_table_privilege($1, 'SELECT') AS ok", [table]);
  return r.rows[0]?.ok === true;
}

/** Streams the observations, then writes what they need: CA/JDD, taxref, sensitivity rules, areas, nomenclatures. */
async function writeExtract(
  db: Db,
  client: pg.Client,
  d: DetectedSchema,
  noms: Nomenclatures,
  datasetUuidById: ReadonlyMap<string, string>,
  where: string,
  params: unknown[],
  input: PullTaskInput,
  total: number,
  ctx: JobContext,
): Promise<ExtractCounts> {
  // 1. Observations, through a cursor, with their COM/DEP/M10 links (fids are the server's ids:
  //    observation fid = id_synthese, area fid = id_area, stable across re-pulls).
  //    The server sends every area id of the observation (an index-only read of cor_area_synthese's
  //    primary key) and the ids of COM/DEP/M10 areas are kept here: joining l_areas per link to
  //    test its type doubled the server's time (3 index lookups per row).
  const areaRows = await client.query<[string]>({
    text: `SELECT a.id_area::text FROM ${qi('ref_geo', 'l_areas')} a JOIN ${qi('ref_geo', 'bib_areas_types')} t ON t.id_type = a.id_type WHERE t.type_code = ANY($1::text[])`,
    values: [[...AREA_TYPES]],
    rowMode: 'array',
    types: RAW_TYPES,
  });
  const wantedAreas = new Set(areaRows.rows.map((r) => r[0]));
  const areasSql = `ARRAY(SELECT c.id_area FROM ${qi('gn_synthese', 'cor_area_synthese')} c WHERE c.id_synthese = s.id_synthese)::text`;
  const q = observationQuery(d, noms, datasetUuidById, await loadRowLookups(client, d), wkbToGpkg, areasSql);
  const sql = `SELECT ${q.rowSql} AS row FROM ${qi('gn_synthese', 'synthese')} s WHERE ${where} AND s.unique_id_sinp IS NOT NULL`;
  // No JIT for this transaction: on a million rows the server compiled the row expression for
  // ~0.7 s before the first batch, then ran it slower than interpreted (COPY of 200,000 rows
  // 5.3 s with JIT, 3.3-4.3 s without). `jit` exists from PostgreSQL 11: older servers skip this.
  await client.query(`SELECT set_config('jit', 'off', true) WHERE current_setting('jit', true) IS NOT NULL`);
  await client.query(`DECLARE passerelle_pull NO SCROLL CURSOR FOR ${sql}`, params);
  const insert = db.prepare(`INSERT INTO ${T.observations} (${q.columns.map((c) => `"${c}"`).join(', ')}) VALUES (${q.columns.map(() => '?').join(', ')})`);
  // One statement per batch for the links (json_each runs in C): ~5× faster than one insert per link.
  const links = db.prepare(`INSERT INTO ${T.corAreaObservation} (observation_fid, area_fid) SELECT value ->> 0, value ->> 1 FROM json_each(?)`);
  const datasetIds = new Set<string>();
  const cdNoms = new Set<number>();
  const areaIds = new Set<number>();
  const batch = input.batchSize ?? DEFAULT_BATCH;
  const fetch = () => client.query<[string]>({ text: `FETCH ${batch} FROM passerelle_pull`, rowMode: 'array', types: RAW_TYPES });
  const n = q.convert.length;
  const values: unknown[] = new Array<unknown>(n);
  const geomIndex = q.columns.indexOf('geom');
  // The observations' boxes, for one packed rtree load at the end (much faster than its triggers).
  const env = new EnvelopeBuffer(Math.max(total, 1024));
  let done = 0;
  let pending = fetch();
  for (;;) {
    const rows = (await pending).rows;
    if (rows.length === 0) break;
    // Ask for the next batch now: the server reads it while we write this one.
    pending = fetch();
    pending.catch(() => undefined);
    let pairs = '';
    for (const packed of rows) {
      const row = q.split(packed[0]);
      for (let i = 0; i < n; i++) values[i] = (q.convert[i] as (v: string | null) => unknown)(row[i] ?? null);
      // Spread, not the array: better-sqlite3 binds arguments directly, an array element by element through a property lookup (~10% of the insert).
      insert.run(...values);
      const geom = values[geomIndex] as Uint8Array | null;
      if (geom) env.add(Number(row[0]), geom);
      const ds = row[q.datasetIndex];
      if (typeof ds === 'string') datasetIds.add(ds);
      const cd = row[q.cdNomIndex];
      if (typeof cd === 'string') cdNoms.add(Number(cd));
      const areas = row[q.areasIndex] ?? '{}';
      if (areas.length > 2) {
        const fid = row[0] as string;
        for (const a of areas.slice(1, -1).split(',')) {
          if (!wantedAreas.has(a)) continue;
          areaIds.add(Number(a));
          pairs += `${pairs ? ',' : ''}[${fid},${a}]`;
        }
      }
    }
    if (pairs) links.run(`[${pairs}]`);
    done += rows.length;
    ctx.progress(done, total, 'observations');
    await ctx.checkpoint();
  }
  await client.query('CLOSE passerelle_pull');
  createRtree(db, T.observations, OBS_GEOM, 'fid');
  bulkLoadRtree(db, `rtree_${T.observations}_${OBS_GEOM}`, env.entries());

  // 2. CA and JDD: those of the observations, those the filters name (even empty), and parent CAs.
  ctx.progress(done, total, 'metadata');
  const selected = input.filters.frameworks.length || input.filters.datasets.length
    ? await client.query<{ id: string }>(
        `SELECT d.id_dataset::text AS id FROM ${qi('gn_meta', 't_datasets')} d JOIN ${qi('gn_meta', 't_acquisition_frameworks')} af ON af.id_acquisition_framework = d.id_acquisition_framework
          WHERE af.unique_acquisition_framework_id = ANY($1::uuid[]) OR d.unique_dataset_id = ANY($2::uuid[])`,
        [input.filters.frameworks, input.filters.datasets],
      )
    : { rows: [] };
  for (const r of selected.rows) datasetIds.add(r.id);
  const datasets = await readServerMeta(client, d, noms, 'dataset', { ids: [...datasetIds].map(Number) });
  const frameworkUuids = new Set<string>(input.filters.frameworks);
  for (const ds of datasets) if (typeof ds.values.acquisition_framework === 'string') frameworkUuids.add(ds.values.acquisition_framework);
  let frameworks = await readServerMeta(client, d, noms, 'framework', { uuids: [...frameworkUuids] });
  for (let guard = 0; guard < 20; guard++) {
    const parents = frameworks.map((f) => f.extra.parent_uuid).filter((u): u is string => typeof u === 'string' && !frameworkUuids.has(u));
    if (!parents.length) break;
    for (const u of parents) frameworkUuids.add(u);
    frameworks = await readServerMeta(client, d, noms, 'framework', { uuids: [...frameworkUuids] });
  }
  for (const f of frameworks) writeServerMeta(db, 'framework', f);
  for (const ds of datasets) writeServerMeta(db, 'dataset', ds);
  await ctx.checkpoint();

  // 3. TAXREF: the observed names, their valid names, and every ancestor (cd_sup and cd_taxsup, which
  //    the sensitivity rules walk, reference §3.1).
  ctx.progress(done, total, 'taxref');
  const taxa = await pullTaxref(db, client, d, [...cdNoms]);
  await ctx.checkpoint();

  // 4. Sensitivity rules of those taxa, raw, with their areas and criteria as codes.
  ctx.progress(done, total, 'sensitivity rules');
  const criteriaTypes = new Set<string>();
  const rules = (await canRead(client, d, 'gn_sensitivity.t_sensitivity_rules')) ? await pullSensitivity(db, client, d, noms, taxa.noms, taxa.refs, areaIds, criteriaTypes) : 0;
  await ctx.checkpoint();

  // 5. The areas: COM/DEP/M10 the observations fall in, and those the rules name.
  ctx.progress(done, total, 'areas');
  const areas = await pullAreas(db, client, d, [...areaIds], ctx);

  // 6. Nomenclatures of every type the workspace refers to (whole types: an edit may pick any value).
  const wanted = new Set<string>([...Object.values(SYNTHESE_NOMENCLATURES), ...METADATA_NOMENCLATURE_TYPES, ...criteriaTypes]);
  const nomRows = noms.ofTypes(wanted);
  const insNom = db.prepare(
    `INSERT INTO ${T.nomenclatures} (type_mnemonique, cd_nomenclature, mnemonique, label_default, label_fr, label_en, definition_fr, hierarchy, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of nomRows) insNom.run(r.type, r.code, r.mnemonique, r.labelDefault, r.labelFr, r.labelEn, r.definitionFr, r.hierarchy, r.active === null ? null : r.active ? 1 : 0);

  return { observations: done, frameworks: frameworks.length, datasets: datasets.length, taxa: taxa.count, nomenclatures: nomRows.length, areas, sensitivityRules: rules };
}

/** Growable arrays of (fid, box) for bulkLoadRtree. */
class EnvelopeBuffer {
  private ids: Float64Array;
  private boxes: Float64Array;
  private count = 0;

  constructor(capacity: number) {
    this.ids = new Float64Array(capacity);
    this.boxes = new Float64Array(capacity * 4);
  }

  /** Adds the box of a GeoPackage blob (points: read from the WKB at once; empty: skipped). */
  add(fid: number, blob: Uint8Array): void {
    let minX: number, maxX: number, minY: number, maxY: number;
    // wkbToGpkg's point layout: 8-byte header, then a little-endian WKB point.
    if (blob.length === 29 && blob[3] === 0x01 && blob[8] === 1 && blob[9] === 1 && blob[10] === 0 && blob[11] === 0 && blob[12] === 0) {
      const v = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
      minX = maxX = v.getFloat64(13, true);
      minY = maxY = v.getFloat64(21, true);
    } else {
      const e = blobEnvelope(blob);
      if (!e) return;
      ({ minX, maxX, minY, maxY } = e);
    }
    if (this.count === this.ids.length) {
      const ids = new Float64Array(this.ids.length * 2);
      ids.set(this.ids);
      const boxes = new Float64Array(this.boxes.length * 2);
      boxes.set(this.boxes);
      this.ids = ids;
      this.boxes = boxes;
    }
    const i = this.count++;
    this.ids[i] = fid;
    this.boxes[i * 4] = minX;
    this.boxes[i * 4 + 1] = maxX;
    this.boxes[i * 4 + 2] = minY;
    this.boxes[i * 4 + 3] = maxY;
  }

  entries(): { count: number; ids: Float64Array; boxes: Float64Array } {
    return { count: this.count, ids: this.ids, boxes: this.boxes };
  }
}

async function pullTaxref(db: Db, client: pg.Client, d: DetectedSchema, cdNoms: number[]): Promise<{ count: number; noms: number[]; refs: number[] }> {
  const cols = ['cd_nom', 'cd_ref', 'cd_sup', 'cd_taxsup', 'id_rang', 'regne', 'phylum', 'classe', 'ordre', 'famille', 'group1_inpn', 'group2_inpn', 'group3_inpn', 'lb_nom', 'lb_auteur', 'nom_complet', 'nom_valide', 'nom_vern'];
  const sel = (alias: string) => cols.map((c) => (d.has(`taxonomie.taxref.${c}`) ? `${alias}.${qi(c)}::text` : 'NULL::text')).join(', ');
  const up = ['cd_sup', 'cd_taxsup'].filter((c) => d.has(`taxonomie.taxref.${c}`));
  const taxref = qi('taxonomie', 'taxref');
  const r = await client.query<unknown[]>({
    text: `WITH RECURSIVE t(${cols.join(', ')}) AS (
             SELECT ${sel('x')} FROM ${taxref} x
              WHERE x.cd_nom = ANY($1::int[]) OR x.cd_nom IN (SELECT y.cd_ref FROM ${taxref} y WHERE y.cd_nom = ANY($1::int[]))
             ${up.length ? `UNION SELECT ${sel('p')} FROM ${taxref} p JOIN t ON ${up.map((c) => `p.cd_nom::text = t.${c}`).join(' OR ')}` : ''}
           ) SELECT * FROM t`,
    values: [cdNoms],
    rowMode: 'array',
    types: RAW_TYPES,
  });
  const ins = db.prepare(`INSERT OR IGNORE INTO ${T.taxref} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
  const noms = new Set<number>();
  const refs = new Set<number>();
  for (const row of r.rows) {
    ins.run(row);
    noms.add(Number(row[0]));
    if (row[1] !== null) refs.add(Number(row[1]));
  }
  return { count: noms.size, noms: [...noms], refs: [...refs] };
}

async function pullSensitivity(
  db: Db,
  client: pg.Client,
  d: DetectedSchema,
  noms: Nomenclatures,
  cdNoms: number[],
  cdRefs: number[],
  areaIds: Set<number>,
  criteriaTypes: Set<string>,
): Promise<number> {
  const col = (c: string) => (d.has(`gn_sensitivity.t_sensitivity_rules.${c}`) ? `r.${qi(c)}` : 'NULL');
  const rules = await client.query<Record<string, unknown>>(
    `SELECT r.id_sensitivity, r.cd_nom, ${col('nom_cite')} AS nom_cite, r.id_nomenclature_sensitivity AS sensi, ${col('sensitivity_duration')} AS duration,
            ${col('sensitivity_territory')} AS territory, ${col('id_territory')} AS id_territory, ${col('date_min')}::text AS date_min, ${col('date_max')}::text AS date_max,
            ${col('source')} AS source, ${col('active')} AS active, ${col('comments')} AS comments, ${col('meta_update_date')}::text AS updated
       FROM ${qi('gn_sensitivity', 't_sensitivity_rules')} r
      WHERE r.cd_nom = ANY($1::int[]) OR r.cd_nom IN (SELECT t.cd_nom FROM ${qi('taxonomie', 'taxref')} t WHERE t.cd_ref = ANY($2::int[]))`,
    [cdNoms, cdRefs],
  );
  const ins = db.prepare(
    `INSERT INTO ${T.sensitivityRules} (id_sensitivity, cd_nom, nom_cite, cd_nomenclature_sensitivity, sensitivity_duration, sensitivity_territory, id_territory, date_min, date_max, source, active, comments, meta_update_date)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of rules.rows) {
    ins.run(r.id_sensitivity, r.cd_nom, r.nom_cite, noms.code(r.sensi as number), r.duration, r.territory, r.id_territory, r.date_min, r.date_max, r.source, r.active === null ? null : r.active ? 1 : 0, r.comments, r.updated);
  }
  const ids = rules.rows.map((r) => r.id_sensitivity as number);
  if (ids.length && (await canRead(client, d, 'gn_sensitivity.cor_sensitivity_area'))) {
    const a = await client.query<{ id: number; area: number; type: string; code: string }>(
      `SELECT c.id_sensitivity AS id, a.id_area AS area, bt.type_code AS type, a.area_code AS code
         FROM ${qi('gn_sensitivity', 'cor_sensitivity_area')} c JOIN ${qi('ref_geo', 'l_areas')} a ON a.id_area = c.id_area
         JOIN ${qi('ref_geo', 'bib_areas_types')} bt ON bt.id_type = a.id_type
        WHERE c.id_sensitivity = ANY($1::int[])`,
      [ids],
    );
    const insA = db.prepare(`INSERT INTO ${T.sensitivityRuleAreas} (id_sensitivity, type_code, area_code) VALUES (?, ?, ?)`);
    for (const r of a.rows) {
      insA.run(r.id, r.type, r.code);
      areaIds.add(r.area);
    }
  }
  if (ids.length && (await canRead(client, d, 'gn_sensitivity.cor_sensitivity_criteria'))) {
    const c = await client.query<{ id: number; criteria: number }>(
      `SELECT id_sensitivity AS id, id_criteria AS criteria FROM ${qi('gn_sensitivity', 'cor_sensitivity_criteria')} WHERE id_sensitivity = ANY($1::int[])`,
      [ids],
    );
    const insC = db.prepare(`INSERT INTO ${T.sensitivityRuleCriteria} (id_sensitivity, type_mnemonique, cd_nomenclature) VALUES (?, ?, ?)`);
    for (const r of c.rows) {
      const v = noms.row(r.criteria);
      if (!v) continue;
      insC.run(r.id, v.type, v.code);
      criteriaTypes.add(v.type);
    }
  }
  if (await canRead(client, d, 'gn_sensitivity.cor_sensitivity_area_type')) {
    const t = await client.query<{ sensi: number; type: string }>(
      `SELECT c.id_nomenclature_sensitivity AS sensi, bt.type_code AS type FROM ${qi('gn_sensitivity', 'cor_sensitivity_area_type')} c
         JOIN ${qi('ref_geo', 'bib_areas_types')} bt ON bt.id_type = c.id_area_type`,
    );
    const insT = db.prepare(`INSERT INTO ${T.sensitivityAreaTypes} (cd_sensitivity, type_code) VALUES (?, ?)`);
    for (const r of t.rows) {
      const code = noms.code(r.sensi);
      if (code !== null) insT.run(code, r.type);
    }
  }
  return rules.rows.length;
}

async function pullAreas(db: Db, client: pg.Client, d: DetectedSchema, ids: number[], ctx: JobContext): Promise<number> {
  if (!ids.length) return 0;
  const g4326 = d.has('ref_geo.l_areas.geom_4326') ? 'coalesce(a.geom_4326, ST_Transform(a.geom, 4326))' : 'ST_Transform(a.geom, 4326)';
  const col = (c: string) => (d.has(`ref_geo.l_areas.${c}`) ? `a.${qi(c)}::text` : 'NULL::text');
  const ins = db.prepare(`INSERT INTO ${T.areas} (fid, geom, type_code, area_code, area_name, source, geom_local_wkb) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  let n = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const r = await client.query<unknown[]>({
      text: `SELECT a.id_area::text, ST_AsBinary(ST_Multi(${g4326})), bt.type_code, a.area_code, ${col('area_name')}, ${col('source')}, ST_AsBinary(a.geom)
               FROM ${qi('ref_geo', 'l_areas')} a JOIN ${qi('ref_geo', 'bib_areas_types')} bt ON bt.id_type = a.id_type
              WHERE a.id_area = ANY($1::int[])`,
      values: [ids.slice(i, i + 500)],
      rowMode: 'array',
      types: RAW_TYPES,
    });
    for (const row of r.rows) {
      const wkb = row[1] as Buffer | null;
      ins.run(row[0], wkb ? encodeGpkg(decodeWkb(wkb).geometry, 4326) : null, row[2], row[3], row[4], row[5], row[6]);
      n++;
    }
    await ctx.checkpoint();
  }
  return n;
}

