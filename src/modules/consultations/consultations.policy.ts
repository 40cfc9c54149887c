/**
 * Who may do what with consultations. Anyone may read a published consultation and its published
 * responses, and respond (no account needed: the draft is reached by its resume token). Creating and
 * running consultations is the Covenant team's (`admin`, as editing the Covenant is, covenant.policy.ts).
 * Moderating responses follows the public register's rule (register.policy.ts): administrators, who already
 * see what people typed before redaction.
 */
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { canCovenant } from '../covenant/covenant.policy.ts';
import { canModerate as canModerateRegister } from '../register/register.policy.ts';

export type ConsultationAction = 'manage' | 'moderate';

export function canConsultation(user: CurrentUser | null | undefined, action: ConsultationAction): boolean {
  if (action === 'moderate') return canModerateRegister(user);
  return canCovenant(user ?? null, 'edit');
}

/** A consultation that is still a draft is seen only by those who run it. */
export function canSeeConsultation(
  user: CurrentUser | null | undefined,
  consultation: { status: string },
): boolean {
  return consultation.status === 'published' || canConsultation(user, 'manage');
}
