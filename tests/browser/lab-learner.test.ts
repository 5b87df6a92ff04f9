/**
 * The labs as a learner meets them, in Chromium: nothing lost (confirmations, undo, the shell and the
 * editor in agreement, saves across a reload and across tabs), nothing hidden (the machine-restarted
 * notice, a lab without storage, JavaScript errors with file, line and caret), everything in view
 * (side by side on a wide screen, no sideways scrolling on a phone, diagrams with every unit and fd),
 * interactive nc, search without lab code, goal texts and print.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, siteUrl } from './browser-harness.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The lessons with a lab, and their lab ids. */
const LAB_LESSONS: Record<string, string> = {
  'the-problem': 'boot-order',
  'socket-and-service-units': 'myapp',
  'fd-inheritance': 'listen-fds',
  'accept-yes': 'echo-per-connection',
  'dependencies-and-limits': 'app-db',
  sshd: 'sshd',
  dbus: 'dbus-bus',
  docker: 'docker-socket',
  cups: 'cups-on-demand',
};

/** A context whose labs start on the in-page runtime (the WebContainer fallback is tested in lab.test.ts). */
async function inPageContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  await context.addInitScript((ids: string[]) => {
    try {
      for (const id of ids) {
        const key = `sa-course:lab:${id}`;
        if (!localStorage.getItem(key)) localStorage.setItem(key, JSON.stringify({ files: {}, goals: {}, history: [], runtime: 'in-page' }));
      }
    } catch {
      // Storage blocked in this test: nothing to preset.
    }
  }, Object.values(LAB_LESSONS));
  return context;
}

/** The terminal's text as on screen (xterm's rows; see lab.test.ts for why not the whole region). */
const screenText = async (page: Page) => (await page.locator('.lab-terminal .xterm-rows').innerText()).replace(/\u00a0/g, ' ');

/** Types a command line into the terminal and waits for the prompt; returns the screen text. */
async function type(page: Page, line: string): Promise<string> {
  await page.getByRole('region', { name: 'Terminal' }).click();
  await page.keyboard.type(`${line}\n`);
  await page.locator('[data-lab-terminal][aria-busy="false"]').waitFor({ timeout: 15_000 });
  return screenText(page);
}

/** Opens a lesson and starts its lab. */
async function startLab(page: Page, lesson: string): Promise<void> {
  await page.goto(siteUrl(`lessons/${lesson}/`));
  await page.getByRole('button', { name: 'Start lab' }).first().click();
  await page.locator('.lab[data-lab-state="ready"]').waitFor({ timeout: 30_000 });
}

/** The text of the editor's open file. */
const editorText = (page: Page) => page.locator('.lab-editor .cm-content').innerText();

/** Appends a line to the open file in the editor. */
async function appendInEditor(page: Page, text: string): Promise<void> {
  await page.locator('.lab-editor .cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(`\n${text}`);
}

/** Runs each solution step with its Run button and waits for the prompt after the last. */
async function runSolutionSteps(page: Page): Promise<void> {
  const steps = await page.locator('[data-lab-solution-box] [data-step]').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.step ?? ''));
  for (const step of steps) await page.getByRole('button', { name: `Run ${step}`, exact: true }).click();
  // Compared without line ends: a narrow terminal wraps a long command line.
  const flat = (text: string) => text.replace(/\n/g, '');
  await expect.poll(async () => flat(await screenText(page)), { timeout: 20_000 }).toContain(flat(steps.at(-1) ?? ''));
  await page.locator('[data-lab-terminal][aria-busy="false"]').waitFor({ timeout: 20_000 });
}

