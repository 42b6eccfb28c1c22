/** XYZ tile arithmetic in Web Mercator (EPSG:3857), the grid every web map uses. */

export const TILE_EXTENT = 4096;

/** Longitude/latitude bounds of tile (z, x, y), optionally grown by `buffer` tile units. */
export function tileBounds(z: number, x: number, y: number, buffer = 0): { west: number; south: number; east: number; north: number } {
  const n = 2 ** z;
  const b = buffer / TILE_EXTENT;
  const lon = (tx: number) => (tx / n) * 360 - 180;
  const lat = (ty: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * ty) / n))) * 180) / Math.PI;
  return { west: lon(x - b), east: lon(x + 1 + b), north: lat(y - b), south: lat(y + 1 + b) };
}

/** Projects lon/lat to the integer coordinates of tile (z, x, y) (0..4096 inside the tile). */
export function toTileCoords(lon: number, lat: number, z: number, x: number, y: number): [number, number] {
  const n = 2 ** z;
  const clampedLat = Math.max(-85.05112878, Math.min(85.05112878, lat));
  const s = Math.sin((clampedLat * Math.PI) / 180);
  const wx = (lon + 180) / 360;
  const wy = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  return [Math.round((wx * n - x) * TILE_EXTENT), Math.round((wy * n - y) * TILE_EXTENT)];
}

/** True when (z, x, y) names a real tile. */
export function isValidTile(z: number, x: number, y: number): boolean {
  if (!Number.isInteger(z) || !Number.isInteger(x) || !Number.isInteger(y)) return false;
  if (z < 0 || z > 22) return false;
  const n = 2 ** z;
  return x >= 0 && x < n && y >= 0 && y < n;
}
