/**
 * The metadata domain on real workspaces: a copy of the bundled demo (991 real Écrins
 * observations in one thematic JDD, no CA) and a fixture built from it whose observations carry
 * sources (protocols) and producer organisms. Through the contract, in-process, no mocks.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client, type MetadataTree, type SplitResult } from '../../../shared/contract/index.js';
import type { Dataset } from '../../../shared/metadata/index.js';
import { checkWellFormed, METADATA_FIXTURES, validateWithXsd } from '../../../test/fixtures/metadata/xmllint.js';
import { DEMO } from '../../../test/helpers/paths.js';
import { inProcess, type TransportUnderTest } from '../../../test/helpers/transports.js';
import { registerGpkgFunctions } from '../gpkg/sql-functions.js';
import { openWorkspace } from '../workspace/open.js';
import { demoCopyPath } from '../workspace/demo-copy.js';

const DEMO_JDD = '5b2f4a0e-7c1d-4e8a-9f3b-2d6c8e1a4b70';
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

/** A migrated copy of the demo (format current), so previews can be compared byte for byte. */
function demoCopy(name = 'demo.gpkg'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'passerelle-md-')), name);
  copyFileSync(DEMO, path);
  openWorkspace(path, { write: true }).close();
  return path;
}

/** Every row of the tables an operation touches, each value as SQLite's quote() (type and value). */
function snapshot(path: string): Record<string, string[]> {
  const db = new Database(path, { readonly: true });
  try {
    const rows = (table: string, order: string) => {
      const cols = (db.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string }>).map((c) => `quote("${c.name}")`);
      return (db.prepare(`SELECT ${cols.join(" || '|' || ")} AS r FROM "${table}" ORDER BY ${order}`).all() as Array<{ r: string }>).map((x) => x.r);
    };
    return {
      datasets: rows('datasets', 'id'),
      acquisition_frameworks: rows('acquisition_frameworks', 'id'),
      observations: rows('observations', 'fid'),
    };
  } finally {
    db.close();
  }
}

function sql<T>(path: string, query: string, ...params: unknown[]): T[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(query).all(...params) as T[];
  } finally {
    db.close();
  }
}

const allDatasets = (t: MetadataTree) => [...t.frameworks.flatMap((f) => f.datasets), ...t.orphans];

let face: TransportUnderTest;
let client: Client;

beforeAll(() => {
  face = inProcess();
  client = createClient(face.transport);
});
afterAll(async () => face.close());

