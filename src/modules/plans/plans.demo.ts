/**
 * Demo engagement action plans (issue 5 item 1): a published plan for DCMS, signed off by the demo
 * accountable lead, with actions in several statuses (one progress override, one dropped), milestones (one
 * overdue, one done), evidence links, two quarterly updates and a panel comment; and a draft plan for Leeds
 * City Council, for the demo body officer to carry on with. The plan year is the financial year containing
 * today (the injected clock), so the overdue flags and quarters always make sense.
 *
 * Rows go straight through the repository: the history is made up, so it is not audited as if it happened.
 * Runs after the directory, accounts and Covenant seeders (it needs the bodies, people and commitments).
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Deps } from '../../container.ts';
import { addCalendarDays, toUkIsoDate, type IsoDate } from '../../platform/calendar/iso-date.ts';
import { users } from '../accounts/accounts.tables.ts';
import { covenantCommitments } from '../covenant/covenant.tables.ts';
import { organisations } from '../directory/directory.tables.ts';
import { actionProgress, quarterOf, quarterRange, rollUp } from './plans.rules.ts';
import type { ActionStatus } from './plans.tables.ts';

const DCMS = 'department-for-culture-media-and-sport';
const LEEDS = 'leeds-city-council';

/** The financial year (1 April to 31 March) that contains `today`. */
export function financialYearOf(today: IsoDate): { startsOn: IsoDate; endsOn: IsoDate } {
  const year = Number(today.slice(0, 4));
  const first = today.slice(5) >= '04-01' ? year : year - 1;
  return { startsOn: `${first}-04-01` as IsoDate, endsOn: `${first + 1}-03-31` as IsoDate };
}

interface DemoAction {
  commitment: string;
  title: string;
  owner: string;
  /** Days from today (negative: in the past). */
  due: number;
  status: ActionStatus;
  progressOverride?: number;
  weight?: number;
  milestones?: { title: string; due: number; doneDaysAgo?: number }[];
  evidence?: { title: string; url: string }[];
}

const dcmsActions: DemoAction[] = [
  {
    commitment: 'PC-G1',
    title: 'Publish a 12-month timetable of grant rounds and consultations',
    owner: 'Head of Civil Society Partnerships',
    due: 60,
    status: 'on_track',
    progressOverride: 70,
    weight: 2,
    milestones: [
      { title: 'Draft timetable shared with the sector', due: -40, doneDaysAgo: 45 },
      { title: 'Timetable published on GOV.UK', due: 30 },
    ],
    evidence: [
      { title: 'Draft timetable (demo link)', url: 'https://dcms.example.gov.uk/covenant/grant-timetable' },
    ],
  },
  {
    commitment: 'RV-G1',
    title: 'Remove anti-advocacy clauses from every new grant agreement',
    owner: 'Grants Policy Team',
    due: 20,
    status: 'at_risk',
    milestones: [{ title: 'Review of the standard grant agreement', due: -14 }],
    evidence: [
      { title: 'Clause review notes (demo link)', url: 'https://dcms.example.gov.uk/covenant/clause-review' },
    ],
  },
  {
    commitment: 'TD-G1',
    title: 'Publish the response to every consultation within 12 weeks of closing',
    owner: 'Consultations Coordinator',
    due: -10,
    status: 'off_track',
  },
  {
    commitment: 'PC-G2',
    title: 'Run two listening events for small and diverse organisations',
    owner: 'Engagement Team',
    due: -30,
    status: 'done',
    milestones: [{ title: 'First listening event', due: -60, doneDaysAgo: 62 }],
  },
  {
    commitment: 'RV-G2',
    title: 'Pilot a civil society impact check for new guidance',
    owner: 'Policy Profession Unit',
    due: 90,
    status: 'dropped',
  },
];

const leedsActions: DemoAction[] = [
  {
    commitment: 'PC-G1',
    title: 'Open every grant round at least 8 weeks before it closes',
    owner: 'Head of Communities',
    due: 120,
    status: 'not_started',
    milestones: [{ title: 'Agree the grant calendar with the third sector partnership', due: 45 }],
  },
  {
    commitment: 'PC-G2',
    title: 'Set up a small grants fast track for groups with an income under £50,000',
    owner: 'Voluntary Sector Liaison',
    due: 200,
    status: 'not_started',
  },
];

