/**
 * Reaching a GeoNature database through an SSH bastion: a real OpenSSH server started on
 * loopback for this file (test/helpers/sshd.ts), forwarding to the real PostgreSQL.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient, type Client, type PgTarget } from '../../../shared/contract/index.js';
import { buildGeoNatureTestDb, dropTestDb, type BuiltGeoNatureTestDb } from '../../../test/geonature-db/build.js';
import { ECRINS } from '../../../test/geonature-db/fixture-ids.js';
import { passwordOf, targetOf } from '../../../test/geonature-db/target.js';
import { startSshd, type TestSshd } from '../../../test/helpers/sshd.js';
import { inProcess, type TransportUnderTest } from '../../../test/helpers/transports.js';

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 1));
    });
  });
}

describe('GeoNature through an SSH bastion', () => {
  let built: BuiltGeoNatureTestDb | undefined;
  let sshd: TestSshd | undefined;
  let face: TransportUnderTest;
  let client: Client;
  let target: PgTarget;
  let secrets: { password?: string };
  let setupError: unknown;

  beforeAll(async () => {
    try {
      sshd = await startSshd();
      built = await buildGeoNatureTestDb({ database: `passerelle_gnssh_${process.pid}_${Date.now().toString(36)}` });
      const direct = targetOf(built.connection);
      const password = passwordOf(built.connection);
      secrets = password ? { password } : {};
      // The database host as the bastion sees it: the same machine.
      target = { ...direct, ssh: { host: '127.0.0.1', port: sshd.port, user: sshd.user, privateKeyPath: sshd.keyPath, hostKeySha256: sshd.hostKeySha256 } };
      face = inProcess();
      client = createClient(face.transport);
    } catch (e) {
      setupError = e;
    }
  });
  beforeEach(() => {
    if (setupError !== undefined) throw setupError;
  });
  afterAll(async () => {
    await face?.close();
    await sshd?.stop();
    if (built) await dropTestDb(built.database);
  });

  it('tests the connection through the tunnel, and says so in the target', async () => {
    const t = await client.invoke('geonature.test', { connection: { target, secrets } });
    expect(t.status).toBe('ok');
    expect(t.target).toContain(`via ssh ${sshd?.user}@127.0.0.1:${sshd?.port}`);
    expect(t.schema?.localSrid).toBe(2154);
  });

  it('pulls through the tunnel', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'passerelle-ssh-')), 'ws.gpkg');
    const r = await client.invoke('geonature.pull', { connection: { target, secrets }, filters: { datasets: [ECRINS.datasetUuid] }, out });
    expect(r.observations).toBe(1000);
  });

  it('reports a key the bastion refuses, a wrong host key and an unreachable bastion as ssh_failed', async () => {
    const ssh = target.ssh;
    if (!ssh || !sshd) throw new Error('no tunnel');
    const wrongKey = await client.invoke('geonature.test', { connection: { target: { ...target, ssh: { ...ssh, privateKeyPath: sshd.wrongKeyPath } }, secrets } });
    expect([wrongKey.status, wrongKey.error?.code, wrongKey.error?.details?.key]).toEqual(['ssh_failed', 'AUTH_FAILED', 'errors.GN_SSH_AUTH_FAILED']);
    const hostKey = await client.invoke('geonature.test', { connection: { target: { ...target, ssh: { ...ssh, hostKeySha256: 'AAAAC3NzaC1lZDI1NTE5AAAAIWrongWrongWrongWrongWrongWrongWrongWr' } }, secrets } });
    expect([hostKey.status, hostKey.error?.details?.key]).toEqual(['ssh_failed', 'errors.GN_SSH_HOST_KEY']);
    const port = await closedPort();
    const down = await client.invoke('geonature.test', { connection: { target: { ...target, ssh: { ...ssh, port } }, secrets }, timeoutMs: 3000 });
    expect([down.status, down.error?.code, down.error?.details?.key]).toEqual(['ssh_failed', 'UNREACHABLE', 'errors.GN_SSH_FAILED']);
  });
});
