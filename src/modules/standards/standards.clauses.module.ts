/** The public agreement check as the app sees it: its pages and a navigation item everyone sees. */
import type { FastifyInstance } from 'fastify';
import type { AppModule } from '../../app.ts';
import type { Deps } from '../../container.ts';
import { clausesPaths } from './standards.clauses.paths.ts';
import { registerClausesRoutes } from './standards.clauses.routes.ts';

export const clausesModule: AppModule = {
  register(app: FastifyInstance, deps: Deps) {
    registerClausesRoutes(app, deps);
  },
  navigation: [
    {
      textKey: 'clauses.nav.check',
      href: clausesPaths.check(),
      visible: () => true,
    },
  ],
};
