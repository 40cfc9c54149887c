/** The resource library as the app sees it: pages, the JSON API and the navigation item. */
import type { FastifyInstance } from 'fastify';
import type { AppModule } from '../../app.ts';
import type { Deps } from '../../container.ts';
import { registerResourcesApi } from './resources.api.ts';
import { resourcePaths } from './resources.paths.ts';
import { registerResourcesRoutes } from './resources.routes.ts';

export const resourcesModule: AppModule = {
  register(app: FastifyInstance, deps: Deps) {
    registerResourcesRoutes(app, deps);
    registerResourcesApi(app, deps);
  },
  navigation: [
    {
      textKey: 'resources.nav',
      href: resourcePaths.index(),
      visible: () => true,
      activeFor: [resourcePaths.index()],
    },
  ],
};
