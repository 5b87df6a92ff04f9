/**
 * The in-page machine's figures (issue 12), in headless Chromium on a build; prints one JSON line (asserts nothing):
 *   lab_ready_default_blocked_ms  default settings (no saved runtime choice), StackBlitz's hosts blocked by a
 *                                 request route, as on an intranet: Start lab → prompt (median)
 *   lab_ready_in_page_ms          the in-page runtime chosen (median)
 *   roundtrip_while_spinning_ms   `echo` Enter → prompt back while greeter.service spins in `while (true) {}`
 *                                 (listen-fds lab, median of 10)
 *   js_after_start_kb             gzip KB of JS after Start lab (default settings): `prompt` (1 s after the prompt,
 *                                 before the editor's idle load), `editor` (a unit file opened), `total` (the lab's
 *                                 program opened too, its language loaded), and every file (bench/lab-browser.ts)
 *   flood_memory_mb               the page's memory (page + Worker, measureUserAgentSpecificMemory where the page is
 *                                 cross-origin isolated, else the JS heaps over CDP) at the start and after
 *                                 FLOOD_MINUTES (default 10) with a service printing without end and `journalctl -f`
 *                                 following it in the terminal
 * Usage: node bench/in-page-machine.ts [distDir]   (build first: OUT_DIR=dist npm run build)
 * Environment: LAB_RUNS (page loads per median, default 7), FLOOD_MINUTES (default 10; 0 skips), CHROMIUM_PATH.
 */
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createStaticServer, listen } from '../src/site/static-server.ts';
import { labScriptFigures, launchChromium, median, recordRoundTrips, roundTrips } from './lab-browser.ts';

const dist = resolve(process.argv[2] ?? 'dist');
const RUNS = Number(process.env.LAB_RUNS ?? 7);
const FLOOD_MINUTES = Number(process.env.FLOOD_MINUTES ?? 10);
const MYAPP = 'lessons/socket-and-service-units/';
const LISTEN_FDS = 'lessons/fd-inheritance/';
/** StackBlitz's hosts (not the site's own webcontainer-runtime chunk or bundle). */
const STACKBLITZ = (url: URL) => /(^|\.)(stackblitz\.com|stackblitz\.io|webcontainer\.io|webcontainer-api\.io|staticblitz\.com)$/.test(url.hostname);
const SPIN = '#!/usr/bin/env node\nwhile (true) {}\n';
const FLOOD = "#!/usr/bin/env node\nrequire('net').createServer().listen({ fd: 3 });\nlet i = 0;\nsetInterval(() => { for (let k = 0; k < 20; k++) console.log('flood line ' + i++); }, 1);\n";

/** A page with StackBlitz blocked and, optionally, saved lab state (edits, runtime choice). */
async function openLab(browser: Browser, lesson: string, saved?: { lab: string; state: object }): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.route(STACKBLITZ, (route) => route.abort());
  if (saved) await page.addInitScript(([key, value]) => window === window.top && localStorage.setItem(key, value), [`sa-course:lab:${saved.lab}`, JSON.stringify(saved.state)] as const);
  await page.goto(base + lesson);
  return page;
}

/** Start lab → data-ready-ms of the island (measured in the page). */
async function readyMs(page: Page): Promise<number> {
  await page.getByRole('button', { name: 'Start lab' }).click();
  await page.locator('.lab[data-lab-state="ready"]').waitFor({ timeout: 60_000 });
  return Number(await page.locator('.lab').getAttribute('data-ready-ms'));
}

/** Types a line and waits for the prompt. */
async function type(page: Page, line: string): Promise<void> {
  await page.getByRole('region', { name: 'Terminal' }).click();
  await page.keyboard.type(`${line}\n`);
  await page.locator('[data-lab-terminal][aria-busy="false"]').waitFor({ timeout: 30_000 });
}

