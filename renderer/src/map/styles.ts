import { Circle, Fill, Stroke, Style } from 'ol/style.js';
import type { FeatureLike } from 'ol/Feature.js';

/** Colours of the map, per colour scheme (no basemap: outlines are the reference). */
export interface MapPalette {
  background: string;
  departement: string;
  commune: string;
  observation: string;
  observationStroke: string;
}

export const PALETTES: Record<'light' | 'dark', MapPalette> = {
  light: { background: '#f1f3f5', departement: '#343a40', commune: '#adb5bd', observation: '#e8590c', observationStroke: '#ffffff' },
  dark: { background: '#1f2125', departement: '#dee2e6', commune: '#495057', observation: '#ff922b', observationStroke: '#1a1b1e' },
};

export function departementStyle(p: MapPalette): Style {
  return new Style({ stroke: new Stroke({ color: p.departement, width: 2 }) });
}

export function communeStyle(p: MapPalette): Style {
  return new Style({ stroke: new Stroke({ color: p.commune, width: 0.75 }) });
}

/**
 * Observations: a dot, bigger where the engine grouped several at low zoom (tag `n`),
 * so a dense area never looks emptier than it is.
 */
export function observationStyle(p: MapPalette): (f: FeatureLike) => Style {
  const cache = new Map<number, Style>();
  return (f) => {
    const n = Number(f.get('n') ?? 1);
    const radius = Math.min(12, 4 + Math.log2(Math.max(1, n)));
    const key = Math.round(radius * 2);
    let s = cache.get(key);
    if (!s) {
      s = new Style({
        image: new Circle({ radius, fill: new Fill({ color: p.observation }), stroke: new Stroke({ color: p.observationStroke, width: 1 }) }),
        stroke: new Stroke({ color: p.observation, width: 2 }),
        fill: new Fill({ color: `${p.observation}55` }),
      });
      cache.set(key, s);
    }
    return s;
  };
}
