import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CsvError, decodeCsvBytes, findInvalidUtf8, parseCsv, readCsvTable, stringifyCsv } from './csv.ts';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and embedded line breaks', () => {
    const rows = parseCsv('id,text\r\n1,"a, b"\r\n2,"say ""hi"""\r\n3,"line1\nline2"\r\n');
    assert.deepEqual(rows, [
      ['id', 'text'],
      ['1', 'a, b'],
      ['2', 'say "hi"'],
      ['3', 'line1\nline2'],
    ]);
  });
  it('accepts LF, CR and a missing final newline, and strips a BOM character', () => {
    assert.deepEqual(parseCsv('\ufeffa,b\nc,d\re,f'), [
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
    ]);
  });
  it('keeps empty fields, including an empty quoted last field', () => {
    assert.deepEqual(parseCsv('a,,""\n'), [['a', '', '']]);
  });
  it('rejects an unclosed quote with its line number', () => {
    assert.throws(
      () => parseCsv('id,text\n1,"never closed\n2,x'),
      (e: unknown) => e instanceof CsvError && e.line === 2,
    );
  });
  it('rejects text after a closing quote', () => {
    assert.throws(() => parseCsv('1,"a"b\n'), CsvError);
  });
});

describe('decodeCsvBytes', () => {
  it('drops a UTF-8 BOM and keeps Welsh letters', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('id,text\n1,ŵyr')]);
    assert.equal(decodeCsvBytes(bytes), 'id,text\n1,ŵyr');
  });
  it('refuses UTF-16 with a clear message', () => {
    assert.throws(() => decodeCsvBytes(new Uint8Array([0xff, 0xfe, 0x69, 0x00])), /UTF-16/);
    assert.throws(() => decodeCsvBytes(new Uint8Array([0x69, 0x00, 0x64, 0x00, 0x2c, 0x00])), /UTF-16/);
  });
  it('refuses Windows-1252 bytes and names the line', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('id,text\n1,caf'), 0xe9, 0x0a]);
    assert.throws(() => decodeCsvBytes(bytes), /not valid UTF-8.*line 2/);
  });
  it('finds overlong and truncated sequences', () => {
    assert.equal(findInvalidUtf8(new Uint8Array([0x41, 0xc0, 0x80])), 1);
    assert.equal(findInvalidUtf8(new Uint8Array([0x41, 0xe2, 0x82])), 1);
    assert.equal(findInvalidUtf8(new TextEncoder().encode('€ ok 😀')), -1);
  });
});

describe('readCsvTable', () => {
  it('maps records by header, case-insensitively, skipping blank lines', () => {
    const t = readCsvTable('ID,Text\n\n1,hello\n2,"multi\nline"\n', { required: ['id', 'text'] });
    assert.deepEqual(t.records, [
      { id: '1', text: 'hello' },
      { id: '2', text: 'multi\nline' },
    ]);
    assert.deepEqual(t.lines, [3, 4]);
  });
  it('names the expected header when it is wrong', () => {
    assert.throws(
      () => readCsvTable('response_id,answer\n1,x\n', { required: ['id', 'text'], fileLabel: 'a.csv' }),
      /a\.csv has header "response_id,answer" but expected "id,text"/,
    );
  });
  it('reports a row with too many fields', () => {
    assert.throws(
      () => readCsvTable('id,text\n1,a,b\n', { required: ['id', 'text'] }),
      /line 2 has 3 fields/,
    );
  });
  it('pads short rows', () => {
    assert.deepEqual(readCsvTable('id,labels\n1\n', { required: ['id', 'labels'] }).records, [
      { id: '1', labels: '' },
    ]);
  });
});

describe('stringifyCsv', () => {
  it('round-trips awkward values through parseCsv', () => {
    const rows = [
      ['id', 'text'],
      ['1', 'a, "b"\nc'],
      ['2', ' padded '],
      ['3', 'plain'],
    ];
    const text = stringifyCsv(rows);
    assert.ok(text.endsWith('\r\n'));
    assert.deepEqual(parseCsv(text), rows);
  });
});
