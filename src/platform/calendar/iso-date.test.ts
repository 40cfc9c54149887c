// Plain-date helpers: validation, weekday and DST-safe arithmetic.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  InvalidIsoDateError,
  addCalendarDays,
  addCalendarMonths,
  assertIsoDate,
  daysBetween,
  dayOfWeek,
  isIsoDate,
  isWeekend,
  toUkIsoDate,
} from './iso-date.ts';

describe('isIsoDate', () => {
  it('accepts real dates only', () => {
    assert.equal(isIsoDate('2024-02-29'), true); // leap year
    assert.equal(isIsoDate('2025-02-29'), false);
    assert.equal(isIsoDate('2025-02-30'), false);
    assert.equal(isIsoDate('2025-04-31'), false);
    assert.equal(isIsoDate('2025-13-01'), false);
    assert.equal(isIsoDate('2025-00-10'), false);
    assert.equal(isIsoDate('2025-1-1'), false);
    assert.equal(isIsoDate('2025-01-01T00:00:00Z'), false);
    assert.equal(isIsoDate(' 2025-01-01'), false);
    assert.throws(() => assertIsoDate('2025-02-30'), InvalidIsoDateError);
  });
});

describe('date arithmetic', () => {
  it('knows the day of the week', () => {
    assert.equal(dayOfWeek('2025-12-19'), 5); // Friday
    assert.equal(dayOfWeek('1969-12-31'), 3); // Wednesday, before the epoch
    assert.equal(isWeekend('2025-12-20'), true);
    assert.equal(isWeekend('2025-12-22'), false);
  });

  it('adds whole days across the clock changes and year ends', () => {
    // BST starts on Sun 30 Mar 2025 and ends on Sun 26 Oct 2025: both days are 23/25 hours long locally.
    assert.equal(addCalendarDays('2025-03-29', 1), '2025-03-30');
    assert.equal(addCalendarDays('2025-03-30', 1), '2025-03-31');
    assert.equal(addCalendarDays('2025-10-26', 1), '2025-10-27');
    assert.equal(addCalendarDays('2025-12-31', 1), '2026-01-01');
    assert.equal(addCalendarDays('2024-03-01', -1), '2024-02-29');
  });

  it('adds calendar months, a missing day becoming the month end', () => {
    assert.equal(addCalendarMonths('2026-01-15', 3), '2026-04-15');
    assert.equal(addCalendarMonths('2025-11-30', 3), '2026-02-28');
    assert.equal(addCalendarMonths('2023-11-30', 3), '2024-02-29');
    assert.equal(addCalendarMonths('2026-10-31', 2), '2026-12-31');
    assert.equal(addCalendarMonths('2026-03-31', -1), '2026-02-28');
  });

  it('counts the days between two dates', () => {
    assert.equal(daysBetween('2026-01-05', '2026-03-30'), 84);
    assert.equal(daysBetween('2026-03-30', '2026-01-05'), -84);
  });
});

describe('toUkIsoDate', () => {
  it('gives the UK date of an instant, allowing for British Summer Time', () => {
    // 23:30 UTC on 30 June is 00:30 BST on 1 July.
    assert.equal(toUkIsoDate(new Date('2025-06-30T23:30:00Z')), '2025-07-01');
    // In winter the UK is on UTC.
    assert.equal(toUkIsoDate(new Date('2025-12-31T23:30:00Z')), '2025-12-31');
  });
});
