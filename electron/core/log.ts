import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  readonly file: string;
  debug(msg: string, data?: Record<string, unknown>): void;
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

/** Rotation: the file is moved aside at this size; this many old files are kept. */
const MAX_BYTES = 5 * 1024 * 1024;
const KEEP = 3;

// Anything that looks like a secret is masked before it reaches the disk.
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/(postgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]+@/gi, '$1***@'],
  [/((?:password|passwd|pwd|pgpassword|secret|token)\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&}]+)/gi, '$1***'],
];
const SECRET_KEYS = /pass(word)?|pwd|secret|token/i;

/** Masks passwords and tokens in a log line. Exported for tests. */
export function redact(text: string): string {
  let out = text;
  for (const [re, rep] of SECRET_PATTERNS) out = out.replace(re, rep);
  return out;
}

function redactData(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) out[k] = SECRET_KEYS.test(k) ? '***' : v;
  return out;
}

/**
 * A logger that appends JSON lines to `<home>/logs/passerelle.log`, rotating it.
 *
 * Several processes (the engine and its job processes) may append to the same file:
 * each line is one `appendFileSync`, which the OS writes atomically for lines this short.
 * Only the process that owns the log (`rotate: true`) rotates it.
 */
export function createLogger(home: string, opts: { rotate?: boolean; level?: Level; echo?: boolean } = {}): Logger {
  const dir = join(home, 'logs');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'passerelle.log');
  const order: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };
  const min = order[opts.level ?? 'info'];
  let writes = 0;

  const rotate = () => {
    try {
      if (!existsSync(file) || statSync(file).size < MAX_BYTES) return;
      rmSync(`${file}.${KEEP}`, { force: true });
      for (let i = KEEP - 1; i >= 1; i--) if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
      renameSync(file, `${file}.1`);
    } catch {
      // Rotation is best effort: never fail the operation being logged because of it.
    }
  };
  if (opts.rotate) rotate();

  const write = (level: Level, msg: string, data?: Record<string, unknown>) => {
    if (order[level] < min) return;
    const line = redact(
      JSON.stringify({ t: new Date().toISOString(), level, pid: process.pid, msg, ...(data ? redactData(data) : {}) }),
    );
    try {
      appendFileSync(file, line + '\n');
    } catch {
      // A full disk must not turn a successful operation into a failure.
    }
    if (opts.echo) process.stderr.write(line + '\n');
    if (opts.rotate && ++writes % 200 === 0) rotate();
  };
  return {
    file,
    debug: (m, d) => write('debug', m, d),
    info: (m, d) => write('info', m, d),
    warn: (m, d) => write('warn', m, d),
    error: (m, d) => write('error', m, d),
  };
}

/** The last `n` lines of the log file (the current one only). */
export function tailLog(file: string, n: number): string[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n').filter((l) => l.length > 0);
  return lines.slice(-n);
}
