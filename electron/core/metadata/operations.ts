/**
 * The undo stack of metadata operations (table `metadata_operations`, format 3).
 *
 * An operation (an edit, a split, a merge…) records, in its own transaction, what it changes
 * before it changes it: every CA/JDD row it touches, whole and typed (a row it creates is
 * recorded as absent), the previous JDD of every observation it moves, the previous state of
 * journal entries it settles. Undo puts exactly those back, byte for byte (SQLite types
 * included), deletes the rows the operation created and marks its journal entries `discarded`,
 * so push no longer sends them. Undo works on the last operation not undone yet, and only when
 * nothing changed those rows since (a hash of their state after the operation is kept) and its
 * changes were not pushed: otherwise it would silently throw away later work.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { MetaEntity } from '../../../shared/domain/metadata.js';
import { AppError } from '../errors.js';
import { quoteId } from '../gpkg/identifiers.js';
import { META_TABLE, META_UUID } from '../geonature/ws-meta.js';
import { appendAudit, T } from '../workspace/format.js';
import { hasTable } from '../workspace/migrations.js';

type Db = Database.Database;

/** A SQLite value with its storage class, so that a restored row is the same to the byte. */
type Cell = ['n'] | ['i', string] | ['r', number] | ['t', string] | ['b', string];

function encodeRow(db: Db, table: string, where: string, param: unknown): Record<string, Cell> | null {
  const cols = (db.prepare(`PRAGMA table_info(${quoteId(table)})`).all() as Array<{ name: string }>).map((c) => c.name);
  const sql = `SELECT ${cols.map((c, i) => `${quoteId(c)} AS v${i}, typeof(${quoteId(c)}) AS t${i}`).join(', ')} FROM ${quoteId(table)} WHERE ${where}`;
  const r = db.prepare(sql).safeIntegers(true).get(param) as Record<string, unknown> | undefined;
  if (!r) return null;
  const out: Record<string, Cell> = {};
  cols.forEach((c, i) => {
    const v = r[`v${i}`];
    switch (r[`t${i}`]) {
      case 'null':
        out[c] = ['n'];
        break;
      case 'integer':
        out[c] = ['i', String(v as bigint)];
        break;
      case 'real':
        out[c] = ['r', v as number];
        break;
      case 'text':
        out[c] = ['t', v as string];
        break;
      default:
        out[c] = ['b', Buffer.from(v as Uint8Array).toString('base64')];
    }
  });
  return out;
}

function decodeCell(c: Cell): bigint | number | string | Buffer | null {
  switch (c[0]) {
    case 'n':
      return null;
    case 'i':
      return BigInt(c[1]);
    case 'r':
      return c[1];
    case 't':
      return c[1];
    case 'b':
      return Buffer.from(c[1], 'base64');
  }
}

/** A CA/JDD row as it was before the operation: null when the operation created it. */
interface RowBefore {
  readonly entity: MetaEntity;
  readonly uuid: string;
  readonly row: Record<string, Cell> | null;
}

/** What undo needs. */
interface UndoData {
  readonly rows: RowBefore[];
  /** Observation fid → its JDD before the operation, grouped by that JDD ("" for none). */
  readonly observations: Record<string, number[]>;
  /** Journal entries whose state the operation changed: id → state before. */
  readonly journalStates: Record<string, string>;
}

/** The summary of an operation, as history and undo report it. */
export interface OperationInfo {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly kind: string;
  readonly label: string;
  readonly state: 'applied' | 'undone';
  readonly summary: unknown;
}

/** Records one operation; create it first thing in the transaction, {@link finish} it last. */
export class Operation {
  private readonly rows = new Map<string, RowBefore>();
  private readonly observations = new Map<number, string | null>();
  private readonly journalStates = new Map<number, string>();
  private readonly journalStart: number;

  constructor(
    private readonly db: Db,
    private readonly actor: string,
    readonly kind: string,
  ) {
    if (!hasTable(db, T.operations)) throw new Error('metadata_operations missing: open the workspace for writing (migration) first');
    this.journalStart = (db.prepare(`SELECT coalesce(max(id), 0) AS m FROM ${T.journal}`).get() as { m: number }).m;
  }

  /** Remembers a CA/JDD row before its first change (absent = the operation creates it). */
  touch(entity: MetaEntity, uuid: string): void {
    const key = `${entity}\u0000${uuid}`;
    if (this.rows.has(key)) return;
    this.rows.set(key, { entity, uuid, row: encodeRow(this.db, META_TABLE[entity], `${META_UUID[entity]} = ?`, uuid) });
  }

