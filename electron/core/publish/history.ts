import type Database from 'better-sqlite3';
import type { PublishCall } from '../../../shared/publish/plan.js';
import type { PublishTarget } from '../../../shared/publish/profiles.js';
import type { PublishedTarget } from '../../../shared/contract/schemas/publish.js';
import { openWorkspace } from '../workspace/open.js';
import { createPublishTables, PUB } from './schema.js';

type Db = Database.Database;

const has = (db: Db, t: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t) !== undefined;

/** A remote dataset or record, as the history knows it. */
export interface TargetRow {
  id: number;
  target: PublishTarget;
  profile: string;
  base_url: string;
  bundle_id: string;
  remote_id: string;
  remote_slug: string | null;
  page_url: string | null;
  visibility: 'private' | 'public';
  created_at: string;
  created_by: string;
  made_public_at: string | null;
  last_version: string | null;
  last_published_at: string | null;
  superseded_at: string | null;
}

export interface ResourceRow {
  target_id: number;
  path: string;
  resource_id: string;
  url: string | null;
  sha256: string | null;
  bytes: number;
  version: string;
  updated_at: string;
}

/** The dataset or record a bundle was last published as at a portal (null: never). */
export function findTarget(db: Db, target: PublishTarget, baseUrl: string, bundleId: string): { row: TargetRow; resources: ResourceRow[]; lastUpload: { status: string; version: string } | null } | null {
  if (!has(db, PUB.targets)) return null;
  const row = db
    .prepare(`SELECT * FROM ${PUB.targets} WHERE target = ? AND base_url = ? AND bundle_id = ? AND superseded_at IS NULL ORDER BY id DESC LIMIT 1`)
    .get(target, baseUrl, bundleId) as TargetRow | undefined;
  if (!row) return null;
  const resources = db.prepare(`SELECT * FROM ${PUB.resources} WHERE target_id = ? ORDER BY path`).all(row.id) as ResourceRow[];
  const last = db
    .prepare(`SELECT status, bundle_version AS version FROM ${PUB.events} WHERE target_id = ? AND kind IN ('upload', 'record') ORDER BY id DESC LIMIT 1`)
    .get(row.id) as { status: string; version: string } | undefined;
  return { row, resources, lastUpload: last ?? null };
}

/** Reads the history of a workspace without writing to it (a file without the tables has none). */
export function readHistory(path: string, bundleId: string | null): PublishedTarget[] {
  const ws = openWorkspace(path);
  try {
    const db = ws.db;
    if (!has(db, PUB.targets)) return [];
    const rows = (bundleId
      ? db.prepare(`SELECT * FROM ${PUB.targets} WHERE bundle_id = ? ORDER BY id`).all(bundleId)
      : db.prepare(`SELECT * FROM ${PUB.targets} ORDER BY id`).all()) as TargetRow[];
    return rows.map((r) => ({
      id: r.id,
      target: r.target,
      profile: r.profile,
      baseUrl: r.base_url,
      bundleId: r.bundle_id,
      remoteId: r.remote_id,
      slug: r.remote_slug,
      page: r.page_url,
      visibility: r.visibility,
      createdAt: r.created_at,
      madePublicAt: r.made_public_at,
      lastVersion: r.last_version,
      lastPublishedAt: r.last_published_at,
      supersededAt: r.superseded_at,
      resources: (db.prepare(`SELECT * FROM ${PUB.resources} WHERE target_id = ? ORDER BY path`).all(r.id) as ResourceRow[]).map((x) => ({
        path: x.path,
        resourceId: x.resource_id,
        url: x.url,
        sha256: x.sha256,
        bytes: x.bytes,
        version: x.version,
        updatedAt: x.updated_at,
      })),
      events: (
        db.prepare(`SELECT * FROM ${PUB.events} WHERE target_id = ? ORDER BY id`).all(r.id) as Array<{
          id: number;
          at: string;
          actor: string;
          kind: 'upload' | 'make-public' | 'record';
          bundle_path: string;
          bundle_version: string;
          as_of: string;
          status: 'done' | 'partial' | 'failed';
          message: string | null;
          calls_json: string | null;
          resources_json: string | null;
        }>
      ).map((e) => ({
        id: e.id,
        at: e.at,
        actor: e.actor,
        kind: e.kind,
        bundlePath: e.bundle_path,
        version: e.bundle_version,
        asOf: e.as_of,
        status: e.status,
        message: e.message,
        calls: e.calls_json ? (JSON.parse(e.calls_json) as unknown[]).length : 0,
        resources: e.resources_json ? (JSON.parse(e.resources_json) as Array<{ path: string; resourceId: string | null; action: string }>) : [],
      })),
    }));
  } finally {
    ws.close();
  }
}

/** The facts of one publication, for its history entry. */
export interface EventFacts {
  target: PublishTarget;
  profile: string;
  baseUrl: string;
  bundleId: string;
  bundlePath: string;
  version: string;
  asOf: string;
  actor: string;
  kind: 'upload' | 'make-public' | 'record';
}

/**
 * Writes the history of one publication as it goes, each step in its own short transaction on
 * the workspace (opened for writing, so an older file is migrated first).
 */
export class HistoryWriter {
  private eventId: number | null = null;
  private targetId: number | null = null;

