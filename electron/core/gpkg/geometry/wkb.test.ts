import { describe, expect, it } from 'vitest';
import { decodeHexWkb, decodeWkb, encodeWkb, WkbError } from './wkb.js';
import { decodeGpkg, encodeGpkg, readGpkgHeader } from './gpkg-binary.js';
import { toGeoJson } from './geojson.js';

const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));

// Known byte strings, in the table style of OpenLayers' WKB tests.
const CASES: Array<[string, string, unknown]> = [
  ['POINT (1 2) little-endian', '0101000000000000000000f03f0000000000000040', { type: 'Point', coordinates: [1, 2] }],
  ['POINT (1 2) big-endian', '00000000013ff00000000000004000000000000000', { type: 'Point', coordinates: [1, 2] }],
  ['POINT Z (1 2 3) ISO', '01e9030000000000000000f03f00000000000000400000000000000840', { type: 'Point', coordinates: [1, 2, 3] }],
  ['POINT M (1 2 4) ISO drops M', '01d1070000000000000000f03f00000000000000400000000000001040', { type: 'Point', coordinates: [1, 2] }],
  [
    'LINESTRING (0 0, 1 1)',
    '01020000000200000000000000000000000000000000000000000000000000f03f000000000000f03f',
    { type: 'LineString', coordinates: [[0, 0], [1, 1]] },
  ],
];

describe('WKB codec', () => {
  it.each(CASES)('%s', (_name, bytes, geojson) => {
    const { geometry } = decodeWkb(hex(bytes));
    expect(toGeoJson(geometry)).toEqual(geojson);
    // Round trip through our encoder keeps every coordinate (and M).
    expect(decodeWkb(encodeWkb(geometry)).geometry).toEqual(geometry);
  });

  it('reads PostGIS EWKB with its SRID (a real row of the 2018 Écrins dump)', () => {
    const { geometry, srid } = decodeHexWkb('0101000020E6100000100F89CBFAF11940B90E83FEE6764640');
    expect(srid).toBe(4326);
    expect(geometry.type).toBe('Point');
    expect(toGeoJson(geometry).type).toBe('Point');
  });

  it('refuses truncated WKB with the offset of the problem', () => {
    expect(() => decodeWkb(hex('0101000000000000000000f03f'))).toThrowError(WkbError);
    expect(() => decodeWkb(hex('0101000000000000000000f03f'))).toThrowError(/truncated \(at byte 13\)/);
  });

  it('refuses implausible counts instead of allocating them', () => {
    expect(() => decodeWkb(hex('0102000000ffffff7f'))).toThrowError(/Implausible element count/);
  });
});

describe('GeoPackage binary', () => {
  it('writes the header the spec describes and reads it back', () => {
    const poly = {
      type: 'Polygon' as const,
      hasZ: false,
      hasM: false,
      coordinates: [[[0, 0], [2, 0], [2, 3], [0, 0]]],
    };
    const blob = encodeGpkg(poly, 2154);
    const h = readGpkgHeader(blob);
    expect([blob[0], blob[1]]).toEqual([0x47, 0x50]);
    expect(h).toMatchObject({ version: 0, littleEndian: true, envelopeKind: 1, empty: false, srsId: 2154 });
    expect(h.envelope).toEqual({ minX: 0, maxX: 2, minY: 0, maxY: 3 });
    expect(decodeGpkg(blob).geometry).toEqual(poly);
  });

  it('flags an empty point and gives it no envelope', () => {
    const blob = encodeGpkg({ type: 'Point', hasZ: false, hasM: false, coordinates: [] }, 4326);
    const h = readGpkgHeader(blob);
    expect(h.empty).toBe(true);
    expect(h.envelopeKind).toBe(0);
  });

  it('refuses a blob without the GP magic', () => {
    expect(() => readGpkgHeader(hex('0101000000000000000000f03f0000000000000040'))).toThrowError(/magic/);
  });
});
