/**
 * What a service on the Node kernel sees is the machine, not the host folder that holds it: its arguments and
 * paths as written in the unit, files it creates inside the root, the machine's names for owners; and a socket
 * unit that stops frees its address at once, as systemd's only fd closes.
 */
import { spawn as spawnProcess } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeKernel } from '../../../src/emulator/kernel/node/node-kernel.ts';
import type { NodeKernel } from '../../../src/emulator/kernel/node/node-kernel.ts';
import type { NodeListeningSocket } from '../../../src/emulator/kernel/node/node-listening-socket.ts';
import { loadLibc } from '../../../src/emulator/kernel/node/libc.ts';
import type { Process } from '../../../src/emulator/kernel/kernel.ts';
import { ECHO_SERVICE, exchange, freePort, listenOptions, makeRoot, tcpAddress, waitFor } from './node-test-helpers.ts';

const kernels: NodeKernel[] = [];
afterEach(async () => {
  await Promise.all(kernels.splice(0).map((kernel) => kernel.dispose()));
});

async function kernelFor(files: Record<string, string>): Promise<NodeKernel> {
  const kernel = await createNodeKernel({ root: makeRoot(files), hostname: 'box' });
  kernels.push(kernel);
  return kernel;
}

/** Runs a program to its end; resolves with its output lines and exit status. */
function run(kernel: NodeKernel, argv: string[], fds: unknown[] = []): Promise<{ lines: string[]; status: { code?: number; signal?: string } }> {
  const lines: string[] = [];
  const proc: Process = kernel.processes.spawn({
    argv, env: {}, setListenPid: fds.length > 0, fds: fds as never[], unit: 'x.service', onOutput: (line) => lines.push(line), onNotify: () => undefined,
  });
  return new Promise((resolve) => proc.onExit((status) => resolve({ lines, status })));
}

