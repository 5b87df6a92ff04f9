/** axe-core on every built page, in the light and the dark theme: no serious or critical violation. */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OUT_DIR, launchBrowser, siteUrl } from './browser-harness.ts';

/**
 * Every HTML page of the default build that the site renders, as a path relative to the base
 * (`lessons/dbus/`, `404.html`, `labs/myapp/`), lab embed pages included.
 */
function builtPages(dir = DEFAULT_OUT_DIR): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name);
      if (entry.isDirectory() && !['_astro', 'pagefind', 'webcontainer'].includes(entry.name)) walk(full);
      else if (entry.name.endsWith('.html')) found.push(relative(dir, full).replace(/index\.html$/, ''));
    }
  };
  walk(dir);
  return found.sort();
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * Serious and critical violations on the current page, formatted to say what and where.
 * `contrastOnly` runs just the colour rules: what a theme switch can change (and half the time on 2 cores).
 */
async function seriousViolations(page: Page, contrastOnly = false): Promise<string[]> {
  // Expressive Code makes a code block that scrolls sideways focusable (tabindex="0") from a ResizeObserver,
  // a moment after layout: wait for it, or axe races it on narrow screens.
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.expressive-code pre')].every((pre) => pre.scrollWidth <= pre.clientWidth || pre.hasAttribute('tabindex')),
  );
  const builder = new AxeBuilder({ page });
  if (contrastOnly) builder.withRules(['color-contrast', 'link-in-text-block']);
  else builder.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  const { violations } = await builder.analyze();
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

/**
 * Switches to `theme`: the OS preference (for pages without the site header, e.g. lab embeds) and,
 * where there is one, the header's theme switch; waits until the site theme applies.
 */
async function useTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme: theme });
  const select = page.getByLabel('Theme');
  if ((await select.count()) === 0) return;
  await select.selectOption(theme);
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
}

describe('accessibility (axe-core)', () => {
  const pages = builtPages();

  it('covers every page of the build', () => {
    expect(pages).toEqual(expect.arrayContaining(['', '404.html', 'faq/', 'lessons/fd-inheritance/']));
    expect(pages.length).toBeGreaterThanOrEqual(12);
  });

  it.each(pages)('/%s has no serious or critical violation, light or dark', async (path) => {
    const context = await browser.newContext({ colorScheme: 'light' });
    const page = await context.newPage();
    await page.goto(siteUrl(path));
    // An embed page starts its lab at once: check it with the editor and terminal in place.
    if (path.startsWith('labs/')) await page.locator('.cm-editor').first().waitFor({ timeout: 60_000 });
    const report: Record<string, string[]> = {};
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      const found = await seriousViolations(page, theme === 'dark');
      if (found.length > 0) report[theme] = found;
    }
    await context.close();
    expect(report).toEqual({});
  });

  it('finds none with the menu open on a phone, or the search dialog open on results', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(siteUrl('lessons/fd-inheritance/'));
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      await page.getByRole('button', { name: 'Lessons' }).click();
      expect(await page.locator('#course-sidebar').isVisible()).toBe(true);
      expect(await seriousViolations(page), `menu open, ${theme}`).toEqual([]);
      await page.keyboard.press('Escape');
      expect(await page.locator('#course-sidebar').isVisible()).toBe(false);

      await page.getByRole('button', { name: 'Search' }).click();
      const query = theme === 'light' ? 'socket' : 'LISTEN_PID';
      await page.getByRole('searchbox', { name: 'Search the course' }).fill(query);
      await page.locator('[data-search-status]', { hasText: query }).waitFor();
      expect(await page.locator('.search-result').count()).toBeGreaterThan(0);
      expect(await seriousViolations(page), `search open, ${theme}`).toEqual([]);
      await page.getByRole('button', { name: 'Close' }).click();
    }
    await context.close();
  });
});
