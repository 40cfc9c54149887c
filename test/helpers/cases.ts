/**
 * Factories for casework tests (ARCHITECTURE example 4): `buildCase({ state, confidentiality, body })`
 * creates whatever the case needs and does not exist yet (the public body, a reporter with their civil
 * society organisation) straight in the tables, with a real CH-YYYY-NNNNNN reference, the escrowed identity,
 * a timeline entry for the submission and, for cases past triage, the clock's `started` row.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../src/container.ts';
import { rowsOf } from '../../src/platform/db/database.ts';
import type { CurrentUser, Role } from '../../src/platform/auth/roles.ts';
import { toUkIsoDate } from '../../src/platform/calendar/iso-date.ts';
import { memberships, users } from '../../src/modules/accounts/accounts.tables.ts';
import { organisations, type OrganisationKind } from '../../src/modules/directory/directory.tables.ts';
import type { CaseState } from '../../src/modules/cases/cases.lifecycle.ts';
import {
  caseClockEvents,
  caseEvents,
  caseIdentities,
  cases,
  type CaseCategory,
  type CaseKind,
  type Confidentiality,
} from '../../src/modules/cases/cases.tables.ts';
import { nextCaseReference } from '../../src/modules/cases/cases.reference.ts';

const tag = () => randomBytes(4).toString('hex');

export interface TestOrganisation {
  id: string;
  name: string;
}

/** An organisation straight in the table (a public body unless told otherwise). */
export async function createTestOrganisation(
  deps: Deps,
  options: { name?: string; kind?: OrganisationKind; nation?: string; gssCode?: string } = {},
): Promise<TestOrganisation> {
  const t = tag();
  const [row] = await deps.db
    .get()
    .insert(organisations)
    .values({
      name: options.name ?? `Test Body ${t}`,
      slug: `test-${t}`,
      kind: options.kind ?? 'public_body',
      nation: (options.nation ?? null) as never,
      gssCode: options.gssCode ?? null,
    })
    .returning({ id: organisations.id, name: organisations.name });
  return row!;
}

/**
 * A verified person with `role` in `organisationId` (a new organisation of the right kind when absent).
 * Every person gets a second factor as done, so staff sessions are complete.
 */
export async function createTestPerson(
  deps: Deps,
  role: Role,
  options: { organisationId?: string; name?: string; email?: string } = {},
): Promise<CurrentUser> {
  const kinds: Record<Role, OrganisationKind> = {
    admin: 'covenant_team',
    panel_member: 'panel',
    body_officer: 'public_body',
    body_lead: 'public_body',
    cso_member: 'cso',
    cso_admin: 'cso',
    intermediary: 'infrastructure',
  };
  const organisationId =
    options.organisationId ?? (await createTestOrganisation(deps, { kind: kinds[role] })).id;
  const now = deps.clock.now();
  const t = tag();
  const [user] = await deps.db
    .get()
    .insert(users)
    .values({
      email: options.email ?? `person-${t}@example.org`,
      displayName: options.name ?? `Person ${t}`,
      emailVerifiedAt: now,
      totpEnabledAt: now,
    })
    .returning({ id: users.id });
  await deps.db.get().insert(memberships).values({ userId: user!.id, organisationId, role });
  return (await deps.sessionsRepository.loadUser(user!.id))!;
}

export interface BuildCaseOptions {
  state?: CaseState;
  confidentiality?: Confidentiality;
  kind?: CaseKind;
  category?: CaseCategory;
  /** The body concerned: an existing one, `null` for an unknown body (triage), or absent to create one. */
  body?: TestOrganisation | null;
  /** Who filed: an existing person, or absent to create a `cso_member` in a new organisation. */
  reporter?: CurrentUser;
  title?: string;
  whatHappened?: string;
  bodyNameGiven?: string;
  /** Reporter's contact details in the escrow (defaults are made up and unique per case). */
  identity?: { name?: string; email?: string; phone?: string | null; organisationName?: string };
  intermediaryOrganisationId?: string;
}

