/**
 * Local covenant partnerships (issue 9, item 4): a partnership for a council or combined-authority area,
 * under its local covenant (a sub-covenant from the registry), working through an existing local forum,
 * with partner organisations, local accountable officers (with a public contact route, and an account when
 * they manage it), meetings with minutes and actions. Each partnership page carries a local view of its
 * area: reported problems by status (suppressed as the register does), published action plans and the
 * annual review's published ratings of the area's bodies. Partnerships roll up to a national page.
 * Every change is checked against partnerships.policy.ts first and audited in the same transaction.
 */
import type { Actor, AuditLog } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import { slugify } from '../directory/directory.reference.ts';
import { suppressCounts } from '../register/register.suppression.ts';
import type { SurveyResultsService } from '../surveys/surveys.results.service.ts';
import {
  canCreatePartnership,
  canLinkOfficerAccount,
  canManagePartnership,
  type PartnershipAccess,
} from './partnerships.policy.ts';
import type { PartnershipsRepository } from './partnerships.repository.ts';
import { isOverdue, rollUp, suppressCasesInArea, type PartnershipFacts } from './partnerships.rollup.ts';
import type {
  ActionInput,
  MeetingInput,
  OfficerInput,
  PartnerInput,
  PartnershipInput,
} from './partnerships.schema.ts';
import type { PartnershipActionStatus } from './partnerships.tables.ts';

/** A rule said no about one field: shown as `partnerships.refusals.<reason>` against it. */
export class PartnershipRefusal extends Error {
  override name = 'PartnershipRefusal';
  readonly field: string;
  readonly reason: string;
  constructor(field: string, reason: string) {
    super(`Partnerships refused: ${reason}`);
    this.field = field;
    this.reason = reason;
  }
}

/** Case states grouped for the local view (cases.lifecycle.ts): still with the body, with the panel, ended. */
export const caseBuckets = {
  open: ['submitted', 'needs_information', 'with_body', 'responded', 'body_replied'],
  escalated: ['escalated', 'panel_review', 'panel_decided'],
  ended: ['resolved', 'closed'],
} as const;
export type CaseBucket = keyof typeof caseBuckets;

export interface PartnershipsDeps {
  db: Database;
  audit: AuditLog;
  clock: Clock;
  repo: PartnershipsRepository;
  /** The annual review's published results (bodyResults applies its own suppression). */
  surveyResults: Pick<SurveyResultsService, 'bodyResults'>;
}

const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
const today = (clock: Clock) => clock.now().toISOString().slice(0, 10);

