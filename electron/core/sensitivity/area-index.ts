import { hasCurves, linearize } from '../gpkg/geometry/linearize.js';
import type { Geometry, Position } from '../gpkg/geometry/model.js';

/** A reference area (commune, département, a park's zone…), polygons in EPSG:4326. */
export interface ReferenceArea {
  /** `bib_areas_types.type_code`: COM, DEP, M10, ZNIEFF1, a park's own type… */
  readonly type: string;
  readonly code: string;
  readonly name: string | null;
  /** Polygon or MultiPolygon (curves are linearised), longitude/latitude. */
  readonly geometry: Geometry;
}

/** Where a point is with respect to an area: outside it. */
export const OUTSIDE = 0;
/** Strictly inside. */
export const INSIDE = 1;
/** On an edge or a vertex (counts as inside, like ST_Intersects). */
export const ON_BOUNDARY = 2;

/**
 * A polygon prepared for many point-in-polygon tests: its edges bucketed into horizontal
 * bands, so a test reads only the edges whose y-range holds the point (a few, whatever
 * the polygon's size), then casts a ray (even–odd rule over all rings: holes and
 * multipolygon parts come out right for valid geometries).
 *
 * Boundary: a point exactly on an edge (zero cross product, within the edge's box) counts
 * as on the boundary, and the index treats the boundary as part of the area, as PostGIS's
 * ST_Intersects does. Exactness is that of doubles: a point computed to lie on an edge but
 * rounded off it may fall either side, where PostGIS's robust predicates could decide
 * otherwise; vertices and axis-parallel edges are exact.
 */
export class PreparedPolygon {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  /** x1, y1, x2, y2 per edge. */
  private readonly edges: Float64Array;
  private readonly bandStart: Int32Array;
  private readonly bandEdges: Int32Array;
  private readonly bandHeight: number;
  private readonly bands: number;
  /** Every vertex, for the uncertainty radius and reprojection of published areas. */
  readonly rings: readonly Float64Array[];

