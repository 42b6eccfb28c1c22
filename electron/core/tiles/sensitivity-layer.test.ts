/**
 * The sensitivity layers of the map, decoded as a map client decodes them (@mapbox/vector-tile),
 * on a checked copy of the real Écrins demo (test referential + the park's local rules: level 1
 * commune, 2 cell, 3 département, 4 withheld all occur). The published layer must never carry a
 * sensitive observation's own coordinates: every vertex of every tile is checked against the
 * area polygon it belongs to, and no point lies where a sensitive observation is — not even the
 * point of a public observation made at the same place (propagation: the chamois seen at golden
 * eagle 832's very point is published in the eagle's cell).
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VectorTile, type VectorTileFeature } from '@mapbox/vector-tile';
import Database from 'better-sqlite3';
import Pbf from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRID_CELL_SIZE, gridCellOrigin } from '../../../shared/sensitivity/index.js';
import { AS_OF, fixture } from '../../../test/fixtures/sensitivity/fixtures.js';
import { DEMO } from '../../../test/helpers/paths.js';
import { createClient } from '../../../shared/contract/index.js';
import { inProcess, type TransportUnderTest } from '../../../test/helpers/transports.js';
import { decodeGpkg } from '../gpkg/geometry/gpkg-binary.js';
import type { Geometry } from '../gpkg/geometry/model.js';
import { PreparedPolygon } from '../sensitivity/area-index.js';
import { projectorFor } from '../sensitivity/territory-crs.js';
import { renderWorkspaceTile } from './mvt.js';
import { TILE_EXTENT } from './webmercator.js';

const l93 = projectorFor(2154);
/** The tile buffer of the sensitivity layers (tile units). */
const BUFFER = 64;

/** Tile (x, y) holding lon/lat at zoom z. */
function tileAt(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return [x, y];
}

/** Lon/lat of tile coordinates (px, py in 0..4096) of tile (z, x, y). */
function lonLatOf(px: number, py: number, z: number, x: number, y: number): [number, number] {
  const n = 2 ** z;
  const lon = ((x + px / TILE_EXTENT) / n) * 360 - 180;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * (y + py / TILE_EXTENT)) / n))) * 180) / Math.PI;
  return [lon, lat];
}

/** Metres per tile unit at a latitude and zoom. */
const unitMetres = (lat: number, z: number) => (40_075_016.686 * Math.cos((lat * Math.PI) / 180)) / 2 ** z / TILE_EXTENT;

/** Distance in metres from a point to a polygon's edges (lon/lat, local equirectangular). */
function distanceToEdges(p: PreparedPolygon, lon: number, lat: number): number {
  const kx = 111_320 * Math.cos((lat * Math.PI) / 180);
  const ky = 110_574;
  let best = Infinity;
  for (const r of p.rings) {
    for (let i = 0; i + 3 < r.length; i += 2) {
      const ax = ((r[i] as number) - lon) * kx;
      const ay = ((r[i + 1] as number) - lat) * ky;
      const bx = ((r[i + 2] as number) - lon) * kx;
      const by = ((r[i + 3] as number) - lat) * ky;
      const dx = bx - ax;
      const dy = by - ay;
      const t = dx === 0 && dy === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy)));
      best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
    }
  }
  return best;
}

let face: TransportUnderTest;
let ws: string;
let sourceId: string;
let db: Database.Database;
/** Sensitive (blurred or withheld) observations: their precise lon/lat. */
let sensitive: { fid: number; lon: number; lat: number; blur: number; areaType: string | null; codes: string[] }[];
/** Observations published precisely, by fid. */
let precise: Map<number, [number, number]>;
/** Areas by `TYPE:code`, prepared (COM, DEP). */
const areas = new Map<string, PreparedPolygon>();

