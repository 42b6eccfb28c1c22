import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Unzip, UnzipInflate } from 'fflate';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { PATHS } from './layout.js';

/**
 * Versions and changelogs. A record's fingerprint is a 53-bit hash of its canonical CSV line
 * (every published value, the geometry as WKT); the content fingerprint is the SHA-256 of the
 * header and all lines, in UUID order. A bundle whose content fingerprint equals the previous
 * version's keeps its version (and carries its changelog over, so a rebuild is byte-identical);
 * otherwise the minor version goes up, or the major one when the columns changed, and the
 * changelog lists added, removed and changed observations by UUID.
 */

/**
 * A copy of a string that does not keep its parent alive: V8 keeps a substring as a slice of
 * the string it was cut from, so a million UUIDs cut from their CSV lines would hold every line.
 */
export function flatString(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

/** 53-bit hash of a string (FNV-1a 32 and a multiplicative hash, combined). */
export function recordHash(s: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 13;
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}

/** UUIDs and fingerprints of a bundle's records, in file order. */
export interface RecordIndex {
  uuids: string[];
  hashes: number[];
}

/**
 * Splits CSV bytes (this bundle's dialect) into records as they stream in, calling `onRecord`
 * with each record's first field (the UUID) and its text without the line end.
 */
export class CsvRecordScanner {
  private carry: Buffer = Buffer.alloc(0);
  /** Quote state at the end of what was scanned (the carry included). */
  private quoted = false;
  private header: string | null = null;

  constructor(private readonly onRecord: (first: string, line: string) => void) {}

  /** The header line, once seen. */
  get headerLine(): string | null {
    return this.header;
  }

  push(chunk: Uint8Array): void {
    const scanned = this.carry.length;
    const buf = scanned ? Buffer.concat([this.carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    // The carried bytes were scanned already (no line end outside quotes in them): go on after them.
    for (let i = scanned; i < buf.length; i++) {
      const c = buf[i];
      if (c === 34) this.quoted = !this.quoted;
      else if (c === 10 && !this.quoted) {
        const end = i > start && buf[i - 1] === 13 ? i - 1 : i;
        this.emit(buf.toString('utf8', start, end));
        start = i + 1;
      }
    }
    this.carry = Buffer.from(buf.subarray(start));
  }

  end(): void {
    if (this.carry.length > 0) this.emit(this.carry.toString('utf8'));
    this.carry = Buffer.alloc(0);
  }

  private emit(line: string): void {
    if (this.header === null) {
      this.header = line;
      return;
    }
    if (line === '') return;
    const comma = line.indexOf(',');
    let first = comma < 0 ? line : line.slice(0, comma);
    if (first.startsWith('"')) first = first.slice(1, -1).replace(/""/g, '"');
    this.onRecord(flatString(first), line);
  }
}

/** What versioning keeps of a bundle (changelog.json). */
export const ChangelogFile = z.object({
  bundle: z.string(),
  version: z.string(),
  asOf: z.string(),
  previous: z.object({ version: z.string(), asOf: z.string() }).nullable(),
  contentFingerprint: z.string(),
  columnsFingerprint: z.string(),
  counts: z.object({ records: z.number(), added: z.number(), removed: z.number(), changed: z.number(), unchanged: z.number() }),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  changed: z.array(z.string()),
  note: z.string().optional(),
});
export type ChangelogFile = z.infer<typeof ChangelogFile>;

/** What a build needs from the previous version. */
export interface PreviousBundle {
  readonly path: string;
  readonly changelog: ChangelogFile;
  /** changelog.json as it is written (carried over unchanged when the content did not change). */
  readonly changelogRaw: string;
  readonly changelogMd: string | null;
  /** Records from the previous CSV, when it has one. */
  readonly records: RecordIndex | null;
  readonly header: string | null;
}

/** Reads chosen entries of a zip, streaming: whole text for small ones, chunks for the CSV. */
function readZipEntries(path: string, wanted: ReadonlyMap<string, (chunk: Uint8Array, final: boolean) => void>): Set<string> {
  const seen = new Set<string>();
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  let failure: Error | null = null;
  unzip.onfile = (file) => {
    const sink = wanted.get(file.name);
    if (!sink) return;
    seen.add(file.name);
    file.ondata = (err, data, final) => {
      if (err) failure = err;
      else sink(data, final);
    };
    file.start();
  };
  const fd = openSync(path, 'r');
  try {
    const size = statSync(path).size;
    const buf = Buffer.allocUnsafe(4 << 20);
    let read = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      read += n;
      unzip.push(new Uint8Array(buf.subarray(0, n)), read >= size || n === 0);
      if (failure) throw failure;
      if (n === 0 || read >= size) break;
    }
  } finally {
    closeSync(fd);
  }
  return seen;
}

/** Reads a file of a bundle folder in chunks. */
function streamFile(path: string, sink: (chunk: Uint8Array, final: boolean) => void): void {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(4 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) {
        sink(new Uint8Array(0), true);
        return;
      }
      sink(new Uint8Array(buf.subarray(0, n)), false);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads the previous version of a bundle (a folder or a zip): its changelog.json, CHANGELOG.md
 * and the UUID and fingerprint of each record of its CSV. Null when `path` holds no bundle.
 */
export function readPreviousBundle(path: string): PreviousBundle | null {
  if (!existsSync(path)) return null;
  const isZip = statSync(path).isFile();
  const texts = new Map<string, Buffer[]>();
  const collect = (name: string) => (chunk: Uint8Array) => {
    let parts = texts.get(name);
    if (!parts) texts.set(name, (parts = []));
    parts.push(Buffer.from(chunk));
  };
  const records: RecordIndex = { uuids: [], hashes: [] };
  const scanner = new CsvRecordScanner((uuid, line) => {
    records.uuids.push(uuid);
    records.hashes.push(recordHash(line + '\r\n'));
  });
  const csvSink = (chunk: Uint8Array, final: boolean) => {
    scanner.push(chunk);
    if (final) scanner.end();
  };
  let hasCsv = false;
  if (isZip) {
    const seen = readZipEntries(
      path,
      new Map([
        [PATHS.changelogJson, collect(PATHS.changelogJson)],
        [PATHS.changelogMd, collect(PATHS.changelogMd)],
        [PATHS.csv, csvSink],
      ]),
    );
    hasCsv = seen.has(PATHS.csv);
    if (hasCsv) scanner.end();
  } else {
    for (const name of [PATHS.changelogJson, PATHS.changelogMd]) {
      const p = join(path, name);
      if (existsSync(p)) texts.set(name, [readFileSync(p)]);
    }
    if (existsSync(join(path, PATHS.csv))) {
      hasCsv = true;
      streamFile(join(path, PATHS.csv), csvSink);
    }
  }
  const raw = texts.get(PATHS.changelogJson);
  if (!raw) return null;
  let changelog: ChangelogFile;
  const changelogRaw = Buffer.concat(raw).toString('utf8');
  try {
    changelog = ChangelogFile.parse(JSON.parse(changelogRaw));
  } catch (e) {
    throw new AppError('CORRUPT', `${path}: the previous version's changelog.json is unreadable`, {
      key: 'errors.BUNDLE_PREVIOUS_UNREADABLE',
      params: { path, reason: e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e) },
      where: path,
      cause: e,
    });
  }
  const md = texts.get(PATHS.changelogMd);
  return { path, changelog, changelogRaw, changelogMd: md ? Buffer.concat(md).toString('utf8') : null, records: hasCsv ? records : null, header: hasCsv ? scanner.headerLine : null };
}

/** Added, removed and changed UUIDs between two record indexes (each in any order). */
export function diffRecords(prev: RecordIndex, cur: RecordIndex): { added: string[]; removed: string[]; changed: string[]; unchanged: number } {
  const before = new Map<string, number>();
  prev.uuids.forEach((u, i) => before.set(u, prev.hashes[i] as number));
  const added: string[] = [];
  const changed: string[] = [];
  let unchanged = 0;
  const seen = new Set<string>();
  cur.uuids.forEach((u, i) => {
    seen.add(u);
    const h = before.get(u);
    if (h === undefined) added.push(u);
    else if (h !== cur.hashes[i]) changed.push(u);
    else unchanged++;
  });
  const removed = prev.uuids.filter((u) => !seen.has(u));
  const sort = (a: string[]) => a.sort();
  return { added: sort(added), removed: sort(removed), changed: sort(changed), unchanged };
}

/** The next version: minor + 1, or major + 1 when the columns changed. */
export function nextVersion(previous: string, columnsChanged: boolean): string {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(previous);
  if (!m) return '1.0.0';
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return columnsChanged ? `${major + 1}.0.0` : `${major}.${minor + 1}.0`;
}

/** The first version of a bundle. */
export const FIRST_VERSION = '1.0.0';