  constructor(geometry: Geometry) {
    const rings = polygonRings(hasCurves(geometry) ? linearize(geometry) : geometry);
    this.rings = rings;
    let n = 0;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const r of rings) {
      n += r.length / 2 - 1;
      for (let i = 0; i < r.length; i += 2) {
        const x = r[i] as number;
        const y = r[i + 1] as number;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
    this.minX = minX;
    this.minY = minY;
    this.maxX = maxX;
    this.maxY = maxY;
    const edges = new Float64Array(Math.max(0, n) * 4);
    let e = 0;
    for (const r of rings) {
      for (let i = 0; i + 3 < r.length; i += 2) {
        edges[e++] = r[i] as number;
        edges[e++] = r[i + 1] as number;
        edges[e++] = r[i + 2] as number;
        edges[e++] = r[i + 3] as number;
      }
    }
    this.edges = edges;
    const count = e / 4;
    this.bands = Math.max(1, Math.min(4096, Math.ceil(count / 4)));
    this.bandHeight = maxY > minY ? (maxY - minY) / this.bands : 1;
    const counts = new Int32Array(this.bands + 1);
    const bandOf = (y: number) => Math.min(this.bands - 1, Math.max(0, Math.floor((y - minY) / this.bandHeight)));
    for (let k = 0; k < count; k++) {
      const y1 = edges[k * 4 + 1] as number;
      const y2 = edges[k * 4 + 3] as number;
      const b1 = bandOf(Math.min(y1, y2));
      const b2 = bandOf(Math.max(y1, y2));
      for (let b = b1; b <= b2; b++) counts[b + 1] = (counts[b + 1] as number) + 1;
    }
    for (let b = 0; b < this.bands; b++) counts[b + 1] = (counts[b + 1] as number) + (counts[b] as number);
    this.bandStart = counts.slice();
    const fill = counts.slice();
    const bandEdges = new Int32Array(counts[this.bands] as number);
    for (let k = 0; k < count; k++) {
      const y1 = edges[k * 4 + 1] as number;
      const y2 = edges[k * 4 + 3] as number;
      const b1 = bandOf(Math.min(y1, y2));
      const b2 = bandOf(Math.max(y1, y2));
      for (let b = b1; b <= b2; b++) {
        const at = fill[b] as number;
        bandEdges[at] = k;
        fill[b] = at + 1;
      }
    }
    this.bandEdges = bandEdges;
  }

  /** OUTSIDE, INSIDE or ON_BOUNDARY. Allocation-free. */
  locate(x: number, y: number): number {
    if (x < this.minX || x > this.maxX || y < this.minY || y > this.maxY) return OUTSIDE;
    const b = Math.min(this.bands - 1, Math.max(0, Math.floor((y - this.minY) / this.bandHeight)));
    const edges = this.edges;
    let inside = false;
    const end = this.bandStart[b + 1] as number;
    for (let j = this.bandStart[b] as number; j < end; j++) {
      const k = (this.bandEdges[j] as number) * 4;
      const x1 = edges[k] as number;
      const y1 = edges[k + 1] as number;
      const x2 = edges[k + 2] as number;
      const y2 = edges[k + 3] as number;
      if ((y1 <= y && y <= y2) || (y2 <= y && y <= y1)) {
        if ((x2 - x1) * (y - y1) - (y2 - y1) * (x - x1) === 0 && (x1 <= x ? x <= x2 : x >= x2)) return ON_BOUNDARY;
        if (y1 > y !== y2 > y && x < x1 + ((y - y1) * (x2 - x1)) / (y2 - y1)) inside = !inside;
      }
    }
    return inside ? INSIDE : OUTSIDE;
  }
}

/** Rings of a (Multi)Polygon as flat [x0, y0, x1, y1, …] arrays, each closed. */
function polygonRings(g: Geometry): Float64Array[] {
  const out: Float64Array[] = [];
  const addRing = (ring: readonly Position[]) => {
    if (ring.length < 3) return;
    const first = ring[0] as Position;
    const last = ring[ring.length - 1] as Position;
    const closed = first[0] === last[0] && first[1] === last[1];
    const a = new Float64Array((ring.length + (closed ? 0 : 1)) * 2);
    ring.forEach((p, i) => {
      a[i * 2] = p[0] as number;
      a[i * 2 + 1] = p[1] as number;
    });
    if (!closed) {
      a[ring.length * 2] = first[0] as number;
      a[ring.length * 2 + 1] = first[1] as number;
    }
    out.push(a);
  };
  const walk = (x: Geometry) => {
    if (x.type === 'Polygon' || x.type === 'Triangle') x.coordinates.forEach(addRing);
    else if ('geometries' in x) x.geometries.forEach(walk);
    else throw new Error(`A reference area must be a polygon, not a ${x.type}`);
  };
  walk(g);
  return out;
}

/**
 * Reference areas indexed for point location: per area type, a uniform grid of candidate
 * lists over the areas' boxes, and each area prepared ({@link PreparedPolygon}).
 *
 * A point query reads one grid cell (a handful of candidates), checks their boxes, then
 * their bands: about a microsecond for the communes of a département.
 */
export class AreaIndex {
  readonly areas: readonly ReferenceArea[];
  private readonly prepared: PreparedPolygon[];
  private readonly byType = new Map<string, TypeGrid>();
  private readonly byKey = new Map<string, number>();

  constructor(areas: readonly ReferenceArea[]) {
    this.areas = areas;
    this.prepared = areas.map((a) => new PreparedPolygon(a.geometry));
    const groups = new Map<string, number[]>();
    areas.forEach((a, i) => {
      let g = groups.get(a.type);
      if (!g) groups.set(a.type, (g = []));
      g.push(i);
      this.byKey.set(`${a.type}:${a.code}`, i);
    });
    for (const [type, ids] of groups) this.byType.set(type, new TypeGrid(ids, this.prepared));
  }

  /** Area types present. */
  types(): string[] {
    return [...this.byType.keys()];
  }

  /** True when some area of this type is loaded. */
  hasType(type: string): boolean {
    return this.byType.has(type);
  }

  /** Keys (`TYPE:code`) of every loaded area. */
  keys(): Set<string> {
    return new Set(this.byKey.keys());
  }

  /** Index of an area by type and code, or -1. */
  find(type: string, code: string): number {
    return this.byKey.get(`${type}:${code}`) ?? -1;
  }

