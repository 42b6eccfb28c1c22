import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CheckGroup, CheckId, CheckParams, CheckReport, CleanFinding, GeometryHint } from '../../../shared/contract/index.js';
import { CheckId as CheckIdSchema } from '../../../shared/contract/index.js';
import { CHECKS, checkInfo, checkRow, findingMessage, type CheckContext, type FindingDraft } from '../../../shared/cleanup/checks.js';
import { FRANCE_BOX } from '../../../shared/cleanup/coords.js';
import { todayIso } from '../../../shared/cleanup/dates.js';
import { completeness, duplicateClusters, duplicateKey, type Placed } from '../../../shared/cleanup/duplicates.js';
import type { SimpleGeometry } from '../../../shared/cleanup/geometry.js';
import { cellText } from '../../../shared/cleanup/normalize.js';
import { AppError } from '../errors.js';
import type { JobContext } from '../jobs/context.js';
import { openWorkspace } from '../workspace/open.js';
import { AreaIndex } from './areas.js';
import { loadCatalog, resolveTaxonomy } from './context.js';
import { decodeBlob, invalidReason, projectorFor } from './geom.js';
import { geometryHint } from './mapping.js';
import { CT, hasCleanupTables } from './schema.js';

type Db = Database.Database;

/** One observation as read for the checks (columns, import line and extras merged). */
export interface ObservationRow {
  readonly fid: number;
  readonly values: Record<string, unknown>;
  readonly line: number | null;
  readonly blob: Uint8Array | null;
}

/** Streams the observations with their import extras (fields without a column) merged into their values. */
export function* readObservations(db: Db, where = '', params: unknown[] = []): Generator<ObservationRow> {
  const join = hasCleanupTables(db) ? `LEFT JOIN ${CT.rows} r ON r.observation_fid = o.fid` : '';
  const extraCols = join ? ', r.source_line AS __line, r.extra_json AS __extra' : ', NULL AS __line, NULL AS __extra';
  // Every column but the local-SRID geometry, which no check reads (a blob per row saved).
  const cols = (db.prepare('PRAGMA table_info(observations)').all() as Array<{ name: string }>).map((c) => c.name).filter((c) => c !== 'geom_local_wkb');
  const stmt = db.prepare(`SELECT ${cols.map((c) => `o."${c}"`).join(', ')}${extraCols} FROM observations o ${join} ${where} ORDER BY o.fid`).raw(true);
  // Arrays, then objects built here: twice as fast as better-sqlite3's objects of ~50 properties.
  const geomAt = cols.indexOf('geom');
  const fidAt = cols.indexOf('fid');
  const n = cols.length;
  for (const raw of stmt.iterate(...params) as Iterable<unknown[]>) {
    const values: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) if (i !== geomAt) values[cols[i] as string] = raw[i];
    const line = raw[n];
    const extraJson = raw[n + 1];
    if (typeof extraJson === 'string') {
      try {
        const extra = JSON.parse(extraJson) as Record<string, unknown>;
        for (const [k, v] of Object.entries(extra)) if (k !== '_unmapped' && values[k] === undefined) values[k] = v;
      } catch {
        // a damaged extra_json only loses the extra fields of this row for the checks
      }
    }
    const geom = raw[geomAt];
    yield { fid: raw[fidAt] as number, values, line: typeof line === 'number' ? line : null, blob: geom instanceof Uint8Array ? geom : null };
  }
}

/** Where check runs are kept (findings are paged from there). */
export function runsDir(home: string): string {
  return join(home, 'cleanup-runs');
}

const KEEP_RUNS = 10;

