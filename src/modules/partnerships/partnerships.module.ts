/** Local covenant partnerships as the app sees them: pages, the API and the navigation item. */
import type { FastifyInstance } from 'fastify';
import type { AppModule } from '../../app.ts';
import type { Deps } from '../../container.ts';
import { registerPartnershipsApi } from './partnerships.api.ts';
import { partnershipPaths } from './partnerships.paths.ts';
import { registerPartnershipsRoutes } from './partnerships.routes.ts';

export const partnershipsModule: AppModule = {
  register(app: FastifyInstance, deps: Deps) {
    registerPartnershipsRoutes(app, deps);
    registerPartnershipsApi(app, deps);
  },
  navigation: [
    {
      textKey: 'partnerships.nav',
      href: partnershipPaths.index(),
      visible: () => true,
      activeFor: [partnershipPaths.index()],
    },
  ],
};
