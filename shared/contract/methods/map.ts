import { z } from 'zod';
import { AbsolutePath } from '../schemas/common.js';
import { MapSources } from '../schemas/map.js';
import { method, type MethodSpec } from './define.js';

export const mapMethods = {
  /** The layers of a workspace the map can draw, and the handle for their tiles. */
  'map.sources': method(z.object({ path: AbsolutePath }).strict(), MapSources, { uses: ['path'] }),
} as const satisfies Record<string, MethodSpec>;