function openStore(home: string, runId: string): Db {
  const dir = runsDir(home);
  mkdirSync(dir, { recursive: true });
  // Keep the last runs only: a run is a cache, the workspace is the truth.
  const old = readdirSync(dir)
    .filter((f) => f.endsWith('.sqlite'))
    .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t)
    .slice(KEEP_RUNS - 1);
  for (const o of old) rmSync(join(dir, o.f), { force: true });
  const db = new Database(join(dir, `${runId}.sqlite`));
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE findings (id INTEGER PRIMARY KEY, check_id TEXT, fid INTEGER, uuid TEXT, line INTEGER, field TEXT, value_json TEXT, suggestion_json TEXT, params_json TEXT, lon REAL, lat REAL, bbox_json TEXT, gtype TEXT);
    CREATE TABLE dupkeys (fid INTEGER, k TEXT, lon REAL, lat REAL, score INTEGER);
    CREATE TABLE srcpk (fid INTEGER, k TEXT);`);
  return db;
}

/** Input of the check task. */
export interface CheckTaskInput {
  workspace: string;
  params: CheckParams & { taxonomy?: string | undefined };
  samples: number;
  home: string;
}

/**
 * Runs the checks over every observation: the per-row rules of shared/cleanup/checks.ts, GEOS
 * validity for lines and polygons, then duplicates (same taxon, day and observers within the
 * tolerance) and duplicate source identifiers. Findings go to a run file in PASSERELLE_HOME; the
 * report groups them by check with counts and the first ones.
 */
export async function checkTask(input: CheckTaskInput, ctx: JobContext): Promise<CheckReport> {
  const ws = openWorkspace(input.workspace);
  const runId = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const store = openStore(input.home, runId);
  try {
    const db = ws.db;
    const areas = AreaIndex.load(db);
    const { taxonomy, source: taxonomySource } = resolveTaxonomy(db, input.params.taxonomy);
    const wanted = new Set<CheckId>(input.params.checks ?? CHECKS.map((c) => c.id));
    const skipped: CheckReport['skipped'] = [];
    const skip = (id: CheckId, fr: string, en: string) => {
      if (wanted.delete(id)) skipped.push({ check: id, reason: { fr, en } });
    };
    if (!taxonomy) for (const id of ['taxon.unknown-code', 'taxon.name-code-mismatch', 'taxon.code-from-name'] as const) skip(id, 'Pas de référentiel taxonomique (taxref non tiré, aucun fichier donné).', 'No taxonomy (taxref not pulled, no file given).');
    if (!areas.hasTerritory) skip('geometry.outside-territory', 'L’espace de travail n’a pas de départements (zones DEP).', 'The workspace has no départements (DEP areas).');
    const known = new Set(areas.departements());
    const departements = input.params.departements;
    if (departements.length === 0) skip('geometry.outside-departement', 'Aucun département attendu donné.', 'No expected département given.');
    else if (!areas.hasTerritory || departements.some((d) => !known.has(d))) {
      throw new AppError('INVALID_INPUT', `Département(s) ${departements.filter((d) => !known.has(d)).join(', ') || departements.join(', ')} not among the workspace areas (${[...known].join(', ') || 'none'})`, {
        key: 'errors.CLEAN_UNKNOWN_DEPARTEMENT',
        params: { departements: departements.join(', '), known: [...known].join(', ') },
      });
    }
    const today = input.params.today ?? todayIso();
    const cctx: CheckContext = {
      enabled: wanted,
      today,
      minYear: input.params.minYear,
      catalog: loadCatalog(db),
      taxonomy,
      inTerritory: areas.hasTerritory ? areas.inTerritory : null,
      departementOf: areas.hasTerritory ? areas.departementOf : null,
      departements,
      referenceBox: areas.extent ?? FRANCE_BOX,
      toLonLat: (x, y, srs) => {
        try {
          const ll = projectorFor(srs).toLonLat(x, y);
          return Number.isFinite(ll[0]) && Number.isFinite(ll[1]) ? ll : null;
        } catch {
          return null;
        }
      },
    };
    const counts = new Map<CheckId, { count: number; fids: Set<number>; samples: CleanFinding[] }>();
    const flagged = new Set<number>();
    const insert = store.prepare('INSERT INTO findings (check_id, fid, uuid, line, field, value_json, suggestion_json, params_json, lon, lat, bbox_json, gtype) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const insertKey = store.prepare('INSERT INTO dupkeys (fid, k, lon, lat, score) VALUES (?, ?, ?, ?, ?)');
    const insertPk = store.prepare('INSERT INTO srcpk (fid, k) VALUES (?, ?)');
    const record = (d: FindingDraft, fid: number, uuid: string | null, line: number | null, hint: GeometryHint | null) => {
      insert.run(d.check, fid, uuid, line, d.field, JSON.stringify(d.value), d.suggestion ? JSON.stringify(d.suggestion) : null, JSON.stringify(d.params), hint?.lon ?? null, hint?.lat ?? null, hint ? JSON.stringify(hint.bbox) : null, hint?.type ?? null);
      const c = counts.get(d.check) ?? { count: 0, fids: new Set<number>(), samples: [] };
      c.count++;
      c.fids.add(fid);
      if (c.samples.length < input.samples) c.samples.push(toFinding(d, fid, uuid, line, hint));
      counts.set(d.check, c);
      flagged.add(fid);
    };
    const total = db.prepare('SELECT count(*) FROM observations').pluck().get() as number;
    let n = 0;
    store.exec('BEGIN');
    const dupOn = wanted.has('duplicate.observation');
    const pkOn = wanted.has('duplicate.source-pk');
    for (const row of readObservations(db)) {
      let geometry: SimpleGeometry | null = null;
      let broken: string | null = null;
      try {
        geometry = decodeBlob(row.blob);
      } catch (e) {
        broken = e instanceof Error ? e.message : String(e);
      }
      let reason: string | null = broken ? `unreadable blob: ${broken}` : null;
      if (geometry && !reason && wanted.has('geometry.invalid')) {
        try {
          reason = invalidReason(geometry);
        } catch (e) {
          reason = e instanceof Error ? e.message : String(e);
        }
      }
      const hint = geometryHint(geometry);
      const uuid = cellText(row.values.unique_id_sinp);
      const drafts = checkRow({ fid: row.fid, values: row.values, geometry, invalidReason: reason }, cctx);
      for (const d of drafts) record(d, row.fid, uuid, row.line, hint);
      if (dupOn && hint) {
        const k = duplicateKey(row.values);
        if (k !== null) insertKey.run(row.fid, k, hint.lon, hint.lat, completeness(row.values));
      }
      if (pkOn) {
        const pk = cellText(row.values.entity_source_pk_value);
        if (pk !== null) insertPk.run(row.fid, `${cellText(row.values.dataset_uuid) ?? ''}#${pk}`);
      }
      if (++n % 2000 === 0) {
        store.exec('COMMIT; BEGIN');
        ctx.progress(n, total, 'check');
        await ctx.checkpoint();
      }
    }
    store.exec('COMMIT');

    // Cross-row checks, from the keys gathered above.
    store.exec('CREATE INDEX dupkeys_k ON dupkeys(k); CREATE INDEX srcpk_k ON srcpk(k);');
    const uuidOf = db.prepare('SELECT unique_id_sinp FROM observations WHERE fid = ?').pluck();
    const lineOf = hasCleanupTables(db) ? db.prepare(`SELECT source_line FROM ${CT.rows} WHERE observation_fid = ?`).pluck() : null;
    const hintOf = (fid: number) => store.prepare('SELECT lon, lat FROM dupkeys WHERE fid = ?').get(fid) as { lon: number; lat: number } | undefined;
    store.exec('BEGIN');
    if (dupOn) {
      const tol = input.params.duplicateToleranceM;
      const groups = store.prepare('SELECT k FROM dupkeys GROUP BY k HAVING count(*) > 1').pluck().all() as string[];
      const members = store.prepare('SELECT fid AS id, lon, lat, score FROM dupkeys WHERE k = ?');
      for (const k of groups) {
        for (const c of duplicateClusters(members.all(k) as Placed[], tol)) {
          for (const b of c.duplicates) {
            // The less complete rows are the duplicates; the finding names the one a merge keeps.
            const d: FindingDraft = { check: 'duplicate.observation', field: 'fid', value: b.id, suggestion: { fix: 'merge-duplicates', value: c.keep.id, params: { keep: c.keep.id } }, params: { tolerance: tol, other: c.keep.id } };
            record(d, b.id, (uuidOf.get(b.id) as string | null) ?? null, (lineOf?.get(b.id) as number | null | undefined) ?? null, pointHint(b.lon, b.lat));
          }
        }
        await ctx.checkpoint();
      }
    }
    if (pkOn) {
      const groups = store.prepare('SELECT k, group_concat(fid) AS fids FROM srcpk GROUP BY k HAVING count(*) > 1').all() as Array<{ k: string; fids: string }>;
      for (const g of groups) {
        const fids = g.fids.split(',').map(Number).sort((a, b) => a - b);
        const pk = g.k.slice(g.k.indexOf('#') + 1);
        for (const fid of fids) {
          const other = fids.find((f) => f !== fid) as number;
          const h = hintOf(fid);
          record({ check: 'duplicate.source-pk', field: 'entity_source_pk_value', value: pk, suggestion: null, params: { value: pk, other } }, fid, (uuidOf.get(fid) as string | null) ?? null, (lineOf?.get(fid) as number | null | undefined) ?? null, h ? pointHint(h.lon, h.lat) : null);
        }
      }
    }
    store.exec('COMMIT');
    store.exec('DROP TABLE dupkeys; DROP TABLE srcpk; CREATE INDEX findings_check ON findings(check_id, id); CREATE INDEX findings_fid ON findings(fid);');
    store.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('workspace', input.workspace);
    ctx.progress(total, total, 'check');

    const groups: CheckGroup[] = CHECKS.filter((c) => counts.has(c.id)).map((c) => {
      const got = counts.get(c.id) as { count: number; fids: Set<number>; samples: CleanFinding[] };
      return { check: c.id, category: c.category, severity: c.severity, title: c.title, count: got.count, rows: got.fids.size, fixes: [...c.fixes], samples: got.samples };
    });
    const clean = !groups.some((g) => g.severity !== 'info');
    return {
      workspace: input.workspace,
      runId,
      at: new Date().toISOString(),
      observations: total,
      flagged: flagged.size,
      total: groups.reduce((s, g) => s + g.count, 0),
      clean,
      taxonomy: { source: taxonomySource, name: taxonomy?.source ?? null, taxa: taxonomy?.size ?? 0 },
      territory: { source: areas.hasTerritory ? 'areas' : 'none', departements: areas.departements() },
      groups,
      skipped,
    };
  } finally {
    store.close();
    ws.close();
  }
}

