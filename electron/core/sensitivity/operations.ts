import type Database from 'better-sqlite3';
import type {
  SensitivityCheckReport,
  SensitivityExplanation,
  SensitivityLoadReport,
  SensitivityOverrideFilter,
  SensitivityOverrideResult,
  SensitivityRuleSourceKind,
} from '../../../shared/contract/index.js';
import {
  BLUR_REASONS,
  DEFAULT_PROPAGATION,
  OverrideSet,
  precautionNames,
  type AreaRef,
  type PropagationMode,
  type SensitivityLevel,
  type SensitivityOverride,
  type UnmatchedTaxonPolicy,
} from '../../../shared/sensitivity/index.js';
import { AppError } from '../errors.js';
import type { Geometry } from '../gpkg/geometry/model.js';
import type { JobContext } from '../jobs/context.js';
import { T } from '../workspace/format.js';
import { hasTable } from '../workspace/migrations.js';
import { inWriteTransaction, openWorkspace } from '../workspace/open.js';
import { AreaIndex } from './area-index.js';
import { LOCATING_COLUMNS } from './blur.js';
import { readSensitivityFile, type ParsedSensitivityFile, type SensitivityFileKind } from './files.js';
import { validatedOverrides } from './overrides.js';
import { RESOLUTIONS } from './results-store.js';
import { emptyRow, type ObservationRow } from './runner.js';
import { SENS } from './schema.js';
import { activeOverrides, findOverride, insertOverride, removeOverride, ruleView, storeSensitivityFile, type StoredRule } from './store.js';
import { lastCheckOptions, lastCheckSummary, prepareCheck, runCheck, today, type CheckOptions } from './workspace-check.js';
import { readReferenceAreas, workspaceObservations, workspaceSources } from './workspace-source.js';

type Db = Database.Database;

/**
 * The sensitivity domain's long operations, as job tasks over JSON-safe values: load a file,
 * check a workspace, explain one observation, add or remove an override. Each write is one
 * transaction (a cancel or a failure leaves the workspace as it was). The handler resolves the
 * bundled demo to its working copy before calling them.
 */

/** A file to load. */
export interface LoadSpec {
  readonly path: string;
  readonly kind: SensitivityFileKind;
  readonly name?: string | undefined;
  readonly version?: string | undefined;
}

export interface LoadTaskInput extends LoadSpec {
  readonly workspace: string;
  readonly actor: string;
}

export interface CheckTaskInput {
  readonly workspace: string;
  readonly actor: string;
  readonly sources: readonly SensitivityRuleSourceKind[];
  readonly referentialIds?: readonly number[] | undefined;
  readonly asOf?: string | undefined;
  readonly unmatchedTaxon: UnmatchedTaxonPolicy;
  /** Default: site+releve. */
  readonly propagation?: PropagationMode | undefined;
  readonly territory?: string | undefined;
  readonly lang: 'fr' | 'en';
  readonly load: readonly LoadSpec[];
  readonly observations: boolean;
}

export interface ExplainTaskInput {
  readonly workspace: string;
  readonly uuid: string;
  readonly asOf?: string | undefined;
  readonly sources?: readonly SensitivityRuleSourceKind[] | undefined;
  readonly lang: 'fr' | 'en';
}

export interface AddOverrideTaskInput {
  readonly workspace: string;
  readonly actor: string;
  readonly target: { kind: 'observation'; uuid: string } | { kind: 'filter'; filter: SensitivityOverrideFilter };
  readonly level: number;
  readonly justification: string;
  readonly author?: string | undefined;
  readonly recheck: boolean;
}

export interface RemoveOverrideTaskInput {
  readonly workspace: string;
  readonly actor: string;
  readonly id: string;
  readonly justification: string;
  readonly recheck: boolean;
}

