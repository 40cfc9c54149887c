/**
 * createApp(deps): the web application, identical in production and tests. Platform plugins (security
 * headers worked out once, with a CSP that allows only our own script files and one hashed inline script;
 * cookies, CSRF on every POST, rate limits, static assets, views), request context (language, session,
 * flash), every module's routes, then the 404 page and the one error handler.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import view from '@fastify/view';
import nunjucks from 'nunjucks';
import type { Deps } from './container.ts';
import { isLocale, languageTags, translator, type Locale } from './platform/i18n/i18n.ts';
import {
  accessibleAutocompleteDist,
  configureNunjucks,
  govukDist,
  inlineScriptHashes,
  srcDir,
  viewPaths,
} from './platform/views/views.ts';
import { FLASH_COOKIE, LANG_COOKIE, SESSION_COOKIE } from './platform/http/context.ts';
import { registerErrorHandling } from './platform/http/error-handler.ts';
import { securityHeaders } from './platform/http/security-headers.ts';
import { registerOperations } from './platform/http/operations.ts';
import { buildNavigation, type NavItem, type NavLink } from './platform/views/navigation.ts';
import { registerPagesRoutes } from './modules/pages/pages.routes.ts';
import { covenantModule } from './modules/covenant/covenant.module.ts';
import { registerOpenApi } from './platform/http/openapi.ts';
import { accountsModule } from './modules/accounts/accounts.module.ts';
import { adminModule } from './modules/admin/admin.module.ts';
import { casesIntakeModule } from './modules/cases/cases.intake.routes.ts';
import { casesHandlingModule } from './modules/cases/cases.routes.ts';
import { analysisModule } from './modules/analysis/analysis.module.ts';
import { directoryModule } from './modules/directory/directory.module.ts';
import { exchangeModule } from './modules/exchange/exchange.module.ts';
import { communitiesModule } from './modules/communities/communities.module.ts';
import { partnershipsModule } from './modules/partnerships/partnerships.module.ts';
import { resourcesModule } from './modules/resources/resources.module.ts';
import { plansModule } from './modules/plans/plans.module.ts';
import { scorecardsModule } from './modules/scorecards/scorecards.module.ts';
import { panelModule } from './modules/panel/panel.module.ts';
import { registerModule } from './modules/register/register.module.ts';
import { clausesModule } from './modules/standards/standards.clauses.module.ts';
import { standardsModule } from './modules/standards/standards.module.ts';
import { surveysModule } from './modules/surveys/surveys.module.ts';
import { surveyResultsModule } from './modules/surveys/surveys.results.module.ts';
import { consultationsModule } from './modules/consultations/consultations.module.ts';
import { consultationAnalysisModule } from './modules/consultations/consultations.analysis.module.ts';

/** A module contributes routes and, optionally, navigation items for the roles it serves. */
export interface AppModule {
  register(app: FastifyInstance, deps: Deps): void | Promise<void>;
  navigation?: NavItem[];
}

const modules: AppModule[] = [
  { register: registerPagesRoutes },
  accountsModule,
  adminModule,
  covenantModule,
  directoryModule,
  analysisModule,
  casesHandlingModule,
  casesIntakeModule,
  exchangeModule,
  communitiesModule,
  partnershipsModule,
  resourcesModule,
  plansModule,
  scorecardsModule,
  panelModule,
  registerModule,
  clausesModule,
  standardsModule,
  surveysModule,
  surveyResultsModule,
  consultationsModule,
  consultationAnalysisModule,
];

/** Replaces long random path segments and query strings in logged URLs, so tokens never reach the logs. */
export function redactUrl(url: string): string {
  const [pathname] = url.split('?');
  return (pathname ?? '').replace(/\/[A-Za-z0-9_-]{20,}(?=\/|$)/g, '/:redacted');
}

