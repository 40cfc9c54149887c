/**
 * The Covenant as reference data, in our own words, each item with its source. Loaded into every fresh
 * database (start-up, `covenant seed`, and before demo data) by `ensureCovenantReference`, which does
 * nothing once principles exist: administrators own the registry after that, through the admin pages.
 *
 * Sources and confidence follow `reference/domain.md`: the full Covenant text could not be read, so every
 * principle-level commitment is marked unverified ("To be confirmed") until checked against the gov.uk
 * text (domain.md §1.4, §10 item 1). Compact 2010 benchmarks come from §4.2 and measurable standards from §5.
 */
import { isNull } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import {
  covenantCommitments,
  covenantParagraphs,
  covenantPledges,
  covenantPrinciples,
  covenantStandards,
  covenantVersions,
  type CommitmentSide,
  type EvaluationMethod,
} from './covenant.tables.ts';

const COVENANT = 'Civil Society Covenant, July 2025';
const SUMMARIES = 'Civil Society Covenant, July 2025 (summaries by ICAEW, Bond, Charity Times and CIOF)';
const PROGRESS = 'Civil Society Covenant progress signs, gov.uk, 2025';

interface PrincipleSeed {
  slug: string;
  title: string;
  purpose: string;
  source: string;
  unverified: boolean;
  /** Stable key of the principle's heading and purpose paragraphs in the first version. */
  keys: [string, string];
}

export const principleSeeds: PrincipleSeed[] = [
  {
    slug: 'recognition-and-value',
    title: 'Recognition and value',
    purpose: 'A strong and independent civil society, valued for what it does and free to speak.',
    source: 'Civil Society Covenant, July 2025; Covenant Framework, October 2024',
    unverified: false,
    keys: ['p-rv7h2kq4', 'p-rv9c3mxa'],
  },
  {
    slug: 'partnership-and-collaboration',
    title: 'Partnership and collaboration',
    purpose: 'Better services and better policy, made together, with what works shared between both sides.',
    source: 'Civil Society Covenant, July 2025; Covenant Framework, October 2024',
    unverified: false,
    keys: ['p-pc4t8wne', 'p-pc6y2fdb'],
  },
  {
    slug: 'participation-and-inclusion',
    title: 'Participation and inclusion',
    purpose: 'People and communities can be heard in the decisions that affect them, and can change them.',
    source: 'Civil Society Covenant, July 2025; Covenant Framework, October 2024',
    unverified: false,
    keys: ['p-pi3k5rzu', 'p-pi8n6hvg'],
  },
  {
    slug: 'transparency-and-data',
    title: 'Transparency and data',
    purpose: 'Both sides have the information they need to serve people and communities well.',
    // domain.md §0 and §10 item 1: the exact title of principle 4 is not confirmed ("…data development"?).
    source: 'Civil Society Covenant, July 2025 (title reported by ICAEW and Wrigleys)',
    unverified: true,
    keys: ['p-td2w9sxe', 'p-td5q7jmc'],
  },
];

interface CommitmentSeed {
  code: string;
  principle: string;
  side: CommitmentSide;
  text: string;
  source: string;
  unverified: boolean;
  /** Stable key of the paragraph that states it in the first version. */
  key: string;
}

