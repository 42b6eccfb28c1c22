import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { CheckReport, FieldMapping, FixSpecInput } from '../../../shared/contract/index.js';
import { FixSpec } from '../../../shared/contract/index.js';
import { registerGpkgFunctions } from '../gpkg/sql-functions.js';
import { checkTask, readFindings } from './check.js';
import { exportGeonatureTask } from './export.js';
import { fixTask, undoTask } from './fix.js';
import { decodeBlob, toWkt } from './geom.js';
import { FIXTURES, TAXONOMY, demoCopy, jobContext } from '../../../test/helpers/cleanup.js';
import { importTask, previewMappingTask } from './import.js';
import { sniffTask } from './sniff.js';

/**
 * A messy legacy CSV built from real Écrins observations (test/fixtures/cleanup/make-fixtures.ts):
 * imported, checked, every defect fixed in bulk with a preview, each fix undone exactly.
 */
const LEGACY = join(FIXTURES, 'legacy-ecrins.csv');
const MAPPING: FieldMapping = {
  fields: {
    entity_source_pk_value: { column: 'id' },
    nom_cite: { column: 'espece' },
    cd_nom: { column: 'cd_nom' },
    date_min: { column: 'date' },
    observers: { column: 'observateurs' },
    count_min: { column: 'nombre_min' },
    count_max: { column: 'nombre_max' },
    life_stage: { column: 'stade' },
    comment_description: { column: 'commentaire' },
    dataset_uuid: { value: '5b2f4a0e-7c1d-4e8a-9f3b-2d6c8e1a4b70' },
  },
  geometry: [{ kind: 'xy', x: 'x', y: 'y', srs: 'EPSG:4326' }],
  values: {},
  dateFormat: 'auto',
};

function values(ws: string, sql: string, ...params: unknown[]): unknown[] {
  const db = new Database(ws, { readonly: true });
  try {
    return db.prepare(sql).all(...params);
  } finally {
    db.close();
  }
}

function snapshot(ws: string): string {
  const db = new Database(ws, { readonly: true });
  try {
    const cols = (db.prepare('PRAGMA table_info(observations)').all() as Array<{ name: string }>).map((c) => c.name);
    const obs = db.prepare(`SELECT ${cols.map((c) => `typeof("${c}") || quote("${c}")`).join(" || '|' || ")} FROM observations ORDER BY fid`).pluck().all().join('\n');
    const cor = db.prepare('SELECT id, observation_fid, area_fid FROM cor_area_observation ORDER BY id').all();
    const rows = db.prepare('SELECT * FROM cleanup_rows ORDER BY observation_fid').all();
    const rtree = db.prepare('SELECT * FROM rtree_observations_geom ORDER BY id').all();
    return JSON.stringify({ obs, cor, rows, rtree });
  } finally {
    db.close();
  }
}

async function setup(): Promise<{ ws: string; home: string; fid: (id: string) => number }> {
  const ws = demoCopy();
  const r = await importTask({ workspace: ws, path: LEGACY, read: {}, mapping: MAPPING, create: false, actor: 't' }, jobContext());
  expect(r.rowsRead).toBe(14);
  const ids = new Map((values(ws, "SELECT entity_source_pk_value AS id, fid FROM observations WHERE entity_source_pk_value LIKE 'L%'") as Array<{ id: string; fid: number }>).map((x) => [x.id, x.fid]));
  return { ws, home: dirname(ws), fid: (id) => ids.get(id) as number };
}

async function check(ws: string, home: string): Promise<CheckReport> {
  return checkTask({ workspace: ws, params: { minYear: 1850, departements: ['05'], duplicateToleranceM: 10, taxonomy: TAXONOMY, today: '2026-01-01' }, samples: 50, home }, jobContext());
}

