/**
 * What every request carries: language, translator, the signed-in person (or a pending second-factor
 * session), and the actor used for audit rows. Declared on Fastify's types so routes read them typed.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../audit/audit.ts';
import type { CurrentUser } from '../auth/roles.ts';
import type { SessionState } from '../auth/sessions.ts';
import type { Locale, Translate } from '../i18n/i18n.ts';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    t: Translate;
    session: SessionState;
    /** The signed-in person with every factor proven, or null. */
    currentUser: CurrentUser | null;
  }
  interface FastifyReply {
    /** Values every template on this request can read (set by @fastify/view's `locals` decorator). */
    locals: Record<string, unknown>;
    /** Shows a success banner on the next page this browser loads. */
    flash(message: string): void;
  }
}

export const SESSION_COOKIE = 'covenant_session';
export const FLASH_COOKIE = 'covenant_flash';
export const LANG_COOKIE = 'covenant_lang';

export function actorOf(request: FastifyRequest): Actor {
  return { userId: request.currentUser?.id ?? null, requestId: request.id, ip: request.ip };
}

/** The signed-in person; routes behind requireSignIn can rely on it. */
export function userOf(request: FastifyRequest): CurrentUser {
  if (!request.currentUser) throw new Error('userOf() used on a route without requireSignIn');
  return request.currentUser;
}

export type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
