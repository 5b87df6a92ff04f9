/**
 * `node bench/activation-profile.ts [RUNS]`: where a cold socket activation on the Node kernel spends its time, from
 * the client's connect() to its first byte, next to systemd-socket-activate running the same program (runs
 * alternate, so machine load hits both alike). Prints the median of each mark, in ms after connect():
 *   spawn-called / spawn-returned   the manager asks the kernel to start the service / the kernel returns
 *   child-origin                    the service process exists (Node's performance.timeOrigin in the child)
 *   child-main / child-listened     its program runs / it listens on fd 3
 *   child-accepted                  it got the connection
 *   first-byte                      the client got the reply
 *   emulator CPU, …                 CPU time of the emulator's process (all its threads; the client's connect and read
 *                                   are in it too) from connect(), and from the spawn's return, to the first byte
 *   child-listened minus child-origin  the service's own start-up to its listen(), per run: with the preload shim here
 * and the same child-* marks and first-byte of the program under systemd-socket-activate (its child-origin is when its
 * exec'd Node starts; its child-listened minus child-origin has no shim: the difference of the two is the shim's cost,
 * as both load net before they listen).
 * A profile, not a test: nothing is asserted (bench/run.ts's activation figure is the one to compare).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { activationMachine, freePort, tempRoot } from './bench-services.ts';

const RUNS = Number(process.argv[2] ?? 15);
/** The benchmark's service, telling when it started, ran, listened and accepted (epoch ms). */
const MARKED_SERVICE = "const main = performance.timeOrigin + performance.now(); require('net').createServer((s) => { s.end('x'); console.log(JSON.stringify({ origin: performance.timeOrigin, main, listened, accepted: performance.timeOrigin + performance.now() })); }).listen({ fd: 3 }); const listened = performance.timeOrigin + performance.now();\n";

const marks: Record<string, number[]> = {};
const mark = (name: string, ms: number): void => void (marks[name] ??= []).push(ms);

/** One activation through the whole emulator on a fresh machine, as bench/run.ts's emulatorActivation(). */
async function emulatorRun(): Promise<void> {
  const { kernel, port, root } = await activationMachine(MARKED_SERVICE);
  const spawnService = kernel.processes.spawn.bind(kernel.processes);
  let start = 0;
  let cpuAfterSpawn = process.cpuUsage();
  (kernel.processes as { spawn: typeof spawnService }).spawn = (options) => {
    mark('spawn-called', performance.now() - start);
    const epoch = performance.timeOrigin + start;
    const child = spawnService({
      ...options,
      onOutput: (line, stream) => {
        if (line.startsWith('{"origin"')) {
          const times = JSON.parse(line) as Record<string, number>;
          for (const name of ['origin', 'main', 'listened', 'accepted']) mark(`child-${name}`, times[name] - epoch);
          mark('child-listened minus child-origin', times.listened - times.origin);
        }
        options.onOutput(line, stream);
      },
    });
    mark('spawn-returned', performance.now() - start);
    cpuAfterSpawn = process.cpuUsage();
    return child;
  };
  await new Promise<void>((resolve) => {
    start = performance.now();
    const cpu = process.cpuUsage();
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('data', () => {
      mark('first-byte', performance.now() - start);
      const used = process.cpuUsage(cpu);
      const afterSpawn = process.cpuUsage(cpuAfterSpawn);
      mark('emulator CPU, connect to first byte', (used.user + used.system) / 1000);
      mark('emulator CPU, spawn-returned to first byte', (afterSpawn.user + afterSpawn.system) / 1000);
      socket.destroy();
      resolve();
    });
  });
  await new Promise((resolve) => setTimeout(resolve, 50)); // the service's marks line
  await kernel.dispose();
  fs.rmSync(root, { recursive: true, force: true });
}

/** One activation under systemd-socket-activate running the same marked program (its child-* marks for comparison). */
async function referenceRun(program: string): Promise<void> {
  const port = await freePort();
  const child = spawn('/usr/bin/systemd-socket-activate', ['-l', `127.0.0.1:${port}`, process.execPath, program], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve) => child.stderr!.on('data', (chunk: Buffer) => String(chunk).includes('Listening on') && resolve()));
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += String(chunk)));
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('data', () => {
      mark('systemd-socket-activate first-byte', performance.now() - start);
      socket.destroy();
      resolve();
    });
  });
  await new Promise((resolve) => setTimeout(resolve, 50)); // the service's marks line
  const line = output.split('\n').find((entry) => entry.startsWith('{"origin"'));
  if (line) {
    const times = JSON.parse(line) as Record<string, number>;
    for (const name of ['origin', 'main', 'listened', 'accepted']) mark(`systemd-socket-activate child-${name}`, times[name] - (performance.timeOrigin + start));
    mark('systemd-socket-activate child-listened minus child-origin', times.listened - times.origin);
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

const programRoot = tempRoot({ 'server.js': MARKED_SERVICE });
const program = path.join(programRoot, 'server.js');
for (let run = 0; run < RUNS; run++) {
  await emulatorRun();
  if (fs.existsSync('/usr/bin/systemd-socket-activate')) await referenceRun(program);
}
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const order = ['spawn-called', 'spawn-returned', 'child-origin', 'child-main', 'child-listened', 'child-accepted', 'first-byte', 'child-listened minus child-origin', 'emulator CPU, connect to first byte', 'emulator CPU, spawn-returned to first byte'];
const reference = order.filter((name) => name.startsWith('child') || name === 'first-byte').map((name) => `systemd-socket-activate ${name}`);
for (const name of [...order, ...reference]) if (marks[name]) console.log(`${name.padEnd(54)} ${median(marks[name]).toFixed(2).padStart(7)} ms  (min ${Math.min(...marks[name]).toFixed(2)})`);
fs.rmSync(programRoot, { recursive: true, force: true });
process.exit(0);
