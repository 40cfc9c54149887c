/** zod schemas for the results pages: the filter query, the publish form and the answers page number. */
import { z } from 'zod';
import { attributeNames, attributeValues, NOT_STATED } from './surveys.attributes.ts';

const empty = (v: unknown) => (v === '' || v === undefined ? undefined : v);
const invalid = 'surveyResults.errors.filterInvalid';

const attribute = (values: readonly string[]) =>
  z.preprocess(empty, z.enum([NOT_STATED, ...values] as [string, ...string[]], invalid).optional());

/** The filters of a question's results: one value per respondent attribute, a body, and a breakdown. */
export const ResultsFilterQuery = z.object({
  organisationType: attribute(attributeValues.organisationType),
  incomeBand: attribute(attributeValues.incomeBand),
  nation: attribute(attributeValues.nation),
  region: attribute(attributeValues.region),
  role: attribute(attributeValues.role),
  body: z.preprocess(empty, z.uuid(invalid).optional()),
  by: z.preprocess(empty, z.enum(['all', ...attributeNames, 'body'], invalid).default('all')),
});
export type ResultsFilter = z.infer<typeof ResultsFilterQuery>;

export const PublishResultsForm = z.object({
  summary: z
    .string('surveyResults.errors.summaryRequired')
    .trim()
    .min(1, 'surveyResults.errors.summaryRequired')
    .max(5000, 'surveyResults.errors.summaryTooLong'),
});

export const PageQuery = z.object({
  page: z.preprocess(empty, z.coerce.number().int().min(1).max(100_000).default(1)),
});
