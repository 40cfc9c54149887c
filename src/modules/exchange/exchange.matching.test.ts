/**
 * Matching on fixed examples (issue 9 acceptance: "scores and reasons on fixed examples"), in both
 * directions: a civil society person against a council's secondment, a civil servant against a charity's
 * shadowing placement, and each host's ranked list of people. Every number below is worked out by hand from
 * the table in exchange.matching.ts, so a change to a weight or a rule fails here.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { translator } from '../../platform/i18n/i18n.ts';
import {
  clearanceSatisfies,
  eligibility,
  isTakingApplications,
  match,
  rank,
  scoreDates,
  scorePlace,
  type MatchOpportunity,
  type MatchProfile,
  type MatchResult,
} from './exchange.matching.ts';
import { presentMatch } from './exchange.present.ts';

const t = translator('en');

/** A council's secondment: 4 skills and a tag wanted, 2 on offer, in Leeds, 30 days in March, BPSS. */
const councilSecondment: MatchOpportunity = {
  skillsWanted: ['grant_making', 'community_engagement', 'data_analysis', 'evaluation'],
  skillsOffered: ['commissioning', 'policy_development'],
  tags: ['youth work'],
  workMode: 'in_person',
  localAuthorityGss: 'E08000035',
  placeName: 'Leeds',
  region: 'Yorkshire and The Humber',
  nation: 'england',
  startsOn: '2026-03-02',
  endsOn: '2026-03-31',
  clearance: 'bpss',
  eligibleSides: ['civil_society'],
  eligibleSectors: [],
  eligibleNations: [],
  closesOn: '2026-02-15',
  status: 'open',
};

/** A charity's shadowing week in Bristol (hybrid), for civil servants in England or Wales. */
const charityShadowing: MatchOpportunity = {
  skillsWanted: ['policy_development'],
  skillsOffered: ['volunteer_management', 'community_engagement', 'safeguarding'],
  tags: [],
  workMode: 'hybrid',
  localAuthorityGss: 'E06000023',
  placeName: 'Bristol',
  region: 'South West',
  nation: 'england',
  startsOn: '2026-04-13',
  endsOn: '2026-04-17',
  clearance: 'none',
  eligibleSides: ['public_sector'],
  eligibleSectors: [],
  eligibleNations: ['england', 'wales'],
  closesOn: '2026-03-31',
  status: 'open',
};

/** A youth worker in Leeds: 3 of the 4 skills, the tag, wants commissioning, free from 16 March. */
const youthWorker: MatchProfile = {
  side: 'civil_society',
  skillsOffered: ['grant_making', 'community_engagement', 'evaluation', 'fundraising'],
  skillsWanted: ['commissioning'],
  tags: ['youth work'],
  sectors: ['children-young-people'],
  localAuthorityGss: 'E08000035',
  region: 'Yorkshire and The Humber',
  nation: 'england',
  remoteOnly: false,
  availableFrom: '2026-03-16',
  availableTo: '2026-06-30',
  clearance: 'none',
};

/** A policy adviser in London with SC clearance and no dates given. */
const civilServant: MatchProfile = {
  side: 'public_sector',
  skillsOffered: ['policy_development', 'procurement'],
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
};

const eligible = (r: MatchResult) => {
  assert.ok(r.eligible, 'expected an eligible match');
  return r;
};

