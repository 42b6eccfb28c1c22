import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync, statSync } from 'node:fs';

/**
 * The leak scan: every byte of every file of a bundle searched for the precise coordinates of
 * the observations it must not show precisely (the "secrets"), in every form they could take:
 *
 *  - binary IEEE 754 doubles, little- and big-endian, of longitude/latitude and of the projected
 *    (Lambert-93) x/y: GeoPackage geometry blobs and WKB (little-endian), SQLite REAL values such
 *    as the `gpkg_contents` extent (big-endian), on live or freed pages alike;
 *  - text numbers: longitude/latitude written with 4 decimals or more, rounded or truncated (WKT,
 *    GeoJSON, CSV, DwC `decimalLatitude`, XML bounding boxes, free text, a comma as the decimal
 *    mark outside CSV files), and projected x/y to the metre.
 *
 * One coordinate alone proves nothing (thousands of observations share a latitude to the 7th
 * decimal); a leak is the two coordinates of one secret point close together: within 64 bytes in
 * binary (a WKB point has them 8 bytes apart), within 1024 bytes in text (an indented XML
 * bounding box has them a few hundred bytes apart). Points published
 * precisely by another observation (the same place ± 10 m) are public and left out by the caller.
 */

/** A point that must not appear: an observation's precise vertex, in WGS 84 and projected. */
export interface SecretPoint {
  readonly uuid: string;
  readonly lon: number;
  readonly lat: number;
  readonly x: number | null;
  readonly y: number | null;
}

/** How a coordinate was found. */
export type LeakForm = 'binary-lonlat-le' | 'binary-lonlat-be' | 'binary-xy-le' | 'binary-xy-be' | 'text-lonlat' | 'text-xy';

/** One leak: whose point, in what form, where. */
export interface LeakHit {
  readonly uuid: string;
  readonly form: LeakForm;
  readonly file: string;
  readonly offset: number;
  /** 1-based line for text hits. */
  readonly line: number | null;
}

interface BinaryNeedle {
  readonly second: number;
  readonly secret: number;
  /** 0 lon, 1 lat, 2 x, 3 y. */
  readonly axis: number;
  readonly le: boolean;
}

interface TextNeedle {
  readonly value: number;
  readonly secret: number;
  readonly axis: number;
}

const CHUNK = 8 << 20;
const OVERLAP = 512;
const BINARY_WINDOW = 64;
const TEXT_WINDOW = 1024;

