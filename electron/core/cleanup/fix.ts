import type Database from 'better-sqlite3';
import type { CleanOperation, FixChange, FixReport, FixSpec, UndoReport } from '../../../shared/contract/index.js';
import { FRANCE_BOX, inBox, isLonLat, looksSwapped } from '../../../shared/cleanup/coords.js';
import { formatIso, parseDateWith, parseIso, todayIso } from '../../../shared/cleanup/dates.js';
import { completeness, duplicateClusters, duplicateKey } from '../../../shared/cleanup/duplicates.js';
import { TARGET_FIELDS } from '../../../shared/cleanup/fields.js';
import { anchorOf, isEmptyGeometry, mapPositions, type SimpleGeometry } from '../../../shared/cleanup/geometry.js';
import { repairMojibake } from '../../../shared/cleanup/mojibake.js';
import { cellText } from '../../../shared/cleanup/normalize.js';
import { codeForName } from '../../../shared/cleanup/taxonomy.js';
import { AppError } from '../errors.js';
import type { JobContext } from '../jobs/context.js';
import { refreshContentsExtent } from '../gpkg/schema.js';
import { appendAudit, readMeta } from '../workspace/format.js';
import { openWorkspace } from '../workspace/open.js';
import { AreaIndex } from './areas.js';
import { observationColumns, resolveTaxonomy } from './context.js';
import { decodeBlob, encodeBlob, encodeIsoWkb, fromWgs84, invalidReason, makeValid, toWgs84, toWkt } from './geom.js';
import { CT, fixAuditId, hasCleanupTables, importAuditId } from './schema.js';

type Db = Database.Database;
type Raw = bigint | number | string | Buffer | Uint8Array | null | undefined;

/** One row a fix changes: new values by column, or deletion (a merged duplicate). */
interface RowPlan {
  fid: number;
  uuid: string | null;
  set: Record<string, Raw>;
  before: Record<string, Raw>;
  /** The geometry changed: recompute geom_local_wkb and the areas it falls in. */
  geometry: SimpleGeometry | null;
  delete: boolean;
}

/**
 * Audit values that restore exactly: strings and null as they are, integers and reals tagged (a
 * REAL 5.0 must not come back as INTEGER 5), blobs in base64 with their WKT for a human reader.
 */
type AuditValue = string | null | { $int: string } | { $real: number } | { $blob: string; wkt?: string };

function toAudit(v: Raw, wkt = false): AuditValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return { $int: v.toString() };
  if (typeof v === 'number') return Number.isInteger(v) ? { $real: v } : { $real: v };
  if (typeof v === 'string') return v;
  const b = Buffer.from(v);
  if (wkt) {
    try {
      const g = decodeBlob(b);
      if (g) return { $blob: b.toString('base64'), wkt: toWkt(g) };
    } catch {
      // not a geometry blob: base64 only
    }
  }
  return { $blob: b.toString('base64') };
}

function fromAudit(v: AuditValue): Raw {
  if (v === null || typeof v === 'string') return v;
  if ('$int' in v) return BigInt(v.$int);
  if ('$real' in v) return v.$real;
  return Buffer.from(v.$blob, 'base64');
}

/** A value as the preview shows it (geometries as WKT). */
function shown(column: string, v: Raw): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (column === 'geom') {
    try {
      const g = decodeBlob(v);
      return g ? toWkt(g) : null;
    } catch {
      return '(unreadable geometry)';
    }
  }
  return `(${Buffer.from(v).length} bytes)`;
}

const TEXT_COLUMNS = TARGET_FIELDS.filter((t) => t.kind === 'text' && t.column).map((t) => t.column as string);

export interface FixTaskInput {
  workspace: string;
  fix: FixSpec;
  dryRun: boolean;
  fids?: number[] | undefined;
  taxonomy?: string | undefined;
  offset: number;
  limit: number;
  actor: string;
}

/** Reads rows with exact SQLite types (integers as BigInt). */
function rowsOf(db: Db, fids: readonly number[] | undefined): Iterable<Record<string, Raw>> {
  const stmt = db.prepare(`SELECT * FROM observations ${fids ? 'WHERE fid IN (SELECT value FROM json_each(?))' : ''} ORDER BY fid`).safeIntegers(true);
  return (fids ? stmt.iterate(JSON.stringify(fids)) : stmt.iterate()) as Iterable<Record<string, Raw>>;
}

