/**
 * The taxonomy a referential is read with: TAXREF rows (cd_nom, cd_ref, cd_taxsup), indexed
 * to resolve synonyms and to expand a rule to the descendants of its taxon.
 */

/** One TAXREF row, as `taxonomie.taxref` or the workspace's `taxref` table holds it. */
export interface TaxonRow {
  readonly cdNom: number;
  /** The valid name's cd_nom; null or missing means the row is itself valid. */
  readonly cdRef?: number | null;
  /** The parent taxon (TAXREF `CD_TAXSUP`), usually a valid cd_nom; null for a root. */
  readonly cdTaxsup?: number | null;
  readonly rank?: string | null;
  readonly name?: string | null;
}

/** Largest cd_nom for the flat lookup array (16 MB); above it, a map is used. */
const DENSE_LIMIT = 4_194_304;

/**
 * TAXREF rows indexed by cd_nom, with each valid taxon's children.
 *
 * Children are found as GeoNature's rules cache finds them (`t_sensitivity_rules_cd_ref`:
 * the rows whose `cd_taxsup` is the parent's `cd_ref`), with one correction: a `cd_taxsup`
 * that names a synonym is read as its valid name, so a child is not lost when TAXREF's
 * parent link uses an old name. Cycles in a damaged taxonomy are tolerated (each taxon is
 * visited once).
 */
export class TaxonomyIndex {
  private readonly refOf = new Map<number, number>();
  private readonly parentOf = new Map<number, number>();
  private readonly rows = new Map<number, TaxonRow>();
  private readonly children = new Map<number, number[]>();
  /**
   * cd_ref by cd_nom as a flat array (0 = unknown) when cd_nom values are small enough
   * (TAXREF's are about a million): a million lookups then cost an array read each, not a
   * hash probe in a map of 600,000 entries.
   */
  private dense: Int32Array | null = null;

  private constructor() {}

  /** Indexes rows; a repeated cd_nom keeps its last row. */
  static build(rows: Iterable<TaxonRow>): TaxonomyIndex {
    const t = new TaxonomyIndex();
    for (const r of rows) {
      if (!Number.isSafeInteger(r.cdNom)) continue;
      t.rows.set(r.cdNom, r);
      t.refOf.set(r.cdNom, r.cdRef ?? r.cdNom);
      if (r.cdTaxsup !== null && r.cdTaxsup !== undefined) t.parentOf.set(r.cdNom, r.cdTaxsup);
    }
    let max = 0;
    for (const k of t.refOf.keys()) if (k > max) max = k;
    if (max < DENSE_LIMIT && [...t.refOf.values()].every((v) => v > 0 && v <= 0x7fffffff)) {
      const dense = new Int32Array(max + 1);
      for (const [k, v] of t.refOf) if (k >= 0) dense[k] = v;
      t.dense = [...t.refOf.keys()].every((k) => k >= 0) ? dense : null;
    }
    for (const [cdNom, sup] of t.parentOf) {
      const parentRef = t.refOf.get(sup) ?? sup;
      let list = t.children.get(parentRef);
      if (!list) t.children.set(parentRef, (list = []));
      list.push(cdNom);
    }
    return t;
  }

  /** How many rows the index holds. */
  get size(): number {
    return this.rows.size;
  }

  /** Every row, as indexed (for loading the same taxonomy into PostGIS). */
  allRows(): IterableIterator<TaxonRow> {
    return this.rows.values();
  }

  /** True when the taxonomy knows this cd_nom. */
  has(cdNom: number): boolean {
    return this.refOf.has(cdNom);
  }

  /** The valid taxon (cd_ref) of a cd_nom, or undefined when the taxonomy does not know it. */
  cdRefOf(cdNom: number): number | undefined {
    const d = this.dense;
    if (d !== null) {
      if (cdNom >= 0 && cdNom < d.length && (cdNom | 0) === cdNom) {
        const v = d[cdNom] as number;
        return v === 0 ? undefined : v;
      }
      return undefined;
    }
    return this.refOf.get(cdNom);
  }

  /** The row of a cd_nom, for names and ranks in explanations. */
  row(cdNom: number): TaxonRow | undefined {
    return this.rows.get(cdNom);
  }

  /** The valid taxa below a valid taxon, itself first (breadth first, each once). */
  descendantRefs(cdRef: number): number[] {
    const seen = new Set<number>([cdRef]);
    const out = [cdRef];
    for (let i = 0; i < out.length; i++) {
      const kids = this.children.get(out[i] as number);
      if (!kids) continue;
      for (const k of kids) {
        const ref = this.refOf.get(k) ?? k;
        if (!seen.has(ref)) {
          seen.add(ref);
          out.push(ref);
        }
      }
    }
    return out;
  }

  /**
   * The valid taxa from `cdRef` up to the root (itself first), following `cd_taxsup`; for
   * explanations ("Rhinolophus ferrumequinum ⊂ Rhinolophus ⊂ Rhinolophidae").
   */
  lineage(cdRef: number): number[] {
    const out = [cdRef];
    const seen = new Set(out);
    let cur = cdRef;
    for (;;) {
      const sup = this.parentOf.get(cur);
      if (sup === undefined) break;
      const ref = this.refOf.get(sup) ?? sup;
      if (seen.has(ref)) break;
      seen.add(ref);
      out.push(ref);
      cur = ref;
    }
    return out;
  }
}
