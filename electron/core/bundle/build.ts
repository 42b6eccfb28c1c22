import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { licenceForTarget } from '../../../shared/bundle/licences.js';
import { presetProblems, type BundleMetadataFormat, type BundlePreset } from '../../../shared/bundle/presets.js';
import type { BuildResult, BundleCounts, GateReport } from '../../../shared/contract/schemas/bundle.js';
import { LICENCES } from '../../../shared/metadata/licences.js';
import { AppError } from '../errors.js';
import type { JobContext } from '../jobs/context.js';
import { appVersion } from '../paths.js';
import { sqliteVersion } from '../versions.js';
import { hasTable } from '../workspace/migrations.js';
import { openWorkspace } from '../workspace/open.js';
import { bundleMetadata, growBox, readMetadata, stableUuid, type DatasetExtent } from './bundle-metadata.js';
import { changelogEntry, changelogMd, datapackageJson, fileTitle, licenceMd, provJson, readme, roCrateJson, type ActivityFacts, type BuildFacts, type SourceFacts } from './documents.js';
import { digestFile, writeTextFile, type FileDigest } from './hashed-writer.js';
import { PATHS, mediaTypeOf, type BundleFile } from './layout.js';
import { C, F as BUNDLE_INDEX, RecordBuilder, countFiltered, localGeometryLoader, readObservations, type BundleRecord, type DatasetInfo, type RecordCounts } from './records.js';
import { openBundleSensitivity, type BundleSensitivity } from './sensitivity.js';
import { CsvSink, DwcSink, GeoJsonSink, dwcMetaXml } from './sinks.js';
import { GpkgSink } from './gpkg-sink.js';
import { FIRST_VERSION, diffRecords, nextVersion, readPreviousBundle, recordHash, type ChangelogFile } from './versioning.js';
import { verifyBundle } from './verify.js';
import { listFiles, zipFolder } from './zip.js';

type Db = Database.Database;

/**
 * Building a bundle (issue 7): one pass over the workspace's observations feeding every data
 * file, then the metadata, licence, provenance, README, changelog and checksums, then the gate,
 * and only when the gate passes, the bundle is put in place.
 *
 * Everything is written in a temporary folder next to the target and renamed into place: a
 * kill at any moment leaves the previous bundle or the complete new one (an interrupted swap of
 * two folders is finished or undone by the next build or verify, {@link recoverInterruptedSwap}).
 */

/** Input of the build task (the handler resolved the preset and its pseudonym key). */
export interface BuildTaskInput {
  readonly workspace: string;
  readonly preset: BundlePreset;
  readonly referentials: readonly string[];
  readonly taxonomy: string | null;
  readonly asOf: string | null;
  /** The bundle: a folder, or a file ending in `.zip`. */
  readonly out: string;
  /** The previous version, when it is not at `out`. */
  readonly previous: string | null;
  /** Run the gate before putting the bundle in place. @default true */
  readonly verify: boolean;
  /** Who builds (recorded in the provenance). */
  readonly operator: string;
}

/** The name the previous bundle has while a folder swap is in progress. */
const backupOf = (out: string) => join(dirname(out), `.${basename(out)}.previous`);

/**
 * Finishes or undoes a folder swap a kill interrupted, and removes temporary folders left by a
 * killed build: after it, `out` is the previous bundle or the complete new one.
 */
export function recoverInterruptedSwap(out: string): void {
  const backup = backupOf(out);
  if (existsSync(backup)) {
    if (existsSync(out)) rmSync(backup, { recursive: true, force: true });
    else renameSync(backup, out);
  }
  const dir = dirname(out);
  if (!existsSync(dir)) return;
  const prefix = `.${basename(out)}.`;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix) || !/\.tmp(\.zip)?$/.test(name)) continue;
    // Only a dead build's leftovers: another build may be writing next to the same target.
    const pid = Number(/^\.(?:.*)\.(\d+)\.[0-9a-f]{8}\.tmp/.exec(name)?.[1] ?? NaN);
    if (Number.isInteger(pid) && pid !== process.pid && processAlive(pid)) continue;
    if (pid === process.pid) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Puts a complete folder in place of `out` (two renames; see {@link recoverInterruptedSwap}). */
function swapFolder(staging: string, out: string): void {
  const backup = backupOf(out);
  if (existsSync(out)) renameSync(out, backup);
  renameSync(staging, out);
  rmSync(backup, { recursive: true, force: true });
}

