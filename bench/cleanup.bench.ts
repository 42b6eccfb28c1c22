/**
 * Cleanup benchmark (issue 8): import and check 1,000,000 rows of a legacy CSV, in rows per second
 * and peak memory (target < 600 MB), against ogr2ogr importing the same CSV into a GeoPackage in
 * the same run.
 *
 * The CSV looks like the legacy files parks hold: `;`, dates in two formats, observers with broken
 * accents, lon/lat with a few swapped or in Lambert-93, vernacular life stages. The import goes into
 * a copy of the demo workspace (so it also computes each point's commune and département, and its
 * Lambert-93 geometry), the check runs every check (with the test taxonomy). ogr2ogr only parses
 * and writes the points (no mapping, no areas, no checks): the comparison says what the extra work
 * costs. Each measure runs in its own process, so its peak RSS is its own. Prints; never fails on a time.
 */
import { copyFileSync, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gdalTool, measureLine, runPhase, type Measure } from './lib/measure.js';

const N = Number(process.env.BENCH_ROWS ?? 1_000_000);
const self = fileURLToPath(import.meta.url);
const root = join(dirname(self), '..');

const SPECIES: Array<[number, string]> = [
  [61098, 'Rupicapra rupicapra'],
  [61119, 'Capra ibex'],
  [2645, 'Aquila chrysaetos'],
  [2628, 'Gypaetus barbatus'],
  [2960, 'Lagopus muta'],
  [61371, 'Marmota marmota'],
  [2623, 'Buteo buteo'],
  [3608, 'Dryocopus martius'],
  [4355, 'Parus montanus'],
  [53754, 'Aglais urticae'],
];
const OBSERVERS = ['Nicolas Marie-GeneviÃ¨ve', 'Coursier Cyril', 'Bouche Michel, LefranÃ§ois Olivier', 'Rutili Marine, Rippert Laurent', 'Foret Jérôme'];
const STAGES = ['Adulte', 'Juvénile', '2', 'adulto', ''];

