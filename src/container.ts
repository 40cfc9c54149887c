/**
 * Wiring: database → repositories → services, as plain factories. Nothing is found by autoloading or hung
 * on the Fastify instance; production, the CLI and tests all build their dependencies here.
 */
import type { Config } from './config.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import { openDatabase, type Database } from './platform/db/database.ts';
import { createAuditLog } from './platform/audit/audit.ts';
import { createOutbox, type OutboxOptions } from './platform/email/outbox.ts';
import { createTransport, type EmailTransport } from './platform/email/transports.ts';
import { createJobRunner, type Task } from './platform/jobs/jobs.ts';
import { createSessionsRepository } from './platform/auth/sessions.repository.ts';
import { createSessionService } from './platform/auth/sessions.ts';
import { createSecretBox } from './platform/auth/secret-box.ts';
import { createCovenantRepository } from './modules/covenant/covenant.repository.ts';
import { createCovenantService } from './modules/covenant/covenant.service.ts';
import { createDirectoryRepository } from './modules/directory/directory.repository.ts';
import { createDirectoryService } from './modules/directory/directory.service.ts';
import {
  createDirectorySearch,
  type DirectorySearchOptions,
} from './modules/directory/directory.search-index.ts';
import { createPageCache, type PageCacheOptions } from './platform/http/page-cache.ts';
import { createAccountsRepository } from './modules/accounts/accounts.repository.ts';
import { createAccountsService } from './modules/accounts/accounts.service.ts';
import { createMembershipsService } from './modules/accounts/memberships.service.ts';
import { createOidcClient } from './modules/accounts/accounts.oidc.ts';
import { createAdminService } from './modules/admin/admin.service.ts';
import { createIntakeService } from './modules/cases/cases.intake.service.ts';
import { createRouting } from './modules/cases/cases.routing.ts';
import { createUploads } from './modules/cases/cases.uploads.ts';
import { loadBankHolidays } from './platform/calendar/bank-holidays.ts';
import { createCaseClock } from './modules/cases/cases.clock.ts';
import { createCaseIdentity } from './modules/cases/cases.identity.ts';
import { createRedactionService } from './platform/redaction/redaction.service.ts';
import { createKnownNamesRepository } from './platform/redaction/known-names.repository.ts';
import { createCasesService, reporterDirectoryFrom } from './modules/cases/cases.service.ts';
import { createApiTokens } from './modules/cases/cases.api.ts';
import { CASES_DAILY_TASK, createCasesJobs } from './modules/cases/cases.jobs.ts';
import { createAnalysisRepository } from './modules/analysis/analysis.repository.ts';
import { ANALYSIS_RUNS_TASK, createAnalysisService } from './modules/analysis/analysis.service.ts';
import { createEmbedderProvider } from './modules/analysis/embeddings.onnx.ts';
import { createConsultationAnalysisRepository } from './modules/consultations/consultations.analysis.repository.ts';
import {
  CONSULTATION_ANALYSIS_TASK,
  createConsultationAnalysisService,
} from './modules/consultations/consultations.analysis.service.ts';
import { createConsultationResponseService } from './modules/consultations/consultations.response.service.ts';
import { createConsultationsRepository } from './modules/consultations/consultations.repository.ts';
import { createConsultationsService } from './modules/consultations/consultations.service.ts';
import { createRespondService as createConsultationRespondService } from './modules/consultations/consultations.respond.ts';
import { createExchangeRepository } from './modules/exchange/exchange.repository.ts';
import { createExchangeService } from './modules/exchange/exchange.service.ts';
import { createCommunitiesRepository } from './modules/communities/communities.repository.ts';
import { createPartnershipsRepository } from './modules/partnerships/partnerships.repository.ts';
import { createPartnershipsService } from './modules/partnerships/partnerships.service.ts';
import {
  COMMUNITIES_DAILY_TASK,
  createCommunitiesService,
} from './modules/communities/communities.service.ts';
import { createResourcesRepository } from './modules/resources/resources.repository.ts';
import { createResourcesService, RESOURCES_REVIEW_TASK } from './modules/resources/resources.service.ts';
import { createPlansRepository } from './modules/plans/plans.repository.ts';
import { createPlansService } from './modules/plans/plans.service.ts';
import { createScorecardsRepository } from './modules/scorecards/scorecards.repository.ts';
import { createScorecardsRefresh, SCORECARDS_REFRESH_TASK } from './modules/scorecards/scorecards.refresh.ts';
import { createScorecardsService } from './modules/scorecards/scorecards.service.ts';
import { createStandardsRepository } from './modules/standards/standards.repository.ts';
import { createStandardsService } from './modules/standards/standards.service.ts';
import { createRegisterRepository } from './modules/register/register.repository.ts';
import { createRegisterService, REGISTER_PREPARE_TASK } from './modules/register/register.service.ts';
import { createPanelConflicts } from './modules/panel/panel.conflicts.ts';
import { createPanelService, PANEL_DAILY_TASK, type PanelService } from './modules/panel/panel.service.ts';
import { createSurveysRepository } from './modules/surveys/surveys.repository.ts';
import { createSurveysService } from './modules/surveys/surveys.service.ts';
import { createRespondService, SURVEY_REMINDERS_TASK } from './modules/surveys/surveys.respond.ts';
import { createSurveyResultsRepository } from './modules/surveys/surveys.results.repository.ts';
import { createSurveyResultsService } from './modules/surveys/surveys.results.service.ts';

