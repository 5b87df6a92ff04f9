import { describe, expect, it } from 'vitest';
import type { ExitStatus, SpawnOptions } from '../../../src/emulator/kernel/kernel.ts';
import { createMemoryKernel, type MemoryKernel } from '../../../src/emulator/kernel/memory/memory-kernel.ts';
import { collect, listenOptions, tick } from '../kernel/helpers.ts';

/** Spawns like the manager would and records output, notifications and the exit. */
function spawn(k: MemoryKernel, argv: string[], extra: Partial<SpawnOptions> = {}) {
  const lines: string[] = [];
  const notes: string[] = [];
  let status: ExitStatus | undefined;
  const proc = k.processes.spawn({ argv, env: {}, setListenPid: false, fds: [], unit: 'test.service', onOutput: (line, stream) => lines.push(`${stream}: ${line}`), onNotify: (m) => notes.push(m), ...extra });
  proc.onExit((s) => (status = s));
  return { proc, lines, notes, status: () => status };
}

const ECHO_FD3 = `#!/usr/bin/env node
const net = require('net');
const server = net.createServer((socket) => {
  socket.on('data', (d) => socket.write('echo:' + d.toString()));
  socket.on('end', () => socket.end());
});
server.listen({ fd: 3 }, () => console.log('listening on fd 3, LISTEN_FDS=' + process.env.LISTEN_FDS + ' pid ok=' + (process.env.LISTEN_PID === String(process.pid))));
`;

