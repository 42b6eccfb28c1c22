// vt-pbf ships no types; this is the part of its API the tile server uses.
declare module 'vt-pbf' {
  interface GeojsonVtLayer {
    features: unknown[];
  }
  const vtpbf: {
    fromGeojsonVt(layers: Record<string, GeojsonVtLayer>, options?: { version?: number; extent?: number }): Uint8Array;
  };
  export default vtpbf;
}
