/**
 * Routing (SPEC §3 "Routing"): where a new case goes, and the rules administrators keep.
 *
 * A rule is (body, optional category, optional nation, optional area GSS code) → destination body (the same
 * body unless `routeToBodyId` says otherwise) and optional assignee. The most specific matching rule wins:
 * an area match counts 2, a nation match 1, a category match 1; ties go to the oldest rule, so adding a rule
 * never silently changes which of two equal rules applies.
 *
 * With no rule, a known public body receives its own cases when it has staff accounts (a body officer or a
 * lead). Decision: a body with no rule and nobody to receive the case goes to triage, like an unknown body,
 * so a case is never routed to "nowhere" (issue 4: "a body with no routing rule goes to triage, never
 * nowhere"). The Covenant team then finds the right people or another route.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor, AuditLog } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/database.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { memberships, users } from '../accounts/accounts.tables.ts';
import { organisations } from '../directory/directory.tables.ts';
import type { RoutingRuleInput } from './cases.intake.schema.ts';
import { routingRules, type CaseCategory, type clockNations } from './cases.tables.ts';

export type RoutingRule = typeof routingRules.$inferSelect;

export interface RoutingFacts {
  bodyId: string | null;
  category: CaseCategory;
  /** The body's nation and GSS code (from the directory). */
  nation: string | null;
  areaGss: string | null;
}

interface BodyFacts {
  id: string;
  name: string;
  nation: string | null;
  gssCode: string | null;
  kind: string;
  hasStaff: boolean;
}

export type RoutingDecision =
  | {
      kind: 'route';
      bodyId: string;
      assigneeUserId: string | null;
      ruleId: string | null;
      clockNation: (typeof clockNations)[number];
    }
  | { kind: 'triage'; reason: 'unknown_body' | 'no_recipient' };

/** Specificity of a rule that matches the facts, or -1 when it does not match. */
export function ruleSpecificity(
  rule: Pick<RoutingRule, 'bodyId' | 'category' | 'nation' | 'areaGss'>,
  facts: RoutingFacts,
): number {
  if (rule.bodyId !== facts.bodyId) return -1;
  let score = 0;
  if (rule.category) {
    if (rule.category !== facts.category) return -1;
    score += 1;
  }
  if (rule.nation) {
    if (rule.nation !== facts.nation) return -1;
    score += 1;
  }
  if (rule.areaGss) {
    if (rule.areaGss !== facts.areaGss) return -1;
    score += 2;
  }
  return score;
}

/** The most specific matching rule (oldest first on a tie), or undefined. */
export function bestRule<
  R extends Pick<RoutingRule, 'bodyId' | 'category' | 'nation' | 'areaGss' | 'createdAt'>,
>(rules: readonly R[], facts: RoutingFacts): R | undefined {
  let best: R | undefined;
  let bestScore = -1;
  for (const rule of [...rules].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())) {
    const score = ruleSpecificity(rule, facts);
    if (score > bestScore) {
      best = rule;
      bestScore = score;
    }
  }
  return best;
}

/** The working-day calendar for a body's nation (England and Wales share one). */
export function clockNationFor(nation: string | null): (typeof clockNations)[number] {
  if (nation === 'scotland') return 'scotland';
  if (nation === 'northern-ireland') return 'northern-ireland';
  return 'england-and-wales';
}

/** A rule names something that does not exist or does not fit (shown on the rule's form, 422). */
export class RoutingRuleInputError extends Error {
  override name = 'RoutingRuleInputError';
  readonly field: string;
  constructor(field: string, messageKey: string) {
    super(messageKey);
    this.field = field;
  }
}

const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

