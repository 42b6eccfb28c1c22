import type { EventName, EventPayload } from '../../shared/contract/index.js';

/**
 * Shows job progress on stderr: a bar redrawn in place on a terminal, one line per step
 * otherwise (logs, CI). stdout stays clean for the result.
 */
export function createProgressPrinter(quiet: boolean): {
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  done(): void;
} {
  const tty = process.stderr.isTTY === true;
  let drawn = false;
  let lastLine = '';
  return {
    emit(name, payload) {
      if (quiet || name !== 'job.progress') return;
      const p = payload as EventPayload<'job.progress'>;
      const pct = p.total ? Math.min(100, Math.floor((p.done / p.total) * 100)) : null;
      if (tty) {
        const width = 30;
        const filled = pct === null ? 0 : Math.round((pct / 100) * width);
        const bar = pct === null ? ' '.repeat(width) : '#'.repeat(filled) + ' '.repeat(width - filled);
        process.stderr.write(`\r[${bar}] ${pct === null ? '…' : `${pct}%`} ${p.message}`.padEnd(70));
        drawn = true;
      } else {
        const line = `progress ${p.method} ${p.done}/${p.total ?? '?'} ${p.message}`;
        if (line !== lastLine) process.stderr.write(line + '\n');
        lastLine = line;
      }
    },
    done() {
      if (drawn) process.stderr.write('\r' + ' '.repeat(72) + '\r');
      drawn = false;
    },
  };
}
