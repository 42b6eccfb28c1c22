import { resolve } from 'node:path';
import { Option } from 'commander';
import {
  EXIT,
  type BrowseResult,
  type ConnectionTest,
  type ExitCode,
  type GeoNatureConnection,
  type In,
  type Method,
  type PullEstimate,
  type PullReport,
  type PushReport,
  type Result,
} from '../../../shared/contract/index.js';
import type { CliContext } from '../context.js';
import { formatBrowse, formatEstimate, formatPull, formatPush, formatTest } from '../format-geonature.js';
import { cliConnection, ConnectionOptionError, promptPassword, withConnectionOptions, type ConnectionOpts } from '../geonature-connection.js';
import { printResult } from '../output.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

interface FilterOpts {
  ca?: string[];
  jdd?: string[];
  taxon?: string[];
  from?: string;
  to?: string;
  bbox?: string;
  area?: string[];
}

function filtersOf(o: FilterOpts): In<'geonature.estimate'>['filters'] {
  const bbox = o.bbox?.split(',').map(Number);
  if (bbox && (bbox.length !== 4 || bbox.some((n) => !Number.isFinite(n)))) throw new ConnectionOptionError('--bbox takes minLon,minLat,maxLon,maxLat');
  return {
    frameworks: o.ca ?? [],
    datasets: o.jdd ?? [],
    taxa: (o.taxon ?? []).map((t) => Number(t)),
    dateFrom: o.from ?? null,
    dateTo: o.to ?? null,
    bbox: bbox ? (bbox as [number, number, number, number]) : null,
    areas: (o.area ?? []).map((a) => {
      const i = a.indexOf(':');
      return i > 0 ? { type: a.slice(0, i), code: a.slice(i + 1) } : { type: null, code: a };
    }),
  };
}

function withFilters(cmd: ReturnType<CliContext['program']['command']>) {
  return cmd
    .option('--ca <uuid>', 'only this CA (repeat for several)', collect)
    .option('--jdd <uuid>', 'only this JDD (repeat for several)', collect)
    .option('--taxon <cd_nom>', 'only this taxon and its descendants (repeat for several)', collect)
    .option('--from <date>', 'observations from this day (YYYY-MM-DD, on date_min)')
    .option('--to <date>', 'observations up to this day included (YYYY-MM-DD, on date_min)')
    .option('--bbox <minLon,minLat,maxLon,maxLat>', 'observations intersecting this WGS 84 box')
    .option('--area <[TYPE:]CODE>', 'observations in this ref_geo area, e.g. DEP:05 or COM:05101 (repeat for several)', collect);
}

const SERVICE_STATUSES = new Set(['unreachable', 'ssh_failed', 'auth_failed', 'insufficient_privileges']);

/**
 * `passerelle geonature test | browse | estimate | pull | push`: the GeoNature domain from the shell.
 *
 * The connection comes from --profile, --url, PASSERELLE_PG_URL or the PG* variables; the
 * password from PGPASSWORD, or from a prompt on a terminal when the server asks for one. Exit 3
 * when the database cannot be reached or refuses the credentials (docs/cli.md).
 */
