/**
 * Restructuring the JDD of a workspace: split a JDD by a criterion, merge JDD, move JDD to another
 * CA, reassign the observations a filter matches. Each one previews (dry run: the same code,
 * rolled back) and applies in one transaction, recorded for undo, with the change-journal entries
 * push needs (new JDD created with their UUIDs, observations' JDD changed).
 *
 * Split semantics (docs/workspace-format.md): one new JDD per value of the criterion, with a
 * fresh UUID and a copy of the parent's metadata (fields, actors, territories, protocols,
 * objectives, keywords, active/validable); name "<parent> – <value>", short name
 * "<parent short>_<value>", description = the parent's plus where the JDD comes from, bbox = its
 * observations' extent. A split by protocol gives each JDD that protocol; by producer, that
 * organism as its producer (ROLE_ACTEUR 6); by taxonomic group, the group as a keyword. The
 * parent keeps its metadata and the groups asked to stay (`keepInParent`).
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { MergeResult, MoveResult, ObservationFilter, ReassignResult, SplitBy, SplitGroup, SplitResult } from '../../../shared/contract/index.js';
import { SPLIT_NONE_KEY, SPLIT_OTHERS_KEY } from '../../../shared/contract/index.js';
import { float4Text } from '../../../shared/domain/metadata.js';
import { SYNTHESE_NOMENCLATURES, splitObservers, type SyntheseNomenclatureField } from '../../../shared/domain/synthese.js';
import {
  deriveName,
  deriveShortName,
  normalizeName,
  periodIndex,
  ROLE,
  SPECIAL_GROUP_LABELS,
  SPLIT_BY_LABELS,
  splitDescription,
  splitNote,
  type Dataset,
  type Lang,
} from '../../../shared/metadata/index.js';
import { AppError } from '../errors.js';
import { quoteId } from '../gpkg/identifiers.js';
import { requireRow } from '../geonature/changes.js';
import { getWsMeta, labelFor, META_TABLE, META_UUID } from '../geonature/ws-meta.js';
import type { JobContext } from '../jobs/context.js';
import { OBS_GEOM, T } from '../workspace/format.js';
import { filterSql, requireColumn, requireTaxref, taxonGroupSql } from './observation-filter.js';
import { deactivateDataset, operationView, writeContext } from './service.js';
import { datasetFromRow, frameworkFromRow } from './workspace-set.js';
import { writeWorkspace } from './workspace-tx.js';
import { datasetValues, diffRow, insertRow, moveObservations, protocolItems, updateRow, type WriteContext } from './workspace-write.js';

type Db = Database.Database;

const CHECK_EVERY = 5000;

/** A group of observations during a split. */
interface Group {
  key: string;
  label: string;
  n: number;
  dmin: string | null;
  dmax: string | null;
  bbox: [number, number, number, number] | null;
  rows: Array<{ fid: number; uuid: string; ds: string | null }>;
  producerUuid: string | null;
}

function newGroup(key: string, label: string): Group {
  return { key, label, n: 0, dmin: null, dmax: null, bbox: null, rows: [], producerUuid: null };
}

function addTo(g: Group, r: { fid: number; u: string; d: string | null; d2: string | null; minx: number | null; maxx: number | null; miny: number | null; maxy: number | null; pu?: string | null }, parent: string, keepRows: boolean): void {
  g.n++;
  if (r.d && (g.dmin === null || r.d < g.dmin)) g.dmin = r.d;
  const end = r.d2 ?? r.d;
  if (end && (g.dmax === null || end > g.dmax)) g.dmax = end;
  if (r.minx !== null && r.maxx !== null && r.miny !== null && r.maxy !== null) {
    g.bbox = g.bbox
      ? [Math.min(g.bbox[0], r.minx), Math.min(g.bbox[1], r.miny), Math.max(g.bbox[2], r.maxx), Math.max(g.bbox[3], r.maxy)]
      : [r.minx, r.miny, r.maxx, r.maxy];
  }
  if (g.producerUuid === null && r.pu) g.producerUuid = r.pu;
  if (keepRows) g.rows.push({ fid: r.fid, uuid: r.u, ds: parent });
}

