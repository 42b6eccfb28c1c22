import type { BlurLevel } from './levels.js';

/**
 * Site and relevé propagation: a sensitive observation's blurring also applies to the
 * observations that would give its place away.
 *
 * An observation published precisely at the very point of a sensitive one (a chamois seen at
 * a golden eagle's aerie) publishes the aerie, whatever the blurring of the eagle itself. So
 * after each observation's own level is decided (rules, override, NIV_PRECIS, unmatched taxon:
 * its blurring level before the area is looked up), every observation
 *
 * - **at the same site** as a *source* — one of its vertices within {@link SITE_TOLERANCE_DEG}
 *   of a vertex of the source's geometry, in both longitude and latitude (WGS 84), whatever
 *   the dates and relevés — takes the source's level (`colocated`);
 * - **in the same relevé** as a source — the same non-empty `unique_id_sinp_grp` — takes it too
 *   (`same-releve`): SINP practice, a regroupement is as sensitive as its most sensitive
 *   occurrence;
 *
 * when that level is higher than its own. A *source* is an observation whose own blurring level
 * is 1 or more (before propagation: propagation is one step, never transitive). The source an
 * observation takes its level from is the one with the highest level, then by site before by
 * relevé, then the smallest UUID, then the smallest id; its UUID is kept for the workspace's
 * explanations and never published.
 *
 * "The same site" is a box, not a rounding: two positions coincide when they differ by at most
 * 1e-5° in longitude and in latitude (about 0.8 m east–west and 1.1 m north–south at 45° N),
 * so two GPS fixes 20 cm apart never fall on either side of a rounding boundary; 1.5 m apart is
 * another site. The comparison is exact IEEE arithmetic on the stored coordinates, the same in
 * PostGIS (pushdown.ts).
 */

/** How far a sensitive observation's blurring reaches (an option of a check). */
export const PROPAGATION_MODES = ['site+releve', 'releve', 'off'] as const;
/** One of {@link PROPAGATION_MODES}: same site and same relevé, same relevé only, or none. */
export type PropagationMode = (typeof PROPAGATION_MODES)[number];
/** What a check does unless told otherwise. */
export const DEFAULT_PROPAGATION: PropagationMode = 'site+releve';

/** Two positions are the same site when both their longitudes and their latitudes differ by at most this (degrees). */
export const SITE_TOLERANCE_DEG = 1e-5;
/**
 * Side of the hash cells sites are filed under: twice the tolerance, so that a position within
 * the tolerance of a site lies in the site's cell or one of its eight neighbours.
 */
export const SITE_CELL_DEG = 2e-5;

/** How an observation came to take another's level. */
export type PropagationVia = 'site' | 'releve';

/** A sensitive observation whose level others take. */
export interface PropagationSource {
  /** Its `unique_id_sinp` (null when it has none). Workspace-internal: never published. */
  readonly uuid: string | null;
  /** Its id in the store (`fid`, `obs_id`), the last tie-breaker. */
  readonly id: number;
  /** Its own blurring level (1 commune … 4 withheld). */
  readonly level: 1 | 2 | 3 | 4;
}

/** The source an observation takes its level from, and how. */
export interface Propagation {
  readonly source: PropagationSource;
  readonly via: PropagationVia;
}

/** True when `a` should be preferred to `b`: higher level, by site before by relevé, smaller UUID (none last), smaller id. */
export function preferredPropagation(a: Propagation, b: Propagation): boolean {
  if (a.source.level !== b.source.level) return a.source.level > b.source.level;
  if (a.via !== b.via) return a.via === 'site';
  const ua = a.source.uuid;
  const ub = b.source.uuid;
  if (ua !== ub) {
    if (ua === null) return false;
    if (ub === null) return true;
    return ua < ub;
  }
  return a.source.id < b.source.id;
}

/** The cell a coordinate is filed under (one axis). */
const cellOf = (v: number): number => Math.floor(v / SITE_CELL_DEG);
/**
 * The bucket of a cell in a table of 2^bits buckets (multiplicative hashing on 32-bit integers).
 * Different cells may share a bucket: a bucket only gathers candidates, the exact test decides.
 */
const bucketOf = (cx: number, cy: number, bits: number): number => Math.imul(Math.imul(cx | 0, 0x27d4eb2d) ^ (cy | 0), 0x9e3779b1) >>> (32 - bits);

/**
 * The sources of a check, filed for fast lookups: their vertices in a hash of cells (each vertex
 * filed in its cell and the eight around it, so a lookup reads one bucket), their relevés in a
 * map. Built from the few sensitive observations; looked up once per vertex of every observation,
 * without allocating (typed arrays, chained buckets).
 */
export class SensitiveSites {
  private readonly sources: PropagationSource[] = [];
  /** Site vertices, flat: x, y. */
  private xy = new Float64Array(64);
  /** Source index of each site vertex. */
  private owner = new Int32Array(32);
  private vertices = 0;
  /** The hash, built on the first lookup after an addition: bucket → first entry (-1: none). */
  private heads = new Int32Array(0);
  /** Entry → next entry of its bucket (-1: end), and the site vertex it holds. */
  private next = new Int32Array(0);
  private entryVertex = new Int32Array(0);
  private bits = 1;
  private built = 0;
  /** Relevé → the preferred source index of that relevé. */
  private readonly releves = new Map<string, number>();

