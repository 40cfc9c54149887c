/** Exchange opportunities as the app sees them: pages and the JSON API. */
import type { FastifyInstance } from 'fastify';
import type { AppModule } from '../../app.ts';
import type { Deps } from '../../container.ts';
import { registerExchangeApi } from './exchange.api.ts';
import { registerExchangeRoutes } from './exchange.routes.ts';

export const exchangeModule: AppModule = {
  register(app: FastifyInstance, deps: Deps) {
    registerExchangeRoutes(app, deps);
    registerExchangeApi(app, deps);
  },
};
