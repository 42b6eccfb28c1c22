import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

/** A file's size and SHA-256. */
export interface FileDigest {
  readonly bytes: number;
  readonly sha256: string;
}

const FLUSH_CHARS = 1 << 20;

/**
 * Writes text to a new file through a buffer, hashing what it writes: a bundle's checksums
 * cost nothing for the files it streams (CSV, occurrence.txt, GeoJSON).
 */
export class HashedWriter {
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  private parts: string[] = [];
  private pending = 0;
  private bytes = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'wx');
  }

  write(text: string): void {
    this.parts.push(text);
    this.pending += text.length;
    if (this.pending >= FLUSH_CHARS) this.flush();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const buf = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.pending = 0;
    this.hash.update(buf);
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    this.bytes += buf.length;
  }

  /** Flushes, closes and returns the file's digest. */
  close(): FileDigest {
    this.flush();
    closeSync(this.fd);
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  /** Closes without caring for the digest (on failure). */
  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}

/** SHA-256 and size of a file, read in 4 MB blocks. */
export function digestFile(path: string): FileDigest {
  const fd = openSync(path, 'r');
  try {
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(4 << 20);
    let bytes = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      bytes += n;
    }
    return { bytes, sha256: hash.digest('hex') };
  } finally {
    closeSync(fd);
  }
}

/** Writes a whole text file and returns its digest. */
export function writeTextFile(path: string, text: string): FileDigest {
  const w = new HashedWriter(path);
  w.write(text);
  return w.close();
}
