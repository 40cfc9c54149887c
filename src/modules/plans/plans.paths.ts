import { definePath } from '../../platform/http/paths.ts';

export const planPaths = {
  list: definePath('/plans'),
  create: definePath('/plans/new'),
  show: definePath('/plans/:planId'),
  edit: definePath('/plans/:planId/edit'),
  addAction: definePath('/plans/:planId/actions/new'),
  action: definePath('/plans/:planId/actions/:actionId'),
  editAction: definePath('/plans/:planId/actions/:actionId/edit'),
  removeAction: definePath('/plans/:planId/actions/:actionId/remove'),
  addMilestone: definePath('/plans/:planId/actions/:actionId/milestones'),
  milestoneDone: definePath('/plans/:planId/milestones/:milestoneId/done'),
  addEvidence: definePath('/plans/:planId/actions/:actionId/evidence'),
  update: definePath('/plans/:planId/progress'),
  importCsv: definePath('/plans/:planId/progress/import'),
  importConfirm: definePath('/plans/:planId/progress/import/confirm'),
  history: definePath('/plans/:planId/history'),
  transition: definePath('/plans/:planId/workflow/:transition'),
  comments: definePath('/plans/:planId/comments'),
  /** The public list of published plans, and the public page of one. */
  publishedList: definePath('/action-plans'),
  publishedListCsv: definePath('/action-plans.csv'),
  published: definePath('/action-plans/:planId'),
  publishedCsv: definePath('/action-plans/:planId/actions.csv'),
  api: {
    plan: definePath('/api/v1/plans/:planId'),
    bodyPlans: definePath('/api/v1/bodies/:slug/plans'),
  },
};
