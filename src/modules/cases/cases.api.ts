/**
 * The body API (issue 4, item 11): a body's own systems list, read and update its cases with a bearer
 * token. Tokens are created by the body's lead (or an admin), shown once, stored as SHA-256 hashes and
 * revocable. A token acts for ONE body: another body's case is "not found", exactly like a case that does
 * not exist. Responses never carry the reporter's identity; the response schemas are the allow-list (only
 * declared fields are serialised) and they feed `/api/openapi.json`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Deps } from '../../container.ts';
import type { Actor, AuditLog } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { randomToken, sha256 } from '../../platform/auth/tokens.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { users } from '../accounts/accounts.tables.ts';
import { apiTokens } from './cases.handling.tables.ts';
import { caseStates, outcomeCodes } from './cases.lifecycle.ts';
import { canManageBody } from './cases.policy.ts';
import { casePaths } from './cases.paths.ts';
import { ApiActionBody, InboxQuery, apiActions } from './cases.schema.ts';
import { CaseConflictError, CaseInputError, type CaseRow } from './cases.service.ts';
import { caseCategories } from './cases.tables.ts';
import type { CaseDeadlines } from './cases.clock.ts';

export const API_TOKEN_PREFIX = 'chb_';

export function createApiTokens(deps: { db: Database; audit: AuditLog; clock: Clock }) {
  const { db, audit, clock } = deps;
  return {
    async list(user: CurrentUser, bodyId: string) {
      if (!canManageBody(user, bodyId)) throw new NotFoundError();
      return db
        .get()
        .select({
          id: apiTokens.id,
          name: apiTokens.name,
          createdAt: apiTokens.createdAt,
          lastUsedAt: apiTokens.lastUsedAt,
          revokedAt: apiTokens.revokedAt,
          createdByName: users.displayName,
        })
        .from(apiTokens)
        .leftJoin(users, eq(users.id, apiTokens.createdBy))
        .where(eq(apiTokens.bodyId, bodyId))
        .orderBy(desc(apiTokens.createdAt));
    },
    /** Creates a token and returns it in clear, once; only its hash is kept. */
    async create(actor: Actor, user: CurrentUser, input: { bodyId: string; name: string }) {
      if (!canManageBody(user, input.bodyId)) throw new NotFoundError();
      const token = `${API_TOKEN_PREFIX}${randomToken(32)}`;
      await db.transaction(async () => {
        const [row] = await db
          .get()
          .insert(apiTokens)
          .values({
            bodyId: input.bodyId,
            name: input.name,
            tokenHash: sha256(token),
            createdBy: actor.userId,
          })
          .returning({ id: apiTokens.id });
        await audit.record(actor, {
          action: 'api_token.created',
          entityType: 'api_token',
          entityId: row!.id,
          details: { bodyId: input.bodyId, name: input.name },
        });
      });
      return token;
    },
    async revoke(actor: Actor, user: CurrentUser, tokenId: string) {
      if (!/^[0-9a-f-]{36}$/i.test(tokenId)) throw new NotFoundError();
      const [row] = await db.get().select().from(apiTokens).where(eq(apiTokens.id, tokenId));
      if (!row || !canManageBody(user, row.bodyId)) throw new NotFoundError();
      await db.transaction(async () => {
        await db.get().update(apiTokens).set({ revokedAt: clock.now() }).where(eq(apiTokens.id, tokenId));
        await audit.record(actor, {
          action: 'api_token.revoked',
          entityType: 'api_token',
          entityId: tokenId,
        });
      });
      return row.bodyId;
    },
    /** The token's body, or null for an unknown or revoked token. Records when it was last used. */
    async authenticate(header: string | undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
      if (!match || !match[1]!.startsWith(API_TOKEN_PREFIX)) return null;
      const [row] = await db
        .get()
        .select({ id: apiTokens.id, bodyId: apiTokens.bodyId })
        .from(apiTokens)
        .where(and(eq(apiTokens.tokenHash, sha256(match[1]!)), isNull(apiTokens.revokedAt)));
      if (!row) return null;
      await db.get().update(apiTokens).set({ lastUsedAt: clock.now() }).where(eq(apiTokens.id, row.id));
      return row;
    },
  };
}
export type ApiTokens = ReturnType<typeof createApiTokens>;

