import type { Bilingual, Extent, GeometryHint, Severity } from '../../../shared/contract/index.js';
import { fieldOfColumn, targetField } from '../../../shared/cleanup/fields.js';

export type Lang = 'fr' | 'en';

/** The UI language as the engine's bilingual texts name it. */
export const langOf = (language: string | undefined): Lang => (language?.startsWith('en') ? 'en' : 'fr');

/** An engine text ({fr, en}) in the current language. */
export const bi = (text: Bilingual, lang: Lang): string => text[lang] || text.fr;

/** A cell value as the tables show it. */
export function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export const SEVERITY_COLOR: Record<Severity, string> = { error: 'red', warning: 'orange', info: 'blue' };

/** A synthese field (mapping key) or an observations column (finding field), named for the user. */
export function fieldLabel(key: string, lang: Lang): string {
  const f = targetField(key) ?? fieldOfColumn(key);
  if (f) return f.label[lang];
  if (key === 'geom') return lang === 'fr' ? 'Géométrie' : 'Geometry';
  if (key === 'fid') return lang === 'fr' ? 'Observation' : 'Observation';
  return key;
}

/** Coordinate systems offered in the pickers (any EPSG code can be typed). */
export const COMMON_CRS: readonly { value: string; label: string }[] = [
  { value: 'EPSG:4326', label: 'EPSG:4326 · WGS 84 (lon/lat)' },
  { value: 'EPSG:2154', label: 'EPSG:2154 · RGF93 / Lambert-93' },
  { value: 'EPSG:27572', label: 'EPSG:27572 · NTF / Lambert II étendu' },
  { value: 'EPSG:4171', label: 'EPSG:4171 · RGF93 (lon/lat)' },
  { value: 'EPSG:3857', label: 'EPSG:3857 · Web Mercator' },
  { value: 'EPSG:32631', label: 'EPSG:32631 · UTM 31N' },
  { value: 'EPSG:32632', label: 'EPSG:32632 · UTM 32N' },
  { value: 'EPSG:3944', label: 'EPSG:3944 · CC44' },
  { value: 'EPSG:3945', label: 'EPSG:3945 · CC45' },
];

/** The smallest extent (WGS 84) holding these geometries, padded so that one point is not a zero-size box. */
export function extentOf(hints: readonly (GeometryHint | null)[]): Extent | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const h of hints) {
    if (!h) continue;
    const [a, b, c, d] = h.bbox;
    // A point still in another CRS (950123, 6410456) is not a place on the map.
    if (![a, b, c, d].every(Number.isFinite) || Math.abs(a) > 180 || Math.abs(c) > 180 || Math.abs(b) > 90 || Math.abs(d) > 90) continue;
    minX = Math.min(minX, a);
    minY = Math.min(minY, b);
    maxX = Math.max(maxX, c);
    maxY = Math.max(maxY, d);
  }
  if (!Number.isFinite(minX)) return null;
  const pad = Math.max(0.002, (maxX - minX) * 0.05, (maxY - minY) * 0.05);
  return { srsId: 4326, minX: minX - pad, minY: minY - pad, maxX: maxX + pad, maxY: maxY + pad };
}

/** True when a value reads as degrees of longitude/latitude (the main map and the mini map draw only those). */
export const isLonLat = (h: GeometryHint): boolean => Math.abs(h.lon) <= 180 && Math.abs(h.lat) <= 90;
