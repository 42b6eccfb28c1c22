import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { FieldMapping, FileIssue, ImportReport, MappedRow, ReadOptions, RejectedRow, RejectReason } from '../../../shared/contract/index.js';
import { anchorOf, bboxOf, eachPosition, type SimpleGeometry } from '../../../shared/cleanup/geometry.js';
import { rejectMessage, fileIssue } from '../../../shared/cleanup/messages.js';
import { todayIso } from '../../../shared/cleanup/dates.js';
import { SYNTHESE_CATALOG } from '../../../shared/cleanup/nomenclatures.js';
import { AppError } from '../errors.js';
import type { JobContext } from '../jobs/context.js';
import { refreshContentsExtent } from '../gpkg/schema.js';
import { createWorkspaceFile } from '../workspace/create.js';
import { appendAudit, readMeta } from '../workspace/format.js';
import { openWorkspace } from '../workspace/open.js';
import { AreaIndex } from './areas.js';
import { loadCatalog, observationColumns } from './context.js';
import { encodeBlob, encodeIsoWkb, fromWgs84 } from './geom.js';
import { compileMapping, previewRow, type MappingContext } from './mapping.js';
import { CT, importAuditId } from './schema.js';
import { openSource, type OpenedSource } from './source.js';

/** Input of the import task (the contract's, with the resolved workspace and the actor). */
export interface ImportTaskInput {
  workspace: string;
  path: string;
  read: ReadOptions;
  mapping: FieldMapping;
  create: boolean;
  title?: string | undefined;
  actor: string;
}

