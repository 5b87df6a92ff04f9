/**
 * Hast plugins for Astro's Markdown processor (Sätteri, the Astro 7 default), added to every
 * lesson by the course integration (src/site/integration.ts):
 * - heading anchors: every h2–h6 gets an id and a "#" link people can copy into a wiki;
 * - base links: root-relative links written in MDX (`[next](/lessons/fd-inheritance/)`) get the base path;
 * - scrollable tables: a table scrolls sideways on a narrow screen (global.css), so it takes keyboard focus.
 */
import GithubSlugger from 'github-slugger';
import type { Element, ElementContent } from 'hast';
import { withBase } from './links.ts';

/** The part of Sätteri's visitor context these plugins use. */
interface HastContext {
  textContent(node: Readonly<Element>): string;
  setProperty(node: Readonly<Element>, key: string, value: unknown): void;
  wrapNode(node: Readonly<Element>, parent: Element): void;
}

/** A Sätteri hast plugin with one filtered element visitor. */
export interface ElementPlugin {
  name: string;
  element: { filter: string[]; visit(node: Readonly<Element>, ctx: HastContext): void };
}

/** Builds the anchor link placed after a heading: visible "#", screen-reader text naming the section. */
export function headingAnchor(id: string, text: string): Element {
  const children: ElementContent[] = [
    { type: 'element', tagName: 'span', properties: { ariaHidden: 'true' }, children: [{ type: 'text', value: '#' }] },
    {
      type: 'element',
      tagName: 'span',
      properties: { className: ['sr-only'] },
      children: [{ type: 'text', value: `Section titled “${text}”` }],
    },
  ];
  return {
    type: 'element',
    tagName: 'a',
    properties: { className: ['heading-anchor'], href: `#${id}`, dataPagefindIgnore: '' },
    children,
  };
}

/** Gives h2–h6 a slug id (kept if already set) and wraps each in `div.heading-wrapper` with an anchor link. */
export function headingAnchorsPlugin(): ElementPlugin {
  const slugger = new GithubSlugger();
  return {
    name: 'course-heading-anchors',
    element: {
      filter: ['h2', 'h3', 'h4', 'h5', 'h6'],
      visit(node, ctx) {
        const text = ctx.textContent(node).trim();
        const existing = node.properties?.id;
        const id = typeof existing === 'string' && existing !== '' ? existing : slugger.slug(text);
        if (id !== existing) ctx.setProperty(node, 'id', id);
        ctx.wrapNode(node, {
          type: 'element',
          tagName: 'div',
          properties: { className: ['heading-wrapper', `level-${node.tagName}`] },
          children: [headingAnchor(id, text)],
        });
      },
    },
  };
}

/** Prefixes root-relative `a[href]` and `img[src]` with the site's base path. */
export function baseLinksPlugin(base: string): ElementPlugin {
  return {
    name: 'course-base-links',
    element: {
      filter: ['a', 'img'],
      visit(node, ctx) {
        const key = node.tagName === 'a' ? 'href' : 'src';
        const value = node.properties?.[key];
        if (typeof value !== 'string') return;
        const rebased = withBase(base, value);
        if (rebased !== value) ctx.setProperty(node, key, rebased);
      },
    },
  };
}

/**
 * Makes every table keyboard-focusable: `.prose table` scrolls sideways when it is wider than the column
 * (global.css), and a scrolling region a keyboard cannot reach fails WCAG (axe: scrollable-region-focusable).
 */
export function scrollableTablesPlugin(): ElementPlugin {
  return {
    name: 'course-scrollable-tables',
    element: {
      filter: ['table'],
      visit(node, ctx) {
        if (node.properties?.tabIndex === undefined) ctx.setProperty(node, 'tabIndex', 0);
      },
    },
  };
}
