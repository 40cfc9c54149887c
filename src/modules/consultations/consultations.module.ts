/** Consultations as the app sees them: public pages and responding, the team's pages, the API, navigation. */
import type { FastifyInstance } from 'fastify';
import type { AppModule } from '../../app.ts';
import type { Deps } from '../../container.ts';
import { registerConsultationsApi } from './consultations.api.ts';
import { registerConsultationsManageRoutes } from './consultations.manage.routes.ts';
import { consultationPaths } from './consultations.paths.ts';
import { registerConsultationsRoutes } from './consultations.routes.ts';

export const consultationsModule: AppModule = {
  register(app: FastifyInstance, deps: Deps) {
    registerConsultationsRoutes(app, deps);
    registerConsultationsManageRoutes(app, deps);
    registerConsultationsApi(app, deps);
  },
  navigation: [
    {
      textKey: 'consultations.nav',
      href: consultationPaths.index(),
      visible: () => true,
      activeFor: [consultationPaths.index()],
    },
  ],
};
