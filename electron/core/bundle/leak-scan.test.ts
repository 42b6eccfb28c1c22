import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/gpkg-fixtures.js';
import { LeakScanner, sqliteFreePages, type SecretPoint } from './leak-scan.js';

const tmp = tempDir('passerelle-leakscan-');
afterAll(() => tmp.cleanup());
const secret: SecretPoint = { uuid: 'u-1', lon: 6.283746512, lat: 44.812345678, x: 945123.6, y: 6412345.2 };
const scanner = new LeakScanner([secret]);
let n = 0;
function scan(content: string | Buffer, commaDecimals = true) {
  const p = join(tmp.dir, `f${++n}`);
  writeFileSync(p, content);
  return scanner.scanFile(p, `f${n}`, { commaDecimals }).map((h) => h.form);
}
const f64 = (v: number, le: boolean) => {
  const b = Buffer.alloc(8);
  if (le) b.writeDoubleLE(v);
  else b.writeDoubleBE(v);
  return b;
};

describe('the leak scan', () => {
  it.each([
    ['full precision (WKT)', `POINT (${secret.lon} ${secret.lat})`],
    ['rounded to 4 decimals', 'at 6.2837, 44.8123'],
    ['truncated to 5 decimals', '44.81234 / 6.28374'],
    ['rounded to 6 decimals, in JSON', '{"lon":6.283747,"lat":44.812346}'],
    ['a decimal comma (French text)', 'lat 44,8123 ; lon 6,2837'],
  ])('finds longitude and latitude together: %s', (_, text) => {
    expect(scan(text)).toEqual(['text-lonlat']);
  });

  it('finds Lambert-93 to the metre, rounded or truncated', () => {
    expect(scan('X=945124 Y=6412345')).toEqual(['text-xy']);
    expect(scan('945123;6412345')).toEqual(['text-xy']);
  });

  it('finds binary doubles, little- and big-endian, in pairs', () => {
    expect(scan(Buffer.concat([Buffer.from('GP'), f64(secret.lon, true), f64(secret.lat, true)]))).toEqual(['binary-lonlat-le']);
    expect(scan(Buffer.concat([f64(secret.lon, false), Buffer.alloc(3), f64(secret.lat, false)]))).toEqual(['binary-lonlat-be']);
    expect(scan(Buffer.concat([f64(secret.x as number, true), f64(secret.y as number, true)]))).toEqual(['binary-xy-le']);
  });

  it('a single coordinate, a coarse one, or the two far apart are not a leak', () => {
    expect(scan(`${secret.lat}`)).toEqual([]);
    expect(scan(Buffer.concat([f64(secret.lon, true), Buffer.alloc(200), f64(secret.lat, true)]))).toEqual([]);
    expect(scan('6.284, 44.812')).toEqual([]);
    expect(scan(`6.2837 ${'x'.repeat(2000)} 44.8123`)).toEqual([]);
    expect(scan('6.2838, 44.8125')).toEqual([]);
    // In a CSV, a comma separates fields: 6,2837 is two numbers.
    expect(scan('lat 44,8123 ; lon 6,2837', false)).toEqual([]);
  });

  it('finds a leak cut by the 8 MB read boundary, and says on which line', () => {
    const pad = 'a'.repeat((8 << 20) - 10);
    const p = join(tmp.dir, 'big');
    writeFileSync(p, `line1\n${pad}6.2837465,44.8123457\n`);
    const hits = scanner.scanFile(p, 'big', { commaDecimals: false });
    expect(hits.map((h) => [h.form, h.line])).toEqual([['text-lonlat', 2]]);
    const b = Buffer.concat([Buffer.alloc((8 << 20) - 4), f64(secret.lon, true), f64(secret.lat, true)]);
    writeFileSync(p, b);
    expect(scanner.scanFile(p, 'big', { commaDecimals: false }).map((h) => [h.form, h.offset])).toEqual([['binary-lonlat-le', (8 << 20) + 4]]);
  });

  it('reads the free pages of an SQLite file from its raw bytes', () => {
    const p = join(tmp.dir, 'free.sqlite');
    const db = new Database(p);
    db.exec('CREATE TABLE t (x BLOB)');
    const ins = db.prepare('INSERT INTO t VALUES (?)');
    for (let i = 0; i < 50; i++) ins.run(Buffer.alloc(3000, 1));
    db.exec('DELETE FROM t');
    const expected = db.pragma('freelist_count', { simple: true }) as number;
    db.close();
    const { pageSize, free } = sqliteFreePages(p);
    expect(pageSize).toBe(4096);
    expect(expected).toBeGreaterThan(10);
    expect(free.size).toBe(expected);
  });
});

describe('the binary search in text files', () => {
  it('is skipped where the text is valid UTF-8, done where it is not', () => {
    const p = join(tmp.dir, 'text.csv');
    const b = Buffer.concat([Buffer.from('a,b\r\n'), f64(secret.lon, true), f64(secret.lat, true)]);
    writeFileSync(p, b);
    expect(scanner.scanFile(p, 'text.csv', { commaDecimals: false, binary: 'unless-utf8' }).map((h) => h.form)).toEqual(['binary-lonlat-le']);
    writeFileSync(p, 'a,b\r\nplain text\r\n');
    expect(scanner.scanFile(p, 'text.csv', { commaDecimals: false, binary: 'unless-utf8' })).toEqual([]);
  });
});
