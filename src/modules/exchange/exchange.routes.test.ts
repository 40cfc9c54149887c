/**
 * Exchange opportunities through the real app (issue 9, item 3): a council posts a secondment and a charity
 * a shadowing placement; people make profiles, see suggestions with their scores and reasons, apply or
 * express interest; the host sees suggested people, shortlists, accepts and declines; both sides record the
 * outcome and a reflection, which reach the annual review page. Bad input: 422 with the GOV.UK error
 * summary; applying after the closing date or to a closed opportunity is refused politely, the typed
 * statement kept.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { createTestApp, linkFrom, type TestApp } from '../../../test/helpers/app.ts';
import { createOrganisation, createUser, signIn, type TestUser } from '../../../test/helpers/accounts.ts';
import type { Agent } from '../../../test/helpers/agent.ts';
import { exchangePaths as p } from './exchange.paths.ts';
import { exchangeApplications, exchangeOpportunities, exchangeReflections } from './exchange.tables.ts';

type Form = Record<string, string | string[]>;

/** Splits an ISO date into the GOV.UK date input's three fields. */
function dateFields(name: string, iso: string): Form {
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
}

/** A complete, valid opportunity form (the clock stands at 5 January 2026). */
function opportunityForm(organisationId: string, overrides: Form = {}): Form {
  return {
    organisationId,
    kind: 'secondment',
    title: 'Grants team secondment',
    description: 'Spend a month in our grants team.\nSee how a council funds the voluntary sector.',
    skillsWanted: ['grant_making', 'community_engagement'],
    skillsOffered: ['commissioning'],
    tags: 'Youth work, housing',
    workMode: 'in_person',
    placeName: 'Leeds',
    localAuthorityGss: 'e08000035',
    region: 'Yorkshire and The Humber',
    nation: 'england',
    ...dateFields('startsOn', '2026-03-02'),
    ...dateFields('endsOn', '2026-03-31'),
    durationValue: '4',
    durationUnit: 'weeks',
    clearance: 'none',
    eligibleSides: 'civil_society',
    ...dateFields('closesOn', '2026-02-15'),
    ...overrides,
  };
}

function profileForm(overrides: Form = {}): Form {
  return {
    side: 'civil_society',
    organisationId: '',
    headline: 'Youth worker at a Leeds charity',
    skillsOffered: ['grant_making', 'community_engagement', 'fundraising'],
    skillsWanted: 'commissioning',
    tags: 'youth work',
    sectors: 'children-young-people',
    nation: 'england',
    region: 'Yorkshire and The Humber',
    localAuthorityGss: 'E08000035',
    clearance: 'none',
    discoverable: 'yes',
    ...overrides,
  };
}

const idFrom = (location: unknown) => /opportunities\/([0-9a-f-]{36})/.exec(String(location))![1]!;

