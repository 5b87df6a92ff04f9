/**
 * `node bench/load.ts`: the load and fault figures at full counts (the tests in tests/emulator/faults run
 * smaller ones). Prints a table; never asserts.
 *   slow start, memory kernel: N clients connect at once while the service listens only after 1 s of virtual
 *     time — served, lost, wall time
 *   slow start, Node kernel: the same through the manager on real TCP sockets with a real Node service
 *   SIGKILL recovery, Node kernel: the service is killed mid-connection; time until the next connection is
 *     answered by a new process
 *   trigger storm, memory kernel: N clients to a socket whose service crashes at once — wall time until the
 *     socket fails with trigger-limit-hit
 * Counts: LOAD_CLIENTS (default 1000).
 */
import * as net from 'node:net';
import { createDefaultSystem } from '../src/emulator/commands/index.ts';
import { createMemoryKernel } from '../src/emulator/kernel/memory/memory-kernel.ts';
import { createNodeKernel } from '../src/emulator/kernel/node/node-kernel.ts';
import { tempRoot } from './bench-services.ts';

const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 1000);

const SLOW_ECHO = `const net = require('net');
setTimeout(() => {
  net.createServer((s) => { s.setEncoding('utf8'); s.on('data', (d) => s.end('ok ' + d)); }).listen({ fd: 3 });
}, 1000);
`;
const HOLDER = `require('net').createServer((s) => s.write('hello ' + process.pid + '\\n')).listen({ fd: 3 });\n`;

/** Unit files for an enabled socket `name` on `listen` whose service runs /opt/NAME.js. */
function units(name: string, listen: string, script: string, serviceUnitExtra = ''): Record<string, string> {
  return {
    [`/etc/systemd/system/${name}.socket`]: `[Unit]\nDescription=${name} socket\n[Socket]\nListenStream=${listen}\n[Install]\nWantedBy=sockets.target\n`,
    [`/etc/systemd/system/${name}.service`]: `[Unit]\nDescription=${name} service\n${serviceUnitExtra}\n[Service]\nExecStart=node /opt/${name}.js\n`,
    [`/etc/systemd/system/sockets.target.wants/${name}.socket`]: '',
    [`/opt/${name}.js`]: script,
  };
}

/** A free loopback port. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Percentile of sorted numbers. */
function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** N clients at once on the memory kernel while the service starts slowly (1 s virtual). */
async function memorySlowStart(n: number): Promise<Record<string, number>> {
  const kernel = createMemoryKernel({ files: units('slow', '127.0.0.1:8080', SLOW_ECHO) });
  const system = createDefaultSystem(kernel);
  await system.boot();
  const started = performance.now();
  const clients = await Promise.all(Array.from({ length: n }, () => kernel.net.connect('127.0.0.1:8080')));
  const replies = clients.map((c, i) => new Promise<boolean>((resolve) => {
    let text = '';
    c.onData((d) => (text += new TextDecoder().decode(d)));
    c.onEnd(() => resolve(text === `ok ${i}`));
    c.onClose(() => resolve(text === `ok ${i}`));
    c.write(String(i));
  }));
  for (let round = 0; round < 100; round++) {
    await kernel.runUntilIdle(10_000);
    await new Promise((r) => setImmediate(r));
    if (system.manager.getUnit('slow.service')?.activeState === 'active' && round > 5) break;
  }
  const served = (await Promise.all(replies)).filter(Boolean).length;
  return { clients: n, served, lost: n - served, wall_ms: Math.round(performance.now() - started) };
}

