import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPreset, type BundlePreset } from '../../../shared/bundle/presets.js';
import type { BuildResult, GateReport } from '../../../shared/contract/index.js';
import { demoCopy, filesOf, jobContext, rewriteManifest, writeTaxonomy } from '../../../test/fixtures/bundle/fixtures.js';
import { validateWithXsd } from '../../../test/fixtures/metadata/xmllint.js';
import { fixture } from '../../../test/fixtures/sensitivity/fixtures.js';
import { sha256, tempDir } from '../../../test/helpers/gpkg-fixtures.js';
import { DEMO, ROOT } from '../../../test/helpers/paths.js';
import { encodeGpkg } from '../gpkg/geometry/gpkg-binary.js';
import { openGpkgSource } from '../gpkg/source.js';
import { validateGpkg } from '../gpkg/validate/validate.js';
import { registerGpkgFunctions } from '../gpkg/sql-functions.js';
import { buildBundleTask, previewTask, recoverInterruptedSwap, type BuildTaskInput } from './build.js';
import { diffBundlesTask } from './diff.js';
import { verifyBundle } from './verify.js';
import { unzipTo } from './zip.js';

const tmp = tempDir('passerelle-bundle-');
afterAll(() => tmp.cleanup());
const V13 = fixture('test-referential-v13.csv');
const V18 = fixture('test-referential-v18.csv');
let taxonomy = '';
let demoSha = '';
/** The demo's last recorded change: the default moment of its bundles. */
const DEMO_AS_OF = '2026-11-29T09:46:15.356Z';

beforeAll(() => {
  taxonomy = writeTaxonomy(tmp.dir);
  demoSha = sha256(DEMO);
});
afterAll(() => {
  // The bundled demo is read, never written.
  expect(sha256(DEMO)).toBe(demoSha);
});

const opendata = (over: Partial<BundlePreset> = {}): BundlePreset => ({ ...defaultPreset('opendata'), producerAgreement: 'Accord PNE 2026-04 (test)', ...over });

async function build(over: Partial<BuildTaskInput> & { out: string }): Promise<BuildResult> {
  return buildBundleTask(
    {
      workspace: DEMO,
      preset: opendata(),
      referentials: [V13],
      taxonomy,
      asOf: null,
      previous: null,
      verify: true,
      operator: 'tester',
      ...over,
    },
    jobContext(),
  );
}

const verify = (path: string, workspace: string | null = DEMO, referentials: string[] = [V13]) => verifyBundle({ path, workspace, referentials, taxonomy }, jobContext());
const checkOf = (g: GateReport, id: string) => g.checks.find((c) => c.id === id) as GateReport['checks'][number];
const readCsv = (root: string) => readFileSync(join(root, 'data/observations.csv'), 'utf8').split('\r\n').filter((l) => l !== '');

