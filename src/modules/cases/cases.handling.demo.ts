/**
 * Demo casework for the handling screens (issue 4, item 10, handling half): cases in every state, with
 * several outcomes, every confidentiality mode, messages, internal notes, a paused clock and a long-overdue
 * case, for three bodies (DCMS, Leeds City Council and Glasgow City Council, whose clock runs on Scotland's
 * bank holidays). Runs after the directory, accounts and intake demo seeders; reporters are the demo
 * accounts, so `cso.member@…` sees them under "Your cases" and the body accounts in their inbox.
 *
 * Rows are written straight to the tables (the history is made up, so no emails are sent for it).
 */
import { asc, eq } from 'drizzle-orm';
import type { Deps } from '../../container.ts';
import { toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import { users, memberships } from '../accounts/accounts.tables.ts';
import { organisations } from '../directory/directory.tables.ts';
import { covenantCommitments } from '../covenant/covenant.tables.ts';
import type { CaseAction, CaseActor, CaseState, OutcomeCode } from './cases.lifecycle.ts';
import { createCaseIdentity } from './cases.identity.ts';
import { nextCaseReference } from './cases.reference.ts';
import {
  caseClockEvents,
  caseCommitments,
  caseEvents,
  caseMessages,
  caseNotes,
  cases,
  type CaseCategory,
  type Confidentiality,
} from './cases.tables.ts';
import { responseTemplates } from './cases.handling.tables.ts';

const DAY = 86_400_000;

interface Step {
  action: CaseAction | 'submit';
  by: CaseActor;
  to: CaseState;
  daysAgo: number;
  text?: string;
  outcome?: OutcomeCode;
}

interface DemoCase {
  body: 'dcms' | 'leeds' | 'glasgow';
  reporter: string;
  confidentiality: Confidentiality;
  category: CaseCategory;
  title: string;
  whatHappened: string;
  daysAgo: number;
  steps: Step[];
  pausedDaysAgo?: { days: number; reason: string };
  messages?: { from: 'reporter' | 'body'; text: string }[];
  note?: string;
}

const submit = (daysAgo: number): Step => ({ action: 'submit', by: 'reporter', to: 'submitted', daysAgo });
const accept = (daysAgo: number): Step => ({ action: 'accept', by: 'system', to: 'with_body', daysAgo });
const ack = (daysAgo: number): Step => ({ action: 'acknowledge', by: 'body', to: 'with_body', daysAgo });
const respond = (daysAgo: number, text: string): Step => ({
  action: 'respond',
  by: 'body',
  to: 'responded',
  daysAgo,
  text,
});
const escalate = (daysAgo: number, text: string): Step => ({
  action: 'escalate',
  by: 'reporter',
  to: 'escalated',
  daysAgo,
  text,
});

const demoCases: DemoCase[] = [
  {
    body: 'leeds',
    reporter: 'cso.member@demo.covenant-hub.local',
    confidentiality: 'public',
    category: 'funding',
    title: 'Youth grant ended with two weeks’ notice',
    whatHappened:
      'The council told us on 1 March that our youth work grant would end on 15 March, with no consultation.',
    daysAgo: 3,
    steps: [submit(3), accept(3)],
    messages: [{ from: 'reporter', text: 'We can share the council’s letter if that helps.' }],
  },
  {
    body: 'leeds',
    reporter: 'cso.admin@demo.covenant-hub.local',
    confidentiality: 'withheld',
    category: 'independence_advocacy',
    title: 'Told to stop campaigning or lose our contract',
    whatHappened:
      'An officer said that our contract renewal would be “difficult” if we kept criticising the housing policy in public.',
    daysAgo: 12,
    steps: [submit(12), accept(12), ack(10)],
    note: 'Check with procurement who made this call before replying.',
  },
  {
    body: 'leeds',
    reporter: 'cso.member@demo.covenant-hub.local',
    confidentiality: 'anonymised',
    category: 'consultation',
    title: 'Consultation on day centres open for one week only',
    whatHappened: 'The consultation on closing two day centres ran for seven days over half term.',
    daysAgo: 70,
    steps: [submit(70), accept(70)],
  },
  {
    body: 'leeds',
    reporter: 'intermediary@demo.covenant-hub.local',
    confidentiality: 'intermediary',
    category: 'procurement_contracts',
    title: 'Payment terms of 90 days on a small contract',
    whatHappened:
      'A member charity waits 90 days for payment on a £6,000 contract, which puts its cash flow at risk.',
    daysAgo: 20,
    steps: [submit(20), accept(20), ack(18)],
    pausedDaysAgo: { days: 6, reason: 'Waiting for copies of the invoices from the reporter' },
    messages: [
      { from: 'body', text: 'Could you send copies of the invoices and the dates they were paid?' },
      { from: 'reporter', text: 'Our member is gathering them and will send them next week.' },
    ],
  },
  {
    body: 'dcms',
    reporter: 'cso.admin@demo.covenant-hub.local',
    confidentiality: 'public',
    category: 'data_transparency',
    title: 'Grant data not published for 2025',
    whatHappened: 'The department has not published its grants data for 2025 as 360Giving files.',
    daysAgo: 30,
    steps: [
      submit(30),
      accept(30),
      ack(28),
      respond(10, 'The data will be published by the end of next month; we have added it to our plan.'),
    ],
  },
  {
    body: 'dcms',
    reporter: 'cso.member@demo.covenant-hub.local',
    confidentiality: 'withheld',
    category: 'partnership',
    title: 'Advisory group disbanded without explanation',
    whatHappened: 'The civil society advisory group was disbanded by email with no reason given.',
    daysAgo: 60,
    steps: [
      submit(60),
      accept(60),
      ack(57),
      respond(35, 'The group is being redesigned.'),
      escalate(30, 'No date or terms for the new group were given.'),
    ],
  },
  {
    body: 'dcms',
    reporter: 'intermediary@demo.covenant-hub.local',
    confidentiality: 'intermediary',
    category: 'funding',
    title: 'Multi-year funding promise not kept',
    whatHappened: 'A three-year grant was offered, then cut to one year after the agreement was signed.',
    daysAgo: 90,
    steps: [
      submit(90),
      accept(90),
      ack(88),
      respond(62, 'Budgets are set one year at a time.'),
      escalate(55, 'This breaks the commitment to multi-year funding where possible.'),
      { action: 'start_panel_review', by: 'panel', to: 'panel_review', daysAgo: 40 },
    ],
  },
  {
    body: 'dcms',
    reporter: 'cso.admin@demo.covenant-hub.local',
    confidentiality: 'anonymised',
    category: 'funding',
    title: 'Grant conditions changed mid-year',
    whatHappened: 'New monitoring conditions were added six months into the grant with no extra funding.',
    daysAgo: 120,
    steps: [
      submit(120),
      accept(120),
      ack(118),
      respond(95, 'The conditions are needed for assurance.'),
      escalate(90, 'The conditions double our reporting work.'),
      { action: 'start_panel_review', by: 'panel', to: 'panel_review', daysAgo: 75 },
      {
        action: 'record_decision',
        by: 'panel',
        to: 'panel_decided',
        daysAgo: 50,
        text: 'Upheld in part. The department should fund the extra monitoring or remove it within 3 months.',
      },
    ],
  },
  {
    body: 'glasgow',
    reporter: 'cso.member@demo.covenant-hub.local',
    confidentiality: 'public',
    category: 'equality',
    title: 'Accessible venue not provided for a public meeting',
    whatHappened: 'The council held its community meeting upstairs with no lift.',
    daysAgo: 150,
    steps: [
      submit(150),
      accept(150),
      ack(148),
      respond(125, 'We did not consider access.'),
      escalate(120, 'This keeps happening.'),
      { action: 'start_panel_review', by: 'panel', to: 'panel_review', daysAgo: 100 },
      {
        action: 'record_decision',
        by: 'panel',
        to: 'panel_decided',
        daysAgo: 80,
        text: 'Upheld. Adopt an access checklist for every public meeting.',
      },
      {
        action: 'reply_to_recommendation',
        by: 'body_lead',
        to: 'body_replied',
        daysAgo: 60,
        text: 'The checklist is now in use.',
      },
    ],
  },
  {
    body: 'glasgow',
    reporter: 'cso.admin@demo.covenant-hub.local',
    confidentiality: 'withheld',
    category: 'consultation',
    title: 'Budget consultation closed before the papers were published',
    whatHappened: 'The budget consultation closed two days before the papers it asked about were published.',
    daysAgo: 8,
    steps: [submit(8)],
  },
  {
    body: 'glasgow',
    reporter: 'intermediary@demo.covenant-hub.local',
    confidentiality: 'intermediary',
    category: 'other',
    title: 'Question: who is the council’s Covenant lead?',
    whatHappened: 'We could not find who is accountable for the Covenant at the council.',
    daysAgo: 6,
    steps: [
      submit(6),
      {
        action: 'request_information',
        by: 'triage',
        to: 'needs_information',
        daysAgo: 5,
        text: 'Which service were you dealing with?',
      },
    ],
  },
  {
    body: 'leeds',
    reporter: 'cso.member@demo.covenant-hub.local',
    confidentiality: 'public',
    category: 'funding',
    title: 'Late grant payment',
    whatHappened: 'The second grant instalment arrived three months late.',
    daysAgo: 80,
    steps: [
      submit(80),
      accept(80),
      ack(78),
      respond(60, 'We have fixed the payment run and apologise.'),
      {
        action: 'confirm_resolved',
        by: 'reporter',
        to: 'resolved',
        daysAgo: 55,
        outcome: 'resolved',
      },
    ],
  },
  {
    body: 'glasgow',
    reporter: 'cso.admin@demo.covenant-hub.local',
    confidentiality: 'anonymised',
    category: 'partnership',
    title: 'Community plan written without the voluntary sector',
    whatHappened: 'The community plan was drafted without any voluntary sector representative.',
    daysAgo: 100,
    steps: [
      submit(100),
      accept(100),
      ack(97),
      respond(75, 'A voluntary sector seat has been added to the board.'),
      {
        action: 'confirm_resolved',
        by: 'reporter',
        to: 'resolved',
        daysAgo: 70,
        outcome: 'partly_resolved',
      },
    ],
  },
  {
    body: 'dcms',
    reporter: 'cso.member@demo.covenant-hub.local',
    confidentiality: 'public',
    category: 'funding',
    title: 'Grant round closed early',
    whatHappened: 'The grant round closed a week before the advertised date.',
    daysAgo: 200,
    steps: [
      submit(200),
      accept(200),
      ack(197),
      respond(175, 'The round closed when the budget was fully committed, as the guidance said.'),
      escalate(170, 'The guidance did not say this.'),
      { action: 'start_panel_review', by: 'panel', to: 'panel_review', daysAgo: 150 },
      {
        action: 'record_decision',
        by: 'panel',
        to: 'panel_decided',
        daysAgo: 130,
        text: 'Not upheld: the guidance did say so.',
      },
      { action: 'reply_to_recommendation', by: 'body', to: 'body_replied', daysAgo: 120, text: 'Noted.' },
      { action: 'close', by: 'panel', to: 'closed', daysAgo: 110, outcome: 'not_upheld' },
    ],
  },
  {
    body: 'leeds',
    reporter: 'cso.admin@demo.covenant-hub.local',
    confidentiality: 'withheld',
    category: 'other',
    title: 'Parking permits for volunteers',
    whatHappened: 'Volunteers were refused parking permits.',
    daysAgo: 40,
    steps: [
      submit(40),
      accept(40),
      { action: 'withdraw', by: 'reporter', to: 'closed', daysAgo: 35, outcome: 'withdrawn' },
    ],
  },
  {
    body: 'dcms',
    reporter: 'intermediary@demo.covenant-hub.local',
    confidentiality: 'intermediary',
    category: 'other',
    title: 'Lottery distributor decision',
    whatHappened: 'A lottery distributor refused a grant for reasons we think are unfair.',
    daysAgo: 50,
    steps: [
      submit(50),
      accept(50),
      ack(48),
      respond(30, 'This is a matter for the distributor, which is independent of the department.'),
      { action: 'close', by: 'triage', to: 'closed', daysAgo: 25, outcome: 'referred_elsewhere' },
    ],
  },
];

async function findBody(deps: Deps, where: 'dcms' | 'leeds' | 'glasgow') {
  const db = deps.db.get();
  const bySlug = async (slug: string) =>
    (await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.slug, slug)))[0];
  const byGss = async (gss: string) =>
    (await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.gssCode, gss)))[0];
  const found =
    where === 'dcms'
      ? await bySlug('department-for-culture-media-and-sport')
      : where === 'leeds'
        ? await bySlug('leeds-city-council')
        : await byGss('S12000049');
  if (found) return found.id;
  const names = {
    dcms: 'Department for Culture, Media and Sport',
    leeds: 'Leeds City Council',
    glasgow: 'Glasgow City Council',
  };
  const [row] = await db
    .insert(organisations)
    .values({
      name: names[where],
      slug: `demo-${where}`,
      kind: 'public_body',
      nation: where === 'glasgow' ? 'scotland' : 'england',
    })
    .returning({ id: organisations.id });
  return row!.id;
}

