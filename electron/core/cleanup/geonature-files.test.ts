import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { CheckId, CleanFinding, FieldMapping } from '../../../shared/contract/index.js';
import { isAppError } from '../errors.js';
import { registerGpkgFunctions } from '../gpkg/sql-functions.js';
import { checkTask, readFindings } from './check.js';
import { GN_CYPRESS, GN_IMPORT, TAXONOMY, demoCopy, jobContext } from '../../../test/helpers/cleanup.js';
import { importTask } from './import.js';
import { sniffTask } from './sniff.js';

/**
 * GeoNature's own import test files (backend/geonature/tests/imports/files/synthese and the
 * Cypress fixtures), each imported into a copy of the demo: every file either imports or reports
 * the defect it was made to exercise. Files with an expected-error column are checked row by row.
 */

/** GeoNature's expected error codes → what Passerelle reports for that row. */
const EXPECTED: Record<string, { check?: CheckId; field?: string; rejected?: string } | 'offline' | 'none'> = {
  valid: 'none',
  Valide: 'none',
  '-': 'none',
  'duplicate id': { check: 'duplicate.source-pk' },
  'count min > count max': { check: 'count.min-gt-max' },
  ALTI_MIN_SUP_ALTI_MAX: { check: 'altitude.min-gt-max' },
  DEPTH_MIN_SUP_DEPTH_MAX: { check: 'depth.min-gt-max' },
  INVALID_INTEGER: { check: 'value.not-integer' },
  'INVALID_INTEGER (cd_nom)': { check: 'value.not-integer', field: 'cd_nom' },
  'INVALID_INTEGER (cd_hab)': { check: 'value.not-integer', field: 'cd_hab' },
  'MISSING_VALUE (cd_nom)': { check: 'mandatory.missing', field: 'cd_nom' },
  'MISSING_VALUE (cd_nom) & CD_HAB_NOT_FOUND (cd_hab)': { check: 'mandatory.missing', field: 'cd_nom' },
  CD_NOM_NOT_FOUND: { check: 'taxon.unknown-code' },
  'CD_NOM_NOT_FOUND & CD_HAB_NOT_FOUND': { check: 'taxon.unknown-code' },
  'CD_NOM_NOT_FOUND (existe mais pas dans la liste)': { check: 'taxon.unknown-code' },
  // A workspace holds no HABREF: habitat codes are not checked (documented).
  CD_HAB_NOT_FOUND: 'offline',
  DUPLICATE_UUID: { rejected: 'duplicate-uuid' },
  EXISTING_UUID: { rejected: 'existing-uuid' },
  INVALID_UUID: { check: 'uuid.invalid' },
  DUPLICATE_ENTITY_SOURCE_PK: { check: 'duplicate.source-pk' },
  INVALID_NOMENCLATURE: { check: 'nomenclature.unknown-value' },
  INVALID_EXISTING_PROOF_VALUE: { check: 'proof.inconsistent' },
  CONDITIONAL_MANDATORY_FIELD_ERROR: { check: 'mandatory.conditional' },
  INVALID_URL_PROOF: { check: 'proof.invalid-url' },
  'INVALID_UUID(unique_dataset_id)': { check: 'uuid.invalid', field: 'dataset_uuid' },
  // JDD existence, activity and rights are the server's: not checkable offline.
  'DATASET_NOT_FOUND(unique_dataset_id': 'offline',
  'DATASET_NOT_ACTIVE(unique_dataset_id)': 'offline',
  'DATASET_NOT_AUTHORIZED(unique_dataset_id)': 'offline',
  'DATASET_PRIVATE(unique_dataset_id)': 'offline',
};

/** The JDD chosen in GeoNature's import wizard (its test files carry none per row). */
const JDD = '4d331cae-65e4-4948-b0b2-a11bc5bb46c2';
/** A UUID that exists in GeoNature's test database (uuid_file.csv's EXISTING_UUID). */
const EXISTING = 'f4428222-d038-40bc-bc5c-6e977bbbc92b';

type Outcome = { kind: 'error'; key: string } | { kind: 'imported'; check: (r: ImportOutcome) => void };
interface ImportOutcome {
  report: Awaited<ReturnType<typeof importTask>>;
  findings: CleanFinding[];
  workspace: string;
}

