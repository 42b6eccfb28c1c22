import { EXIT } from '../../../shared/contract/index.js';
import type { CliContext } from '../context.js';

/** `passerelle web`: serves the UI on 127.0.0.1 until Ctrl-C. */
export function registerWeb(cli: CliContext): void {
  cli.program
    .command('web')
    .description('serve the Passerelle UI on http://127.0.0.1 (the same UI as the desktop app)')
    .option('-p, --port <port>', 'port (0 = any free port)', '4317')
    .option('--no-jobs-warmup', 'do not start a job process before the first job')
    .action(async (opts: { port: string; jobsWarmup: boolean }) => {
      const { startWebHost } = await import('../../web/start.js');
      const host = await startWebHost({ port: Number(opts.port), warm: opts.jobsWarmup });
      cli.releaseSigint();
      process.stdout.write(`Passerelle is served at ${host.url}\n(open this address: it carries the session token. Ctrl-C to stop.)\n`);
      await new Promise<void>((resolveStop) => {
        process.once('SIGINT', () => resolveStop());
        process.once('SIGTERM', () => resolveStop());
      });
      await host.close();
      cli.exit(EXIT.OK);
    });
}
