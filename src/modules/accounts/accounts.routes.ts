/**
 * Accounts pages: register, confirm email, sign in (password, second factor, OpenID Connect), sign out,
 * the account page, password change and reset, two-factor set-up and recovery codes. HTTP only: parse the
 * form, call the service, render or redirect.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { actorOf, SESSION_COOKIE, userOf } from '../../platform/http/context.ts';
import { requireSignIn } from '../../platform/http/guards.ts';
import { safeReturnPath } from '../../platform/http/paths.ts';
import { govukError, parseForm, type GovukErrors } from '../../platform/views/form-errors.ts';
import { accountPaths } from './accounts.paths.ts';
import { can, type AccountsAction, type AccountsResource } from './accounts.policy.ts';
import { registerOidcRoutes } from './accounts.oidc.routes.ts';
import {
  ChangePasswordForm,
  ForgotPasswordForm,
  RegisterForm,
  ResetPasswordForm,
  SecondFactorForm,
  SignInForm,
  TotpSetUpForm,
} from './accounts.schema.ts';
import type { SignInResult } from './accounts.service.ts';

const view = (name: string) => `modules/accounts/views/${name}.njk`;

type Query = Record<string, string | undefined>;
type Params = Record<string, string>;

/** Where to go after signing in: a same-site path only (no open redirects). */
export function returnToOf(request: FastifyRequest, body?: { returnTo?: string }): string {
  return safeReturnPath(body?.returnTo ?? (request.query as Query).returnTo, accountPaths.account());
}

/** The session behind this request, complete or waiting for a second factor. */
function anySession(request: FastifyRequest) {
  const s = request.session;
  return s.kind === 'none' ? null : { idHash: s.idHash, userId: s.user.id, user: s.user };
}

