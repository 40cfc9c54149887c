/** The directory as the app sees it: pages, the JSON API and its navigation item. */
import type { FastifyInstance } from 'fastify';
import type { AppModule } from '../../app.ts';
import type { Deps } from '../../container.ts';
import { registerDirectoryApi } from './directory.api.ts';
import { directoryPaths } from './directory.paths.ts';
import { registerDirectoryRoutes } from './directory.routes.ts';

export const directoryModule: AppModule = {
  register(app: FastifyInstance, deps: Deps) {
    registerDirectoryRoutes(app, deps);
    registerDirectoryApi(app, deps);
  },
  navigation: [
    {
      textKey: 'directory.nav',
      href: directoryPaths.search(),
      visible: () => true,
      activeFor: [directoryPaths.search()],
    },
  ],
};
