import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCopyBlocks } from '../electron/core/pg/copy-text.js';
import { SHARED_DATA } from '../test/helpers/paths.js';
import { buildDemoWorkspace, type DemoBuildReport } from './build-demo.js';

/** The demo is rebuilt from ../shared/data and checked against the dump's three traps. */
describe('demo workspace builder', () => {
  let out: string;
  let report: DemoBuildReport;
  let db: Database.Database;
  const dump = parseCopyBlocks(readFileSync(join(SHARED_DATA, 'geonature', 'sql', 'jdd_synthese_dev.sql'), 'utf8'))[0];

  beforeAll(async () => {
    out = join(mkdtempSync(join(tmpdir(), 'passerelle-demo-')), 'demo.gpkg');
    report = await buildDemoWorkspace(out, SHARED_DATA);
    db = new Database(out, { readonly: true });
  });

  it('leaves out the 9 rows flagged deleted (991 of 1,000 remain)', () => {
    expect(dump?.rows).toHaveLength(1000);
    expect(report).toMatchObject({ observations: 991, deletedLeftOut: 9 });
    const deleted = dump?.rows.filter((r) => r[dump.columns.indexOf('deleted')] === 't').map((r) => r[dump.columns.indexOf('unique_id_sinp')]) ?? [];
    expect(deleted).toHaveLength(9);
    const found = db.prepare(`SELECT count(*) AS n FROM observations WHERE unique_id_sinp IN (${deleted.map(() => '?').join(',')})`).get(...deleted) as { n: number };
    expect(found.n).toBe(0);
  });

  it('does not decode the 2018 install ids: sensitivity stays unknown, defaults come from the synthese', () => {
    const r = db.prepare('SELECT count(*) AS n FROM observations WHERE cd_nomenclature_sensitivity IS NOT NULL OR cd_nomenclature_diffusion_level IS NOT NULL').get() as { n: number };
    expect(r.n).toBe(0);
    const s = db.prepare("SELECT count(*) AS n FROM observations WHERE cd_nomenclature_observation_status = 'Pr' AND cd_nomenclature_obs_technique = '21'").get() as { n: number };
    expect(s.n).toBe(991);
  });

  it('attaches observations to communes by intersection: each to exactly one commune, 163 in Isère', () => {
    const perObs = db
      .prepare("SELECT c.observation_fid, count(*) AS n FROM cor_area_observation c JOIN areas a ON a.fid = c.area_fid WHERE a.type_code = 'COM' GROUP BY 1")
      .all() as Array<{ n: number }>;
    expect(perObs).toHaveLength(991);
    expect(perObs.every((r) => r.n === 1)).toBe(true);
    expect(report.inIsere).toBe(163);
    // Some rows carry commune codes that no longer exist: the dump's code is not what we trust.
    const codes = new Set((db.prepare("SELECT area_code FROM areas WHERE type_code = 'COM'").all() as Array<{ area_code: string }>).map((r) => r.area_code));
    const stale = dump?.rows.filter((r) => r[dump.columns.indexOf('deleted')] !== 't' && !codes.has((r[dump.columns.indexOf('id_municipality')] ?? '').trim())) ?? [];
    expect(stale.length).toBeGreaterThan(0);
  });

  it('keeps UUIDs, dates, taxa and both geometries as they are in the dump', () => {
    const row = dump?.rows.find((r) => r[dump.columns.indexOf('deleted')] !== 't');
    if (!dump || !row) throw new Error('dump empty');
    const o = db.prepare('SELECT * FROM observations WHERE unique_id_sinp = ?').get(row[dump.columns.indexOf('unique_id_sinp')]) as Record<string, unknown>;
    expect(o.date_min).toBe(row[dump.columns.indexOf('date_min')]);
    expect(o.cd_nom).toBe(Number(row[dump.columns.indexOf('cd_nom')]));
    expect(o.observers).toBe(row[dump.columns.indexOf('observers')]);
    expect(o.geom_local_wkb).toBeInstanceOf(Uint8Array);
  });

  it('produces the same observations as the committed demo', () => {
    const committed = new Database(join(__dirname, '..', 'resources', 'demo', 'ecrins-demo.gpkg'), { readonly: true });
    const q = 'SELECT unique_id_sinp, hex(geom) AS g, date_min, cd_nom FROM observations ORDER BY unique_id_sinp';
    expect(db.prepare(q).all()).toEqual(committed.prepare(q).all());
    committed.close();
  });
});