describe('an open-data bundle of the demo workspace (test referential v13)', () => {
  let r: BuildResult;
  const out = join(tmp.dir, 'open');
  beforeAll(async () => {
    r = await build({ out });
  }, 60_000);

  it('is written after the gate passed, as of the workspace’s last recorded change', () => {
    expect(r.written).toBe(true);
    expect(r.gate?.verdict).toBe('pass');
    expect(r.gate?.checks.filter((c) => c.status === 'fail' || c.status === 'skipped')).toEqual([]);
    expect(r.asOf).toBe(DEMO_AS_OF);
    expect(r.version).toBe('1.0.0');
  });

  it('blurs what the sensitivity runner decides: 2 vultures to the département, 6 golden eagles to the 10 km cell, the crayfish to its commune, and one observation at an eagle’s site with it', () => {
    expect(r.counts.published).toBe(991);
    expect(r.counts.bySensitivity).toEqual([982, 1, 6, 2, 0]);
    expect(r.counts.generalised).toEqual({ commune: 1, cell: 7, departement: 2 });
    expect(r.counts.propagated).toBe(1);
    expect(r.counts.precise).toBe(981);
    const csv = readCsv(out);
    const header = csv[0]?.split(',') ?? [];
    const rows = csv.slice(1).map((l) => l.split(','));
    const col = (name: string) => header.indexOf(name);
    const generalised = rows.filter((x) => x[col('publication')] === 'generalised');
    expect(generalised).toHaveLength(10);
    expect(generalised.filter((x) => x[col('blur_area_type')] === 'DEP').map((x) => x[col('blur_area_codes')])).toEqual(['05', '05']);
    // What could locate or link a generalised record is gone.
    for (const x of generalised) {
      for (const c of ['altitude_min', 'altitude_max', 'comment_description', 'unique_id_sinp_grp', 'id_synthese', 'wkt', 'observers']) expect(x[col(c)], c).toBe('');
      expect(x[col('cd_nomenclature_blurring')]).toBe('OUI');
      expect(Number(x[col('coordinate_uncertainty_m')])).toBeGreaterThan(1000);
    }
    // Sorted by UUID (the order says nothing of which records were made together).
    const uuids = rows.map((x) => x[0] as string);
    expect([...uuids].sort()).toEqual(uuids);
  });

  it('has the documented layout, and datapackage.json describes every data file with its sha256 and size', () => {
    expect(filesOf(out)).toEqual([
      'CHANGELOG.md',
      'LICENCE.md',
      'README.md',
      'changelog.json',
      'data/observations.csv',
      'data/observations.geojson',
      'data/observations.gpkg',
      'datapackage.json',
      'dwca/eml.xml',
      'dwca/meta.xml',
      'dwca/occurrence.txt',
      'manifest-sha256.txt',
      'metadata/dcat.jsonld',
      'metadata/eml.xml',
      'metadata/iso19139.xml',
      'metadata/mtd.xml',
      'metadata/schemaorg.jsonld',
      'prov.json',
      'ro-crate-metadata.json',
    ]);
    const dp = JSON.parse(readFileSync(join(out, 'datapackage.json'), 'utf8')) as {
      $schema: string;
      licenses: { name: string }[];
      resources: { path: string; hash: string; bytes: number; schema?: { fields: { name: string }[] } }[];
      sources: { title: string }[];
      contributors: unknown[];
    };
    expect(dp.$schema).toBe('https://datapackage.org/profiles/2.0/datapackage.json');
    expect(dp.licenses).toEqual([{ name: 'etalab-2.0', path: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/', title: 'Licence Ouverte / Open Licence version 2.0' }]);
    for (const res of dp.resources) {
      expect(res.hash).toBe(`sha256:${sha256(join(out, res.path))}`);
      expect(res.bytes).toBe(readFileSync(join(out, res.path)).length);
    }
    const csvRes = dp.resources.find((x) => x.path === 'data/observations.csv');
    expect(csvRes?.schema?.fields.map((f) => f.name).join(',')).toBe(readCsv(out)[0]);
    expect(dp.sources.some((s) => s.title.includes('test-referential-v13') && s.title.includes('sha256'))).toBe(true);
    expect(dp.contributors.length).toBe(2);
  });

  it('writes a GeoPackage that validates clean, fresh, with no free page, its extent that of the published geometries', async () => {
    const gpkg = join(out, 'data/observations.gpkg');
    const src = openGpkgSource(gpkg);
    try {
      const report = await validateGpkg(src, { geometry: true, maxPerRule: 10 });
      expect(report.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    } finally {
      src.close();
    }
    const db = new Database(gpkg, { readonly: true });
    try {
      expect(db.pragma('freelist_count', { simple: true })).toBe(0);
      expect(db.prepare('SELECT count(*) FROM observations').pluck().get()).toBe(991);
      expect(db.prepare("SELECT DISTINCT last_change FROM gpkg_contents").pluck().all()).toEqual([DEMO_AS_OF]);
      const generalisedTypes = db.prepare("SELECT DISTINCT substr(hex(geom), 1, 2) FROM observations WHERE publication = 'generalised'").pluck().all();
      expect(generalisedTypes).toEqual(['47']);
      expect(db.prepare("SELECT count(*) FROM gpkg_metadata_reference WHERE table_name = 'observations'").pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  });

  it('has a Darwin Core Archive shaped like the published samples, with the generalisation terms', () => {
    const meta = readFileSync(join(out, 'dwca/meta.xml'), 'utf8');
    expect(meta).toContain('<archive xmlns="http://rs.tdwg.org/dwc/text/" metadata="eml.xml">');
    expect(meta).toContain('rowType="http://rs.tdwg.org/dwc/terms/Occurrence"');
    expect(meta).toContain('<field index="0" term="http://rs.tdwg.org/dwc/terms/occurrenceID"/>');
    const lines = readFileSync(join(out, 'dwca/occurrence.txt'), 'utf8').split('\n').filter((l) => l !== '');
    const header = (lines[0] as string).split('\t');
    expect(header).toEqual(expect.arrayContaining(['occurrenceID', 'basisOfRecord', 'decimalLatitude', 'coordinateUncertaintyInMeters', 'dataGeneralizations', 'informationWithheld']));
    expect(lines).toHaveLength(992);
    const gen = lines.slice(1).map((l) => l.split('\t')).filter((c) => c[header.indexOf('dataGeneralizations')] !== '');
    expect(gen).toHaveLength(10);
    for (const c of gen) {
      expect(Number(c[header.indexOf('coordinateUncertaintyInMeters')])).toBeGreaterThan(1000);
      expect(c[header.indexOf('minimumElevationInMeters')]).toBe('');
    }
  });

  it('has EML and ISO 19139 records valid against their XSDs, with the bounding box of the published data', () => {
    for (const f of ['metadata/eml.xml', 'dwca/eml.xml']) {
      const v = validateWithXsd(readFileSync(join(out, f), 'utf8'), 'eml');
      expect(v.ok, `${f}: ${v.output}`).toBe(true);
    }
    const iso = readFileSync(join(out, 'metadata/iso19139.xml'), 'utf8');
    const v = validateWithXsd(iso, 'iso19139');
    expect(v.ok, v.output).toBe(true);
    expect(iso).toMatch(/westBoundLongitude>\s*<gco:Decimal>5\.418/);
  });

  it('records provenance: sources with hashes, every transformation with its counts, the software, the operator, the time', () => {
    const crate = JSON.parse(readFileSync(join(out, 'ro-crate-metadata.json'), 'utf8')) as { '@context': string; '@graph': Record<string, unknown>[] };
    expect(crate['@context']).toBe('https://w3id.org/ro/crate/1.2/context');
    const root = crate['@graph'].find((e) => e['@id'] === './') as Record<string, unknown>;
    expect(root.datePublished).toBe(DEMO_AS_OF);
    const actions = crate['@graph'].filter((e) => e['@type'] === 'CreateAction').map((e) => e['@id']);
    expect(actions).toEqual(expect.arrayContaining(['#select', '#sensitivity', '#blurring', '#field-policy', '#package', '#workspace-changes']));
    const prov = JSON.parse(readFileSync(join(out, 'prov.json'), 'utf8')) as { activity: Record<string, Record<string, unknown>>; agent: Record<string, unknown>; entity: Record<string, Record<string, unknown>> };
    const blurring = Object.entries(prov.activity).find(([k]) => k.endsWith(':blurring'))?.[1];
    expect(blurring).toMatchObject({ 'passerelle:commune': 1, 'passerelle:cell': 7, 'passerelle:departement': 2, 'passerelle:precise': 981, 'passerelle:propagated': 1 });
    const ws = Object.entries(prov.entity).find(([k]) => k.endsWith(':workspace'))?.[1];
    expect(ws?.['schema:sha256']).toBe(demoSha);
    expect(JSON.stringify(prov.agent)).toContain('tester');
    const text = ['README.md', 'ro-crate-metadata.json', 'prov.json', 'datapackage.json'].map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
    expect(text).not.toMatch(/password|PGPASSWORD/i);
  });

  it('carries the full licence text, the attribution sentence and the identifier per target', () => {
    const l = readFileSync(join(out, 'LICENCE.md'), 'utf8');
    expect(l).toContain('Le « Concédant » concède au « Réutilisateur » un droit non exclusif et gratuit');
    expect(l).toContain('SPDX License List');
    expect(l).toContain('| datagouv | lov2 | yes |');
    expect(l).toContain('mise à jour du 2026-11-29');
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    expect(readme).toContain('## Français');
    expect(readme).toContain('## English');
    expect(readme).toContain('Accord PNE 2026-04 (test)');
  });

  it('rebuilds byte for byte: same inputs, same moment, the same files; and in place it keeps its version', async () => {
    const again = join(tmp.dir, 'open-again');
    const r2 = await build({ out: again });
    expect(r2.files).toEqual(r.files);
    for (const f of filesOf(out)) expect(readFileSync(join(again, f)).equals(readFileSync(join(out, f))), f).toBe(true);
    const inPlace = await build({ out });
    expect(inPlace.version).toBe('1.0.0');
    expect(inPlace.files).toEqual(r.files);
  }, 60_000);

  it('zips deterministically, and the zip reads back to the same files and passes the gate', async () => {
    const z1 = join(tmp.dir, 'open-1.zip');
    const z2 = join(tmp.dir, 'open-2.zip');
    await build({ out: z1 });
    await build({ out: z2 });
    expect(readFileSync(z1).equals(readFileSync(z2))).toBe(true);
    const back = join(tmp.dir, 'open-unzipped');
    mkdirSync(back);
    unzipTo(z1, back);
    for (const f of filesOf(out)) expect(readFileSync(join(back, f)).equals(readFileSync(join(out, f))), f).toBe(true);
    const g = await verify(z1);
    expect(g.verdict).toBe('pass');
  }, 60_000);

  it('without the workspace, the gate checks everything it can and says it is incomplete', async () => {
    const g = await verify(out, null);
    expect(g.verdict).toBe('incomplete');
    expect(g.ok).toBe(false);
    expect(checkOf(g, 'leaks').status).toBe('skipped');
    expect(checkOf(g, 'checksums').status).toBe('pass');
    expect(checkOf(g, 'publication').status).toBe('pass');
  });
});

describe('the gate catches planted leaks of a sensitive observation, in every form', () => {
  const base = join(tmp.dir, 'leak-base');
  /** A generalised observation whose place no precise observation shares, with its precise coordinates. */
  let secret: { uuid: string; lon: number; lat: number; x: number; y: number };
  /** A precise observation (its free text is where a leak could hide). */
  let precise: string;

  beforeAll(async () => {
    await build({ out: base });
    const csv = readCsv(base);
    const header = (csv[0] as string).split(',');
    const rows = csv.slice(1).map((l) => l.split(','));
    const gen = rows.filter((x) => x[header.indexOf('publication')] === 'generalised').map((x) => x[0] as string);
    precise = rows.find((x) => x[header.indexOf('publication')] === 'precise')?.[0] as string;
    const db = new Database(DEMO, { readonly: true });
    try {
      const pts = db
        .prepare(`SELECT unique_id_sinp AS uuid, geom, geom_local_wkb AS local FROM observations WHERE unique_id_sinp IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify(gen)) as { uuid: string; geom: Buffer; local: Buffer }[];
      const all = db.prepare('SELECT geom FROM observations').pluck().all() as Buffer[];
      const key = (b: Buffer) => `${b.readDoubleLE(13).toFixed(4)},${b.readDoubleLE(21).toFixed(4)}`;
      const counts = new Map<string, number>();
      for (const g of all) counts.set(key(g), (counts.get(key(g)) ?? 0) + 1);
      const alone = pts.find((p) => counts.get(key(p.geom)) === 1) as { uuid: string; geom: Buffer; local: Buffer };
      secret = { uuid: alone.uuid, lon: alone.geom.readDoubleLE(13), lat: alone.geom.readDoubleLE(21), x: alone.local.readDoubleLE(5), y: alone.local.readDoubleLE(13) };
    } finally {
      db.close();
    }
  }, 60_000);

  /** Copies the clean bundle, applies `plant`, covers the tracks in the manifest, runs the gate. */
  async function planted(name: string, plant: (root: string) => void, opts: { keepManifest?: boolean } = {}): Promise<GateReport> {
    const root = join(tmp.dir, `leak-${name}`);
    cpSync(base, root, { recursive: true });
    plant(root);
    if (!opts.keepManifest) rewriteManifest(root);
    return verify(root);
  }
  const edit = (root: string, file: string, f: (s: string) => string) => writeFileSync(join(root, file), f(readFileSync(join(root, file), 'utf8')));
  const leakIn = (g: GateReport, file: string, form?: string) => {
    const c = checkOf(g, 'leaks');
    expect(g.verdict).toBe('fail');
    expect(c.status).toBe('fail');
    const f = c.findings.find((x) => x.params.uuid === secret.uuid && x.params.file === file && (!form || x.params.form === form));
    expect(f, JSON.stringify(c.findings)).toBeTruthy();
    return f as GateReport['checks'][number]['findings'][number];
  };

  it('the clean bundle passes (the secret point is really searched for)', async () => {
    const g = await verify(base);
    expect(g.verdict).toBe('pass');
    expect(g.stats.secretPoints).toBeGreaterThan(0);
  });

  it('a precise point written in a comment of another record', async () => {
    const g = await planted('comment', (root) =>
      edit(root, 'data/observations.csv', (s) => s.replace(new RegExp(`^(${precise},(?:[^,\\r\\n]*,){20})[^,\\r\\n]*`, 'm'), `$1"nid sous la crête, ${secret.lat.toFixed(6)} N ${secret.lon.toFixed(6)} E"`)),
    );
    const f = leakIn(g, 'data/observations.csv', 'text-lonlat');
    expect(f.where).toMatch(/^data\/observations\.csv:\d+$/);
  });

  it('rounded to 4 decimals, in the README', async () => {
    const g = await planted('rounded', (root) => edit(root, 'README.md', (s) => s + `\nVu au ${secret.lon.toFixed(4)}, ${secret.lat.toFixed(4)}.\n`));
    leakIn(g, 'README.md', 'text-lonlat');
  });

  it('truncated to 5 decimals with a decimal comma, in French text', async () => {
    const trunc = (v: number) => (Math.trunc(v * 1e5) / 1e5).toFixed(5).replace('.', ',');
    const g = await planted('comma', (root) => edit(root, 'CHANGELOG.md', (s) => s + `\nlat ${trunc(secret.lat)} ; lon ${trunc(secret.lon)}\n`));
    leakIn(g, 'CHANGELOG.md', 'text-lonlat');
  });

  it('in Lambert-93', async () => {
    const g = await planted('l93', (root) => edit(root, 'README.md', (s) => s + `\nX = ${Math.round(secret.x)} m, Y = ${Math.round(secret.y)} m (Lambert-93)\n`));
    leakIn(g, 'README.md', 'text-xy');
  });

  it('as WKT in the GeoJSON', async () => {
    const g = await planted('wkt', (root) => edit(root, 'data/observations.geojson', (s) => s.replace('"comment_description":null', `"comment_description":"POINT (${secret.lon} ${secret.lat})"`)));
    leakIn(g, 'data/observations.geojson', 'text-lonlat');
  });

  it('as a GeoPackage geometry blob', async () => {
    const g = await planted('blob', (root) => {
      const db = new Database(join(root, 'data/observations.gpkg'));
      registerGpkgFunctions(db);
      db.prepare('CREATE TABLE notes (id INTEGER PRIMARY KEY, g BLOB)').run();
      db.prepare('INSERT INTO notes (g) VALUES (?)').run(encodeGpkg({ type: 'Point', hasZ: false, hasM: false, coordinates: [secret.lon, secret.lat] }, 4326));
      db.close();
    });
    const f = leakIn(g, 'data/observations.gpkg', 'binary-lonlat-le');
    expect(f.where).toMatch(/byte \d+ \(page \d+\)/);
  });

  it('in the gpkg_contents extent', async () => {
    const g = await planted('extent', (root) => {
      const db = new Database(join(root, 'data/observations.gpkg'));
      db.prepare("UPDATE gpkg_contents SET min_x = ?, min_y = ? WHERE table_name = 'observations'").run(secret.lon, secret.lat);
      db.close();
    });
    leakIn(g, 'data/observations.gpkg', 'binary-lonlat-be');
  });

  it('in the ISO 19139 bounding box', async () => {
    const g = await planted('iso', (root) =>
      edit(root, 'metadata/iso19139.xml', (s) =>
        s.replace(/(<gmd:westBoundLongitude>\s*<gco:Decimal>)[^<]+/, `$1${secret.lon}`).replace(/(<gmd:southBoundLatitude>\s*<gco:Decimal>)[^<]+/, `$1${secret.lat}`),
      ),
    );
    leakIn(g, 'metadata/iso19139.xml', 'text-lonlat');
  });

  it('in the EML bounding box', async () => {
    const g = await planted('eml', (root) =>
      edit(root, 'dwca/eml.xml', (s) => s.replace(/(<westBoundingCoordinate>)[^<]+/, `$1${secret.lon}`).replace(/(<southBoundingCoordinate>)[^<]+/, `$1${secret.lat}`)),
    );
    leakIn(g, 'dwca/eml.xml', 'text-lonlat');
  });

  it('in the Darwin Core decimalLatitude / decimalLongitude (the publication check also sees it)', async () => {
    const g = await planted('dwc', (root) =>
      edit(root, 'dwca/occurrence.txt', (s) => {
        const lines = s.split('\n');
        const header = (lines[0] as string).split('\t');
        const i = lines.findIndex((l) => l.startsWith(secret.uuid));
        const cols = (lines[i] as string).split('\t');
        cols[header.indexOf('decimalLatitude')] = String(secret.lat);
        cols[header.indexOf('decimalLongitude')] = String(secret.lon);
        lines[i] = cols.join('\t');
        return lines.join('\n');
      }),
    );
    leakIn(g, 'dwca/occurrence.txt', 'text-lonlat');
    expect(checkOf(g, 'publication').findings.some((f) => f.params.uuid === secret.uuid)).toBe(true);
  });

  it('in a freed page of the GeoPackage (deleted without secure_delete)', async () => {
    const g = await planted('freed', (root) => {
      const db = new Database(join(root, 'data/observations.gpkg'));
      db.pragma('secure_delete = OFF');
      db.exec('CREATE TABLE scratch (g BLOB, t TEXT)');
      const ins = db.prepare('INSERT INTO scratch VALUES (?, ?)');
      const blob = encodeGpkg({ type: 'Point', hasZ: false, hasM: false, coordinates: [secret.lon, secret.lat] }, 4326);
      for (let i = 0; i < 200; i++) ins.run(blob, 'x'.repeat(100));
      db.exec('DROP TABLE scratch');
      db.close();
    });
    const f = leakIn(g, 'data/observations.gpkg', 'binary-lonlat-le');
    expect(f.where).toContain('a free page');
  });

  it('a file changed after the build: wrong checksum', async () => {
    const g = await planted('checksum', (root) => edit(root, 'README.md', (s) => s + '\nedited\n'), { keepManifest: true });
    expect(g.verdict).toBe('fail');
    expect(checkOf(g, 'checksums').findings.map((f) => f.key)).toEqual(['checksum.mismatch']);
    expect(checkOf(g, 'checksums').findings[0]?.where).toBe('README.md');
  });

  it('a missing licence', async () => {
    const g = await planted('licence', (root) => rmSync(join(root, 'LICENCE.md')));
    expect(g.verdict).toBe('fail');
    expect(checkOf(g, 'licence').findings.map((f) => f.key)).toContain('licence.missingFile');
  });

  it('a precise geometry put back in the GeoPackage for a generalised record', async () => {
    const g = await planted('unblurred', (root) => {
      const db = new Database(join(root, 'data/observations.gpkg'));
      registerGpkgFunctions(db);
      db.prepare('UPDATE observations SET geom = ? WHERE unique_id_sinp = ?').run(encodeGpkg({ type: 'Point', hasZ: false, hasM: false, coordinates: [secret.lon, secret.lat] }, 4326), secret.uuid);
      db.close();
    });
    leakIn(g, 'data/observations.gpkg', 'binary-lonlat-le');
    expect(checkOf(g, 'publication').findings.some((f) => f.params.uuid === secret.uuid)).toBe(true);
  });

  it('a sensitive record published precisely is refused by the recomputed decisions', async () => {
    const g = await planted('decision', (root) =>
      edit(root, 'data/observations.csv', (s) => {
        const lines = s.split('\r\n');
        const header = (lines[0] as string).split(',');
        const i = lines.findIndex((l) => l.startsWith(secret.uuid));
        const cols = (lines[i] as string).split(',');
        cols[header.indexOf('publication')] = 'precise';
        cols[header.indexOf('blur_area_type')] = '';
        cols[header.indexOf('blur_area_codes')] = '';
        lines[i] = cols.join(',');
        return lines.join('\r\n');
      }),
    );
    expect(checkOf(g, 'sensitivity').findings.map((f) => f.params.uuid)).toContain(secret.uuid);
    expect(g.verdict).toBe('fail');
  });
});

describe('versions and changelog', () => {
  it('a changed workspace gives the next version, with added, removed and changed observations by UUID', async () => {
    const dir = join(tmp.dir, 'versions');
    mkdirSync(dir);
    const ws = demoCopy(dir);
    const out = join(dir, 'bundle');
    const v1 = await build({ workspace: ws, out });
    expect(v1.version).toBe('1.0.0');
    cpSync(out, join(dir, 'v1'), { recursive: true });
    const db = new Database(ws);
    registerGpkgFunctions(db);
    const [a, b, c] = db.prepare('SELECT unique_id_sinp FROM observations ORDER BY unique_id_sinp LIMIT 3').pluck().all() as string[];
    db.prepare('UPDATE observations SET count_max = 99 WHERE unique_id_sinp = ?').run(a);
    db.prepare('DELETE FROM observations WHERE unique_id_sinp = ?').run(b);
    const added = 'ffffffff-0000-4000-8000-000000000001';
    const cols = (db.prepare('PRAGMA table_info(observations)').all() as { name: string }[]).map((x) => x.name).filter((n) => n !== 'fid' && n !== 'unique_id_sinp');
    db.prepare(`INSERT INTO observations (unique_id_sinp, ${cols.join(', ')}) SELECT ?, ${cols.join(', ')} FROM observations WHERE unique_id_sinp = ?`).run(added, c);
    db.prepare("INSERT INTO passerelle_audit (at, actor, action, entity) VALUES ('2026-12-01T08:00:00.000Z', 'tester', 'edit', 'observation')").run();
    db.close();
    const v2 = await build({ workspace: ws, out });
    expect(v2.written).toBe(true);
    expect(v2.version).toBe('1.1.0');
    expect(v2.previousVersion).toBe('1.0.0');
    expect(v2.asOf).toBe('2026-12-01T08:00:00.000Z');
    const cl = JSON.parse(readFileSync(join(out, 'changelog.json'), 'utf8')) as { added: string[]; removed: string[]; changed: string[]; previous: { version: string } };
    expect(cl).toMatchObject({ added: [added], removed: [b], changed: [a], previous: { version: '1.0.0' } });
    const md = readFileSync(join(out, 'CHANGELOG.md'), 'utf8');
    expect(md.indexOf('## 1.1.0')).toBeLessThan(md.indexOf('## 1.0.0'));
    const diff = await diffBundlesTask({ old: join(dir, 'v1'), new: out }, jobContext());
    expect(diff.sameBundle).toBe(true);
    expect(diff.observations).toMatchObject({ added: [added], removed: [b], changed: [a], unchanged: 989 });
    expect(diff.files.changed).toContain('data/observations.csv');
    // Unchanged content keeps its version, even at another moment.
    const v3 = await build({ workspace: ws, out, asOf: '2026-12-02T00:00:00.000Z' });
    expect(v3.version).toBe('1.1.0');
    expect(readFileSync(join(out, 'changelog.json'), 'utf8')).toBe(JSON.stringify(cl, null, 2) + '\n');
  }, 90_000);
});

describe('the other audiences', () => {
  it('partners: precise data, observer names kept, the convention recorded; refused without a convention', async () => {
    const out = join(tmp.dir, 'partners');
    await expect(build({ out, preset: defaultPreset('partners') })).rejects.toThrow(/convention/);
    const r = await build({ out, preset: { ...defaultPreset('partners'), conventionReference: 'Convention PNE–LPO n° 2026-17' } });
    expect(r.written).toBe(true);
    expect(r.counts.precise).toBe(991);
    expect(filesOf(out).filter((f) => f.startsWith('data/'))).toEqual(['data/observations.csv', 'data/observations.gpkg']);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('Convention PNE–LPO n° 2026-17');
    expect(readFileSync(join(out, 'prov.json'), 'utf8')).toContain('Convention PNE–LPO n° 2026-17');
    expect(readFileSync(join(out, 'data/observations.csv'), 'utf8')).toContain('Rutili Marine');
  }, 60_000);

  it('SINP: the Occurrences de taxons field names and the MTD metadata', async () => {
    const out = join(tmp.dir, 'sinp');
    const r = await build({ out, preset: defaultPreset('sinp') });
    expect(r.written).toBe(true);
    const header = readCsv(out)[0]?.split(',') ?? [];
    expect(header.slice(0, 5)).toEqual(['idSINPOccTax', 'idSINPRegroupement', 'ID_synthese', 'idOrigine', 'idSINPJdd']);
    expect(header).toEqual(expect.arrayContaining(['nomCite', 'cdNom', 'dateDebut', 'dateFin', 'observateur', 'sensiNiveau', 'statutObservation', 'dSPublique']));
    const mtd = readFileSync(join(out, 'metadata/mtd.xml'), 'utf8');
    expect(mtd).toContain('http://inpn.mnhn.fr/mtd');
    expect(mtd).toContain('5b2f4a0e-7c1d-4e8a-9f3b-2d6c8e1a4b70');
  }, 60_000);

  it('open data without the producer’s agreement publishes only public data: the demo’s JDD has no known origin, so nothing', async () => {
    const out = join(tmp.dir, 'public-only');
    const r = await build({ out, preset: defaultPreset('opendata') });
    expect(r.counts.published).toBe(0);
    expect(r.counts.excludedNonPublic).toBe(991);
  }, 60_000);

  it('taxa the referential’s taxonomy does not know are withheld, listed, and the withheld records have no location anywhere', async () => {
    const out = join(tmp.dir, 'unmatched');
    const r = await build({ out, referentials: [V18], taxonomy: writeTaxonomy(tmp.dir, { testOnly: true }) });
    expect(r.written).toBe(true);
    expect(r.counts.withheldBy.unmatchedTaxon).toBeGreaterThan(500);
    expect(r.unmatchedTaxa.length).toBeGreaterThan(100);
    expect(r.gate?.unmatchedTaxa.length).toBe(r.unmatchedTaxa.length);
    const db = new Database(join(out, 'data/observations.gpkg'), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM observations_withheld').pluck().get()).toBe(r.counts.withheld);
      expect(db.prepare('SELECT count(*) FROM observations_withheld WHERE longitude IS NOT NULL OR altitude_min IS NOT NULL').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  }, 60_000);

  it('GBIF refuses the Licence Ouverte: the gate fails and nothing is put in place', async () => {
    const out = join(tmp.dir, 'gbif');
    const r = await build({ out, preset: opendata({ targets: ['gbif'] }) });
    expect(r.written).toBe(false);
    expect(existsSync(out)).toBe(false);
    expect(r.gate?.checks.find((c) => c.id === 'licence')?.findings[0]?.params).toMatchObject({ target: 'gbif', licence: 'etalab-2.0' });
    const ok = await build({ out, preset: opendata({ targets: ['gbif', 'datagouv'], licence: 'CC-BY-4.0' }) });
    expect(ok.written).toBe(true);
  }, 60_000);

  it('the preview counts what the build publishes, and writes nothing', async () => {
    const p = await previewTask({ workspace: DEMO, preset: opendata({ targets: ['gbif'] }), referentials: [V13], taxonomy, asOf: null }, jobContext());
    expect(p.counts.generalised).toEqual({ commune: 1, cell: 7, departement: 2 });
    expect(p.licence.targets).toEqual([expect.objectContaining({ target: 'gbif', accepted: false, suggestion: 'CC-BY-4.0' })]);
    expect(p.files).toContain('dwca/occurrence.txt');
    const none = await previewTask({ workspace: DEMO, preset: opendata(), referentials: [], taxonomy: null, asOf: null }, jobContext());
    expect(none.problems.map((x) => x.code)).toEqual(['no-referential']);
  }, 60_000);
});

describe('the workspace’s own sensitivity (format 5) and the personal data policy', () => {
  it('uses the referential and taxonomy loaded into the workspace, and the overrides in force at the bundle’s moment', async () => {
    const dir = join(tmp.dir, 'stored');
    mkdirSync(dir);
    const ws = demoCopy(dir);
    const { loadTask, addOverrideTask } = await import('../sensitivity/operations.js');
    await loadTask({ workspace: ws, actor: 'tester', path: V13, kind: 'referential' }, jobContext());
    await loadTask({ workspace: ws, actor: 'tester', path: taxonomy, kind: 'taxonomy' }, jobContext());
    const before = await build({ workspace: ws, out: join(dir, 'b1'), referentials: [], taxonomy: null });
    expect(before.written).toBe(true);
    expect(before.counts.bySensitivity).toEqual([982, 1, 6, 2, 0]);
    const prov = JSON.parse(readFileSync(join(dir, 'b1', 'datapackage.json'), 'utf8')) as { passerelle: { sensitivity: { source: string; referentials: { sha256: string | null }[] } } };
    expect(prov.passerelle.sensitivity.source).toBe('workspace-rules');
    expect(prov.passerelle.sensitivity.referentials[0]?.sha256).toBe(sha256(V13));
    // A manual decision: this chamois observation is withheld.
    const db = new Database(ws, { readonly: true });
    const uuid = db.prepare('SELECT unique_id_sinp FROM observations WHERE cd_nom = 61119 ORDER BY unique_id_sinp LIMIT 1').pluck().get() as string;
    db.close();
    expect(uuid).toBeTruthy();
    await addOverrideTask({ workspace: ws, actor: 'tester', target: { kind: 'observation', uuid }, level: 4, justification: 'Site de reproduction connu, à protéger', recheck: false }, jobContext());
    const after = await build({ workspace: ws, out: join(dir, 'b2'), referentials: [], taxonomy: null });
    expect(after.counts.withheld).toBe(before.counts.withheld + 1);
    expect(readFileSync(join(dir, 'b2', 'data/observations.csv'), 'utf8')).toMatch(new RegExp(`^${uuid},.*,withheld,`, 'm'));
    // The justification is never published.
    expect(filesOf(join(dir, 'b2')).some((f) => readFileSync(join(dir, 'b2', f)).includes('Site de reproduction connu'))).toBe(false);
    // As of the first bundle's moment, the override was not decided yet.
    const past = await build({ workspace: ws, out: join(dir, 'b3'), referentials: [], taxonomy: null, asOf: before.asOf });
    expect(past.counts.withheld).toBe(before.counts.withheld);
  }, 90_000);

  it('pseudonymises observers with the preset’s key: stable, not reversible without it, the key never in the bundle', async () => {
    const key = 'a'.repeat(64);
    const preset = opendata({ observers: 'pseudonymise', pseudonymKey: key });
    const a = join(tmp.dir, 'pseudo-a');
    const b = join(tmp.dir, 'pseudo-b');
    await build({ out: a, preset });
    await build({ out: b, preset });
    const csv = readFileSync(join(a, 'data/observations.csv'), 'utf8');
    expect(csv).toMatch(/Observateur [0-9a-f]{10}/);
    expect(csv).not.toContain('Rutili Marine');
    expect(readFileSync(join(b, 'data/observations.csv'), 'utf8')).toBe(csv);
    for (const f of filesOf(a)) expect(readFileSync(join(a, f)).includes(key), f).toBe(false);
    const other = join(tmp.dir, 'pseudo-c');
    await build({ out: other, preset: opendata({ observers: 'pseudonymise', pseudonymKey: 'b'.repeat(64) }) });
    expect(readFileSync(join(other, 'data/observations.csv'), 'utf8')).not.toBe(csv);
  }, 90_000);
});

describe('written to a temporary folder and renamed into place', () => {
  it('an interrupted swap is finished or undone: the previous bundle or the new one, never nothing', async () => {
    const out = join(tmp.dir, 'swap');
    await build({ out });
    const backup = join(tmp.dir, '.swap.previous');
    // A kill between the two renames: `out` moved aside, the new one not yet in place.
    renameSync(out, backup);
    const leftover = join(tmp.dir, '.swap.999999.0badf00d.tmp');
    mkdirSync(leftover);
    recoverInterruptedSwap(out);
    expect(existsSync(out)).toBe(true);
    expect(existsSync(backup)).toBe(false);
    expect(existsSync(leftover)).toBe(false);
    expect((await verify(out)).verdict).toBe('pass');
  }, 60_000);

  it('a build killed after writing everything, or during the gate, leaves the previous bundle as it was', async () => {
    const out = join(tmp.dir, 'killed');
    const v1 = await build({ out });
    const before = readFileSync(join(out, 'manifest-sha256.txt'), 'utf8');
    const dir = join(tmp.dir, 'kill-ws');
    mkdirSync(dir);
    const ws = demoCopy(dir);
    const db = new Database(ws);
    registerGpkgFunctions(db);
    db.prepare('UPDATE observations SET count_max = 77 WHERE fid = 1').run();
    db.close();
    for (const at of ['gate', 'leak scan data/observations.gpkg']) {
      const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test/fixtures/bundle/kill-build.ts'), ws, out, V13, taxonomy, at], { cwd: ROOT, encoding: 'utf8' });
      expect(run.signal, run.stderr).toBe('SIGKILL');
      expect(readdirSync(tmp.dir).some((n) => n.startsWith('.killed.') && n.endsWith('.tmp'))).toBe(true);
      expect(readFileSync(join(out, 'manifest-sha256.txt'), 'utf8')).toBe(before);
      expect((await verify(out)).verdict).toBe('pass');
    }
    // The next build cleans the dead build's folder and puts the complete new version in place.
    const v2 = await build({ workspace: ws, out });
    expect(v2.version).toBe('1.1.0');
    expect(v1.version).toBe('1.0.0');
    expect(readdirSync(tmp.dir).some((n) => n.startsWith('.killed.'))).toBe(false);
  }, 90_000);
});
