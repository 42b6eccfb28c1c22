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

// Anything that looks like a secret is masked before it reaches the disk: connection strings and
// URLs with a password (a proxy's `http://user:pass@host`), `key=value` and `"key": "value"` pairs
// whose key names a secret (passwords, tokens, udata's `X-API-KEY`, `apiKey`, `api_key`),
// `Authorization` and `Cookie` headers.
const SECRET_NAME = String.raw`(?:password|passwd|pwd|pgpassword|secret|token|x-api-key|api[-_]?key|apikey|credentials?|cookie|set-cookie|x-xsrf-token)`;
/** The mask, keeping a quoted value quoted (a JSON log line stays JSON). */
const mask = (_m: string, pre: string, value: string): string => `${pre}${value.startsWith('"') ? '"***"' : value.startsWith("'") ? "'***'" : '***'}`;
const SECRET_PATTERNS: Array<[RegExp, string | ((m: string, pre: string, value: string) => string)]> = [
  [/(postgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]+@/gi, '$1***@'],
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s"']+:)[^@\s"'/]+@/gi, '$1***@'],
  [/(\b(?:set-)?cookie"?\s*[=:]\s*)("(?:[^"\\]|\\.)*"|[^\r\n"]+)/gi, mask],
  [/(\bauthorization"?\s*[=:]\s*"?(?:basic|bearer|token)?\s*)("[^"]*"|'[^']*'|[^\s,;&}"]+)/gi, mask],
  [new RegExp(String.raw`(${SECRET_NAME}"?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&}]+)`, 'gi'), mask],
];
const SECRET_KEYS = /pass(word)?|pwd|secret|token|api[-_]?key|apikey|authorization|cookie|credential/i;

/** Masks passwords, tokens, API keys and credentials in a log line. Exported for tests. */
export function redact(text: string): string {
  let out = text;
  for (const [re, rep] of SECRET_PATTERNS) out = typeof rep === 'string' ? out.replace(re, rep) : out.replace(re, rep);
  return out;
}

/** Masks the values of secret-looking keys, at any depth. */
function redactValue(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return redact(v);
  if (depth > 8 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => redactValue(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = SECRET_KEYS.test(k) ? '***' : redactValue(x, depth + 1);
  return out;
}

function redactData(data: Record<string, unknown>): Record<string, unknown> {
  return redactValue(data) as Record<string, unknown>;
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
      JSON.stringify({ t: new Date().toISOString(), level, pid: process.pid, msg: redact(msg), ...(data ? redactData(data) : {}) }),
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
