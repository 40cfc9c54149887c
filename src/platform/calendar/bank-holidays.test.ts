// Loading, lookups and the refresh from GOV.UK (with a fake fetch, against copies of the shipped file).
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  BankHolidaysFileError,
  BankHolidaysRefreshError,
  DEFAULT_BANK_HOLIDAYS_FILE,
  DateBeyondKnownHolidaysError,
  GOV_UK_BANK_HOLIDAYS_URL,
  InvalidBankHolidaysError,
  loadBankHolidays,
  parseBankHolidays,
  refreshBankHolidays,
} from './bank-holidays.ts';
import type { BankHolidayEvent, FetchLike } from './bank-holidays.ts';
import { NATIONS } from './nations.ts';

const shippedFile = fileURLToPath(DEFAULT_BANK_HOLIDAYS_FILE);
const shipped = JSON.parse(await readFile(shippedFile, 'utf8')) as Record<
  string,
  { division: string; events: BankHolidayEvent[] }
>;
const calendar = await loadBankHolidays();

// Every date below checked against a calendar: all weekdays, Easter Sunday 2028 is 16 April.
const events2028: BankHolidayEvent[] = [
  { title: 'New Year’s Day', date: '2028-01-03', notes: 'Substitute day', bunting: true },
  { title: 'Good Friday', date: '2028-04-14', notes: '', bunting: false },
  { title: 'Easter Monday', date: '2028-04-17', notes: '', bunting: true },
  { title: 'Early May bank holiday', date: '2028-05-01', notes: '', bunting: true },
  { title: 'Spring bank holiday', date: '2028-05-29', notes: '', bunting: true },
  { title: 'Summer bank holiday', date: '2028-08-28', notes: '', bunting: true },
  { title: 'Christmas Day', date: '2028-12-25', notes: '', bunting: true },
  { title: 'Boxing Day', date: '2028-12-26', notes: '', bunting: true },
];

type Payload = Record<string, { division: string; events: BankHolidayEvent[] }>;
const copyOfShipped = (): Payload => structuredClone(shipped);

