/**
 * Exchange opportunities: posting (by the host organisation's officers), profiles, two-sided suggestions,
 * applications and expressions of interest, the host's decisions, and the outcome and reflection each side
 * records afterwards. Every change is audited in the same transaction; emails go through the outbox.
 */
import type { Actor, AuditLog } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import { toUkIsoDate } from '../../platform/calendar/iso-date.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Outbox } from '../../platform/email/outbox.ts';
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import { rank, isTakingApplications, match, type MatchResult } from './exchange.matching.ts';
import { exchangePaths } from './exchange.paths.ts';
import { canManage, canPostFor, canSeeReview } from './exchange.policy.ts';
import type { OpportunityRow, ProfileRow, ExchangeRepository } from './exchange.repository.ts';
import type {
  ApplyInput,
  ListFilters,
  OpportunityInput,
  ProfileInput,
  ReflectionInput,
} from './exchange.schema.ts';
import type {
  ApplicationState,
  ExchangeOutcome,
  OpportunityKind,
  OpportunityStatus,
} from './exchange.vocabulary.ts';
import { exchangeOutcomes, opportunityKinds } from './exchange.vocabulary.ts';

export type RefusalReason =
  | 'closed'
  | 'expired'
  | 'duplicate'
  | 'noProfile'
  | 'ineligible'
  | 'ownOrganisation'
  | 'transition'
  | 'notStarted'
  | 'notAccepted'
  | 'reflectionDone';

/** A rule said no: shown to the person as a clear message (catalogue key `exchange.refusals.<reason>`). */
export class ExchangeRefusal extends Error {
  override name = 'ExchangeRefusal';
  readonly reason: RefusalReason;
  readonly params: Record<string, string>;
  constructor(reason: RefusalReason, params: Record<string, string> = {}) {
    super(`Exchange refused: ${reason}`);
    this.reason = reason;
    this.params = params;
  }
}

/** Which application states can follow which (the applicant withdraws; the host shortlists, accepts, declines). */
export const applicationTransitions: Record<ApplicationState, readonly ApplicationState[]> = {
  submitted: ['shortlisted', 'accepted', 'declined', 'withdrawn'],
  shortlisted: ['accepted', 'declined', 'withdrawn'],
  accepted: [],
  declined: [],
  withdrawn: ['submitted'],
};

export function canTransition(from: ApplicationState, to: ApplicationState): boolean {
  return applicationTransitions[from].includes(to);
}

/** The status a reader sees: an open opportunity past its closing date shows as closed ("expired"). */
export function displayStatus(
  opportunity: Pick<OpportunityRow, 'status' | 'closesOn' | 'endsOn'>,
  today: string,
): OpportunityStatus | 'expired' {
  if (opportunity.status === 'open' && !isTakingApplications(opportunity, today)) return 'expired';
  return opportunity.status;
}

const isUniqueViolation = (error: unknown) =>
  (error as { code?: string }).code === '23505' || /unique|duplicate key/i.test(String(error));

export interface ExchangeDeps {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  outbox: Outbox;
  repo: ExchangeRepository;
  baseUrl: string;
  emailsQueued: () => Promise<unknown> | void;
}

