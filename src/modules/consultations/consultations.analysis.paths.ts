/** Typed URLs of consultation analysis and the government response, for routes, templates and tests. */
import { definePath } from '../../platform/http/paths.ts';

export const analysisPaths = {
  overview: definePath('/consultations/:slug/analysis'),
  run: definePath('/consultations/:slug/analysis/run'),
  paragraph: definePath('/consultations/:slug/analysis/paragraphs/:key'),
  question: definePath('/consultations/:slug/analysis/questions/:key'),
  theme: definePath('/consultations/:slug/analysis/themes/:themeId'),
  responses: definePath('/consultations/:slug/analysis/responses'),
  response: definePath('/consultations/:slug/analysis/responses/:responseId'),
  addTag: definePath('/consultations/:slug/analysis/responses/:responseId/tags'),
  removeTag: definePath('/consultations/:slug/analysis/responses/:responseId/tags/remove'),
};

export const responsePaths = {
  /** Public once published: "you said, we did". */
  show: definePath('/consultations/:slug/government-response'),
  edit: definePath('/consultations/:slug/government-response/edit'),
  summary: definePath('/consultations/:slug/government-response/summary'),
  addEntry: definePath('/consultations/:slug/government-response/entries'),
  removeEntry: definePath('/consultations/:slug/government-response/entries/:entryId/remove'),
  nextVersion: definePath('/consultations/:slug/government-response/next-version'),
  publish: definePath('/consultations/:slug/government-response/publish'),
  api: {
    aggregates: definePath('/api/v1/consultations/:slug/aggregates'),
    response: definePath('/api/v1/consultations/:slug/government-response'),
  },
};
