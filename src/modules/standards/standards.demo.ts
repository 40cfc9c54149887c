/**
 * Demo standards records (issue 5 item 2), dated relative to today (the injected clock) so the findings make
 * sense whenever the demo is loaded. DCMS (the demo lead's body): a 12-week consultation answered on time, a
 * 6-week one with no stated reason (C1) and one whose response is overdue (C3); a three-year grant, and a
 * one-year grant paid in arrears with no overheads although a longer term and advance payment were wanted
 * (F2, F3, F4), ended at 8 weeks' notice (F1). Leeds City Council (the demo officer's body): a short
 * consultation with a stated reason (no finding) and a grant reduced at 4 months' notice (no finding).
 *
 * Rows go straight through the repository: the history is made up, so it is not audited as if it happened.
 */
import { eq } from 'drizzle-orm';
import type { Deps } from '../../container.ts';
import { addCalendarDays, toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import { users } from '../accounts/accounts.tables.ts';
import { organisations } from '../directory/directory.tables.ts';

const DCMS = 'department-for-culture-media-and-sport';
const LEEDS = 'leeds-city-council';

export async function seedStandardsDemo(deps: Deps): Promise<string[]> {
  const db = () => deps.db.get();
  const repo = deps.standardsRepository;
  const bodyId = async (slug: string) =>
    (await db().select({ id: organisations.id }).from(organisations).where(eq(organisations.slug, slug)))[0]
      ?.id;
  const userId = async (email: string) =>
    (await db().select({ id: users.id }).from(users).where(eq(users.email, email)))[0]?.id ?? null;
  const dcms = await bodyId(DCMS);
  const leeds = await bodyId(LEEDS);
  if (!dcms || !leeds) return [];
  const lead = await userId('body.lead@demo.covenant-hub.local');
  const officer = await userId('body.officer@demo.covenant-hub.local');
  const today = toUkIsoDate(deps.clock.now());
  const day = (offset: number) => addCalendarDays(today, offset);

  // ── DCMS ──
  await repo.insertConsultation({
    bodyId: dcms,
    title: 'Community assets: protecting local spaces',
    url: 'https://www.gov.uk/government/consultations/community-assets-demo',
    opensOn: day(-200),
    closesOn: day(-116),
    responsePublishedOn: day(-50),
    source: 'form',
    createdBy: lead,
  });
  await repo.insertConsultation({
    bodyId: dcms,
    title: 'Youth services funding formula',
    url: 'https://www.gov.uk/government/consultations/youth-funding-formula-demo',
    opensOn: day(-100),
    closesOn: day(-58),
    responsePublishedOn: day(-20),
    source: 'form',
    createdBy: lead,
  });
  await repo.insertConsultation({
    bodyId: dcms,
    title: 'Volunteering strategy',
    url: 'https://www.gov.uk/government/consultations/volunteering-strategy-demo',
    opensOn: day(-300),
    closesOn: day(-210),
    responsePublishedOn: null,
    source: 'govuk_json',
    externalId: '/government/consultations/volunteering-strategy-demo',
    createdBy: lead,
  });
  await repo.insertAgreement({
    funderBodyId: dcms,
    title: 'Local arts partnerships programme',
    recipientName: 'Riverside Community Trust',
    recipientIdentifier: 'GB-CHC-1000001',
    amountPence: 45_000_000,
    startsOn: day(-400),
    endsOn: addCalendarDays(day(-400), 3 * 365),
    multiYearPossible: true,
    overheadsAllowed: true,
    paymentTiming: 'advance',
    advanceNeeded: true,
    source: 'form',
    createdBy: lead,
  });
  const short = await repo.insertAgreement({
    funderBodyId: dcms,
    title: 'Youth volunteering pilot',
    recipientName: 'Northern Lights Youth Project',
    recipientIdentifier: 'GB-CHC-1000002',
    amountPence: 2_500_000,
    startsOn: day(-150),
    endsOn: addCalendarDays(day(-150), 364),
    multiYearPossible: true,
    overheadsAllowed: false,
    paymentTiming: 'arrears',
    advanceNeeded: true,
    source: '360giving',
    externalId: '360G-DCMS-DEMO-0002',
    createdBy: lead,
  });
  await repo.insertChange({
    agreementId: short.id,
    kind: 'end',
    noticeOn: day(-30),
    effectiveOn: day(26),
    reason: 'The pilot budget has been withdrawn in the spending review.',
    createdBy: lead,
  });

  // ── Leeds ──
  await repo.insertConsultation({
    bodyId: leeds,
    title: 'Winter warm spaces grant scheme',
    url: 'https://www.leeds.gov.uk/consultations/warm-spaces-demo',
    opensOn: day(-90),
    closesOn: day(-62),
    responsePublishedOn: day(-40),
    shortReason: 'The scheme had to open before the winter; the document says so on its first page.',
    source: 'form',
    createdBy: officer,
  });
  const leedsGrant = await repo.insertAgreement({
    funderBodyId: leeds,
    title: 'Third sector infrastructure grant',
    recipientName: 'Voluntary Action Network',
    amountPence: 12_000_000,
    startsOn: day(-500),
    endsOn: addCalendarDays(day(-500), 3 * 365),
    multiYearPossible: true,
    overheadsAllowed: true,
    paymentTiming: 'advance',
    advanceNeeded: false,
    source: 'form',
    createdBy: officer,
  });
  await repo.insertChange({
    agreementId: leedsGrant.id,
    kind: 'reduction',
    noticeOn: day(-10),
    effectiveOn: day(115),
    reason: 'The council’s grant budget falls by 10% next year; we met the network to discuss the effect.',
    createdBy: officer,
  });

  const dcmsFindings = await deps.standards.findingsForBody(dcms);
  return [
    `Standards records: DCMS (3 consultations, 2 funding agreements, ${dcmsFindings.total} findings) and Leeds (no findings)`,
  ];
}
