/**
 * The measurable standards at their boundaries (issue 5 acceptance): 84 days exactly, 12 weeks after closing
 * exactly, 3 calendar months exactly (with month ends), single-year against multi-year terms, overheads,
 * payment timing, and records whose dates are out of order.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addCalendarDays } from '../../platform/calendar/iso-date.ts';
import {
  assessRecords,
  checkConsultationLength,
  checkConsultationResponse,
  checkMultiYear,
  checkNotice,
  checkOverheads,
  checkPaymentTiming,
  consultationLength,
  datesOutOfOrder,
  isSingleYearTerm,
  responseDue,
  termMonths,
  type AgreementFacts,
  type ChangeFacts,
  type ConsultationFacts,
} from './standards.rules.ts';

const consultation = (overrides: Partial<ConsultationFacts> = {}): ConsultationFacts => ({
  id: 'c-1',
  title: 'Future of libraries',
  opensOn: '2026-01-05',
  closesOn: addCalendarDays('2026-01-05', 84),
  responsePublishedOn: null,
  shortReason: null,
  lateResponseReason: null,
  ...overrides,
});

const agreement = (overrides: Partial<AgreementFacts> = {}): AgreementFacts => ({
  id: 'a-1',
  title: 'Advice services grant',
  recipientName: 'Example Advice Centre',
  startsOn: '2026-04-01',
  endsOn: '2027-03-31',
  multiYearPossible: false,
  overheadsAllowed: true,
  paymentTiming: 'advance',
  advanceNeeded: false,
  ...overrides,
});

const change = (overrides: Partial<ChangeFacts> = {}): ChangeFacts => ({
  id: 'ch-1',
  kind: 'end',
  noticeOn: '2026-05-31',
  effectiveOn: '2026-08-31',
  agreementTitle: 'Advice services grant',
  recipientName: 'Example Advice Centre',
  ...overrides,
});

describe('C1 consultation length', () => {
  test('exactly 84 days (12 weeks) meets the standard; 83 days without a reason is a finding', () => {
    const twelveWeeks = consultation({ opensOn: '2026-01-05', closesOn: '2026-03-30' });
    assert.equal(consultationLength(twelveWeeks), 84);
    assert.equal(checkConsultationLength(twelveWeeks), null);

    const short = consultation({ opensOn: '2026-01-05', closesOn: '2026-03-29' });
    assert.equal(consultationLength(short), 83);
    const finding = checkConsultationLength(short);
    assert.ok(finding);
    assert.equal(finding.standard, 'C1');
    assert.equal(finding.id, 'C1:c-1');
    assert.equal(finding.date, '2026-03-29');
    assert.equal(finding.year, 2026);
    assert.match(finding.explanation, /83 days \(11 weeks and 6 days\)/);
    assert.match(finding.explanation, /at least 12 weeks \(84 days\)/);
    assert.match(finding.source, /Compact 2010/);
  });

  test('a stated reason excuses a short consultation; a blank reason does not', () => {
    const short = { opensOn: '2026-01-05', closesOn: '2026-02-02' };
    assert.equal(
      checkConsultationLength(consultation({ ...short, shortReason: 'Urgent safety issue' })),
      null,
    );
    assert.ok(checkConsultationLength(consultation({ ...short, shortReason: '   ' })));
    assert.ok(checkConsultationLength(consultation({ ...short, shortReason: null })));
  });

  test('lengths count across a leap day and the clock change as calendar days', () => {
    // 2028 is a leap year: 1 February to 25 April is 84 days because February has 29.
    assert.equal(consultationLength({ opensOn: '2028-02-01', closesOn: '2028-04-25' }), 84);
    assert.equal(
      checkConsultationLength(consultation({ opensOn: '2028-02-01', closesOn: '2028-04-25' })),
      null,
    );
    assert.ok(checkConsultationLength(consultation({ opensOn: '2028-02-01', closesOn: '2028-04-24' })));
  });
});

describe('C3 publishing the response', () => {
  const closed = { opensOn: '2025-10-01', closesOn: '2026-01-05' };

  test('a response exactly 12 weeks (84 days) after closing meets it; one day later is a finding', () => {
    const onTime = consultation({ ...closed, responsePublishedOn: '2026-03-30' });
    assert.equal(checkConsultationResponse(onTime, '2026-12-01'), null);
    const late = consultation({ ...closed, responsePublishedOn: '2026-03-31' });
    const finding = checkConsultationResponse(late, '2026-12-01');
    assert.ok(finding);
    assert.equal(finding.standard, 'C3');
    assert.match(finding.explanation, /85 days after the consultation closed on 2026-01-05/);
    assert.match(finding.source, /Consultation Principles/);
  });

  test('with no response, day 84 is not yet due; day 85 is a finding', () => {
    const none = consultation(closed);
    assert.equal(responseDue(none, '2026-03-30'), false);
    assert.equal(checkConsultationResponse(none, '2026-03-30'), null);
    assert.equal(responseDue(none, '2026-03-31'), true);
    const finding = checkConsultationResponse(none, '2026-03-31');
    assert.ok(finding);
    assert.match(finding.explanation, /No response has been published 85 days after/);
  });

  test('an explanation for the delay excuses a late response', () => {
    const late = consultation({
      ...closed,
      responsePublishedOn: '2026-06-01',
      lateResponseReason: 'The response waited for the spending review, as we said when it closed.',
    });
    assert.equal(checkConsultationResponse(late, '2026-12-01'), null);
  });

  test('a consultation still open is not due for a response', () => {
    assert.equal(
      responseDue(consultation({ opensOn: '2026-01-05', closesOn: '2026-04-30' }), '2026-02-01'),
      false,
    );
  });
});

describe('F1 notice of a funding change', () => {
  test('exactly 3 calendar months meets it; a day short is a finding', () => {
    assert.equal(checkNotice(change({ noticeOn: '2026-02-10', effectiveOn: '2026-05-10' })), null);
    const short = checkNotice(change({ noticeOn: '2026-02-10', effectiveOn: '2026-05-09' }));
    assert.ok(short);
    assert.equal(short.standard, 'F1');
    assert.equal(short.date, '2026-02-10');
    assert.match(short.explanation, /2026-05-10 or later/);
    assert.match(short.explanation, /88 days/);
  });

  test('month ends: 31 May → 31 August; 30 November → 28 February, or 29 in a leap year', () => {
    assert.equal(checkNotice(change({ noticeOn: '2026-05-31', effectiveOn: '2026-08-31' })), null);
    assert.ok(checkNotice(change({ noticeOn: '2026-05-31', effectiveOn: '2026-08-30' })));

    assert.equal(checkNotice(change({ noticeOn: '2025-11-30', effectiveOn: '2026-02-28' })), null);
    const shortOfFeb = checkNotice(change({ noticeOn: '2025-11-30', effectiveOn: '2026-02-27' }));
    assert.ok(shortOfFeb);
    assert.match(shortOfFeb.explanation, /2026-02-28 or later/);

    assert.equal(checkNotice(change({ noticeOn: '2027-11-30', effectiveOn: '2028-02-29' })), null);
    assert.ok(checkNotice(change({ noticeOn: '2027-11-30', effectiveOn: '2028-02-28' })));
  });

  test('a reduction is described as reducing, an end as ending', () => {
    const reduction = checkNotice(
      change({ kind: 'reduction', noticeOn: '2026-01-01', effectiveOn: '2026-02-01' }),
    );
    assert.match(reduction!.explanation, /Notice of reducing the funding/);
    const ending = checkNotice(change({ kind: 'end', noticeOn: '2026-01-01', effectiveOn: '2026-02-01' }));
    assert.match(ending!.explanation, /Notice of ending the funding/);
  });
});

describe('F2 full cost recovery, F3 multi-year, F4 payment timing', () => {
  test('no overheads is a finding; overheads allowed is not', () => {
    assert.equal(checkOverheads(agreement()), null);
    const f = checkOverheads(agreement({ overheadsAllowed: false }));
    assert.ok(f);
    assert.equal(f.standard, 'F2');
    assert.equal(f.date, '2026-04-01');
    assert.match(f.explanation, /does not allow any share of overheads/);
  });

  test('a single-year term counts both ends: 1 April to 31 March is one year, to 1 April is not', () => {
    assert.equal(isSingleYearTerm({ startsOn: '2026-04-01', endsOn: '2027-03-31' }), true);
    assert.equal(isSingleYearTerm({ startsOn: '2026-04-01', endsOn: '2027-04-01' }), false);
    assert.equal(isSingleYearTerm({ startsOn: '2026-04-01', endsOn: '2026-09-30' }), true);
    assert.equal(isSingleYearTerm({ startsOn: '2026-04-01', endsOn: '2029-03-31' }), false);
    // A term from 29 February runs a whole year to 28 February, not to 27 February.
    assert.equal(isSingleYearTerm({ startsOn: '2028-02-29', endsOn: '2029-02-28' }), true);
    assert.equal(isSingleYearTerm({ startsOn: '2028-02-29', endsOn: '2029-03-01' }), false);
    assert.equal(termMonths({ startsOn: '2026-04-01', endsOn: '2027-03-31' }), 12);
    assert.equal(termMonths({ startsOn: '2026-04-01', endsOn: '2029-03-31' }), 36);
    // A month from 31 January reaches the end of February (28 February), so the term's last day is the 27th.
    assert.equal(termMonths({ startsOn: '2026-01-31', endsOn: '2026-02-26' }), 0);
    assert.equal(termMonths({ startsOn: '2026-01-31', endsOn: '2026-02-27' }), 1);
  });

  test('F3: single year where multi-year was possible is a finding; otherwise not', () => {
    assert.equal(checkMultiYear(agreement({ multiYearPossible: false })), null);
    const f = checkMultiYear(agreement({ multiYearPossible: true }));
    assert.ok(f);
    assert.equal(f.standard, 'F3');
    assert.equal(checkMultiYear(agreement({ multiYearPossible: true, endsOn: '2029-03-31' })), null);
    assert.equal(checkMultiYear(agreement({ multiYearPossible: true, endsOn: '2027-04-01' })), null);
  });

  test('F4: arrears despite a stated need for advance payment is a finding', () => {
    assert.equal(checkPaymentTiming(agreement({ paymentTiming: 'arrears', advanceNeeded: false })), null);
    assert.equal(checkPaymentTiming(agreement({ paymentTiming: 'advance', advanceNeeded: true })), null);
    const f = checkPaymentTiming(agreement({ paymentTiming: 'arrears', advanceNeeded: true }));
    assert.ok(f);
    assert.equal(f.standard, 'F4');
  });
});

describe('dates out of order and the assessment', () => {
  test('datesOutOfOrder spots each kind of impossible record', () => {
    assert.equal(datesOutOfOrder(consultation({ opensOn: '2026-02-01', closesOn: '2026-01-31' })), true);
    assert.equal(datesOutOfOrder(consultation({ opensOn: '2026-02-01', closesOn: '2026-02-01' })), false);
    assert.equal(
      datesOutOfOrder(consultation({ closesOn: '2026-04-01', responsePublishedOn: '2026-03-31' })),
      true,
    );
    assert.equal(datesOutOfOrder({ startsOn: '2026-04-01', endsOn: '2026-03-31' }), true);
    assert.equal(datesOutOfOrder({ noticeOn: '2026-04-01', effectiveOn: '2026-03-31' }), true);
    assert.equal(datesOutOfOrder({ noticeOn: '2026-04-01', effectiveOn: '2026-04-01' }), false);
  });

  test('assessRecords tallies per body, skips impossible records and filters by year', () => {
    const result = assessRecords(
      {
        consultations: [
          { ...consultation({ id: 'ok', opensOn: '2026-01-05', closesOn: '2026-03-30' }), bodyId: 'b1' },
          { ...consultation({ id: 'short', opensOn: '2026-01-05', closesOn: '2026-02-02' }), bodyId: 'b1' },
          // Closes before it opens: neither checked nor a finding.
          { ...consultation({ id: 'bad', opensOn: '2026-03-01', closesOn: '2026-02-01' }), bodyId: 'b1' },
          { ...consultation({ id: 'old', opensOn: '2025-01-05', closesOn: '2025-02-02' }), bodyId: 'b1' },
        ],
        agreements: [
          { ...agreement({ id: 'a1', overheadsAllowed: false, multiYearPossible: true }), bodyId: 'b2' },
          { ...agreement({ id: 'a2', startsOn: '2026-05-01', endsOn: '2026-04-01' }), bodyId: 'b2' },
        ],
        changes: [{ ...change({ noticeOn: '2026-06-01', effectiveOn: '2026-07-01' }), bodyId: 'b2' }],
        reviews: [],
      },
      { today: '2026-12-01', year: 2026 },
    );
    const b1 = result.get('b1')!;
    assert.equal(b1.tally.checked.C1, 2);
    assert.equal(b1.tally.byStandard.C1, 1);
    // Both 2026 consultations closed more than 84 days ago with no response: two C3 findings.
    assert.equal(b1.tally.checked.C3, 2);
    assert.equal(b1.tally.byStandard.C3, 2);
    assert.equal(b1.tally.total, 3);
    assert.ok(b1.findings.every((f) => f.year === 2026));
    const b2 = result.get('b2')!;
    assert.deepEqual(
      { F1: b2.tally.byStandard.F1, F2: b2.tally.byStandard.F2, F3: b2.tally.byStandard.F3 },
      { F1: 1, F2: 1, F3: 1 },
    );
    assert.equal(b2.tally.checked.F2, 1);
    assert.equal(b2.tally.checked.F4, 0);
  });

  test('a reviewed agreement: only the clauses the reviewer confirmed are findings; every review is checked against A1–A3', () => {
    const clause = (rule: 'A1' | 'A2' | 'A3', start: number, confirmed: boolean) => ({
      rule,
      start,
      end: start + 10,
      text: 'Clause text',
      why: 'Why it conflicts.',
      confirmed,
    });
    const result = assessRecords(
      {
        consultations: [],
        agreements: [],
        changes: [],
        reviews: [
          {
            id: 'r1',
            bodyId: 'b1',
            title: 'Grant agreement',
            reviewedOn: '2026-03-02',
            clauses: [clause('A1', 0, true), clause('A3', 40, true), clause('A3', 90, false)],
          },
          { id: 'r2', bodyId: 'b1', title: 'Clean contract', reviewedOn: '2026-04-01', clauses: [] },
          // Another year: left out by the year filter.
          {
            id: 'r3',
            bodyId: 'b1',
            title: 'Old',
            reviewedOn: '2025-04-01',
            clauses: [clause('A2', 0, true)],
          },
        ],
      },
      { today: '2026-12-01', year: 2026 },
    );
    const b1 = result.get('b1')!;
    assert.deepEqual([b1.tally.checked.A1, b1.tally.checked.A2, b1.tally.checked.A3], [2, 2, 2]);
    assert.deepEqual([b1.tally.byStandard.A1, b1.tally.byStandard.A2, b1.tally.byStandard.A3], [1, 0, 1]);
    assert.equal(b1.tally.total, 2);
    assert.deepEqual(b1.findings.map((f) => f.id).sort(), ['A1:r1@0', 'A3:r1@40']);
    assert.ok(b1.findings.every((f) => f.subject === 'agreement_review' && f.date === '2026-03-02'));
    assert.match(b1.findings[0]!.explanation, /Clause found \(characters/);
  });
});
