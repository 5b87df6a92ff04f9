/**
 * `npm run bench`: the emulator's figures (issue 3, point 9), printed as a table and written to bench/results.json.
 * Never asserts. Compares with the previous results.json and warns about any figure worse by more than 20 %.
 *   activation: connect → first byte from a Node service started on demand, emulator vs systemd-socket-activate
 *     (runs alternate between the two), measured by a client process of its own for both (bench-services.ts
 *     firstByteClient); activation_in_process_client_ratio: the same with the client in the bench's process, the
 *     emulator's own (its connect and its read of the reply then wait for the emulator's event loop)
 *   throughput: connections per second through an activated echo service vs the same service listening directly
 *     (rounds alternate between the two, so load from other work on the machine hits both alike; the ratio is the
 *     median of the per-round ratios), and the same through `emu daemon --shim` (the WebContainer relay)
 *   slow start: 500 clients during a 1 s slow start, how many are served
 *   virtual boot: 1,000 socket units booted on the in-memory kernel with the virtual clock (median of 5 fresh machines)
 * and the site's figures (issue 6, point 1; bench/site-figures.ts):
 *   build_s: full `npm run build` into a temp folder; the rest measure that build
 *   js_kb: gzip KB of JS per page type (a page without a lab; a lesson with a lab before Start lab, at the prompt,
 *     with the editor, with the lab's program open, after the lesson's other commands ran once: bench/lab-browser.ts),
 *     and per file
 *   js_chunks: the build's chunk graph (bench/chunk-graph.ts): gzip KB per chunk, modules in more than one chunk
 *   lab_ready_ms, command_roundtrip_ms: bench/lab-timing.ts in Chromium (in-page runtime)
 *   in_page_machine: bench/in-page-machine.ts (issue 12): lab ready with default settings and StackBlitz blocked,
 *     in-page; a command's round trip while a service spins; JS after Start lab; page memory with a flooding service
 *   lighthouse: performance, accessibility, best practices (mobile) of the landing page and a lesson with a lab
 * and the oracle's parity (bench/oracle.ts, also alone as `npm run bench:oracle`): every scenario of tests/oracle on
 *   the emulator (memory and Node kernels) against real systemd 252's golden files: lines identical, exit codes equal
 * One table with the target next to each figure; results.json gets nested objects (js_kb, lighthouse, oracle).
 *
 * Environment (all optional):
 *   BENCH_SKIP_EMULATOR=1   skip activation, throughput, slow start and virtual boot
 *   BENCH_SKIP_BOOT=1       skip the virtual boot only
 *   BENCH_SKIP_ACTIVATION=1 skip the activation runs only;  BENCH_SKIP_THROUGHPUT=1 skip throughput and slow start
 *   BENCH_SKIP_SITE=1       skip every site figure (build, JS, lab, Lighthouse)
 *   BENCH_SKIP_ORACLE=1     skip the oracle's parity;  BENCH_ORACLE_RECORD=1 re-records the golden files on real systemd first
 *   BENCH_SITE_DIST=DIR     measure an existing build (base /) instead of building; build_s is then null
 *   BENCH_SKIP_LAB=1        skip bench/lab-timing.ts;   BENCH_LAB_RUNS=N page loads per lab median (default 7)
 *   BENCH_SKIP_IN_PAGE=1    skip bench/in-page-machine.ts; BENCH_FLOOD_MINUTES=N its flood run (default 10; 0 skips it)
 *   BENCH_SKIP_LIGHTHOUSE=1 skip Lighthouse;          BENCH_LIGHTHOUSE_RUNS=N runs per page, median (default 3)
 *   BENCH_RUNS, BENCH_CONNECTIONS, BENCH_ROUNDS: activation runs (45), connections per round (3000), rounds (3)
 *   BENCH_BOOT_RUNS: virtual boots (5); virtual_boot_1000_ms is their median, virtual_boot_1000_first_ms the first
 *   CHROMIUM_PATH: Chromium for the browser figures (default /usr/bin/chromium)
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { createDefaultSystem } from '../src/emulator/commands/index.ts';
import { createMemoryKernel } from '../src/emulator/kernel/memory/memory-kernel.ts';
import { createNodeKernel } from '../src/emulator/kernel/node/node-kernel.ts';
import type { NodeKernel } from '../src/emulator/kernel/node/node-kernel.ts';
import type { ListeningSocket } from '../src/emulator/kernel/kernel.ts';
import { activationMachine, ECHO_SERVICE, enabledSocketRoot, FIRST_BYTE_SERVICE, firstByteClient, freePort, tempRoot } from './bench-services.ts';
import { runOracleBench } from './oracle.ts';
import { buildSeconds, chunkFigures, labTimings, labTimingsFallback, lighthouseFigures, removeBuild, scriptKilobytes, serveBuild, tempBuildDir } from './site-figures.ts';

// 45, not 15: the median of 15 activations moved the ratio between runs in a row by ±7 % (0.97–1.12 in five runs at
// load 1.0–1.6), 45 by ±4 % (1.01–1.09): a run costs ~4 s more.
const RUNS = Number(process.env.BENCH_RUNS ?? 45);
const THROUGHPUT_CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 3000);
const CONCURRENCY = 20;
const THROUGHPUT_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SLOW_START_CLIENTS = 500;
const BOOT_RUNS = Number(process.env.BENCH_BOOT_RUNS ?? 5);
const SOCKET_ACTIVATE = '/usr/bin/systemd-socket-activate';
const RESULTS = path.join(import.meta.dirname, 'results.json');
const PREVIOUS = path.join(import.meta.dirname, 'results.previous.json');

/** ms from connect() to the first byte received, measured by a client. */
type FirstByte = (port: number) => Promise<number>;

