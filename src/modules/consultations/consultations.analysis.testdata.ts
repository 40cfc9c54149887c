/**
 * Tests only: a consultation on the current Covenant text with responses of every consent and state, made
 * straight in the tables so the analysis tests do not depend on the responding pages. Each kind of response
 * carries marker words, so tests can prove where its words, names and organisations may appear:
 *
 *   named       (published)  "Nadia Named", "Named Trust", published comments "namedpub"
 *   anonymised  (published)  "Anna Anon", "Anon Org Ltd", published comments "anonpub"
 *   none        (published)  "Zed Nonesuch", "Zqx Org", text "zqxnone", even a redacted copy "zqxnone"
 *   held        (held)       text "heldword"
 *   draft                     text "draftword" (never counted)
 */
import { sql } from 'drizzle-orm';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { ensureCovenantReference } from '../covenant/covenant.seed.ts';

export const TEST_SLUG = 'covenant-text-2026';

const topics = [
  'funding cuts are hurting small local charities and grants arrive late',
  'the consultation period is too short, twelve weeks is the minimum we need',
  'volunteers and trustees need training and support to take part',
];

export interface ConsultationFixture {
  consultationId: string;
  versionId: string;
  paragraphKeys: string[];
  principleIds: string[];
  responses: Record<'named' | 'anonymised' | 'none' | 'held' | 'draft', string[]>;
}

const rows = async <T>(db: Database, query: ReturnType<typeof sql>) =>
  ((await db.get().execute(query)) as unknown as { rows: T[] }).rows;

/** Builds the fixture: 4 named, 4 anonymised and 4 'none' published responses, 1 held, 1 draft. */
export async function buildConsultationFixture(db: Database, clock: Clock): Promise<ConsultationFixture> {
  await ensureCovenantReference(db, clock);
  const [version] = await rows<{ id: string }>(db, sql`select id from covenant_versions where is_current`);
  const paragraphs = await rows<{ key: string }>(
    db,
    sql`select key from covenant_paragraphs where version_id = ${version!.id} and kind = 'text' order by position`,
  );
  const principles = await rows<{ id: string }>(
    db,
    sql`select id from covenant_principles order by position`,
  );
  const now = clock.now().toISOString();
  const questions = {
    sections: [
      {
        key: 'questions',
        title: 'Questions',
        questions: [
          { key: 'why', type: 'free_text', text: 'What would make the Covenant work?', required: false },
        ],
      },
    ],
  };
  const [consultation] = await rows<{ id: string }>(
    db,
    sql`insert into consultations (slug, title, summary, how_responses_used, version_id, opens_on, closes_on,
          questions, status, published_at, updated_at)
        values (${TEST_SLUG}, 'The Covenant text 2026', 'Tell us what you think', 'We publish a response',
          ${version!.id}, '2026-01-01', '2026-04-30', ${JSON.stringify(questions)}::jsonb, 'published',
          ${now}::timestamptz, ${now}::timestamptz)
        returning id`,
  );
  const consultationId = consultation!.id;
  const kinds = [
    ...Array.from({ length: 4 }, () => 'named' as const),
    ...Array.from({ length: 4 }, () => 'anonymised' as const),
    ...Array.from({ length: 4 }, () => 'none' as const),
    'held' as const,
    'draft' as const,
  ];
  const who = {
    named: { name: 'Nadia Named', org: 'Named Trust', word: 'namedpub', consent: 'named' },
    anonymised: { name: 'Anna Anon', org: 'Anon Org Ltd', word: 'anonpub', consent: 'anonymised' },
    none: { name: 'Zed Nonesuch', org: 'Zqx Org', word: 'zqxnone', consent: 'none' },
    held: { name: 'Hal Held', org: 'Held Org', word: 'heldword', consent: 'named' },
    draft: { name: 'Dora Draft', org: 'Draft Org', word: 'draftword', consent: 'named' },
  };
  const responses: ConsultationFixture['responses'] = {
    named: [],
    anonymised: [],
    none: [],
    held: [],
    draft: [],
  };
  for (const [i, kind] of kinds.entries()) {
    const w = who[kind];
    const submitted = kind !== 'draft';
    const moderation = kind === 'held' ? 'held' : submitted ? 'published' : 'pending';
    const topic = topics[i % topics.length]!;
    const answer = `${topic} ${w.word}`;
    const [response] = await rows<{ id: string }>(
      db,
      sql`insert into consultation_responses (consultation_id, status, reference, respondent_type, organisation_name,
            organisation_type, organisation_size, respondent_name, respondent_email, consent, answers, moderation,
            published_text, submitted_at, updated_at)
          values (${consultationId}, ${submitted ? 'submitted' : 'draft'}, ${`CR-T${String(i).padStart(5, '0')}`},
            'organisation', ${w.org}, 'charity', 'small', ${w.name}, ${`${w.word}@example.org`}, ${w.consent},
            ${JSON.stringify({ why: answer })}::jsonb, ${moderation},
            ${moderation === 'published' ? JSON.stringify({ answers: { why: `${answer} (redacted)` }, principleComments: {} }) : null}::jsonb,
            ${submitted ? now : null}::timestamptz, ${now}::timestamptz)
          returning id`,
    );
    responses[kind].push(response!.id);
    for (const [j, key] of paragraphs.slice(0, 2).entries()) {
      const stance = (['agree', 'disagree', 'suggest_change'] as const)[(i + j) % 3]!;
      await db.get().execute(sql`
        insert into consultation_comments (consultation_id, response_id, version_id, paragraph_key, stance, comment,
          moderation, published_comment, updated_at)
        values (${consultationId}, ${response!.id}, ${version!.id}, ${key.key}, ${stance}, ${`${topic} ${w.word}`},
          ${moderation}, ${moderation === 'published' ? `${topic} ${w.word} (redacted)` : null}, ${now}::timestamptz)`);
    }
    for (const [j, principleId] of principles.map((p) => p.id).entries()) {
      const view = (['support', 'support_with_changes', 'oppose', 'no_view'] as const)[(i + j) % 4]!;
      await db.get().execute(sql`
        insert into consultation_principle_views (response_id, principle_id, view, comment)
        values (${response!.id}, ${principleId}, ${view}, ${w.word})`);
    }
  }
  return {
    consultationId,
    versionId: version!.id,
    paragraphKeys: paragraphs.map((p) => p.key),
    principleIds: principles.map((p) => p.id),
    responses,
  };
}

/** Every marker that must never be public: the 'none' response's words, names and organisation, held and draft words. */
export const PRIVATE_MARKERS = [
  'zqxnone',
  'Zed Nonesuch',
  'Zqx Org',
  'heldword',
  'Hal Held',
  'draftword',
  'Anna Anon',
  'Anon Org Ltd',
  '@example.org',
];