const f64 = new Float64Array(1);
const u8 = new Uint8Array(f64.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The 8 bytes of a double, little-endian first. */
function bytesOf(v: number, le: boolean): number[] {
  f64[0] = v;
  const b = Array.from(u8);
  return le === LITTLE ? b : b.reverse();
}

const u32 = (b: ArrayLike<number>, o: number) => ((b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16) | ((b[o + 3] as number) << 24)) >>> 0;
/** 24-bit hash of a needle's first four bytes, for the prefilter bitset. */
const fold = (k: number) => Math.imul(k, 0x9e3779b1) >>> 8;

/** Scans files for the secrets. Build once per gate run; scan each file. */
export class LeakScanner {
  private readonly binary = new Map<number, BinaryNeedle[]>();
  /** One bit per 24-bit hash of a needle's first four bytes: most offsets are rejected by one load. */
  private readonly binaryFilter = new Uint32Array(1 << 19);
  private readonly lonlat = new Map<number, TextNeedle[]>();
  private readonly xy = new Map<number, TextNeedle[]>();

  constructor(readonly secrets: readonly SecretPoint[]) {
    secrets.forEach((s, i) => {
      const values: [number, number][] = [
        [s.lon, 0],
        [s.lat, 1],
      ];
      if (s.x !== null && s.y !== null) values.push([s.x, 2], [s.y, 3]);
      for (const [v, axis] of values) {
        if (!Number.isFinite(v)) continue;
        for (const le of [true, false]) {
          const b = bytesOf(v, le);
          const first = u32(b, 0);
          let list = this.binary.get(first);
          if (!list) this.binary.set(first, (list = []));
          list.push({ second: u32(b, 4), secret: i, axis, le });
          const h = fold(first);
          this.binaryFilter[h >>> 5] = (this.binaryFilter[h >>> 5] as number) | (1 << (h & 31));
        }
        const map = axis < 2 ? this.lonlat : this.xy;
        const key = axis < 2 ? Math.floor(v * 1e4) : Math.floor(v);
        let list = map.get(key);
        if (!list) map.set(key, (list = []));
        list.push({ value: v, secret: i, axis });
      }
    });
  }

  /**
   * Scans one file; `commaDecimals` also reads `44,8123` as a number (not in CSV files);
   * `binary: 'unless-utf8'` searches raw doubles only in the parts of the file that are not valid
   * UTF-8 (a text file holds text: eight raw bytes of a double would almost never be valid UTF-8,
   * and the text search reads every number anyway).
   */
  scanFile(path: string, name: string, opts: { commaDecimals: boolean; binary?: boolean | 'unless-utf8' }): LeakHit[] {
    const hits: LeakHit[] = [];
    if (this.secrets.length === 0) return hits;
    const seen = new Set<string>();
    const report = (secret: number, form: LeakForm, offset: number, line: number | null) => {
      const key = `${secret}:${form}`;
      if (seen.has(key)) return;
      seen.add(key);
      hits.push({ uuid: (this.secrets[secret] as SecretPoint).uuid, form, file: name, offset, line });
    };
    const size = statSync(path).size;
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.allocUnsafe(CHUNK + OVERLAP);
      let base = 0; // file offset of buf[0]
      let keep = 0; // bytes carried over at the start of buf (read, not scanned yet)
      let lines = 0; // newlines in the file before buf[0]
      let textFrom = 0; // where the text scan resumes in buf (after a number that ran past the last limit)
      const recentBin: { secret: number; axis: number; le: boolean; at: number }[] = [];
      const recentText: { secret: number; axis: number; at: number }[] = [];
      for (;;) {
        const n = readSync(fd, buf, keep, CHUNK, base + keep);
        const end = keep + n;
        const last = n === 0 || base + end >= size;
        // Positions before `limit` are scanned now; the rest is carried to the next chunk.
        const limit = last ? end : Math.max(0, end - OVERLAP);
        const binary = opts.binary === undefined || opts.binary === true || (opts.binary === 'unless-utf8' && !isUtf8(buf.subarray(0, end)));
        if (binary) this.scanBinary(buf, limit, end, base, recentBin, report);
        const consumed = this.scanText(buf, textFrom, limit, end, base, lines, opts.commaDecimals, recentText, report);
        for (let i = 0; i < limit; i++) if (buf[i] === 10) lines++;
        if (last) break;
        buf.copy(buf, 0, limit, end);
        base += limit;
        keep = end - limit;
        textFrom = Math.max(0, consumed - limit);
      }
    } finally {
      closeSync(fd);
    }
    return hits;
  }

  private scanBinary(
    b: Buffer,
    limit: number,
    end: number,
    base: number,
    recent: { secret: number; axis: number; le: boolean; at: number }[],
    report: (secret: number, form: LeakForm, offset: number, line: number | null) => void,
  ): void {
    const filter = this.binaryFilter;
    const stop = Math.min(limit, end - 7);
    for (let i = 0; i < stop; i++) {
      const first = ((b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16) | ((b[i + 3] as number) << 24)) >>> 0;
      const h = Math.imul(first, 0x9e3779b1) >>> 8;
      if (((filter[h >>> 5] as number) & (1 << (h & 31))) === 0) continue;
      const list = this.binary.get(first);
      if (!list) continue;
      const second = ((b[i + 4] as number) | ((b[i + 5] as number) << 8) | ((b[i + 6] as number) << 16) | ((b[i + 7] as number) << 24)) >>> 0;
      for (const nd of list) {
        if (nd.second !== second) continue;
        const at = base + i;
        while (recent.length && at - (recent[0] as { at: number }).at > BINARY_WINDOW) recent.shift();
        const partner = nd.axis ^ 1;
        if (recent.some((r) => r.secret === nd.secret && r.axis === partner && r.le === nd.le)) {
          const form: LeakForm = nd.axis < 2 ? (nd.le ? 'binary-lonlat-le' : 'binary-lonlat-be') : nd.le ? 'binary-xy-le' : 'binary-xy-be';
          report(nd.secret, form, at, null);
        }
        recent.push({ secret: nd.secret, axis: nd.axis, le: nd.le, at });
      }
    }
  }

  private scanText(
    b: Buffer,
    from: number,
    limit: number,
    end: number,
    base: number,
    linesBefore: number,
    comma: boolean,
    recent: { secret: number; axis: number; at: number }[],
    report: (secret: number, form: LeakForm, offset: number, line: number | null) => void,
  ): number {
    let i = from;
    while (i < limit) {
      const c = b[i] as number;
      const neg = c === 45 && i + 1 < end && isDigit(b[i + 1]);
      if (!neg && !isDigit(c)) {
        i++;
        continue;
      }
      const start = i;
      if (neg) i++;
      let intPart = 0;
      let intDigits = 0;
      while (i < end && isDigit(b[i])) {
        intPart = intPart * 10 + ((b[i] as number) - 48);
        intDigits++;
        i++;
      }
      let decimals = 0;
      let frac = 0;
      const sep = b[i];
      if (i + 1 < end && (sep === 46 || (comma && sep === 44)) && isDigit(b[i + 1])) {
        i++;
        let scale = 1;
        while (i < end && isDigit(b[i])) {
          if (decimals < 15) {
            scale /= 10;
            frac += ((b[i] as number) - 48) * scale;
          }
          decimals++;
          i++;
        }
      }
      if (intDigits > 9) continue;
      const v = (neg ? -1 : 1) * (intPart + frac);
      const lookups: [Map<number, TextNeedle[]>, number, number][] = [];
      if (decimals >= 4 && Math.abs(v) <= 180) lookups.push([this.lonlat, Math.floor(v * 1e4), Math.pow(10, -Math.min(decimals, 12))]);
      if (intDigits >= 5) lookups.push([this.xy, Math.floor(v), decimals === 0 ? 1 : Math.max(Math.pow(10, -Math.min(decimals, 12)), 0)]);
      for (const [map, key, tol] of lookups) {
        for (let k = key - 1; k <= key + 1; k++) {
          const list = map.get(k);
          if (!list) continue;
          for (const nd of list) {
            if (Math.abs(v - nd.value) >= tol + 1e-9) continue;
            const at = base + start;
            while (recent.length && at - (recent[0] as { at: number }).at > TEXT_WINDOW) recent.shift();
            const partner = nd.axis ^ 1;
            if (recent.some((r) => r.secret === nd.secret && r.axis === partner)) {
              let line = linesBefore + 1;
              for (let q = 0; q < start; q++) if (b[q] === 10) line++;
              report(nd.secret, nd.axis < 2 ? 'text-lonlat' : 'text-xy', at, line);
            }
            recent.push({ secret: nd.secret, axis: nd.axis, at });
          }
        }
      }
    }
    return i;
  }
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
}

/** Pages of an SQLite file on its freelist (trunk and leaf pages), from the raw bytes. */
export function sqliteFreePages(path: string): { pageSize: number; free: Set<number> } {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(100);
    readSync(fd, head, 0, 100, 0);
    if (head.toString('latin1', 0, 15) !== 'SQLite format 3') return { pageSize: 0, free: new Set() };
    const raw = head.readUInt16BE(16);
    const pageSize = raw === 1 ? 65536 : raw;
    const free = new Set<number>();
    let trunk = head.readUInt32BE(32);
    const page = Buffer.alloc(pageSize);
    let guard = 0;
    while (trunk !== 0 && guard++ < 1_000_000) {
      free.add(trunk);
      readSync(fd, page, 0, pageSize, (trunk - 1) * pageSize);
      const next = page.readUInt32BE(0);
      const leaves = page.readUInt32BE(4);
      for (let k = 0; k < leaves && 8 + k * 4 + 4 <= pageSize; k++) free.add(page.readUInt32BE(8 + k * 4));
      trunk = next;
    }
    return { pageSize, free };
  } finally {
    closeSync(fd);
  }
}
