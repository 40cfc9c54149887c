/**
 * One place for errors: GOV.UK-styled pages for people, problem JSON (RFC 9457) for the API. No stack trace
 * or internal message ever reaches a response outside development; logs get the error with the request id.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../container.ts';
import { HttpError, isDatabaseUnavailable } from './errors.ts';

const statusTitles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
const pageStatuses = new Set([400, 403, 404, 413, 422, 429, 500, 503]);

function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || (request.headers.accept ?? '').startsWith('application/json');
}

export async function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  messageKey?: string,
  detail?: string,
) {
  if (status === 503) reply.header('Retry-After', '30');
  if (wantsJson(request)) {
    return reply
      .code(status)
      .type('application/problem+json')
      .send({
        type: 'about:blank',
        title: statusTitles[status] ?? 'Error',
        status,
        detail,
        instance: request.id,
      });
  }
  const pageStatus = pageStatuses.has(status) ? status : status >= 500 ? 500 : 400;
  return reply.code(status).type('text/html; charset=utf-8').view('errors/error.njk', {
    status: pageStatus,
    messageKey,
  });
}

export function registerErrorHandling(app: FastifyInstance, _deps: Deps) {
  app.setNotFoundHandler((request, reply) => sendError(request, reply, 404));

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (isDatabaseUnavailable(error)) {
      request.log.error({ err: { name: error.name, code: error.code } }, 'database unavailable');
      return sendError(request, reply, 503);
    }
    if (error instanceof HttpError) {
      if (error.statusCode >= 500) request.log.error({ err: error }, error.message);
      return sendError(request, reply, error.statusCode, error.messageKey, error.message);
    }
    if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') {
      request.log.warn({ code: error.code }, 'csrf rejected');
      return sendError(request, reply, 403, 'errors.403.csrf', 'Invalid or missing CSRF token');
    }
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'unhandled error');
    else request.log.info({ code: error.code, status }, error.message);
    // Client errors from Fastify (bad JSON, too large, bad content type) say what went wrong in the API;
    // pages only get the friendly text.
    return sendError(request, reply, status, undefined, status < 500 ? error.message : undefined);
  });
}