export function registerAccountsRoutes(app: FastifyInstance, deps: Deps) {
  const { config, accounts } = deps;
  const signInLimit = {
    rateLimit: { max: config.RATE_LIMIT_SIGN_IN_PER_15_MINUTES, timeWindow: '15 minutes' },
  };
  const formLimit = { rateLimit: { max: config.RATE_LIMIT_FORMS_PER_MINUTE, timeWindow: '1 minute' } };

  /** A session cookie: no max-age, so it ends with the browser; expiry is enforced on the server. */
  const setSession = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.COOKIE_SECURE,
      path: '/',
    });
  const clearSession = (reply: FastifyReply) => reply.clearCookie(SESSION_COOKIE, { path: '/' });

  const render = (reply: FastifyReply, name: string, data: Record<string, unknown> = {}, status = 200) =>
    reply.code(status).view(view(name), data);

  /** After the first factor: a new session, then the second factor if the person needs one. */
  const afterFirstFactor = async (
    request: FastifyRequest,
    reply: FastifyReply,
    result: SignInResult & { kind: 'signedIn' },
    returnTo: string,
  ) => {
    const previous = anySession(request);
    if (previous) await deps.sessions.end(previous.idHash);
    setSession(reply, result.sessionToken);
    if (result.next === 'second_factor') return reply.redirect(accountPaths.secondFactor({ returnTo }), 303);
    if (result.next === 'second_factor_setup')
      return reply.redirect(accountPaths.twoFactorSetUp({ returnTo }), 303);
    return reply.redirect(returnTo, 303);
  };

  const signInError = (request: FastifyRequest, result: SignInResult): GovukErrors => {
    if (result.kind === 'locked')
      return govukError(
        'email',
        result.minutes === 1
          ? request.t('accounts.errors.lockedOneMinute')
          : request.t('accounts.errors.locked', { minutes: result.minutes }),
      );
    if (result.kind === 'disabled') return govukError('email', request.t('accounts.errors.disabled'));
    return govukError('email', request.t('accounts.errors.signInInvalid'));
  };

  // Paths and the policy for every template (the layout's unverified-email banner uses them too).
  app.addHook('onRequest', (request, reply, done) => {
    if (reply.locals) {
      reply.locals.accountPaths = accountPaths;
      reply.locals.canAccounts = (action: AccountsAction, resource?: AccountsResource) =>
        can(request.currentUser, action, resource);
    }
    done();
  });

  app.get(accountPaths.register.pattern, async (request, reply) =>
    render(reply, 'register', { values: { returnTo: (request.query as Query).returnTo } }),
  );

  app.post(accountPaths.register.pattern, { config: formLimit }, async (request, reply) => {
    const form = parseForm(RegisterForm, request.body, request.t);
    if (!form.success) return render(reply, 'register', form, 422);
    const returnTo = form.data.returnTo ? safeReturnPath(form.data.returnTo, '') || undefined : undefined;
    await accounts.register(actorOf(request), { ...form.data, returnTo });
    return reply.redirect(accountPaths.checkEmail(), 303);
  });

  app.get(accountPaths.checkEmail.pattern, async (_request, reply) => render(reply, 'check-email'));

  app.get(accountPaths.verifyEmail.pattern, async (request, reply) => {
    const { token } = request.params as Params;
    const result = await accounts.verifyEmail(actorOf(request), token ?? '');
    if (result === 'invalid') return render(reply, 'verify-email', { verified: false }, 400);
    const returnTo = returnToOf(request);
    const next = request.currentUser ? returnTo : accountPaths.signIn({ returnTo });
    return render(reply, 'verify-email', { verified: true, next });
  });

  app.get(accountPaths.resendVerification.pattern, { preHandler: requireSignIn }, async (request, reply) =>
    render(reply, 'resend-verification', { user: userOf(request) }),
  );

  app.post(
    accountPaths.resendVerification.pattern,
    { preHandler: requireSignIn, config: formLimit },
    async (request, reply) => {
      await accounts.resendVerification(actorOf(request), userOf(request));
      reply.flash(request.t('accounts.resendVerification.sent'));
      return reply.redirect(accountPaths.account(), 303);
    },
  );

  app.get(accountPaths.signIn.pattern, async (request, reply) => {
    if (request.currentUser) return reply.redirect(returnToOf(request), 303);
    const values = { returnTo: (request.query as Query).returnTo };
    return render(reply, 'sign-in', { values, oidc: deps.oidc.enabled ? deps.oidc.name : null });
  });

  app.post(accountPaths.signIn.pattern, { config: signInLimit }, async (request, reply) => {
    const oidc = deps.oidc.enabled ? deps.oidc.name : null;
    const form = parseForm(SignInForm, request.body, request.t);
    if (!form.success) return render(reply, 'sign-in', { ...form, oidc }, 422);
    const result = await accounts.signIn(actorOf(request), form.data, request.headers['user-agent']);
    if (result.kind !== 'signedIn') {
      const values = { email: form.data.email, returnTo: form.data.returnTo };
      return render(reply, 'sign-in', { values, errors: signInError(request, result), oidc }, 422);
    }
    return afterFirstFactor(request, reply, result, returnToOf(request, form.data));
  });

  app.get(accountPaths.secondFactor.pattern, async (request, reply) => {
    const s = request.session;
    if (s.kind === 'complete') return reply.redirect(returnToOf(request), 303);
    if (s.kind !== 'pending') return reply.redirect(accountPaths.signIn(), 303);
    if (s.needs === 'second_factor_setup')
      return reply.redirect(accountPaths.twoFactorSetUp({ returnTo: returnToOf(request) }), 303);
    return render(reply, 'second-factor', { values: { returnTo: (request.query as Query).returnTo } });
  });

  app.post(accountPaths.secondFactor.pattern, { config: signInLimit }, async (request, reply) => {
    const s = request.session;
    if (s.kind !== 'pending' || s.needs !== 'second_factor')
      return reply.redirect(accountPaths.signIn(), 303);
    const form = parseForm(SecondFactorForm, request.body, request.t);
    if (!form.success) return render(reply, 'second-factor', form, 422);
    const session = { idHash: s.idHash, userId: s.user.id };
    const result = await accounts.passSecondFactor(
      actorOf(request),
      session,
      form.data.code,
      request.headers['user-agent'],
    );
    const values = { returnTo: form.data.returnTo };
    if (result.kind === 'locked')
      return render(reply, 'second-factor', { values, errors: signInError(request, result) }, 422);
    if (result.kind === 'invalid')
      return render(
        reply,
        'second-factor',
        { values, errors: govukError('code', request.t('accounts.errors.codeInvalid')) },
        422,
      );
    setSession(reply, result.sessionToken);
    if (result.usedRecoveryCode) {
      const { recoveryCodesLeft } = await accounts.accountSummary({ ...s.user, totpEnabled: true });
      reply.flash(request.t('accounts.secondFactor.usedRecoveryCode', { count: recoveryCodesLeft }));
    }
    return reply.redirect(returnToOf(request, form.data), 303);
  });

  app.get(accountPaths.signOut.pattern, async (request, reply) => {
    if (!anySession(request)) return reply.redirect(accountPaths.signIn(), 303);
    return render(reply, 'sign-out');
  });

  app.post(accountPaths.signOut.pattern, async (request, reply) => {
    const session = anySession(request);
    if (session) await accounts.signOut(actorOf(request), session.idHash, session.userId);
    clearSession(reply);
    reply.flash(request.t('accounts.signOut.signedOut'));
    return reply.redirect(accountPaths.signIn(), 303);
  });

  app.get(accountPaths.account.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const user = userOf(request);
    return render(reply, 'account', { user, summary: await accounts.accountSummary(user) });
  });

  app.get(accountPaths.changePassword.pattern, { preHandler: requireSignIn }, async (_request, reply) =>
    render(reply, 'change-password'),
  );

  app.post(
    accountPaths.changePassword.pattern,
    { preHandler: requireSignIn, config: signInLimit },
    async (request, reply) => {
      const user = userOf(request);
      const form = parseForm(
        ChangePasswordForm,
        { ...(request.body as object), email: user.email },
        request.t,
      );
      if (!form.success) return render(reply, 'change-password', form, 422);
      const { currentPassword, password } = form.data;
      const idHash = anySession(request)!.idHash;
      const result = await accounts.changePassword(actorOf(request), user, idHash, currentPassword, password);
      if (result === 'wrongCurrent') {
        const errors = govukError('currentPassword', request.t('accounts.errors.currentPasswordWrong'));
        return render(reply, 'change-password', { errors }, 422);
      }
      reply.flash(request.t('accounts.changePassword.changed'));
      return reply.redirect(accountPaths.account(), 303);
    },
  );

  app.get(accountPaths.signOutEverywhere.pattern, { preHandler: requireSignIn }, async (_request, reply) =>
    render(reply, 'sign-out-everywhere'),
  );

  app.post(accountPaths.signOutEverywhere.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    await accounts.signOutEverywhere(actorOf(request), userOf(request).id);
    clearSession(reply);
    reply.flash(request.t('accounts.signOutEverywhere.done'));
    return reply.redirect(accountPaths.signIn(), 303);
  });

  app.get(accountPaths.twoFactorSetUp.pattern, async (request, reply) => {
    const session = anySession(request);
    if (!session) return reply.redirect(accountPaths.signIn({ returnTo: request.url }), 303);
    if (request.session.kind === 'pending' && request.session.needs === 'second_factor')
      return reply.redirect(accountPaths.secondFactor(), 303);
    const setUp = await accounts.beginTotpSetUp(session.userId);
    if (!setUp) return reply.redirect(accountPaths.account(), 303);
    const values = { returnTo: (request.query as Query).returnTo };
    return render(reply, 'two-factor-set-up', {
      ...setUp,
      values,
      required: request.session.kind === 'pending',
    });
  });

  app.post(accountPaths.twoFactorSetUp.pattern, { config: signInLimit }, async (request, reply) => {
    const session = anySession(request);
    if (!session) return reply.redirect(accountPaths.signIn(), 303);
    const form = parseForm(TotpSetUpForm, request.body, request.t);
    const done = form.success
      ? await accounts.confirmTotpSetUp(
          actorOf(request),
          session,
          form.data.code,
          request.headers['user-agent'],
        )
      : null;
    if (!done) {
      const setUp = await accounts.beginTotpSetUp(session.userId);
      if (!setUp) return reply.redirect(accountPaths.account(), 303);
      const errors = form.success ? govukError('code', request.t('accounts.errors.codeWrong')) : form.errors;
      const required = request.session.kind === 'pending';
      return render(
        reply,
        'two-factor-set-up',
        { ...setUp, errors, required, values: { returnTo: returnToOf(request, request.body as Query) } },
        422,
      );
    }
    setSession(reply, done.sessionToken);
    return render(reply, 'recovery-codes', {
      codes: done.recoveryCodes,
      next: returnToOf(request, request.body as Query),
    });
  });

  app.get(accountPaths.recoveryCodes.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const user = userOf(request);
    if (!user.totpEnabled) return reply.redirect(accountPaths.twoFactorSetUp(), 303);
    return render(reply, 'recovery-codes-regenerate', { summary: await accounts.accountSummary(user) });
  });

  app.post(accountPaths.recoveryCodes.pattern, { preHandler: requireSignIn }, async (request, reply) => {
    const codes = await accounts.regenerateRecoveryCodes(actorOf(request), userOf(request));
    if (!codes) return reply.redirect(accountPaths.twoFactorSetUp(), 303);
    return render(reply, 'recovery-codes', { codes, next: accountPaths.account() });
  });

  app.get(accountPaths.forgotPassword.pattern, async (_request, reply) => render(reply, 'forgot-password'));

  app.post(accountPaths.forgotPassword.pattern, { config: signInLimit }, async (request, reply) => {
    const form = parseForm(ForgotPasswordForm, request.body, request.t);
    if (!form.success) return render(reply, 'forgot-password', form, 422);
    await accounts.requestPasswordReset(actorOf(request), form.data.email);
    return reply.redirect(accountPaths.forgotPasswordSent(), 303);
  });

  app.get(accountPaths.forgotPasswordSent.pattern, async (_request, reply) =>
    render(reply, 'forgot-password-sent'),
  );

  app.get(accountPaths.resetPassword.pattern, async (request, reply) => {
    const { token = '' } = request.params as Params;
    if (!(await accounts.isResetTokenLive(token))) return render(reply, 'reset-password-invalid', {}, 400);
    return render(reply, 'reset-password', { action: accountPaths.resetPassword({ token }) });
  });

  app.post(accountPaths.resetPassword.pattern, { config: signInLimit }, async (request, reply) => {
    const { token = '' } = request.params as Params;
    if (!(await accounts.isResetTokenLive(token))) return render(reply, 'reset-password-invalid', {}, 400);
    const form = parseForm(ResetPasswordForm, request.body, request.t);
    const action = accountPaths.resetPassword({ token });
    if (!form.success) return render(reply, 'reset-password', { ...form, action }, 422);
    const result = await accounts.resetPassword(actorOf(request), token, form.data.password);
    if (result === 'invalid') return render(reply, 'reset-password-invalid', {}, 400);
    clearSession(reply);
    reply.flash(request.t('accounts.resetPassword.done'));
    return reply.redirect(accountPaths.signIn(), 303);
  });

  registerOidcRoutes(app, deps, { render, afterFirstFactor });
}

export type RouteHelpers = {
  render: (
    reply: FastifyReply,
    name: string,
    data?: Record<string, unknown>,
    status?: number,
  ) => FastifyReply;
  afterFirstFactor: (
    request: FastifyRequest,
    reply: FastifyReply,
    result: SignInResult & { kind: 'signedIn' },
    returnTo: string,
  ) => Promise<FastifyReply>;
};
