import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseWkt } from '../../../shared/cleanup/geometry.js';
import { isAppError } from '../errors.js';
import { registerGpkgFunctions } from '../gpkg/sql-functions.js';
import { checkTask } from './check.js';
import { csvRecords, endsInQuotes, guessDelimiter, physicalLines } from './csv.js';
import { fixTask, undoTask } from './fix.js';
import { encodeBlob } from './geom.js';
import { FIXTURES, OCCURRENCE, demoCopy, jobContext } from '../../../test/helpers/cleanup.js';
import { importTask } from './import.js';
import { sniffTask } from './sniff.js';
import { openSource } from './source.js';
import { detectEncoding } from './text.js';

async function* chunks(...parts: string[]) {
  for (const p of parts) yield p;
}

async function records(text: string | string[], delimiter = ';') {
  const out = [];
  for await (const b of csvRecords(physicalLines(chunks(...[text].flat())), delimiter)) out.push(...b);
  return out.map((r) => ({ line: r.line, fields: r.fields, unclosed: r.unclosedQuote }));
}

describe('CSV records', () => {
  it.each<[string, string | string[], { line: number; fields: string[]; unclosed: boolean }[]]>([
    ['LF', 'a;b\n1;2\n', [{ line: 1, fields: ['a', 'b'], unclosed: false }, { line: 2, fields: ['1', '2'], unclosed: false }]],
    ['CRLF split across chunks', ['a;b\r', '\n1;2\r\n'], [{ line: 1, fields: ['a', 'b'], unclosed: false }, { line: 2, fields: ['1', '2'], unclosed: false }]],
    ['old Mac CR', 'a;b\r1;2', [{ line: 1, fields: ['a', 'b'], unclosed: false }, { line: 2, fields: ['1', '2'], unclosed: false }]],
    ['quoted separator and doubled quotes', '"a;b";"say ""hi"""\n', [{ line: 1, fields: ['a;b', 'say "hi"'], unclosed: false }]],
    ['multi-line field keeps its line number', 'x;"1\n2\n3";y\nz;w\n', [{ line: 1, fields: ['x', '1\n2\n3', 'y'], unclosed: false }, { line: 4, fields: ['z', 'w'], unclosed: false }]],
    ['blank lines skipped', 'a;b\n\n   \n1;2\n', [{ line: 1, fields: ['a', 'b'], unclosed: false }, { line: 4, fields: ['1', '2'], unclosed: false }]],
    ['a quote inside a field is text', 'a;5" long;c\n', [{ line: 1, fields: ['a', '5" long', 'c'], unclosed: false }]],
    [
      'unclosed quote at the end of the file: only its line is broken',
      'a;b\n1;"oops\n3;4\n5;6\n',
      [
        { line: 1, fields: ['a', 'b'], unclosed: false },
        { line: 2, fields: ['1', 'oops'], unclosed: true },
        { line: 3, fields: ['3', '4'], unclosed: false },
        { line: 4, fields: ['5', '6'], unclosed: false },
      ],
    ],
  ])('%s', async (_name, text, expected) => {
    expect(await records(text)).toEqual(expected);
  });

  it('an unclosed quote in a long file loses no later row', async () => {
    const body = Array.from({ length: 2000 }, (_, i) => `${i};v${i}`).join('\n');
    const r = await records(`id;v\n-1;"never closed\n${body}\n`);
    expect(r).toHaveLength(2002);
    expect(r[1]).toMatchObject({ line: 2, unclosed: true });
    expect(r[2]).toMatchObject({ line: 3, fields: ['0', 'v0'] });
    expect(r.at(-1)).toMatchObject({ line: 2002, fields: ['1999', 'v1999'] });
  });

  it('guesses the delimiter', () => {
    expect(guessDelimiter(['a;b;c', '1;2;3'])).toBe(';');
    expect(guessDelimiter(['a,b,c', '1,2,3'])).toBe(',');
    expect(guessDelimiter(['a\tb', '1\t2'])).toBe('\t');
    expect(guessDelimiter(['a|b', '1|2'])).toBe('|');
    expect(guessDelimiter(['"x,y";b;c', '1;2;3'])).toBe(';');
    expect(endsInQuotes('a;"b', ';', false)).toBe(true);
  });
});

