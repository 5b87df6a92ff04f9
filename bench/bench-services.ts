/** The Node service programs the benchmark runs, a temporary root to hold them, and the activation machine. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDefaultSystem } from '../src/emulator/commands/index.ts';
import { createNodeKernel, type NodeKernel } from '../src/emulator/kernel/node/node-kernel.ts';

/** Writes a byte as soon as a connection arrives (cold activation: connect → first byte). */
export const FIRST_BYTE_SERVICE = `
require('net').createServer((s) => { s.end('x'); }).listen(process.env.DIRECT_PORT ? { port: Number(process.env.DIRECT_PORT), host: '127.0.0.1' } : { fd: 3 });
`;

/** Echoes each connection's bytes back; listens on fd 3, or on DIRECT_PORT for the baseline. */
export const ECHO_SERVICE = `
const net = require('net');
const delay = Number(process.env.DELAY_MS || 0);
setTimeout(() => {
  net.createServer((s) => s.pipe(s)).listen(process.env.DIRECT_PORT ? { port: Number(process.env.DIRECT_PORT), host: '127.0.0.1', backlog: 4096 } : { fd: 3 });
  if (process.send) process.send('listening');
}, delay);
`;

/**
 * The client of the activation figure, a process of its own: on each IPC message { port } it connects to
 * 127.0.0.1:PORT and answers with the ms from connect() to the first byte (or `error: …`). Both the emulator and
 * systemd-socket-activate are measured from it, so neither has its client's connect and read of the reply on
 * its own event loop (as a client is on the real machine: curl, a browser).
 */
const FIRST_BYTE_CLIENT = `
const net = require('net');
process.on('message', ({ port }) => {
  const start = performance.now();
  const socket = net.connect({ port, host: '127.0.0.1' });
  socket.once('data', () => { process.send(performance.now() - start); socket.destroy(); });
  socket.once('error', (error) => process.send('error: ' + error.message));
});
process.send('ready');
`;

/** Starts the first-byte client (FIRST_BYTE_CLIENT); close() ends it. */
export async function firstByteClient(): Promise<{ timeToFirstByte(port: number): Promise<number>; close(): void }> {
  const child = spawn(process.execPath, ['-e', FIRST_BYTE_CLIENT], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise((resolve) => child.once('message', resolve));
  return {
    timeToFirstByte: (port) => new Promise((resolve, reject) => {
      child.once('message', (answer) => (typeof answer === 'number' ? resolve(answer) : reject(new Error(String(answer)))));
      child.send({ port });
    }),
    close: () => child.kill(),
  };
}

/** A temporary directory with the given files (relative path → contents). */
export function tempRoot(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-bench-'));
  for (const [name, contents] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), contents);
  }
  return root;
}

/** A loopback port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A temporary root with NAME.socket on 127.0.0.1:PORT, enabled (its sockets.target.wants/ link), whose NAME.service
 * runs the Node program `program` (/opt/NAME/server.js); the caller removes it.
 */
export function enabledSocketRoot(name: string, port: number, program: string): string {
  const root = tempRoot({
    [`etc/systemd/system/${name}.socket`]: `[Socket]\nListenStream=127.0.0.1:${port}\n\n[Install]\nWantedBy=sockets.target\n`,
    [`etc/systemd/system/${name}.service`]: `[Service]\nExecStart=node /opt/${name}/server.js\n`,
    [`opt/${name}/server.js`]: program,
  });
  fs.mkdirSync(path.join(root, 'etc/systemd/system/sockets.target.wants'));
  fs.symlinkSync(`/etc/systemd/system/${name}.socket`, path.join(root, `etc/systemd/system/sockets.target.wants/${name}.socket`));
  return root;
}

/**
 * A fresh machine on the Node kernel, booted, with an enabled svc.socket on 127.0.0.1:PORT whose svc.service runs
 * `program` (its root folder is the caller's to remove). Ready means its fd holder runs (kernel.ready()), as systemd-socket-activate is once it printed
 * "Listening on": without that wait the holder's Node start-up competes with the service's.
 */
export async function activationMachine(program: string): Promise<{ kernel: NodeKernel; port: number; root: string }> {
  const port = await freePort();
  const root = enabledSocketRoot('svc', port, program);
  const kernel = await createNodeKernel({ root });
  await createDefaultSystem(kernel).boot();
  await kernel.ready();
  return { kernel, port, root };
}
