import type Database from 'better-sqlite3';
import type { SensitivityReferentials, SensitivityReport, SensitivityReportRow, SensitivityRuleView } from '../../../shared/contract/index.js';
import { BLUR_REASONS, type BlurReason } from '../../../shared/sensitivity/index.js';
import { readMeta, T } from '../workspace/format.js';
import { hasTable } from '../workspace/migrations.js';
import { decodeResultCodes, summaryOf } from './operations.js';
import { SENS } from './schema.js';
import { listReferentials, pulledRules, ruleView, storedRules, type StoredRule } from './store.js';

type Db = Database.Database;

/** Quick reads of the sensitivity domain (no job): referentials, rules, the report of the last check. */

/** The referentials, local rule sets and taxonomies of a workspace, and its pulled rules. */
export function sensitivityReferentials(db: Db, workspace: string): SensitivityReferentials {
  const p = pulledRules(db);
  const meta = readMeta(db);
  const count = (table: string) => (hasTable(db, table) ? (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n : 0);
  return {
    workspace,
    referentials: listReferentials(db),
    pulled:
      p && (p.all.length > 0 || meta.get('pull_at'))
        ? { rules: p.rules.length, inactive: p.inactive, errors: p.errors, server: meta.get('pull_server') ?? null, pulledAt: meta.get('pull_at') ?? null }
        : null,
    taxonomy: { workspaceTaxa: count(T.taxref), loadedTaxa: count(SENS.taxa) },
  };
}

/** Every rule of the workspace of a source (pulled ones with their active flag). */
function allRules(db: Db, source: 'all' | 'pulled' | 'files' | 'local'): StoredRule[] {
  const out: StoredRule[] = [];
  if (source === 'all' || source === 'pulled') out.push(...(pulledRules(db)?.all ?? []));
  if (source === 'all' || source === 'files') out.push(...storedRules(db, 'referential'));
  if (source === 'all' || source === 'local') out.push(...storedRules(db, 'local'));
  return out;
}

/** A page of rules. */
export function sensitivityRules(
  db: Db,
  q: { source: 'all' | 'pulled' | 'files' | 'local'; referentialId?: number | undefined; cdNom?: number | undefined; offset: number; limit: number },
): { total: number; rules: SensitivityRuleView[] } {
  const rules = allRules(db, q.source).filter((s) => (q.referentialId === undefined || s.origin.referentialId === q.referentialId) && (q.cdNom === undefined || s.rule.cdNom === q.cdNom));
  return { total: rules.length, rules: rules.slice(q.offset, q.offset + q.limit).map(ruleView) };
}

interface ResultRow {
  fid: number;
  uuid: string | null;
  cd_nom: number | null;
  nom_cite: string | null;
  date_min: string | null;
  date_max: string | null;
  dataset_uuid: string | null;
  resolution: number;
  computed_level: number;
  sensitivity_level: number | null;
  blur_level: number;
  requested_level: number;
  reason: number;
  rule_id: string | null;
  matching_rule_ids: string | null;
  precautions: number;
  override_id: string | null;
  area_type: string | null;
  area_codes: string | null;
  dwc_data_generalizations: string | null;
  dwc_information_withheld: string | null;
  dwc_coordinate_uncertainty_m: number | null;
  /** Absent from a results table made before propagation existed (until the next check). */
  propagated_from?: string | null;
}

/**
 * The last check's summary and a page of its observations, most degraded first, each with the
 * rule that decided it, its published areas (with names) and Darwin Core terms.
 */
export function sensitivityReport(
  db: Db,
  workspace: string,
  q: {
    level?: number | undefined;
    blurLevel?: number | undefined;
    reason?: BlurReason | undefined;
    cdNom?: number | undefined;
    datasetUuid?: string | undefined;
    sensitiveOnly: boolean;
    offset: number;
    limit: number;
  },
): SensitivityReport {
  const check = summaryOf(db);
  if (!check) return { workspace, check: null, total: 0, observations: [] };
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.sensitiveOnly) where.push('(r.sensitivity_level IS NULL OR r.sensitivity_level > 0 OR r.blur_level > 0)');
  if (q.level !== undefined) {
    where.push('r.sensitivity_level = ?');
    params.push(q.level);
  }
  if (q.blurLevel !== undefined) {
    where.push('r.blur_level = ?');
    params.push(q.blurLevel);
  }
  if (q.reason !== undefined) {
    where.push('r.reason = ?');
    params.push(BLUR_REASONS.indexOf(q.reason));
  }
  if (q.cdNom !== undefined) {
    where.push('o.cd_nom = ?');
    params.push(q.cdNom);
  }
  if (q.datasetUuid !== undefined) {
    where.push('o.dataset_uuid = ?');
    params.push(q.datasetUuid);
  }
  const from = `FROM ${SENS.results} r JOIN ${T.observations} o ON o.fid = r.observation_fid ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  const total = (db.prepare(`SELECT count(*) AS n ${from}`).get(...params) as { n: number }).n;
  const rows = db
    .prepare(
      `SELECT r.observation_fid AS fid, o.unique_id_sinp AS uuid, o.cd_nom, o.nom_cite, o.date_min, o.date_max, o.dataset_uuid, r.* ${from}
        ORDER BY r.blur_level DESC, coalesce(r.sensitivity_level, 5) DESC, r.observation_fid LIMIT ? OFFSET ?`,
    )
    .all(...params, q.limit, q.offset) as ResultRow[];

  // The rules of this page (stored ones by id; pulled ones are few: the park's taxa).
  const ids = [...new Set(rows.map((r) => r.rule_id).filter((x): x is string => x !== null))];
  const rules = new Map<string, StoredRule>();
  if (ids.some((id) => id.startsWith('geonature:'))) for (const s of pulledRules(db)?.all ?? []) rules.set(s.rule.id, s);
  if (ids.length > 0) for (const s of [...storedRules(db, 'referential'), ...storedRules(db, 'local')]) if (ids.includes(s.rule.id)) rules.set(s.rule.id, s);
  // Names of the published communes and départements.
  const nameOf = db.prepare(`SELECT area_name FROM ${T.areas} WHERE type_code = ? AND area_code = ?`).pluck();
  const names = new Map<string, string | null>();
  const areaName = (type: string, code: string): string | null => {
    const k = `${type}:${code}`;
    if (!names.has(k)) names.set(k, type === 'M10' ? null : ((nameOf.get(type, code) as string | undefined) ?? null));
    return names.get(k) ?? null;
  };

  const observations: SensitivityReportRow[] = rows.map((r) => {
    const codes = decodeResultCodes(r.resolution, r.precautions);
    const s = r.rule_id ? rules.get(r.rule_id) : undefined;
    return {
      fid: r.fid,
      uuid: r.uuid,
      cdNom: r.cd_nom,
      nomCite: r.nom_cite,
      dateMin: r.date_min,
      dateMax: r.date_max,
      datasetUuid: r.dataset_uuid,
      resolution: codes.resolution,
      computedLevel: r.computed_level,
      sensitivityLevel: r.sensitivity_level,
      blurLevel: r.blur_level,
      requestedLevel: r.requested_level,
      reason: BLUR_REASONS[r.reason] ?? 'none',
      rule: s
        ? { id: s.rule.id, level: s.rule.level, cdNom: s.rule.cdNom, nomCite: s.rule.nomCite, local: s.rule.local, comment: s.rule.comment, origin: s.origin }
        : r.rule_id
          ? { id: r.rule_id, level: r.computed_level, cdNom: r.cd_nom ?? 0, nomCite: null, local: false, comment: null, origin: { kind: 'referential', referentialId: null, name: '(removed since the check)', version: null, format: 'unknown', line: null } }
          : null,
      matchingRuleIds: r.matching_rule_ids ? (JSON.parse(r.matching_rule_ids) as string[]) : [],
      precautions: codes.precautions,
      overrideId: r.override_id,
      propagatedFrom: r.propagated_from ?? null,
      areaType: r.area_type,
      areas: r.area_codes && r.area_type ? r.area_codes.split(',').map((code) => ({ code, name: areaName(r.area_type as string, code) })) : [],
      dwc: {
        dataGeneralizations: r.dwc_data_generalizations,
        informationWithheld: r.dwc_information_withheld,
        coordinateUncertaintyInMeters: r.dwc_coordinate_uncertainty_m,
      },
    };
  });
  return { workspace, check, total, observations };
}
