import { closeSync, mkdirSync, openSync, readSync, readdirSync, statSync, writeSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { Unzip, UnzipInflate, Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { AppError } from '../errors.js';

/**
 * Deterministic zips of a bundle folder, and reading them back.
 *
 * Library: fflate (already a dependency, pure JavaScript, no native code to build on the
 * park's Windows machines, streaming in both directions, maintained). yazl writes zips only and
 * would need yauzl to read them back; fflate does both with one small package. Determinism: the
 * entries are added in byte order of their paths, every entry has the same modification time
 * (the bundle's `asOf`), no extra fields, and the compression level is fixed. Limit: fflate
 * writes no ZIP64 records, so an entry or archive over 4 GiB is refused (a bundle that large
 * should stay a folder).
 */

/** Every file of a folder, as relative paths with `/`, in byte order. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/**
 * The zip timestamp of `asOf`: DOS times are local, and fflate reads the local fields of the
 * Date, so the Date is built with `asOf`'s UTC fields as local ones: the archive is the same in
 * every time zone.
 */
export function zipTime(asOf: string): Date {
  const d = new Date(asOf);
  const y = Math.max(1980, d.getUTCFullYear());
  return new Date(y, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}

const LIMIT = 0xffffffff;
/** Files already compressed or that barely compress are stored. */
const STORED = /\.(zip|gz|png|jpg)$/i;

/** Zips a folder into `target` (a new file), deterministically. */
export async function zipFolder(folder: string, target: string, asOf: string, hooks: { checkpoint(): Promise<void>; progress(done: number, total: number, message: string): void }, level: 0 | 1 | 6 | 9 = 6): Promise<void> {
  const files = listFiles(folder);
  const total = files.reduce((n, f) => n + statSync(join(folder, f)).size, 0);
  if (total > LIMIT) {
    throw new AppError('UNSUPPORTED', `${folder}: ${total} bytes is too large for a zip without ZIP64; keep the bundle as a folder`, {
      key: 'errors.BUNDLE_ZIP_TOO_LARGE',
      params: { path: folder, bytes: total },
      where: folder,
    });
  }
  const fd = openSync(target, 'wx');
  let failure: Error | null = null;
  let written = 0;
  try {
    const zip = new Zip((err, chunk) => {
      if (err) failure = err;
      else {
        written += chunk.length;
        if (written > LIMIT) failure = new Error('zip larger than 4 GiB');
        let off = 0;
        while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off);
      }
    });
    const mtime = zipTime(asOf);
    const buf = Buffer.allocUnsafe(1 << 20);
    let done = 0;
    for (const name of files) {
      const entry = STORED.test(name) || level === 0 ? new ZipPassThrough(name) : new ZipDeflate(name, { level });
      entry.mtime = mtime;
      zip.add(entry);
      const src = openSync(join(folder, name), 'r');
      try {
        for (;;) {
          const n = readSync(src, buf, 0, buf.length, null);
          if (n === 0) {
            entry.push(new Uint8Array(0), true);
            break;
          }
          entry.push(new Uint8Array(buf.subarray(0, n)), false);
          done += n;
          if (failure) throw failure;
          hooks.progress(done, total, `zip ${name}`);
          await hooks.checkpoint();
        }
      } finally {
        closeSync(src);
      }
    }
    zip.end();
    if (failure) throw failure;
  } finally {
    closeSync(fd);
  }
}

/** Extracts a zip into a new folder; returns the entry names in archive order. */
export function unzipTo(zipPath: string, folder: string): string[] {
  const names: string[] = [];
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  let failure: Error | null = null;
  const open = new Map<string, number>();
  unzip.onfile = (file) => {
    const name = file.name;
    if (name.endsWith('/')) return;
    if (name.startsWith('/') || name.split('/').includes('..') || /^[A-Za-z]:/.test(name)) {
      failure = new Error(`unsafe entry name ${name}`);
      return;
    }
    names.push(name);
    const p = join(folder, ...name.split('/'));
    mkdirSync(dirname(p), { recursive: true });
    const out = openSync(p, 'wx');
    open.set(name, out);
    file.ondata = (err, data, final) => {
      if (err) {
        failure = err;
        return;
      }
      let off = 0;
      while (off < data.length) off += writeSync(out, data, off, data.length - off);
      if (final) {
        closeSync(out);
        open.delete(name);
      }
    };
    file.start();
  };
  const fd = openSync(zipPath, 'r');
  try {
    const size = statSync(zipPath).size;
    const buf = Buffer.allocUnsafe(4 << 20);
    let read = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      read += n;
      unzip.push(new Uint8Array(buf.subarray(0, n)), n === 0 || read >= size);
      if (failure) break;
      if (n === 0 || read >= size) break;
    }
  } finally {
    closeSync(fd);
    for (const out of open.values()) closeSync(out);
  }
  if (failure) {
    const reason = (failure as Error).message;
    throw new AppError('CORRUPT', `${zipPath} cannot be read as a zip: ${reason}`, { key: 'errors.BUNDLE_ZIP_UNREADABLE', params: { path: zipPath, reason }, where: zipPath, cause: failure });
  }
  if (open.size > 0) {
    throw new AppError('TRUNCATED', `${zipPath} ends inside an entry`, { key: 'errors.BUNDLE_ZIP_UNREADABLE', params: { path: zipPath, reason: 'truncated' }, where: zipPath });
  }
  return names;
}
