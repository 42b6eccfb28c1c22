import type Database from 'better-sqlite3';
import type { SensitivityCheckSummary, SensitivityRuleSourceKind } from '../../../shared/contract/index.js';
import {
  BLUR_AREA_TYPE,
  DEFAULT_PROPAGATION,
  TERRITORIES,
  TaxonomyIndex,
  compileReferential,
  isMetropolitanDepartement,
  territoryForSrid,
  type CompiledReferential,
  type PropagationMode,
  type SensitivityOverride,
  type TerritorySystem,
  type UnmatchedTaxonPolicy,
} from '../../../shared/sensitivity/index.js';
import { AppError } from '../errors.js';
import type { JobContext } from '../jobs/context.js';
import { appendAudit, T } from '../workspace/format.js';
import { hasTable } from '../workspace/migrations.js';
import { AreaIndex } from './area-index.js';
import { BlurAreas } from './blur.js';
import { validatedOverrides } from './overrides.js';
import { ResultsWriter } from './results-store.js';
import { SensitivityChecker, checkRows } from './runner.js';
import { SENS, addMissingResultColumns } from './schema.js';
import { pulledRules, storedRules, taxonomyRows, type StoredRule } from './store.js';
import { readReferenceAreas, workspaceCheckRows, workspaceLocalSrid } from './workspace-source.js';

type Db = Database.Database;

/** What a check uses and how; the summary records it, and overrides re-run a check with the last one's. */
export interface CheckOptions {
  readonly sources: readonly SensitivityRuleSourceKind[];
  readonly referentialIds: readonly number[] | null;
  /** ISO date durations are counted to. */
  readonly asOf: string;
  readonly unmatchedTaxon: UnmatchedTaxonPolicy;
  /** A TERRITORIES id; null = from the local SRID, else the départements. */
  readonly territory: string | null;
  readonly lang: 'fr' | 'en';
  /** Whether a sensitive observation's blurring reaches its site and relevé (propagation.ts). */
  readonly propagation: PropagationMode;
}

/** Today as an ISO date, in the local time zone (a check made at 00:30 in Paris is of that day). */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** A checker ready to run over the workspace, with what the summary says about its inputs. */
export interface PreparedCheck {
  readonly checker: SensitivityChecker;
  readonly referential: CompiledReferential;
  readonly territory: TerritorySystem;
  /** Every rule used, by id, with its origin (for explanations and the report). */
  readonly rules: ReadonlyMap<string, StoredRule>;
  readonly taxonomy: TaxonomyIndex;
  readonly vernacular: ReadonlyMap<number, string>;
  readonly used: SensitivityCheckSummary['rules'];
  readonly diagnostics: SensitivityCheckSummary['diagnostics'];
  readonly taxonomyCounts: SensitivityCheckSummary['taxonomy'];
  readonly options: CheckOptions;
}

const OVERSEAS: Readonly<Record<string, string>> = { '971': 'GLP', '972': 'MTQ', '973': 'GUF', '974': 'REU', '976': 'MYT' };

/**
 * The territory whose projected system and 10 km grid blur the workspace: the one asked for,
 * else the one of the workspace's local SRID, else the one of its départements (a file without a
 * local SRID). Never a silent Lambert-93 for an overseas park.
 */
export function pickTerritory(asked: string | null, localSrid: number | null, index: AreaIndex): TerritorySystem {
  if (asked) {
    const t = TERRITORIES[asked];
    if (t) return t;
  }
  if (localSrid !== null) {
    const t = territoryForSrid(localSrid);
    if (t) return t;
  }
  const found = new Set<string>();
  for (const a of index.areas) {
    if (a.type !== 'DEP') continue;
    if (isMetropolitanDepartement(a.code)) found.add('FXX');
    else if (OVERSEAS[a.code]) found.add(OVERSEAS[a.code] as string);
  }
  if (found.size === 1) return TERRITORIES[[...found][0] as string] as TerritorySystem;
  throw new AppError('INVALID_INPUT', `The territory of this workspace cannot be told (local SRID ${localSrid ?? 'none'}, départements ${found.size ? [...found].join(', ') : 'none'}): choose it (FXX, GLP, MTQ, GUF, REU, MYT)`, {
    key: 'errors.SENSITIVITY_NO_TERRITORY',
    params: { srid: localSrid === null ? 'none' : String(localSrid) },
  });
}

