/**
 * Read-only JSON API for public community events (`/api/v1/events`) and their iCalendar feed
 * (`/api/v1/events.ics`). The response schemas both serialise (only declared fields leave the server) and
 * document the routes in `/api/openapi.json`. Members-only events, joining links and who registered are
 * never exposed here.
 */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../container.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { communityPaths as p } from './communities.paths.ts';
import type { EventWithGroup } from './communities.repository.ts';
import { eventModes, eventStatuses } from './communities.tables.ts';

const str = { type: 'string' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

export const eventSchema = {
  type: 'object',
  required: ['id', 'title', 'group', 'mode', 'startsAt', 'endsAt', 'capacity', 'placesLeft', 'status', 'url'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    title: str,
    description: str,
    group: { type: 'object', properties: { name: str, slug: str } },
    mode: { type: 'string', enum: [...eventModes] },
    location: {
      ...str,
      description:
        'In person: the address. Online: what to expect (the link goes to registered people only).',
    },
    startsAt: dateTime,
    endsAt: dateTime,
    capacity: { type: 'integer' },
    placesLeft: { type: 'integer', description: 'When 0, registering joins the waiting list' },
    status: { type: 'string', enum: [...eventStatuses] },
    notesPublished: { type: 'boolean' },
    url: { ...str, description: 'The event’s page, where people register' },
    ics: { ...str, description: 'The event as an iCalendar (.ics) file' },
  },
} as const;

export function eventJson(e: EventWithGroup & { placesLeft: number }, baseUrl: string) {
  return {
    id: e.id,
    title: e.title,
    description: e.description,
    group: { name: e.groupName, slug: e.groupSlug },
    mode: e.mode,
    location: e.location,
    startsAt: e.startsAt.toISOString(),
    endsAt: e.endsAt.toISOString(),
    capacity: e.capacity,
    placesLeft: e.placesLeft,
    status: e.status,
    notesPublished: Boolean(e.notesPublishedAt),
    url: `${baseUrl}${p.event({ id: e.id })}`,
    ics: `${baseUrl}${p.eventIcs({ id: e.id })}`,
  };
}

export function registerCommunitiesApi(app: FastifyInstance, deps: Deps) {
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
        summary: 'Upcoming public events of the communities of practice',
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: eventSchema } } } },
      },
    },
    async () => ({
      items: (await deps.communities.publicEvents()).map((e) => eventJson(e, deps.config.BASE_URL)),
    }),
  );

  app.get(
    p.api.feed.pattern,
    {
      schema: {
        tags,
        summary: 'iCalendar (RFC 5545) feed of public events: upcoming, and the last 30 days',
        description: 'Subscribe to this address in a calendar app. Cancelled events carry STATUS:CANCELLED.',
        produces: ['text/calendar'],
        response: { 200: { description: 'A VCALENDAR', content: { 'text/calendar': { schema: str } } } },
      },
    },
    async (_request, reply) => {
      const ics = await deps.communities.feed(translator('en')('communities.feedName'));
      return reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'public, max-age=300')
        .send(ics);
    },
  );

  app.get<{ Params: { id: string } }>(
    p.api.one.pattern,
    {
      schema: {
        tags,
        summary: 'One public event (past or upcoming)',
        params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } },
        response: { 200: eventSchema, 404: problem },
      },
    },
    async (request) => eventJson(await deps.communities.publicEvent(request.params.id), deps.config.BASE_URL),
  );
}
