/**
 * Results of the annual review (issue 6, items 3–5): live results for analysts (admins and panel members)
 * with filters and year-on-year change; free-text answers for analysts only; publishing the review (an
 * administrator's action, audited), which freezes the suppressed figures; and the published figures for
 * everyone: the review page, its CSV, the JSON API and the body scorecards (`bodyResults`).
 *
 * Every figure shown anywhere goes through `buildTables` (surveys.results.rules.ts): cells under 10 are
 * withheld with their complements. The published review reads only the frozen figures, so what the public
 * sees cannot change after publication, and no filtered view of live counts is ever public.
 */
import type { Actor, AuditLog } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { FieldRuleError, NotFoundError } from '../../platform/http/errors.ts';
import { MAX_ITEMS, type AnalysisService } from '../analysis/analysis.service.ts';
import { attributeNames, type AttributeName } from './surveys.attributes.ts';
import { can, check } from './surveys.policy.ts';
import type { Edition, PublishedFigure, Question, SurveysRepository } from './surveys.repository.ts';
import { aggregate, createCubeCache, type CubeCache } from './surveys.results.cube.ts';
import type { Filters, SurveyResultsRepository } from './surveys.results.repository.ts';
import {
  ALL,
  BASE,
  buildTables,
  combined,
  optionOrderOf,
  positiveOptionsOf,
  resultKindOf,
  yearOnYear,
  type Breakdown,
  type CellState,
  type Change,
  type QuestionCounts,
  type ResultGroup,
  type ResultTable,
} from './surveys.results.rules.ts';

/** The question key under which the response profile (respondents by attribute) is published. */
export const PROFILE_KEY = '_profile';
/** The option under which a number question's published mean is stored (in `percent`). */
export const MEAN_OPTION = 'mean';
export const TEXT_PAGE_SIZE = 50;

/** A rule that stops results being published: shown against `field` with the catalogue message. */
export class ResultsRuleError extends FieldRuleError {
  override name = 'ResultsRuleError';
}

export interface ResultsQuery {
  filters: Filters;
  bodyId: string | null;
  by: Breakdown;
}

export interface SurveyResultsDeps {
  db: Database;
  repo: SurveysRepository;
  results: SurveyResultsRepository;
  audit: AuditLog;
  clock: Clock;
  /** The in-process copies of cubes for live results (one is made when not given). */
  cube?: CubeCache;
  /** The thematic analysis engine, for themes in free-text answers (absent: the button is not offered). */
  analysis?: Pick<AnalysisService, 'createSet' | 'requestRun'>;
}

/** Questions with figures: every type but the attribute questions (kept on the response) and free text. */
const hasFigures = (q: Question) => resultKindOf(q.type) !== 'text';

const breakdownsOf = (q: Question): Exclude<Breakdown, typeof ALL>[] =>
  q.type === 'body_rating' ? [...attributeNames, 'body'] : [...attributeNames];

