import { resolve } from 'node:path';
import { Option } from 'commander';
import type { ConvertFormat, ConvertReport, GpkgInfo, Result, ValidationReport } from '../../../shared/contract/index.js';
import type { CliContext } from '../context.js';
import { formatConvert, formatGpkgInfo, formatValidation } from '../format-gpkg.js';
import { printResult } from '../output.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

/**
 * `passerelle gpkg inspect|validate|convert`: the GeoPackage domain from the shell.
 *
 * validate exits 0 when the file is clean, 1 when it has errors or warnings, 2 when it
 * cannot be read (not SQLite, not a GeoPackage, truncated…), like every other command.
 */
export function registerGpkg(cli: CliContext): void {
  const gpkg = cli.program.command('gpkg').description('open, inspect, validate and convert GeoPackages (sources are never modified)');

  gpkg
    .command('inspect')
    .description('layers (type, SRS, count, extent, columns), SRS, extensions and unregistered tables of a GeoPackage')
    .argument('<file>', 'GeoPackage to inspect')
    .action(async (file: string) => {
      const r = await cli.call('gpkg.inspect', { path: resolve(file) });
      cli.exit(printResult(r as Result<GpkgInfo>, cli.output(), formatGpkgInfo));
    });

  gpkg
    .command('validate')
    .description('conformance report (OGC GeoPackage requirements, PDOK checks); exit 0 clean, 1 findings, 2 unreadable')
    .argument('<file>', 'GeoPackage to validate')
    .option('--no-geometry', 'skip the per-feature geometry checks (faster on big files)')
    .option('--max <n>', 'findings listed per rule and table before they are summarised', '50')
    .action(async (file: string, opts: { geometry: boolean; max: string }) => {
      const r = await cli.call('gpkg.validate', { path: resolve(file), geometry: opts.geometry, maxPerRule: Number(opts.max) });
      cli.exit(printResult(r as Result<ValidationReport>, cli.output(), formatValidation, (v) => !v.clean));
    });

  gpkg
    .command('convert')
    .description('convert between GeoPackage, GeoJSON, Shapefile, CSV, FlatGeobuf and KML, with reprojection')
    .argument('<source>', 'file to read')
    .argument('<dest>', 'file to write (format from its extension, or --format)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['gpkg', 'geojson', 'shapefile', 'csv', 'flatgeobuf', 'kml']))
    .option('-l, --layer <name>', 'layer to convert (repeat for several; default: all)', collect)
    .option('-t, --t-srs <srs>', 'target coordinate system, e.g. EPSG:2154')
    .option('-s, --s-srs <srs>', 'coordinate system of a source that declares none (CSV: default EPSG:4326)')
    .option('--csv-wkt <column>', 'CSV source: the WKT geometry column')
    .option('--csv-x <column>', 'CSV source: the longitude / X column')
    .option('--csv-y <column>', 'CSV source: the latitude / Y column')
    .option('--overwrite', 'replace an existing destination (atomically)')
    .action(
      async (
        source: string,
        dest: string,
        opts: { format?: ConvertFormat; layer?: string[]; tSrs?: string; sSrs?: string; csvWkt?: string; csvX?: string; csvY?: string; overwrite?: boolean },
      ) => {
        const csv = opts.csvWkt || opts.csvX || opts.csvY ? { ...(opts.csvWkt ? { wkt: opts.csvWkt } : {}), ...(opts.csvX ? { x: opts.csvX } : {}), ...(opts.csvY ? { y: opts.csvY } : {}) } : undefined;
        const r = await cli.call('gpkg.convert', {
          source: resolve(source),
          dest: resolve(dest),
          ...(opts.format ? { format: opts.format } : {}),
          ...(opts.layer ? { layers: opts.layer } : {}),
          ...(opts.tSrs ? { targetSrs: opts.tSrs } : {}),
          ...(opts.sSrs ? { sourceSrs: opts.sSrs } : {}),
          ...(csv ? { csv } : {}),
          overwrite: opts.overwrite === true,
        });
        cli.exit(printResult(r as Result<ConvertReport>, cli.output(), formatConvert));
      },
    );
}
