/** Typed URLs for case handling: the body inbox, the staff case page, the reporter's side and the body API. */
import { definePath } from '../../platform/http/paths.ts';

export const casePaths = {
  inbox: definePath('/inbox'),
  inboxExport: definePath('/inbox/export.csv'),
  templates: definePath('/inbox/templates'),
  templateDelete: definePath('/inbox/templates/:templateId/delete'),
  apiTokens: definePath('/inbox/api-tokens'),
  apiTokenRevoke: definePath('/inbox/api-tokens/:tokenId/revoke'),
  show: definePath('/cases/:caseId'),
  action: definePath('/cases/:caseId/actions/:action'),
  reroute: definePath('/cases/:caseId/reroute'),
  useTemplate: definePath('/cases/:caseId/use-template'),
  assign: definePath('/cases/:caseId/assign'),
  message: definePath('/cases/:caseId/messages'),
  note: definePath('/cases/:caseId/notes'),
  myCases: definePath('/my-cases'),
  myCase: definePath('/my-cases/:caseId'),
  myCaseAction: definePath('/my-cases/:caseId/actions/:action'),
  myCaseMessage: definePath('/my-cases/:caseId/messages'),
  wasItResolved: definePath('/my-cases/:caseId/was-it-resolved'),
  apiCases: definePath('/api/v1/body/cases'),
  apiCase: definePath('/api/v1/body/cases/:reference'),
  apiCaseActions: definePath('/api/v1/body/cases/:reference/actions'),
};