export async function seedPlansDemo(deps: Deps): Promise<string[]> {
  const db = () => deps.db.get();
  const repo = deps.plansRepository;
  const now = deps.clock.now();
  const today = toUkIsoDate(now);
  const dayOffset = (days: number) => addCalendarDays(today, days);
  const instant = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000);

  const bodyId = async (slug: string) =>
    (await db().select({ id: organisations.id }).from(organisations).where(eq(organisations.slug, slug)))[0]
      ?.id;
  const userId = async (email: string) =>
    (await db().select({ id: users.id }).from(users).where(eq(users.email, email)))[0]?.id ?? null;
  const dcms = await bodyId(DCMS);
  const leeds = await bodyId(LEEDS);
  if (!dcms || !leeds) return [];
  const lead = await userId('body.lead@demo.covenant-hub.local');
  const officer = await userId('body.officer@demo.covenant-hub.local');
  const panel = await userId('panel@demo.covenant-hub.local');
  const commitments = new Map(
    (
      await db()
        .select({ id: covenantCommitments.id, code: covenantCommitments.code })
        .from(covenantCommitments)
        .where(and(isNull(covenantCommitments.subCovenantId), eq(covenantCommitments.side, 'government')))
        .orderBy(asc(covenantCommitments.code))
    ).map((c) => [c.code, c.id]),
  );
  if (commitments.size === 0) return [];

  const year = financialYearOf(today);
  const label = `${year.startsOn.slice(0, 4)} to ${year.endsOn.slice(0, 4)}`;

  async function addActions(planId: string, list: DemoAction[]) {
    const rows = [];
    for (const [index, a] of list.entries()) {
      const commitmentId = commitments.get(a.commitment) ?? [...commitments.values()][0]!;
      const row = await repo.insertAction({
        planId,
        ref: `A${index + 1}`,
        position: index + 1,
        commitmentId,
        title: a.title,
        owner: a.owner,
        dueOn: dayOffset(a.due),
        status: a.status,
        progressOverride: a.progressOverride ?? null,
        weight: a.weight ?? 1,
      });
      for (const m of a.milestones ?? [])
        await repo.insertMilestone({
          actionId: row.id,
          title: m.title,
          dueOn: dayOffset(m.due),
          completedOn: m.doneDaysAgo === undefined ? null : dayOffset(-m.doneDaysAgo),
        });
      for (const e of a.evidence ?? []) await repo.insertEvidence({ actionId: row.id, ...e, addedBy: lead });
      rows.push(row);
    }
    return rows;
  }

  // DCMS: published, with a history of two quarterly updates (the earlier one only when the previous
  // quarter is still in this plan year).
  const published = await repo.insertPlan({
    bodyId: dcms,
    title: `Engagement action plan ${label}`,
    ...year,
    summary:
      'How the department will keep the Covenant’s commitments this year: earlier notice of funding rounds, fair grant terms and faster consultation responses.',
    status: 'published',
    createdBy: lead,
    submittedAt: instant(170),
    submittedBy: lead,
    signedOffAt: instant(165),
    signedOffBy: lead,
    publishedAt: instant(160),
  });
  const actions = await addActions(published.id, dcmsActions);
  const thisQuarter = quarterOf(today);
  const previousQuarter = quarterOf(addCalendarDays(quarterRange(thisQuarter).startsOn as IsoDate, -1));
  const updates: { quarter: string; daysAgo: number; summary: string; earlier: ActionStatus[] }[] = [];
  if (quarterRange(previousQuarter).endsOn >= year.startsOn)
    updates.push({
      quarter: previousQuarter,
      daysAgo: 95,
      summary: 'Work started on every action. The clause review is slower than planned.',
      earlier: ['on_track', 'on_track', 'at_risk', 'on_track', 'not_started'],
    });
  updates.push({
    quarter: thisQuarter,
    daysAgo: 3,
    summary:
      'The listening events are done. Consultation responses are running late; the impact check pilot was dropped after the guidance review was cancelled.',
    earlier: [],
  });
  type State = { status: ActionStatus; progressOverride: number | null };
  let before: State[] = actions.map(() => ({ status: 'not_started', progressOverride: null }));
  for (const u of updates) {
    const after: State[] = actions.map((a, i) =>
      u.earlier[i]
        ? { status: u.earlier[i]!, progressOverride: null }
        : { status: a.status, progressOverride: a.progressOverride },
    );
    const update = await repo.insertUpdate({
      planId: published.id,
      quarter: u.quarter,
      summary: u.summary,
      source: 'form',
      totalProgress: rollUp(actions.map((a, i) => ({ ...after[i]!, weight: a.weight }))).total,
      createdBy: lead,
      createdAt: instant(u.daysAgo),
    });
    await repo.insertUpdateItems(
      actions.map((a, i) => ({
        updateId: update.id,
        actionId: a.id,
        fromStatus: before[i]!.status,
        toStatus: after[i]!.status,
        fromProgress: actionProgress(before[i]!),
        toProgress: actionProgress(after[i]!),
        note: null,
      })),
    );
    before = after;
  }
  await repo.insertComment({
    planId: published.id,
    actionId: actions[2]!.id,
    authorUserId: panel,
    authorPart: 'panel',
    body: 'Three responses this year were published after 12 weeks. What will change so this action gets back on track?',
    createdAt: instant(2),
  });

  // Leeds: a draft, still being written by the body officer.
  const draft = await repo.insertPlan({
    bodyId: leeds,
    title: `Engagement action plan ${label}`,
    ...year,
    summary: 'Leeds City Council’s plan with the voluntary, community and faith sector in Leeds.',
    status: 'draft',
    createdBy: officer,
  });
  await addActions(draft.id, leedsActions);

  return [`Action plans: a published plan for DCMS (${actions.length} actions) and a draft for Leeds`];
}