describe('nothing the learner did is lost', () => {
  it('Show solution over edits asks first; the learner can cancel, undo with Ctrl+Z, or restore their files', async () => {
    const context = await inPageContext();
    const page = await context.newPage();
    await startLab(page, 'socket-and-service-units');
    await appendInEditor(page, '# my own attempt');
    await page.getByRole('button', { name: 'Show solution' }).click();
    const dialog = page.getByRole('dialog', { name: 'Replace your files with the solution?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await editorText(page)).toContain('# my own attempt');

    await page.getByRole('button', { name: 'Show solution' }).click();
    await dialog.getByRole('button', { name: 'Show the solution' }).click();
    await expect.poll(() => editorText(page)).toContain('ListenStream=8080');
    expect(await editorText(page)).not.toContain('# my own attempt');
    // Ctrl+Z in the editor takes the solution's text back out.
    await page.locator('.lab-editor .cm-content').click();
    await page.keyboard.press('Control+z');
    await expect.poll(() => editorText(page)).toContain('# my own attempt');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => editorText(page)).not.toContain('# my own attempt');

    await page.getByRole('button', { name: 'Restore my files' }).click();
    await expect.poll(() => editorText(page)).toContain('# my own attempt');
    expect(await type(page, 'cat /etc/systemd/system/myapp.socket')).toMatch(/\n# my own attempt\n/);
    expect(await page.getByRole('button', { name: 'Restore my files' }).isHidden()).toBe(true);
    await context.close();
  });

  it('a file changed from the shell shows in the editor', async () => {
    const context = await inPageContext();
    const page = await context.newPage();
    await startLab(page, 'socket-and-service-units');
    await type(page, "echo '# appended from the shell' >> /etc/systemd/system/myapp.socket");
    await expect.poll(() => editorText(page), { timeout: 10_000 }).toContain('# appended from the shell');
    // The next editor edit keeps the shell's line (it edits the text that has it).
    await appendInEditor(page, '# and one from the editor');
    await expect.poll(() => type(page, 'cat /etc/systemd/system/myapp.socket'), { timeout: 10_000 }).toMatch(/# appended from the shell\n# and one from the editor\n/);
    await context.close();
  });

  it('an edit made just before a reload survives it', async () => {
    const context = await inPageContext();
    const page = await context.newPage();
    await page.goto(siteUrl('labs/myapp/'));
    await page.locator('.lab[data-lab-state="ready"]').waitFor({ timeout: 30_000 });
    await page.locator('.lab-editor .cm-content').waitFor();
    await appendInEditor(page, '# typed right before the reload');
    // No wait for the editor's save delay: pagehide flushes it.
    await page.reload();
    await page.locator('.lab[data-lab-state="ready"]').waitFor({ timeout: 30_000 });
    // The editor loads on demand (on interaction, or when the page is idle): wait for it, then read it.
    await page.locator('.lab-editor .cm-content').waitFor({ timeout: 30_000 });
    await expect.poll(() => editorText(page)).toContain('# typed right before the reload');
    await context.close();
  });

  it('two tabs of one lab see each other\'s saves', async () => {
    const context = await inPageContext();
    const first = await context.newPage();
    const second = await context.newPage();
    for (const page of [first, second]) {
      await page.goto(siteUrl('labs/myapp/'));
      await page.locator('.lab[data-lab-state="ready"]').waitFor({ timeout: 30_000 });
      await page.locator('.lab-editor .cm-content').waitFor();
    }
    await first.bringToFront();
    await appendInEditor(first, '# saved in the first tab');
    await expect.poll(() => editorText(second), { timeout: 10_000 }).toContain('# saved in the first tab');
    expect(await second.locator('[data-lab-notice]').innerText()).toContain('Saved in another tab of this lab and loaded here: /etc/systemd/system/myapp.socket');
    // The second tab's machine has the file too.
    await second.bringToFront();
    expect(await type(second, 'cat /etc/systemd/system/myapp.socket')).toMatch(/\n# saved in the first tab\n/);
    await second.getByRole('button', { name: 'Dismiss' }).click();
    expect(await second.locator('[data-lab-notice]').isHidden()).toBe(true);
    await context.close();
  });
});

describe('nothing hidden', () => {
  it('after a reload the lab says the machine restarted, and goals done before show as such until checked again', async () => {
    const context = await inPageContext();
    const page = await context.newPage();
    await startLab(page, 'socket-and-service-units');
    await page.getByRole('button', { name: 'Show solution' }).click();
    await runSolutionSteps(page);
    await page.getByRole('button', { name: 'Check my work' }).click();
    await page.getByText(/All \d goals done/).waitFor();

    await page.reload();
    await page.getByRole('button', { name: 'Start lab' }).click();
    await page.locator('.lab[data-lab-state="ready"]').waitFor({ timeout: 30_000 });
    const notice = page.locator('[data-lab-notice]');
    expect(await notice.innerText()).toContain('The lab machine restarted when this page loaded');
    const goals = await page.locator('[data-goal]').count();
    expect(await page.locator('[data-goal][data-result="stale"]').count()).toBe(goals);
    expect(await page.locator('[data-goal] [data-goal-status]').first().innerText()).toBe('done before the restart: check again');
    await page.getByRole('button', { name: 'Check my work' }).click();
    await page.getByText(/\d of \d goals done|All \d goals done/).waitFor();
    expect(await page.locator('[data-goal][data-result="stale"]').count()).toBe(0);
    expect(await notice.isHidden()).toBe(true);
    await context.close();
  });

  it('a lab in a page without storage (a blocked third-party iframe) runs and says progress will not be kept', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(() => {
      // What Chromium does for a third-party iframe with storage blocked: reading localStorage throws.
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException("Failed to read the 'localStorage' property from 'Window': Access is denied for this document.", 'SecurityError');
        },
      });
    });
    const page = await context.newPage();
    const errors = collectPageErrors(page, [/stackblitz\.com/]);
    await page.goto(siteUrl('labs/myapp/'));
    await page.locator('.lab[data-lab-state="ready"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-lab-storage-notice]').innerText()).toContain('your edits and progress last until you leave the page');
    expect(await type(page, 'systemctl is-enabled myapp.socket')).toMatch(/\ndisabled\n/);
    expect(errors.list()).toEqual([]);
    await context.close();
  });

  it('a JavaScript syntax error is linted in the editor and its journal has file, line and caret as Node prints them', async () => {
    const context = await inPageContext();
    const page = await context.newPage();
    await startLab(page, 'fd-inheritance');
    await page.locator('.lab-editor .cm-content').waitFor();
    expect(await page.locator('[data-lab-editor-status]').innerText()).toContain('/opt/greeter/greeter');
    await appendInEditor(page, 'const broken = ;');
    await page.locator('.lab-editor .cm-lintRange-error').first().waitFor({ timeout: 10_000 });
    // The file's last line number, from the editor's gutter (its innerText doubles blank lines).
    const lines = Math.max(...(await page.locator('.lab-editor .cm-lineNumbers .cm-gutterElement').allInnerTexts()).map(Number).filter(Number.isFinite));
    await type(page, 'systemctl restart greeter.service');
    // -o cat: the messages alone, so the terminal's width does not wrap them.
    const text = await type(page, 'journalctl -u greeter.service -n 12 -o cat');
    expect(text).toMatch(new RegExp(`\\n/opt/greeter/greeter:${lines}\\nconst broken = ;\\n {15}\\^\\n`));
    expect(text).toContain("\nSyntaxError: Unexpected token ';'\n");
    await context.close();
  });
});

