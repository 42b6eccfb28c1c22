import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import type { TextEncoding } from '../../../shared/contract/index.js';
import { mojibakeScore } from '../../../shared/cleanup/mojibake.js';

/** How the encoding of a text file was chosen. */
export type EncodingHow = 'bom' | 'valid-utf8' | 'given' | 'guess' | 'binary';

export interface DetectedEncoding {
  readonly encoding: TextEncoding;
  readonly how: EncodingHow;
  readonly bom: boolean;
}

/** Bytes sniffing looks at: enough for the header and a few thousand rows. */
export const SNIFF_BYTES = 4 * 1024 * 1024;

/** The first `n` bytes of a file. */
export function headBytes(path: string, n = SNIFF_BYTES): Buffer {
  const size = statSync(path).size;
  const buf = Buffer.alloc(Math.min(n, size));
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  return buf;
}

/** Cuts a UTF-8 sample before an incomplete trailing sequence (the sample may end mid-character). */
function trimUtf8Tail(b: Buffer): Buffer {
  let end = b.length;
  for (let k = 1; k <= 3 && end - k >= 0; k++) {
    const byte = b[end - k] as number;
    if ((byte & 0xc0) === 0x80) continue;
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    if (need > k) end -= k;
    break;
  }
  return b.subarray(0, end);
}

/**
 * Detects a text file's encoding from its first bytes: a byte-order mark (UTF-8, UTF-16), NUL
 * bytes every other byte (UTF-16 without BOM), strictly valid UTF-8, else Windows-1252 (which
 * also reads Latin-1: the two differ only in 0x80–0x9F, control characters in Latin-1).
 */
export function detectEncoding(head: Buffer, given?: TextEncoding): DetectedEncoding {
  const bom8 = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  const bomLe = head[0] === 0xff && head[1] === 0xfe;
  const bomBe = head[0] === 0xfe && head[1] === 0xff;
  const bom = bom8 || bomLe || bomBe;
  if (given) return { encoding: given, how: 'given', bom };
  if (bom8) return { encoding: 'utf-8', how: 'bom', bom };
  if (bomLe) return { encoding: 'utf-16le', how: 'bom', bom };
  if (bomBe) return { encoding: 'utf-16be', how: 'bom', bom };
  const sample = head.subarray(0, Math.min(head.length, 4096));
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) evenNul++;
    else oddNul++;
  }
  if (sample.length >= 4 && oddNul > sample.length / 4 && evenNul === 0) return { encoding: 'utf-16le', how: 'guess', bom };
  if (sample.length >= 4 && evenNul > sample.length / 4 && oddNul === 0) return { encoding: 'utf-16be', how: 'guess', bom };
  if (evenNul + oddNul > 0) return { encoding: 'utf-8', how: 'binary', bom };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(trimUtf8Tail(head));
    return { encoding: 'utf-8', how: 'valid-utf8', bom };
  } catch {
    return { encoding: 'windows-1252', how: 'guess', bom };
  }
}

/** Decodes a sample (BOM dropped). */
export function decodeSample(head: Buffer, encoding: TextEncoding): string {
  return new TextDecoder(encoding).decode(encoding === 'utf-8' ? trimUtf8Tail(head) : head);
}

/**
 * The encodings a user may confirm, with what each makes of the file: its first line that is
 * not plain ASCII (or the header), and a damage score (mojibake pairs and U+FFFD per 1,000
 * characters) — the right encoding is usually the one with the lowest.
 */
export function encodingCandidates(head: Buffer, detected: DetectedEncoding): { encoding: TextEncoding; sample: string; damage: number }[] {
  const list: TextEncoding[] = detected.encoding.startsWith('utf-16') ? [detected.encoding] : ['utf-8', 'windows-1252'];
  if (!list.includes(detected.encoding)) list.unshift(detected.encoding);
  return list.map((encoding) => {
    const text = decodeSample(head, encoding);
    const lines = text.split(/\r\n|\n|\r/);
    // eslint-disable-next-line no-control-regex
    const sample = lines.find((l) => /[^\x00-\x7f]/.test(l)) ?? lines.find((l) => l.trim() !== '') ?? '';
    return { encoding, sample: sample.slice(0, 300), damage: Math.round(mojibakeScore(text) * 100) / 100 };
  });
}

/** Streams a file's text in chunks (BOM dropped, multi-byte characters never split). */
export async function* readText(path: string, encoding: TextEncoding, chunkBytes = 1 << 20): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of createReadStream(path, { highWaterMark: chunkBytes })) {
    const s = decoder.decode(chunk as Buffer, { stream: true });
    if (s) yield s;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}
