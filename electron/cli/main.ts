import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { EXIT, type ExitCode, type In, type Method, type Result } from '../../shared/contract/index.js';
import { createEngine, type Engine } from '../core/engine.js';
import { ALLOW_ALL } from '../core/files/grants.js';
import { InProcessRunner } from '../core/jobs/in-process-runner.js';
import { appVersion } from '../core/paths.js';
import { formatInfo, formatSummary } from './format-summary.js';
import { printResult, type OutputOptions } from './output.js';
import { createProgressPrinter } from './progress.js';

interface GlobalOpts {
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

/**
 * The CLI: the same contract methods as the UI, in-process, grouped by domain
 * (`passerelle gpkg …`, `passerelle geonature …`), with --json everywhere, progress on
 * stderr and one exit-code table (see docs/cli.md).
 */
export async function runCli(argv: readonly string[]): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.OK;
  let engine: Engine | null = null;
  const runner = new InProcessRunner();
  let interrupted = 0;
  const onSigint = () => {
    interrupted++;
    if (interrupted > 1) process.exit(EXIT.CANCELLED);
    process.stderr.write('\npasserelle: cancelling… (Ctrl-C again to quit now)\n');
    runner.cancelAll();
  };
  process.on('SIGINT', onSigint);

  const getEngine = (o: GlobalOpts): Engine => (engine ??= createEngine({ host: 'cli', runner, echoLog: o.verbose === true }));

  /** Calls a contract method in-process with progress on stderr. */
  const call = async <M extends Method>(o: GlobalOpts, method: M, input: In<M>): Promise<Result<unknown>> => {
    const progress = createProgressPrinter(o.quiet === true);
    try {
      return await getEngine(o).dispatch(method, input, { emit: progress.emit, paths: ALLOW_ALL });
    } finally {
      progress.done();
    }
  };
  const out = (o: GlobalOpts): OutputOptions => ({ json: o.json === true, quiet: o.quiet === true });

  const program = new Command();
  program
    .name('passerelle')
    .description('Passerelle: GeoNature workspaces, SINP metadata, sensitivity, cleanup and export bundles')
    .version(appVersion())
    .option('--json', 'print the result as JSON on stdout ({"ok":…})')
    .option('-q, --quiet', 'no progress on stderr')
    .option('-v, --verbose', 'echo the engine log on stderr')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('info')
    .description('versions of Passerelle, GDAL, PROJ, GEOS, SQLite; whether PostgreSQL/PostGIS is reachable')
    .action(async () => {
      const o = program.opts<GlobalOpts>();
      const r = await call(o, 'app.info', {});
      exitCode = printResult(r as Result<Parameters<typeof formatInfo>[0]>, out(o), formatInfo);
    });

  program
    .command('demo')
    .description('summary of a workspace: layers, observations, dates, taxa, JDD, extent (default: the bundled demo)')
    .addOption(
      new Option('-w, --workspace <path>', 'workspace .gpkg, or "demo" for the bundled demo').env('PASSERELLE_WORKSPACE').default('demo'),
    )
    .action(async (opts: { workspace: string }) => {
      const o = program.opts<GlobalOpts>();
      const e = getEngine(o);
      const path = opts.workspace === 'demo' ? e.demoPath : resolve(opts.workspace);
      const r = await call(o, 'workspace.summary', { path });
      exitCode = printResult(r as Result<Parameters<typeof formatSummary>[0]>, out(o), formatSummary);
    });

  program
    .command('web')
    .description('serve the Passerelle UI on http://127.0.0.1 (the same UI as the desktop app)')
    .option('-p, --port <port>', 'port (0 = any free port)', '4317')
    .option('--no-jobs-warmup', 'do not start a job process before the first job')
    .action(async (opts: { port: string; jobsWarmup: boolean }) => {
      const { startWebHost } = await import('../web/start.js');
      const host = await startWebHost({ port: Number(opts.port), warm: opts.jobsWarmup });
      process.off('SIGINT', onSigint);
      process.stdout.write(`Passerelle is served at ${host.url}\n(open this address; it carries the session token. Ctrl-C to stop.)\n`);
      await new Promise<void>((resolveStop) => {
        process.once('SIGINT', () => resolveStop());
        process.once('SIGTERM', () => resolveStop());
      });
      await host.close();
      exitCode = EXIT.OK;
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    const err = e as { code?: string; exitCode?: number; message?: string };
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.OK;
    if (typeof err.code === 'string' && err.code.startsWith('commander.')) return EXIT.BAD_INPUT;
    process.stderr.write(`passerelle: INTERNAL: ${err.message ?? String(e)}\n`);
    exitCode = EXIT.INTERNAL;
  } finally {
    process.off('SIGINT', onSigint);
    const e = engine as Engine | null;
    if (e) await e.close();
  }
  return exitCode;
}
