/**
 * The annual review of stakeholder experiences (issue 6) as the app sees it: the builder's pages for the
 * Covenant team, the respondents' pages, and the navigation item for administrators. Results and the
 * published review register their own pages (surveys.results.*).
 */
import type { FastifyInstance } from 'fastify';
import type { AppModule } from '../../app.ts';
import type { Deps } from '../../container.ts';
import { isAdmin } from '../../platform/auth/roles.ts';
import { surveyPaths } from './surveys.paths.ts';
import { registerSurveysRespondRoutes } from './surveys.respond.routes.ts';
import { registerSurveysRoutes } from './surveys.routes.ts';

export const surveysModule: AppModule = {
  register(app: FastifyInstance, deps: Deps) {
    registerSurveysRoutes(app, deps);
    registerSurveysRespondRoutes(app, deps);
  },
  navigation: [
    {
      textKey: 'surveys.nav',
      href: surveyPaths.admin(),
      visible: (user) => isAdmin(user),
      activeFor: [surveyPaths.admin()],
    },
  ],
};