/** The page's memory in MB: page and Worker together where the browser can say so. */
async function memoryMb(page: Page): Promise<{ mb: number; how: string }> {
  const measured = await page.evaluate(async () => {
    const perf = performance as Performance & { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> };
    if (!globalThis.crossOriginIsolated || !perf.measureUserAgentSpecificMemory) return undefined;
    return (await perf.measureUserAgentSpecificMemory()).bytes;
  }).catch(() => undefined);
  if (measured !== undefined) return { mb: Math.round(measured / 1e5) / 10, how: 'measureUserAgentSpecificMemory (page + Worker)' };
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const heap = metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? 0;
  let workers = 0;
  for (const worker of page.workers()) workers += await worker.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0).catch(() => 0);
  return { mb: Math.round((heap + workers) / 1e5) / 10, how: 'CDP JSHeapUsedSize of the page (+ Worker performance.memory where Chromium has it)' };
}

const server = await createStaticServer({ root: dist, base: '/' });
const base = `${await listen(server)}/`;
const browser = await launchChromium(['--enable-blink-features=ForceEagerMeasureMemory']);
const results: Record<string, unknown> = {};

try {
  // 1. Default settings, StackBlitz unreachable.
  const blocked: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const page = await openLab(browser, MYAPP);
    blocked.push(await readyMs(page));
    results.runtime_line_default_blocked = await page.locator('[data-lab-runtime]').innerText();
    await page.close();
  }
  results.lab_ready_default_blocked_ms = median(blocked);
  results.lab_ready_default_blocked_runs = blocked;

  // 2. In-page chosen.
  const inPage: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const page = await openLab(browser, MYAPP, { lab: 'myapp', state: { files: {}, goals: {}, history: [], runtime: 'in-page' } });
    inPage.push(await readyMs(page));
    await page.close();
  }
  results.lab_ready_in_page_ms = median(inPage);

  // 3. JS after Start lab (default settings, StackBlitz blocked) along a learner's first minutes.
  {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.route(STACKBLITZ, (route) => route.abort());
    const { prompt, editor, total, chunks } = await labScriptFigures(page, base + MYAPP, { unitFile: '/etc/systemd/system/myapp.socket', programFile: '/opt/myapp/myapp' });
    results.js_after_start_kb = { prompt, editor, total, chunks };
    await page.close();
  }

  // 4. A command's round trip while greeter.service spins.
  {
    const page = await openLab(browser, LISTEN_FDS, { lab: 'listen-fds', state: { files: { '/opt/greeter/greeter': SPIN }, goals: {}, history: [] } });
    await readyMs(page);
    await type(page, 'curl -s --max-time 1 http://127.0.0.1:8080/');
    await recordRoundTrips(page);
    for (let run = 0; run < 10; run += 1) await type(page, `echo round ${run}`);
    const times = await roundTrips(page);
    results.roundtrip_while_spinning_ms = Math.round(median(times) * 10) / 10;
    results.greeter_while_spinning = (await page.locator('[data-lab-terminal]').innerText()).includes('round 9') ? 'terminal answered' : 'no answer';
    await page.close();
  }

  // 5. Memory with a flooding service followed by journalctl -f.
  if (FLOOD_MINUTES > 0) {
    const page = await openLab(browser, LISTEN_FDS, { lab: 'listen-fds', state: { files: { '/opt/greeter/greeter': FLOOD }, goals: {}, history: [] } });
    await readyMs(page);
    await type(page, 'curl -s --max-time 1 http://127.0.0.1:8080/');
    const start = await memoryMb(page);
    await page.getByRole('region', { name: 'Terminal' }).click();
    await page.keyboard.type('journalctl -f -u greeter.service\n');
    const samples: number[] = [];
    for (let minute = 1; minute <= FLOOD_MINUTES; minute += 1) {
      await page.waitForTimeout(60_000);
      samples.push((await memoryMb(page)).mb);
    }
    const stopped = Date.now();
    await page.keyboard.press('Control+C');
    await page.locator('[data-lab-terminal][aria-busy="false"]').waitFor({ timeout: 30_000 });
    results.flood_ctrl_c_ms = Date.now() - stopped;
    const end = await memoryMb(page);
    results.flood_memory_mb = { minutes: FLOOD_MINUTES, start: start.mb, end: end.mb, per_minute: samples, how: end.how };
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify(results));