  constructor(readonly mode: PropagationMode = DEFAULT_PROPAGATION) {}

  /** Number of sources. */
  get size(): number {
    return this.sources.length;
  }

  /** The sources, in the order they were filed. */
  list(): readonly PropagationSource[] {
    return this.sources;
  }

  /** True when nothing can propagate (mode `off`, or no source). */
  get empty(): boolean {
    return this.mode === 'off' || this.sources.length === 0;
  }

  /**
   * Files a source: its vertices (flat lon, lat; `count` pairs) and its relevé. Observations
   * with level 0 are not sources and are ignored; so is everything in mode `off`.
   */
  add(source: { uuid: string | null; id: number; level: number }, lonlat: ArrayLike<number>, count: number, releve: string | null): void {
    if (this.mode === 'off' || !(source.level >= 1 && source.level <= 4)) return;
    const index = this.sources.length;
    const s: PropagationSource = { uuid: source.uuid, id: source.id, level: source.level as PropagationSource['level'] };
    this.sources.push(s);
    if (releve !== null && releve !== '') {
      const prev = this.releves.get(releve);
      const cand: Propagation = { source: s, via: 'releve' };
      if (prev === undefined || preferredPropagation(cand, { source: this.sources[prev] as PropagationSource, via: 'releve' })) this.releves.set(releve, index);
    }
    if (this.mode !== 'site+releve') return;
    for (let k = 0; k < count; k++) {
      const x = lonlat[k * 2] as number;
      const y = lonlat[k * 2 + 1] as number;
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      const v = this.vertices++;
      if (v * 2 + 2 > this.xy.length) {
        const bigger = new Float64Array(this.xy.length * 2);
        bigger.set(this.xy);
        this.xy = bigger;
        const owners = new Int32Array(this.owner.length * 2);
        owners.set(this.owner);
        this.owner = owners;
      }
      this.xy[v * 2] = x;
      this.xy[v * 2 + 1] = y;
      this.owner[v] = index;
    }
  }

  /** Files every vertex in its cell and the eight around it (once, when lookups start). */
  private build(): void {
    const n = this.vertices;
    const entries = n * 9;
    let bits = 4;
    while (1 << bits < entries * 2 && bits < 30) bits++;
    this.bits = bits;
    this.heads = new Int32Array(1 << bits).fill(-1);
    this.next = new Int32Array(entries);
    this.entryVertex = new Int32Array(entries);
    let e = 0;
    for (let v = 0; v < n; v++) {
      const cx = cellOf(this.xy[v * 2] as number);
      const cy = cellOf(this.xy[v * 2 + 1] as number);
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          const b = bucketOf(cx + dx, cy + dy, bits);
          this.entryVertex[e] = v;
          this.next[e] = this.heads[b] as number;
          this.heads[b] = e++;
        }
      }
    }
    this.built = n;
  }

  /**
   * The preferred source reaching an observation with these vertices (flat lon, lat; `count`
   * pairs) and this relevé, or null. Allocates only when something matches.
   */
  find(lonlat: ArrayLike<number>, count: number, releve: string | null): Propagation | null {
    if (this.empty) return null;
    let best: Propagation | null = null;
    if (this.mode === 'site+releve' && this.vertices > 0) {
      if (this.built !== this.vertices) this.build();
      const heads = this.heads;
      const next = this.next;
      const entryVertex = this.entryVertex;
      const xy = this.xy;
      for (let k = 0; k < count; k++) {
        const x = lonlat[k * 2] as number;
        const y = lonlat[k * 2 + 1] as number;
        if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
        for (let e = heads[bucketOf(cellOf(x), cellOf(y), this.bits)] as number; e >= 0; e = next[e] as number) {
          const v = entryVertex[e] as number;
          if (Math.abs(x - (xy[v * 2] as number)) <= SITE_TOLERANCE_DEG && Math.abs(y - (xy[v * 2 + 1] as number)) <= SITE_TOLERANCE_DEG) {
            const cand: Propagation = { source: this.sources[this.owner[v] as number] as PropagationSource, via: 'site' };
            if (best === null || preferredPropagation(cand, best)) best = cand;
          }
        }
      }
    }
    if (releve !== null && releve !== '') {
      const i = this.releves.get(releve);
      if (i !== undefined) {
        const cand: Propagation = { source: this.sources[i] as PropagationSource, via: 'releve' };
        if (best === null || preferredPropagation(cand, best)) best = cand;
      }
    }
    return best;
  }

  /**
   * The propagation that raises an observation whose own blurring level is `ownLevel`: the
   * preferred source when its level is higher, else null.
   */
  raise(ownLevel: number, lonlat: ArrayLike<number>, count: number, releve: string | null): Propagation | null {
    if (this.empty || ownLevel >= 4) return null;
    const p = this.find(lonlat, count, releve);
    return p !== null && p.source.level > ownLevel ? p : null;
  }
}

/** The blur reason of a propagation. */
export function propagationReason(p: Propagation): 'colocated' | 'same-releve' {
  return p.via === 'site' ? 'colocated' : 'same-releve';
}

/** The level a propagation sets, as a blurring level. */
export function propagatedLevel(p: Propagation): BlurLevel {
  return p.source.level;
}
