/**
 * A browser-like client for route tests: keeps cookies, follows nothing by itself, and submits forms with
 * the CSRF token read from the page, as a browser would.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export class Agent {
  readonly cookies = new Map<string, string>();
  readonly app: FastifyInstance;
  constructor(app: FastifyInstance) {
    this.app = app;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private store(response: LightMyRequestResponse) {
    for (const c of response.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      const expired = (c.expires && c.expires.getTime() <= Date.now()) || c.maxAge === 0 || c.value === '';
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  async request(
    method: 'GET' | 'POST',
    url: string,
    options: { form?: Record<string, string | string[]>; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = {
      cookie: this.cookieHeader(),
      accept: 'text/html',
      ...options.headers,
    };
    let payload: string | undefined;
    if (options.form) {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(options.form)) for (const item of [v].flat()) body.append(k, item);
      payload = body.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const response = await this.app.inject({ method, url, headers, payload });
    this.store(response);
    return response;
  }

  get(url: string, headers?: Record<string, string>) {
    return this.request('GET', url, { headers });
  }

  /** Loads `pageUrl`, reads its CSRF token, and posts the form to `action` (default: the same URL). */
  async submit(pageUrl: string, form: Record<string, string | string[]>, action?: string) {
    const page = await this.get(pageUrl);
    const token = csrfTokenIn(page.body);
    return this.request('POST', action ?? pageUrl, { form: { _csrf: token, ...form } });
  }

  /** Posts with a token taken from any page (for forms whose page needs no reload). */
  async post(url: string, form: Record<string, string | string[]>, tokenFrom = '/') {
    return this.submit(tokenFrom, form, url);
  }
}

export function csrfTokenIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('No CSRF token on the page');
  return match[1]!;
}
