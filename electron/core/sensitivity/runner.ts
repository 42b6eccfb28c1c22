import {
  BLUR_AREA_TYPE,
  CODE_UNKNOWN,
  DEFAULT_PROPAGATION,
  SensitiveSites,
  UNKNOWN_BEHAVIOUR,
  UNKNOWN_BIO_STATUS,
  behaviourCodeId,
  bioCodeId,
  decidingRule,
  diffusionBlurLevel,
  emptyWindow,
  evaluateObservation,
  isoYear,
  keysImpliedByDepartement,
  matchRule,
  propagationReason,
  readWindow,
  taxonEntry,
  type AreaRef,
  type BlurAreaType,
  type BlurReason,
  type CompiledReferential,
  type ObservationFacts,
  type OverrideSet,
  type Propagation,
  type PropagationMode,
  type SensitivityLevel,
  type SensitivityOutcome,
  type SensitivityOverride,
  type TaxonEntry,
  type TaxonResolution,
  type UnmatchedTaxonPolicy,
} from '../../../shared/sensitivity/index.js';
import { AppError } from '../errors.js';
import { forEachPosition, type Geometry } from '../gpkg/geometry/model.js';
import { decodeWkb } from '../gpkg/geometry/wkb.js';
import type { AreaIndex } from './area-index.js';
import type { BlurAreas, PublishedLocation } from './blur.js';

/**
 * One observation as the runner reads it: the workspace `observations` columns it needs.
 * A reader fills one object and reuses it for every row (no allocation per row).
 */
export interface ObservationRow {
  fid: number;
  uuid: string | null;
  cdNom: number | null;
  /** cd_ref of the observation's own TAXREF (workspace `taxref`), for taxa the referential's taxonomy does not know. */
  cdRefHint: number | null;
  dateMin: string | null;
  dateMax: string | null;
  bioStatus: string | null;
  behaviour: string | null;
  diffusionLevel: string | null;
  datasetUuid: string | null;
  /** The relevé (`unique_id_sinp_grp`): observations of one relevé share their sensitivity (propagation). */
  releve: string | null;
  /** GeoPackage geometry blob in EPSG:4326 (`observations.geom`). */
  geom: Uint8Array | null;
  /**
   * The first 29 bytes of `geom` as hexadecimal text (SQLite `hex(substr(geom, 1, 29))`), which a
   * reader may give instead of `geom` when it reads every row's position: a point without envelope
   * is decoded from it, anything else from `geom` (loaded with the details). A text costs a third
   * of a blob to read.
   */
  geomHead: string | null;
  /** ISO WKB in the workspace's local SRID (`geom_local_wkb`). */
  geomLocal: Uint8Array | null;
  /**
   * When set, fills every field but `fid`, `cdNom` and `diffusionLevel` on demand. A reader
   * then scans only those three columns for the million rows that need nothing else (a taxon
   * without rules, NIV_PRECIS 0/5): the checker calls it at most once per row, the first time
   * it needs dates, criteria, UUID or geometry. Null: the row is complete.
   */
  loadDetails: ((row: ObservationRow) => void) | null;
  /** Set by the checker once `loadDetails` ran for this row; the reader resets it per row. */
  detailsLoaded: boolean;
  /**
   * True when `geom` and `releve` are filled even though the details are not (a reader that
   * reads them with every row for propagation, {@link SensitivityChecker.needsPositions}).
   */
  positionsLoaded: boolean;
}

/** A fresh row to fill. */
export function emptyRow(): ObservationRow {
  return {
    fid: 0,
    uuid: null,
    cdNom: null,
    cdRefHint: null,
    dateMin: null,
    dateMax: null,
    bioStatus: null,
    behaviour: null,
    diffusionLevel: null,
    datasetUuid: null,
    releve: null,
    geom: null,
    geomHead: null,
    geomLocal: null,
    loadDetails: null,
    detailsLoaded: false,
    positionsLoaded: false,
  };
}

/** Makes sure a row's lazily read fields are there. */
function details(row: ObservationRow): void {
  if (row.loadDetails && !row.detailsLoaded) {
    row.loadDetails(row);
    row.detailsLoaded = true;
  }
}

/** Makes sure a row's geometry and relevé are there. */
function positions(row: ObservationRow): void {
  if (!row.positionsLoaded) details(row);
}

