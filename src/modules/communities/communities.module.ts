/** Communities of practice as the app sees them: pages, the events API and feed, and the navigation item. */
import type { FastifyInstance } from 'fastify';
import type { AppModule } from '../../app.ts';
import type { Deps } from '../../container.ts';
import { registerCommunitiesApi } from './communities.api.ts';
import { communityPaths } from './communities.paths.ts';
import { registerCommunitiesRoutes } from './communities.routes.ts';

export const communitiesModule: AppModule = {
  register(app: FastifyInstance, deps: Deps) {
    registerCommunitiesRoutes(app, deps);
    registerCommunitiesApi(app, deps);
  },
  navigation: [
    {
      textKey: 'communities.nav',
      href: communityPaths.index(),
      visible: () => true,
      activeFor: [communityPaths.index()],
    },
  ],
};
