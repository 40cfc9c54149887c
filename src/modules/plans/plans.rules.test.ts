import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CurrentUser, Role } from '../../platform/auth/roles.ts';
import {
  actionProgress,
  isActionOverdue,
  isMilestoneOverdue,
  mayTransition,
  periodsOverlap,
  quarterInPlan,
  quarterOf,
  quarterRange,
  readProgressCsv,
  rollUp,
  STATUS_DEFAULT_PROGRESS,
  ProgressCsvError,
} from './plans.rules.ts';

const body = 'body-1';
const person = (role: Role, organisationId = body): CurrentUser => ({
  id: `u-${role}`,
  email: `${role}@example.org`,
  displayName: role,
  locale: 'en',
  emailVerified: true,
  totpEnabled: true,
  memberships: [
    {
      organisationId,
      organisationName: 'Org',
      organisationSlug: 'org',
      organisationKind: 'public_body',
      role,
    },
  ],
});

describe('status defaults and overrides', () => {
  test('each status has its documented default; dropped counts as nothing', () => {
    assert.deepEqual(STATUS_DEFAULT_PROGRESS, {
      not_started: 0,
      on_track: 50,
      at_risk: 40,
      off_track: 25,
      done: 100,
    });
    assert.equal(actionProgress({ status: 'on_track', progressOverride: null }), 50);
    assert.equal(actionProgress({ status: 'dropped', progressOverride: 80 }), null);
  });
  test('an override replaces the default only for on track, at risk and off track', () => {
    assert.equal(actionProgress({ status: 'at_risk', progressOverride: 70 }), 70);
    assert.equal(actionProgress({ status: 'off_track', progressOverride: 0 }), 0);
    assert.equal(actionProgress({ status: 'done', progressOverride: 30 }), 100);
    assert.equal(actionProgress({ status: 'not_started', progressOverride: 30 }), 0);
  });
});

describe('weighted roll-up', () => {
  const a = (
    status: Parameters<typeof actionProgress>[0]['status'],
    weight = 1,
    progressOverride: number | null = null,
  ) => ({
    status,
    weight,
    progressOverride,
  });
  test('weighted mean of progress', () => {
    // (2×100 + 1×50 + 1×0) / 4 = 62.5
    assert.equal(rollUp([a('done', 2), a('on_track'), a('not_started')]).total, 62.5);
  });
  test('overrides feed the total', () => {
    assert.equal(rollUp([a('on_track', 1, 90), a('done')]).total, 95);
  });
  test('dropped actions are left out, not counted as 0', () => {
    const r = rollUp([a('done'), a('dropped', 5)]);
    assert.equal(r.total, 100);
    assert.equal(r.droppedActions, 1);
  });
  test('weight 0 shows an action without counting it', () => {
    assert.equal(rollUp([a('done', 1), a('not_started', 0)]).total, 100);
  });
  test('no total, with the reason, when nothing counts', () => {
    assert.deepEqual(
      [rollUp([]), rollUp([a('dropped'), a('dropped')]), rollUp([a('done', 0), a('on_track', 0)])].map(
        (r) => [r.total, r.reason],
      ),
      [
        [null, 'no_actions'],
        [null, 'all_dropped'],
        [null, 'zero_weight'],
      ],
    );
  });
  test('rounded to one decimal place', () => {
    assert.equal(rollUp([a('done'), a('done'), a('not_started')]).total, 66.7);
  });
});

describe('overdue, worked out against today', () => {
  test('an action past its due date is overdue unless done or dropped', () => {
    assert.equal(isActionOverdue({ status: 'on_track', dueOn: '2026-03-31' }, '2026-04-01'), true);
    assert.equal(isActionOverdue({ status: 'on_track', dueOn: '2026-04-01' }, '2026-04-01'), false);
    assert.equal(isActionOverdue({ status: 'done', dueOn: '2026-03-31' }, '2026-04-01'), false);
    assert.equal(isActionOverdue({ status: 'dropped', dueOn: '2026-03-31' }, '2026-04-01'), false);
  });
  test('a milestone past its due date is overdue until completed', () => {
    assert.equal(isMilestoneOverdue({ dueOn: '2026-01-31', completedOn: null }, '2026-02-01'), true);
    assert.equal(isMilestoneOverdue({ dueOn: '2026-01-31', completedOn: '2026-02-03' }, '2026-02-05'), false);
    assert.equal(isMilestoneOverdue({ dueOn: '2026-01-31', completedOn: null }, '2026-01-31'), false);
  });
});