export interface DepsOverrides {
  db?: Database;
  clock?: Clock;
  transport?: EmailTransport;
  outboxOptions?: OutboxOptions;
  /** The public pages' cache (tests recheck the registry version on every read unless told otherwise). */
  pageCacheOptions?: PageCacheOptions;
  directorySearchOptions?: DirectorySearchOptions;
  /** Start the job worker (pg-boss). Tests leave it off and run tasks directly. */
  runWorker?: boolean;
}

export async function createDeps(config: Config, overrides: DepsOverrides = {}) {
  const clock = overrides.clock ?? systemClock;
  const db =
    overrides.db ??
    (await openDatabase({
      url: config.DATABASE_URL,
      dataDir: config.DATABASE_URL ? undefined : `${config.DATA_DIR}/pg`,
    }));
  const audit = createAuditLog(db, clock);
  const transport = overrides.transport ?? (await createTransport(config));
  const outbox = createOutbox(db, clock, transport, overrides.outboxOptions);
  const sessionsRepository = createSessionsRepository(db);
  const sessions = createSessionService(sessionsRepository, clock, {
    idleMinutes: config.SESSION_IDLE_MINUTES,
    absoluteHours: config.SESSION_ABSOLUTE_HOURS,
  });
  const secretBox = createSecretBox(config.SECRET_KEY);

  // Public pages of the registry and the directory, cached in memory until the registry changes.
  const pageCache = createPageCache(db, clock, {
    recheckMs: config.NODE_ENV === 'test' ? 0 : 1_000,
    ...overrides.pageCacheOptions,
  });
  const directoryRepository = createDirectoryRepository(db);
  const directorySearch = createDirectorySearch(
    {
      sqlSearch: (params) => directoryRepository.search(params),
      loadRows: () => directoryRepository.searchIndexRows(),
      searchQueries: (q, prefix) => directoryRepository.searchQueries(q, prefix),
      currentVersion: () => pageCache.version(),
      inTransaction: () => db.inTransaction(),
    },
    { enabled: config.DIRECTORY_SEARCH_INDEX === 'memory', ...overrides.directorySearchOptions },
  );
  const directory = createDirectoryService({
    db,
    repo: directoryRepository,
    searchIndex: directorySearch,
    audit,
    clock,
    outbox,
    baseUrl: config.BASE_URL,
  });

  // Thematic analysis (issue 8): theme runs are queued and carried out by the worker, one at a time.
  const analysis = createAnalysisService({
    db,
    audit,
    clock,
    repo: createAnalysisRepository(db),
    trigger: () => jobs.trigger(ANALYSIS_RUNS_TASK),
    // Optional sentence embeddings (issue 8, item 5): the folder is opened on first use, never at import.
    ...(config.ANALYSIS_EMBEDDINGS_DIR
      ? { embedder: createEmbedderProvider(config.ANALYSIS_EMBEDDINGS_DIR) }
      : {}),
  });

  const tasks: Task[] = [
    { name: 'outbox-send', cron: '* * * * *', run: () => outbox.sendDue() },
    // Daily at 07:00: bodies whose accountable leads have not been confirmed for six months.
    { name: 'directory-leads-reminder', cron: '0 7 * * *', run: () => directory.remindStaleLeads() },
    // Daily at 07:15: signatures a year old (or a year since their last review) and not yet reviewed.
    { name: 'covenant-review-reminder', cron: '15 7 * * *', run: () => covenant.remindReviews() },
    { name: ANALYSIS_RUNS_TASK, cron: '* * * * *', run: () => analysis.processQueuedRuns() },
    // Consultation analysis (issue 7): counts and themes are rebuilt by queued runs, one at a time.
    {
      name: CONSULTATION_ANALYSIS_TASK,
      cron: '* * * * *',
      run: () => consultationAnalysis.processQueuedRuns(),
    },
    // Daily at 06:30: deadline reminders, long-overdue escalation, the four-week question (issue 4).
    { name: CASES_DAILY_TASK, cron: '30 6 * * *', run: () => casesJobs.runDaily() },
    // Every 15 minutes: ended cases become register candidates, redacted and waiting for a moderator.
    { name: REGISTER_PREPARE_TASK, cron: '*/15 * * * *', run: () => register.prepareCandidates() },
    // Daily at 06:45: reminders about the panel's recommendations awaiting the body's reply.
    { name: PANEL_DAILY_TASK, cron: '45 6 * * *', run: () => panel.runDaily() },
    // Every minute: scorecard facts of cases whose timeline moved, and of deadlines that have just passed.
    { name: SCORECARDS_REFRESH_TASK, cron: '* * * * *', run: () => scorecardsRefresh.refresh() },
    // Daily at 07:30: the communities' daily digest of new posts and the day-before event reminders.
    { name: COMMUNITIES_DAILY_TASK, cron: '30 7 * * *', run: () => communities.runDaily() },
    // Daily at 07:45: resource library reviews that have fallen due, to each resource's owner (issue 9).
    { name: RESOURCES_REVIEW_TASK, cron: '45 7 * * *', run: () => resources.remindReviews() },
    // Daily at 08:00: reminders to invited people who have not answered an open annual review (issue 6).
    { name: SURVEY_REMINDERS_TASK, cron: '0 8 * * *', run: () => surveysRespond.sendReminders() },
  ];
  const jobs = createJobRunner({
    db,
    url: config.DATABASE_URL,
    tasks,
    enabled: overrides.runWorker ?? config.RUN_WORKER,
  });
  /** Call after a transaction that queued emails commits, so they go now rather than at the next minute. */
  // Deferred to after the commit when called inside a transaction: the sweep must see the queued rows, and on
  // PGlite the worker's own query would otherwise wait for the open transaction, which waits for it.
  const emailsQueued = () => db.afterCommit(() => jobs.trigger('outbox-send').catch(() => undefined));

  const accountsRepository = createAccountsRepository(db);
  const accounts = createAccountsService({
    config,
    clock,
    db,
    audit,
    outbox,
    sessions,
    sessionsRepository,
    secretBox,
    repo: accountsRepository,
    emailsQueued,
  });
  const memberships = createMembershipsService({
    config,
    clock,
    db,
    audit,
    outbox,
    repo: accountsRepository,
    emailsQueued,
  });
  const admin = createAdminService({ clock, db, audit, sessions, repo: accountsRepository });
  const oidc = createOidcClient(config);

  // The Covenant registry: principles, commitments, standards, versions, sub-covenants, signatures.
  const covenant = createCovenantService({
    db,
    audit,
    clock,
    repo: createCovenantRepository(db),
    outbox,
    baseUrl: config.BASE_URL,
  });

  // Consultation analysis and the government response (issue 7, items 4 and 5).
  const consultationAnalysisRepository = createConsultationAnalysisRepository(db);
  const consultationAnalysis = createConsultationAnalysisService({
    db,
    repo: consultationAnalysisRepository,
    covenantRepo: covenant.repo,
    audit,
    clock,
    trigger: () => jobs.trigger(CONSULTATION_ANALYSIS_TASK),
  });
  const consultationResponse = createConsultationResponseService({
    db,
    repo: consultationAnalysisRepository,
    covenant,
    audit,
    clock,
    baseUrl: config.BASE_URL,
  });

  // Engagement action plans (issue 5): a change to published progress refreshes the body's scorecard.
  const plansRepository = createPlansRepository(db);
  const plans = createPlansService({ db, audit, clock, repo: plansRepository });
  // Standards monitoring (issue 5, item 2): consultations, funding and reviewed agreements; findings on read.
  const standardsRepository = createStandardsRepository(db);
  // A change to a body's records drops its standards figures from the scorecards' memory (bound late:
  // the scorecards are built below).
  const standards = createStandardsService({
    db,
    audit,
    clock,
    repo: standardsRepository,
    changed: (bodyId) => scorecards.bodyChanged(bodyId),
  });

  // Case intake (issue 4): the report journey, evidence files, routing rules and triage.
  // The panel's conflicts of interest (issue 4, item 7) are asked by every case page, the identity escrow
  // and evidence downloads; they need the escrow's reporter organisations, hence the late binding.
  const hasConflict = (userId: string, caseId: string) => panelConflicts.hasConflict(userId, caseId);
  const caseIdentity = createCaseIdentity({ db, audit, hasConflict });
  const panelConflicts = createPanelConflicts({
    db,
    reporterOrganisationIds: (caseIds) => caseIdentity.reporterOrganisationIds(caseIds),
  });
  // Automatic redaction before anything people typed is published (public register, consultations): the
  // names of people known to the system come from accounts, the directory's leads and the identity escrow.
  const knownNames = createKnownNamesRepository(db);
  const redaction = createRedactionService({
    knownNames: [
      knownNames.userNames,
      knownNames.leadNames,
      async () => (await caseIdentity.namesForRedaction()).names,
    ],
    // Reporters' organisations are removed wherever their names appear as a whole phrase.
    knownOrganisations: [async () => (await caseIdentity.namesForRedaction()).organisations],
  });
  // The public register (issue 4, item 8): candidates from ended cases, redacted, moderated, published.
  const register = createRegisterService({
    db,
    audit,
    clock,
    repo: createRegisterRepository(db),
    redaction,
    reporterTerms: (caseId) => caseIdentity.termsForRedaction(caseId),
  });
  // Consultations on the Covenant (issue 7, items 1-3): the team's pages, responding, moderation (redacted).
  const consultationsRepository = createConsultationsRepository(db);
  const consultations = createConsultationsService({
    db,
    repo: consultationsRepository,
    covenantRepo: covenant.repo,
    audit,
    clock,
    redaction,
  });
  const consultationsRespond = createConsultationRespondService({
    db,
    repo: consultationsRepository,
    consultations,
    covenantRepo: covenant.repo,
    audit,
    clock,
    outbox,
    baseUrl: config.BASE_URL,
    emailsQueued,
  });
  const caseClock = createCaseClock(db, await loadBankHolidays(), { audit, clock });
  const routing = createRouting({ db, audit });
  const uploads = createUploads({
    db,
    dataDir: config.DATA_DIR,
    scanCommand: config.MALWARE_SCAN_COMMAND,
    identity: caseIdentity,
    hasConflict,
  });
  const intake = createIntakeService({
    db,
    audit,
    clock,
    outbox,
    baseUrl: config.BASE_URL,
    identity: caseIdentity,
    routing,
    uploads,
    caseClock,
    emailsQueued,
  });

  // Case handling (issue 4): deadlines on the GOV.UK bank-holiday calendar, transitions, inbox, body API
  // tokens and the daily task. The reporter is known only through the escrow (cases.identity.ts).
  const cases = createCasesService({
    db,
    audit,
    clock,
    outbox,
    caseClock,
    reporters: reporterDirectoryFrom(caseIdentity, audit),
    baseUrl: config.BASE_URL,
    emailsQueued,
    hasConflict,
    scanningOn: Boolean(config.MALWARE_SCAN_COMMAND),
    recommendationFor: (caseId) => panel.recommendationSummary(caseId),
  });
  // The joint oversight panel (issue 4, item 7): queue, packs, votes, decisions, recommendations, meetings.
  const panel: PanelService = createPanelService({
    db,
    audit,
    clock,
    outbox,
    cases,
    caseClock,
    identity: caseIdentity,
    conflicts: panelConflicts,
    baseUrl: config.BASE_URL,
    scanEnabled: Boolean(config.MALWARE_SCAN_COMMAND),
    emailsQueued,
  });
  const apiTokens = createApiTokens({ db, audit, clock });

  // Support (issue 9): exchange opportunities with two-sided matching.
  const exchange = createExchangeService({
    db,
    audit,
    clock,
    outbox,
    repo: createExchangeRepository(db),
    baseUrl: config.BASE_URL,
    emailsQueued,
  });
  // Support (issue 9): communities of practice with discussions, events and the waiting list.
  const communities = createCommunitiesService({
    db,
    audit,
    clock,
    outbox,
    repo: createCommunitiesRepository(db),
    baseUrl: config.BASE_URL,
    emailsQueued,
  });
  // Support (issue 9): the resource library with versions, files and review reminders.
  const resources = createResourcesService({
    db,
    audit,
    clock,
    outbox,
    repo: createResourcesRepository(db),
    baseUrl: config.BASE_URL,
    dataDir: config.DATA_DIR,
    emailsQueued,
  });
  const casesJobs = createCasesJobs({ db, clock, caseClock, cases, emailsQueued });

  // The annual review of stakeholder experiences (issue 6): the builder, and anonymous responding.
  const surveysRepository = createSurveysRepository(db);
  const surveys = createSurveysService({ db, repo: surveysRepository, audit, clock });
  const surveysRespond = createRespondService({
    db,
    repo: surveysRepository,
    surveys,
    audit,
    clock,
    outbox,
    transport,
    secretKey: config.SECRET_KEY,
    baseUrl: config.BASE_URL,
    emailsQueued,
  });
  // Its results, the published review and the figures for body scorecards (surveys.results.service.ts).
  const surveyResults = createSurveyResultsService({
    db,
    repo: surveysRepository,
    results: createSurveyResultsRepository(db),
    audit,
    clock,
    analysis,
  });

  // Scorecards (issue 5, item 3): precomputed casework facts kept fresh by watermark, read by public pages.
  const scorecardsRepository = createScorecardsRepository(db);
  const scorecardsRefresh = createScorecardsRefresh({
    db,
    clock,
    calendar: caseClock.calendar,
    repo: scorecardsRepository,
  });
  const scorecards = createScorecardsService({
    repo: scorecardsRepository,
    refresh: scorecardsRefresh,
    plans,
    standards,
    surveyResults,
    minCount: config.SCORECARD_MIN_COUNT,
  });

  // Support (issue 9): local covenant partnerships, their local view and the national roll-up.
  const partnerships = createPartnershipsService({
    db,
    audit,
    clock,
    repo: createPartnershipsRepository(db),
    surveyResults,
  });

  return {
    config,
    consultations,
    consultationsRepository,
    consultationsRespond,
    consultationAnalysis,
    consultationAnalysisRepository,
    consultationResponse,
    scorecards,
    scorecardsRefresh,
    plans,
    plansRepository,
    standards,
    standardsRepository,
    analysis,
    covenant,
    caseIdentity,
    redaction,
    register,
    routing,
    uploads,
    intake,
    clock,
    db,
    audit,
    outbox,
    transport,
    jobs,
    sessions,
    sessionsRepository,
    secretBox,
    emailsQueued,
    directory,
    directoryRepository,
    pageCache,
    directorySearch,
    accountsRepository,
    accounts,
    memberships,
    admin,
    oidc,
    caseClock,
    cases,
    apiTokens,
    casesJobs,
    panel,
    panelConflicts,
    exchange,
    communities,
    partnerships,
    resources,
    surveysRepository,
    surveys,
    surveysRespond,
    surveyResults,
  };
}

export type Deps = Awaited<ReturnType<typeof createDeps>>;
