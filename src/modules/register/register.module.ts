/** The public register as the app sees it: public pages, the moderators' pages, the JSON API, navigation. */
import type { FastifyInstance } from 'fastify';
import type { AppModule } from '../../app.ts';
import type { Deps } from '../../container.ts';
import { registerRegisterApi } from './register.api.ts';
import { registerPaths } from './register.paths.ts';
import { canModerate } from './register.policy.ts';
import { registerRegisterRoutes } from './register.routes.ts';

export const registerModule: AppModule = {
  register(app: FastifyInstance, deps: Deps) {
    registerRegisterRoutes(app, deps);
    registerRegisterApi(app, deps);
  },
  navigation: [
    {
      textKey: 'register.nav.register',
      href: registerPaths.home(),
      visible: () => true,
      activeFor: [registerPaths.home()],
    },
    {
      textKey: 'register.nav.moderation',
      href: registerPaths.moderation(),
      visible: (user) => canModerate(user),
    },
  ],
};