/** `sensitivity.load`: reads a referential, local rules or taxonomy file and stores it (replacing one of the same name and version). */
export async function loadTask(input: LoadTaskInput, ctx: JobContext): Promise<SensitivityLoadReport> {
  ctx.progress(0, 2, 'reading');
  const parsed = await readSensitivityFile(input.path, input.kind, { name: input.name, version: input.version });
  await ctx.checkpoint();
  ctx.progress(1, 2, 'storing');
  const report = await inWriteTransaction(input.workspace, async (db) => storeSensitivityFile(db, parsed, input.actor));
  ctx.progress(2, 2, 'done');
  return { workspace: input.workspace, ...report };
}

/** `sensitivity.check`: loads the files asked for, checks every observation and stores the results, in one transaction. */
export async function checkTask(input: CheckTaskInput, ctx: JobContext): Promise<SensitivityCheckReport> {
  const parsed: ParsedSensitivityFile[] = [];
  for (const l of input.load) parsed.push(await readSensitivityFile(l.path, l.kind, { name: l.name, version: l.version }));
  const options: CheckOptions = {
    sources: [...new Set(input.sources)],
    referentialIds: input.referentialIds && input.referentialIds.length > 0 ? [...input.referentialIds] : null,
    asOf: input.asOf ?? today(),
    unmatchedTaxon: input.unmatchedTaxon,
    territory: input.territory ?? null,
    lang: input.lang,
    propagation: input.propagation ?? DEFAULT_PROPAGATION,
  };
  const { loaded, check } = await inWriteTransaction(input.workspace, async (db) => {
    const loaded = parsed.map((p) => ({ workspace: input.workspace, ...storeSensitivityFile(db, p, input.actor) }));
    const prepared = prepareCheck(db, options, activeOverrides(db));
    const check = await runCheck(db, prepared, ctx, input.actor);
    return { loaded, check };
  });
  const report: SensitivityCheckReport = { workspace: input.workspace, loaded, check };
  if (input.observations) {
    const ws = openWorkspace(input.workspace);
    try {
      report.observations = (
        ws.db
          .prepare(`SELECT o.unique_id_sinp AS uuid, r.sensitivity_level AS s, r.blur_level AS b FROM ${SENS.results} r JOIN ${T.observations} o ON o.fid = r.observation_fid ORDER BY r.observation_fid`)
          .all() as { uuid: string | null; s: number | null; b: number }[]
      ).map((r) => ({ uuid: r.uuid, sensitivityLevel: r.s, blurLevel: r.b }));
    } finally {
      ws.close();
    }
  }
  return report;
}

/** Re-runs the last check (same options) inside the caller's transaction; null when none was run. */
async function recheck(db: Db, ctx: JobContext, actor: string): Promise<SensitivityOverrideResult['check']> {
  const options = lastCheckOptions(db);
  if (!options) return null;
  return runCheck(db, prepareCheck(db, options, activeOverrides(db)), ctx, actor);
}

/** How many observations an override selects now (read from the results when a check was re-run). */
function selectedCount(db: Db, o: SensitivityOverride, checked: boolean): number {
  if (checked) return (db.prepare(`SELECT count(*) AS n FROM ${SENS.results} WHERE override_id = ?`).get(o.id) as { n: number }).n;
  if (o.target.kind === 'observation') return (db.prepare(`SELECT count(*) AS n FROM ${T.observations} WHERE unique_id_sinp = ?`).get(o.target.uuid) as { n: number }).n;
  const set = new OverrideSet([o]);
  const needsAreas = set.needsAreas;
  const index = needsAreas ? new AreaIndex(readReferenceAreas(db)) : null;
  const scratch = new Int32Array(64);
  let n = 0;
  for (const row of workspaceObservations(db, { eager: true })) {
    let areaKeys: Set<string> | null = null;
    if (index && row.geom) {
      areaKeys = new Set();
      const { lon, lat } = firstVertex(row);
      if (lon !== null && lat !== null) {
        for (const type of index.types()) {
          const k = index.containing(type, lon, lat, scratch);
          for (let i = 0; i < k; i++) {
            const a = index.areas[scratch[i] as number];
            if (a) areaKeys.add(`${a.type}:${a.code}`);
          }
        }
      }
    }
    if (set.find({ uuid: row.uuid, cdNom: row.cdNom, cdRef: row.cdRefHint, datasetUuid: row.datasetUuid, dateMin: row.dateMin, areaKeys })) n++;
  }
  return n;
}

