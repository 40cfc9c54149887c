/**
 * Demo data for the joint oversight panel (issue 4, item 7). Runs after the casework demo, whose escalated
 * cases it works on:
 * - terms: the demo member `panel@…` (civil society) and two colleagues without sign-in (government and the
 *   independent chair), so the demo member's vote can complete a quorum;
 * - a declared conflict of the demo member with Leeds City Council;
 * - a held meeting with agenda, attendance, minutes and actions, at which a case was decided by consensus
 *   (its recommendation awaits the body's reply: DCMS, so `body.lead@…` can reply), and an upcoming
 *   meeting whose agenda is drawn from the queue with the current figures;
 * - decisions on the cases the panel already decided (one replied to, one closed), and an open proposal
 *   with two recorded votes waiting for the demo member's.
 *
 * Rows are written straight to the tables: the history is made up, so no emails are sent for it.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Deps } from '../../container.ts';
import { addCalendarDays, toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import { memberships, users } from '../accounts/accounts.tables.ts';
import { organisations } from '../directory/directory.tables.ts';
import { cases } from '../cases/cases.tables.ts';
import { demoOrganisations } from '../accounts/accounts.demo.ts';
import {
  panelActions,
  panelAgendaItems,
  panelAttendance,
  panelConflicts,
  panelDecisions,
  panelMeetings,
  panelMembers,
  panelVotes,
  type PanelOutcome,
  type PanelSide,
} from './panel.tables.ts';

const DAY = 86_400_000;

/** Colleagues of the demo member. They have no password, so nobody can sign in as them. */
const colleagues: { email: string; name: string; side: PanelSide }[] = [
  { email: 'panel.government@demo.covenant-hub.local', name: 'Priya Shah', side: 'government' },
  { email: 'panel.chair@demo.covenant-hub.local', name: 'Tom Evans', side: 'independent_chair' },
];

/** What the panel decided on the casework demo's decided cases (found by title). */
const decided: {
  title: string;
  outcome: PanelOutcome;
  reasons: string;
  determination: string;
  recommendation: string;
  decidedDaysAgo: number;
  dueInDays: number;
  reply?: { position: 'accept' | 'partly' | 'reject'; text: string; daysAgo: number };
  atMeeting?: boolean;
}[] = [
  {
    title: 'Grant conditions changed mid-year',
    outcome: 'partly_upheld',
    reasons:
      'Adding monitoring conditions six months into a grant, with no extra funding, did not respect the commitment to proportionate reporting. The department was entitled to ask for assurance, but not at the grant holder’s cost.',
    determination:
      'A civil society organisation complained that a government department added new monitoring conditions half way through a grant without extra funding. The panel partly upheld the complaint: assurance may be needed, but its cost should not fall on the grant holder.',
    recommendation:
      'Fund the extra monitoring for the rest of the grant, or remove the new conditions, and review the grant terms so that changes mid-year come with the money to meet them.',
    decidedDaysAgo: 50,
    dueInDays: 21,
    atMeeting: true,
  },
  {
    title: 'Accessible venue not provided for a public meeting',
    outcome: 'upheld',
    reasons: 'A public meeting without step-free access excluded disabled members of the community.',
    determination:
      'A community group complained that a council held a public meeting in a room without step-free access. The panel upheld the complaint.',
    recommendation: 'Adopt an access checklist for every public meeting and publish it.',
    decidedDaysAgo: 80,
    dueInDays: -50,
    reply: {
      position: 'accept',
      text: 'The checklist is now in use and published on our website.',
      daysAgo: 60,
    },
  },
  {
    title: 'Grant round closed early',
    outcome: 'not_upheld',
    reasons: 'The guidance said that the round could close early once the budget was committed.',
    determination:
      'An organisation complained that a grant round closed before the advertised date. The panel did not uphold the complaint: the published guidance allowed it.',
    recommendation: 'Make the early-closing rule more prominent in future guidance.',
    decidedDaysAgo: 130,
    dueInDays: -100,
    reply: {
      position: 'accept',
      text: 'Noted. The rule will be on the first page of the guidance.',
      daysAgo: 120,
    },
  },
];

