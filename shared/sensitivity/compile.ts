import { parseMonthDay, windowTouchesPeriod, type ObservationWindow } from './calendar.js';
import { checkRule, type RuleProblem, type SensitivityRule } from './rule.js';
import type { TaxonomyIndex } from './taxonomy.js';
import { PARTITION_TYPES, areaKey } from './territory.js';

/**
 * A referential ready to evaluate observations fast: its rules expanded to every valid
 * taxon they cover and stored as flat typed arrays.
 *
 * Built once per check with {@link compileReferential}. Evaluating an observation is then
 * one map lookup (its cd_ref) and a scan of that taxon's few rules, sorted so that the first
 * rule that matches decides: no allocation per observation, which is what makes a million
 * rows take seconds.
 */
export interface CompiledReferential {
  /** The rules that compiled, by rule index (the index every other array uses). */
  readonly rules: readonly SensitivityRule[];
  readonly taxonomy: TaxonomyIndex;
  /** Rules of each valid taxon (cd_ref), best first: level descending, local rules first, then file order. */
  readonly byTaxon: ReadonlyMap<number, TaxonEntry>;
  /** The same as a flat index by cd_ref (1-based into `entries`, 0 = none) when cd_refs are small enough (see {@link taxonEntry}). */
  readonly byTaxonDense: Int32Array | null;
  readonly entries: readonly TaxonEntry[];
  readonly level: Uint8Array;
  /** Duration in years, -1 for none. */
  readonly maxYears: Int32Array;
  /** Period as month-days, 0 for none. */
  readonly periodStart: Int32Array;
  readonly periodEnd: Int32Array;
  /** Offsets and lengths of each rule's STATUT_BIO codes, OCC_COMPORTEMENT codes and territory keys in `pool`. */
  readonly bioOff: Int32Array;
  readonly bioLen: Int32Array;
  readonly behOff: Int32Array;
  readonly behLen: Int32Array;
  readonly terOff: Int32Array;
  readonly terLen: Int32Array;
  /** Bit mask of the partition types (`typeIds`) a rule's territory names, to rule a key out. */
  readonly terTypes: Int32Array;
  /** 1 when a rule names an overlapping-type area that is not loaded (it can never be ruled out). */
  readonly terUnloaded: Uint8Array;
  readonly pool: Int32Array;
  /** Ids of the STATUT_BIO and OCC_COMPORTEMENT codes rules mention. */
  readonly bioCodes: ReadonlyMap<string, number>;
  readonly behaviourCodes: ReadonlyMap<string, number>;
  /** Ids of the area keys rules mention (`DEP:05`). An observation's other areas are irrelevant. */
  readonly keyIds: ReadonlyMap<string, number>;
  /** Bit of each partition type rules mention (`DEP`, `COM`, `REG`, `TER`…). */
  readonly typeIds: ReadonlyMap<string, number>;
  /**
   * Area types an observation must be located in for the territory criteria: the types
   * rules name, with `REG` and `TER` read from `DEP` (département polygons imply them).
   */
  readonly areaTypesNeeded: readonly string[];
  readonly diagnostics: CompileDiagnostics;
}

/** The rules of one valid taxon, and whether any of them needs to know where the observation is. */
export interface TaxonEntry {
  readonly rules: Int32Array;
  readonly needsAreas: boolean;
}

/** What compiling found: rules left out, and rules whose taxon the taxonomy does not know. */
export interface CompileDiagnostics {
  readonly invalid: readonly { readonly ruleId: string; readonly problems: readonly RuleProblem[] }[];
  /** Rules on a cd_nom the taxonomy does not know: they apply to that exact cd_nom (no synonyms; descendants only if some row names it as parent). */
  readonly unknownTaxa: readonly { readonly ruleId: string; readonly cdNom: number }[];
  /** (rule, valid taxon) pairs after expansion to descendants. */
  readonly expandedPairs: number;
  readonly taxaCovered: number;
}

/** Options of {@link compileReferential}. */
export interface CompileOptions {
  /**
   * Area keys loaded in the workspace (`DEP:05`, `ZNIEFF1:820030123`). Needed to tell "the
   * observation is not in that protected area" (a definite no) from "that area is not loaded"
   * (a possible match, taken as a match by precaution). Partition types (DEP, COM…) do not
   * need it: an observation located in one département is in no other.
   */
  readonly loadedAreas?: ReadonlySet<string>;
}

