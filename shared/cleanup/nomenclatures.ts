/**
 * The SINP nomenclature values of the synthese fields, and the matching of a file's own
 * vocabulary ("Adulte", "adulte", "2", "Non renseigné") to SINP codes.
 *
 * The catalog comes from the generated INPN data ({@link SYNTHESE_CATALOG}); a workspace that
 * pulled its nomenclatures from GeoNature gives its own rows ({@link catalogFromRows}).
 */
import { SYNTHESE_NOMENCLATURE_DATA } from './nomenclature-data.js';
import { matchKey } from './normalize.js';

/** One value of a type as the generated data gives it. */
export interface SyntheseNomenclatureValue {
  readonly code: string;
  readonly label: string;
  readonly active?: boolean;
}

/** The generated data: label and values of each type, by mnemonique. */
export type SyntheseNomenclatureData = Readonly<Record<string, { readonly label: string; readonly values: readonly SyntheseNomenclatureValue[] }>>;

/** A catalog: for each type (mnemonique), its values. Plain JSON. */
export type SyntheseCatalog = SyntheseNomenclatureData;

/** The INPN values of the 21 synthese types (the default when a workspace has no nomenclatures table). */
export const SYNTHESE_CATALOG: SyntheseCatalog = SYNTHESE_NOMENCLATURE_DATA;

/** Builds a catalog from nomenclature rows (a pulled workspace's `nomenclatures` table). */
export function catalogFromRows(rows: readonly { type: string; code: string; label: string; active?: boolean }[]): SyntheseCatalog {
  const out: Record<string, { label: string; values: SyntheseNomenclatureValue[] }> = {};
  for (const r of rows) {
    const t = (out[r.type] ??= { label: r.type, values: [] });
    t.values.push({ code: r.code, label: r.label, ...(r.active === false ? { active: false } : {}) });
  }
  return out;
}

/** True when `code` is a SINP code of `type` in the catalog (inactive codes are still codes). */
export function isSinpCode(catalog: SyntheseCatalog, type: string, code: string): boolean {
  return catalog[type]?.values.some((v) => v.code === code) ?? false;
}

/** The label of a code, or null. */
export function sinpLabel(catalog: SyntheseCatalog, type: string, code: string | null): string | null {
  if (code === null) return null;
  return catalog[type]?.values.find((v) => v.code === code)?.label ?? null;
}

/**
 * The SINP code a file's value stands for: the code itself (exact, then case-insensitive), else
 * a label (case, accents and punctuation ignored), else an explicit mapping the user gave.
 * Null when nothing matches: the value is kept as it is and the nomenclature check reports it.
 */
export function matchNomenclature(catalog: SyntheseCatalog, type: string, value: string, explicit?: Readonly<Record<string, string>>): string | null {
  const direct = explicit?.[value];
  if (direct !== undefined) return direct;
  const values = catalog[type]?.values;
  if (!values) return null;
  const exact = values.find((v) => v.code === value);
  if (exact) return exact.code;
  const lower = value.toLowerCase();
  const ci = values.find((v) => v.code.toLowerCase() === lower);
  if (ci) return ci.code;
  const key = matchKey(value);
  if (explicit) {
    for (const [k, code] of Object.entries(explicit)) if (matchKey(k) === key) return code;
  }
  const byLabel = values.filter((v) => matchKey(v.label) === key);
  // Two values with the same label (it happens across inactive ones): prefer the active one.
  return (byLabel.find((v) => v.active !== false) ?? byLabel[0])?.code ?? null;
}