  /** The prepared polygon of area `i` (its box, rings). */
  polygon(i: number): PreparedPolygon {
    const p = this.prepared[i];
    if (!p) throw new Error(`AreaIndex: no area ${i}`);
    return p;
  }

  /**
   * Indices of the areas of `type` that contain the point or have it on their boundary,
   * written into `out`; returns how many. Allocation-free.
   */
  containing(type: string, x: number, y: number, out: Int32Array): number {
    const grid = this.byType.get(type);
    return grid ? grid.containing(x, y, this.prepared, out) : 0;
  }

  /**
   * The one area of `type` a point is published in: the one containing it, or on a shared
   * boundary the one with the smallest code (byte order, as PostgreSQL's `COLLATE "C"`), so
   * that every run and the PostGIS pushdown pick the same. -1 when none.
   */
  pick(type: string, x: number, y: number): number {
    const grid = this.byType.get(type);
    if (!grid) return -1;
    const n = grid.containing(x, y, this.prepared, this.scratch);
    let best = -1;
    for (let k = 0; k < n; k++) {
      const i = this.scratch[k] as number;
      if (best < 0 || (this.areas[i] as ReferenceArea).code < (this.areas[best] as ReferenceArea).code) best = i;
    }
    return best;
  }

  private readonly scratch = new Int32Array(64);
}

/** One area type's grid of candidate areas. */
class TypeGrid {
  private readonly minX: number;
  private readonly minY: number;
  private readonly cellW: number;
  private readonly cellH: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly start: Int32Array;
  private readonly items: Int32Array;

  constructor(ids: readonly number[], prepared: readonly PreparedPolygon[]) {
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const i of ids) {
      const p = prepared[i] as PreparedPolygon;
      minX = Math.min(minX, p.minX);
      minY = Math.min(minY, p.minY);
      maxX = Math.max(maxX, p.maxX);
      maxY = Math.max(maxY, p.maxY);
    }
    // About 4 cells per area along each axis of the whole extent: few candidates per cell.
    const side = Math.max(1, Math.min(1024, Math.ceil(Math.sqrt(ids.length) * 4)));
    this.nx = side;
    this.ny = side;
    this.minX = minX;
    this.minY = minY;
    this.cellW = maxX > minX ? (maxX - minX) / side : 1;
    this.cellH = maxY > minY ? (maxY - minY) / side : 1;
    const lists: number[][] = Array.from({ length: side * side }, () => []);
    for (const i of ids) {
      const p = prepared[i] as PreparedPolygon;
      const [cx1, cy1] = [this.cx(p.minX), this.cy(p.minY)];
      const [cx2, cy2] = [this.cx(p.maxX), this.cy(p.maxY)];
      for (let cy = cy1; cy <= cy2; cy++) for (let cx = cx1; cx <= cx2; cx++) (lists[cy * side + cx] as number[]).push(i);
    }
    this.start = new Int32Array(lists.length + 1);
    let total = 0;
    lists.forEach((l, k) => {
      this.start[k] = total;
      total += l.length;
    });
    this.start[lists.length] = total;
    this.items = new Int32Array(total);
    let at = 0;
    for (const l of lists) for (const i of l) this.items[at++] = i;
  }

  private cx(x: number): number {
    return Math.min(this.nx - 1, Math.max(0, Math.floor((x - this.minX) / this.cellW)));
  }

  private cy(y: number): number {
    return Math.min(this.ny - 1, Math.max(0, Math.floor((y - this.minY) / this.cellH)));
  }

  containing(x: number, y: number, prepared: readonly PreparedPolygon[], out: Int32Array): number {
    if (!(x >= this.minX && x <= this.minX + this.cellW * this.nx && y >= this.minY && y <= this.minY + this.cellH * this.ny)) return 0;
    const c = this.cy(y) * this.nx + this.cx(x);
    let n = 0;
    const end = this.start[c + 1] as number;
    for (let j = this.start[c] as number; j < end; j++) {
      const i = this.items[j] as number;
      if ((prepared[i] as PreparedPolygon).locate(x, y) !== OUTSIDE && n < out.length) out[n++] = i;
    }
    return n;
  }
}
