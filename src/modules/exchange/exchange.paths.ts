import { definePath } from '../../platform/http/paths.ts';

export const exchangePaths = {
  index: definePath('/support/exchange'),
  create: definePath('/support/exchange/new'),
  show: definePath('/support/exchange/opportunities/:id'),
  edit: definePath('/support/exchange/opportunities/:id/edit'),
  apply: definePath('/support/exchange/opportunities/:id/apply'),
  manage: definePath('/support/exchange/opportunities/:id/manage'),
  status: definePath('/support/exchange/opportunities/:id/status'),
  invite: definePath('/support/exchange/opportunities/:id/invite'),
  decide: definePath('/support/exchange/applications/:applicationId/decide'),
  withdraw: definePath('/support/exchange/applications/:applicationId/withdraw'),
  reflection: definePath('/support/exchange/applications/:applicationId/reflection'),
  profile: definePath('/support/exchange/profile'),
  suggestions: definePath('/support/exchange/suggestions'),
  mine: definePath('/support/exchange/applications'),
  review: definePath('/support/exchange/annual-review'),
  api: {
    list: definePath('/api/v1/opportunities'),
    one: definePath('/api/v1/opportunities/:id'),
  },
};
