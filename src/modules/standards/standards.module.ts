/** Standards monitoring as the app sees it: record pages, public findings, the JSON API, navigation. */
import type { FastifyInstance } from 'fastify';
import type { AppModule } from '../../app.ts';
import type { Deps } from '../../container.ts';
import { registerStandardsApi } from './standards.api.ts';
import { standardsPaths } from './standards.paths.ts';
import { keepsRecords } from './standards.policy.ts';
import { registerStandardsRoutes } from './standards.routes.ts';

export const standardsModule: AppModule = {
  register(app: FastifyInstance, deps: Deps) {
    registerStandardsRoutes(app, deps);
    registerStandardsApi(app, deps);
  },
  navigation: [
    {
      textKey: 'standards.nav',
      href: standardsPaths.records(),
      visible: (user) => keepsRecords(user),
      activeFor: [standardsPaths.records()],
    },
    {
      textKey: 'standards.navFindings',
      href: standardsPaths.findings(),
      visible: () => true,
      activeFor: [standardsPaths.findings()],
    },
  ],
};
