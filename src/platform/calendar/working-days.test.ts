// Working-day arithmetic against the real GOV.UK list shipped in resources/bank-holidays.json. Every expected
// value was counted by hand from that list; the comments show the count so a reviewer can redo it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DateBeyondKnownHolidaysError, loadBankHolidays } from './bank-holidays.ts';
import { InvalidIsoDateError, addCalendarDays, daysBetween, isWeekend } from './iso-date.ts';
import {
  NATIONS,
  type Nation,
  InvalidWorkingDayCountError,
  addWorkingDays,
  isWorkingDay,
  nextWorkingDay,
  subtractWorkingDays,
  workingDaysBetween,
} from './working-days.ts';

const calendar = await loadBankHolidays();

describe('substitute days when Christmas and Boxing Day fall at a weekend', () => {
  it('2026: Boxing Day (Saturday) moves to Monday 28 December in every nation', () => {
    // Fri 25 Dec 2026 Christmas, Sat 26, Sun 27, Mon 28 substitute Boxing Day → Tue 29.
    for (const nation of ['england-and-wales', 'scotland', 'northern-ireland'] as const) {
      assert.equal(calendar.forNation(nation).holidayName('2026-12-28'), 'Boxing Day');
      assert.equal(calendar.forNation(nation).holiday('2026-12-28')?.notes, 'Substitute day');
      assert.equal(addWorkingDays(calendar, nation, '2026-12-24', 1), '2026-12-29');
    }
  });

  it('2027: both fall at the weekend, so Monday 27 and Tuesday 28 December are off', () => {
    // Fri 24 Dec 2027 → Sat 25, Sun 26, Mon 27 (Christmas substitute), Tue 28 (Boxing substitute) → Wed 29.
    assert.equal(addWorkingDays(calendar, 'england-and-wales', '2027-12-24', 1), '2027-12-29');
    assert.equal(calendar.forNation('england-and-wales').holidayName('2027-12-27'), 'Christmas Day');
    assert.equal(isWorkingDay(calendar, 'northern-ireland', '2027-12-28'), false);
    // Saturday 25 December itself is not listed: GOV.UK lists the substitute weekday instead.
    assert.equal(calendar.forNation('scotland').isHoliday('2027-12-25'), false);
  });

  it('2022: Christmas on a Sunday gives Tuesday 27 December as its substitute', () => {
    // Fri 23 Dec 2022 → Mon 26 Boxing Day, Tue 27 Christmas substitute → Wed 28 is the first working day.
    assert.equal(nextWorkingDay(calendar, 'england-and-wales', '2022-12-23'), '2022-12-28');
  });
});

