import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { extentOf, fieldLabel } from './format.js';
import { usePersisted } from './store.js';

const point = (lon: number, lat: number) => ({ type: 'Point', lon, lat, bbox: [lon, lat, lon, lat] as [number, number, number, number] });

describe('cleanup view helpers', () => {
  it('finds the extent of the flagged observations, leaving out points still in another CRS', () => {
    const e = extentOf([point(6.1, 44.6), null, point(6.5, 45.0), point(950123.4, 6410456.7)]);
    expect(e?.srsId).toBe(4326);
    expect(e?.minX).toBeCloseTo(6.1 - 0.02, 6);
    expect(e?.maxY).toBeCloseTo(45.0 + 0.02, 6);
    // One point is a small box around it, not an empty one.
    const one = extentOf([point(6.4, 44.9)]);
    expect((one?.maxX ?? 0) - (one?.minX ?? 0)).toBeCloseTo(0.004, 6);
    expect(extentOf([point(950123.4, 6410456.7)])).toBeNull();
  });

  it('names synthese fields and observation columns in both languages', () => {
    expect(fieldLabel('observers', 'fr')).toBe('Observateurs');
    expect(fieldLabel('cd_nomenclature_life_stage', 'en')).toBe('Life stage');
    expect(fieldLabel('geom', 'fr')).toBe('Géométrie');
    expect(fieldLabel('something_else', 'en')).toBe('something_else');
  });

  it('keeps a value across unmounts, per key', () => {
    const first = renderHook(() => usePersisted<number | null>('test:a', null));
    act(() => first.result.current[1](3));
    expect(first.result.current[0]).toBe(3);
    first.unmount();
    const again = renderHook(() => usePersisted<number | null>('test:a', null));
    expect(again.result.current[0]).toBe(3);
    act(() => again.result.current[1]((n) => (n ?? 0) + 1));
    expect(again.result.current[0]).toBe(4);
    expect(renderHook(() => usePersisted<number | null>('test:b', null)).result.current[0]).toBeNull();
  });
});