const fidOf = (r: Record<string, Raw>) => Number(r.fid as bigint);
const textOf = (v: Raw): string | null => (typeof v === 'string' ? v : typeof v === 'bigint' || typeof v === 'number' ? String(v) : null);

/** Plans a fix: which rows change and how. Nothing is written. */
async function plan(db: Db, input: FixTaskInput, ctx: JobContext, skipped: FixReport['skipped']): Promise<RowPlan[]> {
  const fix = input.fix;
  const plans: RowPlan[] = [];
  const cols = new Set(observationColumns(db));
  const areas = AreaIndex.load(db);
  const inside = areas.hasTerritory ? areas.inTerritory : (lon: number, lat: number) => inBox(lon, lat, areas.extent ?? FRANCE_BOX);
  const geomPlan = (r: Record<string, Raw>, g: SimpleGeometry): RowPlan => ({ fid: fidOf(r), uuid: textOf(r.unique_id_sinp), set: { geom: encodeBlob(g) }, before: { geom: r.geom ?? null }, geometry: g, delete: false });
  let n = 0;
  const tick = async () => {
    if (++n % 1000 === 0) await ctx.checkpoint();
  };
  switch (fix.kind) {
    case 'repair-mojibake': {
      const fields = (fix.fields ?? TEXT_COLUMNS).filter((c) => cols.has(c));
      for (const r of rowsOf(db, input.fids)) {
        const set: Record<string, Raw> = {};
        const before: Record<string, Raw> = {};
        for (const c of fields) {
          const v = r[c];
          if (typeof v !== 'string') continue;
          const fixed = repairMojibake(v);
          if (fixed !== v) {
            set[c] = fixed;
            before[c] = v;
          }
        }
        if (Object.keys(set).length) plans.push({ fid: fidOf(r), uuid: textOf(r.unique_id_sinp), set, before, geometry: null, delete: false });
        await tick();
      }
      break;
    }
    case 'swap-coordinates':
    case 'reproject':
    case 'make-valid': {
      for (const r of rowsOf(db, input.fids)) {
        await tick();
        let g: SimpleGeometry | null;
        try {
          g = decodeBlob(r.geom);
        } catch {
          skipped.push({ fid: fidOf(r), reason: 'unreadable geometry' });
          continue;
        }
        if (!g || isEmptyGeometry(g)) continue;
        const a = anchorOf(g) as [number, number];
        if (fix.kind === 'swap-coordinates') {
          // Without a selection, only the rows the check finds swapped; with one, every selected row.
          if (!input.fids && !looksSwapped(a[0], a[1], inside)) continue;
          plans.push(geomPlan(r, mapPositions(g, (p) => [p[1] as number, p[0] as number, ...p.slice(2)])));
        } else if (fix.kind === 'reproject') {
          if (!input.fids && isLonLat(a[0], a[1])) continue;
          const out = toWgs84(g, fix.from);
          const b = anchorOf(out);
          if (!b || !Number.isFinite(b[0]) || !Number.isFinite(b[1]) || !isLonLat(b[0], b[1])) {
            skipped.push({ fid: fidOf(r), reason: `does not reproject from ${fix.from}` });
            continue;
          }
          plans.push(geomPlan(r, out));
        } else {
          if (invalidReason(g) === null) continue;
          plans.push(geomPlan(r, makeValid(g)));
        }
      }
      break;
    }
    case 'parse-dates': {
      const fields = fix.fields ?? ['date_min', 'date_max'];
      const today = todayIso();
      for (const r of rowsOf(db, input.fids)) {
        await tick();
        const set: Record<string, Raw> = {};
        const before: Record<string, Raw> = {};
        for (const c of fields) {
          const t = textOf(r[c] ?? null);
          if (t === null || parseIso(t)) continue;
          const d = parseDateWith(t, fix.pattern, today);
          if (d) {
            set[c] = formatIso(d);
            before[c] = r[c] ?? null;
          } else skipped.push({ fid: fidOf(r), reason: `${c} "${t}" does not read as ${fix.pattern}` });
        }
        // An empty end date takes the start date, as GeoNature's importer does.
        const start = (set.date_min as string | undefined) ?? textOf(r.date_min ?? null);
        if (fields.includes('date_max') && cellText(r.date_max) === null && start !== null && parseIso(start)) {
          set.date_max = start;
          before.date_max = r.date_max ?? null;
        }
        if (Object.keys(set).length) plans.push({ fid: fidOf(r), uuid: textOf(r.unique_id_sinp), set, before, geometry: null, delete: false });
      }
      break;
    }
    case 'fill-taxon-codes': {
      const { taxonomy } = resolveTaxonomy(db, input.taxonomy);
      if (!taxonomy) throw new AppError('INVALID_INPUT', 'Filling taxon codes needs a taxonomy: pull taxref into the workspace or give a taxonomy file', { key: 'errors.CLEAN_NO_TAXONOMY' });
      for (const r of rowsOf(db, input.fids)) {
        await tick();
        const cd = r.cd_nom;
        const known = typeof cd === 'bigint' && taxonomy.get(Number(cd)) !== undefined;
        if (known) continue;
        const name = textOf(r.nom_cite ?? null);
        const code = name ? codeForName(taxonomy, name) : null;
        if (code === null) {
          if (cellText(cd) === null || typeof cd !== 'bigint') skipped.push({ fid: fidOf(r), reason: name ? `no single taxon named "${name}"` : 'no cited name' });
          continue;
        }
        plans.push({ fid: fidOf(r), uuid: textOf(r.unique_id_sinp), set: { cd_nom: BigInt(code) }, before: { cd_nom: cd ?? null }, geometry: null, delete: false });
      }
      break;
    }
    case 'map-values': {
      if (!cols.has(fix.field) || fix.field === 'fid' || fix.field === 'geom') {
        throw new AppError('INVALID_INPUT', `observations has no mappable column ${fix.field}`, { key: 'errors.CLEAN_NO_FIELD', params: { field: fix.field } });
      }
      for (const r of rowsOf(db, input.fids)) {
        await tick();
        const t = textOf(r[fix.field] ?? null);
        if (t === null || !Object.prototype.hasOwnProperty.call(fix.values, t)) continue;
        const to = fix.values[t] ?? null;
        if (to === t) continue;
        plans.push({ fid: fidOf(r), uuid: textOf(r.unique_id_sinp), set: { [fix.field]: to }, before: { [fix.field]: r[fix.field] ?? null }, geometry: null, delete: false });
      }
      break;
    }
    case 'merge-duplicates': {
      const extras = hasCleanupTables(db) ? db.prepare(`SELECT extra_json FROM ${CT.rows} WHERE observation_fid = ?`).pluck() : null;
      const groups = new Map<string, { row: Record<string, Raw>; lon: number; lat: number; score: number }[]>();
      for (const r of rowsOf(db, input.fids)) {
        await tick();
        const values: Record<string, unknown> = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));
        const k = duplicateKey(values);
        let g: SimpleGeometry | null;
        try {
          g = decodeBlob(r.geom);
        } catch {
          g = null;
        }
        const a = g ? anchorOf(g) : null;
        if (k === null || !a) continue;
        const extra = extras?.get(fidOf(r)) as string | null | undefined;
        const list = groups.get(k) ?? [];
        list.push({ row: r, lon: a[0], lat: a[1], score: completeness(values) + (extra ? Object.keys(JSON.parse(extra) as object).length : 0) });
        groups.set(k, list);
      }
      for (const list of groups.values()) {
        if (list.length < 2) continue;
        const byId = new Map(list.map((x) => [fidOf(x.row), x]));
        const clusters = duplicateClusters(list.map((x) => ({ id: fidOf(x.row), lon: x.lon, lat: x.lat, score: x.score })), fix.toleranceM);
        for (const c of clusters) {
          const keep = byId.get(c.keep.id) as (typeof list)[number];
          const fill: Record<string, Raw> = {};
          const fillBefore: Record<string, Raw> = {};
          for (const d of c.duplicates) {
            const dup = byId.get(d.id) as (typeof list)[number];
            // The kept row takes what only the duplicate had.
            for (const [col, v] of Object.entries(dup.row)) {
              if (col === 'fid' || col === 'unique_id_sinp' || v === null || (typeof v === 'string' && v.trim() === '')) continue;
              const mine = keep.row[col];
              if ((mine === null || (typeof mine === 'string' && mine.trim() === '')) && !(col in fill)) {
                fill[col] = v;
                fillBefore[col] = mine ?? null;
              }
            }
            plans.push({ fid: d.id, uuid: textOf(dup.row.unique_id_sinp), set: {}, before: { ...dup.row }, geometry: null, delete: true });
          }
          if (Object.keys(fill).length) plans.push({ fid: c.keep.id, uuid: textOf(keep.row.unique_id_sinp), set: fill, before: fillBefore, geometry: null, delete: false });
        }
      }
      plans.sort((a, b) => a.fid - b.fid);
      break;
    }
    default: {
      const never: never = fix;
      throw new AppError('INVALID_INPUT', `Unknown fix ${JSON.stringify(never)}`);
    }
  }
  return plans;
}

