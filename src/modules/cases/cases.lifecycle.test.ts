import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyTransition,
  availableActions,
  caseActions,
  caseStates,
  findTransition,
  InvalidTransitionError,
  isOpen,
  transitions,
} from './cases.lifecycle.ts';

describe('case lifecycle transition table', () => {
  test('the happy path: submitted → with body → responded → resolved', () => {
    assert.equal(applyTransition('submitted', 'accept', ['triage']).to, 'with_body');
    assert.equal(applyTransition('with_body', 'acknowledge', ['body']).to, 'with_body');
    assert.equal(applyTransition('with_body', 'respond', ['body']).to, 'responded');
    assert.deepEqual(applyTransition('responded', 'confirm_resolved', ['reporter'], 'partly_resolved'), {
      to: 'resolved',
      outcome: 'partly_resolved',
    });
  });

  test('the escalation path reaches the panel and back to the body, then closes', () => {
    assert.equal(applyTransition('with_body', 'escalate', ['system']).to, 'escalated');
    assert.equal(applyTransition('escalated', 'start_panel_review', ['panel']).to, 'panel_review');
    assert.equal(applyTransition('panel_review', 'record_decision', ['panel']).to, 'panel_decided');
    assert.equal(
      applyTransition('panel_decided', 'reply_to_recommendation', ['body_lead']).to,
      'body_replied',
    );
    assert.deepEqual(applyTransition('body_replied', 'close', ['panel'], 'not_upheld'), {
      to: 'closed',
      outcome: 'not_upheld',
    });
  });

  test('triage outcomes record their own outcome codes', () => {
    assert.deepEqual(applyTransition('submitted', 'reject_out_of_scope', ['triage']), {
      to: 'closed',
      outcome: 'out_of_scope',
    });
    assert.deepEqual(applyTransition('submitted', 'mark_duplicate', ['triage']), {
      to: 'closed',
      outcome: 'duplicate',
    });
    assert.equal(applyTransition('submitted', 'request_information', ['triage']).to, 'needs_information');
    assert.equal(applyTransition('needs_information', 'provide_information', ['reporter']).to, 'submitted');
  });

  test('the wrong part cannot act: a body cannot triage, a reporter cannot respond, the panel cannot accept', () => {
    assert.throws(() => applyTransition('submitted', 'accept', ['body']), InvalidTransitionError);
    assert.throws(() => applyTransition('with_body', 'respond', ['reporter']), InvalidTransitionError);
    assert.throws(() => applyTransition('submitted', 'accept', ['panel']), InvalidTransitionError);
    assert.throws(
      () => applyTransition('panel_review', 'record_decision', ['triage']),
      InvalidTransitionError,
    );
  });

  test('an action from the wrong state is refused with a clear message', () => {
    assert.throws(
      () => applyTransition('closed', 'respond', ['body']),
      /A case that is closed cannot be moved by "respond"/,
    );
    assert.throws(() => applyTransition('submitted', 'record_decision', ['panel']), InvalidTransitionError);
  });

  test('closing needs an allowed outcome to be chosen', () => {
    assert.throws(() => applyTransition('body_replied', 'close', ['panel']), InvalidTransitionError);
    assert.throws(
      () => applyTransition('body_replied', 'close', ['panel'], 'withdrawn'),
      InvalidTransitionError,
    );
    assert.throws(
      () => applyTransition('responded', 'confirm_resolved', ['reporter'], 'not_upheld'),
      InvalidTransitionError,
    );
  });

  test('the reporter can withdraw from every open state and from no closed one', () => {
    for (const state of caseStates) {
      const t = findTransition(state, 'withdraw', ['reporter']);
      if (isOpen(state)) assert.deepEqual([t?.to, t?.outcome], ['closed', 'withdrawn'], state);
      else assert.equal(t, undefined, state);
    }
  });

  test('reopen: the team from resolved or closed; the reporter only from resolved', () => {
    assert.equal(applyTransition('closed', 'reopen', ['triage']).to, 'with_body');
    assert.equal(applyTransition('resolved', 'reopen', ['reporter']).to, 'with_body');
    assert.throws(() => applyTransition('closed', 'reopen', ['reporter']), InvalidTransitionError);
  });

  test('availableActions lists each action once, only those the parts may take', () => {
    const reporterOnWithBody = availableActions('with_body', ['reporter']).map((t) => t.action);
    assert.deepEqual(reporterOnWithBody.sort(), ['escalate', 'withdraw']);
    const bodyOnWithBody = availableActions('with_body', ['body']).map((t) => t.action);
    assert.deepEqual(bodyOnWithBody.sort(), ['acknowledge', 'pause_clock', 'respond', 'resume_clock']);
    assert.deepEqual(availableActions('closed', ['body', 'reporter']), []);
  });

  test('the table is well formed: known states and actions, every state reachable, terminal states closed', () => {
    const reachable = new Set(['submitted']);
    let grew = true;
    while (grew) {
      grew = false;
      for (const t of transitions)
        if (reachable.has(t.from) && !reachable.has(t.to)) {
          reachable.add(t.to);
          grew = true;
        }
    }
    for (const s of caseStates) assert.ok(reachable.has(s), `${s} is reachable`);
    for (const t of transitions) {
      assert.ok(caseStates.includes(t.from) && caseStates.includes(t.to));
      assert.ok(caseActions.includes(t.action));
      assert.ok(t.by.length > 0);
    }
    assert.equal(isOpen('resolved'), false);
    assert.equal(isOpen('closed'), false);
  });
});

test('a routed case is accepted by the system; triage can still close it as out of scope or a duplicate', () => {
  assert.equal(applyTransition('submitted', 'accept', ['system']).to, 'with_body');
  assert.equal(applyTransition('with_body', 'mark_duplicate', ['triage']).outcome, 'duplicate');
  assert.throws(() => applyTransition('with_body', 'mark_duplicate', ['body']), InvalidTransitionError);
});
