/**
 * The sensitivity domain through the contract (the CLI's in-process transport and the real
 * engine), on copies of the real Écrins demo with the test referential
 * (test/fixtures/sensitivity, TEST DATA): load, check, report, explain, overrides with their
 * justification, local rules, the demo's working copy, format 5. No mocks.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client, type SensitivityCheckReport } from '../../../shared/contract/index.js';
import { AS_OF, fixture } from '../../../test/fixtures/sensitivity/fixtures.js';
import { DEMO } from '../../../test/helpers/paths.js';
import { inProcess, type TransportUnderTest } from '../../../test/helpers/transports.js';
import { createJobContext } from '../jobs/context.js';
import { isAppError } from '../errors.js';
import { WORKSPACE_FORMAT_VERSION } from '../workspace/format.js';
import { openWorkspace } from '../workspace/open.js';
import { checkTask } from './operations.js';
import { SENS } from './schema.js';

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const DEMO_SHA = sha(DEMO);

/** A copy of the demo (format 1) in a fresh folder. */
function demoCopy(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'passerelle-sens-')), 'ecrins.gpkg');
  copyFileSync(DEMO, path);
  return path;
}

const V13 = fixture('test-referential-v13.csv');
const V18 = fixture('test-referential-v18.csv');
const TAXONOMY = fixture('demo-taxonomy.csv');
const LOCAL = fixture('local-rules.json');

const VULTURE_IN_PERIOD = ['82161268-f86f-42cb-bb8c-57203fa26944', '445466b9-9582-4226-9733-30d28b52c40b'];
const EAGLE_AERIE = ['621dc1c0-b5af-445a-8e17-c1efed5545c6', '4c46f514-279c-48a1-96b2-8d43d42b7c69'];
const CRAYFISH = 'b42e6801-7573-4d8b-a07c-85413eac8a9f';
/** A golden eagle (fid 832, level 2 under v13) and a chamois (fid 833) seen at exactly the same point and day, in two relevés. */
const EAGLE_832 = '0e4e3e6e-e9b9-4100-ba50-8e98ca2a2d8b';
const CHAMOIS_833 = '8e0b1b25-c17a-43d8-82a7-f4a3ea2b16f2';

