// The `covenant working-days` and `covenant bank-holidays` commands: exact output and exit codes.
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_BANK_HOLIDAYS_FILE } from './bank-holidays.ts';
import type { FetchLike } from './bank-holidays.ts';
import { runBankHolidaysCommand, runWorkingDaysCommand } from './calendar.cli.ts';
import type { CalendarCommandOptions } from './calendar.cli.ts';

function collector(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return { stream, text: () => text };
}

type Run = { code: number; stdout: string; stderr: string };

async function run(
  command: typeof runWorkingDaysCommand,
  argv: string[],
  options?: CalendarCommandOptions,
): Promise<Run> {
  const stdout = collector();
  const stderr = collector();
  const code = await command(argv, { stdout: stdout.stream, stderr: stderr.stream }, options);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const workingDays = (...argv: string[]) => run(runWorkingDaysCommand, argv);
const shippedText = await readFile(DEFAULT_BANK_HOLIDAYS_FILE, 'utf8');

describe('covenant working-days add', () => {
  it('prints the date 20 working days later in Scotland', async () => {
    // Fri 19 Dec 2025: Dec 22 23 24 (3), 29 30 31 (6), [1 and 2 Jan], Jan 5-9 (11), 12-16 (16), 19 20 21 22
    // (20) → Thu 22 Jan.
    assert.deepEqual(await workingDays('add', '2025-12-19', '20', '--nation', 'scotland'), {
      code: 0,
      stdout: '2026-01-22\n',
      stderr: '',
    });
  });

  it('defaults to England and Wales, where 2 January is a working day', async () => {
    assert.deepEqual(await workingDays('add', '2025-12-19', '20'), {
      code: 0,
      stdout: '2026-01-21\n',
      stderr: '',
    });
    assert.equal(
      (await workingDays('add', '--nation=northern-ireland', '2025-12-19', '0')).stdout,
      '2025-12-19\n',
    );
  });

  it('exits 1 with a clear message beyond the bank-holiday list', async () => {
    const result = await workingDays('add', '2027-12-30', '3');
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^Error: Cannot tell whether 2028-01-01 is a working day/);
    assert.match(result.stderr, /england-and-wales bank-holiday list \(2027-12-31\)/);
  });
});

describe('covenant working-days between', () => {
  it('prints the count for Northern Ireland', async () => {
    // After Fri 19 Dec 2025 up to Tue 20 Jan 2026: Dec 22 23 24 29 30 31 (6), Jan 2 (7), 5-9 (12), 12-16
    // (17), 19 20 (19). 25 and 26 Dec and 1 Jan are holidays.
    assert.deepEqual(
      await workingDays('between', '2025-12-19', '2026-01-20', '--nation', 'northern-ireland'),
      {
        code: 0,
        stdout: '19\n',
        stderr: '',
      },
    );
  });

  it('prints a negative count when the dates are reversed', async () => {
    assert.equal(
      (await workingDays('between', '2026-01-20', '2025-12-19', '--nation=scotland')).stdout,
      '-18\n',
    );
  });
});

