/**
 * Shared helpers for browser tests: Debian's Chromium through playwright-core, the URLs of the
 * built site(s) that global-setup.ts serves, and a collector for page errors.
 *
 *   import { launchBrowser, siteUrl, subpathSiteUrl, collectPageErrors } from './browser-harness.ts';
 *   const browser = await launchBrowser();
 *   const page = await browser.newPage();
 *   const errors = collectPageErrors(page);
 *   await page.goto(siteUrl('lessons/fd-inheritance/'));
 *   ...
 *   expect(errors.list()).toEqual([]);
 *
 * Both builds are made once per run by global-setup.ts (set SKIP_BUILD=1 to reuse dist-test/ and
 * dist-subpath/ from a previous run) and served by src/site/static-server.ts with their _headers.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';

/** The sub-path the second build is made for, as a team wiki would host it. */
export const SUBPATH_BASE = '/training/socket-activation/';
/**
 * Build folders of the browser tests: the default (base `/`) and the sub-path build. Not `dist/`, so that
 * an `npm run build` running at the same time in this working tree cannot pull files from under the tests.
 */
export const DEFAULT_OUT_DIR = 'dist-test';
export const SUBPATH_OUT_DIR = 'dist-subpath';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin + base of the default build, e.g. `http://127.0.0.1:41234/`. */
    siteBaseUrl: string;
    /** Origin + base of the sub-path build, e.g. `http://127.0.0.1:41235/training/socket-activation/`. */
    subpathSiteBaseUrl: string;
  }
}

/** Chromium's path; override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches headless Chromium with flags that keep it off the network and quick to start. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** URL of `path` (relative, e.g. `lessons/fd-inheritance/`) in the default build (base `/`). */
export function siteUrl(path = ''): string {
  return new URL(path.replace(/^\//, ''), inject('siteBaseUrl')).href;
}

/** URL of `path` (relative) in the sub-path build, served under SUBPATH_BASE. */
export function subpathSiteUrl(path = ''): string {
  return new URL(path.replace(/^\//, ''), inject('subpathSiteBaseUrl')).href;
}

/** Collected problems of a page: uncaught errors, console errors (CSP violations among them), failed and 4xx/5xx requests. */
export interface PageErrors {
  list(): string[];
  clear(): void;
}

/** Starts collecting `page`'s errors; `ignore` drops messages that match (e.g. an expected 404 page load). */
export function collectPageErrors(page: Page, ignore: RegExp[] = []): PageErrors {
  let errors: string[] = [];
  const add = (message: string) => {
    if (!ignore.some((pattern) => pattern.test(message))) errors.push(message);
  };
  page.on('pageerror', (error) => add(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // "Failed to load resource" repeats a response reported below with its URL.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      add(`console: ${message.text()}`);
    }
  });
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? '';
    // ERR_ABORTED: the page navigated away (e.g. following "Next") before the request finished.
    if (reason !== 'net::ERR_ABORTED') add(`requestfailed: ${request.url()} ${reason}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) add(`HTTP ${response.status()}: ${response.url()}`);
  });
  return {
    list: () => [...errors],
    clear: () => {
      errors = [];
    },
  };
}