// Every principle-level commitment is unverified: domain.md §1.4 asks to check each row against the text.
export const commitmentSeeds: CommitmentSeed[] = [
  {
    code: 'RV-G1',
    principle: 'recognition-and-value',
    side: 'government',
    text: 'Respect the independence of civil society, including its right to campaign, advocate and hold government to account without fear of sanction, whatever funding relationship exists.',
    source: `${SUMMARIES}; Compact 2010, outcome 1 (undertaking 1.1)`,
    unverified: true,
    key: 'p-rvg1a8kd',
  },
  {
    code: 'RV-G2',
    principle: 'recognition-and-value',
    side: 'government',
    text: 'Assess what new policy, legislation and guidance will mean for civil society, and make sure social value models do not unfairly disadvantage civil society organisations.',
    source: `${SUMMARIES}; ${PROGRESS}`,
    unverified: true,
    key: 'p-rvg2m3ws',
  },
  {
    code: 'RV-C1',
    principle: 'recognition-and-value',
    side: 'civil_society',
    text: 'Meet legal, regulatory and ethical standards, share how decisions are made and governed, and respect the distinct role of government.',
    source: PROGRESS,
    unverified: true,
    key: 'p-rvc1z6tb',
  },
  {
    code: 'PC-G1',
    principle: 'partnership-and-collaboration',
    side: 'government',
    text: 'Involve civil society early and regularly in designing and delivering policy and services, commission collaboratively and take a long-term approach to funding.',
    source: `${SUMMARIES}; Compact 2010, outcomes 2 and 3`,
    unverified: true,
    key: 'p-pcg1r4nh',
  },
  {
    code: 'PC-G2',
    principle: 'partnership-and-collaboration',
    side: 'government',
    text: 'Open the door to smaller and more diverse organisations, not only the largest.',
    source: `${SUMMARIES}; ${PROGRESS}`,
    unverified: true,
    key: 'p-pcg2e9uf',
  },
  {
    code: 'PC-C1',
    principle: 'partnership-and-collaboration',
    side: 'civil_society',
    text: 'Engage constructively, including in disagreement, and share expertise, evidence and local knowledge.',
    source: PROGRESS,
    unverified: true,
    key: 'p-pcc1k2yq',
  },
  {
    code: 'PI-G1',
    principle: 'participation-and-inclusion',
    side: 'government',
    text: 'Involve people, including those with lived experience, in the decisions that affect them, and remove barriers that keep marginalised groups out.',
    source: SUMMARIES,
    unverified: true,
    key: 'p-pig1h7cv',
  },
  {
    code: 'PI-G2',
    principle: 'participation-and-inclusion',
    side: 'government',
    text: 'Support volunteering and social action, and work to overcome barriers to democratic participation.',
    source: SUMMARIES,
    unverified: true,
    key: 'p-pig2b5xm',
  },
  {
    code: 'PI-C1',
    principle: 'participation-and-inclusion',
    side: 'civil_society',
    text: 'Represent the voice of communities and the people who use services, and support inclusive participation.',
    source: SUMMARIES,
    unverified: true,
    key: 'p-pic1s3dj',
  },
  {
    code: 'TD-G1',
    principle: 'transparency-and-data',
    side: 'government',
    text: 'Share information and data, and explain how what civil society said shaped policy and funding decisions.',
    source: `${SUMMARIES}; Compact 2010, outcome 2`,
    unverified: true,
    key: 'p-tdg1w8pa',
  },
  {
    code: 'TD-B1',
    principle: 'transparency-and-data',
    side: 'both',
    text: 'Communicate openly, report impact honestly and share successes and lessons learned.',
    source: SUMMARIES,
    unverified: true,
    key: 'p-tdb1n6ge',
  },
];

interface StandardSeed {
  code: string;
  principle: string;
  commitment: string | null;
  title: string;
  rule: string;
  threshold: number | null;
  unit: string | null;
  evaluation: EvaluationMethod;
  source: string;
  unverified: boolean;
}

