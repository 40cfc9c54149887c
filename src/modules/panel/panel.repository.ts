/**
 * The panel's SQL. Every function asks `db.get()` when it runs, so it joins the caller's transaction. No rule
 * lives here: who may do what, and what follows from it, is panel.service.ts's.
 */
import { and, asc, count, desc, eq, ilike, inArray, isNotNull, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.ts';
import { memberships, users } from '../accounts/accounts.tables.ts';
import { organisations } from '../directory/directory.tables.ts';
import { cases } from '../cases/cases.tables.ts';
import type { CaseState } from '../cases/cases.lifecycle.ts';
import {
  panelActions,
  panelAgendaItems,
  panelAttendance,
  panelConflicts,
  panelDecisions,
  panelMeetings,
  panelMembers,
  panelSettings,
  panelVotes,
  type PanelActionStatus,
  type PanelAttendanceStatus,
} from './panel.tables.ts';

/** The states in which a case is the panel's business (escalated and after, until closed). */
export const panelStates: readonly CaseState[] = [
  'escalated',
  'panel_review',
  'panel_decided',
  'body_replied',
];

export function createPanelRepository(db: Database) {
  const q = () => db.get();

  return {
    // ---- Settings --------------------------------------------------------------------------------------
    async settings() {
      const [row] = await q().select().from(panelSettings).where(eq(panelSettings.id, 1));
      return row ?? null;
    },
    async saveSettings(values: { quorumMinimum: number; quorumEachSide: boolean; updatedBy: string | null }) {
      const now = new Date();
      await q()
        .insert(panelSettings)
        .values({ id: 1, ...values, updatedAt: now })
        .onConflictDoUpdate({ target: panelSettings.id, set: { ...values, updatedAt: now } });
    },

    // ---- Members and terms -----------------------------------------------------------------------------
    async terms(userIds?: string[]) {
      if (userIds && userIds.length === 0) return [];
      return q()
        .select({
          id: panelMembers.id,
          userId: panelMembers.userId,
          side: panelMembers.side,
          termStart: panelMembers.termStart,
          termEnd: panelMembers.termEnd,
          name: users.displayName,
          email: users.email,
          disabledAt: users.disabledAt,
        })
        .from(panelMembers)
        .innerJoin(users, eq(users.id, panelMembers.userId))
        .where(userIds ? inArray(panelMembers.userId, userIds) : undefined)
        .orderBy(asc(users.displayName), asc(panelMembers.termStart));
    },
    async term(termId: string) {
      const [row] = await q().select().from(panelMembers).where(eq(panelMembers.id, termId));
      return row ?? null;
    },
    async insertTerm(values: typeof panelMembers.$inferInsert) {
      const [row] = await q().insert(panelMembers).values(values).returning({ id: panelMembers.id });
      return row!.id;
    },
    async updateTerm(termId: string, values: Partial<typeof panelMembers.$inferInsert>) {
      await q().update(panelMembers).set(values).where(eq(panelMembers.id, termId));
    },
    /** People who hold the panel role (whether or not they have a term yet). */
    async panelRoleHolders() {
      return q()
        .selectDistinct({ id: users.id, name: users.displayName, email: users.email })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.role, 'panel_member'), isNull(users.disabledAt)))
        .orderBy(asc(users.displayName));
    },
    /** People who may own a panel action: panel members and the Covenant team. */
    async actionOwners() {
      return q()
        .selectDistinct({ id: users.id, name: users.displayName, email: users.email })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(inArray(memberships.role, ['panel_member', 'admin']), isNull(users.disabledAt)))
        .orderBy(asc(users.displayName));
    },
    async hasPanelRole(userId: string) {
      const rows = await q()
        .select({ id: memberships.userId })
        .from(memberships)
        .where(and(eq(memberships.userId, userId), eq(memberships.role, 'panel_member')))
        .limit(1);
      return rows.length > 0;
    },

    // ---- Conflicts -------------------------------------------------------------------------------------
    async conflicts(userId?: string) {
      return q()
        .select({
          id: panelConflicts.id,
          userId: panelConflicts.userId,
          memberName: users.displayName,
          organisationId: panelConflicts.organisationId,
          organisationName: organisations.name,
          caseId: panelConflicts.caseId,
          caseReference: cases.reference,
          reason: panelConflicts.reason,
          source: panelConflicts.source,
          createdAt: panelConflicts.createdAt,
          withdrawnAt: panelConflicts.withdrawnAt,
        })
        .from(panelConflicts)
        .innerJoin(users, eq(users.id, panelConflicts.userId))
        .leftJoin(organisations, eq(organisations.id, panelConflicts.organisationId))
        .leftJoin(cases, eq(cases.id, panelConflicts.caseId))
        .where(userId ? eq(panelConflicts.userId, userId) : undefined)
        .orderBy(asc(users.displayName), desc(panelConflicts.createdAt));
    },
    async conflict(conflictId: string) {
      const [row] = await q().select().from(panelConflicts).where(eq(panelConflicts.id, conflictId));
      return row ?? null;
    },
    async insertConflict(values: typeof panelConflicts.$inferInsert) {
      const [row] = await q().insert(panelConflicts).values(values).returning({ id: panelConflicts.id });
      return row!.id;
    },
    async withdrawConflict(conflictId: string, by: string | null, at: Date) {
      await q()
        .update(panelConflicts)
        .set({ withdrawnAt: at, withdrawnBy: by })
        .where(and(eq(panelConflicts.id, conflictId), isNull(panelConflicts.withdrawnAt)));
    },
    /** Organisations whose name contains the text, exact matches first (at most 20). */
    async findOrganisations(text: string) {
      const pattern = `%${text.replace(/[%_\\]/g, '')}%`;
      return q()
        .select({ id: organisations.id, name: organisations.name, kind: organisations.kind })
        .from(organisations)
        .where(ilike(organisations.name, pattern))
        .orderBy(sql`lower(${organisations.name}) = lower(${text}) desc`, asc(organisations.name))
        .limit(20);
    },
    async organisation(id: string) {
      const [row] = await q()
        .select({ id: organisations.id, name: organisations.name })
        .from(organisations)
        .where(eq(organisations.id, id));
      return row ?? null;
    },

    // ---- The queue and figures -------------------------------------------------------------------------
    async queueRows(filters: {
      states: readonly CaseState[];
      bodyId?: string;
      text?: string;
      oldestFirst: boolean;
    }) {
      const where = [isNotNull(cases.escalatedAt), inArray(cases.state, [...filters.states])];
      if (filters.bodyId) where.push(eq(cases.bodyId, filters.bodyId));
      if (filters.text) {
        const pattern = `%${filters.text.replace(/[%_\\]/g, '')}%`;
        where.push(or(ilike(cases.reference, pattern), ilike(cases.title, pattern))!);
      }
      return q()
        .select({
          id: cases.id,
          reference: cases.reference,
          title: cases.title,
          state: cases.state,
          confidentiality: cases.confidentiality,
          category: cases.category,
          bodyId: cases.bodyId,
          bodyName: organisations.name,
          escalatedAt: cases.escalatedAt,
          version: cases.version,
        })
        .from(cases)
        .leftJoin(organisations, eq(organisations.id, cases.bodyId))
        .where(and(...where))
        .orderBy(filters.oldestFirst ? asc(cases.escalatedAt) : desc(cases.escalatedAt), asc(cases.reference))
        .limit(5_000);
    },
    /** Bodies with cases in the panel's states, for the queue's filter. */
    async queueBodies() {
      return q()
        .selectDistinct({ id: organisations.id, name: organisations.name })
        .from(cases)
        .innerJoin(organisations, eq(organisations.id, cases.bodyId))
        .where(and(isNotNull(cases.escalatedAt), inArray(cases.state, [...panelStates])))
        .orderBy(asc(organisations.name));
    },
    async countsByState() {
      return q().select({ state: cases.state, n: count() }).from(cases).groupBy(cases.state);
    },
    /** Every column of the cases with the body (the clock reads what it needs). */
    async withBodyCases() {
      return q().select().from(cases).where(eq(cases.state, 'with_body')).limit(50_000);
    },

    // ---- Decisions and votes ---------------------------------------------------------------------------
    async decisionsFor(caseIds: string[]) {
      if (caseIds.length === 0) return [];
      return q()
        .select({
          id: panelDecisions.id,
          caseId: panelDecisions.caseId,
          status: panelDecisions.status,
          outcome: panelDecisions.outcome,
          recommendationDueOn: panelDecisions.recommendationDueOn,
          repliedAt: panelDecisions.repliedAt,
          replyPosition: panelDecisions.replyPosition,
        })
        .from(panelDecisions)
        .where(
          and(
            inArray(panelDecisions.caseId, caseIds),
            inArray(panelDecisions.status, ['proposed', 'adopted']),
          ),
        );
    },
    /** Every proposal and decision on one case, newest first, with who proposed it. */
    async caseDecisions(caseId: string) {
      return q()
        .select({ decision: panelDecisions, proposer: users.displayName })
        .from(panelDecisions)
        .leftJoin(users, eq(users.id, panelDecisions.proposedBy))
        .where(eq(panelDecisions.caseId, caseId))
        .orderBy(desc(panelDecisions.proposedAt));
    },
    async openProposal(caseId: string) {
      const [row] = await q()
        .select()
        .from(panelDecisions)
        .where(and(eq(panelDecisions.caseId, caseId), eq(panelDecisions.status, 'proposed')));
      return row ?? null;
    },
    async adoptedDecision(caseId: string) {
      const [row] = await q()
        .select()
        .from(panelDecisions)
        .where(and(eq(panelDecisions.caseId, caseId), eq(panelDecisions.status, 'adopted')));
      return row ?? null;
    },
    async insertDecision(values: typeof panelDecisions.$inferInsert) {
      const [row] = await q().insert(panelDecisions).values(values).returning({ id: panelDecisions.id });
      return row!.id;
    },
    /** Moves a proposal on from `proposed`; false when it was no longer open (someone else acted first). */
    async closeProposal(decisionId: string, values: Partial<typeof panelDecisions.$inferInsert>) {
      const rows = await q()
        .update(panelDecisions)
        .set(values)
        .where(and(eq(panelDecisions.id, decisionId), eq(panelDecisions.status, 'proposed')))
        .returning({ id: panelDecisions.id });
      return rows.length > 0;
    },
    async recordReply(
      decisionId: string,
      values: {
        replyPosition: 'accept' | 'partly' | 'reject';
        replyText: string;
        repliedAt: Date;
        repliedBy: string | null;
      },
    ) {
      const rows = await q()
        .update(panelDecisions)
        .set(values)
        .where(and(eq(panelDecisions.id, decisionId), isNull(panelDecisions.repliedAt)))
        .returning({ id: panelDecisions.id });
      return rows.length > 0;
    },
    async votes(decisionId: string) {
      return q()
        .select({
          userId: panelVotes.userId,
          name: users.displayName,
          side: panelVotes.side,
          vote: panelVotes.vote,
          reason: panelVotes.reason,
          castAt: panelVotes.castAt,
        })
        .from(panelVotes)
        .innerJoin(users, eq(users.id, panelVotes.userId))
        .where(eq(panelVotes.decisionId, decisionId))
        .orderBy(asc(panelVotes.castAt));
    },
    async upsertVote(values: typeof panelVotes.$inferInsert) {
      await q()
        .insert(panelVotes)
        .values(values)
        .onConflictDoUpdate({
          target: [panelVotes.decisionId, panelVotes.userId],
          set: { vote: values.vote, reason: values.reason, side: values.side, castAt: values.castAt },
        });
    },
    /** Adopted decisions still waiting for the body's reply (for tracking, reminders and figures). */
    async outstandingRecommendations() {
      return q()
        .select({
          decisionId: panelDecisions.id,
          caseId: panelDecisions.caseId,
          dueOn: panelDecisions.recommendationDueOn,
          state: cases.state,
        })
        .from(panelDecisions)
        .innerJoin(cases, eq(cases.id, panelDecisions.caseId))
        .where(and(eq(panelDecisions.status, 'adopted'), isNull(panelDecisions.repliedAt)));
    },
    /** Every adopted decision with its case and body, newest first (the recommendations page). */
    async recommendations() {
      return q()
        .select({
          caseId: panelDecisions.caseId,
          reference: cases.reference,
          title: cases.title,
          state: cases.state,
          bodyName: organisations.name,
          outcome: panelDecisions.outcome,
          recommendation: panelDecisions.recommendation,
          dueOn: panelDecisions.recommendationDueOn,
          decidedAt: panelDecisions.decidedAt,
          repliedAt: panelDecisions.repliedAt,
          replyPosition: panelDecisions.replyPosition,
        })
        .from(panelDecisions)
        .innerJoin(cases, eq(cases.id, panelDecisions.caseId))
        .leftJoin(organisations, eq(organisations.id, cases.bodyId))
        .where(eq(panelDecisions.status, 'adopted'))
        .orderBy(asc(panelDecisions.recommendationDueOn))
        .limit(5_000);
    },
    async countOpenProposals() {
      const [row] = await q()
        .select({ n: count() })
        .from(panelDecisions)
        .where(eq(panelDecisions.status, 'proposed'));
      return row?.n ?? 0;
    },

    // ---- Meetings --------------------------------------------------------------------------------------
    async meetings() {
      return q()
        .select({
          id: panelMeetings.id,
          title: panelMeetings.title,
          startsAt: panelMeetings.startsAt,
          location: panelMeetings.location,
          status: panelMeetings.status,
          hasMinutes: sql<boolean>`${panelMeetings.minutes} is not null`,
        })
        .from(panelMeetings)
        .orderBy(desc(panelMeetings.startsAt))
        .limit(500);
    },
    async meeting(meetingId: string) {
      if (!/^[0-9a-f-]{36}$/i.test(meetingId)) return null;
      const [row] = await q().select().from(panelMeetings).where(eq(panelMeetings.id, meetingId));
      return row ?? null;
    },
    async insertMeeting(values: typeof panelMeetings.$inferInsert) {
      const [row] = await q().insert(panelMeetings).values(values).returning({ id: panelMeetings.id });
      return row!.id;
    },
    async updateMeeting(meetingId: string, values: Partial<typeof panelMeetings.$inferInsert>) {
      await q().update(panelMeetings).set(values).where(eq(panelMeetings.id, meetingId));
    },
    /** Meetings that have started and were not cancelled (where a consensus can have been reached). */
    async meetingsHeldBy(at: Date) {
      return q()
        .select({ id: panelMeetings.id, title: panelMeetings.title, startsAt: panelMeetings.startsAt })
        .from(panelMeetings)
        .where(and(ne(panelMeetings.status, 'cancelled'), lt(panelMeetings.startsAt, at)))
        .orderBy(desc(panelMeetings.startsAt))
        .limit(20);
    },
    async agenda(meetingId: string) {
      return q()
        .select({
          id: panelAgendaItems.id,
          position: panelAgendaItems.position,
          caseId: panelAgendaItems.caseId,
          title: panelAgendaItems.title,
          caseState: cases.state,
        })
        .from(panelAgendaItems)
        .leftJoin(cases, eq(cases.id, panelAgendaItems.caseId))
        .where(eq(panelAgendaItems.meetingId, meetingId))
        .orderBy(asc(panelAgendaItems.position));
    },
    async insertAgendaItems(items: (typeof panelAgendaItems.$inferInsert)[]) {
      if (items.length) await q().insert(panelAgendaItems).values(items);
    },
    async deleteAgendaItem(meetingId: string, itemId: string) {
      const rows = await q()
        .delete(panelAgendaItems)
        .where(and(eq(panelAgendaItems.id, itemId), eq(panelAgendaItems.meetingId, meetingId)))
        .returning({ id: panelAgendaItems.id, caseId: panelAgendaItems.caseId });
      return rows[0] ?? null;
    },
    async agendaItem(itemId: string) {
      if (!/^[0-9a-f-]{36}$/i.test(itemId)) return null;
      const [row] = await q().select().from(panelAgendaItems).where(eq(panelAgendaItems.id, itemId));
      return row ?? null;
    },
    async attendance(meetingId: string) {
      return q()
        .select({ userId: panelAttendance.userId, status: panelAttendance.status })
        .from(panelAttendance)
        .where(eq(panelAttendance.meetingId, meetingId));
    },
    async setAttendance(meetingId: string, userId: string, status: PanelAttendanceStatus) {
      await q()
        .insert(panelAttendance)
        .values({ meetingId, userId, status })
        .onConflictDoUpdate({ target: [panelAttendance.meetingId, panelAttendance.userId], set: { status } });
    },
    async actions(filter: { meetingId?: string; open?: boolean }) {
      const where = [];
      if (filter.meetingId) where.push(eq(panelActions.meetingId, filter.meetingId));
      if (filter.open) where.push(inArray(panelActions.status, ['open', 'in_progress']));
      return q()
        .select({
          id: panelActions.id,
          meetingId: panelActions.meetingId,
          description: panelActions.description,
          ownerUserId: panelActions.ownerUserId,
          ownerName: users.displayName,
          dueOn: panelActions.dueOn,
          status: panelActions.status,
        })
        .from(panelActions)
        .leftJoin(users, eq(users.id, panelActions.ownerUserId))
        .where(and(...where))
        .orderBy(asc(panelActions.dueOn))
        .limit(1_000);
    },
    async action(actionId: string) {
      if (!/^[0-9a-f-]{36}$/i.test(actionId)) return null;
      const [row] = await q().select().from(panelActions).where(eq(panelActions.id, actionId));
      return row ?? null;
    },
    async insertAction(values: typeof panelActions.$inferInsert) {
      const [row] = await q().insert(panelActions).values(values).returning({ id: panelActions.id });
      return row!.id;
    },
    async setActionStatus(actionId: string, status: PanelActionStatus, at: Date) {
      await q().update(panelActions).set({ status, updatedAt: at }).where(eq(panelActions.id, actionId));
    },
    async userEmails(userIds: string[]) {
      if (userIds.length === 0) return [];
      return q()
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(and(inArray(users.id, userIds), isNull(users.disabledAt)));
    },
  };
}

export type PanelRepository = ReturnType<typeof createPanelRepository>;
