import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Client as SshClient, type ConnectConfig } from 'ssh2';
import type { SshTunnel } from '../../../shared/contract/index.js';
import { AppError } from '../errors.js';

/** A local port forwarded through an SSH bastion to the database host. */
export interface OpenTunnel {
  readonly localPort: number;
  close(): Promise<void>;
}

/** `user@host:port` of a bastion, safe to show and log. */
export function describeBastion(ssh: SshTunnel): string {
  return `${ssh.user}@${ssh.host}:${ssh.port}`;
}

/**
 * Opens an SSH connection to the bastion and a listener on 127.0.0.1 (random port) whose every
 * connection is forwarded to `dbHost:dbPort` as seen from the bastion (`ssh -L`).
 *
 * Production GeoNature databases are rarely reachable directly. The listener accepts loopback
 * connections only, and the tunnel lives only for one call. Secrets are used, never kept.
 */
export async function openTunnel(
  ssh: SshTunnel,
  dbHost: string,
  dbPort: number,
  secrets: { password?: string | undefined; passphrase?: string | undefined },
  timeoutMs: number,
): Promise<OpenTunnel> {
  const bastion = describeBastion(ssh);
  const cfg: ConnectConfig = { host: ssh.host, port: ssh.port, username: ssh.user, readyTimeout: timeoutMs };
  if (ssh.privateKeyPath) {
    try {
      cfg.privateKey = readFileSync(ssh.privateKeyPath);
    } catch (e) {
      throw new AppError('NOT_FOUND', `Cannot read the SSH key ${ssh.privateKeyPath}: ${(e as Error).message}`, {
        key: 'errors.FILE_UNREADABLE',
        params: { path: ssh.privateKeyPath, reason: (e as NodeJS.ErrnoException).code ?? '' },
        where: ssh.privateKeyPath,
        cause: e,
      });
    }
    if (secrets.passphrase) cfg.passphrase = secrets.passphrase;
  }
  if (secrets.password) cfg.password = secrets.password;
  if (!ssh.privateKeyPath && !secrets.password && process.env.SSH_AUTH_SOCK) cfg.agent = process.env.SSH_AUTH_SOCK;
  let hostKeyMismatch: string | null = null;
  if (ssh.hostKeySha256) {
    const expected = ssh.hostKeySha256.replace(/^SHA256:/, '').replace(/=+$/, '');
    cfg.hostVerifier = (key: Buffer) => {
      const got = createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
      if (got !== expected) hostKeyMismatch = got;
      return got === expected;
    };
  }

  const client = new SshClient();
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve());
    client.once('error', (e: Error & { level?: string }) => {
      if (hostKeyMismatch) {
        reject(
          new AppError('UNTRUSTED', `The SSH host key of ${bastion} is SHA256:${hostKeyMismatch}, not the expected one`, {
            key: 'errors.GN_SSH_HOST_KEY',
            params: { bastion, fingerprint: hostKeyMismatch },
            cause: e,
          }),
        );
      } else if (e.level === 'client-authentication') {
        reject(new AppError('AUTH_FAILED', `The SSH bastion ${bastion} refused the credentials`, { key: 'errors.GN_SSH_AUTH_FAILED', params: { bastion }, cause: e }));
      } else {
        reject(
          new AppError('UNREACHABLE', `Cannot open an SSH tunnel through ${bastion}: ${e.message}`, {
            key: 'errors.GN_SSH_FAILED',
            params: { bastion, reason: e.message },
            cause: e,
          }),
        );
      }
    });
    client.connect(cfg);
  });

  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    client.forwardOut('127.0.0.1', 0, dbHost, dbPort, (err, stream) => {
      if (err) {
        socket.destroy(err);
        return;
      }
      socket.pipe(stream).pipe(socket);
      stream.on('error', () => socket.destroy());
      socket.on('error', () => stream.destroy());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const localPort = (server.address() as AddressInfo).port;
  return {
    localPort,
    close: async () => {
      // A socket left open (a pg client that was not ended) must not keep the tunnel alive.
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      client.end();
    },
  };
}