describe('exchange matching: a person looking at opportunities', () => {
  test('the youth worker and the council secondment: 67, with each part and its reason', () => {
    const r = eligible(match(councilSecondment, youthWorker));
    // Skills: 4 of 5 wanted (the tag counts) → 35 × 0.8 = 28; 1 of 2 on offer wanted → 15 × 0.5 = 7.5; 35.5 → 36.
    assert.deepEqual(r.parts.skills, {
      points: 36,
      max: 50,
      reason: {
        key: 'exchange.match.skills',
        params: { matched: 4, wanted: 5, learn: 1, missing: 1 },
        items: ['grant_making', 'community_engagement', 'evaluation', 'tag:youth work'],
      },
    });
    assert.deepEqual(r.parts.place, {
      points: 20,
      max: 20,
      reason: { key: 'exchange.match.placeSameArea', params: { place: 'Leeds' } },
    });
    // Dates: 16 of the 30 days (16–31 March) → 20 × 16/30 = 10.67 → 11; 53%.
    assert.deepEqual(r.parts.dates, {
      points: 11,
      max: 20,
      reason: { key: 'exchange.match.datesSome', params: { percent: 53 } },
    });
    assert.deepEqual(r.parts.clearance, {
      points: 0,
      max: 10,
      reason: { key: 'exchange.match.clearanceMissing', params: { level: 'bpss', yours: 'none' } },
    });
    assert.equal(r.score, 67);

    const shown = presentMatch(t, r);
    assert.equal(shown.score, 67);
    assert.deepEqual(shown.reasons, [
      'Matches 4 of 5 skills wanted: Grant making, Community engagement, Evaluation and impact, youth work. You want to develop 1 of the skills on offer',
      'In your local authority area (Leeds)',
      '53% of the dates are inside your availability',
      'Needs security clearance you do not hold: the host would have to sponsor vetting',
    ]);
    assert.deepEqual(
      shown.parts.map((p) => [p.name, p.points, p.max]),
      [
        ['Skills', 36, 50],
        ['Place', 20, 20],
        ['Dates', 11, 20],
        ['Security clearance', 0, 10],
      ],
    );
  });

  test('the civil servant and the charity shadowing week: 73 (same nation, dates unknown, clearance not needed)', () => {
    const r = eligible(match(charityShadowing, civilServant));
    // Skills: 1 of 1 wanted → 35; 2 of 3 on offer wanted → 10.
    assert.equal(r.parts.skills.points, 45);
    assert.equal(r.parts.skills.reason.key, 'exchange.match.skills');
    assert.deepEqual(r.parts.skills.reason.items, ['policy_development']);
    assert.deepEqual(r.parts.place, {
      points: 8,
      max: 20,
      reason: { key: 'exchange.match.placeSameNation', params: { nation: 'england', place: 'Bristol' } },
    });
    assert.deepEqual(r.parts.dates, { points: 10, max: 20, reason: { key: 'exchange.match.datesUnknown' } });
    assert.deepEqual(r.parts.clearance, {
      points: 10,
      max: 10,
      reason: { key: 'exchange.match.clearanceNone' },
    });
    assert.equal(r.score, 73);
    assert.deepEqual(presentMatch(t, r).reasons, [
      'Matches 1 of 1 skills wanted: Policy development. You want to develop 2 of the skills on offer',
      'In your nation, but not your region (Bristol)',
      'You have not said when you are available',
      'No security clearance needed',
    ]);
  });

  test('the host’s rules exclude people, and every failed rule is given', () => {
    const wrongSide = match(councilSecondment, civilServant);
    assert.equal(wrongSide.eligible, false);
    assert.deepEqual(!wrongSide.eligible && wrongSide.reasons, [
      { key: 'exchange.match.notEligibleSide', params: { side: 'civil_society', yours: 'public_sector' } },
    ]);
    assert.deepEqual(presentMatch(t, wrongSide), {
      eligible: false,
      score: null,
      parts: [],
      reasons: ['Open only to people working in civil society'],
    });

    // A youth worker in Scotland fails both the side and the nation rule of the charity's week.
    const scot = { ...youthWorker, nation: 'scotland', region: null, localAuthorityGss: 'S12000049' };
    const both = eligibility(charityShadowing, scot);
    assert.deepEqual(
      both.map((r) => r.key),
      ['exchange.match.notEligibleSide', 'exchange.match.notEligibleNation'],
    );
    assert.deepEqual(presentMatch(t, match(charityShadowing, scot)).reasons, [
      'Open only to people working in public sector',
      'Open only to people in: England, Wales',
    ]);

    const sectorOnly = { ...councilSecondment, eligibleSectors: ['health', 'housing'] };
    assert.deepEqual(eligibility(sectorOnly, youthWorker), [
      { key: 'exchange.match.notEligibleSector', items: ['health', 'housing'] },
    ]);
    assert.deepEqual(
      eligibility({ ...sectorOnly, eligibleSectors: ['housing', 'children-young-people'] }, youthWorker),
      [],
    );
  });

  test('ranking the person’s suggestions: best first, ineligible and zero scores left out', () => {
    const remoteDay: MatchOpportunity = {
      ...charityShadowing,
      eligibleSides: [],
      eligibleNations: [],
      workMode: 'remote',
      skillsWanted: ['digital'],
      skillsOffered: [],
      startsOn: '2026-05-06',
      endsOn: '2026-05-06',
    };
    const ranked = rank(
      [
        { name: 'shadowing', o: charityShadowing },
        { name: 'remote day', o: remoteDay },
        { name: 'secondment', o: councilSecondment },
      ],
      (x) => match(x.o, youthWorker),
    );
    // The shadowing week is for the public sector only. The remote day: skills 0, place 20, dates 20
    // (6 May is inside 16 March–30 June), clearance 10 = 50.
    assert.deepEqual(
      ranked.map((r) => [r.item.name, r.result.score]),
      [
        ['secondment', 67],
        ['remote day', 50],
      ],
    );
    assert.equal(ranked[1]!.result.parts.skills.reason.key, 'exchange.match.skillsNone');
    assert.equal(ranked[1]!.result.parts.place.reason.key, 'exchange.match.placeRemote');
    assert.equal(rank([{ o: remoteDay }], (x) => match(x.o, youthWorker), 51).length, 0);
  });
});