/** What the check decided for one row. The runner reuses one object: copy what you keep. */
export interface CheckResult {
  resolution: TaxonResolution;
  /** The valid taxon evaluated (cd_ref), or the cd_nom itself when unmatched; -1 without taxon. */
  taxonKey: number;
  /** Highest level among matching rules (0 when none). */
  computedLevel: SensitivityLevel;
  /** SENSIBILITE after override; -1 when undetermined (unmatched taxon, no override). */
  sensitivityLevel: number;
  /** Blurring applied: 0 precise … 4 withheld (area not found included). */
  blurLevel: number;
  /** Blurring the decision asked for (differs from blurLevel when the area was not found). */
  requestedLevel: number;
  reason: BlurReason;
  /**
   * The sensitive observation at the same site or in the same relevé whose level this one took
   * (reason `colocated` or `same-releve`, or `area-not-found` when its area was then not found);
   * null when none raised it. Its UUID is for the workspace's explanations, never published.
   */
  propagation: Propagation | null;
  /** Index (in `referential.rules`) of the deciding rule, -1 when none. */
  rule: number;
  /** Precaution flags of the deciding rule (PRECAUTION). */
  precautions: number;
  override: SensitivityOverride | null;
  areaType: BlurAreaType | null;
  /** Codes of the published areas, sorted, comma-separated; null when precise or withheld. */
  areaCodes: string | null;
}

/** What a check needs: the compiled referential, the areas to blur to, the day, overrides and the unmatched-taxon policy. */
export interface CheckerOptions {
  readonly referential: CompiledReferential;
  readonly blurAreas: BlurAreas;
  /** Day of the check (ISO date). */
  readonly asOf: string;
  readonly overrides?: OverrideSet;
  readonly unmatchedTaxon?: UnmatchedTaxonPolicy;
  /** SRID of `geomLocal`; when it is not the territory's, projected coordinates are computed from `geom`. */
  readonly localSrid?: number | null;
  /**
   * Whether a sensitive observation's blurring reaches the observations at its site and in its
   * relevé (`site+releve`, the default), in its relevé only, or none (`off`). It needs a first
   * pass over every observation ({@link checkRows} makes it; or {@link SensitivityChecker.collectSources}
   * and {@link SensitivityChecker.useSites}): until then {@link SensitivityChecker.check} propagates nothing.
   */
  readonly propagation?: PropagationMode;
}

const scratchF64 = new Float64Array(1);
const scratchBytes = new Uint8Array(scratchF64.buffer);
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function f64(b: Uint8Array, off: number, le: boolean): number {
  if (le === LITTLE_ENDIAN_HOST) for (let i = 0; i < 8; i++) scratchBytes[i] = b[off + i] as number;
  else for (let i = 0; i < 8; i++) scratchBytes[i] = b[off + 7 - i] as number;
  return scratchF64[0] as number;
}

function u32(b: Uint8Array, off: number, le: boolean): number {
  return le
    ? ((b[off] as number) | ((b[off + 1] as number) << 8) | ((b[off + 2] as number) << 16) | ((b[off + 3] as number) << 24)) >>> 0
    : (((b[off] as number) << 24) | ((b[off + 1] as number) << 16) | ((b[off + 2] as number) << 8) | (b[off + 3] as number)) >>> 0;
}

/** Growable flat [x, y, …] vertex buffer. */
class Vertices {
  xy = new Float64Array(64);
  count = 0;
  reset(): void {
    this.count = 0;
  }
  push(x: number, y: number): void {
    if ((this.count + 1) * 2 > this.xy.length) {
      const bigger = new Float64Array(this.xy.length * 2);
      bigger.set(this.xy);
      this.xy = bigger;
    }
    this.xy[this.count * 2] = x;
    this.xy[this.count * 2 + 1] = y;
    this.count++;
  }
  pushGeometry(g: Geometry): void {
    forEachPosition(g, (p) => this.push(p[0] as number, p[1] as number));
  }
}

/**
 * Reads the vertices of WKB at `off`: points without decoding (the common case), anything
 * else through the codec. Returns false for bytes that are not WKB.
 */
function readWkbVertices(b: Uint8Array, off: number, out: Vertices): boolean {
  if (b.length < off + 5) return false;
  const le = b[off] === 1;
  const type = u32(b, off + 1, le);
  const base = (type & 0x0fffffff) % 1000;
  if (base === 1 && (type & 0x20000000) === 0) {
    if (b.length < off + 21) return false;
    const x = f64(b, off + 5, le);
    const y = f64(b, off + 13, le);
    if (!Number.isNaN(x) && !Number.isNaN(y)) out.push(x, y);
    return true;
  }
  out.pushGeometry(decodeWkb(b, off).geometry);
  return true;
}

const hexDigit = (c: number): number => (c > 96 ? c - 87 : c > 64 ? c - 55 : c - 48);
const hexByte = (h: string, i: number): number => (hexDigit(h.charCodeAt(i * 2)) << 4) | hexDigit(h.charCodeAt(i * 2 + 1));