/** The first vertex of a row's GeoPackage point (enough to place a point observation for a count). */
function firstVertex(row: ObservationRow): { lon: number | null; lat: number | null } {
  const g = row.geom;
  if (!g || g.length < 8) return { lon: null, lat: null };
  const flags = g[3] as number;
  const kind = (flags >> 1) & 0x07;
  const off = 8 + (kind === 0 ? 0 : kind === 1 ? 32 : kind === 4 ? 64 : 48);
  const view = new DataView(g.buffer, g.byteOffset, g.byteLength);
  if (g.length < off + 21) return { lon: null, lat: null };
  const le = g[off] === 1;
  if ((view.getUint32(off + 1, le) & 0xffff) % 1000 !== 1) return { lon: null, lat: null };
  return { lon: view.getFloat64(off + 5, le), lat: view.getFloat64(off + 13, le) };
}

/**
 * `sensitivity.addOverride`: refuses an override without justification
 * (SENSITIVITY_OVERRIDE_JUSTIFICATION) or on an unknown observation, stores it with its audit
 * entry, and runs the last check again, in one transaction.
 */
export async function addOverrideTask(input: AddOverrideTaskInput, ctx: JobContext): Promise<SensitivityOverrideResult> {
  const author = input.author ?? input.actor;
  const draft: SensitivityOverride = {
    id: '(new)',
    target: input.target,
    level: input.level as SensitivityLevel,
    justification: input.justification,
    author,
    at: new Date().toISOString(),
  };
  validatedOverrides([draft]);
  return inWriteTransaction(input.workspace, async (db) => {
    if (input.target.kind === 'observation') {
      const found = db.prepare(`SELECT 1 FROM ${T.observations} WHERE unique_id_sinp = ?`).get(input.target.uuid);
      if (!found) throw new AppError('NOT_FOUND', `No observation ${input.target.uuid} in this workspace`, { key: 'errors.SENSITIVITY_UNKNOWN_OBSERVATION', params: { uuid: input.target.uuid } });
    }
    const view = insertOverride(db, { target: draft.target, level: draft.level, justification: draft.justification, author }, input.actor);
    const check = input.recheck ? await recheck(db, ctx, input.actor) : null;
    const o: SensitivityOverride = { id: view.id, target: view.target, level: view.level as SensitivityLevel, justification: view.justification, author: view.author, at: view.at };
    return { workspace: input.workspace, override: view, observations: selectedCount(db, o, check !== null), check };
  });
}

/** `sensitivity.removeOverride`: marks it removed with why (audit), and runs the last check again, in one transaction. */
export async function removeOverrideTask(input: RemoveOverrideTaskInput, ctx: JobContext): Promise<SensitivityOverrideResult> {
  return inWriteTransaction(input.workspace, async (db) => {
    const before = findOverride(db, input.id);
    const view = removeOverride(db, input.id, input.justification, input.actor);
    // How many observations it selected (before the check forgets it).
    const o: SensitivityOverride = { id: view.id, target: view.target, level: view.level as SensitivityLevel, justification: view.justification, author: view.author, at: before?.at ?? view.at };
    const observations = selectedCount(db, o, false);
    const check = input.recheck ? await recheck(db, ctx, input.actor) : null;
    return { workspace: input.workspace, override: view, observations, check };
  });
}

