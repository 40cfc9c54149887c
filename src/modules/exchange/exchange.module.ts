/** Exchange opportunities as the app sees them: pages, the JSON API and the navigation item. */
import type { FastifyInstance } from 'fastify';
import type { AppModule } from '../../app.ts';
import type { Deps } from '../../container.ts';
import { registerExchangeApi } from './exchange.api.ts';
import { exchangePaths } from './exchange.paths.ts';
import { registerExchangeRoutes } from './exchange.routes.ts';

export const exchangeModule: AppModule = {
  register(app: FastifyInstance, deps: Deps) {
    registerExchangeRoutes(app, deps);
    registerExchangeApi(app, deps);
  },
  navigation: [
    {
      textKey: 'exchange.nav',
      href: exchangePaths.index(),
      visible: () => true,
      activeFor: [exchangePaths.index()],
    },
  ],
};