export async function createApp(deps: Deps): Promise<FastifyInstance> {
  const { config } = deps;
  // Never log a password, token, cookie or free text: headers and bodies are not logged at all.
  const logger =
    config.LOG_LEVEL === 'silent'
      ? false
      : {
          level: config.LOG_LEVEL,
          serializers: {
            req: (req: { method: string; url: string; ip?: string }) => ({
              method: req.method,
              url: redactUrl(req.url),
              ip: req.ip,
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
        };
  const app = Fastify({
    trustProxy: config.TRUST_PROXY,
    genReqId: () => randomUUID(),
    bodyLimit: 1_048_576,
    logger,
  }) as unknown as FastifyInstance;

  const headers = securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...inlineScriptHashes()],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: config.COOKIE_SECURE && !config.isDevelopment ? [] : null,
      },
    },
    strictTransportSecurity: config.BASE_URL.startsWith('https:') ? undefined : false,
  });
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  await app.register(cookie, { secret: config.SECRET_KEY });
  await app.register(formbody, { bodyLimit: 1_048_576 });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'covenant_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', secure: config.COOKIE_SECURE, path: '/' },
    getToken: (request) => (request.body as Record<string, string> | undefined)?._csrf,
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => {
      const error = new Error(`Rate limit exceeded, retry in ${context.after}`) as Error & {
        statusCode: number;
      };
      error.statusCode = 429;
      return error;
    },
  });
  await app.register(fastifyStatic, {
    root: [path.join(govukDist, 'govuk'), path.join(govukDist, 'govuk', 'assets')],
    prefix: '/assets/',
    maxAge: config.isProduction ? '7d' : 0,
  });
  await app.register(fastifyStatic, {
    root: path.join(srcDir, 'public'),
    prefix: '/public/',
    decorateReply: false,
    maxAge: config.isProduction ? '1d' : 0,
  });
  // GOV.UK's accessible autocomplete (the typeahead on the report journey's "which body" page).
  await app.register(fastifyStatic, {
    root: accessibleAutocompleteDist,
    prefix: '/vendor/accessible-autocomplete/',
    decorateReply: false,
    maxAge: config.isProduction ? '7d' : 0,
  });
  await app.register(view, {
    engine: { nunjucks },
    templates: viewPaths,
    production: config.isProduction,
    options: {
      onConfigure: (env: nunjucks.Environment) =>
        configureNunjucks(env, { serviceName: config.SERVICE_NAME, brand: config.BRAND }),
    },
  });

  // Every POST is CSRF-checked, in preHandler (after the body is parsed). API routes authenticated by a
  // bearer token opt out with `config: { csrf: false }`: a token is not sent by a browser automatically.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const wantsCsrf = (route.config as { csrf?: boolean } | undefined)?.csrf !== false;
    if (methods.includes('POST') && wantsCsrf) {
      const existing = route.preHandler ? [route.preHandler].flat() : [];
      route.preHandler = [app.csrfProtection, ...existing];
    }
  });

  app.decorateRequest('locale', 'en');
  app.decorateRequest('t', () => '');
  app.decorateRequest('session', null as never);
  app.decorateRequest('currentUser', null);
  app.decorateReply('flash', function (this: FastifyReply, message: string) {
    this.setCookie(FLASH_COOKIE, message.slice(0, 500), {
      signed: true,
      httpOnly: true,
      sameSite: 'lax',
      secure: config.COOKIE_SECURE,
      path: '/',
    });
  });

  const navigation = modules.flatMap((m) => m.navigation ?? []);

  // Request context: language, translator, session. Runs before routing so error pages have it too.
  // Callback style, not async: most anonymous requests have no session cookie and finish synchronously.
  app.addHook('onRequest', (request, reply, done) => {
    const query = request.query as Record<string, unknown> | undefined;
    let locale: Locale = 'en';
    if (isLocale(query?.lang)) {
      locale = query.lang;
      reply.setCookie(LANG_COOKIE, locale, {
        path: '/',
        maxAge: 31_536_000,
        sameSite: 'lax',
        secure: config.COOKIE_SECURE,
      });
    } else if (isLocale(request.cookies[LANG_COOKIE])) locale = request.cookies[LANG_COOKIE] as Locale;
    request.locale = locale;
    request.t = translator(locale, !config.isProduction);
    request.session = { kind: 'none' };
    // Static files need no session. The locals are set once, after the session (an anonymous visitor
    // without a session cookie costs no query), and even when resolving it fails, for the error page.
    const token = request.cookies[SESSION_COOKIE];
    if (
      !token ||
      request.url.startsWith('/assets/') ||
      request.url.startsWith('/public/') ||
      request.url.startsWith('/vendor/')
    ) {
      setLocals(request, reply);
      done();
      return;
    }
    deps.sessions.resolve(token).then(
      (session) => {
        request.session = session;
        request.currentUser = session.kind === 'complete' ? session.user : null;
        setLocals(request, reply);
        done();
      },
      (error: Error) => {
        setLocals(request, reply);
        done(error);
      },
    );
  });

  function setLocals(request: FastifyRequest, reply: FastifyReply) {
    let flash: string | undefined;
    const rawFlash = request.cookies[FLASH_COOKIE];
    if (rawFlash) {
      const unsigned = request.unsignCookie(rawFlash);
      if (unsigned.valid) flash = unsigned.value ?? undefined;
    }
    let csrfToken: string | undefined;
    let nav: NavLink[] | undefined;
    reply.locals = {
      t: request.t,
      locale: request.locale,
      languageTag: languageTags[request.locale],
      // Generated only when a page has a form, so read-only pages set no cookie and stay cacheable.
      csrfToken: () => (csrfToken ??= reply.generateCsrf()),
      currentUser: request.currentUser,
      pendingSession: request.session?.kind === 'pending',
      // Built when a page is rendered (a cached public page is sent without rendering).
      get navigation() {
        return (nav ??= buildNavigation(navigation, request));
      },
      flash,
      requestId: request.id,
      currentPath: request.url,
    };
  }

  // A flash message is shown once: clear it when a page is actually rendered. And any form or API write may
  // change a public page: once its handler has finished (committed), and before the answer reaches the
  // browser, this process's cached public pages recheck the registry version, so the writer's next page and
  // everyone else's are fresh (page-cache.ts; other processes within a second).
  app.addHook('onSend', (request, reply, payload, done) => {
    if (
      request.cookies[FLASH_COOKIE] &&
      String(reply.getHeader('content-type') ?? '').startsWith('text/html')
    ) {
      reply.clearCookie(FLASH_COOKIE, { path: '/' });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') deps.pageCache.changed();
    done(null, payload);
  });

  registerOperations(app, deps);
  // Before any module: @fastify/swagger collects the API routes' schemas as they are registered.
  await registerOpenApi(app, config);
  for (const module of modules) await module.register(app, deps);
  registerErrorHandling(app, deps);
  return app;
}
