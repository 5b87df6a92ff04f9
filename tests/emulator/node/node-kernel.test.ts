import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeKernel } from '../../../src/emulator/kernel/node/node-kernel.ts';
import type { NodeKernel } from '../../../src/emulator/kernel/node/node-kernel.ts';
import type { NodeListeningSocket } from '../../../src/emulator/kernel/node/node-listening-socket.ts';
import type { Process } from '../../../src/emulator/kernel/kernel.ts';
import { ECHO_SERVICE, exchange, freePort, listenOptions, makeRoot, tcpAddress, waitFor } from './node-test-helpers.ts';

const kernels: NodeKernel[] = [];
afterEach(async () => {
  await Promise.all(kernels.splice(0).map((kernel) => kernel.dispose()));
});

async function kernelFor(files: Record<string, string>, mode: { fdPassing?: boolean; unixSockets?: boolean } = {}): Promise<NodeKernel> {
  const kernel = await createNodeKernel({ root: makeRoot(files), ...mode });
  kernels.push(kernel);
  return kernel;
}

function exitOf(proc: Process): Promise<{ code?: number; signal?: string }> {
  return new Promise((resolve) => proc.onExit(resolve));
}

describe('Node kernel: file system inside the root', () => {
  it('maps machine paths into the root and resolves absolute symlinks inside it', async () => {
    const kernel = await kernelFor({ '/etc/systemd/system/x.socket': '[Socket]\nListenStream=1234\n' });
    kernel.fs.mkdir('/etc/systemd/system/sockets.target.wants', { recursive: true });
    kernel.fs.symlink('/etc/systemd/system/x.socket', '/etc/systemd/system/sockets.target.wants/x.socket');
    expect(kernel.fs.readFile('/etc/systemd/system/sockets.target.wants/x.socket')).toContain('ListenStream=1234');
    expect(kernel.fs.readlink('/etc/systemd/system/sockets.target.wants/x.socket')).toBe('/etc/systemd/system/x.socket');
    expect(kernel.fs.lstat('/etc/systemd/system/sockets.target.wants/x.socket')?.type).toBe('symlink');
    expect(kernel.fs.stat('/etc/systemd/system/sockets.target.wants/x.socket')?.type).toBe('file');
    expect(kernel.fs.readdir('/etc/systemd/system')).toEqual(['sockets.target.wants', 'x.socket']);
    // The message is strerror() alone, as the memory kernel's: `cat: FILE: No such file or directory`, not FILE twice.
    expect(() => kernel.fs.readFile('/etc/passwd-not-here')).toThrow(expect.objectContaining({ code: 'ENOENT', message: 'No such file or directory' }));
    kernel.fs.writeFile('/run/a/b.txt', 'hi', { mkdirs: true });
    expect(fs.readFileSync(path.join(kernel.root, 'run/a/b.txt'), 'utf8')).toBe('hi');
  });
});

