import { Circle, Fill, Stroke, Style } from 'ol/style.js';
import type { FeatureLike } from 'ol/Feature.js';

/** Colours of the map, per colour scheme (no basemap: outlines are the reference). */
export interface MapPalette {
  background: string;
  departement: string;
  commune: string;
  observation: string;
  observationStroke: string;
  highlight: string;
}

export const PALETTES: Record<'light' | 'dark', MapPalette> = {
  light: { background: '#f1f3f5', departement: '#343a40', commune: '#adb5bd', observation: '#e8590c', observationStroke: '#ffffff', highlight: '#fab005' },
  dark: { background: '#1f2125', departement: '#dee2e6', commune: '#495057', observation: '#ff922b', observationStroke: '#1a1b1e', highlight: '#ffd43b' },
};

export function departementStyle(p: MapPalette): Style {
  return new Style({ stroke: new Stroke({ color: p.departement, width: 2 }) });
}

export function communeStyle(p: MapPalette): Style {
  return new Style({ stroke: new Stroke({ color: p.commune, width: 0.75 }) });
}

/**
 * Dots, lines and fills of one colour; a dot grows where the engine grouped several
 * features at low zoom (tag `n`), so a dense area never looks emptier than it is.
 */
export function dataStyle(color: string, stroke: string, highlightFid: () => number | null, highlight: string): (f: FeatureLike) => Style {
  const cache = new Map<string, Style>();
  return (f) => {
    const n = Number(f.get('n') ?? 1);
    const radius = Math.min(12, 4 + Math.log2(Math.max(1, n)));
    const hot = highlightFid() !== null && (f.getId() === highlightFid() || f.get('fid') === highlightFid());
    const key = `${Math.round(radius * 2)}:${hot}`;
    let s = cache.get(key);
    if (!s) {
      const c = hot ? highlight : color;
      s = new Style({
        image: new Circle({ radius: hot ? radius + 3 : radius, fill: new Fill({ color: c }), stroke: new Stroke({ color: stroke, width: 1 }) }),
        stroke: new Stroke({ color: c, width: hot ? 4 : 2 }),
        fill: new Fill({ color: `${c}40` }),
        zIndex: hot ? 10 : 0,
      });
      cache.set(key, s);
    }
    return s;
  };
}