async function generate(path: string): Promise<void> {
  const out = createWriteStream(path);
  let s = 12345;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  let buf = 'id;espece;cd_nom;date;observateurs;nombre;x;y;stade\n';
  for (let i = 0; i < N; i++) {
    const [cd, name] = SPECIES[i % SPECIES.length] as [number, string];
    const d = 1 + Math.floor(rnd() * 28);
    const m = 1 + Math.floor(rnd() * 12);
    const y = 1990 + Math.floor(rnd() * 34);
    const date = i % 2 ? `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}` : `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    let lon = 5.9 + rnd() * 0.9;
    let lat = 44.55 + rnd() * 0.55;
    if (i % 100 === 7) [lon, lat] = [lat, lon];
    const xy = i % 200 === 11 ? `${(930000 + rnd() * 60000).toFixed(1)};${(6400000 + rnd() * 60000).toFixed(1)}` : `${lon.toFixed(6)};${lat.toFixed(6)}`;
    buf += `${i + 1};${name};${cd};${date};${OBSERVERS[i % OBSERVERS.length]};${1 + Math.floor(rnd() * 9)};${xy};${STAGES[i % STAGES.length]}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.write(buf);
  out.end();
  await once(out, 'finish');
}

async function phase(name: string, args: string[]): Promise<string> {
  // Modules are loaded before the clock starts: the app loads them once, not per operation.
  const [{ importTask }, { checkTask }, { createJobContext }] = await Promise.all([
    import('../electron/core/cleanup/import.js'),
    import('../electron/core/cleanup/check.js'),
    import('../electron/core/jobs/context.js'),
  ]);
  const ctx = createJobContext('bench', new AbortController().signal, () => {});
  const [csv, ws] = args as [string, string];
  const t0 = performance.now();
  let detail: string;
  if (name === 'import') {
    const r = await importTask(
      {
        workspace: ws,
        path: csv,
        read: {},
        mapping: {
          fields: {
            entity_source_pk_value: { column: 'id' },
            nom_cite: { column: 'espece' },
            cd_nom: { column: 'cd_nom' },
            date_min: { column: 'date' },
            observers: { column: 'observateurs' },
            count_min: { column: 'nombre' },
            count_max: { column: 'nombre' },
            life_stage: { column: 'stade' },
            dataset_uuid: { value: '5b2f4a0e-7c1d-4e8a-9f3b-2d6c8e1a4b70' },
          },
          geometry: [{ kind: 'xy', x: 'x', y: 'y', srs: 'EPSG:4326' }],
          values: {},
          dateFormat: 'auto',
        },
        create: false,
        actor: 'bench',
      },
      ctx,
    );
    detail = `${r.imported} imported, ${r.rejected} set aside`;
  } else {
    const r = await checkTask(
      { workspace: ws, params: { minYear: 1850, departements: ['05'], duplicateToleranceM: 10, taxonomy: join(root, 'test', 'fixtures', 'cleanup', 'taxonomy-pne-test.csv') }, samples: 20, home: dirname(ws) },
      ctx,
    );
    detail = `${r.observations} observations, ${r.total} findings in ${r.groups.length} checks`;
  }
  return measureLine(performance.now() - t0, detail);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-bench-clean-'));
  try {
    const csv = join(dir, 'legacy.csv');
    process.stdout.write(`Generating a legacy CSV of ${N.toLocaleString('en')} rows…\n`);
    await generate(csv);
    process.stdout.write(`  ${(statSync(csv).size / 1e6).toFixed(0)} MB\n`);
    const ws = join(dir, 'ws.gpkg');
    copyFileSync(join(root, 'resources', 'demo', 'ecrins-demo.gpkg'), ws);
    const imp = runPhase(self, 'import', [csv, ws], { cwd: root });
    const chk = runPhase(self, 'check', [csv, ws], { cwd: root });
    const out = join(dir, 'ogr2ogr.gpkg');
    const ogr = gdalTool('ogr2ogr', ['-f', 'GPKG', out, csv, '-oo', 'X_POSSIBLE_NAMES=x', '-oo', 'Y_POSSIBLE_NAMES=y', '-oo', 'SEPARATOR=SEMICOLON', '-a_srs', 'EPSG:4326', '-nln', 'observations'], 'ogr2ogr -f GPKG (points from x/y columns)');
    rmSync(out, { force: true });
    const rate = (m: Measure) => `${Math.round(N / (m.ms / 1000)).toLocaleString('en')} rows/s`;
    const pad = (s: string, n: number) => s.padEnd(n);
    process.stdout.write(`\n${pad('measure', 40)}${pad('time', 10)}${pad('rate', 18)}${pad('peak RSS', 10)}detail\n`);
    for (const [name, m] of [
      ['Passerelle import (map, areas, write)', imp],
      ['Passerelle check (all checks)', chk],
      ['ogr2ogr CSV → GeoPackage', ogr],
    ] as const) {
      process.stdout.write(`${pad(name, 40)}${pad(`${(m.ms / 1000).toFixed(1)} s`, 10)}${pad(rate(m), 18)}${pad(`${m.maxRssMB.toFixed(0)} MB`, 10)}${m.detail}\n`);
    }
    const total = imp.ms + chk.ms;
    process.stdout.write(
      `\nimport + check: ${(total / 1000).toFixed(1)} s, ${Math.round(N / (total / 1000)).toLocaleString('en')} rows/s, ${(total / ogr.ms).toFixed(2)}× ogr2ogr's time · peak RSS ${Math.max(imp.maxRssMB, chk.maxRssMB).toFixed(0)} MB (target < 600) · load average ${loadavg()[0]?.toFixed(2)}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'phase') {
  phase(process.argv[3] as string, process.argv.slice(4)).then((out) => process.stdout.write(out + '\n'));
} else {
  await main();
}