describe('Node kernel: a Node service sees the machine', () => {
  it('gets its arguments as written, machine paths in process.argv, and creates what it writes inside the root', async () => {
    // A folder on the host named like the one the service creates: the service must not see or touch it.
    const hostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-host-'));
    const program = [
      '#!/usr/bin/env node',
      "const fs = require('fs');",
      "const config = process.argv[process.argv.indexOf('--config') + 1];",
      "console.log(`script ${process.argv[1]} config ${config}: ${fs.readFileSync(config, 'utf8').trim()}`);",
      `fs.mkdirSync('${hostDir}/cache', { recursive: true });`,
      `fs.writeFileSync('${hostDir}/cache/keepalive', 'x');`,
      `console.log('exists ' + fs.existsSync('${hostDir}/cache/keepalive'));`,
    ].join('\n');
    const kernel = await kernelFor({ '/opt/report/report': program, '/opt/report/report.conf': 'Daily report\n' });
    fs.chmodSync(path.join(kernel.root, 'opt/report/report'), 0o755);
    const { lines, status } = await run(kernel, ['/opt/report/report', '--config', '/opt/report/report.conf']);
    expect(status).toEqual({ code: 0 });
    expect(lines).toEqual(['script /opt/report/report config /opt/report/report.conf: Daily report', 'exists true']);
    expect(fs.readFileSync(path.join(kernel.root, hostDir, 'cache/keepalive'), 'utf8')).toBe('x');
    expect(fs.readdirSync(hostDir)).toEqual([]);
    fs.rmSync(hostDir, { recursive: true, force: true });
  });

  it('an ES module\'s fs/promises writes inside the root too', async () => {
    const hostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-host-'));
    const program = `import { mkdir, writeFile, readFile } from 'node:fs/promises';\nawait mkdir('${hostDir}/d', { recursive: true });\nawait writeFile('${hostDir}/d/f', 'esm');\nconsole.log(await readFile('${hostDir}/d/f', 'utf8'));\n`;
    const kernel = await kernelFor({ '/opt/esm/esm.mjs': program });
    const { lines } = await run(kernel, ['/opt/esm/esm.mjs']);
    expect(lines).toEqual(['esm']);
    expect(fs.readFileSync(path.join(kernel.root, hostDir, 'd/f'), 'utf8')).toBe('esm');
    expect(fs.readdirSync(hostDir)).toEqual([]);
    fs.rmSync(hostDir, { recursive: true, force: true });
  });

  it('fs/promises maps paths inside the root however a CommonJS service reaches it (it is wrapped only when reached)', async () => {
    const hostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-host-'));
    const program = [
      "const reached = [require('fs').promises, require('fs/promises'), require('node:fs/promises'), process.getBuiltinModule('fs/promises')];",
      `const [viaProperty, viaRequire, viaScheme, viaBuiltin] = reached;`,
      "console.log(reached.every((api) => api === viaProperty));",
      `(async () => {`,
      `  await viaRequire.mkdir('${hostDir}/d', { recursive: true });`,
      `  await viaScheme.writeFile('${hostDir}/d/f', 'cjs');`,
      `  console.log(await viaBuiltin.readFile('${hostDir}/d/f', 'utf8'));`,
      `})();`,
    ].join('\n');
    const kernel = await kernelFor({ '/opt/cjs/cjs.js': program });
    const { lines } = await run(kernel, ['node', '/opt/cjs/cjs.js']);
    expect(lines).toEqual(['true', 'cjs']);
    expect(fs.readFileSync(path.join(kernel.root, hostDir, 'd/f'), 'utf8')).toBe('cjs');
    expect(fs.readdirSync(hostDir)).toEqual([]);
    fs.rmSync(hostDir, { recursive: true, force: true });
  });

  it('a CommonJS service that never says import starts without fs/promises, and its require(\'fs/promises\') still maps', async () => {
    const hostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-host-'));
    // process.moduleLoadList names every builtin loaded so far: the start did not load the promises API.
    const program = [
      "console.log(process.moduleLoadList.includes('NativeModule internal/fs/promises'));",
      "const promises = require('fs/promises');",
      `promises.mkdir('${hostDir}', { recursive: true }).then(() => promises.writeFile('${hostDir}/late', 'x')).then(() => console.log('written'));`,
    ].join('\n');
    const kernel = await kernelFor({ '/opt/lazy/lazy.js': program });
    const { lines } = await run(kernel, ['node', '/opt/lazy/lazy.js']);
    expect(lines).toEqual(['false', 'written']);
    expect(fs.readFileSync(path.join(kernel.root, hostDir, 'late'), 'utf8')).toBe('x');
    expect(fs.readdirSync(hostDir)).toEqual([]);
    fs.rmSync(hostDir, { recursive: true, force: true });
  });

  it('a service that starts with net only has fs wrapped at its first use, however it reaches fs', async () => {
    // internal/fs/dir is loaded by the wrapping (it reads fs.opendir): the start did not wrap fs.
    const started = "require('net'); console.log(process.moduleLoadList.includes('NativeModule internal/fs/dir'));";
    const reaches: Record<string, string> = {
      require: "console.log(require('fs').readFileSync('/etc/late.conf', 'utf8').trim());",
      scheme: "setImmediate(() => console.log(require('node:fs').readFileSync('/etc/late.conf', 'utf8').trim()));",
      builtin: "console.log(process.getBuiltinModule('fs').readFileSync('/etc/late.conf', 'utf8').trim());",
      module: "console.log(require('./helper.js')('/etc/late.conf'));",
    };
    const files: Record<string, string> = {
      '/etc/late.conf': 'machine file\n',
      '/opt/late/helper.js': "const { readFileSync } = require('fs');\nmodule.exports = (file) => readFileSync(file, 'utf8').trim();\n",
    };
    for (const [way, line] of Object.entries(reaches)) files[`/opt/late/${way}.js`] = `${started}\n${line}\n`;
    const kernel = await kernelFor(files);
    for (const way of Object.keys(reaches)) {
      const { lines, status } = await run(kernel, ['node', `/opt/late/${way}.js`]);
      expect({ way, lines, status }).toEqual({ way, lines: ['false', 'machine file'], status: { code: 0 } });
    }
  });

  it('server.listen(path) binds the Unix socket inside the root', async () => {
    const program = "require('net').createServer().listen('/run/own.sock', function () { console.log(require('fs').statSync('/run/own.sock').isSocket()); this.close(); });\n";
    const kernel = await kernelFor({ '/opt/own/own.js': program, '/run/.keep': '' });
    const { lines } = await run(kernel, ['/opt/own/own.js']);
    expect(lines).toEqual(['true']);
  });

  it('the machine has its own /etc/hostname, and ls names owners from the machine\'s /etc/group', async () => {
    const kernel = await kernelFor({ '/srv/x': '' });
    expect(kernel.fs.readFile('/etc/hostname')).toBe('box\n');
    const docker = /^docker:x:(\d+):/m.exec(kernel.fs.readFile('/etc/group'));
    expect(docker).not.toBeNull();
    kernel.fs.chown('/srv/x', 'root', 'docker');
    expect(kernel.fs.stat('/srv/x')).toMatchObject({ user: 'root', group: 'docker' });
  });
});