describe('sandbox: socket activation', () => {
  it('a program doing createServer(h).listen({ fd: 3 }) receives the connections queued before it started', async () => {
    const k = createMemoryKernel({ files: { '/opt/echo/server.js': ECHO_FD3 } });
    const sock = k.net.listen(listenOptions('127.0.0.1:8080'));
    const early = await k.net.connect('127.0.0.1:8080');
    const got = collect(early);
    early.write('queued-before-start');
    early.end();
    const p = spawn(k, ['/opt/echo/server.js'], { env: { LISTEN_FDS: '1', LISTEN_FDNAMES: 'echo.socket' }, setListenPid: true, fds: [sock] });
    await got.closed;
    expect(got.text()).toBe('echo:queued-before-start');
    expect(p.lines).toContain('stdout: listening on fd 3, LISTEN_FDS=1 pid ok=true');
    expect(p.status()).toBeUndefined();
    const later = await k.net.connect('127.0.0.1:8080');
    const got2 = collect(later);
    later.write('later');
    later.end();
    await got2.closed;
    expect(got2.text()).toBe('echo:later');
    expect(k.net.sockets().find((r) => r.local === '127.0.0.1:8080')!.processes.map((x) => x.name)).toEqual(['systemd', 'server.js']);
  });

  it('ES module syntax works: import net from "node:net"', async () => {
    const src = `import net from 'node:net';\nimport { createServer } from 'net';\nconst s = createServer((c) => c.end('hi from esm\\n'));\nawait Promise.resolve();\ns.listen({ fd: 3 });\nconsole.log(typeof net.connect);`;
    const k = createMemoryKernel({ files: { '/opt/app/server.mjs': src } });
    const sock = k.net.listen(listenOptions('127.0.0.1:8080'));
    const p = spawn(k, ['/usr/bin/node', '/opt/app/server.mjs'], { fds: [sock] });
    const c = await k.net.connect('127.0.0.1:8080');
    const got = collect(c);
    c.end();
    await got.closed;
    expect(got.text()).toBe('hi from esm\n');
    expect(p.lines).toContain('stdout: function');
  });

  it('listen({ fd: 3 }) without a passed fd fails the way Node does (EINVAL), and crashes when unhandled', async () => {
    const k = createMemoryKernel({ files: { '/opt/app/a.js': `require('net').createServer().listen({ fd: 3 });` } });
    const p = spawn(k, ['/opt/app/a.js']);
    await k.runUntilIdle();
    expect(p.status()).toEqual({ code: 1 });
    expect(p.lines).toContain('stderr: Error: listen EINVAL: invalid argument');
    // Debian 12's Node.js 18.20.4 prints this for the same program: the 'error' event nobody listens to, the stack, the properties.
    expect(p.lines.slice(0, 3)).toEqual(['stderr: node:events:495', "stderr:       throw er; // Unhandled 'error' event", 'stderr:       ^']);
    expect(p.lines).toContain("stderr:   syscall: 'listen',");
    expect(p.lines).toContain('stderr:   address: null');
    expect(p.lines[p.lines.length - 1]).toBe('stderr: Node.js v18.20.4');
  });

  it('listen(8080) while the manager holds 8080 → EADDRINUSE, the classic mistake', async () => {
    const k = createMemoryKernel({ files: { '/opt/app/a.js': `require('net').createServer().listen(8080).on('error', (e) => { console.error(e.message); process.exit(1); });` } });
    k.net.listen(listenOptions('8080'));
    const p = spawn(k, ['/opt/app/a.js']);
    await k.runUntilIdle();
    expect(p.lines).toEqual(['stderr: listen EADDRINUSE: address already in use :::8080']);
    expect(p.status()).toEqual({ code: 1 });
  });

  it('inetd style: stdin and stdout are the connection', async () => {
    const k = createMemoryKernel({ files: { '/opt/app/inetd.js': `process.stdin.setEncoding('utf8');\nprocess.stdout.write('hello ' + process.env.REMOTE_ADDR + '\\n');\nprocess.stdin.on('data', (d) => process.stdout.write(d.toUpperCase()));\nprocess.stdin.on('end', () => process.exit(0));\nconsole.error('to the journal');` } });
    const sock = k.net.listen(listenOptions('127.0.0.1:2222'));
    const client = await k.net.connect('127.0.0.1:2222');
    const conn = sock.accept()!;
    const got = collect(client);
    const p = spawn(k, ['/opt/app/inetd.js'], { stdioConnection: conn, env: { REMOTE_ADDR: '127.0.0.1' } });
    client.write('abc');
    client.end();
    await got.closed;
    await k.runUntilIdle();
    expect(got.text()).toBe('hello 127.0.0.1\nABC');
    expect(p.lines).toEqual(['stderr: to the journal']);
    expect(p.status()).toEqual({ code: 0 });
  });

  it('a crashing program exits 1 with its stack line in the output and the kernel survives', async () => {
    const k = createMemoryKernel({ files: { '/opt/app/crash.js': `const x = 1;\nfunction boom() {\n  throw new Error('boom');\n}\nsetTimeout(boom, 10);` } });
    const p = spawn(k, ['/opt/app/crash.js']);
    await k.runUntilIdle();
    expect(p.status()).toEqual({ code: 1 });
    expect(p.lines).toContain('stderr: /opt/app/crash.js:3');
    expect(p.lines).toContain('stderr: Error: boom');
    expect(p.lines).toContain('stderr:     at boom (/opt/app/crash.js:3:9)');
    // The kernel still works.
    const again = spawn(k, ['/opt/app/crash.js']);
    await k.runUntilIdle();
    expect(again.status()).toEqual({ code: 1 });
  });

  it('has no access to the host page: document, fetch, globalThis, window are undefined', async () => {
    const k = createMemoryKernel({ files: { '/opt/app/peek.js': `console.log([typeof document, typeof fetch, typeof globalThis, typeof window, typeof self, typeof XMLHttpRequest, typeof postMessage].join(','));` } });
    const p = spawn(k, ['/opt/app/peek.js']);
    await k.runUntilIdle();
    expect(p.lines).toEqual(['stdout: undefined,undefined,undefined,undefined,undefined,undefined,undefined']);
    expect(p.status()).toEqual({ code: 0 });
  });

  it('exits 0 when nothing keeps it alive, and SIGTERM ends a server unless it handles the signal', async () => {
    const k = createMemoryKernel({
      files: {
        '/opt/app/plain.js': `require('net').createServer().listen(9001);`,
        '/opt/app/handler.js': `const s = require('net').createServer().listen(9002);\nprocess.on('SIGTERM', () => { console.log('bye'); s.close(); });`,
      },
    });
    const plain = spawn(k, ['/opt/app/plain.js']);
    const handled = spawn(k, ['/opt/app/handler.js']);
    await k.runUntilIdle();
    expect(plain.status()).toBeUndefined();
    plain.proc.kill('SIGTERM');
    handled.proc.kill('SIGTERM');
    await k.runUntilIdle();
    expect(plain.status()).toEqual({ signal: 'SIGTERM' });
    expect(handled.status()).toEqual({ code: 0 });
    expect(handled.lines).toEqual(['stdout: bye']);
    await expect(k.net.connect('127.0.0.1:9001')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('SIGKILL always ends it; the inherited listening socket stays open for the manager', async () => {
    const k = createMemoryKernel({ files: { '/opt/echo/server.js': ECHO_FD3 } });
    const sock = k.net.listen(listenOptions('127.0.0.1:8080'));
    const p = spawn(k, ['/opt/echo/server.js'], { fds: [sock] });
    await tick();
    p.proc.kill('SIGKILL');
    await tick();
    expect(p.status()).toEqual({ signal: 'SIGKILL' });
    await k.net.connect('127.0.0.1:8080');
    expect(sock.pending()).toBe(1);
  });

  it('timers run on the virtual clock in order', async () => {
    const k = createMemoryKernel({ files: { '/opt/app/t.js': `setTimeout(() => console.log('b 200'), 200);\nsetTimeout(() => console.log('a 100'), 100);\nsetTimeout(() => console.log('c 200 second'), 200);\nconst i = setInterval(() => { console.log('tick'); }, 150);\nsetTimeout(() => clearInterval(i), 400);` } });
    const p = spawn(k, ['/opt/app/t.js']);
    await k.advance(99);
    expect(p.lines).toEqual([]);
    await k.runUntilIdle();
    expect(p.lines.map((l) => l.slice(8))).toEqual(['a 100', 'tick', 'b 200', 'c 200 second', 'tick']);
    expect(p.status()).toEqual({ code: 0 });
  });

  it('sd-daemon in the sandbox: listenFdsWithNames and notify', async () => {
    const src = `const sd = require('sd-daemon');\nconsole.log(JSON.stringify(sd.listenFdsWithNames()));\nsd.notify('READY=1');`;
    const k = createMemoryKernel({ files: { '/opt/app/sd.js': src } });
    const a = k.net.listen(listenOptions('127.0.0.1:8080'));
    const b = k.net.listen(listenOptions('/run/app.sock'));
    const p = spawn(k, ['/opt/app/sd.js'], { env: { LISTEN_FDS: '2', LISTEN_FDNAMES: 'web:admin', NOTIFY_SOCKET: '/run/systemd/notify' }, setListenPid: true, fds: [a, b] });
    await k.runUntilIdle();
    expect(p.lines).toEqual(['stdout: [{"fd":3,"name":"web"},{"fd":4,"name":"admin"}]']);
    expect(p.notes).toEqual(['READY=1']);
  });

  it('spawn errors: ENOENT for a missing file, EACCES for a non-executable one, ENOEXEC for a non-JS binary', () => {
    const k = createMemoryKernel({ files: { '/opt/app/readme.txt': 'hello', '/usr/local/bin/tool': 'not a program' } });
    const base = { env: {}, setListenPid: false, fds: [], unit: 'x.service', onOutput: () => {}, onNotify: () => {} };
    expect(() => k.processes.spawn({ ...base, argv: ['/opt/myapp/myapp'] })).toThrow(expect.objectContaining({ code: 'ENOENT', message: 'No such file or directory' }));
    expect(() => k.processes.spawn({ ...base, argv: ['/opt/app/readme.txt'] })).toThrow(expect.objectContaining({ code: 'EACCES', message: 'Permission denied' }));
    expect(() => k.processes.spawn({ ...base, argv: ['/usr/local/bin/tool'] })).toThrow(expect.objectContaining({ code: 'ENOEXEC' }));
  });

  it('http.createServer answers HTTP/1.1 on an inherited fd', async () => {
    const src = `require('http').createServer((req, res) => { res.setHeader('Content-Type', 'text/plain'); res.end('you asked for ' + req.url + '\\n'); }).listen({ fd: 3 });`;
    const k = createMemoryKernel({ files: { '/opt/app/web.js': src } });
    const sock = k.net.listen(listenOptions('8080'));
    spawn(k, ['/opt/app/web.js'], { fds: [sock] });
    const c = await k.net.connect('localhost:8080');
    const got = collect(c);
    c.write('GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    await got.ended;
    expect(got.text()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(got.text()).toContain('Content-Length: 21\r\n');
    expect(got.text().endsWith('\r\n\r\nyou asked for /hello\n')).toBe(true);
  });
});
