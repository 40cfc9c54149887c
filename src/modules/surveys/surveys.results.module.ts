/**
 * Annual review results as the app sees them: the analysts' pages, the public published review and its CSV,
 * the JSON API of published figures, and the navigation item for analysts (admins and panel members).
 */
import type { FastifyInstance } from 'fastify';
import type { AppModule } from '../../app.ts';
import type { Deps } from '../../container.ts';
import { hasAnyRole } from '../../platform/auth/roles.ts';
import { registerSurveyResultsApi } from './surveys.results.api.ts';
import { resultsPaths } from './surveys.results.paths.ts';
import { registerSurveyResultsRoutes } from './surveys.results.routes.ts';

export const surveyResultsModule: AppModule = {
  register(app: FastifyInstance, deps: Deps) {
    registerSurveyResultsRoutes(app, deps);
    registerSurveyResultsApi(app, deps);
  },
  navigation: [
    {
      textKey: 'surveyResults.nav',
      href: resultsPaths.index(),
      visible: (user) => hasAnyRole(user, ['admin', 'panel_member']),
      activeFor: [resultsPaths.index()],
    },
  ],
};