describe('Node kernel: a stopped socket frees its address at once', () => {
  it('the same port binds again right after close(), although the fd holder still had a copy', async () => {
    const kernel = await kernelFor({});
    const port = await freePort();
    const first = kernel.net.listen(listenOptions(tcpAddress(port))) as NodeListeningSocket;
    await kernel.ready();
    expect(first.handsOverDirectly).toBe(true);
    first.close();
    const second = kernel.net.listen(listenOptions(tcpAddress(port)));
    const client = await kernel.net.connect(`127.0.0.1:${port}`);
    await waitFor(() => second.pending() === 1, 'the connection to reach the new socket');
    client.destroy();
  });
});

describe('Node kernel: the connection that starts a service waits in the kernel backlog', () => {
  const noLibc = (context: { skip: () => void }): boolean => {
    if (loadLibc()) return false;
    console.log('skipped: koffi cannot load libc here, so the socket is accepted on and relayed, not watched');
    context.skip();
    return true;
  };

  it('the service accepts it itself, from the true client address (the emulator watched, it did not accept)', async (context) => {
    if (noLibc(context)) return;
    const kernel = await kernelFor({ '/opt/echo/server.js': ECHO_SERVICE });
    const port = await freePort();
    const socket = kernel.net.listen(listenOptions(tcpAddress(port))) as NodeListeningSocket;
    await kernel.ready();
    let clientPort = -1;
    const off = socket.onPending(() => {
      off();
      expect(socket.pending()).toBe(1);
      expect(kernel.net.sockets().find((row) => row.local === `127.0.0.1:${port}`)?.recvQ).toBe(1);
      kernel.processes.spawn({
        argv: ['node', '/opt/echo/server.js'], env: { LISTEN_FDS: '1' }, setListenPid: true, fds: [socket], unit: 'echo.service',
        onOutput: () => undefined, onNotify: () => undefined,
      });
    });
    const reply = JSON.parse(await exchange({ port, host: '127.0.0.1' }, 'first', true, (client) => (clientPort = client.localPort!)));
    expect(reply).toMatchObject({ request: 'first', remotePort: clientPort });
  });

  it('Accept=yes takes the waiting connections one by one (accept4 on the watched socket)', async (context) => {
    if (noLibc(context)) return;
    const kernel = await kernelFor({});
    const port = await freePort();
    const socket = kernel.net.listen(listenOptions(tcpAddress(port))) as NodeListeningSocket;
    await kernel.ready();
    const accepted: string[] = [];
    socket.onPending(() => {
      for (let connection = socket.accept(); connection; connection = socket.accept()) {
        const c = connection;
        accepted.push(`${c.remote.address}`);
        c.onData((data) => {
          c.write(`echo ${Buffer.from(data).toString()}`);
          c.end();
        });
      }
    });
    const replies = await Promise.all(['a', 'b', 'c'].map((text) => exchange({ port, host: '127.0.0.1' }, text)));
    expect(replies.sort()).toEqual(['echo a', 'echo b', 'echo c']);
    expect(accepted).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
    expect(socket.pending()).toBe(0);
  });
});

describe('Node kernel: a Unix socket\'s node after the socket closes', () => {
  it('stays without RemoveOnStop= (the next start binds over it) and goes with it', async () => {
    const kernel = await kernelFor({});
    const options = listenOptions({ kind: 'stream', family: 'unix', path: '/run/x/x.sock', text: '/run/x/x.sock' });
    kernel.net.listen(options).close({ removePath: false });
    expect(kernel.fs.lstat('/run/x/x.sock')?.type).toBe('socket');
    const again = kernel.net.listen(options);
    await kernel.net.connect('/run/x/x.sock');
    await waitFor(() => again.pending() === 1, 'a connection to the socket bound over the old node');
    again.close({ removePath: true });
    expect(kernel.fs.lstat('/run/x/x.sock')).toBeUndefined();
  });
});

describe('Node kernel: ss lists what services listen on themselves', () => {
  it('a service that binds its own port shows in the socket list with its pid, next to the emulator\'s sockets', async (context) => {
    if (!fs.existsSync('/usr/bin/ss') && !fs.existsSync('/bin/ss')) {
      console.log('skipped: ss (iproute2) is not installed here, and it is what lists a service\'s own sockets');
      return context.skip();
    }
    const port = await freePort();
    const program = `require('net').createServer().listen(${port}, '127.0.0.1', () => console.log('listening'));\n`;
    const kernel = await kernelFor({ '/opt/own/own.js': program });
    let listening: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (listening = resolve));
    const proc = kernel.processes.spawn({
      argv: ['/opt/own/own.js'], env: {}, setListenPid: false, fds: [], unit: 'own.service', onOutput: (line) => line === 'listening' && listening(), onNotify: () => undefined,
    });
    await ready;
    const row = kernel.net.sockets().find((info) => info.local === `127.0.0.1:${port}`);
    expect(row).toMatchObject({ netid: 'tcp', state: 'LISTEN', sendQ: 511 });
    expect(row!.processes.map((owner) => owner.pid)).toEqual([proc.pid]);
  });
});