export function createExchangeService(deps: ExchangeDeps) {
  const { db, audit, clock, outbox, repo, baseUrl } = deps;
  const today = () => toUkIsoDate(clock.now());
  const link = (path: string) => `${baseUrl}${path}`;

  async function opportunityOr404(id: string) {
    const opportunity = /^[0-9a-f-]{36}$/i.test(id) ? await repo.findOpportunity(id) : undefined;
    if (!opportunity) throw new NotFoundError('No such opportunity');
    return opportunity;
  }

  async function applicationOr404(id: string) {
    const application = /^[0-9a-f-]{36}$/i.test(id) ? await repo.findApplication(id) : undefined;
    if (!application) throw new NotFoundError('No such application');
    return application;
  }

  function opportunityValues(input: OpportunityInput) {
    const remote = input.workMode === 'remote';
    return {
      kind: input.kind,
      title: input.title,
      description: input.description,
      skillsWanted: input.skillsWanted,
      skillsOffered: input.skillsOffered,
      tags: input.tags,
      workMode: input.workMode,
      placeName: remote ? null : input.placeName,
      localAuthorityGss: remote ? null : input.localAuthorityGss,
      region: remote ? null : input.region,
      nation: remote ? null : (input.nation ?? null),
      startsOn: input.startsOn,
      endsOn: input.endsOn,
      durationValue: input.durationValue,
      durationUnit: input.durationUnit,
      clearance: input.clearance,
      eligibleSides: input.eligibleSides,
      eligibleSectors: input.eligibleSectors,
      eligibleNations: input.eligibleNations,
      closesOn: input.closesOn,
    };
  }

  return {
    repo,
    today,

    listOpen(filters: ListFilters = {}) {
      return repo.listOpen(today(), filters);
    },

    opportunity: opportunityOr404,

    /** Posts an opportunity for an organisation the person speaks for. The closing date must not be past. */
    async createOpportunity(user: CurrentUser, actor: Actor, input: OpportunityInput) {
      if (!canPostFor(user, input.organisationId)) throw new ForbiddenError('Not a host role there');
      if (input.closesOn < today()) throw new ExchangeRefusal('expired');
      return db.transaction(async () => {
        const row = await repo.insertOpportunity({
          ...opportunityValues(input),
          organisationId: input.organisationId,
          postedBy: user.id,
          updatedAt: clock.now(),
        });
        await audit.record(actor, {
          action: 'exchange.opportunity.created',
          entityType: 'exchange_opportunity',
          entityId: row.id,
          details: { organisationId: input.organisationId, kind: input.kind },
        });
        return row;
      });
    },

    async updateOpportunity(user: CurrentUser, actor: Actor, id: string, input: OpportunityInput) {
      const existing = await opportunityOr404(id);
      if (!canManage(user, existing.organisationId)) throw new ForbiddenError('Not the host');
      await db.transaction(async () => {
        // The host stays the same organisation: moving an opportunity would move its applicants' data.
        await repo.updateOpportunity(id, { ...opportunityValues(input), updatedAt: clock.now() });
        await audit.record(actor, {
          action: 'exchange.opportunity.updated',
          entityType: 'exchange_opportunity',
          entityId: id,
        });
      });
    },

    async setStatus(user: CurrentUser, actor: Actor, id: string, status: OpportunityStatus) {
      const existing = await opportunityOr404(id);
      if (!canManage(user, existing.organisationId)) throw new ForbiddenError('Not the host');
      await db.transaction(async () => {
        await repo.updateOpportunity(id, { status, updatedAt: clock.now() });
        await audit.record(actor, {
          action: 'exchange.opportunity.status',
          entityType: 'exchange_opportunity',
          entityId: id,
          details: { from: existing.status, to: status },
        });
      });
    },

    async profile(userId: string) {
      return repo.findProfile(userId);
    },

    async saveProfile(user: CurrentUser, actor: Actor, input: ProfileInput) {
      // A profile may name only an organisation the person belongs to.
      const organisationId =
        input.organisationId && user.memberships.some((m) => m.organisationId === input.organisationId)
          ? input.organisationId
          : null;
      await db.transaction(async () => {
        await repo.upsertProfile({ ...input, organisationId, userId: user.id, updatedAt: clock.now() });
        await audit.record(actor, {
          action: 'exchange.profile.saved',
          entityType: 'exchange_profile',
          entityId: user.id,
        });
      });
    },

    /** How one person matches one opportunity (null when they have no profile). */
    async matchFor(userId: string, opportunity: OpportunityRow): Promise<MatchResult | null> {
      const profile = await repo.findProfile(userId);
      return profile ? match(opportunity, profile) : null;
    },

    /** Open opportunities for a person, best match first, with the reasons (direction 1). */
    async suggestionsForPerson(user: CurrentUser) {
      const profile = await repo.findProfile(user.id);
      if (!profile) return null;
      const open = (await repo.listOpen(today())).filter((o) => isTakingApplications(o, today()));
      // Never suggest what the person could not apply for: their own organisations' opportunities.
      const own = new Set([profile.organisationId, ...user.memberships.map((m) => m.organisationId)]);
      return rank(
        open.filter((o) => !own.has(o.organisationId)),
        (o) => match(o, profile),
      );
    },

    /** People who chose to be found, best match first, for the host of one opportunity (direction 2). */
    async suggestionsForOpportunity(user: CurrentUser, id: string) {
      const opportunity = await opportunityOr404(id);
      if (!canManage(user, opportunity.organisationId)) throw new ForbiddenError('Not the host');
      const applied = new Set((await repo.applicationsForOpportunity(id)).map((a) => a.application.userId));
      // The host's own people could not apply (see `apply`), so they are never suggested.
      const members = await repo.memberIds(opportunity.organisationId);
      const people = (await repo.discoverableProfiles()).filter(
        (p) =>
          !applied.has(p.profile.userId) &&
          !members.has(p.profile.userId) &&
          p.profile.organisationId !== opportunity.organisationId,
      );
      return rank(people, (p) => match(opportunity, p.profile));
    },

    /**
     * Applies or expresses interest. Refused, with a clear reason and nothing changed, when the opportunity
     * is closed or past its closing date, the person has no profile, is not eligible, belongs to the host,
     * or has already applied. Expressing interest first and applying later upgrades the same record.
     */
    async apply(user: CurrentUser, actor: Actor, id: string, input: ApplyInput) {
      const opportunity = await opportunityOr404(id);
      if (opportunity.status !== 'open') throw new ExchangeRefusal('closed');
      if (!isTakingApplications(opportunity, today())) throw new ExchangeRefusal('expired');
      const profile = await repo.findProfile(user.id);
      if (!profile) throw new ExchangeRefusal('noProfile');
      if (user.memberships.some((m) => m.organisationId === opportunity.organisationId))
        throw new ExchangeRefusal('ownOrganisation');
      const result = match(opportunity, profile);
      if (!result.eligible)
        throw new ExchangeRefusal('ineligible', { keys: result.reasons.map((r) => r.key).join(',') });
      const existing = await repo.findApplicationFor(id, user.id);
      const upgrade =
        existing?.kind === 'interest' && input.kind === 'application' && existing.state === 'submitted';
      if (existing && existing.state !== 'withdrawn' && !upgrade) throw new ExchangeRefusal('duplicate');
      const applicationId = await db.transaction(async () => {
        let appId: string;
        if (existing) {
          await repo.updateApplication(existing.id, {
            kind: input.kind,
            statement: input.statement,
            state: 'submitted',
            scoreAtApply: result.score,
            updatedAt: clock.now(),
          });
          appId = existing.id;
        } else {
          try {
            const row = await db.transaction(() =>
              repo.insertApplication({
                opportunityId: id,
                userId: user.id,
                kind: input.kind,
                statement: input.statement,
                scoreAtApply: result.score,
                updatedAt: clock.now(),
              }),
            );
            appId = row.id;
          } catch (error) {
            // Two submissions at once (a double click): the unique index keeps one.
            if (isUniqueViolation(error)) throw new ExchangeRefusal('duplicate');
            throw error;
          }
        }
        await audit.record(actor, {
          action: upgrade ? 'exchange.application.upgraded' : 'exchange.application.submitted',
          entityType: 'exchange_application',
          entityId: appId,
          details: { opportunityId: id, kind: input.kind, score: result.score },
        });
        const poster = opportunity.postedBy ? await repo.userContact(opportunity.postedBy) : undefined;
        if (poster)
          await outbox.queue({
            to: poster.email,
            template: 'exchangeApplied',
            params: {
              name: user.displayName,
              kind: input.kind === 'application' ? 'application' : 'expression of interest',
              title: opportunity.title,
              link: link(exchangePaths.manage({ id })),
            },
          });
        return appId;
      });
      await deps.emailsQueued();
      return applicationId;
    },

    async withdraw(user: CurrentUser, actor: Actor, applicationId: string) {
      const application = await applicationOr404(applicationId);
      if (application.userId !== user.id) throw new ForbiddenError('Not your application');
      if (!canTransition(application.state, 'withdrawn'))
        throw new ExchangeRefusal('transition', { state: application.state });
      await db.transaction(async () => {
        await repo.updateApplication(applicationId, { state: 'withdrawn', updatedAt: clock.now() });
        await audit.record(actor, {
          action: 'exchange.application.withdrawn',
          entityType: 'exchange_application',
          entityId: applicationId,
        });
      });
    },

    /** The host shortlists, accepts or declines. The applicant is told by email. */
    async decide(
      user: CurrentUser,
      actor: Actor,
      applicationId: string,
      decision: 'shortlisted' | 'accepted' | 'declined',
    ) {
      const application = await applicationOr404(applicationId);
      const opportunity = await opportunityOr404(application.opportunityId);
      if (!canManage(user, opportunity.organisationId)) throw new ForbiddenError('Not the host');
      if (!canTransition(application.state, decision))
        throw new ExchangeRefusal('transition', { state: application.state });
      await db.transaction(async () => {
        await repo.updateApplication(applicationId, {
          state: decision,
          decidedAt: clock.now(),
          decidedBy: user.id,
          updatedAt: clock.now(),
        });
        await audit.record(actor, {
          action: `exchange.application.${decision}`,
          entityType: 'exchange_application',
          entityId: applicationId,
          details: { from: application.state },
        });
        const person = await repo.userContact(application.userId);
        if (person)
          await outbox.queue({
            to: person.email,
            template: 'exchangeDecided',
            params: {
              name: person.displayName,
              kind: application.kind === 'application' ? 'application' : 'expression of interest',
              title: opportunity.title,
              state: decision,
              link: link(exchangePaths.mine()),
            },
          });
      });
      await deps.emailsQueued();
      return opportunity;
    },

    /** The host invites a suggested person (who chose to be found) to apply. */
    async invite(user: CurrentUser, actor: Actor, id: string, personId: string) {
      const opportunity = await opportunityOr404(id);
      if (!canManage(user, opportunity.organisationId)) throw new ForbiddenError('Not the host');
      const profile = await repo.findProfile(personId);
      if (!profile?.discoverable) throw new NotFoundError('No such person');
      const person = await repo.userContact(personId);
      if (!person) throw new NotFoundError('No such person');
      await db.transaction(async () => {
        await outbox.queue({
          to: person.email,
          template: 'exchangeInvited',
          params: {
            name: person.displayName,
            host: opportunity.organisationName,
            title: opportunity.title,
            closes: opportunity.closesOn,
            link: link(exchangePaths.show({ id })),
          },
        });
        await audit.record(actor, {
          action: 'exchange.invited',
          entityType: 'exchange_opportunity',
          entityId: id,
          details: { personId },
        });
      });
      await deps.emailsQueued();
      return person;
    },

    async applicationsFor(user: CurrentUser, id: string) {
      const opportunity = await opportunityOr404(id);
      if (!canManage(user, opportunity.organisationId)) throw new ForbiddenError('Not the host');
      const applications = await repo.applicationsForOpportunity(id);
      const reflections = await repo.reflectionsFor(applications.map((a) => a.application.id));
      return { opportunity, applications, reflections };
    },

    async myApplications(userId: string) {
      const rows = await repo.applicationsOfUser(userId);
      const reflections = await repo.reflectionsFor(rows.map((r) => r.application.id));
      return { rows, reflections };
    },

    /** For the reflection page: the application, its opportunity, and which side this person speaks for. */
    async reflectionContext(user: CurrentUser, applicationId: string) {
      const application = await applicationOr404(applicationId);
      const opportunity = await opportunityOr404(application.opportunityId);
      const party =
        application.userId === user.id
          ? ('participant' as const)
          : canManage(user, opportunity.organisationId)
            ? ('host' as const)
            : null;
      if (!party) throw new ForbiddenError('Not a party to this exchange');
      const existing = (await repo.reflectionsFor([applicationId])).find((r) => r.party === party);
      return { application, opportunity, party, existing };
    },

    /**
     * Each side records the outcome and a short reflection once, after an accepted exchange has started.
     * They feed the annual review (see `annualReviewFigures`) without names.
     */
    async recordReflection(user: CurrentUser, actor: Actor, applicationId: string, input: ReflectionInput) {
      const { application, opportunity, party, existing } = await this.reflectionContext(user, applicationId);
      if (application.state !== 'accepted') throw new ExchangeRefusal('notAccepted');
      if (today() < opportunity.startsOn && input.outcome !== 'did_not_go_ahead')
        throw new ExchangeRefusal('notStarted');
      if (existing) throw new ExchangeRefusal('reflectionDone');
      await db.transaction(async () => {
        try {
          await db.transaction(() =>
            repo.insertReflection({
              applicationId,
              party,
              outcome: input.outcome,
              reflection: input.reflection,
              recordedBy: user.id,
              recordedAt: clock.now(),
            }),
          );
        } catch (error) {
          if (isUniqueViolation(error)) throw new ExchangeRefusal('reflectionDone');
          throw error;
        }
        await audit.record(actor, {
          action: 'exchange.reflection.recorded',
          entityType: 'exchange_application',
          entityId: applicationId,
          details: { party, outcome: input.outcome },
        });
      });
      return { opportunity, party };
    },

    /** Opportunities of every organisation this person can host for. */
    hosted(organisationIds: string[]) {
      return repo.listForOrganisations(organisationIds);
    },

    /** The annual review figures for the page the Covenant team reads (see `annualReviewFigures`). */
    async reviewFor(user: CurrentUser, year: number) {
      if (!canSeeReview(user)) throw new ForbiddenError('Covenant team only');
      return this.annualReviewFigures(year);
    },

    /**
     * For the annual review of stakeholder experiences: in one calendar year, accepted exchanges by kind,
     * outcomes by kind and side, and the reflections themselves (no names, no organisations).
     */
    async annualReviewFigures(year: number) {
      const from = new Date(Date.UTC(year, 0, 1));
      const to = new Date(Date.UTC(year + 1, 0, 1));
      const rows = await repo.reflectionsBetween(from, to);
      const accepted = await repo.acceptedBetween(`${year}-01-01`, `${year + 1}-01-01`);
      const outcomes = Object.fromEntries(
        opportunityKinds.map((kind) => [
          kind,
          Object.fromEntries(exchangeOutcomes.map((o) => [o, { host: 0, participant: 0 }])) as Record<
            ExchangeOutcome,
            { host: number; participant: number }
          >,
        ]),
      ) as Record<OpportunityKind, Record<ExchangeOutcome, { host: number; participant: number }>>;
      for (const r of rows) outcomes[r.kind][r.outcome][r.party]++;
      return {
        year,
        accepted: Object.fromEntries(
          opportunityKinds.map((k) => [k, accepted.find((a) => a.kind === k)?.count ?? 0]),
        ) as Record<OpportunityKind, number>,
        outcomes,
        reflectionCount: rows.length,
        reflections: rows.map((r) => ({
          kind: r.kind,
          party: r.party,
          outcome: r.outcome,
          text: r.reflection,
        })),
      };
    },
  };
}

export type ExchangeService = ReturnType<typeof createExchangeService>;
export type { ProfileRow };
