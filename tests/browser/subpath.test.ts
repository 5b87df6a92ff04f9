/** The sub-path build (BASE_PATH=/training/socket-activation/) end to end: links, assets, search, prev/next. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBPATH_BASE, collectPageErrors, launchBrowser, subpathSiteUrl } from './browser-harness.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe(`site built for ${SUBPATH_BASE}`, () => {
  it('navigates from the landing page through every lesson with every link and asset under the base', async () => {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));

    await page.goto(subpathSiteUrl());
    await page.getByRole('link', { name: 'Start with lesson 1' }).click();
    // A root-relative link written in MDX got the base too.
    expect(await page.locator('.prose a', { hasText: 'Socket and service units' }).getAttribute('href')).toBe(
      `${SUBPATH_BASE}lessons/socket-and-service-units/`,
    );
    let visited = 1;
    while ((await page.locator('main a[rel="next"]').count()) > 0) {
      const href = await page.locator('main a[rel="next"]').getAttribute('href');
      expect(href?.startsWith(SUBPATH_BASE)).toBe(true);
      expect(await page.locator('head link[rel="next"]').getAttribute('href')).toBe(href);
      await page.locator('main a[rel="next"]').click();
      await page.waitForLoadState('load');
      visited++;
    }
    // 15 lessons and the FAQ.
    expect(visited).toBe(16);
    expect(page.url()).toBe(subpathSiteUrl('faq/'));
    expect(await page.locator('main a[rel="prev"]').getAttribute('href')).toBe(`${SUBPATH_BASE}lessons/user-units/`);

    for (const href of await page.locator('a[href^="/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')))) {
      expect(href?.startsWith(SUBPATH_BASE), `link ${href}`).toBe(true);
    }
    expect(requested.filter((path) => !path.startsWith(SUBPATH_BASE))).toEqual([]);
    expect(requested.some((path) => path.endsWith('.css'))).toBe(true);
    expect(errors.list()).toEqual([]);
  });

  it('searches from under the base and opens the result', async () => {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(subpathSiteUrl('faq/'));
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('searchbox', { name: 'Search the course' }).fill('LISTEN_FDS');
    const result = page.locator(`.search-result-page[href="${SUBPATH_BASE}lessons/fd-inheritance/"]`);
    await result.waitFor();
    await result.click();
    await page.waitForURL(subpathSiteUrl('lessons/fd-inheritance/'));
    await expect(page.locator('main h1').textContent()).resolves.toBe('How the service gets the socket');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(errors.list()).toEqual([]);
  });

  it('serves its 404 page with working assets', async () => {
    const page = await browser.newPage();
    const errors = collectPageErrors(page, [/HTTP 404: .*\/missing\/$/]);
    const response = await page.goto(subpathSiteUrl('missing/'));
    expect(response?.status()).toBe(404);
    expect(await page.getByRole('link', { name: 'Go to the course outline' }).getAttribute('href')).toBe(SUBPATH_BASE);
    const stylesApplied = await page.locator('.site-header').evaluate((el) => getComputedStyle(el).position);
    expect(stylesApplied).toBe('sticky');
    expect(errors.list()).toEqual([]);
  });
});
