/** Typed URLs for the accounts module: route patterns, redirects, templates, emails and tests use these. */
import { definePath } from '../../platform/http/paths.ts';
import { secondFactorPath, secondFactorSetupPath, signInPath } from '../../platform/http/guards.ts';

export const accountPaths = {
  register: definePath('/register'),
  checkEmail: definePath('/register/check-your-email'),
  verifyEmail: definePath('/verify-email/:token'),
  resendVerification: definePath('/account/verify-email'),
  signIn: definePath(signInPath),
  secondFactor: definePath(secondFactorPath),
  oidcStart: definePath('/sign-in/oidc'),
  oidcCallback: definePath('/sign-in/oidc/callback'),
  signOut: definePath('/sign-out'),
  account: definePath('/account'),
  changePassword: definePath('/account/change-password'),
  signOutEverywhere: definePath('/account/sign-out-everywhere'),
  twoFactorSetUp: definePath(secondFactorSetupPath),
  recoveryCodes: definePath('/account/two-factor/recovery-codes'),
  forgotPassword: definePath('/forgot-password'),
  forgotPasswordSent: definePath('/forgot-password/check-your-email'),
  resetPassword: definePath('/reset-password/:token'),
  yourOrganisations: definePath('/your-organisations'),
  members: definePath('/organisations/:orgId/members'),
  invite: definePath('/organisations/:orgId/invitations'),
  revokeInvitation: definePath('/organisations/:orgId/invitations/:invitationId/revoke'),
  removeMember: definePath('/organisations/:orgId/members/:membershipId/remove'),
  invitation: definePath('/invitations/:token'),
};