function hexF64(h: string, byte: number, le: boolean): number {
  if (le === LITTLE_ENDIAN_HOST) for (let i = 0; i < 8; i++) scratchBytes[i] = hexByte(h, byte + i);
  else for (let i = 0; i < 8; i++) scratchBytes[i] = hexByte(h, byte + 7 - i);
  return scratchF64[0] as number;
}

/**
 * The vertex of a GeoPackage point given as the hex of its first 29 bytes ({@link ObservationRow.geomHead}).
 * False when it is not a plain point without envelope (the caller then reads the blob).
 */
function readHexPoint(h: string, out: Vertices): boolean {
  if (h.length < 58 || hexByte(h, 0) !== 0x47 || hexByte(h, 1) !== 0x50) return false;
  const flags = hexByte(h, 3);
  if ((flags & 0x20) !== 0 || ((flags >> 1) & 0x07) !== 0) return false;
  if ((flags & 0x10) !== 0) return true;
  const le = hexByte(h, 8) === 1;
  const type = le
    ? (hexByte(h, 9) | (hexByte(h, 10) << 8) | (hexByte(h, 11) << 16) | (hexByte(h, 12) << 24)) >>> 0
    : ((hexByte(h, 9) << 24) | (hexByte(h, 10) << 16) | (hexByte(h, 11) << 8) | hexByte(h, 12)) >>> 0;
  if ((type & 0x0fffffff) % 1000 !== 1 || (type & 0x20000000) !== 0) return false;
  const x = hexF64(h, 13, le);
  const y = hexF64(h, 21, le);
  if (!Number.isNaN(x) && !Number.isNaN(y)) out.push(x, y);
  return true;
}

/** Vertices of a GeoPackage blob (header skipped); false for a blob that is not one. */
function readGpkgVertices(b: Uint8Array, out: Vertices): boolean {
  if (b.length < 8 || b[0] !== 0x47 || b[1] !== 0x50) return false;
  const flags = b[3] as number;
  if ((flags & 0x20) !== 0) return false;
  if ((flags & 0x10) !== 0) return true;
  const kind = (flags >> 1) & 0x07;
  const envelope = kind === 0 ? 0 : kind === 1 ? 32 : kind === 4 ? 64 : 48;
  return readWkbVertices(b, 8 + envelope, out);
}

/** Counts per level, and what needs a look (unmatched taxa, areas not found, precautions). */
export interface CheckSummary {
  total: number;
  /** By SENSIBILITE after override, index 0–4; undetermined (unmatched) counted apart. */
  bySensitivity: number[];
  /** By applied blurring, 0 precise … 4 withheld. */
  byBlur: number[];
  unmatchedTaxa: number;
  noTaxon: number;
  areaNotFound: number;
  /** Rows whose deciding rule matched only by precaution on some criterion. */
  byPrecaution: number;
  overridden: number;
  byDiffusion: number;
  /** Rows whose blurring a sensitive observation at the same site or in the same relevé raised. */
  propagated: number;
}

/** A zero summary. */
export function emptySummary(): CheckSummary {
  return { total: 0, bySensitivity: [0, 0, 0, 0, 0], byBlur: [0, 0, 0, 0, 0], unmatchedTaxa: 0, noTaxon: 0, areaNotFound: 0, byPrecaution: 0, overridden: 0, byDiffusion: 0, propagated: 0 };
}

/** Adds one result to a summary. */
export function addToSummary(s: CheckSummary, r: CheckResult): void {
  s.total++;
  if (r.sensitivityLevel >= 0) s.bySensitivity[r.sensitivityLevel] = (s.bySensitivity[r.sensitivityLevel] ?? 0) + 1;
  s.byBlur[r.blurLevel] = (s.byBlur[r.blurLevel] ?? 0) + 1;
  if (r.resolution === 'unmatched') s.unmatchedTaxa++;
  if (r.resolution === 'no-taxon') s.noTaxon++;
  if (r.reason === 'area-not-found') s.areaNotFound++;
  if (r.precautions !== 0) s.byPrecaution++;
  if (r.override) s.overridden++;
  if (r.reason === 'diffusion') s.byDiffusion++;
  if (r.propagation) s.propagated++;
}

/**
 * The in-process sensitivity check: evaluates and blurs one observation row at a time, as
 * fast as the data can be read (a million rows in seconds, no allocation for the common
 * cases), with the same decisions as the pure {@link evaluateObservation} (a test checks
 * every row of the demo and random data).
 *
 * Geometry is only read when needed: to place the observation for rules restricted to areas
 * (and filter overrides on areas), and to find the commune, cell or département it is
 * published in. Points are read straight from the bytes; other geometries go through the
 * codec and are placed by their vertices (an observation is in an area when one of its
 * vertices is; it is published in the union of the areas of its vertices, and withheld when
 * some vertex is in none).
 */
