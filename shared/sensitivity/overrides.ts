import type { SensitivityLevel } from './levels.js';
import { areaKey, type AreaRef } from './territory.js';

/**
 * A manual decision on the sensitivity of observations: one observation (by UUID) or all
 * those a filter selects get this level, whatever the rules say, with a justification.
 *
 * The decision replaces the computed SENSIBILITE level (it may raise or lower it); the
 * producer's NIV_PRECIS still applies on top, the coarser winning. Each override is a
 * workspace audit entry (`passerelle_audit`), so who decided what and why stays on record.
 */
export interface SensitivityOverride {
  readonly id: string;
  readonly target: OverrideTarget;
  readonly level: SensitivityLevel;
  /** Why (mandatory, at least {@link MIN_JUSTIFICATION_LENGTH} characters). Never published. */
  readonly justification: string;
  readonly author: string;
  /** When it was decided (ISO 8601); among filters that select the same observation, the latest wins. */
  readonly at: string;
}

/** What an override applies to: one observation by UUID, or every observation a filter selects. */
export type OverrideTarget = { readonly kind: 'observation'; readonly uuid: string } | { readonly kind: 'filter'; readonly filter: OverrideFilter };

/** Observations a filter override selects: every criterion set must hold. */
export interface OverrideFilter {
  /** The observation's cd_nom or its resolved cd_ref is one of these. */
  readonly cdNoms?: readonly number[];
  readonly datasetUuids?: readonly string[];
  /** `date_min` on or after this day (YYYY-MM-DD). */
  readonly dateFrom?: string;
  /** `date_min` on or before this day (YYYY-MM-DD). */
  readonly dateTo?: string;
  /** The observation lies in one of these areas. */
  readonly areas?: readonly AreaRef[];
}

/** Shortest justification accepted: a word or two, not an empty box ticked. */
export const MIN_JUSTIFICATION_LENGTH = 5;

/** Problems with an override (English; `code` is stable for translation). Empty = valid. */
export function checkOverride(o: SensitivityOverride): { code: string; message: string }[] {
  const out: { code: string; message: string }[] = [];
  if (typeof o.justification !== 'string' || o.justification.trim().length < MIN_JUSTIFICATION_LENGTH) {
    out.push({ code: 'justification', message: `an override needs a justification of at least ${MIN_JUSTIFICATION_LENGTH} characters` });
  }
  if (![0, 1, 2, 3, 4].includes(o.level)) out.push({ code: 'level', message: `level ${String(o.level)} is not a SENSIBILITE code 0–4` });
  if (!o.author || o.author.trim() === '') out.push({ code: 'author', message: 'an override needs an author' });
  if (o.target.kind === 'observation' && o.target.uuid.trim() === '') out.push({ code: 'target', message: 'the observation UUID is empty' });
  if (o.target.kind === 'filter') {
    const f = o.target.filter;
    if (!f.cdNoms?.length && !f.datasetUuids?.length && !f.dateFrom && !f.dateTo && !f.areas?.length) {
      out.push({ code: 'filter-empty', message: 'a filter override must select something (taxa, datasets, dates or areas)' });
    }
  }
  return out;
}

/** What an override is matched against. */
export interface OverrideSubject {
  readonly uuid: string | null;
  readonly cdNom: number | null;
  readonly cdRef: number | null;
  readonly datasetUuid: string | null;
  readonly dateMin: string | null;
  /** Keys (`DEP:05`) of the areas the observation lies in; needed only by filters on areas. */
  readonly areaKeys?: ReadonlySet<string> | null;
}

/**
 * Overrides indexed for many lookups: by UUID, then filters latest first.
 *
 * A per-observation override wins over any filter; among filters, the latest (`at`, then
 * list order) wins.
 */
export class OverrideSet {
  private readonly byUuid = new Map<string, SensitivityOverride>();
  private readonly filters: SensitivityOverride[];
  /** True when some filter selects by area (the caller must then locate observations). */
  readonly needsAreas: boolean;

  constructor(overrides: readonly SensitivityOverride[]) {
    const filters: { o: SensitivityOverride; i: number }[] = [];
    overrides.forEach((o, i) => {
      if (o.target.kind === 'observation') {
        const prev = this.byUuid.get(o.target.uuid);
        if (!prev || prev.at <= o.at) this.byUuid.set(o.target.uuid, o);
      } else filters.push({ o, i });
    });
    filters.sort((a, b) => (a.o.at < b.o.at ? 1 : a.o.at > b.o.at ? -1 : b.i - a.i));
    this.filters = filters.map((f) => f.o);
    this.needsAreas = this.filters.some((o) => o.target.kind === 'filter' && (o.target.filter.areas?.length ?? 0) > 0);
  }

  get size(): number {
    return this.byUuid.size + this.filters.length;
  }

  /** True when no filter override exists (then only UUIDs matter: one map lookup per row). */
  get onlyByUuid(): boolean {
    return this.filters.length === 0;
  }

  /** The override that applies to an observation, or null. */
  find(s: OverrideSubject): SensitivityOverride | null {
    if (s.uuid !== null) {
      const o = this.byUuid.get(s.uuid);
      if (o) return o;
    }
    for (const o of this.filters) if (o.target.kind === 'filter' && filterSelects(o.target.filter, s)) return o;
    return null;
  }
}

function filterSelects(f: OverrideFilter, s: OverrideSubject): boolean {
  if (f.cdNoms?.length && !f.cdNoms.some((c) => c === s.cdNom || c === s.cdRef)) return false;
  if (f.datasetUuids?.length && (s.datasetUuid === null || !f.datasetUuids.includes(s.datasetUuid))) return false;
  const day = s.dateMin?.slice(0, 10) ?? null;
  if (f.dateFrom && (day === null || day < f.dateFrom)) return false;
  if (f.dateTo && (day === null || day > f.dateTo)) return false;
  if (f.areas?.length) {
    const keys = s.areaKeys;
    if (!keys || !f.areas.some((a) => keys.has(areaKey(a.type, a.code)))) return false;
  }
  return true;
}
