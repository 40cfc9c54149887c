/**
 * The service navigation: each module offers items with a rule for who sees them, so the header shows only
 * what the signed-in person's roles allow.
 */
import type { FastifyRequest } from 'fastify';
import type { CurrentUser } from '../auth/roles.ts';

export interface NavItem {
  /** Catalogue key of the link text. */
  textKey: string;
  href: string;
  visible: (user: CurrentUser | null) => boolean;
  /** Path prefixes that mark this item as the current section. */
  activeFor?: string[];
}

/** One link of the header's navigation, as the template needs it. */
export interface NavLink {
  href: string;
  text: string;
  active: boolean;
  current: boolean;
}

export function buildNavigation(items: NavItem[], request: FastifyRequest): NavLink[] {
  const path = request.url.split('?')[0] ?? '/';
  return items
    .filter((item) => item.visible(request.currentUser))
    .map((item) => {
      const prefixes = item.activeFor ?? [item.href];
      const active = prefixes.some((p) =>
        p === '/' ? path === '/' : path === p || path.startsWith(`${p}/`),
      );
      return { href: item.href, text: request.t(item.textKey), active, current: path === item.href };
    });
}