/** Builds the checker of a workspace: its rules (pulled, files, local), taxonomy, areas, territory and overrides. */
export function prepareCheck(db: Db, options: CheckOptions, overrides: readonly SensitivityOverride[]): PreparedCheck {
  const all: StoredRule[] = [];
  let pulledInactive = 0;
  if (options.sources.includes('pulled')) {
    const p = pulledRules(db);
    if (p) {
      all.push(...p.rules);
      pulledInactive = p.inactive;
    }
  }
  if (options.sources.includes('files')) all.push(...storedRules(db, 'referential', options.referentialIds));
  if (options.sources.includes('local')) all.push(...storedRules(db, 'local', options.referentialIds));
  if (all.length === 0) {
    throw new AppError('INVALID_INPUT', `No sensitivity rule to check with (sources: ${options.sources.join(', ')}): load a referential or pull the GeoNature rules first`, {
      key: 'errors.SENSITIVITY_NO_RULES',
      params: { sources: options.sources.join(', ') },
    });
  }
  const tax = taxonomyRows(db);
  const taxonomy = TaxonomyIndex.build(tax.rows);
  const index = new AreaIndex(readReferenceAreas(db));
  const referential = compileReferential(
    all.map((s) => s.rule),
    taxonomy,
    { loadedAreas: index.keys() },
  );
  const localSrid = workspaceLocalSrid(db);
  const territory = pickTerritory(options.territory, localSrid, index);
  const checker = new SensitivityChecker({
    referential,
    blurAreas: new BlurAreas(index, territory),
    asOf: options.asOf,
    overrides: validatedOverrides(overrides),
    unmatchedTaxon: options.unmatchedTaxon,
    localSrid,
    propagation: options.propagation,
  });
  const byId = new Map<string, StoredRule>();
  for (const s of all) if (!byId.has(s.rule.id)) byId.set(s.rule.id, s);
  // How many compiled rules each rule set gave.
  const compiled = new Set(referential.rules.map((r) => r.id));
  const used = new Map<string, SensitivityCheckSummary['rules'][number]>();
  const shas = new Map<number, string | null>();
  if (hasTable(db, SENS.referentials)) {
    for (const r of db.prepare(`SELECT id, file_sha256 FROM ${SENS.referentials}`).all() as { id: number; file_sha256: string | null }[]) shas.set(r.id, r.file_sha256);
  }
  for (const s of all) {
    const o = s.origin;
    const key = `${o.kind}:${o.referentialId ?? o.name}`;
    let u = used.get(key);
    if (!u) used.set(key, (u = { kind: o.kind, referentialId: o.referentialId, name: o.name, version: o.version, sha256: o.referentialId === null ? null : (shas.get(o.referentialId) ?? null), rules: 0 }));
    if (compiled.has(s.rule.id)) u.rules++;
  }
  const d = referential.diagnostics;
  return {
    checker,
    referential,
    territory,
    rules: byId,
    taxonomy,
    vernacular: tax.vernacular,
    used: [...used.values()],
    diagnostics: {
      invalidRules: d.invalid.map((x) => ({ ruleId: x.ruleId, problems: x.problems.map((p) => p.message) })),
      unknownRuleTaxa: d.unknownTaxa.map((x) => ({ ruleId: x.ruleId, cdNom: x.cdNom })),
      expandedPairs: d.expandedPairs,
      taxaCovered: d.taxaCovered,
      pulledInactive,
    },
    taxonomyCounts: { workspaceTaxa: tax.workspaceTaxa, loadedTaxa: tax.loadedTaxa },
    options,
  };
}

interface CheckRow {
  id: number;
  at: string;
  actor: string;
  as_of: string;
  options_json: string;
  summary_json: string;
  total: number;
}