describe('Scotland', () => {
  it('has 2 January; England and Wales do not', () => {
    // Wed 31 Dec 2025 → Thu 1 Jan (all), Fri 2 Jan (Scotland only).
    assert.equal(nextWorkingDay(calendar, 'scotland', '2025-12-31'), '2026-01-05');
    assert.equal(nextWorkingDay(calendar, 'england-and-wales', '2025-12-31'), '2026-01-02');
    assert.equal(calendar.forNation('scotland').holidayName('2026-01-02'), '2nd January');
  });

  it('moves 2 January 2027 (a Saturday) to Monday 4 January', () => {
    // Thu 31 Dec 2026 → Fri 1 Jan New Year, Sat, Sun, Mon 4 Jan substitute 2nd January → Tue 5 Jan.
    assert.equal(addWorkingDays(calendar, 'scotland', '2026-12-31', 1), '2027-01-05');
    assert.equal(addWorkingDays(calendar, 'england-and-wales', '2026-12-31', 1), '2027-01-04');
  });

  it("has St Andrew's Day on 30 November, and its substitute when that is a weekend", () => {
    // 2026: Mon 30 Nov is the day itself. Fri 27 Nov → Mon 30 (holiday) → Tue 1 Dec.
    assert.equal(calendar.forNation('scotland').holidayName('2026-11-30'), 'St Andrew’s Day');
    assert.equal(nextWorkingDay(calendar, 'scotland', '2026-11-27'), '2026-12-01');
    assert.equal(nextWorkingDay(calendar, 'england-and-wales', '2026-11-27'), '2026-11-30');
    // 2025: Sun 30 Nov → substitute Mon 1 Dec. Fri 28 Nov to Fri 5 Dec: Tue 2, Wed 3, Thu 4, Fri 5 = 4 in
    // Scotland; England and Wales also count Mon 1 Dec = 5.
    assert.equal(calendar.forNation('scotland').holiday('2025-12-01')?.notes, 'Substitute day');
    assert.equal(workingDaysBetween(calendar, 'scotland', '2025-11-28', '2025-12-05'), 4);
    assert.equal(workingDaysBetween(calendar, 'england-and-wales', '2025-11-28', '2025-12-05'), 5);
    // 2024: Sat 30 Nov → substitute Mon 2 Dec.
    assert.equal(isWorkingDay(calendar, 'scotland', '2024-12-02'), false);
    assert.equal(isWorkingDay(calendar, 'northern-ireland', '2024-12-02'), true);
  });

  it('has no Easter Monday, but does have Good Friday', () => {
    // Thu 2 Apr 2026 → Fri 3 Good Friday (all nations), Mon 6 Easter Monday (not Scotland).
    assert.equal(addWorkingDays(calendar, 'scotland', '2026-04-02', 1), '2026-04-06');
    assert.equal(addWorkingDays(calendar, 'england-and-wales', '2026-04-02', 1), '2026-04-07');
    assert.equal(addWorkingDays(calendar, 'northern-ireland', '2026-04-02', 1), '2026-04-07');
    assert.equal(calendar.forNation('scotland').isHoliday('2026-04-06'), false);
    assert.equal(calendar.forNation('scotland').holidayName('2026-04-03'), 'Good Friday');
  });

  it('has its summer bank holiday on the first Monday of August, not the last', () => {
    assert.equal(isWorkingDay(calendar, 'scotland', '2026-08-03'), false);
    assert.equal(isWorkingDay(calendar, 'scotland', '2026-08-31'), true);
    assert.equal(isWorkingDay(calendar, 'england-and-wales', '2026-08-03'), true);
    assert.equal(isWorkingDay(calendar, 'england-and-wales', '2026-08-31'), false);
  });
});

describe('Northern Ireland', () => {
  it("has St Patrick's Day, with a substitute when 17 March is a Sunday", () => {
    // Tue 17 Mar 2026: Mon 16 → Wed 18 in Northern Ireland, Tue 17 elsewhere.
    assert.equal(nextWorkingDay(calendar, 'northern-ireland', '2026-03-16'), '2026-03-18');
    assert.equal(nextWorkingDay(calendar, 'england-and-wales', '2026-03-16'), '2026-03-17');
    // 2024: Sun 17 Mar → Mon 18 Mar substitute. Fri 15 → Tue 19.
    assert.equal(calendar.forNation('northern-ireland').holiday('2024-03-18')?.notes, 'Substitute day');
    assert.equal(nextWorkingDay(calendar, 'northern-ireland', '2024-03-15'), '2024-03-19');
  });

  it('has the Battle of the Boyne on 12 July, with a substitute at weekends', () => {
    // 2027: Mon 12 Jul itself.
    assert.equal(
      calendar.forNation('northern-ireland').holidayName('2027-07-12'),
      'Battle of the Boyne (Orangemen’s Day)',
    );
    // 2025: Sat 12 Jul → Mon 14 Jul substitute. Fri 11 → Tue 15 in NI, Mon 14 elsewhere.
    assert.equal(addWorkingDays(calendar, 'northern-ireland', '2025-07-11', 1), '2025-07-15');
    assert.equal(addWorkingDays(calendar, 'scotland', '2025-07-11', 1), '2025-07-14');
    // 2026: Sun 12 Jul → Mon 13 Jul. The week Mon 13 – Fri 17 has 4 working days in NI, 5 elsewhere.
    assert.equal(workingDaysBetween(calendar, 'northern-ireland', '2026-07-12', '2026-07-17'), 4);
    assert.equal(workingDaysBetween(calendar, 'england-and-wales', '2026-07-12', '2026-07-17'), 5);
  });

  it('has Easter Monday and Good Friday', () => {
    // Thu 17 Apr 2025 → Fri 18 Good Friday, Mon 21 Easter Monday → Tue 22.
    assert.equal(nextWorkingDay(calendar, 'northern-ireland', '2025-04-17'), '2025-04-22');
    assert.equal(nextWorkingDay(calendar, 'scotland', '2025-04-17'), '2025-04-21');
  });
});