  /** Remembers the JDD of observations (by fid) before they move; call before the UPDATE. */
  touchObservations(fids: readonly number[]): void {
    const get = this.db.prepare(`SELECT dataset_uuid AS ds FROM ${T.observations} WHERE fid = ?`);
    for (const fid of fids) {
      if (this.observations.has(fid)) continue;
      const r = get.get(fid) as { ds: string | null } | undefined;
      if (r) this.observations.set(fid, r.ds);
    }
  }

  /** The same, for observations already known with their JDD (faster for large moves). */
  touchObservationsKnown(entries: Iterable<readonly [number, string | null]>): void {
    for (const [fid, ds] of entries) if (!this.observations.has(fid)) this.observations.set(fid, ds);
  }

  /** Remembers the state of journal entries before the operation changes it. */
  touchJournal(ids: readonly number[]): void {
    const get = this.db.prepare(`SELECT state FROM ${T.journal} WHERE id = ?`);
    for (const id of ids) {
      if (this.journalStates.has(id)) continue;
      const r = get.get(id) as { state: string } | undefined;
      if (r) this.journalStates.set(id, r.state);
    }
  }

  /** Writes the operation (after its changes, in the same transaction) and its audit entry. */
  finish(label: string, summary: unknown, jobId: string | null = null): OperationInfo {
    const groups: Record<string, number[]> = {};
    for (const [fid, ds] of this.observations) (groups[ds ?? ''] ??= []).push(fid);
    const undo: UndoData = { rows: [...this.rows.values()], observations: groups, journalStates: Object.fromEntries([...this.journalStates].map(([k, v]) => [String(k), v])) };
    const journalIds = (this.db.prepare(`SELECT id FROM ${T.journal} WHERE id > ? ORDER BY id`).all(this.journalStart) as Array<{ id: number }>).map((r) => r.id);
    const at = new Date().toISOString();
    const r = this.db
      .prepare(`INSERT INTO ${T.operations} (at, actor, kind, label, summary_json, undo_json, after_hash, journal_ids_json, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'applied')`)
      .run(at, this.actor, this.kind, label, JSON.stringify(summary), JSON.stringify(undo), stateHash(this.db, undo), JSON.stringify(journalIds));
    const id = Number(r.lastInsertRowid);
    appendAudit(this.db, { actor: this.actor, action: `metadata.${this.kind}`, entity: T.operations, entityId: String(id), after: { label, summary }, jobId });
    return { id, at, actor: this.actor, kind: this.kind, label, state: 'applied', summary };
  }
}

/** A hash of the current state of everything an operation touched (rows, observations' JDD). */
function stateHash(db: Db, undo: UndoData): string {
  const h = createHash('sha256');
  for (const r of undo.rows) h.update(JSON.stringify([r.entity, r.uuid, encodeRow(db, META_TABLE[r.entity], `${META_UUID[r.entity]} = ?`, r.uuid)]));
  const fids = Object.values(undo.observations).flat().sort((a, b) => a - b);
  const get = db.prepare(`SELECT fid, dataset_uuid AS ds FROM ${T.observations} WHERE fid IN (SELECT value FROM json_each(?)) ORDER BY fid`);
  for (let i = 0; i < fids.length; i += 50_000) {
    for (const r of get.all(JSON.stringify(fids.slice(i, i + 50_000))) as Array<{ fid: number; ds: string | null }>) h.update(`${r.fid}:${r.ds ?? ''};`);
  }
  return h.digest('hex');
}

function infoOf(r: Record<string, unknown>): OperationInfo {
  return {
    id: r.id as number,
    at: r.at as string,
    actor: r.actor as string,
    kind: r.kind as string,
    label: r.label as string,
    state: r.state === 'undone' ? 'undone' : 'applied',
    summary: typeof r.summary_json === 'string' ? (JSON.parse(r.summary_json) as unknown) : null,
  };
}

/** The operations, newest first. */
export function listOperations(db: Db, limit = 100): OperationInfo[] {
  if (!hasTable(db, T.operations)) return [];
  return (db.prepare(`SELECT id, at, actor, kind, label, state, summary_json FROM ${T.operations} ORDER BY id DESC LIMIT ?`).all(limit) as Array<Record<string, unknown>>).map(infoOf);
}