/** The options of the last check, or null when none was run. */
export function lastCheckOptions(db: Db): CheckOptions | null {
  if (!hasTable(db, SENS.checks)) return null;
  const r = db.prepare(`SELECT options_json, as_of FROM ${SENS.checks} ORDER BY id DESC LIMIT 1`).get() as { options_json: string; as_of: string } | undefined;
  if (!r) return null;
  const o = JSON.parse(r.options_json) as Omit<CheckOptions, 'asOf' | 'propagation'> & { propagation?: PropagationMode };
  // A check made before propagation existed is run again with today's default, never without it.
  return { ...o, propagation: o.propagation ?? DEFAULT_PROPAGATION, asOf: r.as_of };
}

/**
 * The summary of the last check, or null when none was run. `stale` says whether the workspace
 * changed since: a sensitivity change (referential, local rule, override), a pull, an import, a
 * fix or a move of observations after it (read from the audit log), or observations added or
 * removed.
 */
export function lastCheckSummary(db: Db): SensitivityCheckSummary | null {
  if (!hasTable(db, SENS.checks)) return null;
  const r = db.prepare(`SELECT id, at, actor, as_of, options_json, summary_json, total FROM ${SENS.checks} ORDER BY id DESC LIMIT 1`).get() as CheckRow | undefined;
  if (!r) return null;
  const stored = JSON.parse(r.summary_json) as Omit<SensitivityCheckSummary, 'stale' | 'propagated' | 'options'> & {
    propagated?: number;
    options: Omit<SensitivityCheckSummary['options'], 'propagation'> & { propagation?: PropagationMode };
  };
  // A summary stored before propagation existed: that check propagated nothing.
  const summary: Omit<SensitivityCheckSummary, 'stale'> = { ...stored, propagated: stored.propagated ?? 0, options: { ...stored.options, propagation: stored.options.propagation ?? 'off' } };
  const changed = db
    .prepare(
      `SELECT count(*) AS n FROM ${T.audit} WHERE at > ? AND ((action LIKE 'sensitivity.%' AND action <> 'sensitivity.check')
         OR action IN ('pull', 'repull', 'reassign', 'clean.import', 'clean.undo', 'metadata.undo') OR action LIKE 'clean.fix.%' OR entity IN ('observation', 'observations'))`,
    )
    .get(r.at) as { n: number };
  const observations = (db.prepare(`SELECT count(*) AS n FROM ${T.observations}`).get() as { n: number }).n;
  const results = (db.prepare(`SELECT count(*) AS n FROM ${SENS.results}`).get() as { n: number }).n;
  return { ...summary, stale: changed.n > 0 || observations !== r.total || results !== r.total };
}

const five = () => [0, 0, 0, 0, 0];

/** How many results rows to write between two progress reports and cancel checks. */
const CHECKPOINT_EVERY = 1000;

/**
 * Runs a prepared check over every observation and stores it: the results (replacing the last
 * check's), the check row with its summary, and an audit entry. Call it inside a write
 * transaction: a cancel (`ctx.checkpoint` throws CANCELLED) or a failure rolls everything back.
 */
