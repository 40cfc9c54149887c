/** The joint oversight panel as the app sees it: its pages and "Oversight panel" for members and the team. */
import type { AppModule } from '../../app.ts';
import { hasAnyRole } from '../../platform/auth/roles.ts';
import { panelPaths } from './panel.paths.ts';
import { registerPanelRoutes } from './panel.routes.ts';

export const panelModule: AppModule = {
  register: registerPanelRoutes,
  navigation: [
    {
      textKey: 'panel.nav',
      href: panelPaths.queue(),
      visible: (user) => hasAnyRole(user, ['panel_member', 'admin']),
      activeFor: [panelPaths.queue()],
    },
  ],
};
