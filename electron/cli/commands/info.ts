import type { AppInfo, Result } from '../../../shared/contract/index.js';
import type { CliContext } from '../context.js';
import { formatInfo } from '../format-summary.js';
import { printResult } from '../output.js';

/** `passerelle info` */
export function registerInfo(cli: CliContext): void {
  cli.program
    .command('info')
    .description('versions of Passerelle, GDAL, PROJ, GEOS, SQLite; whether PostgreSQL/PostGIS is reachable')
    .action(async () => {
      const r = await cli.call('app.info', {});
      cli.exit(printResult(r as Result<AppInfo>, cli.output(), formatInfo));
    });
}
