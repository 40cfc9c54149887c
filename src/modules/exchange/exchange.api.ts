/**
 * Read-only JSON API for open exchange opportunities (`/api/v1/opportunities`). The response schemas both
 * serialise (only declared fields leave the server) and document the routes in `/api/openapi.json`. No
 * applicant data is ever exposed here.
 */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../container.ts';
import { nations } from '../directory/directory.taxonomy.ts';
import { exchangePaths as p } from './exchange.paths.ts';
import type { OpportunityRow } from './exchange.repository.ts';
import { ListQuery } from './exchange.schema.ts';
import { displayStatus } from './exchange.service.ts';
import {
  clearanceLevels,
  durationUnits,
  opportunityKinds,
  skills,
  workModes,
} from './exchange.vocabulary.ts';

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const date = { type: 'string', format: 'date' } as const;
const strings = { type: 'array', items: str } as const;

export const opportunitySchema = {
  type: 'object',
  required: ['id', 'kind', 'title', 'host', 'workMode', 'startsOn', 'endsOn', 'closesOn', 'status', 'url'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    kind: { type: 'string', enum: [...opportunityKinds] },
    title: str,
    description: str,
    host: {
      type: 'object',
      properties: { name: str, slug: { ...str, description: 'Slug of the host in the directory' } },
    },
    skillsWanted: { type: 'array', items: { type: 'string', enum: [...skills] } },
    skillsOffered: { type: 'array', items: { type: 'string', enum: [...skills] } },
    tags: strings,
    workMode: { type: 'string', enum: [...workModes] },
    placeName: nullableStr,
    localAuthorityGss: nullableStr,
    region: nullableStr,
    nation: { type: ['string', 'null'], enum: [...nations, null] },
    startsOn: date,
    endsOn: date,
    duration: {
      type: 'object',
      properties: { value: { type: 'integer' }, unit: { type: 'string', enum: [...durationUnits] } },
    },
    clearance: { type: 'string', enum: [...clearanceLevels] },
    eligibility: {
      type: 'object',
      description: 'Empty lists mean anyone',
      properties: { sides: strings, sectors: strings, nations: strings },
    },
    closesOn: date,
    status: { type: 'string', enum: ['open', 'closed', 'filled', 'cancelled', 'expired'] },
    url: { ...str, description: 'The opportunity’s page, where people apply' },
  },
} as const;

export function opportunityJson(o: OpportunityRow, today: string, baseUrl: string) {
  return {
    id: o.id,
    kind: o.kind,
    title: o.title,
    description: o.description,
    host: { name: o.organisationName, slug: o.organisationSlug },
    skillsWanted: o.skillsWanted,
    skillsOffered: o.skillsOffered,
    tags: o.tags,
    workMode: o.workMode,
    placeName: o.placeName,
    localAuthorityGss: o.localAuthorityGss,
    region: o.region,
    nation: o.nation,
    startsOn: o.startsOn,
    endsOn: o.endsOn,
    duration: { value: o.durationValue, unit: o.durationUnit },
    clearance: o.clearance,
    eligibility: { sides: o.eligibleSides, sectors: o.eligibleSectors, nations: o.eligibleNations },
    closesOn: o.closesOn,
    status: displayStatus(o, today),
    url: `${baseUrl}${p.show({ id: o.id })}`,
  };
}

export function registerExchangeApi(app: FastifyInstance, deps: Deps) {
  const tags = ['Support'];
  const problem = {
    type: 'object',
    properties: { type: str, title: str, status: { type: 'integer' }, detail: str },
  };

  app.get(
    p.api.list.pattern,
    {
      schema: {
        tags,
        summary: 'Open secondments, shadowing placements and joint away days',
        querystring: {
          type: 'object',
          properties: {
            kind: { type: 'string', enum: [...opportunityKinds] },
            skill: { type: 'string', enum: [...skills] },
            nation: { type: 'string', enum: [...nations] },
            remote: { type: 'string', enum: ['yes'] },
          },
        },
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: opportunitySchema } } },
        },
      },
    },
    async (request) => {
      const rows = await deps.exchange.listOpen(ListQuery.parse(request.query ?? {}));
      const today = deps.exchange.today();
      return { items: rows.map((o) => opportunityJson(o, today, deps.config.BASE_URL)) };
    },
  );

  app.get<{ Params: { id: string } }>(
    p.api.one.pattern,
    {
      schema: {
        tags,
        summary: 'One exchange opportunity (open or not)',
        params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } },
        response: { 200: opportunitySchema, 404: problem },
      },
    },
    async (request) => {
      const o = await deps.exchange.opportunity(request.params.id);
      return opportunityJson(o, deps.exchange.today(), deps.config.BASE_URL);
    },
  );
}