describe('a messy legacy CSV of Écrins observations', () => {
  it('sniffs: UTF-8, CRLF, ";", quoted fields, header on line 1', async () => {
    const s = await sniffTask({ path: LEGACY, read: {}, previewRows: 20 }, jobContext());
    expect(s.encoding).toMatchObject({ used: 'utf-8', how: 'valid-utf8' });
    expect(s.csv).toEqual({ delimiter: ';', headerLine: 1, lineEnding: 'crlf', quoted: true });
    expect(s.columns).toHaveLength(11);
    // The multi-line quoted comment is one row, with its line break and escaped quotes.
    expect(s.preview.find((p) => p.cells[0] === 'L10')?.cells[10]).toBe('vu au col,\npuis au lac "Noir"');
  });

  it('previews the mapped rows live, with their problems', async () => {
    const { rows } = await previewMappingTask({ path: LEGACY, read: {}, mapping: MAPPING, rows: 14 }, jobContext());
    expect(rows[0]?.values.date_min).toBe('2017-08-03');
    expect(rows[0]?.geometry?.type).toBe('Point');
    expect(rows.find((r) => r.line === 8)?.problems.map((p) => p.code)).toContain('nomenclature.unknown-value');
    expect(rows.find((r) => r.line === 10)?.rejected).toBe('field-count');
  });

  it('imports: a malformed line and an unclosed quote are kept aside, no other row is lost', async () => {
    const ws = demoCopy();
    const r = await importTask({ workspace: ws, path: LEGACY, read: {}, mapping: MAPPING, create: false, actor: 't' }, jobContext());
    expect([r.rowsRead, r.imported, r.rejected]).toEqual([14, 12, 2]);
    expect(r.rejectedByReason.sort((a, b) => a.reason.localeCompare(b.reason))).toEqual([
      { reason: 'field-count', count: 1 },
      { reason: 'unclosed-quote', count: 1 },
    ]);
    expect(r.firstRejected.map((x) => x.line).sort((a, b) => a - b)).toEqual([10, 13]);
    // The lines after the broken ones are there, with their source line.
    const lines = (values(ws, 'SELECT source_line AS l FROM cleanup_rows ORDER BY l') as Array<{ l: number }>).map((x) => x.l);
    expect(lines).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 11, 14, 15, 16]);
    const raw = values(ws, 'SELECT raw_text FROM cleanup_rejected WHERE reason = ?', 'unclosed-quote') as Array<{ raw_text: string }>;
    expect(raw[0]?.raw_text).toContain('"guillemet jamais fermé');
    // The areas an imported point falls in are computed (commune and département).
    expect(values(ws, "SELECT a.type_code FROM cor_area_observation c JOIN areas a ON a.fid = c.area_fid JOIN cleanup_rows r ON r.observation_fid = c.observation_fid WHERE r.source_line = 2 ORDER BY 1")).toEqual([{ type_code: 'COM' }, { type_code: 'DEP' }]);
    // And its Lambert-93 geometry (the demo's local SRID).
    expect((values(ws, 'SELECT typeof(geom_local_wkb) AS t FROM observations o JOIN cleanup_rows r ON r.observation_fid = o.fid WHERE r.source_line = 2')[0] as { t: string }).t).toBe('blob');
  });

  it('checks: every planted defect is found, grouped with counts', async () => {
    const { ws, home, fid } = await setup();
    const r = await check(ws, home);
    const findings = readFindings(home, { workspace: ws, runId: r.runId, offset: 0, limit: 5000 }).findings;
    const of = (id: string) => findings.filter((f) => f.fid === fid(id)).map((f) => f.check);
    // The legacy rows are copies of the demo's own observations: each is also found as their duplicate.
    expect(of('L1')).toEqual(['encoding.mojibake', 'duplicate.observation']); // the date 03/08/2017 was read at import
    expect(of('L3')).toEqual(['geometry.swapped']);
    expect(of('L4')).toEqual(['encoding.mojibake', 'geometry.projected']);
    expect(of('L5')).toEqual(['mandatory.missing', 'taxon.code-from-name']);
    expect(of('L6')).toEqual(['count.min-gt-max', 'duplicate.observation']);
    expect(of('L7')).toEqual(['nomenclature.unknown-value', 'encoding.mojibake', 'duplicate.observation']);
    expect(of('L8')).toEqual(['date.unparseable', 'date.missing', 'encoding.mojibake']);
    expect(of('L12')).toEqual(['date.future', 'date.future']);
    expect(of('L14')).toEqual(['duplicate.observation']);
    expect(findings.find((f) => f.fid === fid('L14'))?.message.en).toBe('Same taxon, day and observers, within 10 m of observation 2.');
    const projected = findings.find((f) => f.check === 'geometry.projected');
    expect(projected?.suggestion).toMatchObject({ fix: 'reproject', params: { from: 'EPSG:2154' } });
    expect(findings.find((f) => f.check === 'taxon.code-from-name')?.suggestion?.value).toBe(2623);
    // Grouped with counts, findings carry the map position.
    const group = r.groups.find((g) => g.check === 'encoding.mojibake');
    expect(group?.count).toBe(findings.filter((f) => f.check === 'encoding.mojibake').length);
    expect(findings.find((f) => f.check === 'geometry.swapped')?.geometry).toMatchObject({ lon: 45.0018639008567, lat: 6.444658946380002 });
    // The demo's 991 own observations are checked too (its mojibake): the whole workspace is the subject.
    expect(r.observations).toBe(991 + 12);
  });

  const cases: Array<[string, FixSpecInput, string[], (ws: string, fid: (id: string) => number) => void]> = [
    [
      'swap-coordinates',
      { kind: 'swap-coordinates' },
      ['L3'],
      (ws, fid) => {
        const g = decodeBlob((values(ws, 'SELECT geom FROM observations WHERE fid = ?', fid('L3'))[0] as { geom: Buffer }).geom);
        expect(toWkt(g as NonNullable<typeof g>)).toBe('POINT(6.4446589 45.0018639)');
      },
    ],
    [
      'reproject from Lambert-93',
      { kind: 'reproject', from: 'EPSG:2154' },
      ['L4'],
      (ws, fid) => {
        const g = decodeBlob((values(ws, 'SELECT geom FROM observations WHERE fid = ?', fid('L4'))[0] as { geom: Buffer }).geom);
        const [lon, lat] = (g as { coordinates: number[] }).coordinates;
        // As PROJ (gdaltransform -s_srs EPSG:2154 -t_srs EPSG:4326) gives it.
        expect(lon).toBeCloseTo(6.1608198, 6);
        expect(lat).toBeCloseTo(44.748183, 6);
      },
    ],
    [
      'parse dates with a pattern',
      { kind: 'parse-dates', pattern: 'DD/MM/YYYY' },
      [],
      () => {},
    ],
    [
      'fill taxon codes from names',
      { kind: 'fill-taxon-codes' },
      ['L5'],
      (ws, fid) => expect(values(ws, 'SELECT cd_nom FROM observations WHERE fid = ?', fid('L5'))).toEqual([{ cd_nom: 2623 }]),
    ],
    [
      'map values',
      { kind: 'map-values', field: 'cd_nomenclature_life_stage', values: { adulto: '2' } },
      ['L7'],
      (ws, fid) => expect(values(ws, 'SELECT cd_nomenclature_life_stage AS s FROM observations WHERE fid = ?', fid('L7'))).toEqual([{ s: '2' }]),
    ],
    [
      'merge duplicates, keeping the most complete',
      { kind: 'merge-duplicates', toleranceM: 10 },
      ['L14'],
      (ws, fid) => {
        // L2 and L14 are copies of the demo's observation 2, which has more values: it is kept.
        expect(values(ws, 'SELECT count(*) AS n FROM observations WHERE fid IN (?, ?)', fid('L14'), fid('L2'))).toEqual([{ n: 0 }]);
        expect(values(ws, 'SELECT count(*) AS n FROM observations WHERE fid = 2')).toEqual([{ n: 1 }]);
      },
    ],
    ['repair mojibake', { kind: 'repair-mojibake', fields: ['observers'] }, ['L1', 'L4', 'L7', 'L8'], () => {}],
  ];

  it.each(cases)('%s: preview lists every change, apply does them, undo restores exactly', async (_name, spec, touched, verify) => {
    const { ws, fid } = await setup();
    const fix = FixSpec.parse(spec);
    const before = snapshot(ws);
    const preview = await fixTask({ workspace: ws, fix, dryRun: true, offset: 0, limit: 10000, actor: 't', taxonomy: TAXONOMY }, jobContext());
    expect(snapshot(ws)).toBe(before);
    for (const id of touched) expect(preview.changes.some((c) => c.fid === fid(id)), `${id} in the preview`).toBe(true);
    const applied = await fixTask({ workspace: ws, fix, dryRun: false, offset: 0, limit: 10000, actor: 't', taxonomy: TAXONOMY }, jobContext());
    expect(applied.valuesChanged).toBe(preview.valuesChanged);
    expect(applied.changes).toEqual(preview.changes);
    if (applied.valuesChanged > 0) {
      expect(snapshot(ws)).not.toBe(before);
      verify(ws, fid);
      const audit = values(ws, 'SELECT count(*) AS n FROM passerelle_audit WHERE job_id = ?', `clean-fix:${applied.fixId}`) as Array<{ n: number }>;
      expect(audit[0]?.n).toBe(applied.rowsChanged + applied.rowsDeleted);
      const undo = await undoTask({ workspace: ws, actor: 't' }, jobContext());
      expect(undo.undone?.id).toBe(`clean-fix:${applied.fixId}`);
    }
    expect(snapshot(ws)).toBe(before);
  });

  it('parse-dates reads a date the import left as it was, and fills an empty end date', async () => {
    const { ws, fid } = await setup();
    const db = new Database(ws);
    registerGpkgFunctions(db);
    db.prepare("UPDATE observations SET date_min = '20.09.2017', date_max = NULL WHERE fid = ?").run(fid('L2'));
    db.close();
    const r = await fixTask({ workspace: ws, fix: { kind: 'parse-dates', pattern: 'DD.MM.YYYY' }, dryRun: false, offset: 0, limit: 100, actor: 't' }, jobContext());
    expect(r.changes.filter((c) => c.fid === fid('L2')).map((c) => [c.field, c.before, c.after])).toEqual([
      ['date_min', '20.09.2017', '2017-09-20'],
      ['date_max', null, '2017-09-20'],
    ]);
    // 31/02/2017 does not read as DD.MM.YYYY: said, not changed.
    expect(r.skipped.some((s) => s.fid === fid('L8'))).toBe(true);
  });

  it('after swapping L3, L13 shows up as its duplicate: fixes compose, and undo steps back one at a time', async () => {
    const { ws, home, fid } = await setup();
    const start = snapshot(ws);
    await fixTask({ workspace: ws, fix: { kind: 'swap-coordinates' }, dryRun: false, offset: 0, limit: 0, actor: 't' }, jobContext());
    const mid = snapshot(ws);
    const r = await check(ws, home);
    const dups = readFindings(home, { workspace: ws, runId: r.runId, check: 'duplicate.observation', offset: 0, limit: 100 }).findings.filter((f) => f.fid > 991);
    expect(dups.map((f) => f.fid)).toEqual(expect.arrayContaining([fid('L13'), fid('L14')]));
    const merge = await fixTask({ workspace: ws, fix: { kind: 'merge-duplicates', toleranceM: 10 }, dryRun: false, offset: 0, limit: 100, actor: 't' }, jobContext());
    expect(merge.rowsDeleted).toBeGreaterThanOrEqual(2);
    await undoTask({ workspace: ws, actor: 't' }, jobContext());
    expect(snapshot(ws)).toBe(mid);
    await undoTask({ workspace: ws, actor: 't' }, jobContext());
    expect(snapshot(ws)).toBe(start);
    // Undoing the import itself removes its rows and its rejected rows.
    const u = await undoTask({ workspace: ws, actor: 't' }, jobContext());
    expect(u.rowsRemoved).toBe(12);
    expect(values(ws, 'SELECT count(*) AS n FROM observations')).toEqual([{ n: 991 }]);
    expect(values(ws, 'SELECT count(*) AS n FROM cleanup_rejected')).toEqual([{ n: 0 }]);
  });

  it('exports for GeoNature’s import module, which its own preset reads back', async () => {
    const { ws } = await setup();
    const out = join(dirname(ws), 'export.csv');
    const r = await exportGeonatureTask({ workspace: ws, out, overwrite: false, nomenclatures: 'labels' }, jobContext());
    expect(r.rows).toBe(991 + 12);
    const header = readFileSync(join(dirname(LEGACY), '..', '..', '..', '..', 'shared', 'data', 'geonature', 'import_csv_synthese', 'valid_file.csv'), 'utf8').split('\n')[0]?.split(';').slice(1);
    const text = readFileSync(out, 'utf8');
    expect(text.split('\n')[0]?.split(';')).toEqual(header);
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, delimiter: ';', skipEmptyLines: true }).data;
    const l6 = parsed.find((p) => p.id_synthese === 'L6');
    expect(l6).toMatchObject({ nombre_min: '5', nombre_max: '2', stade_vie: 'Adulte', jdd_uuid: '5b2f4a0e-7c1d-4e8a-9f3b-2d6c8e1a4b70', date_debut: '2017-09-21' });
    expect(l6?.geometrie_wkt_4326).toMatch(/^POINT\(6\.44/);
    expect(l6?.communes).toBeTruthy();
    // Round trip: the export imports back through the "geonature-export" preset, same values.
    const back = demoCopy();
    const s = await sniffTask({ path: out, read: {}, previewRows: 1 }, jobContext());
    expect(s.preset).toBe('geonature-export');
    const re = await importTask({ workspace: back, path: out, read: {}, mapping: s.suggested, create: false, actor: 't' }, jobContext());
    // The demo's own rows exist already there (same UUIDs): kept aside as existing; the 12 new ones import.
    expect(re.imported).toBe(12);
    expect(re.rejectedByReason).toEqual([{ reason: 'existing-uuid', count: 991 }]);
    const a = values(ws, "SELECT unique_id_sinp, cd_nom, date_min, observers, count_min, cd_nomenclature_life_stage FROM observations WHERE entity_source_pk_value LIKE 'L%' ORDER BY unique_id_sinp");
    const b = values(back, "SELECT unique_id_sinp, cd_nom, date_min, observers, count_min, cd_nomenclature_life_stage FROM observations WHERE entity_source_pk_value LIKE 'L%' ORDER BY unique_id_sinp");
    expect(b).toEqual(a);
  });
});