/**
 * `sensitivity.explain`: evaluates one observation now, with the last check's options (or the
 * ones given), and says everything: taxon resolution and lineage, every matching rule with the
 * criteria taken on precaution, the override, the blurring and what would be published, beside
 * what the last check stored.
 */
export async function explainTask(input: ExplainTaskInput, ctx: JobContext): Promise<SensitivityExplanation> {
  const ws = openWorkspace(input.workspace);
  try {
    const db = ws.db;
    ctx.progress(0, 3, 'preparing');
    const last = hasTable(db, SENS.checks) ? lastCheckOptions(db) : null;
    const options: CheckOptions = {
      sources: input.sources ? [...input.sources] : (last?.sources ?? ['pulled', 'files', 'local']),
      referentialIds: input.sources ? null : (last?.referentialIds ?? null),
      asOf: input.asOf ?? last?.asOf ?? today(),
      unmatchedTaxon: last?.unmatchedTaxon ?? 'withhold',
      territory: last?.territory ?? null,
      lang: input.lang,
      propagation: last?.propagation ?? DEFAULT_PROPAGATION,
    };
    const overrides = hasTable(db, SENS.overrides) ? activeOverrides(db) : [];
    const prepared = prepareCheck(db, options, overrides);
    let row: ObservationRow | null = null;
    for (const r of workspaceObservations(db, { where: 'o.unique_id_sinp = ?', params: [input.uuid], eager: true })) {
      row = { ...emptyRow(), ...r, loadDetails: null, detailsLoaded: true };
      break;
    }
    if (!row) throw new AppError('NOT_FOUND', `No observation ${input.uuid} in this workspace`, { key: 'errors.SENSITIVITY_UNKNOWN_OBSERVATION', params: { uuid: input.uuid } });
    // The sensitive observations that may be at its site or in its relevé: the check's first pass, over every observation.
    ctx.progress(1, 3, 'finding sensitive sites');
    if (options.propagation !== 'off') prepared.checker.useSites(workspaceSources(db, prepared.checker));
    await ctx.checkpoint();
    const { outcome, published, areas } = prepared.checker.explain(row, input.lang);
    const obs = db
      .prepare(
        `SELECT o.nom_cite, ${hasTable(db, T.datasets) ? `(SELECT d.dataset_name FROM ${T.datasets} d WHERE d.unique_dataset_id = o.dataset_uuid)` : 'NULL'} AS dataset_name FROM ${T.observations} o WHERE o.fid = ?`,
      )
      .get(row.fid) as { nom_cite: string | null; dataset_name: string | null };
    const tax = prepared.taxonomy;
    const nameOf = (cd: number) => tax.row(cd)?.name ?? prepared.vernacular.get(cd) ?? null;
    const cdRef = outcome.taxon.cdRef;
    const ruleOf = (id: string): StoredRule => {
      const s = prepared.rules.get(id);
      if (!s) throw new AppError('INTERNAL', `Rule ${id} has no origin`);
      return s;
    };
    const overrideView = outcome.override ? (findOverride(db, outcome.override.id) ?? null) : null;
    const stored = hasTable(db, SENS.results)
      ? (db
          .prepare(`SELECT r.check_id, c.as_of, r.sensitivity_level, r.blur_level, r.reason, r.rule_id FROM ${SENS.results} r JOIN ${SENS.checks} c ON c.id = r.check_id WHERE r.observation_fid = ?`)
          .get(row.fid) as { check_id: number; as_of: string; sensitivity_level: number | null; blur_level: number; reason: number; rule_id: string | null } | undefined)
      : undefined;
    const storedView = stored
      ? {
          checkId: stored.check_id,
          asOf: stored.as_of,
          sensitivityLevel: stored.sensitivity_level,
          blurLevel: stored.blur_level,
          reason: BLUR_REASONS[stored.reason] ?? 'none',
          ruleId: stored.rule_id,
        }
      : null;
    const bbox = published.geometry ? boxOf(published.geometry) : null;
    const explanation: SensitivityExplanation = {
      workspace: input.workspace,
      asOf: options.asOf,
      observation: {
        fid: row.fid,
        uuid: input.uuid,
        cdNom: row.cdNom,
        nomCite: obs.nom_cite,
        dateMin: row.dateMin,
        dateMax: row.dateMax,
        bioStatus: row.bioStatus,
        behaviour: row.behaviour,
        diffusionLevel: row.diffusionLevel,
        datasetUuid: row.datasetUuid,
        datasetName: obs.dataset_name,
      },
      taxon: {
        resolution: outcome.taxon.resolution,
        cdRef,
        name: cdRef !== null ? nameOf(cdRef) : row.cdNom !== null ? nameOf(row.cdNom) : null,
        lineage: cdRef !== null ? tax.lineage(cdRef).map((cd) => ({ cdNom: cd, name: nameOf(cd), rank: tax.row(cd)?.rank ?? null })) : [],
      },
      areas: areas.map((a: AreaRef) => ({ type: a.type, code: a.code })),
      matches: outcome.matches.map((m, i) => ({ rule: ruleView(ruleOf(m.ruleId)), deciding: i === 0, inherited: m.inherited, precautions: [...m.precautions] })),
      computedLevel: outcome.computedLevel,
      override: overrideView,
      sensitivityLevel: outcome.sensitivityLevel,
      diffusionLevel: outcome.diffusionLevel,
      propagation: outcome.propagation
        ? { via: outcome.propagation.via, uuid: outcome.propagation.source.uuid, fid: outcome.propagation.source.id, level: outcome.propagation.source.level }
        : null,
      blur: { level: published.level, reason: published.reason, requestedLevel: published.requestedLevel },
      published: {
        level: published.level,
        withheld: published.withheld,
        areaType: published.areaType,
        areas: published.areas.map((a) => ({ code: a.code, name: a.name })),
        bbox,
        decimalLongitude: published.decimalLongitude,
        decimalLatitude: published.decimalLatitude,
        dwc: { ...published.dwc },
        removedColumns: published.level === 0 ? [] : [...LOCATING_COLUMNS, 'geom', 'geom_local_wkb'],
      },
      stored: storedView,
      differsFromStored:
        storedView !== null && (storedView.sensitivityLevel !== outcome.sensitivityLevel || storedView.blurLevel !== published.level || storedView.reason !== published.reason),
    };
    ctx.progress(3, 3, 'done');
    return explanation;
  } finally {
    ws.close();
  }
}