describe('addWorkingDays boundaries', () => {
  it('does not count the start day: one working day after a Friday is the Monday', () => {
    // Fri 13 Jun 2025, no holidays nearby.
    assert.equal(addWorkingDays(calendar, 'england-and-wales', '2025-06-13', 1), '2025-06-16');
    // Five working days after Friday is the next Friday.
    assert.equal(addWorkingDays(calendar, 'england-and-wales', '2025-06-13', 5), '2025-06-20');
  });

  it('counts from the next working day when the start is a weekend or a holiday', () => {
    assert.equal(addWorkingDays(calendar, 'england-and-wales', '2025-06-14', 1), '2025-06-16'); // Saturday
    // Thu 25 Dec 2025 → Fri 26 Boxing Day, weekend → Mon 29.
    assert.equal(addWorkingDays(calendar, 'england-and-wales', '2025-12-25', 1), '2025-12-29');
  });

  it('returns the start unchanged for n = 0, even on a holiday', () => {
    assert.equal(addWorkingDays(calendar, 'england-and-wales', '2025-12-25', 0), '2025-12-25');
    assert.equal(addWorkingDays(calendar, 'scotland', '2025-06-14', 0), '2025-06-14');
  });

  it('rejects a negative, fractional or non-numeric count', () => {
    for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(
        () => addWorkingDays(calendar, 'england-and-wales', '2025-06-13', n),
        InvalidWorkingDayCountError,
      );
    }
  });

  it('rejects a date that does not exist', () => {
    assert.throws(() => addWorkingDays(calendar, 'england-and-wales', '2025-02-29', 1), InvalidIsoDateError);
    assert.throws(() => isWorkingDay(calendar, 'england-and-wales', '2025-13-01'), InvalidIsoDateError);
  });

  it('counts 20 working days across Christmas differently per nation', () => {
    // From Fri 19 Dec 2025. England and Wales: Dec 22 23 24 (3), 29 30 31 (6), Jan 2 (7), Jan 5-9 (12),
    // 12-16 (17), 19 20 21 (20) → Wed 21 Jan. Scotland also loses Fri 2 Jan → Thu 22 Jan.
    assert.equal(addWorkingDays(calendar, 'england-and-wales', '2025-12-19', 20), '2026-01-21');
    assert.equal(addWorkingDays(calendar, 'northern-ireland', '2025-12-19', 20), '2026-01-21');
    assert.equal(addWorkingDays(calendar, 'scotland', '2025-12-19', 20), '2026-01-22');
  });
});

describe('workingDaysBetween', () => {
  it('counts the days after `from` up to and including `to`', () => {
    // Fri 19 Dec 2025 → Tue 20 Jan 2026: the list above up to Jan 20 = 19; Scotland 18 (no Fri 2 Jan).
    assert.equal(workingDaysBetween(calendar, 'northern-ireland', '2025-12-19', '2026-01-20'), 19);
    assert.equal(workingDaysBetween(calendar, 'scotland', '2025-12-19', '2026-01-20'), 18);
  });

  it('is 0 for the same date and negative (antisymmetric) when `to` is earlier', () => {
    assert.equal(workingDaysBetween(calendar, 'england-and-wales', '2025-06-13', '2025-06-13'), 0);
    assert.equal(workingDaysBetween(calendar, 'northern-ireland', '2026-01-20', '2025-12-19'), -19);
    // Sunday back to Saturday: no working days either way, and +0 rather than -0.
    assert.ok(Object.is(workingDaysBetween(calendar, 'england-and-wales', '2025-06-15', '2025-06-14'), 0));
  });

  it('inverts addWorkingDays', () => {
    for (const start of ['2025-12-19', '2025-12-25', '2026-03-14', '2026-11-27']) {
      for (const n of [0, 1, 5, 20]) {
        const end = addWorkingDays(calendar, 'scotland', start, n);
        assert.equal(workingDaysBetween(calendar, 'scotland', start, end), n, `${start} + ${n}`);
      }
    }
  });
});

describe('subtractWorkingDays', () => {
  it('goes back over weekends and holidays to a working day', () => {
    // One working day before Mon 5 Jan 2026: Fri 2 Jan (England and Wales), Wed 31 Dec (Scotland).
    assert.equal(subtractWorkingDays(calendar, 'england-and-wales', '2026-01-05', 1), '2026-01-02');
    assert.equal(subtractWorkingDays(calendar, 'scotland', '2026-01-05', 1), '2025-12-31');
    assert.equal(subtractWorkingDays(calendar, 'scotland', '2026-01-05', 0), '2026-01-05');
    assert.throws(
      () => subtractWorkingDays(calendar, 'scotland', '2026-01-05', -1),
      InvalidWorkingDayCountError,
    );
  });
});

