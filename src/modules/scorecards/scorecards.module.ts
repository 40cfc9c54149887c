/** Scorecards as the app sees them: public pages, CSV downloads, the JSON API and a navigation item. */
import type { FastifyInstance } from 'fastify';
import type { AppModule } from '../../app.ts';
import type { Deps } from '../../container.ts';
import { registerScorecardsApi } from './scorecards.api.ts';
import { scorecardPaths } from './scorecards.paths.ts';
import { registerScorecardsRoutes } from './scorecards.routes.ts';

export const scorecardsModule: AppModule = {
  register(app: FastifyInstance, deps: Deps) {
    registerScorecardsRoutes(app, deps);
    registerScorecardsApi(app, deps);
  },
  navigation: [
    {
      textKey: 'scorecards.nav',
      href: scorecardPaths.home(),
      visible: () => true,
      activeFor: [scorecardPaths.home()],
    },
  ],
};