/** Precaution flags: a criterion could not be checked and was taken as met. */
export const PRECAUTION = {
  /** The observation date cannot be read: period and duration taken as met. */
  DATE: 1,
  /** Biological status unknown (empty, 0, 1 or 2) for a rule restricted to statuses. */
  BIO_STATUS: 2,
  /** Behaviour unknown (empty, 0 or 1) for a rule restricted to behaviours. */
  BEHAVIOUR: 4,
  /** The observation could not be placed in the areas the rule names (no geometry, outside the loaded areas). */
  TERRITORY: 8,
} as const;

/** Names of the precaution flags, for reports. */
export function precautionNames(flags: number): Array<keyof typeof PRECAUTION> {
  return (Object.keys(PRECAUTION) as Array<keyof typeof PRECAUTION>).filter((k) => (flags & PRECAUTION[k]) !== 0);
}

/** Code id meaning "unknown value: precaution". */
export const CODE_UNKNOWN = -2;
/** Code id meaning "a known value no rule mentions". */
export const CODE_OTHER = -1;

/**
 * Everything the matcher needs to know about one observation, as numbers. Filled by the
 * caller (see `evaluate.ts` and the engine's runner), reused from row to row.
 */
export interface ObservationFacts {
  window: ObservationWindow;
  /** Id in `bioCodes`, or CODE_UNKNOWN / CODE_OTHER. */
  bio: number;
  behaviour: number;
  /** Ids (`keyIds`) of the areas the observation lies in, implied keys included; `areaCount` are valid. */
  areaKeys: Int32Array;
  areaCount: number;
  /** Bits (`typeIds`) of the partition types the observation was located in. */
  locatedTypes: number;
  /** False when the observation could not be placed at all (no geometry): every territory criterion is then uncertain. */
  placed: boolean;
}

/**
 * Compiles rules with the taxonomy of their referential.
 *
 * Invalid rules are left out and listed in `diagnostics.invalid`, never dropped silently.
 */
