import type Database from 'better-sqlite3';
import type { ChangeRecord, Conflict } from '../../../shared/contract/index.js';
import { T } from '../workspace/format.js';
import { hasTable } from '../workspace/migrations.js';

type Db = Database.Database;

/** An observation whose JDD was changed here and not pushed yet. */
export interface PendingMove {
  readonly uuid: string;
  /** Its JDD on the server when it was pulled (the base push compares with). */
  readonly base: string | null;
  /** Its JDD in the workspace now. */
  readonly local: string | null;
}

/**
 * The observations reassigned here and not pushed: base from the first pending journal entry
 * that moved each one (its `before_json` maps UUID → JDD before the move), local from the
 * observations table. Moves that were undone (local = base) are left out.
 */
export function pendingReassignments(db: Db, schema = 'main'): Map<string, PendingMove> {
  const entries = db
    .prepare(`SELECT before_json AS b FROM ${schema}.${T.journal} WHERE kind = 'reassign' AND state = 'pending' ORDER BY id`)
    .all() as Array<{ b: string | null }>;
  const base = new Map<string, string | null>();
  for (const e of entries) {
    const before = JSON.parse(e.b ?? '{}') as Record<string, string | null>;
    for (const [uuid, ds] of Object.entries(before)) if (!base.has(uuid)) base.set(uuid, ds);
  }
  const get = db.prepare(`SELECT dataset_uuid AS ds FROM ${schema}.${T.observations} WHERE unique_id_sinp = ?`);
  const out = new Map<string, PendingMove>();
  for (const [uuid, b] of base) {
    const row = get.get(uuid) as { ds: string | null } | undefined;
    if (!row) continue;
    if ((row.ds ?? null) !== (b ?? null)) out.set(uuid, { uuid, base: b, local: row.ds });
  }
  return out;
}

const parse = (s: unknown): unknown => (typeof s === 'string' ? JSON.parse(s) : null);

/** Conflicts of re-pulls; only the unresolved ones unless `all`. */
export function listConflicts(db: Db, all = false): Conflict[] {
  if (!hasTable(db, T.conflicts)) return [];
  const rows = db
    .prepare(`SELECT * FROM ${T.conflicts} ${all ? '' : 'WHERE resolved IS NULL'} ORDER BY id`)
    .all() as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    id: r.id as number,
    entity: r.entity as Conflict['entity'],
    uuid: r.uuid as string,
    label: (r.label as string | null) ?? (r.uuid as string),
    field: r.field as string,
    base: parse(r.base_json),
    local: parse(r.local_json),
    server: parse(r.server_json),
    detectedAt: r.detected_at as string,
  }));
}

/** The change journal, newest first (pending only unless `all`). */
export function listJournal(db: Db, all: boolean): ChangeRecord[] {
  if (!hasTable(db, T.journal)) return [];
  const rows = db.prepare(`SELECT * FROM ${T.journal} ${all ? '' : "WHERE state = 'pending'"} ORDER BY id DESC`).all() as Array<Record<string, unknown>>;
  return rows.map(journalRecord);
}

/** A journal row as the contract carries it. */
export function journalRecord(r: Record<string, unknown>): ChangeRecord {
  return {
    id: r.id as number,
    at: r.at as string,
    actor: r.actor as string,
    kind: r.kind as ChangeRecord['kind'],
    entity: r.entity as ChangeRecord['entity'],
    uuid: r.uuid as string,
    field: (r.field as string | null) ?? null,
    before: parse(r.before_json),
    after: parse(r.after_json),
    state: r.state as ChangeRecord['state'],
  };
}
