/**
 * The measurable standards as pure functions (domain.md §5). Each takes a record (and, for C3, today's date)
 * and returns the finding it breaks, if any, with a plain-English explanation that names the rule, the
 * threshold and its source. Nothing here reads the database or the clock.
 */
import {
  addCalendarDays,
  addCalendarMonths,
  daysBetween,
  yearOf,
  type IsoDate,
} from '../../platform/calendar/iso-date.ts';

export const standardCodes = ['C1', 'C3', 'F1', 'F2', 'F3', 'F4', 'A1', 'A2', 'A3'] as const;
export type StandardCode = (typeof standardCodes)[number];

export type FindingSubject = 'consultation' | 'funding_agreement' | 'funding_change' | 'agreement_review';

/** One broken standard, as every page, the API, the CSV and the scorecards show it. */
export interface Finding {
  /** Stable: `<code>:<record id>` (a clause finding adds its character offset). */
  id: string;
  standard: StandardCode;
  subject: FindingSubject;
  subjectId: string;
  /** The record's title (consultation, agreement). */
  title: string;
  explanation: string;
  source: string;
  /** The date the finding relates to, and its calendar year (for trends). */
  date: IsoDate;
  year: number;
}

/** What each standard asks, in a sentence, and where it comes from (shown with every finding). */
export const standardInfo: Record<StandardCode, { name: string; rule: string; source: string }> = {
  C1: {
    name: 'Consultation length',
    rule: 'A formal written consultation should run for at least 12 weeks (84 days); if it is shorter, the consultation document should state why.',
    source: 'Compact 2010; Compact Voice statement on consultation, July 2012',
  },
  C3: {
    name: 'Publishing the response',
    rule: 'The response to a consultation should be published within 12 weeks (84 days) of its closing date, or the body should explain why not.',
    source: 'Cabinet Office Consultation Principles 2016 and 2018, principles I and J',
  },
  F1: {
    name: 'Notice of a funding change',
    rule: 'At least 3 months’ written notice, with reasons, before funding is ended or reduced.',
    source: 'Compact 2010; Compact Voice, “Can they cut my funding?”',
  },
  F2: {
    name: 'Full cost recovery',
    rule: 'Civil society organisations may include the relevant share of their overheads in the cost of the work they are funded for.',
    source: 'HM Treasury, Guidance to Funders (2006); Compact 2010',
  },
  F3: {
    name: 'Multi-year funding',
    rule: 'Funding should be multi-year where appropriate and where it adds value for money (the long-standing norm is 3 years).',
    source: 'Compact 2009 and 2010; National Audit Office toolkit',
  },
  F4: {
    name: 'Payment timing',
    rule: 'Grants should be paid in advance where there is a need; payment should reflect the recipient’s need.',
    source: 'HM Treasury, Guidance to Funders (2006); Government grant standards, December 2016',
  },
  A1: {
    name: 'Anti-advocacy clause',
    rule: 'An agreement should not stop the recipient from using funds to influence Parliament, government or political parties (the abandoned 2016 anti-lobbying wording and its variants).',
    source: 'Cabinet Office anti-lobbying clause, February 2016 (abandoned); Civil Society Covenant 2025',
  },
  A2: {
    name: 'Policy input restricted',
    rule: 'Permitted grant activity includes evidence-based policy recommendations and input to consultations and debate.',
    source: 'Government grant standards, December 2016; Civil Society Covenant 2025',
  },
  A3: {
    name: 'Gagging or publicity clause',
    rule: 'An agreement should not bar adverse publicity, require approval of press statements or demand regard for the funder’s reputation.',
    source:
      'DWP Work Programme (2012) and Work and Health Programme contracts; Independence Panel 2013; Civil Society Covenant 2025',
  },
};

/** 12 weeks, the C1 and C3 threshold. */
export const TWELVE_WEEKS_DAYS = 84;

const hasText = (value: string | null | undefined) => Boolean(value && value.trim());

function finding(
  standard: StandardCode,
  subject: FindingSubject,
  subjectId: string,
  title: string,
  date: IsoDate,
  explanation: string,
  idSuffix = '',
): Finding {
  return {
    id: `${standard}:${subjectId}${idSuffix}`,
    standard,
    subject,
    subjectId,
    title,
    explanation,
    source: standardInfo[standard].source,
    date,
    year: yearOf(date),
  };
}

