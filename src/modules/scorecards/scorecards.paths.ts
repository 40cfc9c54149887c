import { definePath } from '../../platform/http/paths.ts';

/** Every scorecard page is public: they are figures about public bodies. */
export const scorecardPaths = {
  home: definePath('/scorecards'),
  body: definePath('/scorecards/bodies/:slug'),
  bodyCsv: definePath('/scorecards/bodies/:slug/download'),
  commitment: definePath('/scorecards/commitments/:code'),
  commitmentCsv: definePath('/scorecards/commitments/:code/download'),
  league: definePath('/scorecards/league'),
  leagueCsv: definePath('/scorecards/league/download'),
  api: {
    body: definePath('/api/v1/scorecards/bodies/:slug'),
    commitment: definePath('/api/v1/scorecards/commitments/:code'),
    league: definePath('/api/v1/scorecards/league'),
  },
};