/** SHA-256 of a file (the import's provenance); null for a folder. */
async function sha256(path: string): Promise<string | null> {
  if (statSync(path).isDirectory()) return null;
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

function unknownColumn(path: string) {
  return (c: string): never => {
    throw new AppError('INVALID_INPUT', `${path} has no column "${c}"`, { key: 'errors.CSV_NO_COLUMN', params: { path, column: c }, where: path });
  };
}

/** The first rows of a file through a mapping (the wizard's live preview). No workspace is written. */
export async function previewMappingTask(input: { path: string; read: ReadOptions; mapping: FieldMapping; workspace?: string | undefined; rows: number }, ctx: JobContext): Promise<{ rows: MappedRow[] }> {
  const src = openSource(input.path, input.read);
  try {
    let areas = new AreaIndex([]);
    let catalog = SYNTHESE_CATALOG;
    if (input.workspace && existsSync(input.workspace)) {
      const ws = openWorkspace(input.workspace);
      try {
        areas = AreaIndex.load(ws.db);
        catalog = loadCatalog(ws.db);
      } finally {
        ws.close();
      }
    }
    const m = compileMapping(input.mapping, src.columns, { catalog, areas, today: todayIso() }, unknownColumn(input.path));
    const out: MappedRow[] = [];
    for await (const batch of src.records()) {
      for (const rec of batch) {
        out.push(previewRow(rec, m.map(rec), src.columns.length));
        if (out.length >= input.rows) return { rows: out };
      }
      await ctx.checkpoint();
    }
    return { rows: out };
  } finally {
    src.close();
  }
}

/** The areas a geometry intersects, approximated by its vertices and its anchor (exact for points). */
function intersectedAreas(areas: AreaIndex, g: SimpleGeometry): Set<number> {
  const out = new Set<number>();
  const a = anchorOf(g);
  if (a) for (const x of areas.containing(a[0], a[1])) out.add(x.fid);
  if (g.type !== 'Point') eachPosition(g, (p) => areas.containing(p[0] as number, p[1] as number).forEach((x) => out.add(x.fid)));
  return out;
}

/**
 * Imports a file into a workspace, in one transaction (a cancel or a failure leaves it as it was).
 * Every row becomes an observation or a rejected row with its reason: none is lost.
 */
export async function importTask(input: ImportTaskInput, ctx: JobContext): Promise<ImportReport> {
  const src: OpenedSource = openSource(input.path, input.read);
  try {
    if (!existsSync(input.workspace)) {
      if (!input.create) throw new AppError('NOT_FOUND', `No workspace at ${input.workspace}`, { key: 'errors.FILE_NOT_FOUND', params: { path: input.workspace }, where: input.workspace });
      await createWorkspaceFile(input.workspace, { title: input.title ?? basename(input.path), source: `Cleanup import of ${basename(input.path)}`, localSrid: null, actor: input.actor }, () => {}, {
        audit: { action: 'create', after: { title: input.title ?? basename(input.path), by: 'clean.import' } },
      });
    }
    const digest = await sha256(input.path);
    const ws = openWorkspace(input.workspace, { write: true });
    const db = ws.db;
    // A big import touches index pages all over: a 128 MB page cache instead of SQLite's 2 MB.
    db.pragma('cache_size = -131072');
    try {
      const areas = AreaIndex.load(db);
      const mctx: MappingContext = { catalog: loadCatalog(db), areas, today: todayIso() };
      const compiled = compileMapping(input.mapping, src.columns, mctx, unknownColumn(input.path));
      const localSrid = readMeta(db).get('local_srid');
      const localSrs = localSrid && /^\d+$/.test(localSrid) ? `EPSG:${localSrid}` : null;
      const cols = new Set(observationColumns(db));
      const obsCols = [...cols].filter((c) => c !== 'fid');
      const insertObs = db.prepare(`INSERT INTO observations (${obsCols.map((c) => `"${c}"`).join(', ')}) VALUES (${obsCols.map(() => '?').join(', ')})`);
      const at = (c: string) => obsCols.indexOf(c);
      const [uuidAt, geomAt, localAt, sourceAt, actionAt] = [at('unique_id_sinp'), at('geom'), at('geom_local_wkb'), at('source_name'), at('last_action')];
      const findUuid = db.prepare('SELECT fid FROM observations WHERE unique_id_sinp = ?').pluck();
      const insertRow = db.prepare(`INSERT INTO ${CT.rows} (observation_fid, import_id, source_line, extra_json) VALUES (?, ?, ?, ?)`);
      const insertRejected = db.prepare(`INSERT INTO ${CT.rejected} (import_id, source_line, reason, detail, raw_text, values_json) VALUES (?, ?, ?, ?, ?, ?)`);
      const insertCor = db.prepare('INSERT OR IGNORE INTO cor_area_observation (observation_fid, area_fid) VALUES (?, ?)');
      const sourceName = cols.has('source_name') ? `Passerelle import: ${basename(input.path)}` : null;

      db.exec('BEGIN IMMEDIATE');
      // The rtree triggers cost 7× the insert itself: set them aside for the import and fill the
      // index directly from the envelopes computed here (restored in the same transaction; a
      // rollback restores them too).
      const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'observations' AND name LIKE 'rtree_observations_geom_%'").all() as Array<{ name: string; sql: string }>;
      for (const t of triggers) db.exec(`DROP TRIGGER "${t.name}"`);
      const insertRtree = triggers.length ? db.prepare('INSERT OR REPLACE INTO rtree_observations_geom (id, minx, maxx, miny, maxy) VALUES (?, ?, ?, ?, ?)') : null;
      let rowsRead = 0;
      let imported = 0;
      let generatedUuids = 0;
      let filledDateMax = 0;
      const rejectedBy = new Map<RejectReason, number>();
      const firstRejected: RejectedRow[] = [];
      let unclosed = 0;
      try {
        const importId = Number(
          db
            .prepare(`INSERT INTO ${CT.imports} (at, actor, file, file_sha256, format, encoding, delimiter, layer, mapping_json, rows_read, rows_imported, rows_rejected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0)`)
            .run(new Date().toISOString(), input.actor, input.path, digest, src.format, src.encoding?.encoding ?? null, src.csv?.delimiter ?? null, src.layer, JSON.stringify(input.mapping)).lastInsertRowid,
        );
        const firstNewFid = ((db.prepare('SELECT max(fid) FROM observations').pluck().get() as number | null) ?? 0) + 1;
        const reject = (line: number, reason: RejectReason, detail: string | null, raw: string | null, cells: readonly (string | null)[]) => {
          rejectedBy.set(reason, (rejectedBy.get(reason) ?? 0) + 1);
          if (reason === 'unclosed-quote') unclosed++;
          const values = Object.fromEntries(src.columns.map((c, i) => [c, cells[i] ?? null]));
          const id = Number(insertRejected.run(importId, line, reason, detail, raw, JSON.stringify(values)).lastInsertRowid);
          if (firstRejected.length < 50) {
            firstRejected.push({ id, importId, line, reason, detail, raw, values, message: rejectMessage(reason, { detail, found: cells.length, expected: src.columns.length }) });
          }
        };
        const estimate = src.rows;
        for await (const batch of src.records()) {
          for (const rec of batch) {
            rowsRead++;
            const m = compiled.map(rec);
            if (m.reject) {
              reject(rec.line, m.reject.reason, m.reject.detail, rec.raw, rec.cells);
              continue;
            }
            const values = m.values;
            let uuid = typeof values.unique_id_sinp === 'string' ? values.unique_id_sinp : null;
            if (uuid === null) {
              uuid = randomUUID();
              generatedUuids++;
            } else {
              const existing = findUuid.get(uuid) as number | undefined;
              if (existing !== undefined) {
                reject(rec.line, existing >= firstNewFid ? 'duplicate-uuid' : 'existing-uuid', uuid, rec.raw, rec.cells);
                continue;
              }
            }
            if (m.filledDateMax) filledDateMax++;
            const g = m.geometry as SimpleGeometry;
            const params: unknown[] = obsCols.map((c) => values[c] ?? null);
            params[uuidAt] = uuid;
            params[geomAt] = encodeBlob(g);
            if (localAt >= 0) params[localAt] = localSrs ? encodeIsoWkb(fromWgs84(g, localSrs)) : null;
            if (sourceAt >= 0 && sourceName !== null) params[sourceAt] = values.source_name ?? sourceName;
            if (actionAt >= 0) params[actionAt] = values.last_action ?? 'I';
            const fid = Number(insertObs.run(params).lastInsertRowid);
            const box = bboxOf(g);
            if (insertRtree && box) insertRtree.run(fid, box[0], box[2], box[1], box[3]);
            insertRow.run(fid, importId, rec.line, Object.keys(m.extra).length ? JSON.stringify(m.extra) : null);
            for (const areaFid of intersectedAreas(areas, g)) insertCor.run(fid, areaFid);
            imported++;
          }
          ctx.progress(rowsRead, estimate, 'import');
          await ctx.checkpoint();
        }
        for (const t of triggers) db.exec(t.sql);
        const rejected = rowsRead - imported;
        db.prepare(`UPDATE ${CT.imports} SET rows_read = ?, rows_imported = ?, rows_rejected = ? WHERE id = ?`).run(rowsRead, imported, rejected, importId);
        refreshContentsExtent(db, 'observations', 'geom');
        appendAudit(db, {
          actor: input.actor,
          action: 'clean.import',
          entity: 'import',
          entityId: String(importId),
          after: { file: input.path, sha256: digest, format: src.format, encoding: src.encoding?.encoding ?? null, rowsRead, imported, rejected, mapping: input.mapping },
          jobId: importAuditId(importId),
        });
        db.exec('COMMIT');
        const issues: FileIssue[] = [...src.issues];
        if (rowsRead === 0) issues.push(fileIssue('no-data-rows', 'warning', {}));
        if (unclosed) issues.push(fileIssue('unclosed-quote', 'warning', { count: unclosed }));
        return {
          workspace: input.workspace,
          importId,
          file: input.path,
          format: src.format,
          encoding: src.encoding?.encoding ?? null,
          rowsRead,
          imported,
          rejected,
          rejectedByReason: [...rejectedBy].map(([reason, count]) => ({ reason, count })),
          generatedUuids,
          filledDateMax,
          firstRejected,
          issues,
          mappingSavedAs: null,
        };
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw e;
      }
    } finally {
      ws.close();
    }
  } finally {
    src.close();
  }
}