export class SensitivityChecker {
  readonly result: CheckResult = {
    resolution: 'no-taxon',
    taxonKey: -1,
    computedLevel: 0,
    sensitivityLevel: -1,
    blurLevel: 0,
    requestedLevel: 0,
    reason: 'none',
    propagation: null,
    rule: -1,
    precautions: 0,
    override: null,
    areaType: null,
    areaCodes: null,
  };
  private readonly ref: CompiledReferential;
  private readonly areas: AreaIndex;
  private readonly asOfYear: number;
  private readonly policy: UnmatchedTaxonPolicy;
  private readonly projectLocal: boolean;
  private readonly facts: ObservationFacts;
  private readonly lonlat = new Vertices();
  private readonly local = new Vertices();
  private lonlatRead = false;
  private localRead = false;
  private readonly scratch = new Int32Array(64);
  private readonly areaKeyIds = new Map<number, Int32Array>();
  private readonly typeBits: { type: string; bits: number }[];
  /** The rules of the taxon of the last {@link check}, for {@link lastMatches}. */
  private lastEntry: TaxonEntry | undefined;
  /** The check's sources (first pass), or null before it ran. */
  private sites: SensitiveSites | null = null;
  /** Propagation mode. */
  readonly propagation: PropagationMode;

  constructor(readonly options: CheckerOptions) {
    this.ref = options.referential;
    this.areas = options.blurAreas.areas;
    this.asOfYear = isoYear(options.asOf);
    if (this.asOfYear < 0) {
      throw new AppError('INVALID_INPUT', `The date of the sensitivity check "${options.asOf}" is not an ISO date`, {
        key: 'errors.INVALID_INPUT',
        params: { issues: `asOf: ${options.asOf}` },
      });
    }
    this.policy = options.unmatchedTaxon ?? 'withhold';
    this.propagation = options.propagation ?? DEFAULT_PROPAGATION;
    this.projectLocal = options.localSrid !== options.blurAreas.territory.epsg;
    this.facts = { window: emptyWindow(), bio: CODE_UNKNOWN, behaviour: CODE_UNKNOWN, areaKeys: new Int32Array(16), areaCount: 0, locatedTypes: 0, placed: false };
    const bit = (t: string) => {
      const id = this.ref.typeIds.get(t);
      return id === undefined ? 0 : 1 << id;
    };
    this.typeBits = this.ref.areaTypesNeeded.map((type) => ({ type, bits: type === 'DEP' ? bit('DEP') | bit('REG') | bit('TER') : bit(type) }));
  }

  private lonlatOf(row: ObservationRow): Vertices {
    if (!this.lonlatRead) {
      this.lonlatRead = true;
      positions(row);
      this.lonlat.reset();
      if (row.geom === null && row.geomHead !== null && !readHexPoint(row.geomHead, this.lonlat)) {
        // Not a plain point: its blob, with the details.
        this.lonlat.reset();
        details(row);
      }
      if (row.geom) readGpkgVertices(row.geom, this.lonlat);
    }
    return this.lonlat;
  }

  private localOf(row: ObservationRow): Vertices {
    if (!this.localRead) {
      this.localRead = true;
      details(row);
      this.local.reset();
      if (!this.projectLocal && row.geomLocal) readWkbVertices(row.geomLocal, 0, this.local);
      else {
        const ll = this.lonlatOf(row);
        const p = this.options.blurAreas.projector;
        for (let k = 0; k < ll.count; k++) {
          const [x, y] = p.forward(ll.xy[k * 2] as number, ll.xy[k * 2 + 1] as number);
          this.local.push(x, y);
        }
      }
    }
    return this.local;
  }

  /** Key ids (referential's `keyIds`) an area implies: its own key, and a département's regions and TER. */
  private keysOfArea(i: number): Int32Array {
    let ids = this.areaKeyIds.get(i);
    if (!ids) {
      const a = this.areas.areas[i];
      const keys = a ? [`${a.type}:${a.code}`, ...(a.type === 'DEP' ? keysImpliedByDepartement(a.code) : [])] : [];
      ids = Int32Array.from(keys.map((k) => this.ref.keyIds.get(k)).filter((k): k is number => k !== undefined));
      this.areaKeyIds.set(i, ids);
    }
    return ids;
  }