/** The SQL of the split value of an observation (alias `o`), and how to read it. */
function keySql(db: Db, by: SplitBy): string {
  switch (by.kind) {
    case 'year':
      return 'substr(o.date_min, 1, 4)';
    case 'period':
      return 'substr(o.date_min, 1, 10)';
    case 'observer':
      return 'o.observers';
    case 'taxonGroup':
      requireTaxref(db);
      return taxonGroupSql(by.level);
    case 'protocol':
      return 'o.source_name';
    case 'producer':
      return 'o.producer_name';
    case 'attribute':
      return `CAST(o.${quoteId(requireColumn(db, by.column))} AS TEXT)`;
  }
}

/** A label for an attribute value: a synthese nomenclature's label ("Vu (21)") when the column is one. */
function attributeLabel(db: Db, column: string, value: string): string {
  const field = column.replace(/^cd_nomenclature_/, '') as SyntheseNomenclatureField;
  const type = column.startsWith('cd_nomenclature_') ? SYNTHESE_NOMENCLATURES[field] : undefined;
  const label = type ? labelFor(db, type, value) : null;
  return label ? `${label} (${value})` : `${column} = ${value}`;
}

/** Groups a JDD's observations by the criterion (sorted for display). */
async function computeGroups(db: Db, parent: string, by: SplitBy, lang: Lang, keepRows: boolean, ctx: JobContext | null): Promise<Group[]> {
  const sql = `SELECT o.fid AS fid, o.unique_id_sinp AS u, substr(o.date_min, 1, 10) AS d, substr(coalesce(o.date_max, o.date_min), 1, 10) AS d2, ${keySql(db, by)} AS k,
                      r.minx AS minx, r.maxx AS maxx, r.miny AS miny, r.maxy AS maxy${by.kind === 'producer' ? ', o.producer_uuid AS pu' : ''}
                 FROM ${T.observations} o LEFT JOIN ${quoteId(`rtree_${T.observations}_${OBS_GEOM}`)} r ON r.id = o.fid
                WHERE o.dataset_uuid = ? ORDER BY o.fid`;
  const groups = new Map<string, Group>();
  const none = SPECIAL_GROUP_LABELS.none[lang];
  let i = 0;
  for (const r of db.prepare(sql).iterate(parent) as IterableIterator<{ fid: number; u: string; d: string | null; d2: string | null; k: string | null; minx: number | null; maxx: number | null; miny: number | null; maxy: number | null; pu?: string | null }>) {
    let key: string | null = null;
    let label = '';
    const raw = typeof r.k === 'string' ? r.k.trim() : r.k === null || r.k === undefined ? null : String(r.k);
    if (by.kind === 'period') {
      const idx = periodIndex(raw, by.periods);
      const p = by.periods[idx];
      if (p) {
        key = `${p.from}/${p.to}`;
        label = p.label ?? `${p.from} → ${p.to}`;
      }
    } else if (by.kind === 'observer') {
      const names = splitObservers(raw);
      if (names.length) {
        if (by.mode === 'all') {
          key = names.map(normalizeName).sort().join(', ');
          label = names.join(', ');
        } else {
          key = normalizeName(names[0] as string);
          label = names[0] as string;
        }
      }
    } else if (raw) {
      key = raw;
      label = by.kind === 'attribute' ? attributeLabel(db, by.column, raw) : raw;
    }
    const k = key ?? SPLIT_NONE_KEY;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = newGroup(k, key === null ? none : label)));
    addTo(g, r, parent, keepRows);
    if (ctx && ++i % CHECK_EVERY === 0) {
      ctx.progress(i, null, 'grouping observations');
      await ctx.checkpoint();
    }
  }
  const list = [...groups.values()];
  const special = (g: Group) => (g.key === SPLIT_NONE_KEY ? 1 : 0);
  if (by.kind === 'period') {
    const order = (g: Group) => by.periods.findIndex((p) => `${p.from}/${p.to}` === g.key);
    return list.sort((a, b) => special(a) - special(b) || order(a) - order(b));
  }
  if (by.kind === 'year' || by.kind === 'attribute') return list.sort((a, b) => special(a) - special(b) || a.key.localeCompare(b.key, 'fr', { numeric: true }));
  return list.sort((a, b) => special(a) - special(b) || b.n - a.n || a.label.localeCompare(b.label, 'fr'));
}