/** ms from connect() to the first byte received, the client in this process (on the emulator's event loop). */
function timeToFirstByte(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('data', () => {
      resolve(performance.now() - start);
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

/** One request/response connection: connect, send, read the echo, close. */
function echoOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.setNoDelay(true);
    socket.once('connect', () => socket.end('ping'));
    let reply = '';
    socket.on('data', (chunk) => (reply += chunk));
    socket.on('close', () => resolve(reply === 'ping'));
    socket.on('error', () => resolve(false));
  });
}

/** Connections per second for `count` echo connections, CONCURRENCY at a time. */
async function connectionsPerSecond(port: number, count: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  const worker = async (): Promise<void> => {
    while (next++ < count) await echoOnce(port);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return count / ((performance.now() - start) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** A socket on the Node kernel whose service is the given program, with nothing started yet. */
async function nodeKernelSocket(program: string, env: Record<string, string> = {}): Promise<{ kernel: NodeKernel; socket: ListeningSocket; port: number; start: () => void; root: string }> {
  const root = tempRoot({ 'opt/svc/server.js': program });
  const kernel = await createNodeKernel({ root });
  const port = await freePort();
  const socket = kernel.net.listen({
    address: { kind: 'stream', family: 'inet', host: '127.0.0.1', port, text: `127.0.0.1:${port}` },
    backlog: 4096, socketMode: 0o666, directoryMode: 0o755, socketUser: 'root', socketGroup: 'root',
    bindIPv6Only: 'default', freeBind: false, passCredentials: false, owner: 'svc.socket',
  });
  const start = (): void => {
    kernel.processes.spawn({
      argv: ['node', '/opt/svc/server.js'], env: { LISTEN_FDS: '1', LISTEN_FDNAMES: 'svc.socket', ...env }, setListenPid: true,
      fds: [socket], unit: 'svc.service', onOutput: () => undefined, onNotify: () => undefined,
    });
  };
  return { kernel, socket, port, start, root };
}

/** One cold activation through the whole emulator (manager + Node kernel) on a fresh machine: ms to the first byte. */
async function emulatorActivation(firstByte: FirstByte): Promise<number> {
  const { kernel, port, root } = await activationMachine(FIRST_BYTE_SERVICE);
  const sample = await firstByte(port);
  await kernel.dispose();
  fs.rmSync(root, { recursive: true, force: true });
  return sample;
}

/** One cold activation under systemd-socket-activate running the same program: ms to the first byte. */
async function socketActivateActivation(program: string, firstByte: FirstByte): Promise<number> {
  const port = await freePort();
  const child = spawn(SOCKET_ACTIVATE, ['-l', `127.0.0.1:${port}`, process.execPath, program], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve) => child.stderr!.on('data', (chunk: Buffer) => String(chunk).includes('Listening on') && resolve()));
  const sample = await firstByte(port);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  return sample;
}

/** Activation samples of one way of measuring: the emulator's and systemd-socket-activate's. */
interface ActivationSamples {
  emulator: number[];
  reference: number[] | undefined;
}

/**
 * Activation samples, alternating emulator and systemd-socket-activate runs so that machine load hits both alike:
 * measured by the client process (the figure), and by a client in this process (the emulator's own, as measured
 * before: its connect and its read of the reply wait for the emulator's event loop).
 */
async function activationSamples(): Promise<{ client: ActivationSamples; inProcess: ActivationSamples }> {
  const hasReference = fs.existsSync(SOCKET_ACTIVATE);
  const root = tempRoot({ 'server.js': FIRST_BYTE_SERVICE });
  const program = path.join(root, 'server.js');
  const client = await firstByteClient();
  const samples = { client: { emulator: [] as number[], reference: [] as number[] }, inProcess: { emulator: [] as number[], reference: [] as number[] } };
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const [way, firstByte] of [['client', client.timeToFirstByte], ['inProcess', timeToFirstByte]] as const) {
        samples[way].emulator.push(await emulatorActivation(firstByte));
        if (hasReference) samples[way].reference.push(await socketActivateActivation(program, firstByte));
      }
    }
  } finally {
    client.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
  const withReference = (way: { emulator: number[]; reference: number[] }): ActivationSamples => ({ emulator: way.emulator, reference: hasReference ? way.reference : undefined });
  return { client: withReference(samples.client), inProcess: withReference(samples.inProcess) };
}