const FILES: Record<string, Outcome> = {
  'empty.csv': { kind: 'error', key: 'errors.CLEAN_EMPTY_FILE' },
  'synthese__bad.csv': { kind: 'error', key: 'errors.CLEAN_EMPTY_FILE' },
  'synthese__empty.csv': { kind: 'imported', check: (r) => expect(r.report.issues.map((i) => i.code)).toContain('no-data-rows') },
  'duplicate_column_names.csv': {
    kind: 'imported',
    check: (r) => {
      expect(r.report.issues.map((i) => i.code)).toEqual(expect.arrayContaining(['duplicate-columns', 'no-data-rows']));
      expect(r.report.rowsRead).toBe(0);
    },
  },
  'simple_file.csv': {
    kind: 'imported',
    // Nothing to map: both rows are kept aside (no geometry), with their values.
    check: (r) => {
      expect(r.report.imported).toBe(0);
      expect(r.report.rejectedByReason).toEqual([{ reason: 'geometry-missing', count: 2 }]);
      expect(r.report.firstRejected[1]?.values).toEqual({ 'Column 1': 'Value 21', 'Column 2': ' Value 22' });
    },
  },
  'utf8_file.csv': {
    kind: 'imported',
    // A 4-byte emoji and a box-drawing character survive, byte for byte, in the row kept aside.
    check: (r) => {
      expect(r.report.encoding).toBe('utf-8');
      expect(r.report.firstRejected[0]?.values).toEqual({ 'Col 1': '\u{1F606}', 'Col 2': '\u2514' });
    },
  },
  'starts_with_empty_line.csv': {
    kind: 'imported',
    check: (r) => {
      expect(r.report.issues.map((i) => i.code)).toContain('blank-lines-before-header');
      expect(r.report.imported).toBe(1);
    },
  },
  'one_line.csv': { kind: 'imported', check: (r) => expect([r.report.imported, r.report.rejected]).toEqual([1, 0]) },
  'invalid_file.csv': {
    kind: 'imported',
    // Its third row has 74 fields for 75 columns: kept aside, the other two imported.
    check: (r) => {
      expect(r.report.imported).toBe(2);
      expect(r.report.rejectedByReason).toEqual([{ reason: 'field-count', count: 1 }]);
      expect(r.report.firstRejected[0]?.line).toBe(4);
    },
  },
  'empty_nomenclatures_file.csv': {
    kind: 'imported',
    check: (r) => {
      expect(r.report.imported).toBe(3);
      const db = new Database(r.workspace, { readonly: true });
      const rows = db.prepare("SELECT cd_nomenclature_life_stage AS s, cd_nomenclature_naturalness AS n FROM observations WHERE fid > 991 ORDER BY fid").all();
      db.close();
      expect(rows).toEqual([{ s: '2', n: '1' }, { s: '2', n: null }, { s: null, n: '1' }]);
    },
  },
  'additional_data.csv': {
    kind: 'imported',
    check: (r) => {
      expect(r.report.imported).toBe(6);
      const db = new Database(r.workspace, { readonly: true });
      const extra = db.prepare('SELECT extra_json FROM cleanup_rows ORDER BY observation_fid LIMIT 1 OFFSET 1').pluck().get() as string;
      db.close();
      expect(JSON.parse(extra)).toMatchObject({ additional_data: { a: 'A' }, _unmapped: { additional_data2: '{"b": "B"}' } });
    },
  },
};

function errorColumn(columns: readonly string[]): string | null {
  return columns.find((c) => c === 'error' || c === 'Erreur(s) attendue(s)') ?? null;
}

const files = [
  ...readdirSync(GN_IMPORT).filter((f) => f.endsWith('.csv')).map((f) => join(GN_IMPORT, f)),
  ...readdirSync(GN_CYPRESS).filter((f) => f.startsWith('synthese__') && f.endsWith('.csv')).map((f) => join(GN_CYPRESS, f)),
];

