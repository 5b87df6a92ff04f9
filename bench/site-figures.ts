/**
 * The site's figures for `npm run bench` (bench/run.ts): full build time, JS per page type, the lab's
 * timings (bench/lab-timing.ts, run as it is) and Lighthouse scores. Measures only; never asserts.
 *   build:      `npm run build` (astro build + Pagefind) into a fresh temp OUT_DIR, timed end to end
 *   js_kb:      gzip KB of every JS response (pages and workers) in Chromium, per page type, and per file
 *   js_chunks:  the build's own chunk graph (bench/chunk-graph.ts, written during the timed build): gzip KB per
 *               browser chunk, and the modules that are in more than one chunk
 *   lab:        bench/lab-timing.ts on that build: ready after Start lab, a command's round trip
 *   lighthouse: Lighthouse 12 (mobile, simulated throttling) against Debian's Chromium, for the landing
 *               page and a lesson with a lab, served with public/_headers and gzip as a real host would
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createStaticServer, listen } from '../src/site/static-server.ts';
import { CHROMIUM_FLAGS, labScriptFigures, launchChromium, median, scriptMeter } from './lab-browser.ts';
import { duplicateModules, readChunkGraph } from './chunk-graph.ts';

const ROOT = resolve(import.meta.dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Every lesson has a lab, so the FAQ (same layout, no lab code) stands for "a page without a lab". */
export const PAGES = { without_lab: 'faq/', landing: '', lesson_with_lab: 'lessons/socket-and-service-units/', lesson_with_editable_program: 'lessons/fd-inheritance/' };
const LAB_ID = 'myapp';
/** The commands the myapp lesson has the learner run besides systemctl (each is its own chunk in the Worker). */
const LAB_COMMANDS = ['curl -s --max-time 2 http://localhost:8080/', 'journalctl -u myapp.socket -n 3 --no-pager', 'ss -ltn', 'cat /etc/systemd/system/myapp.socket'];
const EDITABLE_PROGRAM_LAB_ID = 'listen-fds';

