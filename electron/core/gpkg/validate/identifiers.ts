// SQL keywords that PostgreSQL reserves and SQLite also treats as keywords: a column or
// table named so must be quoted in every query (GeoNature runs on PostgreSQL).
const RESERVED = new Set(
  'all analyse analyze and any as asc both case cast check collate column constraint create current_date current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit not null offset on only or order placing primary references returning select session_user some symmetric table then to trailing true union unique user using variadic when where window with'.split(
    ' ',
  ),
);

/** PostgreSQL truncates identifiers to 63 bytes (NAMEDATALEN - 1). */
const PG_MAX_BYTES = 63;

/**
 * Why a table or column name needs quoting in SQL, or null when it is portable.
 *
 * Portable means: lower-case ASCII letters, digits and underscores, starting with a letter
 * or underscore, not a keyword, at most 63 bytes (PostgreSQL folds unquoted names to lower
 * case and cuts longer ones).
 */
export function identifierProblem(name: string): string | null {
  if (Buffer.byteLength(name, 'utf8') > PG_MAX_BYTES) return `is longer than ${PG_MAX_BYTES} bytes (PostgreSQL cuts it)`;
  if (/^[0-9]/.test(name)) return 'starts with a digit';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return 'contains spaces, accents, quotes or punctuation';
  if (/[A-Z]/.test(name)) return 'has upper-case letters (PostgreSQL folds unquoted names to lower case)';
  if (RESERVED.has(name)) return 'is an SQL keyword';
  return null;
}
