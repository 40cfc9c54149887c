/**
 * Demo local covenant partnerships for two real areas in the directory's reference data: Leeds City Council
 * (under the demo Leeds local covenant) and the West Yorkshire Combined Authority (its local covenant still
 * being agreed). Everything else about them (names, officers, meetings, actions) is made up and marked
 * "(demo)"; the demo body officer's account is linked to the Leeds officer so they can manage it.
 */
import type { Deps } from '../../container.ts';

const day = (now: Date, offsetDays: number) =>
  new Date(now.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);

export async function seedPartnershipsDemo(deps: Deps): Promise<string[]> {
  const repo = deps.partnerships.repo;
  const now = deps.clock.now();
  const leeds = await repo.areaOrganisation('leeds-city-council');
  const westYorkshire = await repo.areaOrganisation('west-yorkshire-combined-authority');
  if (!leeds || !westYorkshire) return [];
  const leedsCovenant = await repo.localSubCovenant('leeds-local-covenant-partnership');
  const officerAccount = await repo.userByEmail('body.officer@demo.covenant-hub.local');

  const leedsP = await repo.insert({
    slug: 'leeds-local-covenant-partnership-demo',
    name: 'Leeds Local Covenant Partnership (demo)',
    summary:
      'Demo data. The council, the NHS and Leeds charities meet each quarter to put the local covenant into practice: fair funding, early consultation and a shared route for raising problems.',
    areaOrganisationId: leeds.id,
    subCovenantId: leedsCovenant?.id ?? null,
    forumName: 'Leeds Third Sector Assembly (demo)',
    forumUrl: null,
    updatedAt: now,
  });
  for (const [name, role] of [
    ['voluntary-action-network', 'Co-chair: voluntary sector infrastructure body'],
    ['riverside-community-trust', 'Member: community organisations'],
    ['Leeds Teaching Hospitals NHS Trust', 'Member: health'],
    ['Leeds Food Bank (demo)', 'Member: food and poverty'],
  ] as const) {
    const organisation = await repo.organisationByNameOrSlug(name);
    if (organisation)
      await repo.insertPartner({ partnershipId: leedsP.id, organisationId: organisation.id, role });
  }
  await repo.insertOfficer({
    partnershipId: leedsP.id,
    name: 'Olu Officer (demo)',
    roleTitle: 'Local accountable officer, Leeds City Council',
    contact: 'covenant-leads@leeds-city-council.example.gov.uk',
    organisationId: leeds.id,
    userId: officerAccount?.id ?? null,
  });
  await repo.insertOfficer({
    partnershipId: leedsP.id,
    name: 'Vic Voluntary (demo)',
    roleTitle: 'Co-chair, Leeds Third Sector Assembly',
    contact: 'https://example.org/leeds-assembly/contact',
  });
  const first = await repo.insertMeeting({
    partnershipId: leedsP.id,
    heldOn: day(now, -70),
    title: 'Quarterly partnership meeting (demo)',
    minutes:
      'Demo minutes.\nThe council presented its draft engagement action plan; members asked for the grants timetable to be published in April.\nAgreed: the council will give at least 3 months’ notice of any change to grant funding (Covenant standard F1).',
  });
  await repo.insertMeeting({
    partnershipId: leedsP.id,
    heldOn: day(now, 20),
    title: 'Quarterly partnership meeting (demo)',
    minutes: '',
  });
  for (const [title, owner, due, status] of [
    ['Publish the grants timetable for next year', 'Leeds City Council', day(now, -10), 'in_progress'],
    ['Share the draft engagement action plan with the assembly', 'Leeds City Council', day(now, -40), 'done'],
    [
      'Run a session on the front door for small charities',
      'Voluntary Action Network',
      day(now, 45),
      'not_started',
    ],
  ] as const) {
    await repo.insertAction({
      partnershipId: leedsP.id,
      meetingId: first.id,
      title,
      owner,
      dueOn: due,
      status,
      updatedAt: now,
    });
  }

  const wy = await repo.insert({
    slug: 'west-yorkshire-covenant-partnership-demo',
    name: 'West Yorkshire Covenant Partnership (demo)',
    summary:
      'Demo data. The combined authority and the five districts’ voluntary sector networks are agreeing a local covenant for the region’s missions.',
    areaOrganisationId: westYorkshire.id,
    subCovenantId: null,
    forumName: 'West Yorkshire Voluntary Sector Leaders’ Group (demo)',
    forumUrl: null,
    updatedAt: now,
  });
  const network = await repo.organisationByNameOrSlug('voluntary-action-network');
  if (network) await repo.insertPartner({ partnershipId: wy.id, organisationId: network.id, role: 'Member' });
  await repo.insertOfficer({
    partnershipId: wy.id,
    name: 'Wyn Authority (demo)',
    roleTitle: 'Head of Policy, West Yorkshire Combined Authority',
    contact: 'covenant@west-yorkshire-combined-authority.example.gov.uk',
    organisationId: westYorkshire.id,
  });
  await repo.insertAction({
    partnershipId: wy.id,
    title: 'Draft the local covenant text for consultation',
    owner: 'West Yorkshire Combined Authority',
    dueOn: day(now, 60),
    status: 'in_progress',
    updatedAt: now,
  });
  return ['Partnerships: 2 demo local covenant partnerships (Leeds, West Yorkshire)'];
}
