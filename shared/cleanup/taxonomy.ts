/**
 * A taxonomy to check taxa against: TAXREF rows of a pulled workspace, or any cd_nom/cd_ref/name
 * list (the committed test taxonomy built from GeoNature's TaxHub dump). Names are matched with
 * {@link matchKey}, so case, accents and punctuation do not matter.
 */
import { matchKey } from './normalize.js';

/** One taxon: its code, its valid code, and the names it is known by (scientific or vernacular). */
export interface TaxonRecord {
  readonly cdNom: number;
  readonly cdRef: number;
  readonly names: readonly string[];
}

/** What the checks need from a taxonomy. */
export interface Taxonomy {
  /** Where the taxa come from, for the report ("workspace taxref", a file name). */
  readonly source: string;
  readonly size: number;
  get(cdNom: number): TaxonRecord | undefined;
  /** The taxa a name designates (valid ones first); empty when the name is unknown. */
  byName(name: string): readonly TaxonRecord[];
}

/** The keys a name is indexed under: the whole name, its comma-separated variants, and a bare binomial. */
export function nameKeys(name: string): string[] {
  const keys = new Set<string>();
  const add = (s: string) => {
    const k = matchKey(s.replace(/\((l'|la|le|les)\)/gi, ''));
    if (k) keys.add(k);
  };
  add(name);
  // Vernacular lists ("Ecaille du Cervin (L'), Ecaille zébrée (L')"); authors carry a year, never split those.
  if (!/\d/.test(name)) for (const part of name.split(/\s*,\s*/)) add(part);
  const binomial = /^([A-Z][a-zë-]+ (?:x )?[a-zë-]+(?: (?:subsp\.|var\.|ssp\.)? ?[a-zë-]+)?)/.exec(name);
  if (binomial?.[1]) add(binomial[1]);
  const genusSpecies = /^([A-Z][a-zë-]+ [a-zë-]+)/.exec(name);
  if (genusSpecies?.[1]) add(genusSpecies[1]);
  return [...keys];
}

/** Builds an in-memory taxonomy. */
export function buildTaxonomy(records: Iterable<TaxonRecord>, source: string): Taxonomy {
  const byCode = new Map<number, TaxonRecord>();
  const byKey = new Map<string, TaxonRecord[]>();
  for (const r of records) {
    byCode.set(r.cdNom, r);
    for (const n of r.names) {
      for (const k of nameKeys(n)) {
        const list = byKey.get(k) ?? [];
        if (!list.some((x) => x.cdNom === r.cdNom)) list.push(r);
        byKey.set(k, list);
      }
    }
  }
  for (const list of byKey.values()) list.sort((a, b) => Number(b.cdNom === b.cdRef) - Number(a.cdNom === a.cdRef) || a.cdNom - b.cdNom);
  return {
    source,
    size: byCode.size,
    get: (cd) => byCode.get(cd),
    byName: (name) => byKey.get(matchKey(name.replace(/\((l'|la|le|les)\)/gi, ''))) ?? [],
  };
}

/**
 * The code a name designates, when it designates one taxon (one cd_ref): its valid code when
 * the name is the valid taxon's, else the first code with that name. Null when unknown or
 * ambiguous (two different taxa share the name).
 */
export function codeForName(t: Taxonomy, name: string): number | null {
  const hits = t.byName(name);
  if (hits.length === 0) return null;
  const refs = new Set(hits.map((h) => h.cdRef));
  if (refs.size > 1) return null;
  const valid = hits.find((h) => h.cdNom === h.cdRef);
  return (valid ?? hits[0])?.cdNom ?? null;
}