describe('plan years', () => {
  test('overlap is inclusive of the first and last days', () => {
    const y1 = { startsOn: '2026-04-01', endsOn: '2027-03-31' };
    assert.equal(periodsOverlap(y1, { startsOn: '2027-04-01', endsOn: '2028-03-31' }), false);
    assert.equal(periodsOverlap(y1, { startsOn: '2027-03-31', endsOn: '2028-03-30' }), true);
    assert.equal(periodsOverlap(y1, { startsOn: '2026-01-01', endsOn: '2026-04-01' }), true);
  });
  test('quarters', () => {
    assert.equal(quarterOf('2026-01-05'), '2026-Q1');
    assert.equal(quarterOf('2026-06-30'), '2026-Q2');
    assert.equal(quarterOf('2026-12-31'), '2026-Q4');
    assert.deepEqual(quarterRange('2026-Q1'), { startsOn: '2026-01-01', endsOn: '2026-03-31' });
    assert.deepEqual(quarterRange('2028-Q1'), { startsOn: '2028-01-01', endsOn: '2028-03-31' });
    assert.deepEqual(quarterRange('2026-Q4'), { startsOn: '2026-10-01', endsOn: '2026-12-31' });
  });
  test('an update is for a quarter that overlaps the plan year', () => {
    const y1 = { startsOn: '2026-04-01', endsOn: '2027-03-31' };
    assert.equal(quarterInPlan('2026-Q1', y1), false);
    assert.equal(quarterInPlan('2026-Q2', y1), true);
    assert.equal(quarterInPlan('2027-Q1', y1), true);
    assert.equal(quarterInPlan('2027-Q2', y1), false);
    // A plan year that starts mid-quarter still owns that quarter.
    assert.equal(quarterInPlan('2026-Q1', { startsOn: '2026-03-15', endsOn: '2027-03-14' }), true);
  });
});

describe('workflow transitions per role', () => {
  const officer = person('body_officer');
  const lead = person('body_lead');
  const otherLead = person('body_lead', 'body-2');
  const panel = person('panel_member', 'panel-org');
  const admin = person('admin', 'team');
  const plan = (status: 'draft' | 'submitted' | 'signed_off' | 'published') => ({ bodyId: body, status });
  test('submit: the body’s officers and lead, from draft only', () => {
    assert.equal(mayTransition(officer, plan('draft'), 'submit'), true);
    assert.equal(mayTransition(lead, plan('draft'), 'submit'), true);
    assert.equal(mayTransition(otherLead, plan('draft'), 'submit'), false);
    assert.equal(mayTransition(panel, plan('draft'), 'submit'), false);
    assert.equal(mayTransition(admin, plan('draft'), 'submit'), false);
    assert.equal(mayTransition(officer, plan('submitted'), 'submit'), false);
  });
  test('sign off: only the body’s own accountable lead, never an admin or officer', () => {
    assert.equal(mayTransition(lead, plan('submitted'), 'sign_off'), true);
    assert.equal(mayTransition(officer, plan('submitted'), 'sign_off'), false);
    assert.equal(mayTransition(admin, plan('submitted'), 'sign_off'), false);
    assert.equal(mayTransition(otherLead, plan('submitted'), 'sign_off'), false);
    assert.equal(mayTransition(lead, plan('draft'), 'sign_off'), false);
  });
  test('publish: after sign-off, by the lead or an admin', () => {
    assert.equal(mayTransition(lead, plan('signed_off'), 'publish'), true);
    assert.equal(mayTransition(admin, plan('signed_off'), 'publish'), true);
    assert.equal(mayTransition(officer, plan('signed_off'), 'publish'), false);
    assert.equal(mayTransition(lead, plan('submitted'), 'publish'), false);
  });
  test('return to draft: the lead or an admin, before publication', () => {
    assert.equal(mayTransition(lead, plan('submitted'), 'return'), true);
    assert.equal(mayTransition(admin, plan('signed_off'), 'return'), true);
    assert.equal(mayTransition(officer, plan('submitted'), 'return'), false);
    assert.equal(mayTransition(lead, plan('published'), 'return'), false);
    assert.equal(mayTransition(null, plan('submitted'), 'return'), false);
  });
});

describe('progress CSV', () => {
  const refs = new Set(['A1', 'A2', 'A3']);
  test('reads statuses by label, progress with or without %, notes', () => {
    const { rows, errors } = readProgressCsv(
      'action,status,progress,note\nA1,On track,60%,Good\na2,done,,\n',
      refs,
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(
      rows.map((r) => [r.ref, r.status, r.progress, r.note]),
      [
        ['A1', 'on_track', 60, 'Good'],
        ['A2', 'done', null, null],
      ],
    );
  });
  test('every bad row is reported with its line', () => {
    const { rows, errors } = readProgressCsv(
      'action,status,progress\nA9,done,\nA1,finished,\nA2,at risk,140\nA3,done,50\nA2,on track,\n,done,\n',
      refs,
    );
    assert.equal(rows.length, 1);
    assert.deepEqual(
      errors.map((e) => [e.line, e.key.split('.').pop()]),
      [
        [2, 'actionUnknown'],
        [3, 'status'],
        [4, 'progress'],
        [5, 'progressNotAllowed'],
        [7, 'actionMissing'],
      ],
    );
  });
  test('a file that cannot be read at all is refused', () => {
    assert.throws(() => readProgressCsv('', refs), ProgressCsvError);
    assert.throws(() => readProgressCsv('ref,state\nA1,done\n', refs), /header/);
    assert.throws(() => readProgressCsv('action,status\n', refs), /noRows/);
    assert.throws(() => readProgressCsv('action,status\n"A1,done\n', refs), /unreadable/);
  });
});
