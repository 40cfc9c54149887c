import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCharityNumber, parseCompanyNumber, parseOrgId } from './directory.identifiers.ts';

function orgIdOf(result: ReturnType<typeof parseCharityNumber>) {
  return result.ok ? result.identifier.orgId : result.problem;
}

describe('charity numbers', () => {
  test('England and Wales: 6 or 7 digits, optional linked-charity suffix', () => {
    assert.equal(orgIdOf(parseCharityNumber('1089464')), 'GB-CHC-1089464');
    assert.equal(orgIdOf(parseCharityNumber('202918')), 'GB-CHC-202918');
    assert.equal(orgIdOf(parseCharityNumber('1089464-1')), 'GB-CHC-1089464-1');
    assert.equal(orgIdOf(parseCharityNumber(' 108 9464 ', 'england-wales')), 'GB-CHC-1089464');
    assert.equal(orgIdOf(parseCharityNumber('12345')), 'charityEnglandWales');
    assert.equal(orgIdOf(parseCharityNumber('12345678')), 'charityEnglandWales');
    assert.equal(orgIdOf(parseCharityNumber('1089464-')), 'charityEnglandWales');
    assert.equal(orgIdOf(parseCharityNumber('SC012345', 'england-wales')), 'charityRegisterMismatch');
  });

  test('England and Wales: leading zeros are dropped, so one charity has one org-id', () => {
    assert.equal(orgIdOf(parseCharityNumber('0207076')), 'GB-CHC-207076');
    assert.equal(orgIdOf(parseCharityNumber('001089464-1')), 'GB-CHC-1089464-1');
    assert.equal(orgIdOf(parseCharityNumber('012345')), 'charityEnglandWales');
    assert.equal(orgIdOf(parseCharityNumber('000000')), 'charityEnglandWales');
    assert.equal(parseOrgId('GB-CHC-0207076'), null);
  });

  test('Scotland: SC and 6 digits, org-id keeps the prefix', () => {
    assert.equal(orgIdOf(parseCharityNumber('SC012345')), 'GB-SC-SC012345');
    assert.equal(orgIdOf(parseCharityNumber('sc012345', 'scotland')), 'GB-SC-SC012345');
    assert.equal(orgIdOf(parseCharityNumber('SC12345')), 'charityScotland');
    assert.equal(orgIdOf(parseCharityNumber('SC0123456')), 'charityScotland');
    assert.equal(orgIdOf(parseCharityNumber('1089464', 'scotland')), 'charityRegisterMismatch');
  });

  test('Northern Ireland: NIC and 6 digits from 100000, org-id drops the prefix', () => {
    assert.equal(orgIdOf(parseCharityNumber('NIC100123')), 'GB-NIC-100123');
    assert.equal(orgIdOf(parseCharityNumber('100123', 'northern-ireland')), 'GB-NIC-100123');
    assert.equal(orgIdOf(parseCharityNumber('NIC012345')), 'charityNorthernIreland');
    assert.equal(orgIdOf(parseCharityNumber('NIC1001234')), 'charityNorthernIreland');
    assert.equal(orgIdOf(parseCharityNumber('NIC200000')), 'charityNorthernIreland');
    // Without the register stated, a bare number is read as England and Wales.
    assert.equal(orgIdOf(parseCharityNumber('100123')), 'GB-CHC-100123');
  });

  test('an unrecognisable number says the register is unknown', () => {
    assert.equal(orgIdOf(parseCharityNumber('ABC123')), 'charityUnknownRegister');
  });
});

describe('company numbers', () => {
  test('8 digits, padded when written without leading zeros', () => {
    assert.equal(orgIdOf(parseCompanyNumber('01234567')), 'GB-COH-01234567');
    assert.equal(orgIdOf(parseCompanyNumber('1234567')), 'GB-COH-01234567');
    assert.equal(orgIdOf(parseCompanyNumber('123456789')), 'company');
  });
  test('two-character prefixes and 6 digits', () => {
    for (const n of ['SC123456', 'NI123456', 'OC123456', 'SO123456', 'NC123456', 'R0123456'])
      assert.equal(orgIdOf(parseCompanyNumber(n)), `GB-COH-${n}`);
    assert.equal(orgIdOf(parseCompanyNumber('sc 123456')), 'GB-COH-SC123456');
    for (const n of ['XX123456', 'SC12345', 'SC1234567', 'S1234567', ''])
      assert.equal(orgIdOf(parseCompanyNumber(n)), 'company', n);
  });
});

describe('org-ids', () => {
  test('round-trip every scheme and reject malformed ones', () => {
    for (const id of ['GB-CHC-1089464', 'GB-SC-SC012345', 'GB-NIC-100123', 'GB-COH-SC123456'])
      assert.equal(parseOrgId(id)?.orgId, id);
    for (const id of ['GB-CHC-12', 'GB-SC-012345', 'GB-NIC-NIC100123', 'GB-XYZ-1', 'GB-COH-1234'])
      assert.equal(parseOrgId(id), null, id);
  });
});
