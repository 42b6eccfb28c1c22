/**
 * Text normalisation for matching values typed by people: case, accents, punctuation and
 * spacing do not matter ("Lynx Boréal" matches "Lynx boréal", "Non renseigné" matches "non-renseigne").
 */
export function matchKey(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[œŒ]/g, 'oe')
    .replace(/[æÆ]/g, 'ae')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** A cell as text, or null when empty (blank cells are missing values, as in GeoNature's importer). */
export function cellText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
  if (s === null) return null;
  const t = s.trim();
  return t === '' ? null : t;
}

/** True for a canonical UUID (any version), as SINP permanent identifiers are. */
export function isUuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}

/** True for a whole number written as digits (optionally signed): what an INTEGER column accepts. */
export function isIntegerText(s: string): boolean {
  return /^[+-]?\d+$/.test(s.trim());
}
