import { describe, expect, it } from 'vitest';
import { pathsOf } from './dispatch.js';

describe('the path policy reads every path a field names', () => {
  it.each([
    [{ path: '/a.gpkg' }, 'path', ['/a.gpkg']],
    [{ referentials: ['/r1.csv', '/r2.csv'] }, 'referentials', ['/r1.csv', '/r2.csv']],
    [{ load: [{ path: '/t.csv', kind: 'taxonomy' }, { path: '/r.csv' }] }, 'load[].path', ['/t.csv', '/r.csv']],
    [{ load: [] }, 'load[].path', []],
    [{}, 'path', []],
    [{ path: 42 }, 'path', []],
  ] as const)('%j · %s', (input, field, expected) => {
    expect(pathsOf(input, field)).toEqual(expected);
  });
});