export interface ConsultationFacts {
  id: string;
  title: string;
  opensOn: IsoDate;
  closesOn: IsoDate;
  responsePublishedOn: IsoDate | null;
  shortReason: string | null;
  lateResponseReason: string | null;
}

/** The consultation's length in days (closing date minus opening date). */
export function consultationLength(c: Pick<ConsultationFacts, 'opensOn' | 'closesOn'>): number {
  return daysBetween(c.opensOn, c.closesOn);
}

/** C1: shorter than 84 days with no stated reason. Exactly 84 days (12 weeks) meets the standard. */
export function checkConsultationLength(c: ConsultationFacts): Finding | null {
  const days = consultationLength(c);
  if (days >= TWELVE_WEEKS_DAYS || hasText(c.shortReason)) return null;
  const weeks = Math.floor(days / 7);
  const rest = days % 7;
  const length = `${days} days (${weeks} weeks${rest ? ` and ${rest} day${rest === 1 ? '' : 's'}` : ''})`;
  return finding(
    'C1',
    'consultation',
    c.id,
    c.title,
    c.closesOn,
    `The consultation ran for ${length}, from ${c.opensOn} to ${c.closesOn}, and no reason for the shorter period was stated. Standard C1 expects at least 12 weeks (84 days), or a stated reason when a consultation is shorter (${standardInfo.C1.source}).`,
  );
}

/** Whether C3 can be tested yet: a response is published, or 12 weeks have passed since closing. */
export function responseDue(c: Pick<ConsultationFacts, 'closesOn' | 'responsePublishedOn'>, today: IsoDate) {
  return c.responsePublishedOn !== null || daysBetween(c.closesOn, today) > TWELVE_WEEKS_DAYS;
}

/**
 * C3: the response was published more than 84 days after closing, or none is published and more than 84
 * days have passed, unless the body explained why. A response on day 84 exactly meets the standard.
 */
export function checkConsultationResponse(c: ConsultationFacts, today: IsoDate): Finding | null {
  if (hasText(c.lateResponseReason)) return null;
  const rule = `Standard C3 expects the response within 12 weeks (84 days) of closing, or an explanation why not (${standardInfo.C3.source}).`;
  if (c.responsePublishedOn !== null) {
    const days = daysBetween(c.closesOn, c.responsePublishedOn);
    if (days <= TWELVE_WEEKS_DAYS) return null;
    return finding(
      'C3',
      'consultation',
      c.id,
      c.title,
      c.closesOn,
      `The response was published on ${c.responsePublishedOn}, ${days} days after the consultation closed on ${c.closesOn}, with no explanation for the delay. ${rule}`,
    );
  }
  const days = daysBetween(c.closesOn, today);
  if (days <= TWELVE_WEEKS_DAYS) return null;
  return finding(
    'C3',
    'consultation',
    c.id,
    c.title,
    c.closesOn,
    `No response has been published ${days} days after the consultation closed on ${c.closesOn}, and no explanation has been given. ${rule}`,
  );
}

export interface AgreementFacts {
  id: string;
  title: string;
  recipientName: string;
  startsOn: IsoDate;
  endsOn: IsoDate;
  multiYearPossible: boolean;
  overheadsAllowed: boolean;
  paymentTiming: 'advance' | 'arrears';
  advanceNeeded: boolean;
}

/**
 * The first day after a 12-month term starting on `startsOn`: the same date a year later, except that a term
 * starting on 29 February ends on 28 February (the next term would start on 1 March), not a day early.
 */
function dayAfterTwelveMonths(startsOn: IsoDate): IsoDate {
  const sameDate = addCalendarMonths(startsOn, 12);
  return sameDate.slice(8) === startsOn.slice(8) ? sameDate : addCalendarDays(sameDate, 1);
}

/**
 * True when the term covers 12 months or less, counting both the first and the last day: 1 April 2026 to
 * 31 March 2027 is a single year; to 1 April 2027 it runs into a second year.
 */
export function isSingleYearTerm(a: Pick<AgreementFacts, 'startsOn' | 'endsOn'>): boolean {
  return a.endsOn < dayAfterTwelveMonths(a.startsOn);
}

/**
 * Dates that cannot both be right: a consultation closing before it opens (or answered before it closed), an
 * agreement ending before it starts, a change taking effect before its notice. Forms and imports refuse
 * them; the assessment skips such a record (it is neither checked nor a finding) rather than invent one.
 */