/** Groups under `min` observations (not asked to stay) put together as SPLIT_OTHERS_KEY. */
function gatherSmall(groups: Group[], min: number, keep: ReadonlySet<string>, lang: Lang): Group[] {
  if (min <= 1) return groups;
  const small = groups.filter((g) => g.n < min && !keep.has(g.key));
  if (small.length < 2) return groups;
  const others = newGroup(SPLIT_OTHERS_KEY, SPECIAL_GROUP_LABELS.others[lang]);
  for (const g of small) {
    others.n += g.n;
    others.rows.push(...g.rows);
    if (g.dmin && (others.dmin === null || g.dmin < others.dmin)) others.dmin = g.dmin;
    if (g.dmax && (others.dmax === null || g.dmax > others.dmax)) others.dmax = g.dmax;
    if (g.bbox) others.bbox = others.bbox ? [Math.min(others.bbox[0], g.bbox[0]), Math.min(others.bbox[1], g.bbox[1]), Math.max(others.bbox[2], g.bbox[2]), Math.max(others.bbox[3], g.bbox[3])] : g.bbox;
  }
  return [...groups.filter((g) => !small.includes(g)), others];
}

/** The new JDD's record: the parent's metadata, what the group says, a fresh identity. */
function groupRecord(db: Db, parent: Dataset, by: SplitBy, g: Group, uuid: string, name: string, shortName: string, byLabel: string, lang: Lang, date: string): Dataset {
  const real = g.key !== SPLIT_NONE_KEY && g.key !== SPLIT_OTHERS_KEY;
  const note = splitNote({ parent: parent.name || parent.uuid, by: byLabel, label: g.label, observations: g.n, dateMin: g.dmin, dateMax: g.dmax, date, lang });
  let protocols = parent.protocols;
  if (by.kind === 'protocol' && real) {
    // The parent's protocol of that name, else one of the workspace (same UUID), else a new one.
    const own = parent.protocols.find((p) => p.name.trim().toLowerCase() === g.label.trim().toLowerCase());
    const found = protocolItems(db, [{ uuid: null, name: g.label, description: null, url: null, type: null }])[0];
    protocols = [own ?? { uuid: found?.uuid ?? null, name: g.label, description: found?.description ?? null, url: found?.url ?? null, type: found?.type ?? null }];
  }
  let actors = parent.actors;
  if (by.kind === 'producer' && real) {
    actors = [...parent.actors.filter((a) => a.role !== ROLE.PRODUCER), { role: ROLE.PRODUCER, person: null, email: null, organism: g.label, organismUuid: g.producerUuid }];
  }
  const keywords = by.kind === 'taxonGroup' && real && !parent.keywords.some((k) => k.toLowerCase() === g.label.toLowerCase()) ? [...parent.keywords, g.label] : parent.keywords;
  return {
    ...parent,
    uuid,
    name,
    shortName,
    description: splitDescription(parent.description, note),
    keywords,
    protocols,
    actors,
    bbox: g.bbox ? { west: Number(float4Text(g.bbox[0])), south: Number(float4Text(g.bbox[1])), east: Number(float4Text(g.bbox[2])), north: Number(float4Text(g.bbox[3])) } : parent.bbox,
    metadataCreated: null,
    metadataRevised: null,
    additionalAttributes: [],
  };
}

function byText(by: SplitBy, lang: Lang): string {
  const base = SPLIT_BY_LABELS[by.kind]?.[lang] ?? by.kind;
  if (by.kind === 'attribute') return `${base} ${by.column}`;
  if (by.kind === 'taxonGroup') return `${base} (${by.level})`;
  return base;
}

