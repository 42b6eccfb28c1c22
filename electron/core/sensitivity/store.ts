import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type {
  SensitivityLineError,
  SensitivityLoadReport,
  SensitivityOverrideFilter,
  SensitivityOverrideView,
  SensitivityReferentialInfo,
  SensitivityRuleView,
} from '../../../shared/contract/index.js';
import {
  MIN_JUSTIFICATION_LENGTH,
  rulesFromGeoNature,
  type AreaRef,
  type GeoNatureRuleAreaRow,
  type GeoNatureRuleCriterionRow,
  type GeoNatureRuleRow,
  type SensitivityLevel,
  type SensitivityOverride,
  type SensitivityRule,
  type TaxonRow,
} from '../../../shared/sensitivity/index.js';
import { AppError } from '../errors.js';
import { hasTable } from '../workspace/migrations.js';
import { appendAudit, T } from '../workspace/format.js';
import type { ParsedSensitivityFile } from './files.js';
import { SENS } from './schema.js';

type Db = Database.Database;

/**
 * The sensitivity domain's rows in a workspace (format 5, schema.ts): referentials and their
 * rules, local rules, loaded taxonomies, overrides. Every write is a function of an open write
 * connection, called inside the caller's transaction, and appends to the audit log.
 */

/** Where a rule comes from, as the contract shows it. */
export type RuleOrigin = SensitivityRuleView['origin'];

/** A rule with its origin. */
export interface StoredRule {
  readonly rule: SensitivityRule;
  readonly origin: RuleOrigin;
  readonly active: boolean;
}

interface ReferentialRow {
  id: number;
  kind: 'referential' | 'local' | 'taxonomy';
  name: string;
  version: string | null;
  layout: string;
  file: string | null;
  file_sha256: string | null;
  encoding: string | null;
  delimiter: string | null;
  loaded_at: string;
  loaded_by: string;
  data_lines: number;
  item_count: number;
  error_count: number;
  errors_json: string | null;
  ignored_columns_json: string | null;
}

function info(r: ReferentialRow): SensitivityReferentialInfo {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    version: r.version,
    layout: r.layout,
    file: r.file,
    sha256: r.file_sha256,
    encoding: r.encoding,
    delimiter: r.delimiter,
    loadedAt: r.loaded_at,
    loadedBy: r.loaded_by,
    dataLines: r.data_lines,
    items: r.item_count,
    errorCount: r.error_count,
  };
}

/** Every referential, local rule set and taxonomy of the workspace, in load order. */
export function listReferentials(db: Db): SensitivityReferentialInfo[] {
  if (!hasTable(db, SENS.referentials)) return [];
  return (db.prepare(`SELECT * FROM ${SENS.referentials} ORDER BY id`).all() as ReferentialRow[]).map(info);
}

