import { describe, expect, it } from 'vitest';
import { FRANCE_BOX, gridCellSquare, inBox, looksSwapped, metresBetween, projectedCandidates } from './coords.js';
import { anchorOf, bboxOf, isEmptyGeometry, parseWkt, pointInPolygonal, WktError } from './geometry.js';

describe('WKT', () => {
  it.each([
    ['POINT(6.5 44.85)', 'Point', [6.5, 44.85, 6.5, 44.85]],
    ['POINT Z (1 2 3)', 'Point', [1, 2, 1, 2]],
    ['SRID=4326;POINT(1 2)', 'Point', [1, 2, 1, 2]],
    ['LINESTRING(0 0, 2 1)', 'LineString', [0, 0, 2, 1]],
    ['POLYGON((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 2 1, 2 2, 1 1))', 'Polygon', [0, 0, 4, 4]],
    ['MULTIPOINT((1 2), (3 4))', 'MultiPoint', [1, 2, 3, 4]],
    ['MULTIPOINT(1 2, 3 4)', 'MultiPoint', [1, 2, 3, 4]],
    ['MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))', 'MultiPolygon', [0, 0, 6, 6]],
    ['GEOMETRYCOLLECTION(POINT(1 1), LINESTRING(0 0, 3 3))', 'GeometryCollection', [0, 0, 3, 3]],
    ['point ( -1.5e1 4.25 )', 'Point', [-15, 4.25, -15, 4.25]],
  ])('%s', (wkt, type, bbox) => {
    const g = parseWkt(wkt);
    expect(g.type).toBe(type);
    expect(bboxOf(g)).toEqual(bbox);
  });

  it('reads EMPTY', () => {
    expect(isEmptyGeometry(parseWkt('POINT EMPTY'))).toBe(true);
    expect(isEmptyGeometry(parseWkt('POLYGON EMPTY'))).toBe(true);
  });

  it.each(['POINT(6.5)', 'POINT(a b)', 'CIRCLE(1 2)', 'POINT(1 2) junk', '', 'POLYGON((0 0, 1 1)'])('refuses %j', (wkt) => {
    expect(() => parseWkt(wkt)).toThrow(WktError);
  });

  it('tests points in polygons with holes', () => {
    const g = parseWkt('POLYGON((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 3 1, 3 3, 1 3, 1 1))');
    expect(pointInPolygonal(0.5, 0.5, g)).toBe(true);
    expect(pointInPolygonal(2, 2, g)).toBe(false);
    expect(pointInPolygonal(5, 5, g)).toBe(false);
    expect(anchorOf(g)).toEqual([2, 2]);
  });
});

describe('coordinates', () => {
  const inFrance = (x: number, y: number) => inBox(x, y, FRANCE_BOX);
  it('finds latitude and longitude swapped', () => {
    expect(looksSwapped(45.0018, 6.4446, inFrance)).toBe(true);
    expect(looksSwapped(6.4446, 45.0018, inFrance)).toBe(false);
    expect(looksSwapped(120, 80, inFrance)).toBe(false);
  });

  it('guesses projected systems, Lambert-93 first', () => {
    expect(projectedCandidates(950123.4, 6410456.7)[0]).toBe('EPSG:2154');
    expect(projectedCandidates(900000, 1950000)).toEqual(['EPSG:27572']);
    expect(projectedCandidates(6.5, 44.8)).toEqual([]);
  });

  it('reads INPN grid codes', () => {
    expect(gridCellSquare('10kmL93E074N695')).toEqual({ size: 10000, minX: 740000, minY: 6950000, maxX: 750000, maxY: 6960000 });
    expect(gridCellSquare('5kmL93E0905N6250')).toEqual({ size: 5000, minX: 905000, minY: 6250000, maxX: 910000, maxY: 6255000 });
    expect(gridCellSquare('10kmL93E999N999')).toBeNull();
    expect(gridCellSquare('nope')).toBeNull();
  });

  it('measures short distances', () => {
    const d = metresBetween([6.4446589, 45.0018639], [6.4446789, 45.0018639]);
    expect(d).toBeGreaterThan(1.4);
    expect(d).toBeLessThan(1.7);
  });
});
