/**
 * The case lifecycle: ONE transition table (state, action, who → next state) that drives both the service
 * (which refuses anything not in it) and the buttons on every case page (which show only what the table
 * allows the viewer). SPEC §3 "Lifecycle"; domain.md §7 (casework process model).
 *
 *   submitted → (triage) → with_body → responded → resolved
 *                       ↘ needs_information → submitted
 *                       ↘ closed (out of scope | duplicate)
 *   with_body | responded → escalated → panel_review → panel_decided → body_replied → closed
 *   any open state → closed (withdrawn by the reporter)
 *   resolved | closed → reopened to with_body (Covenant team, or the reporter within the reopen window)
 */

export const caseStates = [
  'submitted',
  'needs_information',
  'with_body',
  'responded',
  'escalated',
  'panel_review',
  'panel_decided',
  'body_replied',
  'resolved',
  'closed',
] as const;
export type CaseState = (typeof caseStates)[number];

/** Outcome codes recorded when a case ends (SPEC §3; Compact Advocacy Programme outcome codes). */
export const outcomeCodes = [
  'resolved',
  'partly_resolved',
  'not_upheld',
  'withdrawn',
  'referred_elsewhere',
  'out_of_scope',
  'duplicate',
] as const;
export type OutcomeCode = (typeof outcomeCodes)[number];

/**
 * The parts people play in one case. They are worked out per case from roles and the case itself
 * (cases.policy.ts): a `body_officer` is a "body" actor only for cases with their own body; the reporter is
 * the person who filed (or the intermediary who filed for a member).
 */
export const caseActors = ['reporter', 'triage', 'body', 'body_lead', 'panel', 'system'] as const;
export type CaseActor = (typeof caseActors)[number];

export const caseActions = [
  'accept',
  'request_information',
  'provide_information',
  'reject_out_of_scope',
  'mark_duplicate',
  'acknowledge',
  'pause_clock',
  'resume_clock',
  'reroute',
  'respond',
  'confirm_resolved',
  'escalate',
  'start_panel_review',
  'record_decision',
  'reply_to_recommendation',
  'close',
  'withdraw',
  'reopen',
] as const;
export type CaseAction = (typeof caseActions)[number];

export interface Transition {
  from: CaseState;
  action: CaseAction;
  by: readonly CaseActor[];
  to: CaseState;
  /** The outcome code this transition records, when it ends the case. */
  outcome?: OutcomeCode;
  /** The form must carry an outcome code chosen by the person (close, confirm_resolved). */
  choosesOutcome?: readonly OutcomeCode[];
  /** A reason or message is required (shown to the other side, recorded in the timeline). */
  needsText?: boolean;
}

/** Every state but the two terminal ones, where a case has ended. */
const terminal: readonly CaseState[] = ['resolved', 'closed'];
const open: CaseState[] = caseStates.filter((s) => !terminal.includes(s));

