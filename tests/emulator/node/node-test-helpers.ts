/** Helpers for Node-kernel tests: temporary roots, free ports, real clients, listen options. */
import { findFreePort } from '../../../src/emulator/kernel/node/loopback-ports.ts';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ListenOptions } from '../../../src/emulator/kernel/kernel.ts';
import type { ListenAddress } from '../../../src/emulator/unit-file/unit-types.ts';

/** Creates a temporary machine root holding `files` (machine path → contents). */
export function makeRoot(files: Record<string, string> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-root-'));
  for (const [machinePath, contents] of Object.entries(files)) {
    const hostPath = path.join(root, machinePath);
    fs.mkdirSync(path.dirname(hostPath), { recursive: true });
    fs.writeFileSync(hostPath, contents);
  }
  return root;
}

/** A TCP port that is free right now on 127.0.0.1. */
export const freePort = findFreePort;

/**
 * Connects, sends `request` (then half-closes when `end`), and resolves with everything the server sent.
 * `onConnect` gets the client socket once connected (to learn its own port).
 */
export function exchange(
  target: { port: number; host?: string } | { path: string },
  request: string,
  end = true,
  onConnect?: (socket: net.Socket) => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ ...target, allowHalfOpen: true } as net.NetConnectOpts);
    if (onConnect) socket.once('connect', () => onConnect(socket));
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      reply += chunk;
    });
    socket.on('end', () => {
      socket.end();
      resolve(reply);
    });
    socket.on('error', reject);
    socket.write(request);
    if (end) socket.end();
  });
}

/** ListenOptions with systemd's defaults for an address. */
export function listenOptions(address: ListenAddress): ListenOptions {
  return {
    address,
    backlog: 4096,
    socketMode: 0o666,
    directoryMode: 0o755,
    socketUser: 'root',
    socketGroup: 'root',
    bindIPv6Only: 'default',
    freeBind: false,
    passCredentials: false,
    owner: 'test.socket',
  };
}

/** A ListenStream= address on 127.0.0.1. */
export function tcpAddress(port: number): ListenAddress {
  return { kind: 'stream', family: 'inet', host: '127.0.0.1', port, text: `127.0.0.1:${port}` };
}

/** Waits until `predicate` holds, polling (a bound on waiting, not an assertion about speed). */
export async function waitFor(predicate: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > limitMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A service program written the standard Node way: answers `pid LISTEN_* request` on fd 3. */
export const ECHO_SERVICE = `
const net = require('net');
const delay = Number(process.env.DELAY_MS || 0);
const exitAfter = Number(process.env.EXIT_AFTER || 0);
let served = 0;
setTimeout(() => {
  net.createServer((socket) => {
    let request = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => { request += chunk; });
    socket.on('end', () => {
      socket.end(JSON.stringify({ pid: process.pid, remotePort: socket.remotePort, LISTEN_PID: process.env.LISTEN_PID, LISTEN_FDS: process.env.LISTEN_FDS, LISTEN_FDNAMES: process.env.LISTEN_FDNAMES, request }));
      if (exitAfter && ++served >= exitAfter) process.exit(0);
    });
  }).listen({ fd: 3 });
}, delay);
`;