describe('the edge of the known list', () => {
  it('accepts any day of the last covered year', () => {
    // Fri 31 Dec 2027 is an ordinary working day, and 2027 is the last year GOV.UK lists.
    assert.equal(isWorkingDay(calendar, 'england-and-wales', '2027-12-31'), true);
  });

  it('refuses a date beyond the list instead of calling it a working day', () => {
    const error = (() => {
      try {
        isWorkingDay(calendar, 'scotland', '2028-01-04');
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    assert.ok(error instanceof DateBeyondKnownHolidaysError);
    assert.equal(error.date, '2028-01-04');
    assert.equal(error.nation, 'scotland');
    assert.equal(error.lastCoveredDate, '2027-12-31');
    assert.match(error.message, /2028-01-04.*scotland.*2027-12-31/);
  });

  it('refuses weekends beyond the list too, and dates before it', () => {
    // Fri 31 Dec 2027 counts as 1; Sat 1 Jan 2028 is past the list, so the walk stops with an error.
    assert.throws(
      () => addWorkingDays(calendar, 'england-and-wales', '2027-12-30', 2),
      DateBeyondKnownHolidaysError,
    );
    assert.throws(
      () => isWorkingDay(calendar, 'england-and-wales', '2018-12-31'),
      DateBeyondKnownHolidaysError,
    );
  });
});

describe('the indexed arithmetic agrees with walking the calendar day by day', () => {
  // The plain definition, one day at a time, straight from the GOV.UK list.
  const walkIsWorking = (nation: Nation, date: string) => {
    const holidays = calendar.forNation(nation);
    holidays.assertCovered(date);
    return !isWeekend(date) && !holidays.isHoliday(date);
  };
  const walkAdd = (nation: Nation, start: string, n: number) => {
    let date = start;
    for (let counted = 0; counted < n;) {
      date = addCalendarDays(date, 1);
      if (walkIsWorking(nation, date)) counted += 1;
    }
    return date;
  };
  const walkSubtract = (nation: Nation, start: string, n: number) => {
    let date = start;
    for (let counted = 0; counted < n;) {
      date = addCalendarDays(date, -1);
      if (walkIsWorking(nation, date)) counted += 1;
    }
    return date;
  };
  const walkBetween = (nation: Nation, from: string, to: string) => {
    let count = 0;
    for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1))
      if (walkIsWorking(nation, d)) count++;
    return count;
  };
  /** The result, or the date named by the error (both ways must fail on the same day). */
  const outcome = (fn: () => unknown) => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof DateBeyondKnownHolidaysError) return `beyond ${error.date}`;
      throw error;
    }
  };

  it('for 3,000 seeded random starts and counts in every nation, including the ends of the list', () => {
    let seed = 20261203;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const nation of NATIONS) {
      const holidays = calendar.forNation(nation);
      const first = holidays.firstCoveredDate;
      const span = daysBetween(first, holidays.lastCoveredDate);
      for (let i = 0; i < 1000; i++) {
        // Starts from 10 days before the list to 10 days after it; counts up to 400 working days.
        const start = addCalendarDays(first, Math.floor(random() * (span + 20)) - 10);
        const n = Math.floor(random() * 400);
        const other = addCalendarDays(start, Math.floor(random() * 600) - 300);
        const label = `${nation} ${start} ${n} ${other}`;
        assert.deepEqual(
          outcome(() => addWorkingDays(calendar, nation, start, n)),
          outcome(() => walkAdd(nation, start, n)),
          `add ${label}`,
        );
        assert.deepEqual(
          outcome(() => subtractWorkingDays(calendar, nation, start, n)),
          outcome(() => walkSubtract(nation, start, n)),
          `subtract ${label}`,
        );
        const [from, to] = other < start ? [other, start] : [start, other];
        assert.deepEqual(
          outcome(() => workingDaysBetween(calendar, nation, from, to)),
          outcome(() => walkBetween(nation, from, to)),
          `between ${label}`,
        );
        assert.deepEqual(
          outcome(() => isWorkingDay(calendar, nation, start)),
          outcome(() => walkIsWorking(nation, start)),
          `is working ${label}`,
        );
      }
    }
  });
});