/** Starts the echo program listening directly on a port (the throughput baseline). */
async function directEcho(): Promise<{ port: number; child: ChildProcess; root: string }> {
  const port = await freePort();
  const root = tempRoot({ 'server.js': ECHO_SERVICE });
  const program = path.join(root, 'server.js');
  const child = spawn(process.execPath, [program], { env: { DIRECT_PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise((resolve) => child.once('message', resolve));
  return { port, child, root };
}

/** `emu daemon` in its own process (as in real use) with an enabled echo socket; resolves once it listens. */
async function daemonWithEcho(extraArgs: string[] = []): Promise<{ port: number; child: ChildProcess; root: string }> {
  const port = await freePort();
  const root = enabledSocketRoot('echo', port, ECHO_SERVICE);
  const main = path.join(import.meta.dirname, '../src/emulator/cli/main.ts');
  const child = spawn(process.execPath, [main, 'daemon', '--root', root, ...extraArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout!.on('data', (chunk: Buffer) => String(chunk).includes('Listening on') && resolve()));
  child.stdout!.resume();
  return { port, child, root };
}

type Results = Record<string, unknown>;

async function main(): Promise<void> {
  const results: Results = { date: new Date().toISOString(), node: process.version, runs: RUNS };
  const started = performance.now();
  if (process.env.BENCH_SKIP_EMULATOR) {
    for (const key of ['activation_ratio_vs_systemd_socket_activate', 'relay_throughput_ratio', 'virtual_boot_1000_ms']) results[key] = null;
  } else {
    await emulatorFigures(results);
  }
  if (!process.env.BENCH_SKIP_SITE) await siteFigures(results);
  if (!process.env.BENCH_SKIP_ORACLE) {
    try {
      results.oracle = await runOracleBench(process.env.BENCH_ORACLE_RECORD ? ['--record'] : []);
    } catch (error) {
      console.error(`oracle: ${(error as Error).message}`);
      results.oracle = null;
    }
  }
  results.bench_s = round((performance.now() - started) / 1000);

  printTable(results);
  compareWithPrevious(results);
  fs.writeFileSync(RESULTS, JSON.stringify(results, null, 2) + '\n');
  process.exit(0);
}

/** The site's figures into `results`; a part that fails is reported and left null, the others still run. */
async function siteFigures(results: Results): Promise<void> {
  const given = process.env.BENCH_SITE_DIST;
  const dist = given ? path.resolve(given) : tempBuildDir();
  const attempt = async <T>(what: string, measure: () => Promise<T>): Promise<T | null> => {
    try {
      return await measure();
    } catch (error) {
      console.warn(`warning: ${what} not measured: ${(error as Error).message}`);
      return null;
    }
  };
  try {
    results.build_s = given ? null : await attempt('build_s', async () => round(await buildSeconds(dist)));
    if (!given && results.build_s === null) return;
    const served = await serveBuild(dist);
    try {
      results.js_kb = await attempt('js_kb', () => scriptKilobytes(served.origin));
      if (!given) results.js_chunks = await attempt('js_chunks', async () => chunkFigures(dist));
      if (!process.env.BENCH_SKIP_LAB) {
        const lab = (await attempt('lab timings (bench/lab-timing.ts)', () => labTimings(dist)))
          ?? (await attempt('lab timings (fallback)', async () => ({ ...(await labTimingsFallback(served.origin)), lab_timing_source: 'bench/site-figures.ts fallback (typed from Playwright: includes its key latency)' })));
        Object.assign(results, lab ?? { lab_ready_ms: null, command_roundtrip_ms: null });
      }
      if (!process.env.BENCH_SKIP_IN_PAGE) results.in_page_machine = await attempt('in-page machine (bench/in-page-machine.ts)', () => inPageMachineFigures(dist));
      if (process.env.BENCH_SKIP_LIGHTHOUSE) results.lighthouse = null;
      else results.lighthouse = await attempt('lighthouse', () => lighthouseFigures(served.origin));
    } finally {
      await served.close();
    }
  } finally {
    if (!given) removeBuild(dist);
  }
}

/** bench/in-page-machine.ts on the build: its one JSON line. */
function inPageMachineFigures(dist: string): Promise<Results> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, LAB_RUNS: process.env.BENCH_LAB_RUNS ?? '7', FLOOD_MINUTES: process.env.BENCH_FLOOD_MINUTES ?? '10' };
    const child = spawn(process.execPath, [path.join(import.meta.dirname, 'in-page-machine.ts'), dist], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => {
      const line = output.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as Results);
      else reject(new Error(`bench/in-page-machine.ts exited with ${code}: ${output.slice(-2000)}`));
    });
  });
}

