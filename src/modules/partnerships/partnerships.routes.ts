/**
 * Pages for local covenant partnerships: the list, a partnership's public page (with the local view), the
 * national roll-up and its CSV; for administrators, starting a partnership; for administrators and the
 * partnership's own officers, its management page (details, partners, officers, meetings, actions).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { actorOf, userOf } from '../../platform/http/context.ts';
import { BadRequestError, ForbiddenError } from '../../platform/http/errors.ts';
import { requireSignIn } from '../../platform/http/guards.ts';
import { govukError, parseForm } from '../../platform/views/form-errors.ts';
import { joinDateFields } from '../exchange/exchange.schema.ts';
import { covenantPaths } from '../covenant/covenant.paths.ts';
import { directoryPaths } from '../directory/directory.paths.ts';
import { planPaths } from '../plans/plans.paths.ts';
import { partnershipPaths as p } from './partnerships.paths.ts';
import { canCreatePartnership } from './partnerships.policy.ts';
import { rollUpCsv } from './partnerships.rollup.ts';
import {
  ActionForm,
  ActionStatusForm,
  MeetingForm,
  OfficerForm,
  PartnerForm,
  PartnershipForm,
} from './partnerships.schema.ts';
import { PartnershipRefusal } from './partnerships.service.ts';
import { partnershipActionStatuses } from './partnerships.tables.ts';

const V = 'modules/partnerships/views/';
type Params = Record<string, string>;
type Body = Record<string, unknown>;

export function registerPartnershipsRoutes(app: FastifyInstance, deps: Deps) {
  const partnerships = deps.partnerships;
  const view = (reply: FastifyReply, template: string, data: Body) =>
    reply.view(`${V}${template}`, {
      p,
      cp: covenantPaths,
      dp: directoryPaths,
      pp: planPaths,
      statuses: partnershipActionStatuses,
      ...data,
    });
  /** A refusal from the service, shown against its field; anything else goes to the error handler. */
  const refused = (request: FastifyRequest, error: unknown) => {
    if (!(error instanceof PartnershipRefusal)) throw error;
    return govukError(error.field, request.t(`partnerships.refusals.${error.reason}`));
  };

  app.get(p.index.pattern, async (request, reply) =>
    view(reply, 'index.njk', {
      partnerships: await partnerships.list(),
      canCreate: canCreatePartnership(request.currentUser),
    }),
  );

  app.get(p.national.pattern, async (_request, reply) =>
    view(reply, 'national.njk', await partnerships.national()),
  );

  app.get(p.nationalCsv.pattern, async (_request, reply) => {
    const { rollUp, cases } = await partnerships.national();
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="local-partnerships.csv"')
      .send(rollUpCsv(rollUp, cases));
  });

  // Starting a partnership (administrators) and changing its details (administrators and its officers).

  const formPage = async (reply: FastifyReply, extra: Body) =>
    view(reply, 'form.njk', { ...(await partnerships.formChoices()), ...extra });

  app.get(p.create.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    if (!canCreatePartnership(request.currentUser)) throw new ForbiddenError('Administrators only');
    return formPage(reply, { values: {} });
  });

  app.post(p.create.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    if (!canCreatePartnership(request.currentUser)) throw new ForbiddenError('Administrators only');
    const parsed = parseForm(PartnershipForm, request.body, request.t);
    if (!parsed.success) return formPage(reply.code(422), { errors: parsed.errors, values: parsed.values });
    try {
      const row = await partnerships.create(userOf(request), actorOf(request), parsed.data);
      reply.flash(request.t('partnerships.form.created'));
      return reply.redirect(p.manage({ slug: row.slug }), 303);
    } catch (error) {
      return formPage(reply.code(422), { errors: refused(request, error), values: request.body });
    }
  });

  const editValues = async (request: FastifyRequest, slug: string) => {
    const { partnership } = await partnerships.manage(userOf(request), slug);
    return {
      partnership,
      values: {
        name: partnership.name,
        summary: partnership.summary,
        area: partnership.area.slug,
        subCovenant: partnership.subCovenant?.slug ?? '',
        forumName: partnership.forumName,
        forumUrl: partnership.forumUrl ?? '',
      },
    };
  };

  app.get<{ Params: Params }>(p.edit.pattern, { preHandler: requireSignIn }, async (request, reply) =>
    formPage(reply, await editValues(request, request.params.slug!)),
  );

  app.post<{ Params: Params }>(p.edit.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const slug = request.params.slug!;
    const { partnership } = await editValues(request, slug);
    const parsed = parseForm(PartnershipForm, request.body, request.t);
    if (!parsed.success)
      return formPage(reply.code(422), { partnership, errors: parsed.errors, values: parsed.values });
    try {
      await partnerships.update(userOf(request), actorOf(request), slug, parsed.data);
    } catch (error) {
      return formPage(reply.code(422), {
        partnership,
        errors: refused(request, error),
        values: request.body,
      });
    }
    reply.flash(request.t('partnerships.form.saved'));
    return reply.redirect(p.manage({ slug }), 303);
  });

  // The public page and the management page.

  app.get<{ Params: Params }>(p.show.pattern, async (request, reply) =>
    view(reply, 'show.njk', await partnerships.page(request.currentUser, request.params.slug!)),
  );

  const managePage = async (request: FastifyRequest, reply: FastifyReply, slug: string, extra: Body = {}) =>
    view(reply, 'manage.njk', {
      ...(await partnerships.manage(userOf(request), slug)),
      values: {},
      ...extra,
    });

  app.get<{ Params: Params }>(p.manage.pattern, { preHandler: requireSignIn }, (request, reply) =>
    managePage(request, reply, request.params.slug!),
  );

  /**
   * One management form: parse (422 with the page on bad input), run the service (422 on a refusal), then
   * flash and go back to the management page.
   */
  function manageForm<T>(
    pattern: string,
    schema: Parameters<typeof parseForm>[0],
    dates: string[],
    run: (request: FastifyRequest, slug: string, data: T) => Promise<string>,
  ) {
    app.post<{ Params: Params }>(pattern, { preHandler: requireSignIn }, async (request, reply) => {
      const slug = request.params.slug!;
      const body = joinDateFields((request.body ?? {}) as Body, dates);
      const parsed = parseForm(schema, body, request.t);
      if (!parsed.success)
        return managePage(request, reply.code(422), slug, { errors: parsed.errors, values: parsed.values });
      try {
        reply.flash(await run(request, slug, parsed.data as T));
      } catch (error) {
        return managePage(request, reply.code(422), slug, { errors: refused(request, error), values: body });
      }
      return reply.redirect(p.manage({ slug }), 303);
    });
  }

  manageForm<ReturnType<typeof PartnerForm.parse>>(
    p.addPartner.pattern,
    PartnerForm,
    [],
    async (r, slug, d) => {
      const organisation = await partnerships.addPartner(userOf(r), actorOf(r), slug, d);
      return r.t('partnerships.manage.partnerAdded', { name: organisation.name });
    },
  );
  manageForm<ReturnType<typeof OfficerForm.parse>>(
    p.addOfficer.pattern,
    OfficerForm,
    [],
    async (r, slug, d) => {
      await partnerships.addOfficer(userOf(r), actorOf(r), slug, d);
      return r.t('partnerships.manage.officerAdded');
    },
  );
  manageForm<ReturnType<typeof MeetingForm.parse>>(
    p.addMeeting.pattern,
    MeetingForm,
    ['heldOn'],
    async (r, slug, d) => {
      await partnerships.addMeeting(userOf(r), actorOf(r), slug, d);
      return r.t('partnerships.manage.meetingAdded');
    },
  );
  manageForm<ReturnType<typeof ActionForm.parse>>(
    p.addAction.pattern,
    ActionForm,
    ['dueOn'],
    async (r, slug, d) => {
      await partnerships.addAction(userOf(r), actorOf(r), slug, d);
      return r.t('partnerships.manage.actionAdded');
    },
  );

  app.post<{ Params: Params }>(
    p.actionStatus.pattern,
    { preHandler: requireSignIn },
    async (request, reply) => {
      const { slug, actionId } = request.params as { slug: string; actionId: string };
      const parsed = ActionStatusForm.safeParse(request.body ?? {});
      if (!parsed.success) throw new BadRequestError('Malformed form');
      await partnerships.setActionStatus(
        userOf(request),
        actorOf(request),
        slug,
        actionId,
        parsed.data.status,
      );
      reply.flash(request.t('partnerships.manage.statusSaved'));
      return reply.redirect(p.manage({ slug }), 303);
    },
  );

  app.post<{ Params: Params }>(
    p.removePartner.pattern,
    { preHandler: requireSignIn },
    async (request, reply) => {
      const { slug, partnerId } = request.params as { slug: string; partnerId: string };
      await partnerships.removePartner(userOf(request), actorOf(request), slug, partnerId);
      reply.flash(request.t('partnerships.manage.partnerRemoved'));
      return reply.redirect(p.manage({ slug }), 303);
    },
  );

  app.post<{ Params: Params }>(
    p.removeOfficer.pattern,
    { preHandler: requireSignIn },
    async (request, reply) => {
      const { slug, officerId } = request.params as { slug: string; officerId: string };
      try {
        await partnerships.removeOfficer(userOf(request), actorOf(request), slug, officerId);
      } catch (error) {
        return managePage(request, reply.code(422), slug, { errors: refused(request, error) });
      }
      reply.flash(request.t('partnerships.manage.officerRemoved'));
      return reply.redirect(p.manage({ slug }), 303);
    },
  );
}