export async function runCheck(db: Db, prepared: PreparedCheck, ctx: JobContext, actor: string): Promise<SensitivityCheckSummary> {
  const started = Date.now();
  const { checker, referential, options } = prepared;
  const at = new Date().toISOString();
  const total = (db.prepare(`SELECT count(*) AS n FROM ${T.observations}`).get() as { n: number }).n;
  addMissingResultColumns(db);
  db.prepare(`DELETE FROM ${SENS.results}`).run();
  const checkId = Number(
    db
      .prepare(
        `INSERT INTO ${SENS.checks} (at, actor, as_of, options_json, rules_json, territory, grid_prefix, total, by_sensitivity_json, by_blur_json, unmatched_taxa, no_taxon, area_not_found, by_precaution, overridden, by_diffusion, summary_json, duration_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, 0, '[]', '[]', 0, 0, 0, 0, 0, 0, '{}', 0)`,
      )
      .run(
        at,
        actor,
        options.asOf,
        JSON.stringify({
          sources: options.sources,
          referentialIds: options.referentialIds,
          unmatchedTaxon: options.unmatchedTaxon,
          territory: options.territory,
          lang: options.lang,
          propagation: options.propagation,
        }),
        JSON.stringify(prepared.used),
        prepared.territory.id,
        checker.options.blurAreas.gridPrefix,
      ).lastInsertRowid,
  );
  const writer = new ResultsWriter(db, referential, SENS.results);
  writer.checkId = checkId;
  const notFound: number[] = [];
  // Counts by taxon and JDD, tallied as the rows go (a join of the results with the observations
  // afterwards costs more than the check itself).
  type Counts = { total: number; bySensitivity: number[]; undetermined: number; byBlur: number[]; unmatched: number };
  const zero = (): Counts => ({ total: 0, bySensitivity: five(), undetermined: 0, byBlur: five(), unmatched: 0 });
  const taxa = new Map<number | null, Counts>();
  const datasets = new Map<string | null, Counts>();
  const tally = (c: Counts, sensitivity: number, blur: number, unmatched: boolean) => {
    c.total++;
    if (sensitivity < 0) c.undetermined++;
    else (c.bySensitivity[sensitivity] as number)++;
    (c.byBlur[blur] as number)++;
    if (unmatched) c.unmatched++;
  };
  const message = { sources: 'finding sensitive sites', check: 'checking observations' } as const;
  ctx.progress(0, total, options.propagation === 'off' ? message.check : message.sources);
  const counts = await checkRows(
    workspaceCheckRows(db, checker),
    checker,
    (r, row) => {
      const matching = r.rule >= 0 ? checker.lastMatches().map((i) => referential.rules[i]?.id ?? '') : null;
      const dwc = r.blurLevel > 0 ? checker.publishLast(row, options.lang).dwc : null;
      if (r.reason === 'area-not-found' && notFound.length < 200) notFound.push(row.fid);
      writer.add(row.fid, r, { matchingRuleIds: matching, dwc });
      const unmatched = r.resolution === 'unmatched' || r.resolution === 'no-taxon';
      let t = taxa.get(row.cdNom);
      if (!t) taxa.set(row.cdNom, (t = zero()));
      tally(t, r.sensitivityLevel, r.blurLevel, unmatched);
      let d = datasets.get(row.datasetUuid);
      if (!d) datasets.set(row.datasetUuid, (d = zero()));
      tally(d, r.sensitivityLevel, r.blurLevel, unmatched);
    },
    async (done, pass) => {
      ctx.progress(done, total, message[pass]);
      await ctx.checkpoint();
    },
    CHECKPOINT_EVERY,
  );
  writer.flush();
  // A cancel asked during the last rows still cancels (the caller rolls back).
  await ctx.checkpoint();
  ctx.progress(total, total, 'summary');

  // A taxon's name: the taxonomy's, else the name the observations cite.
  const cited = db.prepare(`SELECT nom_cite FROM ${T.observations} WHERE cd_nom IS ? AND nom_cite IS NOT NULL AND nom_cite <> '' LIMIT 1`).pluck();
  const taxonName = (cdNom: number | null): string | null => {
    const known = cdNom === null ? undefined : (prepared.taxonomy.row(cdNom)?.name ?? prepared.vernacular.get(cdNom));
    return known ?? ((cited.get(cdNom) as string | undefined) ?? null);
  };
  // Most sensitive first: undetermined above level 4, then the highest level, the highest blurring, the most observations.
  const top = (c: Counts) => (c.undetermined > 0 ? 5 : c.bySensitivity.reduce((m, n, l) => (n > 0 ? l : m), 0));
  const topBlur = (c: Counts) => c.byBlur.reduce((m, n, l) => (n > 0 ? l : m), 0);
  const byTaxon = [...taxa]
    .filter(([, c]) => c.undetermined > 0 || c.total > (c.bySensitivity[0] as number) || c.total > (c.byBlur[0] as number))
    .sort(([ka, a], [kb, b]) => top(b) - top(a) || topBlur(b) - topBlur(a) || b.total - a.total || (ka ?? -1) - (kb ?? -1))
    .map(([cdNom, c]) => ({ cdNom, name: taxonName(cdNom), total: c.total, bySensitivity: c.bySensitivity, undetermined: c.undetermined, byBlur: c.byBlur }));
  const datasetName = hasTable(db, T.datasets) ? db.prepare(`SELECT dataset_name FROM ${T.datasets} WHERE unique_dataset_id = ?`).pluck() : null;
  const byDataset = [...datasets]
    .sort(([ka, a], [kb, b]) => b.total - a.total || String(ka ?? '').localeCompare(String(kb ?? '')))
    .map(([uuid, c]) => ({ uuid, name: uuid !== null && datasetName ? ((datasetName.get(uuid) as string | undefined) ?? null) : null, total: c.total, bySensitivity: c.bySensitivity, undetermined: c.undetermined, byBlur: c.byBlur }));
  const unmatchedTaxa = [...taxa]
    .filter(([, t]) => t.unmatched > 0)
    .sort(([ka, a], [kb, b]) => b.unmatched - a.unmatched || (ka ?? -1) - (kb ?? -1))
    .map(([cdNom, t]) => ({ cdNom, name: taxonName(cdNom), observations: t.unmatched }));
  const areasNotFound =
    notFound.length === 0
      ? []
      : (
          db
            .prepare(
              `SELECT o.unique_id_sinp AS uuid, r.requested_level AS lvl FROM ${SENS.results} r JOIN ${T.observations} o ON o.fid = r.observation_fid
                WHERE r.observation_fid IN (SELECT value FROM json_each(?)) ORDER BY r.observation_fid`,
            )
            .all(JSON.stringify(notFound)) as { uuid: string | null; lvl: number }[]
        ).map((x) => ({ uuid: x.uuid, requestedLevel: x.lvl, areaType: BLUR_AREA_TYPE[x.lvl as 1 | 2 | 3] ?? 'unknown' }));

  const bySensitivity = counts.bySensitivity.length === 5 ? counts.bySensitivity : five();
  const undetermined = counts.total - bySensitivity.reduce((a, b) => a + b, 0);
  const durationMs = Date.now() - started;
  const summary: Omit<SensitivityCheckSummary, 'stale'> = {
    id: checkId,
    at,
    actor,
    asOf: options.asOf,
    options: {
      sources: [...options.sources],
      referentialIds: options.referentialIds ? [...options.referentialIds] : null,
      unmatchedTaxon: options.unmatchedTaxon,
      lang: options.lang,
      propagation: options.propagation,
    },
    territory: prepared.territory.id as SensitivityCheckSummary['territory'],
    gridPrefix: checker.options.blurAreas.gridPrefix,
    rules: prepared.used,
    diagnostics: prepared.diagnostics,
    taxonomy: prepared.taxonomyCounts,
    total: counts.total,
    bySensitivity,
    undetermined,
    byBlur: counts.byBlur,
    degraded: counts.total - (counts.byBlur[0] ?? 0),
    unmatched: counts.unmatchedTaxa,
    noTaxon: counts.noTaxon,
    areaNotFound: counts.areaNotFound,
    byPrecaution: counts.byPrecaution,
    overridden: counts.overridden,
    byDiffusion: counts.byDiffusion,
    propagated: counts.propagated,
    byTaxon,
    byDataset,
    unmatchedTaxa,
    areasNotFound,
    durationMs,
  };
  db.prepare(
    `UPDATE ${SENS.checks} SET total = ?, by_sensitivity_json = ?, by_blur_json = ?, unmatched_taxa = ?, no_taxon = ?, area_not_found = ?, by_precaution = ?, overridden = ?, by_diffusion = ?, summary_json = ?, duration_ms = ? WHERE id = ?`,
  ).run(
    counts.total,
    JSON.stringify(bySensitivity),
    JSON.stringify(counts.byBlur),
    counts.unmatchedTaxa,
    counts.noTaxon,
    counts.areaNotFound,
    counts.byPrecaution,
    counts.overridden,
    counts.byDiffusion,
    JSON.stringify(summary),
    durationMs,
    checkId,
  );
  appendAudit(db, {
    actor,
    action: 'sensitivity.check',
    entity: 'workspace',
    entityId: String(checkId),
    jobId: ctx.jobId,
    after: {
      checkId,
      asOf: options.asOf,
      sources: options.sources,
      propagation: options.propagation,
      total: counts.total,
      bySensitivity,
      byBlur: counts.byBlur,
      unmatched: counts.unmatchedTaxa,
      areaNotFound: counts.areaNotFound,
      propagated: counts.propagated,
    },
  });
  return { ...summary, stale: false };
}
