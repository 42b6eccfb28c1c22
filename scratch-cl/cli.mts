import { runCli } from '../electron/cli/main.ts';
process.exitCode = await runCli(process.argv.slice(2));
