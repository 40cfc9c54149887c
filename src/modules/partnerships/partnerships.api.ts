/**
 * Read-only JSON API for local covenant partnerships (`/api/v1/partnerships`): the public facts of each
 * partnership (area, local covenant, forum, partners, officers' public contact, actions) and its rolled-up
 * counts, with cases suppressed as on the national page. Officers' accounts are never exposed.
 */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../container.ts';
import { covenantPaths } from '../covenant/covenant.paths.ts';
import { partnershipPaths as p } from './partnerships.paths.ts';
import { partnershipActionStatuses } from './partnerships.tables.ts';

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const nullableInt = { type: ['integer', 'null'] } as const;

const summarySchema = {
  type: 'object',
  required: ['slug', 'name', 'area', 'url'],
  properties: {
    slug: str,
    name: str,
    summary: str,
    area: {
      type: 'object',
      properties: { slug: str, name: str, nation: nullableStr, region: nullableStr, gssCode: nullableStr },
    },
    localCovenant: { type: ['object', 'null'], properties: { slug: str, title: str, url: str } },
    forum: { type: 'object', properties: { name: str, url: nullableStr } },
    counts: {
      type: 'object',
      properties: {
        partners: { type: 'integer' },
        officers: { type: 'integer' },
        actions: { type: 'integer' },
        actionsDone: { type: 'integer' },
        actionsOverdue: { type: 'integer' },
        casesInArea: {
          ...nullableInt,
          description:
            'Problems reported about the area’s bodies; null when suppressed (fewer than 5, or withheld)',
        },
        plansPublished: { type: 'integer' },
      },
    },
    url: str,
  },
} as const;

const detailSchema = {
  ...summarySchema,
  properties: {
    ...summarySchema.properties,
    partners: { type: 'array', items: { type: 'object', properties: { name: str, slug: str, role: str } } },
    officers: {
      type: 'array',
      items: { type: 'object', properties: { name: str, roleTitle: str, contact: str } },
    },
    actions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          title: str,
          owner: str,
          dueOn: nullableStr,
          status: { type: 'string', enum: [...partnershipActionStatuses] },
          overdue: { type: 'boolean' },
        },
      },
    },
  },
} as const;

export function registerPartnershipsApi(app: FastifyInstance, deps: Deps) {
  const tags = ['Support'];
  const base = deps.config.BASE_URL;
  const problem = {
    type: 'object',
    properties: { type: str, title: str, status: { type: 'integer' }, detail: str },
  };

  async function summaries() {
    const [list, { rollUp, cases }] = await Promise.all([
      deps.partnerships.list(),
      deps.partnerships.national(),
    ]);
    return list.map((x) => {
      const row = rollUp.rows.find((r) => r.id === x.id)!;
      return {
        slug: x.slug,
        name: x.name,
        summary: x.summary,
        area: x.area,
        localCovenant: x.subCovenant
          ? { ...x.subCovenant, url: `${base}${covenantPaths.subCovenant({ slug: x.subCovenant.slug })}` }
          : null,
        forum: { name: x.forumName, url: x.forumUrl },
        counts: {
          partners: row.partners,
          officers: row.officers,
          actions: row.actions,
          actionsDone: row.actionsDone,
          actionsOverdue: row.actionsOverdue,
          casesInArea: cases.byPartnership.get(x.id)?.count ?? null,
          plansPublished: row.plansPublished,
        },
        url: `${base}${p.show({ slug: x.slug })}`,
      };
    });
  }

  app.get(
    p.api.list.pattern,
    {
      schema: {
        tags,
        summary: 'Local covenant partnerships with their rolled-up counts',
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: summarySchema } } } },
      },
    },
    async () => ({ items: await summaries() }),
  );

  app.get<{ Params: { slug: string } }>(
    p.api.one.pattern,
    {
      schema: {
        tags,
        summary: 'One local covenant partnership: partners, officers’ public contact and actions',
        params: { type: 'object', properties: { slug: str } },
        response: { 200: detailSchema, 404: problem },
      },
    },
    async (request) => {
      const page = await deps.partnerships.page(null, request.params.slug);
      const summary = (await summaries()).find((s) => s.slug === page.partnership.slug)!;
      return {
        ...summary,
        partners: page.partners.map((x) => ({ name: x.name, slug: x.slug, role: x.role })),
        officers: page.officers.map((o) => ({ name: o.name, roleTitle: o.roleTitle, contact: o.contact })),
        actions: page.actions.map((a) => ({
          title: a.title,
          owner: a.owner,
          dueOn: a.dueOn,
          status: a.status,
          overdue: a.overdue,
        })),
      };
    },
  );
}