/** Runs a command; resolves with its output, rejects with it when the exit status is not 0. */
function run(command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => (code === 0 ? done(output) : fail(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output.slice(-3000)}`))));
  });
}

/** A fresh temp folder for a build; remove it with `rmSync(dir, { recursive: true })`. */
export function tempBuildDir(): string {
  return mkdtempSync(join(tmpdir(), 'bench-site-'));
}

/** Where a build into `outDir` writes its chunk graph (a sibling folder, so dist/ holds only the site). */
const chunkGraphDir = (outDir: string) => `${outDir}.chunk-graph`;

/** Seconds for a full `npm run build` (astro build + Pagefind) into `outDir`, base `/`; it also writes the chunk graph. */
export async function buildSeconds(outDir: string): Promise<number> {
  const started = performance.now();
  await run('npm', ['run', 'build', '--silent'], { OUT_DIR: outDir, BASE_PATH: '/', ASTRO_TELEMETRY_DISABLED: '1', CHUNK_GRAPH: chunkGraphDir(outDir) });
  return (performance.now() - started) / 1000;
}

/** The chunk graph of the build in `outDir` (built by buildSeconds): gzip KB per browser chunk, modules in two chunks. */
export function chunkFigures(outDir: string): { chunks: Record<string, number>; modules_in_two_chunks: string[] } {
  const chunks = readChunkGraph(chunkGraphDir(outDir)).sort((a, b) => b.gzip - a.gzip);
  return {
    chunks: Object.fromEntries(chunks.map((chunk) => [chunk.file.replace(/^.*\//, ''), Math.round(chunk.gzip / 102.4) / 10])),
    modules_in_two_chunks: Object.entries(duplicateModules(chunks)).map(([id, files]) => `${id} (${files.map((file) => file.replace(/^.*\//, '')).join(', ')})`),
  };
}

const COMPRESSIBLE = /^(text\/|application\/(json|javascript|wasm|xml|manifest\+json)|image\/svg)/;

/**
 * The static server of `npm run preview` (public/_headers applied) with gzip added, as nginx.conf and static
 * hosts send it: Lighthouse would otherwise score uncompressed transfers that no deployment makes.
 */
export async function serveBuild(dist: string): Promise<{ origin: string; close: () => Promise<void> }> {
  const inner = await createStaticServer({ root: dist, base: '/' });
  const [handler] = inner.listeners('request') as ((request: IncomingMessage, response: ServerResponse) => void)[];
  const server: Server = createServer((request, response) => {
    const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    const chunks: Buffer[] = [];
    let status = 200;
    let headers: Record<string, string | number | string[]> = {};
    const writeHead = response.writeHead.bind(response);
    const end = response.end.bind(response);
    response.writeHead = ((code: number, head?: Record<string, string>) => {
      status = code;
      headers = { ...head };
      return response;
    }) as typeof response.writeHead;
    response.end = ((body?: Buffer | string) => {
      if (body !== undefined) chunks.push(Buffer.from(body));
      let data = Buffer.concat(chunks);
      if (gzip && COMPRESSIBLE.test(String(headers['Content-Type'] ?? '')) && data.length > 0) {
        data = gzipSync(data);
        headers['Content-Encoding'] = 'gzip';
        headers['Vary'] = 'Accept-Encoding';
      }
      headers['Content-Length'] = data.length;
      writeHead(status, headers);
      return end(request.method === 'HEAD' ? undefined : data);
    }) as typeof response.end;
    handler(request, response);
  });
  const origin = await listen(server);
  return { origin, close: () => new Promise((done) => server.close(() => done())) };
}

/**
 * gzip KB of JS per page type: a page without a lab, the landing page, and a lesson with a lab along a learner's
 * first minutes (in-page runtime): before Start lab, at the prompt, with a unit file in the editor, with the
 * lab's program open too (`after_start`, the figure of issue 12), after the lesson's other commands ran once
 * (`after_commands`: the Worker fetches a command's chunk when it first runs), and each file loaded by then. The myapp lab's
 * program is read only; `lesson_with_editable_program` is the same path in the listen-fds lab, whose program
 * the learner edits (the JavaScript parser, lint and completion load then).
 */
export async function scriptKilobytes(origin: string): Promise<Record<string, unknown>> {
  const browser = await launchChromium();
  try {
    const pageTotal = async (path: string): Promise<number> => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const meter = scriptMeter(context);
      const page = await context.newPage();
      await page.goto(`${origin}/${path}`);
      await page.waitForLoadState('networkidle');
      const total = await meter.total();
      await context.close();
      return total;
    };
    const withoutLab = await pageTotal(PAGES.without_lab);
    const landing = await pageTotal(PAGES.landing);
    const labPath = async (id: string, path: string, files: { unitFile: string; programFile: string }, commands: string[] = []) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript((lab) => localStorage.setItem(`sa-course:lab:${lab}`, JSON.stringify({ files: {}, goals: {}, history: [], runtime: 'in-page' })), id);
      const figures = await labScriptFigures(await context.newPage(), `${origin}/${path}`, files, commands);
      await context.close();
      return figures;
    };
    const lab = await labPath(LAB_ID, PAGES.lesson_with_lab, { unitFile: '/etc/systemd/system/myapp.socket', programFile: '/opt/myapp/myapp' }, LAB_COMMANDS);
    const editable = await labPath(EDITABLE_PROGRAM_LAB_ID, PAGES.lesson_with_editable_program, { unitFile: '/etc/systemd/system/greeter.socket', programFile: '/opt/greeter/greeter' });
    return {
      lesson_without_lab: withoutLab,
      landing,
      lesson_with_lab_before_start: lab.before_start,
      lesson_with_lab_at_prompt: lab.prompt,
      lesson_with_lab_editor_open: lab.editor,
      lesson_with_lab_after_start: lab.total,
      lesson_with_lab_after_commands: lab.after_commands,
      lesson_with_lab_files: lab.chunks,
      lesson_with_editable_program: editable.total,
      lesson_with_editable_program_files: editable.chunks,
    };
  } finally {
    await browser.close();
  }
}

/** Lab ready and round-trip medians from bench/lab-timing.ts (owned by the lab engineer; run, not imported). */
export async function labTimings(dist: string): Promise<{ lab_ready_ms: number | null; lab_ready_warm_ms: number | null; command_roundtrip_ms: number | null }> {
  const output = await run(process.execPath, [join(ROOT, 'bench/lab-timing.ts'), dist], { LAB_RUNS: process.env.BENCH_LAB_RUNS ?? '7' });
  const figure = (pattern: RegExp): number | null => {
    const match = pattern.exec(output);
    if (!match) console.warn(`warning: bench/lab-timing.ts printed no line matching ${pattern}; its output was:\n${output}`);
    return match ? Number(match[1]) : null;
  };
  return {
    lab_ready_ms: figure(/lab ready, Start lab at once:\s+median ([\d.]+) ms/),
    lab_ready_warm_ms: figure(/lab ready, lab seen first:\s+median ([\d.]+) ms/),
    command_roundtrip_ms: figure(/command round trip:\s+median ([\d.]+) ms/),
  };
}

/**
 * The same two figures measured here, for when bench/lab-timing.ts fails (it is being reworked): medians of
 * `runs` fresh loads, Start lab → the island's data-ready-ms, and Enter → prompt back (aria-busy) in the terminal.
 */
export async function labTimingsFallback(origin: string, runs = Number(process.env.BENCH_LAB_RUNS ?? 7)): Promise<{ lab_ready_ms: number; command_roundtrip_ms: number }> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript((id) => localStorage.setItem(`sa-course:lab:${id}`, JSON.stringify({ files: {}, goals: {}, history: [], runtime: 'in-page' })), LAB_ID);
    const page = await context.newPage();
    const ready: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      await page.goto(`${origin}/${PAGES.lesson_with_lab}`);
      await page.getByRole('button', { name: 'Start lab' }).click();
      await page.locator('.lab[data-lab-state="ready"]').waitFor({ timeout: 30_000 });
      ready.push(Number(await page.locator('.lab').getAttribute('data-ready-ms')));
    }
    const trips: number[] = [];
    await page.getByRole('region', { name: 'Terminal' }).click();
    for (let run = 0; run < 4 * runs; run += 1) {
      const started = performance.now();
      await page.keyboard.type('systemctl is-active myapp.socket\n');
      await page.locator('[data-lab-terminal][aria-busy="false"]').waitFor();
      trips.push(performance.now() - started);
    }
    return { lab_ready_ms: median(ready), command_roundtrip_ms: Math.round(median(trips) * 10) / 10 };
  } finally {
    await browser.close();
  }
}

