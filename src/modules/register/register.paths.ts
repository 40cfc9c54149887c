import { definePath } from '../../platform/http/paths.ts';

export const registerPaths = {
  home: definePath('/public-register'),
  entry: definePath('/public-register/cases/:reference'),
  statistics: definePath('/public-register/statistics'),
  feed: definePath('/public-register/feed.atom'),

  moderation: definePath('/public-register/moderation'),
  review: definePath('/public-register/moderation/:entryId'),
  redaction: definePath('/public-register/moderation/:entryId/redactions'),
  addRedaction: definePath('/public-register/moderation/:entryId/redactions/new'),
  editText: definePath('/public-register/moderation/:entryId/text'),
  approve: definePath('/public-register/moderation/:entryId/approve'),
  reject: definePath('/public-register/moderation/:entryId/reject'),
  reconsider: definePath('/public-register/moderation/:entryId/reconsider'),
  withdraw: definePath('/public-register/moderation/:entryId/withdraw'),

  api: {
    cases: definePath('/api/v1/register/cases'),
    case: definePath('/api/v1/register/cases/:reference'),
    statistics: definePath('/api/v1/register/statistics'),
  },
};