describe('GeoNature import test files', () => {
  it('the folder has the files this table expects', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  it.each(files.map((f) => [f.slice(f.lastIndexOf('/') + 1), f]))('%s imports or reports its defect', async (name, path) => {
    const ctx = jobContext();
    const workspace = demoCopy();
    const outcome = FILES[name];
    if (outcome?.kind === 'error') {
      await expect(sniffTask({ path, read: {}, previewRows: 5 }, ctx)).rejects.toSatisfy((e) => isAppError(e) && e.key === outcome.key);
      await expect(importTask({ workspace, path, read: {}, mapping: { fields: {}, geometry: [], values: {}, dateFormat: 'auto' }, create: false, actor: 't' }, ctx)).rejects.toSatisfy(
        (e) => isAppError(e) && e.key === outcome.key,
      );
      return;
    }
    const sniff = await sniffTask({ path, read: {}, previewRows: 5 }, ctx);
    const mapping: FieldMapping = { ...sniff.suggested, fields: { ...sniff.suggested.fields } };
    mapping.fields.dataset_uuid ??= { value: JDD };
    if (name === 'jdd_to_import_file.csv') mapping.fields.dataset_uuid = { column: 'unique_dataset_id' };
    if (name === 'uuid_file.csv') {
      // As in GeoNature's test database, that UUID already exists.
      const db = new Database(workspace);
      registerGpkgFunctions(db);
      db.prepare('UPDATE observations SET unique_id_sinp = ? WHERE fid = 1').run(EXISTING);
      db.close();
    }
    const report = await importTask({ workspace, path, read: {}, mapping, create: false, actor: 't' }, ctx);
    expect(report.rowsRead).toBe(report.imported + report.rejected);
    const home = join(workspace, '..');
    const check = await checkTask({ workspace, params: { minYear: 1850, departements: [], duplicateToleranceM: 10, taxonomy: TAXONOMY, today: '2026-01-01' }, samples: 0, home }, ctx);
    const findings = readFindings(home, { workspace, runId: check.runId, offset: 0, limit: 5000 }).findings.filter((f) => f.fid > 991);
    if (outcome?.kind === 'imported') outcome.check({ report, findings, workspace });

    const errCol = errorColumn(sniff.columns);
    if (!errCol) return;
    // Row by row: the expected error of each line is what Passerelle reports for it.
    const text = readFileSync(path, 'utf8').replace(/^\ufeff/, '');
    const parsed = Papa.parse<Record<string, string>>(text.trimStart(), { header: true, delimiter: ';', skipEmptyLines: true });
    const db = new Database(workspace, { readonly: true });
    const fidOfLine = new Map((db.prepare('SELECT source_line AS l, observation_fid AS f FROM cleanup_rows').all() as Array<{ l: number; f: number }>).map((r) => [r.l, r.f]));
    const rejected = new Map((db.prepare('SELECT source_line AS l, reason FROM cleanup_rejected').all() as Array<{ l: number; reason: string }>).map((r) => [r.l, r.reason]));
    db.close();
    const firstDataLine = (sniff.csv?.headerLine ?? 1) + 1;
    parsed.data.forEach((row, i) => {
      const line = firstDataLine + i;
      const expected = (row[errCol] ?? '').trim();
      const want = EXPECTED[expected];
      expect(want, `${name} line ${line}: no expectation for GeoNature's "${expected}"`).toBeDefined();
      if (want === 'offline') return;
      // GeoNature fills a missing altitude from its DEM before comparing: without a DEM, a row with
      // one altitude only has nothing to compare (altitude_file.csv lines 4 and 6).
      if (name === 'altitude_file.csv' && (!row.altitude_min || !row.altitude_max) && expected === 'ALTI_MIN_SUP_ALTI_MAX') return;
      const fid = fidOfLine.get(line);
      const mine = findings.filter((f) => f.fid === fid);
      if (want === 'none') {
        expect(rejected.get(line), `${name} line ${line} rejected`).toBeUndefined();
        if (name === 'jdd_to_import_file.csv') return; // its "valid" rows carry GeoNature's @…@ placeholders for the JDD
        expect(mine.filter((f) => f.severity === 'error').map((f) => `${f.check} ${f.field} ${String(f.value)}`), `${name} line ${line}`).toEqual([]);
        return;
      }
      if (want?.rejected) {
        // GeoNature flags every copy of a duplicate UUID; Passerelle imports the first and keeps the others aside.
        const copies = parsed.data.map((r, j) => ({ r, line: firstDataLine + j })).filter((x) => (x.r[errCol] ?? '').trim() === expected);
        expect(copies.some((c) => rejected.get(c.line) === want.rejected), `${name} line ${line}: ${want.rejected}`).toBe(true);
        return;
      }
      expect(
        mine.some((f) => f.check === want?.check && (want.field === undefined || f.field === want.field)),
        `${name} line ${line}: expected ${want?.check} for "${expected}", got ${mine.map((f) => f.check).join(', ') || 'nothing'}`,
      ).toBe(true);
    });
  });
});
