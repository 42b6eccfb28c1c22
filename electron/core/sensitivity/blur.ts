import {
  BLUR_AREA_TYPE,
  GRID_CELL_SIZE,
  dwcGeneralization,
  gridCellCode,
  gridCellOrigin,
  type BlurAreaType,
  type BlurLevel,
  type BlurReason,
  type DwcGeneralization,
  type RuleSource,
  type TerritorySystem,
} from '../../../shared/sensitivity/index.js';
import { encodeGpkg } from '../gpkg/geometry/gpkg-binary.js';
import type { Geometry, Position } from '../gpkg/geometry/model.js';
import { encodeWkb } from '../gpkg/geometry/wkb.js';
import type { AreaIndex } from './area-index.js';
import { projectorFor, type Projector } from './territory-crs.js';

/**
 * Where a sensitive record may be published: the reference areas (commune, 10 km cell,
 * département) that contain it, their geometry, and the point and radius derived from
 * them alone.
 */
export interface PublishedLocation {
  readonly level: BlurLevel;
  readonly reason: BlurReason;
  /** The level the decision asked for (differs from `level` when the area was not found and the record withheld). */
  readonly requestedLevel: BlurLevel;
  readonly withheld: boolean;
  readonly areaType: BlurAreaType | null;
  /** Published areas, sorted by code; several only for a line or polygon that spans several. */
  readonly areas: readonly { readonly code: string; readonly name: string | null }[];
  /** The published geometry in EPSG:4326: the areas' polygons; null when withheld (or precise: use the record's own). */
  readonly geometry: Geometry | null;
  /** The same in the territory's projected system. */
  readonly localGeometry: Geometry | null;
  /** Centre of the published areas' box (in the projected system, converted back), a function of the areas only. */
  readonly decimalLongitude: number | null;
  readonly decimalLatitude: number | null;
  readonly dwc: DwcGeneralization;
}

/** A published area with the values derived from it, computed once per area. */
interface AreaPublication {
  readonly code: string;
  readonly name: string | null;
  readonly geometry: Geometry;
  readonly localGeometry: Geometry;
  /** Box in projected metres. */
  readonly box: readonly [number, number, number, number];
  /** Vertices in projected metres (flat x, y). */
  readonly localVertices: Float64Array;
}

/** Segments per side of a 10 km cell when drawn in EPSG:4326 (so its curved image stays close). */
const CELL_EDGE_STEPS = 8;

/**
 * Looks up and builds the published areas of a territory: communes and départements from
 * the reference areas, 10 km cells computed in the territory's projected system. Caches
 * each area's publication (geometries in both systems, vertices in metres).
 */
export class BlurAreas {
  readonly projector: Projector;
  readonly gridPrefix: string;
  private readonly cache = new Map<string, AreaPublication>();

  constructor(
    readonly areas: AreaIndex,
    readonly territory: TerritorySystem,
    options: { gridPrefix?: string; projectionDefinition?: string } = {},
  ) {
    this.projector = projectorFor(territory.epsg, options.projectionDefinition);
    this.gridPrefix = options.gridPrefix ?? territory.gridPrefix;
  }

  /** The code of the 10 km cell containing projected coordinates. */
  cellCode(x: number, y: number): string {
    return gridCellCode(this.gridPrefix, x, y);
  }