describe('encodings', () => {
  it.each<[string, string, string, string]>([
    ['legacy-windows1252.csv', 'windows-1252', 'guess', 'Nicolas Marie-Geneviève'],
    ['legacy-utf16le.txt', 'utf-16le', 'bom', 'Nicolas Marie-Geneviève'],
    ['legacy-ecrins.csv', 'utf-8', 'valid-utf8', 'Nicolas Marie-GeneviÃ¨ve'],
  ])('%s is read as %s (%s)', async (file, encoding, how, observer) => {
    const s = await sniffTask({ path: join(FIXTURES, file), read: {}, previewRows: 3 }, jobContext());
    expect(s.encoding.used).toBe(encoding);
    expect(s.encoding.how).toBe(how);
    expect(s.preview[0]?.cells).toContain(observer);
    if (encoding === 'windows-1252') {
      // The wrong candidate shows the damage: the user sees why.
      const utf8 = s.encoding.candidates.find((c) => c.encoding === 'utf-8');
      expect(utf8?.sample).toContain('\ufffd');
      expect(utf8?.damage ?? 0).toBeGreaterThan(s.encoding.candidates.find((c) => c.encoding === 'windows-1252')?.damage ?? 0);
      expect(s.issues.map((i) => i.code)).toContain('encoding-uncertain');
    }
  });

  it('a UTF-8 BOM is detected and dropped from the first column name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-bom-'));
    const f = join(dir, 'bom.csv');
    writeFileSync(f, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('nom_cite;date_min\nLynx;2017-01-01\n')]));
    const s = await sniffTask({ path: f, read: {}, previewRows: 3 }, jobContext());
    expect(s.encoding).toMatchObject({ used: 'utf-8', how: 'bom', bom: true });
    expect(s.columns).toEqual(['nom_cite', 'date_min']);
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x41, 0])).encoding).toBe('utf-16le');
    expect(detectEncoding(Buffer.from('x;y\n', 'utf16le')).encoding).toBe('utf-16le');
  });

  it('the encoding the user confirms wins', async () => {
    const s = await sniffTask({ path: join(FIXTURES, 'legacy-ecrins.csv'), read: { encoding: 'windows-1252' }, previewRows: 1 }, jobContext());
    expect(s.encoding).toMatchObject({ used: 'windows-1252', how: 'given' });
    expect(s.preview[0]?.cells).toContain('Nicolas Marie-GeneviÃƒÂ¨ve');
  });

  it('a Windows-1252 file with decimal commas imports with its accents right', async () => {
    const ws = demoCopy();
    const s = await sniffTask({ path: join(FIXTURES, 'legacy-windows1252.csv'), read: {}, previewRows: 1 }, jobContext());
    const r = await importTask(
      {
        workspace: ws,
        path: join(FIXTURES, 'legacy-windows1252.csv'),
        read: { encoding: s.encoding.used },
        mapping: { fields: { nom_cite: { column: 'espece' }, cd_nom: { column: 'cd_nom' }, date_min: { column: 'date' }, observers: { column: 'observateurs' } }, geometry: [{ kind: 'xy', x: 'x', y: 'y', srs: 'EPSG:4326' }], values: {}, dateFormat: 'DD/MM/YYYY' },
        create: false,
        actor: 't',
      },
      jobContext(),
    );
    expect(r.imported).toBe(8);
    const db = new Database(ws, { readonly: true });
    expect(db.prepare('SELECT observers FROM observations WHERE fid = 992').pluck().get()).toBe('Nicolas Marie-Geneviève');
    expect(db.prepare('SELECT date_min FROM observations WHERE fid = 992').pluck().get()).toBe('2017-08-03');
    db.close();
  });
});

