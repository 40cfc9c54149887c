/**
 * The demo's first annual review (issue 6): an edition for the current year, published a fortnight ago and
 * open for six more weeks, whose questions are built from the Covenant's progress and warning signs
 * (domain reference §1.5, surveys.signs.ts) and tied to their principles. It has skip logic (organisations
 * that have not worked with government skip the experience pages; a follow-up only for those who held back
 * from speaking out), a rating of public bodies, a number and free text, so every question type shows.
 *
 * Rows go straight through the repository (seed data is not audited as if someone built it). Runs after the
 * Covenant seeder, which creates the principles.
 */
import type { Deps } from '../../container.ts';
import { checkForm } from './questions/logic.ts';
import type { ChoiceOption, Condition, QuestionType } from './questions/types.ts';
import { ukEndOfDay } from './surveys.schema.ts';
import { formOf } from './surveys.service.ts';
import type { QuestionSettings } from './surveys.tables.ts';
import { toUkIsoDate, addCalendarDays } from '../../platform/calendar/iso-date.ts';

interface DemoQuestion {
  key: string;
  type: QuestionType;
  text: string;
  help?: string;
  required?: boolean;
  options?: ChoiceOption[];
  settings?: QuestionSettings;
  showIf?: Condition;
  principle?: string;
  sign?: string;
}

interface DemoSection {
  key: string;
  title: string;
  intro?: string;
  showIf?: Condition;
  questions: DemoQuestion[];
}

const workedWithGovernment: Condition = {
  match: 'all',
  clauses: [{ question: 'worked-with-government', operator: 'not_equals', value: 'no' }],
};

/** The sections of the first edition. Keys are the stable identifiers later editions keep. */
export const demoSections: DemoSection[] = [
  {
    key: 'your-work',
    title: 'Your work with government',
    questions: [
      {
        key: 'worked-with-government',
        type: 'single_choice',
        text: 'In the last 12 months, has your organisation worked with a UK government department or another public body?',
        help: 'For example, through a grant or contract, a consultation, an advisory group or a partnership board.',
        required: true,
        options: [
          { value: 'yes', label: 'Yes' },
          { value: 'no', label: 'No' },
          { value: 'not-sure', label: 'I am not sure' },
        ],
        principle: 'partnership-and-collaboration',
      },
      {
        key: 'paid-staff',
        type: 'number',
        text: 'How many paid staff does your organisation have?',
        help: 'Count part-time staff as one each. Enter 0 if you have no paid staff.',
        settings: { number: { min: 0, max: 1_000_000, integer: true, suffix: 'staff' } },
      },
    ],
  },
  {
    key: 'how-you-worked',
    title: 'How you worked with public bodies',
    intro: 'Tell us about the public bodies you worked with in the last 12 months.',
    showIf: workedWithGovernment,
    questions: [
      {
        key: 'engagement-ways',
        type: 'multiple_choice',
        text: 'How did your organisation work with public bodies?',
        required: true,
        options: [
          { value: 'grant-or-contract', label: 'A grant or contract' },
          { value: 'consultation', label: 'Answering a consultation' },
          { value: 'advisory-group', label: 'An advisory group or partnership board' },
          { value: 'co-design', label: 'Designing a policy or service together' },
          { value: 'campaigning', label: 'Campaigning or advocacy' },
          { value: 'none', label: 'None of these', exclusive: true },
        ],
        principle: 'partnership-and-collaboration',
      },
      {
        key: 'body-ratings',
        type: 'body_rating',
        text: 'How well do these public bodies work with civil society?',
        settings: { maxBodies: 3 },
        principle: 'partnership-and-collaboration',
      },
    ],
  },
  {
    key: 'recognition',
    title: 'Recognition and value',
    intro:
      'How much do you agree or disagree with each statement about the public bodies your organisation worked with in the last 12 months?',
    showIf: workedWithGovernment,
    questions: [
      {
        key: 'expertise-listened',
        type: 'agreement',
        text: 'Our expertise was listened to when policies and services were designed',
        required: true,
        principle: 'recognition-and-value',
        sign: 'expertise-listened',
      },
      {
        key: 'implications-assessed',
        type: 'agreement',
        text: 'The effects of new policy, laws and guidance on organisations like ours were properly thought through',
        required: true,
        principle: 'recognition-and-value',
        sign: 'implications-assessed',
      },
      {
        key: 'mutual-respect',
        type: 'agreement',
        text: 'When we disagreed, the relationship stayed respectful',
        required: true,
        principle: 'recognition-and-value',
        sign: 'mutual-respect',
      },
      {
        key: 'fair-process',
        type: 'agreement',
        text: 'Decisions were made fairly, even when we disagreed with the outcome',
        required: true,
        principle: 'recognition-and-value',
        sign: 'fair-process',
      },
      {
        key: 'social-value-fair',
        type: 'agreement',
        text: 'The way social value is scored in funding and contracts did not put organisations like ours at a disadvantage',
        principle: 'recognition-and-value',
        sign: 'social-value-fair',
      },
      {
        key: 'knowledge-shared',
        type: 'agreement',
        text: 'Public bodies explained how they make decisions and who makes them',
        principle: 'transparency-and-data',
        sign: 'knowledge-shared',
      },
      {
        key: 'diverse-smaller',
        type: 'agreement',
        text: 'Smaller organisations and those led by under-represented groups had a real chance to take part',
        principle: 'participation-and-inclusion',
        sign: 'diverse-smaller',
      },
    ],
  },
  {
    key: 'speaking-out',
    title: 'Speaking out',
    questions: [
      {
        key: 'campaign-freely',
        type: 'agreement',
        text: 'Our organisation can campaign and challenge government whatever our funding or other relationship with it',
        required: true,
        principle: 'recognition-and-value',
        sign: 'campaign-freely',
      },
      {
        key: 'self-censorship',
        type: 'single_choice',
        text: 'In the last 12 months, has your organisation held back from speaking out in public because of fear of the consequences?',
        help: 'For example, not commenting on a policy because you worried about losing funding or access.',
        required: true,
        options: [
          { value: 'often', label: 'Yes, often' },
          { value: 'sometimes', label: 'Yes, sometimes' },
          { value: 'never', label: 'No' },
          { value: 'not-sure', label: 'I am not sure' },
        ],
        principle: 'recognition-and-value',
        sign: 'self-censorship',
      },
    ],
  },
  {
    key: 'understanding',
    title: 'Understanding each other',
    questions: [
      {
        key: 'self-censorship-detail',
        type: 'free_text',
        text: 'What made your organisation hold back from speaking out?',
        help: 'Do not include names or anything that could identify you, your organisation or anyone else.',
        settings: { maxLength: 2000 },
        showIf: {
          match: 'all',
          clauses: [{ question: 'self-censorship', operator: 'any_of', value: ['often', 'sometimes'] }],
        },
        principle: 'recognition-and-value',
        sign: 'self-censorship',
      },
      {
        key: 'constraints-understood',
        type: 'agreement',
        text: 'The public bodies we work with understand the pressures and limits our organisation works under',
        required: true,
        showIf: {
          match: 'all',
          clauses: [{ question: 'worked-with-government', operator: 'not_equals', value: 'no' }],
        },
        principle: 'partnership-and-collaboration',
        sign: 'constraints-misunderstood',
      },
      {
        key: 'standards-met',
        type: 'agreement',
        text: 'Both government and civil society meet the legal, regulatory and ethical standards expected of them',
        principle: 'recognition-and-value',
        sign: 'standards-met',
      },
    ],
  },
  {
    key: 'anything-else',
    title: 'Anything else',
    questions: [
      {
        key: 'one-improvement',
        type: 'free_text',
        text: 'What one thing should government do to improve how it works with civil society?',
        help: 'Do not include names or anything that could identify you, your organisation or anyone else.',
        settings: { maxLength: 2000 },
        principle: 'partnership-and-collaboration',
      },
    ],
  },
];

