/**
 * Reads the hosting headers file (public/_headers, Netlify / Cloudflare Pages format) and answers
 * which headers a URL path gets. The dev server, the preview server and the browser tests all use
 * this, so public/_headers is the one source of truth for COOP/COEP and the Content-Security-Policy.
 */
import { normalizeBase } from './links.ts';

/** One block of the file: a path pattern and the headers sent for paths that match it. */
export interface HeaderRule {
  pattern: string;
  headers: [name: string, value: string][];
}

/** Parses `_headers` text: an unindented line is a path pattern, indented `Name: value` lines are its headers. */
export function parseHeadersFile(text: string): HeaderRule[] {
  const rules: HeaderRule[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    if (!/^\s/.test(line)) {
      rules.push({ pattern: line.trim(), headers: [] });
      return;
    }
    const rule = rules.at(-1);
    const colon = line.indexOf(':');
    if (!rule || colon === -1) {
      throw new Error(
        `_headers line ${index + 1}: expected an indented "Name: value" under a path line, got "${line.trim()}".`,
      );
    }
    rule.headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  });
  return rules;
}

/** Prefixes every rule's pattern with `base`, for a site deployed under a sub-path. */
export function rebaseRules(rules: readonly HeaderRule[], base: string): HeaderRule[] {
  const prefix = normalizeBase(base).slice(0, -1);
  return rules.map((rule) => ({ ...rule, pattern: prefix + rule.pattern }));
}

/** Serializes rules back to `_headers` text (used to write dist/_headers for a sub-path build). */
export function serializeHeaders(rules: readonly HeaderRule[], preamble = ''): string {
  const blocks = rules.map(
    (rule) => `${rule.pattern}\n${rule.headers.map(([name, value]) => `  ${name}: ${value}`).join('\n')}`,
  );
  return `${preamble}${blocks.join('\n\n')}\n`;
}

/** True when `pathname` matches `pattern` (`*` matches anything, `:name` one segment; `/x/` also matches `/x/index.html`). */
export function matchesPattern(pattern: string, pathname: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z]\w*/g, '[^/]+'))
    .join('.*');
  const regex = new RegExp(`^${source}$`);
  const candidates = [pathname];
  if (pathname.endsWith('/index.html')) candidates.push(pathname.slice(0, -'index.html'.length));
  else if (pathname.endsWith('.html')) candidates.push(pathname.slice(0, -'.html'.length) + '/');
  else if (!pathname.endsWith('/')) candidates.push(`${pathname}/`);
  return candidates.some((candidate) => regex.test(candidate));
}

/** The headers for `pathname`: every matching rule applies, in file order; a repeated header is joined with ", " as hosts do. */
export function headersForPath(rules: readonly HeaderRule[], pathname: string): Map<string, string> {
  const result = new Map<string, string>();
  const names = new Map<string, string>();
  for (const rule of rules) {
    if (!matchesPattern(rule.pattern, pathname)) continue;
    for (const [name, value] of rule.headers) {
      const key = name.toLowerCase();
      const previous = result.get(key);
      result.set(key, previous === undefined ? value : `${previous}, ${value}`);
      names.set(key, name);
    }
  }
  return new Map([...result].map(([key, value]) => [names.get(key) ?? key, value]));
}

/**
 * Adds 'unsafe-inline' to a CSP's style-src (if not there). Only the dev server uses this: Vite injects
 * CSS as <style> elements while you edit, which the production policy rightly blocks.
 */
export function allowInlineStylesForDev(policy: string): string {
  return policy
    .split(';')
    .map((directive) => {
      const trimmed = directive.trim();
      return trimmed.startsWith('style-src ') && !trimmed.includes("'unsafe-inline'")
        ? ` ${trimmed} 'unsafe-inline'`
        : directive;
    })
    .join(';');
}
