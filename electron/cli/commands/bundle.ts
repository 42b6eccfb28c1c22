import { resolve } from 'node:path';
import { Option } from 'commander';
import { GATE_CHECK_TITLES } from '../../../shared/bundle/gate.js';
import type { BuildResult, BundleDiff, BundlePresetList, BundlePreview, GateReport, Result } from '../../../shared/contract/index.js';
import type { CliContext } from '../context.js';
import { printResult, table } from '../output.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

interface SourceOpts {
  workspace: string;
  audience: 'opendata' | 'partners' | 'sinp';
  preset?: string;
  referential?: string[];
  taxonomy?: string;
  asOf?: string;
  convention?: string;
  producerAgreement?: string;
}

const counts = (c: BuildResult['counts']) =>
  table([
    ['observations in the workspace', String(c.workspace)],
    ['selected by the filters', String(c.selected)],
    ['left out (data origin not public)', String(c.excludedNonPublic)],
    ['published', String(c.published)],
    ['  precise', String(c.precise)],
    ['  generalised to the commune', String(c.generalised.commune)],
    ['  generalised to the 10 km cell', String(c.generalised.cell)],
    ['  generalised to the département', String(c.generalised.departement)],
    ['  withheld', `${c.withheld} (sensitivity ${c.withheldBy.sensitivity}, unmatched taxon ${c.withheldBy.unmatchedTaxon}, area not found ${c.withheldBy.areaNotFound}, diffusion ${c.withheldBy.diffusion}, no geometry ${c.withheldBy.noGeometry})`],
  ]);

/** The gate's report, one line per check, findings under it with where they are. */
export function formatGate(g: GateReport): string {
  let out = `Gate: ${g.verdict.toUpperCase()}${g.bundle ? ` — bundle ${g.bundle.id} version ${g.bundle.version} (${g.bundle.audience}, as of ${g.bundle.asOf})` : ''}\n`;
  for (const c of g.checks) {
    out += `  ${c.status.toUpperCase().padEnd(7)} ${c.blocking ? ' ' : '·'} ${GATE_CHECK_TITLES[c.id].en}\n`;
    for (const f of c.findings) out += `            ${f.message}${f.where && !f.message.includes(f.where) ? ` [${f.where}]` : ''}\n`;
    if (c.more > 0) out += `            … and ${c.more} more\n`;
  }
  out += `  (${g.stats.files} files, ${g.stats.bytes} bytes, ${g.stats.secretPoints} sensitive points searched${g.stats.sharedLocations ? `, ${g.stats.sharedLocations} shared with a public observation` : ''}; · = not blocking)\n`;
  return out;
}

function formatBuild(r: BuildResult): string {
  let out = r.written ? `Bundle ${r.path}\n` : `Bundle NOT written: the gate refused it (nothing was put at ${r.path})\n`;
  out += `  id ${r.bundleId}, version ${r.version}${r.previousVersion ? ` (previous ${r.previousVersion})` : ''}, as of ${r.asOf}\n`;
  out += r.changes.first ? '  first version\n' : `  changes: ${r.changes.added} added, ${r.changes.removed} removed, ${r.changes.changed} changed, ${r.changes.unchanged} unchanged\n`;
  out += counts(r.counts);
  for (const t of r.unmatchedTaxa) out += `  unmatched taxon cd_nom ${t.cdNom}${t.name ? ` (${t.name})` : ''}: ${t.count} withheld\n`;
  out += `  licence ${r.licence.id}${r.licence.targets.map((t) => `; ${t.target}: ${t.accepted ? (t.id ?? 'ok') : `REFUSED${t.suggestion ? ` (use ${t.suggestion})` : ''}`}`).join('')}\n`;
  out += `  ${r.files.length} files, ${r.files.reduce((n, f) => n + f.bytes, 0)} bytes\n`;
  if (r.gate) out += formatGate(r.gate);
  return out;
}

function formatPreview(p: BundlePreview): string {
  let out = `Preview of "${p.preset.name}" (${p.preset.audience}) as of ${p.asOf}\n`;
  for (const x of p.problems) out += `  PROBLEM ${x.code}: ${x.message}\n`;
  out += counts(p.counts);
  for (const t of p.unmatchedTaxa) out += `  unmatched taxon cd_nom ${t.cdNom}${t.name ? ` (${t.name})` : ''}: ${t.count} withheld\n`;
  out += `  files: ${p.files.join(', ')}\n`;
  for (const t of p.licence.targets) out += `  licence for ${t.target}: ${t.accepted ? 'accepted' : 'REFUSED'}${t.id ? ` (${t.id})` : ''}${t.message ? ` — ${t.message}` : ''}\n`;
  return out;
}

function formatDiff(d: BundleDiff): string {
  let out = `${d.old.path} (${d.old.version ?? '?'}) → ${d.new.path} (${d.new.version ?? '?'})${d.sameBundle ? '' : ' — not the same bundle'}\n`;
  out += `  files: ${d.files.added.length} added, ${d.files.removed.length} removed, ${d.files.changed.length} changed, ${d.files.unchanged.length} unchanged\n`;
  for (const f of d.files.added) out += `    + ${f}\n`;
  for (const f of d.files.removed) out += `    - ${f}\n`;
  for (const f of d.files.changed) out += `    ~ ${f}\n`;
  if (d.observations) {
    const o = d.observations;
    out += `  observations: ${o.added.length} added, ${o.removed.length} removed, ${o.changed.length} changed, ${o.unchanged} unchanged${o.truncated ? ' (lists cut)' : ''}\n`;
    for (const u of o.added) out += `    + ${u}\n`;
    for (const u of o.removed) out += `    - ${u}\n`;
    for (const u of o.changed) out += `    ~ ${u}\n`;
  } else out += '  observations: not compared (a bundle without CSV)\n';
  return out;
}

