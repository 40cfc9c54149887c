/**
 * The pledge bank's administration pages, and the list of signatures whose yearly review is overdue: the list (with how many signatures chose each pledge), adding and
 * editing a pledge, and withdrawing one from the bank or offering it again. Signatures keep the words they
 * chose, so an edit or a withdrawal changes only what new signatories and reviews are offered. Overdue reviews
 * with nobody to email are flagged so the Covenant team can reach the organisation another way.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { actorOf } from '../../platform/http/context.ts';
import { requireRole } from '../../platform/http/guards.ts';
import { parseForm } from '../../platform/views/form-errors.ts';
import { directoryPaths } from '../directory/directory.paths.ts';
import { covenantPaths } from './covenant.paths.ts';
import { orRuleError, view } from './covenant.routes.ts';
import { PledgeForm, PledgeWithdrawForm } from './covenant.schema.ts';
import { commitmentSides } from './covenant.tables.ts';

const V = 'modules/covenant/views/admin/';
type Params = { id?: string };
type Body = Record<string, unknown>;

export function registerPledgeBankRoutes(app: FastifyInstance, deps: Deps) {
  const covenant = deps.covenant;
  const admin = requireRole('admin');

  // Signatures whose yearly review of their pledges is overdue, flagging those nobody can be emailed about.
  app.get(covenantPaths.adminReviews.pattern, { preHandler: admin }, async (request, reply) =>
    view(reply, `${V}reviews.njk`, {
      signatures: await covenant.overdueReviews(request.currentUser),
      d: directoryPaths,
    }),
  );

  app.get(covenantPaths.adminPledges.pattern, { preHandler: admin }, async (request, reply) =>
    view(reply, `${V}pledges.njk`, { pledges: await covenant.pledgeBank(request.currentUser) }),
  );

  /** The add or edit form: `id` absent for a new pledge. */
  async function formPage(request: FastifyRequest, reply: FastifyReply, id?: string, extra: Body = {}) {
    const pledge = id ? await covenant.pledge(request.currentUser, id) : null;
    return view(reply, `${V}pledge.njk`, {
      pledge,
      sides: commitmentSides,
      values: pledge ?? {},
      action: id ? covenantPaths.adminPledge({ id }) : covenantPaths.adminPledgeNew(),
      ...extra,
    });
  }

  async function save(request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) {
    const id = request.params.id;
    const parsed = parseForm(PledgeForm, request.body, request.t, ['code', 'commitmentCode']);
    if (!parsed.success) return formPage(request, reply.code(422), id, parsed);
    const result = await orRuleError(
      request,
      reply,
      () => covenant.savePledge(request.currentUser, actorOf(request), parsed.data, id),
      (errors) => formPage(request, reply, id, { errors, values: request.body as Body }),
    );
    if (!result.ok) return result.sent;
    reply.flash(
      request.t(id ? 'covenant.admin.pledgeSaved' : 'covenant.admin.pledgeAdded', { code: parsed.data.code }),
    );
    return reply.redirect(covenantPaths.adminPledges(), 303);
  }

  app.get(covenantPaths.adminPledgeNew.pattern, { preHandler: admin }, (request, reply) =>
    formPage(request, reply),
  );
  app.post<{ Params: Params }>(covenantPaths.adminPledgeNew.pattern, { preHandler: admin }, save);
  app.get<{ Params: Params }>(covenantPaths.adminPledge.pattern, { preHandler: admin }, (request, reply) =>
    formPage(request, reply, request.params.id),
  );
  app.post<{ Params: Params }>(covenantPaths.adminPledge.pattern, { preHandler: admin }, save);

  app.post<{ Params: Params }>(
    covenantPaths.adminPledgeWithdraw.pattern,
    { preHandler: admin },
    async (request, reply) => {
      const parsed = PledgeWithdrawForm.safeParse(request.body);
      if (!parsed.success) return reply.redirect(covenantPaths.adminPledge({ id: request.params.id! }), 303);
      const withdrawn = parsed.data.withdrawn === 'yes';
      const pledge = await covenant.setPledgeWithdrawn(
        request.currentUser,
        actorOf(request),
        request.params.id!,
        withdrawn,
      );
      reply.flash(
        request.t(withdrawn ? 'covenant.admin.pledgeWithdrawn' : 'covenant.admin.pledgeRestored', {
          code: pledge.code,
        }),
      );
      return reply.redirect(covenantPaths.adminPledges(), 303);
    },
  );
}
