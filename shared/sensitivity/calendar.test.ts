import { describe, expect, it } from 'vitest';
import { emptyWindow, formatMonthDay, inPeriod, isoYear, parseMonthDay, readWindow, windowTouchesPeriod, yearsSince } from './calendar.js';

describe('month-days', () => {
  it.each([
    ['10-01', 1001],
    ['07-31', 731],
    ['--02-29', 229],
    ['1900-10-01', 1001],
    ['2000-02-29', 229],
    ['1900-12-31T00:00:00', 1231],
    ['01/10', 1001],
    ['31/07/1900', 731],
    ['1-5', 105],
    [' 12-25 ', 1225],
  ])('reads %j as %i', (text, md) => {
    expect(parseMonthDay(text)).toBe(md);
  });

  it.each(['', '13-01', '02-30', '04-31', '00-10', '1900-1-1x', 'octobre', '32/01', null, undefined])('refuses %j', (text) => {
    expect(parseMonthDay(text as string)).toBeNull();
  });

  it('writes MM-DD', () => {
    expect(formatMonthDay(101)).toBe('01-01');
    expect(formatMonthDay(1231)).toBe('12-31');
    expect(formatMonthDay(229)).toBe('02-29');
  });
});

describe('ISO dates', () => {
  it.each([
    ['2017-08-25', 2017],
    ['2016-02-29', 2016],
    ['2000-02-29', 2000],
    ['2017-08-25T10:12:00', 2017],
    ['2017-08-25 10:12:00', 2017],
  ])('%s is a date of %i', (text, y) => {
    expect(isoYear(text)).toBe(y);
  });

  it.each(['2017-02-29', '1900-02-29', '2017-13-01', '2017-00-10', '2017-04-31', '17-08-25', '2017/08/25', '2017-08-25X', '', 'not a date'])('%j is not a date', (text) => {
    expect(isoYear(text)).toBe(-1);
  });
});

describe('periods of the year', () => {
  // [label, start, end, day, inside]
  it.each([
    ['inside a plain period', 301, 531, 415, true],
    ['first day counts', 301, 531, 301, true],
    ['last day counts', 301, 531, 531, true],
    ['day before', 301, 531, 228, false],
    ['day after', 301, 531, 601, false],
    ['wrap: December inside October–July', 1001, 731, 1211, true],
    ['wrap: April inside October–July', 1001, 731, 419, true],
    ['wrap: 1 October', 1001, 731, 1001, true],
    ['wrap: 31 July', 1001, 731, 731, true],
    ['wrap: August outside October–July', 1001, 731, 825, false],
    ['wrap: 30 September outside', 1001, 731, 930, false],
    ['wrap: 1 August outside', 1001, 731, 801, false],
    ['one-day period', 229, 229, 229, true],
    ['one-day period, next day', 229, 229, 301, false],
  ])('%s', (_label, start, end, day, inside) => {
    expect(inPeriod(day, start, end)).toBe(inside);
  });

  const w = (min: string, max?: string) => readWindow(min, max ?? null, emptyWindow());

  // [label, date_min, date_max, start, end, touches]
  it.each([
    ['single day inside', '2017-04-19', undefined, 1001, 731, true],
    ['single day outside', '2017-08-25', undefined, 1001, 731, false],
    ['window ending inside the period', '2017-08-20', '2017-10-02', 1001, 731, true],
    ['window starting inside the period', '2017-07-30', '2017-08-20', 1001, 731, true],
    ['window strictly between', '2017-08-01', '2017-09-30', 1001, 731, false],
    ['window over the year end, period in summer', '2017-12-01', '2018-01-31', 601, 831, false],
    ['window over the year end, period in January', '2017-12-01', '2018-01-31', 115, 131, true],
    ['window of a whole year touches any period', '2017-03-01', '2018-03-01', 229, 229, true],
    ['2 March to 1 March of the next year covers 1 March', '2017-03-02', '2018-03-01', 301, 301, true],
    ['3 March to 1 March of the next year misses 2 March', '2017-03-03', '2018-03-01', 302, 302, false],
    ['window of two years', '2015-08-01', '2017-08-01', 1225, 1225, true],
    ['date_max before date_min is ignored', '2017-08-25', '2017-01-01', 1001, 731, false],
    ['unreadable date_max is ignored', '2017-04-19', 'garbage', 1001, 731, true],
    ['window contains the whole period', '2017-01-01', '2017-12-31', 501, 502, true],
  ])('%s', (_label, min, max, start, end, touches) => {
    expect(windowTouchesPeriod(w(min, max), start, end)).toBe(touches);
  });

  it('reads an unreadable date_min as unknown', () => {
    expect(w('2017-02-30').known).toBe(false);
    expect(w('').known).toBe(false);
  });
});

describe('years since the observation', () => {
  const w = (min: string, max?: string) => readWindow(min, max ?? null, emptyWindow());
  it.each([
    ['same year', '2026-01-01', 2026, 0],
    ['last day of the previous year', '2025-12-31', 2026, 1],
    ['ten calendar years', '2016-01-01', 2026, 10],
    ['also ten: any day of 2016', '2016-12-31', 2026, 10],
    ['eleven', '2015-12-31', 2026, 11],
    ['future observation', '2027-05-01', 2026, -1],
  ])('%s', (_label, date, asOf, years) => {
    expect(yearsSince(w(date), asOf)).toBe(years);
  });

  it('counts from date_max (the latest day the observation may have been made)', () => {
    expect(yearsSince(w('2014-06-01', '2016-06-01'), 2026)).toBe(10);
  });
});