  private addKey(id: number): void {
    const f = this.facts;
    for (let k = 0; k < f.areaCount; k++) if (f.areaKeys[k] === id) return;
    if (f.areaCount === f.areaKeys.length) {
      const bigger = new Int32Array(f.areaKeys.length * 2);
      bigger.set(f.areaKeys);
      f.areaKeys = bigger;
    }
    f.areaKeys[f.areaCount++] = id;
  }

  /** Places the observation in the area types the referential's territories need. */
  private locate(row: ObservationRow): void {
    const f = this.facts;
    const ll = this.lonlatOf(row);
    f.placed = ll.count > 0;
    for (const { type, bits } of this.typeBits) {
      let all = ll.count > 0;
      for (let v = 0; v < ll.count; v++) {
        const n = this.areas.containing(type, ll.xy[v * 2] as number, ll.xy[v * 2 + 1] as number, this.scratch);
        if (n === 0) all = false;
        for (let k = 0; k < n; k++) {
          const ids = this.keysOfArea(this.scratch[k] as number);
          for (let j = 0; j < ids.length; j++) this.addKey(ids[j] as number);
        }
      }
      if (all) f.locatedTypes |= bits;
    }
  }

  /** Keys of every loaded area the observation lies in (for filter overrides on areas; allocates). */
  private allAreaKeys(row: ObservationRow): Set<string> {
    const keys = new Set<string>();
    const ll = this.lonlatOf(row);
    for (const type of this.areas.types()) {
      for (let v = 0; v < ll.count; v++) {
        const n = this.areas.containing(type, ll.xy[v * 2] as number, ll.xy[v * 2 + 1] as number, this.scratch);
        for (let k = 0; k < n; k++) {
          const a = this.areas.areas[this.scratch[k] as number];
          if (!a) continue;
          keys.add(`${a.type}:${a.code}`);
          if (a.type === 'DEP') for (const x of keysImpliedByDepartement(a.code)) keys.add(x);
        }
      }
    }
    return keys;
  }

  /** Codes of the published areas of a level (1–3), sorted and joined; null when some vertex has none. */
  private blurCodes(row: ObservationRow, level: 1 | 2 | 3): string | null {
    const type = BLUR_AREA_TYPE[level];
    if (type === 'M10') {
      const loc = this.localOf(row);
      if (loc.count === 0) return null;
      const bl = this.options.blurAreas;
      if (loc.count === 1) return bl.cellCode(loc.xy[0] as number, loc.xy[1] as number);
      const codes = new Set<string>();
      for (let v = 0; v < loc.count; v++) codes.add(bl.cellCode(loc.xy[v * 2] as number, loc.xy[v * 2 + 1] as number));
      return [...codes].sort().join(',');
    }
    const ll = this.lonlatOf(row);
    if (ll.count === 0) return null;
    if (ll.count === 1) {
      const i = this.areas.pick(type, ll.xy[0] as number, ll.xy[1] as number);
      return i < 0 ? null : (this.areas.areas[i]?.code ?? null);
    }
    const codes = new Set<string>();
    for (let v = 0; v < ll.count; v++) {
      const i = this.areas.pick(type, ll.xy[v * 2] as number, ll.xy[v * 2 + 1] as number);
      if (i < 0) return null;
      codes.add(this.areas.areas[i]?.code ?? '');
    }
    return [...codes].sort().join(',');
  }

  /**
   * Whether {@link check} will read more than `cd_nom` and NIV_PRECIS of a row: its taxon has
   * rules or is unknown to the referential's taxonomy, its NIV_PRECIS asks for blurring, or
   * overrides exist. Readers use it to fetch those rows' details in bulk.
   */
  needsDetails = (cdNom: number | null, diffusionLevel: string | null): boolean => {
    if ((this.options.overrides?.size ?? 0) > 0) return true;
    if (diffusionBlurLevel(diffusionLevel) > 0) return true;
    if (cdNom === null || !Number.isSafeInteger(cdNom)) return false;
    const key = this.ref.taxonomy.cdRefOf(cdNom);
    return key === undefined || taxonEntry(this.ref, key) !== undefined;
  };

  /**
   * False only when a row's own blurring level is certainly 0, so that it cannot be a source of
   * propagation: no override exists, its NIV_PRECIS asks for nothing, and its `cd_nom` is a taxon
   * the referential's taxonomy knows and no rule reaches. Readers use it to skip those rows in
   * the first pass (they are still checked, and may be raised, in the second).
   */
  mayBeSource = (cdNom: unknown, diffusionLevel: string | null): boolean => {
    if ((this.options.overrides?.size ?? 0) > 0) return true;
    if (diffusionBlurLevel(diffusionLevel) > 0) return true;
    if (typeof cdNom !== 'number' || !Number.isSafeInteger(cdNom)) return true;
    const key = this.ref.taxonomy.cdRefOf(cdNom);
    return key === undefined || taxonEntry(this.ref, key) !== undefined;
  };