const pointHint = (lon: number, lat: number): GeometryHint => ({ type: 'Point', lon, lat, bbox: [lon, lat, lon, lat] });

function toFinding(d: FindingDraft, fid: number, uuid: string | null, line: number | null, geometry: GeometryHint | null): CleanFinding {
  const info = checkInfo(d.check);
  return { check: d.check, severity: info.severity, fid, uuid, line, field: d.field, value: d.value, suggestion: d.suggestion, message: findingMessage(d.check, d.params), geometry };
}

/** One page of a run's findings. */
export function readFindings(home: string, input: { workspace: string; runId: string; check?: CheckId | undefined; fid?: number | undefined; offset: number; limit: number }): { total: number; findings: CleanFinding[] } {
  if (!/^[a-z0-9-]+$/.test(input.runId)) throw new AppError('INVALID_INPUT', `Bad run id ${input.runId}`, { key: 'errors.CLEAN_UNKNOWN_RUN', params: { runId: input.runId } });
  const file = join(runsDir(home), `${input.runId}.sqlite`);
  if (!existsSync(file)) throw new AppError('NOT_FOUND', `No check run ${input.runId} (runs are kept for the last ${KEEP_RUNS} checks)`, { key: 'errors.CLEAN_UNKNOWN_RUN', params: { runId: input.runId } });
  const db = new Database(file, { readonly: true });
  try {
    const ws = db.prepare("SELECT value FROM meta WHERE key = 'workspace'").pluck().get() as string | undefined;
    if (ws !== input.workspace) throw new AppError('INVALID_INPUT', `Check run ${input.runId} is not of ${input.workspace}`, { key: 'errors.CLEAN_UNKNOWN_RUN', params: { runId: input.runId } });
    const conds: string[] = [];
    const params: unknown[] = [];
    if (input.check) {
      conds.push('check_id = ?');
      params.push(input.check);
    }
    if (input.fid !== undefined) {
      conds.push('fid = ?');
      params.push(input.fid);
    }
    const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
    const total = db.prepare(`SELECT count(*) FROM findings ${where}`).pluck().get(...params) as number;
    const rows = db.prepare(`SELECT * FROM findings ${where} ORDER BY id LIMIT ? OFFSET ?`).all(...params, input.limit, input.offset) as Array<{
      check_id: string;
      fid: number;
      uuid: string | null;
      line: number | null;
      field: string;
      value_json: string;
      suggestion_json: string | null;
      params_json: string;
      lon: number | null;
      lat: number | null;
      bbox_json: string | null;
      gtype: string | null;
    }>;
    const findings = rows.map((r) => {
      const check = CheckIdSchema.parse(r.check_id);
      const d: FindingDraft = { check, field: r.field, value: JSON.parse(r.value_json) as FindingDraft['value'], suggestion: r.suggestion_json ? (JSON.parse(r.suggestion_json) as FindingDraft['suggestion']) : null, params: JSON.parse(r.params_json) as FindingDraft['params'] };
      const hint: GeometryHint | null = r.lon !== null && r.lat !== null ? { type: r.gtype ?? 'Point', lon: r.lon, lat: r.lat, bbox: r.bbox_json ? (JSON.parse(r.bbox_json) as [number, number, number, number]) : [r.lon, r.lat, r.lon, r.lat] } : null;
      return toFinding(d, r.fid, r.uuid, r.line, hint);
    });
    return { total, findings };
  } finally {
    db.close();
  }
}