export function datesOutOfOrder(
  record:
    | Pick<ConsultationFacts, 'opensOn' | 'closesOn' | 'responsePublishedOn'>
    | Pick<AgreementFacts, 'startsOn' | 'endsOn'>
    | Pick<ChangeFacts, 'noticeOn' | 'effectiveOn'>,
): boolean {
  if ('opensOn' in record)
    return (
      record.closesOn < record.opensOn ||
      (record.responsePublishedOn !== null && record.responsePublishedOn < record.closesOn)
    );
  if ('startsOn' in record) return record.endsOn < record.startsOn;
  return record.effectiveOn < record.noticeOn;
}

/** The term in whole months, as 360Giving's "Planned Dates: Duration (months)" counts it. */
export function termMonths(a: Pick<AgreementFacts, 'startsOn' | 'endsOn'>): number {
  let months = 0;
  while (addCalendarMonths(a.startsOn, months + 1) <= addCalendarDays(a.endsOn, 1)) months += 1;
  return months;
}

/** F2: the agreement does not allow overheads (no full cost recovery). */
export function checkOverheads(a: AgreementFacts): Finding | null {
  if (a.overheadsAllowed) return null;
  return finding(
    'F2',
    'funding_agreement',
    a.id,
    a.title,
    a.startsOn,
    `The agreement with ${a.recipientName} does not allow any share of overheads in its budget. Standard F2 (full cost recovery) says civil society organisations may include the relevant share of their overheads (${standardInfo.F2.source}).`,
  );
}

/** F3: a term of 12 months or less where the funder could have offered a multi-year term. */
export function checkMultiYear(a: AgreementFacts): Finding | null {
  if (!a.multiYearPossible || !isSingleYearTerm(a)) return null;
  return finding(
    'F3',
    'funding_agreement',
    a.id,
    a.title,
    a.startsOn,
    `The agreement with ${a.recipientName} runs from ${a.startsOn} to ${a.endsOn}, a single year or less, although a multi-year term was possible. Standard F3 expects multi-year funding where appropriate and where it adds value for money, usually 3 years (${standardInfo.F3.source}).`,
  );
}

/** F4: paid in arrears although the recipient stated a need to be paid in advance. */
export function checkPaymentTiming(a: AgreementFacts): Finding | null {
  if (a.paymentTiming !== 'arrears' || !a.advanceNeeded) return null;
  return finding(
    'F4',
    'funding_agreement',
    a.id,
    a.title,
    a.startsOn,
    `The agreement with ${a.recipientName} pays in arrears although the recipient stated a need to be paid in advance. Standard F4 expects payment in advance where there is a need (${standardInfo.F4.source}).`,
  );
}

export interface ChangeFacts {
  id: string;
  kind: 'end' | 'reduction';
  noticeOn: IsoDate;
  effectiveOn: IsoDate;
  agreementTitle: string;
  recipientName: string;
}

/** F1: less than 3 calendar months between written notice and the change. Exactly 3 months meets it. */
export function checkNotice(c: ChangeFacts): Finding | null {
  const threeMonths = addCalendarMonths(c.noticeOn, 3);
  if (c.effectiveOn >= threeMonths) return null;
  const days = daysBetween(c.noticeOn, c.effectiveOn);
  const what = c.kind === 'end' ? 'ending' : 'reducing';
  return finding(
    'F1',
    'funding_change',
    c.id,
    c.agreementTitle,
    c.noticeOn,
    `Notice of ${what} the funding of ${c.recipientName} was given on ${c.noticeOn} for a change taking effect on ${c.effectiveOn}: ${days} days, less than 3 months (3 months would have meant a change on ${threeMonths} or later). Standard F1 expects at least 3 months’ written notice with reasons (${standardInfo.F1.source}).`,
  );
}

/** A clause of a reviewed agreement as stored: the checker's proposal and the reviewer's decision. */
export interface ReviewedClause {
  rule: 'A1' | 'A2' | 'A3';
  start: number;
  end: number;
  text: string;
  why: string;
  confirmed: boolean;
}

/**
 * A1–A3: each clause the reviewer confirmed in a reviewed agreement, with the clause quoted. A clause the
 * checker proposed and the reviewer set aside is not a finding (the checker proposes, a person decides).
 */