  /**
   * True when {@link check} reads every row's geometry and relevé (sources are set and may reach
   * any row): a reader then reads them with the cheap columns (`positionsLoaded`) rather than
   * row by row.
   */
  get needsPositions(): boolean {
    return this.sites !== null && !this.sites.empty;
  }

  /** An empty set of sources for this check's propagation mode. */
  newSites(): SensitiveSites {
    return new SensitiveSites(this.propagation);
  }

  /**
   * The first pass for one row: decides its own level (rules, override, NIV_PRECIS, unmatched
   * taxon) and, when it blurs it, files it as a source with its vertices and relevé. Reads the
   * details of those rows only.
   */
  collect(row: ObservationRow, sites: SensitiveSites): void {
    if (this.propagation === 'off') return;
    const level = this.decide(row);
    if (level < 1) return;
    details(row);
    if (this.propagation === 'site+releve') {
      const ll = this.lonlatOf(row);
      sites.add({ uuid: row.uuid, id: row.fid, level }, ll.xy, ll.count, row.releve);
    } else sites.add({ uuid: row.uuid, id: row.fid, level }, this.lonlat.xy, 0, row.releve);
  }

  /** The first pass over rows (any iterable; one pass): the sources {@link useSites} takes. */
  collectSources(rows: Iterable<ObservationRow>): SensitiveSites {
    const sites = this.newSites();
    if (this.propagation !== 'off') for (const row of rows) this.collect(row, sites);
    return sites;
  }

  /** The sources {@link check} and {@link explain} propagate from (null: none). */
  useSites(sites: SensitiveSites | null): void {
    if (sites !== null && sites.mode !== this.propagation) {
      throw new AppError('INTERNAL', `Sources collected for propagation "${sites.mode}" given to a check with "${this.propagation}"`);
    }
    this.sites = sites;
  }

  /** The sources in use (null before the first pass). */
  get sources(): SensitiveSites | null {
    return this.sites;
  }

  /**
   * Evaluates and blurs one row. Returns `this.result`, overwritten by the next call.
   *
   * The same decisions as `evaluateObservation` + {@link BlurAreas.publish}, written out
   * flat so that the million-row loop allocates nothing for a precise observation. Once the
   * sources are set ({@link useSites}), a sensitive observation at the row's site or in its
   * relevé raises its blurring (one hash lookup per vertex).
   */
  check(row: ObservationRow): CheckResult {
    const r = this.result;
    let level = this.decide(row);
    let reason = r.reason;
    r.propagation = null;
    const sites = this.sites;
    if (sites !== null && level < 4 && !sites.empty) {
      positions(row);
      const ll = this.propagation === 'site+releve' ? this.lonlatOf(row) : null;
      const p = sites.raise(level, ll ? ll.xy : this.lonlat.xy, ll ? ll.count : 0, row.releve);
      if (p !== null) {
        level = p.source.level;
        reason = propagationReason(p);
        r.propagation = p;
      }
    }
    r.requestedLevel = level;
    r.areaType = null;
    r.areaCodes = null;
    if (level >= 1 && level <= 3) {
      const codes = this.blurCodes(row, level as 1 | 2 | 3);
      if (codes === null) {
        level = 4;
        reason = 'area-not-found';
      } else {
        r.areaType = BLUR_AREA_TYPE[level as 1 | 2 | 3];
        r.areaCodes = codes;
      }
    }
    r.blurLevel = level;
    r.reason = reason;
    return r;
  }

