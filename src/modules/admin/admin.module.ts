/** The admin module as the app sees it: its routes and the "Manage users" item for service admins. */
import type { AppModule } from '../../app.ts';
import { isAdmin } from '../../platform/auth/roles.ts';
import { adminPaths } from './admin.paths.ts';
import { registerAdminRoutes } from './admin.routes.ts';

export const adminModule: AppModule = {
  register: registerAdminRoutes,
  navigation: [
    {
      textKey: 'nav.admin',
      href: adminPaths.users(),
      visible: (user) => isAdmin(user),
      activeFor: ['/admin'],
    },
  ],
};