beforeAll(async () => {
  face = inProcess();
  const client = createClient(face.transport);
  ws = join(mkdtempSync(join(tmpdir(), 'passerelle-sens-tiles-')), 'ecrins.gpkg');
  copyFileSync(DEMO, ws);
  const r = await client.invoke('sensitivity.check', {
    workspace: ws,
    asOf: AS_OF,
    load: [{ path: fixture('test-referential-v13.csv') }, { path: fixture('local-rules.json') }, { path: fixture('demo-taxonomy.csv') }],
  });
  // Every published level occurs: commune, cell, département, withheld; the chamois at eagle 832's point goes to its cell.
  expect(r.check.byBlur).toEqual([981, 1, 5, 2, 2]);
  expect(r.check.propagated).toBe(1);
  sourceId = (await client.invoke('map.sources', { path: ws })).sourceId;
  db = new Database(ws, { readonly: true });
  const point = (g: Uint8Array): [number, number] => {
    const geom = decodeGpkg(g).geometry as Extract<Geometry, { type: 'Point' }>;
    return [geom.coordinates[0] as number, geom.coordinates[1] as number];
  };
  const obs = db.prepare('SELECT o.fid, o.geom, r.blur_level AS blur, r.area_type, r.area_codes FROM observations o JOIN sensitivity_results r ON r.observation_fid = o.fid').all() as {
    fid: number;
    geom: Uint8Array;
    blur: number;
    area_type: string | null;
    area_codes: string | null;
  }[];
  sensitive = obs.filter((o) => o.blur > 0).map((o) => ({ fid: o.fid, lon: point(o.geom)[0], lat: point(o.geom)[1], blur: o.blur, areaType: o.area_type, codes: o.area_codes?.split(',') ?? [] }));
  precise = new Map(obs.filter((o) => o.blur === 0).map((o) => [o.fid, point(o.geom)]));
  // No observation published precisely is at the site of a sensitive one (within 1e-5°, the propagation's tolerance)…
  const atSite = sensitive.flatMap((s) => [...precise].filter(([, p]) => Math.abs(p[0] - s.lon) <= 1e-5 && Math.abs(p[1] - s.lat) <= 1e-5).map(([fid]) => [s.fid, fid]));
  expect(atSite).toEqual([]);
  // …and the chamois seen at golden eagle 832's very point is among the blurred ones, in the eagle's cell.
  const chamois = sensitive.find((s) => s.fid === 833);
  const eagle = sensitive.find((s) => s.fid === 832);
  expect(chamois).toMatchObject({ blur: eagle?.blur, areaType: eagle?.areaType, codes: eagle?.codes, lon: eagle?.lon, lat: eagle?.lat });
  for (const a of db.prepare("SELECT type_code, area_code, geom FROM areas WHERE type_code IN ('COM', 'DEP')").all() as { type_code: string; area_code: string; geom: Uint8Array }[]) {
    areas.set(`${a.type_code}:${a.area_code}`, new PreparedPolygon(decodeGpkg(a.geom).geometry));
  }
});
afterAll(async () => {
  db?.close();
  await face?.close();
});

const layerOf = (name: string, z: number, x: number, y: number) => new VectorTile(new Pbf(renderWorkspaceTile(face.engine.sources, sourceId, name, z, x, y))).layers[name.replace('/', '_')];

/** Every tile to check: all tiles over the park at zooms 5–10, and around every sensitive observation at 11–16. */
function tilesToCheck(): [number, number, number][] {
  const out = new Map<string, [number, number, number]>();
  const add = (z: number, x: number, y: number) => out.set(`${z}/${x}/${y}`, [z, x, y]);
  for (let z = 5; z <= 10; z++) {
    const [x0, y0] = tileAt(5.3, 45.5, z);
    const [x1, y1] = tileAt(7.2, 44.1, z);
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) add(z, x, y);
  }
  for (const s of sensitive) {
    for (let z = 11; z <= 16; z++) {
      const [x, y] = tileAt(s.lon, s.lat, z);
      for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) add(z, x + dx, y + dy);
    }
  }
  return [...out.values()];
}

