/**
 * Demo data for consultations (clearly demo seed data, never loaded in production): one open consultation
 * on the Covenant's draft text (a draft is started from the current version when there is none), with a
 * few demo responses in every state the pages show: published named and anonymised responses, one that
 * asked not to be published, one waiting for moderation, and a half-way draft (never counted or shown).
 */
import type { Deps } from '../../container.ts';
import { systemActor } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { sha256, randomToken } from '../../platform/auth/tokens.ts';
import { addCalendarDays, toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import { COMPACT_WEEKS, newResponseReference } from './consultations.rules.ts';
import { QUESTIONS_SECTION } from './consultations.service.ts';
import type { ConsentChoice } from './consultations.tables.ts';

/** The demo seeder acts as the Covenant team (demo data is loaded by the system, not by a person). */
const demoTeam: CurrentUser = {
  id: '00000000-0000-0000-0000-000000000000',
  email: 'system@demo.covenant-hub.local',
  displayName: 'Demo seed',
  locale: 'en',
  emailVerified: true,
  totpEnabled: true,
  memberships: [
    {
      organisationId: '',
      organisationName: 'Covenant team',
      organisationSlug: 'covenant-team',
      organisationKind: 'covenant_team',
      role: 'admin',
    },
  ],
};

export const DEMO_CONSULTATION_SLUG = 'demo-consultation-on-the-draft-covenant';

export async function seedConsultationsDemo(deps: Deps): Promise<string[]> {
  const { covenant, consultations, consultationsRepository: repo, clock } = deps;
  if (await repo.bySlug(DEMO_CONSULTATION_SLUG)) return [];
  const current = await covenant.repo.currentVersion();
  if (!current) return [];
  // Consult on the draft; start one (a copy of the current text, keys kept) when there is none.
  let draft = await covenant.repo.draftVersion();
  if (!draft) {
    draft = await covenant.repo.insertVersion({
      number: await covenant.repo.nextVersionNumber(),
      title: current.title,
      status: 'draft',
      basedOnId: current.id,
      changeSummary: 'Demo draft for the demo consultation',
    });
    const paragraphs = await covenant.repo.paragraphsOf(current.id);
    await covenant.repo.insertParagraphs(
      paragraphs.map((p) => ({
        versionId: draft!.id,
        key: p.key,
        position: p.position,
        kind: p.kind,
        text: p.text,
        commitmentId: p.commitmentId,
      })),
    );
  }
  const today = toUkIsoDate(clock.now());
  const opensOn = addCalendarDays(today, -14);
  const now = clock.now();
  const c = await repo.insertConsultation({
    slug: DEMO_CONSULTATION_SLUG,
    title: 'Demo consultation on the draft Covenant',
    summary:
      'Demo data: a consultation on the next draft of the Civil Society Covenant. Comment on any paragraph, give your view of each principle and answer three questions.',
    howResponsesUsed:
      'Demo data. The Covenant team and the Joint Oversight Panel read every response. With your agreement, a moderator publishes your response, with personal details removed. We will publish a summary of what we heard and what we changed ("you said, we did") within 12 weeks of closing.',
    versionId: draft.id,
    opensOn,
    closesOn: addCalendarDays(opensOn, COMPACT_WEEKS * 7 - 1),
    questions: {
      sections: [
        {
          key: QUESTIONS_SECTION,
          title: 'Questions',
          questions: [
            {
              key: 'clear',
              type: 'agreement',
              text: 'The draft Covenant is clear about what each side commits to',
              required: true,
            },
            {
              key: 'priority',
              type: 'single_choice',
              text: 'Which principle matters most to your work?',
              required: false,
              options: [
                { value: 'recognition', label: 'Recognition and value' },
                { value: 'partnership', label: 'Partnership and collaboration' },
                { value: 'participation', label: 'Participation and inclusion' },
                { value: 'transparency', label: 'Transparency and accountability' },
              ],
            },
            { key: 'missing', type: 'free_text', text: 'What is missing from the draft?', required: false },
          ],
        },
      ],
    },
    status: 'published',
    publishedAt: now,
    updatedAt: now,
  });
  const paragraphs = (await covenant.repo.paragraphsOf(draft.id)).filter((p) => p.kind !== 'heading');
  const principles = await covenant.repo.listPrinciples();
  const demo: {
    name: string | null;
    organisation?: { name: string; type: string; size: string };
    consent: ConsentChoice;
    moderation: 'pending' | 'published';
    comment: { at: number; stance: 'agree' | 'disagree' | 'suggest_change'; text: string; suggest?: string };
    missing: string;
  }[] = [
    {
      name: 'Demo Respondent One',
      organisation: { name: 'Riverside Community Trust (demo)', type: 'charity', size: 'small' },
      consent: 'named',
      moderation: 'published',
      comment: {
        at: 0,
        stance: 'agree',
        text: 'Demo comment: this sets the right tone for the whole Covenant.',
      },
      missing: 'Demo answer: a clear timetable for the first annual review.',
    },
    {
      name: 'Demo Respondent Two',
      consent: 'anonymised',
      moderation: 'published',
      comment: {
        at: 1,
        stance: 'suggest_change',
        text: 'Demo comment: say who is responsible. Email me at demo.two@example.org.',
        suggest: `${paragraphs[1]?.text ?? ''} Each department names an accountable lead.`,
      },
      missing: 'Demo answer: small groups need the same notice as large charities.',
    },
    {
      name: 'Demo Respondent Three',
      consent: 'none',
      moderation: 'published',
      comment: { at: 2, stance: 'disagree', text: 'Demo comment that asked not to be published.' },
      missing: 'Demo answer that must never appear in public.',
    },
    {
      name: 'Demo Respondent Four',
      organisation: { name: 'Northern Lights Youth Project (demo)', type: 'community_group', size: 'micro' },
      consent: 'named',
      moderation: 'pending',
      comment: { at: 0, stance: 'disagree', text: 'Demo comment waiting for moderation.' },
      missing: 'Demo answer waiting for moderation.',
    },
  ];
  for (const [i, d] of demo.entries()) {
    const at = new Date(now.getTime() - (10 - i) * 86_400_000);
    const r = await repo.insertResponse({
      consultationId: c.id,
      reference: newResponseReference(),
      status: 'submitted',
      respondentType: d.organisation ? 'organisation' : 'individual',
      respondentName: d.name,
      organisationName: d.organisation?.name ?? null,
      organisationType: d.organisation?.type ?? null,
      organisationSize: d.organisation?.size ?? null,
      consent: d.consent,
      answers: { clear: i % 2 ? 'agree' : 'strongly_agree', priority: 'partnership', missing: d.missing },
      submittedAt: at,
      updatedAt: at,
    });
    const paragraph = paragraphs[d.comment.at];
    if (paragraph)
      await repo.upsertComment({
        consultationId: c.id,
        responseId: r.id,
        versionId: draft.id,
        paragraphKey: paragraph.key,
        stance: d.comment.stance,
        comment: d.comment.text,
        suggestedText: d.comment.suggest ?? null,
        updatedAt: at,
      });
    await repo.replaceViews(
      r.id,
      principles.map((p, n) => ({
        principleId: p.id,
        view: n === i ? 'support_with_changes' : 'support',
        comment: n === i ? 'Demo comment on this principle.' : '',
      })),
    );
    if (d.moderation === 'published')
      await consultations.moderate(demoTeam, systemActor, c.slug, r.id, {
        decision: 'publish',
        note: null,
        phrases: null,
        holdComments: [],
      });
  }
  // A half-way response: kept as a draft, never counted or shown.
  await repo.insertResponse({
    consultationId: c.id,
    reference: newResponseReference(),
    resumeTokenHash: sha256(randomToken()),
    respondentType: 'individual',
    answers: { missing: 'Demo half-way draft answer.' },
    updatedAt: now,
  });
  return [
    `Consultations: 1 open demo consultation on draft version ${draft.number}, ${demo.length} demo responses and 1 draft`,
  ];
}
