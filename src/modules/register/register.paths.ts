import { definePath } from '../../platform/http/paths.ts';

export const registerPaths = {
  home: definePath('/register'),
  entry: definePath('/register/cases/:reference'),
  statistics: definePath('/register/statistics'),
  feed: definePath('/register/feed.atom'),

  moderation: definePath('/register/moderation'),
  review: definePath('/register/moderation/:entryId'),
  redaction: definePath('/register/moderation/:entryId/redactions'),
  addRedaction: definePath('/register/moderation/:entryId/redactions/new'),
  editText: definePath('/register/moderation/:entryId/text'),
  approve: definePath('/register/moderation/:entryId/approve'),
  reject: definePath('/register/moderation/:entryId/reject'),
  reconsider: definePath('/register/moderation/:entryId/reconsider'),
  withdraw: definePath('/register/moderation/:entryId/withdraw'),

  api: {
    cases: definePath('/api/v1/register/cases'),
    case: definePath('/api/v1/register/cases/:reference'),
    statistics: definePath('/api/v1/register/statistics'),
  },
};