/** The moment of a bundle: the given one, else the workspace's last recorded change. */
export function bundleAsOf(db: Db, meta: ReadonlyMap<string, string | null>, given: string | null): string {
  let raw = given;
  if (!raw) {
    const last = hasTable(db, 'passerelle_audit') ? (db.prepare('SELECT max(at) AS at FROM passerelle_audit').get() as { at: string | null }).at : null;
    raw = last ?? meta.get('created_at') ?? null;
  }
  const t = raw ? Date.parse(raw) : NaN;
  if (!raw || Number.isNaN(t)) {
    throw new AppError('INVALID_INPUT', `The moment of the bundle "${raw ?? ''}" is not an ISO 8601 date-time (give --as-of)`, {
      key: 'errors.BUNDLE_AS_OF',
      params: { value: raw ?? '' },
    });
  }
  return new Date(t).toISOString();
}

/** The JDD of the workspace with their name and data origin (DS_PUBLIQUE). */
function datasetInfos(meta: ReturnType<typeof readMetadata>): Map<string, DatasetInfo> {
  return new Map(meta.datasets.map((d) => [d.uuid, { name: d.name, dataOrigin: d.dataOrigin }]));
}

/** Counts for the contract. */
export function countsView(c: RecordCounts, total: number, selected: number): BundleCounts {
  return {
    workspace: total,
    selected,
    published: c.published,
    precise: c.precise,
    generalised: { ...c.generalised },
    withheld: c.withheld,
    withheldBy: { ...c.withheldBy },
    excludedNonPublic: c.excludedNonPublic,
    propagated: c.propagated,
    bySensitivity: [...c.bySensitivity],
  };
}

/** Sources of the bundle: the workspace file, its GeoNature, the files the cleanup imported. */
function sourceFacts(db: Db, path: string, meta: ReadonlyMap<string, string | null>, formatVersion: number, asOf: string): SourceFacts {
  const d = digestFile(path);
  const server = meta.get('pull_server');
  const database = meta.get('pull_database');
  const imports: SourceFacts['imports'][number][] = [];
  if (hasTable(db, 'cleanup_imports')) {
    const rows = db
      .prepare('SELECT file, file_sha256, at, rows_imported FROM cleanup_imports WHERE at <= ? AND undone_at IS NULL ORDER BY id')
      .all(asOf) as Array<{ file: string; file_sha256: string | null; at: string; rows_imported: number }>;
    for (const r of rows) imports.push({ file: basename(r.file), sha256: r.file_sha256, at: r.at, rows: r.rows_imported });
  }
  return {
    workspace: { file: basename(path), sha256: d.sha256, bytes: d.bytes, title: meta.get('title') ?? null, formatVersion, source: meta.get('source') ?? null },
    geonature: server && database ? { server, database, version: meta.get('pull_geonature_version') ?? null, pulledAt: meta.get('pull_at') ?? null, filters: meta.get('pull_filters') ?? null } : null,
    imports,
  };
}

/** The workspace's recorded changes up to `asOf`, by action, and the cleanup fixes by kind. */
function changeActivities(db: Db, asOf: string): ActivityFacts[] {
  const out: ActivityFacts[] = [];
  if (hasTable(db, 'cleanup_fixes')) {
    const kinds = db
      .prepare('SELECT kind, count(*) AS fixes, sum(rows_changed) AS rows_changed, sum(rows_deleted) AS rows_deleted, sum(values_changed) AS values_changed FROM cleanup_fixes WHERE at <= ? AND undone_at IS NULL GROUP BY kind ORDER BY kind')
      .all(asOf) as Array<{ kind: string; fixes: number; rows_changed: number; rows_deleted: number; values_changed: number }>;
    for (const k of kinds) {
      out.push({
        id: `cleanup-${k.kind.replace(/[^A-Za-z0-9-]+/g, '-')}`,
        name: `Cleanup: ${k.kind}`,
        description: 'Bulk fixes of the cleanup, each value change recorded in the workspace audit log (passerelle_audit) with its value before and after.',
        counts: { fixes: k.fixes, rowsChanged: k.rows_changed ?? 0, rowsDeleted: k.rows_deleted ?? 0, valuesChanged: k.values_changed ?? 0 },
        at: asOf,
        used: ['workspace'],
      });
    }
  }
  if (hasTable(db, 'passerelle_audit')) {
    const actions = db.prepare('SELECT action, count(*) AS n FROM passerelle_audit WHERE at <= ? GROUP BY action ORDER BY action').all(asOf) as Array<{ action: string; n: number }>;
    if (actions.length) {
      out.push({
        id: 'workspace-changes',
        name: 'Changes recorded in the workspace',
        description: 'Every change made to the workspace up to the moment of the bundle, by action (passerelle_audit; values before and after stay in the workspace).',
        counts: Object.fromEntries(actions.map((a) => [a.action, a.n])),
        at: asOf,
        used: ['workspace'],
      });
    }
  }
  return out;
}

