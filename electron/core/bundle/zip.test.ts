import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { tempDir } from '../../../test/helpers/gpkg-fixtures.js';
import { listFiles, unzipTo, zipFolder, zipTime } from './zip.js';

const tmp = tempDir('passerelle-zip-');
afterAll(() => tmp.cleanup());
const hooks = { checkpoint: async () => {}, progress: () => {} };

describe('deterministic zips', () => {
  const src = join(tmp.dir, 'src');
  mkdirSync(join(src, 'data'), { recursive: true });
  writeFileSync(join(src, 'b.txt'), 'b'.repeat(10_000));
  writeFileSync(join(src, 'a.md'), 'é');
  writeFileSync(join(src, 'data', 'x.csv'), 'x,y\r\n1,2\r\n');

  it('stores the entries in byte order of their paths with the moment of the bundle as their time, whatever the time zone', async () => {
    expect(listFiles(src)).toEqual(['a.md', 'b.txt', 'data/x.csv']);
    const t = zipTime('2026-11-29T09:46:15.356Z');
    expect([t.getFullYear(), t.getMonth(), t.getDate(), t.getHours(), t.getMinutes(), t.getSeconds()]).toEqual([2026, 10, 29, 9, 46, 15]);
    const z1 = join(tmp.dir, '1.zip');
    const z2 = join(tmp.dir, '2.zip');
    await zipFolder(src, z1, '2026-11-29T09:46:15.356Z', hooks);
    await zipFolder(src, z2, '2026-11-29T09:46:15.356Z', hooks);
    expect(readFileSync(z1).equals(readFileSync(z2))).toBe(true);
    const entries = unzipSync(readFileSync(z1));
    expect(Object.keys(entries)).toEqual(['a.md', 'b.txt', 'data/x.csv']);
    expect(Buffer.from(entries['b.txt'] as Uint8Array).toString()).toBe('b'.repeat(10_000));
  });

  it('reads back to the same files, and refuses entries that would escape the folder', async () => {
    const z = join(tmp.dir, 'back.zip');
    await zipFolder(src, z, '2026-01-01T00:00:00Z', hooks);
    const out = join(tmp.dir, 'back');
    mkdirSync(out);
    expect(unzipTo(z, out)).toEqual(['a.md', 'b.txt', 'data/x.csv']);
    expect(readFileSync(join(out, 'a.md'), 'utf8')).toBe('é');
    const evil = join(tmp.dir, 'evil');
    mkdirSync(evil);
    const { zipSync } = await import('fflate');
    writeFileSync(join(tmp.dir, 'evil.zip'), zipSync({ '../escape.txt': new Uint8Array([1]) }));
    expect(() => unzipTo(join(tmp.dir, 'evil.zip'), evil)).toThrow(/unsafe entry/);
  });
});
