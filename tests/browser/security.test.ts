/**
 * Security of the built site, as served with public/_headers (issue 6, point 4):
 * - every built page gets a Content-Security-Policy whose script-src has no 'unsafe-inline', and every inline
 *   script the page has is allowed by a hash in that policy (Chromium would block it otherwise);
 * - a lesson with a lab, in-page runtime, lab started and a command run: no request leaves the site's origin
 *   (pages, the lab Worker, any service worker);
 * - a lab program runs in the Worker's sandbox without the page's DOM, cookies or the Worker's own
 *   network/messaging functions: it cannot read a cookie set on the page.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, DEFAULT_OUT_DIR, launchBrowser, siteUrl } from './browser-harness.ts';

const BUILD = resolve(import.meta.dirname, '../..', DEFAULT_OUT_DIR);
const LESSON = 'lessons/socket-and-service-units/';
/** Saved lab state that picks the in-page runtime (no WebContainer attempt, which would go to StackBlitz). */
const IN_PAGE = JSON.stringify({ files: {}, goals: {}, history: [], runtime: 'in-page' });

/** Every .html file of the build, as URL paths relative to the base (`index.html` → its folder). */
function builtPages(dir = BUILD): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return builtPages(path);
    if (!name.endsWith('.html')) return [];
    return [relative(BUILD, path).split(sep).join('/').replace(/(^|\/)index\.html$/, '$1')];
  });
}

/** The source list of one CSP directive, or undefined when the policy lacks it. */
function directive(policy: string, name: string): string[] | undefined {
  const found = policy.split(';').map((part) => part.trim().split(/\s+/)).find(([key]) => key === name);
  return found?.slice(1);
}

