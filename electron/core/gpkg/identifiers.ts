/**
 * Quotes an SQLite identifier (table or column name) for use in SQL text.
 *
 * Names come from files we do not control ("0", mixed case, embedded quotes): they are
 * always quoted, never interpolated raw. NUL cannot be quoted and is refused.
 */
export function quoteId(name: string): string {
  if (name.includes('\u0000')) throw new Error(`Identifier contains a NUL character: ${JSON.stringify(name)}`);
  return `"${name.replace(/"/g, '""')}"`;
}