function changesOf(plans: readonly RowPlan[]): FixChange[] {
  const out: FixChange[] = [];
  for (const p of plans) {
    if (p.delete) {
      out.push({ fid: p.fid, uuid: p.uuid, field: '*', before: p.uuid, after: null, deleted: true });
      continue;
    }
    for (const [c, v] of Object.entries(p.set)) out.push({ fid: p.fid, uuid: p.uuid, field: c, before: shown(c, p.before[c] ?? null), after: shown(c, v), deleted: false });
  }
  return out;
}

/**
 * Previews or applies a fix. Applying writes every change in one transaction with one audit entry
 * per row (before/after values that restore exactly), and records the fix for undo.
 */
export async function fixTask(input: FixTaskInput, ctx: JobContext): Promise<FixReport> {
  const ws = openWorkspace(input.workspace, { write: !input.dryRun });
  try {
    const db = ws.db;
    const skipped: FixReport['skipped'] = [];
    const plans = await plan(db, input, ctx, skipped);
    const changes = changesOf(plans);
    const byField = new Map<string, number>();
    for (const c of changes) byField.set(c.field, (byField.get(c.field) ?? 0) + 1);
    let fixId: number | null = null;
    if (!input.dryRun && plans.length) fixId = await apply(db, input, plans, changes.length, ctx);
    return {
      workspace: input.workspace,
      kind: input.fix.kind,
      dryRun: input.dryRun,
      fixId,
      rowsChanged: plans.filter((p) => !p.delete).length,
      rowsDeleted: plans.filter((p) => p.delete).length,
      valuesChanged: changes.length,
      byField: [...byField].map(([field, count]) => ({ field, count })).sort((a, b) => b.count - a.count),
      changes: changes.slice(input.offset, input.offset + input.limit),
      offset: input.offset,
      skipped: skipped.slice(0, 1000),
    };
  } finally {
    ws.close();
  }
}

