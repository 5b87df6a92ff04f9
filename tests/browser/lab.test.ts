/**
 * The myapp lab on the built site, in Chromium: the terminal session of lesson 2, the live diagram,
 * "Check my work", persistence across a reload, Reset, and the `auto` runtime falling back to
 * in-page because StackBlitz is unreachable from this network.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, siteUrl } from './browser-harness.ts';

const LESSON = 'lessons/socket-and-service-units/';
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The terminal region. */
const terminal = (page: Page) => page.getByRole('region', { name: 'Terminal' });

/**
 * The terminal's text as the learner sees it: xterm's screen rows only. The region holds two more
 * copies that a count over its whole text would include, or not, depending on timing: the
 * accessibility tree (the rows again, refreshed on a debounce) and the live region (recent output
 * flattened into one line, until the next key press). That was the flaky "echoed 3 times".
 */
const screenText = async (page: Page) => (await page.locator('.lab-terminal .xterm-rows').innerText()).replace(/\u00a0/g, ' ');

/** Types a command line into the terminal and waits until its prompt comes back; returns the terminal text. */
async function type(page: Page, line: string): Promise<string> {
  await terminal(page).click();
  await page.keyboard.type(`${line}\n`);
  await page.locator('[data-lab-terminal][aria-busy="false"]').waitFor({ timeout: 15_000 });
  return screenText(page);
}

/** Starts the lab on the page and waits until its runtime is ready. */
async function startLab(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Start lab' }).click();
  await page.locator('.lab[data-lab-state="ready"]').waitFor({ timeout: 30_000 });
}