// ---- JSON schemas ------------------------------------------------------------------------------------------

const tags = ['Body casework'];
const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
const int = { type: 'integer' } as const;
const problem = {
  type: 'object',
  properties: { type: str, title: str, status: int, detail: str, instance: str },
};
const deadline = {
  type: ['object', 'null'],
  properties: {
    due: { ...nullableStr, format: 'date' },
    status: { type: ['string', 'null'], enum: ['on_track', 'due_soon', 'overdue', 'long_overdue', null] },
    workingDaysRemaining: int,
    workingDaysOverdue: int,
    pausedSince: { ...nullableStr, format: 'date' },
  },
};
const caseSummary = {
  type: 'object',
  required: ['reference', 'title', 'state', 'version', 'submittedAt'],
  properties: {
    reference: str,
    title: str,
    kind: str,
    state: { type: 'string', enum: [...caseStates] },
    outcome: { type: ['string', 'null'], enum: [...outcomeCodes, null] },
    category: { type: 'string', enum: [...caseCategories] },
    confidentiality: str,
    reporter: { ...str, description: 'How the reporter is shown to the body: never a person’s identity' },
    version: { ...int, description: 'Send it back as expectedVersion when acting on the case' },
    submittedAt: { type: 'string', format: 'date-time' },
    acknowledgedAt: nullableDateTime,
    respondedAt: nullableDateTime,
    closedAt: nullableDateTime,
    acknowledgeBy: deadline,
    respondBy: deadline,
  },
};
const caseDetail = {
  ...caseSummary,
  properties: {
    ...caseSummary.properties,
    whatHappened: str,
    impact: nullableStr,
    outcomeWanted: nullableStr,
    commitments: { type: 'array', items: { type: 'object', properties: { code: str, text: str } } },
    timeline: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          at: { type: 'string', format: 'date-time' },
          by: str,
          action: str,
          toState: nullableStr,
          text: nullableStr,
        },
      },
    },
    messages: {
      type: 'array',
      items: {
        type: 'object',
        properties: { from: str, body: str, at: { type: 'string', format: 'date-time' } },
      },
    },
  },
};
const security = [{ bearerAuth: [] }];
const errors = { 401: problem, 404: problem };

function deadlineJson(d: CaseDeadlines['acknowledge']) {
  if (!d) return null;
  return {
    due: d.due,
    status: d.status,
    workingDaysRemaining: d.workingDaysRemaining,
    workingDaysOverdue: d.workingDaysOverdue,
    pausedSince: d.paused?.since ?? null,
  };
}

const reporterText: Record<string, string> = {
  'cases.reporter.withheld': 'Identity withheld',
  'cases.reporter.theReporter': 'The reporter',
};