describe('the published layer', () => {
  it('holds no vertex of a sensitive observation: points are level-0 observations, polygons lie on their published area', () => {
    let polygons = 0;
    let points = 0;
    let vertices = 0;
    let clipped = 0;
    const kinds = new Set<string>();
    for (const [z, x, y] of tilesToCheck()) {
      const layer = layerOf('sensitivity/published', z, x, y);
      if (!layer) continue;
      const sensitiveHere = sensitive.map((s) => {
        const n = 2 ** z;
        return [((s.lon + 180) / 360) * n * TILE_EXTENT - x * TILE_EXTENT, s] as const;
      });
      for (let i = 0; i < layer.length; i++) {
        const f: VectorTileFeature = layer.feature(i);
        const rings = f.loadGeometry();
        if (f.type === 1) {
          // A point: a level-0 observation, where it is.
          points++;
          const fid = Number(f.properties.fid);
          const where = precise.get(fid);
          expect(where, `point fid ${fid} at ${z}/${x}/${y} is not a precise observation`).toBeDefined();
          expect(Object.keys(f.properties)).not.toContain('level');
          for (const ring of rings) {
            for (const p of ring) {
              const [lon, lat] = lonLatOf(p.x, p.y, z, x, y);
              // Thinned below zoom 12: the kept point is one of the grouped observations', exactly.
              expect(Math.hypot((lon - (where?.[0] ?? 0)) * 111_320 * Math.cos((lat * Math.PI) / 180), (lat - (where?.[1] ?? 0)) * 110_574)).toBeLessThan(unitMetres(lat, z) * 1.5);
              // And it is not where a sensitive observation is: no exception, a public observation at a
              // sensitive one's site is blurred with it (propagation), so no point here can sit on one.
              for (const s of sensitive) {
                const d = Math.hypot((lon - s.lon) * 111_320 * Math.cos((lat * Math.PI) / 180), (lat - s.lat) * 110_574);
                expect(d, `a point of the published layer at ${z}/${x}/${y} sits on blurred observation ${s.fid}`).toBeGreaterThan(unitMetres(lat, z) * 1.5);
              }
            }
          }
          continue;
        }
        expect(f.type).toBe(3);
        polygons++;
        const type = String(f.properties.area_type);
        const code = String(f.properties.code);
        kinds.add(type);
        // Areas carry counts, never an observation's id.
        expect(Object.keys(f.properties).sort()).toEqual(['area_type', 'code', 'level', 'n', 'name']);
        expect(sensitive.some((s) => s.areaType === type && s.codes.includes(code)), `${type}:${code} is not a published area`).toBe(true);
        for (const ring of rings) {
          for (const p of ring) {
            vertices++;
            const [lon, lat] = lonLatOf(p.x, p.y, z, x, y);
            // geojson-vt clips polygons to the tile and its 64-unit buffer: where the clip runs along
            // the buffer's edge it leaves zero-area slivers whose corners are the buffer's corners,
            // outside the tile drawn. Those are grid points, not data (the check below still applies).
            const onClip = p.x === -BUFFER || p.x === TILE_EXTENT + BUFFER || p.y === -BUFFER || p.y === TILE_EXTENT + BUFFER;
            // geojson-vt simplifies (tolerance 3 units) and rounds to the tile grid: 4 units of slack.
            const slack = unitMetres(lat, z) * 4 + 1;
            if (onClip) clipped++;
            else if (type === 'M10') {
              const o = gridCellOrigin(code);
              const [cx, cy] = l93.forward(lon, lat);
              const outside = Math.max(0, (o?.x ?? 0) - cx, cx - ((o?.x ?? 0) + GRID_CELL_SIZE), (o?.y ?? 0) - cy, cy - ((o?.y ?? 0) + GRID_CELL_SIZE));
              expect(outside, `vertex of cell ${code} at ${z}/${x}/${y} is ${outside} m outside it`).toBeLessThanOrEqual(slack);
            } else {
              const poly = areas.get(`${type}:${code}`);
              expect(poly).toBeDefined();
              if (!poly) continue;
              if (poly.locate(lon, lat) === 0) {
                const d = distanceToEdges(poly, lon, lat);
                expect(d, `vertex of ${type}:${code} at ${z}/${x}/${y} is ${d} m outside it`).toBeLessThanOrEqual(slack);
              }
            }
            // Never a sensitive observation's own coordinate (to the tile's precision), unless it is the area's own boundary.
            for (const [sx, s] of sensitiveHere) {
              if (Math.abs(sx - p.x) > 1) continue;
              const d = Math.hypot((lon - s.lon) * 111_320 * Math.cos((lat * Math.PI) / 180), (lat - s.lat) * 110_574);
              if (d < unitMetres(lat, z)) {
                const own = areas.get(`${type}:${code}`);
                expect(own ? distanceToEdges(own, s.lon, s.lat) : 0, `observation ${s.fid} appears as a vertex at ${z}/${x}/${y}`).toBeLessThan(unitMetres(lat, z) * 2);
              }
            }
          }
        }
      }
    }
    expect(kinds).toEqual(new Set(['COM', 'M10', 'DEP']));
    expect(polygons).toBeGreaterThan(50);
    expect(points).toBeGreaterThan(100);
    expect(vertices).toBeGreaterThan(1000);
    expect(clipped).toBeLessThan(vertices / 4);
  });

  it('has nothing of a withheld observation, and every blurred one is drawn as its area around it', () => {
    const withheld = sensitive.filter((s) => s.blur === 4);
    expect(withheld).toHaveLength(2);
    for (const s of sensitive) {
      const z = 14;
      const [x, y] = tileAt(s.lon, s.lat, z);
      const layer = layerOf('sensitivity/published', z, x, y);
      const features = layer ? Array.from({ length: layer.length }, (_, i) => layer.feature(i)) : [];
      expect(features.filter((f) => f.type === 1 && Number(f.properties.fid) === s.fid)).toEqual([]);
      const drawn = features.filter((f) => f.type === 3).map((f) => `${String(f.properties.area_type)}:${String(f.properties.code)}`);
      if (s.blur === 4) continue;
      // The area that replaces it covers the place (a département or commune polygon, or the cell).
      expect(drawn).toContain(`${s.areaType}:${s.codes[0]}`);
    }
  });
});

