import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type GeoJSONVT from 'geojson-vt';
import { AppError } from '../errors.js';
import { openSqlite } from '../gpkg/open.js';

/** An opened file the map may draw. */
export interface Source {
  readonly id: string;
  readonly path: string;
  db: Database.Database | null;
  /** geojson-vt indexes of polygon layers, built once per layer. */
  readonly indexes: Map<string, GeoJSONVT>;
}

/**
 * Files the map draws, by opaque id.
 *
 * Tile URLs carry this id, never a path: a URL cannot name a file the user did not open.
 */
export class SourceRegistry {
  private readonly byId = new Map<string, Source>();

  register(path: string): Source {
    const id = createHash('sha256').update(path).digest('hex').slice(0, 16);
    let s = this.byId.get(id);
    if (!s) {
      s = { id, path, db: null, indexes: new Map() };
      this.byId.set(id, s);
    }
    return s;
  }

  get(id: string): Source {
    const s = this.byId.get(id);
    if (!s) throw new AppError('NOT_FOUND', `Unknown map source ${id}`, { key: 'errors.UNKNOWN_SOURCE', params: { id } });
    return s;
  }

  /** The source's read-only connection, opened on first use. */
  db(s: Source): Database.Database {
    s.db ??= openSqlite(s.path);
    return s.db;
  }

  closeAll(): void {
    for (const s of this.byId.values()) {
      s.db?.close();
      s.db = null;
      s.indexes.clear();
    }
  }
}
