/** The home page and the pages every GOV.UK service has: accessibility statement, privacy notice, cookies. */
import type { FastifyInstance } from 'fastify';
import { pagePaths } from './pages.paths.ts';
import { intakePaths } from '../cases/cases.intake.paths.ts';
import { covenantPaths } from '../covenant/covenant.paths.ts';
import { directoryPaths } from '../directory/directory.paths.ts';

/** Where the home page's "What you can do here" items lead. */
const homeLinks = {
  report: intakePaths.start(),
  covenant: covenantPaths.show(),
  directory: directoryPaths.search(),
};

export function registerPagesRoutes(app: FastifyInstance) {
  app.get(pagePaths.home.pattern, (_request, reply) =>
    reply.view('modules/pages/views/home.njk', { homeLinks }),
  );
  app.get(pagePaths.accessibility.pattern, (_request, reply) =>
    reply.view('modules/pages/views/accessibility-statement.njk'),
  );
  app.get(pagePaths.privacy.pattern, (_request, reply) => reply.view('modules/pages/views/privacy.njk'));
  app.get(pagePaths.cookies.pattern, (_request, reply) => reply.view('modules/pages/views/cookies.njk'));
}
