/** Typed URLs of the panel's pages, and of the body's recommendation page on its case. */
import { definePath } from '../../platform/http/paths.ts';

export const panelPaths = {
  queue: definePath('/panel'),
  case: definePath('/panel/cases/:caseId'),
  startReview: definePath('/panel/cases/:caseId/start-review'),
  propose: definePath('/panel/cases/:caseId/proposal'),
  withdrawProposal: definePath('/panel/cases/:caseId/proposal/withdraw'),
  vote: definePath('/panel/cases/:caseId/vote'),
  decide: definePath('/panel/cases/:caseId/decide'),
  close: definePath('/panel/cases/:caseId/close'),
  declareCaseConflict: definePath('/panel/cases/:caseId/conflict'),
  recommendations: definePath('/panel/recommendations'),
  members: definePath('/panel/members'),
  newTerm: definePath('/panel/members/new'),
  term: definePath('/panel/members/terms/:termId'),
  conflicts: definePath('/panel/conflicts'),
  withdrawConflict: definePath('/panel/conflicts/:conflictId/withdraw'),
  settings: definePath('/panel/settings'),
  meetings: definePath('/panel/meetings'),
  newMeeting: definePath('/panel/meetings/new'),
  meeting: definePath('/panel/meetings/:meetingId'),
  agendaItem: definePath('/panel/meetings/:meetingId/agenda'),
  agendaRefresh: definePath('/panel/meetings/:meetingId/agenda/refresh'),
  agendaItemRemove: definePath('/panel/meetings/:meetingId/agenda/:itemId/remove'),
  attendance: definePath('/panel/meetings/:meetingId/attendance'),
  minutes: definePath('/panel/meetings/:meetingId/minutes'),
  actions: definePath('/panel/meetings/:meetingId/actions'),
  actionStatus: definePath('/panel/actions/:actionId'),
  /** The body's page: the panel's recommendation on its case, and its reply. */
  recommendation: definePath('/cases/:caseId/recommendation'),
};
