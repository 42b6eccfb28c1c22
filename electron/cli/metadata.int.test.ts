/**
 * The restructuring round trip from the shell, against a real GeoNature-shaped database:
 * `geonature pull`, `metadata validate`, `metadata split`, `geonature push`, as a user types them
 * (a child process running the built CLI).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ECRINS } from '../../test/geonature-db/fixture-ids.js';
import { passwordOf, targetOf } from '../../test/geonature-db/target.js';
import { useGeoNatureTestDb } from '../../test/helpers/geonature-db.js';
import { runPasserelle } from '../../test/helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'passerelle-mdcli-int-'));
const database = useGeoNatureTestDb('passerelle_mdcli');

function passerelle(args: string[]) {
  const { connection } = database();
  const t = targetOf(connection);
  const password = passwordOf(connection);
  const env: NodeJS.ProcessEnv = { ...process.env, PASSERELLE_HOME: join(dir, 'home'), PGHOST: t.host, PGPORT: String(t.port), PGDATABASE: t.database, PGUSER: t.user };
  delete env.PASSERELLE_PG_URL;
  if (password) env.PGPASSWORD = password;
  return runPasserelle(args, env);
}

describe('passerelle metadata + geonature (CLI): pull, split, push', () => {
  it('splits the pulled Écrins JDD by observer and pushes the new JDD and the moves exactly once', async () => {
    const ws = join(dir, 'ecrins.gpkg');
    const pull = passerelle(['-q', 'geonature', 'pull', '--ca', ECRINS.acquisitionFrameworkUuid, '--out', ws]);
    expect(pull.code, pull.stderr).toBe(0);
    const v = passerelle(['-q', 'metadata', 'validate', '-w', ws]);
    expect(v.code, v.stdout).toBe(1);
    expect(v.stdout).toContain('objectives (required)');
    const split = passerelle(['--json', '-q', 'metadata', 'split', '-w', ws, '--dataset', ECRINS.datasetUuid, '--by', 'observer', '--min', '80']);
    expect(split.code, split.stderr).toBe(0);
    const groups = (JSON.parse(split.stdout) as { value: { groups: Array<{ uuid: string; observations: number; name: string }> } }).value.groups;
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.reduce((n, g) => n + g.observations, 0)).toBe(ECRINS.observations);
    const dry = passerelle(['-q', 'geonature', 'push', '-w', ws, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    const push = passerelle(['-q', 'geonature', 'push', '-w', ws]);
    expect(push.code, push.stderr).toBe(0);
    const db = new pg.Client(database().connection);
    await db.connect();
    try {
      const r = await db.query<{ u: string; name: string; n: string }>(
        `SELECT d.unique_dataset_id::text AS u, d.dataset_name AS name, (SELECT count(*) FROM gn_synthese.synthese s WHERE s.id_dataset = d.id_dataset) AS n
           FROM gn_meta.t_datasets d WHERE d.unique_dataset_id = ANY($1::uuid[]) ORDER BY 1`,
        [groups.map((g) => g.uuid)],
      );
      expect(r.rows).toEqual(groups.map((g) => ({ u: g.uuid, name: g.name, n: String(g.observations) })).sort((a, b) => a.u.localeCompare(b.u)));
    } finally {
      await db.end();
    }
    const again = passerelle(['--json', '-q', 'geonature', 'push', '-w', ws]);
    expect((JSON.parse(again.stdout) as { value: { rows: unknown[]; moves: unknown[] } }).value).toMatchObject({ rows: [], moves: [] });
    const list = passerelle(['-q', 'metadata', 'list', '-w', ws]);
    expect(list.stdout).toContain('0 change(s) waiting for push; undo: Split');
    expect(list.stdout).toContain('(blocked: pushed)');
  });
});