async function apply(db: Db, input: FixTaskInput, plans: readonly RowPlan[], valuesChanged: number, ctx: JobContext): Promise<number> {
  const localSrid = readMeta(db).get('local_srid');
  const localSrs = localSrid && /^\d+$/.test(localSrid) ? `EPSG:${localSrid}` : null;
  const cols = new Set(observationColumns(db));
  const areas = AreaIndex.load(db);
  const corOf = db.prepare('SELECT id, area_fid FROM cor_area_observation WHERE observation_fid = ? ORDER BY id').safeIntegers(true);
  const delCor = db.prepare('DELETE FROM cor_area_observation WHERE observation_fid = ?');
  const addCor = db.prepare('INSERT OR IGNORE INTO cor_area_observation (observation_fid, area_fid) VALUES (?, ?)');
  const rowOf = hasCleanupTables(db) ? db.prepare(`SELECT * FROM ${CT.rows} WHERE observation_fid = ?`).safeIntegers(true) : null;
  db.exec('BEGIN IMMEDIATE');
  try {
    const fixId = Number(
      db
        .prepare(`INSERT INTO ${CT.fixes} (at, actor, kind, params_json, rows_changed, rows_deleted, values_changed) VALUES (?, ?, ?, ?, ?, ?, ?)`)
        .run(new Date().toISOString(), input.actor, input.fix.kind, JSON.stringify({ ...input.fix, ...(input.fids ? { fids: input.fids.length } : {}) }), plans.filter((p) => !p.delete).length, plans.filter((p) => p.delete).length, valuesChanged).lastInsertRowid,
    );
    const jobId = fixAuditId(fixId);
    let n = 0;
    for (const p of plans) {
      const before: Record<string, AuditValue | unknown> = {};
      const after: Record<string, AuditValue | unknown> = {};
      if (p.delete) {
        for (const [c, v] of Object.entries(p.before)) if (c !== 'fid') before[c] = toAudit(v, c === 'geom');
        before.__deleted = true;
        before.__cor = (corOf.all(p.fid) as Array<{ id: bigint; area_fid: bigint }>).map((x) => [x.id.toString(), x.area_fid.toString()]);
        const cr = rowOf?.get(p.fid) as Record<string, Raw> | undefined;
        if (cr) before.__row = Object.fromEntries(Object.entries(cr).map(([k, v]) => [k, toAudit(v)]));
        delCor.run(p.fid);
        if (rowOf) db.prepare(`DELETE FROM ${CT.rows} WHERE observation_fid = ?`).run(p.fid);
        db.prepare('DELETE FROM observations WHERE fid = ?').run(p.fid);
        after.__deleted = true;
      } else {
        const set: Record<string, Raw> = { ...p.set };
        if (p.geometry && cols.has('geom_local_wkb')) set.geom_local_wkb = localSrs ? encodeIsoWkb(fromWgs84(p.geometry, localSrs)) : null;
        const current = db.prepare(`SELECT ${Object.keys(set).map((c) => `"${c}"`).join(', ')} FROM observations WHERE fid = ?`).safeIntegers(true).get(p.fid) as Record<string, Raw>;
        for (const c of Object.keys(set)) {
          before[c] = toAudit(current[c] ?? null, c === 'geom');
          after[c] = toAudit(set[c] ?? null, c === 'geom');
        }
        db.prepare(`UPDATE observations SET ${Object.keys(set).map((c) => `"${c}" = ?`).join(', ')} WHERE fid = ?`).run(...Object.values(set).map((v) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v) : v)), p.fid);
        if (p.geometry) {
          before.__cor = (corOf.all(p.fid) as Array<{ id: bigint; area_fid: bigint }>).map((x) => [x.id.toString(), x.area_fid.toString()]);
          delCor.run(p.fid);
          const found = new Set<number>();
          const a = anchorOf(p.geometry);
          if (a) for (const x of areas.containing(a[0], a[1])) found.add(x.fid);
          for (const f of found) addCor.run(p.fid, f);
          after.__cor = (corOf.all(p.fid) as Array<{ id: bigint; area_fid: bigint }>).map((x) => [x.id.toString(), x.area_fid.toString()]);
        }
      }
      appendAudit(db, { actor: input.actor, action: `clean.fix.${input.fix.kind}`, entity: 'observation', entityId: p.uuid ?? String(p.fid), before: { fid: p.fid, ...before }, after: { fid: p.fid, ...after }, jobId });
      if (++n % 1000 === 0) {
        ctx.progress(n, plans.length, 'fix');
        await ctx.checkpoint();
      }
    }
    refreshContentsExtent(db, 'observations', 'geom');
    db.exec('COMMIT');
    return fixId;
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}

