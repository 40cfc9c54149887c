/**
 * Route guards (preHandlers). Authorisation of a particular record belongs in the module's policy; these only
 * say who may reach a route at all.
 */
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { hasAnyRole, type Role } from '../auth/roles.ts';
import { ForbiddenError } from './errors.ts';

export const signInPath = '/sign-in';
export const secondFactorPath = '/sign-in/two-factor';
export const secondFactorSetupPath = '/account/two-factor/set-up';

function sendToSignIn(request: FastifyRequest, reply: FastifyReply) {
  if (request.url.startsWith('/api/')) {
    return reply.code(401).type('application/problem+json').send({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'Sign in or use an API token.',
    });
  }
  const session = request.session;
  if (session.kind === 'pending') {
    return reply.redirect(session.needs === 'second_factor' ? secondFactorPath : secondFactorSetupPath, 303);
  }
  const returnTo = request.method === 'GET' ? request.url : undefined;
  return reply.redirect(
    returnTo ? `${signInPath}?returnTo=${encodeURIComponent(returnTo)}` : signInPath,
    303,
  );
}

/** The person must be signed in with every factor they need. */
export const requireSignIn: preHandlerAsyncHookHandler = async (request, reply) => {
  if (!request.currentUser) return sendToSignIn(request, reply);
};

/** The person must hold at least one of the roles (in any organisation; policies check which one). */
export function requireRole(...roles: Role[]): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    if (!request.currentUser) return sendToSignIn(request, reply);
    if (!hasAnyRole(request.currentUser, roles))
      throw new ForbiddenError(`Requires one of: ${roles.join(', ')}`);
  };
}