export function createRouting(deps: { db: Database; audit: AuditLog }) {
  const { db, audit } = deps;

  async function bodyFacts(bodyId: string) {
    return (await bodyFactsMany([bodyId])).get(bodyId);
  }

  /** Directory facts of these organisations (any kind), with whether each has body staff, by id. */
  async function bodyFactsMany(bodyIds: readonly string[]) {
    const ids = [...new Set(bodyIds)];
    if (ids.length === 0) return new Map<string, BodyFacts>();
    const rows = await db
      .get()
      .select({
        id: organisations.id,
        name: organisations.name,
        nation: organisations.nation,
        gssCode: organisations.gssCode,
        kind: organisations.kind,
        hasStaff: sql<boolean>`exists (select 1 from ${memberships} m
          where m.organisation_id = ${sql.identifier('organisations')}.id
            and m.role in ('body_officer', 'body_lead'))`,
      })
      .from(organisations)
      .where(inArray(organisations.id, ids));
    return new Map<string, BodyFacts>(rows.map((r) => [r.id, r]));
  }

  /**
   * The body and the destination must be public bodies; an assignee must be an officer or lead of the
   * body the cases go to (else the case would reach someone who cannot open it).
   */
  async function checkRule(input: RoutingRuleInput) {
    const E = 'cases.routing.errors';
    const body = isUuid(input.bodyId) ? await bodyFacts(input.bodyId) : undefined;
    if (body?.kind !== 'public_body') throw new RoutingRuleInputError('bodyId', `${E}.bodyRequired`);
    if (input.routeToBodyId) {
      const to = isUuid(input.routeToBodyId) ? await bodyFacts(input.routeToBodyId) : undefined;
      if (to?.kind !== 'public_body') throw new RoutingRuleInputError('routeToBodyId', `${E}.routeToInvalid`);
    }
    if (input.assigneeUserId) {
      const destination = input.routeToBodyId ?? input.bodyId;
      const staff = isUuid(input.assigneeUserId)
        ? await db
            .get()
            .select({ id: memberships.userId })
            .from(memberships)
            .where(
              and(
                eq(memberships.userId, input.assigneeUserId),
                eq(memberships.organisationId, destination),
                inArray(memberships.role, ['body_officer', 'body_lead']),
              ),
            )
        : [];
      if (staff.length === 0) throw new RoutingRuleInputError('assigneeUserId', `${E}.assigneeNotOfBody`);
    }
  }

  async function audited(actor: Actor, action: string, ruleId: string, details: Record<string, unknown>) {
    await audit.record(actor, { action, entityType: 'routing_rule', entityId: ruleId, details });
  }

  return {
    /** Decides where a case about `bodyId` (null: unknown body) in `category` goes. */
    async decide(bodyId: string | null, category: CaseCategory): Promise<RoutingDecision> {
      const [decision] = await this.decideMany([{ bodyId, category }]);
      return decision!;
    },

    /**
     * `decide` for many cases at once (a batch of submissions), in a fixed number of queries whatever the
     * batch's size: the bodies, their rules and, when a rule sends cases elsewhere, the destinations.
     */
    async decideMany(
      items: readonly { bodyId: string | null; category: CaseCategory }[],
    ): Promise<RoutingDecision[]> {
      const bodyIds = [...new Set(items.flatMap((i) => (i.bodyId ? [i.bodyId] : [])))];
      const facts = await bodyFactsMany(bodyIds);
      const publicIds = bodyIds.filter((id) => facts.get(id)?.kind === 'public_body');
      const rules = publicIds.length
        ? await db.get().select().from(routingRules).where(inArray(routingRules.bodyId, publicIds))
        : [];
      const rulesOf = new Map<string, RoutingRule[]>();
      for (const rule of rules) rulesOf.set(rule.bodyId, [...(rulesOf.get(rule.bodyId) ?? []), rule]);
      const chosen = items.map((item) => {
        const body = item.bodyId ? facts.get(item.bodyId) : undefined;
        if (!item.bodyId || !body || body.kind !== 'public_body') return undefined;
        return bestRule(rulesOf.get(item.bodyId) ?? [], {
          bodyId: item.bodyId,
          category: item.category,
          nation: body.nation,
          areaGss: body.gssCode,
        });
      });
      const elsewhere = chosen.flatMap((r) =>
        r?.routeToBodyId && !facts.has(r.routeToBodyId) ? [r.routeToBodyId] : [],
      );
      for (const [id, row] of await bodyFactsMany(elsewhere)) facts.set(id, row);
      return items.map((item, i): RoutingDecision => {
        const body = item.bodyId ? facts.get(item.bodyId) : undefined;
        if (!item.bodyId || !body || body.kind !== 'public_body')
          return { kind: 'triage', reason: 'unknown_body' };
        const rule = chosen[i];
        if (rule) {
          const destination = rule.routeToBodyId ?? item.bodyId;
          return {
            kind: 'route',
            bodyId: destination,
            assigneeUserId: rule.assigneeUserId,
            ruleId: rule.id,
            clockNation: clockNationFor(facts.get(destination)?.nation ?? null),
          };
        }
        if (!body.hasStaff) return { kind: 'triage', reason: 'no_recipient' };
        return {
          kind: 'route',
          bodyId: item.bodyId,
          assigneeUserId: null,
          ruleId: null,
          clockNation: clockNationFor(body.nation),
        };
      });
    },

    /** Every rule with the names an administrator needs to read it. */
    async listRules() {
      const route = sql<
        string | null
      >`(select name from organisations r where r.id = ${routingRules.routeToBodyId})`;
      return db
        .get()
        .select({
          rule: routingRules,
          bodyName: organisations.name,
          routeToName: route,
          assigneeName: users.displayName,
        })
        .from(routingRules)
        .innerJoin(organisations, eq(organisations.id, routingRules.bodyId))
        .leftJoin(users, eq(users.id, routingRules.assigneeUserId))
        .orderBy(asc(organisations.name), asc(routingRules.createdAt));
    },

    async getRule(ruleId: string): Promise<RoutingRule> {
      if (!isUuid(ruleId)) throw new NotFoundError('No such routing rule');
      const [rule] = await db.get().select().from(routingRules).where(eq(routingRules.id, ruleId));
      if (!rule) throw new NotFoundError('No such routing rule');
      return rule;
    },

    /** Adds a rule; audited with its whole content. Throws RoutingRuleInputError for a rule that cannot work. */
    async addRule(actor: Actor, input: RoutingRuleInput): Promise<string> {
      await checkRule(input);
      return db.transaction(async () => {
        const [row] = await db.get().insert(routingRules).values(input).returning({ id: routingRules.id });
        await audited(actor, 'routing_rule.created', row!.id, { ...input });
        return row!.id;
      });
    },

    /** Changes a rule; the audit row keeps what it was and what it became. */
    async updateRule(actor: Actor, ruleId: string, input: RoutingRuleInput): Promise<void> {
      await checkRule(input);
      await db.transaction(async () => {
        const before = await this.getRule(ruleId);
        await db.get().update(routingRules).set(input).where(eq(routingRules.id, ruleId));
        const { id: _id, createdAt: _c, ...was } = before;
        await audited(actor, 'routing_rule.updated', ruleId, { before: was, after: { ...input } });
      });
    },

    async deleteRule(actor: Actor, ruleId: string): Promise<void> {
      await db.transaction(async () => {
        const before = await this.getRule(ruleId);
        await db.get().delete(routingRules).where(eq(routingRules.id, ruleId));
        const { id: _id, createdAt: _c, ...was } = before;
        await audited(actor, 'routing_rule.deleted', ruleId, { before: was });
      });
    },

    /** Public bodies, for the rule form's lists (name order). */
    async publicBodies() {
      return db
        .get()
        .select({ id: organisations.id, name: organisations.name })
        .from(organisations)
        .where(eq(organisations.kind, 'public_body'))
        .orderBy(asc(organisations.name));
    },

    /** Body staff who can be assignees, with their body. */
    async bodyStaff() {
      return db
        .get()
        .selectDistinct({
          id: users.id,
          name: users.displayName,
          bodyId: memberships.organisationId,
          bodyName: organisations.name,
        })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
        .where(inArray(memberships.role, ['body_officer', 'body_lead']))
        .orderBy(asc(organisations.name), asc(users.displayName));
    },
  };
}

export type Routing = ReturnType<typeof createRouting>;