export function clauseFindings(
  review: { id: string; title: string; reviewedOn: IsoDate },
  clauses: readonly ReviewedClause[],
): Finding[] {
  return clauses
    .filter((c) => c.confirmed)
    .map((f) => {
      const quote = f.text.length > 300 ? `${f.text.slice(0, 297)}…` : f.text;
      return finding(
        f.rule,
        'agreement_review',
        review.id,
        review.title,
        review.reviewedOn,
        `Clause found (characters ${f.start}–${f.end}): “${quote}”. ${f.why} Standard ${f.rule}: ${standardInfo[f.rule].rule} (${standardInfo[f.rule].source}).`,
        `@${f.start}`,
      );
    });
}

/** Empty counters with every standard present. */
export function zeroCounts(): Record<StandardCode, number> {
  return Object.fromEntries(standardCodes.map((c) => [c, 0])) as Record<StandardCode, number>;
}

/** Findings with the number of records tested against each standard (the denominator for a rate). */
export interface FindingTally {
  total: number;
  byStandard: Record<StandardCode, number>;
  checked: Record<StandardCode, number>;
}

export function emptyTally(): FindingTally {
  return { total: 0, byStandard: zeroCounts(), checked: zeroCounts() };
}

/** The records of any number of bodies, as the assessment needs them. */
export interface StandardsRecords {
  consultations: (ConsultationFacts & { bodyId: string })[];
  agreements: (AgreementFacts & { bodyId: string })[];
  changes: (ChangeFacts & { bodyId: string })[];
  reviews: {
    id: string;
    bodyId: string;
    title: string;
    reviewedOn: IsoDate;
    clauses: readonly ReviewedClause[];
  }[];
}

export interface AssessOptions {
  today: IsoDate;
  /** Only records (and so findings) whose date falls in this calendar year. */
  year?: number;
}

/**
 * Applies every standard to every record and gathers the findings and tallies per body. A record is
 * "checked" for a standard when the standard applies to it: C3 once a response is published or due, F3
 * where a multi-year term was possible, F4 where the recipient stated a need for advance payment.
 */
export function assessRecords(records: StandardsRecords, options: AssessOptions) {
  const result = new Map<string, { tally: FindingTally; findings: Finding[] }>();
  const inYear = (date: IsoDate) => options.year === undefined || yearOf(date) === options.year;
  const entry = (bodyId: string) => {
    let e = result.get(bodyId);
    if (!e) result.set(bodyId, (e = { tally: emptyTally(), findings: [] }));
    return e;
  };
  const tested = (bodyId: string, code: StandardCode, found: Finding | Finding[] | null) => {
    const e = entry(bodyId);
    e.tally.checked[code] += 1;
    for (const f of Array.isArray(found) ? found : found ? [found] : []) {
      e.findings.push(f);
      e.tally.byStandard[f.standard] += 1;
      e.tally.total += 1;
    }
  };
  for (const c of records.consultations) {
    if (!inYear(c.closesOn) || datesOutOfOrder(c)) continue;
    tested(c.bodyId, 'C1', checkConsultationLength(c));
    if (responseDue(c, options.today)) tested(c.bodyId, 'C3', checkConsultationResponse(c, options.today));
  }
  for (const a of records.agreements) {
    if (!inYear(a.startsOn) || datesOutOfOrder(a)) continue;
    tested(a.bodyId, 'F2', checkOverheads(a));
    if (a.multiYearPossible) tested(a.bodyId, 'F3', checkMultiYear(a));
    if (a.advanceNeeded) tested(a.bodyId, 'F4', checkPaymentTiming(a));
  }
  for (const c of records.changes)
    if (inYear(c.noticeOn) && !datesOutOfOrder(c)) tested(c.bodyId, 'F1', checkNotice(c));
  for (const r of records.reviews) {
    if (!inYear(r.reviewedOn)) continue;
    // A review checks the whole agreement against all three clause standards.
    const found = clauseFindings(r, r.clauses);
    for (const code of ['A1', 'A2', 'A3'] as const)
      tested(
        r.bodyId,
        code,
        found.filter((f) => f.standard === code),
      );
  }
  for (const e of result.values())
    e.findings.sort((x, y) => (x.date === y.date ? x.id.localeCompare(y.id) : x.date < y.date ? 1 : -1));
  return result;
}
