/**
 * Scorecards (issue 5 item 3): read models for a body's scorecard, a commitment's scorecard and the league
 * table of bodies of one type. Casework figures come from the precomputed counters (a handful of indexed
 * lookups, however many cases there are); action-plan progress from the plans service, standards findings
 * from the standards service and survey results from the annual review's published figures, each small per
 * body. Nothing here needs a signed-in user: these are public figures about public bodies.
 *
 * Freshness: a read first asks (one query) whether any timeline event is newer than the facts' watermark or
 * a pending deadline has passed; if so it runs one bounded refresh step before reading, so a change made in
 * this process shows on the next page. The job (`scorecards-refresh`, every minute) does the rest.
 *
 * A body's standards findings and annual-review figures are kept per body in memory once read (`sideOf`),
 * so a page view costs no standards or survey queries: the standards service calls `bodyChanged(bodyId)`
 * after any change to the body's records (wired in container.ts), which drops the body's entry, and every
 * entry expires after `sideMaxAgeMs` (60 s) so another process's change, a published review or the passing
 * of a C3 deadline shows within a minute.
 */
import { NotFoundError } from '../../platform/http/errors.ts';
import {
  standardCodes,
  standardInfo,
  type FindingTally,
  type StandardCode,
} from '../standards/standards.rules.ts';
import type { PlansService } from '../plans/plans.service.ts';
import {
  DEFAULT_MIN_COUNT,
  emptyCounters,
  leagueOf,
  measures,
  rateOf,
  surveyQuestionsOf,
  trendOf,
  type SurveyBodyResult,
  type SurveyQuestion,
  type Counters,
  type Measure,
  type Rate,
} from './scorecards.rules.ts';
import type { ScorecardBody, ScorecardsRepository } from './scorecards.repository.ts';
import type { ScorecardsRefresh } from './scorecards.refresh.ts';

/** What the scorecards need of the standards module (docs/modules/standards.md); optional until wired. */
export interface StandardsFindings {
  findingsForBody(bodyId: string): Promise<FindingTally & { findings: { year: number }[] }>;
}

export interface StandardRow {
  code: StandardCode;
  name: string;
  source: string;
  findings: number;
  checked: number;
  /** Share of the records checked against the standard that broke it. */
  rate: Rate;
}

/** What the scorecards need of the annual review's results (surveys.results.service.ts `bodyResults`). */
export interface SurveyResultsForBody {
  bodyResults(bodyId: string): Promise<SurveyBodyResult[]>;
}

export function createScorecardsService(deps: {
  repo: ScorecardsRepository;
  refresh: ScorecardsRefresh;
  plans: Pick<PlansService, 'publishedPlansOfBody' | 'publishedActionsForCommitment'>;
  standards?: StandardsFindings;
  surveyResults?: SurveyResultsForBody;
  minCount?: number;
  /** How long a body's standards and survey figures are kept in memory (0: read every time). */
  sideMaxAgeMs?: number;
}) {
  const { repo, refresh, plans } = deps;
  const minCount = deps.minCount ?? DEFAULT_MIN_COUNT;
  const sideMaxAgeMs = deps.sideMaxAgeMs ?? 60_000;

  async function fresh() {
    if (await refresh.isStale()) await refresh.refresh({ once: true, batch: 500 });
  }

  async function publicBody(slug: string): Promise<ScorecardBody> {
    const body = await repo.bodyBySlug(slug);
    // Scorecards are about public bodies; a civil society organisation has none (and is "not found").
    if (!body || body.kind !== 'public_body') throw new NotFoundError('No such public body');
    return body;
  }

  async function standardsOf(bodyId: string): Promise<StandardRow[] | null> {
    if (!deps.standards) return null;
    const tally = await deps.standards.findingsForBody(bodyId);
    return standardCodes.map((code) => ({
      code,
      name: standardInfo[code].name,
      source: standardInfo[code].source,
      findings: tally.byStandard[code] ?? 0,
      checked: tally.checked[code] ?? 0,
      rate: rateOf(tally.byStandard[code] ?? 0, tally.checked[code] ?? 0, minCount),
    }));
  }

  async function surveyOf(bodyId: string): Promise<SurveyQuestion[] | null> {
    if (!deps.surveyResults) return null;
    return surveyQuestionsOf(await deps.surveyResults.bodyResults(bodyId), minCount);
  }

  // The sections read from other modules, per body (see the file comment); entries hold the promise so
  // visitors arriving together share one load. Real time, not the app clock: this is a cache, not a rule.
  type Side = { standards: StandardRow[] | null; survey: SurveyQuestion[] | null };
  const sides = new Map<string, { at: number; value: Promise<Side> }>();
  const MAX_SIDES = 5_000;
  function sideOf(bodyId: string): Promise<Side> {
    const now = performance.now();
    const hit = sides.get(bodyId);
    if (hit && now - hit.at < sideMaxAgeMs) return hit.value;
    const value = Promise.all([standardsOf(bodyId), surveyOf(bodyId)]).then(([standards, survey]) => ({
      standards,
      survey,
    }));
    if (sides.size >= MAX_SIDES) sides.delete(sides.keys().next().value!);
    sides.set(bodyId, { at: now, value });
    // A failed load is not kept.
    value.catch(() => sides.get(bodyId)?.value === value && sides.delete(bodyId));
    return value;
  }

  return {
    minCount,
    measures,

    /** A body's standards records changed (the standards service's `changed`): read its figures afresh. */
    bodyChanged(bodyId: string) {
      sides.delete(bodyId);
    },

    /** A public body's scorecard. Throws NotFoundError for an unknown slug or an organisation that is not a public body. */
    async bodyScorecard(slug: string) {
      const body = await publicBody(slug);
      await fresh();
      const [counters, bodyPlans, { standards, survey }] = await Promise.all([
        repo.countersOf('body', body.id),
        plans.publishedPlansOfBody(body.id),
        sideOf(body.id),
      ]);
      return {
        body,
        minCount,
        trend: trendOf(counters, minCount),
        plans: bodyPlans,
        standards,
        survey,
      };
    },

    /** A Covenant commitment's scorecard: cases citing it, across bodies, and the plan actions linked to it. */
    async commitmentScorecard(code: string) {
      const commitment = await repo.commitmentByCode(code);
      if (!commitment) throw new NotFoundError('No such commitment');
      await fresh();
      const [counters, actions] = await Promise.all([
        repo.countersOf('commitment', commitment.id),
        plans.publishedActionsForCommitment(commitment.id),
      ]);
      return { commitment, minCount, trend: trendOf(counters, minCount), actions };
    },

    /**
     * The league table of bodies of one type for one measure, in one year or all years. Only bodies of the
     * same type are ever compared (issue 5: "comparisons only among bodies of the same type").
     */
    async league(input: { type: string; measure: Measure; year: number | null }) {
      await fresh();
      const rows = await repo.leagueCounters(input.type, input.year);
      const entries = rows.map(({ id, slug, name, kind, type, ...counters }) => ({
        body: { id, slug, name, kind, type },
        counters: counters as Counters,
      }));
      return {
        ...input,
        minCount,
        league: leagueOf(input.type, input.measure, entries, minCount),
        total: entries.reduce((sum, e) => sum + e.counters.cases, 0),
      };
    },

    /** Body types and years that have any cases (the league table's choices). */
    leagueChoices: () => repo.leagueChoices(),

    commitments: () => repo.commitments(),

    emptyCounters,
  };
}

export type ScorecardsService = ReturnType<typeof createScorecardsService>;