/** Pastes `text` into the terminal the way a browser paste does (a paste event on xterm's textarea). */
async function paste(page: Page, text: string): Promise<void> {
  await terminal(page).click();
  await page.locator('.lab-terminal textarea').evaluate((textarea, pasted) => {
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    textarea.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** Waits until the terminal shows `text` and its prompt is back; returns the terminal text. */
async function waitForTerminal(page: Page, text: string): Promise<string> {
  await expect.poll(() => screenText(page), { timeout: 15_000 }).toContain(text);
  await page.locator('[data-lab-terminal][aria-busy="false"]').waitFor({ timeout: 15_000 });
  return screenText(page);
}

/** How often `needle` occurs in `text`. */
const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

/** The text of the editor's open file. */
const editorText = (page: Page) => page.locator('.lab-editor .cm-content').innerText();

describe('myapp lab on the lesson page', () => {
  let page: Page;
  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await page.close();
  });

  it('auto falls back to the in-page runtime and says why', async () => {
    const errors = collectPageErrors(page, [/stackblitz\.com/, /Failed to load resource/]);
    await page.goto(siteUrl(LESSON));
    await page.getByRole('heading', { name: 'Lab: Your first socket-activated service', exact: true }).waitFor();
    await startLab(page);
    const reason = await page.locator('[data-lab-runtime]').innerText();
    expect(reason).toMatch(/^In-page runtime: /);
    expect(reason).toMatch(/WebContainer|cross-origin/);
    expect(await page.locator('.lab').getAttribute('data-runtime')).toBe('in-page');
    expect(errors.list()).toEqual([]);
  });

  it('runs the lesson 2 session in the terminal, and the diagram shows the service turning active', async () => {
    await page.getByRole('button', { name: 'Show solution' }).click();
    // Show solution writes the files to the machine, then loads them into the editor: wait for it.
    await expect.poll(() => editorText(page), { timeout: 15_000 }).toContain('ListenStream=8080');
    await type(page, 'systemctl daemon-reload');
    let text = await type(page, 'systemctl enable --now myapp.socket');
    expect(text).toContain('Created symlink /etc/systemd/system/sockets.target.wants/myapp.socket');
    text = await type(page, 'systemctl status myapp.service');
    expect(text).toContain('inactive (dead)');
    await page.locator('g[data-unit="myapp.service"][data-state="inactive"]').waitFor();
    text = await type(page, 'curl http://localhost:8080/');
    expect(text, text).toContain('Hello from myapp');
    text = await type(page, 'systemctl status myapp.service');
    expect(text).toContain('active (running)');
    expect(text).toContain('TriggeredBy: ● myapp.socket');
    await page.locator('g[data-unit="myapp.service"][data-state="active"]').waitFor();
    expect(await page.locator('[data-lab-diagram-summary]').textContent()).toContain('myapp.service: active (running)');
  });

  it('"Check my work" passes every goal and marks the lesson done', async () => {
    await page.getByRole('button', { name: 'Check my work' }).click();
    await page.getByText(/All \d goals done/).waitFor();
    expect(await page.locator('[data-goal][data-result="pass"]').count()).toBe(await page.locator('[data-goal]').count());
    const progress = await page.evaluate(() => localStorage.getItem('sa-course:progress'));
    expect(JSON.parse(progress ?? '[]')).toContain('socket-and-service-units');
  });

  it('Reset asks before it drops the learner\'s files, then restores the starting files and reboots the machine', async () => {
    await page.getByRole('button', { name: 'Reset' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reset the lab?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(/Your changes to .*\/etc\/systemd\/system\/myapp\.socket.* will be lost\./);
    await dialog.getByRole('button', { name: 'Reset and lose my changes' }).click();
    // The lab is still "ready" from before for a moment: wait for the new machine's banner.
    await expect.poll(() => screenText(page), { timeout: 15_000 }).toContain('Lab reset: starting files restored, machine rebooted.');
    await page.locator('.lab[data-lab-state="ready"]').waitFor();
    await expect.poll(() => editorText(page), { timeout: 15_000 }).not.toContain('ListenStream=8080');
    expect(await page.locator('[data-goal][data-result="unchecked"]').count()).toBe(await page.locator('[data-goal]').count());
    const text = await type(page, 'systemctl is-enabled myapp.socket');
    expect(text.trimEnd().split('\n').at(-2)).toBe('disabled');
  });
});

describe('myapp lab: solution steps, pasting, accessibility', () => {
  let page: Page;
  beforeAll(async () => {
    // A context of its own: axe-core's Playwright builder needs one.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.addInitScript(() => {
      localStorage.setItem('sa-course:lab:myapp', JSON.stringify({ files: {}, goals: {}, history: [], runtime: 'in-page' }));
    });
    await page.goto(siteUrl(LESSON));
    await startLab(page);
  });
  afterAll(async () => {
    await page.context().close();
  });

  it('a pasted block of lines runs line by line, each line echoed once', async () => {
    await paste(page, 'echo pasted-one\necho pasted-two\necho pasted-three\n');
    const text = await waitForTerminal(page, 'pasted-three');
    await page.locator('[data-lab-terminal][aria-busy="false"]').waitFor();
    for (const word of ['one', 'two', 'three']) expect(occurrences(text, `echo pasted-${word}`), text).toBe(1);
    expect(text.indexOf('echo pasted-two')).toBeGreaterThan(text.indexOf('\npasted-one'));
  });

  it('pasted binary garbage and a 100 KB line get bash errors; the terminal keeps working and keeps later input', async () => {
    const garbage = Array.from({ length: 300 }, (_, index) => String.fromCharCode((index * 37) % 256)).join('').replace(/[\r\n]/g, '');
    await paste(page, `${garbage}\necho after-garbage\n`);
    let text = await waitForTerminal(page, 'after-garbage');
    expect(text).toMatch(/bash: /);
    await paste(page, `${'y'.repeat(100_000)}\necho after-long-line\n`);
    text = await waitForTerminal(page, 'after-long-line');
    // (bash's exact "command not found" for the 100 KB line: tests/lab/terminal-input.test.ts.)
    expect(text).toMatch(/\nafter-long-line\n/);
    text = await type(page, 'systemctl is-active myapp.socket');
    expect(text.trimEnd().split('\n').at(-2)).toMatch(/^(in)?active$/);
  });

  it('what is typed while a command runs is kept for the next prompt, as bash reads it', async () => {
    await terminal(page).click();
    // `sleep 1` does not read the terminal: the next command typed meanwhile must run after it.
    await page.keyboard.type('sleep 1\n');
    await page.locator('[data-lab-terminal][aria-busy="true"]').waitFor();
    await page.keyboard.type('echo typed-ahead\n');
    await expect.poll(() => screenText(page), { timeout: 15_000 }).toMatch(/# echo typed-ahead\ntyped-ahead\n/);
  });

  it('Ctrl+C ends journalctl -f and the prompt comes back', async () => {
    await terminal(page).click();
    await page.keyboard.type('journalctl -f\n');
    await page.locator('[data-lab-terminal][aria-busy="true"]').waitFor();
    await page.keyboard.press('Control+C');
    await page.locator('[data-lab-terminal][aria-busy="false"]').waitFor({ timeout: 5_000 });
    expect(await type(page, 'echo back-at-prompt')).toContain('back-at-prompt');
  });

  it('"Show solution" lists the solution steps; their Run buttons type them into the terminal and finish the lab', async () => {
    await page.getByRole('button', { name: 'Show solution' }).click();
    const steps = page.getByRole('list', { name: 'Solution steps' }).getByRole('listitem');
    await steps.first().waitFor();
    expect(await steps.allInnerTexts()).toEqual([
      expect.stringContaining('systemctl daemon-reload'),
      expect.stringContaining('systemctl enable --now myapp.socket'),
      expect.stringContaining('curl -s http://localhost:8080/'),
    ]);
    for (const step of ['systemctl daemon-reload', 'systemctl enable --now myapp.socket', 'curl -s http://localhost:8080/']) {
      await page.getByRole('button', { name: `Run ${step}`, exact: true }).click();
    }
    const text = await waitForTerminal(page, 'Hello from myapp');
    expect(occurrences(text, 'systemctl enable --now myapp.socket')).toBe(1);
    await page.getByRole('button', { name: 'Check my work' }).click();
    await page.getByText(/All \d goals done/).waitFor();
  });

  it('axe-core finds no serious or critical violation with the lab started, light or dark', async () => {
    await page.locator('.lab-editor .cm-content').waitFor();
    const found: string[] = [];
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      const select = page.getByLabel('Theme');
      if (await select.count()) await select.selectOption(theme);
      const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
      found.push(
        ...violations
          .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
          .map((violation) => `${theme}: ${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`),
      );
    }
    expect(found).toEqual([]);
  });
});

describe('myapp lab persistence and embedding', () => {
  it('a reload keeps an edit', async () => {
    const page = await browser.newPage();
    // The learner's saved runtime choice: skip the WebContainer attempt (tested above).
    await page.addInitScript(() => {
      if (!localStorage.getItem('sa-course:lab:myapp')) {
        localStorage.setItem('sa-course:lab:myapp', JSON.stringify({ files: {}, goals: {}, history: [], runtime: 'in-page' }));
      }
    });
    await page.goto(siteUrl('labs/myapp/'));
    await page.locator('.lab[data-lab-state="ready"]').waitFor({ timeout: 30_000 });
    await page.locator('.lab-editor .cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n# edited by the test');
    await page.waitForFunction(() => (localStorage.getItem('sa-course:lab:myapp') ?? '').includes('edited by the test'));
    await page.reload();
    await page.locator('.lab[data-lab-state="ready"]').waitFor({ timeout: 30_000 });
    expect(await editorText(page)).toContain('# edited by the test');
    const cat = await type(page, 'cat /etc/systemd/system/myapp.socket');
    expect(cat).toContain('# edited by the test');
    await page.close();
  });

  it('the embed page links back to its lesson and offers an iframe snippet', async () => {
    const page = await browser.newPage();
    await page.goto(siteUrl('labs/myapp/'));
    const back = page.getByRole('link', { name: 'Socket and service units' });
    expect(new URL(await back.getAttribute('href') ?? '', page.url()).pathname).toBe(`/${LESSON}`);
    await page.getByRole('button', { name: 'Embed' }).click();
    const snippet = await page.locator('[data-lab-embed-snippet]').inputValue();
    expect(snippet).toBe(`<iframe src="${siteUrl('labs/myapp/')}" title="Lab: Your first socket-activated service" width="100%" height="900" style="border:0" loading="lazy"></iframe>`);
    await page.close();
  });

  it('pages without a lab load no lab code', async () => {
    const page = await browser.newPage();
    const scripts: string[] = [];
    page.on('request', (request) => request.resourceType() === 'script' && scripts.push(request.url()));
    await page.goto(siteUrl('faq/'));
    await page.waitForLoadState('networkidle');
    expect(scripts.filter((url) => /lab|xterm|codemirror|runtime-worker/i.test(url))).toEqual([]);
    await page.close();
  });
});
