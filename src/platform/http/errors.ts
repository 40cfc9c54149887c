/**
 * Named HTTP errors, handled in one place (error-handler.ts): HTML requests get a GOV.UK-styled page, API
 * requests get problem JSON (RFC 9457). Messages are catalogue keys, never raw internal text.
 */
export class HttpError extends Error {
  override name = 'HttpError';
  readonly statusCode: number;
  /** Catalogue key for the page body, when it differs from the status's default. */
  readonly messageKey?: string;
  constructor(statusCode: number, message: string, messageKey?: string) {
    super(message);
    this.statusCode = statusCode;
    this.messageKey = messageKey;
  }
}

export class BadRequestError extends HttpError {
  override name = 'BadRequestError';
  constructor(message = 'Bad request') {
    super(400, message);
  }
}

export class NotFoundError extends HttpError {
  override name = 'NotFoundError';
  constructor(message = 'Not found') {
    super(404, message);
  }
}

export class ForbiddenError extends HttpError {
  override name = 'ForbiddenError';
  constructor(message = 'Forbidden', messageKey?: string) {
    super(403, message, messageKey);
  }
}

export class UnauthorisedError extends HttpError {
  override name = 'UnauthorisedError';
  constructor(message = 'Sign in required') {
    super(401, message);
  }
}

export class ConflictError extends HttpError {
  override name = 'ConflictError';
  constructor(message = 'Conflict') {
    super(409, message);
  }
}

export class ServiceUnavailableError extends HttpError {
  override name = 'ServiceUnavailableError';
  constructor(message = 'Service unavailable') {
    super(503, message);
  }
}

/** PostgreSQL and network error codes that mean "the database is not there", not "the query is wrong". */
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000', // connection_exception
  '08003',
  '08006',
  '53300', // too_many_connections
]);

/** True when an error (or its cause) shows the database is unreachable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: string; message?: string; cause?: unknown };
    if (e.code && unavailableCodes.has(e.code)) return true;
    if (
      typeof e.message === 'string' &&
      /Connection terminated|PGlite is closed|connect ECONNREFUSED|Cannot use a pool after calling end/i.test(
        e.message,
      )
    )
      return true;
    current = e.cause;
  }
  return false;
}

/**
 * A rule broken by input that passed validation (a code already in use, a date after the closing date): the
 * route shows the catalogue message `messageKey` (with `params`) against the form field `field`, with status
 * 422. Each module names its own subclass, so its routes catch only their own service's rules.
 */
export class FieldRuleError extends Error {
  override name = 'FieldRuleError';
  readonly field: string;
  readonly messageKey: string;
  readonly params: Record<string, string | number>;
  constructor(field: string, messageKey: string, params: Record<string, string | number> = {}) {
    super(messageKey);
    this.field = field;
    this.messageKey = messageKey;
    this.params = params;
  }
}