/** The imports and fixes of a workspace, last first. */
export function history(db: Db): CleanOperation[] {
  if (!hasCleanupTables(db)) return [];
  const imports = db.prepare(`SELECT id, at, file, rows_imported AS rows, undone_at FROM ${CT.imports}`).all() as Array<{ id: number; at: string; file: string; rows: number; undone_at: string | null }>;
  const fixes = db.prepare(`SELECT id, at, kind, rows_changed + rows_deleted AS rows, undone_at FROM ${CT.fixes}`).all() as Array<{ id: number; at: string; kind: string; rows: number; undone_at: string | null }>;
  const ops: CleanOperation[] = [
    ...imports.map((i) => ({ id: importAuditId(i.id), kind: 'import' as const, what: i.file, at: i.at, rows: i.rows, undone: i.undone_at !== null, undoneAt: i.undone_at })),
    ...fixes.map((f) => ({ id: fixAuditId(f.id), kind: 'fix' as const, what: f.kind, at: f.at, rows: f.rows, undone: f.undone_at !== null, undoneAt: f.undone_at })),
  ];
  return ops.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : b.id.localeCompare(a.id)));
}

/** Reverts the last import or fix not yet undone, in one transaction. */
export async function undoTask(input: { workspace: string; actor: string }, ctx: JobContext): Promise<UndoReport> {
  const ws = openWorkspace(input.workspace, { write: true });
  const db = ws.db;
  try {
    const last = history(db).find((o) => !o.undone);
    if (!last) return { workspace: input.workspace, undone: null, rowsRestored: 0, rowsRemoved: 0 };
    const id = Number(last.id.slice(last.id.indexOf(':') + 1));
    let rowsRestored = 0;
    let rowsRemoved = 0;
    const now = new Date().toISOString();
    db.exec('BEGIN IMMEDIATE');
    try {
      if (last.kind === 'fix') {
        const entries = db.prepare('SELECT before_json FROM passerelle_audit WHERE job_id = ? ORDER BY id DESC').pluck().all(last.id) as string[];
        const insCor = db.prepare('INSERT INTO cor_area_observation (id, observation_fid, area_fid) VALUES (?, ?, ?)');
        const delCor = db.prepare('DELETE FROM cor_area_observation WHERE observation_fid = ?');
        let n = 0;
        for (const json of entries) {
          const before = JSON.parse(json) as Record<string, unknown> & { fid: number };
          const { fid, __cor, __row, __deleted, ...values } = before as { fid: number; __cor?: [string, string][]; __row?: Record<string, AuditValue>; __deleted?: boolean } & Record<string, AuditValue>;
          const cols = Object.keys(values);
          if (__deleted) {
            const all = ['fid', ...cols];
            db.prepare(`INSERT INTO observations (${all.map((c) => `"${c}"`).join(', ')}) VALUES (${all.map(() => '?').join(', ')})`).run(
              ...all.map((c) => (c === 'fid' ? BigInt(fid) : fromAudit(values[c] as AuditValue))),
            );
            if (__row) {
              const rc = Object.keys(__row);
              db.prepare(`INSERT INTO ${CT.rows} (${rc.map((c) => `"${c}"`).join(', ')}) VALUES (${rc.map(() => '?').join(', ')})`).run(...rc.map((c) => fromAudit(__row[c] as AuditValue)));
            }
          } else if (cols.length) {
            db.prepare(`UPDATE observations SET ${cols.map((c) => `"${c}" = ?`).join(', ')} WHERE fid = ?`).run(...cols.map((c) => fromAudit(values[c] as AuditValue)), fid);
          }
          if (__cor) {
            delCor.run(fid);
            for (const [cid, area] of __cor) insCor.run(BigInt(cid), fid, BigInt(area));
          }
          rowsRestored++;
          if (++n % 1000 === 0) await ctx.checkpoint();
        }
        db.prepare(`UPDATE ${CT.fixes} SET undone_at = ? WHERE id = ?`).run(now, id);
      } else {
        const fids = db.prepare(`SELECT observation_fid FROM ${CT.rows} WHERE import_id = ?`).pluck().all(id) as number[];
        const delObs = db.prepare('DELETE FROM observations WHERE fid = ?');
        const delCor = db.prepare('DELETE FROM cor_area_observation WHERE observation_fid = ?');
        let n = 0;
        for (const fid of fids) {
          delCor.run(fid);
          delObs.run(fid);
          rowsRemoved++;
          if (++n % 1000 === 0) await ctx.checkpoint();
        }
        db.prepare(`DELETE FROM ${CT.rows} WHERE import_id = ?`).run(id);
        db.prepare(`DELETE FROM ${CT.rejected} WHERE import_id = ?`).run(id);
        db.prepare(`UPDATE ${CT.imports} SET undone_at = ? WHERE id = ?`).run(now, id);
      }
      refreshContentsExtent(db, 'observations', 'geom');
      appendAudit(db, { actor: input.actor, action: 'clean.undo', entity: last.kind, entityId: last.id, before: { operation: last }, after: { rowsRestored, rowsRemoved }, jobId: last.id });
      db.exec('COMMIT');
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw e;
    }
    return { workspace: input.workspace, undone: { ...last, undone: true, undoneAt: now }, rowsRestored, rowsRemoved };
  } finally {
    ws.close();
  }
}
