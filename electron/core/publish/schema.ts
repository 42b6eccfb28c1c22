import type Database from 'better-sqlite3';
import { createAttributesTable } from '../gpkg/schema.js';

type Db = Database.Database;

/**
 * Where the bundles of a workspace were published (format 6, issue 9): the remote dataset or
 * record each bundle became at each portal (so the next version goes to the same one), the
 * portal's resource id of each file with the SHA-256 sent, and every publication (when, which
 * version, which calls, done or stopped midway). Written as a publication goes, one small
 * transaction at a time, so a publication stopped midway is known and the next run finishes it.
 *
 * Publishing does not append to `passerelle_audit` on purpose: the audit log's last entry is the
 * default moment (`asOf`) of a bundle, and sending a bundle somewhere must not make the next
 * rebuild of the same data a different bundle.
 */
export const PUB = {
  targets: 'publish_targets',
  resources: 'publish_resources',
  events: 'publish_events',
} as const;

const has = (db: Db, t: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t) !== undefined;

/** Creates the publishing tables a file lacks (new files and the 5 → 6 migration), in the caller's transaction. */
export function createPublishTables(db: Db): void {
  if (!has(db, PUB.targets)) {
    createAttributesTable(db, {
      table: PUB.targets,
      description: 'Datasets (udata) and records (GeoNetwork) the bundles of this workspace were published as',
      columns: [
        { name: 'target', type: 'TEXT', notNull: true },
        { name: 'profile', type: 'TEXT', notNull: true },
        { name: 'base_url', type: 'TEXT', notNull: true },
        { name: 'bundle_id', type: 'TEXT', notNull: true },
        { name: 'remote_id', type: 'TEXT', notNull: true },
        { name: 'remote_slug', type: 'TEXT' },
        { name: 'page_url', type: 'TEXT' },
        { name: 'visibility', type: 'TEXT', notNull: true },
        { name: 'created_at', type: 'DATETIME', notNull: true },
        { name: 'created_by', type: 'TEXT', notNull: true },
        { name: 'made_public_at', type: 'DATETIME' },
        { name: 'last_version', type: 'TEXT' },
        { name: 'last_published_at', type: 'DATETIME' },
        // A newer dataset was made for the same bundle at the same portal (newDataset): this one is no longer updated.
        { name: 'superseded_at', type: 'DATETIME' },
      ],
    });
    db.exec(`CREATE INDEX ${PUB.targets}_bundle ON ${PUB.targets}(target, base_url, bundle_id)`);
  }
  if (!has(db, PUB.resources)) {
    createAttributesTable(db, {
      table: PUB.resources,
      description: 'The portal resource of each published bundle file, with the SHA-256 of the bytes last sent',
      columns: [
        { name: 'target_id', type: 'INTEGER', notNull: true },
        { name: 'path', type: 'TEXT', notNull: true },
        { name: 'resource_id', type: 'TEXT', notNull: true },
        { name: 'url', type: 'TEXT' },
        { name: 'sha256', type: 'TEXT' },
        { name: 'bytes', type: 'INTEGER', notNull: true },
        { name: 'version', type: 'TEXT', notNull: true },
        { name: 'updated_at', type: 'DATETIME', notNull: true },
      ],
    });
    db.exec(`CREATE UNIQUE INDEX ${PUB.resources}_file ON ${PUB.resources}(target_id, path)`);
  }
  if (!has(db, PUB.events)) {
    createAttributesTable(db, {
      table: PUB.events,
      description: 'Every publication: when, who, which bundle version, the calls made (secrets masked), done or stopped midway',
      columns: [
        { name: 'target_id', type: 'INTEGER' },
        { name: 'target', type: 'TEXT', notNull: true },
        { name: 'profile', type: 'TEXT', notNull: true },
        { name: 'base_url', type: 'TEXT', notNull: true },
        { name: 'bundle_id', type: 'TEXT', notNull: true },
        { name: 'at', type: 'DATETIME', notNull: true },
        { name: 'actor', type: 'TEXT', notNull: true },
        // upload, make-public, record.
        { name: 'kind', type: 'TEXT', notNull: true },
        { name: 'bundle_path', type: 'TEXT', notNull: true },
        { name: 'bundle_version', type: 'TEXT', notNull: true },
        { name: 'as_of', type: 'TEXT', notNull: true },
        // done, partial, failed.
        { name: 'status', type: 'TEXT', notNull: true },
        { name: 'message', type: 'TEXT' },
        { name: 'calls_json', type: 'TEXT' },
        { name: 'resources_json', type: 'TEXT' },
        { name: 'finished_at', type: 'DATETIME' },
      ],
    });
    db.exec(`CREATE INDEX ${PUB.events}_target ON ${PUB.events}(target_id)`);
  }
}