describe('covenant working-days usage errors exit 2', () => {
  const cases: Array<[string, string[], RegExp]> = [
    [
      'an impossible date',
      ['add', '2025-02-30', '5'],
      /Date "2025-02-30" is not a valid date: use YYYY-MM-DD/,
    ],
    [
      'a badly written date',
      ['between', '19/12/2025', '2026-01-20'],
      /From date "19\/12\/2025" is not a valid date/,
    ],
    [
      'an unknown nation',
      ['add', '2025-12-19', '5', '--nation', 'wales'],
      /Unknown nation "wales": use one of england-and-wales, scotland, northern-ireland/,
    ],
    ['a fractional n', ['add', '2025-12-19', '1.5'], /n "1\.5" is not a whole number/],
    ['a word for n', ['add', '2025-12-19', 'twenty'], /n "twenty" is not a whole number/],
    ['a negative n', ['add', '2025-12-19', '-3'], /n must be 0 or more, not -3/],
    ['a missing argument', ['add', '2025-12-19'], /missing arguments/],
    [
      'an extra argument',
      ['between', '2025-12-19', '2026-01-20', '2026-02-01'],
      /unexpected argument "2026-02-01"/,
    ],
    ['an unknown command', ['subtract', '2025-12-19', '5'], /Unknown working-days command "subtract"/],
    ['no command', [], /Missing command/],
    ['an unknown option', ['add', '2025-12-19', '5', '--nations', 'scotland'], /Unknown option --nations/],
    ['an option without a value', ['add', '2025-12-19', '5', '--nation'], /--nation needs a value/],
  ];
  for (const [label, argv, message] of cases) {
    it(`for ${label}`, async () => {
      const result = await workingDays(...argv);
      assert.equal(result.code, 2, label);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, message);
      assert.match(result.stderr, /Usage:\n {2}covenant working-days add/);
    });
  }

  it('prints help on stdout with exit 0', async () => {
    const result = await workingDays('--help');
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Usage:/);
  });
});

describe('covenant bank-holidays refresh', () => {
  const directories: string[] = [];
  after(async () => {
    await Promise.all(directories.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  async function copyOfShippedFile(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'bank-holidays-cli-'));
    directories.push(dir);
    const file = path.join(dir, 'bank-holidays.json');
    await copyFile(fileURLToPath(DEFAULT_BANK_HOLIDAYS_FILE), file);
    return file;
  }

  it('prints a summary after a successful refresh from the given URL', async () => {
    const file = await copyOfShippedFile();
    const urls: string[] = [];
    const fetch: FetchLike = async (url) => {
      urls.push(url);
      return new Response(shippedText, { status: 200 });
    };
    const result = await run(runBankHolidaysCommand, ['refresh', '--url', 'https://example.test/bh.json'], {
      fetch,
      file,
    });
    assert.deepEqual(urls, ['https://example.test/bh.json']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      [
        `Refreshed ${file} from https://example.test/bh.json (252 bank holidays).`,
        'england-and-wales: 2019–2027, 75 bank holidays, 0 added, 0 removed',
        'scotland: 2019–2027, 84 bank holidays, 0 added, 0 removed',
        'northern-ireland: 2019–2027, 93 bank holidays, 0 added, 0 removed',
        '',
      ].join('\n'),
    );
  });

  it('exits 1 without network and leaves the file untouched', async () => {
    const file = await copyOfShippedFile();
    const before = await readFile(file, 'utf8');
    const fetch: FetchLike = async () => {
      throw new TypeError('fetch failed', { cause: new Error('getaddrinfo EAI_AGAIN www.gov.uk') });
    };
    const result = await run(runBankHolidaysCommand, ['refresh'], { fetch, file });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr,
      'Error: Could not fetch https://www.gov.uk/bank-holidays.json: fetch failed (getaddrinfo EAI_AGAIN ' +
        'www.gov.uk). The bank-holiday list on disk was left unchanged.\n',
    );
    assert.equal(await readFile(file, 'utf8'), before);
  });

  it('exits 2 on usage errors without fetching', async () => {
    let fetched = false;
    const fetch: FetchLike = async () => {
      fetched = true;
      return new Response('{}', { status: 200 });
    };
    for (const argv of [
      [],
      ['reload'],
      ['refresh', 'now'],
      ['refresh', '--url', 'not a url'],
      ['refresh', '--force'],
    ]) {
      const result = await run(runBankHolidaysCommand, argv, {
        fetch,
        file: '/nonexistent/never-written.json',
      });
      assert.equal(result.code, 2, argv.join(' '));
      assert.match(result.stderr, /Usage:\n {2}covenant bank-holidays refresh/);
    }
    assert.equal(fetched, false);
  });
});
