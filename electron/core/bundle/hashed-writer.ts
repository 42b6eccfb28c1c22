import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

/** A file's size and SHA-256. */
export interface FileDigest {
  readonly bytes: number;
  readonly sha256: string;
}

const BUFFER_BYTES = 1 << 21;

/**
 * Writes text to a new file through a buffer, hashing what it writes: a bundle's checksums
 * cost nothing for the files it streams (CSV, occurrence.txt, GeoJSON). Text is encoded straight
 * into the buffer (no joined string per block: a million lines would allocate it twice).
 */
export class HashedWriter {
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  private readonly buf = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private bytes = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'wx');
  }

  write(text: string): void {
    // A UTF-16 unit takes at most 3 UTF-8 bytes.
    if (this.used + text.length * 3 > BUFFER_BYTES) {
      this.flush();
      if (text.length * 3 > BUFFER_BYTES) {
        const big = Buffer.from(text, 'utf8');
        this.emit(big);
        return;
      }
    }
    this.used += this.buf.write(text, this.used, 'utf8');
  }

  private emit(b: Buffer): void {
    this.hash.update(b);
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off, b.length - off);
    this.bytes += b.length;
  }

  private flush(): void {
    if (this.used === 0) return;
    this.emit(this.buf.subarray(0, this.used));
    this.used = 0;
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