export interface BuiltCase {
  id: string;
  reference: string;
  state: CaseState;
  body: TestOrganisation | null;
  reporter: CurrentUser;
  identity: { name: string; email: string; phone: string | null; organisationName: string };
}

/** A case in any state, with the parents it needs. */
export async function buildCase(deps: Deps, options: BuildCaseOptions = {}): Promise<BuiltCase> {
  const state = options.state ?? 'submitted';
  const body = options.body === undefined ? await createTestOrganisation(deps) : options.body;
  const reporter = options.reporter ?? (await createTestPerson(deps, 'cso_member'));
  const membership = reporter.memberships[0];
  const t = tag();
  const identity = {
    name: options.identity?.name ?? `Reporter ${t}`,
    email: options.identity?.email ?? reporter.email,
    phone: options.identity?.phone === undefined ? '07700 900123' : options.identity.phone,
    organisationName: options.identity?.organisationName ?? membership?.organisationName ?? `Org ${t}`,
  };
  const now = deps.clock.now();
  return deps.db.transaction(async () => {
    const reference = await nextCaseReference(deps.db, now);
    const closed = state === 'closed' || state === 'resolved';
    const [row] = await deps.db
      .get()
      .insert(cases)
      .values({
        reference,
        kind: options.kind ?? 'problem',
        state,
        outcome: state === 'closed' ? 'withdrawn' : state === 'resolved' ? 'resolved' : null,
        confidentiality: options.confidentiality ?? 'public',
        bodyId: body?.id ?? null,
        bodyNameGiven: body ? null : (options.bodyNameGiven ?? 'A body nobody could find'),
        category: options.category ?? 'other',
        title: options.title ?? `Test case ${t}`,
        whatHappened: options.whatHappened ?? 'The funding was cut with two weeks notice.',
        intermediaryOrganisationId: options.intermediaryOrganisationId ?? null,
        submittedAt: now,
        escalatedAt: ['escalated', 'panel_review', 'panel_decided', 'body_replied'].includes(state)
          ? now
          : null,
        closedAt: closed ? now : null,
      })
      .returning({ id: cases.id });
    const caseId = row!.id;
    await deps.db
      .get()
      .insert(caseIdentities)
      .values({
        caseId,
        reporterUserId: reporter.id,
        reporterOrganisationId: membership?.organisationId ?? null,
        ...identity,
      });
    await deps.db.get().insert(caseEvents).values({
      caseId,
      at: now,
      actorUserId: reporter.id,
      actorPart: 'reporter',
      action: 'submit',
      toState: 'submitted',
    });
    if (state !== 'submitted' && state !== 'needs_information') {
      await deps.db
        .get()
        .insert(caseClockEvents)
        .values({ caseId, type: 'started', on: toUkIsoDate(now) });
      // Routed as intake routes: the working days fixed now, the due dates stored.
      const days = await deps.caseClock.daysFor(body?.id ?? null, options.category ?? 'other');
      await deps.caseClock.settle([caseId], days);
    } else {
      await deps.caseClock.settle([caseId]);
    }
    return { id: caseId, reference, state, body, reporter, identity };
  });
}

/**
 * `count` copies of a case in one SQL statement (every column but the generated ones and the unique keys),
 * with references `<prefix>000001`, `<prefix>000002`…: for tests that need more cases than building each.
 */
export async function copyCase(deps: Deps, caseId: string, count: number, referencePrefix: string) {
  const columns = rowsOf<{ name: string }>(
    await deps.db.get().execute(
      sql`select column_name as name from information_schema.columns
          where table_name = 'cases' and is_generated = 'NEVER'
            and column_name not in ('id', 'reference', 'idempotency_key')`,
    ),
  );
  const list = sql.raw(columns.map((c) => `"${c.name}"`).join(', '));
  await deps.db.get().execute(
    sql`insert into cases (id, reference, idempotency_key, ${list})
        select gen_random_uuid(), ${referencePrefix} || lpad(g::text, 6, '0'), gen_random_uuid()::text, ${list}
        from cases, generate_series(1, ${count}::int) g where id = ${caseId}`,
  );
}
