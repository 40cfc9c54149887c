/**
 * Who may do what in the annual review. Building, publishing and inviting: the Covenant team (admin).
 * Live results and free-text answers: analysts, i.e. admins and panel members. The published review and its
 * figures: everyone. Responding: anyone with the open link or an invitation (no account needed).
 */
import { hasAnyRole, isAdmin, type CurrentUser } from '../../platform/auth/roles.ts';
import { ForbiddenError } from '../../platform/http/errors.ts';

export type SurveyAction = 'build' | 'invite' | 'publishResults' | 'viewResults' | 'readFreeText' | 'analyse';

export function can(user: CurrentUser | null | undefined, action: SurveyAction): boolean {
  switch (action) {
    case 'build':
    case 'invite':
    case 'publishResults':
      return isAdmin(user);
    case 'viewResults':
    case 'readFreeText':
    case 'analyse':
      return hasAnyRole(user, ['admin', 'panel_member']);
  }
}

export function check(user: CurrentUser | null | undefined, action: SurveyAction): void {
  if (!can(user, action)) throw new ForbiddenError(`Not allowed: surveys.${action}`);
}