/** One referential, or NOT_FOUND. */
export function getReferential(db: Db, id: number): SensitivityReferentialInfo {
  const r = hasTable(db, SENS.referentials) ? (db.prepare(`SELECT * FROM ${SENS.referentials} WHERE id = ?`).get(id) as ReferentialRow | undefined) : undefined;
  if (!r) throw new AppError('NOT_FOUND', `No sensitivity referential ${id} in this workspace`, { key: 'errors.SENSITIVITY_UNKNOWN_REFERENTIAL', params: { id } });
  return info(r);
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

function insertRules(db: Db, referentialId: number, rules: readonly SensitivityRule[]): void {
  const taken = db.prepare(`SELECT r.name, r.version FROM ${SENS.rules} x JOIN ${SENS.referentials} r ON r.id = x.referential_id WHERE x.rule_id = ?`);
  const ins = db.prepare(
    `INSERT INTO ${SENS.rules} (referential_id, rule_id, cd_nom, nom_cite, level, duration_years, territory_json, period_start, period_end, bio_status_json, behaviour_json, local, source_line, comment)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of rules) {
    const other = taken.get(r.id) as { name: string; version: string | null } | undefined;
    if (other) {
      const referential = other.version ? `${other.name} v${other.version}` : other.name;
      throw new AppError('CONFLICT', `A sensitivity rule ${r.id} already exists in this workspace (${referential})`, { key: 'errors.SENSITIVITY_RULE_ID_TAKEN', params: { id: r.id, referential } });
    }
    ins.run(
      referentialId,
      r.id,
      r.cdNom,
      r.nomCite,
      r.level,
      r.durationYears,
      json(r.territory),
      r.period?.start ?? null,
      r.period?.end ?? null,
      json(r.bioStatus),
      json(r.behaviour),
      r.local ? 1 : 0,
      r.source.line ?? null,
      r.comment,
    );
  }
}

function deleteReferentialRows(db: Db, id: number): void {
  db.prepare(`DELETE FROM ${SENS.rules} WHERE referential_id = ?`).run(id);
  db.prepare(`DELETE FROM ${SENS.taxa} WHERE referential_id = ?`).run(id);
  db.prepare(`DELETE FROM ${SENS.referentials} WHERE id = ?`).run(id);
}

/**
 * Stores a file read by `readSensitivityFile`: a referential of the same kind, name and
 * version is replaced (its rules or taxa with it). Audit: `sensitivity.load`.
 */
export function storeSensitivityFile(db: Db, parsed: ParsedSensitivityFile, actor: string): Omit<SensitivityLoadReport, 'workspace'> {
  const now = new Date().toISOString();
  let row: Omit<ReferentialRow, 'id'>;
  let errors: SensitivityLineError[];
  let ignored: string[] = [];
  if (parsed.kind === 'referential') {
    const p = parsed.loaded.provenance;
    errors = parsed.loaded.errors.map((e) => ({ line: e.line, code: e.code, message: e.message }));
    ignored = parsed.loaded.ignoredColumns;
    row = {
      kind: 'referential',
      name: p.name,
      version: p.version,
      layout: p.layout,
      file: p.file,
      file_sha256: p.sha256,
      encoding: p.encoding,
      delimiter: p.delimiter,
      loaded_at: now,
      loaded_by: actor,
      data_lines: parsed.loaded.dataLines,
      item_count: parsed.loaded.rules.length,
      error_count: errors.length,
      errors_json: JSON.stringify(errors),
      ignored_columns_json: JSON.stringify(ignored),
    };
  } else if (parsed.kind === 'local') {
    errors = parsed.errors;
    row = {
      kind: 'local',
      name: parsed.name,
      version: parsed.version,
      layout: 'local-json',
      file: parsed.file,
      file_sha256: parsed.sha256,
      encoding: 'utf-8',
      delimiter: null,
      loaded_at: now,
      loaded_by: actor,
      data_lines: parsed.dataLines,
      item_count: parsed.rules.length,
      error_count: errors.length,
      errors_json: JSON.stringify(errors),
      ignored_columns_json: null,
    };
  } else {
    errors = parsed.errors;
    ignored = parsed.ignoredColumns;
    row = {
      kind: 'taxonomy',
      name: parsed.name,
      version: parsed.version,
      layout: 'taxonomy-csv',
      file: parsed.file,
      file_sha256: parsed.sha256,
      encoding: parsed.encoding,
      delimiter: parsed.delimiter,
      loaded_at: now,
      loaded_by: actor,
      data_lines: parsed.dataLines,
      item_count: parsed.rows.length,
      error_count: errors.length,
      errors_json: JSON.stringify(errors),
      ignored_columns_json: JSON.stringify(ignored),
    };
  }
  const previous = db.prepare(`SELECT * FROM ${SENS.referentials} WHERE kind = ? AND name = ? AND coalesce(version, '') = coalesce(?, '')`).get(row.kind, row.name, row.version) as
    | ReferentialRow
    | undefined;
  if (previous) deleteReferentialRows(db, previous.id);
  const id = Number(
    db
      .prepare(
        `INSERT INTO ${SENS.referentials} (kind, name, version, layout, file, file_sha256, encoding, delimiter, loaded_at, loaded_by, data_lines, item_count, error_count, errors_json, ignored_columns_json)
         VALUES (@kind, @name, @version, @layout, @file, @file_sha256, @encoding, @delimiter, @loaded_at, @loaded_by, @data_lines, @item_count, @error_count, @errors_json, @ignored_columns_json)`,
      )
      .run(row).lastInsertRowid,
  );
  if (parsed.kind === 'referential') insertRules(db, id, parsed.loaded.rules);
  else if (parsed.kind === 'local') insertRules(db, id, parsed.rules);
  else {
    const ins = db.prepare(`INSERT INTO ${SENS.taxa} (referential_id, cd_nom, cd_ref, cd_taxsup, rank, lb_nom, nom_vern) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    for (const t of parsed.rows) ins.run(id, t.cdNom, t.cdRef ?? null, t.cdTaxsup ?? null, t.rank ?? null, t.name ?? null, parsed.vernacular.get(t.cdNom) ?? null);
  }
  const stored = getReferential(db, id);
  appendAudit(db, {
    actor,
    action: 'sensitivity.load',
    entity: 'sensitivity_referential',
    entityId: String(id),
    before: previous ? info(previous) : undefined,
    after: { ...stored, errors: errors.length },
  });
  return { referential: stored, replaced: previous !== undefined, errors, ignoredColumns: ignored };
}

/** Removes a referential and its rules or taxa. Audit: `sensitivity.removeReferential`. */
export function removeReferential(db: Db, id: number, actor: string): SensitivityReferentialInfo {
  const r = getReferential(db, id);
  deleteReferentialRows(db, id);
  appendAudit(db, { actor, action: 'sensitivity.removeReferential', entity: 'sensitivity_referential', entityId: String(id), before: r });
  return r;
}

interface RuleRow {
  referential_id: number;
  rule_id: string;
  cd_nom: number;
  nom_cite: string | null;
  level: number;
  duration_years: number | null;
  territory_json: string | null;
  period_start: string | null;
  period_end: string | null;
  bio_status_json: string | null;
  behaviour_json: string | null;
  local: number;
  source_line: number | null;
  comment: string | null;
  kind: 'referential' | 'local';
  name: string;
  version: string | null;
  layout: string;
}

function ruleOf(r: RuleRow): StoredRule {
  const format = r.kind === 'local' ? 'local' : (r.layout as 'v13' | 'v18');
  const rule: SensitivityRule = {
    id: r.rule_id,
    cdNom: r.cd_nom,
    nomCite: r.nom_cite,
    level: r.level as SensitivityLevel,
    durationYears: r.duration_years,
    territory: r.territory_json ? (JSON.parse(r.territory_json) as AreaRef[]) : null,
    period: r.period_start !== null && r.period_end !== null ? { start: r.period_start, end: r.period_end } : null,
    bioStatus: r.bio_status_json ? (JSON.parse(r.bio_status_json) as string[]) : null,
    behaviour: r.behaviour_json ? (JSON.parse(r.behaviour_json) as string[]) : null,
    local: r.local === 1,
    source: { name: r.name, version: r.version, format, ...(r.source_line !== null ? { line: r.source_line } : {}) },
    comment: r.comment,
  };
  return {
    rule,
    origin: { kind: r.kind, referentialId: r.referential_id, name: r.name, version: r.version, format, line: r.source_line },
    active: true,
  };
}

/** The rules of the loaded referentials (`referential`) or local rule sets (`local`), optionally of some referentials only. */
export function storedRules(db: Db, kind: 'referential' | 'local', referentialIds?: readonly number[] | null): StoredRule[] {
  if (!hasTable(db, SENS.rules)) return [];
  const only = referentialIds && referentialIds.length > 0 ? `AND x.referential_id IN (SELECT value FROM json_each(?))` : '';
  const rows = db
    .prepare(
      `SELECT x.*, r.kind, r.name, r.version, r.layout FROM ${SENS.rules} x JOIN ${SENS.referentials} r ON r.id = x.referential_id
        WHERE r.kind = ? ${only} ORDER BY x.referential_id, x.id`,
    )
    .all(kind, ...(only ? [JSON.stringify(referentialIds)] : [])) as RuleRow[];
  return rows.map(ruleOf);
}

/** What the pulled gn_sensitivity rules give (format 2 tables): rules, inactive ones, problems. */
export interface PulledRules {
  readonly rules: StoredRule[];
  /** Every pulled row, active or not (for the rules list). */
  readonly all: StoredRule[];
  readonly inactive: number;
  readonly errors: { idSensitivity: number; problems: string[] }[];
}

/** The rules a GeoNature pull brought, read with `rulesFromGeoNature`; null when the workspace was never pulled. */
export function pulledRules(db: Db): PulledRules | null {
  if (!hasTable(db, T.sensitivityRules)) return null;
  const rows = db
    .prepare(
      `SELECT id_sensitivity, cd_nom, nom_cite, cd_nomenclature_sensitivity, sensitivity_duration, sensitivity_territory, id_territory, date_min, date_max, source, active, comments FROM ${T.sensitivityRules} ORDER BY id_sensitivity`,
    )
    .all() as GeoNatureRuleRow[];
  const areas = db.prepare(`SELECT id_sensitivity, type_code, area_code FROM ${T.sensitivityRuleAreas} ORDER BY id`).all() as GeoNatureRuleAreaRow[];
  const criteria = db.prepare(`SELECT id_sensitivity, type_mnemonique, cd_nomenclature FROM ${T.sensitivityRuleCriteria} ORDER BY id`).all() as GeoNatureRuleCriterionRow[];
  const origin = (r: SensitivityRule): RuleOrigin => ({ kind: 'pulled', referentialId: null, name: r.source.name, version: r.source.version, format: 'geonature', line: null });
  const active = rulesFromGeoNature(rows, areas, criteria);
  // The inactive rows too, for the list (never used by a check).
  const all = rulesFromGeoNature(
    rows.map((r) => ({ ...r, active: true })),
    areas,
    criteria,
  );
  const activeIds = new Set(active.rules.map((r) => r.id));
  return {
    rules: active.rules.map((rule) => ({ rule, origin: origin(rule), active: true })),
    all: all.rules.map((rule) => ({ rule, origin: origin(rule), active: activeIds.has(rule.id) })),
    inactive: active.inactive,
    errors: active.errors.map((e) => ({ idSensitivity: e.idSensitivity, problems: e.problems.map((p) => (typeof p === 'string' ? p : p.message)) })),
  };
}

/** A rule as the contract shows it. */
export function ruleView(s: StoredRule): SensitivityRuleView {
  const r = s.rule;
  return {
    id: r.id,
    origin: s.origin,
    cdNom: r.cdNom,
    nomCite: r.nomCite,
    level: r.level,
    durationYears: r.durationYears,
    territory: r.territory ? r.territory.map((a) => ({ type: a.type, code: a.code })) : null,
    period: r.period ? { start: r.period.start, end: r.period.end } : null,
    bioStatus: r.bioStatus ? [...r.bioStatus] : null,
    behaviour: r.behaviour ? [...r.behaviour] : null,
    local: r.local,
    comment: r.comment,
    active: s.active,
  };
}

/** Adds a local rule to the named local rule set (created on first use). Audit: `sensitivity.addLocalRule`. */
export function addLocalRule(db: Db, rule: SensitivityRule, ruleSet: string, actor: string): { rule: StoredRule; referential: SensitivityReferentialInfo } {
  const now = new Date().toISOString();
  let ref = db.prepare(`SELECT * FROM ${SENS.referentials} WHERE kind = 'local' AND name = ? ORDER BY id LIMIT 1`).get(ruleSet) as ReferentialRow | undefined;
  if (!ref) {
    const id = Number(
      db
        .prepare(
          `INSERT INTO ${SENS.referentials} (kind, name, version, layout, file, file_sha256, encoding, delimiter, loaded_at, loaded_by, data_lines, item_count, error_count, errors_json, ignored_columns_json)
           VALUES ('local', ?, NULL, 'local', NULL, NULL, NULL, NULL, ?, ?, 0, 0, 0, NULL, NULL)`,
        )
        .run(ruleSet, now, actor).lastInsertRowid,
    );
    ref = db.prepare(`SELECT * FROM ${SENS.referentials} WHERE id = ?`).get(id) as ReferentialRow;
  }
  const stamped: SensitivityRule = { ...rule, local: true, source: { name: ref.name, version: ref.version, format: 'local' } };
  insertRules(db, ref.id, [stamped]);
  db.prepare(`UPDATE ${SENS.referentials} SET item_count = (SELECT count(*) FROM ${SENS.rules} WHERE referential_id = ?), data_lines = data_lines + 1 WHERE id = ?`).run(ref.id, ref.id);
  const stored = storedRules(db, 'local', [ref.id]).find((s) => s.rule.id === rule.id);
  if (!stored) throw new AppError('INTERNAL', `The local rule ${rule.id} was not stored`);
  appendAudit(db, { actor, action: 'sensitivity.addLocalRule', entity: 'sensitivity_rule', entityId: rule.id, after: ruleView(stored) });
  return { rule: stored, referential: getReferential(db, ref.id) };
}

/** Removes a local rule by id (only local rules: a referential's lines are removed with it). Audit: `sensitivity.removeLocalRule`. */
export function removeLocalRule(db: Db, id: string, actor: string): StoredRule {
  const stored = hasTable(db, SENS.rules) ? storedRules(db, 'local').find((s) => s.rule.id === id) : undefined;
  if (!stored) throw new AppError('NOT_FOUND', `No local sensitivity rule ${id} in this workspace`, { key: 'errors.SENSITIVITY_UNKNOWN_RULE', params: { id } });
  db.prepare(`DELETE FROM ${SENS.rules} WHERE rule_id = ?`).run(id);
  const refId = stored.origin.referentialId as number;
  db.prepare(`UPDATE ${SENS.referentials} SET item_count = (SELECT count(*) FROM ${SENS.rules} WHERE referential_id = ?) WHERE id = ?`).run(refId, refId);
  appendAudit(db, { actor, action: 'sensitivity.removeLocalRule', entity: 'sensitivity_rule', entityId: id, before: ruleView(stored) });
  return stored;
}

/** Taxonomy rows a check reads: the workspace's `taxref` (pulled), then the loaded taxonomies (they win on a shared cd_nom). */
export function taxonomyRows(db: Db): { rows: TaxonRow[]; workspaceTaxa: number; loadedTaxa: number; vernacular: Map<number, string> } {
  const rows: TaxonRow[] = [];
  const vernacular = new Map<number, string>();
  let workspaceTaxa = 0;
  if (hasTable(db, T.taxref)) {
    const ws = db.prepare(`SELECT cd_nom, cd_ref, coalesce(cd_taxsup, cd_sup) AS sup, id_rang, lb_nom, nom_vern FROM ${T.taxref}`).raw(true).all() as [number, number | null, number | null, string | null, string | null, string | null][];
    for (const [cdNom, cdRef, sup, rank, name, vern] of ws) {
      rows.push({ cdNom: Number(cdNom), cdRef: cdRef === null ? null : Number(cdRef), cdTaxsup: sup === null ? null : Number(sup), rank, name });
      if (vern) vernacular.set(Number(cdNom), vern);
    }
    workspaceTaxa = ws.length;
  }
  let loadedTaxa = 0;
  if (hasTable(db, SENS.taxa)) {
    const loaded = db.prepare(`SELECT cd_nom, cd_ref, cd_taxsup, rank, lb_nom, nom_vern FROM ${SENS.taxa} ORDER BY referential_id, id`).raw(true).all() as [number, number | null, number | null, string | null, string | null, string | null][];
    for (const [cdNom, cdRef, cdTaxsup, rank, name, vern] of loaded) {
      rows.push({ cdNom, cdRef, cdTaxsup, rank, name });
      if (vern) vernacular.set(cdNom, vern);
    }
    loadedTaxa = loaded.length;
  }
  return { rows, workspaceTaxa, loadedTaxa, vernacular };
}

interface OverrideRow {
  override_id: string;
  target_kind: 'observation' | 'filter';
  uuid: string | null;
  filter_json: string | null;
  level: number;
  justification: string;
  author: string;
  at: string;
  revoked_at: string | null;
  revoked_by: string | null;
  revoked_why: string | null;
}

function overrideView(r: OverrideRow): SensitivityOverrideView {
  return {
    id: r.override_id,
    target: r.target_kind === 'observation' ? { kind: 'observation', uuid: r.uuid ?? '' } : { kind: 'filter', filter: JSON.parse(r.filter_json ?? '{}') as SensitivityOverrideFilter },
    level: r.level as SensitivityLevel,
    justification: r.justification,
    author: r.author,
    at: r.at,
    removedAt: r.revoked_at,
    removedBy: r.revoked_by,
    removedWhy: r.revoked_why,
  };
}

/** The overrides of the workspace, oldest first (active only unless `includeRemoved`). */
export function listOverrides(db: Db, includeRemoved = false): SensitivityOverrideView[] {
  if (!hasTable(db, SENS.overrides)) return [];
  return (db.prepare(`SELECT * FROM ${SENS.overrides} ${includeRemoved ? '' : 'WHERE revoked_at IS NULL'} ORDER BY id`).all() as OverrideRow[]).map(overrideView);
}

/** The active overrides as the evaluation reads them. */
export function activeOverrides(db: Db): SensitivityOverride[] {
  return listOverrides(db).map((o) => ({ id: o.id, target: o.target, level: o.level as SensitivityLevel, justification: o.justification, author: o.author, at: o.at }));
}

/**
 * The overrides that were in force at an instant (ISO timestamp): decided on or before it and not
 * revoked by then. For rebuilding an export "as of" a past moment.
 */
export function overridesAsOf(db: Db, at: string): SensitivityOverride[] {
  return listOverrides(db, true)
    .filter((o) => o.at <= at && (o.removedAt === null || o.removedAt > at))
    .map((o) => ({ id: o.id, target: o.target, level: o.level as SensitivityLevel, justification: o.justification, author: o.author, at: o.at }));
}

/** One override (active or removed), or undefined. */
export function findOverride(db: Db, id: string): SensitivityOverrideView | undefined {
  if (!hasTable(db, SENS.overrides)) return undefined;
  const r = db.prepare(`SELECT * FROM ${SENS.overrides} WHERE override_id = ?`).get(id) as OverrideRow | undefined;
  return r ? overrideView(r) : undefined;
}

/**
 * Stores an override (already validated: `validatedOverrides`) and its audit entry
 * (`sensitivity.override` by `actor`, the session's user; the override with its author and
 * justification in `after_json`).
 */
export function insertOverride(db: Db, o: Omit<SensitivityOverride, 'id' | 'at'>, actor: string): SensitivityOverrideView {
  const id = `ov-${randomUUID()}`;
  const at = new Date().toISOString();
  db.prepare(
    `INSERT INTO ${SENS.overrides} (override_id, target_kind, uuid, filter_json, level, justification, author, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, o.target.kind, o.target.kind === 'observation' ? o.target.uuid : null, o.target.kind === 'filter' ? JSON.stringify(o.target.filter) : null, o.level, o.justification.trim(), o.author, at);
  const view = findOverride(db, id) as SensitivityOverrideView;
  appendAudit(db, {
    actor,
    action: 'sensitivity.override',
    entity: o.target.kind === 'observation' ? 'observation' : 'observations',
    entityId: o.target.kind === 'observation' ? o.target.uuid : id,
    after: view,
  });
  return view;
}

/** Marks an override removed, with why (mandatory). Audit: `sensitivity.removeOverride`. */
export function removeOverride(db: Db, id: string, why: string, actor: string): SensitivityOverrideView {
  const before = findOverride(db, id);
  if (!before || before.removedAt !== null) throw new AppError('NOT_FOUND', `No active sensitivity override ${id} in this workspace`, { key: 'errors.SENSITIVITY_UNKNOWN_OVERRIDE', params: { id } });
  if (why.trim().length < MIN_JUSTIFICATION_LENGTH) {
    throw new AppError('INVALID_INPUT', `Removing the sensitivity override ${id} needs a justification of at least ${MIN_JUSTIFICATION_LENGTH} characters`, {
      key: 'errors.SENSITIVITY_OVERRIDE_JUSTIFICATION',
      params: { id, min: MIN_JUSTIFICATION_LENGTH },
      where: id,
    });
  }
  db.prepare(`UPDATE ${SENS.overrides} SET revoked_at = ?, revoked_by = ?, revoked_why = ? WHERE override_id = ?`).run(new Date().toISOString(), actor, why.trim(), id);
  const after = findOverride(db, id) as SensitivityOverrideView;
  appendAudit(db, {
    actor,
    action: 'sensitivity.removeOverride',
    entity: before.target.kind === 'observation' ? 'observation' : 'observations',
    entityId: before.target.kind === 'observation' ? before.target.uuid : id,
    before,
    after,
  });
  return after;
}
