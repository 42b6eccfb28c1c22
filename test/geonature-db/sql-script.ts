/**
 * Splits a PostgreSQL script into statements, so that the builder can run only the parts of an
 * upstream data file it wants (for example the gn_meta rows of GeoNature's test fixture, without
 * its Occtax and permission rows) and check that a file holds nothing unexpected.
 *
 * Understands what the GeoNature/SINP files use: '…' strings with '' escapes, E'…' strings with
 * backslash escapes, "…" identifiers, -- and nested /* *\/ comments, and $tag$…$tag$ bodies.
 * Comments are dropped from the returned text; everything else is kept byte for byte.
 */
export function splitSqlStatements(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  const n = script.length;
  const push = () => {
    const s = current.trim();
    if (s.length > 0) statements.push(s);
    current = '';
  };
  while (i < n) {
    const c = script[i] as string;
    const next = script[i + 1];
    if (c === '-' && next === '-') {
      const end = script.indexOf('\n', i);
      i = end < 0 ? n : end;
      continue;
    }
    if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (script.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (script.startsWith('*/', i)) {
          depth--;
          i += 2;
        } else i++;
      }
      current += ' ';
      continue;
    }
    if (c === "'") {
      const escaped = /[eE]$/.test(current) && !/[A-Za-z0-9_][eE]$/.test(current);
      let j = i + 1;
      while (j < n) {
        const d = script[j];
        if (escaped && d === '\\') j += 2;
        else if (d === "'" && script[j + 1] === "'") j += 2;
        else if (d === "'") break;
        else j++;
      }
      if (j >= n) throw new Error(`unterminated string starting at offset ${i}`);
      current += script.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '"') {
      const j = script.indexOf('"', i + 1);
      if (j < 0) throw new Error(`unterminated identifier starting at offset ${i}`);
      current += script.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(script.slice(i, i + 64))?.[0];
      if (tag && !/[A-Za-z0-9_]$/.test(current)) {
        const end = script.indexOf(tag, i + tag.length);
        if (end < 0) throw new Error(`unterminated ${tag} body starting at offset ${i}`);
        current += script.slice(i, end + tag.length);
        i = end + tag.length;
        continue;
      }
    }
    if (c === ';') {
      push();
      i++;
      continue;
    }
    current += c;
    i++;
  }
  push();
  return statements;
}

/** The first keywords of a statement, upper-cased and single-spaced: "INSERT INTO GN_META.T_DATASETS". */
export function statementHead(statement: string, words = 3): string {
  return statement.trim().split(/\s+/).slice(0, words).join(' ').toUpperCase();
}
