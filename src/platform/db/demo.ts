/**
 * Demo data: loaded into an empty database only, and never in production, so a new user can explore every
 * screen at once. Each capability adds its part through `demoSeeders`.
 */
import type { Deps } from '../../container.ts';
import { seedCasesHandlingDemo } from '../../modules/cases/cases.handling.demo.ts';
import { seedPanelDemo } from '../../modules/panel/panel.demo.ts';
import { organisations } from '../../modules/directory/directory.tables.ts';
import { seedDirectoryDemo } from '../../modules/directory/directory.demo.ts';
import { seedAccountsDemo } from '../../modules/accounts/accounts.demo.ts';
import { seedCovenantDemo } from '../../modules/covenant/covenant.demo.ts';
import { seedExchangeDemo } from '../../modules/exchange/exchange.demo.ts';
import { seedCommunitiesDemo } from '../../modules/communities/communities.demo.ts';
import { seedPartnershipsDemo } from '../../modules/partnerships/partnerships.demo.ts';
import { seedResourcesDemo } from '../../modules/resources/resources.demo.ts';
import { seedPlansDemo } from '../../modules/plans/plans.demo.ts';
import { seedStandardsDemo } from '../../modules/standards/standards.demo.ts';
import { seedRegisterDemo } from '../../modules/register/register.demo.ts';
import { seedSurveysDemo } from '../../modules/surveys/surveys.demo.ts';
import { seedSurveyResultsDemo } from '../../modules/surveys/surveys.results.demo.ts';
import { seedConsultationsDemo } from '../../modules/consultations/consultations.demo.ts';

export interface DemoResult {
  summary: string[];
}

export type DemoSeeder = (deps: Deps) => Promise<string[]>;

// The directory goes first: every other module's demo data refers to its organisations.
const demoSeeders: DemoSeeder[] = [
  seedDirectoryDemo,
  seedAccountsDemo,
  seedCovenantDemo,
  seedCasesHandlingDemo,
  // Exchange opportunities need the demo organisations and accounts (hosts, the applicant).
  seedExchangeDemo,
  // Communities of practice need the demo accounts (moderators and members from both sides).
  seedCommunitiesDemo,
  // The resource library's starting set, owned by the demo administrator (after the Covenant text).
  seedResourcesDemo,
  // Action plans need the bodies, the demo lead, officer and panel member, and the commitments.
  seedPlansDemo,
  // Standards records need the demo bodies and their lead and officer.
  seedStandardsDemo,
  // After casework: the panel's decisions, votes and meetings are about its escalated cases.
  seedPanelDemo,
  // The annual review's first edition needs the Covenant's principles (its questions are tied to them).
  seedSurveysDemo,
  // Earlier editions with demo responses and published reviews, copied from the edition just seeded.
  seedSurveyResultsDemo,
  // A demo consultation on the Covenant's draft text, with demo responses (needs the Covenant reference).
  seedConsultationsDemo,
  // Last: the public register publishes ended cases, with the panel's determinations when there are any.
  seedRegisterDemo,
  // Local partnerships refer to the directory's councils, the Leeds local covenant and the demo officer.
  seedPartnershipsDemo,
];

export function registerDemoSeeder(seeder: DemoSeeder) {
  demoSeeders.push(seeder);
}

export async function isDatabaseEmpty(deps: Deps): Promise<boolean> {
  const rows = await deps.db.get().select({ id: organisations.id }).from(organisations).limit(1);
  return rows.length === 0;
}

/** Loads every module's demo data in one transaction, so a failure leaves the database empty. */
export async function seedDemoData(deps: Deps): Promise<DemoResult> {
  if (deps.config.isProduction) throw new Error('Demo data is never loaded in production');
  if (!(await isDatabaseEmpty(deps))) throw new Error('Demo data is only loaded into an empty database');
  const summary: string[] = [];
  await deps.db.transaction(async () => {
    for (const seeder of demoSeeders) summary.push(...(await seeder(deps)));
  });
  return { summary };
}

export async function loadDemoDataIfEmpty(deps: Deps): Promise<DemoResult | null> {
  if (deps.config.isProduction || deps.config.DEMO_DATA === 'off') return null;
  if (!(await isDatabaseEmpty(deps))) return null;
  return seedDemoData(deps);
}