/** Measurable standards (domain.md §5): the Compact's benchmarks the Covenant should uphold and exceed. */
export const standardSeeds: StandardSeed[] = [
  {
    code: 'C1',
    principle: 'partnership-and-collaboration',
    commitment: 'PC-G1',
    title: 'Consultation length',
    rule: 'A formal written consultation runs for at least 12 weeks where appropriate; a shorter one states why.',
    threshold: 12,
    unit: 'weeks',
    evaluation: 'automatic',
    source: 'Compact 2010, outcome 2; Compact Voice statement, July 2012',
    unverified: false,
  },
  {
    code: 'C3',
    principle: 'transparency-and-data',
    commitment: 'TD-G1',
    title: 'Publishing the response to a consultation',
    rule: 'The government response is published within 12 weeks of the consultation closing, or the delay is explained.',
    threshold: 12,
    unit: 'weeks',
    evaluation: 'automatic',
    source: 'Cabinet Office Consultation Principles 2016, principles I and J',
    // domain.md §5: the wording of principle J is from memory.
    unverified: true,
  },
  {
    code: 'F1',
    principle: 'partnership-and-collaboration',
    commitment: 'PC-G1',
    title: 'Notice before funding ends or is cut',
    rule: 'At least 3 months’ written notice before ending or reducing funding, with reasons and enough detail to respond, except in exceptional circumstances.',
    threshold: 3,
    unit: 'months',
    evaluation: 'automatic',
    source: 'Compact 2010, outcome 4',
    unverified: false,
  },
  {
    code: 'F2',
    principle: 'partnership-and-collaboration',
    commitment: 'PC-G1',
    title: 'Full cost recovery',
    rule: 'Organisations delivering public services may include a fair share of their overheads in the price.',
    threshold: null,
    unit: null,
    evaluation: 'manual',
    source: 'Compact 2010, outcome 3; HM Treasury Guidance to Funders, 2006',
    unverified: false,
  },
  {
    code: 'F3',
    principle: 'partnership-and-collaboration',
    commitment: 'PC-G1',
    title: 'Multi-year funding',
    rule: 'Funding runs for several years where that is appropriate and good value; three years is the long-standing norm.',
    threshold: 36,
    unit: 'months',
    evaluation: 'automatic',
    source: 'Compact 2009 and 2010, outcome 3',
    unverified: false,
  },
  {
    code: 'A1',
    principle: 'recognition-and-value',
    commitment: 'RV-G1',
    title: 'No anti-advocacy clause',
    rule: 'Grant terms do not make influencing Parliament, government or political parties ineligible spending (the 2016 clause, later abandoned).',
    threshold: null,
    unit: null,
    evaluation: 'automatic',
    source: 'Cabinet Office anti-advocacy clause, February 2016 (abandoned)',
    unverified: false,
  },
  {
    code: 'A2',
    principle: 'recognition-and-value',
    commitment: 'RV-G1',
    title: 'Policy input is allowed within a grant',
    rule: 'Grants allow evidence-based policy recommendations and responses to consultations.',
    threshold: null,
    unit: null,
    evaluation: 'manual',
    source: 'Government grant standards, December 2016',
    unverified: false,
  },
  {
    code: 'A3',
    principle: 'recognition-and-value',
    commitment: 'RV-G1',
    title: 'No gagging clauses',
    rule: 'Contracts do not stop an organisation speaking publicly, for example by banning anything that “may attract adverse publicity” to the funder.',
    threshold: null,
    unit: null,
    evaluation: 'automatic',
    source: 'DWP Work Programme contract, 2012; Independence Panel, 2013',
    unverified: false,
  },
];

export const pledgeSeeds: { code: string; side: CommitmentSide; commitment: string | null; text: string }[] =
  [
    {
      code: 'PB-G1',
      side: 'government',
      commitment: 'PC-G1',
      text: 'We will run formal consultations for at least 12 weeks, or say why not.',
    },
    {
      code: 'PB-G2',
      side: 'government',
      commitment: 'PC-G1',
      text: 'We will give at least 3 months’ written notice before ending or reducing funding.',
    },
    {
      code: 'PB-G3',
      side: 'government',
      commitment: 'RV-G1',
      text: 'We will not use gagging or anti-advocacy clauses in our grants and contracts.',
    },
    {
      code: 'PB-G4',
      side: 'government',
      commitment: 'TD-G1',
      text: 'We will publish how what we heard changed our decisions.',
    },
    {
      code: 'PB-C1',
      side: 'civil_society',
      commitment: 'PC-C1',
      text: 'We will share our evidence and local knowledge when we are asked for it.',
    },
    {
      code: 'PB-C2',
      side: 'civil_society',
      commitment: 'PI-C1',
      text: 'We will bring the voices of the people we work with into the decisions that affect them.',
    },
    {
      code: 'PB-B1',
      side: 'both',
      commitment: 'TD-B1',
      text: 'We will review our pledges every year and publish what we have learned.',
    },
    {
      code: 'PB-B2',
      side: 'both',
      commitment: 'PI-G2',
      text: 'We will make it easier for people to volunteer with us.',
    },
  ];

/** Opening paragraphs of the first version (our summary, not the Covenant's own words). */
const introduction: { key: string; kind: 'heading' | 'text'; text: string }[] = [
  { key: 'p-in3f7a2k', kind: 'heading', text: 'About the Covenant' },
  {
    key: 'p-in5d8c4r',
    kind: 'text',
    text: 'The Civil Society Covenant is an agreement between government and civil society in the UK, published in July 2025. It replaces the Compact of 2010. It is not legally binding: it sets out principles that both sides commit to.',
  },
  {
    key: 'p-in6m2q9w',
    kind: 'text',
    text: 'Civil society means volunteers, charities, faith groups, co-operatives, social enterprises, community groups and everyone who gives time or money in the service of others. On the government side, the Covenant covers UK government departments, their agencies and arm’s-length bodies, councils in England and wider public bodies.',
  },
  {
    key: 'p-in8t4v6b',
    kind: 'text',
    text: 'This text is a summary written for Covenant Hub. Where it has not yet been checked against the published Covenant it is marked “To be confirmed”.',
  },
];