/** The emulator's figures (issue 3, point 9) into `results`. */
async function emulatorFigures(results: Results): Promise<void> {
  if (process.env.BENCH_SKIP_ACTIVATION) results.activation_ratio_vs_systemd_socket_activate = null;
  else {
    const { client, inProcess } = await activationSamples();
    const ratio = ({ emulator, reference }: ActivationSamples): number | null => (reference ? round(median(emulator) / median(reference)) : null);
    results.activation_emulator_median_ms = round(median(client.emulator));
    results.activation_systemd_socket_activate_median_ms = client.reference ? round(median(client.reference)) : null;
    results.activation_ratio_vs_systemd_socket_activate = ratio(client);
    results.activation_in_process_client_ratio = ratio(inProcess);
  }
  if (process.env.BENCH_SKIP_THROUGHPUT) results.relay_throughput_ratio = null;
  else await throughputFigures(results);
  if (process.env.BENCH_SKIP_BOOT) results.virtual_boot_1000_ms = null;
  else {
    // Several boots, each on a fresh machine: the first one in a process also pays for compiling the code.
    const boots: number[] = [];
    for (let run = 0; run < BOOT_RUNS; run++) boots.push(await virtualBoot(1000));
    results.virtual_boot_1000_ms = round(median(boots));
    results.virtual_boot_1000_first_ms = round(boots[0]);
  }
}

