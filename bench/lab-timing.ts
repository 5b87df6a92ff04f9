/**
 * Lab figures for the closing note (prints them; asserts nothing):
 *   - in-page lab ready time after "Start lab" (target < 300 ms), median of several page loads;
 *   - a command's round trip in the terminal, Enter → prompt back (target < 50 ms), median;
 *   - JavaScript a lesson page loads before the lab starts and along a learner's first minutes after it (gzip KB,
 *     per file; bench/lab-browser.ts labScriptFigures).
 * Usage: node bench/lab-timing.ts [distDir]   (build first: OUT_DIR=dist npx astro build)
 * The runtime is forced to in-page (the learner's saved choice) so the WebContainer attempt, which
 * cannot reach StackBlitz here, does not count.
 */
import { resolve } from 'node:path';
import { createStaticServer, listen } from '../src/site/static-server.ts';
import { labScriptFigures, launchChromium, median, recordRoundTrips, roundTrips } from './lab-browser.ts';

const dist = resolve(process.argv[2] ?? 'dist');
const LESSON = 'lessons/socket-and-service-units/';
const RUNS = Number(process.env.LAB_RUNS ?? 11);

const server = await createStaticServer({ root: dist, base: '/' });
const base = `${await listen(server)}/`;
const browser = await launchChromium();

try {
  // JS along a learner's path: before Start lab, at the prompt, with the editor, with the program open.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => localStorage.setItem('sa-course:lab:myapp', JSON.stringify({ files: {}, goals: {}, history: [], runtime: 'in-page' })));
  const js = await labScriptFigures(await context.newPage(), base + LESSON, { unitFile: '/etc/systemd/system/myapp.socket', programFile: '/opt/myapp/myapp' });
  const page = await context.newPage();

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
  await recordRoundTrips(page);
  const terminal = page.getByRole('region', { name: 'Terminal' });
  await terminal.click();
  const commands = ['systemctl is-active myapp.socket', 'systemctl status myapp.socket', 'ss -ltn', 'journalctl -n 5 --no-pager'];
  for (let run = 0; run < 5; run += 1) {
    for (const command of commands) {
      await page.keyboard.type(`${command}\n`);
      await page.locator('[data-lab-terminal][aria-busy="false"]').waitFor();
    }
  }
  const trips = await roundTrips(page);

  console.log('Lab figures (in-page runtime, headless Chromium on this machine)');
  console.log(`  lab ready, Start lab at once:  median ${median(ready)} ms (runs: ${ready.join(', ')}), island code download included`);
  console.log(`    of which: runtime booted at median ${median(booted)} ms, island code loaded at median ${median(islandLoaded)} ms`);
  console.log(`  lab ready, lab seen first:     median ${median(warm)} ms (runs: ${warm.join(', ')}) — target < 300 ms`);
  console.log(`  terminal command round trip:   median ${median(trips).toFixed(1)} ms over ${trips.length} commands — target < 50 ms`);
  console.log(`  lesson page JS before start:   ${js.before_start} KB gzip — target ≤ 20 KB`);
  console.log(`  lesson page JS after start:    ${js.prompt} KB gzip at the prompt, ${js.editor} KB with the editor, ${js.total} KB with the program open (Worker included) — target ≤ 200 KB`);
  console.log(`  JS files (gzip KB):            ${Object.entries(js.chunks).map(([name, size]) => `${name} ${size}`).join(', ')}`);
  await context.close();
} finally {
  await browser.close();
  server.close();
}