export function createSurveyResultsService({ db, repo, results, audit, clock, ...deps }: SurveyResultsDeps) {
  const cube = deps.cube ?? createCubeCache(results);
  async function editionOf(editionId: string) {
    const edition = await repo.editionById(editionId);
    if (!edition) throw new NotFoundError('No such edition');
    return edition;
  }

  async function questionOf(edition: Edition, key: string) {
    const question = /^[a-z][a-z0-9-]{0,62}$/.test(key) ? await repo.questionByKey(edition.id, key) : null;
    if (!question) throw new NotFoundError('No such question');
    return question;
  }

  /** Counts for the whole and the chosen breakdown, under the filters. */
  async function countsOf(question: Question, query: ResultsQuery, withBreakdown = true) {
    const body = question.type === 'body_rating' ? query.bodyId : null;
    const counts: QuestionCounts = {
      type: question.type,
      options: optionOrderOf(question.type, question.settings.options ?? null),
      all: [],
      breakdowns: {},
    };
    // Live results sum the question's in-process cube copy (surveys.results.cube.ts), not the table.
    const copy = await cube.get(question.id);
    counts.all = aggregate(copy, ALL, query.filters, body);
    if (withBreakdown && query.by !== ALL)
      counts.breakdowns[query.by] = aggregate(copy, query.by, query.filters, body);
    return counts;
  }

  /** The same question (stable key) in the latest earlier edition, if it was asked there. */
  async function previousOf(edition: Edition, key: string) {
    const previous = await repo.previousEdition(edition.year);
    if (!previous) return null;
    const question = await repo.questionByKey(previous.id, key);
    return question && question.type !== 'free_text' ? { edition: previous, question } : null;
  }

  /** Frozen figures back into groups, as buildTables gave them. */
  function groupsFrom(figures: PublishedFigure[], key: string, breakdown: string, options: string[]) {
    const mine = figures.filter((f) => f.questionKey === key && f.breakdown === breakdown);
    const groups: ResultGroup[] = [];
    for (const f of mine.filter((f) => f.option === BASE))
      groups.push({
        value: f.groupValue,
        base: f.n,
        baseState: f.suppressed,
        mean: mine.find((m) => m.groupValue === f.groupValue && m.option === MEAN_OPTION)?.percent ?? null,
        cells: options.map((o) => {
          const c = mine.find((m) => m.groupValue === f.groupValue && m.option === o);
          return {
            option: o,
            n: c?.n ?? null,
            state: (c?.suppressed ?? 'primary') as CellState,
            percent: c?.percent ?? null,
            lower: c?.lower ?? null,
            upper: c?.upper ?? null,
          };
        }),
      });
    return groups;
  }

  async function publishedEdition(year: number) {
    const edition = Number.isInteger(year) ? await repo.editionByYear(year) : null;
    if (!edition || !edition.resultsPublishedAt) throw new NotFoundError('No published review');
    return edition;
  }

  const service = {
    /**
     * Editions with their response counts, for the analysts' results index: two reads whatever the number of
     * responses, as the counts come from the respondent counts kept at submission (survey_response_counts).
     */
    async editions(user: CurrentUser | null) {
      check(user, 'viewResults');
      const [editions, responses] = await Promise.all([repo.listEditions(), repo.responseCounts()]);
      return editions.map((e) => ({ ...e, responses: responses.get(e.id) ?? 0 }));
    },

    /** An edition's questions with how many answered each (analysts). */
    async overview(user: CurrentUser | null, editionId: string) {
      check(user, 'viewResults');
      const edition = await editionOf(editionId);
      const [sections, questions, responses] = await Promise.all([
        repo.sectionsOf(edition.id),
        repo.questionsOf(edition.id),
        repo.responseCount(edition.id),
      ]);
      const answered = await results.answered(questions.map((q) => q.id));
      const rows = questions.map((question) => ({ question, answered: answered.get(question.id) ?? 0 }));
      return {
        edition,
        responses,
        sections: sections
          .map((s) => ({ section: s, questions: rows.filter((r) => r.question.sectionId === s.id) }))
          .filter((s) => s.questions.length > 0),
        closed: edition.closesAt <= clock.now(),
        canPublish: can(user, 'publishResults'),
        canReadFreeText: can(user, 'readFreeText'),
      };
    },

    /**
     * One question's live results (analysts): the whole and a breakdown under the filters, suppressed, with
     * the change from the same question (stable key) in the previous edition under the same filters.
     */
    async questionResults(user: CurrentUser | null, editionId: string, key: string, query: ResultsQuery) {
      check(user, 'viewResults');
      const edition = await editionOf(editionId);
      const question = await questionOf(edition, key);
      const kind = resultKindOf(question.type);
      const bodies =
        question.type === 'body_rating' ? await repo.bodiesByIds(await results.ratedBodies(question.id)) : [];
      bodies.sort((a, b) => a.name.localeCompare(b.name));
      if (kind === 'text') {
        const cells = aggregate(await cube.get(question.id), ALL, query.filters);
        const built = buildTables({ type: question.type, options: [], all: cells, breakdowns: {} });
        return { edition, question, kind, bodies, all: built.all, table: null, changes: [], previous: null };
      }
      // "By body" applies to ratings only.
      if (query.by === 'body' && question.type !== 'body_rating') query = { ...query, by: ALL };
      const built = buildTables(await countsOf(question, query));
      const table: ResultTable | null =
        built.tables.find((t) => t.breakdown === query.by && t.breakdown !== ALL) ?? null;
      const prior = await previousOf(edition, key);
      let changes: Change[] = [];
      let previousAll: ResultGroup | null = null;
      if (prior && resultKindOf(prior.question.type) === kind) {
        previousAll = buildTables(await countsOf(prior.question, query, false)).all;
        changes = yearOnYear(built.all, previousAll);
      }
      return {
        edition,
        question,
        kind,
        bodies,
        all: built.all,
        table,
        changes,
        previous: prior ? { edition: prior.edition, all: previousAll } : null,
      };
    },

    /** Free-text answers to one question, raw until themes exist (analysts only, never published). */
    async textAnswers(user: CurrentUser | null, editionId: string, key: string, page: number) {
      check(user, 'readFreeText');
      const edition = await editionOf(editionId);
      const question = await questionOf(edition, key);
      if (question.type !== 'free_text') throw new NotFoundError('Not a free-text question');
      const total = await repo.textAnswerCount(question.id);
      const pages = Math.max(1, Math.ceil(total / TEXT_PAGE_SIZE));
      if (page > pages) throw new NotFoundError('No such page');
      const answers = await repo.textAnswers(question.id, TEXT_PAGE_SIZE, (page - 1) * TEXT_PAGE_SIZE);
      return { edition, question, total, page, pages, answers };
    },

    /**
     * Sends a free-text question's answers to the thematic analysis engine: a new analysis set of every
     * answer (by its answer id; answers carry no link to a person), with a themes run queued. Each request
     * makes a new set, so a later run includes the answers that arrived since. Returns the set's id.
     */
    async analyseText(user: CurrentUser | null, actor: Actor, editionId: string, key: string) {
      check(user, 'analyse');
      if (!deps.analysis) throw new NotFoundError('Thematic analysis is not available');
      const edition = await editionOf(editionId);
      const question = await questionOf(edition, key);
      if (question.type !== 'free_text') throw new NotFoundError('Not a free-text question');
      const answers = await repo.textAnswers(question.id, MAX_ITEMS, 0);
      if (answers.length === 0) throw new ResultsRuleError('analyse', 'surveyResults.errors.noTextAnswers');
      const set = await deps.analysis.createSet(actor, {
        name: `Annual review ${edition.year}: ${question.text}`,
        source: 'survey_question',
        sourceRef: `${edition.id}:${question.key}`,
        items: answers.map((a) => ({ id: a.id, text: a.text ?? '' })),
      });
      await deps.analysis.requestRun(user, actor, set.id);
      return set.id;
    },

    /**
     * Publishes (or republishes) the review: freezes every question's suppressed figures, by the whole,
     * each attribute and (ratings) each body, and the response profile; records it in the audit log.
     * Refused until the edition has closed, and when nobody answered.
     */
    async publish(user: CurrentUser | null, actor: Actor, editionId: string, summary: string) {
      check(user, 'publishResults');
      return service.freeze(actor, editionId, summary);
    },

    /**
     * The publication itself, without the policy check: for `publish` above and for trusted code that acts
     * as the system (the demo seed). Never call it from a route.
     */
    async freeze(actor: Actor, editionId: string, summary: string) {
      return db.transaction(async () => {
        const edition = await editionOf(editionId);
        if (edition.status !== 'published' || edition.closesAt > clock.now())
          throw new ResultsRuleError('summary', 'surveyResults.errors.notClosed');
        if ((await repo.responseCount(edition.id)) === 0)
          throw new ResultsRuleError('summary', 'surveyResults.errors.noResponses');
        const rows: Parameters<SurveysRepository['replacePublishedFigures']>[1] = [];
        const push = (key: string, table: { breakdown: string; groups: ResultGroup[] }) => {
          for (const g of table.groups) {
            rows.push({
              editionId,
              questionKey: key,
              breakdown: table.breakdown,
              groupValue: g.value,
              option: BASE,
              n: g.base,
              base: g.base,
              suppressed: g.baseState,
              percent: null,
              lower: null,
              upper: null,
              position: rows.length,
            });
            if (g.mean !== null)
              rows.push({
                editionId,
                questionKey: key,
                breakdown: table.breakdown,
                groupValue: g.value,
                option: MEAN_OPTION,
                n: null,
                base: g.base,
                suppressed: 'shown',
                percent: g.mean,
                lower: null,
                upper: null,
                position: rows.length,
              });
            for (const c of g.cells)
              rows.push({
                editionId,
                questionKey: key,
                breakdown: table.breakdown,
                groupValue: g.value,
                option: c.option,
                n: c.n,
                base: g.base,
                suppressed: c.state,
                percent: c.percent,
                lower: c.lower,
                upper: c.upper,
                position: rows.length,
              });
          }
        };
        const publishTables = (key: string, built: ReturnType<typeof buildTables>) => {
          push(key, { breakdown: ALL, groups: [built.all] });
          for (const table of built.tables) if (table.breakdown !== ALL) push(key, table);
        };
        // The response profile: respondents by each attribute, linked like any other question's tables.
        const profile: QuestionCounts = {
          type: 'free_text',
          options: [],
          all: await results.profile(edition.id, 'all'),
          breakdowns: {},
        };
        for (const name of attributeNames) profile.breakdowns[name] = await results.profile(edition.id, name);
        publishTables(PROFILE_KEY, buildTables(profile));
        for (const question of (await repo.questionsOf(edition.id)).filter(hasFigures)) {
          const counts: QuestionCounts = {
            type: question.type,
            options: optionOrderOf(question.type, question.settings.options ?? null),
            all: await results.cells(question.id, ALL),
            breakdowns: {},
          };
          if (!counts.all.some((c) => c.option === BASE && c.n > 0)) continue;
          for (const b of breakdownsOf(question)) counts.breakdowns[b] = await results.cells(question.id, b);
          publishTables(question.key, buildTables(counts));
        }
        await repo.replacePublishedFigures(edition.id, rows);
        const republished = edition.resultsPublishedAt !== null;
        await repo.updateEdition(edition.id, { resultsPublishedAt: clock.now(), resultsSummary: summary });
        await audit.record(actor, {
          action: republished ? 'survey.results.republished' : 'survey.results.published',
          entityType: 'survey_edition',
          entityId: edition.id,
          details: { year: edition.year, figures: rows.length },
        });
        return { figures: rows.length };
      });
    },

    /** Editions whose review is published (public). */
    publishedEditions: () => results.publishedEditions(),

    /**
     * The published review of one year (public): its questions with frozen figures by principle, the
     * previous published year's figures for change, the trend of each question's headline across every
     * published year, and the response profile.
     */
    async review(year: number) {
      const edition = await publishedEdition(year);
      const [figures, questions, principles, sections] = await Promise.all([
        repo.publishedFigures(edition.id),
        repo.questionsOf(edition.id),
        repo.listPrinciples(),
        repo.sectionsOf(edition.id),
      ]);
      const earlier = (await results.publishedEditions()).filter((e) => e.year < edition.year);
      const earlierFigures = await results.wholeFigures(earlier.map((e) => e.id));
      const previous = earlier[0] ?? null;
      const published = questions.filter((q) => figures.some((f) => f.questionKey === q.key));
      const items = published.map((question) => {
        const options = optionOrderOf(question.type, question.settings.options ?? null);
        const all = groupsFrom(figures, question.key, ALL, options)[0]!;
        const history = earlier.map((e) => ({
          year: e.year,
          all:
            groupsFrom(
              earlierFigures.filter((f) => f.editionId === e.id),
              question.key,
              ALL,
              options,
            )[0] ?? null,
        }));
        const before = previous ? (history.find((h) => h.year === previous.year)?.all ?? null) : null;
        const bodies =
          question.type === 'body_rating' ? groupsFrom(figures, question.key, 'body', options) : [];
        return {
          question,
          options,
          all,
          changes: yearOnYear(all, before),
          headline: combined(all, positiveOptionsOf(question.type)),
          previousHeadline: before ? combined(before, positiveOptionsOf(question.type)) : null,
          history,
          bodies,
        };
      });
      const bodyNames = new Map(
        (await repo.bodiesByIds([...new Set(items.flatMap((i) => i.bodies.map((b) => b.value)))])).map(
          (b) => [b.id, b.name] as const,
        ),
      );
      const profile = Object.fromEntries(
        attributeNames.map((name) => [name, groupsFrom(figures, PROFILE_KEY, name, [])]),
      ) as Record<AttributeName, ResultGroup[]>;
      const respondents = groupsFrom(figures, PROFILE_KEY, ALL, [])[0]?.base ?? null;
      return { edition, items, principles, sections, profile, respondents, previous, earlier, bodyNames };
    },

    /** The frozen figures of a published review (CSV and API), with question text. */
    async publishedFigures(year: number) {
      const edition = await publishedEdition(year);
      const [figures, questions] = await Promise.all([
        repo.publishedFigures(edition.id),
        repo.questionsOf(edition.id),
      ]);
      return { edition, figures, questions };
    },

    /**
     * For the body scorecards: a body's published ratings, newest year first — for each rating question,
     * how many rated it and the share rating it good or very good (with its 95% interval), or null where
     * the figures are withheld (fewer than 10 ratings, or a complement). Reads published figures only.
     */
    async bodyResults(bodyId: string) {
      if (!/^[0-9a-f-]{36}$/i.test(bodyId)) return [];
      const rows = await repo.publishedFiguresForBody(bodyId);
      const byEdition = new Map<string, { year: number; figures: PublishedFigure[] }>();
      for (const { figure, year } of rows) {
        const entry = byEdition.get(figure.editionId) ?? { year, figures: [] };
        entry.figures.push(figure);
        byEdition.set(figure.editionId, entry);
      }
      const out = [];
      for (const [editionId, { year, figures }] of byEdition) {
        const questions = await repo.questionsOf(editionId);
        for (const key of new Set(figures.map((f) => f.questionKey))) {
          const question = questions.find((q) => q.key === key);
          if (!question) continue;
          const options = optionOrderOf(question.type);
          const group = groupsFrom(figures, key, 'body', options).find((g) => g.value === bodyId);
          if (!group) continue;
          out.push({
            year,
            questionKey: key,
            questionText: question.text,
            ratings: group.base,
            good: combined(group, positiveOptionsOf(question.type)),
            distribution: group.cells,
          });
        }
      }
      return out.sort((a, b) => b.year - a.year || a.questionKey.localeCompare(b.questionKey));
    },
  };
  return service;
}

export type SurveyResultsService = ReturnType<typeof createSurveyResultsService>;
