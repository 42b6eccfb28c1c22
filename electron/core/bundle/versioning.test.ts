import { describe, expect, it } from 'vitest';
import { csvLine } from '../../../shared/bundle/csv.js';
import { CsvRecordScanner, diffRecords, nextVersion, recordHash } from './versioning.js';

describe('versions', () => {
  it('a record’s fingerprint is stable and tells changed lines apart', () => {
    expect(recordHash('a,b\r\n')).toBe(recordHash('a,b\r\n'));
    expect(recordHash('a,b\r\n')).not.toBe(recordHash('a,c\r\n'));
    expect(Number.isSafeInteger(recordHash('x'.repeat(1000)))).toBe(true);
  });

  it('splits CSV records streamed in pieces, quoted line breaks included', () => {
    const text = csvLine(['unique_id_sinp', 'comment']) + csvLine(['u1', 'two\r\nlines, "quoted"']) + csvLine(['"odd"', 'x']);
    const seen: [string, string][] = [];
    const s = new CsvRecordScanner((first, line) => seen.push([first, line]));
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += 7) s.push(bytes.subarray(i, i + 7));
    s.end();
    expect(s.headerLine).toBe('unique_id_sinp,comment');
    expect(seen).toEqual([
      ['u1', 'u1,"two\r\nlines, ""quoted"""'],
      ['"odd"', '"""odd""",x'],
    ]);
  });

  it('lists added, removed and changed records by UUID', () => {
    const d = diffRecords({ uuids: ['a', 'b', 'c'], hashes: [1, 2, 3] }, { uuids: ['a', 'c', 'd'], hashes: [1, 30, 4] });
    expect(d).toEqual({ added: ['d'], removed: ['b'], changed: ['c'], unchanged: 1 });
  });

  it('the next version: minor for new content, major for new columns', () => {
    expect(nextVersion('1.0.0', false)).toBe('1.1.0');
    expect(nextVersion('1.4.0', true)).toBe('2.0.0');
  });
});
