/**
 * Encoding damage ("mojibake"): UTF-8 text that was read as Windows-1252 / Latin-1 and saved
 * again, so that "Geneviève" became "GeneviÃ¨ve" — the state of the observer names in
 * GeoNature's own Écrins dump — and the reverse damage, Latin-1 bytes read as UTF-8, which
 * leaves U+FFFD replacement characters ("Genevi�ve") and cannot be undone.
 *
 * The repair re-encodes each suspicious run of characters to the bytes Windows-1252 gives them
 * and decodes those bytes as UTF-8, strictly: a run is replaced only when its bytes are valid
 * UTF-8 with at least one multi-byte sequence, so correct accented text ("é" alone is the byte
 * E9, not valid UTF-8) is never touched. Double damage is undone by repeating (at most 3 times).
 */

/** Windows-1252's characters for bytes 0x80–0x9F (the five undefined bytes pass through as C1 controls, as WHATWG decodes them). */
const CP1252_HIGH: readonly number[] = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const CP1252_BYTE = new Map<number, number>(CP1252_HIGH.map((cp, i) => [cp, 0x80 + i]));

/** The Windows-1252 byte of a character, or -1 when Windows-1252 has none. */
function cp1252Byte(cp: number): number {
  if (cp < 0x80) return cp;
  if (cp >= 0xa0 && cp <= 0xff) return cp;
  const b = CP1252_BYTE.get(cp);
  if (b !== undefined) return b;
  // Latin-1 decoders (not WHATWG's) give 0x80–0x9F as C1 controls: same byte.
  return cp >= 0x80 && cp <= 0x9f ? cp : -1;
}

/** Strict UTF-8 decoding (no overlongs, no surrogates); null when the bytes are not UTF-8. */
export function decodeUtf8Strict(bytes: readonly number[]): string | null {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b0 = bytes[i] as number;
    let cp: number;
    let n: number;
    if (b0 < 0x80) {
      cp = b0;
      n = 1;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      cp = b0 & 0x1f;
      n = 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      cp = b0 & 0x0f;
      n = 3;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      cp = b0 & 0x07;
      n = 4;
    } else return null;
    if (i + n > bytes.length) return null;
    for (let k = 1; k < n; k++) {
      const b = bytes[i + k] as number;
      if ((b & 0xc0) !== 0x80) return null;
      cp = (cp << 6) | (b & 0x3f);
    }
    if ((n === 3 && cp < 0x800) || (n === 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff)) return null;
    out += String.fromCodePoint(cp);
    i += n;
  }
  return out;
}

/** A lead byte (C2–F4 as a Windows-1252 character) followed by a continuation byte (80–BF). */
const SUSPECT = /[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]/;

/** Runs of characters Windows-1252 can encode, at least one of them non-ASCII. */
const RUN = /[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]+/g;

function repairOnce(s: string): string {
  let changed = false;
  let out = s.replace(RUN, (run) => {
    const bytes: number[] = [];
    for (const ch of run) {
      const b = cp1252Byte(ch.codePointAt(0) as number);
      if (b < 0) return run;
      bytes.push(b);
    }
    // Decode the longest valid prefix pieces: a run may end with a correct accented letter.
    const fixed = decodeRun(bytes);
    if (fixed === null || fixed === run) return run;
    changed = true;
    return fixed;
  });
  // "à" is C3 A0 in UTF-8; A0 is a no-break space, which many tools turned into a plain space:
  // a lone "Ã" before a space is that "à" (no language writes "Ã" as a word).
  if (changed || /(^|[\s(«"'])Ã {2}/.test(out)) {
    out = out.replace(/(^|[\s(«"'])Ã( ?)(?= )/g, (_m, before: string) => `${before}à`).replace(/(^|[\s(«"'])Ã(?= \S)/g, (_m, before: string) => `${before}à`);
  }
  return out;
}

/**
 * Decodes a run's bytes as UTF-8 where they form valid multi-byte sequences and keeps the
 * other bytes as the characters they were; null when no multi-byte sequence is found.
 */
function decodeRun(bytes: readonly number[]): string | null {
  let out = '';
  let found = false;
  for (let i = 0; i < bytes.length; ) {
    const b0 = bytes[i] as number;
    const n = b0 >= 0xc2 && b0 <= 0xdf ? 2 : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 1;
    if (n > 1) {
      const piece = decodeUtf8Strict(bytes.slice(i, i + n));
      if (piece !== null && i + n <= bytes.length) {
        out += piece;
        found = true;
        i += n;
        continue;
      }
    }
    out += String.fromCodePoint(b0 >= 0x80 && b0 <= 0x9f ? (CP1252_HIGH[b0 - 0x80] as number) : b0);
    i++;
  }
  return found ? out : null;
}

/** The text with its mojibake repaired (unchanged when it has none). */
export function repairMojibake(s: string): string {
  if (!SUSPECT.test(s) && !/(^|\s)Ã {2}/.test(s)) return s;
  let cur = s;
  for (let k = 0; k < 3; k++) {
    const next = repairOnce(cur);
    if (next === cur) break;
    cur = next;
  }
  return cur;
}

/** What is wrong with a text's encoding: repairable mojibake, lost characters (U+FFFD), or nothing. */
export type EncodingDamage = { kind: 'mojibake'; repaired: string } | { kind: 'lost' } | null;

/** Detects encoding damage in a value. */
export function encodingDamage(s: string): EncodingDamage {
  const repaired = repairMojibake(s);
  if (repaired !== s) return { kind: 'mojibake', repaired };
  if (s.includes('\ufffd')) return { kind: 'lost' };
  return null;
}

/**
 * How much a decoded text looks like mojibake: the number of suspicious pairs and replacement
 * characters per 1,000 characters. Used to rank encodings when sniffing a file.
 */
export function mojibakeScore(s: string): number {
  if (s.length === 0) return 0;
  let n = 0;
  const re = new RegExp(SUSPECT.source, 'g');
  while (re.exec(s)) n++;
  for (const ch of s) if (ch === '\ufffd') n += 2;
  return (n * 1000) / s.length;
}
