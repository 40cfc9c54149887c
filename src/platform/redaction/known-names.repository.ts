/**
 * Names of people known to the system, for redaction: users' display names and the accountable leads
 * published in the directory. Reporters' names come from the identity escrow's own function
 * (cases.identity.ts `namesForRedaction`), wired in the container, because only that module reads it.
 */
import { isNotNull } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { users } from '../../modules/accounts/accounts.tables.ts';
import { accountableLeads } from '../../modules/directory/directory.tables.ts';
import type { KnownNamesSource } from './redaction.service.ts';

export function createKnownNamesRepository(db: Database) {
  const userNames: KnownNamesSource = async () => {
    const rows = await db.get().selectDistinct({ name: users.displayName }).from(users);
    return rows.map((r) => r.name);
  };
  const leadNames: KnownNamesSource = async () => {
    const rows = await db
      .get()
      .selectDistinct({ name: accountableLeads.name })
      .from(accountableLeads)
      .where(isNotNull(accountableLeads.name));
    return rows.map((r) => r.name);
  };
  return { userNames, leadNames };
}