  constructor(
    private readonly workspace: string,
    private readonly facts: EventFacts,
  ) {}

  private tx<T>(fn: (db: Db) => T): T {
    const ws = openWorkspace(this.workspace, { write: true });
    try {
      return ws.db.transaction(() => fn(ws.db)).immediate();
    } finally {
      ws.close();
    }
  }

  get publicationId(): number | null {
    return this.eventId;
  }

  /** The target the publication goes to (an existing one, or null until created). */
  begin(targetId: number | null): void {
    this.targetId = targetId;
    const f = this.facts;
    this.eventId = this.tx((db) => {
      createPublishTables(db);
      return Number(
        db
          .prepare(
            `INSERT INTO ${PUB.events} (target_id, target, profile, base_url, bundle_id, at, actor, kind, bundle_path, bundle_version, as_of, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'partial')`,
          )
          .run(targetId, f.target, f.profile, f.baseUrl, f.bundleId, new Date().toISOString(), f.actor, f.kind, f.bundlePath, f.version, f.asOf).lastInsertRowid,
      );
    });
  }

  /** A new dataset or record exists at the portal: remembered at once, so that a stop after it never makes a second one. */
  created(remote: { id: string; slug: string | null; page: string | null; visibility: 'private' | 'public' }, supersede: boolean): number {
    const f = this.facts;
    const id = this.tx((db) => {
      if (supersede) {
        db.prepare(`UPDATE ${PUB.targets} SET superseded_at = ? WHERE target = ? AND base_url = ? AND bundle_id = ? AND superseded_at IS NULL`).run(new Date().toISOString(), f.target, f.baseUrl, f.bundleId);
      }
      const tid = Number(
        db
          .prepare(
            `INSERT INTO ${PUB.targets} (target, profile, base_url, bundle_id, remote_id, remote_slug, page_url, visibility, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(f.target, f.profile, f.baseUrl, f.bundleId, remote.id, remote.slug, remote.page, remote.visibility, new Date().toISOString(), f.actor).lastInsertRowid,
      );
      if (this.eventId !== null) db.prepare(`UPDATE ${PUB.events} SET target_id = ? WHERE id = ?`).run(tid, this.eventId);
      return tid;
    });
    this.targetId = id;
    return id;
  }

  /** The portal's current facts of the target (slug, page, visibility read back). */
  updateTarget(remote: { slug?: string | null; page?: string | null; visibility?: 'private' | 'public'; madePublic?: boolean }): void {
    if (this.targetId === null) return;
    const id = this.targetId;
    this.tx((db) => {
      if (remote.slug !== undefined) db.prepare(`UPDATE ${PUB.targets} SET remote_slug = ? WHERE id = ?`).run(remote.slug, id);
      if (remote.page !== undefined) db.prepare(`UPDATE ${PUB.targets} SET page_url = ? WHERE id = ?`).run(remote.page, id);
      if (remote.visibility !== undefined) db.prepare(`UPDATE ${PUB.targets} SET visibility = ? WHERE id = ?`).run(remote.visibility, id);
      if (remote.madePublic) db.prepare(`UPDATE ${PUB.targets} SET made_public_at = coalesce(made_public_at, ?) WHERE id = ?`).run(new Date().toISOString(), id);
    });
  }

  /** A file is at the portal (uploaded or replaced, its metadata and checksum set). */
  resource(r: { path: string; resourceId: string; url: string | null; sha256: string | null; bytes: number }): void {
    if (this.targetId === null) return;
    const id = this.targetId;
    this.tx((db) => {
      db.prepare(
        `INSERT INTO ${PUB.resources} (target_id, path, resource_id, url, sha256, bytes, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(target_id, path) DO UPDATE SET resource_id = excluded.resource_id, url = excluded.url, sha256 = excluded.sha256, bytes = excluded.bytes, version = excluded.version, updated_at = excluded.updated_at`,
      ).run(id, r.path, r.resourceId, r.url, r.sha256, r.bytes, this.facts.version, new Date().toISOString());
    });
  }

  /** A resource was deleted at the portal. */
  removed(path: string): void {
    if (this.targetId === null) return;
    const id = this.targetId;
    this.tx((db) => db.prepare(`DELETE FROM ${PUB.resources} WHERE target_id = ? AND path = ?`).run(id, path));
  }

  /** The publication ended: done, or stopped (partial when something had changed at the portal, else failed). */
  finish(status: 'done' | 'partial' | 'failed', message: string | null, calls: readonly PublishCall[], resources: readonly { path: string; resourceId: string | null; action: string }[]): void {
    if (this.eventId === null) return;
    const eventId = this.eventId;
    const targetId = this.targetId;
    this.tx((db) => {
      db.prepare(`UPDATE ${PUB.events} SET target_id = coalesce(target_id, ?), status = ?, message = ?, calls_json = ?, resources_json = ?, finished_at = ? WHERE id = ?`).run(
        targetId,
        status,
        message,
        JSON.stringify(calls),
        JSON.stringify(resources),
        new Date().toISOString(),
        eventId,
      );
      if (status === 'done' && targetId !== null && this.facts.kind !== 'make-public') {
        db.prepare(`UPDATE ${PUB.targets} SET last_version = ?, last_published_at = ? WHERE id = ?`).run(this.facts.version, new Date().toISOString(), targetId);
      }
    });
  }
}
