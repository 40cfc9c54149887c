/**
 * Demo exchange opportunities (issue 9, item 3): a DCMS policy secondment and a Leeds City Council grants
 * shadowing placement from the public side, a Riverside Community Trust placement and a joint away day from
 * the civil society side; profiles for the demo charity member (discoverable, so hosts see them suggested)
 * and the DCMS lead; and one application, to Leeds, waiting for the officer's decision. Dates are set from
 * the clock so the opportunities are open whenever the demo is loaded. Runs after the accounts seeder.
 *
 * Rows are written straight to the tables (no emails are sent for made-up history).
 */
import type { Deps } from '../../container.ts';
import { toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import { match } from './exchange.matching.ts';

const DAY = 86_400_000;

export async function seedExchangeDemo(deps: Deps): Promise<string[]> {
  const { accountsRepository: accounts, exchange, clock } = deps;
  const repo = exchange.repo;
  const now = clock.now();
  const day = (offset: number) => toUkIsoDate(new Date(now.getTime() + offset * DAY));
  const org = async (slug: string) => (await accounts.findOrganisationBySlug(slug))?.id;
  const person = async (email: string) => (await accounts.findUserByEmail(email))?.id;

  const dcms = await org('department-for-culture-media-and-sport');
  const leeds = await org('leeds-city-council');
  const riverside = await org('riverside-community-trust');
  const northernLights = await org('northern-lights-youth-project');
  const lead = await person('body.lead@demo.covenant-hub.local');
  const officer = await person('body.officer@demo.covenant-hub.local');
  const csoAdmin = await person('cso.admin@demo.covenant-hub.local');
  const member = await person('cso.member@demo.covenant-hub.local');
  if (!dcms || !leeds || !riverside || !lead || !officer || !csoAdmin || !member) return [];

  const base = {
    tags: [] as string[],
    eligibleSectors: [] as string[],
    eligibleNations: [] as string[],
    updatedAt: now,
  };
  await repo.insertOpportunity({
    ...base,
    kind: 'secondment',
    title: 'Civil society policy secondment',
    description:
      'Three months in the team that looks after the Civil Society Covenant. You will help write guidance for public bodies and run roundtables with charities.\nSuits someone who has worked on funding or partnerships in a charity.',
    organisationId: dcms,
    postedBy: lead,
    skillsWanted: ['partnership_working', 'community_engagement', 'advocacy'],
    skillsOffered: ['policy_development', 'consultation_design'],
    workMode: 'hybrid',
    placeName: 'London',
    localAuthorityGss: 'E09000033',
    region: 'London',
    nation: 'england',
    startsOn: day(60),
    endsOn: day(150),
    durationValue: 3,
    durationUnit: 'months',
    clearance: 'bpss',
    eligibleSides: ['civil_society'],
    closesOn: day(30),
  });
  const grantsShadowing = await repo.insertOpportunity({
    ...base,
    kind: 'shadowing',
    title: 'Shadow the council’s community grants team',
    description:
      'A week with the officers who run the council’s community grants: from writing the criteria to the panel that decides. See why forms ask what they ask, and tell us how to make them easier.',
    organisationId: leeds,
    postedBy: officer,
    skillsWanted: ['grant_making', 'fundraising', 'community_engagement'],
    skillsOffered: ['commissioning', 'grant_making'],
    tags: ['youth work'],
    workMode: 'in_person',
    placeName: 'Leeds',
    localAuthorityGss: 'E08000035',
    region: 'Yorkshire and The Humber',
    nation: 'england',
    startsOn: day(40),
    endsOn: day(44),
    durationValue: 5,
    durationUnit: 'days',
    clearance: 'none',
    eligibleSides: ['civil_society'],
    closesOn: day(21),
  });
  await repo.insertOpportunity({
    ...base,
    kind: 'shadowing',
    title: 'Two weeks with a community trust',
    description:
      'Work alongside our volunteer coordinator and our advice service. For civil servants and council officers who fund or commission the voluntary sector and want to see it from the inside.',
    organisationId: riverside,
    postedBy: csoAdmin,
    skillsWanted: ['policy_development', 'data_analysis'],
    skillsOffered: ['volunteer_management', 'safeguarding', 'community_engagement'],
    workMode: 'in_person',
    placeName: 'Bristol',
    localAuthorityGss: 'E06000023',
    region: 'South West',
    nation: 'england',
    startsOn: day(50),
    endsOn: day(63),
    durationValue: 2,
    durationUnit: 'weeks',
    clearance: 'none',
    eligibleSides: ['public_sector'],
    eligibleNations: ['england', 'wales'],
    closesOn: day(35),
  });
  await repo.insertOpportunity({
    ...base,
    kind: 'away_day',
    title: 'Joint away day: making the Covenant work locally',
    description:
      'An online day for charities and public bodies to plan local covenant partnerships together: what each side needs, and what to try first.',
    organisationId: riverside,
    postedBy: csoAdmin,
    skillsWanted: ['partnership_working'],
    skillsOffered: ['partnership_working', 'co_production'],
    workMode: 'remote',
    placeName: null,
    localAuthorityGss: null,
    region: null,
    nation: null,
    startsOn: day(28),
    endsOn: day(28),
    durationValue: 1,
    durationUnit: 'days',
    clearance: 'none',
    eligibleSides: [],
    closesOn: day(25),
  });

  await repo.upsertProfile({
    userId: member,
    side: 'civil_society',
    organisationId: northernLights ?? null,
    headline: 'Youth worker and grants lead at a youth project',
    skillsOffered: ['grant_making', 'community_engagement', 'volunteer_management'],
    skillsWanted: ['commissioning', 'policy_development'],
    tags: ['youth work'],
    sectors: ['children-young-people'],
    localAuthorityGss: 'E08000035',
    region: 'Yorkshire and The Humber',
    nation: 'england',
    remoteOnly: false,
    availableFrom: day(14),
    availableTo: day(200),
    clearance: 'none',
    discoverable: true,
    updatedAt: now,
  });
  await repo.upsertProfile({
    userId: lead,
    side: 'public_sector',
    organisationId: dcms,
    headline: 'Policy lead for the Civil Society Covenant',
    skillsOffered: ['policy_development', 'data_analysis'],
    skillsWanted: ['volunteer_management', 'community_engagement'],
    tags: [],
    sectors: [],
    localAuthorityGss: 'E09000033',
    region: 'London',
    nation: 'england',
    remoteOnly: false,
    availableFrom: null,
    availableTo: null,
    clearance: 'sc',
    discoverable: false,
    updatedAt: now,
  });

  // The member applies to the Leeds shadowing week, with the score they saw.
  const profile = (await repo.findProfile(member))!;
  const opportunity = (await repo.findOpportunity(grantsShadowing.id))!;
  const result = match(opportunity, profile);
  await repo.insertApplication({
    opportunityId: grantsShadowing.id,
    userId: member,
    kind: 'application',
    statement:
      'I write most of our grant applications and would like to see how the panel reads them, so I can help other small youth groups in Leeds.',
    scoreAtApply: result.eligible ? result.score : null,
    updatedAt: now,
  });
  return ['Exchange: 4 opportunities (2 from public bodies, 2 from a charity), 2 profiles, 1 application'];
}
