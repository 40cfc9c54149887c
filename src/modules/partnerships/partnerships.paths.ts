import { definePath } from '../../platform/http/paths.ts';

export const partnershipPaths = {
  index: definePath('/local-partnerships'),
  national: definePath('/local-partnerships/national'),
  nationalCsv: definePath('/local-partnerships/national.csv'),
  create: definePath('/local-partnerships/new'),
  show: definePath('/local-partnerships/:slug'),
  manage: definePath('/local-partnerships/:slug/manage'),
  edit: definePath('/local-partnerships/:slug/edit'),
  addPartner: definePath('/local-partnerships/:slug/partners'),
  removePartner: definePath('/local-partnerships/:slug/partners/:partnerId/remove'),
  addOfficer: definePath('/local-partnerships/:slug/officers'),
  removeOfficer: definePath('/local-partnerships/:slug/officers/:officerId/remove'),
  addMeeting: definePath('/local-partnerships/:slug/meetings'),
  addAction: definePath('/local-partnerships/:slug/actions'),
  actionStatus: definePath('/local-partnerships/:slug/actions/:actionId/status'),
  api: {
    list: definePath('/api/v1/partnerships'),
    one: definePath('/api/v1/partnerships/:slug'),
  },
};