/** Everything one pass produced. */
interface PassResult {
  readonly builder: RecordBuilder;
  readonly extents: Map<string, DatasetExtent>;
  readonly extent: DatasetExtent;
  readonly index: { uuids: string[]; hashes: number[] };
  readonly contentFingerprint: string;
  readonly columnsFingerprint: string;
  readonly csv: FileDigest | null;
  readonly geojson: FileDigest | null;
  readonly dwc: FileDigest | null;
  readonly gpkg: GpkgSink | null;
}

function grow(ext: DatasetExtent, r: BundleRecord, first: string | null, last: string | null): void {
  ext.records++;
  if (!Number.isNaN(r.west)) ext.box = growBox(ext.box, r.west, r.south, r.east, r.north);
  if (first && (!ext.firstDay || first < ext.firstDay)) ext.firstDay = first;
  if (last && (!ext.lastDay || last > ext.lastDay)) ext.lastDay = last;
}

const DATE_MIN = BUNDLE_INDEX.date_min as number;
const DATE_MAX = BUNDLE_INDEX.date_max as number;
const dayOf = (v: string | number | null | undefined): string | null => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : null);

/**
 * The one pass: every selected observation read once, turned into its published record, and fed
 * to each data file; or only counted (`staging` null: the preview).
 */
async function recordPass(
  db: Db,
  preset: BundlePreset,
  datasets: Map<string, DatasetInfo>,
  sensitivity: BundleSensitivity | null,
  staging: string | null,
  asOf: string,
  total: number,
  ctx: JobContext,
  /** Keep each record's UUID and fingerprint (to compare with a previous version). */
  wantIndex = false,
): Promise<PassResult> {
  const builder = new RecordBuilder(preset, datasets, sensitivity, localGeometryLoader(db));
  const extents = new Map<string, DatasetExtent>();
  const extent: DatasetExtent = { records: 0, box: null, firstDay: null, lastDay: null };
  const index = { uuids: [] as string[], hashes: [] as number[] };
  const content = createHash('sha256');
  const formats = new Set(preset.formats);
  const csvWritten = staging !== null && formats.has('csv');
  // The content fingerprint is the SHA-256 of the canonical CSV: the CSV file's own when it is written.
  const csv = new CsvSink(csvWritten ? join(staging, PATHS.csv) : null, preset.fieldProfile, (uuid, line) => {
    if (wantIndex) {
      index.uuids.push(uuid);
      index.hashes.push(recordHash(line));
    }
    if (!csvWritten) content.update(line);
  });
  if (!csvWritten) content.update(csv.header);
  const geojson = staging && formats.has('geojson') ? new GeoJsonSink(join(staging, PATHS.geojson), preset.fieldProfile) : null;
  const licence = LICENCES[preset.licence];
  const dwc = staging && formats.has('dwca') ? new DwcSink(join(staging, PATHS.dwcOccurrence), { licenceUrl: licence.url, rightsHolder: preset.publisher?.name ?? null }) : null;
  const gpkg = staging && formats.has('gpkg') ? new GpkgSink(join(staging, PATHS.gpkg), preset.fieldProfile, asOf) : null;
  try {
    let n = 0;
    for (const raw of readObservations(db, preset.filters)) {
      const r = builder.build(raw);
      if (r) {
        const line = csv.add(r);
        geojson?.add(r);
        dwc?.add(r);
        gpkg?.add(r, line);
        const first = dayOf(r.values[DATE_MIN]);
        const last = dayOf(r.values[DATE_MAX]) ?? first;
        grow(extent, r, first, last);
        const ds = raw[C.dataset_uuid] as string | null;
        if (ds) {
          let e = extents.get(ds);
          if (!e) extents.set(ds, (e = { records: 0, box: null, firstDay: null, lastDay: null }));
          grow(e, r, first, last);
        }
      }
      if (++n % 1000 === 0) {
        ctx.progress(n, total, staging ? 'observations' : 'preview');
        await ctx.checkpoint();
        await gpkg?.backpressure();
      }
    }
  } catch (e) {
    csv.abort();
    geojson?.abort();
    dwc?.abort();
    gpkg?.abort();
    throw e;
  }
  const csvDigest = csv.close();
  return {
    builder,
    extents,
    extent,
    index,
    contentFingerprint: `sha256:${csvDigest ? csvDigest.sha256 : content.digest('hex')}`,
    columnsFingerprint: `sha256:${createHash('sha256').update(csv.header).digest('hex')}`,
    csv: csvDigest,
    geojson: geojson?.close() ?? null,
    dwc: dwc?.close() ?? null,
    gpkg,
  };
}