function rows<T>(path: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

let face: TransportUnderTest;
let client: Client;
beforeAll(() => {
  face = inProcess();
  client = createClient(face.transport);
});
afterAll(async () => {
  await face.close();
  // The committed demo is never touched by anything here.
  expect(sha(DEMO)).toBe(DEMO_SHA);
});

describe('format 5', () => {
  it('a v4 file migrates to v5: the sensitivity tables appear, registered in gpkg_contents, and nothing else changes', () => {
    const path = demoCopy();
    openWorkspace(path, { write: true }).close();
    // Back to format 4: drop what format 5 added.
    const db = new Database(path);
    for (const t of Object.values(SENS)) {
      db.exec(`DROP TABLE ${t}`);
      db.prepare('DELETE FROM gpkg_contents WHERE table_name = ?').run(t);
    }
    db.prepare("UPDATE passerelle_meta SET value = '4' WHERE key = 'format_version'").run();
    const before = db.prepare('SELECT count(*) AS n FROM observations').get();
    db.close();
    expect(WORKSPACE_FORMAT_VERSION).toBeGreaterThanOrEqual(5);
    const ws = openWorkspace(path, { write: true });
    expect(ws.formatVersion).toBe(WORKSPACE_FORMAT_VERSION);
    ws.close();
    const contents = rows<{ table_name: string; data_type: string }>(path, `SELECT table_name, data_type FROM gpkg_contents WHERE table_name LIKE 'sensitivity_%' ORDER BY 1`);
    expect(contents.map((c) => c.table_name)).toEqual(expect.arrayContaining(Object.values(SENS)));
    expect(contents.every((c) => c.data_type === 'attributes')).toBe(true);
    expect(rows(path, 'SELECT count(*) AS n FROM observations')[0]).toEqual(before);
    const audit = rows<{ before_json: string; after_json: string }>(path, "SELECT before_json, after_json FROM passerelle_audit WHERE action = 'migrate' ORDER BY id DESC LIMIT 1")[0];
    expect(audit).toEqual({ before_json: '{"formatVersion":4}', after_json: `{"formatVersion":${WORKSPACE_FORMAT_VERSION}}` });
    expect(rows<{ c: string }>(path, 'PRAGMA integrity_check')[0]).toEqual({ integrity_check: 'ok' });
  });
});

describe('loading referentials', () => {
  it('reports every bad line with its number and reason, keeps the good ones and the provenance', async () => {
    const ws = demoCopy();
    const r = await client.invoke('sensitivity.load', { workspace: ws, path: fixture('test-referential-v18-bad-lines.csv') });
    expect(r.workspace).toBe(ws);
    expect(r.referential).toMatchObject({ kind: 'referential', layout: 'v18', items: 1, errorCount: 10 });
    expect(r.errors).toHaveLength(10);
    expect(r.errors.every((e) => e.line > 1 && e.message.startsWith(`line ${e.line}:`))).toBe(true);
    expect(r.referential.sha256).toBe(sha(fixture('test-referential-v18-bad-lines.csv')));
    const latin1 = await client.invoke('sensitivity.load', { workspace: ws, path: fixture('test-referential-v18-latin1.csv'), name: 'v18 latin1', version: '18' });
    expect(latin1.referential).toMatchObject({ name: 'v18 latin1', version: '18', encoding: 'windows-1252', items: 19, errorCount: 0 });
    const list = await client.invoke('sensitivity.referentials', { workspace: ws });
    expect(list.referentials.map((x) => x.name)).toEqual(['test-referential-v18-bad-lines', 'v18 latin1']);
    expect(list.pulled).toBeNull();
    const rules = await client.invoke('sensitivity.rules', { workspace: ws, referentialId: latin1.referential.id, cdNom: 2852 });
    expect(rules.rules.map((x) => [x.level, x.territory, x.origin.line])).toEqual([
      [3, [{ type: 'DEP', code: '05' }], 4],
      [3, [{ type: 'DEP', code: '38' }], 5],
    ]);
  });

  it('loading the same referential again replaces it; a file that is not one is refused with the missing columns', async () => {
    const ws = demoCopy();
    await client.invoke('sensitivity.load', { workspace: ws, path: V13 });
    const again = await client.invoke('sensitivity.load', { workspace: ws, path: V13 });
    expect(again.replaced).toBe(true);
    expect((await client.invoke('sensitivity.referentials', { workspace: ws })).referentials).toHaveLength(1);
    const notOne = await client.call('sensitivity.load', { workspace: ws, path: fixture('README.md'), kind: 'referential' });
    expect(notOne).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { key: 'errors.SENSITIVITY_REFERENTIAL_COLUMNS' } } });
    const missing = await client.call('sensitivity.load', { workspace: ws, path: '/nonexistent/ref.csv' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('reads a local rules JSON file and a taxonomy CSV by their shape', async () => {
    const ws = demoCopy();
    const local = await client.invoke('sensitivity.load', { workspace: ws, path: LOCAL });
    expect(local.referential).toMatchObject({ kind: 'local', name: 'Règles locales PNE (TEST)', version: '2026-test', items: 4, layout: 'local-json' });
    const tax = await client.invoke('sensitivity.load', { workspace: ws, path: TAXONOMY });
    expect(tax.referential).toMatchObject({ kind: 'taxonomy', items: 282, errorCount: 0 });
    expect((await client.invoke('sensitivity.referentials', { workspace: ws })).taxonomy).toEqual({ workspaceTaxa: 0, loadedTaxa: 282 });
  });
});

describe('checking the Écrins demo with the test referential', () => {
  let ws: string;
  let report: SensitivityCheckReport;
  beforeAll(async () => {
    ws = demoCopy();
    report = await client.invoke('sensitivity.check', { workspace: ws, asOf: AS_OF, load: [{ path: V13 }, { path: TAXONOMY }], observations: true });
  });

  it('loads and checks in one go: counts by level 0–4 and the level of every observation', () => {
    expect(report.loaded.map((l) => l.referential.name)).toEqual(['test-referential-v13', 'demo-taxonomy']);
    const c = report.check;
    // 9 sensitive observations; the chamois at eagle 832's site keeps level 0 but takes the eagle's cell (propagation).
    expect(c).toMatchObject({
      total: 991,
      bySensitivity: [982, 1, 6, 2, 0],
      byBlur: [981, 1, 7, 2, 0],
      undetermined: 0,
      unmatched: 0,
      areaNotFound: 0,
      degraded: 10,
      propagated: 1,
      asOf: AS_OF,
      territory: 'FXX',
      gridPrefix: '10kmL93',
      stale: false,
      options: { propagation: 'site+releve' },
    });
    expect(c.byPrecaution).toBe(6);
    expect(c.rules).toEqual([expect.objectContaining({ kind: 'referential', name: 'test-referential-v13', version: '13', sha256: sha(V13), rules: 20 })]);
    expect(report.observations).toHaveLength(991);
    const levelOf = new Map(report.observations?.map((o) => [o.uuid, o.sensitivityLevel]));
    expect(VULTURE_IN_PERIOD.map((u) => levelOf.get(u))).toEqual([3, 3]);
    expect(levelOf.get(CRAYFISH)).toBe(1);
    expect(report.observations?.find((o) => o.uuid === CHAMOIS_833)).toEqual({ uuid: CHAMOIS_833, sensitivityLevel: 0, blurLevel: 2 });
  });

  it('counts by taxon (golden eagle 22 of which 6 sensitive, bearded vulture 5 of which 2 inside October–July, crayfish 1) and by JDD', () => {
    const byTaxon = new Map(report.check.byTaxon.map((t) => [t.cdNom, t]));
    expect(byTaxon.get(2645)).toMatchObject({ name: 'Aquila chrysaetos', total: 22, bySensitivity: [16, 0, 6, 0, 0] });
    expect(byTaxon.get(2852)).toMatchObject({ name: 'Gypaetus barbatus', total: 5, bySensitivity: [3, 0, 0, 2, 0], byBlur: [3, 0, 0, 2, 0] });
    expect(byTaxon.get(18437)).toMatchObject({ total: 1, bySensitivity: [0, 1, 0, 0, 0] });
    // The chamois: not sensitive, one of its observations degraded (at eagle 832's site).
    expect(byTaxon.get(61119)).toMatchObject({ name: 'Rupicapra rupicapra', bySensitivity: [expect.any(Number), 0, 0, 0, 0], byBlur: [expect.any(Number), 0, 1, 0, 0] });
    expect(report.check.byTaxon).toHaveLength(4);
    expect(report.check.byDataset).toEqual([expect.objectContaining({ total: 991, bySensitivity: [982, 1, 6, 2, 0], byBlur: [981, 1, 7, 2, 0], name: expect.stringContaining('Synthèse PNE') })]);
  });

  it('stores one result per observation, with the matching rules, the published area and the Darwin Core terms', () => {
    const r = rows<Record<string, unknown>>(ws, `SELECT r.*, o.unique_id_sinp AS uuid FROM ${SENS.results} r JOIN observations o ON o.fid = r.observation_fid WHERE o.unique_id_sinp = ?`, VULTURE_IN_PERIOD[1])[0];
    expect(r).toMatchObject({
      check_id: report.check.id,
      sensitivity_level: 3,
      blur_level: 3,
      area_type: 'DEP',
      area_codes: '05',
      rule_id: 'test-referential-v13 v13:1001',
      matching_rule_ids: '["test-referential-v13 v13:1001"]',
      dwc_data_generalizations: 'Location generalised to the département Hautes-Alpes (05): SINP sensitivity level 3 (test-referential-v13 v13). Altitude and locality removed.',
      dwc_information_withheld: null,
    });
    expect(r?.dwc_coordinate_uncertainty_m).toBeGreaterThan(50_000);
    expect(rows(ws, `SELECT count(*) AS n FROM ${SENS.results}`)[0]).toEqual({ n: 991 });
    expect(rows(ws, `SELECT count(*) AS n FROM ${SENS.results} WHERE blur_level = 0 AND dwc_data_generalizations IS NULL AND area_codes IS NULL`)[0]).toEqual({ n: 981 });
    const cells = rows<{ area_codes: string }>(ws, `SELECT area_codes FROM ${SENS.results} WHERE area_type = 'M10'`);
    expect(cells).toHaveLength(7);
    expect(cells.every((c) => /^10kmL93E\d{3}N\d{3}$/.test(c.area_codes))).toBe(true);
    // The audit log has the check.
    expect(rows<{ action: string }>(ws, "SELECT action FROM passerelle_audit WHERE action LIKE 'sensitivity.%' ORDER BY id").map((a) => a.action)).toEqual(['sensitivity.load', 'sensitivity.load', 'sensitivity.check']);
  });

  it('the report lists the sensitive observations with the rule that made them so, most degraded first, and pages', async () => {
    const r = await client.invoke('sensitivity.report', { workspace: ws });
    expect(r.total).toBe(10);
    expect(r.observations.slice(0, 2).map((o) => [o.uuid, o.sensitivityLevel, o.areas, o.rule?.id, o.rule?.origin.line])).toEqual(
      VULTURE_IN_PERIOD.map((u) => [u, 3, [{ code: '05', name: 'Hautes-Alpes' }], 'test-referential-v13 v13:1001', 2]),
    );
    const eagles = r.observations.filter((o) => o.cdNom === 2645);
    expect(eagles).toHaveLength(6);
    expect(eagles.every((o) => o.precautions.join() === 'BIO_STATUS' && o.rule?.comment === 'Reproduction' && o.areaType === 'M10')).toBe(true);
    const crayfish = r.observations.find((o) => o.uuid === CRAYFISH);
    expect(crayfish).toMatchObject({ sensitivityLevel: 1, areaType: 'COM', areas: [{ code: '05029' }], dwc: { dataGeneralizations: expect.stringContaining('commune') } });
    const page = await client.invoke('sensitivity.report', { workspace: ws, offset: 2, limit: 3, level: 2 });
    expect([page.total, page.observations.length]).toEqual([6, 3]);
    const all = await client.invoke('sensitivity.report', { workspace: ws, sensitiveOnly: false, limit: 0 });
    expect(all.total).toBe(991);
    // The chamois at eagle 832's site: the report names the eagle (workspace-internal), the published text never does.
    const colocated = await client.invoke('sensitivity.report', { workspace: ws, reason: 'colocated' });
    expect(colocated.observations).toEqual([
      expect.objectContaining({ uuid: CHAMOIS_833, cdNom: 61119, sensitivityLevel: 0, blurLevel: 2, reason: 'colocated', rule: null, propagatedFrom: EAGLE_832, areaType: 'M10' }),
    ]);
    const eagle = r.observations.find((o) => o.uuid === EAGLE_832);
    expect(colocated.observations[0]?.areas).toEqual(eagle?.areas);
    const dwc = colocated.observations[0]?.dwc.dataGeneralizations ?? '';
    expect(dwc).toMatch(/^Location generalised to the 10 km grid cell 10kmL93E\d{3}N\d{3}: precaution: a sensitive observation was made at the same site\./);
    expect(dwc).not.toContain(EAGLE_832);
    expect(JSON.stringify(rows(ws, `SELECT dwc_data_generalizations, dwc_information_withheld FROM ${SENS.results}`))).not.toContain(EAGLE_832);
    expect(rows(ws, `SELECT count(*) AS n FROM ${SENS.results} WHERE propagated_from IS NOT NULL`)[0]).toEqual({ n: 1 });
  });

  it('explains the chamois at the eagle’s site: its own level 0, raised by the eagle (named, workspace-internal)', async () => {
    const e = await client.invoke('sensitivity.explain', { workspace: ws, uuid: CHAMOIS_833 });
    expect(e).toMatchObject({
      matches: [],
      computedLevel: 0,
      sensitivityLevel: 0,
      propagation: { via: 'site', uuid: EAGLE_832, fid: 832, level: 2 },
      blur: { level: 2, reason: 'colocated', requestedLevel: 2 },
      published: { level: 2, withheld: false, areaType: 'M10' },
      stored: { blurLevel: 2, reason: 'colocated', sensitivityLevel: 0 },
      differsFromStored: false,
    });
    expect(JSON.stringify(e.published)).not.toContain(EAGLE_832);
    const eagle = await client.invoke('sensitivity.explain', { workspace: ws, uuid: EAGLE_832 });
    expect(eagle).toMatchObject({ sensitivityLevel: 2, propagation: null, blur: { level: 2, reason: 'sensitivity' } });
    expect(e.published.areas).toEqual(eagle.published.areas);
  });

  it('explains one observation: taxon, lineage, every matching rule with its criteria, blurring and what is published', async () => {
    const e = await client.invoke('sensitivity.explain', { workspace: ws, uuid: VULTURE_IN_PERIOD[1] as string });
    expect(e.asOf).toBe(AS_OF);
    expect(e.observation).toMatchObject({ cdNom: 2852, nomCite: 'Gypaetus barbatus', dateMin: '2015-12-11' });
    expect(e.taxon).toMatchObject({ resolution: 'cd_nom', cdRef: 2852, name: 'Gypaetus barbatus' });
    expect(e.taxon.lineage.map((t) => t.name)).toEqual(['Gypaetus barbatus', 'Gypaetus', 'Accipitridae', 'Testregnum animale']);
    expect(e.areas).toEqual(expect.arrayContaining([{ type: 'DEP', code: '05' }, { type: 'COM', code: '05079' }]));
    expect(e.matches).toHaveLength(1);
    expect(e.matches[0]).toMatchObject({ deciding: true, inherited: false, precautions: [], rule: { id: 'test-referential-v13 v13:1001', level: 3, period: { start: '10-01', end: '07-31' }, territory: [{ type: 'DEP', code: '05' }] } });
    expect(e).toMatchObject({ computedLevel: 3, sensitivityLevel: 3, override: null, blur: { level: 3, reason: 'sensitivity' }, differsFromStored: false });
    expect(e.published).toMatchObject({ level: 3, withheld: false, areaType: 'DEP', areas: [{ code: '05', name: 'Hautes-Alpes' }] });
    expect(e.published.removedColumns).toEqual(expect.arrayContaining(['altitude_min', 'comment_description', 'geom']));
    const [w, s, east, n] = e.published.bbox ?? [0, 0, 0, 0];
    expect(w < 6.2 && east > 6.6 && s < 44.5 && n > 44.9).toBe(true);
    // A vulture outside October–July: no rule matches.
    const outside = rows<{ uuid: string }>(ws, `SELECT o.unique_id_sinp AS uuid FROM observations o JOIN ${SENS.results} r ON r.observation_fid = o.fid WHERE o.cd_nom = 2852 AND r.sensitivity_level = 0`);
    const e0 = await client.invoke('sensitivity.explain', { workspace: ws, uuid: outside[0]?.uuid as string, lang: 'fr' });
    expect(e0).toMatchObject({ matches: [], sensitivityLevel: 0, published: { level: 0, withheld: false, removedColumns: [], dwc: { dataGeneralizations: null } } });
    expect(await client.call('sensitivity.explain', { workspace: ws, uuid: 'no-such-uuid' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', details: { key: 'errors.SENSITIVITY_UNKNOWN_OBSERVATION' } } });
  });

  it('the map lists the precise and the published layers once a check exists', async () => {
    const src = await client.invoke('map.sources', { path: ws });
    expect(src.layers.filter((l) => l.layer.startsWith('sensitivity/')).map((l) => [l.layer, l.role, l.count])).toEqual([
      ['sensitivity/precise', 'sensitivity-precise', 991],
      ['sensitivity/published', 'sensitivity-published', 991],
    ]);
    const fresh = await client.invoke('map.sources', { path: demoCopy() });
    expect(fresh.layers.some((l) => l.layer.startsWith('sensitivity/'))).toBe(false);
  });
});

describe('overrides', () => {
  let ws: string;
  beforeAll(async () => {
    ws = demoCopy();
    await client.invoke('sensitivity.check', { workspace: ws, asOf: AS_OF, load: [{ path: V13 }, { path: TAXONOMY }] });
  });

  it('are refused without a justification (nothing stored, nothing audited)', async () => {
    const target = { kind: 'observation' as const, uuid: VULTURE_IN_PERIOD[1] as string };
    for (const justification of [undefined, '', '   ', 'ok']) {
      const r = await client.call('sensitivity.addOverride', { workspace: ws, target, level: 1, ...(justification !== undefined ? { justification } : {}) });
      expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { key: 'errors.SENSITIVITY_OVERRIDE_JUSTIFICATION', params: { min: 5 } } } });
    }
    expect((await client.invoke('sensitivity.overrides', { workspace: ws, includeRemoved: true })).overrides).toEqual([]);
    expect(rows(ws, "SELECT count(*) AS n FROM passerelle_audit WHERE action = 'sensitivity.override'")[0]).toEqual({ n: 0 });
    expect(await client.call('sensitivity.addOverride', { workspace: ws, target: { kind: 'observation', uuid: 'nope' }, level: 1, justification: 'Field visit 2026' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', details: { key: 'errors.SENSITIVITY_UNKNOWN_OBSERVATION' } },
    });
  });

  it('one observation, with its justification: stored, audited, the check run again, explained', async () => {
    const uuid = VULTURE_IN_PERIOD[1] as string;
    const why = 'Nid abandonné depuis 2016 (visite de terrain du 12/05/2026)';
    const r = await client.invoke('sensitivity.addOverride', { workspace: ws, target: { kind: 'observation', uuid }, level: 1, justification: why, author: 'geomaticien PNE' });
    expect(r.override).toMatchObject({ target: { kind: 'observation', uuid }, level: 1, justification: why, author: 'geomaticien PNE', removedAt: null });
    expect(r.observations).toBe(1);
    expect(r.check).toMatchObject({ bySensitivity: [982, 2, 6, 1, 0], overridden: 1, stale: false });
    const stored = rows<Record<string, unknown>>(ws, `SELECT r.* FROM ${SENS.results} r JOIN observations o ON o.fid = r.observation_fid WHERE o.unique_id_sinp = ?`, uuid)[0];
    expect(stored).toMatchObject({ computed_level: 3, sensitivity_level: 1, blur_level: 1, area_type: 'COM', area_codes: '05079', override_id: r.override.id, reason: 3 });
    // The justification is in the audit log, never in the published text.
    const audit = rows<{ actor: string; entity_id: string; after_json: string }>(ws, "SELECT actor, entity_id, after_json FROM passerelle_audit WHERE action = 'sensitivity.override'");
    expect(audit).toHaveLength(1);
    expect(audit[0]?.entity_id).toBe(uuid);
    expect(JSON.parse(audit[0]?.after_json ?? '{}')).toMatchObject({ justification: why, level: 1, author: 'geomaticien PNE' });
    expect(String(stored?.dwc_data_generalizations)).not.toContain('abandonné');
    const e = await client.invoke('sensitivity.explain', { workspace: ws, uuid });
    expect(e).toMatchObject({ computedLevel: 3, sensitivityLevel: 1, override: { id: r.override.id, justification: why }, blur: { level: 1, reason: 'override' }, published: { areaType: 'COM', areas: [{ code: '05079' }] } });
  });

  it('per filter (every golden eagle, level 0) and removal with its justification', async () => {
    const r = await client.invoke('sensitivity.addOverride', { workspace: ws, target: { kind: 'filter', filter: { cdNoms: [2645] } }, level: 0, justification: 'Regional decision: eagle sites public (test)' });
    expect(r.observations).toBe(22);
    expect(r.check?.bySensitivity).toEqual([988, 2, 0, 1, 0]);
    // The eagles no longer sensitive: nothing to propagate, the chamois at 832's site is precise again.
    expect(r.check).toMatchObject({ byBlur: [988, 2, 0, 1, 0], propagated: 0 });
    const refused = await client.call('sensitivity.removeOverride', { workspace: ws, id: r.override.id });
    expect(refused).toMatchObject({ ok: false, error: { details: { key: 'errors.SENSITIVITY_OVERRIDE_JUSTIFICATION' } } });
    const removed = await client.invoke('sensitivity.removeOverride', { workspace: ws, id: r.override.id, justification: 'Decision withdrawn' });
    expect(removed.override).toMatchObject({ removedWhy: 'Decision withdrawn', removedBy: expect.any(String) });
    expect(removed.observations).toBe(22);
    expect(removed.check?.bySensitivity).toEqual([982, 2, 6, 1, 0]);
    const list = await client.invoke('sensitivity.overrides', { workspace: ws, includeRemoved: true });
    expect(list.overrides.map((o) => [o.level, o.removedAt === null])).toEqual([
      [1, true],
      [0, false],
    ]);
    expect((await client.invoke('sensitivity.overrides', { workspace: ws })).overrides).toHaveLength(1);
    expect(await client.call('sensitivity.removeOverride', { workspace: ws, id: r.override.id, justification: 'Again, once more' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('propagation (the option of a check)', () => {
  it('is recorded in the check’s options and summary, kept by the re-run an override makes, and shown by explain', async () => {
    const ws = demoCopy();
    const off = await client.invoke('sensitivity.check', { workspace: ws, asOf: AS_OF, load: [{ path: V13 }, { path: TAXONOMY }], propagation: 'off' });
    // Without it the chamois at eagle 832's very point is published there: what propagation prevents.
    expect(off.check).toMatchObject({ options: { propagation: 'off' }, byBlur: [982, 1, 6, 2, 0], propagated: 0 });
    expect(JSON.parse(rows<{ options_json: string }>(ws, `SELECT options_json FROM ${SENS.checks} ORDER BY id DESC LIMIT 1`)[0]?.options_json ?? '{}')).toMatchObject({ propagation: 'off' });
    expect((await client.invoke('sensitivity.explain', { workspace: ws, uuid: CHAMOIS_833 })).propagation).toBeNull();
    const ov = await client.invoke('sensitivity.addOverride', { workspace: ws, target: { kind: 'observation', uuid: CRAYFISH }, level: 2, justification: 'Test: re-run keeps the options' });
    expect(ov.check).toMatchObject({ options: { propagation: 'off' }, byBlur: [982, 0, 7, 2, 0] });
    const on = await client.invoke('sensitivity.check', { workspace: ws, asOf: AS_OF });
    expect(on.check).toMatchObject({ options: { propagation: 'site+releve' }, byBlur: [981, 0, 8, 2, 0], propagated: 1 });
  });

  it('by relevé: a chamois put in eagle 832’s relevé (2 km away) takes its cell in modes site+releve and releve, not with off', async () => {
    const ws = demoCopy();
    const w = openWorkspace(ws, { write: true });
    const db = w.db;
    // Chamois 833 moved 2 km away, into the eagle's relevé.
    const grp = (db.prepare('SELECT unique_id_sinp_grp AS g FROM observations WHERE fid = 832').get() as { g: string }).g;
    const eagle = db.prepare('SELECT geom FROM observations WHERE fid = 832').get() as { geom: Buffer };
    const moved = Buffer.from(eagle.geom);
    const lonAt = moved.length - 16;
    moved.writeDoubleLE(moved.readDoubleLE(lonAt) + 0.025, lonAt);
    db.prepare('UPDATE observations SET unique_id_sinp_grp = ?, geom = ?, geom_local_wkb = NULL WHERE fid = 833').run(grp, moved);
    w.close();
    for (const propagation of ['site+releve', 'releve'] as const) {
      const r = await client.invoke('sensitivity.check', { workspace: ws, asOf: AS_OF, load: [{ path: V13 }, { path: TAXONOMY }], propagation });
      expect(r.check).toMatchObject({ byBlur: [981, 1, 7, 2, 0], propagated: 1 });
      const e = await client.invoke('sensitivity.explain', { workspace: ws, uuid: CHAMOIS_833 });
      expect(e).toMatchObject({ sensitivityLevel: 0, propagation: { via: 'releve', uuid: EAGLE_832, level: 2 }, blur: { level: 2, reason: 'same-releve' }, published: { areaType: 'M10' } });
      expect(e.published.dwc.dataGeneralizations).toContain('the survey (relevé) it belongs to holds a sensitive observation');
    }
    const off = await client.invoke('sensitivity.check', { workspace: ws, asOf: AS_OF, propagation: 'off' });
    expect(off.check).toMatchObject({ byBlur: [982, 1, 6, 2, 0], propagated: 0 });
  });
});

describe('local rules and rule sources', () => {
  it('a rule the park adds withholds the eagles of the aerie commune; the check can use only some sources', async () => {
    const ws = demoCopy();
    await client.invoke('sensitivity.load', { workspace: ws, path: V13 });
    await client.invoke('sensitivity.load', { workspace: ws, path: TAXONOMY });
    const first = await client.invoke('sensitivity.check', { workspace: ws, asOf: AS_OF });
    const added = await client.invoke('sensitivity.addLocalRule', {
      workspace: ws,
      rule: { id: 'pne-aigle-05096', cdNom: 2645, nomCite: 'Aquila chrysaetos', level: 4, territory: [{ type: 'COM', code: '05096' }], period: { start: '01-15', end: '08-31' }, comment: 'Aire connue (test)' },
    });
    expect(added.rule).toMatchObject({ id: 'pne-aigle-05096', local: true, level: 4, origin: { kind: 'local', name: 'Règles locales' } });
    // The last check no longer tells the truth.
    expect((await client.invoke('sensitivity.report', { workspace: ws, limit: 0 })).check?.stale).toBe(true);
    const dup = await client.call('sensitivity.addLocalRule', { workspace: ws, rule: { id: 'pne-aigle-05096', cdNom: 2645, level: 2 } });
    expect(dup).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { key: 'errors.SENSITIVITY_RULE_ID_TAKEN' } } });
    const bad = await client.call('sensitivity.addLocalRule', { workspace: ws, rule: { id: 'x', cdNom: 2645, level: 7 } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { key: 'errors.SENSITIVITY_LOCAL_RULE_INVALID' } } });

    const all = await client.invoke('sensitivity.check', { workspace: ws, asOf: AS_OF, observations: true });
    const levelOf = new Map(all.observations?.map((o) => [o.uuid, [o.sensitivityLevel, o.blurLevel]]));
    expect(EAGLE_AERIE.map((u) => levelOf.get(u))).toEqual([
      [4, 4],
      [4, 4],
    ]);
    expect(all.check.bySensitivity).toEqual([982, 1, 4, 2, 2]);
    expect(all.check.rules.map((r) => [r.kind, r.name, r.rules])).toEqual([
      ['referential', 'test-referential-v13', 20],
      ['local', 'Règles locales', 1],
    ]);
    const e = await client.invoke('sensitivity.explain', { workspace: ws, uuid: EAGLE_AERIE[0] as string });
    expect(e.matches.map((m) => [m.rule.id, m.deciding, m.rule.local])).toEqual([
      ['pne-aigle-05096', true, true],
      ['test-referential-v13 v13:1003', false, false],
    ]);
    expect(e.published).toMatchObject({ withheld: true, dwc: { informationWithheld: expect.stringContaining('Location withheld') } });

    const localOnly = await client.invoke('sensitivity.check', { workspace: ws, asOf: AS_OF, sources: ['local'] });
    expect(localOnly.check.bySensitivity).toEqual([989, 0, 0, 0, 2]);
    const filesOnly = await client.invoke('sensitivity.check', { workspace: ws, asOf: AS_OF, sources: ['files'] });
    expect(filesOnly.check.bySensitivity).toEqual(first.check.bySensitivity);
    expect(await client.call('sensitivity.check', { workspace: ws, sources: ['pulled'] })).toMatchObject({ ok: false, error: { details: { key: 'errors.SENSITIVITY_NO_RULES' } } });
    const removed = await client.invoke('sensitivity.removeLocalRule', { workspace: ws, id: 'pne-aigle-05096' });
    expect(removed.removed.id).toBe('pne-aigle-05096');
  });

  it('v13 + v18 + the park’s rules file: every rule set recorded with its provenance', async () => {
    const ws = demoCopy();
    const r = await client.invoke('sensitivity.check', { workspace: ws, asOf: AS_OF, load: [{ path: V13 }, { path: V18 }, { path: LOCAL }, { path: TAXONOMY }] });
    expect(r.check.rules.map((x) => [x.kind, x.name, x.version, x.rules])).toEqual([
      ['referential', 'test-referential-v13', '13', 20],
      ['referential', 'test-referential-v18', '18', 19],
      ['local', 'Règles locales PNE (TEST)', '2026-test', 4],
    ]);
    expect(r.check.bySensitivity).toEqual([963, 1, 20, 5, 2]);
  });
});

describe('what needs a look', () => {
  it('without a taxonomy every taxon is unmatched and withheld, never "not sensitive"', async () => {
    const ws = demoCopy();
    const r = await client.invoke('sensitivity.check', { workspace: ws, asOf: AS_OF, load: [{ path: V13 }] });
    expect(r.check).toMatchObject({ total: 991, unmatched: 991, undetermined: 991, bySensitivity: [0, 0, 0, 0, 0], byBlur: [0, 0, 0, 0, 991] });
    expect(r.check.unmatchedTaxa).toHaveLength(253);
    expect(r.check.unmatchedTaxa.reduce((a, t) => a + t.observations, 0)).toBe(991);
    const e = await client.invoke('sensitivity.explain', { workspace: ws, uuid: CRAYFISH });
    expect(e).toMatchObject({ taxon: { resolution: 'unmatched', cdRef: null }, sensitivityLevel: null, blur: { level: 4, reason: 'unmatched-taxon' }, published: { withheld: true } });
    const evaluated = await client.invoke('sensitivity.check', { workspace: ws, asOf: AS_OF, unmatchedTaxon: 'evaluate' });
    expect(evaluated.check).toMatchObject({ unmatched: 991, byBlur: [981, 1, 7, 2, 0] });
  });

  it('a workspace whose territory cannot be told is refused, unless it is given', async () => {
    const ws = demoCopy();
    const db = new Database(ws);
    db.prepare("UPDATE passerelle_meta SET value = '32632' WHERE key = 'local_srid'").run();
    db.prepare("DELETE FROM areas WHERE type_code = 'DEP'").run();
    db.close();
    const r = await client.call('sensitivity.check', { workspace: ws, asOf: AS_OF, load: [{ path: V13 }, { path: TAXONOMY }] });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { key: 'errors.SENSITIVITY_NO_TERRITORY' } } });
    // Nothing was written: the load is in the same transaction as the check.
    expect(rows(ws, `SELECT count(*) AS n FROM ${SENS.referentials}`)[0]).toEqual({ n: 0 });
    const given = await client.invoke('sensitivity.check', { workspace: ws, asOf: AS_OF, territory: 'FXX', load: [{ path: V13 }, { path: TAXONOMY }] });
    // No département polygons: level 3 cannot be blurred, so those records are withheld (and reported), never published precisely.
    expect(given.check).toMatchObject({ territory: 'FXX', bySensitivity: [982, 1, 6, 2, 0], areaNotFound: 2, byBlur: [981, 1, 7, 0, 2] });
    expect(given.check.areasNotFound.map((a) => [a.uuid, a.areaType])).toEqual(VULTURE_IN_PERIOD.map((u) => [u, 'DEP']));
  });
});

describe('jobs', () => {
  it('a cancelled check leaves the workspace as it was (results of the last check kept)', async () => {
    const ws = demoCopy();
    const before = await client.invoke('sensitivity.check', { workspace: ws, asOf: AS_OF, load: [{ path: V13 }, { path: TAXONOMY }] });
    const controller = new AbortController();
    const progress: number[] = [];
    const ctx = createJobContext('cancel-me', controller.signal, (done) => {
      progress.push(done);
      controller.abort();
    });
    const err = await checkTask(
      { workspace: ws, actor: 'test', sources: ['files', 'local'], asOf: '2030-01-01', unmatchedTaxon: 'withhold', lang: 'en', load: [{ path: V18, kind: 'auto' }], observations: false },
      ctx,
    ).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isAppError(err, 'CANCELLED')).toBe(true);
    expect(progress.length).toBeGreaterThan(0);
    expect(rows(ws, `SELECT count(*) AS n FROM ${SENS.checks}`)[0]).toEqual({ n: 1 });
    expect(rows(ws, `SELECT count(*) AS n FROM ${SENS.referentials}`)[0]).toEqual({ n: 2 });
    const after = await client.invoke('sensitivity.report', { workspace: ws, limit: 0 });
    expect(after.check).toMatchObject({ id: before.check.id, bySensitivity: before.check.bySensitivity, stale: false });
  });

  it('reports progress as job.progress events', async () => {
    const ws = demoCopy();
    const seen: string[] = [];
    const off = client.on('job.progress', (p) => {
      if (p.jobId === 'sens-progress') seen.push(p.message ?? '');
    });
    await client.invoke('sensitivity.check', { workspace: ws, asOf: AS_OF, load: [{ path: V13 }, { path: TAXONOMY }], jobId: 'sens-progress' });
    off();
    expect(seen).toContain('summary');
  });
});

describe('the bundled demo', () => {
  it('is never modified: writes go to its working copy in PASSERELLE_HOME, and reads use that copy', async () => {
    const before = await client.invoke('sensitivity.report', { workspace: DEMO });
    expect(before).toMatchObject({ workspace: DEMO, check: null });
    const r = await client.invoke('sensitivity.check', { workspace: DEMO, asOf: AS_OF, load: [{ path: V13 }, { path: TAXONOMY }] });
    expect(r.workspace).not.toBe(DEMO);
    expect(r.workspace.startsWith(face.engine.home)).toBe(true);
    expect(existsSync(r.workspace)).toBe(true);
    expect(sha(DEMO)).toBe(DEMO_SHA);
    const after = await client.invoke('sensitivity.report', { workspace: DEMO, limit: 1 });
    expect(after).toMatchObject({ workspace: r.workspace, total: 10, check: { id: r.check.id } });
    const e = await client.invoke('sensitivity.explain', { workspace: DEMO, uuid: CRAYFISH });
    expect(e).toMatchObject({ workspace: r.workspace, sensitivityLevel: 1 });
    const src = await client.invoke('map.sources', { path: DEMO });
    expect(src.layers.map((l) => l.layer)).toContain('sensitivity/published');
  });
});

describe('over HTTP, with job processes (the web host)', () => {
  it('checks, explains and serves the published tiles; files to load must have been chosen', async () => {
    const { overHttp } = await import('../../../test/helpers/transports.js');
    const http = await overHttp();
    try {
      const c = createClient(http.transport);
      const ws = demoCopy();
      await c.invoke('workspace.open', { path: ws });
      // A file the user never chose cannot be read through a check.
      expect(await c.call('sensitivity.check', { workspace: ws, asOf: AS_OF, load: [{ path: V13 }] })).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
      await c.invoke('sensitivity.load', { workspace: ws, path: V13 });
      await c.invoke('sensitivity.load', { workspace: ws, path: TAXONOMY });
      const r = await c.invoke('sensitivity.check', { workspace: ws, asOf: AS_OF, load: [{ path: V13 }] });
      expect(r.check.bySensitivity).toEqual([982, 1, 6, 2, 0]);
      expect((await c.invoke('sensitivity.explain', { workspace: ws, uuid: CRAYFISH })).published).toMatchObject({ areaType: 'COM', areas: [{ code: '05029' }] });
      const src = await c.invoke('map.sources', { path: ws });
      // The zoom-6 tile over the Écrins holds the published département, commune and cells, and the public points.
      const z = 6;
      const x = Math.floor(((6.2 + 180) / 360) * 2 ** z);
      const lat = (44.8 * Math.PI) / 180;
      const y = Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * 2 ** z);
      const res = await fetch(`${http.host.origin}/tiles/${src.sourceId}/sensitivity/published/${z}/${x}/${y}.pbf`, { headers: { Authorization: `Bearer ${http.host.token}` } });
      expect(res.status).toBe(200);
      const { VectorTile } = await import('@mapbox/vector-tile');
      const { default: Pbf } = await import('pbf');
      const layer = new VectorTile(new Pbf(new Uint8Array(await res.arrayBuffer()))).layers.sensitivity_published;
      const types = new Set(Array.from({ length: layer?.length ?? 0 }, (_, i) => String(layer?.feature(i).properties.area_type ?? 'point')));
      expect(types).toEqual(new Set(['DEP', 'COM', 'M10', 'point']));
    } finally {
      await http.close();
    }
  });
});
