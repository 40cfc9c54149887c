/**
 * Typed URLs of consultations (issue 7): the public pages, responding, the Covenant team's pages and
 * moderation. Analysis and the government response are in consultations.analysis.paths.ts.
 */
import { definePath } from '../../platform/http/paths.ts';

export const consultationPaths = {
  index: definePath('/consultations'),
  show: definePath('/consultations/:slug'),
  /** Published comments on one paragraph (anchors on the consultation page link here). */
  paragraph: definePath('/consultations/:slug/paragraphs/:key'),
  responses: definePath('/consultations/:slug/responses'),
  response: definePath('/consultations/:slug/responses/:reference'),

  // Responding (a draft found by the resume token in a cookie scoped to the consultation).
  start: definePath('/consultations/:slug/respond/start'),
  tasks: definePath('/consultations/:slug/respond'),
  about: definePath('/consultations/:slug/respond/about-you'),
  document: definePath('/consultations/:slug/respond/document'),
  comment: definePath('/consultations/:slug/respond/paragraphs/:key'),
  removeComment: definePath('/consultations/:slug/respond/paragraphs/:key/remove'),
  principles: definePath('/consultations/:slug/respond/principles'),
  questions: definePath('/consultations/:slug/respond/questions/:section'),
  consent: definePath('/consultations/:slug/respond/consent'),
  check: definePath('/consultations/:slug/respond/check'),
  saved: definePath('/consultations/:slug/respond/saved'),
  submitted: definePath('/consultations/:slug/respond/sent'),
  resume: definePath('/consultations/:slug/resume/:token'),

  // The Covenant team.
  admin: definePath('/admin/consultations'),
  create: definePath('/admin/consultations/new'),
  manage: definePath('/consultations/:slug/manage'),
  edit: definePath('/consultations/:slug/manage/edit'),
  publish: definePath('/consultations/:slug/manage/publish'),
  newQuestion: definePath('/consultations/:slug/manage/questions/new'),
  question: definePath('/consultations/:slug/manage/questions/:key'),
  removeQuestion: definePath('/consultations/:slug/manage/questions/:key/remove'),
  moderation: definePath('/consultations/:slug/manage/moderation'),
  moderate: definePath('/consultations/:slug/manage/moderation/:responseId'),

  api: {
    list: definePath('/api/v1/consultations'),
    one: definePath('/api/v1/consultations/:slug'),
    responses: definePath('/api/v1/consultations/:slug/responses'),
  },
};