export async function seedCasesHandlingDemo(deps: Deps): Promise<string[]> {
  const db = () => deps.db.get();
  const identity = createCaseIdentity({ db: deps.db, audit: deps.audit });
  const now = deps.clock.now().getTime();
  const at = (daysAgo: number) => new Date(now - daysAgo * DAY);
  const bodyIds = {
    dcms: await findBody(deps, 'dcms'),
    leeds: await findBody(deps, 'leeds'),
    glasgow: await findBody(deps, 'glasgow'),
  };
  const commitments = await db()
    .select({ id: covenantCommitments.id })
    .from(covenantCommitments)
    .orderBy(asc(covenantCommitments.code))
    .limit(6);

  let count = 0;
  for (const [index, demo] of demoCases.entries()) {
    const [reporter] = await db()
      .select({
        id: users.id,
        email: users.email,
        name: users.displayName,
        organisationId: memberships.organisationId,
        organisationName: organisations.name,
      })
      .from(users)
      .leftJoin(memberships, eq(memberships.userId, users.id))
      .leftJoin(organisations, eq(organisations.id, memberships.organisationId))
      .where(eq(users.email, demo.reporter))
      .limit(1);
    const bodyId = bodyIds[demo.body];
    const last = demo.steps.at(-1)!;
    const reference = await nextCaseReference(deps.db, at(demo.daysAgo));
    const closedStep = demo.steps.find((s) => s.to === 'closed' || s.to === 'resolved');
    const [row] = await db()
      .insert(cases)
      .values({
        reference,
        kind: demo.title.startsWith('Question') ? 'question' : 'problem',
        state: last.to,
        outcome: closedStep?.outcome ?? null,
        confidentiality: demo.confidentiality,
        bodyId,
        category: demo.category,
        clockNation: demo.body === 'glasgow' ? 'scotland' : 'england-and-wales',
        title: demo.title,
        whatHappened: demo.whatHappened,
        intermediaryOrganisationId:
          demo.confidentiality === 'intermediary' ? (reporter?.organisationId ?? null) : null,
        assigneeUserId: null,
        submittedAt: at(demo.daysAgo),
        acknowledgedAt: demo.steps.find((s) => s.action === 'acknowledge' || s.action === 'respond')
          ? at(demo.steps.find((s) => s.action === 'acknowledge' || s.action === 'respond')!.daysAgo)
          : null,
        respondedAt: demo.steps.find((s) => s.action === 'respond')
          ? at(demo.steps.find((s) => s.action === 'respond')!.daysAgo)
          : null,
        escalatedAt: demo.steps.find((s) => s.action === 'escalate')
          ? at(demo.steps.find((s) => s.action === 'escalate')!.daysAgo)
          : null,
        closedAt: closedStep ? at(closedStep.daysAgo) : null,
      })
      .returning({ id: cases.id });
    const caseId = row!.id;
    await identity.store(caseId, {
      reporterUserId: reporter?.id ?? null,
      reporterOrganisationId: reporter?.organisationId ?? null,
      name: reporter?.name ?? 'Demo reporter',
      email: reporter?.email ?? null,
      phone: '07700 900' + String(100 + index),
      organisationName: reporter?.organisationName ?? null,
    });
    let from: CaseState | null = null;
    for (const step of demo.steps) {
      await db()
        .insert(caseEvents)
        .values({
          caseId,
          at: at(step.daysAgo),
          actorUserId: step.by === 'reporter' ? (reporter?.id ?? null) : null,
          actorPart: step.by,
          action: step.action,
          fromState: from,
          toState: step.to,
          text: step.text ?? null,
          details: step.outcome ? { outcome: step.outcome } : {},
        });
      if (step.action === 'accept')
        await db()
          .insert(caseClockEvents)
          .values({ caseId, type: 'started', on: toUkIsoDate(at(step.daysAgo)) });
      from = step.to;
    }
    if (demo.pausedDaysAgo) {
      await db()
        .insert(caseClockEvents)
        .values({
          caseId,
          type: 'paused',
          on: toUkIsoDate(at(demo.pausedDaysAgo.days)),
          reason: demo.pausedDaysAgo.reason,
        });
      await db()
        .insert(caseEvents)
        .values({
          caseId,
          at: at(demo.pausedDaysAgo.days),
          actorPart: 'body',
          action: 'pause_clock',
          fromState: 'with_body',
          toState: 'with_body',
          text: demo.pausedDaysAgo.reason,
        });
    }
    for (const [i, m] of (demo.messages ?? []).entries()) {
      await db()
        .insert(caseMessages)
        .values({
          caseId,
          fromSide: m.from,
          authorUserId: m.from === 'reporter' ? (reporter?.id ?? null) : null,
          body: m.text,
          createdAt: at(demo.daysAgo - 1 - i),
        });
    }
    if (demo.note)
      await db()
        .insert(caseNotes)
        .values({ caseId, side: 'body', organisationId: bodyId, body: demo.note, createdAt: at(1) });
    const commitment = commitments[index % Math.max(1, commitments.length)];
    if (commitment)
      await db()
        .insert(caseCommitments)
        .values({ caseId, commitmentId: commitment.id, source: 'reporter' })
        .onConflictDoNothing();
    count += 1;
  }

  for (const bodyId of Object.values(bodyIds)) {
    await db()
      .insert(responseTemplates)
      .values([
        {
          bodyId,
          title: 'Holding reply',
          body: 'Thank you for raising this with us. We are looking into it and will respond in full within 20 working days.',
        },
        {
          bodyId,
          title: 'Full response',
          body: 'Thank you for your patience. We have looked into what you told us.\n\nWhat we found:\n\nWhat we will do:\n\nIf you are not satisfied, you can escalate the case to the joint oversight panel.',
        },
      ]);
  }
  return [`Casework: ${count} demo cases in every state for 3 bodies, with messages, notes and templates`];
}
