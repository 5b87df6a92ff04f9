/**
 * The helpers the browser benches share (bench/lab-timing.ts, bench/in-page-machine.ts, bench/site-figures.ts):
 * Chromium, medians, the round-trip recorder and the JS meter with the learner's path through a lab.
 * Measures only; never asserts.
 */
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium, headless, with the background traffic that would blur the figures turned off. */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Launches Chromium (CHROMIUM_PATH, default /usr/bin/chromium) with CHROMIUM_FLAGS and `extra`. */
export function launchChromium(extra: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_FLAGS, ...extra] });
}

/** The median (the upper one of an even count). */
export function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** KB with one decimal. */
const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

/** A request log of every JS response (pages and Workers), gzip size per file name. */
export interface ScriptMeter {
  /** Waits for bodies still being read, then gzip KB per file (name without folder), in load order. */
  chunks(): Promise<Record<string, number>>;
  /** Waits for bodies still being read, then the total gzip KB. */
  total(): Promise<number>;
}

/** Starts logging the JS a page or context loads from now on (gzip level 6, as servers send it). */
export function scriptMeter(target: Page | BrowserContext): ScriptMeter {
  const sizes = new Map<string, number>();
  const pending = new Set<Promise<void>>();
  target.on('response', (response) => {
    const url = new URL(response.url());
    if (response.request().resourceType() !== 'script' && !/\.m?js$/.test(url.pathname)) return;
    const read = response.body().then((body) => void sizes.set(url.pathname.split('/').pop() ?? url.pathname, gzipSync(body).length), () => undefined);
    pending.add(read);
    void read.finally(() => pending.delete(read));
  });
  const settle = async () => {
    while (pending.size > 0) await Promise.all([...pending]);
  };
  return {
    async chunks() {
      await settle();
      return Object.fromEntries([...sizes].map(([name, size]) => [name, kb(size)]));
    },
    async total() {
      await settle();
      return kb([...sizes.values()].reduce((sum, size) => sum + size, 0));
    },
  };
}

/** JS (gzip KB) along the learner's path through a lab, and every file loaded by the end. */
export interface LabScriptFigures {
  /** The lesson page before Start lab. */
  before_start: number;
  /** One second after the prompt (before the editor's idle load), the terminal used once. */
  prompt: number;
  /** A unit file opened in the editor (CodeMirror loaded). */
  editor: number;
  /** The lab's program opened too (its language's chunk loaded): the figure of issue 12. */
  total: number;
  /**
   * Then the lab's other commands run once each (the Worker fetches each command's chunk the first time it runs):
   * what a learner who works through the lab has loaded. Equal to `total` when no commands are given.
   */
  after_commands: number;
  /** Every JS file loaded by the end, gzip KB. */
  chunks: Record<string, number>;
}

/** Types `line` and Enter in the lab terminal and waits for the prompt. */
async function runInTerminal(page: Page, line: string): Promise<void> {
  await page.getByRole('region', { name: 'Terminal' }).click();
  await page.keyboard.type(`${line}\n`);
  await page.locator('[data-lab-terminal][aria-busy="false"]').waitFor({ timeout: 30_000 });
}

/** Waits until no JS response has arrived for `quietMs` (networkidle never comes while a blocked host is retried). */
async function quiet(page: Page, quietMs = 800): Promise<void> {
  let last = Date.now();
  const seen = () => void (last = Date.now());
  page.on('response', seen);
  while (Date.now() - last < quietMs) await page.waitForTimeout(100);
  page.off('response', seen);
}

/**
 * Walks a learner's first minutes in a lab and meters the JS: open the lesson, Start lab, run a command, open
 * `unitFile` in the editor, then `programFile`, then run `commands`. The page must not be loaded yet;
 * `page.goto(url)` happens here.
 */
export async function labScriptFigures(page: Page, url: string, files: { unitFile: string; programFile: string }, commands: string[] = []): Promise<LabScriptFigures> {
  const meter = scriptMeter(page.context());
  await page.goto(url);
  await page.waitForLoadState('load');
  await quiet(page);
  const before = await meter.total();
  await page.getByRole('button', { name: 'Start lab' }).click();
  await page.locator('.lab[data-lab-state="ready"]').waitFor({ timeout: 60_000 });
  await runInTerminal(page, 'systemctl status --no-pager');
  await page.waitForTimeout(1000);
  const prompt = await meter.total();
  await page.locator('.lab-file', { hasText: files.unitFile }).click();
  await page.locator('.lab-editor .cm-editor').waitFor({ timeout: 30_000 });
  await quiet(page);
  const editor = await meter.total();
  await page.locator('.lab-file', { hasText: files.programFile }).click();
  await page.locator(`.lab-editor .cm-content[aria-label^="Contents of ${files.programFile}"]`).waitFor({ timeout: 30_000 });
  await quiet(page);
  const total = await meter.total();
  for (const line of commands) await runInTerminal(page, line);
  if (commands.length > 0) await quiet(page);
  return { before_start: before, prompt, editor, total, after_commands: await meter.total(), chunks: await meter.chunks() };
}

/** Starts timing every command in the lab terminal: aria-busy true → false, in the page. Read with roundTrips(). */
export async function recordRoundTrips(page: Page): Promise<void> {
  await page.evaluate(() => {
    const region = document.querySelector('[data-lab-terminal]') as HTMLElement;
    const times: number[] = [];
    let started = 0;
    new MutationObserver(() => {
      if (region.getAttribute('aria-busy') === 'true') started = performance.now();
      else if (started) {
        times.push(performance.now() - started);
        started = 0;
      }
    }).observe(region, { attributes: true, attributeFilter: ['aria-busy'] });
    (window as unknown as { labTimes: number[] }).labTimes = times;
  });
}

/** The round trips (ms) recorded since recordRoundTrips(). */
export function roundTrips(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { labTimes: number[] }).labTimes);
}
