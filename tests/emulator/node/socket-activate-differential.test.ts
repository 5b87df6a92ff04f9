import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDefaultSystem } from '../../../src/emulator/commands/index.ts';
import { createNodeKernel } from '../../../src/emulator/kernel/node/node-kernel.ts';
import type { NodeKernel } from '../../../src/emulator/kernel/node/node-kernel.ts';
import { exchange, freePort, makeRoot } from './node-test-helpers.ts';

const SOCKET_ACTIVATE = '/usr/bin/systemd-socket-activate';
const hasSocketActivate = fs.existsSync(SOCKET_ACTIVATE);
if (!hasSocketActivate) console.warn(`Skipping the systemd-socket-activate differential test: ${SOCKET_ACTIVATE} is not installed (Debian: apt install systemd).`);

/** What a service sees of its activation, answered to the first connection. */
const REPORT_SERVICE = `
const fs = require('fs');
const net = require('net');
const fd3 = (() => { try { return fs.fstatSync(3).isSocket() ? 'socket' : 'other'; } catch { return 'closed'; } })();
const server = net.createServer((socket) => {
  socket.end(JSON.stringify({ pid: process.pid, LISTEN_PID: process.env.LISTEN_PID, LISTEN_FDS: process.env.LISTEN_FDS,
    LISTEN_FDNAMES: process.env.LISTEN_FDNAMES ?? null, fd3, listening: server.listening }));
  setTimeout(() => process.exit(0), 50);
});
server.listen({ fd: 3 });
`;

describe.skipIf(!hasSocketActivate)('differential: the same Node service under systemd-socket-activate and under the emulator', () => {
  const children: ChildProcess[] = [];
  const kernels: NodeKernel[] = [];
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(kernels.map((kernel) => kernel.dispose()));
  });

  async function underSocketActivate(program: string): Promise<Record<string, unknown>> {
    const port = await freePort();
    const child = spawn(SOCKET_ACTIVATE, ['-l', `127.0.0.1:${port}`, process.execPath, program], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      let text = '';
      child.stderr!.on('data', (chunk) => {
        text += chunk;
        if (text.includes('Listening on')) resolve();
      });
      child.on('exit', () => reject(new Error(`systemd-socket-activate exited: ${text}`)));
    });
    return JSON.parse(await exchange({ port, host: '127.0.0.1' }, '', false));
  }

  async function underEmulator(program: string): Promise<Record<string, unknown>> {
    const port = await freePort();
    const root = makeRoot({
      '/etc/systemd/system/report.socket': `[Socket]\nListenStream=127.0.0.1:${port}\n\n[Install]\nWantedBy=sockets.target\n`,
      '/etc/systemd/system/report.service': `[Service]\nExecStart=node ${program}\n`,
    });
    fs.mkdirSync(path.join(root, 'etc/systemd/system/sockets.target.wants'));
    fs.symlinkSync('/etc/systemd/system/report.socket', path.join(root, 'etc/systemd/system/sockets.target.wants/report.socket'));
    const kernel = await createNodeKernel({ root });
    kernels.push(kernel);
    await createDefaultSystem(kernel).boot();
    return JSON.parse(await exchange({ port, host: '127.0.0.1' }, '', false));
  }

  it('LISTEN_FDS=1, LISTEN_PID is the service own pid, fd 3 is a listening socket; LISTEN_FDNAMES only from PID 1', async () => {
    const program = path.join(makeRoot({ '/report.js': REPORT_SERVICE }), 'report.js');
    const reference = await underSocketActivate(program);
    const emulated = await underEmulator(program);
    for (const seen of [reference, emulated]) {
      expect(seen.LISTEN_FDS).toBe('1');
      expect(seen.LISTEN_PID).toBe(String(seen.pid));
      expect(seen.fd3).toBe('socket');
      expect(seen.listening).toBe(true);
    }
    // The documented difference: systemd-socket-activate sets no LISTEN_FDNAMES without --fdname; PID 1 always does.
    expect(reference.LISTEN_FDNAMES).toBeNull();
    expect(emulated.LISTEN_FDNAMES).toBe('report.socket');
  });
});
