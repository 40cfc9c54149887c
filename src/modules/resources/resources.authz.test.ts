/**
 * Role boundaries of the resource library, through the real app: everyone reads published resources; only
 * the Covenant team's administrators manage the library (add, edit, mark reviewed, publish, files) and see
 * drafts. Each refused request changes nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createOrganisation, createUser, signIn, type TestUser } from '../../../test/helpers/accounts.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { systemActor } from '../../platform/audit/audit.ts';
import type { CurrentUser, Role } from '../../platform/auth/roles.ts';
import { ensureCovenantReference } from '../covenant/covenant.seed.ts';
import { resourcePaths as p } from './resources.paths.ts';
import { canManageResources, canSeeResource } from './resources.policy.ts';
import { ensureResourceLibrary } from './resources.seed.ts';
import { resourceForm, tinyPdf, uploadAttachment } from './resources.test-support.ts';

type Who = 'anonymous' | 'csoMember' | 'csoAdmin' | 'officer' | 'lead' | 'panel' | 'admin';
const refused: Who[] = ['anonymous', 'csoMember', 'csoAdmin', 'officer', 'lead', 'panel'];

const userWith = (role: Role): CurrentUser => ({
  id: 'u',
  email: 'u@example.org',
  displayName: 'U',
  locale: 'en',
  emailVerified: true,
  totpEnabled: true,
  memberships: [
    { organisationId: 'o', organisationName: 'O', organisationSlug: 'o', organisationKind: 'cso', role },
  ],
});

describe('resource library: the policy', () => {
  test('only administrators manage; drafts are theirs; published is for everyone', () => {
    assert.equal(canManageResources(null), false);
    for (const role of ['cso_member', 'cso_admin', 'intermediary', 'body_officer', 'body_lead', 'panel_member'] as const)
      assert.equal(canManageResources(userWith(role)), false, role);
    assert.equal(canManageResources(userWith('admin')), true);
    assert.equal(canSeeResource(null, { status: 'published' }), true);
    assert.equal(canSeeResource(null, { status: 'draft' }), false);
    assert.equal(canSeeResource(userWith('body_lead'), { status: 'draft' }), false);
    assert.equal(canSeeResource(userWith('admin'), { status: 'draft' }), true);
  });
});

describe('resource library: who may do what, through the app', () => {
  let t: TestApp;
  let dataDir: string;
  const agents = new Map<Who, Agent>();
  let admin: TestUser;
  const published = 'no-gagging-clauses';
  const draft = 'a-draft-resource';
  let fileId: string;

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'resources-authz-'));
    t = await createTestApp({ DATA_DIR: dataDir });
    await ensureCovenantReference(t.deps.db, t.clock);
    const team = await createOrganisation(t.deps, { kind: 'covenant_team' });
    const charity = await createOrganisation(t.deps, { kind: 'cso' });
    const body = await createOrganisation(t.deps, { kind: 'public_body' });
    const make = async (who: Who, role: Role, organisationId: string, totp = false) => {
      const u = await createUser(t.deps, { name: who, roles: [{ role, organisationId }], totp });
      const a = t.agent();
      await signIn(a, u);
      agents.set(who, a);
      return u;
    };
    admin = await make('admin', 'admin', team.id, true);
    await make('csoMember', 'cso_member', charity.id);
    await make('csoAdmin', 'cso_admin', charity.id);
    await make('officer', 'body_officer', body.id, true);
    await make('lead', 'body_lead', body.id, true);
    await make('panel', 'panel_member', team.id, true);
    agents.set('anonymous', t.agent());
    await ensureResourceLibrary(t.deps.db, t.clock, { ownerId: admin.id });
    const adminUser = (await t.deps.sessionsRepository.loadUser(admin.id))!;
    await t.deps.resources.create(adminUser, systemActor, {
      ...resourceForm(admin.id, { title: 'A draft resource' }),
      principles: ['partnership-and-collaboration'],
      commitments: ['PC-G1'],
      nations: [],
      reviewIntervalMonths: 12,
      kind: 'guidance',
      audience: 'both',
      status: 'draft',
    });
    const upload = await uploadAttachment(agents.get('admin')!, published, { name: 'a.pdf', data: tinyPdf });
    assert.equal(upload.statusCode, 303);
    const r = (await t.deps.resources.repo.findBySlug(published))!;
    fileId = (await t.deps.resources.repo.attachments(r.id))[0]!.id;
  });
  after(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const refusedStatus = (who: Who) => (who === 'anonymous' ? 303 : 403);

  test('everyone reads published resources, their versions and files', async () => {
    for (const who of [...refused, 'admin'] as Who[]) {
      const a = agents.get(who)!;
      assert.equal((await a.get(p.index())).statusCode, 200, who);
      assert.equal((await a.get(p.show({ slug: published }))).statusCode, 200, who);
      assert.equal((await a.get(p.versions({ slug: published }))).statusCode, 200, who);
      assert.equal((await a.get(p.version({ slug: published, version: '1' }))).statusCode, 200, who);
      assert.equal((await a.get(p.attachment({ slug: published, id: fileId }))).statusCode, 200, who);
    }
  });

  test('a draft is "not found" for everyone but administrators, on every page and in the API', async () => {
    for (const who of refused) {
      const a = agents.get(who)!;
      for (const url of [p.show({ slug: draft }), p.versions({ slug: draft }), p.version({ slug: draft, version: '1' })])
        assert.equal((await a.get(url)).statusCode, 404, `${who} ${url}`);
      assert.ok(!(await a.get(p.index({ q: 'draft resource' }))).body.includes(draft), who);
    }
    assert.equal((await agents.get('admin')!.get(p.show({ slug: draft }))).statusCode, 200);
    assert.equal((await agents.get('admin')!.get(p.api.one({ slug: draft }))).statusCode, 404, 'the API is public');
  });

  test('management pages: administrators only', async () => {
    for (const who of refused) {
      const a = agents.get(who)!;
      for (const url of [p.manage(), p.create(), p.edit({ slug: published }), p.attachments({ slug: published })])
        assert.equal((await a.get(url)).statusCode, refusedStatus(who), `${who} GET ${url}`);
    }
    for (const url of [p.manage(), p.create(), p.edit({ slug: published }), p.attachments({ slug: published })])
      assert.equal((await agents.get('admin')!.get(url)).statusCode, 200, url);
    // The public list offers the management link to administrators only.
    assert.match((await agents.get('admin')!.get(p.index())).body, /Manage the library/);
    assert.doesNotMatch((await agents.get('lead')!.get(p.index())).body, /Manage the library/);
  });

  test('every change is refused for others, and nothing changes', async () => {
    const before = (await t.deps.resources.repo.findBySlug(published))!;
    const count = await t.deps.resources.repo.count();
    for (const who of refused) {
      const a = agents.get(who)!;
      const status = refusedStatus(who);
      // A token from a page with a form: the sign-in page for visitors, the header's sign-out form otherwise.
      const tokenPage = who === 'anonymous' ? '/sign-in' : '/';
      const post = (url: string, form: Record<string, string | string[]>) => a.post(url, form, tokenPage);
      assert.equal((await post(p.create(), resourceForm(admin.id))).statusCode, status, `${who} create`);
      assert.equal(
        (
          await post(p.edit({ slug: published }), {
            ...resourceForm(admin.id),
            changeNote: 'x',
            startedFrom: '1',
          })
        ).statusCode,
        status,
        `${who} edit`,
      );
      assert.equal((await post(p.reviewed({ slug: published }), {})).statusCode, status, `${who} reviewed`);
      assert.equal((await post(p.status({ slug: published }), { status: 'draft' })).statusCode, status, `${who} status`);
      assert.equal((await post(p.status({ slug: draft }), { status: 'published' })).statusCode, status, `${who} publish`);
      assert.equal(
        (await post(p.removeAttachment({ slug: published, id: fileId }), {})).statusCode,
        status,
        `${who} remove file`,
      );
      const token = /name="_csrf" value="([^"]+)"/.exec((await a.get(tokenPage)).body)![1];
      const up = await uploadAttachment(a, published, { name: 'b.pdf', data: tinyPdf }, token);
      assert.equal(up.statusCode, status, `${who} upload`);
    }
    const after = (await t.deps.resources.repo.findBySlug(published))!;
    assert.deepEqual(after, before);
    assert.equal(await t.deps.resources.repo.count(), count);
    assert.equal((await t.deps.resources.repo.attachments(after.id)).length, 1);
    assert.equal((await t.deps.resources.repo.findBySlug(draft))!.status, 'draft');
  });

  test('the daily task and the API need no one signed in, and expose no drafts', async () => {
    const list = JSON.parse((await agents.get('anonymous')!.get(p.api.list({ q: 'draft' }))).body);
    assert.ok(!list.items.some((r: { slug: string }) => r.slug === draft));
  });
});
