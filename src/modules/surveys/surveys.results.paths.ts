/**
 * Paths of results and the published review. Most are defined with the rest of the annual review in
 * surveys.paths.ts; the analysts' index of every edition and the public list of reviews are added here.
 */
import { definePath } from '../../platform/http/paths.ts';
import { surveyPaths } from './surveys.paths.ts';

export const resultsPaths = {
  /** Analysts: every edition, with links to its results and its review. */
  index: definePath('/annual-review/results'),
  edition: surveyPaths.results,
  question: surveyPaths.resultsQuestion,
  text: surveyPaths.resultsText,
  analyse: surveyPaths.resultsAnalyse,
  publish: surveyPaths.resultsPublish,
  /** Public: every published review. */
  reviews: definePath('/annual-review/reviews'),
  review: surveyPaths.review,
  reviewCsv: surveyPaths.reviewCsv,
  api: surveyPaths.api,
};
