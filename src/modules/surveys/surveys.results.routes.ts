/**
 * Results pages (issue 6, items 3–4): the analysts' index and an edition's questions, one question's
 * results with filters, breakdown, intervals and year-on-year change, free-text answers (analysts only),
 * publishing the review (administrators), and the public published review with its CSV. Handlers parse,
 * call the service (which checks the policy), and render or redirect.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { actorOf, userOf } from '../../platform/http/context.ts';
import { analysisPaths } from '../analysis/analysis.paths.ts';
import { requireRole } from '../../platform/http/guards.ts';
import { govukError, parseForm, toGovukErrors } from '../../platform/views/form-errors.ts';
import { attributeNames, attributeValues, NOT_STATED } from './surveys.attributes.ts';
import { resultsPaths as rp } from './surveys.results.paths.ts';
import { presentReview, reviewCsv } from './surveys.results.review.ts';
import {
  breakdownTable,
  chartFor,
  groupLabel,
  optionRows,
  summaryOf,
  type Labeller,
} from './surveys.results.present.ts';
import {
  PageQuery,
  PublishResultsForm,
  ResultsFilterQuery,
  type ResultsFilter,
} from './surveys.results.schema.ts';
import { ResultsRuleError } from './surveys.results.service.ts';
import type { Filters } from './surveys.results.repository.ts';

const V = 'modules/surveys/views/results/';
type Params = Record<string, string>;

const view = (reply: FastifyReply, template: string, data: Record<string, unknown>) =>
  reply.view(`${V}${template}`, { rp, ...data });

const labeller = (request: FastifyRequest, bodyNames?: ReadonlyMap<string, string>): Labeller => ({
  t: request.t,
  locale: request.locale,
  bodyNames,
});

export function registerSurveyResultsRoutes(app: FastifyInstance, deps: Deps) {
  const service = deps.surveyResults;
  const analysts = { preHandler: requireRole('admin', 'panel_member') };
  const admins = { preHandler: requireRole('admin') };

  app.get(rp.index.pattern, analysts, async (request, reply) =>
    view(reply, 'index.njk', { editions: await service.editions(userOf(request)) }),
  );

  const overviewPage = async (request: FastifyRequest, reply: FastifyReply, extra = {}) => {
    const { editionId } = request.params as Params;
    const page = await service.overview(userOf(request), editionId!);
    return view(reply, 'overview.njk', { page, values: { summary: page.edition.resultsSummary }, ...extra });
  };

  app.get<{ Params: Params }>(rp.edition.pattern, analysts, (request, reply) => overviewPage(request, reply));

  app.post<{ Params: Params }>(rp.publish.pattern, admins, async (request, reply) => {
    const form = parseForm(PublishResultsForm, request.body, request.t);
    if (!form.success)
      return overviewPage(request, reply.code(422), { errors: form.errors, values: form.values });
    try {
      const edition = (await service.overview(userOf(request), request.params.editionId!)).edition;
      await service.publish(userOf(request), actorOf(request), edition.id, form.data.summary);
      reply.flash(request.t('surveyResults.publish.done', { year: edition.year }));
      return reply.redirect(rp.review({ year: String(edition.year) }), 303);
    } catch (error) {
      if (!(error instanceof ResultsRuleError)) throw error;
      const errors = govukError(error.field, request.t(error.messageKey));
      return overviewPage(request, reply.code(422), { errors, values: form.data });
    }
  });

  app.get<{ Params: Params }>(rp.question.pattern, analysts, async (request, reply) => {
    const parsed = ResultsFilterQuery.safeParse(request.query ?? {});
    const filter: ResultsFilter = parsed.success ? parsed.data : ResultsFilterQuery.parse({});
    const filters: Filters = {};
    for (const name of attributeNames) if (filter[name]) filters[name] = filter[name];
    const result = await service.questionResults(
      userOf(request),
      request.params.editionId!,
      request.params.questionKey!,
      {
        filters,
        bodyId: filter.body ?? null,
        by: filter.by,
      },
    );
    const bodyNames = new Map(result.bodies.map((b) => [b.id, b.name] as const));
    const l = labeller(request, bodyNames);
    const previousYear = result.previous?.all ? result.previous.edition.year : null;
    const attributeItems = attributeNames.map((name) => ({
      name,
      items: [
        { value: '', text: request.t('surveyResults.question.any') },
        ...[...attributeValues[name], NOT_STATED].map((v) => ({
          value: v,
          text: groupLabel(name, v, l),
          selected: filter[name] === v,
        })),
      ],
    }));
    const breakdowns = [
      'all',
      ...attributeNames,
      ...(result.question.type === 'body_rating' ? ['body'] : []),
    ];
    return view(reply.code(parsed.success ? 200 : 422), 'question.njk', {
      result,
      filter,
      filtered: Object.keys(filters).length > 0 || Boolean(filter.body),
      errors: parsed.success ? undefined : toGovukErrors(parsed.error, request.t),
      attributeItems,
      breakdownItems: breakdowns.map((b) => ({
        value: b,
        text: request.t(`surveyResults.breakdowns.${b}`),
        selected: filter.by === b,
      })),
      bodyItems: [
        { value: '', text: request.t('surveyResults.question.allBodies') },
        ...result.bodies.map((b) => ({ value: b.id, text: b.name, selected: filter.body === b.id })),
      ],
      rows: optionRows(result.question, result.all, l, result.changes),
      summary: summaryOf(result.question, result.all, l, result.changes, previousYear),
      chart:
        result.kind === 'text' || result.kind === 'number'
          ? null
          : chartFor(result.question, result.all, l, result.changes, previousYear),
      breakdown: result.table
        ? breakdownTable(result.question, result.table.breakdown, result.table.groups, l)
        : null,
      previousYear,
      hasWithheld:
        result.all.cells.some((c) => c.n === null) ||
        Boolean(result.table?.groups.some((g) => g.base === null || g.cells.some((c) => c.n === null))),
      mean: result.all.mean,
    });
  });

  app.get<{ Params: Params }>(rp.text.pattern, analysts, async (request, reply) => {
    const parsed = PageQuery.safeParse(request.query ?? {});
    const page = parsed.success ? parsed.data.page : 1;
    const data = await service.textAnswers(
      userOf(request),
      request.params.editionId!,
      request.params.questionKey!,
      page,
    );
    return view(reply, 'text.njk', { data });
  });

  // Themes in the free-text answers: a new analysis set with a run queued, then the analysis pages.
  app.post<{ Params: Params }>(rp.analyse.pattern, analysts, async (request, reply) => {
    const { editionId = '', questionKey = '' } = request.params;
    try {
      const setId = await service.analyseText(userOf(request), actorOf(request), editionId, questionKey);
      reply.flash(request.t('surveyResults.text.analysisStarted'));
      return reply.redirect(analysisPaths.set({ setId }), 303);
    } catch (error) {
      if (!(error instanceof ResultsRuleError)) throw error;
      const data = await service.textAnswers(userOf(request), editionId, questionKey, 1);
      return view(reply.code(422), 'text.njk', {
        data,
        errors: govukError(error.field, request.t(error.messageKey)),
      });
    }
  });

  // ── Public: the published review ──────────────────────────────────────────────────────────────────

  app.get(rp.reviews.pattern, async (_request, reply) =>
    view(reply, 'reviews.njk', { editions: await service.publishedEditions() }),
  );

  app.get<{ Params: Params }>(rp.review.pattern, async (request, reply) => {
    const review = await service.review(Number(request.params.year));
    return view(reply, 'review.njk', presentReview(review, labeller(request, review.bodyNames)));
  });

  app.get<{ Params: Params }>(rp.reviewCsv.pattern, async (request, reply) => {
    const data = await service.publishedFigures(Number(request.params.year));
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="annual-review-${data.edition.year}-figures.csv"`)
      .send(reviewCsv(data, labeller(request)));
  });
}
