/**
 * Demo data for the public register: the demo's ended cases become candidates (redacted automatically, as
 * the background task does), and the demo administrator publishes all but the most recent, which is left
 * waiting in the moderation queue. Runs after the casework demo (cases.handling.demo.ts).
 */
import { eq } from 'drizzle-orm';
import type { Deps } from '../../container.ts';
import { systemActor } from '../../platform/audit/audit.ts';
import { users } from '../accounts/accounts.tables.ts';

const DEMO_MODERATOR = 'admin@demo.covenant-hub.local';

export async function seedRegisterDemo(deps: Deps): Promise<string[]> {
  const prepared = await deps.register.prepareCandidates();
  const [row] = await deps.db
    .get()
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, DEMO_MODERATOR));
  const moderator = row ? await deps.sessionsRepository.loadUser(row.id) : undefined;
  if (!moderator || prepared === 0) return [`Public register: ${prepared} cases waiting for moderation`];
  // Every candidate but the most recently ended is approved as prepared.
  const { entries: queued } = await deps.register.queue(moderator, 'pending', 1);
  const entries = [...queued].sort((a, b) => a.closedOn.localeCompare(b.closedOn));
  let published = 0;
  for (const e of entries.slice(0, -1)) {
    const { entry } = await deps.register.review(moderator, e.id);
    await deps.register.approve(moderator, systemActor, e.id, { version: entry.version });
    published += 1;
  }
  return [
    `Public register: ${published} cases published, ${entries.length - published} waiting for moderation`,
  ];
}