/** Input of a split (the contract's, defaults applied). */
export interface SplitInput {
  readonly workspace: string;
  readonly dataset: string;
  readonly by: SplitBy;
  readonly minObservations: number;
  readonly keepInParent: readonly string[];
  readonly names: Readonly<Record<string, { name?: string | undefined; shortName?: string | undefined }>>;
  readonly deactivateParent: boolean;
  readonly expect?: Readonly<Record<string, number>> | undefined;
  readonly dryRun: boolean;
  readonly lang: Lang;
  readonly actor: string;
}

/** `metadata.split`: preview or apply. */
export async function splitDataset(input: SplitInput, ctx: JobContext): Promise<SplitResult> {
  return writeWorkspace(input.workspace, input.dryRun, async (db) => {
    const w = writeContext(db, input.actor, 'split');
    const parentRow = requireRow(db, 'dataset', input.dataset);
    const parent = datasetFromRow(parentRow);
    ctx.progress(0, null, 'grouping observations');
    const keep = new Set(input.keepInParent);
    const groups = gatherSmall(await computeGroups(db, parent.uuid, input.by, input.lang, true, ctx), input.minObservations, keep, input.lang);
    if (input.expect) {
      const now = Object.fromEntries(groups.map((g) => [g.key, g.n]));
      const same = Object.keys(now).length === Object.keys(input.expect).length && Object.entries(now).every(([k, n]) => input.expect?.[k] === n);
      if (!same) {
        throw new AppError('CONFLICT', `The observations of « ${parent.name} » changed since the preview: preview the split again`, {
          key: 'errors.METADATA_PREVIEW_STALE',
          params: { name: parent.name },
        });
      }
    }
    const taken = new Set((db.prepare(`SELECT lower(dataset_shortname) AS s FROM ${T.datasets} WHERE dataset_shortname IS NOT NULL`).all() as Array<{ s: string }>).map((r) => r.s));
    const byLabel = byText(input.by, input.lang);
    const date = new Date().toISOString().slice(0, 10);
    const out: SplitGroup[] = [];
    let moved = 0;
    let created = 0;
    let done = 0;
    const total = groups.reduce((n, g) => n + (keep.has(g.key) ? 0 : g.n), 0);
    for (const g of groups) {
      const stays = keep.has(g.key);
      const names = input.names[g.key] ?? {};
      const name = stays ? parent.name : (names.name ?? deriveName(parent.name || parent.uuid, g.label));
      const shortName = stays ? parent.shortName : (names.shortName ?? deriveShortName(parent.shortName || 'jdd', g.label, taken));
      let uuid: string | null = null;
      if (!stays && g.n > 0) {
        uuid = randomUUID();
        const record = groupRecord(db, parent, input.by, g, uuid, name, shortName, byLabel, input.lang, date);
        insertRow(w, 'dataset', uuid, datasetValues(w, record, parentRow));
        created++;
        moved += moveObservations(w, uuid, g.rows);
        done += g.n;
        ctx.progress(done, total, `JDD « ${name} »`);
        await ctx.checkpoint();
      }
      const b = g.bbox;
      out.push({
        key: g.key,
        label: g.label,
        observations: g.n,
        dateMin: g.dmin,
        dateMax: g.dmax,
        bbox: b ? { west: b[0], south: b[1], east: b[2], north: b[3] } : null,
        stays,
        name,
        shortName,
        uuid: input.dryRun ? null : uuid,
      });
    }
    const remaining = parentRowCount(db, parent.uuid);
    const deactivated = input.deactivateParent && remaining === 0 ? deactivateDataset(w, parent.uuid) : false;
    const op = !input.dryRun && created ? w.op.finish(`Split « ${parent.name} » ${byLabel} into ${created} JDD (${moved} observations)`, { dataset: parent.uuid, by: input.by, created: out.filter((g) => g.uuid).map((g) => ({ uuid: g.uuid, key: g.key, name: g.name, observations: g.observations })) }, ctx.jobId) : null;
    return {
      workspace: input.workspace,
      dryRun: input.dryRun,
      parent: { uuid: parent.uuid, name: parent.name, observations: parentObservations(groups), remaining, deactivated },
      by: byLabel,
      groups: out,
      moved,
      created,
      operation: op ? operationView(op) : null,
    };
  });
}

