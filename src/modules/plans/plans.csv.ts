/**
 * The CSV downloads of published plans (issue 5, item 4): the list of every published plan with its
 * weighted total, and one plan's actions. Statuses are the stored codes (`on_track`, `dropped`), so the files
 * join with the API; a total or progress that cannot be computed is blank, with the reason beside it.
 */
import type { RollUp } from './plans.rules.ts';

interface ListedPlan {
  plan: { id: string; title: string; startsOn: string; endsOn: string; publishedAt: Date | null };
  bodyName: string;
  bodySlug: string;
  total: RollUp;
  overdueActions: number;
  overdueMilestones: number;
}

interface PlanAction {
  ref: string;
  title: string;
  commitmentCode: string | null;
  owner: string;
  dueOn: string;
  status: string;
  progress: number | null;
  weight: number;
  overdue: boolean;
  milestones: readonly { completedOn: string | null; overdue: boolean }[];
  evidence: readonly unknown[];
}

const totalCells = (total: RollUp) =>
  total.total === null ? ['', total.reason ?? ''] : [String(total.total), ''];

export function publishedPlansCsvRows(
  rows: readonly ListedPlan[],
  planUrl: (id: string) => string,
): string[][] {
  return [
    [
      'body',
      'body_slug',
      'plan',
      'starts_on',
      'ends_on',
      'total_progress_percent',
      'no_total_reason',
      'overdue_actions',
      'overdue_milestones',
      'published_on',
      'url',
    ],
    ...rows.map((r) => [
      r.bodyName,
      r.bodySlug,
      r.plan.title,
      r.plan.startsOn,
      r.plan.endsOn,
      ...totalCells(r.total),
      String(r.overdueActions),
      String(r.overdueMilestones),
      r.plan.publishedAt ? r.plan.publishedAt.toISOString().slice(0, 10) : '',
      planUrl(r.plan.id),
    ]),
  ];
}

export function planActionsCsvRows(actions: readonly PlanAction[]): string[][] {
  return [
    [
      'ref',
      'action',
      'commitment',
      'owner',
      'due_on',
      'status',
      'progress_percent',
      'weight',
      'overdue',
      'milestones',
      'milestones_done',
      'milestones_overdue',
      'evidence_links',
    ],
    ...actions.map((a) => [
      a.ref,
      a.title,
      a.commitmentCode ?? '',
      a.owner,
      a.dueOn,
      a.status,
      a.progress === null ? '' : String(a.progress),
      String(a.weight),
      a.overdue ? 'yes' : 'no',
      String(a.milestones.length),
      String(a.milestones.filter((m) => m.completedOn).length),
      String(a.milestones.filter((m) => m.overdue).length),
      String(a.evidence.length),
    ]),
  ];
}
