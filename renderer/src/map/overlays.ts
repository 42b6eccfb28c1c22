import type { Extent } from '../../../shared/contract/index.js';

/** Where a map layer's features come from, so a click can ask the engine for the full feature. */
export type OverlaySource = { kind: 'workspace'; path: string; layer: string } | { kind: 'gpkg'; path: string; layer: string };

/** One vector-tile layer on the map. */
export interface MapOverlay {
  /** Stable id (also the key of its visibility). */
  id: string;
  label: string;
  /** Tile URL template with {z}/{x}/{y}. */
  url: string;
  /** How to draw it: outlines for reference areas, dots/lines/fills for data. */
  role: 'departements' | 'communes' | 'observations' | 'data' | 'sensitivity-precise' | 'sensitivity-published';
  geometryKind: 'point' | 'line' | 'polygon' | 'mixed';
  /** Colour of a data layer. */
  color?: string;
  source: OverlaySource;
  extent: Extent | null;
}

/** Colours for GeoPackage layers, distinct from the observations' orange. */
export const DATA_COLORS = ['#1c7ed6', '#7048e8', '#2f9e44', '#c2255c', '#0c8599', '#5c940d', '#9c36b5', '#e67700'];
