/**
 * The rules of an engagement action plan, with no I/O: what each status counts as, the weighted roll-up to
 * a plan total, what is overdue today, who may move a plan along its workflow, and reading a progress CSV.
 * The service and the pages both call these, so a page never shows a button the service would refuse.
 */
import { CsvError, parseCsv } from '../analysis/core/csv.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { hasRole, isAdmin } from '../../platform/auth/roles.ts';
import { actionStatuses, type ActionStatus, type PlanStatus } from './plans.tables.ts';

/**
 * Default per cent complete of each status (issue 5: "each status carrying a default progress").
 *
 * - not started 0 and done 100 are facts, so they cannot be overridden.
 * - on track 50: half-way is the honest default for work under way with no other information; a body that
 *   knows better overrides it.
 * - at risk 40 and off track 25: lower than on track, so a slipping action pulls the total down even
 *   before anyone overrides it, but not to 0 (work has been done).
 * - dropped: left out of the roll-up altogether (neither 0 nor 100): a dropped action should neither
 *   flatter nor sink the total; the page lists it with its reason.
 */
export const STATUS_DEFAULT_PROGRESS = {
  not_started: 0,
  on_track: 50,
  at_risk: 40,
  off_track: 25,
  done: 100,
} as const satisfies Record<Exclude<ActionStatus, 'dropped'>, number>;

/** Statuses whose progress a body may override (the others are fixed by definition). */
export const OVERRIDABLE_STATUSES: readonly ActionStatus[] = ['on_track', 'at_risk', 'off_track'];

export function canOverride(status: ActionStatus): boolean {
  return OVERRIDABLE_STATUSES.includes(status);
}

export interface ProgressInput {
  status: ActionStatus;
  progressOverride: number | null;
  weight: number;
}

/** Per cent complete of one action: its override where allowed, else its status's default; null if dropped. */
export function actionProgress(action: Pick<ProgressInput, 'status' | 'progressOverride'>): number | null {
  if (action.status === 'dropped') return null;
  if (action.progressOverride !== null && canOverride(action.status)) return action.progressOverride;
  return STATUS_DEFAULT_PROGRESS[action.status];
}

export interface RollUp {
  /** Weighted mean per cent complete, 0–100 (one decimal place); null when nothing counts. */
  total: number | null;
  /** Why there is no total: no actions, every action dropped, or every counted action has weight 0. */
  reason: 'no_actions' | 'all_dropped' | 'zero_weight' | null;
  countedActions: number;
  droppedActions: number;
  totalWeight: number;
}

/**
 * The plan total: Σ(weight × progress) / Σ(weight) over actions that are not dropped. Weight 0 shows an
 * action without counting it. When no weight is left (all dropped, or all weights 0) there is no total
 * rather than a misleading 0% or 100%.
 */
export function rollUp(actions: readonly ProgressInput[]): RollUp {
  const counted = actions.filter((a) => a.status !== 'dropped');
  const droppedActions = actions.length - counted.length;
  const totalWeight = counted.reduce((sum, a) => sum + a.weight, 0);
  const base = { countedActions: counted.length, droppedActions, totalWeight };
  if (actions.length === 0) return { total: null, reason: 'no_actions', ...base };
  if (counted.length === 0) return { total: null, reason: 'all_dropped', ...base };
  if (totalWeight <= 0) return { total: null, reason: 'zero_weight', ...base };
  const weighted = counted.reduce((sum, a) => sum + a.weight * (actionProgress(a) ?? 0), 0);
  return { total: Math.round((weighted / totalWeight) * 10) / 10, reason: null, ...base };
}

/** An action is overdue when its due date has passed and it is neither done nor dropped. */
export function isActionOverdue(action: { status: ActionStatus; dueOn: string }, today: string): boolean {
  return action.dueOn < today && action.status !== 'done' && action.status !== 'dropped';
}

/** A milestone is overdue when its due date has passed and it is not marked complete. */
export function isMilestoneOverdue(milestone: { dueOn: string; completedOn: string | null }, today: string) {
  return milestone.completedOn === null && milestone.dueOn < today;
}

/** Two plan years overlap when each starts on or before the other ends (dates are inclusive). */
export function periodsOverlap(
  a: { startsOn: string; endsOn: string },
  b: { startsOn: string; endsOn: string },
) {
  return a.startsOn <= b.endsOn && b.startsOn <= a.endsOn;
}

