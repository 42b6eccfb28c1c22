import pg from 'pg';

/**
 * SQL building blocks: quoted identifiers and positional parameters. Values always travel as
 * parameters; identifiers (ours or read from the catalog) are always quoted with
 * pg.escapeIdentifier, so a table or column name with quotes in it cannot change a statement.
 */

/** `"schema"."table"` or `"schema"."table"."column"`, each part quoted. */
export function qi(...parts: string[]): string {
  return parts.map((p) => pg.escapeIdentifier(p)).join('.');
}

/** Collects parameter values and hands out their `$n` placeholders. */
export class Params {
  readonly values: unknown[] = [];

  /** Adds a value; returns its placeholder, with a cast when given (`$3::uuid[]`). */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }
}

/** Runs `fn` in a REPEATABLE READ, READ ONLY transaction: one consistent snapshot, no writes possible. */
export async function readOnly<T>(client: pg.Client, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const r = await fn();
    await client.query('COMMIT');
    return r;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/** Keeps every value as the server's text (or a Buffer for bytea): no Date or number guessing. */
export const RAW_TYPES = {
  getTypeParser: (oid: number) => (oid === 17 ? parseBytea : (v: string) => v),
} as unknown as pg.CustomTypesConfig;

/** bytea in PostgreSQL's hex output format (`\x0101…`, the default since 9.0). */
export function parseBytea(v: string): Buffer {
  return v.startsWith('\\x') ? Buffer.from(v.slice(2), 'hex') : Buffer.from(v, 'binary');
}
