import type Database from 'better-sqlite3';
import type { LonLatBox } from '../../../shared/cleanup/coords.js';
import { bboxOf, preparePolygonal, type SimpleGeometry } from '../../../shared/cleanup/geometry.js';
import { decodeBlob } from './geom.js';

type Db = Database.Database;

interface Area {
  /** Point test, prepared on first use. */
  contains?: (x: number, y: number) => boolean;
  readonly fid: number;
  readonly type: string;
  readonly code: string;
  readonly geometry: SimpleGeometry;
  readonly bbox: [number, number, number, number];
}

/**
 * The workspace's reference areas (communes, départements, grid cells) in memory: lookup by
 * code (geometry from a commune code) and by position (territory checks, cor_area_observation of
 * imported rows). A 0.1° grid of bboxes narrows each point test to a few polygons.
 */
export class AreaIndex {
  private readonly byKey = new Map<string, Area>();
  private readonly cells = new Map<string, Area[]>();
  readonly types = new Set<string>();
  /** The extent of the départements (or of all areas), null when there are none. */
  readonly extent: LonLatBox | null;

  constructor(areas: readonly Area[]) {
    let e: [number, number, number, number] | null = null;
    for (const a of areas) {
      this.byKey.set(`${a.type}:${a.code}`, a);
      this.types.add(a.type);
      for (let cx = Math.floor(a.bbox[0] * 10); cx <= Math.floor(a.bbox[2] * 10); cx++) {
        for (let cy = Math.floor(a.bbox[1] * 10); cy <= Math.floor(a.bbox[3] * 10); cy++) {
          const k = `${cx}:${cy}`;
          const list = this.cells.get(k) ?? [];
          list.push(a);
          this.cells.set(k, list);
        }
      }
      if (a.type === 'DEP' || !areas.some((x) => x.type === 'DEP')) {
        e = e ? [Math.min(e[0], a.bbox[0]), Math.min(e[1], a.bbox[1]), Math.max(e[2], a.bbox[2]), Math.max(e[3], a.bbox[3])] : [...a.bbox];
      }
    }
    this.extent = e;
  }

  /** Reads the `areas` table (empty when the workspace has none). */
  static load(db: Db): AreaIndex {
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'areas'").get();
    if (!exists) return new AreaIndex([]);
    const rows = db.prepare('SELECT fid, type_code, area_code, geom FROM areas').all() as Array<{ fid: number; type_code: string; area_code: string; geom: Uint8Array | null }>;
    const areas: Area[] = [];
    for (const r of rows) {
      const g = decodeBlob(r.geom);
      const b = g ? bboxOf(g) : null;
      if (g && b) areas.push({ fid: r.fid, type: r.type_code, code: r.area_code, geometry: g, bbox: b });
    }
    return new AreaIndex(areas);
  }

  /** An area by type and code (a commune's INSEE code, a département number, a grid code). */
  byCode(type: string, code: string): { fid: number; geometry: SimpleGeometry } | null {
    const a = this.byKey.get(`${type}:${code.trim()}`) ?? (type === 'DEP' ? this.byKey.get(`${type}:${code.trim().padStart(2, '0')}`) : undefined);
    return a ? { fid: a.fid, geometry: a.geometry } : null;
  }

  /** The areas containing a point (of one type, or all). */
  containing(lon: number, lat: number, type?: string): { fid: number; type: string; code: string }[] {
    const list = this.cells.get(`${Math.floor(lon * 10)}:${Math.floor(lat * 10)}`) ?? [];
    const out: { fid: number; type: string; code: string }[] = [];
    for (const a of list) {
      if (type && a.type !== type) continue;
      if (lon < a.bbox[0] || lon > a.bbox[2] || lat < a.bbox[1] || lat > a.bbox[3]) continue;
      if ((a.contains ??= preparePolygonal(a.geometry))(lon, lat)) out.push({ fid: a.fid, type: a.type, code: a.code });
    }
    return out;
  }

  /** True when the workspace has départements (the territory the checks test against). */
  get hasTerritory(): boolean {
    return this.types.has('DEP');
  }

  /** Inside one of the workspace's départements. */
  inTerritory = (lon: number, lat: number): boolean => this.containing(lon, lat, 'DEP').length > 0;

  /** The département a point falls in. */
  departementOf = (lon: number, lat: number): string | null => this.containing(lon, lat, 'DEP')[0]?.code ?? null;

  /** Codes of the workspace's départements. */
  departements(): string[] {
    return [...this.byKey.values()].filter((a) => a.type === 'DEP').map((a) => a.code).sort();
  }
}