/** The calendar quarter a date falls in, e.g. 2026-Q2. */
export function quarterOf(isoDate: string): string {
  const month = Number(isoDate.slice(5, 7));
  return `${isoDate.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/** The first and last day of a calendar quarter such as 2026-Q2. */
export function quarterRange(quarter: string): { startsOn: string; endsOn: string } {
  const year = quarter.slice(0, 4);
  const q = Number(quarter.slice(6));
  const first = String((q - 1) * 3 + 1).padStart(2, '0');
  const lastMonth = q * 3;
  const lastDay = new Date(Date.UTC(Number(year), lastMonth, 0)).getUTCDate();
  return {
    startsOn: `${year}-${first}-01`,
    endsOn: `${year}-${String(lastMonth).padStart(2, '0')}-${lastDay}`,
  };
}

/** A quarterly update reports on a quarter of the plan year: the quarter must overlap the plan's dates. */
export function quarterInPlan(quarter: string, plan: { startsOn: string; endsOn: string }): boolean {
  return periodsOverlap(quarterRange(quarter), plan);
}

// ── Workflow ────────────────────────────────────────────────────────────────────────────────────────────

export const planTransitions = ['submit', 'return', 'sign_off', 'publish'] as const;
export type PlanTransition = (typeof planTransitions)[number];

const transitionTable: Record<PlanTransition, { from: readonly PlanStatus[]; to: PlanStatus }> = {
  submit: { from: ['draft'], to: 'submitted' },
  return: { from: ['submitted', 'signed_off'], to: 'draft' },
  sign_off: { from: ['submitted'], to: 'signed_off' },
  publish: { from: ['signed_off'], to: 'published' },
};

export function nextStatus(transition: PlanTransition): PlanStatus {
  return transitionTable[transition].to;
}

/** Is the person one of the body's own staff (officer or accountable lead)? */
export function isBodyStaff(user: CurrentUser | null | undefined, bodyId: string): boolean {
  return hasRole(user, 'body_officer', bodyId) || hasRole(user, 'body_lead', bodyId);
}

/**
 * Who may make each move:
 * - submit: the body's officers and leads;
 * - sign off: only the body's accountable lead (`body_lead` of that body), never an administrator on their
 *   behalf: the sign-off is the lead's personal accountability;
 * - return to draft (with a reason): the body's lead or an administrator;
 * - publish a signed-off plan: the body's lead or an administrator.
 */
export function mayTransition(
  user: CurrentUser | null | undefined,
  plan: { bodyId: string; status: PlanStatus },
  transition: PlanTransition,
): boolean {
  if (!user || !transitionTable[transition].from.includes(plan.status)) return false;
  const lead = hasRole(user, 'body_lead', plan.bodyId);
  switch (transition) {
    case 'submit':
      return isBodyStaff(user, plan.bodyId);
    case 'sign_off':
      return lead;
    case 'return':
    case 'publish':
      return lead || isAdmin(user);
  }
}

// ── Progress CSV ────────────────────────────────────────────────────────────────────────────────────────

/** Largest progress CSV accepted (a plan has tens of actions; this leaves a wide margin). */
export const MAX_PROGRESS_CSV_BYTES = 256 * 1024;
export const MAX_PROGRESS_CSV_ROWS = 1000;

export interface ProgressRow {
  /** Line number in the file (the header is line 1). */
  line: number;
  ref: string;
  status: ActionStatus;
  progress: number | null;
  note: string | null;
}

/** A problem with one row, as a catalogue key and its parameters. */
export interface ProgressRowError {
  line: number;
  key: string;
  params?: Record<string, string | number>;
}

export class ProgressCsvError extends Error {
  override name = 'ProgressCsvError';
  readonly key: string;
  constructor(key: string) {
    super(key);
    this.key = key;
  }
}

/** "On track", "on-track" and "ON_TRACK" all mean on_track. */
export function parseStatus(text: string): ActionStatus | null {
  const value = text
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return (actionStatuses as readonly string[]).includes(value) ? (value as ActionStatus) : null;
}

/**
 * Reads a progress CSV (`action,status,progress,note`; `progress` and `note` may be empty) against the
 * plan's action references. Returns every good row and every row error: the caller saves nothing unless
 * there are no errors at all. Throws ProgressCsvError when the file itself cannot be read.
 */
export function readProgressCsv(
  text: string,
  knownRefs: ReadonlySet<string>,
): { rows: ProgressRow[]; errors: ProgressRowError[] } {
  if (text.trim() === '') throw new ProgressCsvError('plans.import.errors.empty');
  let records: { line: number; cells: string[] }[];
  try {
    // Line numbers are counted before blank lines are dropped, so they match what the person sees.
    records = parseCsv(text.replace(/^\uFEFF/, ''))
      .map((cells, index) => ({ line: index + 1, cells }))
      .filter((r) => r.cells.some((c) => c.trim() !== ''));
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new ProgressCsvError('plans.import.errors.unreadable');
  }
  const header = (records[0]?.cells ?? []).map((h) => h.trim().toLowerCase());
  const column = (name: string) => header.indexOf(name);
  if (column('action') < 0 || column('status') < 0) throw new ProgressCsvError('plans.import.errors.header');
  if (records.length - 1 > MAX_PROGRESS_CSV_ROWS)
    throw new ProgressCsvError('plans.import.errors.tooManyRows');
  if (records.length < 2) throw new ProgressCsvError('plans.import.errors.noRows');
  const rows: ProgressRow[] = [];
  const errors: ProgressRowError[] = [];
  const seen = new Set<string>();
  records.slice(1).forEach(({ line, cells: record }) => {
    const cell = (name: string) => (column(name) >= 0 ? (record[column(name)] ?? '').trim() : '');
    const ref = cell('action').toUpperCase();
    const fail = (key: string, params?: Record<string, string | number>) =>
      errors.push({ line, key, params });
    if (!ref) return fail('plans.import.errors.actionMissing');
    if (!knownRefs.has(ref)) return fail('plans.import.errors.actionUnknown', { ref });
    if (seen.has(ref)) return fail('plans.import.errors.actionTwice', { ref });
    const status = parseStatus(cell('status'));
    if (!status) return fail('plans.import.errors.status', { value: cell('status').slice(0, 40) });
    const progressText = cell('progress').replace(/%$/, '');
    let progress: number | null = null;
    if (progressText !== '') {
      if (!/^\d{1,3}$/.test(progressText) || Number(progressText) > 100)
        return fail('plans.import.errors.progress', { value: progressText.slice(0, 20) });
      progress = Number(progressText);
      if (!canOverride(status)) return fail('plans.import.errors.progressNotAllowed');
    }
    const note = cell('note');
    if (note.length > 2000) return fail('plans.import.errors.noteTooLong');
    // Only a good row claims its action: a later row may correct an earlier bad one.
    seen.add(ref);
    rows.push({ line, ref, status, progress, note: note || null });
  });
  return { rows, errors };
}
