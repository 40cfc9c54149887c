/** The accounts module as the app sees it: its routes and its navigation items. */
import type { FastifyInstance } from 'fastify';
import type { AppModule } from '../../app.ts';
import type { Deps } from '../../container.ts';
import { registerAccountsRoutes } from './accounts.routes.ts';
import { registerMembershipsRoutes } from './memberships.routes.ts';
import { accountPaths } from './accounts.paths.ts';

export const accountsModule: AppModule = {
  register(app: FastifyInstance, deps: Deps) {
    registerAccountsRoutes(app, deps);
    registerMembershipsRoutes(app, deps);
  },
  navigation: [
    {
      textKey: 'nav.organisations',
      href: accountPaths.yourOrganisations(),
      visible: (user) => Boolean(user && user.memberships.length > 0),
    },
    {
      textKey: 'nav.account',
      href: accountPaths.account(),
      visible: (user) => user !== null,
    },
    { textKey: 'nav.signIn', href: accountPaths.signIn(), visible: (user) => user === null },
  ],
};
