/** Tag values a vector tile feature carries. */
export type Tags = Record<string, string | number | boolean>;

/** A feature as vt-pbf's geojson-vt adapter encodes it (tile coordinates, 0..4096 inside the tile). */
export interface TileFeature {
  id?: number;
  type: 1 | 2 | 3;
  geometry: number[][] | number[][][];
  tags: Tags;
}

function signedArea(ring: number[][]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const p = ring[i] as number[];
    const q = ring[j] as number[];
    a += ((q[0] as number) - (p[0] as number)) * ((q[1] as number) + (p[1] as number));
  }
  return a;
}

/** MVT 2.1 §4.3.4.4: exterior rings clockwise in tile coordinates (y down), holes counter-clockwise. */
export function orientRing(ring: number[][], exterior: boolean): number[][] {
  const clockwise = signedArea(ring) < 0;
  return clockwise === exterior ? ring : ring.slice().reverse();
}
