/** Typed URLs for the admin pages. */
import { definePath } from '../../platform/http/paths.ts';

export const adminPaths = {
  users: definePath('/admin/users'),
  user: definePath('/admin/users/:userId'),
  addRole: definePath('/admin/users/:userId/roles'),
  removeRole: definePath('/admin/users/:userId/roles/:membershipId/remove'),
  disable: definePath('/admin/users/:userId/disable'),
  enable: definePath('/admin/users/:userId/enable'),
  unlock: definePath('/admin/users/:userId/unlock'),
  resetTwoFactor: definePath('/admin/users/:userId/reset-two-factor'),
  organisations: definePath('/admin/organisations'),
};