export function compileReferential(rules: readonly SensitivityRule[], taxonomy: TaxonomyIndex, options: CompileOptions = {}): CompiledReferential {
  const invalid: { ruleId: string; problems: RuleProblem[] }[] = [];
  const seenIds = new Set<string>();
  const kept: SensitivityRule[] = [];
  for (const r of rules) {
    const problems = checkRule(r);
    if (seenIds.has(r.id)) problems.push({ field: 'id', code: 'rule-id-duplicate', message: `rule id ${r.id} appears twice` });
    if (problems.length > 0) {
      invalid.push({ ruleId: String(r.id), problems });
      continue;
    }
    seenIds.add(r.id);
    kept.push(r);
  }

  const n = kept.length;
  const level = new Uint8Array(n);
  const maxYears = new Int32Array(n);
  const periodStart = new Int32Array(n);
  const periodEnd = new Int32Array(n);
  const bioOff = new Int32Array(n);
  const bioLen = new Int32Array(n);
  const behOff = new Int32Array(n);
  const behLen = new Int32Array(n);
  const terOff = new Int32Array(n);
  const terLen = new Int32Array(n);
  const terTypes = new Int32Array(n);
  const terUnloaded = new Uint8Array(n);
  const pool: number[] = [];
  const bioCodes = new Map<string, number>();
  const behaviourCodes = new Map<string, number>();
  const keyIds = new Map<string, number>();
  const typeIds = new Map<string, number>();
  const types = new Set<string>();
  const intern = (m: Map<string, number>, k: string) => {
    let id = m.get(k);
    if (id === undefined) m.set(k, (id = m.size));
    return id;
  };
  const typeBit = (t: string) => {
    let id = typeIds.get(t);
    // Only PARTITION_TYPES get a bit: a handful, far below the 31 bits of the mask.
    if (id === undefined) typeIds.set(t, (id = typeIds.size));
    return 1 << id;
  };
  const loaded = options.loadedAreas;

  for (let i = 0; i < n; i++) {
    const r = kept[i] as SensitivityRule;
    level[i] = r.level;
    maxYears[i] = r.durationYears ?? -1;
    if (r.period) {
      periodStart[i] = parseMonthDay(r.period.start) ?? 0;
      periodEnd[i] = parseMonthDay(r.period.end) ?? 0;
    }
    const bioStart = pool.length;
    for (const c of new Set(r.bioStatus ?? [])) pool.push(intern(bioCodes, c.trim()));
    bioOff[i] = bioStart;
    bioLen[i] = pool.length - bioStart;
    const behStart = pool.length;
    for (const c of new Set(r.behaviour ?? [])) pool.push(intern(behaviourCodes, c.trim()));
    behOff[i] = behStart;
    behLen[i] = pool.length - behStart;
    const terStart = pool.length;
    let mask = 0;
    let unloaded = 0;
    const keys = new Set((r.territory ?? []).map((a) => areaKey(a.type, a.code)));
    for (const a of r.territory ?? []) {
      types.add(a.type === 'REG' || a.type === 'TER' ? 'DEP' : a.type);
      if (PARTITION_TYPES.has(a.type)) mask |= typeBit(a.type);
      else if (!loaded || !loaded.has(areaKey(a.type, a.code))) unloaded = 1;
    }
    for (const k of keys) pool.push(intern(keyIds, k));
    terOff[i] = terStart;
    terLen[i] = pool.length - terStart;
    terTypes[i] = mask;
    terUnloaded[i] = unloaded;
  }

  // Expand each rule to the valid taxa it covers (GeoNature's rules cache, §3.1).
  const lists = new Map<number, number[]>();
  const unknownTaxa: { ruleId: string; cdNom: number }[] = [];
  const descendantsCache = new Map<number, number[]>();
  let expandedPairs = 0;
  for (let i = 0; i < n; i++) {
    const r = kept[i] as SensitivityRule;
    // A taxon the taxonomy does not know keeps its own cd_nom (and any row that names it as parent).
    const start = taxonomy.cdRefOf(r.cdNom);
    if (start === undefined) unknownTaxa.push({ ruleId: r.id, cdNom: r.cdNom });
    const root = start ?? r.cdNom;
    let refs = descendantsCache.get(root);
    if (!refs) descendantsCache.set(root, (refs = taxonomy.descendantRefs(root)));
    for (const t of refs) {
      let list = lists.get(t);
      if (!list) lists.set(t, (list = []));
      list.push(i);
      expandedPairs++;
    }
  }
  const byTaxon = new Map<number, TaxonEntry>();
  const order = (a: number, b: number) =>
    (level[b] as number) - (level[a] as number) || Number((kept[b] as SensitivityRule).local) - Number((kept[a] as SensitivityRule).local) || a - b;
  for (const [t, list] of lists) {
    // A rule reached twice (through two parents) counts once.
    const unique = [...new Set(list)].sort(order);
    byTaxon.set(t, { rules: Int32Array.from(unique), needsAreas: unique.some((i) => (terLen[i] as number) > 0) });
  }

  let maxKey = -1;
  for (const k of byTaxon.keys()) maxKey = Math.max(maxKey, k);
  let byTaxonDense: Int32Array | null = null;
  const entries: TaxonEntry[] = [];
  if (maxKey < 4_194_304 && [...byTaxon.keys()].every((k) => k >= 0 && Number.isInteger(k))) {
    byTaxonDense = new Int32Array(maxKey + 1);
    for (const [k, e] of byTaxon) byTaxonDense[k] = entries.push(e);
  }
  return {
    rules: kept,
    taxonomy,
    byTaxon,
    byTaxonDense,
    entries,
    level,
    maxYears,
    periodStart,
    periodEnd,
    bioOff,
    bioLen,
    behOff,
    behLen,
    terOff,
    terLen,
    terTypes,
    terUnloaded,
    pool: Int32Array.from(pool),
    bioCodes,
    behaviourCodes,
    keyIds,
    typeIds,
    areaTypesNeeded: [...types].sort(),
    diagnostics: { invalid, unknownTaxa, expandedPairs, taxaCovered: byTaxon.size },
  };
}

/** The rules of a valid taxon, or undefined: an array read when the referential allows it, else a map lookup. */
export function taxonEntry(ref: CompiledReferential, key: number): TaxonEntry | undefined {
  const d = ref.byTaxonDense;
  if (d !== null) {
    const i = key >= 0 && key < d.length ? (d[key] as number) : 0;
    return i === 0 ? undefined : ref.entries[i - 1];
  }
  return ref.byTaxon.get(key);
}

/** How the observation's taxon was found in the referential's taxonomy. */
export type TaxonResolution = 'cd_nom' | 'cd_ref' | 'unmatched' | 'no-taxon';

/**
 * The valid taxon an observation is evaluated under.
 *
 * Its cd_nom when the referential's taxonomy knows it; else the cd_ref the observation's own
 * TAXREF gives (`cdRefHint`: observations of 2018 use an older TAXREF than a v18
 * referential) when the referential's taxonomy knows that; else unmatched, evaluated under
 * its cd_nom against rules declared on that exact cd_nom, and reported.
 */
export function resolveTaxon(ref: CompiledReferential, cdNom: number | null | undefined, cdRefHint?: number | null): { key: number; how: TaxonResolution } {
  if (cdNom === null || cdNom === undefined || !Number.isSafeInteger(cdNom)) return { key: -1, how: 'no-taxon' };
  const direct = ref.taxonomy.cdRefOf(cdNom);
  if (direct !== undefined) return { key: direct, how: 'cd_nom' };
  if (cdRefHint !== null && cdRefHint !== undefined) {
    const viaHint = ref.taxonomy.cdRefOf(cdRefHint);
    if (viaHint !== undefined) return { key: viaHint, how: 'cd_ref' };
  }
  return { key: cdNom, how: 'unmatched' };
}

