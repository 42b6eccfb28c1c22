import { Option } from 'commander';
import type { Result, WorkspaceSummary } from '../../../shared/contract/index.js';
import type { CliContext } from '../context.js';
import { formatSummary } from '../format-summary.js';
import { printResult } from '../output.js';

/** `passerelle demo [-w PATH]`: the summary of a workspace, by default the bundled demo. */
export function registerDemo(cli: CliContext): void {
  cli.program
    .command('demo')
    .description('summary of a workspace: layers, observations, dates, taxa, JDD, extent (default: the bundled demo)')
    .addOption(new Option('-w, --workspace <path>', 'workspace .gpkg, or "demo" for the bundled demo').env('PASSERELLE_WORKSPACE').default('demo'))
    .action(async (opts: { workspace: string }) => {
      const r = await cli.call('workspace.summary', { path: cli.workspacePath(opts.workspace) });
      cli.exit(printResult(r as Result<WorkspaceSummary>, cli.output(), formatSummary));
    });
}