export function createPartnershipsService(deps: PartnershipsDeps) {
  const { db, audit, clock, repo } = deps;

  async function partnershipOr404(slug: string) {
    const found = await repo.findBySlug(slug);
    if (!found) throw new NotFoundError('No such partnership');
    return found;
  }
  async function accessOf(partnershipId: string): Promise<PartnershipAccess> {
    const officers = await repo.officers(partnershipId);
    return { officerUserIds: officers.map((o) => o.userId).filter((id): id is string => Boolean(id)) };
  }
  /** Loads the partnership and checks the person may manage it (404 for an unknown slug, 403 otherwise). */
  async function managed(user: CurrentUser, slug: string) {
    const partnership = await partnershipOr404(slug);
    if (!canManagePartnership(user, await accessOf(partnership.id)))
      throw new ForbiddenError('Partnership officers only');
    return partnership;
  }
  const record = (actor: Actor, action: string, entityId: string, details: Record<string, unknown> = {}) =>
    audit.record(actor, { action: `partnerships.${action}`, entityType: 'partnership', entityId, details });

  async function resolveChoices(input: PartnershipInput) {
    const area = await repo.areaOrganisation(input.area);
    if (!area) throw new PartnershipRefusal('area', 'areaNotFound');
    const sub = input.subCovenant ? await repo.localSubCovenant(input.subCovenant) : null;
    if (input.subCovenant && !sub) throw new PartnershipRefusal('subCovenant', 'subCovenantNotFound');
    return {
      name: input.name,
      summary: input.summary,
      areaOrganisationId: area.id,
      subCovenantId: sub?.id ?? null,
      forumName: input.forumName,
      forumUrl: input.forumUrl,
    };
  }

  /** The local view: cases by status (suppressed), published plans and published survey ratings. */
  async function localView(partnershipId: string, areaOrganisationId: string) {
    const bodies = await repo.areaBodies(partnershipId, areaOrganisationId);
    const ids = bodies.map((b) => b.id);
    const [stateCounts, plans] = await Promise.all([repo.caseCountsByState(ids), repo.publishedPlans(ids)]);
    const bucketOf = (state: string) =>
      (Object.keys(caseBuckets) as CaseBucket[]).find((b) =>
        (caseBuckets[b] as readonly string[]).includes(state),
      );
    const cells = (Object.keys(caseBuckets) as CaseBucket[]).map((key) => ({
      key,
      count: stateCounts.filter((r) => bucketOf(r.state) === key).reduce((n, r) => n + r.n, 0),
    }));
    const survey = [];
    for (const body of bodies) {
      const results = await deps.surveyResults.bodyResults(body.id);
      const latest = results[0]?.year;
      if (latest === undefined) continue;
      survey.push({ body, year: latest, questions: results.filter((r) => r.year === latest) });
    }
    return {
      bodies,
      cases: suppressCounts(cells),
      casesRaw: cells.reduce((n, c) => n + c.count, 0),
      plans,
      survey,
    };
  }

  const service = {
    repo,

    async list() {
      return repo.list();
    },

    /** A partnership's public page, with what the person may do. */
    async page(user: CurrentUser | null, slug: string) {
      const partnership = await partnershipOr404(slug);
      const [partners, officers, meetings, actions, local, access] = await Promise.all([
        repo.partners(partnership.id),
        repo.officers(partnership.id),
        repo.meetings(partnership.id),
        repo.actions(partnership.id),
        localView(partnership.id, partnership.areaOrganisationId),
        accessOf(partnership.id),
      ]);
      const day = today(clock);
      const { casesRaw: _raw, ...publicLocal } = local;
      return {
        partnership,
        partners,
        // The public page never shows which account an officer signs in with.
        officers: officers.map(({ userId: _u, ...o }) => ({ ...o, hasAccount: Boolean(_u) })),
        meetings,
        actions: actions.map((a) => ({ ...a, overdue: isOverdue(a, day) })),
        local: publicLocal,
        can: { manage: canManagePartnership(user, access) },
      };
    },

    /** The choices for the partnership form: councils and combined authorities, local sub-covenants. */
    async formChoices() {
      const [areas, subCovenants] = await Promise.all([repo.areaOrganisations(), repo.localSubCovenants()]);
      return { areas, subCovenants };
    },

    async create(user: CurrentUser, actor: Actor, input: PartnershipInput) {
      if (!canCreatePartnership(user)) throw new ForbiddenError('Administrators only');
      const values = await resolveChoices(input);
      return db.transaction(async () => {
        let slug = slugify(input.name).slice(0, 80);
        for (let n = 2; await repo.slugTaken(slug); n++) slug = `${slugify(input.name).slice(0, 76)}-${n}`;
        const row = await repo.insert({ ...values, slug, updatedAt: clock.now() });
        await record(actor, 'created', row.id, { area: input.area });
        return row;
      });
    },

    async update(user: CurrentUser, actor: Actor, slug: string, input: PartnershipInput) {
      const partnership = await managed(user, slug);
      const values = await resolveChoices(input);
      await db.transaction(async () => {
        await repo.update(partnership.id, { ...values, updatedAt: clock.now() });
        await record(actor, 'updated', partnership.id);
      });
    },

    /** The management page: the public page's data, the officers with their accounts, and the choices. */
    async manage(user: CurrentUser, slug: string) {
      const partnership = await managed(user, slug);
      const [page, officers] = await Promise.all([service.page(user, slug), repo.officers(partnership.id)]);
      return {
        ...page,
        officers: officers.map((o) => ({ ...o, hasAccount: Boolean(o.userId) })),
        can: { manage: true, linkAccounts: canLinkOfficerAccount(user) },
      };
    },

    async addPartner(user: CurrentUser, actor: Actor, slug: string, input: PartnerInput) {
      const partnership = await managed(user, slug);
      const organisation = await repo.organisationByNameOrSlug(input.organisation);
      if (!organisation) throw new PartnershipRefusal('organisation', 'organisationNotFound');
      await db.transaction(async () => {
        const row = await repo.insertPartner({
          partnershipId: partnership.id,
          organisationId: organisation.id,
          role: input.role,
        });
        if (!row) throw new PartnershipRefusal('organisation', 'alreadyPartner');
        await record(actor, 'partner.added', partnership.id, { organisationId: organisation.id });
      });
      return organisation;
    },

    async removePartner(user: CurrentUser, actor: Actor, slug: string, partnerId: string) {
      const partnership = await managed(user, slug);
      if (!isUuid(partnerId)) throw new NotFoundError('No such partner');
      await db.transaction(async () => {
        if (!(await repo.deletePartner(partnership.id, partnerId)))
          throw new NotFoundError('No such partner');
        await record(actor, 'partner.removed', partnership.id, { partnerId });
      });
    },

    /** Adds an officer; linking their account (so they can manage) is for administrators only. */
    async addOfficer(user: CurrentUser, actor: Actor, slug: string, input: OfficerInput) {
      const partnership = await managed(user, slug);
      let userId: string | null = null;
      if (input.accountEmail) {
        if (!canLinkOfficerAccount(user)) throw new PartnershipRefusal('accountEmail', 'linkAdminOnly');
        const account = await repo.userByEmail(input.accountEmail);
        if (!account) throw new PartnershipRefusal('accountEmail', 'accountNotFound');
        userId = account.id;
      }
      await db.transaction(async () => {
        const row = await repo.insertOfficer({
          partnershipId: partnership.id,
          name: input.officerName,
          roleTitle: input.roleTitle,
          contact: input.contact,
          userId,
        });
        await record(actor, 'officer.added', partnership.id, { officerId: row.id, linked: Boolean(userId) });
      });
    },

    /**
     * Removes an officer. An officer with an account may be removed by administrators only (an officer cannot
     * take another's access away), and nobody removes the last officer.
     */
    async removeOfficer(user: CurrentUser, actor: Actor, slug: string, officerId: string) {
      const partnership = await managed(user, slug);
      const officers = await repo.officers(partnership.id);
      const officer = officers.find((o) => o.id === officerId);
      if (!officer) throw new NotFoundError('No such officer');
      if (officer.userId && !canLinkOfficerAccount(user))
        throw new PartnershipRefusal('officers', 'removeLinkedAdminOnly');
      if (officers.length === 1) throw new PartnershipRefusal('officers', 'lastOfficer');
      await db.transaction(async () => {
        await repo.deleteOfficer(partnership.id, officerId);
        await record(actor, 'officer.removed', partnership.id, { officerId });
      });
    },

    async addMeeting(user: CurrentUser, actor: Actor, slug: string, input: MeetingInput) {
      const partnership = await managed(user, slug);
      return db.transaction(async () => {
        const row = await repo.insertMeeting({
          partnershipId: partnership.id,
          heldOn: input.heldOn,
          title: input.meetingTitle,
          minutes: input.minutes,
          createdBy: user.id,
        });
        await record(actor, 'meeting.added', partnership.id, { meetingId: row.id });
        return row;
      });
    },

    async addAction(user: CurrentUser, actor: Actor, slug: string, input: ActionInput) {
      const partnership = await managed(user, slug);
      if (input.meetingId) {
        const meetings = await repo.meetings(partnership.id);
        if (!meetings.some((m) => m.id === input.meetingId))
          throw new PartnershipRefusal('meetingId', 'meetingNotFound');
      }
      await db.transaction(async () => {
        const row = await repo.insertAction({
          partnershipId: partnership.id,
          meetingId: input.meetingId,
          title: input.actionTitle,
          owner: input.owner,
          dueOn: input.dueOn,
          status: input.status,
          updatedAt: clock.now(),
        });
        await record(actor, 'action.added', partnership.id, { actionId: row.id });
      });
    },

    async setActionStatus(
      user: CurrentUser,
      actor: Actor,
      slug: string,
      actionId: string,
      status: PartnershipActionStatus,
    ) {
      const partnership = await managed(user, slug);
      if (!isUuid(actionId)) throw new NotFoundError('No such action');
      await db.transaction(async () => {
        const row = await repo.updateAction(partnership.id, actionId, { status, updatedAt: clock.now() });
        if (!row) throw new NotFoundError('No such action');
        await record(actor, 'action.status', partnership.id, { actionId, status });
      });
    },

    /** The facts each partnership rolls up from (raw: suppress cases before publishing). */
    async facts(): Promise<PartnershipFacts[]> {
      const [list, counts, actions] = await Promise.all([
        repo.list(),
        repo.countsPerPartnership(),
        repo.allActions(),
      ]);
      const out: PartnershipFacts[] = [];
      for (const p of list) {
        const local = await localView(p.id, p.areaOrganisationId);
        out.push({
          id: p.id,
          name: p.name,
          nation: p.area.nation,
          region: p.area.region,
          partners: counts.partners.get(p.id) ?? 0,
          officers: counts.officers.get(p.id) ?? 0,
          actions: actions.filter((a) => a.partnershipId === p.id),
          casesInArea: local.casesRaw,
          plansPublished: local.plans.length,
        });
      }
      return out;
    },

    /** The national roll-up, with the cases figures suppressed for publication. */
    async national() {
      const list = await repo.list();
      const r = rollUp(await service.facts(), today(clock));
      return { rollUp: r, cases: suppressCasesInArea(r), slugs: new Map(list.map((p) => [p.id, p.slug])) };
    },
  };
  return service;
}

export type PartnershipsService = ReturnType<typeof createPartnershipsService>;
