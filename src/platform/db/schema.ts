/**
 * Every table in one place, for drizzle-kit (migrations) and for typed queries. Modules own their tables in
 * `<module>.tables.ts`; this file only gathers them.
 */
export * from '../../modules/directory/directory.tables.ts';
export * from '../../modules/accounts/accounts.tables.ts';
export * from '../audit/audit.tables.ts';
export * from '../email/email.tables.ts';
export * from '../../modules/covenant/covenant.tables.ts';
export * from '../../modules/analysis/analysis.tables.ts';
export * from '../../modules/cases/cases.tables.ts';
export * from '../../modules/cases/cases.handling.tables.ts';
export * from '../../modules/panel/panel.tables.ts';
export * from '../../modules/exchange/exchange.tables.ts';
export * from '../../modules/communities/communities.tables.ts';
export * from '../../modules/resources/resources.tables.ts';
export * from '../../modules/partnerships/partnerships.tables.ts';
export * from '../../modules/surveys/surveys.tables.ts';
export * from '../../modules/plans/plans.tables.ts';
export * from '../../modules/scorecards/scorecards.tables.ts';
export * from '../../modules/register/register.tables.ts';
export * from '../../modules/standards/standards.tables.ts';
export * from '../../modules/consultations/consultations.tables.ts';
export * from '../../modules/consultations/consultations.analysis.tables.ts';