describe('the precise layer', () => {
  it('draws every checked observation where it is, with its level, blurring and reason', () => {
    const s = sensitive.find((x) => x.areaType === 'DEP');
    expect(s).toBeDefined();
    if (!s) return;
    const [x, y] = tileAt(s.lon, s.lat, 14);
    const layer = layerOf('sensitivity/precise', 14, x, y);
    const f = layer ? Array.from({ length: layer.length }, (_, i) => layer.feature(i)).find((g) => Number(g.properties.fid) === s.fid) : undefined;
    expect(f?.properties).toMatchObject({ level: 3, blur: 3, reason: 'sensitivity', cd_nom: 2852 });
    // At a low zoom every observation is counted once.
    const [x6, y6] = tileAt(6.2, 44.8, 6);
    const low = layerOf('sensitivity/precise', 6, x6, y6);
    let total = 0;
    for (let i = 0; i < (low?.length ?? 0); i++) total += Number(low?.feature(i).properties.n);
    expect(total).toBe(991);
  });

  it('an unchecked workspace has empty sensitivity tiles', () => {
    const reg = face.engine.sources;
    const src = reg.register(DEMO);
    const [x, y] = tileAt(6.2, 44.8, 6);
    const tile = new VectorTile(new Pbf(renderWorkspaceTile(reg, src.id, 'sensitivity/published', 6, x, y)));
    expect(tile.layers.sensitivity_published?.length ?? 0).toBe(0);
  });
});