/**
 * `passerelle bundle build|preview|verify|diff|presets`: export bundles from the shell (issue 7).
 *
 * build exits 0 when the bundle is in place, 1 when the gate refused it; verify exits 0 when the
 * gate passes, 1 when it fails or could not prove everything (incomplete); 2 for unreadable input.
 */
export function registerBundle(cli: CliContext): void {
  const bundle = cli.program.command('bundle').description('export bundles per audience (data, metadata, licence, provenance), verified before publishing');
  const sources = (cmd: ReturnType<typeof bundle.command>) =>
    cmd
      .addOption(new Option('-w, --workspace <path>', 'workspace .gpkg, or "demo" for the bundled demo (read only)').env('PASSERELLE_WORKSPACE').makeOptionMandatory())
      .addOption(new Option('--audience <audience>', 'built-in preset of the audience').choices(['opendata', 'partners', 'sinp']).default('opendata'))
      .option('--preset <name>', 'a saved preset (bundle presets), instead of the audience’s')
      .option('--referential <file>', 'SINP sensitivity referential (v13 or v18 layout); repeat for several (default: the rules pulled from GeoNature)', collect)
      .option('--taxonomy <file>', 'TAXREF-shaped CSV (cd_nom, cd_ref, cd_taxsup) completing the workspace’s taxref')
      .option('--as-of <time>', 'moment of the bundle, ISO 8601 (default: the workspace’s last recorded change)')
      .option('--convention <ref>', 'reference of the convention (partners)')
      .option('--producer-agreement <ref>', 'reference of the producer’s agreement to publish non-public data');
  const sourceInput = (o: SourceOpts) => ({
    workspace: cli.workspacePath(o.workspace),
    preset: { name: o.preset ?? o.audience },
    referentials: (o.referential ?? []).map((p) => resolve(p)),
    ...(o.taxonomy ? { taxonomy: resolve(o.taxonomy) } : {}),
    ...(o.asOf ? { asOf: o.asOf } : {}),
    ...(o.convention ? { conventionReference: o.convention } : {}),
    ...(o.producerAgreement ? { producerAgreement: o.producerAgreement } : {}),
  });

  sources(bundle.command('build').description('build a bundle (a folder, or a .zip) and run the gate; exit 1 when the gate refuses it'))
    .requiredOption('--out <path>', 'the bundle: a folder, or a file ending in .zip (a bundle already there is the previous version)')
    .option('--previous <path>', 'the previous version, when it is not at --out')
    .option('--no-verify', 'skip the gate (the bundle is put in place unverified)')
    .action(async (o: SourceOpts & { out: string; previous?: string; verify: boolean }) => {
      const r = await cli.call('bundle.build', { ...sourceInput(o), out: resolve(o.out), ...(o.previous ? { previous: resolve(o.previous) } : {}), verify: o.verify });
      cli.exit(printResult(r as Result<BuildResult>, cli.output(), formatBuild, (v) => !v.written));
    });

  sources(bundle.command('preview').description('what a build would publish (counts, unmatched taxa, files, licence per target); writes nothing')).action(async (o: SourceOpts) => {
    const r = await cli.call('bundle.preview', sourceInput(o));
    cli.exit(printResult(r as Result<BundlePreview>, cli.output(), formatPreview, (v) => v.problems.length > 0));
  });

  bundle
    .command('verify')
    .description('the gate on a bundle (folder or zip); with -w (and --referential) also the sensitivity decisions and the byte-level leak scan; exit 1 unless it passes')
    .argument('<path>', 'bundle folder or zip')
    .option('-w, --workspace <path>', 'the workspace the bundle was built from ("demo" for the bundled demo)')
    .option('--referential <file>', 'the referential file(s) the bundle was built with', collect)
    .option('--taxonomy <file>', 'the taxonomy file the bundle was built with')
    .action(async (path: string, o: { workspace?: string; referential?: string[]; taxonomy?: string }) => {
      const r = await cli.call('bundle.verify', {
        path: resolve(path),
        ...(o.workspace ? { workspace: cli.workspacePath(o.workspace) } : {}),
        referentials: (o.referential ?? []).map((p) => resolve(p)),
        ...(o.taxonomy ? { taxonomy: resolve(o.taxonomy) } : {}),
      });
      cli.exit(printResult(r as Result<GateReport>, cli.output(), formatGate, (v) => !v.ok));
    });

  bundle
    .command('diff')
    .description('two bundles compared: files by checksum, observations by UUID')
    .argument('<old>', 'older bundle (folder or zip)')
    .argument('<new>', 'newer bundle (folder or zip)')
    .action(async (a: string, b: string) => {
      const r = await cli.call('bundle.diff', { old: resolve(a), new: resolve(b) });
      cli.exit(printResult(r as Result<BundleDiff>, cli.output(), formatDiff));
    });

  bundle
    .command('presets')
    .description('the bundle presets (built-in per audience, and saved ones)')
    .action(async () => {
      const r = await cli.call('bundle.presets', {});
      cli.exit(
        printResult(r as Result<BundlePresetList>, cli.output(), (v) =>
          table(v.presets.map((p) => [p.preset.name, p.preset.audience, p.builtin ? (p.adjusted ? 'built-in, adjusted' : 'built-in') : 'saved', p.preset.formats.join('+'), p.preset.licence, p.preset.observers])),
        ),
      );
    });
}
