/**
 * Typed URL builders. One definition serves the route pattern (`pattern`), redirects and templates
 * (`build(params)`) and browser tests, so no URL is ever put together by hand.
 */
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

export type PathParams<P extends string> = { [K in ParamNames<P>]: string };

export interface PathBuilder<P extends string> {
  readonly pattern: P;
  (
    ...args: ParamNames<P> extends never
      ? [query?: Record<string, string | undefined>]
      : [params: PathParams<P>, query?: Record<string, string | undefined>]
  ): string;
}

export function definePath<P extends string>(pattern: P): PathBuilder<P> {
  const build = (...args: unknown[]) => {
    const hasParams = pattern.includes(':');
    const params = (hasParams ? args[0] : {}) as Record<string, string>;
    const query = (hasParams ? args[1] : args[0]) as Record<string, string | undefined> | undefined;
    const path = pattern.replace(/:(\w+)/g, (_, name: string) => {
      const value = params[name];
      if (value === undefined) throw new Error(`Missing path parameter ${name} for ${pattern}`);
      return encodeURIComponent(value);
    });
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') search.set(k, v);
    const qs = search.toString();
    return qs ? `${path}?${qs}` : path;
  };
  return Object.assign(build, { pattern }) as unknown as PathBuilder<P>;
}

/** Only same-site relative paths are accepted as a place to return to after signing in (no open redirects). */
export function safeReturnPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string') return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (/[\r\n]/.test(value)) return fallback;
  return value;
}