/** Id of an observation's STATUT_BIO code for the matcher (unknown codes: precaution). */
export function bioCodeId(ref: CompiledReferential, code: string | null | undefined, unknown: ReadonlySet<string>): number {
  if (code === null || code === undefined) return CODE_UNKNOWN;
  const c = code.length > 0 && (code.charCodeAt(0) === 32 || code.charCodeAt(code.length - 1) === 32) ? code.trim() : code;
  if (c === '' || unknown.has(c)) return CODE_UNKNOWN;
  return ref.bioCodes.get(c) ?? CODE_OTHER;
}

/** Id of an observation's OCC_COMPORTEMENT code for the matcher (unknown codes: precaution). */
export function behaviourCodeId(ref: CompiledReferential, code: string | null | undefined, unknown: ReadonlySet<string>): number {
  if (code === null || code === undefined) return CODE_UNKNOWN;
  const c = code.length > 0 && (code.charCodeAt(0) === 32 || code.charCodeAt(code.length - 1) === 32) ? code.trim() : code;
  if (c === '' || unknown.has(c)) return CODE_UNKNOWN;
  return ref.behaviourCodes.get(c) ?? CODE_OTHER;
}

function inPool(pool: Int32Array, off: number, len: number, id: number): boolean {
  for (let k = off; k < off + len; k++) if (pool[k] === id) return true;
  return false;
}

/**
 * Whether rule `i` applies to the observation: -1 when it does not, otherwise the
 * precaution flags of the criteria that could not be checked and were taken as met (0 for a
 * plain match).
 */
export function matchRule(ref: CompiledReferential, i: number, f: ObservationFacts, asOfYear: number): number {
  let flags = 0;
  const maxY = ref.maxYears[i] as number;
  const ps = ref.periodStart[i] as number;
  if (maxY >= 0 || ps > 0) {
    const w = f.window;
    if (!w.known) flags |= PRECAUTION.DATE;
    else {
      if (maxY >= 0 && asOfYear - w.yearMax > maxY) return -1;
      if (ps > 0 && !windowTouchesPeriod(w, ps, ref.periodEnd[i] as number)) return -1;
    }
  }
  const bl = ref.bioLen[i] as number;
  if (bl > 0) {
    if (f.bio === CODE_UNKNOWN) flags |= PRECAUTION.BIO_STATUS;
    else if (!inPool(ref.pool, ref.bioOff[i] as number, bl, f.bio)) return -1;
  }
  const hl = ref.behLen[i] as number;
  if (hl > 0) {
    if (f.behaviour === CODE_UNKNOWN) flags |= PRECAUTION.BEHAVIOUR;
    else if (!inPool(ref.pool, ref.behOff[i] as number, hl, f.behaviour)) return -1;
  }
  const tl = ref.terLen[i] as number;
  if (tl > 0) {
    const off = ref.terOff[i] as number;
    let hit = false;
    for (let a = 0; a < f.areaCount && !hit; a++) hit = inPool(ref.pool, off, tl, f.areaKeys[a] as number);
    if (!hit) {
      const need = ref.terTypes[i] as number;
      if (!f.placed || ref.terUnloaded[i] === 1 || (need & ~f.locatedTypes) !== 0) flags |= PRECAUTION.TERRITORY;
      else return -1;
    }
  }
  return flags;
}

/**
 * The rule that decides an observation's level: the first of its taxon's rules that
 * applies (they are sorted best first), or -1 when none does (level 0). Allocation-free.
 */
export function decidingRule(ref: CompiledReferential, entry: TaxonEntry | undefined, f: ObservationFacts, asOfYear: number): number {
  if (!entry) return -1;
  const rules = entry.rules;
  for (let k = 0; k < rules.length; k++) {
    const i = rules[k] as number;
    if (matchRule(ref, i, f, asOfYear) >= 0) return i;
  }
  return -1;
}

/** Every rule of the taxon that applies, best first, with its precaution flags (for explanations). */
export function matchingRules(ref: CompiledReferential, entry: TaxonEntry | undefined, f: ObservationFacts, asOfYear: number): { rule: number; precautions: number }[] {
  const out: { rule: number; precautions: number }[] = [];
  if (!entry) return out;
  for (const i of entry.rules) {
    const p = matchRule(ref, i, f, asOfYear);
    if (p >= 0) out.push({ rule: i, precautions: p });
  }
  return out;
}
