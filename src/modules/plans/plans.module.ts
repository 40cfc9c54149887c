/** Engagement action plans as the app sees them: pages, the JSON API and the navigation item for staff. */
import type { FastifyInstance } from 'fastify';
import type { AppModule } from '../../app.ts';
import type { Deps } from '../../container.ts';
import { hasAnyRole } from '../../platform/auth/roles.ts';
import { registerPlansApi } from './plans.api.ts';
import { planPaths } from './plans.paths.ts';
import { registerPlansRoutes } from './plans.routes.ts';

export const plansModule: AppModule = {
  register(app: FastifyInstance, deps: Deps) {
    registerPlansRoutes(app, deps);
    registerPlansApi(app, deps);
  },
  navigation: [
    {
      textKey: 'plans.nav',
      href: planPaths.list(),
      visible: (user) => hasAnyRole(user, ['body_officer', 'body_lead', 'panel_member', 'admin']),
      activeFor: [planPaths.list()],
    },
  ],
};
