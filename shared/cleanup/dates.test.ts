import { describe, expect, it } from 'vitest';
import { detectDatePatterns, formatIso, parseDateWith, parseIso, withTime } from './dates.js';

describe('dates', () => {
  it.each([
    ['03/08/2017', 'DD/MM/YYYY', '2017-08-03'],
    ['3/8/2017', 'D/M/YYYY', '2017-08-03'],
    ['2017/09/20', 'YYYY/MM/DD', '2017-09-20'],
    ['20170920', 'YYYYMMDD', '2017-09-20'],
    ['20.09.2017', 'DD.MM.YYYY', '2017-09-20'],
    ['20/09/17', 'DD/MM/YY', '2017-09-20'],
    ['20/09/98', 'DD/MM/YY', '1998-09-20'],
    ['2017-01-01 12:05:02', 'YYYY-MM-DD HH:mm:ss', '2017-01-01T12:05:02'],
    ['09/20/2017', 'MM/DD/YYYY', '2017-09-20'],
  ])('%s with %s → %s', (text, pattern, iso) => {
    const d = parseDateWith(text, pattern, '2026-01-01');
    expect(d).not.toBeNull();
    expect(formatIso(d as NonNullable<typeof d>)).toBe(iso);
  });

  it.each([
    ['31/02/2017', 'DD/MM/YYYY'],
    ['2017-13-01', 'YYYY-MM-DD'],
    ['29/02/2019', 'DD/MM/YYYY'],
    ['12/05/2019', 'YYYY-MM-DD'],
    ['25:00', 'HH:mm'],
  ])('%s does not read as %s', (text, pattern) => {
    expect(parseDateWith(text, pattern)).toBeNull();
  });

  it('reads the ISO forms the workspace stores', () => {
    expect(parseIso('2017-08-03')?.time).toBe(false);
    expect(parseIso('2017-08-03T00:00:00')?.time).toBe(true);
    expect(parseIso('2017-08-03 12:00:00.125')).not.toBeNull();
    expect(parseIso('2016-02-29')).not.toBeNull();
    expect(parseIso('2017-02-29')).toBeNull();
    expect(parseIso('03/08/2017')).toBeNull();
  });

  it('detects the patterns that read every sample, French first', () => {
    expect(detectDatePatterns(['05/06/2019', '12/11/2018'])).toEqual(['DD/MM/YYYY', 'MM/DD/YYYY']);
    expect(detectDatePatterns(['25/06/2019', '12/11/2018'])).toEqual(['DD/MM/YYYY']);
    expect(detectDatePatterns(['2019-06-25'])).toEqual(['YYYY-MM-DD']);
  });

  it('adds an hour to a date', () => {
    const d = parseIso('2017-01-01') as NonNullable<ReturnType<typeof parseIso>>;
    expect(formatIso(withTime(d, '8:05') as NonNullable<ReturnType<typeof withTime>>)).toBe('2017-01-01T08:05:00');
    expect(withTime(d, '24:00')).toBeNull();
  });
});
