/** The built site end to end (base /): course navigation, search, theme, progress, headers, print, 404. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, siteUrl } from './browser-harness.ts';

const COURSE_TITLES = [
  'The problem socket activation solves',
  'Socket and service units',
  'How the service gets the socket',
  'One process per connection (Accept=yes)',
  'Datagrams, FIFOs and netlink',
  'Dependencies, restarts and limits',
  'Stopping, disabling, masking — and finding out why',
  'sshd',
  'D-Bus',
  'Docker',
  'CUPS',
  'Writing a socket-activated service',
  'A socket for a program that cannot take one (systemd-socket-proxyd)',
  'Privileges: port 80 without root',
  'User units and lingering',
  'FAQ',
];

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

describe('course navigation', () => {
  it('goes from the landing page to lesson 1 and follows "Next" through every lesson to the FAQ', async () => {
    const page = await newPage();
    const errors = collectPageErrors(page);
    await page.goto(siteUrl());
    await page.getByRole('link', { name: 'Start with lesson 1' }).click();

    const titles: string[] = [];
    for (;;) {
      await page.waitForLoadState('load');
      titles.push((await page.locator('main h1').textContent())?.trim() ?? '');
      // The current page is marked in the sidebar.
      await expect(page.locator('#course-sidebar a[aria-current="page"]').textContent()).resolves.toContain(titles.at(-1));
      // Every section heading has an anchor link to itself.
      for (const wrapper of await page.locator('.prose .heading-wrapper').all()) {
        const id = await wrapper.locator('h2, h3, h4').getAttribute('id');
        expect(await wrapper.locator('a.heading-anchor').getAttribute('href')).toBe(`#${id}`);
      }
      const next = page.locator('main a[rel="next"]');
      const headNext = await page.locator('head link[rel="next"]').getAttribute('href').catch(() => null);
      if ((await next.count()) === 0) {
        expect(headNext).toBeNull();
        break;
      }
      expect(await next.getAttribute('href')).toBe(headNext);
      await expect(next.textContent()).resolves.toMatch(/^Next:/);
      await next.click();
    }
    expect(titles).toEqual(COURSE_TITLES);
    expect(page.url()).toBe(siteUrl('faq/'));
    expect(await page.locator('head link[rel="prev"]').getAttribute('href')).toBe('/lessons/user-units/');
    expect(errors.list()).toEqual([]);
  });

  it('serves a 404 page for unknown addresses', async () => {
    const page = await newPage();
    const response = await page.goto(siteUrl('lessons/no-such-lesson/'));
    expect(response?.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe('Page not found');
    expect(await page.getByRole('link', { name: 'Go to the course outline' }).getAttribute('href')).toBe('/');
  });
});

describe('search', () => {
  it('searches for what was typed while the search code was still loading', async () => {
    const page = await newPage();
    // Hold the search module back so the query is typed before its input listener exists.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/_astro\/search\.[^/]*\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(siteUrl('lessons/the-problem/'));
    await page.keyboard.press('/');
    await page.getByRole('searchbox', { name: 'Search the course' }).fill('LISTEN_FDS');
    release();
    const result = page.locator('.search-result-page[href="/lessons/fd-inheritance/"]');
    await result.waitFor(); // times out (fails) when the early query was dropped
    expect(await result.count()).toBe(1);
  });

  it('finds the fd-inheritance lesson for LISTEN_FDS, with links to its sections', async () => {
    const page = await newPage();
    const errors = collectPageErrors(page);
    await page.goto(siteUrl('lessons/the-problem/'));
    await page.keyboard.press('/');
    const input = page.getByRole('searchbox', { name: 'Search the course' });
    await expect(input.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await input.fill('LISTEN_FDS');
    const pageLink = page.locator('.search-result-page[href="/lessons/fd-inheritance/"]');
    await pageLink.waitFor();
    const sectionLinks = page.locator('.search-result a[href^="/lessons/fd-inheritance/#"]');
    expect(await sectionLinks.count()).toBeGreaterThan(0);
    await sectionLinks.first().click();
    await page.waitForURL(/\/lessons\/fd-inheritance\/#/);
    await expect(page.locator('main h1').textContent()).resolves.toBe('How the service gets the socket');
    expect(errors.list()).toEqual([]);
  });

  it('opens with Ctrl+K and closes with Escape', async () => {
    const page = await newPage();
    await page.goto(siteUrl());
    const dialog = page.locator('dialog[data-search-dialog]');
    await page.keyboard.press('Control+k');
    await expect(dialog.evaluate((el: HTMLDialogElement) => el.open)).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await expect(dialog.evaluate((el: HTMLDialogElement) => el.open)).resolves.toBe(false);
  });
});

describe('theme', () => {
  it('remembers the chosen theme across a reload, and auto follows the OS', async () => {
    const context = await browser.newContext({ colorScheme: 'light' });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    await page.goto(siteUrl('lessons/accept-yes/'));
    expect(await theme()).toBe('light');

    await page.getByLabel('Theme').selectOption('dark');
    expect(await theme()).toBe('dark');
    await page.reload();
    expect(await theme()).toBe('dark');
    expect(await page.getByLabel('Theme').inputValue()).toBe('dark');
    // Code blocks follow the site theme, not the OS: the dark Shiki theme's background is in use (a unit file's
    // block; a console transcript's terminal frame has a background of its own).
    const codeBackground = await page.locator('.expressive-code .frame:not(.is-terminal) pre').first().evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(codeBackground).toBe('rgb(36, 41, 46)');

    await page.getByLabel('Theme').selectOption('auto');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    expect(await theme()).toBe('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(theme).toBe('light');
    expect(errors.list()).toEqual([]);
    await context.close();
  });
});

describe('progress', () => {
  it('marks a lesson done, shows it in the sidebar and on the landing page, and resets', async () => {
    const page = await newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(siteUrl('lessons/sshd/'));
    const button = page.getByRole('button', { name: 'Mark lesson as done' });
    await button.click();
    await expect(page.locator('main button[data-mark-done]').getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(page.locator('#course-sidebar li[data-progress-slug="sshd"]').getAttribute('data-done')).resolves.toBe('');

    await page.goto(siteUrl());
    await expect(page.locator('[data-progress-count]').textContent()).resolves.toBe('1 of 15 lessons done');
    await expect(page.locator('.outline li[data-progress-slug="sshd"]').getAttribute('data-done')).resolves.toBe('');
    await page.getByRole('button', { name: 'Reset progress' }).click();
    await expect(page.locator('[data-progress-count]').textContent()).resolves.toBe('0 of 15 lessons done');
    expect(await page.evaluate(() => localStorage.getItem('sa-course:progress'))).toBe('[]');
  });

  it('lets other code mark a lesson done through progress.ts and its progress-change event', async () => {
    const page = await newPage();
    await page.goto(siteUrl('lessons/dbus/'));
    // What the lab island does: write through the store; the page reacts to the event.
    await page.evaluate(() => {
      localStorage.setItem('sa-course:progress', JSON.stringify(['dbus']));
      dispatchEvent(new CustomEvent('progress-change', { detail: { slug: 'dbus', done: true, doneLessons: ['dbus'] } }));
    });
    await expect(page.locator('#course-sidebar li[data-progress-slug="dbus"]').getAttribute('data-done')).resolves.toBe('');
  });
});

describe('hosting headers', () => {
  it('cross-origin isolates lesson pages (for WebContainer labs) but not the landing page', async () => {
    const page = await newPage();
    const lesson = await page.goto(siteUrl('lessons/docker/'));
    expect(lesson?.headers()['cross-origin-embedder-policy']).toBe('credentialless');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.goto(siteUrl());
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  });
});

describe('print', () => {
  it('hides the navigation chrome and writes out link targets', async () => {
    const page = await newPage();
    await page.goto(siteUrl('lessons/the-problem/'));
    await page.emulateMedia({ media: 'print' });
    for (const selector of ['.site-header', '#course-sidebar', '.prev-next', '.mark-done']) {
      expect(await page.locator(selector).first().isVisible(), selector).toBe(false);
    }
    const after = await page
      .locator('.prose a[href="/lessons/socket-and-service-units/"]')
      .evaluate((el) => getComputedStyle(el, '::after').content);
    expect(after).toContain('/lessons/socket-and-service-units/');
  });
});