/** Throughput through the activated and the shim-relayed echo service vs direct, and the slow start. */
async function throughputFigures(results: Results): Promise<void> {
  const direct = await directEcho();
  const activated = await daemonWithEcho();
  const shim = await daemonWithEcho(['--shim']);
  for (const port of [direct.port, activated.port, shim.port]) await connectionsPerSecond(port, 200); // warm-up, activation
  const rates = { direct: [] as number[], activated: [] as number[], shim: [] as number[] };
  for (let round = 0; round < THROUGHPUT_ROUNDS; round++) {
    rates.direct.push(await connectionsPerSecond(direct.port, THROUGHPUT_CONNECTIONS));
    rates.activated.push(await connectionsPerSecond(activated.port, THROUGHPUT_CONNECTIONS));
    rates.shim.push(await connectionsPerSecond(shim.port, THROUGHPUT_CONNECTIONS));
  }
  direct.child.kill();
  for (const daemon of [activated, shim]) {
    daemon.child.kill('SIGTERM');
    await new Promise((resolve) => daemon.child.once('exit', resolve));
  }
  for (const { root } of [direct, activated, shim]) fs.rmSync(root, { recursive: true, force: true });
  const ratios = (rated: number[]): number => median(rated.map((rate, round) => rate / rates.direct[round]));
  results.throughput_direct_connections_per_s = Math.round(median(rates.direct));
  results.throughput_activated_connections_per_s = Math.round(median(rates.activated));
  results.relay_throughput_ratio = round(ratios(rates.activated));
  results.throughput_shim_relay_connections_per_s = Math.round(median(rates.shim));
  results.shim_relay_throughput_ratio = round(ratios(rates.shim));

  const slow = await nodeKernelSocket(ECHO_SERVICE, { DELAY_MS: '1000' });
  slow.start();
  const served = await Promise.all(Array.from({ length: SLOW_START_CLIENTS }, () => echoOnce(slow.port)));
  await slow.kernel.dispose();
  fs.rmSync(slow.root, { recursive: true, force: true });
  results.slow_start_clients = SLOW_START_CLIENTS;
  results.slow_start_served = served.filter(Boolean).length;
}

/** ms to boot `count` enabled socket units on the in-memory kernel with the virtual clock. */
async function virtualBoot(count: number): Promise<number> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    files[`/etc/systemd/system/u${i}.socket`] = `[Socket]\nListenStream=127.0.0.1:${10000 + i}\n\n[Install]\nWantedBy=sockets.target\n`;
    files[`/etc/systemd/system/u${i}.service`] = '[Service]\nExecStart=/usr/bin/node /opt/u/server.js\n';
  }
  const kernel = createMemoryKernel({ files, clock: 'virtual' });
  kernel.fs.mkdir('/etc/systemd/system/sockets.target.wants', { recursive: true });
  for (let i = 0; i < count; i++) kernel.fs.symlink(`/etc/systemd/system/u${i}.socket`, `/etc/systemd/system/sockets.target.wants/u${i}.socket`);
  const start = performance.now();
  const system = createDefaultSystem(kernel);
  const booted = system.boot();
  await kernel.runUntilIdle();
  await booted;
  const elapsed = performance.now() - start;
  const listening = system.snapshot().units.filter((unit) => unit.type === 'socket' && unit.subState === 'listening').length;
  if (listening !== count) console.warn(`warning: virtual boot left ${listening} of ${count} sockets listening`);
  return elapsed;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