const temporaryDirectories: string[] = [];
after(async () => {
  await Promise.all(temporaryDirectories.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A private copy of the shipped file, so refresh tests never touch resources/. */
async function copyShippedFile(): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bank-holidays-'));
  temporaryDirectories.push(dir);
  const file = path.join(dir, 'bank-holidays.json');
  await copyFile(shippedFile, file);
  return { dir, file };
}

function fakeFetch(answer: () => Promise<Response> | Response): FetchLike & { urls: string[] } {
  const urls: string[] = [];
  const fetchFn = async (url: string) => {
    urls.push(url);
    return answer();
  };
  return Object.assign(fetchFn, { urls });
}

const jsonResponse = (payload: unknown, status = 200) =>
  new Response(JSON.stringify(payload), { status, headers: { 'content-type': 'application/json' } });

describe('loadBankHolidays', () => {
  it('reads the shipped list for all three nations, 2019 to 2027', () => {
    for (const nation of NATIONS) {
      const holidays = calendar.forNation(nation);
      assert.equal(holidays.firstYear, 2019);
      assert.equal(holidays.lastYear, 2027);
      assert.equal(holidays.firstCoveredDate, '2019-01-01');
      assert.equal(holidays.lastCoveredDate, '2027-12-31');
    }
    // Counts from the file: England and Wales 75, Scotland 84, Northern Ireland 93 events.
    assert.equal(calendar.forNation('england-and-wales').events.length, 75);
    assert.equal(calendar.forNation('scotland').events.length, 84);
    assert.equal(calendar.forNation('northern-ireland').events.length, 93);
  });

  it('names holidays and returns null for ordinary days', () => {
    const ni = calendar.forNation('northern-ireland');
    assert.equal(ni.holidayName('2025-03-17'), 'St Patrick’s Day');
    assert.equal(ni.holidayName('2025-03-18'), null);
    assert.equal(ni.isHoliday('2025-03-17'), true);
    assert.equal(calendar.forNation('england-and-wales').isHoliday('2025-03-17'), false);
    // One-off holidays are in the list too: the State Funeral of Queen Elizabeth II, Mon 19 Sep 2022.
    assert.match(calendar.forNation('scotland').holidayName('2022-09-19') ?? '', /State Funeral/);
  });

  it('refuses dates outside the covered years, naming the date, nation and last covered date', () => {
    const ew = calendar.forNation('england-and-wales');
    assert.equal(ew.covers('2027-12-31'), true);
    assert.equal(ew.covers('2028-01-01'), false);
    assert.throws(
      () => ew.holidayName('2028-01-03'),
      (error: unknown) =>
        error instanceof DateBeyondKnownHolidaysError &&
        error.date === '2028-01-03' &&
        error.nation === 'england-and-wales' &&
        error.lastCoveredDate === '2027-12-31' &&
        /2028-01-03.*england-and-wales.*2027-12-31.*bank-holidays refresh/.test(error.message),
    );
    assert.throws(() => ew.isHoliday('2018-12-25'), /before the first date covered.*2019-01-01/);
  });

  it('fails clearly on a missing or malformed file', async () => {
    const { dir } = await copyShippedFile();
    await assert.rejects(loadBankHolidays(path.join(dir, 'nope.json')), BankHolidaysFileError);
    const broken = path.join(dir, 'broken.json');
    await writeFile(broken, '{ "england-and-wales": ');
    await assert.rejects(loadBankHolidays(broken), /not valid JSON/);
  });
});

describe('parseBankHolidays sanity checks', () => {
  const problemsOf = (payload: unknown): string[] => {
    try {
      parseBankHolidays(payload);
    } catch (error) {
      if (error instanceof InvalidBankHolidaysError) return error.issues;
      throw error;
    }
    return [];
  };

  it('accepts the shipped file and sorts unsorted events', () => {
    const payload = copyOfShipped();
    payload.scotland?.events.reverse();
    const parsed = parseBankHolidays(payload);
    assert.equal(parsed.scotland.events[0]?.date, '2019-01-01');
    assert.equal(parsed.scotland.events.at(-1)?.date, '2027-12-28');
  });

  it('requires all three divisions', () => {
    const payload = copyOfShipped();
    delete payload['northern-ireland'];
    assert.match(problemsOf(payload).join('\n'), /^northern-ireland: /m);
  });

  it('rejects impossible dates, duplicates, weekend dates, a wrong division name and thin years', () => {
    const payload = copyOfShipped();
    const ew = payload['england-and-wales'];
    const scotland = payload.scotland;
    const ni = payload['northern-ireland'];
    assert.ok(ew && scotland && ni);
    ew.events.push({ title: 'Leap', date: '2026-02-29', notes: '', bunting: false });
    scotland.events.push({ ...events2028[0], date: '2026-11-30', title: 'Duplicate' } as BankHolidayEvent);
    scotland.events.push({ ...events2028[0], date: '2026-11-28', title: 'A Saturday' } as BankHolidayEvent);
    ni.division = 'ulster';
    const problems = problemsOf(payload).join('\n');
    assert.match(problems, /england-and-wales\.events\.\d+\.date: must be a real date/);
    assert.match(problems, /scotland: 2026-11-30 is listed twice/);
    assert.match(problems, /scotland: 2026-11-28 falls at a weekend/);
    assert.match(problems, /northern-ireland: division is "ulster"/);
  });

  it('rejects a year that looks cut off', () => {
    const payload = copyOfShipped();
    const ew = payload['england-and-wales'];
    assert.ok(ew);
    // Keep only January to June 2027: 5 events and no Christmas.
    ew.events = ew.events.filter((event) => !(event.date >= '2027-07-01'));
    assert.match(problemsOf(payload).join('\n'), /2027 has 5 bank holidays/);
  });
});

describe('refreshBankHolidays', () => {
  it('writes the validated list atomically and reports what changed', async () => {
    const { dir, file } = await copyShippedFile();
    const before = await stat(file);
    // GOV.UK has published 2028 and dropped 2019, and (nothing promises otherwise) sent events unsorted.
    const payload = copyOfShipped();
    for (const nation of NATIONS) {
      const division = payload[nation];
      assert.ok(division);
      division.events = [...events2028, ...division.events.filter((event) => !event.date.startsWith('2019'))];
    }
    const fetchFn = fakeFetch(() => jsonResponse(payload));

    const summary = await refreshBankHolidays({ fetch: fetchFn, file });

    assert.deepEqual(fetchFn.urls, [GOV_UK_BANK_HOLIDAYS_URL]);
    assert.equal(summary.previous, 'valid');
    assert.deepEqual(
      summary.nations['england-and-wales'],
      // 75 shipped + 8 new; 2019 kept from the old file because old cases' deadlines still need it.
      {
        firstYear: 2019,
        lastYear: 2028,
        events: 83,
        added: events2028.map((e) => e.date),
        removed: [],
        keptYears: [2019],
      },
    );
    assert.equal(summary.totalEvents, 75 + 84 + 93 + 3 * 8);
    // Atomic replacement: a new inode (rename), no temporary file left behind.
    const afterStat = await stat(file);
    assert.notEqual(afterStat.ino, before.ino);
    assert.deepEqual(await readdir(dir), ['bank-holidays.json']);
    // The written file loads, is sorted and now covers 2028.
    const reloaded = await loadBankHolidays(file);
    assert.equal(reloaded.forNation('scotland').lastCoveredDate, '2028-12-31');
    assert.equal(reloaded.forNation('scotland').holidayName('2028-12-25'), 'Christmas Day');
    assert.equal(reloaded.forNation('scotland').holidayName('2019-01-02'), '2nd January');
    const written = JSON.parse(await readFile(file, 'utf8')) as Payload;
    const dates = written['northern-ireland']?.events.map((event) => event.date) ?? [];
    assert.deepEqual(dates, [...dates].sort());
  });

  it('reports removed dates within the years GOV.UK covers', async () => {
    const { file } = await copyShippedFile();
    // A moved holiday: 2027 Early May bank holiday from 3 May to 7 May (count per year unchanged).
    const payload = copyOfShipped();
    const ew = payload['england-and-wales'];
    assert.ok(ew);
    ew.events = ew.events.map((event) =>
      event.date === '2027-05-03' ? { ...event, date: '2027-05-07' } : event,
    );
    const summary = await refreshBankHolidays({ fetch: fakeFetch(() => jsonResponse(payload)), file });
    assert.deepEqual(summary.nations['england-and-wales'].added, ['2027-05-07']);
    assert.deepEqual(summary.nations['england-and-wales'].removed, ['2027-05-03']);
    assert.deepEqual(summary.nations.scotland.added, []);
  });

  it('creates the file when there is none, and repairs a broken one', async () => {
    const { dir, file } = await copyShippedFile();
    const fresh = path.join(dir, 'fresh.json');
    const summary = await refreshBankHolidays({ fetch: fakeFetch(() => jsonResponse(shipped)), file: fresh });
    assert.equal(summary.previous, 'missing');
    assert.equal(summary.nations.scotland.added.length, 84);
    await writeFile(file, 'garbage');
    const repaired = await refreshBankHolidays({ fetch: fakeFetch(() => jsonResponse(shipped)), file });
    assert.equal(repaired.previous, 'invalid');
    assert.equal((await loadBankHolidays(file)).forNation('scotland').events.length, 84);
  });

  // Each case must fail with a clear message and leave the file byte-for-byte as it was.
  const failures: Array<[string, () => Promise<Response> | Response, RegExp]> = [
    [
      'network error',
      () =>
        Promise.reject(
          new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND www.gov.uk') }),
        ),
      /Could not fetch https:\/\/www\.gov\.uk\/bank-holidays\.json: fetch failed \(getaddrinfo ENOTFOUND/,
    ],
    [
      'non-200 answer',
      () => new Response('busy', { status: 503, statusText: 'Service Unavailable' }),
      /HTTP 503 Service Unavailable/,
    ],
    [
      'invalid JSON',
      () => new Response('<html>not json</html>', { status: 200 }),
      /did not return valid JSON/,
    ],
    [
      'a division missing',
      () => {
        const payload = copyOfShipped();
        delete payload.scotland;
        return jsonResponse(payload);
      },
      /not valid:\n {2}scotland: /,
    ],
    [
      'an impossible date',
      () => {
        const payload = copyOfShipped();
        payload['england-and-wales']?.events.push({
          ...events2028[1],
          date: '2026-02-30',
        } as BankHolidayEvent);
        return jsonResponse(payload);
      },
      /england-and-wales\.events\.\d+\.date: must be a real date/,
    ],
    [
      'fewer events than before in a covered year',
      () => {
        const payload = copyOfShipped();
        const ni = payload['northern-ireland'];
        if (ni) ni.events = ni.events.filter((event) => event.date !== '2026-07-13');
        return jsonResponse(payload);
      },
      /northern-ireland 2026 has 9 bank holidays, fewer than the 10 already known/,
    ],
    [
      'a list that no longer reaches as far ahead',
      () => {
        const payload = copyOfShipped();
        for (const nation of NATIONS) {
          const division = payload[nation];
          if (division) division.events = division.events.filter((event) => event.date < '2027-01-01');
        }
        return jsonResponse(payload);
      },
      /now ends in 2026, but the list on disk already covers 2027/,
    ],
    [
      'a gap between kept and fetched years',
      () => {
        // GOV.UK would start in 2029 (dates checked: all weekdays), so 2028 would be missing between the years
        // kept from the old file and the fetched ones.
        const dates2029 = [
          '2029-01-01',
          '2029-03-30',
          '2029-04-02',
          '2029-05-07',
          '2029-05-28',
          '2029-08-27',
        ];
        const events = [...dates2029, '2029-12-25', '2029-12-26'].map((date) => ({
          title: `Holiday ${date}`,
          date,
          notes: '',
          bunting: true,
        }));
        const payload = copyOfShipped();
        for (const nation of NATIONS) {
          const division = payload[nation];
          if (division) division.events = events;
        }
        return jsonResponse(payload);
      },
      /england-and-wales: 2028 has 0 bank holidays; expected at least 6/,
    ],
  ];

  for (const [label, answer, message] of failures) {
    it(`leaves the file untouched on ${label}`, async () => {
      const { dir, file } = await copyShippedFile();
      const before = await readFile(file);
      const beforeStat = await stat(file);
      await assert.rejects(refreshBankHolidays({ fetch: fakeFetch(answer), file }), (error: unknown) => {
        assert.ok(error instanceof BankHolidaysRefreshError, `${label}: ${String(error)}`);
        assert.match(error.message, message);
        assert.match(error.message, /left unchanged/);
        return true;
      });
      assert.deepEqual(await readFile(file), before);
      assert.equal((await stat(file)).ino, beforeStat.ino);
      assert.deepEqual(await readdir(dir), ['bank-holidays.json']);
    });
  }
});