  /**
   * The row's own blurring level before its area is looked up (and before propagation): taxon,
   * rules, override, NIV_PRECIS, unmatched taxon. Fills `result` but the blurring and areas;
   * `result.reason` is the decision's reason.
   */
  private decide(row: ObservationRow): number {
    const ref = this.ref;
    const r = this.result;
    const f = this.facts;
    this.lonlatRead = false;
    this.localRead = false;

    // Taxon (resolveTaxon, inlined).
    let key = -1;
    let how: TaxonResolution = 'no-taxon';
    const cdNom = row.cdNom;
    if (cdNom !== null && Number.isSafeInteger(cdNom)) {
      const direct = ref.taxonomy.cdRefOf(cdNom);
      if (direct !== undefined) {
        key = direct;
        how = 'cd_nom';
      } else {
        details(row);
        const viaHint = row.cdRefHint === null ? undefined : ref.taxonomy.cdRefOf(row.cdRefHint);
        if (viaHint !== undefined) {
          key = viaHint;
          how = 'cd_ref';
        } else {
          key = cdNom;
          how = 'unmatched';
        }
      }
    }
    r.resolution = how;
    r.taxonKey = key;

    // Rules.
    const entry = key >= 0 ? taxonEntry(ref, key) : undefined;
    this.lastEntry = entry;
    let rule = -1;
    let precautions = 0;
    if (entry) {
      details(row);
      readWindow(row.dateMin, row.dateMax, f.window);
      f.bio = bioCodeId(ref, row.bioStatus, UNKNOWN_BIO_STATUS);
      f.behaviour = behaviourCodeId(ref, row.behaviour, UNKNOWN_BEHAVIOUR);
      f.areaCount = 0;
      f.locatedTypes = 0;
      f.placed = false;
      if (entry.needsAreas) this.locate(row);
      rule = decidingRule(ref, entry, f, this.asOfYear);
      if (rule >= 0) precautions = matchRule(ref, rule, f, this.asOfYear);
    }
    r.rule = rule;
    r.precautions = precautions;
    const computed = (rule >= 0 ? (ref.level[rule] as number) : 0) as SensitivityLevel;
    r.computedLevel = computed;

    // Override.
    let override: SensitivityOverride | null = null;
    const ov = this.options.overrides;
    if (ov && ov.size > 0) {
      details(row);
      const resolvedKey = how === 'cd_nom' || how === 'cd_ref' ? key : null;
      override = ov.find({
        uuid: row.uuid,
        cdNom: row.cdNom,
        cdRef: resolvedKey,
        datasetUuid: row.datasetUuid,
        dateMin: row.dateMin,
        areaKeys: ov.needsAreas ? this.allAreaKeys(row) : null,
      });
    }
    r.override = override;
    const resolved = how === 'cd_nom' || how === 'cd_ref';
    const sensitivity = override ? override.level : resolved ? computed : -1;
    r.sensitivityLevel = sensitivity;

    // Blurring (decideBlur, inlined).
    let level: number;
    let reason: BlurReason;
    if (sensitivity < 0 && this.policy === 'withhold') {
      level = 4;
      reason = 'unmatched-taxon';
    } else {
      const s = sensitivity < 0 ? computed : sensitivity;
      const d = diffusionBlurLevel(row.diffusionLevel);
      if (d > s) {
        level = d;
        reason = 'diffusion';
      } else {
        level = s;
        reason = override ? 'override' : s === 0 ? 'none' : 'sensitivity';
      }
    }
    r.reason = reason;
    return level;
  }

  /**
   * Every rule that matched in the last {@link check} (indexes in `referential.rules`), best
   * first: the deciding rule, then the others the explanation lists. Empty when none matched.
   * Allocates; call it for the rows that have rules.
   */
  lastMatches(): number[] {
    const entry = this.lastEntry;
    if (!entry || this.result.rule < 0) return [];
    const out: number[] = [];
    for (let k = 0; k < entry.rules.length; k++) {
      const i = entry.rules[k] as number;
      if (matchRule(this.ref, i, this.facts, this.asOfYear) >= 0) out.push(i);
    }
    return out;
  }

  /**
   * The full story of one row, for "explain" and the report: every matching rule with the
   * criteria taken on precaution, the override, and the published location with its
   * Darwin Core terms. Slower than {@link check} (it allocates); call it for the rows a user
   * looks at.
   */
  explain(row: ObservationRow, lang: 'en' | 'fr' = 'en'): { outcome: SensitivityOutcome; published: PublishedLocation; areas: AreaRef[] } {
    this.lonlatRead = false;
    this.localRead = false;
    details(row);
    const ll = this.lonlatOf(row);
    const areas: AreaRef[] = [];
    const located: string[] = [];
    for (const type of this.areas.types()) {
      let all = ll.count > 0;
      const seen = new Set<string>();
      for (let v = 0; v < ll.count; v++) {
        const n = this.areas.containing(type, ll.xy[v * 2] as number, ll.xy[v * 2 + 1] as number, this.scratch);
        if (n === 0) all = false;
        for (let k = 0; k < n; k++) {
          const a = this.areas.areas[this.scratch[k] as number];
          if (a && !seen.has(a.code)) {
            seen.add(a.code);
            areas.push({ type: a.type, code: a.code });
          }
        }
      }
      if (all) located.push(type);
    }
    const outcome = evaluateObservation(
      this.ref,
      {
        uuid: row.uuid,
        cdNom: row.cdNom,
        cdRefHint: row.cdRefHint,
        dateMin: row.dateMin,
        dateMax: row.dateMax,
        bioStatus: row.bioStatus,
        behaviour: row.behaviour,
        diffusionLevel: row.diffusionLevel,
        datasetUuid: row.datasetUuid,
        areas: ll.count > 0 ? areas : null,
        locatedTypes: located,
        releve: row.releve,
        vertices: Array.from(ll.xy.subarray(0, ll.count * 2)),
      },
      { asOf: this.options.asOf, unmatchedTaxon: this.policy, sites: this.sites, ...(this.options.overrides ? { overrides: this.options.overrides } : {}) },
    );
    const lvl = outcome.blur.level;
    const codes = lvl >= 1 && lvl <= 3 ? this.blurCodes(row, lvl as 1 | 2 | 3) : null;
    const deciding = outcome.matches[0];
    const published = this.options.blurAreas.publish(outcome.blur, codes ? codes.split(',') : [], {
      sensitivityLevel: outcome.sensitivityLevel,
      diffusionLevel: outcome.diffusionLevel,
      source: outcome.override ? null : (deciding?.source ?? null),
      cdNom: row.cdNom,
      lang,
    });
    return { outcome, published, areas };
  }

