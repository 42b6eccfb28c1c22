/**
 * Heuristics on coordinates stored as WGS 84 longitude/latitude: latitude and longitude
 * swapped, or projected coordinates (Lambert-93, Lambert II étendu, UTM, Web Mercator) written
 * where degrees were expected — the two commonest ways legacy files misplace observations.
 */

/** A box [west, south, east, north] in degrees. */
export type LonLatBox = readonly [number, number, number, number];

/** Metropolitan France with Corsica and a margin: the reference box when a workspace has no areas. */
export const FRANCE_BOX: LonLatBox = [-5.8, 41.0, 10.0, 51.5];

export const inBox = (x: number, y: number, b: LonLatBox): boolean => x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];

/** True for a longitude/latitude pair (|x| ≤ 180, |y| ≤ 90). */
export const isLonLat = (x: number, y: number): boolean => Math.abs(x) <= 180 && Math.abs(y) <= 90;

/**
 * True when (x, y) is outside the reference area but (y, x) is inside: latitude and longitude
 * were swapped ("44.85, 6.5" for "6.5, 44.85").
 */
export function looksSwapped(x: number, y: number, inside: (lon: number, lat: number) => boolean): boolean {
  return isLonLat(x, y) && isLonLat(y, x) && !inside(x, y) && inside(y, x);
}

/** Projected systems French legacy data comes in, with the ranges their coordinates take over France. */
export const PROJECTED_CANDIDATES: readonly { srs: string; name: string; x: [number, number]; y: [number, number] }[] = [
  { srs: 'EPSG:2154', name: 'RGF93 / Lambert-93', x: [0, 1_300_000], y: [6_000_000, 7_200_000] },
  { srs: 'EPSG:27572', name: 'NTF (Paris) / Lambert zone II (étendu)', x: [0, 1_250_000], y: [1_600_000, 2_750_000] },
  { srs: 'EPSG:32631', name: 'WGS 84 / UTM zone 31N', x: [160_000, 840_000], y: [4_500_000, 5_800_000] },
  { srs: 'EPSG:32632', name: 'WGS 84 / UTM zone 32N', x: [160_000, 840_000], y: [4_500_000, 5_800_000] },
  { srs: 'EPSG:32630', name: 'WGS 84 / UTM zone 30N', x: [160_000, 840_000], y: [4_500_000, 5_800_000] },
  { srs: 'EPSG:3857', name: 'WGS 84 / Pseudo-Mercator', x: [-700_000, 1_200_000], y: [5_000_000, 6_800_000] },
];

/**
 * The projected systems whose usual ranges contain (x, y), most likely first (Lambert-93 for
 * French data). Empty for a lon/lat pair. The engine confirms a candidate by reprojecting it.
 */
export function projectedCandidates(x: number, y: number): string[] {
  if (isLonLat(x, y)) return [];
  return PROJECTED_CANDIDATES.filter((c) => x >= c.x[0] && x <= c.x[1] && y >= c.y[0] && y <= c.y[1]).map((c) => c.srs);
}

/**
 * An INPN grid cell code ("10kmL93E074N695", "5kmL93E0905N6250") as its Lambert-93 square.
 *
 * GeoNature's `ref_geo` builds the 10 km codes from x and y divided by 10 km, and the finer
 * grids' codes in kilometres (geonature-reference.md §5, MANIFEST's note on the INPN grid).
 */
export function gridCellSquare(code: string): { size: number; minX: number; minY: number; maxX: number; maxY: number } | null {
  const m = /^(\d+)kmL93E(\d+)N(\d+)$/i.exec(code.trim());
  if (!m) return null;
  const km = Number(m[1]);
  if (![1, 2, 5, 10, 20, 50].includes(km)) return null;
  const unit = km === 10 ? 10_000 : 1000;
  const minX = Number(m[2]) * unit;
  const minY = Number(m[3]) * unit;
  const size = km * 1000;
  if (minX < 0 || minX > 1_300_000 || minY < 6_000_000 || minY > 7_200_000) return null;
  return { size, minX, minY, maxX: minX + size, maxY: minY + size };
}

/** Ground distance in metres between two lon/lat points (equirectangular: exact enough under a few km). */
export function metresBetween(a: readonly [number, number], b: readonly [number, number]): number {
  const rad = Math.PI / 180;
  const x = (b[0] - a[0]) * Math.cos(((a[1] + b[1]) / 2) * rad);
  const y = b[1] - a[1];
  return Math.sqrt(x * x + y * y) * rad * 6_371_008.8;
}