const parentObservations = (groups: readonly Group[]) => groups.reduce((n, g) => n + g.n, 0);

function parentRowCount(db: Db, uuid: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${T.observations} WHERE dataset_uuid = ?`).get(uuid) as { n: number }).n;
}

function observationRows(db: Db, dataset: string): Array<{ fid: number; uuid: string; ds: string | null }> {
  return db.prepare(`SELECT fid, unique_id_sinp AS uuid, dataset_uuid AS ds FROM ${T.observations} WHERE dataset_uuid = ?`).all(dataset) as Array<{ fid: number; uuid: string; ds: string | null }>;
}

/** Discards the pending journal entries of a JDD made here that is deleted (its creation and edits; never moves). */
function discardEntries(w: WriteContext, uuid: string): void {
  const ids = (w.db.prepare(`SELECT id FROM ${T.journal} WHERE uuid = ? AND state = 'pending' AND kind IN ('create_dataset', 'edit') AND entity = 'dataset'`).all(uuid) as Array<{ id: number }>).map((r) => r.id);
  w.op.touchJournal(ids);
  const discard = w.db.prepare(`UPDATE ${T.journal} SET state = 'discarded' WHERE id = ?`);
  for (const id of ids) discard.run(id);
}

/** Input of a merge. */
export interface MergeInput {
  readonly workspace: string;
  readonly into: string;
  readonly datasets: readonly string[];
  readonly deactivate: boolean;
  readonly dryRun: boolean;
  readonly actor: string;
}

/** `metadata.merge`: the observations of `datasets` go to `into`. */
export async function mergeDatasets(input: MergeInput, ctx: JobContext): Promise<MergeResult> {
  return writeWorkspace(input.workspace, input.dryRun, async (db) => {
    const w = writeContext(db, input.actor, 'merge');
    const target = requireRow(db, 'dataset', input.into);
    const sources = [...new Set(input.datasets.map((u) => u.toLowerCase()))].filter((u) => u !== target.uuid).map((u) => requireRow(db, 'dataset', u));
    if (!sources.length) {
      throw new AppError('INVALID_INPUT', 'Give at least one JDD other than the target to merge into it', { key: 'errors.METADATA_MERGE_NOTHING' });
    }
    const before = parentRowCount(db, target.uuid);
    const out: MergeResult['sources'] = [];
    let moved = 0;
    for (const s of sources) {
      const rows = observationRows(db, s.uuid);
      moved += moveObservations(w, target.uuid, rows);
      let action: 'deleted' | 'deactivated' | 'kept' = 'kept';
      if (s.status === 'created') {
        // Made here, never on the server: it goes (push has nothing to delete).
        w.op.touch('dataset', s.uuid);
        db.prepare(`DELETE FROM ${META_TABLE.dataset} WHERE ${META_UUID.dataset} = ?`).run(s.uuid);
        discardEntries(w, s.uuid);
        action = 'deleted';
      } else if (input.deactivate) {
        // On the server: other modules may refer to it (Occtax…), so it is deactivated, not deleted.
        deactivateDataset(w, s.uuid);
        action = 'deactivated';
      }
      out.push({ uuid: s.uuid, name: String(s.values.dataset_name ?? s.uuid), observations: rows.length, status: s.status, action });
      await ctx.checkpoint();
    }
    const name = String(target.values.dataset_name ?? target.uuid);
    const op = input.dryRun ? null : w.op.finish(`Merge ${sources.length} JDD into « ${name} » (${moved} observations)`, { into: target.uuid, sources: out }, ctx.jobId);
    return {
      workspace: input.workspace,
      dryRun: input.dryRun,
      target: { uuid: target.uuid, name, observationsBefore: before, observationsAfter: parentRowCount(db, target.uuid) },
      sources: out,
      moved,
      operation: op ? operationView(op) : null,
    };
  });
}

/** `metadata.move`: JDD to another CA. */
export async function moveDatasets(input: { workspace: string; datasets: readonly string[]; framework: string; dryRun: boolean; actor: string }): Promise<MoveResult> {
  return writeWorkspace(input.workspace, input.dryRun, (db) => {
    const w = writeContext(db, input.actor, 'move');
    const fw = requireRow(db, 'framework', input.framework);
    const ca = frameworkFromRow(fw);
    if (ca.isMetaFramework) {
      throw new AppError('INVALID_INPUT', `« ${ca.name} » is a méta-cadre: JDD belong to the CA under it`, { key: 'errors.METADATA_META_FRAMEWORK', params: { name: ca.name } });
    }
    const names = new Map<string, string>();
    const out: MoveResult['datasets'] = [];
    for (const uuid of [...new Set(input.datasets.map((u) => u.toLowerCase()))]) {
      const row = requireRow(db, 'dataset', uuid);
      const from = typeof row.values.acquisition_framework === 'string' ? row.values.acquisition_framework : null;
      if (from && !names.has(from)) names.set(from, String(getWsMeta(db, 'framework', from)?.values.acquisition_framework_name ?? from));
      const next = { values: { ...row.values, acquisition_framework: fw.uuid }, lists: row.lists, additional: (row.raw.additional_json as string | null | undefined) ?? null };
      if (diffRow('dataset', row, next).fields.length) updateRow(w, 'dataset', row, next);
      out.push({ uuid, name: String(row.values.dataset_name ?? uuid), from, fromName: from ? (names.get(from) ?? null) : null, observations: parentRowCount(db, uuid) });
    }
    const moved = out.filter((d) => d.from !== fw.uuid).length;
    const op = !input.dryRun && moved ? w.op.finish(`Move ${moved} JDD to the CA « ${ca.name} »`, { framework: fw.uuid, datasets: out.map((d) => ({ uuid: d.uuid, from: d.from })) }) : null;
    return { workspace: input.workspace, dryRun: input.dryRun, framework: { uuid: fw.uuid, name: ca.name }, datasets: out, operation: op ? operationView(op) : null };
  });
}

/** `metadata.reassign`: the observations a filter matches go to a JDD. */
export async function reassignByFilter(input: { workspace: string; filter: ObservationFilter; to: string; dryRun: boolean; actor: string }, ctx: JobContext): Promise<ReassignResult> {
  return writeWorkspace(input.workspace, input.dryRun, async (db) => {
    const w = writeContext(db, input.actor, 'reassign');
    const target = requireRow(db, 'dataset', input.to);
    const { where, params } = filterSql(db, input.filter);
    ctx.progress(0, null, 'matching observations');
    const rows = db.prepare(`SELECT o.fid AS fid, o.unique_id_sinp AS uuid, o.dataset_uuid AS ds FROM ${T.observations} o WHERE ${where}`).all(...params) as Array<{ fid: number; uuid: string; ds: string | null }>;
    await ctx.checkpoint();
    const byFrom = new Map<string | null, number>();
    for (const r of rows) if (r.ds !== target.uuid) byFrom.set(r.ds, (byFrom.get(r.ds) ?? 0) + 1);
    const name = (u: string | null) => (u ? (db.prepare(`SELECT dataset_name AS n FROM ${T.datasets} WHERE unique_dataset_id = ?`).get(u) as { n: string } | undefined)?.n ?? null : null);
    const moving = moveObservations(w, target.uuid, rows);
    const targetName = String(target.values.dataset_name ?? target.uuid);
    const op = !input.dryRun && moving ? w.op.finish(`Move ${moving} observations to « ${targetName} »`, { to: target.uuid, filter: input.filter, moved: moving }, ctx.jobId) : null;
    return {
      workspace: input.workspace,
      dryRun: input.dryRun,
      to: { uuid: target.uuid, name: targetName },
      matched: rows.length,
      moving,
      from: [...byFrom].map(([uuid, observations]) => ({ uuid, name: name(uuid), observations })).sort((a, b) => b.observations - a.observations),
      operation: op ? operationView(op) : null,
    };
  });
}
