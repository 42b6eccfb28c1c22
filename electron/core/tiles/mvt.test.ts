import { VectorTile } from '@mapbox/vector-tile';
import Pbf from 'pbf';
import { describe, expect, it } from 'vitest';
import { demoWorkspacePath } from '../paths.js';
import { isAppError } from '../errors.js';
import { renderWorkspaceTile } from './mvt.js';
import { SourceRegistry } from './sources.js';
import { tileBounds, toTileCoords } from './webmercator.js';

const reg = new SourceRegistry();
const src = reg.register(demoWorkspacePath());

/** Tile (z, x, y) containing lon/lat. */
function tileAt(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const latRad = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n);
  return [x, y];
}

const decode = (bytes: Uint8Array) => new VectorTile(new Pbf(bytes));

describe('vector tiles of a workspace', () => {
  it('web mercator arithmetic: a tile corner projects to the tile corner', () => {
    const b = tileBounds(8, 133, 91);
    expect(toTileCoords(b.west, b.north, 8, 133, 91)).toEqual([0, 0]);
    expect(toTileCoords(b.east, b.south, 8, 133, 91)).toEqual([4096, 4096]);
  });

  it('a low-zoom tile holds every observation once, points grouped with their count', () => {
    const [x, y] = tileAt(6.2, 44.8, 6);
    const tile = decode(renderWorkspaceTile(reg, src.id, 'observations', 6, x, y));
    const layer = tile.layers.observations;
    expect(layer).toBeDefined();
    if (!layer) return;
    let total = 0;
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      expect(f.type).toBe(1);
      total += Number(f.properties.n);
    }
    expect(total).toBe(991);
    expect(layer.length).toBeLessThan(991);
  });

  it('a high-zoom tile keeps each observation with its attributes', () => {
    // Somewhere with observations: find them from a zoom-10 tile over Vallouise.
    const [x, y] = tileAt(6.49, 44.85, 10);
    const layer = decode(renderWorkspaceTile(reg, src.id, 'observations', 10, x, y)).layers.observations;
    expect(layer?.length).toBeGreaterThan(0);
    const f = layer?.feature(0);
    expect(typeof f?.properties.nom_cite).toBe('string');
    expect(f?.properties.date_min).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('area outlines are clipped polygon tiles', () => {
    const [x, y] = tileAt(6.2, 44.8, 7);
    const tile = decode(renderWorkspaceTile(reg, src.id, 'areas/DEP', 7, x, y));
    const layer = tile.layers.areas_DEP;
    expect(layer?.length).toBeGreaterThanOrEqual(1);
    expect(layer?.feature(0).type).toBe(3);
    expect(['05', '38']).toContain(layer?.feature(0).properties.code);
  });

  it('an empty place gives a valid empty tile; a bad tile or layer is an error', () => {
    const [x, y] = tileAt(-30, 40, 9); // the Atlantic
    expect(decode(renderWorkspaceTile(reg, src.id, 'observations', 9, x, y)).layers.observations?.length ?? 0).toBe(0);
    for (const f of [() => renderWorkspaceTile(reg, src.id, 'observations', 3, 99, 0), () => renderWorkspaceTile(reg, src.id, 'nope', 3, 1, 1), () => renderWorkspaceTile(reg, 'ffffffffffffffff', 'observations', 3, 1, 1)]) {
      try {
        f();
        expect.unreachable();
      } catch (e) {
        expect(isAppError(e)).toBe(true);
      }
    }
  });
});
