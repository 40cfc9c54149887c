/**
 * Pages of the public register: search with filters and paging, a published case's page, the statistics,
 * the Atom feed, and the moderators' queue and review page. HTTP only: parse → service → render or
 * redirect. Public pages read published entries only (the service's public reads); moderation needs the
 * admin role at the route and the policy again in the service.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Deps } from '../../container.ts';
import { actorOf, userOf } from '../../platform/http/context.ts';
import { BadRequestError, NotFoundError } from '../../platform/http/errors.ts';
import { requireRole } from '../../platform/http/guards.ts';
import { govukError, parseForm, toGovukErrors, type GovukErrors } from '../../platform/views/form-errors.ts';
import type { Translate } from '../../platform/i18n/i18n.ts';
import { replacementFor } from '../../platform/redaction/redaction.ts';
import { outcomeCodes } from '../cases/cases.lifecycle.ts';
import { paginationItems } from '../directory/directory.routes.ts';
import { atomFeed } from './register.feed.ts';
import { registerPaths as rp } from './register.paths.ts';
import { ReviewError, segmentsOf } from './register.rules.ts';
import {
  AddRedactionForm,
  EditTextForm,
  MAX_REFERENCE_LENGTH,
  ModerationQuery,
  ReasonForm,
  RedactionForm,
  RegisterSearchQuery,
  StatisticsQuery,
  VersionForm,
} from './register.schema.ts';
import { RegisterConflictError } from './register.service.ts';
import { registerFields, registerStatuses, type RegisterField } from './register.tables.ts';

const view = (name: string) => `modules/register/views/${name}.njk`;
type Params = Record<string, string>;
const FEED_SIZE = 50;

/** Labels shared by every register page. */
function labels(t: Translate) {
  return {
    outcome: (code: string | null | undefined) =>
      code && code !== 'not_recorded' ? t(`cases.outcomes.${code}`) : t('register.common.notRecorded'),
    state: (state: string) =>
      state === 'submitted' ? t('register.states.submitted') : t(`cases.states.${state}`),
  };
}

/** The search form's select boxes, each with "Any" first and the current choice selected. */
function filterItems(
  t: Translate,
  query: Partial<RegisterSearchQuery>,
  options: {
    bodies: { slug: string; name: string }[];
    commitments: { code: string; text: string }[];
    years: { year: number }[];
  },
) {
  const any = { value: '', text: t('register.search.any') };
  const { outcome } = labels(t);
  return {
    body: [
      any,
      ...options.bodies.map((b) => ({ value: b.slug, text: b.name, selected: b.slug === query.body })),
    ],
    commitment: [
      any,
      ...options.commitments.map((c) => ({
        value: c.code,
        text: `${c.code}: ${c.text}`,
        selected: c.code === query.commitment,
      })),
    ],
    outcome: [
      any,
      ...outcomeCodes
        .filter((o) => o !== 'duplicate' && o !== 'withdrawn' && o !== 'out_of_scope')
        .map((o) => ({ value: o, text: outcome(o), selected: o === query.outcome })),
    ],
    year: [
      any,
      ...options.years.map((y) => ({
        value: String(y.year),
        text: String(y.year),
        selected: y.year === query.year,
      })),
    ],
  };
}

/** Field ids of one form on the review page carry the form's name, so each form has its own errors. */
function prefixed(form: string, errors: GovukErrors): GovukErrors {
  const byField: GovukErrors['byField'] = {};
  for (const [field, error] of Object.entries(errors.byField)) byField[`${form}-${field}`] = error;
  return { list: errors.list.map((e) => ({ ...e, href: `#${form}-${e.href.slice(1)}` })), byField };
}

/** Hidden inputs: an error in one of them means the page was stale or tampered with. */
const hiddenFields = ['#version', '#spanId', '#decision', '#field'];

/**
 * The id prefix of one form on the review page. A form repeated per part of the entry (a redaction's
 * buttons, the text editor) carries the part's name too, so its errors point at the right one.
 */
function formKey(form: string, field: unknown): string {
  const perField = form === 'redaction' || form === 'edit';
  return perField && (registerFields as readonly unknown[]).includes(field)
    ? `${form}-${String(field)}`
    : form;
}

interface ReviewExtra {
  form?: string;
  values?: Record<string, unknown>;
  errors?: GovukErrors;
}

