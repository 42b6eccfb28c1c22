import { resolve } from 'node:path';
import { Command } from 'commander';
import { EXIT, type ExitCode } from '../../shared/contract/index.js';
import { createEngine, type Engine } from '../core/engine.js';
import { ALLOW_ALL } from '../core/files/grants.js';
import { InProcessRunner } from '../core/jobs/in-process-runner.js';
import { appVersion } from '../core/paths.js';
import { registerDemo } from './commands/demo.js';
import { registerGpkg } from './commands/gpkg.js';
import { registerGeoNature } from './commands/geonature.js';
import { registerMetadata } from './commands/metadata.js';
import { registerClean } from './commands/clean.js';
import { registerInfo } from './commands/info.js';
import { registerSensitivity } from './commands/sensitivity.js';
import { registerBundle } from './commands/bundle.js';
import { registerPublish } from './commands/publish.js';
import { registerWeb } from './commands/web.js';
import type { CliContext, GlobalOpts } from './context.js';
import { createProgressPrinter } from './progress.js';

/**
 * The CLI: the same contract methods as the UI, run in-process, grouped by domain
 * (`passerelle gpkg …`, `passerelle geonature …`), with --json everywhere, progress on
 * stderr and one exit-code table (docs/cli.md). Each group lives in `commands/`.
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

  const opts = () => program.opts<GlobalOpts>();
  const cli: CliContext = {
    program,
    engine: () => (engine ??= createEngine({ host: 'cli', runner, echoLog: opts().verbose === true })),
    async call(method, input) {
      const progress = createProgressPrinter(opts().quiet === true);
      try {
        return await cli.engine().dispatch(method, input, { emit: progress.emit, paths: ALLOW_ALL });
      } finally {
        progress.done();
      }
    },
    output: () => ({ json: opts().json === true, quiet: opts().quiet === true }),
    exit: (code) => {
      exitCode = code;
    },
    workspacePath: (value) => (value === 'demo' ? cli.engine().demoPath : resolve(value)),
    releaseSigint: () => process.off('SIGINT', onSigint),
  };

  registerInfo(cli);
  registerDemo(cli);
  registerGpkg(cli);
  registerGeoNature(cli);
  registerMetadata(cli);
  registerClean(cli);
  registerSensitivity(cli);
  registerBundle(cli);
  registerPublish(cli);
  registerWeb(cli);

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    const err = e as { code?: string; message?: string };
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