export const transitions: readonly Transition[] = [
  // Triage by the Covenant team (SPEC §3: accepted, needs information, out of scope, duplicate). A report
  // about a known body with a route is accepted by the system at once, so the body's clock starts the day
  // it is filed; unknown or ambiguous bodies wait in the triage queue.
  { from: 'submitted', action: 'accept', by: ['triage', 'system'], to: 'with_body' },
  {
    from: 'submitted',
    action: 'request_information',
    by: ['triage'],
    to: 'needs_information',
    needsText: true,
  },
  {
    from: 'needs_information',
    action: 'provide_information',
    by: ['reporter'],
    to: 'submitted',
    needsText: true,
  },
  {
    from: 'submitted',
    action: 'reject_out_of_scope',
    by: ['triage'],
    to: 'closed',
    outcome: 'out_of_scope',
    needsText: true,
  },
  { from: 'submitted', action: 'mark_duplicate', by: ['triage'], to: 'closed', outcome: 'duplicate' },
  // The team can still close a case routed straight to a body when it proves out of scope or a duplicate.
  {
    from: 'with_body',
    action: 'reject_out_of_scope',
    by: ['triage'],
    to: 'closed',
    outcome: 'out_of_scope',
    needsText: true,
  },
  { from: 'with_body', action: 'mark_duplicate', by: ['triage'], to: 'closed', outcome: 'duplicate' },
  // With the body: acknowledge, pause the clock while waiting for the reporter, respond.
  { from: 'with_body', action: 'acknowledge', by: ['body', 'body_lead'], to: 'with_body' },
  {
    from: 'with_body',
    action: 'pause_clock',
    by: ['body', 'body_lead', 'triage'],
    to: 'with_body',
    needsText: true,
  },
  { from: 'with_body', action: 'resume_clock', by: ['body', 'body_lead', 'triage'], to: 'with_body' },
  { from: 'with_body', action: 'reroute', by: ['triage', 'body_lead'], to: 'with_body', needsText: true },
  { from: 'with_body', action: 'respond', by: ['body', 'body_lead'], to: 'responded', needsText: true },
  // After a response: the reporter says whether it is resolved, or escalates.
  {
    from: 'responded',
    action: 'confirm_resolved',
    by: ['reporter', 'triage'],
    to: 'resolved',
    choosesOutcome: ['resolved', 'partly_resolved'],
  },
  { from: 'responded', action: 'escalate', by: ['reporter', 'triage'], to: 'escalated', needsText: true },
  // A stalled case escalates: the reporter or the team can ask, and a long-overdue one escalates by itself.
  {
    from: 'with_body',
    action: 'escalate',
    by: ['reporter', 'triage', 'system'],
    to: 'escalated',
    needsText: true,
  },
  // The joint oversight panel (SPEC §4).
  { from: 'escalated', action: 'start_panel_review', by: ['panel', 'triage'], to: 'panel_review' },
  { from: 'panel_review', action: 'record_decision', by: ['panel'], to: 'panel_decided', needsText: true },
  {
    from: 'panel_decided',
    action: 'reply_to_recommendation',
    by: ['body', 'body_lead'],
    to: 'body_replied',
    needsText: true,
  },
  {
    from: 'body_replied',
    action: 'close',
    by: ['panel', 'triage'],
    to: 'closed',
    choosesOutcome: ['resolved', 'partly_resolved', 'not_upheld', 'referred_elsewhere'],
  },
  {
    from: 'responded',
    action: 'close',
    by: ['triage'],
    to: 'closed',
    choosesOutcome: ['resolved', 'partly_resolved', 'not_upheld', 'referred_elsewhere'],
  },
  // The reporter may withdraw at any point while the case is open.
  ...open.map((from): Transition => ({
    from,
    action: 'withdraw',
    by: ['reporter'],
    to: 'closed',
    outcome: 'withdrawn',
  })),
  // Reopening (cases.rules.ts: the reporter only within the reopen window; the team at any time).
  { from: 'resolved', action: 'reopen', by: ['reporter', 'triage'], to: 'with_body', needsText: true },
  { from: 'closed', action: 'reopen', by: ['triage'], to: 'with_body', needsText: true },
];

export function isOpen(state: CaseState): boolean {
  return open.includes(state);
}

/** The transition for this state and action that one of the actor's parts may take, or undefined. */
export function findTransition(
  state: CaseState,
  action: CaseAction,
  actors: readonly CaseActor[],
): Transition | undefined {
  return transitions.find(
    (t) => t.from === state && t.action === action && t.by.some((a) => actors.includes(a)),
  );
}

/** Every action the actor may take in this state: what the case page shows as buttons. */
export function availableActions(state: CaseState, actors: readonly CaseActor[]): Transition[] {
  const seen = new Set<CaseAction>();
  return transitions.filter((t) => {
    if (t.from !== state || !t.by.some((a) => actors.includes(a)) || seen.has(t.action)) return false;
    seen.add(t.action);
    return true;
  });
}

export class InvalidTransitionError extends Error {
  override name = 'InvalidTransitionError';
  readonly state: CaseState;
  readonly action: string;
  constructor(state: CaseState, action: string) {
    super(`A case that is ${state} cannot be moved by "${action}"`);
    this.state = state;
    this.action = action;
  }
}

/**
 * Checks a requested transition and returns it, or throws InvalidTransitionError. The outcome is the
 * transition's own, or the one the person chose from the allowed list.
 */
export function applyTransition(
  state: CaseState,
  action: CaseAction,
  actors: readonly CaseActor[],
  chosenOutcome?: OutcomeCode,
): { to: CaseState; outcome: OutcomeCode | null } {
  const transition = findTransition(state, action, actors);
  if (!transition) throw new InvalidTransitionError(state, action);
  if (transition.choosesOutcome) {
    if (!chosenOutcome || !transition.choosesOutcome.includes(chosenOutcome))
      throw new InvalidTransitionError(state, `${action} with outcome ${chosenOutcome ?? 'none'}`);
    return { to: transition.to, outcome: chosenOutcome };
  }
  return { to: transition.to, outcome: transition.outcome ?? null };
}
