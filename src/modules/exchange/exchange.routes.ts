/**
 * Pages for exchange opportunities: browse and filter (public), post and change (host officers), the
 * opportunity with "how well this matches you" and apply, the host's management page (applications and
 * suggested people), the person's profile, suggestions and applications, and recording the outcome.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { actorOf, userOf } from '../../platform/http/context.ts';
import { ForbiddenError } from '../../platform/http/errors.ts';
import { requireSignIn } from '../../platform/http/guards.ts';
import type { Translate } from '../../platform/i18n/i18n.ts';
import { govukError, parseForm, parseHidden } from '../../platform/views/form-errors.ts';
import { areasOfWork, englishRegions, nations } from '../directory/directory.taxonomy.ts';
import { exchangePaths as p } from './exchange.paths.ts';
import { canManage, canPost, canSeeReview, hostOrganisations } from './exchange.policy.ts';
import { durationText, placeText, presentMatch, reasonText, skillLabel } from './exchange.present.ts';
import type { OpportunityRow, ProfileRow } from './exchange.repository.ts';
import {
  ApplyForm,
  DecideForm,
  InviteForm,
  joinDateFields,
  ListQuery,
  OpportunityForm,
  ProfileForm,
  ReflectionForm,
  reviewQuery,
  StatusForm,
} from './exchange.schema.ts';
import { displayStatus, ExchangeRefusal } from './exchange.service.ts';
import {
  clearanceLevels,
  durationUnits,
  exchangeOutcomes,
  opportunityKinds,
  sides,
  skills,
  workModes,
} from './exchange.vocabulary.ts';
import { eligibility } from './exchange.matching.ts';

const V = 'modules/exchange/views/';

type Params = Record<string, string>;
type Body = Record<string, unknown>;

/** The form's option lists, labelled in the reader's language. */
function vocab(t: Translate) {
  const opts = (list: readonly string[], key: (v: string) => string) =>
    list.map((value) => ({ value, text: t(key(value)) }));
  return {
    kinds: opts(opportunityKinds, (v) => `exchange.kinds.${v}`),
    sides: opts(sides, (v) => `exchange.sides.${v}`),
    workModes: opts(workModes, (v) => `exchange.workModes.${v}`),
    units: durationUnits.map((value) => ({
      value,
      text: t(`exchange.durationUnits.${value}`, { n: '' }).trim(),
    })),
    clearance: opts(clearanceLevels, (v) => `exchange.clearance.${v}`),
    skills: opts(skills, (v) => `exchange.skills.${v}`),
    nations: opts(nations, (v) => `directory.nations.${v}`),
    areas: opts(areasOfWork, (v) => `directory.areas.${v}`),
    regions: englishRegions.map((value) => ({ value, text: value })),
    outcomes: opts(exchangeOutcomes, (v) => `exchange.outcomes.${v}`),
  };
}

/** An opportunity as the pages show it. */
function present(t: Translate, o: OpportunityRow, today: string) {
  return {
    ...o,
    kindText: t(`exchange.kinds.${o.kind}`),
    place: placeText(t, o),
    duration: durationText(t, o),
    wanted: o.skillsWanted.map((s) => skillLabel(t, s)),
    offered: o.skillsOffered.map((s) => skillLabel(t, s)),
    displayStatus: displayStatus(o, today),
    eligibilityText: [
      ...o.eligibleSides.map((s) => t(`exchange.sides.${s}`)),
      ...o.eligibleNations.map((n) => t(`directory.nations.${n}`)),
      ...o.eligibleSectors.map((a) => t(`directory.areas.${a}`)),
    ].join(', '),
  };
}

const DATE_FIELDS = ['startsOn', 'endsOn', 'closesOn'] as const;
const PROFILE_DATES = ['availableFrom', 'availableTo'] as const;

/** Values for re-showing a date input: `{ day, month, year }` from an ISO date or the posted parts. */
function dateParts(values: Body, names: readonly string[]) {
  const out: Record<string, { day: string; month: string; year: string }> = {};
  for (const name of names) {
    const iso = typeof values[name] === 'string' ? (values[name] as string) : '';
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    out[name] = m
      ? { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1]! }
      : {
          day: String(values[`${name}-day`] ?? ''),
          month: String(values[`${name}-month`] ?? ''),
          year: String(values[`${name}-year`] ?? ''),
        };
  }
  return out;
}

