import { describe, expect, it } from 'vitest';
import { csvLine, parseCsvRecords, tsvField } from './csv.js';

describe('the bundle CSV dialect', () => {
  it('quotes only what needs it and reads back what it wrote', () => {
    const values = ['plain', 'a, b', 'say "hi"', 'two\r\nlines', null, 44.8123, ''];
    const line = csvLine(values);
    expect(line).toBe('plain,"a, b","say ""hi""","two\r\nlines",,44.8123,\r\n');
    expect(parseCsvRecords(line + csvLine(['x', 'y']))).toEqual([['plain', 'a, b', 'say "hi"', 'two\r\nlines', '', '44.8123', ''], ['x', 'y']]);
  });

  it('occurrence.txt fields never hold a tab or a line break', () => {
    expect(tsvField('a\tb\nc')).toBe('a b c');
    expect(tsvField(12.5)).toBe('12.5');
    expect(tsvField(null)).toBe('');
  });
});
