import { Option, type Command } from 'commander';
import type { GeoNatureConnection, PgTarget, SslMode } from '../../shared/contract/index.js';

/** Connection options every `passerelle geonature` command takes. */
export interface ConnectionOpts {
  profile?: string;
  url?: string;
  ssh?: string;
  sshKey?: string;
  sshHostKey?: string;
}

/** Adds the connection options to a command. */
export function withConnectionOptions(cmd: Command): Command {
  return cmd
    .option('--profile <name>', 'a saved connection (PASSERELLE_HOME/geonature-connections.json)')
    .option('--url <url>', 'postgresql://user@host:port/database[?sslmode=…] (no password: use PGPASSWORD); default PASSERELLE_PG_URL, else PG* variables')
    .addOption(new Option('--ssh <user@host[:port]>', 'reach the database through this SSH bastion'))
    .option('--ssh-key <path>', 'private key for the SSH bastion (default: the SSH agent or a password)')
    .option('--ssh-host-key <sha256>', 'expected SHA-256 fingerprint of the bastion host key');
}

/** Thrown for a connection the CLI refuses before calling the engine (exit 2). */
export class ConnectionOptionError extends Error {}

const SSL_MODES: readonly SslMode[] = ['disable', 'prefer', 'require', 'verify-full'];

function sslMode(v: string | null | undefined): SslMode {
  if (!v) return 'prefer';
  if ((SSL_MODES as readonly string[]).includes(v)) return v as SslMode;
  if (v === 'allow') return 'prefer';
  if (v === 'verify-ca') return 'verify-full';
  throw new ConnectionOptionError(`unsupported sslmode "${v}" (use ${SSL_MODES.join(', ')})`);
}

/**
 * The connection of a CLI call: --profile, else --url, else PASSERELLE_PG_URL, else the PG*
 * variables (PGHOST, PGPORT, PGDATABASE, PGUSER, PGSSLMODE), with GeoNature's install defaults
 * (geonature2db, geonatadmin) for what none gives. The password comes only from PGPASSWORD or a
 * prompt: a password written in a URL (shell history, process list) is refused.
 */
export function cliConnection(opts: ConnectionOpts, env: NodeJS.ProcessEnv, password: string | undefined): GeoNatureConnection {
  const secrets = password === undefined ? {} : { password };
  if (opts.profile) return { profile: opts.profile, secrets };
  let target: PgTarget;
  const url = opts.url ?? env.PASSERELLE_PG_URL;
  if (url) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new ConnectionOptionError(`cannot read the connection URL (expected postgresql://user@host:port/database)`);
    }
    if (!/^postgres(ql)?:$/.test(u.protocol)) throw new ConnectionOptionError(`the connection URL must start with postgresql://`);
    if (u.password) throw new ConnectionOptionError('the connection URL holds a password: remove it and set PGPASSWORD (or type it when asked)');
    target = {
      host: decodeURIComponent(u.hostname) || '127.0.0.1',
      port: u.port ? Number(u.port) : 5432,
      database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'geonature2db',
      user: decodeURIComponent(u.username) || env.PGUSER || 'geonatadmin',
      sslMode: sslMode(u.searchParams.get('sslmode') ?? env.PGSSLMODE),
      ssh: null,
    };
  } else {
    target = {
      host: env.PGHOST ?? '127.0.0.1',
      port: env.PGPORT ? Number(env.PGPORT) : 5432,
      database: env.PGDATABASE ?? 'geonature2db',
      user: env.PGUSER ?? 'geonatadmin',
      sslMode: sslMode(env.PGSSLMODE),
      ssh: null,
    };
  }
  if (opts.ssh) {
    const m = /^([^@]+)@([^:]+)(?::(\d+))?$/.exec(opts.ssh);
    if (!m) throw new ConnectionOptionError(`--ssh takes user@host[:port], got "${opts.ssh}"`);
    target = {
      ...target,
      ssh: { user: m[1] as string, host: m[2] as string, port: m[3] ? Number(m[3]) : 22, privateKeyPath: opts.sshKey ?? null, hostKeySha256: opts.sshHostKey ?? null },
    };
  }
  return { target, secrets };
}

/** Reads a password on the terminal without echoing it. */
export async function promptPassword(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error) => {
      stdin.setRawMode(wasRaw);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