export function demoEditionTitle(year: number) {
  return `Annual review of stakeholder experiences ${year}`;
}

/**
 * Adds the demo's sections and questions (demoSections, with their stable keys) to an edition, tied to the
 * principles by slug: for this year's demo edition and the results demo's earlier ones. Returns how many
 * questions it added.
 */
export async function insertDemoSections(deps: Pick<Deps, 'surveysRepository'>, editionId: string) {
  const repo = deps.surveysRepository;
  const principles = new Map((await repo.listPrinciples()).map((p) => [p.slug, p.id]));
  let position = 0;
  for (const [index, s] of demoSections.entries()) {
    const section = await repo.insertSection({
      editionId,
      key: s.key,
      position: index + 1,
      title: s.title,
      intro: s.intro ?? null,
      showIf: s.showIf ?? null,
    });
    for (const q of s.questions)
      await repo.insertQuestion({
        editionId,
        sectionId: section.id,
        key: q.key,
        position: ++position,
        type: q.type,
        text: q.text,
        help: q.help ?? null,
        required: q.required ?? false,
        settings: { ...q.settings, ...(q.options ? { options: q.options } : {}) },
        showIf: q.showIf ?? null,
        principleId: q.principle ? (principles.get(q.principle) ?? null) : null,
        signKey: q.sign ?? null,
      });
  }
  return position;
}

export async function seedSurveysDemo(deps: Deps): Promise<string[]> {
  const repo = deps.surveysRepository;
  const now = deps.clock.now();
  const year = Number(toUkIsoDate(now).slice(0, 4));
  const edition = await repo.insertEdition({
    year,
    title: demoEditionTitle(year),
    intro:
      'Each year we ask civil society organisations how government and public bodies are keeping the Civil Society Covenant. Your answers become the published annual review and part of each public body’s scorecard.\n\nAnswer for your organisation as a whole, thinking about the last 12 months.',
    status: 'published',
    publishedAt: new Date(now.getTime() - 14 * 86_400_000),
    closesAt: ukEndOfDay(addCalendarDays(toUkIsoDate(now), 42)),
    openLink: true,
  });
  const position = await insertDemoSections(deps, edition.id);
  // The seed must be publishable as it stands: the same check the builder's Publish button makes.
  const problems = checkForm(formOf(await deps.surveys.load(edition.id)));
  if (problems.length > 0) throw new Error(`Demo survey has problems: ${JSON.stringify(problems)}`);
  return [
    `Annual review ${year}: published, ${position} questions in ${demoSections.length} sections, open link`,
  ];
}