describe('other sources', () => {
  it('a GeoPackage in Lambert-93: features reprojected to WGS 84, fields mapped', async () => {
    const path = join(FIXTURES, 'ecrins-l93.gpkg');
    const s = await sniffTask({ path, read: {}, previewRows: 2 }, jobContext());
    expect(s).toMatchObject({ format: 'geopackage', layer: 'observations', srs: 'EPSG:2154', rows: 6 });
    expect(s.suggested.geometry[0]).toEqual({ kind: 'native' });
    const ws = demoCopy();
    const r = await importTask(
      { workspace: ws, path, read: {}, mapping: { ...s.suggested, fields: { ...s.suggested.fields, date_min: { column: 'date_obs' }, observers: { column: 'observateur' } } }, create: false, actor: 't' },
      jobContext(),
    );
    expect(r.imported).toBe(6);
    const db = new Database(ws, { readonly: true });
    registerGpkgFunctions(db);
    const [x, y] = db.prepare('SELECT ST_MinX(geom) AS x, ST_MinY(geom) AS y FROM observations WHERE fid = 992').raw().get() as [number, number];
    const [x1, y1] = db.prepare('SELECT ST_MinX(geom), ST_MinY(geom) FROM observations WHERE fid = 1').raw().get() as [number, number];
    db.close();
    expect(x).toBeCloseTo(x1, 7);
    expect(y).toBeCloseTo(y1, 7);
  });

  it('a GeoJSON file', async () => {
    const s = await sniffTask({ path: join(FIXTURES, 'ecrins.geojson'), read: {}, previewRows: 2 }, jobContext());
    expect(s).toMatchObject({ format: 'geojson', rows: 6, srs: 'EPSG:4326' });
    expect(s.preview[0]?.cells).toContain('Stenobothrus nigromaculatus');
  });

  it('a Darwin Core Archive folder (tab-separated, no quoting) with its vocabulary', async () => {
    const path = join(FIXTURES, 'dwca-ecrins');
    const s = await sniffTask({ path, read: {}, previewRows: 2 }, jobContext());
    expect(s.format).toBe('dwca');
    expect(s.preset).toBe('darwin-core');
    const ws = demoCopy();
    const r = await importTask({ workspace: ws, path, read: {}, mapping: s.suggested, create: false, actor: 't' }, jobContext());
    expect(r.imported).toBe(6);
    const db = new Database(ws, { readonly: true });
    expect(db.prepare('SELECT nom_cite, date_min, cd_nomenclature_observation_status AS st, entity_source_pk_value AS id FROM observations WHERE fid = 992').get()).toEqual({
      nom_cite: 'Stenobothrus nigromaculatus',
      date_min: '2017-08-03',
      st: 'Pr',
      id: 'ecrins-1',
    });
    db.close();
  });

  it('GBIF’s Darwin Core test archives: zipped inside a folder, CSV with JSON in quotes', async () => {
    const zipped = await sniffTask({ path: join(OCCURRENCE, 'ipt__dwca-inside-parent.zip'), read: {}, previewRows: 3 }, jobContext());
    expect(zipped.format).toBe('dwca');
    expect(zipped.columns).toContain('scientificName');
    expect(zipped.preview.length).toBeGreaterThan(0);
    const quoted = await sniffTask({ path: join(OCCURRENCE, 'dwca-io__csv-json-escaped-quotes', 'meta.xml'), read: {}, previewRows: 5 }, jobContext());
    const dyn = quoted.columns.indexOf('dynamicProperties');
    const value = quoted.preview.map((p) => p.cells[dyn]).find((v) => v);
    expect(() => JSON.parse(value as string)).not.toThrow();
    // An archive whose data file is missing says so.
    await expect(sniffTask({ path: join(OCCURRENCE, 'dwca-io__invalid-meta-only', 'meta.xml'), read: {}, previewRows: 1 }, jobContext())).rejects.toSatisfy(
      (e) => isAppError(e, 'NOT_FOUND') && e.key === 'errors.CLEAN_DWCA_MISSING_FILE',
    );
  });

  it('refuses an empty file and an unknown mapping column, with their keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-empty-'));
    writeFileSync(join(dir, 'e.csv'), '');
    expect(() => openSource(join(dir, 'e.csv'))).toThrow(expect.objectContaining({ key: 'errors.CLEAN_EMPTY_FILE' }));
    await expect(
      importTask({ workspace: demoCopy(), path: join(FIXTURES, 'legacy-ecrins.csv'), read: {}, mapping: { fields: { nom_cite: { column: 'nope' } }, geometry: [], values: {}, dateFormat: 'auto' }, create: false, actor: 't' }, jobContext()),
    ).rejects.toSatisfy((e) => isAppError(e, 'INVALID_INPUT') && e.key === 'errors.CSV_NO_COLUMN');
  });

  it('creates the workspace when asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-new-'));
    const ws = join(dir, 'nouveau.gpkg');
    const r = await importTask({ workspace: ws, path: join(FIXTURES, 'ecrins.geojson'), read: {}, mapping: { fields: { nom_cite: { column: 'nom_cite' } }, geometry: [{ kind: 'native' }], values: {}, dateFormat: 'auto' }, create: true, actor: 't' }, jobContext());
    expect(r.imported).toBe(6);
    expect(readFileSync(ws).subarray(0, 15).toString()).toBe('SQLite format 3');
  });
});

describe('make-valid', () => {
  it('repairs a self-intersecting polygon with GEOS, and undo puts the invalid one back', async () => {
    const ws = demoCopy();
    const db = new Database(ws);
    registerGpkgFunctions(db);
    const bowtie = encodeBlob(parseWkt('POLYGON((6.40 44.60, 6.50 44.70, 6.50 44.60, 6.40 44.70, 6.40 44.60))'));
    db.prepare('UPDATE observations SET geom = ? WHERE fid = 5').run(bowtie);
    db.close();
    const params = { checks: ['geometry.invalid' as const], minYear: 1850, departements: [], duplicateToleranceM: 10 };
    const before = await checkTask({ workspace: ws, params, samples: 5, home: dirname(ws) }, jobContext());
    expect(before.groups.map((g) => [g.check, g.count])).toEqual([['geometry.invalid', 1]]);
    const fix = await fixTask({ workspace: ws, fix: { kind: 'make-valid' }, dryRun: false, offset: 0, limit: 10, actor: 't' }, jobContext());
    expect(fix.changes.map((c) => c.fid)).toEqual([5]);
    expect(String(fix.changes[0]?.after)).toMatch(/^MULTIPOLYGON/);
    const after = await checkTask({ workspace: ws, params, samples: 5, home: dirname(ws) }, jobContext());
    expect(after.groups).toEqual([]);
    await undoTask({ workspace: ws, actor: 't' }, jobContext());
    const db2 = new Database(ws, { readonly: true });
    expect(Buffer.compare(db2.prepare('SELECT geom FROM observations WHERE fid = 5').pluck().get() as Buffer, bowtie)).toBe(0);
    db2.close();
  });
});