export function registerGeoNature(cli: CliContext): void {
  const gn = cli.program.command('geonature').description('connect to a GeoNature database, browse it, pull a workspace, push metadata changes back');

  /** Calls a method with the CLI's connection; asks for the password once if the server wants one. */
  const callWith = async <M extends Method>(opts: ConnectionOpts, method: M, build: (c: GeoNatureConnection) => In<M>, needsPassword: (r: Result<unknown>) => boolean): Promise<Result<unknown> | null> => {
    let password = process.env.PGPASSWORD;
    for (let attempt = 0; ; attempt++) {
      let conn: GeoNatureConnection;
      try {
        conn = cliConnection(opts, process.env, password);
      } catch (e) {
        if (!(e instanceof ConnectionOptionError)) throw e;
        process.stderr.write(`passerelle: INVALID_INPUT: ${e.message}\n`);
        cli.exit(EXIT.BAD_INPUT);
        return null;
      }
      const r = await cli.call(method, build(conn));
      if (attempt === 0 && password === undefined && process.stdin.isTTY && needsPassword(r)) {
        password = await promptPassword('Password: ');
        continue;
      }
      return r;
    }
  };
  const authFailed = (r: Result<unknown>) => !r.ok && r.error.code === 'AUTH_FAILED';
  const run = async <M extends Method, T>(
    opts: ConnectionOpts,
    method: M,
    build: (c: GeoNatureConnection) => In<M>,
    human: (v: T) => string,
    findings?: (v: T) => boolean,
  ): Promise<void> => {
    const r = await callWith(opts, method, build, authFailed);
    if (r) cli.exit(printResult(r as Result<T>, cli.output(), human, findings));
  };

  withConnectionOptions(gn.command('test'))
    .description('test a connection: unreachable, authentication, not GeoNature, missing schema or column, privileges (exit 0 ok, 2 incompatible, 3 unreachable/refused)')
    .option('--timeout <ms>', 'give up after this long', '10000')
    .action(async (opts: ConnectionOpts & { timeout: string }) => {
      const r = await callWith(
        opts,
        'geonature.test',
        (connection) => ({ connection, timeoutMs: Number(opts.timeout) }),
        (x) => x.ok && (x.value as ConnectionTest).status === 'auth_failed',
      );
      if (!r) return;
      let code: ExitCode = printResult(r as Result<ConnectionTest>, cli.output(), formatTest);
      if (r.ok) {
        const status = (r.value as ConnectionTest).status;
        code = status === 'ok' ? EXIT.OK : SERVICE_STATUSES.has(status) ? EXIT.SERVICE : EXIT.BAD_INPUT;
      }
      cli.exit(code);
    });

  withConnectionOptions(gn.command('browse'))
    .description('the CA → JDD tree with decoded nomenclatures and per-JDD counts, taxa and dates')
    .action(async (opts: ConnectionOpts) => run<'geonature.browse', BrowseResult>(opts, 'geonature.browse', (connection) => ({ connection }), formatBrowse));

  withFilters(withConnectionOptions(gn.command('estimate')))
    .description('how many observations a pull with these filters would bring')
    .action(async (opts: ConnectionOpts & FilterOpts) =>
      run<'geonature.estimate', PullEstimate>(opts, 'geonature.estimate', (connection) => ({ connection, filters: filtersOf(opts) }), formatEstimate),
    );

  withFilters(withConnectionOptions(gn.command('pull')))
    .description('pull a filtered extract into a new workspace (--out) or merge it into an existing one (-w): local changes are kept, conflicts listed')
    .option('-o, --out <path>', 'new workspace .gpkg to create')
    .addOption(new Option('-w, --workspace <path>', 'existing workspace to refresh').env('PASSERELLE_WORKSPACE'))
    .option('--title <title>', 'title of the workspace')
    .option('--overwrite', 'with --out: replace an existing file (atomically)')
    .action(async (opts: ConnectionOpts & FilterOpts & { out?: string; workspace?: string; title?: string; overwrite?: boolean }) => {
      let filters: In<'geonature.estimate'>['filters'];
      try {
        filters = filtersOf(opts);
      } catch (e) {
        process.stderr.write(`passerelle: INVALID_INPUT: ${(e as Error).message}\n`);
        cli.exit(EXIT.BAD_INPUT);
        return;
      }
      await run<'geonature.pull', PullReport>(
        opts,
        'geonature.pull',
        (connection) => ({
          connection,
          filters,
          ...(opts.out ? { out: resolve(opts.out) } : {}),
          ...(opts.workspace ? { workspace: cli.workspacePath(opts.workspace) } : {}),
          ...(opts.title ? { title: opts.title } : {}),
          overwrite: opts.overwrite === true,
        }),
        formatPull,
      );
    });

  withConnectionOptions(gn.command('push'))
    .description('push the workspace’s metadata changes (CA/JDD edits, new JDD, observation moves) in one transaction; --dry-run shows the diff')
    .addOption(new Option('-w, --workspace <path>', 'workspace to push').env('PASSERELLE_WORKSPACE').makeOptionMandatory())
    .option('--dry-run', 'show what would change (exit 1 if there are conflicts), write nothing')
    .action(async (opts: ConnectionOpts & { workspace: string; dryRun?: boolean }) =>
      run<'geonature.push', PushReport>(
        opts,
        'geonature.push',
        (connection) => ({ connection, workspace: cli.workspacePath(opts.workspace), dryRun: opts.dryRun === true }),
        formatPush,
        (v) => v.conflicts.length > 0,
      ),
    );
}
