/**
 * Read-only JSON API for the directory (`/api/v1/bodies`, `/api/v1/organisations`). Each route declares its
 * response schema, which both serialises the response (only declared fields leave the server) and feeds
 * `/api/openapi.json`. The list endpoints take the search page's parameters.
 */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../container.ts';
import { BadRequestError } from '../../platform/http/errors.ts';
import { directoryPaths as p } from './directory.paths.ts';
import type { IdentifierRow, OrganisationRow } from './directory.repository.ts';
import { SearchQuery } from './directory.schema.ts';
import { identifierSchemes } from './directory.identifiers.ts';
import {
  areasOfWork,
  bodyStatuses,
  incomeBands,
  leadRoles,
  nations,
  publicBodyTypes,
} from './directory.taxonomy.ts';

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const int = { type: 'integer' } as const;
const bool = { type: 'boolean' } as const;
const nullableEnum = (values: readonly string[]) => ({ type: ['string', 'null'], enum: [...values, null] });
const problem = {
  type: 'object',
  properties: { type: str, title: str, status: int, detail: str, instance: str },
};
const page = {
  type: 'object',
  required: ['page', 'pageSize', 'total', 'totalCapped'],
  properties: {
    page: int,
    pageSize: int,
    total: { ...int, description: 'Number of matches, counted up to 1,000' },
    totalCapped: { ...bool, description: 'True when more than `total` organisations match' },
  },
};

const lead = {
  type: 'object',
  required: ['role', 'name', 'roleTitle', 'needsConfirming'],
  properties: {
    role: { type: 'string', enum: [...leadRoles] },
    name: str,
    roleTitle: str,
    contactEmail: { ...nullableStr, description: 'Public contact route: an email address' },
    contactUrl: { ...nullableStr, description: 'Public contact route: a web address' },
    confirmedAt: { type: ['string', 'null'], format: 'date-time' },
    needsConfirming: {
      ...bool,
      description: 'Never confirmed, or last confirmed six months ago or more',
    },
  },
};
const body = {
  type: 'object',
  required: ['slug', 'name', 'status'],
  properties: {
    slug: str,
    name: str,
    type: nullableEnum(publicBodyTypes),
    govukType: nullableStr,
    nation: nullableEnum(nations),
    region: nullableStr,
    govukSlug: { ...nullableStr, description: 'Slug of the body on GOV.UK' },
    gssCode: { ...nullableStr, description: 'ONS GSS code of a council or combined authority' },
    odsCode: { ...nullableStr, description: 'NHS Organisation Data Service code' },
    parent: { ...nullableStr, description: 'Slug of the parent body in the directory' },
    status: { type: 'string', enum: [...bodyStatuses] },
  },
};
const identifier = {
  type: 'object',
  required: ['scheme', 'value', 'orgId'],
  properties: {
    scheme: { type: 'string', enum: [...identifierSchemes] },
    value: str,
    orgId: { ...str, description: 'org-id.guide identifier, e.g. GB-CHC-1089464' },
  },
};
const organisation = {
  type: 'object',
  required: ['slug', 'name', 'kind', 'areasOfWork'],
  properties: {
    slug: str,
    name: str,
    kind: { type: 'string', enum: ['cso', 'infrastructure'] },
    incomeBand: nullableEnum(incomeBands),
    nation: nullableEnum(nations),
    region: nullableStr,
    localAuthorityGss: nullableStr,
    areasOfWork: { type: 'array', items: { type: 'string', enum: [...areasOfWork] } },
    identifiers: { type: 'array', items: identifier },
  },
};
const listQuery = {
  type: 'object',
  properties: {
    q: { ...str, description: 'Words in the name, or a code (GOV.UK slug, GSS, ODS)' },
    nation: { type: 'string', enum: [...nations] },
    region: str,
    page: { type: 'integer', minimum: 1, maximum: 1000 },
  },
};

function bodyJson(b: OrganisationRow, parentSlug: string | null) {
  return { ...b, type: b.publicBodyType, parent: parentSlug };
}
function organisationJson(o: OrganisationRow, identifiers: IdentifierRow[]) {
  return { ...o, identifiers };
}

function parseQuery(query: unknown): SearchQuery {
  const parsed = SearchQuery.safeParse(query);
  if (!parsed.success) throw new BadRequestError('Check the query parameters');
  return parsed.data;
}

export function registerDirectoryApi(app: FastifyInstance, deps: Deps) {
  const directory = deps.directory;
  const tags = ['Directory'];

  app.get(
    p.api.bodies.pattern,
    {
      schema: {
        tags,
        summary: 'Public bodies: departments, agencies, councils, combined authorities, NHS bodies',
        querystring: {
          ...listQuery,
          properties: { ...listQuery.properties, type: { type: 'string', enum: [...publicBodyTypes] } },
        },
        response: {
          200: { type: 'object', properties: { ...page.properties, data: { type: 'array', items: body } } },
          400: problem,
        },
      },
    },
    async (request) => {
      const { bodies, ...result } = await directory.listBodies(parseQuery(request.query));
      return { ...result, data: bodies.map((b) => bodyJson(b.body, b.parentSlug)) };
    },
  );

  app.get<{ Params: { slug: string } }>(
    p.api.body.pattern,
    {
      schema: {
        tags,
        summary: 'One public body with its accountable leads',
        response: {
          200: {
            type: 'object',
            properties: {
              data: { ...body, properties: { ...body.properties, leads: { type: 'array', items: lead } } },
            },
          },
          404: problem,
        },
      },
    },
    async (request) => {
      const found = await directory.bodyPage(request.params.slug);
      return { data: { ...bodyJson(found.body, found.parent?.slug ?? null), leads: found.leads } };
    },
  );

  app.get<{ Params: { slug: string } }>(
    p.api.bodyLeads.pattern,
    {
      schema: {
        tags,
        summary: 'The accountable leads of a public body, with their public contact routes',
        response: {
          200: {
            type: 'object',
            properties: { data: { type: 'array', items: lead }, needsConfirming: bool },
          },
          404: problem,
        },
      },
    },
    async (request) => {
      const found = await directory.bodyPage(request.params.slug);
      return { data: found.leads, needsConfirming: found.leadsNeedConfirming };
    },
  );

  app.get(
    p.api.organisations.pattern,
    {
      schema: {
        tags,
        summary: 'Civil society organisations, with registered numbers and org-ids',
        querystring: {
          ...listQuery,
          properties: {
            ...listQuery.properties,
            income: { type: 'string', enum: [...incomeBands] },
            area: { type: 'string', enum: [...areasOfWork] },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { ...page.properties, data: { type: 'array', items: organisation } },
          },
          400: problem,
        },
      },
    },
    async (request) => {
      const { organisations, ...result } = await directory.listOrganisations(parseQuery(request.query));
      return { ...result, data: organisations.map((o) => organisationJson(o.organisation, o.identifiers)) };
    },
  );

  app.get<{ Params: { slug: string } }>(
    p.api.organisation.pattern,
    {
      schema: {
        tags,
        summary: 'One civil society organisation',
        response: { 200: { type: 'object', properties: { data: organisation } }, 404: problem },
      },
    },
    async (request) => {
      const found = await directory.organisationPage(request.params.slug);
      return { data: organisationJson(found.organisation, found.identifiers) };
    },
  );
}