  /** The publication of one area (`COM`/`DEP` by code, `M10` by cell code); null when the area is unknown. */
  publication(type: BlurAreaType, code: string): AreaPublication | null {
    const key = `${type}:${code}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    let pub: AreaPublication | null;
    if (type === 'M10') pub = this.cellPublication(code);
    else {
      const i = this.areas.find(type, code);
      if (i < 0) return null;
      const area = this.areas.areas[i];
      if (!area) return null;
      const rings = this.areas.polygon(i).rings;
      const localGeometry = mapPositions(area.geometry, (p) => this.projector.forward(p[0] as number, p[1] as number));
      const local: number[] = [];
      for (const r of rings) for (let k = 0; k < r.length; k += 2) local.push(...this.projector.forward(r[k] as number, r[k + 1] as number));
      const v = Float64Array.from(local);
      pub = { code, name: area.name, geometry: area.geometry, localGeometry, box: boxOf(v), localVertices: v };
    }
    if (pub) this.cache.set(key, pub);
    return pub;
  }

  private cellPublication(code: string): AreaPublication | null {
    const o = gridCellOrigin(code);
    if (!o) return null;
    const s = GRID_CELL_SIZE;
    const ring: Position[] = [];
    const corners: [number, number][] = [
      [o.x, o.y],
      [o.x + s, o.y],
      [o.x + s, o.y + s],
      [o.x, o.y + s],
    ];
    for (let c = 0; c < 4; c++) {
      const [ax, ay] = corners[c] as [number, number];
      const [bx, by] = corners[(c + 1) % 4] as [number, number];
      for (let k = 0; k < CELL_EDGE_STEPS; k++) ring.push([ax + ((bx - ax) * k) / CELL_EDGE_STEPS, ay + ((by - ay) * k) / CELL_EDGE_STEPS]);
    }
    ring.push([o.x, o.y]);
    const localGeometry: Geometry = { type: 'Polygon', hasZ: false, hasM: false, coordinates: [ring] };
    const geometry: Geometry = { type: 'Polygon', hasZ: false, hasM: false, coordinates: [ring.map((p) => this.projector.inverse(p[0] as number, p[1] as number))] };
    const v = Float64Array.from([o.x, o.y, o.x + s, o.y, o.x + s, o.y + s, o.x, o.y + s]);
    return { code, name: null, geometry, localGeometry, box: [o.x, o.y, o.x + s, o.y + s], localVertices: v };
  }

  /**
   * The published location for a blurring decision and the codes of the areas that contain
   * the observation (from the runner). An empty `codes` for a level 1–3 means the area was
   * not found: the record is withheld, never published precisely nor dropped.
   * `context.requestedReason`: why the area was asked for, when `decision.reason` is already
   * `area-not-found` (defaults to `decision.reason`).
   */
  publish(
    decision: { level: BlurLevel; reason: BlurReason },
    codes: readonly string[],
    context: { sensitivityLevel: number | null; diffusionLevel: string | null; source: RuleSource | null; cdNom: number | null; lang?: 'en' | 'fr'; requestedReason?: BlurReason },
  ): PublishedLocation {
    const base = { sensitivityLevel: context.sensitivityLevel, diffusionLevel: context.diffusionLevel, source: context.source, cdNom: context.cdNom };
    if (decision.level === 0) {
      return {
        level: 0,
        reason: decision.reason,
        requestedLevel: 0,
        withheld: false,
        areaType: null,
        areas: [],
        geometry: null,
        localGeometry: null,
        decimalLongitude: null,
        decimalLatitude: null,
        dwc: dwcGeneralization({ ...base, level: 0, reason: decision.reason, areas: [], uncertaintyMeters: null }, context.lang),
      };
    }
    const type = decision.level === 4 ? null : BLUR_AREA_TYPE[decision.level];
    const pubs = type ? codes.map((c) => this.publication(type, c)) : [];
    if (decision.level === 4 || pubs.length === 0 || pubs.some((p) => p === null)) {
      const reason: BlurReason = decision.level === 4 ? decision.reason : 'area-not-found';
      return {
        level: 4,
        reason,
        requestedLevel: decision.level,
        withheld: true,
        areaType: null,
        areas: [],
        geometry: null,
        localGeometry: null,
        decimalLongitude: null,
        decimalLatitude: null,
        dwc: dwcGeneralization(
          { ...base, level: 4, reason, requestedLevel: decision.level, requestedReason: context.requestedReason ?? decision.reason, areas: [], uncertaintyMeters: null },
          context.lang,
        ),
      };
    }
    const ok = (pubs as AreaPublication[]).slice().sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const p of ok) {
      box[0] = Math.min(box[0], p.box[0]);
      box[1] = Math.min(box[1], p.box[1]);
      box[2] = Math.max(box[2], p.box[2]);
      box[3] = Math.max(box[3], p.box[3]);
    }
    const cx = (box[0] + box[2]) / 2;
    const cy = (box[1] + box[3]) / 2;
    let r2 = 0;
    for (const p of ok) {
      const v = p.localVertices;
      for (let k = 0; k < v.length; k += 2) r2 = Math.max(r2, ((v[k] as number) - cx) ** 2 + ((v[k + 1] as number) - cy) ** 2);
    }
    const [lon, lat] = this.projector.inverse(cx, cy);
    const geometry = ok.length === 1 ? (ok[0] as AreaPublication).geometry : multi(ok.map((p) => p.geometry));
    const localGeometry = ok.length === 1 ? (ok[0] as AreaPublication).localGeometry : multi(ok.map((p) => p.localGeometry));
    const areas = ok.map((p) => ({ code: p.code, name: p.name }));
    const uncertaintyMeters = Math.ceil(Math.sqrt(r2));
    return {
      level: decision.level,
      reason: decision.reason,
      requestedLevel: decision.level,
      withheld: false,
      areaType: type,
      areas,
      geometry,
      localGeometry,
      decimalLongitude: round7(lon),
      decimalLatitude: round7(lat),
      dwc: dwcGeneralization({ ...base, level: decision.level, reason: decision.reason, areas, uncertaintyMeters }, context.lang),
    };
  }
}

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

function boxOf(v: Float64Array): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let k = 0; k < v.length; k += 2) {
    b[0] = Math.min(b[0], v[k] as number);
    b[1] = Math.min(b[1], v[k + 1] as number);
    b[2] = Math.max(b[2], v[k] as number);
    b[3] = Math.max(b[3], v[k + 1] as number);
  }
  return b;
}

function mapPositions(g: Geometry, f: (p: Position) => [number, number]): Geometry {
  switch (g.type) {
    case 'Point':
      return { type: 'Point', hasZ: false, hasM: false, coordinates: g.coordinates.length ? f(g.coordinates) : [] };
    case 'LineString':
    case 'CircularString':
      return { type: g.type, hasZ: false, hasM: false, coordinates: g.coordinates.map(f) };
    case 'Polygon':
    case 'Triangle':
      return { type: g.type, hasZ: false, hasM: false, coordinates: g.coordinates.map((r) => r.map(f)) };
    default:
      return { type: g.type, hasZ: false, hasM: false, geometries: g.geometries.map((c) => mapPositions(c, f)) };
  }
}

/** A MultiPolygon of the polygons of several (Multi)Polygons. */
function multi(parts: readonly Geometry[]): Geometry {
  const polys: Geometry[] = [];
  const walk = (g: Geometry) => {
    if (g.type === 'Polygon') polys.push({ ...g, hasZ: false, hasM: false });
    else if ('geometries' in g) g.geometries.forEach(walk);
  };
  parts.forEach(walk);
  return { type: 'MultiPolygon', hasZ: false, hasM: false, geometries: polys };
}

/**
 * Columns of a synthese-shaped record that can locate a site and are removed when the
 * location is blurred or withheld: altitudes and depths (a summit at 2 860 m inside a
 * commune is a point), place names, the precision, the attachment area, and free-text
 * comments (observers write "nest under the X ridge"; ALA's SDS blanks `locationRemarks`
 * for the same reason).
 */
export const LOCATING_COLUMNS = [
  'altitude_min',
  'altitude_max',
  'depth_min',
  'depth_max',
  'place_name',
  'precision',
  'id_area_attachment',
  'comment_context',
  'comment_description',
] as const;

/**
 * What a blurred observation looks like: the record with its geometries replaced by the
 * published area (GeoPackage blob in EPSG:4326 for `geom`, ISO WKB in the territory's system
 * for `geom_local_wkb`, both null when withheld), every locating column emptied, the SINP
 * codes set (`cd_nomenclature_sensitivity`, `cd_nomenclature_blurring` = OUI when blurred),
 * and the Darwin Core generalisation terms added. A precise record (level 0) keeps its
 * geometry and columns.
 */
export function blurRecord(record: Readonly<Record<string, unknown>>, published: PublishedLocation, sensitivityLevel: number | null): Record<string, unknown> {
  const out: Record<string, unknown> = { ...record };
  if (sensitivityLevel !== null) out.cd_nomenclature_sensitivity = String(sensitivityLevel);
  out.dataGeneralizations = published.dwc.dataGeneralizations;
  out.informationWithheld = published.dwc.informationWithheld;
  if (published.level === 0) {
    out.coordinateUncertaintyInMeters = record.precision ?? null;
    return out;
  }
  for (const c of LOCATING_COLUMNS) if (c in out) out[c] = null;
  out.geom = published.geometry ? encodeGpkg(published.geometry, 4326) : null;
  out.geom_local_wkb = published.localGeometry ? encodeWkb(published.localGeometry) : null;
  out.cd_nomenclature_blurring = published.withheld ? record.cd_nomenclature_blurring ?? null : 'OUI';
  out.decimalLongitude = published.decimalLongitude;
  out.decimalLatitude = published.decimalLatitude;
  out.coordinateUncertaintyInMeters = published.dwc.coordinateUncertaintyInMeters;
  return out;
}
