/**
 * Lab figures for the closing note (prints them; asserts nothing):
 *   - in-page lab ready time after "Start lab" (target < 300 ms), median of several page loads;
 *   - a command's round trip in the terminal, Enter → prompt back (target < 50 ms), median;
 *   - JavaScript a lesson page loads before the lab starts and after (gzip bytes).
 * Usage: node bench/lab-timing.ts [distDir]   (build first: OUT_DIR=dist npx astro build)
 * The runtime is forced to in-page (the learner's saved choice) so the WebContainer attempt, which
 * cannot reach StackBlitz here, does not count.
 */
import { gzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { createStaticServer, listen } from '../src/site/static-server.ts';

const dist = resolve(process.argv[2] ?? 'dist');
const LESSON = 'lessons/socket-and-service-units/';
const RUNS = Number(process.env.LAB_RUNS ?? 11);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Collects gzip sizes of every script the page loads, split at a moment we choose. */
function scriptMeter(page: Page) {
  const sizes = new Map<string, number>();
  page.on('response', async (response) => {
    const type = response.request().resourceType();
    if (type !== 'script' && !/\.m?js$/.test(new URL(response.url()).pathname)) return;
    const body = await response.body().catch(() => undefined);
    if (body) sizes.set(response.url(), gzipSync(body).length);
  });
  return { total: () => [...sizes.values()].reduce((sum, size) => sum + size, 0), count: () => sizes.size };
}

const server = await createStaticServer({ root: dist, base: '/' });
const base = `${await listen(server)}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});

try {
  // JS before and after the lab starts (the lab is below the fold, so nothing prefetches first).
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const meter = scriptMeter(page);
  await page.goto(base + LESSON);
  await page.waitForLoadState('networkidle');
  const before = meter.total();
  const beforeCount = meter.count();
  await page.evaluate(() => localStorage.setItem('sa-course:lab:myapp', JSON.stringify({ files: {}, goals: {}, history: [], runtime: 'in-page' })));
  await page.getByRole('button', { name: 'Start lab' }).click();
  await page.locator('.lab[data-lab-state="ready"]').waitFor();
  await page.waitForLoadState('networkidle');
  const after = meter.total();

  // Ready time: fresh loads, "Start lab" → runtime booted (measured in the page by the island).
  const ready: number[] = [];
  const booted: number[] = [];
  const islandLoaded: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    await page.goto(base + LESSON);
    await page.getByRole('button', { name: 'Start lab' }).click();
    await page.locator('.lab[data-lab-state="ready"]').waitFor();
    ready.push(Number(await page.locator('.lab').getAttribute('data-ready-ms')));
    // Where the time went (marks set by lab-loader.ts), relative to the click.
    const marks = await page.evaluate(() => {
      const at = (name: string) => performance.getEntriesByName(name).at(-1)?.startTime ?? Number.NaN;
      return { booted: at('lab:runtime-booted') - at('lab:start'), island: at('lab:island-loaded') - at('lab:start') };
    });
    booted.push(Math.round(marks.booted));
    islandLoaded.push(Math.round(marks.island));
  }

  // Ready time after the lab scrolled into view first (the loader then fetches the island and warms the Worker).
  const warm: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    await page.goto(base + LESSON);
    await page.locator('.lab').scrollIntoViewIfNeeded();
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300);
    await page.getByRole('button', { name: 'Start lab' }).click();
    await page.locator('.lab[data-lab-state="ready"]').waitFor();
    warm.push(Number(await page.locator('.lab').getAttribute('data-ready-ms')));
  }

  // Round trip: Enter → prompt back, timed in the page from aria-busy going true to false.
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
  const terminal = page.getByRole('region', { name: 'Terminal' });
  await terminal.click();
  const commands = ['systemctl is-active myapp.socket', 'systemctl status myapp.socket', 'ss -ltn', 'journalctl -n 5 --no-pager'];
  for (let run = 0; run < 5; run += 1) {
    for (const command of commands) {
      await page.keyboard.type(`${command}\n`);
      await page.locator('[data-lab-terminal][aria-busy="false"]').waitFor();
    }
  }
  const roundTrips = await page.evaluate(() => (window as unknown as { labTimes: number[] }).labTimes);

  console.log('Lab figures (in-page runtime, headless Chromium on this machine)');
  console.log(`  lab ready, Start lab at once:  median ${median(ready)} ms (runs: ${ready.join(', ')}), island code download included`);
  console.log(`    of which: runtime booted at median ${median(booted)} ms, island code loaded at median ${median(islandLoaded)} ms`);
  console.log(`  lab ready, lab seen first:     median ${median(warm)} ms (runs: ${warm.join(', ')}) — target < 300 ms`);
  console.log(`  terminal command round trip:   median ${median(roundTrips).toFixed(1)} ms over ${roundTrips.length} commands — target < 50 ms`);
  console.log(`  lesson page JS before start:   ${(before / 1024).toFixed(1)} KB gzip in ${beforeCount} files — target ≤ 20 KB`);
  console.log(`  lesson page JS after start:    ${(after / 1024).toFixed(1)} KB gzip (worker included)`);
  await context.close();
} finally {
  await browser.close();
  server.close();
}
