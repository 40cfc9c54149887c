/** The Covenant registry as the app sees it: pages, the JSON API and navigation items. */
import type { FastifyInstance } from 'fastify';
import type { AppModule } from '../../app.ts';
import type { Deps } from '../../container.ts';
import { isAdmin } from '../../platform/auth/roles.ts';
import { registerCovenantApi } from './covenant.api.ts';
import { covenantPaths } from './covenant.paths.ts';
import { registerPledgeBankRoutes } from './covenant.pledges.routes.ts';
import { registerCovenantRoutes } from './covenant.routes.ts';

export const covenantModule: AppModule = {
  register(app: FastifyInstance, deps: Deps) {
    registerCovenantRoutes(app, deps);
    registerPledgeBankRoutes(app, deps);
    registerCovenantApi(app, deps);
  },
  navigation: [
    {
      textKey: 'covenant.nav',
      href: covenantPaths.show(),
      visible: () => true,
      activeFor: [covenantPaths.show()],
    },
    { textKey: 'covenant.navAdmin', href: covenantPaths.admin(), visible: (user) => isAdmin(user) },
  ],
};
