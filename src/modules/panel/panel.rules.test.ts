/** The panel's rules without a database: terms, quorum, tally, the vote's result and conflicts. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inTerm, isConflicted, quorum, sideOn, tally, voteCarries } from './panel.rules.ts';
import { ukDateTime } from './panel.service.ts';

describe('terms', () => {
  const terms = [
    { termStart: '2025-01-01', termEnd: '2025-12-31', side: 'government' as const },
    { termStart: '2026-03-01', termEnd: '2027-02-28', side: 'civil_society' as const },
  ];
  test('both ends of a term are inside it; the gap between terms is not', () => {
    assert.equal(inTerm(terms, '2025-01-01'), true);
    assert.equal(inTerm(terms, '2025-12-31'), true);
    assert.equal(inTerm(terms, '2026-01-15'), false);
    assert.equal(inTerm(terms, '2024-12-31'), false);
    assert.equal(inTerm(terms, '2027-03-01'), false);
    assert.equal(inTerm([], '2025-06-01'), false);
  });
  test('the side is the side of the term covering the day', () => {
    assert.equal(sideOn(terms, '2025-06-01'), 'government');
    assert.equal(sideOn(terms, '2026-03-01'), 'civil_society');
    assert.equal(sideOn(terms, '2026-02-28'), null);
  });
});

describe('quorum', () => {
  const rule = { minimum: 3, eachSide: true };
  const gov = { side: 'government' as const };
  const cso = { side: 'civil_society' as const };
  const chair = { side: 'independent_chair' as const };
  test('three members with both sides make a quorum; the chair counts towards the number', () => {
    assert.deepEqual(quorum([gov, cso, chair], rule), { met: true, count: 3, missing: [] });
    assert.equal(quorum([gov, cso, cso], rule).met, true);
  });
  test('too few, or a side missing, is no quorum, and says what is missing', () => {
    assert.deepEqual(quorum([gov, cso], rule).missing, ['number']);
    assert.deepEqual(quorum([gov, gov, chair], rule).missing, ['civil_society']);
    assert.deepEqual(quorum([cso, cso, cso], rule).missing, ['government']);
    assert.deepEqual(quorum([], rule).missing, ['number', 'government', 'civil_society']);
    assert.deepEqual(quorum([chair, chair], rule), {
      met: false,
      count: 2,
      missing: ['number', 'government', 'civil_society'],
    });
  });
  test('without the each-side rule only the number counts', () => {
    assert.equal(quorum([cso, cso], { minimum: 2, eachSide: false }).met, true);
    assert.equal(quorum([cso], { minimum: 2, eachSide: false }).met, false);
  });
});

describe('tally and result', () => {
  test('counts each choice; abstentions do not decide', () => {
    const t = tally([{ vote: 'for' }, { vote: 'for' }, { vote: 'against' }, { vote: 'abstain' }]);
    assert.deepEqual(t, { for: 2, against: 1, abstain: 1 });
    assert.equal(voteCarries(t), true);
    assert.deepEqual(tally([]), { for: 0, against: 0, abstain: 0 });
  });
  test('a tie or a majority against does not carry', () => {
    assert.equal(voteCarries({ for: 2, against: 2, abstain: 0 }), false);
    assert.equal(voteCarries({ for: 1, against: 2, abstain: 5 }), false);
    assert.equal(voteCarries({ for: 0, against: 0, abstain: 3 }), false);
  });
});

describe('conflicts', () => {
  const facts = { caseId: 'case-1', involvedOrganisationIds: ['body', 'parent', 'reporter-org'] };
  test('a declared conflict with the case or an involved organisation, or belonging to one, conflicts', () => {
    assert.equal(
      isConflicted({ declared: [{ caseId: 'case-1', organisationId: null }], memberOf: [] }, facts),
      true,
    );
    assert.equal(
      isConflicted({ declared: [{ caseId: null, organisationId: 'parent' }], memberOf: [] }, facts),
      true,
    );
    assert.equal(isConflicted({ declared: [], memberOf: ['reporter-org'] }, facts), true);
  });
  test('conflicts with other cases and other organisations do not', () => {
    assert.equal(
      isConflicted(
        {
          declared: [
            { caseId: 'case-2', organisationId: null },
            { caseId: null, organisationId: 'elsewhere' },
          ],
          memberOf: ['panel-org'],
        },
        facts,
      ),
      false,
    );
    assert.equal(
      isConflicted({ declared: [], memberOf: [] }, { caseId: 'case-1', involvedOrganisationIds: [] }),
      false,
    );
  });
});

describe('meeting times', () => {
  test('a UK time becomes the right instant in winter (GMT) and summer (BST)', () => {
    assert.equal(ukDateTime('2026-01-15', '14:30').toISOString(), '2026-01-15T14:30:00.000Z');
    assert.equal(ukDateTime('2026-07-15', '14:30').toISOString(), '2026-07-15T13:30:00.000Z');
  });
});