describe('the editor loads what a file needs when it opens', () => {
  it('a unit file fetches no language chunk and no search; a read-only program only its highlighting mode; Ctrl+F fetches search and opens it', async () => {
    const context = await inPageContext();
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (request) => void scripts.push(new URL(request.url()).pathname));
    await startLab(page, 'socket-and-service-units');
    await page.locator('.lab-file', { hasText: '/etc/systemd/system/myapp.socket' }).click();
    await page.locator('.lab-editor .cm-content[data-language="systemd"]').waitFor({ timeout: 30_000 });
    // Unit-file highlighting is there at once: the [Socket] header is a token of its own.
    await page.locator('.lab-editor .cm-line span', { hasText: '[Socket]' }).first().waitFor({ timeout: 10_000 });
    const lazy = (name: string) => scripts.some((path) => path.includes(`/${name}.`));
    expect(['javascript', 'javascript-language', 'program-editing', 'editor-search'].filter(lazy)).toEqual([]);
    // /opt/myapp/myapp is read only in this lab: highlighted by the small mode, without the parser, lint and completion.
    await page.locator('.lab-file', { hasText: '/opt/myapp/myapp' }).click();
    await page.locator('.lab-editor .cm-content[data-language="javascript"]').waitFor();
    await page.locator('.lab-editor .cm-line span').first().waitFor({ timeout: 10_000 });
    expect(lazy('javascript')).toBe(true);
    expect(['javascript-language', 'program-editing', 'editor-search'].filter(lazy)).toEqual([]);
    await page.locator('.lab-editor .cm-content').click();
    await page.keyboard.press('Control+f');
    await page.locator('.lab-editor .cm-search input[name="search"]').waitFor({ timeout: 10_000 });
    expect(lazy('editor-search')).toBe(true);
    await context.close();
  });

  it('an editable program fetches the JavaScript parser with its syntax check and closes brackets as typed', async () => {
    const context = await inPageContext();
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (request) => void scripts.push(new URL(request.url()).pathname));
    await startLab(page, 'fd-inheritance');
    await page.locator('.lab-file', { hasText: '/opt/greeter/greeter' }).click();
    await page.locator('.lab-editor .cm-content[data-language="javascript"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => scripts.some((path) => path.includes('/javascript-language.')), { timeout: 10_000 }).toBe(true);
    await page.locator('.lab-editor .cm-line span').first().waitFor({ timeout: 10_000 });
    await appendInEditor(page, 'console.log(');
    await expect.poll(() => editorText(page)).toMatch(/console\.log\(\)\s*$/);
    await context.close();
  });

  it('a shell file (/etc/default/ssh) is highlighted as shell, not linted as JavaScript', async () => {
    const context = await inPageContext();
    const page = await context.newPage();
    await startLab(page, 'sshd');
    await page.locator('.lab-file', { hasText: '/etc/default/ssh' }).click();
    await page.locator('.lab-editor .cm-content[data-language="shell"]').waitFor({ timeout: 30_000 });
    await page.locator('.lab-editor .cm-line span').first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(1000);
    expect(await page.locator('.lab-editor .cm-lintRange-error').count()).toBe(0);
    await context.close();
  });
});

