#!/usr/bin/env node
// The `passerelle` command. The CLI is compiled to dist/ by `npm run build` (part of `npm run setup`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/electron/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('passerelle: not built yet. Run `npm run setup` (or `npm run build`) first.\n');
  process.exit(4);
}
const { runCli } = await import(entry.href);
const code = await runCli(process.argv.slice(2));
process.exitCode = code;
