/**
 * Who may analyse a consultation and who writes the government response. Analysis follows the analysis
 * engine's policy (the Covenant team, `admin`, and the Joint Oversight Panel, `panel_member`): they read
 * every submitted response, whatever its consent, because consent governs publication, not analysis.
 * Writing and publishing the response and making the next draft is the Covenant team's (`admin`), as
 * editing the Covenant's text is (covenant.policy.ts).
 */
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { can as canAnalysis } from '../analysis/analysis.policy.ts';
import { canCovenant } from '../covenant/covenant.policy.ts';

export type ConsultationAnalysisAction = 'analyse' | 'tag' | 'run' | 'write_response' | 'publish_response';

export function canConsultationAnalysis(
  user: CurrentUser | null,
  action: ConsultationAnalysisAction,
): boolean {
  switch (action) {
    case 'analyse':
      return canAnalysis(user, 'view');
    case 'tag':
      return canAnalysis(user, 'code');
    case 'run':
      return canAnalysis(user, 'run');
    case 'write_response':
    case 'publish_response':
      return canCovenant(user, 'edit');
  }
}