  /** The published location of the last {@link check} (builds geometries; for the rows you publish or show). */
  publishLast(row: ObservationRow, lang: 'en' | 'fr' = 'en'): PublishedLocation {
    const r = this.result;
    const deciding = r.rule >= 0 ? this.ref.rules[r.rule] : undefined;
    const codes = r.areaCodes ? r.areaCodes.split(',') : [];
    const decision = r.reason === 'area-not-found' ? { level: r.requestedLevel as 0 | 1 | 2 | 3 | 4, reason: r.reason } : { level: r.blurLevel as 0 | 1 | 2 | 3 | 4, reason: r.reason };
    return this.options.blurAreas.publish(decision, r.reason === 'area-not-found' ? [] : codes, {
      sensitivityLevel: r.sensitivityLevel < 0 ? null : r.sensitivityLevel,
      diffusionLevel: row.diffusionLevel,
      source: r.override ? null : (deciding?.source ?? null),
      cdNom: row.cdNom,
      lang,
      ...(r.propagation ? { requestedReason: propagationReason(r.propagation) } : {}),
    });
  }
}

/** Which pass a reader is opened for, and what that pass reads of every row. */
export interface RowPass {
  /** `sources`: the first pass (each row's own level, the sensitive ones' sites); `check`: the results. */
  readonly pass: 'sources' | 'check';
  /** Every row's geometry and relevé are read (propagation may reach any row): read them with the page. */
  readonly positions: boolean;
}

/**
 * The rows of a check: a function that opens them for each pass, or a collection that can be
 * iterated twice (an array). A generator is read once only: give a function that makes one.
 */
export type CheckRowSource = ((pass: RowPass) => Iterable<ObservationRow>) | Iterable<ObservationRow>;

function open(rows: CheckRowSource, pass: RowPass): Iterable<ObservationRow> {
  if (typeof rows === 'function') return rows(pass);
  if (pass.pass === 'sources' && (rows as Iterable<ObservationRow> & { next?: unknown }).next !== undefined) {
    throw new AppError('INTERNAL', 'checkRows with propagation reads the rows twice: give an array or a function that opens them, not a generator');
  }
  return rows;
}

/**
 * Runs the check over rows, calling `onResult` for each (with the reused result and row),
 * and returns the counts. With propagation on (the checker's option), a first pass decides
 * every row's own level and files the sensitive ones' sites and relevés; the second checks and
 * blurs each row, raised by a sensitive observation at its site or in its relevé.
 * `checkpoint` is called every `every` rows of each pass (a job's progress and cancellation:
 * `ctx.checkpoint()` may throw CANCELLED).
 */
export async function checkRows(
  rows: CheckRowSource,
  checker: SensitivityChecker,
  onResult: (r: CheckResult, row: ObservationRow) => void,
  checkpoint?: (done: number, pass: RowPass['pass']) => Promise<void> | void,
  every = 50_000,
): Promise<CheckSummary> {
  if (checker.propagation !== 'off') {
    const sites = checker.newSites();
    let n = 0;
    for (const row of open(rows, { pass: 'sources', positions: false })) {
      checker.collect(row, sites);
      if (checkpoint && ++n % every === 0) await checkpoint(n, 'sources');
    }
    checker.useSites(sites);
  } else checker.useSites(null);
  const summary = emptySummary();
  for (const row of open(rows, { pass: 'check', positions: checker.needsPositions })) {
    const r = checker.check(row);
    addToSummary(summary, r);
    onResult(r, row);
    if (checkpoint && summary.total % every === 0) await checkpoint(summary.total, 'check');
  }
  return summary;
}