export function registerExchangeRoutes(app: FastifyInstance, deps: Deps) {
  const exchange = deps.exchange;
  const view = (reply: FastifyReply, template: string, data: Body) =>
    reply.view(`${V}${template}`, { p, ...data });

  app.get<{ Querystring: Params }>(p.index.pattern, async (request, reply) => {
    const filters = ListQuery.parse(request.query ?? {});
    const rows = await exchange.listOpen(filters);
    const user = request.currentUser;
    return view(reply, 'index.njk', {
      filters,
      opportunities: rows.map((o) => present(request.t, o, exchange.today())),
      vocab: vocab(request.t),
      canPost: canPost(user),
      canReview: canSeeReview(user),
    });
  });

  // Posting and changing an opportunity.

  const formPage = (request: FastifyRequest, reply: FastifyReply, data: Body) =>
    view(reply, 'form.njk', {
      vocab: vocab(request.t),
      organisations: hostOrganisations(request.currentUser),
      dates: dateParts((data.values as Body) ?? {}, DATE_FIELDS),
      ...data,
    });

  app.get(p.create.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    if (!canPost(request.currentUser)) throw new ForbiddenError('No host role');
    return formPage(request, reply, {
      values: {
        durationUnit: 'days',
        clearance: 'none',
        workMode: 'in_person',
        organisationId: hostOrganisations(request.currentUser)[0]?.organisationId,
      },
    });
  });

  app.post(p.create.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    if (!canPost(request.currentUser)) throw new ForbiddenError('No host role');
    const body = joinDateFields((request.body ?? {}) as Body, DATE_FIELDS);
    const parsed = parseForm(OpportunityForm, body, request.t);
    if (!parsed.success)
      return formPage(request, reply.code(422), { errors: parsed.errors, values: parsed.values });
    if (!hostOrganisations(request.currentUser).some((m) => m.organisationId === parsed.data.organisationId))
      return formPage(request, reply.code(422), {
        errors: govukError('organisationId', request.t('exchange.errors.organisationNotYours')),
        values: body,
      });
    if (parsed.data.closesOn < exchange.today())
      return formPage(request, reply.code(422), {
        errors: govukError('closesOn', request.t('exchange.errors.closesInPast')),
        values: body,
      });
    const row = await exchange.createOpportunity(userOf(request), actorOf(request), parsed.data);
    reply.flash(request.t('exchange.form.created'));
    return reply.redirect(p.show({ id: row.id }), 303);
  });

  app.get<{ Params: Params }>(p.edit.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const o = await exchange.opportunity(request.params.id!);
    if (!canManage(request.currentUser, o.organisationId)) throw new ForbiddenError('Not the host');
    return formPage(request, reply, { opportunity: o, values: { ...o, tags: o.tags.join(', ') } });
  });

  app.post<{ Params: Params }>(p.edit.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const o = await exchange.opportunity(request.params.id!);
    if (!canManage(request.currentUser, o.organisationId)) throw new ForbiddenError('Not the host');
    const body = {
      ...joinDateFields((request.body ?? {}) as Body, DATE_FIELDS),
      organisationId: o.organisationId,
    };
    const parsed = parseForm(OpportunityForm, body, request.t);
    if (!parsed.success)
      return formPage(request, reply.code(422), {
        opportunity: o,
        errors: parsed.errors,
        values: parsed.values,
      });
    await exchange.updateOpportunity(userOf(request), actorOf(request), o.id, parsed.data);
    reply.flash(request.t('exchange.form.updated'));
    return reply.redirect(p.show({ id: o.id }), 303);
  });

  // One opportunity: details, the reader's match, and the form to apply.

  const showPage = async (request: FastifyRequest, reply: FastifyReply, id: string, extra: Body = {}) => {
    const o = await exchange.opportunity(id);
    const user = request.currentUser;
    const today = exchange.today();
    let matchView = null;
    let existing = null;
    let hasProfile = false;
    if (user) {
      const result = await exchange.matchFor(user.id, o);
      hasProfile = result !== null;
      if (result) matchView = presentMatch(request.t, result);
      existing = (await exchange.repo.findApplicationFor(o.id, user.id)) ?? null;
    }
    return view(reply, 'show.njk', {
      o: present(request.t, o, today),
      match: matchView,
      hasProfile,
      existing: existing && existing.state !== 'withdrawn' ? existing : null,
      canManage: canManage(user, o.organisationId),
      taking: displayStatus(o, today) === 'open',
      values: {},
      ...extra,
    });
  };

  app.get<{ Params: Params }>(p.show.pattern, (request, reply) =>
    showPage(request, reply, request.params.id!),
  );

  app.post<{ Params: Params }>(p.apply.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const id = request.params.id!;
    const parsed = parseForm(ApplyForm, request.body, request.t);
    if (!parsed.success)
      return showPage(request, reply.code(422), id, { errors: parsed.errors, values: parsed.values });
    try {
      await exchange.apply(userOf(request), actorOf(request), id, parsed.data);
    } catch (error) {
      if (!(error instanceof ExchangeRefusal)) throw error;
      return showPage(request, reply.code(422), id, {
        errors: govukError('kind', await refusalText(request, error, id)),
        values: parsed.data,
      });
    }
    reply.flash(request.t('exchange.mine.applied'));
    return reply.redirect(p.mine(), 303);
  });

  /** The refusal in words; for "not eligible", each failed rule. */
  async function refusalText(request: FastifyRequest, error: ExchangeRefusal, opportunityId: string) {
    const t = request.t;
    if (error.reason !== 'ineligible') return t(`exchange.refusals.${error.reason}`, error.params);
    const o = await exchange.opportunity(opportunityId);
    const profile = (await exchange.profile(userOf(request).id)) as ProfileRow;
    const reasons = eligibility(o, profile).map((r) => reasonText(t, r));
    return t('exchange.refusals.ineligible', { reasons: reasons.join('; ') });
  }

  // The host's page: applications, decisions, suggested people, status.

  const managePage = async (request: FastifyRequest, reply: FastifyReply, id: string, extra: Body = {}) => {
    const user = userOf(request);
    const { opportunity, applications, reflections } = await exchange.applicationsFor(user, id);
    const people = await exchange.suggestionsForOpportunity(user, id);
    return view(reply, 'manage.njk', {
      o: present(request.t, opportunity, exchange.today()),
      applications: applications.map((a) => ({
        ...a,
        reflections: reflections.filter((r) => r.applicationId === a.application.id),
      })),
      people: people.slice(0, 20).map((r) => ({
        userId: r.item.profile.userId,
        name: r.item.displayName,
        headline: r.item.profile.headline,
        match: presentMatch(request.t, r.result),
      })),
      ...extra,
    });
  };

  app.get<{ Params: Params }>(p.manage.pattern, { preHandler: requireSignIn }, (request, reply) =>
    managePage(request, reply, request.params.id!),
  );

  app.post<{ Params: Params }>(p.status.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const parsed = parseHidden(StatusForm, request.body);
    await exchange.setStatus(userOf(request), actorOf(request), request.params.id!, parsed.status);
    reply.flash(
      request.t('exchange.manage.statusChanged', { status: request.t(`exchange.statuses.${parsed.status}`) }),
    );
    return reply.redirect(p.manage({ id: request.params.id! }), 303);
  });

  app.post<{ Params: Params }>(p.invite.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const parsed = parseHidden(InviteForm, request.body);
    const person = await exchange.invite(
      userOf(request),
      actorOf(request),
      request.params.id!,
      parsed.userId,
    );
    reply.flash(request.t('exchange.manage.invited', { name: person.displayName }));
    return reply.redirect(p.manage({ id: request.params.id! }), 303);
  });

  app.post<{ Params: Params }>(p.decide.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const parsed = parseHidden(DecideForm, request.body);
    const application = await exchange.repo.findApplication(request.params.applicationId!);
    try {
      const o = await exchange.decide(
        userOf(request),
        actorOf(request),
        request.params.applicationId!,
        parsed.decision,
      );
      reply.flash(
        request.t('exchange.manage.decided', {
          state: request.t(`exchange.states.${parsed.decision}`).toLowerCase(),
        }),
      );
      return reply.redirect(p.manage({ id: o.id }), 303);
    } catch (error) {
      if (!(error instanceof ExchangeRefusal) || !application) throw error;
      return managePage(request, reply.code(422), application.opportunityId, {
        errors: govukError(
          'applications',
          request.t(`exchange.refusals.${error.reason}`, {
            state: request.t(`exchange.states.${error.params.state ?? 'submitted'}`).toLowerCase(),
          }),
        ),
      });
    }
  });

  // The person's side: profile, suggestions, applications, withdrawing.

  const profilePage = (request: FastifyRequest, reply: FastifyReply, data: Body) =>
    view(reply, 'profile.njk', {
      vocab: vocab(request.t),
      memberships: userOf(request).memberships.filter(
        (m, i, all) => all.findIndex((x) => x.organisationId === m.organisationId) === i,
      ),
      dates: dateParts((data.values as Body) ?? {}, PROFILE_DATES),
      ...data,
    });

  app.get(p.profile.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const user = userOf(request);
    const profile = await exchange.profile(user.id);
    const first = user.memberships[0];
    const guessedSide =
      first?.organisationKind === 'public_body' ? 'public_sector' : first ? 'civil_society' : undefined;
    const values: Body = profile
      ? {
          ...profile,
          tags: profile.tags.join(', '),
          remoteOnly: profile.remoteOnly ? 'yes' : '',
          discoverable: profile.discoverable ? 'yes' : '',
        }
      : { side: guessedSide, clearance: 'none', organisationId: first?.organisationId };
    return profilePage(request, reply, { values, exists: Boolean(profile) });
  });

  app.post(p.profile.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const body = joinDateFields((request.body ?? {}) as Body, PROFILE_DATES);
    const parsed = parseForm(ProfileForm, body, request.t);
    if (!parsed.success)
      return profilePage(request, reply.code(422), { errors: parsed.errors, values: parsed.values });
    await exchange.saveProfile(userOf(request), actorOf(request), parsed.data);
    reply.flash(request.t('exchange.profile.saved'));
    return reply.redirect(p.suggestions(), 303);
  });

  app.get(p.suggestions.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const ranked = await exchange.suggestionsForPerson(userOf(request));
    const today = exchange.today();
    return view(reply, 'suggestions.njk', {
      hasProfile: ranked !== null,
      suggestions: (ranked ?? []).map((r) => ({
        o: present(request.t, r.item, today),
        match: presentMatch(request.t, r.result),
      })),
    });
  });

  app.get(p.mine.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const user = userOf(request);
    const { rows, reflections } = await exchange.myApplications(user.id);
    const today = exchange.today();
    const hosted = await exchange.hosted(hostOrganisations(user).map((m) => m.organisationId));
    return view(reply, 'mine.njk', {
      rows: rows.map((r) => ({
        ...r,
        o: present(request.t, r.opportunity, today),
        reflected: reflections.some((x) => x.applicationId === r.application.id && x.party === 'participant'),
      })),
      hosted: hosted.map((o) => present(request.t, o, today)),
      canPost: canPost(user),
    });
  });

  app.post<{ Params: Params }>(p.withdraw.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    try {
      await exchange.withdraw(userOf(request), actorOf(request), request.params.applicationId!);
      reply.flash(request.t('exchange.mine.withdrawn'));
    } catch (error) {
      if (!(error instanceof ExchangeRefusal)) throw error;
      reply.flash(
        request.t('exchange.refusals.transition', {
          state: request.t(`exchange.states.${error.params.state}`).toLowerCase(),
        }),
      );
    }
    return reply.redirect(p.mine(), 303);
  });

  // What feeds the annual review: accepted exchanges, both sides' outcomes and their reflections, no names.

  app.get<{ Querystring: Params }>(
    p.review.pattern,
    { preHandler: requireSignIn },
    async (request, reply) => {
      const thisYear = Number(exchange.today().slice(0, 4));
      const { year } = reviewQuery(thisYear).parse(request.query ?? {});
      const figures = await exchange.reviewFor(userOf(request), year);
      return view(reply, 'review.njk', {
        figures,
        years: Array.from({ length: 5 }, (_, i) => thisYear - i),
        vocab: vocab(request.t),
      });
    },
  );

  // Recording the outcome and a reflection (either side).

  const reflectionPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: Body = {},
  ) => {
    const context = await exchange.reflectionContext(userOf(request), id);
    return view(reply, 'reflection.njk', {
      ...context,
      o: present(request.t, context.opportunity, exchange.today()),
      vocab: vocab(request.t),
      values: {},
      ...extra,
    });
  };

  app.get<{ Params: Params }>(p.reflection.pattern, { preHandler: requireSignIn }, (request, reply) =>
    reflectionPage(request, reply, request.params.applicationId!),
  );

  app.post<{ Params: Params }>(
    p.reflection.pattern,
    { preHandler: requireSignIn },
    async (request, reply) => {
      const id = request.params.applicationId!;
      const parsed = parseForm(ReflectionForm, request.body, request.t);
      if (!parsed.success)
        return reflectionPage(request, reply.code(422), id, { errors: parsed.errors, values: parsed.values });
      try {
        const { opportunity, party } = await exchange.recordReflection(
          userOf(request),
          actorOf(request),
          id,
          parsed.data,
        );
        reply.flash(request.t('exchange.reflection.saved'));
        return reply.redirect(party === 'host' ? p.manage({ id: opportunity.id }) : p.mine(), 303);
      } catch (error) {
        if (!(error instanceof ExchangeRefusal)) throw error;
        return reflectionPage(request, reply.code(422), id, {
          errors: govukError('outcome', request.t(`exchange.refusals.${error.reason}`)),
          values: parsed.data,
        });
      }
    },
  );
}