/** The texts of a page's inline executable scripts (no src, a JavaScript type). */
function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter(([, attributes]) => !/\bsrc\s*=/i.test(attributes))
    .filter(([, attributes]) => {
      const type = /\btype\s*=\s*["']?([^"'\s>]+)/i.exec(attributes)?.[1]?.toLowerCase();
      return type === undefined || type === 'module' || type === 'text/javascript';
    })
    .map(([, , body]) => body);
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('Content-Security-Policy of every built page', () => {
  const pages = builtPages();

  it('finds the pages of the build', () => {
    expect(pages).toContain('');
    expect(pages).toContain(LESSON);
    expect(pages).toContain('404.html');
  });

  it.each(pages)('/%s has a CSP without script \'unsafe-inline\' that hashes each inline script', async (page) => {
    const response = await fetch(siteUrl(page));
    expect(response.status).toBe(200);
    const policy = response.headers.get('content-security-policy');
    expect(policy, `no Content-Security-Policy on /${page}`).toBeTruthy();
    const scriptSrc = directive(policy!, 'script-src') ?? directive(policy!, 'default-src');
    expect(scriptSrc).toBeDefined();
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(directive(policy!, 'script-src-elem') ?? []).not.toContain("'unsafe-inline'");
    expect(directive(policy!, 'object-src')).toEqual(["'none'"]);
    const html = await response.text();
    for (const script of inlineScripts(html)) {
      const hash = `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
      expect(scriptSrc, `inline script on /${page} not allowed by its CSP: ${script.slice(0, 80)}…`).toContain(hash);
    }
    // Inline event handlers cannot be hashed without 'unsafe-hashes': there must be none.
    expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
  });
});

/** Types a command line into the lab's terminal and waits for its prompt; returns the terminal text. */
async function type(page: Page, line: string): Promise<string> {
  await page.getByRole('region', { name: 'Terminal' }).click();
  await page.keyboard.type(`${line}\n`);
  await page.locator('[data-lab-terminal][aria-busy="false"]').waitFor({ timeout: 15_000 });
  return (await page.getByRole('region', { name: 'Terminal' }).innerText()).replace(/\u00a0/g, ' ');
}

/** Opens the myapp lesson and starts its lab (in-page, from the saved choice); fails if another runtime runs. */
async function startLab(page: Page): Promise<void> {
  await page.goto(siteUrl(LESSON));
  await page.getByRole('button', { name: 'Start lab' }).click();
  await page.locator('.lab[data-lab-state="ready"]').waitFor({ timeout: 30_000 });
  expect(await page.locator('.lab').getAttribute('data-runtime')).toBe('in-page');
}

describe('a lesson with a lab, in-page runtime', () => {
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  const workers: string[] = [];

  beforeAll(async () => {
    // Tall enough that the lab's terminal (side by side, half the height left under the lab's head)
    // shows every probe's journal line at once.
    context = await browser.newContext({ viewport: { width: 1280, height: 1200 } });
    // Context-wide: the page's requests, its dedicated workers' (Chromium reports them on the page) and
    // any service worker's.
    context.on('request', (request) => requests.push(request.url()));
    context.on('serviceworker', (worker) => workers.push(`service worker ${worker.url()}`));
    page = await context.newPage();
    page.on('worker', (worker) => workers.push(worker.url()));
    await page.addInitScript((state) => localStorage.setItem('sa-course:lab:myapp', state), IN_PAGE);
  });
  afterAll(async () => {
    await context?.close();
  });

  it('starts the lab, runs curl against the service, and requests nothing from another origin', async () => {
    const errors = collectPageErrors(page);
    await startLab(page);
    await page.getByRole('button', { name: 'Show solution' }).click();
    await type(page, 'systemctl daemon-reload');
    await type(page, 'systemctl enable --now myapp.socket');
    expect(await type(page, 'curl http://localhost:8080/')).toContain('Hello from myapp');
    await page.waitForLoadState('networkidle');

    const origin = new URL(siteUrl()).origin;
    expect(workers.length, 'the lab runs in a Worker').toBeGreaterThan(0);
    expect(requests.length).toBeGreaterThan(0);
    const foreign = [...requests, ...workers.map((url) => url.replace(/^service worker /, ''))].filter((url) => {
      const parsed = new URL(url);
      return parsed.protocol !== 'data:' && parsed.protocol !== 'blob:' && parsed.origin !== origin;
    });
    expect(foreign).toEqual([]);
    expect(errors.list()).toEqual([]);
  });

  it('a lab program cannot reach the page\'s DOM or cookies, nor the Worker\'s messaging and network', async () => {
    if (!page.url().startsWith(siteUrl(LESSON))) await startLab(page);
    const secret = `lab-secret-${Date.now()}`;
    await page.evaluate((value) => (document.cookie = `session=${value}; path=/`), secret);
    expect(await page.evaluate(() => document.cookie)).toContain(secret); // the cookie is there to steal

    // Each probe prints `undefined` (not there), `threw` (not reachable) or what it got.
    const probes: [string, string][] = [
      ['document', 'document'],
      ['globalThis.document', 'globalThis.document'],
      ['document.cookie', 'document.cookie'],
      ['self.postMessage', 'self.postMessage'],
      ['postMessage', 'postMessage'],
      ['fetch', 'fetch'],
      ['importScripts', 'importScripts'],
      ['XMLHttpRequest', 'XMLHttpRequest'],
      ['cookieStore', 'cookieStore'],
      // Through the Function constructor the code leaves the sandbox's scope for the Worker's global one;
      // that is still a Worker: no document and no cookie there.
      ['Function-document', '(() => 0).constructor("return typeof document")()'],
      ['Function-cookie', '(() => 0).constructor("return typeof document === \\"undefined\\" ? undefined : document.cookie")()'],
      // The Worker locks its network and messaging globals before any program runs.
      ['Function-fetch', '(() => 0).constructor("return typeof fetch")()'],
      ['Function-postMessage', '(() => 0).constructor("return typeof postMessage")()'],
      ['Function-protoPost', '(() => 0).constructor("return typeof Object.getPrototypeOf(self).postMessage")()'],
    ];
    // One short line per probe (the terminal wraps long lines).
    const program = `const t = (f) => { try { const v = f(); return v === undefined ? "undefined" : String(v) } catch (e) { return "threw" } }; ${probes
      .map(([name, expression]) => `console.log("peek ${name}=" + t(() => ${expression}));`)
      .join(' ')} Promise.resolve().then(() => (() => 0).constructor("return fetch")()("https://example.com/")).then(() => console.log("peek escaped-fetch=reached"), () => console.log("peek escaped-fetch=blocked"));`;
    expect(program).not.toContain("'");
    await type(page, `echo '${program}' > /opt/peek.js`);
    await type(page, "echo '[Service]' > /etc/systemd/system/peek.service");
    await type(page, "echo 'ExecStart=node /opt/peek.js' >> /etc/systemd/system/peek.service");
    await type(page, 'systemctl daemon-reload');
    await type(page, 'systemctl start peek.service');
    await page.waitForTimeout(500); // the escaped fetch settles asynchronously
    const text = await type(page, 'journalctl -u peek.service --no-pager');
    const results = Object.fromEntries([...text.matchAll(/node\[\d+\]: peek ([\w.-]+)=(\S*)/g)].map(([, name, result]) => [name, result]));
    expect(Object.keys(results), text).toEqual([...probes.map(([name]) => name), 'escaped-fetch']);
    // Even through the Function constructor there is no fetch left to call (and the Worker's CSP,
    // connect-src 'self', would keep it on this origin anyway).
    expect(results['escaped-fetch'], text).toBe('blocked');
    delete results['escaped-fetch'];
    expect(requests.filter((url) => url.startsWith('https://example.com'))).toEqual([]);
    for (const [name, result] of Object.entries(results)) {
      if (name.startsWith('Function-') && name !== 'Function-cookie') expect(result, name).toBe('undefined');
      else expect(['undefined', 'threw'], `${name} gave ${result}`).toContain(result);
    }
    expect(text).not.toContain(secret);
  });
});
