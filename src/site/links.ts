/**
 * Base-path aware links. The site is built for one base path (BASE_PATH at build time,
 * e.g. `/training/socket-activation/`); every internal link goes through these helpers.
 */

/** Returns `base` in its canonical form: leading and trailing slash (`/`, `/training/socket-activation/`). */
export function normalizeBase(base: string | undefined): string {
  const trimmed = (base ?? '').trim().replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '/' : `/${trimmed}/`;
}

/** True for a link that is root-relative (`/lessons/x/`), not protocol-relative (`//host`) or external. */
export function isRootRelative(href: string): boolean {
  return href.startsWith('/') && !href.startsWith('//');
}

/** Prefixes a root-relative `href` with `base`; leaves external, relative, hash and already-prefixed links alone. */
export function withBase(base: string, href: string): string {
  const normalized = normalizeBase(base);
  if (!isRootRelative(href) || normalized === '/') return href;
  if (href === normalized.slice(0, -1) || href.startsWith(normalized)) return href;
  return normalized + href.slice(1);
}

/** Removes `base` from the front of a pathname, giving the root-relative path the site was authored with. */
export function stripBase(base: string, pathname: string): string {
  const normalized = normalizeBase(base);
  if (normalized === '/') return pathname;
  if (pathname === normalized.slice(0, -1)) return '/';
  return pathname.startsWith(normalized) ? `/${pathname.slice(normalized.length)}` : pathname;
}
