import { definePath } from '../../platform/http/paths.ts';

const admin = '/annual-review/admin/editions/:editionId';

export const surveyPaths = {
  // Public: the reviews, responding
  index: definePath('/annual-review'),
  start: definePath('/annual-review/:year'),
  begin: definePath('/annual-review/:year/start'),
  page: definePath('/annual-review/:year/questions/:section'),
  check: definePath('/annual-review/:year/check-your-answers'),
  submitted: definePath('/annual-review/:year/submitted'),
  saved: definePath('/annual-review/:year/saved'),
  resume: definePath('/annual-review/resume/:token'),
  invitation: definePath('/annual-review/invitation/:token'),
  review: definePath('/annual-review/:year/review'),
  reviewCsv: definePath('/annual-review/:year/review/figures.csv'),

  // Administrators: the builder, invitations
  admin: definePath('/annual-review/admin'),
  adminNew: definePath('/annual-review/admin/editions/new'),
  adminEdition: definePath(admin),
  adminSettings: definePath(`${admin}/settings`),
  adminCopy: definePath(`${admin}/copy`),
  adminPreview: definePath(`${admin}/preview`),
  adminPublish: definePath(`${admin}/publish`),
  adminSectionNew: definePath(`${admin}/sections/new`),
  adminSection: definePath(`${admin}/sections/:sectionId`),
  adminSectionLogic: definePath(`${admin}/sections/:sectionId/show-if`),
  adminSectionMove: definePath(`${admin}/sections/:sectionId/move`),
  adminSectionRemove: definePath(`${admin}/sections/:sectionId/remove`),
  adminQuestionNew: definePath(`${admin}/sections/:sectionId/questions/new`),
  adminQuestion: definePath(`${admin}/questions/:questionId`),
  adminQuestionLogic: definePath(`${admin}/questions/:questionId/show-if`),
  adminQuestionMove: definePath(`${admin}/questions/:questionId/move`),
  adminQuestionRetire: definePath(`${admin}/questions/:questionId/retire`),
  adminQuestionReplace: definePath(`${admin}/questions/:questionId/replace`),
  adminQuestionRemove: definePath(`${admin}/questions/:questionId/remove`),
  adminInvitations: definePath(`${admin}/invitations`),
  adminInvitationsSend: definePath(`${admin}/invitations/send`),
  adminInvitationsRemind: definePath(`${admin}/invitations/remind`),

  // Analysts (admins and panel members): live results
  results: definePath(`${admin}/results`),
  resultsQuestion: definePath(`${admin}/results/questions/:questionKey`),
  resultsText: definePath(`${admin}/results/questions/:questionKey/answers`),
  resultsAnalyse: definePath(`${admin}/results/questions/:questionKey/analyse`),
  resultsPublish: definePath(`${admin}/results/publish`),

  api: {
    editions: definePath('/api/v1/annual-review'),
    figures: definePath('/api/v1/annual-review/:year/figures'),
  },
};
