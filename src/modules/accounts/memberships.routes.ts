/**
 * Organisation membership pages: your organisations, an organisation's members with the invitation form,
 * and the invitation link a person follows to join. HTTP only; the rules are in memberships.service.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { actorOf, userOf } from '../../platform/http/context.ts';
import { requireSignIn } from '../../platform/http/guards.ts';
import { govukError, parseForm, type GovukErrors } from '../../platform/views/form-errors.ts';
import { accountPaths } from './accounts.paths.ts';
import { InviteForm } from './accounts.schema.ts';

const view = (name: string) => `modules/accounts/views/${name}.njk`;
type Params = Record<string, string>;

export function registerMembershipsRoutes(app: FastifyInstance, deps: Deps) {
  const { memberships, config } = deps;
  const formLimit = { rateLimit: { max: config.RATE_LIMIT_FORMS_PER_MINUTE, timeWindow: '1 minute' } };

  const membersPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { values?: Record<string, unknown>; errors?: GovukErrors } = {},
    status = 200,
  ) => {
    const { orgId = '' } = request.params as Params;
    const page = await memberships.membersPage(userOf(request), orgId);
    return reply.code(status).view(view('members'), { ...page, ...extra });
  };

  app.get(accountPaths.yourOrganisations.pattern, { preHandler: requireSignIn }, async (request, reply) =>
    reply.view(view('your-organisations'), {
      organisations: await memberships.yourOrganisations(userOf(request)),
    }),
  );

  app.get(accountPaths.members.pattern, { preHandler: requireSignIn }, async (request, reply) =>
    membersPage(request, reply),
  );

  app.post(
    accountPaths.invite.pattern,
    { preHandler: requireSignIn, config: formLimit },
    async (request, reply) => {
      const { orgId = '' } = request.params as Params;
      const form = parseForm(InviteForm, request.body, request.t);
      if (!form.success) return membersPage(request, reply, form, 422);
      const sent = await memberships.invite(actorOf(request), userOf(request), orgId, form.data);
      if (!sent) {
        const errors = govukError('role', request.t('accounts.errors.roleNotOffered'));
        return membersPage(request, reply, { values: form.data, errors }, 422);
      }
      reply.flash(request.t('accounts.members.invited', { email: form.data.email }));
      return reply.redirect(accountPaths.members({ orgId }), 303);
    },
  );

  app.post(accountPaths.revokeInvitation.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const { orgId = '', invitationId = '' } = request.params as Params;
    await memberships.revokeInvitation(actorOf(request), userOf(request), orgId, invitationId);
    reply.flash(request.t('accounts.members.revoked'));
    return reply.redirect(accountPaths.members({ orgId }), 303);
  });

  app.post(accountPaths.removeMember.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const { orgId = '', membershipId = '' } = request.params as Params;
    await memberships.removeMember(actorOf(request), userOf(request), orgId, membershipId);
    reply.flash(request.t('accounts.members.removed'));
    return reply.redirect(accountPaths.members({ orgId }), 303);
  });

  app.get(accountPaths.invitation.pattern, async (request, reply) => {
    const { token = '' } = request.params as Params;
    // Someone part-way through signing in finishes their second factor first, then comes back here.
    if (request.session.kind === 'pending') return requireSignIn.call(app, request, reply);
    const found = await memberships.findInvitation(token);
    if (found.kind === 'invalid') return reply.code(400).view(view('invitation-invalid'));
    const user = request.currentUser;
    const wrongAccount = user !== null && user.email.toLowerCase() !== found.invitation.email.toLowerCase();
    const here = accountPaths.invitation({ token });
    return reply.view(view('invitation'), { ...found, here, wrongAccount });
  });

  app.post(
    accountPaths.invitation.pattern,
    { preHandler: requireSignIn, config: formLimit },
    async (request, reply) => {
      const { token = '' } = request.params as Params;
      const found = await memberships.findInvitation(token);
      const result = await memberships.acceptInvitation(actorOf(request), userOf(request), token);
      if (result === 'invalid' || found.kind === 'invalid')
        return reply.code(400).view(view('invitation-invalid'));
      if (result === 'wrongAccount') return reply.redirect(accountPaths.invitation({ token }), 303);
      reply.flash(request.t('accounts.invitation.accepted', { organisation: found.organisation.name }));
      return reply.redirect(accountPaths.yourOrganisations(), 303);
    },
  );
}