describe('interactive nc', () => {
  it('typed text is echoed once, and the server answers the whole line', async () => {
    const context = await inPageContext();
    const page = await context.newPage();
    await startLab(page, 'accept-yes');
    await page.getByRole('button', { name: 'Show solution' }).click();
    await runSolutionSteps(page);
    await type(page, 'clear');
    await page.keyboard.type('nc 127.0.0.1 7777\n');
    await expect.poll(() => screenText(page), { timeout: 15_000 }).toMatch(/hello 127\.0\.0\.1:\d+, this is echo-server pid \d+\n/);
    await page.keyboard.type('typed line\n');
    await expect.poll(() => screenText(page), { timeout: 15_000 }).toMatch(/\ntyped line\nTYPED LINE\n/);
    expect(await screenText(page)).not.toMatch(/tT|yY/);
    // The diagram draws the Accept=yes instance's whole name, while its connection is open.
    const instance = page.locator('g.lab-box[data-unit^="echo@"]').first();
    await instance.waitFor({ timeout: 10_000 });
    const name = await instance.getAttribute('data-unit');
    expect(await instance.locator('text.lab-name').allTextContents().then((parts) => parts.join(''))).toBe(name);
    expect(await textsOutsideTheirBoxes(page)).toEqual([]);
    // nc without -N keeps the connection after Ctrl+D, as OpenBSD nc does: Ctrl+C ends it.
    await page.keyboard.press('Control+c');
    await page.locator('[data-lab-terminal][aria-busy="false"]').waitFor({ timeout: 15_000 });
    await context.close();
  });
});

/** Every text of every diagram box lies inside its box (nothing runs out or is cut off). */
async function textsOutsideTheirBoxes(page: Page): Promise<string[]> {
  return page.locator('.lab-diagram-svg').evaluate((svg) =>
    [...svg.querySelectorAll('g.lab-box')].flatMap((box) => {
      const rect = box.querySelector('rect')!.getBBox();
      return [...box.querySelectorAll('text')]
        .map((text) => ({ text: text.textContent ?? '', bounds: (text as SVGTextElement).getBBox() }))
        .filter(({ bounds }) => bounds.x < rect.x || bounds.y < rect.y || bounds.x + bounds.width > rect.x + rect.width || bounds.y + bounds.height > rect.y + rect.height)
        .map(({ text }) => `${box.getAttribute('data-unit')}: "${text}"`);
    }),
  );
}

