import { definePath } from '../../platform/http/paths.ts';

/** The resource library's addresses. `new` and `manage` are reserved: no resource takes them as its slug. */
export const resourcePaths = {
  index: definePath('/support/resources'),
  manage: definePath('/support/resources/manage'),
  create: definePath('/support/resources/new'),
  show: definePath('/support/resources/:slug'),
  edit: definePath('/support/resources/:slug/edit'),
  reviewed: definePath('/support/resources/:slug/reviewed'),
  status: definePath('/support/resources/:slug/status'),
  versions: definePath('/support/resources/:slug/versions'),
  version: definePath('/support/resources/:slug/versions/:version'),
  attachments: definePath('/support/resources/:slug/attachments'),
  attachment: definePath('/support/resources/:slug/attachments/:id'),
  removeAttachment: definePath('/support/resources/:slug/attachments/:id/remove'),
  api: {
    list: definePath('/api/v1/resources'),
    one: definePath('/api/v1/resources/:slug'),
  },
};

export const reservedSlugs = ['new', 'manage'] as const;
