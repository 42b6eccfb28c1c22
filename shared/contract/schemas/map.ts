import { z } from 'zod';
import { Extent } from './common.js';

/**
 * A layer the map can draw, served as Mapbox Vector Tiles by the engine.
 *
 * Features never travel as JSON: the renderer asks its transport for the tile URL of
 * (`sourceId`, `layer`), which is `app://tiles/…` in Electron and `/tiles/…` over HTTP.
 */
export const MapLayer = z.object({
  layer: z.string(),
  /**
   * What the layer is for, so the map can style it: observations on top of outlines.
   * `sensitivity-precise`: every observation at its precise place with the level the last
   * sensitivity check gave it; `sensitivity-published`: what would be published (the area of a
   * blurred observation, the point of a level-0 one, nothing for a withheld one).
   */
  role: z.enum(['observations', 'departements', 'communes', 'sensitivity-precise', 'sensitivity-published', 'other']),
  geometryKind: z.enum(['point', 'line', 'polygon', 'mixed']),
  count: z.number().int().nonnegative(),
  extent: Extent.nullable(),
});
export type MapLayer = z.infer<typeof MapLayer>;

export const MapSources = z.object({
  /** Opaque handle of the opened file in tile URLs (never the path itself). */
  sourceId: z.string(),
  layers: z.array(MapLayer),
});
export type MapSources = z.infer<typeof MapSources>;