describe('diagrams show every unit and fd, readable on a phone', () => {
  for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
    it(`listen-fds: both sockets' arrows and fds 3 and 4, every text inside its box (${viewport.width} px)`, async () => {
      const context = await inPageContext({ viewport });
      const page = await context.newPage();
      await startLab(page, 'fd-inheritance');
      await page.getByRole('button', { name: 'Show solution' }).click();
      await runSolutionSteps(page);
      const figure = page.locator('.lab-diagram-svg');
      await figure.locator('text', { hasText: 'fd 4 ← greeter-admin.socket' }).waitFor({ timeout: 10_000 });
      await expect.poll(() => figure.locator('text', { hasText: 'fd 3 ← greeter.socket' }).count()).toBe(1);
      await expect.poll(() => figure.locator('text.lab-arrow-label', { hasText: /triggers · fd [34]/ }).count()).toBe(2);
      if (viewport.width > 600) {
        expect(await figure.locator('path.lab-arrow[data-from="greeter.socket"][data-to="greeter.service"]').count()).toBe(1);
        expect(await figure.locator('path.lab-arrow[data-from="greeter-admin.socket"][data-to="greeter.service"]').count()).toBe(1);
      }
      expect(await textsOutsideTheirBoxes(page)).toEqual([]);
      // Rendered text no smaller than 11 CSS px (the viewBox scales it with the figure).
      const smallest = await figure.evaluate((svg) => Math.min(...[...svg.querySelectorAll('text')].map((text) => text.getBoundingClientRect().height)));
      expect(smallest).toBeGreaterThanOrEqual(11);
      await context.close();
    });
  }

  it('cups: cups.path is drawn with the service it starts', async () => {
    const context = await inPageContext();
    const page = await context.newPage();
    await startLab(page, 'cups');
    await page.locator('g.lab-box[data-unit="cups.path"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-lab-diagram-summary]').textContent()).toContain('cups.path: ');
    expect(await textsOutsideTheirBoxes(page)).toEqual([]);
    await context.close();
  });
});

/** Texts of the lesson figures that are smaller than `minimum` CSS px, or run out of the box they start in. */
async function figureProblems(page: Page, minimum: number): Promise<string[]> {
  return page.locator('.lesson-figure > svg').evaluateAll((figures, smallest) =>
    figures.flatMap((svg) => {
      const problems: string[] = [];
      const scale = svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width;
      const rects = [...svg.querySelectorAll('rect')].map((rect) => rect.getBBox());
      for (const text of svg.querySelectorAll('text')) {
        const size = parseFloat(getComputedStyle(text).fontSize) * scale;
        if (size < smallest) problems.push(`"${text.textContent}" is ${size.toFixed(1)} px`);
        const box = (text as SVGTextElement).getBBox();
        const inside = rects.filter((rect) => box.x >= rect.x && box.x <= rect.x + rect.width && box.y + box.height / 2 >= rect.y && box.y + box.height / 2 <= rect.y + rect.height);
        const home = inside.sort((a, b) => a.width * a.height - b.width * b.height)[0];
        if (home && box.x + box.width > home.x + home.width + 1) problems.push(`"${text.textContent}" runs out of its box`);
      }
      return problems;
    }), minimum);
}

describe('lesson figures', () => {
  it('on a 390 px phone figures keep 11 px text and scroll inside their own box; no text runs out of its box at any width', async () => {
    for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 900 }]) {
      const page = await browser.newPage({ viewport });
      for (const lesson of Object.keys(LAB_LESSONS)) {
        await page.goto(siteUrl(`lessons/${lesson}/`));
        expect(await figureProblems(page, viewport.width < 600 ? 11 : 0), `${lesson} at ${viewport.width} px`).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), lesson).toBeLessThanOrEqual(viewport.width);
      }
      await page.close();
    }
  });
});