/** Builds a bundle (the `bundle.build` task). */
export async function buildBundleTask(input: BuildTaskInput, ctx: JobContext): Promise<BuildResult> {
  const out = resolve(input.out);
  const zip = /\.zip$/i.test(out);
  mkdirSync(dirname(out), { recursive: true });
  recoverInterruptedSwap(out);
  if (existsSync(out)) {
    const isBundle = statSync(out).isDirectory() ? existsSync(join(out, PATHS.changelogJson)) : zip;
    if (!isBundle) {
      throw new AppError('CONFLICT', `${out} exists and is not a Passerelle bundle: choose another place`, { key: 'errors.BUNDLE_OUT_EXISTS', params: { path: out }, where: out });
    }
  }
  const preset = input.preset;
  const problems = presetProblems(preset);
  if (problems.length > 0) {
    const issues = problems.map((p) => p.message).join('; ');
    throw new AppError('INVALID_INPUT', `Bundle preset "${preset.name}": ${issues}`, { key: 'errors.BUNDLE_PRESET_INVALID', params: { name: preset.name, issues } });
  }
  const ws = openWorkspace(input.workspace);
  const staging = join(dirname(out), `.${basename(out)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let stagingLive = false;
  let gpkgSink: GpkgSink | null = null;
  try {
    const db = ws.db;
    // Records are read in UUID order, not file order: a larger page cache saves re-reading pages.
    db.pragma('cache_size = -65536');
    const asOf = bundleAsOf(db, ws.meta, input.asOf);
    ctx.progress(0, null, 'prepare');
    const meta = readMetadata(db);
    const datasets = datasetInfos(meta);
    const sensitivity = await openSensitivityFor(db, input, asOf);
    const { total, selected } = countFiltered(db, preset.filters);
    const previous = readPreviousBundle(input.previous ? resolve(input.previous) : out);

    mkdirSync(staging);
    stagingLive = true;
    for (const d of ['data', 'metadata', ...(preset.formats.includes('dwca') ? ['dwca'] : [])]) mkdirSync(join(staging, d), { recursive: true });
    const pass = await recordPass(db, preset, datasets, sensitivity, staging, asOf, selected, ctx, previous?.records !== null && previous !== null);
    gpkgSink = pass.gpkg;
    const counts = pass.builder.counts;
    const included = [...pass.extents.keys()].sort();

    // Identity, version and changelog.
    const wsTitle = ws.meta.get('title') ?? basename(input.workspace);
    const bundleId = previous?.changelog.bundle ?? stableUuid(`passerelle-bundle|${preset.audience}|${preset.name}|${included.join(',')}`);
    const unchanged = previous !== null && previous.changelog.contentFingerprint === pass.contentFingerprint && previous.changelog.columnsFingerprint === pass.columnsFingerprint;
    const version = unchanged ? previous.changelog.version : previous ? nextVersion(previous.changelog.version, previous.changelog.columnsFingerprint !== pass.columnsFingerprint) : FIRST_VERSION;
    const diff = !unchanged && previous?.records ? diffRecords(previous.records, pass.index) : null;
    const changes = unchanged
      ? { first: previous.changelog.previous === null, added: previous.changelog.counts.added, removed: previous.changelog.counts.removed, changed: previous.changelog.counts.changed, unchanged: previous.changelog.counts.unchanged }
      : diff
        ? { first: false, added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length, unchanged: diff.unchanged }
        : { first: previous === null, added: counts.published, removed: 0, changed: 0, unchanged: 0 };

    const lang = preset.language;
    const dsNames = included.map((u) => datasets.get(u)?.name ?? u);
    const audienceLabels = { opendata: { fr: 'données ouvertes', en: 'open data' }, partners: { fr: 'partenaires', en: 'partners' }, sinp: { fr: 'SINP', en: 'SINP' } }[preset.audience];
    const audienceLabel = audienceLabels[lang];
    const title = included.length === 1 ? (dsNames[0] as string) : `${preset.publisher?.name ?? wsTitle} — ${audienceLabel}`;
    const generalised = counts.generalised.commune + counts.generalised.cell + counts.generalised.departement;
    const descriptions = {
      fr: `Observations naturalistes (${counts.published} observations, ${included.length} jeu(x) de données : ${dsNames.join(' ; ')}), lot « ${audienceLabels.fr} »${preset.locations === 'blurred' ? ` : localisations des observations sensibles dégradées (${generalised}) ou retirées (${counts.withheld}) selon la sensibilité SINP` : ' : localisations précises'}.`,
      en: `Species observations (${counts.published} observations, ${included.length} dataset(s): ${dsNames.join('; ')}), ${audienceLabels.en} bundle${preset.locations === 'blurred' ? `: locations of sensitive observations generalised (${generalised}) or withheld (${counts.withheld}) per SINP sensitivity` : ': precise locations'}.`,
    };
    const description = descriptions[lang];
    const publisherName = preset.publisher?.name ?? (meta.datasets.flatMap((d) => d.actors).find((a) => a.organism)?.organism ?? wsTitle);

    // Metadata.
    ctx.progress(0, null, 'metadata');
    const dataFiles: BundleFile[] = [];
    const fileOf = (path: string, d: FileDigest | null) => {
      if (d) dataFiles.push({ path, bytes: d.bytes, sha256: d.sha256 });
    };
    const distributions = preset.formats.map((f) => ({ gpkg: PATHS.gpkg, csv: PATHS.csv, geojson: PATHS.geojson, dwca: PATHS.dwcOccurrence })[f]).map((p) => ({ path: p, title: fileTitle(p, lang), mediaType: mediaTypeOf(p) }));
    const restricted = generalised + counts.withheld > 0;
    const lineage = lineageText(preset, sensitivity, counts, asOf);
    const want = new Set<BundleMetadataFormat>(preset.metadata);
    if (preset.formats.includes('dwca')) want.add('eml');
    if (preset.formats.includes('gpkg')) want.add('iso19139');
    const mdFiles = bundleMetadata(db, meta, included, pass.extents, { bundleId, title, asOf, preset, lineage, extent: pass.extent, restricted, distributions }, want);
    const notes = [...mdFiles.values()].flatMap((m) => m.notes.map((n) => `${m.format}: ${n.id} ${JSON.stringify(n.params)}`));
    const metadataFiles: BundleFile[] = [];
    for (const f of preset.metadata) {
      const m = mdFiles.get(f);
      if (!m) continue;
      const d = writeTextFile(join(staging, m.path), m.content);
      metadataFiles.push({ path: m.path, bytes: d.bytes, sha256: d.sha256 });
    }
    if (pass.gpkg) {
      ctx.progress(0, null, 'spatial index');
      await pass.gpkg.close(mdFiles.get('iso19139')?.content ?? null);
      ctx.progress(0, null, 'checksums');
      fileOf(PATHS.gpkg, digestFile(join(staging, PATHS.gpkg)));
    }
    fileOf(PATHS.csv, pass.csv);
    fileOf(PATHS.geojson, pass.geojson);
    if (preset.formats.includes('dwca')) {
      fileOf(PATHS.dwcMeta, writeTextFile(join(staging, PATHS.dwcMeta), dwcMetaXml()));
      fileOf(PATHS.dwcEml, writeTextFile(join(staging, PATHS.dwcEml), mdFiles.get('eml')?.content ?? ''));
      fileOf(PATHS.dwcOccurrence, pass.dwc);
    }
    dataFiles.sort((a, b) => (a.path < b.path ? -1 : 1));
    metadataFiles.sort((a, b) => (a.path < b.path ? -1 : 1));

    // Provenance, README, licence, changelog, data package.
    ctx.progress(0, null, 'provenance');
    const sources = sourceFacts(db, input.workspace, ws.meta, ws.formatVersion, asOf);
    const targets = preset.targets.map((t) => licenceForTarget(preset.licence, t));
    const activities = activityFacts(db, preset, sensitivity, counts, total, selected, asOf, pass.builder.distinctNames, dataFiles.length + metadataFiles.length);
    const facts: BuildFacts = {
      bundleId,
      title,
      description,
      descriptions,
      version,
      previousVersion: previous?.changelog.version ?? null,
      asOf,
      preset: { ...preset, pseudonymKey: null },
      publisherName,
      operator: input.operator,
      software: { name: 'Passerelle', version: appVersion(), sqlite: sqliteVersion() },
      sources,
      sensitivity: sensitivity?.provenance ?? null,
      activities,
      dataFiles,
      metadataFiles,
      records: { published: counts.published, precise: counts.precise, generalised, withheld: counts.withheld, excluded: counts.excludedNonPublic },
      extent: { box: pass.extent.box, firstDay: pass.extent.firstDay, lastDay: pass.extent.lastDay },
      datasets: included.map((u) => ({ uuid: u, name: datasets.get(u)?.name ?? u, records: pass.extents.get(u)?.records ?? 0 })),
      targets,
      changes,
    };
    if (unchanged && previous) {
      writeTextFile(join(staging, PATHS.changelogJson), previous.changelogRaw);
      writeTextFile(join(staging, PATHS.changelogMd), previous.changelogMd ?? changelogMd(changelogEntry({ version, asOf: previous.changelog.asOf, changes, records: counts.published }), null));
    } else {
      const cl: ChangelogFile = {
        bundle: bundleId,
        version,
        asOf,
        previous: previous ? { version: previous.changelog.version, asOf: previous.changelog.asOf } : null,
        contentFingerprint: pass.contentFingerprint,
        columnsFingerprint: pass.columnsFingerprint,
        counts: { records: counts.published, added: changes.added, removed: changes.removed, changed: changes.changed, unchanged: changes.unchanged },
        added: diff?.added ?? [],
        removed: diff?.removed ?? [],
        changed: diff?.changed ?? [],
        ...(diff ? {} : { note: previous ? 'the previous version has no CSV: no change by UUID' : 'first version: every observation is new' }),
      };
      writeTextFile(join(staging, PATHS.changelogJson), JSON.stringify(cl, null, 2) + '\n');
      writeTextFile(join(staging, PATHS.changelogMd), changelogMd(changelogEntry({ version, asOf, changes, records: counts.published }), previous?.changelogMd ?? null));
    }
    writeTextFile(join(staging, PATHS.licence), licenceMd(facts));
    writeTextFile(join(staging, PATHS.readme), readme(facts));
    writeTextFile(join(staging, PATHS.datapackage), datapackageJson(facts));
    writeTextFile(join(staging, PATHS.rocrate), roCrateJson(facts));
    writeTextFile(join(staging, PATHS.prov), provJson(facts));

    // Checksums of every file (BagIt-style manifest).
    const known = new Map([...dataFiles, ...metadataFiles].map((f) => [f.path, f]));
    const all: BundleFile[] = listFiles(staging)
      .filter((p) => p !== PATHS.manifest)
      .map((p) => known.get(p) ?? { path: p, ...digestFile(join(staging, ...p.split('/'))) });
    writeTextFile(join(staging, PATHS.manifest), all.map((f) => `${f.sha256}  ${f.path}\n`).join(''));
    const manifest = digestFile(join(staging, PATHS.manifest));
    all.push({ path: PATHS.manifest, ...manifest });
    all.sort((a, b) => (a.path < b.path ? -1 : 1));

    // The gate, then the bundle in place.
    let gate: GateReport | null = null;
    if (input.verify) {
      ctx.progress(0, null, 'gate');
      gate = await verifyBundle({ path: staging, workspace: input.workspace, referentials: input.referentials, taxonomy: input.taxonomy }, ctx, { sensitivity });
      gate = { ...gate, path: out };
    }
    const written = gate === null || gate.ok;
    if (written) {
      if (zip) {
        const tmpZip = `${staging}.zip`;
        try {
          await zipFolder(staging, tmpZip, asOf, ctx);
          renameSync(tmpZip, out);
        } finally {
          rmSync(tmpZip, { force: true });
        }
        rmSync(staging, { recursive: true, force: true });
      } else {
        swapFolder(staging, out);
      }
      stagingLive = false;
    }
    return {
      path: out,
      written,
      zip,
      bundleId,
      version,
      previousVersion: previous?.changelog.version ?? null,
      asOf,
      changes: { ...changes },
      counts: countsView(counts, total, selected),
      unmatchedTaxa: [...counts.unmatchedTaxa].sort((a, b) => a[0] - b[0]).map(([cdNom, count]) => ({ cdNom, name: sensitivity?.taxonName(cdNom) ?? null, count })),
      files: all.map((f) => ({ path: f.path, bytes: f.bytes, sha256: f.sha256 })),
      licence: { id: preset.licence, targets: targets.map((t) => ({ ...t })) },
      gate,
      notes,
    };
  } finally {
    gpkgSink?.abort();
    ws.close();
    if (stagingLive) rmSync(staging, { recursive: true, force: true });
  }
}

/** Opens the sensitivity of a build (or a preview): required when locations are blurred. */
export async function openSensitivityFor(db: Db, input: { referentials: readonly string[]; taxonomy: string | null; preset: BundlePreset }, asOf: string): Promise<BundleSensitivity | null> {
  const sensitivity = await openBundleSensitivity(db, { referentials: input.referentials, taxonomy: input.taxonomy, asOf });
  if (!sensitivity && input.preset.locations === 'blurred') {
    throw new AppError('INVALID_INPUT', 'A bundle with blurred locations needs a sensitivity referential: give one (--referential) or pull the rules from GeoNature first', {
      key: 'errors.BUNDLE_NO_REFERENTIAL',
      params: {},
    });
  }
  return sensitivity;
}

/** The bundle's own lineage sentences (appended to the JDD's in the metadata). */
function lineageText(preset: BundlePreset, s: BundleSensitivity | null, c: RecordCounts, asOf: string): string {
  const fr = preset.language === 'fr';
  const refs = (s?.provenance.referentials ?? []).map((r) => `${r.name}${r.version ? ` v${r.version}` : ''}`).join(', ');
  const g = c.generalised;
  const parts: string[] = [];
  parts.push(fr ? `Lot Passerelle « ${preset.name} » (${preset.audience}) au ${asOf}.` : `Passerelle bundle "${preset.name}" (${preset.audience}) as of ${asOf}.`);
  if (s && preset.locations === 'blurred') {
    parts.push(
      fr
        ? `Sensibilité évaluée avec ${refs} : ${g.commune} localisation(s) dégradée(s) à la commune, ${g.cell} à la maille 10 km, ${g.departement} au département, ${c.withheld} retirée(s).`
        : `Sensitivity evaluated with ${refs}: ${g.commune} location(s) generalised to the commune, ${g.cell} to the 10 km cell, ${g.departement} to the département, ${c.withheld} withheld.`,
    );
  }
  if (c.excludedNonPublic) parts.push(fr ? `${c.excludedNonPublic} observation(s) de jeux non publics écartée(s).` : `${c.excludedNonPublic} observation(s) of non-public datasets left out.`);
  return parts.join(' ');
}

/** The transformations of the bundle as activities with their counts. */
function activityFacts(db: Db, preset: BundlePreset, s: BundleSensitivity | null, c: RecordCounts, total: number, selected: number, asOf: string, names: number, files: number): ActivityFacts[] {
  const used = ['workspace'];
  const acts: ActivityFacts[] = [...changeActivities(db, asOf)];
  acts.push({
    id: 'select',
    name: 'Selection of the observations',
    description: `Filters ${JSON.stringify(preset.filters)}; ${preset.publicOnly ? (preset.producerAgreement ? `non-public data included with the producer's agreement (${preset.producerAgreement})` : 'public data (DS_PUBLIQUE Pu) only') : 'all data origins'}.`,
    counts: { workspace: total, selected, excludedNonPublic: c.excludedNonPublic, published: c.published },
    at: asOf,
    used,
  });
  if (s) {
    acts.push({
      id: 'sensitivity',
      name: 'SINP sensitivity check',
      description: `Rules from ${s.provenance.source}, evaluated as of ${s.provenance.asOf}; unmatched taxa ${s.provenance.unmatchedTaxa}; ${s.provenance.overrides} override(s); propagation ${s.provenance.propagation.mode} from ${s.provenance.propagation.sources} sensitive observation(s).`,
      counts: { level0: c.bySensitivity[0] ?? 0, level1: c.bySensitivity[1] ?? 0, level2: c.bySensitivity[2] ?? 0, level3: c.bySensitivity[3] ?? 0, level4: c.bySensitivity[4] ?? 0, unmatchedTaxa: [...c.unmatchedTaxa.values()].reduce((a, b) => a + b, 0) },
      at: asOf,
      used: [...used, ...s.provenance.referentials.map((_, i) => `referential-${i + 1}`), ...(s.provenance.taxonomy.file ? ['taxonomy'] : [])],
    });
  }
  if (preset.locations === 'blurred') {
    acts.push({
      id: 'blurring',
      name: 'Blurring of sensitive locations',
      description: 'Generalised to the commune, the 10 km grid cell or the département (areas of the workspace), or withheld; altitude, comments, proofs and identifiers that link a record to precise ones removed from those records.',
      counts: { precise: c.precise, commune: c.generalised.commune, cell: c.generalised.cell, departement: c.generalised.departement, withheld: c.withheld, propagated: c.propagated },
      at: asOf,
      used,
    });
  }
  acts.push({
    id: 'field-policy',
    name: 'Personal data policy',
    description: `Observer and determiner names: ${preset.observers}.${preset.conventionReference ? ` Convention: ${preset.conventionReference}.` : ''}`,
    counts: { distinctNamesPseudonymised: preset.observers === 'pseudonymise' ? names : 0 },
    at: asOf,
    used,
  });
  acts.push({ id: 'package', name: 'Packaging, metadata and checksums', description: `Field profile ${preset.fieldProfile}; licence ${preset.licence}.`, counts: { files }, at: asOf, used });
  return acts;
}

/** The preview of a build (the `bundle.preview` task): the same pass, counted, nothing written. */
export async function previewTask(input: Omit<BuildTaskInput, 'out' | 'previous' | 'verify' | 'operator'>, ctx: JobContext) {
  const ws = openWorkspace(input.workspace);
  try {
    const db = ws.db;
    const asOf = bundleAsOf(db, ws.meta, input.asOf);
    const meta = readMetadata(db);
    const datasets = datasetInfos(meta);
    const problems: { code: string; message: string }[] = [];
    let sensitivity: BundleSensitivity | null = null;
    try {
      sensitivity = await openSensitivityFor(db, input, asOf);
    } catch (e) {
      if (e instanceof AppError && e.key === 'errors.BUNDLE_NO_REFERENTIAL') problems.push({ code: 'no-referential', message: e.message });
      else throw e;
    }
    const { total, selected } = countFiltered(db, input.preset.filters);
    const pass = await recordPass(db, input.preset, datasets, sensitivity ?? null, null, asOf, selected, ctx);
    const c = pass.builder.counts;
    const files = [
      ...input.preset.formats.flatMap((f) => ({ gpkg: [PATHS.gpkg], csv: [PATHS.csv], geojson: [PATHS.geojson], dwca: [PATHS.dwcMeta, PATHS.dwcEml, PATHS.dwcOccurrence] })[f]),
      ...input.preset.metadata.map((m) => `metadata/${m === 'dcat' || m === 'schemaorg' ? `${m}.jsonld` : `${m}.xml`}`),
      PATHS.readme,
      PATHS.licence,
      PATHS.changelogMd,
      PATHS.changelogJson,
      PATHS.datapackage,
      PATHS.rocrate,
      PATHS.prov,
      PATHS.manifest,
    ].sort();
    return {
      asOf,
      preset: { ...input.preset, pseudonymKey: null },
      problems,
      counts: countsView(c, total, selected),
      unmatchedTaxa: [...c.unmatchedTaxa].sort((a, b) => a[0] - b[0]).map(([cdNom, count]) => ({ cdNom, name: sensitivity?.taxonName(cdNom) ?? null, count })),
      files,
      licence: { id: input.preset.licence, targets: input.preset.targets.map((t) => ({ ...licenceForTarget(input.preset.licence, t) })) },
      sensitivity: sensitivity
        ? { source: sensitivity.provenance.source, referentials: sensitivity.provenance.referentials.map((r) => `${r.name}${r.version ? ` v${r.version}` : ''}`), overrides: sensitivity.provenance.overrides }
        : null,
      datasets: [...pass.extents.keys()].sort().map((u) => ({ uuid: u, name: datasets.get(u)?.name ?? u, records: pass.extents.get(u)?.records ?? 0, dataOrigin: datasets.get(u)?.dataOrigin ?? null })),
    };
  } finally {
    ws.close();
  }
}
