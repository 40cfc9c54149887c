/** Reading imported files: dates and amounts as files write them, file-level errors, 360Giving mapping. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeImportBytes, ImportFileError, readDate, readImportFile } from './standards.import.ts';
import { parseAmountToPence } from './standards.schema.ts';

const body = { name: 'Department for Examples', slug: 'department-for-examples' };

describe('standards imports', () => {
  test('dates: ISO, UK day/month/year, and timestamps read as the UK calendar date', () => {
    assert.equal(readDate('2026-01-05'), '2026-01-05');
    assert.equal(readDate('5/1/2026'), '2026-01-05');
    assert.equal(readDate('31/02/2026'), 'invalid');
    // 23:30 UTC on 30 June is 00:30 on 1 July in London (British Summer Time).
    assert.equal(readDate('2025-06-30T23:30:00.000Z'), '2025-07-01');
    assert.equal(readDate('2025-12-31T23:30:00.000+00:00'), '2025-12-31');
    assert.equal(readDate(''), '');
    assert.equal(readDate(null), '');
    assert.equal(readDate('next Tuesday'), 'invalid');
  });

  test('amounts in pounds become whole pence; nonsense and zero are refused', () => {
    assert.equal(parseAmountToPence('£12,500.50'), 1_250_050);
    assert.equal(parseAmountToPence('12500'), 1_250_000);
    assert.equal(parseAmountToPence('0.5'), 50);
    assert.equal(parseAmountToPence('0'), null);
    assert.equal(parseAmountToPence('-5'), null);
    assert.equal(parseAmountToPence('12.505'), null);
    assert.equal(parseAmountToPence('lots'), null);
  });

  test('unreadable files throw a clear, catalogued error', () => {
    const key = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        assert.ok(error instanceof ImportFileError);
        return error.key;
      }
      assert.fail('no error');
    };
    assert.equal(
      key(() => decodeImportBytes(new Uint8Array())),
      'standards.import.errors.empty',
    );
    assert.equal(
      key(() => decodeImportBytes(Buffer.from([0xff, 0xfe, 0x41, 0x00]))),
      'standards.import.errors.encoding',
    );
    assert.equal(
      key(() => decodeImportBytes(new Uint8Array(300 * 1024))),
      'standards.import.errors.tooBig',
    );
    assert.equal(
      key(() => readImportFile('consultations', 'title,opens_on,closes_on\n"x,1,2\n', body)),
      'standards.import.errors.unreadable',
    );
    assert.equal(
      key(() => readImportFile('consultations', 'title,opens_on,closes_on\n', body)),
      'standards.import.errors.noRows',
    );
    assert.equal(
      key(() => readImportFile('funding', 'Identifier,Title\nA,B\n', body)),
      'standards.import.errors.fundingHeader',
    );
    assert.equal(
      key(() => readImportFile('funding', '[1, 2', body)),
      'standards.import.errors.badJson',
    );
  });

  test('360Giving: a duration without an end date; unstated columns are listed, not invented', () => {
    const csv = [
      'Identifier,Title,Amount Awarded,Award Date,Planned Dates:Start Date,Planned Dates:Duration (months),Recipient Org:Name,Funding Org:Name',
      '360G-1,Grant,1000,2026-03-01,2026-04-01,36,A charity,DEPARTMENT FOR EXAMPLES',
      '360G-2,Grant two,1000,2026-03-01,,,A charity,',
    ].join('\n');
    const parsed = readImportFile('funding', csv, body);
    assert.deepEqual(parsed.errors, [{ line: 3, key: 'standards.errors.endsOnRequired' }]);
    const [row] = parsed.rows;
    assert.equal(row!.externalId, '360G-1');
    assert.deepEqual(
      {
        startsOn: (row!.record as { startsOn: string }).startsOn,
        endsOn: (row!.record as { endsOn: string }).endsOn,
      },
      { startsOn: '2026-04-01', endsOn: '2029-03-31' },
    );
    assert.deepEqual(row!.unstated.sort(), [
      'advanceNeeded',
      'multiYearPossible',
      'overheadsAllowed',
      'paymentTiming',
    ]);
  });
});