/** Why the last operation cannot be undone, or null when it can (and which one it is). */
export function undoStatus(db: Db): { operation: OperationInfo | null; blocked: 'pushed' | 'changed' | null } {
  if (!hasTable(db, T.operations)) return { operation: null, blocked: null };
  const r = db.prepare(`SELECT * FROM ${T.operations} WHERE state = 'applied' ORDER BY id DESC LIMIT 1`).get() as Record<string, unknown> | undefined;
  if (!r) return { operation: null, blocked: null };
  const undo = JSON.parse(r.undo_json as string) as UndoData;
  const ids = JSON.parse((r.journal_ids_json as string | null) ?? '[]') as number[];
  const pushed = ids.length
    ? (db.prepare(`SELECT count(*) AS n FROM ${T.journal} WHERE id IN (SELECT value FROM json_each(?)) AND state = 'pushed'`).get(JSON.stringify(ids)) as { n: number }).n
    : 0;
  if (pushed) return { operation: infoOf(r), blocked: 'pushed' };
  if (stateHash(db, undo) !== r.after_hash) return { operation: infoOf(r), blocked: 'changed' };
  return { operation: infoOf(r), blocked: null };
}

/**
 * Undoes the last operation not undone yet, in the caller's transaction.
 *
 * @throws AppError NOT_FOUND when there is nothing to undo; CONFLICT when its changes were pushed
 *   or something changed the same rows since.
 */
export function undoLast(db: Db, actor: string): OperationInfo & { restored: { rows: number; observations: number; journal: number } } {
  const status = undoStatus(db);
  const op = status.operation;
  if (!op) throw new AppError('NOT_FOUND', 'Nothing to undo in this workspace', { key: 'errors.METADATA_NOTHING_TO_UNDO' });
  if (status.blocked === 'pushed') {
    throw new AppError('CONFLICT', `“${op.label}” was pushed to GeoNature: it can no longer be undone here (make the reverse change instead)`, {
      key: 'errors.METADATA_UNDO_PUSHED',
      params: { label: op.label },
    });
  }
  if (status.blocked === 'changed') {
    throw new AppError('CONFLICT', `What “${op.label}” changed was changed again since: undoing it would lose that work`, {
      key: 'errors.METADATA_UNDO_CHANGED',
      params: { label: op.label },
    });
  }
  const r = db.prepare(`SELECT undo_json, journal_ids_json FROM ${T.operations} WHERE id = ?`).get(op.id) as { undo_json: string; journal_ids_json: string | null };
  const undo = JSON.parse(r.undo_json) as UndoData;
  // Observations first: a JDD the operation created is deleted below, once nothing points to it.
  const move = db.prepare(`UPDATE ${T.observations} SET dataset_uuid = ? WHERE fid IN (SELECT value FROM json_each(?))`);
  let observations = 0;
  for (const [ds, fids] of Object.entries(undo.observations)) {
    for (let i = 0; i < fids.length; i += 50_000) observations += move.run(ds === '' ? null : ds, JSON.stringify(fids.slice(i, i + 50_000))).changes;
  }
  for (const b of undo.rows) {
    const table = META_TABLE[b.entity];
    const uuidCol = META_UUID[b.entity];
    if (b.row === null) {
      db.prepare(`DELETE FROM ${quoteId(table)} WHERE ${quoteId(uuidCol)} = ?`).run(b.uuid);
      continue;
    }
    const cols = Object.keys(b.row);
    const values = cols.map((c) => decodeCell((b.row as Record<string, Cell>)[c] as Cell));
    // Same primary key, same values: delete whatever has the UUID now, insert the row as it was.
    db.prepare(`DELETE FROM ${quoteId(table)} WHERE ${quoteId(uuidCol)} = ?`).run(b.uuid);
    db.prepare(`INSERT INTO ${quoteId(table)} (${cols.map(quoteId).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...values);
  }
  const ids = JSON.parse(r.journal_ids_json ?? '[]') as number[];
  const discard = db.prepare(`UPDATE ${T.journal} SET state = 'discarded' WHERE id = ? AND state = 'pending'`);
  let journal = 0;
  for (const id of ids) journal += discard.run(id).changes;
  const restoreState = db.prepare(`UPDATE ${T.journal} SET state = ? WHERE id = ?`);
  for (const [id, state] of Object.entries(undo.journalStates)) restoreState.run(state, Number(id));
  const undoneAt = new Date().toISOString();
  db.prepare(`UPDATE ${T.operations} SET state = 'undone', undone_at = ? WHERE id = ?`).run(undoneAt, op.id);
  const restored = { rows: undo.rows.length, observations, journal };
  appendAudit(db, { actor, action: 'metadata.undo', entity: T.operations, entityId: String(op.id), before: { label: op.label, kind: op.kind }, after: restored });
  return { ...op, state: 'undone', restored };
}
