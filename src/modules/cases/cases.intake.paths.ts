/** Typed URLs for the report journey, the triage queue and the routing rules. */
import { definePath } from '../../platform/http/paths.ts';
import { casePaths } from './cases.paths.ts';

export const intakePaths = {
  start: definePath('/report'),
  kind: definePath('/report/kind'),
  category: definePath('/report/category'),
  body: definePath('/report/body'),
  /** JSON suggestions for the typeahead on the body page (signed-in reporters, like the page). */
  bodySuggestions: definePath('/report/body/suggestions'),
  whatHappened: definePath('/report/what-happened'),
  when: definePath('/report/when'),
  commitments: definePath('/report/commitments'),
  impact: definePath('/report/impact'),
  outcome: definePath('/report/outcome'),
  evidence: definePath('/report/evidence'),
  evidenceRemove: definePath('/report/evidence/:attachmentId/remove'),
  confidentiality: definePath('/report/confidentiality'),
  details: definePath('/report/your-details'),
  checkAnswers: definePath('/report/check-answers'),
  submit: definePath('/report/submit'),
  confirmation: definePath('/report/confirmation/:reference'),
  saved: definePath('/report/saved'),
  resume: definePath('/report/resume/:token'),
  attachment: definePath('/evidence/:attachmentId'),
  triage: definePath('/triage'),
  triageCase: definePath('/triage/:caseId'),
  routing: definePath('/admin/routing'),
  routingNew: definePath('/admin/routing/new'),
  /** Per-category working days (a static segment: matched before `:ruleId`). */
  categoryDeadlines: definePath('/admin/routing/deadlines'),
  categoryDeadline: definePath('/admin/routing/deadlines/:category'),
  routingEdit: definePath('/admin/routing/:ruleId'),
  routingDelete: definePath('/admin/routing/:ruleId/delete'),
  /** The reporter's own cases: case handling's page, linked from the confirmation. */
  myCases: casePaths.myCases,
};

/** The question pages in journey order; the first unanswered one is where "continue" leads. */
export const reportPages = [
  'kind',
  'body',
  'whatHappened',
  'category',
  'when',
  'commitments',
  'impact',
  'outcome',
  'evidence',
  'confidentiality',
  'details',
] as const;
export type ReportPage = (typeof reportPages)[number];