describe('exchange matching: a host looking at people', () => {
  test('the council ranks civil society people; the civil servant is never suggested', () => {
    const nearbyAnalyst: MatchProfile = {
      ...youthWorker,
      skillsOffered: ['data_analysis', 'evaluation', 'grant_making', 'community_engagement'],
      skillsWanted: ['commissioning', 'policy_development'],
      tags: [],
      availableFrom: '2026-02-01',
      availableTo: '2026-12-31',
      clearance: 'bpss',
    };
    const remoteOnlyPerson: MatchProfile = { ...nearbyAnalyst, remoteOnly: true };
    const ranked = rank(
      [
        { name: 'youth worker', p: youthWorker },
        { name: 'civil servant', p: civilServant },
        { name: 'analyst', p: nearbyAnalyst },
        { name: 'remote only', p: remoteOnlyPerson },
      ],
      (x) => match(councilSecondment, x.p),
    );
    // Analyst: 4 of 5 wanted (no tag) → 28 + 2 of 2 on offer → 15 = 43; place 20; dates 20; BPSS held 10 = 93.
    // Remote only: the same but place 0 = 73. Youth worker: 67.
    assert.deepEqual(
      ranked.map((r) => [r.item.name, r.result.score]),
      [
        ['analyst', 93],
        ['remote only', 73],
        ['youth worker', 67],
      ],
    );
    const analyst = ranked[0]!.result;
    assert.deepEqual(analyst.parts.clearance.reason, {
      key: 'exchange.match.clearanceHeld',
      params: { level: 'bpss' },
    });
    assert.deepEqual(analyst.parts.dates.reason, { key: 'exchange.match.datesAll' });
    assert.deepEqual(
      presentMatch(t, ranked[1]!.result).reasons[1],
      'You can only work remotely; this is in Leeds',
    );
  });

  test('the charity ranks civil servants from England and Wales only', () => {
    const welsh: MatchProfile = {
      ...civilServant,
      nation: 'wales',
      region: null,
      localAuthorityGss: 'W06000015',
      skillsWanted: [],
      availableFrom: '2026-04-15',
      availableTo: '2026-09-30',
      clearance: 'none',
    };
    const scottish: MatchProfile = { ...civilServant, nation: 'scotland', region: null };
    const ranked = rank(
      [
        { name: 'welsh', p: welsh },
        { name: 'scottish', p: scottish },
        { name: 'london', p: civilServant },
      ],
      (x) => match(charityShadowing, x.p),
    );
    // Welsh adviser: skills 35 + 0; place 0 (another nation); dates 3 of 5 days → 12; clearance 10 = 57.
    assert.deepEqual(
      ranked.map((r) => [r.item.name, r.result.score]),
      [
        ['london', 73],
        ['welsh', 57],
      ],
    );
    assert.deepEqual(presentMatch(t, ranked[1]!.result).reasons.slice(1, 3), [
      'Outside your nation (Bristol)',
      '60% of the dates are inside your availability',
    ]);
  });
});

describe('exchange matching: the parts on their own', () => {
  test('place: region scores 14; remote opportunities score full marks even for a remote-only person', () => {
    const sameRegion = { ...youthWorker, localAuthorityGss: 'E08000036' };
    assert.deepEqual(scorePlace(councilSecondment, sameRegion), {
      points: 14,
      max: 20,
      reason: {
        key: 'exchange.match.placeSameRegion',
        params: { region: 'Yorkshire and The Humber', place: 'Leeds' },
      },
    });
    const remote = { ...councilSecondment, workMode: 'remote' as const, placeName: null };
    assert.equal(scorePlace(remote, { ...youthWorker, remoteOnly: true }).points, 20);
  });

  test('dates: none inside the availability scores 0; an open-ended availability counts from its start', () => {
    const later = { ...youthWorker, availableFrom: '2026-04-01', availableTo: null };
    assert.deepEqual(scoreDates(councilSecondment, later), {
      points: 0,
      max: 20,
      reason: { key: 'exchange.match.datesNone' },
    });
    const untilMid = { ...youthWorker, availableFrom: null, availableTo: '2026-03-16' };
    // 2–16 March is 15 of 30 days → 10.
    assert.equal(scoreDates(councilSecondment, untilMid).points, 10);
  });

  test('clearance: a higher level satisfies a lower one', () => {
    assert.ok(clearanceSatisfies('sc', 'bpss'));
    assert.ok(clearanceSatisfies('dv', 'dv'));
    assert.ok(!clearanceSatisfies('ctc', 'sc'));
    assert.ok(!clearanceSatisfies('none', 'bpss'));
  });

  test('no skills wanted: full skills share, and the reason says so', () => {
    const open = { ...councilSecondment, skillsWanted: [], tags: [] };
    const r = eligible(match(open, youthWorker));
    assert.equal(r.parts.skills.points, 35 + 8); // 35 + 15 × ½ = 42.5 → 43
    assert.deepEqual(presentMatch(t, r).reasons[0], 'No particular skills asked for');
  });

  test('taking applications: open, up to and including the closing date', () => {
    assert.ok(isTakingApplications(councilSecondment, '2026-02-15'));
    assert.ok(!isTakingApplications(councilSecondment, '2026-02-16'));
    assert.ok(!isTakingApplications({ ...councilSecondment, status: 'closed' }, '2026-01-05'));
  });
});
