import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BundleDiff } from '../../../shared/contract/schemas/bundle.js';
import { AppError } from '../errors.js';
import type { JobContext } from '../jobs/context.js';
import { digestFile } from './hashed-writer.js';
import { PATHS } from './layout.js';
import { CsvRecordScanner, diffRecords, recordHash, type RecordIndex } from './versioning.js';
import { listFiles, unzipTo } from './zip.js';

/** UUIDs listed per kind of change before the lists are cut (the counts stay exact). */
const MAX_LISTED = 10_000;

interface Side {
  readonly root: string;
  readonly files: Map<string, string>;
  readonly id: string | null;
  readonly version: string | null;
  readonly asOf: string | null;
  readonly records: RecordIndex | null;
}

function readSide(root: string): Side {
  const files = new Map<string, string>();
  for (const f of listFiles(root)) files.set(f, digestFile(join(root, ...f.split('/'))).sha256);
  let id: string | null = null;
  let version: string | null = null;
  let asOf: string | null = null;
  try {
    const dp = JSON.parse(readFileSync(join(root, PATHS.datapackage), 'utf8')) as { passerelle?: { bundle?: string; version?: string; asOf?: string } };
    id = dp.passerelle?.bundle ?? null;
    version = dp.passerelle?.version ?? null;
    asOf = dp.passerelle?.asOf ?? null;
  } catch {
    // a folder that is not a Passerelle bundle: compared by files only
  }
  let records: RecordIndex | null = null;
  const csv = join(root, PATHS.csv);
  if (existsSync(csv)) {
    const r: RecordIndex = { uuids: [], hashes: [] };
    const scanner = new CsvRecordScanner((uuid, line) => {
      r.uuids.push(uuid);
      r.hashes.push(recordHash(line + '\r\n'));
    });
    scanner.push(readFileSync(csv));
    scanner.end();
    records = r;
  }
  return { root, files, id, version, asOf, records };
}

/** Compares two bundles (folders or zips): files by checksum, observations by UUID (the `bundle.diff` task). */
export async function diffBundlesTask(input: { old: string; new: string }, ctx: JobContext): Promise<BundleDiff> {
  const temps: string[] = [];
  const open = (p: string): string => {
    if (!existsSync(p)) throw new AppError('NOT_FOUND', `No bundle at ${p}`, { key: 'errors.FILE_NOT_FOUND', params: { path: p }, where: p });
    if (statSync(p).isDirectory()) return p;
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-diff-'));
    temps.push(dir);
    unzipTo(p, dir);
    return dir;
  };
  try {
    ctx.progress(0, 2, 'old');
    const a = readSide(open(input.old));
    await ctx.checkpoint();
    ctx.progress(1, 2, 'new');
    const b = readSide(open(input.new));
    const added = [...b.files.keys()].filter((f) => !a.files.has(f));
    const removed = [...a.files.keys()].filter((f) => !b.files.has(f));
    const both = [...b.files.keys()].filter((f) => a.files.has(f));
    const changed = both.filter((f) => a.files.get(f) !== b.files.get(f));
    const unchanged = both.filter((f) => a.files.get(f) === b.files.get(f));
    let observations: BundleDiff['observations'] = null;
    if (a.records && b.records) {
      const d = diffRecords(a.records, b.records);
      const cut = (l: string[]) => l.slice(0, MAX_LISTED);
      observations = {
        added: cut(d.added),
        removed: cut(d.removed),
        changed: cut(d.changed),
        unchanged: d.unchanged,
        truncated: d.added.length > MAX_LISTED || d.removed.length > MAX_LISTED || d.changed.length > MAX_LISTED,
      };
    }
    ctx.progress(2, 2, 'done');
    return {
      old: { path: input.old, id: a.id, version: a.version, asOf: a.asOf },
      new: { path: input.new, id: b.id, version: b.version, asOf: b.asOf },
      sameBundle: a.id !== null && a.id === b.id,
      files: { added: added.sort(), removed: removed.sort(), changed: changed.sort(), unchanged: unchanged.sort() },
      observations,
    };
  } finally {
    for (const t of temps) rmSync(t, { recursive: true, force: true });
  }
}