describe('layout', () => {
  it('on a wide screen editor, terminal and goals are in view together beside the lesson text; axe finds no serious violation', async () => {
    const context = await inPageContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await startLab(page, 'socket-and-service-units');
    await page.locator('.lab-editor .cm-content').waitFor();
    const toggle = page.getByRole('button', { name: 'Side by side' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const inView = async (selector: string) => {
      const box = await page.locator(selector).boundingBox();
      return box !== null && box.y >= 0 && box.y + Math.min(box.height, 120) <= 900 && box.x >= 0 && box.x + box.width <= 1440;
    };
    for (const selector of ['.lab-editor .cm-editor', '.lab-terminal', '.lab-goal-list']) expect(await inView(selector), selector).toBe(true);
    // The lesson text is beside the lab, not under it.
    const text = await page.locator('.lesson .prose').boundingBox();
    const lab = await page.locator('.lab').boundingBox();
    expect(text && lab && text.x + text.width <= lab.x).toBe(true);
    const found: string[] = [];
    for (const theme of ['light', 'dark'] as const) {
      await page.getByLabel('Theme').selectOption(theme);
      const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
      found.push(...violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => `${theme}: ${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`));
    }
    expect(found).toEqual([]);
    // Turned off, the lab is back in the page, and stays so after a reload.
    await toggle.click();
    expect(await page.locator('.lab').getAttribute('data-lab-layout')).toBeNull();
    await page.reload();
    await page.getByRole('button', { name: 'Start lab' }).click();
    await page.locator('.lab[data-lab-state="ready"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('.lab').getAttribute('data-lab-layout')).toBeNull();
    // The standalone lab page (an iframe in a wiki) puts the three in columns.
    await page.goto(siteUrl('labs/myapp/'));
    await page.locator('.lab[data-lab-state="ready"]').waitFor({ timeout: 30_000 });
    await page.locator('.lab-editor .cm-content').waitFor();
    for (const selector of ['.lab-editor .cm-editor', '.lab-terminal', '.lab-goal-list']) expect(await inView(selector), `labs/myapp/ ${selector}`).toBe(true);
    await context.close();
  });

  it('on a 390 px phone no lesson scrolls sideways with its lab started; goal texts show inline code, not backticks', async () => {
    const context = await inPageContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const wide: string[] = [];
    for (const lesson of Object.keys(LAB_LESSONS)) {
      await startLab(page, lesson);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 390) wide.push(`${lesson}: ${width} px`);
      const tasks = await page.locator('.lab-goal-task').allInnerTexts();
      expect(tasks.filter((task) => task.includes('`')), lesson).toEqual([]);
    }
    expect(wide).toEqual([]);
    await page.goto(siteUrl('lessons/accept-yes/'));
    expect(await page.locator('.lab-goal-task code').count()).toBeGreaterThan(0);
    await context.close();
  });

  it('in print (A4) a lab\'s program lines wrap instead of running off the page', async () => {
    const page = await browser.newPage({ viewport: { width: 794, height: 1123 } });
    await page.goto(siteUrl('lessons/fd-inheritance/'));
    await page.emulateMedia({ media: 'print' });
    const overflowing = await page.locator('.lab-print pre').evaluateAll((blocks) => blocks.filter((block) => block.scrollWidth > block.clientWidth + 1).length);
    expect(await page.locator('.lab-print pre').count()).toBeGreaterThan(0);
    expect(overflowing).toBe(0);
    await page.close();
  });
});

describe('search', () => {
  it('finds no "Solution steps" or lab program code, and every result anchor is a visible element', async () => {
    const page = await browser.newPage();
    await page.goto(siteUrl('lessons/the-problem/'));
    // A string, so the test runner's transform leaves the page's dynamic import() alone.
    const results: Array<{ url: string; title: string; text: string }> = await page.evaluate(`(async () => {
      const pagefind = await import(location.origin + '/pagefind/pagefind.js');
      const found = [];
      for (const query of ['Solution steps', 'createServer', 'listenFds', 'systemctl daemon-reload']) {
        const search = await pagefind.search(query);
        for (const result of search.results.slice(0, 8)) {
          const data = await result.data();
          found.push({ url: data.url, title: data.meta.title, text: data.excerpt });
          for (const sub of data.sub_results ?? []) found.push({ url: sub.url, title: sub.title, text: sub.excerpt });
        }
      }
      return found;
    })()`);
    expect(results.length).toBeGreaterThan(0);
    expect(results.filter((result) => /Solution steps/i.test(result.title))).toEqual([]);
    expect(results.filter((result) => /function listenFds|createServer\(\(connection/.test(result.text))).toEqual([]);
    const hidden: string[] = [];
    for (const url of new Set(results.map((result) => result.url).filter((url) => url.includes('#')))) {
      await page.goto(siteUrl(url));
      const id = decodeURIComponent(url.slice(url.indexOf('#') + 1));
      const visible = await page.evaluate((target) => {
        const element = document.getElementById(target);
        return element !== null && element.checkVisibility();
      }, id);
      if (!visible) hidden.push(url);
    }
    expect(hidden).toEqual([]);
    await page.close();
  });
});