/** N real clients at once through the manager on the Node kernel while a real service takes 1 s to listen. */
async function nodeSlowStart(n: number): Promise<Record<string, number>> {
  const port = await freePort();
  const kernel = await createNodeKernel({ root: tempRoot(units('slow', `127.0.0.1:${port}`, SLOW_ECHO)) });
  const system = createDefaultSystem(kernel);
  await system.boot();
  const latencies: number[] = [];
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: n }, (_, i) => new Promise<boolean>((resolve) => {
    const t0 = performance.now();
    const socket = net.connect({ host: '127.0.0.1', port });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (text += d));
    socket.on('end', () => {
      latencies.push(performance.now() - t0);
      resolve(text === `ok ${i}`);
    });
    socket.on('error', () => resolve(false));
    socket.write(String(i));
  })));
  const wall = performance.now() - started;
  await system.shutdown();
  await kernel.dispose();
  const served = results.filter(Boolean).length;
  latencies.sort((a, b) => a - b);
  return { clients: n, served, lost: n - served, wall_ms: Math.round(wall), p50_ms: Math.round(percentile(latencies, 50)), p99_ms: Math.round(percentile(latencies, 99)) };
}

/** Kills the service mid-connection; measures until a new process answers the next connection. */
async function nodeKillRecovery(): Promise<Record<string, number>> {
  const port = await freePort();
  const kernel = await createNodeKernel({ root: tempRoot(units('hold', `127.0.0.1:${port}`, HOLDER)) });
  const system = createDefaultSystem(kernel);
  await system.boot();
  const hello = (): Promise<{ socket: net.Socket; pid: number; closed: Promise<void> }> => new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setEncoding('utf8');
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.once('data', (d: string) => resolve({ socket, pid: Number(/hello (\d+)/.exec(d)?.[1]), closed }));
    socket.on('error', reject);
  });
  const first = await hello();
  const t0 = performance.now();
  process.kill(first.pid, 'SIGKILL');
  await first.closed;
  const closeMs = performance.now() - t0;
  while (system.manager.getUnit('hold.service')?.activeState !== 'failed') await new Promise((r) => setTimeout(r, 1));
  const second = await hello();
  const recoveryMs = performance.now() - t0;
  second.socket.destroy();
  await system.shutdown();
  await kernel.dispose();
  return { client_sees_close_ms: Math.round(closeMs), next_connection_answered_ms: Math.round(recoveryMs), new_pid: second.pid !== first.pid ? 1 : 0 };
}

/** N clients to a crashing service: wall time until the trigger limit fails the socket. */
async function memoryTriggerStorm(n: number): Promise<Record<string, number | string>> {
  const kernel = createMemoryKernel({ files: units('storm', '127.0.0.1:8083', 'process.exit(1);\n', 'StartLimitIntervalSec=0') });
  const system = createDefaultSystem(kernel);
  await system.boot();
  const started = performance.now();
  await Promise.all(Array.from({ length: n }, () => kernel.net.connect('127.0.0.1:8083')));
  for (let round = 0; round < 10_000 && system.manager.getUnit('storm.socket')?.activeState !== 'failed'; round++) {
    await kernel.runUntilIdle(10_000);
    await new Promise((r) => setImmediate(r));
  }
  const socket = system.manager.getUnit('storm.socket')!;
  const starts = system.manager.journal.entries.filter((e) => e.message === 'Started storm service.').length;
  return { clients: n, socket_result: socket.result, service_starts: starts, wall_ms: Math.round(performance.now() - started) };
}

const rows: Array<[string, Record<string, number | string>]> = [
  [`slow start, memory kernel, ${CLIENTS} clients`, await memorySlowStart(CLIENTS)],
  [`slow start, memory kernel, ${CLIENTS * 4} clients`, await memorySlowStart(CLIENTS * 4)],
  [`slow start, Node kernel, ${CLIENTS} clients`, await nodeSlowStart(CLIENTS)],
  ['SIGKILL mid-connection, Node kernel', await nodeKillRecovery()],
  [`trigger storm, memory kernel, ${CLIENTS} clients`, await memoryTriggerStorm(CLIENTS)],
];
for (const [name, figures] of rows) {
  console.log(`${name.padEnd(42)} ${Object.entries(figures).map(([k, v]) => `${k}=${v}`).join('  ')}`);
}
