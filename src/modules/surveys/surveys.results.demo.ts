/**
 * Demo results (issue 6): so the results pages and the published review have something to show, two
 * earlier editions of the demo review (last year and the year before), with the same sections and stable
 * question keys as this year's demo edition (surveys.demo.ts), closed, each with a few hundred made-up
 * responses and a published review whose summary says plainly that the figures are demo data. This year's
 * open edition gets no responses, so the builder can still be tried on it.
 *
 * Responses are generated through the question engine's own skip logic (pruneHiddenAnswers), so hidden
 * questions are never answered, and stored exactly as a submission stores them (surveys.respond.ts), then
 * counted into the cube. Runs after the annual review's demo edition.
 */
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../container.ts';
import { systemActor } from '../../platform/audit/audit.ts';
import { addCalendarDays, toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import { attributeQuestionKeys, attributesFrom, attributeValues } from './surveys.attributes.ts';
import { demoEditionTitle, insertDemoSections } from './surveys.demo.ts';
import { agreementValues, type Answers, type BodyRating } from './questions/types.ts';
import { pruneHiddenAnswers } from './questions/logic.ts';
import { ukEndOfDay } from './surveys.schema.ts';
import { formOf } from './surveys.service.ts';
import { storedRowsOf } from './surveys.respond.ts';
import type { SurveysRepository } from './surveys.repository.ts';
import { surveyResponses } from './surveys.tables.ts';

/** A small deterministic generator (so the demo is the same every time). */
export function seededRandom(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const demoTexts = [
  'Give us more notice of consultations: four weeks is not enough for a small charity.',
  'Publish how decisions about funding were made.',
  'Involve organisations like ours before the policy is written, not after.',
  'Pay for the time our staff give to advisory groups.',
  'Multi-year funding would let us plan properly.',
  'Answer our letters. We often hear nothing back.',
];

/**
 * Makes `count` anonymous responses to an edition and counts them into the cube. `mood` (0–1) tilts the
 * agreement and rating answers towards the positive, so two years differ. Returns the number stored.
 */
export async function generateResponses(
  deps: Pick<Deps, 'db' | 'surveys' | 'surveysRepository'>,
  editionId: string,
  count: number,
  options: { seed: number; mood: number },
) {
  const repo: SurveysRepository = deps.surveysRepository;
  const rand = seededRandom(options.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const form = formOf(await deps.surveys.load(editionId));
  const questions = await repo.questionsOf(editionId);
  const bodies = await repo.listBodies();
  // A few bodies are rated much more often than others (as in practice), so some pass the threshold.
  const popular = bodies.slice(0, Math.min(4, bodies.length));
  const agreementAnswer = () => {
    const x = rand() * 0.6 + options.mood * 0.4 + (rand() - 0.5) * 0.3;
    return agreementValues[Math.max(0, Math.min(4, 4 - Math.floor(x * 5)))]!;
  };
  const answerRows: Parameters<SurveysRepository['insertAnswers']>[0] = [];
  const responseRows: (typeof surveyResponses.$inferInsert)[] = [];
  for (let i = 0; i < count; i++) {
    const raw: Answers = {};
    const nation = rand() < 0.75 ? 'england' : pick(attributeValues.nation);
    raw[attributeQuestionKeys.organisationType] = pick(attributeValues.organisationType.slice(0, 4));
    raw[attributeQuestionKeys.incomeBand] = pick(['micro', 'small', 'small', 'medium', 'medium', 'large']);
    raw[attributeQuestionKeys.nation] = nation;
    if (nation === 'england')
      raw[attributeQuestionKeys.region] = pick(['london', 'north-west', 'south-east', 'west-midlands']);
    raw[attributeQuestionKeys.role] = pick(['chief_executive', 'chief_executive', 'staff', 'trustee']);
    for (const q of questions) {
      if (q.retiredAt) continue;
      if (!q.required && rand() < 0.1) continue;
      if (q.type === 'agreement') raw[q.key] = agreementAnswer();
      else if (q.type === 'single_choice') {
        const values = (q.settings.options ?? []).map((o) => o.value);
        raw[q.key] = rand() < 0.6 ? values[0]! : pick(values);
      } else if (q.type === 'multiple_choice') {
        const values = (q.settings.options ?? []).filter((o) => !o.exclusive).map((o) => o.value);
        const chosen = values.filter(() => rand() < 0.45);
        raw[q.key] = chosen.length ? chosen : [values[0]!];
      } else if (q.type === 'body_rating' && bodies.length) {
        const rated = new Map<string, BodyRating>();
        const n = 1 + Math.floor(rand() * 3);
        for (let k = 0; k < n; k++) {
          const body = rand() < 0.8 ? pick(popular) : pick(bodies);
          const rating = Math.max(1, Math.min(5, Math.round(2 + options.mood * 2 + (rand() - 0.5) * 3)));
          rated.set(body.id, { bodyId: body.id, rating });
        }
        raw[q.key] = [...rated.values()];
      } else if (q.type === 'number') raw[q.key] = Math.floor(Math.exp(rand() * 5)) - 1;
      else if (q.type === 'free_text' && rand() < 0.3) raw[q.key] = pick(demoTexts);
    }
    const answers = pruneHiddenAnswers(form, raw);
    const responseId = randomUUID();
    const attributes = attributesFrom(answers);
    responseRows.push({ id: responseId, editionId, ...attributes });
    answerRows.push(...storedRowsOf(questions, answers, { responseId, editionId }, attributes).rows);
  }
  // In bulk (a seed, not a submission): the same rows a submission writes, a thousand at a time.
  for (let i = 0; i < responseRows.length; i += 1000)
    await deps.db
      .get()
      .insert(surveyResponses)
      .values(responseRows.slice(i, i + 1000));
  for (let i = 0; i < answerRows.length; i += 1000) await repo.insertAnswers(answerRows.slice(i, i + 1000));
  await repo.rebuildCounts(editionId);
  return count;
}

/** An earlier edition with the demo's sections and keys, closed, with responses and a published review. */
async function earlierEdition(
  deps: Deps,
  year: number,
  responses: number,
  mood: number,
  copiedFromId: string | null,
) {
  const repo = deps.surveysRepository;
  const closesOn = `${year}-11-30`;
  const edition = await repo.insertEdition({
    year,
    title: demoEditionTitle(year),
    intro: 'Demo edition: an earlier year of the annual review, with made-up responses.',
    status: 'published',
    publishedAt: ukEndOfDay(addCalendarDays(closesOn, -56)),
    closesAt: ukEndOfDay(closesOn),
    openLink: true,
    copiedFromId,
  });
  await insertDemoSections(deps, edition.id);
  await generateResponses(deps, edition.id, responses, { seed: year, mood });
  // Published as the system would (the closing date has passed); the publication is audited as the system.
  await deps.surveyResults.freeze(
    systemActor,
    edition.id,
    `Demo data: these figures come from ${responses} made-up responses, to show how a published review looks. They are not real findings.`,
  );
  return edition;
}

export async function seedSurveyResultsDemo(deps: Deps): Promise<string[]> {
  const year = Number(toUkIsoDate(deps.clock.now()).slice(0, 4));
  if (!(await deps.surveysRepository.editionByYear(year)))
    return ['Annual review results: skipped (no demo edition to copy)'];
  const first = await earlierEdition(deps, year - 2, 240, 0.35, null);
  await earlierEdition(deps, year - 1, 300, 0.5, first.id);
  return [
    `Annual review results: ${year - 2} and ${year - 1} editions with demo responses and published reviews`,
  ];
}
