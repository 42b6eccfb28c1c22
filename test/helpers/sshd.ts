import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** A throwaway OpenSSH server on loopback, for the SSH tunnel tests. */
export interface TestSshd {
  readonly port: number;
  readonly user: string;
  /** A key the server accepts, and one it does not. */
  readonly keyPath: string;
  readonly wrongKeyPath: string;
  /** The server's host key fingerprint (SHA-256, base64, as `ssh-keygen -lf` prints it without "SHA256:"). */
  readonly hostKeySha256: string;
  stop(): Promise<void>;
}

const SSHD = '/usr/sbin/sshd';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}: ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen on 127.0.0.1:${port}: ${log()}`);
}

/**
 * Starts sshd in the foreground on 127.0.0.1 (random port) with its own host key, config and
 * authorized key, allowing only public-key login of the current user and TCP forwarding.
 * Fails loudly when OpenSSH's server is not installed (scripts/system-deps.sh installs it).
 */
export async function startSshd(): Promise<TestSshd> {
  if (!existsSync(SSHD)) {
    throw new Error(`The SSH tunnel tests need OpenSSH's server (${SSHD}): apt-get install openssh-server (scripts/system-deps.sh installs it).`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-sshd-'));
  const keygen = (file: string) => {
    const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
  };
  for (const k of ['host_key', 'client_key', 'wrong_key']) keygen(join(dir, k));
  const authorized = join(dir, 'authorized_keys');
  writeFileSync(authorized, readFileSync(join(dir, 'client_key.pub')));
  chmodSync(authorized, 0o600);
  const fp = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'host_key.pub')], { encoding: 'utf8' }).stdout;
  const hostKeySha256 = /SHA256:([A-Za-z0-9+/=]+)/.exec(fp)?.[1] ?? '';
  const port = await freePort();
  const user = userInfo().username;
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorized}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'AllowTcpForwarding yes',
      `AllowUsers ${user}`,
      ...(user === 'root' ? ['PermitRootLogin prohibit-password'] : []),
      'LogLevel ERROR',
    ].join('\n') + '\n',
  );
  // Privilege separation needs this folder when sshd starts as root.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  let log = '';
  const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  try {
    await waitForPort(port, child, () => log);
  } catch (e) {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    port,
    user,
    keyPath: join(dir, 'client_key'),
    wrongKeyPath: join(dir, 'wrong_key'),
    hostKeySha256,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
