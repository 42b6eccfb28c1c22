/**
 * `passerelle geonature …` as a user runs it (the built CLI in a child process) against a real
 * GeoNature-shaped database: exit codes, --json envelopes, where the password may come from.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ECRINS } from '../../test/geonature-db/fixture-ids.js';
import { passwordOf, targetOf } from '../../test/geonature-db/target.js';
import { useGeoNatureTestDb } from '../../test/helpers/geonature-db.js';
import { ROOT } from '../../test/helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'passerelle-gncli-'));
const database = useGeoNatureTestDb('passerelle_gncli');

function passerelle(args: string[], env: NodeJS.ProcessEnv = {}) {
  if (!existsSync(join(ROOT, 'dist', 'electron', 'cli', 'main.js'))) throw new Error('The CLI is not built: run `npm run build`.');
  const home = mkdtempSync(join(tmpdir(), 'passerelle-cli-'));
  const base: NodeJS.ProcessEnv = { ...process.env, PASSERELLE_HOME: home };
  for (const k of ['PASSERELLE_PG_URL', 'PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD']) delete base[k];
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'passerelle.js'), ...args], { encoding: 'utf8', env: { ...base, ...env }, input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The PG* variables of the test database. */
function pgEnv(over: Partial<Record<'PGHOST' | 'PGPORT' | 'PGDATABASE' | 'PGUSER', string>> = {}): NodeJS.ProcessEnv {
  const { connection } = database();
  const t = targetOf(connection);
  const password = passwordOf(connection);
  return { PGHOST: t.host, PGPORT: String(t.port), PGDATABASE: t.database, PGUSER: t.user, ...(password ? { PGPASSWORD: password } : {}), ...over };
}

describe('passerelle geonature (CLI)', () => {
  it('test: exit 0 and a readable status; --json gives the envelope', () => {
    const r = passerelle(['geonature', 'test'], pgEnv());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OK /);
    expect(r.stdout).toContain('Local SRID EPSG:2154');
    const j = passerelle(['--json', 'geonature', 'test'], pgEnv());
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: true, value: { status: 'ok', schema: { localSrid: 2154 } } });
  });

  it('exit 3 when the server cannot be reached or refuses the role; exit 2 for a database that is not GeoNature', async () => {
    expect(passerelle(['geonature', 'test', '--timeout', '2000'], pgEnv({ PGPORT: '1' })).code).toBe(3);
    expect(passerelle(['geonature', 'browse'], pgEnv({ PGPORT: '1' })).code).toBe(3);
    const admin = new pg.Client(database().connection);
    await admin.connect();
    const role = `${database().database}_nologin`;
    await admin.query(`CREATE ROLE ${pg.escapeIdentifier(role)} NOLOGIN`);
    try {
      const r = passerelle(['geonature', 'pull', '--out', join(dir, 'nope.gpkg')], pgEnv({ PGUSER: role }));
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/AUTH_FAILED/);
      expect(existsSync(join(dir, 'nope.gpkg'))).toBe(false);
    } finally {
      await admin.query(`DROP ROLE ${pg.escapeIdentifier(role)}`);
      await admin.end();
    }
    expect(passerelle(['geonature', 'test'], pgEnv({ PGDATABASE: 'postgres' })).code).toBe(2);
  });

  it('refuses a password written in --url (it would end up in the shell history)', () => {
    const r = passerelle(['geonature', 'test', '--url', 'postgresql://postgres:secret@127.0.0.1:5432/x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('PGPASSWORD');
  });

  it('pull --out with filters, then push --dry-run of an untouched workspace: nothing to push', () => {
    const ws = join(dir, 'cli.gpkg');
    const pull = passerelle(['--json', '-q', 'geonature', 'pull', '--out', ws, '--jdd', ECRINS.datasetUuid, '--area', 'DEP:38'], pgEnv());
    expect(pull.code).toBe(0);
    expect(JSON.parse(pull.stdout)).toMatchObject({ ok: true, value: { observations: 165, created: true } });
    const again = passerelle(['geonature', 'pull', '--out', ws], pgEnv());
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('CONFLICT');
    const push = passerelle(['geonature', 'push', '-w', ws, '--dry-run'], pgEnv());
    expect(push.code).toBe(0);
    expect(push.stdout).toContain('Nothing to push.');
    const repull = passerelle(['geonature', 'pull', '-w', ws, '--jdd', ECRINS.datasetUuid], pgEnv());
    expect(repull.code).toBe(0);
    expect(repull.stdout).toMatch(/Merge: 835 added, 0 updated, 165 unchanged, 0 removed/);
  });
});