describe('Node kernel: client connections', () => {
  it('a reset by the peer is reported in Linux\'s words (curl: "Recv failure: Connection reset by peer")', async () => {
    const server = net.createServer((socket) => socket.once('data', () => socket.resetAndDestroy())).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const kernel = await kernelFor({});
    const client = await kernel.net.connect(`127.0.0.1:${(server.address() as net.AddressInfo).port}`);
    const closed = new Promise<Error | undefined>((resolve) => client.onClose(resolve));
    client.onData(() => undefined);
    client.write(new TextEncoder().encode('hello'));
    expect(await closed).toMatchObject({ code: 'ECONNRESET', message: 'Connection reset by peer' });
    server.close();
  });
});

describe('Node kernel: a service\'s processes', () => {
  /** True while a process exists. */
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it('a stop reaches the processes a service started, and the teardown kills what a service left behind', async () => {
    // Two services that each start a background process: one is stopped, the other's main process exits.
    const kernel = await kernelFor({
      '/opt/x/forks.sh': '#!/bin/sh\nsleep 300 &\necho "child $!"\nwait\n',
      '/opt/x/leaves.sh': '#!/bin/sh\nsleep 300 &\necho "child $!"\n',
    });
    for (const script of ['forks.sh', 'leaves.sh']) fs.chmodSync(path.join(kernel.root, 'opt/x', script), 0o755);
    const start = (script: string): { proc: Process; child: Promise<number> } => {
      let found: (pid: number) => void = () => undefined;
      const child = new Promise<number>((resolve) => (found = resolve));
      const proc = kernel.processes.spawn({
        argv: [`/opt/x/${script}`], env: {}, setListenPid: false, fds: [], unit: 'x.service',
        onOutput: (line) => /^child (\d+)$/.test(line) && found(Number(line.slice(6))), onNotify: () => undefined,
      });
      return { proc, child };
    };
    const stopped = start('forks.sh');
    const stoppedChild = await stopped.child;
    const exited = new Promise((resolve) => stopped.proc.onExit(resolve));
    stopped.proc.kill('SIGTERM');
    await exited;
    await waitFor(() => !alive(stoppedChild), 'the stopped service\'s background process to be gone');

    const leaving = start('leaves.sh');
    const leftChild = await leaving.child;
    await new Promise((resolve) => leaving.proc.onExit(resolve));
    expect(alive(leftChild)).toBe(true);
    await kernel.dispose();
    await waitFor(() => !alive(leftChild), 'the left-behind process to be killed by the teardown');
  });
});

describe('Node kernel: an emulator that dies without its teardown', () => {
  it('takes its services with it (the fd holder kills their process groups), so none keeps a port', async () => {
    const root = makeRoot({ '/opt/x/sleeper.sh': '#!/bin/sh\nsleep 300 &\necho "child $!"\nwait\n' });
    fs.chmodSync(path.join(root, 'opt/x/sleeper.sh'), 0o755);
    const kernelModule = path.resolve(import.meta.dirname, '../../../src/emulator/kernel/node/node-kernel.ts');
    const script = path.join(root, 'emulator.ts');
    fs.writeFileSync(script, [
      `import { createNodeKernel } from ${JSON.stringify(kernelModule)};`,
      `const kernel = await createNodeKernel({ root: ${JSON.stringify(root)} });`,
      'await kernel.ready();',
      "kernel.processes.spawn({ argv: ['/opt/x/sleeper.sh'], env: {}, setListenPid: false, fds: [], unit: 'x.service', onOutput: (line) => console.log(line), onNotify: () => undefined });",
      'setInterval(() => undefined, 1000);',
    ].join('\n'));
    const emulator = spawnProcess(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const child = await new Promise<number>((resolve) => {
      let output = '';
      emulator.stdout!.on('data', (chunk: Buffer) => {
        output += chunk;
        const match = /child (\d+)/.exec(output);
        if (match) resolve(Number(match[1]));
      });
    });
    const alive = (pid: number): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive(child)).toBe(true);
    emulator.kill('SIGKILL');
    await waitFor(() => !alive(child), 'the service\'s background process to go with the emulator');
    fs.rmSync(root, { recursive: true, force: true });
  });
});