function boxOf(g: Geometry): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (x: Geometry) => {
    if ('geometries' in x) x.geometries.forEach(walk);
    else if (x.type === 'Point') {
      if (x.coordinates.length) add(x.coordinates);
    } else if (x.type === 'LineString' || x.type === 'CircularString') x.coordinates.forEach(add);
    else if (x.type === 'Polygon' || x.type === 'Triangle') x.coordinates.forEach((r) => r.forEach(add));
  };
  const add = (p: readonly number[]) => {
    b[0] = Math.min(b[0], p[0] as number);
    b[1] = Math.min(b[1], p[1] as number);
    b[2] = Math.max(b[2], p[0] as number);
    b[3] = Math.max(b[3], p[1] as number);
  };
  walk(g);
  return b;
}

/** The precaution names of a results row's flags, and its resolution (for the report). */
export function decodeResultCodes(resolution: number, precautions: number): { resolution: (typeof RESOLUTIONS)[number]; precautions: ReturnType<typeof precautionNames> } {
  return { resolution: RESOLUTIONS[resolution] ?? 'no-taxon', precautions: precautionNames(precautions) };
}

/** The last check's summary, for handlers (null when none, or on a workspace without sensitivity tables). */
export function summaryOf(db: Db): ReturnType<typeof lastCheckSummary> {
  return hasTable(db, SENS.checks) ? lastCheckSummary(db) : null;
}