describe('metadata of the demo workspace (a copy)', () => {
  it('lists the thematic JDD without a CA and validates it: field paths, rules, French and English messages and fixes', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'passerelle-md-')), 'v1.gpkg');
    copyFileSync(DEMO, path);
    const before = sha(path);
    const tree = await client.invoke('metadata.tree', { workspace: path });
    // Reading never migrates: the copy is still format 1.
    expect(tree).toMatchObject({ formatVersion: 1, frameworks: [], pulled: false, pendingChanges: 0, undo: { available: false, operation: null } });
    expect(tree.orphans).toEqual([
      expect.objectContaining({ uuid: DEMO_JDD, status: 'created', observations: 991, dateMin: '2000-01-10', dateMax: '2017-10-02', errors: 11, warnings: 0 }),
    ]);
    const v = await client.invoke('metadata.validate', { workspace: path });
    expect(v).toMatchObject({ valid: false, errors: 11, warnings: 0, catalog: 'builtin' });
    expect(v.issues.map((i) => [i.field, i.rule])).toEqual([
      ['frameworkUuid', 'required'],
      ['dataType', 'required'],
      ['objectives', 'required'],
      ['collectingMethod', 'required'],
      ['dataOrigin', 'required'],
      ['sourceStatus', 'required'],
      ['resourceType', 'required'],
      ['marineDomain', 'required'],
      ['terrestrialDomain', 'required'],
      ['territories', 'required'],
      ['actors', 'contact.missing'],
    ]);
    const contact = v.issues.at(-1);
    expect(contact?.fr.message).toContain('Contact principal');
    expect(contact?.en.fix).toMatch(/Add an actor with the role "Main contact"/);
    expect(contact?.name).toBe('Synthèse PNE – extrait de développement GeoNature (2018)');
    expect(sha(path)).toBe(before);
  });

  it('splits by year: the preview counts the observations of each year and writes nothing; applying creates one JDD per year', async () => {
    const path = demoCopy();
    const years = sql<{ y: string; n: number }>(path, `SELECT substr(date_min, 1, 4) AS y, count(*) AS n FROM observations GROUP BY y ORDER BY y`);
    expect(years.length).toBe(10);
    const before = sha(path);
    const snap = snapshot(path);
    const preview = await client.invoke('metadata.split', { workspace: path, dataset: DEMO_JDD, by: { kind: 'year' }, dryRun: true });
    expect(sha(path)).toBe(before);
    expect(preview.groups.map((g) => [g.key, g.observations])).toEqual(years.map((y) => [y.y, y.n]));
    expect(preview.groups.every((g) => g.uuid === null && !g.stays)).toBe(true);
    expect(preview.groups.find((g) => g.key === '2016')).toMatchObject({
      label: '2016',
      name: 'Synthèse PNE – extrait de développement GeoNature (2018) – 2016',
      shortName: 'jdd_synthese_dev_2016',
      dateMin: '2016-01-05',
      dateMax: '2016-05-07',
    });
    expect(new Set(preview.groups.map((g) => g.shortName)).size).toBe(10);
    expect(preview).toMatchObject({ dryRun: true, created: 10, moved: 991, operation: null, by: 'par année', parent: { observations: 991, remaining: 0 } });

    const expectCounts = Object.fromEntries(preview.groups.map((g) => [g.key, g.observations]));
    const r = await client.invoke('metadata.split', { workspace: path, dataset: DEMO_JDD, by: { kind: 'year' }, expect: expectCounts });
    expect(r.operation).toMatchObject({ kind: 'split', state: 'applied' });
    expect(r.groups.every((g) => typeof g.uuid === 'string' && g.uuid !== DEMO_JDD)).toBe(true);
    const tree = await client.invoke('metadata.tree', { workspace: path });
    const byUuid = new Map(allDatasets(tree).map((d) => [d.uuid, d]));
    for (const g of r.groups) expect(byUuid.get(g.uuid as string)).toMatchObject({ name: g.name, status: 'created', observations: g.observations });
    expect(byUuid.get(DEMO_JDD)?.observations).toBe(0);
    // Each new JDD: a creation and a move in the journal (push sends both), one operation for undo.
    expect(tree.pendingChanges).toBe(20);
    expect(tree.undo).toMatchObject({ available: true, blocked: null, operation: { id: r.operation?.id } });
    const moved = sql<{ ds: string; n: number }>(path, `SELECT dataset_uuid AS ds, count(*) AS n FROM observations GROUP BY ds`);
    expect(Object.fromEntries(moved.map((m) => [m.ds, m.n]))).toEqual(Object.fromEntries(r.groups.map((g) => [g.uuid, g.observations])));
    const rec = await client.invoke('metadata.get', { workspace: path, entity: 'dataset', uuid: r.groups[0]?.uuid as string });
    const d = rec.record as Dataset;
    expect(d.description).toContain('Jeu de données issu de la division de « Synthèse PNE – extrait de développement GeoNature (2018) » par année');
    expect(d.bbox?.west).toBeGreaterThan(5);
    const audit = sql<{ action: string }>(path, `SELECT action FROM passerelle_audit ORDER BY id DESC LIMIT 1`);
    expect(audit[0]?.action).toBe('metadata.split');

    // The ISO 19139 record of every JDD is in gpkg_metadata, and GDAL shows them as the layer's metadata.
    const md = sql<{ n: number }>(path, `SELECT count(*) AS n FROM gpkg_metadata m JOIN gpkg_metadata_reference r ON r.md_file_id = m.id AND r.reference_scope = 'row' AND r.table_name = 'datasets'`);
    expect(md[0]?.n).toBe(11);
    // …and the file stays a conforming GeoPackage with them (the metadata extension registered).
    const conformance = await client.invoke('gpkg.validate', { path, geometry: false });
    expect(conformance.summary.errors).toBe(0);
    expect(conformance.findings.filter((x) => /metadata/.test(JSON.stringify(x)))).toEqual([]);
    const ogr = spawnSync('ogrinfo', ['-so', path, 'observations'], { encoding: 'utf8' });
    expect(ogr.status).toBe(0);
    expect(ogr.stdout).toContain('GPKG_METADATA_ITEM_');
    expect(ogr.stdout).toContain(`<gco:CharacterString>${r.groups[3]?.uuid}</gco:CharacterString>`);

    // Undo puts every row back, byte for byte, and discards the journal entries.
    const u = await client.invoke('metadata.undo', { workspace: path });
    expect(u).toMatchObject({ operation: { id: r.operation?.id, state: 'undone' }, restored: { rows: 10, observations: 991, journal: 20 } });
    expect(snapshot(path)).toEqual(snap);
    const after = await client.invoke('metadata.tree', { workspace: path });
    expect(after.pendingChanges).toBe(0);
    expect(sql<{ state: string; n: number }>(path, `SELECT state, count(*) AS n FROM change_journal GROUP BY state`)).toEqual([{ state: 'discarded', n: 20 }]);
    const again = await client.call('metadata.undo', { workspace: path });
    expect(again.ok ? 'ok' : [again.error.code, again.error.details?.key]).toEqual(['NOT_FOUND', 'errors.METADATA_NOTHING_TO_UNDO']);
  });

  it('refuses to apply a split whose preview is out of date, and writes nothing', async () => {
    const path = demoCopy();
    const before = sha(path);
    const r = await client.call('metadata.split', { workspace: path, dataset: DEMO_JDD, by: { kind: 'year' }, expect: { '2016': 295 } });
    expect(r.ok ? 'ok' : [r.error.code, r.error.details?.key]).toEqual(['CONFLICT', 'errors.METADATA_PREVIEW_STALE']);
    expect(sha(path)).toBe(before);
  });

  it('splits by first observer, small groups together, one group kept in the parent; by period; refuses an unknown column and taxon groups without taxref', async () => {
    const path = demoCopy();
    const r = await client.invoke('metadata.split', { workspace: path, dataset: DEMO_JDD, by: { kind: 'observer' }, minObservations: 40, keepInParent: ['corail marc'], dryRun: true });
    const corail = r.groups.find((g) => g.key === 'corail marc');
    expect(corail).toMatchObject({ label: 'Corail Marc', observations: 110, stays: true, uuid: null });
    const others = r.groups.find((g) => g.key === '(others)');
    expect(others?.label).toBe('autres');
    expect(r.groups.filter((g) => g.key !== '(others)' && !g.stays).every((g) => g.observations >= 40)).toBe(true);
    expect(r.groups.reduce((n, g) => n + g.observations, 0)).toBe(991);
    expect(r.parent.remaining).toBe(110);
    // First observer: an observation seen by "A, B" counts for A only.
    const firstIsCorail = sql<{ n: number }>(path, `SELECT count(*) AS n FROM observations WHERE observers = 'Corail Marc' OR observers LIKE 'Corail Marc,%'`);
    expect(corail?.observations).toBe(firstIsCorail[0]?.n);

    const p = await client.invoke('metadata.split', {
      workspace: path,
      dataset: DEMO_JDD,
      by: { kind: 'period', periods: [{ from: '2000-01-01', to: '2014-12-31', label: 'Avant 2015' }, { from: '2015-01-01', to: '2015-12-31' }] },
      dryRun: true,
      lang: 'en',
    });
    expect(p.groups.map((g) => [g.key, g.label, g.observations])).toEqual([
      ['2000-01-01/2014-12-31', 'Avant 2015', 36],
      ['2015-01-01/2015-12-31', '2015-01-01 → 2015-12-31', 153],
      ['(none)', 'not given', 802],
    ]);

    const col = await client.call('metadata.split', { workspace: path, dataset: DEMO_JDD, by: { kind: 'attribute', column: 'nope' }, dryRun: true });
    expect(col.ok ? 'ok' : col.error.details?.key).toBe('errors.METADATA_UNKNOWN_COLUMN');
    const taxa = await client.call('metadata.split', { workspace: path, dataset: DEMO_JDD, by: { kind: 'taxonGroup', level: 'group2_inpn' }, dryRun: true });
    expect(taxa.ok ? 'ok' : taxa.error.details?.key).toBe('errors.METADATA_NO_TAXREF');
    const attr = await client.invoke('metadata.split', { workspace: path, dataset: DEMO_JDD, by: { kind: 'attribute', column: 'cd_nomenclature_obs_technique' }, dryRun: true });
    expect(attr.groups.map((g) => [g.key, g.label, g.observations])).toEqual([['21', 'cd_nomenclature_obs_technique = 21', 991]]);
  });

  it('fixes every validation error: a CA from a template, the JDD moved into it, the JDD form saved; then undoes it all, exactly', async () => {
    const path = demoCopy();
    const snap = snapshot(path);
    const ca = await client.invoke('metadata.createFramework', {
      workspace: path,
      from: { preset: 'inventory' },
      values: {
        name: 'Inventaires naturalistes du Parc national des Écrins',
        description: 'Programme d’inventaires faune et flore du Parc national des Écrins.',
        territorialLevel: '7',
        startDate: '2000-01-01',
        actors: [{ role: '1', person: null, email: 'contact@ecrins-parcnational.fr', organism: 'Parc National des Ecrins', organismUuid: null }],
      },
    });
    expect(ca.view).toMatchObject({ entity: 'framework', status: 'created', record: { objectives: ['8'], financingType: '1', territories: ['METROP'], voletsSinp: ['1'] } });
    expect(ca.view.issues).toEqual([]);
    const caUuid = ca.view.uuid;
    const move = await client.invoke('metadata.move', { workspace: path, datasets: [DEMO_JDD], framework: caUuid });
    expect(move.datasets).toEqual([{ uuid: DEMO_JDD, name: expect.any(String), from: null, fromName: null, observations: 991 }]);
    const got = await client.invoke('metadata.get', { workspace: path, entity: 'dataset', uuid: DEMO_JDD });
    const jdd = got.record as Dataset;
    expect(jdd.frameworkUuid).toBe(caUuid);
    const fixed: Dataset = {
      ...jdd,
      dataType: '1',
      objectives: ['1.1'],
      collectingMethod: '1',
      dataOrigin: 'Pu',
      sourceStatus: 'Te',
      resourceType: '1',
      marineDomain: false,
      terrestrialDomain: true,
      territories: ['METROP'],
      territoryDescription: 'Parc national des Écrins',
      keywords: ['Écrins', 'faune'],
      actors: [{ role: '1', person: null, email: null, organism: 'Parc National des Ecrins', organismUuid: null }],
      protocols: [{ uuid: null, name: 'Hors protocole', description: null, url: null, type: '0' }],
      bbox: { west: 5.9, south: 44.6, east: 6.6, north: 45.1 },
    };
    const dry = await client.invoke('metadata.put', { workspace: path, entity: 'dataset', record: fixed, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, operation: null });
    expect(dry.view.issues).toEqual([]);
    expect((await client.invoke('metadata.get', { workspace: path, entity: 'dataset', uuid: DEMO_JDD })).record).toEqual(jdd);
    const put = await client.invoke('metadata.put', { workspace: path, entity: 'dataset', record: fixed });
    expect(put.changed).toEqual(expect.arrayContaining(['data_type', 'dataset_objectif', 'territory_desc', 'bbox_west', 'actors', 'territories', 'protocols', 'objectives']));
    const saved = put.view.record as Dataset;
    // Every protocol gets a UUID (push links protocols by UUID); the bbox is kept as the server's float4 would be.
    expect(saved.protocols[0]?.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(saved.bbox).toEqual({ west: 5.9, south: 44.6, east: 6.6, north: 45.1 });
    const v = await client.invoke('metadata.validate', { workspace: path });
    expect(v).toMatchObject({ valid: true, errors: 0 });
    // Saving the same record again changes nothing and records no operation.
    const same = await client.invoke('metadata.put', { workspace: path, entity: 'dataset', record: saved });
    expect(same).toMatchObject({ changed: [], operation: null });
    // Clearing a field the server requires is refused; an unknown code too.
    const cleared = await client.call('metadata.put', { workspace: path, entity: 'dataset', record: { ...saved, dataType: null } });
    expect(cleared.ok ? 'ok' : cleared.error.details?.key).toBe('errors.GN_BAD_VALUE');
    const unknown = await client.call('metadata.put', { workspace: path, entity: 'dataset', record: { ...saved, territories: ['ATLANTIDE'] } });
    expect(unknown.ok ? 'ok' : unknown.error.details?.key).toBe('errors.GN_UNKNOWN_CODE');

    const history = await client.invoke('metadata.history', { workspace: path });
    expect(history.operations.map((o) => [o.kind, o.state])).toEqual([
      ['put', 'applied'],
      ['move', 'applied'],
      ['createFramework', 'applied'],
    ]);
    for (let i = 0; i < 3; i++) await client.invoke('metadata.undo', { workspace: path });
    expect(snapshot(path)).toEqual(snap);
  });

  it('edits many JDD at once: a territory, a keyword and an actor added, previewed first', async () => {
    const path = demoCopy();
    const split = await client.invoke('metadata.split', { workspace: path, dataset: DEMO_JDD, by: { kind: 'year' }, minObservations: 100 });
    const uuids = split.groups.map((g) => g.uuid as string);
    const actor = { role: '6', person: 'Corail Marc', email: null, organism: 'Parc National des Ecrins', organismUuid: null };
    const edits = [
      { op: 'add' as const, field: 'territories' as const, value: 'METROP' },
      { op: 'add' as const, field: 'keywords' as const, value: 'restructuration' },
      { op: 'addActor' as const, actor },
      { op: 'set' as const, field: 'dataType' as const, value: '1' },
    ];
    const before = sha(path);
    const preview = await client.invoke('metadata.bulkEdit', { workspace: path, datasets: uuids, edits, dryRun: true });
    expect(sha(path)).toBe(before);
    expect(preview.datasets).toHaveLength(uuids.length);
    expect(preview.datasets[0]?.changes.map((c) => c.field).sort()).toEqual(['actors', 'data_type', 'keywords', 'territories']);
    const r = await client.invoke('metadata.bulkEdit', { workspace: path, datasets: uuids, edits });
    expect(r.operation?.kind).toBe('bulkEdit');
    for (const uuid of uuids) {
      const d = (await client.invoke('metadata.get', { workspace: path, entity: 'dataset', uuid })).record as Dataset;
      expect(d).toMatchObject({ territories: ['METROP'], dataType: '1', actors: [actor] });
      expect(d.keywords).toContain('restructuration');
    }
    // Adding them again changes nothing.
    const again = await client.invoke('metadata.bulkEdit', { workspace: path, datasets: uuids, edits });
    expect(again.operation).toBeNull();
  });

  it('merges JDD: observations moved, JDD made here deleted, undone exactly', async () => {
    const path = demoCopy();
    const split = await client.invoke('metadata.split', { workspace: path, dataset: DEMO_JDD, by: { kind: 'year' }, minObservations: 100 });
    const [a, b, c] = split.groups;
    if (!a?.uuid || !b?.uuid || !c?.uuid) throw new Error('split gave fewer than 3 JDD');
    const snap = snapshot(path);
    const preview = await client.invoke('metadata.merge', { workspace: path, into: a.uuid, datasets: [b.uuid, c.uuid], dryRun: true });
    expect(preview).toMatchObject({ target: { observationsBefore: a.observations, observationsAfter: a.observations + b.observations + c.observations }, moved: b.observations + c.observations });
    expect(preview.sources.map((s) => s.action)).toEqual(['deleted', 'deleted']);
    const r = await client.invoke('metadata.merge', { workspace: path, into: a.uuid, datasets: [b.uuid, c.uuid] });
    const tree = await client.invoke('metadata.tree', { workspace: path });
    const uuids = allDatasets(tree).map((d) => d.uuid);
    expect(uuids).not.toContain(b.uuid);
    expect(uuids).not.toContain(c.uuid);
    expect(allDatasets(tree).find((d) => d.uuid === a.uuid)?.observations).toBe(r.target.observationsAfter);
    // The creations of the deleted JDD are no longer pending; their moves are (push moves the observations from the server's JDD).
    expect(sql<{ n: number }>(path, `SELECT count(*) AS n FROM change_journal WHERE uuid IN (?, ?) AND kind = 'create_dataset' AND state = 'discarded'`, b.uuid, c.uuid)[0]?.n).toBe(2);
    const nothing = await client.call('metadata.merge', { workspace: path, into: a.uuid, datasets: [a.uuid] });
    expect(nothing.ok ? 'ok' : nothing.error.details?.key).toBe('errors.METADATA_MERGE_NOTHING');
    await client.invoke('metadata.undo', { workspace: path });
    expect(snapshot(path)).toEqual(snap);
    expect(sql<{ n: number }>(path, `SELECT count(*) AS n FROM change_journal WHERE uuid IN (?, ?) AND kind = 'create_dataset' AND state = 'pending'`, b.uuid, c.uuid)[0]?.n).toBe(2);
  });

  it('reassigns the observations a filter matches, and refuses to undo once the same rows changed again', async () => {
    const path = demoCopy();
    const split = await client.invoke('metadata.split', { workspace: path, dataset: DEMO_JDD, by: { kind: 'year' }, minObservations: 100 });
    const target = split.groups[0]?.uuid as string;
    const filter = { observers: ['corail marc'], dateFrom: '2016-01-01' };
    const expected = sql<{ n: number; moving: number }>(
      path,
      `SELECT count(*) AS n, sum(dataset_uuid <> ?) AS moving FROM observations WHERE (observers = 'Corail Marc' OR observers LIKE 'Corail Marc,%' OR observers LIKE '%, Corail Marc' OR observers LIKE '%, Corail Marc,%') AND substr(date_min, 1, 10) >= '2016-01-01'`,
      target,
    )[0];
    const preview = await client.invoke('metadata.reassign', { workspace: path, to: target, filter, dryRun: true });
    expect(preview).toMatchObject({ matched: expected?.n, moving: expected?.moving, operation: null });
    expect(preview.from.reduce((n, f) => n + f.observations, 0)).toBe(expected?.moving);
    const r = await client.invoke('metadata.reassign', { workspace: path, to: target, filter });
    expect(r.operation?.kind).toBe('reassign');
    // A later change elsewhere (the JDD's short name) leaves it undoable…
    await client.invoke('geonature.editField', { workspace: path, entity: 'dataset', uuid: target, field: 'dataset_shortname', value: 'ecrins_corail' });
    expect((await client.invoke('metadata.tree', { workspace: path })).undo).toMatchObject({ available: true, blocked: null });
    // …a later move of one of the observations it moved (here through the GeoNature change methods) does not.
    const one = sql<{ u: string }>(path, `SELECT unique_id_sinp AS u FROM observations WHERE dataset_uuid = ? AND observers LIKE 'Corail Marc%' AND date_min >= '2016' LIMIT 1`, target)[0]?.u as string;
    await client.invoke('geonature.reassignObservations', { workspace: path, dataset: split.groups[1]?.uuid as string, observations: [one] });
    const tree = await client.invoke('metadata.tree', { workspace: path });
    expect(tree.undo).toMatchObject({ available: false, blocked: 'changed' });
    const u = await client.call('metadata.undo', { workspace: path });
    expect(u.ok ? 'ok' : [u.error.code, u.error.details?.key]).toEqual(['CONFLICT', 'errors.METADATA_UNDO_CHANGED']);
  });

  it('exports MTD, ISO 19139 and EML that xmllint accepts against the official XSDs, atomically', async () => {
    const path = demoCopy();
    await client.invoke('metadata.split', { workspace: path, dataset: DEMO_JDD, by: { kind: 'year' }, minObservations: 200 });
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-mdx-'));
    const mtd = await client.invoke('metadata.export', { workspace: path, format: 'mtd', out: join(dir, 'set.xml') });
    expect(mtd).toMatchObject({ format: 'mtd', frameworks: 0, datasets: 4 });
    const mtdXml = readFileSync(join(dir, 'set.xml'), 'utf8');
    expect(checkWellFormed(mtdXml).ok).toBe(true);
    expect(mtdXml).toContain(DEMO_JDD);
    const several = await client.call('metadata.export', { workspace: path, format: 'iso19139', out: join(dir, 'x.xml') });
    expect(several.ok ? 'ok' : several.error.details?.key).toBe('errors.METADATA_DATASET_NEEDED');
    const iso = await client.invoke('metadata.export', { workspace: path, format: 'iso19139', dataset: DEMO_JDD, out: join(dir, 'iso.xml'), options: { licence: 'CC-BY-4.0' } });
    const isoXml = readFileSync(iso.path, 'utf8');
    const isoCheck = validateWithXsd(isoXml, 'iso19139');
    expect(isoCheck.output).toMatch(/validates/);
    expect(isoCheck.ok).toBe(true);
    expect(isoXml).toContain('creativecommons.org/licenses/by/4.0');
    const eml = await client.invoke('metadata.export', { workspace: path, format: 'eml', dataset: DEMO_JDD, out: join(dir, 'eml.xml') });
    const emlCheck = validateWithXsd(readFileSync(eml.path, 'utf8'), 'eml');
    expect(emlCheck.ok, emlCheck.output).toBe(true);
    expect(eml.notes.length).toBeGreaterThan(0);
    expect(eml.notes[0]?.fr).toBeTruthy();
    for (const format of ['dcat', 'schemaorg'] as const) {
      const r = await client.invoke('metadata.export', { workspace: path, format, dataset: DEMO_JDD, out: join(dir, `${format}.jsonld`) });
      expect((JSON.parse(readFileSync(r.path, 'utf8')) as Record<string, unknown>)['@context']).toBeDefined();
    }
    const exists = await client.call('metadata.export', { workspace: path, format: 'mtd', out: join(dir, 'set.xml') });
    expect(exists.ok ? 'ok' : [exists.error.code, exists.error.details?.key]).toEqual(['CONFLICT', 'errors.FILE_EXISTS']);
    expect((await client.invoke('metadata.export', { workspace: path, format: 'mtd', out: join(dir, 'set.xml'), overwrite: true, dataset: DEMO_JDD })).datasets).toBe(1);
  });

  it('imports real MTD records (preview first), again without change, and round-trips its own MTD export', async () => {
    const path = demoCopy();
    const af = join(METADATA_FIXTURES, 'mtd', 'mtd_sync__af_extract.xml');
    const jdd = join(METADATA_FIXTURES, 'mtd', 'mtd_sync__jdd_extract.xml');
    const before = sha(path);
    const preview = await client.invoke('metadata.import', { workspace: path, file: af, dryRun: true });
    expect(sha(path)).toBe(before);
    expect(preview.format).toBe('mtd');
    expect(preview.frameworks.length).toBe(2);
    expect(preview.frameworks.every((f) => f.action === 'create')).toBe(true);
    const r = await client.invoke('metadata.import', { workspace: path, file: af });
    expect(r.operation?.kind).toBe('import');
    const again = await client.invoke('metadata.import', { workspace: path, file: af });
    expect(again.frameworks.map((f) => f.action)).toEqual(['unchanged', 'unchanged']);
    expect(again.operation).toBeNull();
    const j = await client.invoke('metadata.import', { workspace: path, file: jdd });
    expect(j.datasets.length).toBe(2);
    const tree = await client.invoke('metadata.tree', { workspace: path });
    expect(tree.frameworks.length).toBe(2);
    expect(allDatasets(tree).length).toBe(3);

    // Export the whole set as MTD, import it into a fresh copy: the same records, field for field (what MTD carries).
    const out = join(mkdtempSync(join(tmpdir(), 'passerelle-mdrt-')), 'set.xml');
    await client.invoke('metadata.export', { workspace: path, format: 'mtd', out });
    const fresh = demoCopy('fresh.gpkg');
    await client.invoke('metadata.import', { workspace: fresh, file: out });
    for (const f of tree.frameworks) {
      const a = await client.invoke('metadata.get', { workspace: path, entity: 'framework', uuid: f.uuid });
      const b = await client.invoke('metadata.get', { workspace: fresh, entity: 'framework', uuid: f.uuid });
      const strip = (x: typeof a.record) => ({ ...x, metadataCreated: null, metadataUpdated: null });
      expect(strip(b.record)).toEqual(strip(a.record));
    }
  });

  it('never modifies the bundled demo: writes to it go to its working copy in PASSERELLE_HOME, which reads then use', async () => {
    const before = sha(DEMO);
    const copy = demoCopyPath(face.engine.home, DEMO);
    expect(existsSync(copy)).toBe(false);
    const r = await client.invoke('metadata.split', { workspace: DEMO, dataset: DEMO_JDD, by: { kind: 'year' }, minObservations: 300 });
    expect(r.workspace).toBe(copy);
    expect(sha(DEMO)).toBe(before);
    const tree = await client.invoke('metadata.tree', { workspace: DEMO });
    expect(tree.workspace).toBe(copy);
    expect(allDatasets(tree).length).toBe(1 + r.created);
    await client.invoke('metadata.undo', { workspace: DEMO });
    expect(sha(DEMO)).toBe(before);
  });
});