const TARGETS: Record<string, string> = {
  'oracle.lines_identical_pct.memory': '≥ 99',
  'oracle.lines_identical_pct.node': '≥ 99',
  'oracle.exit_codes_equal_pct.memory': '100',
  'oracle.exit_codes_equal_pct.node': '100',
  activation_ratio_vs_systemd_socket_activate: '≤ 1.1',
  relay_throughput_ratio: '≥ 0.7',
  virtual_boot_1000_ms: '< 200',
  slow_start_served: '= 500',
  lab_ready_ms: '< 300',
  lab_ready_warm_ms: '< 300',
  command_roundtrip_ms: '< 50',
  build_s: '< 30',
  'js_kb.lesson_without_lab': '(FAQ: every lesson has a lab)',
  'js_kb.lesson_with_lab_before_start': '≤ 20 (lab issue)',
  'js_kb.lesson_with_lab_after_start': '≤ 200 (issue 12: editor and program open)',
  'js_kb.lesson_with_lab_after_commands': '≤ 200 (issue 12: and curl, journalctl, ss, cat run)',
  'js_kb.lesson_with_editable_program': '≤ 200 (issue 12: an editable program open)',
  'in_page_machine.lab_ready_default_blocked_ms': '< 300',
  'in_page_machine.lab_ready_in_page_ms': '< 300',
  'in_page_machine.roundtrip_while_spinning_ms': '< 50',
  'in_page_machine.js_after_start_kb.prompt': '≤ 200',
  'in_page_machine.js_after_start_kb.total': '≤ 200 (issue 12: editor and program open)',
  'lighthouse.performance': '≥ 95 (worse of the two pages)',
  'lighthouse.accessibility': '= 100 (worse of the two pages)',
  'lighthouse.pages.landing.performance': '≥ 95',
  'lighthouse.pages.landing.accessibility': '= 100',
  'lighthouse.pages.lesson_with_lab.performance': '≥ 95',
  'lighthouse.pages.lesson_with_lab.accessibility': '= 100',
};

/** Nested results as dotted keys: { js_kb: { landing: 1 } } → { 'js_kb.landing': 1 }. */
function flatten(value: unknown, prefix = ''): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { [prefix]: value };
  return Object.assign({}, ...Object.entries(value).map(([key, inner]) => flatten(inner, prefix ? `${prefix}.${key}` : key)));
}

/** Prints every figure in one table, the target next to it. */
function printTable(results: Results): void {
  const rows = Object.entries(flatten(results)).map(([key, value]) => [key, String(value), TARGETS[key] ?? '']);
  const width = Math.max(...rows.map(([key]) => key.length));
  console.log(`${'figure'.padEnd(width)}  ${'value'.padStart(12)}  target`);
  for (const [key, value, target] of rows) console.log(`${key.padEnd(width)}  ${value.padStart(12)}  ${target}`);
}

/** Figures where a bigger number is better; for the others smaller is better. */
const HIGHER_IS_BETTER = /^(throughput_|relay_throughput_ratio|shim_relay_throughput_ratio|slow_start_served|lighthouse\.|oracle\.(lines_identical|exit_codes_equal)_pct)/;
/** Figures that are settings or dates, not measurements. */
const NOT_COMPARED = new Set(['runs', 'slow_start_clients', 'bench_s', 'lighthouse.runs', 'oracle.scenarios', 'oracle.record_s']);

/** Warns about every figure worse than the previous results.json by more than 20 %, then keeps that file as results.previous.json. */
function compareWithPrevious(results: Results): void {
  if (!fs.existsSync(RESULTS)) return;
  const previous = flatten(JSON.parse(fs.readFileSync(RESULTS, 'utf8')));
  for (const [key, value] of Object.entries(flatten(results))) {
    const before = previous[key];
    if (typeof value !== 'number' || typeof before !== 'number' || before === 0 || NOT_COMPARED.has(key)) continue;
    const worse = HIGHER_IS_BETTER.test(key) ? value < before * 0.8 : value > before * 1.2;
    if (worse) console.warn(`warning: ${key} is worse by more than 20 %: ${before} → ${value}`);
  }
  fs.copyFileSync(RESULTS, PREVIOUS);
}

await main();
