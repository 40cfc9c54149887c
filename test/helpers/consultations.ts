/**
 * Consultation fixtures for tests: the Covenant reference text, a team administrator, and a published open
 * consultation on a draft version (built through the service, as the team's pages would), plus a helper
 * that responds from start to send through the real app.
 */
import assert from 'node:assert/strict';
import { systemActor } from '../../src/platform/audit/audit.ts';
import type { CurrentUser } from '../../src/platform/auth/roles.ts';
import { addCalendarDays, toUkIsoDate } from '../../src/platform/calendar/iso-date.ts';
import { ensureCovenantReference } from '../../src/modules/covenant/covenant.seed.ts';
import { consultationPaths as p } from '../../src/modules/consultations/consultations.paths.ts';
import type { TestApp } from './app.ts';
import type { Agent } from './agent.ts';
import { createOrganisation, createUser, type TestUser } from './accounts.ts';

export async function teamAdmin(t: TestApp): Promise<{ user: TestUser; current: CurrentUser }> {
  const team = await createOrganisation(t.deps, { kind: 'covenant_team' });
  const user = await createUser(t.deps, {
    name: 'Team Admin',
    roles: [{ role: 'admin', organisationId: team.id }],
    totp: true,
  });
  const current: CurrentUser = {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    locale: 'en',
    emailVerified: true,
    totpEnabled: true,
    memberships: [
      {
        organisationId: team.id,
        organisationName: team.name,
        organisationSlug: team.slug,
        organisationKind: 'covenant_team',
        role: 'admin',
      },
    ],
  };
  return { user, current };
}

/** A published consultation open today (12 weeks), on a draft started from the current text. */
export async function openConsultation(t: TestApp, admin: CurrentUser, title = 'Consultation on the draft') {
  await ensureCovenantReference(t.deps.db, t.clock);
  const draft = await t.deps.covenant.startDraft(admin, systemActor);
  const today = toUkIsoDate(t.clock.now());
  const c = await t.deps.consultations.create(admin, systemActor, {
    title,
    summary: 'What we want to hear.',
    howResponsesUsed: 'We read every response and publish them as you agree.',
    versionId: draft.id,
    subCovenantId: null,
    opensOn: today,
    closesOn: addCalendarDays(today, 83),
    shortPeriodReason: null,
  });
  await t.deps.consultations.addQuestion(admin, systemActor, c.slug, {
    key: 'missing',
    type: 'free_text',
    text: 'What is missing?',
    required: false,
  });
  await t.deps.consultations.addQuestion(admin, systemActor, c.slug, {
    key: 'clear',
    type: 'agreement',
    text: 'The draft is clear',
    required: true,
  });
  await t.deps.consultations.publish(admin, systemActor, c.slug);
  const paragraphs = (await t.deps.covenant.repo.paragraphsOf(draft.id)).filter((x) => x.kind !== 'heading');
  const principles = await t.deps.covenant.repo.listPrinciples();
  return { slug: c.slug, consultationId: c.id, draft, paragraphs, principles };
}

/** Responds from start to send; returns the reference. */
export async function respond(
  t: TestApp,
  slug: string,
  options: {
    name?: string;
    email?: string;
    consent: 'named' | 'anonymised' | 'none';
    comment?: { key: string; stance: string; comment: string; suggestedText?: string };
    missing?: string;
    organisation?: { name: string; type: string; size: string };
    principles: { slug: string }[];
  },
  agent: Agent = t.agent(),
): Promise<string> {
  const started = await agent.submit(p.show({ slug }), {}, p.start({ slug }));
  assert.equal(started.statusCode, 303, started.body);
  const about: Record<string, string> = {
    respondentType: options.organisation ? 'organisation' : 'individual',
    respondentName: options.name ?? '',
    respondentEmail: options.email ?? '',
  };
  if (options.organisation)
    Object.assign(about, {
      organisationName: options.organisation.name,
      organisationType: options.organisation.type,
      organisationSize: options.organisation.size,
    });
  assert.equal((await agent.submit(p.about({ slug }), about)).statusCode, 303);
  if (options.comment) {
    const { key, ...form } = options.comment;
    const saved = await agent.submit(p.comment({ slug, key }), { suggestedText: '', ...form });
    assert.equal(saved.statusCode, 303, saved.body);
  }
  const views: Record<string, string> = {};
  for (const pr of options.principles) views[`view-${pr.slug}`] = 'support';
  assert.equal((await agent.submit(p.principles({ slug }), views)).statusCode, 303);
  const q = await agent.submit(p.questions({ slug, section: 'questions' }), {
    clear: 'agree',
    missing: options.missing ?? '',
  });
  assert.equal(q.statusCode, 303, q.body);
  assert.equal((await agent.submit(p.consent({ slug }), { consent: options.consent })).statusCode, 303);
  const sent = await agent.submit(p.check({ slug }), {});
  assert.equal(sent.statusCode, 303, sent.body);
  const reference = new URL(String(sent.headers.location), 'http://x').searchParams.get('reference');
  assert.ok(reference);
  return reference;
}
