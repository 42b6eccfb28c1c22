import { z } from 'zod';
import { Extent, IsoDate } from './common.js';

/** One entry of the workspace's gpkg_contents, with what a user wants to know first. */
export const LayerSummary = z.object({
  name: z.string(),
  dataType: z.enum(['features', 'attributes', 'tiles', 'other']),
  /** Declared geometry type (POINT, MULTIPOLYGON…), null for attribute tables. */
  geometryType: z.string().nullable(),
  srsId: z.number().int().nullable(),
  count: z.number().int().nonnegative(),
});
export type LayerSummary = z.infer<typeof LayerSummary>;

/** A jeu de données (JDD) as the workspace knows it, with its observation count. */
export const DatasetSummary = z.object({
  uuid: z.string(),
  name: z.string(),
  observations: z.number().int().nonnegative(),
});

/** What `passerelle demo` prints and the UI's workspace panel shows. */
export const WorkspaceSummary = z.object({
  path: z.string(),
  /**
   * The file actually read when it is not `path`: the bundled demo is never modified, so once
   * something was written to "the demo", its working copy in PASSERELLE_HOME is what is read.
   */
  workingCopy: z.string().nullable(),
  formatVersion: z.number().int(),
  title: z.string(),
  layers: z.array(LayerSummary),
  observations: z.object({
    count: z.number().int().nonnegative(),
    dateMin: IsoDate.nullable(),
    dateMax: IsoDate.nullable(),
    taxa: z.number().int().nonnegative(),
    observers: z.number().int().nonnegative(),
  }),
  datasets: z.array(DatasetSummary),
  /** Extent of the observations in WGS 84 (EPSG:4326, longitude/latitude order). */
  extent: Extent.nullable(),
  /** Where the data came from, for the user and for provenance. */
  source: z.string().nullable(),
});
export type WorkspaceSummary = z.infer<typeof WorkspaceSummary>;
