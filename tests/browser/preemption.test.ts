/**
 * A learner's program that never returns to its event loop does not freeze the lab (issue 12): in the
 * listen-fds lab (lesson fd-inheritance) the greeter is `while (true) {}`, with the default runtime setting;
 * the activating curl times out as on a real machine, `systemctl kill`/`stop` return, the journal says how the
 * service ended, and the next command runs. A flooding service's `journalctl -f` stops at Ctrl+C.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, siteUrl } from './browser-harness.ts';

const LESSON = 'lessons/fd-inheritance/';
const PROGRAM = '/opt/greeter/greeter';
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const terminal = (page: Page) => page.getByRole('region', { name: 'Terminal' });
const terminalText = async (page: Page) => (await terminal(page).innerText()).replace(/\u00a0/g, ' ');

/** Types a command line and waits until the prompt is back; returns the terminal text. */
async function type(page: Page, line: string): Promise<string> {
  await terminal(page).click();
  await page.keyboard.type(`${line}\n`);
  await page.locator('[data-lab-terminal][aria-busy="false"]').waitFor({ timeout: 20_000 });
  return terminalText(page);
}

/** Opens the lesson with the greeter program replaced by `program` (as if the learner had saved it) and starts the lab. */
async function startWithGreeter(program: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // StackBlitz is unreachable here anyway; block it so the background warm-up fails at once, as on an intranet.
  await page.route((url) => /(^|\.)(stackblitz\.com|stackblitz\.io|webcontainer\.io|webcontainer-api\.io|staticblitz\.com)$/.test(url.hostname), (route) => route.abort());
  await page.addInitScript(([path, text]) => {
    // Only the lesson page itself (not the frame of the blocked WebContainer warm-up, where storage is denied).
    if (window !== window.top) return;
    localStorage.setItem('sa-course:lab:listen-fds', JSON.stringify({ files: { [path]: text }, goals: {}, history: [] }));
  }, [PROGRAM, program] as const);
  await page.goto(siteUrl(LESSON));
  await page.getByRole('button', { name: 'Start lab' }).click();
  await page.locator('.lab[data-lab-state="ready"]').waitFor({ timeout: 30_000 });
  return page;
}

describe('a program stuck in a loop in the in-page machine', () => {
  it('does not freeze the lab: curl times out, systemctl stop returns, the journal says how it ended', async () => {
    const page = await startWithGreeter("#!/usr/bin/env node\nprocess.on('SIGTERM', () => {});\nwhile (true) {}\n");
    const errors = collectPageErrors(page, [/stackblitz|staticblitz|webcontainer/i, /Failed to load resource/]);
    try {
      expect(await page.locator('.lab').getAttribute('data-runtime')).toBe('in-page');
      const afterCurl = await type(page, 'curl -s --max-time 2 http://127.0.0.1:8080/; echo "curl exit $?"');
      expect(afterCurl).toContain('curl exit 28');
      expect(await type(page, 'systemctl is-active greeter.service')).toMatch(/\nactive\s*\n/);
      await type(page, 'systemctl kill -s KILL greeter.service');
      // The terminal wraps long lines: compare without its line breaks.
      const journal = (await type(page, 'journalctl -u greeter.service -o cat --no-pager')).replace(/\n/g, '');
      expect(journal).toContain(`greeter.service: Sent signal SIGKILL to main process`);
      expect(journal).toContain('greeter.service: Main process exited, code=killed, status=9/KILL');
      expect(journal).toContain("greeter.service: Failed with result 'signal'.");
      expect(await type(page, 'echo still here')).toMatch(/\nstill here\s*\n/);
      expect(errors.list()).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);

  it('systemctl stop returns: SIGTERM ends a spinning program that set no handler', async () => {
    const page = await startWithGreeter('#!/usr/bin/env node\nwhile (true) {}\n');
    try {
      await type(page, 'curl -s --max-time 2 http://127.0.0.1:8080/');
      // The timed-out connection still waits in greeter.socket's backlog: close the socket first, or the emulator
      // starts the service again for it (systemd suppresses that while the socket's own stop job is pending).
      await type(page, 'systemctl stop greeter.socket');
      const stopped = await type(page, 'systemctl stop greeter.service; echo "stop exit $?"; systemctl is-active greeter.service');
      expect(stopped).toContain('stop exit 0');
      expect(stopped).toMatch(/\ninactive\s*\n/);
      expect(await type(page, 'echo still here')).toMatch(/\nstill here\s*\n/);
    } finally {
      await page.close();
    }
  }, 90_000);

  it('journalctl -f on a flooding service stops at Ctrl+C, and the terminal answers', async () => {
    const page = await startWithGreeter("#!/usr/bin/env node\nrequire('net').createServer().listen({ fd: 3 });\nlet i = 0;\nsetInterval(() => { for (let k = 0; k < 2000; k++) console.log('flood line ' + i++); }, 1);\n");
    try {
      await type(page, 'curl -s --max-time 1 http://127.0.0.1:8080/');
      await terminal(page).click();
      await page.keyboard.type('journalctl -f -u greeter.service\n');
      await terminal(page).getByText('flood line').first().waitFor({ timeout: 20_000 });
      await page.keyboard.press('Control+C');
      await page.locator('[data-lab-terminal][aria-busy="false"]').waitFor({ timeout: 5_000 });
      expect(await type(page, 'echo after the flood')).toMatch(/\nafter the flood\s*\n/);
      expect(await type(page, 'systemctl stop greeter.socket; systemctl stop greeter.service; echo "stop exit $?"')).toContain('stop exit 0');
    } finally {
      await page.close();
    }
  }, 90_000);
});
