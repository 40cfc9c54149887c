/**
 * Role boundaries of local covenant partnerships, through the real app: for every management page and
 * action, who gets in — anonymous visitors (sent to sign in), a signed-in person with no part in it, the
 * council's own body officer whose account is NOT linked, the linked officer of ANOTHER partnership, the
 * partnership's linked officer, and an administrator. Refused requests change nothing. Public pages are
 * for everyone.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createOrganisation, createUser, signIn, type TestUser } from '../../../test/helpers/accounts.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { systemActor } from '../../platform/audit/audit.ts';
import type { CurrentUser, Role } from '../../platform/auth/roles.ts';
import { partnershipPaths as p } from './partnerships.paths.ts';
import { canCreatePartnership, canLinkOfficerAccount, canManagePartnership } from './partnerships.policy.ts';
import { insertArea } from './partnerships.testing.ts';

type Who = 'anonymous' | 'outsider' | 'councilOfficer' | 'otherOfficer' | 'officer' | 'admin';

describe('local covenant partnerships: who may do what', () => {
  let t: TestApp;
  const agents = new Map<Who, Agent>();
  const users = new Map<Who, TestUser>();
  let partnerId: string;
  let officerId: string;
  let actionId: string;
  const slug = 'testford-partnership';

  before(async () => {
    t = await createTestApp();
    const team = await createOrganisation(t.deps, { kind: 'covenant_team' });
    const council = await insertArea(t, 'testford-council', 'Testford Council');
    const other = await insertArea(t, 'otherton-council', 'Otherton Council');
    const charity = await createOrganisation(t.deps, { kind: 'cso', slug: 'testford-trust' });
    const make = async (who: Who, roles: { role: Role; organisationId: string }[], totp = false) => {
      const u = await createUser(t.deps, { name: who, roles, totp });
      users.set(who, u);
      const a = t.agent();
      await signIn(a, u);
      agents.set(who, a);
    };
    await make('admin', [{ role: 'admin', organisationId: team.id }], true);
    await make('outsider', [{ role: 'cso_member', organisationId: charity.id }]);
    await make('councilOfficer', [{ role: 'body_officer', organisationId: council.id }], true);
    await make('otherOfficer', [{ role: 'body_officer', organisationId: other.id }], true);
    await make('officer', [{ role: 'body_lead', organisationId: council.id }], true);
    agents.set('anonymous', t.agent());

    // Build the world through the service, as the pages would.
    const repo = t.deps.partnerships.repo;
    const adminUser = {
      id: users.get('admin')!.id,
      memberships: [{ role: 'admin', organisationId: team.id }],
    } as unknown as CurrentUser;
    const svc = t.deps.partnerships;
    const base = { summary: 'S', subCovenant: null, forumName: 'Forum', forumUrl: null };
    await svc.create(adminUser, systemActor, {
      name: 'Testford Partnership',
      area: 'testford-council',
      ...base,
    });
    await svc.create(adminUser, systemActor, {
      name: 'Otherton Partnership',
      area: 'otherton-council',
      ...base,
    });
    const link = (s: string, who: Who) =>
      svc.addOfficer(adminUser, systemActor, s, {
        officerName: who,
        roleTitle: 'Officer',
        contact: 'https://example.org/contact',
        accountEmail: users.get(who)!.email,
      });
    await link(slug, 'officer');
    await link('otherton-partnership', 'otherOfficer');
    await svc.addOfficer(adminUser, systemActor, slug, {
      officerName: 'Plain',
      roleTitle: 'Co-chair',
      contact: 'plain@example.org',
      accountEmail: null,
    });
    await svc.addPartner(adminUser, systemActor, slug, { organisation: 'testford-trust', role: 'Member' });
    await svc.addAction(adminUser, systemActor, slug, {
      actionTitle: 'Do it',
      owner: 'Council',
      dueOn: null,
      status: 'not_started',
      meetingId: null,
    });
    const found = (await repo.findBySlug(slug))!;
    partnerId = (await repo.partners(found.id))[0]!.id;
    officerId = (await repo.officers(found.id)).find((o) => o.name === 'Plain')!.id;
    actionId = (await repo.actions(found.id))[0]!.id;
  });
  after(() => t.close());

  const everyone: Who[] = ['anonymous', 'outsider', 'councilOfficer', 'otherOfficer', 'officer', 'admin'];
  const managers: Who[] = ['officer', 'admin'];
  const expectFor = (who: Who, allowed: Who[], ok: number) =>
    who === 'anonymous' ? 303 : allowed.includes(who) ? ok : 403;

  test('public pages are for everyone', async () => {
    for (const who of everyone)
      for (const path of [p.index(), p.show({ slug }), p.national(), p.nationalCsv(), p.api.list()])
        assert.equal((await agents.get(who)!.get(path)).statusCode, 200, `${who} ${path}`);
  });

  test('management pages: the partnership’s linked officer and administrators only', async () => {
    for (const who of everyone)
      for (const path of [p.manage({ slug }), p.edit({ slug })]) {
        const res = await agents.get(who)!.get(path);
        assert.equal(res.statusCode, expectFor(who, managers, 200), `${who} ${path}`);
        if (who === 'anonymous') assert.match(String(res.headers.location), /sign-in/);
      }
    for (const who of everyone) {
      const res = await agents.get(who)!.get(p.create());
      assert.equal(res.statusCode, expectFor(who, ['admin'], 200), `${who} create`);
    }
  });

  test('every management action refuses everyone else and changes nothing', async () => {
    const repo = t.deps.partnerships.repo;
    const found = (await repo.findBySlug(slug))!;
    const snapshot = async () =>
      JSON.stringify([
        await repo.findBySlug(slug),
        await repo.partners(found.id),
        await repo.officers(found.id),
        await repo.meetings(found.id),
        await repo.actions(found.id),
        await repo.list(),
      ]);
    const before = await snapshot();
    const posts: [string, Record<string, string>][] = [
      [p.edit({ slug }), { name: 'Hijacked', summary: 'x', area: 'testford-council', forumName: 'x' }],
      [p.addPartner({ slug }), { organisation: 'testford-council', role: 'x' }],
      [p.removePartner({ slug, partnerId }), {}],
      [p.addOfficer({ slug }), { officerName: 'x', roleTitle: 'x', contact: 'x@example.org' }],
      [p.removeOfficer({ slug, officerId }), {}],
      [
        p.addMeeting({ slug }),
        { 'heldOn-day': '1', 'heldOn-month': '1', 'heldOn-year': '2026', meetingTitle: 'x' },
      ],
      [p.addAction({ slug }), { actionTitle: 'x', owner: 'x', status: 'done' }],
      [p.actionStatus({ slug, actionId }), { status: 'done' }],
      [p.create(), { name: 'New', summary: 'x', area: 'testford-council', forumName: 'x' }],
    ];
    for (const who of ['anonymous', 'outsider', 'councilOfficer', 'otherOfficer'] as Who[])
      for (const [path, form] of posts) {
        // Visitors have no form on the list page: they take a token from the sign-in page.
        const res = await agents.get(who)!.post(path, form, who === 'anonymous' ? '/sign-in' : p.index());
        assert.equal(res.statusCode, who === 'anonymous' ? 303 : 403, `${who} ${path}`);
      }
    // The linked officer may not start partnerships.
    assert.equal(
      (await agents.get('officer')!.post(p.create(), posts.at(-1)![1], p.index())).statusCode,
      403,
    );
    assert.equal(await snapshot(), before, 'nothing changed');
    // A partner, officer or action of ANOTHER partnership is not found through this one.
    const other = (await repo.findBySlug('otherton-partnership'))!;
    const otherOfficer = (await repo.officers(other.id))[0]!;
    const cross = await agents
      .get('officer')!
      .post(p.removeOfficer({ slug, officerId: otherOfficer.id }), {}, p.index());
    assert.equal(cross.statusCode, 404);
    // The allowed ones work.
    const ok = await agents
      .get('officer')!
      .post(p.actionStatus({ slug, actionId }), { status: 'done' }, p.index());
    assert.equal(ok.statusCode, 303);
    const removed = await agents.get('admin')!.post(p.removePartner({ slug, partnerId }), {}, p.index());
    assert.equal(removed.statusCode, 303);
  });

  test('the policy functions agree on fixed examples', () => {
    const person = (id: string, admin = false) =>
      ({
        id,
        memberships: admin ? [{ role: 'admin', organisationId: 'team' }] : [],
      }) as unknown as CurrentUser;
    const access = { officerUserIds: ['u1'] };
    assert.equal(canManagePartnership(person('u1'), access), true);
    assert.equal(canManagePartnership(person('u2'), access), false);
    assert.equal(canManagePartnership(person('u2', true), access), true);
    assert.equal(canManagePartnership(null, access), false);
    assert.equal(canCreatePartnership(person('u1')), false);
    assert.equal(canCreatePartnership(person('a', true)), true);
    assert.equal(canLinkOfficerAccount(person('u1')), false);
    assert.equal(canLinkOfficerAccount(person('a', true)), true);
  });
});