describe('splits by protocol and by producer (a fixture whose observations carry them)', () => {
  const STOC = 'c0a80101-0000-4000-8000-000000000001';
  let path: string;

  beforeAll(() => {
    path = demoCopy('fixture.gpkg');
    const db = new Database(path);
    registerGpkgFunctions(db);
    try {
      // Sources as GeoNature writes them (a module, a protocol, an import per source), producers as organisms of the digitiser.
      db.exec(`
        UPDATE observations SET source_name = CASE
          WHEN substr(date_min, 1, 4) = '2017' THEN 'STOC-EPS'
          WHEN substr(date_min, 1, 4) = '2016' THEN 'Suivi chamois'
          WHEN substr(date_min, 1, 4) = '2015' THEN 'Occtax' END;
        UPDATE observations SET producer_name = CASE WHEN fid % 3 = 0 THEN 'LPO PACA' ELSE 'Parc National des Ecrins' END,
                                producer_uuid = CASE WHEN fid % 3 = 0 THEN '5e3c2b1a-9f8e-4d7c-8b6a-5f4e3d2c1b0a' ELSE 'c8a2b7e1-4f3d-4a9b-8e6c-2d1f0a5b7c31' END;
      `);
      db.prepare(`UPDATE datasets SET protocols_json = ? WHERE unique_dataset_id = ?`).run(JSON.stringify([{ uuid: STOC, name: 'STOC-EPS', description: 'Suivi temporel des oiseaux communs', url: null, type: '1' }]), DEMO_JDD);
    } finally {
      db.close();
    }
  });

  it('gives each JDD of a split by protocol its protocol (an existing one keeps its UUID)', async () => {
    const counts = sql<{ s: string | null; n: number }>(path, `SELECT source_name AS s, count(*) AS n FROM observations GROUP BY s ORDER BY n DESC`);
    const r: SplitResult = await client.invoke('metadata.split', { workspace: path, dataset: DEMO_JDD, by: { kind: 'protocol' } });
    expect(r.groups.map((g) => [g.key, g.observations])).toEqual([
      ...counts.filter((c) => c.s !== null).map((c) => [c.s, c.n]),
      ['(none)', counts.find((c) => c.s === null)?.n],
    ]);
    const protocols = new Map<string, Dataset['protocols']>();
    for (const g of r.groups) protocols.set(g.key, ((await client.invoke('metadata.get', { workspace: path, entity: 'dataset', uuid: g.uuid as string })).record as Dataset).protocols);
    expect(protocols.get('STOC-EPS')).toEqual([{ uuid: STOC, name: 'STOC-EPS', description: 'Suivi temporel des oiseaux communs', url: null, type: '1' }]);
    expect(protocols.get('Occtax')).toEqual([{ uuid: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'Occtax', description: null, url: null, type: null }]);
    // Observations without a source keep the parent's protocols.
    expect(protocols.get('(none)')?.[0]?.uuid).toBe(STOC);
    await client.invoke('metadata.undo', { workspace: path });
  });

  it('makes the group’s organism the producer (ROLE_ACTEUR 6) of each JDD of a split by producer', async () => {
    const r = await client.invoke('metadata.split', { workspace: path, dataset: DEMO_JDD, by: { kind: 'producer' }, dryRun: true });
    const lpo = sql<{ n: number }>(path, `SELECT count(*) AS n FROM observations WHERE fid % 3 = 0`)[0]?.n;
    expect(r.groups.map((g) => [g.key, g.observations])).toEqual([
      ['Parc National des Ecrins', 991 - (lpo ?? 0)],
      ['LPO PACA', lpo],
    ]);
    const applied = await client.invoke('metadata.split', { workspace: path, dataset: DEMO_JDD, by: { kind: 'producer' } });
    const lpoJdd = (await client.invoke('metadata.get', { workspace: path, entity: 'dataset', uuid: applied.groups[1]?.uuid as string })).record as Dataset;
    expect(lpoJdd.actors.filter((a) => a.role === '6')).toEqual([{ role: '6', person: null, email: null, organism: 'LPO PACA', organismUuid: '5e3c2b1a-9f8e-4d7c-8b6a-5f4e3d2c1b0a' }]);
    expect(lpoJdd.name).toBe('Synthèse PNE – extrait de développement GeoNature (2018) – LPO PACA');
    expect(lpoJdd.shortName).toBe('jdd_synthese_dev_lpo_paca');
    await client.invoke('metadata.undo', { workspace: path });
  });

  it('splits by any observation attribute', async () => {
    const r = await client.invoke('metadata.split', { workspace: path, dataset: DEMO_JDD, by: { kind: 'attribute', column: 'source_name' }, dryRun: true, lang: 'en' });
    expect(r.groups.map((g) => g.label)).toEqual(['source_name = Occtax', 'source_name = STOC-EPS', 'source_name = Suivi chamois', 'not given']);
    expect(r.by).toBe('by attribute source_name');
  });
});