/** Lighthouse scores (0–100) of one URL: performance, accessibility, best practices; mobile, the default. */
async function lighthouseScores(url: string, port: number): Promise<Record<string, number | null>> {
  const { default: lighthouse } = await import('lighthouse');
  const result = await lighthouse(url, { port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility', 'best-practices'] });
  const categories = result?.lhr.categories ?? {};
  const score = (id: string) => (categories[id]?.score == null ? null : Math.round(categories[id].score! * 100));
  return { performance: score('performance'), accessibility: score('accessibility'), best_practices: score('best-practices') };
}

/** Median of each score over `runs` Lighthouse runs of one URL (single runs vary by ±15 on a shared machine). */
async function medianScores(url: string, port: number, runs: number): Promise<Record<string, number | null>> {
  const samples: Record<string, number | null>[] = [];
  for (let run = 0; run < runs; run += 1) samples.push(await lighthouseScores(url, port));
  return Object.fromEntries(Object.keys(samples[0]).map((key) => {
    const values = samples.map((sample) => sample[key]).filter((value): value is number => value !== null).sort((a, b) => a - b);
    return [key, values.length === 0 ? null : values[Math.floor(values.length / 2)]];
  }));
}

/**
 * Lighthouse for the landing page and a lesson with a lab, the median of BENCH_LIGHTHOUSE_RUNS (3) runs each;
 * `performance` etc. at the top are the worse of the two pages.
 */
export async function lighthouseFigures(origin: string): Promise<Record<string, unknown>> {
  const runs = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3);
  const chromeLauncher = await import('chrome-launcher');
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROMIUM_FLAGS });
  try {
    const pages: Record<string, Record<string, number | null>> = {};
    pages.landing = await medianScores(`${origin}/${PAGES.landing}`, chrome.port, runs);
    pages.lesson_with_lab = await medianScores(`${origin}/${PAGES.lesson_with_lab}`, chrome.port, runs);
    const worst = (key: string) => {
      const values = Object.values(pages).map((page) => page[key]);
      return values.some((value) => value === null) ? null : Math.min(...(values as number[]));
    };
    return { performance: worst('performance'), accessibility: worst('accessibility'), best_practices: worst('best_practices'), runs, pages };
  } finally {
    chrome.kill();
  }
}

/** Removes a temp build folder. */
export function removeBuild(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  rmSync(chunkGraphDir(dir), { recursive: true, force: true });
}
