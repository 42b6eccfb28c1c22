import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type GeoJSONVT from 'geojson-vt';
import { AppError } from '../errors.js';
import { openGpkgSource, type GpkgSource } from '../gpkg/source.js';

/** An opened file the map may draw. */
export interface Source {
  readonly id: string;
  readonly path: string;
  /** The read-only connection (through a private copy for WAL files), opened on first use. */
  file: GpkgSource | null;
  /** geojson-vt indexes of polygon layers, built once per layer. */
  readonly indexes: Map<string, GeoJSONVT>;
  /** Per-layer data the tile renderer caches (projector, layer description). */
  readonly layerCache: Map<string, unknown>;
}

/**
 * Files the map and the attribute table read, by opaque id.
 *
 * Tile URLs carry this id, never a path: a URL cannot name a file the user did not open.
 * Connections stay open between calls (paging a table or drawing tiles reopens nothing).
 */
export class SourceRegistry {
  private readonly byId = new Map<string, Source>();

  register(path: string): Source {
    const id = createHash('sha256').update(path).digest('hex').slice(0, 16);
    let s = this.byId.get(id);
    if (!s) {
      s = { id, path, file: null, indexes: new Map(), layerCache: new Map() };
      this.byId.set(id, s);
    }
    return s;
  }

  get(id: string): Source {
    const s = this.byId.get(id);
    if (!s) throw new AppError('NOT_FOUND', `Unknown map source ${id}`, { key: 'errors.UNKNOWN_SOURCE', params: { id } });
    return s;
  }

  /** The source opened read-only as a GeoPackage, on first use. */
  gpkg(s: Source): GpkgSource {
    s.file ??= openGpkgSource(s.path);
    return s.file;
  }

  /** The source's read-only connection, opened on first use. */
  db(s: Source): Database.Database {
    return this.gpkg(s).db;
  }

  /** Closes a source's connection and drops its caches (the file changed, or was reopened). */
  refresh(path: string): void {
    const s = this.register(path);
    s.file?.close();
    s.file = null;
    s.indexes.clear();
    s.layerCache.clear();
  }

  closeAll(): void {
    for (const s of this.byId.values()) {
      s.file?.close();
      s.file = null;
      s.indexes.clear();
      s.layerCache.clear();
    }
  }
}
