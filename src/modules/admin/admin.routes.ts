/**
 * Admin pages: users (search, paging), one user (roles, disable/enable, unlock, reset two-factor) and
 * organisations (list, add). Only a service admin reaches them: requireRole('admin') at the route, and the
 * service checks the policy again.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { actorOf, userOf } from '../../platform/http/context.ts';
import { requireRole } from '../../platform/http/guards.ts';
import { govukError, parseForm, type GovukErrors } from '../../platform/views/form-errors.ts';
import { rolesForKind } from '../accounts/accounts.policy.ts';
import { roles } from '../accounts/accounts.tables.ts';
import { organisationKinds } from '../directory/directory.tables.ts';
import { adminPaths } from './admin.paths.ts';
import { AddRoleForm, OrganisationForm, UserSearchQuery } from './admin.schema.ts';

const view = (name: string) => `modules/admin/views/${name}.njk`;
type Params = Record<string, string>;

export function registerAdminRoutes(app: FastifyInstance, deps: Deps) {
  const { admin } = deps;
  const onlyAdmin = { preHandler: requireRole('admin') };
  const common = { adminPaths, roles, rolesForKind, organisationKinds };

  const userPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { values?: Record<string, unknown>; errors?: GovukErrors } = {},
    status = 200,
  ) => {
    const { userId = '' } = request.params as Params;
    const detail = await admin.userDetail(userOf(request), userId);
    return reply.code(status).view(view('user'), { ...common, ...detail, ...extra });
  };

  /** A one-button action on a user: run it, say so, go back to the user's page. */
  const userAction =
    (run: (request: FastifyRequest, userId: string) => Promise<unknown>, doneKey: string) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const { userId = '' } = request.params as Params;
      await run(request, userId);
      reply.flash(request.t(doneKey));
      return reply.redirect(adminPaths.user({ userId }), 303);
    };

  const organisationsPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { values?: Record<string, unknown>; errors?: GovukErrors } = {},
    status = 200,
  ) => {
    const organisations = await admin.listOrganisations(userOf(request));
    return reply.code(status).view(view('organisations'), { ...common, organisations, ...extra });
  };

  app.get(adminPaths.users.pattern, onlyAdmin, async (request, reply) => {
    const query = UserSearchQuery.parse(request.query ?? {});
    const result = await admin.searchUsers(userOf(request), query.q, query.page);
    return reply.view(view('users'), { ...common, ...result, q: query.q });
  });

  app.get(adminPaths.user.pattern, onlyAdmin, async (request, reply) => userPage(request, reply));

  app.post(adminPaths.addRole.pattern, onlyAdmin, async (request, reply) => {
    const { userId = '' } = request.params as Params;
    const form = parseForm(AddRoleForm, request.body, request.t);
    if (!form.success) return userPage(request, reply, form, 422);
    if (!(await admin.addRole(actorOf(request), userOf(request), userId, form.data))) {
      const errors = govukError('organisationId', request.t('admin.errors.organisationMissing'));
      return userPage(request, reply, { values: form.data, errors }, 422);
    }
    reply.flash(request.t('admin.user.roleAdded'));
    return reply.redirect(adminPaths.user({ userId }), 303);
  });

  app.post(
    adminPaths.removeRole.pattern,
    onlyAdmin,
    userAction(
      (request, userId) =>
        admin.removeRole(
          actorOf(request),
          userOf(request),
          userId,
          (request.params as Params).membershipId ?? '',
        ),
      'admin.user.roleRemoved',
    ),
  );
  app.post(
    adminPaths.disable.pattern,
    onlyAdmin,
    userAction((r, id) => admin.setDisabled(actorOf(r), userOf(r), id, true), 'admin.user.disabled'),
  );
  app.post(
    adminPaths.enable.pattern,
    onlyAdmin,
    userAction((r, id) => admin.setDisabled(actorOf(r), userOf(r), id, false), 'admin.user.enabled'),
  );
  app.post(
    adminPaths.unlock.pattern,
    onlyAdmin,
    userAction((r, id) => admin.unlock(actorOf(r), userOf(r), id), 'admin.user.unlocked'),
  );
  app.post(
    adminPaths.resetTwoFactor.pattern,
    onlyAdmin,
    userAction((r, id) => admin.resetTwoFactor(actorOf(r), userOf(r), id), 'admin.user.twoFactorReset'),
  );

  app.get(adminPaths.organisations.pattern, onlyAdmin, async (request, reply) =>
    organisationsPage(request, reply),
  );

  app.post(adminPaths.organisations.pattern, onlyAdmin, async (request, reply) => {
    const form = parseForm(OrganisationForm, request.body, request.t);
    if (!form.success) return organisationsPage(request, reply, form, 422);
    const result = await admin.createOrganisation(actorOf(request), userOf(request), form.data);
    if (result === 'slugTaken') {
      const errors = govukError('slug', request.t('admin.errors.slugTaken'));
      return organisationsPage(request, reply, { values: form.data, errors }, 422);
    }
    reply.flash(request.t('admin.organisations.created'));
    return reply.redirect(adminPaths.organisations(), 303);
  });
}