export function registerRegisterRoutes(app: FastifyInstance, deps: Deps) {
  const { register, config } = deps;
  const moderator = { preHandler: requireRole('admin') };

  // ---- Public ------------------------------------------------------------------------------------------

  app.get(rp.home.pattern, async (request, reply) => {
    const parsed = RegisterSearchQuery.safeParse(request.query ?? {});
    const options = await register.filterOptions();
    const raw = (request.query ?? {}) as Record<string, unknown>;
    if (!parsed.success) {
      const tooLong = parsed.error.issues.find((i) => i.path[0] === 'q');
      if (!tooLong) throw new BadRequestError('Check the page number and filters');
      // A search text that is too long is the person's to fix: show the form again with the error.
      return reply.code(422).view(view('search'), {
        rp,
        query: { q: typeof raw.q === 'string' ? raw.q : '' },
        filters: filterItems(request.t, {}, options),
        errors: toGovukErrors(parsed.error, request.t),
        result: null,
        ...labels(request.t),
      });
    }
    const { page, ...filters } = parsed.data;
    const result = await register.search(filters, page);
    if (page > result.pages) throw new NotFoundError();
    const kept = Object.fromEntries(
      Object.entries(filters).map(([k, v]) => [k, v === undefined ? undefined : String(v)]),
    );
    const link = (n: number) => rp.home({ ...kept, page: String(n) });
    return reply.view(view('search'), {
      rp,
      query: parsed.data,
      result,
      filters: filterItems(request.t, parsed.data, options),
      filtered: Object.values(filters).some((v) => v !== undefined),
      pagination: paginationItems(result.page, result.pages, link),
      previous: result.page > 1 ? link(result.page - 1) : null,
      next: result.page < result.pages ? link(result.page + 1) : null,
      ...labels(request.t),
    });
  });

  app.get(rp.statistics.pattern, async (request, reply) => {
    const parsed = StatisticsQuery.safeParse(request.query ?? {});
    if (!parsed.success) throw new BadRequestError('Check the year');
    const [stats, options] = await Promise.all([
      register.statistics(parsed.data.year),
      register.filterOptions(),
    ]);
    const years = options.years.map((y) => y.year);
    if (parsed.data.year && !years.includes(parsed.data.year)) years.push(parsed.data.year);
    const t = request.t;
    const { outcome } = labels(t);
    const table = (
      id: string,
      key: string,
      column: string,
      data: typeof stats.byOutcome,
      label: (k: string, l?: string) => string,
      note?: string,
    ) => ({
      id,
      caption: t(`register.statistics.${key}`),
      column: t(`register.statistics.${column}`),
      rows: data.cells.map((cell) => ({ label: label(cell.key, (cell as { label?: string }).label), cell })),
      total: data.total,
      note,
    });
    return reply.view(view('statistics'), {
      rp,
      stats,
      tables: [
        table('by-outcome', 'byOutcome', 'outcomeColumn', stats.byOutcome, (k) => outcome(k)),
        table(
          'by-body',
          'byBody',
          'bodyColumn',
          stats.byBody,
          (_k, l) => l || t('register.statistics.unknownBody'),
        ),
        table(
          'by-commitment',
          'byCommitment',
          'commitmentColumn',
          stats.byCommitment,
          (k, l) => `${k}: ${l ?? ''}`,
          t('register.statistics.overlapNote'),
        ),
      ],
      yearItems: [
        { value: '', text: request.t('register.statistics.allYears') },
        ...years
          .sort((a, b) => b - a)
          .map((y) => ({ value: String(y), text: String(y), selected: y === parsed.data.year })),
      ],
      ...labels(request.t),
    });
  });

  app.get(rp.feed.pattern, async (request, reply) => {
    const entries = await register.latest(FEED_SIZE);
    const xml = atomFeed(entries, {
      baseUrl: config.BASE_URL,
      selfPath: rp.feed(),
      registerPath: rp.home(),
      entryPath: (reference) => rp.entry({ reference }),
      texts: {
        title: request.t('register.feed.title'),
        subtitle: request.t('register.feed.subtitle'),
        author: request.t('register.feed.author'),
      },
      now: deps.clock.now(),
    });
    return reply
      .type('application/atom+xml; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(xml);
  });

  app.get(rp.entry.pattern, async (request, reply) => {
    const { reference = '' } = request.params as Params;
    if (reference.length > MAX_REFERENCE_LENGTH) throw new NotFoundError();
    const entry = await register.publishedCase(reference);
    if (!entry) throw new NotFoundError();
    // A withdrawn case's page stays, saying it was removed (410: gone on purpose), with none of its text.
    if (entry.status === 'withdrawn') return reply.code(410).view(view('withdrawn'), { rp, entry });
    return reply.view(view('entry'), { rp, entry, ...labels(request.t) });
  });

  // ---- Moderation ----------------------------------------------------------------------------------------

  app.get(rp.moderation.pattern, moderator, async (request, reply) => {
    const parsed = ModerationQuery.safeParse(request.query ?? {});
    if (!parsed.success) throw new BadRequestError('Check the status and page number');
    const { status, page } = parsed.data;
    const queue = await register.queue(userOf(request), status, page);
    if (page > queue.pages) throw new NotFoundError();
    const link = (n: number) => rp.moderation({ status, page: String(n) });
    return reply.view(view('moderation'), {
      rp,
      status,
      statuses: registerStatuses,
      queue,
      page,
      pagination: paginationItems(page, queue.pages, link),
      previous: page > 1 ? link(page - 1) : null,
      next: page < queue.pages ? link(page + 1) : null,
      ...labels(request.t),
    });
  });

  async function reviewPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: ReviewExtra = {},
    status = 200,
  ) {
    const { entryId = '' } = request.params as Params;
    const { entry, preview } = await register.review(userOf(request), entryId);
    const fields = registerFields.map((name) => {
      const field = entry.draft[name];
      return {
        name,
        field,
        segments: field ? segmentsOf(field, (s) => replacementFor[s.kind]) : [],
        preview: preview[name],
      };
    });
    return reply.code(status).view(view('review'), {
      rp,
      entry,
      fields,
      fieldNames: registerFields,
      replacementFor,
      form: extra.form,
      values: extra.values ?? {},
      errors: extra.errors,
      ...labels(request.t),
    });
  }

  app.get(rp.review.pattern, moderator, async (request, reply) => reviewPage(request, reply));

  /**
   * Parses one review form, runs the change and redirects back with a flash; on bad input, a rule broken
   * or a lost race, shows the review page again (422 or 409) with the error and what was typed.
   */
  function reviewChange<S extends z.ZodType>(
    form: string,
    schema: S,
    run: (request: FastifyRequest, input: z.infer<S>) => Promise<unknown>,
    done: { flash: string; to?: (entryId: string) => string; anchor?: (input: z.infer<S>) => string },
  ) {
    return async (request: FastifyRequest, reply: FastifyReply) => {
      const { entryId = '' } = request.params as Params;
      const values = (request.body ?? {}) as Record<string, unknown>;
      const key = formKey(form, values.field);
      const parsed = parseForm(schema, request.body, request.t);
      if (!parsed.success) {
        // A missing version or a tampered hidden field: the form, not the person, is at fault.
        const hidden = parsed.errors.list.every((e) => hiddenFields.includes(e.href));
        const errors = hidden
          ? govukError(`${key}-form`, request.t('register.errors.invalid'))
          : prefixed(key, parsed.errors);
        return reviewPage(request, reply, { form: key, values: parsed.values, errors }, 422);
      }
      try {
        await run(request, parsed.data);
      } catch (error) {
        if (error instanceof RegisterConflictError) {
          const errors = govukError(`${key}-form`, request.t('register.errors.conflict'));
          return reviewPage(request, reply, { form: key, values, errors }, 409);
        }
        if (error instanceof ReviewError) {
          const errors = govukError(`${key}-form`, request.t(error.messageKey));
          return reviewPage(request, reply, { form: key, values, errors }, 422);
        }
        throw error;
      }
      reply.flash(request.t(done.flash));
      const to = done.to ? done.to(entryId) : rp.review({ entryId });
      return reply.redirect(to + (done.anchor ? `#${done.anchor(parsed.data)}` : ''), 303);
    };
  }

  const entryIdOf = (request: FastifyRequest) => (request.params as Params).entryId ?? '';
  const fieldAnchor = (input: { field: RegisterField }) => `field-${input.field}`;

  app.post(
    rp.redaction.pattern,
    moderator,
    reviewChange(
      'redaction',
      RedactionForm,
      (request, input) => register.setRedaction(userOf(request), actorOf(request), entryIdOf(request), input),
      { flash: 'register.done.redaction', anchor: fieldAnchor },
    ),
  );
  app.post(
    rp.addRedaction.pattern,
    moderator,
    reviewChange(
      'add',
      AddRedactionForm,
      (request, input) => register.addRedaction(userOf(request), actorOf(request), entryIdOf(request), input),
      { flash: 'register.done.added', anchor: fieldAnchor },
    ),
  );
  app.post(
    rp.editText.pattern,
    moderator,
    reviewChange(
      'edit',
      EditTextForm,
      (request, input) => register.editText(userOf(request), actorOf(request), entryIdOf(request), input),
      { flash: 'register.done.edited', anchor: fieldAnchor },
    ),
  );
  app.post(
    rp.approve.pattern,
    moderator,
    reviewChange(
      'approve',
      VersionForm,
      (request, input) => register.approve(userOf(request), actorOf(request), entryIdOf(request), input),
      { flash: 'register.done.approved' },
    ),
  );
  app.post(
    rp.reject.pattern,
    moderator,
    reviewChange(
      'reject',
      ReasonForm,
      (request, input) => register.reject(userOf(request), actorOf(request), entryIdOf(request), input),
      { flash: 'register.done.rejected', to: () => rp.moderation() },
    ),
  );
  app.post(
    rp.reconsider.pattern,
    moderator,
    reviewChange(
      'reconsider',
      VersionForm,
      (request, input) => register.reconsider(userOf(request), actorOf(request), entryIdOf(request), input),
      { flash: 'register.done.reconsidered' },
    ),
  );
  app.post(
    rp.withdraw.pattern,
    moderator,
    reviewChange(
      'withdraw',
      ReasonForm,
      (request, input) => register.withdraw(userOf(request), actorOf(request), entryIdOf(request), input),
      { flash: 'register.done.withdrawn' },
    ),
  );
}