describe('exchange opportunities: pages', () => {
  let t: TestApp;
  let council: { id: string; name: string };
  let charity: { id: string; name: string };
  let officer: TestUser;
  let officerAgent: Agent;
  let otherOfficerAgent: Agent;
  let charityAdmin: TestUser;
  let charityAdminAgent: Agent;
  let youth: TestUser;
  let youthAgent: Agent;
  let servant: TestUser;
  let servantAgent: Agent;
  let adminAgent: Agent;
  let otherOfficer: TestUser;
  let admin: TestUser;
  let secondmentId: string;

  before(async () => {
    t = await createTestApp();
    council = await createOrganisation(t.deps, { kind: 'public_body', name: 'Leeds Test Council' });
    const dept = await createOrganisation(t.deps, { kind: 'public_body', name: 'Department of Tests' });
    charity = await createOrganisation(t.deps, { kind: 'cso', name: 'Riverside Test Trust' });
    const smallCharity = await createOrganisation(t.deps, { kind: 'cso', name: 'Northern Test Project' });
    const team = await createOrganisation(t.deps, { kind: 'covenant_team' });
    officer = await createUser(t.deps, {
      name: 'Olu Officer',
      roles: [{ role: 'body_officer', organisationId: council.id }],
      totp: true,
    });
    otherOfficer = await createUser(t.deps, {
      roles: [{ role: 'body_officer', organisationId: dept.id }],
      totp: true,
    });
    charityAdmin = await createUser(t.deps, {
      name: 'Sam Admin',
      roles: [{ role: 'cso_admin', organisationId: charity.id }],
    });
    youth = await createUser(t.deps, {
      name: 'Yara Youthworker',
      roles: [{ role: 'cso_member', organisationId: smallCharity.id }],
    });
    servant = await createUser(t.deps, {
      name: 'Cy Servant',
      roles: [{ role: 'body_lead', organisationId: dept.id }],
      totp: true,
    });
    admin = await createUser(t.deps, {
      roles: [{ role: 'admin', organisationId: team.id }],
      totp: true,
    });
    const agentFor = async (u: TestUser) => {
      const a = t.agent();
      await signIn(a, u);
      return a;
    };
    officerAgent = await agentFor(officer);
    otherOfficerAgent = await agentFor(otherOfficer);
    charityAdminAgent = await agentFor(charityAdmin);
    youthAgent = await agentFor(youth);
    servantAgent = await agentFor(servant);
    adminAgent = await agentFor(admin);
  });
  after(() => t.close());

  /** Moving the clock by months ends every session (absolute expiry): everyone signs in again. */
  const signInAgain = async () => {
    for (const [agent, user] of [
      [officerAgent, officer],
      [otherOfficerAgent, otherOfficer],
      [charityAdminAgent, charityAdmin],
      [youthAgent, youth],
      [servantAgent, servant],
      [adminAgent, admin],
    ] as const) {
      agent.cookies.clear();
      await signIn(agent, user);
    }
  };

  const opportunityRow = async (id: string) =>
    (await t.deps.db.get().select().from(exchangeOpportunities).where(eq(exchangeOpportunities.id, id)))[0]!;
  const applicationOf = async (opportunityId: string, userId: string) =>
    (await t.deps.exchange.repo.findApplicationFor(opportunityId, userId))!;

  test('a body officer posts a secondment; it is on the list, on its page and in the API', async () => {
    const form = await officerAgent.get(p.create());
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Post an exchange opportunity/);
    const res = await officerAgent.submit(p.create(), opportunityForm(council.id));
    assert.equal(res.statusCode, 303, res.body);
    secondmentId = idFrom(res.headers.location);
    const row = await opportunityRow(secondmentId);
    assert.equal(row.organisationId, council.id);
    assert.equal(row.postedBy, officer.id);
    assert.equal(row.localAuthorityGss, 'E08000035');
    assert.deepEqual(row.tags, ['youth work', 'housing']);
    assert.deepEqual(row.eligibleSides, ['civil_society']);
    assert.equal(row.closesOn, '2026-02-15');

    const page = await officerAgent.get(String(res.headers.location));
    assert.match(page.body, /Opportunity published/);
    assert.match(page.body, /<h1 class="govuk-heading-l">Grants team secondment<\/h1>/);
    assert.match(page.body, /Leeds, England \(In person\)/);
    assert.match(page.body, /4 weeks/);
    assert.match(page.body, /Grant making, Community engagement/);
    assert.match(page.body, /Civil society/);
    assert.ok(page.body.includes(`href="${p.manage({ id: secondmentId })}"`));

    // Anonymous readers see it too, with a link to sign in rather than a form.
    const anon = await t.agent().get(p.show({ id: secondmentId }));
    assert.equal(anon.statusCode, 200);
    assert.match(anon.body, /Sign in to apply/);
    assert.doesNotMatch(anon.body, new RegExp(p.apply({ id: secondmentId })));

    const api = await t.app.inject({ url: p.api.one({ id: secondmentId }) });
    assert.equal(api.statusCode, 200);
    const json = api.json();
    assert.equal(json.title, 'Grants team secondment');
    assert.deepEqual(json.host, { name: 'Leeds Test Council', slug: json.host.slug });
    assert.deepEqual(json.duration, { value: 4, unit: 'weeks' });
    assert.equal(json.status, 'open');
    assert.equal(json.postedBy, undefined);
  });

  test('a charity administrator posts a remote shadowing placement for civil servants', async () => {
    const res = await charityAdminAgent.submit(
      p.create(),
      opportunityForm(charity.id, {
        kind: 'shadowing',
        title: 'Shadow our volunteer coordinator',
        skillsWanted: 'policy_development',
        skillsOffered: ['volunteer_management', 'safeguarding'],
        tags: '',
        workMode: 'remote',
        placeName: 'ignored for remote',
        nation: '',
        region: '',
        localAuthorityGss: '',
        eligibleSides: 'public_sector',
        ...dateFields('startsOn', '2026-04-13'),
        ...dateFields('endsOn', '2026-04-17'),
        durationValue: '5',
        durationUnit: 'days',
        ...dateFields('closesOn', '2026-03-31'),
      }),
    );
    assert.equal(res.statusCode, 303, res.body);
    const row = await opportunityRow(idFrom(res.headers.location));
    assert.equal(row.kind, 'shadowing');
    assert.equal(row.placeName, null);
    assert.equal(row.nation, null);
  });

  test('the list filters by type, skill, nation and remote; the API filters the same way', async () => {
    const all = await t.agent().get(p.index());
    assert.equal(all.statusCode, 200);
    assert.match(all.body, /2 open opportunities/);
    const titles = (url: string) =>
      t
        .agent()
        .get(url)
        .then((r) => [...r.body.matchAll(/govuk-summary-card__title"><a[^>]*>([^<]+)</g)].map((m) => m[1]));
    assert.deepEqual(await titles(p.index({ kind: 'shadowing' })), ['Shadow our volunteer coordinator']);
    assert.deepEqual(await titles(p.index({ skill: 'grant_making' })), ['Grants team secondment']);
    assert.deepEqual(await titles(p.index({ skill: 'safeguarding' })), ['Shadow our volunteer coordinator']);
    assert.deepEqual(await titles(p.index({ remote: 'yes' })), ['Shadow our volunteer coordinator']);
    // Remote work can be done from Scotland; the Leeds secondment cannot.
    assert.deepEqual(await titles(p.index({ nation: 'scotland' })), ['Shadow our volunteer coordinator']);
    assert.equal((await titles(p.index({ nation: 'england' }))).length, 2);
    // An unknown filter value is ignored, not an error.
    assert.equal((await titles(p.index({ kind: 'picnic' }))).length, 2);

    const api = await t.app.inject({ url: p.api.list({ kind: 'secondment' }) });
    assert.equal(api.statusCode, 200);
    assert.deepEqual(
      api.json().items.map((i: { title: string }) => i.title),
      ['Grants team secondment'],
    );
    const bad = await t.app.inject({ url: p.api.list({ kind: 'picnic' }) });
    assert.equal(bad.statusCode, 400);
  });

  test('posting with bad input: 422 with the error summary, what was typed kept', async () => {
    const empty = await officerAgent.submit(p.create(), {
      organisationId: council.id,
      title: 'Half a title',
      localAuthorityGss: 'Leeds',
    });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /govuk-error-summary/);
    assert.match(empty.body, /<title>Error: /);
    for (const message of [
      'Choose the type of opportunity',
      'Enter a description',
      'Choose how the work is done',
      'Enter a real date',
      'Enter the time commitment as a whole number from 1 to 365',
      'Enter a GSS code like E08000035',
    ])
      assert.ok(empty.body.includes(message), message);
    assert.match(empty.body, /value="Half a title"/);

    const inPerson = await officerAgent.submit(
      p.create(),
      opportunityForm(council.id, {
        placeName: '',
        ...dateFields('endsOn', '2026-03-01'),
        ...dateFields('closesOn', '2026-03-10'),
      }),
    );
    assert.equal(inPerson.statusCode, 422);
    assert.match(inPerson.body, /Enter the place, or choose remote/);
    assert.match(inPerson.body, /The end date must be the same as or after the start date/);
    assert.match(inPerson.body, /The closing date must be on or before the start date/);
    assert.match(inPerson.body, /href="#placeName"/);
    assert.match(inPerson.body, /Spend a month in our grants team/);

    const past = await officerAgent.submit(
      p.create(),
      opportunityForm(council.id, { ...dateFields('closesOn', '2026-01-04') }),
    );
    assert.equal(past.statusCode, 422);
    assert.match(past.body, /The closing date must be today or in the future/);
    assert.match(past.body, /name="closesOn-day"[^>]*value="4"|value="4"[^>]*name="closesOn-day"/);

    // Posting for an organisation the person does not speak for.
    const foreign = await officerAgent.submit(p.create(), opportunityForm(charity.id));
    assert.equal(foreign.statusCode, 422);
    assert.match(foreign.body, /You can only post for an organisation where you are/);
    assert.equal((await t.deps.exchange.hosted([council.id, charity.id])).length, 2);
  });

  test('a profile: 422 without the required answers; then suggestions with scores and reasons', async () => {
    const none = await youthAgent.get(p.suggestions());
    assert.match(none.body, /Create your exchange profile first/);
    const bad = await youthAgent.submit(
      p.profile(),
      profileForm({ headline: '', nation: '', 'availableTo-day': '1', 'availableTo-month': '13' }),
    );
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /govuk-error-summary/);
    assert.match(bad.body, /Enter your role in a line/);
    assert.match(bad.body, /Choose a nation/);
    assert.match(bad.body, /Enter a real date/);

    const ok = await youthAgent.submit(
      p.profile(),
      profileForm({
        ...dateFields('availableFrom', '2026-03-16'),
        ...dateFields('availableTo', '2026-06-30'),
      }),
    );
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, p.suggestions());
    const page = await youthAgent.get(p.suggestions());
    // Only the secondment: the shadowing placement is for the public sector.
    assert.match(page.body, /Grants team secondment/);
    assert.doesNotMatch(page.body, /Shadow our volunteer coordinator/);
    // Skills 3 of 4 wanted (2 skills and 1 of the 2 tags) → 35 × 3/4 = 26.25, plus 15 for commissioning
    // → 41; place 20; dates 16 of 30 days → 11; clearance 10: 82.
    assert.match(page.body, /Match score: 82 out of 100/);
    assert.match(page.body, /Matches 3 of 4 skills wanted: Grant making, Community engagement, youth work/);
    assert.match(page.body, /In your local authority area \(Leeds\)/);
    assert.match(page.body, /53% of the dates are inside your availability/);

    const again = await youthAgent.get(p.profile());
    assert.match(again.body, /value="Youth worker at a Leeds charity"/);

    // The civil servant sees the other direction: the charity's placement, not the council's secondment.
    await servantAgent.submit(
      p.profile(),
      profileForm({
        side: 'public_sector',
        headline: 'Policy adviser',
        skillsOffered: 'policy_development',
        skillsWanted: ['volunteer_management', 'safeguarding'],
        tags: '',
        sectors: '',
        region: 'London',
        localAuthorityGss: '',
        clearance: 'sc',
        discoverable: '',
      }),
    );
    const theirs = await servantAgent.get(p.suggestions());
    assert.match(theirs.body, /Shadow our volunteer coordinator/);
    assert.doesNotMatch(theirs.body, /Grants team secondment/);
    // Skills 35 + 15, remote 20, dates not given 10, no clearance needed 10.
    assert.match(theirs.body, /Match score: 90 out of 100/);
    assert.match(theirs.body, /Remote: can be done from anywhere/);
  });

  test('applying: the statement is required; interest first, then an application; no duplicates', async () => {
    const show = await youthAgent.get(p.show({ id: secondmentId }));
    assert.match(show.body, /How well this matches your profile/);
    assert.match(show.body, /Match score: 82 out of 100/);
    assert.ok(show.body.includes(`action="${p.apply({ id: secondmentId })}"`));

    const noKind = await youthAgent.submit(p.show({ id: secondmentId }), {}, p.apply({ id: secondmentId }));
    assert.equal(noKind.statusCode, 422);
    assert.match(noKind.body, /Choose whether to apply or express interest/);
    const noStatement = await youthAgent.submit(
      p.show({ id: secondmentId }),
      { kind: 'application', statement: '  ' },
      p.apply({ id: secondmentId }),
    );
    assert.equal(noStatement.statusCode, 422);
    assert.match(noStatement.body, /Enter why you want to take part and what you would bring/);
    assert.match(noStatement.body, /href="#statement"/);

    const interest = await youthAgent.submit(
      p.show({ id: secondmentId }),
      { kind: 'interest', statement: '' },
      p.apply({ id: secondmentId }),
    );
    assert.equal(interest.statusCode, 303);
    assert.equal(interest.headers.location, p.mine());
    const first = await applicationOf(secondmentId, youth.id);
    assert.equal(first.kind, 'interest');
    assert.equal(first.scoreAtApply, 82);
    await t.deliverEmails();
    const told = t.mail.lastTo(officer.email);
    assert.match(told!.subject, /New expression of interest for “Grants team secondment”/);
    assert.equal(linkFrom(told, '/support/exchange/'), p.manage({ id: secondmentId }));

    const mine = await youthAgent.get(p.mine());
    assert.match(mine.body, /Sent. The host will be in touch/);
    assert.match(mine.body, /Expression of interest/);

    const upgrade = await youthAgent.submit(
      p.show({ id: secondmentId }),
      { kind: 'application', statement: 'I run grant panels for young people.' },
      p.apply({ id: secondmentId }),
    );
    assert.equal(upgrade.statusCode, 303);
    const upgraded = await applicationOf(secondmentId, youth.id);
    assert.equal(upgraded.id, first.id);
    assert.equal(upgraded.kind, 'application');

    const duplicate = await youthAgent.submit(
      p.show({ id: secondmentId }),
      { kind: 'application', statement: 'Second go' },
      p.apply({ id: secondmentId }),
    );
    assert.equal(duplicate.statusCode, 422);
    assert.match(duplicate.body, /You have already applied for this opportunity/);
    assert.match(duplicate.body, /Second go/);
  });

  test('refusals: no profile, not eligible, own organisation; each a clear message, nothing saved', async () => {
    const noProfile = await charityAdminAgent.submit(
      p.show({ id: secondmentId }),
      { kind: 'application', statement: 'Keep me' },
      p.apply({ id: secondmentId }),
    );
    assert.equal(noProfile.statusCode, 422);
    assert.match(noProfile.body, /Create your exchange profile before you apply/);
    assert.match(noProfile.body, /Keep me/);

    const ineligible = await servantAgent.submit(
      p.show({ id: secondmentId }),
      { kind: 'application', statement: 'A civil servant tries' },
      p.apply({ id: secondmentId }),
    );
    assert.equal(ineligible.statusCode, 422);
    assert.match(
      ineligible.body,
      /You are not eligible for this opportunity: Open only to people working in civil society/,
    );
    assert.match(ineligible.body, /A civil servant tries/);

    await officerAgent.submit(
      p.profile(),
      profileForm({ side: 'public_sector', headline: 'Grants officer' }),
    );
    const own = await officerAgent.submit(
      p.show({ id: secondmentId }),
      { kind: 'interest', statement: '' },
      p.apply({ id: secondmentId }),
    );
    assert.equal(own.statusCode, 422);
    assert.match(own.body, /You cannot apply for an opportunity your own organisation posted/);
    assert.equal(await t.deps.exchange.repo.findApplicationFor(secondmentId, servant.id), undefined);
    assert.equal(await t.deps.exchange.repo.findApplicationFor(secondmentId, charityAdmin.id), undefined);
  });

  test('the host: applications with their scores, people suggested with reasons, an invitation', async () => {
    // A discoverable person who has not applied is suggested to the host.
    const other = await createUser(t.deps, { name: 'Dee Discoverable' });
    const otherAgent = t.agent();
    await signIn(otherAgent, other);
    await otherAgent.submit(p.profile(), profileForm({ headline: 'Community organiser', skillsWanted: '' }));
    // And someone who would rather not be found is not.
    const hidden = await createUser(t.deps, { name: 'Hal Hidden' });
    const hiddenAgent = t.agent();
    await signIn(hiddenAgent, hidden);
    await hiddenAgent.submit(p.profile(), profileForm({ headline: 'Private person', discoverable: '' }));

    const page = await officerAgent.get(p.manage({ id: secondmentId }));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Yara Youthworker · Application/);
    assert.match(page.body, /I run grant panels for young people/);
    assert.match(page.body, /Match score: 82 out of 100/);
    assert.match(page.body, /Dee Discoverable – Community organiser/);
    // Dee wants to develop nothing on offer: 26 + 0 + 20 + 10 (dates unknown) + 10 = 66.
    assert.match(page.body, /Match score: 66 out of 100/);
    assert.match(page.body, /You have not said when you are available/);
    assert.doesNotMatch(page.body, /Hal Hidden/);
    // Applicants are not suggested again, nor the host's own officer (who made a discoverable profile).
    assert.doesNotMatch(page.body, /Yara Youthworker – /);
    assert.doesNotMatch(page.body, /Grants officer/);

    const invite = await officerAgent.submit(
      p.manage({ id: secondmentId }),
      { userId: other.id },
      p.invite({ id: secondmentId }),
    );
    assert.equal(invite.statusCode, 303);
    await t.deliverEmails();
    const email = t.mail.lastTo(other.email);
    assert.match(email!.subject, /You are invited to apply: “Grants team secondment”/);
    assert.equal(linkFrom(email, '/support/exchange/'), p.show({ id: secondmentId }));
    // The hidden person cannot be invited, even by a hand-made form.
    const refused = await officerAgent.submit(
      p.manage({ id: secondmentId }),
      { userId: hidden.id },
      p.invite({ id: secondmentId }),
    );
    assert.equal(refused.statusCode, 404);
    const tampered = await officerAgent.submit(
      p.manage({ id: secondmentId }),
      { userId: 'not-an-id' },
      p.invite({ id: secondmentId }),
    );
    assert.equal(tampered.statusCode, 400);

    // Another public body's officer is not the host.
    assert.equal((await otherOfficerAgent.get(p.manage({ id: secondmentId }))).statusCode, 403);
  });

  test('the host shortlists, accepts and declines; the applicant is told; an impossible step is refused', async () => {
    const app = await applicationOf(secondmentId, youth.id);
    // A second applicant, to decline.
    const second = await createUser(t.deps, { name: 'Bo Second' });
    const secondAgent = t.agent();
    await signIn(secondAgent, second);
    await secondAgent.submit(p.profile(), profileForm({ headline: 'Volunteer manager', discoverable: '' }));
    await secondAgent.submit(
      p.show({ id: secondmentId }),
      { kind: 'application', statement: 'Please consider me' },
      p.apply({ id: secondmentId }),
    );
    const secondApp = await applicationOf(secondmentId, second.id);

    const decide = (applicationId: string, decision: string) =>
      officerAgent.submit(p.manage({ id: secondmentId }), { decision }, p.decide({ applicationId }));

    const shortlisted = await decide(app.id, 'shortlisted');
    assert.equal(shortlisted.statusCode, 303);
    assert.equal(shortlisted.headers.location, p.manage({ id: secondmentId }));
    assert.equal((await applicationOf(secondmentId, youth.id)).state, 'shortlisted');
    assert.equal((await decide(app.id, 'accepted')).statusCode, 303);
    const accepted = await applicationOf(secondmentId, youth.id);
    assert.equal(accepted.state, 'accepted');
    assert.ok(accepted.decidedAt);
    await t.deliverEmails();
    // Both decisions are told (the order in which the outbox sends two emails queued at once is not fixed).
    const subjects = t.mail.sent.filter((m) => m.to === youth.email).map((m) => m.subject);
    assert.ok(
      subjects.includes('Your application for “Grants team secondment”: shortlisted'),
      String(subjects),
    );
    assert.ok(subjects.includes('Your application for “Grants team secondment”: accepted'), String(subjects));

    assert.equal((await decide(secondApp.id, 'declined')).statusCode, 303);
    assert.equal((await applicationOf(secondmentId, second.id)).state, 'declined');

    // Declining an accepted application: refused on the same page with the reason.
    const late = await decide(app.id, 'declined');
    assert.equal(late.statusCode, 422);
    assert.match(late.body, /govuk-error-summary/);
    assert.match(late.body, /That change is not possible now: the application is accepted/);
    assert.equal((await applicationOf(secondmentId, youth.id)).state, 'accepted');
    assert.equal((await decide(app.id, 'promoted')).statusCode, 400);

    // Only the applicant withdraws, and not once declined.
    const secondMine = await secondAgent.get(p.mine());
    assert.match(secondMine.body, /Declined/);
    assert.doesNotMatch(secondMine.body, /Withdraw/);
    const withdrawDeclined = await secondAgent.submit(
      p.mine(),
      {},
      p.withdraw({ applicationId: secondApp.id }),
    );
    assert.equal(withdrawDeclined.statusCode, 303);
    assert.match(
      (await secondAgent.get(p.mine())).body,
      /That change is not possible now: the application is declined/,
    );
    assert.equal(
      (await officerAgent.submit(p.mine(), {}, p.withdraw({ applicationId: app.id }))).statusCode,
      403,
    );
  });

  test('withdrawing and applying again', async () => {
    const shadowing = (await t.deps.exchange.hosted([charity.id]))[0]!;
    await servantAgent.submit(
      p.show({ id: shadowing.id }),
      { kind: 'interest' },
      p.apply({ id: shadowing.id }),
    );
    const app = await applicationOf(shadowing.id, servant.id);
    const res = await servantAgent.submit(p.mine(), {}, p.withdraw({ applicationId: app.id }));
    assert.equal(res.statusCode, 303);
    assert.match((await servantAgent.get(p.mine())).body, /Application withdrawn/);
    assert.equal((await applicationOf(shadowing.id, servant.id)).state, 'withdrawn');
    const again = await servantAgent.submit(
      p.show({ id: shadowing.id }),
      { kind: 'application', statement: 'Back again' },
      p.apply({ id: shadowing.id }),
    );
    assert.equal(again.statusCode, 303);
    const back = await applicationOf(shadowing.id, servant.id);
    assert.equal(back.id, app.id);
    assert.equal(back.state, 'submitted');
  });

  test('the outcome and reflection: not before the start, then once from each side; the review sees them', async () => {
    const app = await applicationOf(secondmentId, youth.id);
    const url = p.reflection({ applicationId: app.id });
    const early = await youthAgent.submit(url, { outcome: 'completed', reflection: 'Too soon to say' });
    assert.equal(early.statusCode, 422);
    assert.match(early.body, /You can record the outcome once the exchange has started/);
    assert.match(early.body, /Too soon to say/);

    t.clock.set('2026-04-02T09:00:00Z');
    await signInAgain();
    const empty = await youthAgent.submit(url, { outcome: '', reflection: '' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Choose what happened/);
    assert.match(empty.body, /Enter a short reflection/);
    const long = await youthAgent.submit(url, { outcome: 'completed', reflection: 'x'.repeat(1001) });
    assert.equal(long.statusCode, 422);
    assert.match(long.body, /Your reflection must be 1,000 characters or fewer/);

    const participant = await youthAgent.submit(url, {
      outcome: 'completed',
      reflection: 'I learnt how commissioning really works.',
    });
    assert.equal(participant.statusCode, 303);
    assert.equal(participant.headers.location, p.mine());
    const host = await officerAgent.submit(url, {
      outcome: 'partly_completed',
      reflection: 'Our grants process is now simpler for small charities.',
    });
    assert.equal(host.statusCode, 303);
    assert.equal(host.headers.location, p.manage({ id: secondmentId }));
    const rows = await t.deps.db
      .get()
      .select()
      .from(exchangeReflections)
      .where(eq(exchangeReflections.applicationId, app.id));
    assert.deepEqual(rows.map((r) => r.party).sort(), ['host', 'participant']);

    const twice = await youthAgent.submit(url, { outcome: 'completed', reflection: 'Again' }, url);
    assert.equal(twice.statusCode, 422);
    assert.match(twice.body, /The outcome has already been recorded/);
    const shown = await youthAgent.get(url);
    assert.match(shown.body, /You recorded: Completed/);
    const manage = await officerAgent.get(p.manage({ id: secondmentId }));
    assert.match(manage.body, /Participant: Completed<\/strong> – I learnt how commissioning really works/);

    // A person who is neither side, and an application that was not accepted.
    assert.equal((await otherOfficerAgent.get(url)).statusCode, 403);
    const shadowing = (await t.deps.exchange.hosted([charity.id]))[0]!;
    const notAccepted = await applicationOf(shadowing.id, servant.id);
    const refused = await servantAgent.submit(p.reflection({ applicationId: notAccepted.id }), {
      outcome: 'completed',
      reflection: 'Never went',
    });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /Only an accepted application has an outcome to record/);

    // The Covenant team's annual review page: counts and the reflections, no names.
    const review = await adminAgent.get(p.review({ year: '2026' }));
    assert.equal(review.statusCode, 200);
    assert.match(review.body, /Exchanges for the annual review, 2026/);
    assert.match(review.body, /Reflections recorded \(2\)/);
    assert.match(review.body, /Our grants process is now simpler for small charities/);
    assert.doesNotMatch(review.body, /Yara|Olu Officer|Leeds Test Council/);
    const figures = await t.deps.exchange.annualReviewFigures(2026);
    assert.equal(figures.accepted.secondment, 1);
    assert.equal(figures.outcomes.secondment.completed.participant, 1);
    assert.equal(figures.outcomes.secondment.partly_completed.host, 1);
    const lastYear = await adminAgent.get(p.review({ year: '2025' }));
    assert.match(lastYear.body, /No reflections were recorded in this year/);
    assert.equal((await youthAgent.get(p.review())).statusCode, 403);
  });

  test('after the closing date: refused politely, the statement kept; a closed opportunity the same', async () => {
    // The clock is past both closing dates now (2 April 2026).
    const res = await officerAgent.submit(
      p.create(),
      opportunityForm(council.id, {
        title: 'Joint away day',
        kind: 'away_day',
        ...dateFields('startsOn', '2026-06-10'),
        ...dateFields('endsOn', '2026-06-10'),
        ...dateFields('closesOn', '2026-05-01'),
        durationValue: '1',
        durationUnit: 'days',
      }),
    );
    assert.equal(res.statusCode, 303);
    const awayDay = idFrom(res.headers.location);

    const expiredPage = await youthAgent.get(p.show({ id: secondmentId }));
    assert.match(expiredPage.body, /This opportunity is no longer taking applications/);
    assert.doesNotMatch(expiredPage.body, new RegExp(`action="${p.apply({ id: secondmentId })}"`));
    assert.equal((await t.app.inject({ url: p.api.one({ id: secondmentId }) })).json().status, 'expired');
    assert.doesNotMatch((await t.agent().get(p.index())).body, /Grants team secondment/);

    const other = await createUser(t.deps, { name: 'Late Lou' });
    const lateAgent = t.agent();
    await signIn(lateAgent, other);
    await lateAgent.submit(p.profile(), profileForm({ headline: 'Late applicant' }));
    const statement = 'I only just saw this and I would love to come.';
    const late = await lateAgent.submit(
      p.show({ id: secondmentId }),
      { kind: 'application', statement },
      p.apply({ id: secondmentId }),
    );
    assert.equal(late.statusCode, 422);
    assert.match(late.body, /govuk-error-summary/);
    assert.match(late.body, /The closing date for this opportunity has passed/);
    assert.ok(late.body.includes(statement));
    assert.equal(await t.deps.exchange.repo.findApplicationFor(secondmentId, other.id), undefined);

    // The host closes the away day early: the same polite refusal, worded for a closed opportunity.
    const closed = await officerAgent.submit(
      p.manage({ id: awayDay }),
      { status: 'closed' },
      p.status({ id: awayDay }),
    );
    assert.equal(closed.statusCode, 303);
    assert.match(
      (await officerAgent.get(p.manage({ id: awayDay }))).body,
      /Opportunity status changed to: Closed/,
    );
    const refused = await lateAgent.submit(
      p.show({ id: secondmentId }),
      { kind: 'interest', statement: 'Tell me more' },
      p.apply({ id: awayDay }),
    );
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /This opportunity has closed. Applications are no longer accepted/);
    assert.match(refused.body, /Tell me more/);
    assert.equal(
      (await officerAgent.submit(p.manage({ id: awayDay }), { status: 'sold' }, p.status({ id: awayDay })))
        .statusCode,
      400,
    );
    const apps = await t.deps.db
      .get()
      .select()
      .from(exchangeApplications)
      .where(eq(exchangeApplications.opportunityId, awayDay));
    assert.equal(apps.length, 0);
  });

  test('the host changes an opportunity; a bad change is 422 with the values kept', async () => {
    const edit = p.edit({ id: secondmentId });
    const page = await officerAgent.get(edit);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /value="Grants team secondment"/);
    assert.match(page.body, /value="youth work, housing"/);
    const bad = await officerAgent.submit(
      edit,
      opportunityForm(council.id, { title: '', description: 'New words' }),
    );
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Enter a title/);
    assert.match(bad.body, /New words/);
    const ok = await officerAgent.submit(
      edit,
      opportunityForm(charity.id, {
        title: 'Grants team secondment (extended)',
        ...dateFields('closesOn', '2026-02-20'),
      }),
    );
    assert.equal(ok.statusCode, 303);
    const row = await opportunityRow(secondmentId);
    assert.equal(row.title, 'Grants team secondment (extended)');
    // The host cannot be changed by editing the form.
    assert.equal(row.organisationId, council.id);
    assert.equal((await charityAdminAgent.get(edit)).statusCode, 403);
  });

  test('unknown ids are 404, in pages and the API', async () => {
    assert.equal((await t.agent().get(p.show({ id: 'nope' }))).statusCode, 404);
    assert.equal(
      (await t.agent().get(p.show({ id: '00000000-0000-4000-8000-000000000000' }))).statusCode,
      404,
    );
    const api = await t.app.inject({ url: p.api.one({ id: '00000000-0000-4000-8000-000000000000' }) });
    assert.equal(api.statusCode, 404);
    assert.match(String(api.headers['content-type']), /problem\+json/);
  });

  test('the OpenAPI document describes both opportunity endpoints', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    const list = doc.paths['/api/v1/opportunities'];
    const one = doc.paths['/api/v1/opportunities/{id}'];
    assert.ok(list?.get, 'list endpoint documented');
    assert.ok(one?.get, 'one endpoint documented');
    assert.deepEqual(list.get.tags, ['Support']);
    const item = list.get.responses['200'].content['application/json'].schema.properties.items.items;
    assert.ok(item.properties.clearance.enum.includes('sc'));
    assert.ok(!('statement' in item.properties) && !('postedBy' in item.properties));
    assert.ok(one.get.responses['404']);
  });
});
