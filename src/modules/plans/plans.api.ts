/**
 * Read-only JSON API for published engagement action plans. Drafts and plans awaiting sign-off are never
 * served here (they are "not found"), whoever asks. Response schemas feed `/api/openapi.json`.
 */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../container.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { planPaths as p } from './plans.paths.ts';
import { actionStatuses, planStatuses } from './plans.tables.ts';

const str = { type: 'string' } as const;
const date = { type: 'string', format: 'date' } as const;
const nullableNumber = { type: ['number', 'null'] } as const;
const problem = {
  type: 'object',
  properties: { type: str, title: str, status: { type: 'integer' }, detail: str },
};

const total = {
  type: 'object',
  required: ['total', 'reason'],
  properties: {
    total: {
      ...nullableNumber,
      description: 'Weighted per cent complete, 0–100; null when no action counts',
    },
    reason: { type: ['string', 'null'], enum: ['no_actions', 'all_dropped', 'zero_weight', null] },
  },
};

const planSummary = {
  type: 'object',
  required: ['id', 'title', 'startsOn', 'endsOn', 'status', 'total'],
  properties: {
    id: str,
    title: str,
    startsOn: date,
    endsOn: date,
    status: { type: 'string', enum: [...planStatuses] },
    publishedAt: { type: ['string', 'null'], format: 'date-time' },
    total,
    overdueActions: { type: 'integer' },
  },
};

const action = {
  type: 'object',
  required: ['ref', 'title', 'commitment', 'owner', 'dueOn', 'status', 'weight', 'overdue'],
  properties: {
    ref: str,
    title: str,
    description: { type: ['string', 'null'] },
    commitment: { ...str, description: 'Code of the Covenant commitment' },
    owner: str,
    dueOn: date,
    status: { type: 'string', enum: [...actionStatuses] },
    progress: { ...nullableNumber, description: 'Per cent complete; null when dropped' },
    progressOverridden: { type: 'boolean' },
    weight: { type: 'integer' },
    overdue: { type: 'boolean', description: 'Due date passed and not done or dropped, as of today' },
    milestones: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          title: str,
          dueOn: date,
          completedOn: { type: ['string', 'null'], format: 'date' },
          overdue: { type: 'boolean' },
        },
      },
    },
    evidence: { type: 'array', items: { type: 'object', properties: { title: str, url: str } } },
  },
};

export function registerPlansApi(app: FastifyInstance, deps: Deps) {
  const tags = ['Action plans'];

  app.get<{ Params: { planId: string } }>(
    p.api.plan.pattern,
    {
      schema: {
        tags,
        summary: 'A published engagement action plan with its actions, progress and quarterly history',
        params: {
          type: 'object',
          properties: { planId: { type: 'string', format: 'uuid' } },
          required: ['planId'],
        },
        response: {
          200: {
            type: 'object',
            properties: {
              body: { type: 'object', properties: { slug: str, name: str } },
              plan: planSummary,
              actions: { type: 'array', items: action },
              updates: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    quarter: str,
                    totalProgress: nullableNumber,
                    createdAt: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
          },
          404: problem,
        },
      },
    },
    async (request) => {
      const page = await deps.plans.planView(null, request.params.planId);
      return {
        body: { slug: page.body.slug, name: page.body.name },
        plan: { ...page.plan, total: page.total, overdueActions: page.overdueActions },
        actions: page.actions.map((a) => ({
          ...a,
          commitment: a.commitmentCode,
          progressOverridden: a.progressOverride !== null && a.progress === a.progressOverride,
        })),
        updates: page.updates,
      };
    },
  );

  app.get<{ Params: { slug: string } }>(
    p.api.bodyPlans.pattern,
    {
      schema: {
        tags,
        summary: 'The published engagement action plans of a public body, newest first',
        params: { type: 'object', properties: { slug: str }, required: ['slug'] },
        response: {
          200: { type: 'object', properties: { plans: { type: 'array', items: planSummary } } },
          404: problem,
        },
      },
    },
    async (request) => {
      const body = await deps.plansRepository.findBodyBySlug(request.params.slug);
      if (!body || body.kind !== 'public_body') throw new NotFoundError('No such body');
      const plans = await deps.plans.publishedPlansOfBody(body.id);
      return { plans: plans.map((x) => ({ ...x.plan, total: x.total, overdueActions: x.overdueActions })) };
    },
  );
}
