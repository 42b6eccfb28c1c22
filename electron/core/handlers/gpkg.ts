import type { Handlers } from '../dispatch.js';
import { readFeature, readRows } from '../gpkg/read.js';
import { sqliteError } from '../gpkg/open.js';
import { gpkgMapSources } from '../tiles/gpkg-layer.js';
import type { HandlerDeps } from './deps.js';
import { runAsJob } from './workspace.js';

type GpkgHandlers = Pick<Handlers, 'gpkg.open' | 'gpkg.inspect' | 'gpkg.rows' | 'gpkg.feature' | 'gpkg.validate' | 'gpkg.convert' | 'gpkg.mapSources'>;

/**
 * The GeoPackage domain. Inspect, validate and convert run as jobs (they may load GDAL,
 * which lives in job processes); paging rows, one feature and the map's layer list are
 * quick reads on the connection the source registry keeps open.
 */
export function gpkgHandlers(deps: HandlerDeps): GpkgHandlers {
  const onSource = <T>(path: string, fn: (src: ReturnType<HandlerDeps['sources']['gpkg']>) => T): T => {
    const source = deps.sources.register(path);
    try {
      return fn(deps.sources.gpkg(source));
    } catch (e) {
      throw sqliteError(e, path);
    }
  };
  return {
    'gpkg.open': async (input, ctx) => {
      const info = await runAsJob(deps, ctx, 'gpkg.open', 'gpkg.inspect', { path: input.path });
      // Opening again means "show me the file as it is now": drop any connection kept from before.
      deps.sources.refresh(input.path);
      return info;
    },
    'gpkg.inspect': (input, ctx) => runAsJob(deps, ctx, 'gpkg.inspect', 'gpkg.inspect', { path: input.path }),
    'gpkg.rows': async (input) =>
      onSource(input.path, (src) =>
        readRows(src, input.layer, { offset: input.offset, limit: input.limit, filter: input.filter, bbox: input.bbox, geometry: input.geometry, count: input.count }),
      ),
    'gpkg.feature': async (input) => onSource(input.path, (src) => readFeature(src, input.layer, input.fid)),
    'gpkg.validate': (input, ctx) =>
      runAsJob(deps, ctx, 'gpkg.validate', 'gpkg.validate', { path: input.path, geometry: input.geometry, maxPerRule: input.maxPerRule }),
    'gpkg.convert': (input, ctx) => {
      const { jobId: _jobId, ...task } = input;
      return runAsJob(deps, ctx, 'gpkg.convert', 'gpkg.convert', task);
    },
    'gpkg.mapSources': async (input) => {
      const source = deps.sources.register(input.path);
      return gpkgMapSources(deps.sources, source);
    },
  };
}

