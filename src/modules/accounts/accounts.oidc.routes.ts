/**
 * OpenID Connect sign-in routes, registered only when configured. The start step keeps state, nonce and the
 * PKCE verifier in a signed, HttpOnly cookie that lives 10 minutes and is cleared by the callback.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { actorOf } from '../../platform/http/context.ts';
import { accountPaths } from './accounts.paths.ts';
import type { OidcFlowState } from './accounts.oidc.ts';
import type { RouteHelpers } from './accounts.routes.ts';
import { returnToOf } from './accounts.routes.ts';

export const OIDC_COOKIE = 'covenant_oidc';

function readFlow(request: FastifyRequest): OidcFlowState | null {
  const raw = request.cookies[OIDC_COOKIE];
  const unsigned = raw ? request.unsignCookie(raw) : null;
  if (!unsigned?.valid || !unsigned.value) return null;
  try {
    const flow = JSON.parse(unsigned.value) as Partial<OidcFlowState>;
    if (!flow.state || !flow.nonce || !flow.verifier) return null;
    return { state: flow.state, nonce: flow.nonce, verifier: flow.verifier, returnTo: flow.returnTo ?? '/' };
  } catch {
    return null;
  }
}

export function registerOidcRoutes(
  app: FastifyInstance,
  deps: Deps,
  helpers: Pick<RouteHelpers, 'render' | 'afterFirstFactor'>,
) {
  const { config, oidc, accounts } = deps;
  if (!oidc.enabled) return;
  const { render, afterFirstFactor } = helpers;
  const failed = (reply: FastifyReply, messageKey = 'accounts.oidc.failedBody') =>
    render(reply, 'oidc-failed', { messageKey, provider: oidc.name }, 400);

  app.get(accountPaths.oidcStart.pattern, async (request, reply) => {
    const { url, flow } = await oidc.start(returnToOf(request));
    reply.setCookie(OIDC_COOKIE, JSON.stringify(flow), {
      signed: true,
      httpOnly: true,
      // Lax: the provider sends the person back with a top-level GET, which carries Lax cookies.
      sameSite: 'lax',
      secure: config.COOKIE_SECURE,
      path: accountPaths.oidcStart(),
      maxAge: 600,
    });
    return reply.redirect(url, 303);
  });

  app.get(accountPaths.oidcCallback.pattern, async (request, reply) => {
    const flow = readFlow(request);
    reply.clearCookie(OIDC_COOKIE, { path: accountPaths.oidcStart() });
    if (!flow) return failed(reply);
    let identity;
    try {
      identity = await oidc.finish(new URL(request.url, config.BASE_URL), flow);
    } catch (error) {
      request.log.warn(
        { err: { name: (error as Error).name, code: (error as { code?: string }).code } },
        'oidc callback refused',
      );
      return failed(reply);
    }
    const result = await accounts.signInWithExternalIdentity(
      actorOf(request),
      identity,
      request.headers['user-agent'],
    );
    if (result.kind === 'emailNotVerified') return failed(reply, 'accounts.oidc.emailNotVerified');
    if (result.kind === 'disabled') return failed(reply, 'accounts.errors.disabled');
    if (result.kind !== 'signedIn') return failed(reply);
    return afterFirstFactor(request, reply, result, flow.returnTo);
  });
}
