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

/** Colours of the SENSIBILITE levels 0–4 (and -1, undetermined), from "published as is" to "withheld". */
export const LEVEL_COLORS: Record<string, string> = {
  '-1': '#868e96',
  '0': '#2f9e44',
  '1': '#fab005',
  '2': '#f76707',
  '3': '#e03131',
  '4': '#862e9c',
};

/**
 * The check's two views of the same observations: where they are (`precise`, each dot coloured
 * by the level it got) and what an open-data export would publish (`published`: the commune,
 * 10 km cell or département polygon of blurred ones, the point of level-0 ones, nothing for
 * withheld ones).
 */
export function sensitivityStyle(kind: 'precise' | 'published', stroke: string): (f: FeatureLike) => Style {
  const cache = new Map<string, Style>();
  return (f) => {
    const level = String(kind === 'precise' ? (f.get('blur') ?? f.get('level') ?? -1) : (f.get('level') ?? 0));
    const color = LEVEL_COLORS[level] ?? '#868e96';
    const key = `${kind}:${level}`;
    let s = cache.get(key);
    if (!s) {
      s = new Style({
        image: new Circle({ radius: kind === 'precise' ? 5 : 4, fill: new Fill({ color }), stroke: new Stroke({ color: stroke, width: 1 }) }),
        stroke: new Stroke({ color, width: 2, lineDash: kind === 'published' ? [6, 4] : undefined }),
        fill: new Fill({ color: `${color}33` }),
      });
      cache.set(key, s);
    }
    return s;
  };
}
