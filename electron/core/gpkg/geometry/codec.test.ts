import { describe, expect, it } from 'vitest';
import { gdal } from '../gdal.js';
import { decodeGpkg, encodeGpkg, readGpkgHeader } from './gpkg-binary.js';
import { linearize } from './linearize.js';
import { decodeWkb, encodeWkb } from './wkb.js';
import type { Geometry } from './model.js';
import Database from 'better-sqlite3';
import { corpus } from '../../../../test/helpers/gpkg-fixtures.js';

const hex = (s: string) => Uint8Array.from(s.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// Every simple and curve type, 2D/Z/M/ZM, empty and nested: GDAL writes the WKB, we decode
// it, encode it again, and GDAL must read back the same geometry.
const WKT = [
  'POINT (1 2)',
  'POINT Z (1 2 3)',
  'POINT M (1 2 4)',
  'POINT ZM (1 2 3 4)',
  'LINESTRING (0 0,1 1,2 0)',
  'LINESTRING ZM (0 0 1 2,1 1 3 4)',
  'POLYGON ((0 0,4 0,4 4,0 4,0 0),(1 1,1 2,2 2,1 1))',
  'POLYGON Z ((0 0 1,4 0 1,4 4 1,0 0 1))',
  'MULTIPOINT ((1 2),(3 4))',
  'MULTILINESTRING ((0 0,1 1),(2 2,3 3))',
  'MULTIPOLYGON (((0 0,1 0,1 1,0 0)),((2 2,3 2,3 3,2 2)))',
  'GEOMETRYCOLLECTION (POINT (1 2),LINESTRING (0 0,1 1),GEOMETRYCOLLECTION (POINT Z (5 6 7)))',
  'CIRCULARSTRING (0 0,1 1,2 0)',
  'CIRCULARSTRING ZM (0 0 1 2,1 1 1 2,2 0 1 2)',
  'COMPOUNDCURVE (CIRCULARSTRING (0 0,1 1,2 0),(2 0,3 0))',
  'MULTICURVE ((0 0,1 1),CIRCULARSTRING (0 0,1 1,2 0))',
  'LINESTRING EMPTY',
  'POLYGON EMPTY',
  'GEOMETRYCOLLECTION EMPTY',
];

describe('WKB against GDAL, every type in both byte orders', () => {
  const g = gdal();
  it.each(WKT)('%s', (wkt) => {
    const og = g.Geometry.fromWKT(wkt);
    for (const order of [g.wkbNDR, g.wkbXDR]) {
      const bytes = og.toWKB(order, g.wkbVariantIso);
      const { geometry, end } = decodeWkb(bytes);
      expect(end).toBe(bytes.byteLength);
      const back = g.Geometry.fromWKB(Buffer.from(encodeWkb(geometry)));
      expect(back.toWKT()).toBe(og.toWKT());
    }
  });
});

describe('curve polygons and multisurfaces as GDAL wrote them (gdal-async cannot wrap these types)', () => {
  // Real blobs of the corpus: decoded, re-encoded, the WKB must come out byte for byte.
  it.each([
    ['ogc-ets__gdal_sample_v1.2_spi_nonlinear_webp_elevation.gpkg', 'curvepolygon', 'CurvePolygon'],
    ['ogc-ets__gdal_sample_v1.2_spi_nonlinear_webp_elevation.gpkg', 'multisurface', 'MultiSurface'],
    ['pyogrio__multisurface.gpkg', 'multisurface', 'MultiSurface'],
  ])('%s › %s', (file, table, type) => {
    const db = new Database(corpus(file), { readonly: true });
    const col = db.prepare('SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?').pluck().get(table) as string;
    const blobs = db.prepare(`SELECT "${col}" FROM "${table}" WHERE "${col}" IS NOT NULL`).pluck().all() as Uint8Array[];
    db.close();
    expect(blobs.length).toBeGreaterThan(0);
    for (const blob of blobs) {
      const { header, geometry } = decodeGpkg(blob);
      expect(geometry.type).toBe(type);
      expect(toHex(encodeWkb(geometry))).toBe(toHex(blob.subarray(header.wkbOffset)));
    }
  });
});

describe('GeoPackage binary headers (OGC 12-128r18 §2.1.3), known bytes', () => {
  // magic GP, version 0, flags, srs_id, envelope, then WKB of POINT (1 2).
  const POINT = '0101000000000000000000f03f0000000000000040';
  const CASES: Array<[string, string, Partial<ReturnType<typeof readGpkgHeader>>]> = [
    ['no envelope, little-endian', `47500001 e6100000 ${POINT}`, { envelopeKind: 0, littleEndian: true, srsId: 4326, empty: false, envelope: null }],
    ['no envelope, big-endian srs_id', `47500000 000010e6 ${POINT}`, { envelopeKind: 0, littleEndian: false, srsId: 4326 }],
    [
      'XY envelope',
      `47500003 6a080000 000000000000f03f 000000000000f03f 0000000000000040 0000000000000040 ${POINT}`,
      { envelopeKind: 1, srsId: 2154, envelope: { minX: 1, maxX: 1, minY: 2, maxY: 2 } },
    ],
    [
      'XYZ envelope',
      `47500005 00000000 000000000000f03f 000000000000f03f 0000000000000040 0000000000000040 0000000000000000 0000000000000000 ${POINT}`,
      { envelopeKind: 2, srsId: 0, envelope: { minX: 1, maxX: 1, minY: 2, maxY: 2, minZ: 0, maxZ: 0 } },
    ],
    [
      'XYM envelope',
      `47500007 ffffffff 000000000000f03f 000000000000f03f 0000000000000040 0000000000000040 0000000000001040 0000000000001040 ${POINT}`,
      { envelopeKind: 3, srsId: -1, envelope: { minX: 1, maxX: 1, minY: 2, maxY: 2, minM: 4, maxM: 4 } },
    ],
    [
      'XYZM envelope',
      `47500009 e6100000 000000000000f03f 000000000000f03f 0000000000000040 0000000000000040 0000000000000000 0000000000000000 0000000000001040 0000000000001040 ${POINT}`,
      { envelopeKind: 4, envelope: { minX: 1, maxX: 1, minY: 2, maxY: 2, minZ: 0, maxZ: 0, minM: 4, maxM: 4 } },
    ],
    ['empty flag (POINT EMPTY as NaN)', '47500011 e6100000 0101000000000000000000f87f000000000000f87f', { empty: true, envelopeKind: 0 }],
  ];
  it.each(CASES)('%s', (_name, bytes, expected) => {
    const b = hex(bytes);
    expect(readGpkgHeader(b)).toMatchObject(expected);
    const { geometry } = decodeGpkg(b);
    expect(geometry.type).toBe('Point');
  });

  it('writes points without envelope, other types with an XY one, empties flagged', () => {
    expect(toHex(encodeGpkg({ type: 'Point', hasZ: false, hasM: false, coordinates: [1, 2] }, 4326))).toBe(`47500001e6100000${POINT}`);
    const line = encodeGpkg({ type: 'LineString', hasZ: false, hasM: false, coordinates: [[0, 0], [2, 3]] }, 2154);
    expect(readGpkgHeader(line)).toMatchObject({ envelopeKind: 1, envelope: { minX: 0, maxX: 2, minY: 0, maxY: 3 } });
    expect(readGpkgHeader(encodeGpkg({ type: 'LineString', hasZ: false, hasM: false, coordinates: [] }, 2154))).toMatchObject({ empty: true, envelopeKind: 0 });
  });

  it('refuses members a type cannot hold (a CircularString inside a MultiLineString)', () => {
    const g = gdal();
    const inner = Buffer.from(g.Geometry.fromWKT('CIRCULARSTRING (0 0,1 1,2 0)').toWKB(g.wkbNDR, g.wkbVariantIso));
    const bad = Buffer.concat([Buffer.from('010500000001000000', 'hex'), inner]);
    expect(() => decodeWkb(bad)).toThrow(/MultiLineString cannot contain a CircularString/);
  });
});

describe('linearisation of curves', () => {
  it('keeps the ends, stays on the circle and cuts arcs in steps of at most 4°', () => {
    const arc = decodeWkb(gdal().Geometry.fromWKT('CIRCULARSTRING (-1 0,0 1,1 0)').toWKB('LSB', 'ISO')).geometry;
    const line = linearize(arc);
    expect(line.type).toBe('LineString');
    const pts = (line as { coordinates: number[][] }).coordinates;
    expect(pts[0]).toEqual([-1, 0]);
    expect(pts.at(-1)).toEqual([1, 0]);
    for (const [x, y] of pts) expect(Math.hypot(x as number, y as number)).toBeCloseTo(1, 12);
    // A half circle in steps ≤ 4°: at least 45 segments, all above the x axis (the arc goes through (0, 1)).
    expect(pts.length - 1).toBeGreaterThanOrEqual(45);
    expect(pts.every(([, y]) => (y as number) >= -1e-12)).toBe(true);
  });

  it('turns curve polygons and multisurfaces into polygons and multipolygons', () => {
    const g = gdal();
    const ring = { type: 'CircularString' as const, hasZ: false, hasM: false, coordinates: [[0, 0], [2, 0], [0, 0]] };
    const ms: Geometry = { type: 'MultiSurface', hasZ: false, hasM: false, geometries: [{ type: 'CurvePolygon', hasZ: false, hasM: false, geometries: [ring] }] };
    const lin = linearize(ms);
    expect(lin.type).toBe('MultiPolygon');
    // GEOS finds the full circle of diameter 2 valid, with an area close to π.
    const og = g.Geometry.fromWKB(Buffer.from(encodeWkb(lin)));
    expect(og.isValid()).toBe(true);
    expect((og as unknown as { getArea(): number }).getArea()).toBeCloseTo(Math.PI, 1);
  });
});
