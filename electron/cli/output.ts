import type { ApiError, Result } from '../../shared/contract/index.js';
import { EXIT, exitCodeFor, type ExitCode } from '../../shared/contract/index.js';

export interface OutputOptions {
  json: boolean;
  quiet: boolean;
}

/**
 * Prints a command's Result and says which exit code it deserves.
 *
 * With --json, stdout gets the Result envelope itself (`{"ok":true,"value":…}` or
 * `{"ok":false,"error":…}`), so scripts parse one shape whatever happened. Otherwise the
 * value is printed by `human`, and an error goes to stderr as one sentence.
 */
export function printResult<T>(r: Result<T>, opts: OutputOptions, human: (value: T) => string, findings?: (value: T) => boolean): ExitCode {
  if (opts.json) {
    process.stdout.write(JSON.stringify(r, null, 2) + '\n');
  } else if (r.ok) {
    process.stdout.write(human(r.value));
  } else {
    printError(r.error);
  }
  if (!r.ok) return exitCodeFor(r.error.code);
  return findings?.(r.value) ? EXIT.FINDINGS : EXIT.OK;
}

export function printError(e: ApiError): void {
  const where = e.details?.where && !e.message.includes(e.details.where) ? ` (${e.details.where})` : '';
  process.stderr.write(`passerelle: ${e.code}: ${e.message}${where}\n`);
}

/** Left-pads a table: rows of cells, columns aligned. */
export function table(rows: string[][], indent = '  '): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')).join('\n') + '\n';
}