describe('Node kernel: sockets', () => {
  it('holds connections in the backlog until accepted, then carries data both ways', async () => {
    const kernel = await kernelFor({});
    const port = await freePort();
    const socket = kernel.net.listen(listenOptions(tcpAddress(port)));
    let wakeups = 0;
    socket.onPending(() => wakeups++);
    const reply = exchange({ port, host: '127.0.0.1' }, 'hello');
    await waitFor(() => socket.pending() === 1, 'the connection to be held');
    expect(wakeups).toBe(1);
    const connection = socket.accept()!;
    expect(socket.pending()).toBe(0);
    expect(connection.remote.address).toBe('127.0.0.1');
    let received = '';
    connection.onData((data) => {
      received += Buffer.from(data).toString();
    });
    connection.onEnd(() => {
      connection.write(`got ${received}`);
      connection.end();
    });
    expect(await reply).toBe('got hello');
    expect(kernel.net.sockets().some((row) => row.local === `127.0.0.1:${port}` && row.state === 'LISTEN')).toBe(true);
  });

  it('refuses a second bind of the same address with EADDRINUSE, synchronously', async () => {
    const kernel = await kernelFor({});
    const port = await freePort();
    kernel.net.listen(listenOptions(tcpAddress(port)));
    expect(() => kernel.net.listen(listenOptions(tcpAddress(port)))).toThrow(expect.objectContaining({ code: 'EADDRINUSE' }));
  });

  it('creates Unix path sockets inside the root with SocketMode, and the kernel connects to them by machine path', async () => {
    const kernel = await kernelFor({});
    const options = { ...listenOptions({ kind: 'stream', family: 'unix', path: '/run/x/x.sock', text: '/run/x/x.sock' }), socketMode: 0o660 };
    const socket = kernel.net.listen(options);
    expect(kernel.fs.stat('/run/x/x.sock')).toMatchObject({ type: 'socket', mode: 0o660 });
    const client = await kernel.net.connect('/run/x/x.sock');
    expect(client.remote).toMatchObject({ family: 'unix', address: '/run/x/x.sock' });
    await waitFor(() => socket.pending() === 1, 'the unix connection to be held');
    expect(socket.accept()!.local).toMatchObject({ family: 'unix', address: '/run/x/x.sock' });
    socket.close({ removePath: true });
    expect(kernel.fs.lstat('/run/x/x.sock')).toBeUndefined();
  });

  it('connect() to nothing rejects with ECONNREFUSED', async () => {
    const kernel = await kernelFor({});
    const port = await freePort();
    await expect(kernel.net.connect(`127.0.0.1:${port}`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

for (const mode of [{ fdPassing: true, unixSockets: true }, { fdPassing: false, unixSockets: false }]) {
  const label = mode.fdPassing ? 'fd passing' : 'shim mode (no fd passing, no Unix sockets)';
  describe(`Node kernel services, ${label}`, () => {
    const spawnEcho = (kernel: NodeKernel, socket: ReturnType<NodeKernel['net']['listen']>, env: Record<string, string> = {}) => {
      const output: string[] = [];
      const proc = kernel.processes.spawn({
        argv: ['node', '/opt/echo/server.js'],
        env: { LISTEN_FDS: '1', LISTEN_FDNAMES: 'echo.socket', ...env },
        setListenPid: true,
        fds: [socket],
        unit: 'echo.service',
        onOutput: (line) => output.push(line),
        onNotify: () => undefined,
      });
      return { proc, output };
    };

    it('a listen({ fd: 3 }) service gets every connection, also those that arrived before it started, with its own LISTEN_PID', async () => {
      const kernel = await kernelFor({ '/opt/echo/server.js': ECHO_SERVICE }, mode);
      const port = await freePort();
      const socket = kernel.net.listen(listenOptions(tcpAddress(port)));
      const early = [1, 2, 3].map((n) => exchange({ port, host: '127.0.0.1' }, `early ${n}`));
      await waitFor(() => socket.pending() === 3, 'three held connections');
      const { proc } = spawnEcho(kernel, socket);
      const late = exchange({ port, host: '127.0.0.1' }, 'late');
      const replies = (await Promise.all([...early, late])).map((text) => JSON.parse(text));
      expect(replies.map((reply) => reply.request)).toEqual(['early 1', 'early 2', 'early 3', 'late']);
      for (const reply of replies) {
        expect(reply).toMatchObject({ pid: proc.pid, LISTEN_PID: String(proc.pid), LISTEN_FDS: '1', LISTEN_FDNAMES: 'echo.socket' });
      }
      proc.kill('SIGTERM');
      expect(await exitOf(proc)).toEqual({ signal: 'SIGTERM' });
    });

    it('50 clients during a 1 s slow start are all served', async () => {
      const kernel = await kernelFor({ '/opt/echo/server.js': ECHO_SERVICE }, mode);
      const port = await freePort();
      const socket = kernel.net.listen(listenOptions(tcpAddress(port)));
      const { proc } = spawnEcho(kernel, socket, { DELAY_MS: '1000' });
      const replies = await Promise.all(Array.from({ length: 50 }, (_, n) => exchange({ port, host: '127.0.0.1' }, `client ${n}`)));
      expect(replies.map((text) => JSON.parse(text).request).sort()).toEqual(Array.from({ length: 50 }, (_, n) => `client ${n}`).sort());
      proc.kill('SIGKILL');
      await exitOf(proc);
    });

    it('a service that exits without accepting leaves the connection queued for the next start', async () => {
      const kernel = await kernelFor({ '/opt/echo/server.js': ECHO_SERVICE, '/opt/quit/quit.js': 'setTimeout(() => process.exit(3), 100);\n' }, mode);
      const port = await freePort();
      const socket = kernel.net.listen(listenOptions(tcpAddress(port)));
      const reply = exchange({ port, host: '127.0.0.1' }, 'still here');
      await waitFor(() => socket.pending() === 1, 'the held connection');
      const quitter = kernel.processes.spawn({
        argv: ['/opt/quit/quit.js'], env: { LISTEN_FDS: '1' }, setListenPid: true, fds: [socket], unit: 'echo.service',
        onOutput: () => undefined, onNotify: () => undefined,
      });
      await waitFor(() => socket.pending() === 0, 'the connection to be relayed to the first start');
      expect(await exitOf(quitter)).toEqual({ code: 3 });
      await waitFor(() => socket.pending() === 1, 'the connection to be queued again');
      const { proc } = spawnEcho(kernel, socket);
      expect(JSON.parse(await reply)).toMatchObject({ request: 'still here', pid: proc.pid });
      proc.kill('SIGTERM');
      await exitOf(proc);
    });

    it('service output reaches onOutput line by line, and a missing program is ENOENT', async () => {
      const kernel = await kernelFor({ '/opt/talk/talk.js': 'console.log("one"); console.error("two"); process.stdout.write("three");\n' }, mode);
      const lines: string[] = [];
      const proc = kernel.processes.spawn({
        argv: ['/opt/talk/talk.js'], env: {}, setListenPid: false, fds: [], unit: 'talk.service',
        onOutput: (line, stream) => lines.push(`${stream}:${line}`), onNotify: () => undefined,
      });
      expect(await exitOf(proc)).toEqual({ code: 0 });
      expect(lines.sort()).toEqual(['stderr:two', 'stdout:one', 'stdout:three']);
      expect(() => kernel.processes.spawn({
        argv: ['/opt/missing/app'], env: {}, setListenPid: false, fds: [], unit: 'x.service', onOutput: () => undefined, onNotify: () => undefined,
      })).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    });
  });
}

describe('Node kernel, direct mode: the service holds the public socket itself', () => {
  const spawnOn = (kernel: NodeKernel, socket: unknown, program: string, env: Record<string, string> = {}): Process =>
    kernel.processes.spawn({
      argv: ['node', program], env: { LISTEN_FDS: '1', ...env }, setListenPid: true, fds: [socket as NodeListeningSocket],
      unit: 'echo.service', onOutput: () => undefined, onNotify: () => undefined,
    });
  /** Connects and resolves with the reply and the client's own port. */
  const exchangeWithPort = async (port: number, request: string): Promise<{ reply: { remotePort: number; request: string; pid: number }; clientPort: number }> => {
    let clientPort = -1;
    const text = await exchange({ port, host: '127.0.0.1' }, request, true, (client) => {
      clientPort = client.localPort!;
    });
    return { reply: JSON.parse(text), clientPort };
  };

  it('only where fds can be passed', async () => {
    const port = await freePort();
    const direct = (await kernelFor({})).net.listen(listenOptions(tcpAddress(port))) as NodeListeningSocket;
    expect(direct.handsOverDirectly).toBe(true);
    const shim = (await kernelFor({}, { fdPassing: false, unixSockets: false })).net.listen(listenOptions(tcpAddress(await freePort()))) as NodeListeningSocket;
    expect(shim.handsOverDirectly).toBe(false);
  });

  it('kernel.ready() resolves once the fd holder runs and the socket has its spare copy (a second fd for it)', async () => {
    const kernel = await kernelFor({});
    const socket = kernel.net.listen(listenOptions(tcpAddress(await freePort()))) as NodeListeningSocket;
    await kernel.ready();
    // While the emulator accepts here, systemdFd is its accepting handle; the fd a service would get is the spare.
    expect(socket.acceptingHere).toBe(true);
    expect(socket.directFd()).toBeGreaterThanOrEqual(0);
    expect(socket.directFd()).not.toBe(socket.systemdFd);
  });

  it('the service accepts straight from the kernel: it sees the real client port, and ss -p shows it as an owner', async () => {
    const kernel = await kernelFor({ '/opt/echo/server.js': ECHO_SERVICE });
    const port = await freePort();
    const socket = kernel.net.listen(listenOptions(tcpAddress(port))) as NodeListeningSocket;
    const proc = spawnOn(kernel, socket, '/opt/echo/server.js');
    await waitFor(() => !socket.acceptingHere, 'the emulator to stop accepting on the handed-over socket');
    const { reply, clientPort } = await exchangeWithPort(port, 'direct');
    expect(reply).toMatchObject({ request: 'direct', pid: proc.pid, remotePort: clientPort });
    const row = kernel.net.sockets().find((info) => info.local === `127.0.0.1:${port}`)!;
    expect(row.processes).toContainEqual({ name: 'node', pid: proc.pid, fd: 3 });
    expect(row.processes[0]).toMatchObject({ name: 'systemd', pid: 1 });
    proc.kill('SIGTERM');
    await exitOf(proc);
    await waitFor(() => socket.acceptingHere, 'the emulator to accept again after the exit');
    expect(kernel.net.sockets().find((info) => info.local === `127.0.0.1:${port}`)!.processes.map((owner) => owner.name)).toEqual(['systemd']);
  });

  it('a service that exits without accepting leaves the connection in the kernel backlog for the next start', async () => {
    const kernel = await kernelFor({ '/opt/echo/server.js': ECHO_SERVICE, '/opt/quit/quit.js': 'setTimeout(() => process.exit(3), 300);\n' });
    const port = await freePort();
    const socket = kernel.net.listen(listenOptions(tcpAddress(port))) as NodeListeningSocket;
    let wakeups = 0;
    socket.onPending(() => wakeups++);
    const quitter = spawnOn(kernel, socket, '/opt/quit/quit.js');
    await waitFor(() => !socket.acceptingHere, 'the hand-over to the first start');
    const reply = exchange({ port, host: '127.0.0.1' }, 'still here');
    expect(await exitOf(quitter)).toEqual({ code: 3 });
    expect(socket.acceptingHere).toBe(true);
    await waitFor(() => socket.pending() === 1, 'the queued connection to be accepted by the emulator after the exit');
    expect(wakeups).toBeGreaterThan(0);
    const proc = spawnOn(kernel, socket, '/opt/echo/server.js');
    expect(JSON.parse(await reply)).toMatchObject({ request: 'still here', pid: proc.pid });
    proc.kill('SIGTERM');
    await exitOf(proc);
  });

  it('50 clients during a 1 s slow start are all served from the kernel backlog, each with its own address', async () => {
    const kernel = await kernelFor({ '/opt/echo/server.js': ECHO_SERVICE });
    const port = await freePort();
    const socket = kernel.net.listen(listenOptions(tcpAddress(port))) as NodeListeningSocket;
    const proc = spawnOn(kernel, socket, '/opt/echo/server.js', { DELAY_MS: '1000' });
    await waitFor(() => !socket.acceptingHere, 'the hand-over');
    const results = await Promise.all(Array.from({ length: 50 }, (_, n) => exchangeWithPort(port, `client ${n}`)));
    expect(results.map(({ reply }) => reply.request).sort()).toEqual(Array.from({ length: 50 }, (_, n) => `client ${n}`).sort());
    for (const { reply, clientPort } of results) expect(reply.remotePort).toBe(clientPort);
    expect(socket.pending()).toBe(0);
    proc.kill('SIGKILL');
    await exitOf(proc);
  });

  it('connections the emulator held before the start are handed over too, and a Unix socket keeps its path across the exit', async () => {
    const kernel = await kernelFor({ '/opt/echo/server.js': ECHO_SERVICE });
    const address = { kind: 'stream' as const, family: 'unix' as const, path: '/run/echo/echo.sock', text: '/run/echo/echo.sock' };
    const socket = kernel.net.listen(listenOptions(address)) as NodeListeningSocket;
    const hostPath = path.join(kernel.root, 'run/echo/echo.sock');
    const early = exchange({ path: hostPath }, 'early');
    await waitFor(() => socket.pending() === 1, 'the held connection');
    const proc = spawnOn(kernel, socket, '/opt/echo/server.js');
    expect(JSON.parse(await early)).toMatchObject({ request: 'early', pid: proc.pid });
    await waitFor(() => !socket.acceptingHere, 'the hand-over');
    expect(JSON.parse(await exchange({ path: hostPath }, 'late'))).toMatchObject({ request: 'late', pid: proc.pid });
    proc.kill('SIGTERM');
    await exitOf(proc);
    expect(kernel.fs.lstat('/run/echo/echo.sock')?.type).toBe('socket');
    const after = exchange({ path: hostPath }, 'after');
    await waitFor(() => socket.pending() === 1, 'the emulator to hold a connection again after the exit');
    const next = spawnOn(kernel, socket, '/opt/echo/server.js');
    expect(JSON.parse(await after)).toMatchObject({ request: 'after', pid: next.pid });
    next.kill('SIGTERM');
    await exitOf(next);
  });
});

describe('Node kernel: non-Node programs and Accept=yes', () => {
  it('a shell program gets LISTEN_PID equal to its own pid through exec', async () => {
    const kernel = await kernelFor({ '/opt/sh/show.sh': '#!/bin/sh\necho "pid=$$ listen_pid=$LISTEN_PID"\n' });
    fs.chmodSync(path.join(kernel.root, 'opt/sh/show.sh'), 0o755);
    const lines: string[] = [];
    const proc = kernel.processes.spawn({
      argv: ['/opt/sh/show.sh'], env: { LISTEN_FDS: '0' }, setListenPid: true, fds: [], unit: 'sh.service',
      onOutput: (line) => lines.push(line), onNotify: () => undefined,
    });
    await exitOf(proc);
    expect(lines).toEqual([`pid=${proc.pid} listen_pid=${proc.pid}`]);
  });

  it('Accept=yes: the accepted connection becomes the child fd 3', async () => {
    const program = "const net = require('net'); const s = new net.Socket({ fd: 3, readable: true, writable: true }); s.end('per-connection ' + process.env.REMOTE_ADDR);\n";
    const kernel = await kernelFor({ '/opt/conn/conn.js': program });
    const port = await freePort();
    const socket = kernel.net.listen(listenOptions(tcpAddress(port)));
    const reply = exchange({ port, host: '127.0.0.1' }, '', false);
    await waitFor(() => socket.pending() === 1, 'the connection');
    const connection = socket.accept()!;
    const proc = kernel.processes.spawn({
      argv: ['node', '/opt/conn/conn.js'], env: { LISTEN_FDS: '1', REMOTE_ADDR: connection.remote.address }, setListenPid: true,
      fds: [connection], unit: 'conn@0.service', onOutput: () => undefined, onNotify: () => undefined,
    });
    expect(await reply).toBe('per-connection 127.0.0.1');
    await exitOf(proc);
  });
});