/**
 * Loads the Covenant reference data into a fresh database, in the caller's transaction when there is one.
 * Idempotent: returns false and changes nothing when principles already exist.
 */
export async function ensureCovenantReference(db: Database, clock: Clock): Promise<boolean> {
  return db.transaction(async () => {
    const existing = await db.get().select({ id: covenantPrinciples.id }).from(covenantPrinciples).limit(1);
    if (existing.length > 0) return false;
    const principleIds = new Map<string, string>();
    for (const [position, p] of principleSeeds.entries()) {
      const [row] = await db
        .get()
        .insert(covenantPrinciples)
        .values({
          slug: p.slug,
          position: position + 1,
          title: p.title,
          purpose: p.purpose,
          source: p.source,
          unverified: p.unverified,
        })
        .returning({ id: covenantPrinciples.id });
      principleIds.set(p.slug, row!.id);
    }
    const commitmentIds = new Map<string, string>();
    for (const [position, c] of commitmentSeeds.entries()) {
      const [row] = await db
        .get()
        .insert(covenantCommitments)
        .values({
          code: c.code,
          principleId: principleIds.get(c.principle)!,
          side: c.side,
          text: c.text,
          source: c.source,
          unverified: c.unverified,
          position: position + 1,
        })
        .returning({ id: covenantCommitments.id });
      commitmentIds.set(c.code, row!.id);
    }
    await db
      .get()
      .insert(covenantStandards)
      .values(
        standardSeeds.map((s) => ({
          code: s.code,
          principleId: principleIds.get(s.principle)!,
          commitmentId: s.commitment ? (commitmentIds.get(s.commitment) ?? null) : null,
          title: s.title,
          rule: s.rule,
          threshold: s.threshold,
          unit: s.unit,
          evaluation: s.evaluation,
          source: s.source,
          unverified: s.unverified,
        })),
      );
    await db
      .get()
      .insert(covenantPledges)
      .values(
        pledgeSeeds.map((p, i) => ({
          code: p.code,
          side: p.side,
          text: p.text,
          commitmentId: p.commitment ? (commitmentIds.get(p.commitment) ?? null) : null,
          position: i + 1,
        })),
      );
    const [version] = await db
      .get()
      .insert(covenantVersions)
      .values({
        number: 1,
        title: 'Civil Society Covenant',
        status: 'published',
        isCurrent: true,
        changeSummary: `First version, summarised from the ${COVENANT}.`,
        publishedAt: clock.now(),
      })
      .returning({ id: covenantVersions.id });
    const paragraphs: (typeof covenantParagraphs.$inferInsert)[] = [];
    const push = (p: Omit<typeof covenantParagraphs.$inferInsert, 'versionId' | 'position'>) =>
      paragraphs.push({ ...p, versionId: version!.id, position: paragraphs.length + 1 });
    for (const p of introduction) push(p);
    for (const p of principleSeeds) {
      push({ key: p.keys[0], kind: 'heading', text: p.title });
      push({ key: p.keys[1], kind: 'text', text: p.purpose });
      for (const c of commitmentSeeds.filter((x) => x.principle === p.slug)) {
        const who =
          c.side === 'government'
            ? 'Government will '
            : c.side === 'civil_society'
              ? 'Civil society will '
              : 'Both sides will ';
        push({
          key: c.key,
          kind: 'text',
          text: `${who}${c.text.charAt(0).toLowerCase()}${c.text.slice(1)}`,
          commitmentId: commitmentIds.get(c.code)!,
        });
      }
    }
    await db.get().insert(covenantParagraphs).values(paragraphs);
    return true;
  });
}

/** True when the national commitments exist (used by tests and the demo seeder). */
export async function hasCovenantReference(db: Database): Promise<boolean> {
  const rows = await db
    .get()
    .select({ id: covenantCommitments.id })
    .from(covenantCommitments)
    .where(isNull(covenantCommitments.subCovenantId))
    .limit(1);
  return rows.length > 0;
}
