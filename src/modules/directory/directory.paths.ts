import { definePath } from '../../platform/http/paths.ts';

export const directoryPaths = {
  search: definePath('/directory'),
  body: definePath('/directory/bodies/:slug'),
  organisation: definePath('/directory/organisations/:slug'),
  leads: definePath('/directory/bodies/:slug/leads'),

  adminImport: definePath('/directory/admin/import'),
  adminImportReport: definePath('/directory/admin/import/:uploadId'),

  api: {
    bodies: definePath('/api/v1/bodies'),
    body: definePath('/api/v1/bodies/:slug'),
    bodyLeads: definePath('/api/v1/bodies/:slug/leads'),
    organisations: definePath('/api/v1/organisations'),
    organisation: definePath('/api/v1/organisations/:slug'),
  },
};