export async function seedPanelDemo(deps: Deps): Promise<string[]> {
  const db = () => deps.db.get();
  const now = deps.clock.now().getTime();
  const at = (daysAgo: number) => new Date(now - daysAgo * DAY);
  const today = toUkIsoDate(deps.clock.now());

  const [demoMember] = await db()
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, 'panel@demo.covenant-hub.local'));
  const [admin] = await db()
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, 'admin@demo.covenant-hub.local'));
  const [panelOrg] = await db()
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.slug, demoOrganisations.panel.slug));
  if (!demoMember || !panelOrg) return [];

  // Members and terms: three years, started a little over a year ago.
  const members: { id: string; side: PanelSide }[] = [{ id: demoMember.id, side: 'civil_society' }];
  for (const c of colleagues) {
    const [user] = await db()
      .insert(users)
      .values({ email: c.email, displayName: c.name, emailVerifiedAt: at(400) })
      .returning({ id: users.id });
    await db()
      .insert(memberships)
      .values({ userId: user!.id, organisationId: panelOrg.id, role: 'panel_member' });
    members.push({ id: user!.id, side: c.side });
  }
  const termStart = addCalendarDays(today, -400);
  const termEnd = addCalendarDays(termStart, 3 * 365);
  await db()
    .insert(panelMembers)
    .values(
      members.map((m) => ({ userId: m.id, side: m.side, termStart, termEnd, createdBy: admin?.id ?? null })),
    );

  // The demo member once worked for Leeds City Council: its cases are hidden from them.
  const [leeds] = await db()
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.slug, demoOrganisations.leeds.slug));
  if (leeds)
    await db()
      .insert(panelConflicts)
      .values({
        userId: demoMember.id,
        organisationId: leeds.id,
        reason: 'I worked in the council’s communities team until 2024.',
        source: 'member',
        declaredBy: demoMember.id,
        createdAt: at(300),
      });

  const caseRows = await db()
    .select({ id: cases.id, title: cases.title, reference: cases.reference, state: cases.state })
    .from(cases)
    .where(
      and(
        inArray(cases.state, ['escalated', 'panel_review', 'panel_decided', 'body_replied', 'closed']),
        inArray(cases.title, [
          ...decided.map((d) => d.title),
          'Multi-year funding promise not kept',
          'Advisory group disbanded without explanation',
        ]),
      ),
    );
  const byTitle = new Map(caseRows.map((c) => [c.title, c]));

  // The meeting where a decision was reached by consensus, with its record.
  const [held] = await db()
    .insert(panelMeetings)
    .values({
      title: 'Panel meeting',
      startsAt: at(50),
      location: 'Online',
      status: 'held',
      figures: {
        'state:escalated': 2,
        'state:panel_review': 2,
        recommendationsOutstanding: 1,
        openProposals: 1,
      },
      minutes:
        'Present: all three members.\n\n1. No apologies.\n2. The minutes of the last meeting were agreed.\n3. The figures were noted.\n4. The panel reached a consensus on the case about grant conditions (partly upheld) and agreed its recommendation.\n5. The chair will write to the department about reporting burdens in general.',
      minutesUpdatedAt: at(49),
      createdBy: demoMember.id,
      createdAt: at(64),
    })
    .returning({ id: panelMeetings.id });
  const heldId = held!.id;
  await db()
    .insert(panelAttendance)
    .values(members.map((m) => ({ meetingId: heldId, userId: m.id, status: 'present' as const })));
  const conditions = byTitle.get('Grant conditions changed mid-year');
  await db()
    .insert(panelAgendaItems)
    .values([
      { meetingId: heldId, position: 0, title: 'Apologies for absence' },
      { meetingId: heldId, position: 1, title: 'Minutes of the last meeting' },
      { meetingId: heldId, position: 2, title: 'The figures: cases, deadlines and recommendations' },
      ...(conditions
        ? [
            {
              meetingId: heldId,
              position: 3,
              caseId: conditions.id,
              title: `Case ${conditions.reference}: ${conditions.title}`,
            },
          ]
        : []),
    ]);
  await db()
    .insert(panelActions)
    .values([
      {
        meetingId: heldId,
        description: 'Write to the department about reporting burdens on small grants.',
        ownerUserId: members[2]!.id,
        dueOn: addCalendarDays(today, 10),
        status: 'in_progress',
        createdBy: demoMember.id,
        createdAt: at(50),
      },
      {
        meetingId: heldId,
        description: 'Circulate the draft access checklist guidance to members.',
        ownerUserId: demoMember.id,
        dueOn: addCalendarDays(today, -20),
        status: 'done',
        createdBy: demoMember.id,
        createdAt: at(50),
      },
    ]);

  // Decisions on the cases the panel has decided.
  const participants = members.map((m) => ({ userId: m.id, side: m.side }));
  let count = 0;
  for (const d of decided) {
    const row = byTitle.get(d.title);
    if (!row) continue;
    await db()
      .insert(panelDecisions)
      .values({
        caseId: row.id,
        status: 'adopted',
        outcome: d.outcome,
        reasons: d.reasons,
        determination: d.determination,
        recommendation: d.recommendation,
        recommendationDueOn: addCalendarDays(today, d.dueInDays),
        proposedBy: demoMember.id,
        proposedAt: at(d.decidedDaysAgo + 7),
        method: d.atMeeting ? 'consensus' : 'vote',
        meetingId: d.atMeeting ? heldId : null,
        decidedAt: at(d.decidedDaysAgo),
        decidedBy: demoMember.id,
        quorum: {
          participants,
          ...(d.atMeeting ? {} : { votes: { for: 3, against: 0, abstain: 0 } }),
          minimum: 3,
          eachSide: true,
        },
        ...(d.reply
          ? {
              replyPosition: d.reply.position,
              replyText: d.reply.text,
              repliedAt: at(d.reply.daysAgo),
            }
          : {}),
      });
    count += 1;
  }

  // An open proposal with two recorded votes: the demo member's vote would make the quorum.
  const open = byTitle.get('Multi-year funding promise not kept');
  if (open) {
    const [proposal] = await db()
      .insert(panelDecisions)
      .values({
        caseId: open.id,
        outcome: 'upheld',
        reasons:
          'The grant was offered for three years and cut to one after the agreement was signed. Budgets set one year at a time do not explain why the offer was made.',
        determination:
          'An organisation complained that a government department cut a three-year grant to one year after the agreement was signed. The panel upheld the complaint.',
        recommendation:
          'Honour the three-year offer, or give at least three months’ written notice and a reason for any change, as the Covenant’s funding commitments ask.',
        recommendationDueOn: addCalendarDays(today, 42),
        proposedBy: members[1]!.id,
        proposedAt: at(6),
      })
      .returning({ id: panelDecisions.id });
    await db()
      .insert(panelVotes)
      .values([
        {
          decisionId: proposal!.id,
          userId: members[1]!.id,
          side: members[1]!.side,
          vote: 'for',
          reason: 'The offer letter is clear.',
          castAt: at(5),
        },
        {
          decisionId: proposal!.id,
          userId: members[2]!.id,
          side: members[2]!.side,
          vote: 'for',
          reason: 'Agreed, and the notice period was not respected.',
          castAt: at(4),
        },
      ]);
  }

  // The next meeting: the agenda drawn from the queue, with the current figures.
  const waiting = caseRows.filter((c) => c.state === 'escalated' || c.state === 'panel_review');
  const [next] = await db()
    .insert(panelMeetings)
    .values({
      title: 'Panel meeting',
      startsAt: new Date(Date.parse(`${addCalendarDays(today, 14)}T13:00:00Z`)),
      location: 'Room 2.1, 100 Parliament Street, London, and online',
      figures: await deps.panel.figures(),
      createdBy: demoMember.id,
      createdAt: at(1),
    })
    .returning({ id: panelMeetings.id });
  await db()
    .insert(panelAgendaItems)
    .values([
      { meetingId: next!.id, position: 0, title: 'Apologies for absence' },
      { meetingId: next!.id, position: 1, title: 'Minutes of the last meeting' },
      { meetingId: next!.id, position: 2, title: 'The figures: cases, deadlines and recommendations' },
      ...waiting.map((c, i) => ({
        meetingId: next!.id,
        position: 3 + i,
        caseId: c.id,
        title: `Case ${c.reference}: ${c.title}`,
      })),
    ]);

  return [
    `Oversight panel: ${members.length} members with terms, a declared conflict, 2 meetings, ${count} decisions and an open proposal`,
  ];
}