export function registerCasesApi(app: FastifyInstance, deps: Deps) {
  const { cases: service, apiTokens: tokens } = deps;

  /** Authenticates the bearer token; the synthetic user is an officer of the token's body only. */
  async function tokenUser(request: FastifyRequest, reply: FastifyReply) {
    const token = await tokens.authenticate(request.headers.authorization);
    if (!token) {
      await reply.code(401).type('application/problem+json').header('www-authenticate', 'Bearer').send({
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'Send a valid body API token as "Authorization: Bearer <token>".',
        instance: request.id,
      });
      return null;
    }
    const actor: Actor = { userId: null, requestId: request.id, ip: request.ip };
    return { token, actor };
  }

  async function findCase(bodyId: string, reference: string) {
    const row = await service.loadByReference(reference);
    if (!row || row.bodyId !== bodyId) throw new NotFoundError('No case with this reference for your body');
    return row;
  }

  async function summary(user: CurrentUser, row: CaseRow) {
    const [deadlines, reporter] = await Promise.all([
      service.deadlinesOf(row),
      service.reporterLabel(user, row),
    ]);
    return {
      reference: row.reference,
      title: row.title,
      kind: row.kind,
      state: row.state,
      outcome: row.outcome,
      category: row.category,
      confidentiality: row.confidentiality,
      reporter: reporter.name ?? reporterText[reporter.key] ?? 'The reporter',
      version: row.version,
      submittedAt: row.submittedAt,
      acknowledgedAt: row.acknowledgedAt,
      respondedAt: row.respondedAt,
      closedAt: row.closedAt,
      acknowledgeBy: deadlineJson(deadlines.acknowledge),
      respondBy: deadlineJson(deadlines.respond),
    };
  }

  const bodyUser = (bodyId: string, tokenId: string): CurrentUser => ({
    id: tokenId,
    email: '',
    displayName: 'API',
    locale: 'en',
    emailVerified: true,
    totpEnabled: true,
    memberships: [
      {
        organisationId: bodyId,
        organisationName: '',
        organisationSlug: '',
        organisationKind: 'public_body',
        role: 'body_officer',
      },
    ],
  });

  app.get(
    casePaths.apiCases.pattern,
    {
      schema: {
        tags,
        security,
        summary: "List your body's cases",
        querystring: {
          type: 'object',
          properties: {
            state: { type: 'string', enum: [...caseStates] },
            page: { type: 'integer', minimum: 1 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { data: { type: 'array', items: caseSummary }, page: int, pages: int, total: int },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const auth = await tokenUser(request, reply);
      if (!auth) return reply;
      const filters = InboxQuery.parse(request.query ?? {});
      const user = bodyUser(auth.token.bodyId, auth.token.id);
      const result = await service.inbox(
        user,
        { state: filters.state, page: filters.page },
        { exactCount: true },
      );
      const data = [];
      for (const r of result.rows) data.push(await summary(user, (await service.loadCase(r.id))!));
      return { data, page: result.page, pages: result.pages, total: result.total };
    },
  );

  app.get(
    casePaths.apiCase.pattern,
    {
      schema: {
        tags,
        security,
        summary: 'Read one case',
        params: { type: 'object', properties: { reference: str } },
        response: { 200: caseDetail, ...errors },
      },
    },
    async (request, reply) => {
      const auth = await tokenUser(request, reply);
      if (!auth) return reply;
      const row = await findCase(auth.token.bodyId, (request.params as { reference: string }).reference);
      const user = bodyUser(auth.token.bodyId, auth.token.id);
      const view = await service.staffView(user, row.id);
      return {
        ...(await summary(user, row)),
        whatHappened: row.whatHappened,
        impact: row.impact,
        outcomeWanted: row.outcomeWanted,
        commitments: view.commitments.map((c) => ({ code: c.code, text: c.text })),
        timeline: view.timeline.map((e) => ({
          at: e.at,
          by: e.actorPart,
          action: e.action,
          toState: e.toState,
          text: e.text,
        })),
        messages: view.messages.map((m) => ({ from: m.fromSide, body: m.body, at: m.createdAt })),
      };
    },
  );

  app.post(
    casePaths.apiCaseActions.pattern,
    {
      config: { csrf: false },
      schema: {
        tags,
        security,
        summary: 'Acknowledge, respond to, pause or resume a case',
        params: { type: 'object', properties: { reference: str } },
        body: {
          type: 'object',
          required: ['action', 'expectedVersion'],
          properties: {
            action: { type: 'string', enum: [...apiActions] },
            expectedVersion: int,
            text: {
              type: 'string',
              maxLength: 10000,
              description: 'The response, or the reason for a pause',
            },
          },
        },
        response: { 200: caseSummary, ...errors, 409: problem, 422: problem },
      },
    },
    async (request, reply) => {
      const auth = await tokenUser(request, reply);
      if (!auth) return reply;
      const body = ApiActionBody.parse(request.body);
      const row = await findCase(auth.token.bodyId, (request.params as { reference: string }).reference);
      try {
        const updated = await service.transition(
          auth.actor,
          null,
          row.id,
          body.action,
          { expectedVersion: body.expectedVersion, text: body.text },
          { parts: ['body'], apiTokenId: auth.token.id },
        );
        return summary(bodyUser(auth.token.bodyId, auth.token.id), updated);
      } catch (error) {
        if (error instanceof CaseConflictError || error instanceof CaseInputError) {
          return reply
            .code(error.statusCode)
            .type('application/problem+json')
            .send({
              type: 'about:blank',
              title: error instanceof CaseConflictError ? 'Conflict' : 'Unprocessable Content',
              status: error.statusCode,
              detail:
                error instanceof CaseConflictError
                  ? `The case changed since version ${body.expectedVersion}: it is now ${error.currentState}, version ${error.currentVersion}`
                  : request.t(error.message),
              instance: request.id,
            });
        }
        throw error;
      }
    },
  );
}
