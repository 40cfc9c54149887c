/** The analysis module as the app sees it: the analyst pages and a navigation item for analysts. */
import type { FastifyInstance } from 'fastify';
import type { AppModule } from '../../app.ts';
import type { Deps } from '../../container.ts';
import { hasAnyRole } from '../../platform/auth/roles.ts';
import { analysisPaths } from './analysis.paths.ts';
import { analystRoles } from './analysis.policy.ts';
import { registerAnalysisRoutes } from './analysis.routes.ts';

export const analysisModule: AppModule = {
  register(app: FastifyInstance, deps: Deps) {
    registerAnalysisRoutes(app, deps);
  },
  navigation: [
    {
      textKey: 'analysis.nav',
      href: analysisPaths.sets(),
      visible: (user) => hasAnyRole(user, analystRoles),
    },
  ],
};
