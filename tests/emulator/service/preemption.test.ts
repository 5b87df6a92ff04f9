/**
 * A program that never returns to its event loop must not freeze the in-memory machine: the kernel marks it
 * hung (service/preempt.ts), everything else keeps working, and signals end it the way they end a spinning
 * process on Linux. Expected journal lines are those of systemd 252 stopping `node -e "while (true) {}"`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultSystem } from '../../../src/emulator/commands/index.ts';
import { registerShellCommands } from '../../../src/emulator/commands/shell-commands.ts';
import { createMemoryKernel } from '../../../src/emulator/kernel/memory/memory-kernel.ts';
import { instrumentSource, ProcessHungSignal } from '../../../src/emulator/service/preempt.ts';
import type { ExitStatus } from '../../../src/emulator/kernel/kernel.ts';
import { collect, listenOptions, tick } from '../kernel/helpers.ts';

/** A short slice keeps the test quick; the page uses DEFAULT_SLICE_MS. */
const SLICE_MS = 30;

const ECHO = `const net = require('net');
net.createServer((c) => c.end('pong\\n')).listen({ fd: 3 });
`;

function spawn(k: ReturnType<typeof createMemoryKernel>, path: string, fds: Parameters<typeof k.processes.spawn>[0]['fds'] = []) {
  const lines: string[] = [];
  let status: ExitStatus | undefined;
  const proc = k.processes.spawn({ argv: [path], env: {}, setListenPid: false, fds, unit: 'x.service', onOutput: (line) => lines.push(line), onNotify: () => {} });
  proc.onExit((s) => (status = s));
  return { proc, lines, status: () => status };
}

async function connectAndRead(k: ReturnType<typeof createMemoryKernel>, target: string): Promise<string> {
  const c = await k.net.connect(target);
  const got = collect(c);
  c.end();
  await got.closed;
  return got.text();
}

// A promise chain stopped by the check rejects with the hung signal, which nobody handles; the runtime Worker
// ignores those (runtime-worker.ts). Here: Vitest's own listeners are set aside so that only those are ignored.
let vitestListeners: NodeJS.UnhandledRejectionListener[] = [];
const ignoreHung: NodeJS.UnhandledRejectionListener = (reason, promise) => {
  if (!(reason instanceof ProcessHungSignal)) for (const listener of vitestListeners) listener(reason, promise);
};
beforeAll(() => {
  vitestListeners = process.listeners('unhandledRejection');
  process.removeAllListeners('unhandledRejection');
  process.on('unhandledRejection', ignoreHung);
});
afterAll(() => {
  process.off('unhandledRejection', ignoreHung);
  for (const listener of vitestListeners) process.on('unhandledRejection', listener);
});

describe('preemption of programs on the in-memory kernel', () => {
  it('a busy loop is stopped, its process stays alive, and the other programs keep answering', async () => {
    const k = createMemoryKernel({ sliceMs: SLICE_MS, files: { '/opt/spin.js': 'console.log("before");\nwhile (true) {}\n', '/opt/echo.js': ECHO } });
    const spin = spawn(k, '/opt/spin.js');
    await tick();
    expect(spin.lines).toEqual(['before']);
    await k.advance(1000);
    expect(spin.status(), 'a spinning process does not exit by itself').toBeUndefined();
    const sock = k.net.listen(listenOptions('127.0.0.1:8080'));
    spawn(k, '/opt/echo.js', [sock]);
    expect(await connectAndRead(k, '127.0.0.1:8080')).toBe('pong\n');
    spin.proc.kill('SIGTERM');
    await tick();
    expect(spin.status()).toEqual({ signal: 'SIGTERM' });
  });

  it('a spinning program with a SIGTERM handler ignores SIGTERM (its handler cannot run) and dies by SIGKILL', async () => {
    const source = "let n = 0;\nprocess.on('SIGTERM', () => console.log('handler ran'));\nsetTimeout(() => { for (;;) n++; }, 10);\n";
    const k = createMemoryKernel({ sliceMs: SLICE_MS, files: { '/opt/spin.js': source } });
    const spin = spawn(k, '/opt/spin.js');
    await k.advance(20);
    spin.proc.kill('SIGTERM');
    await k.advance(1000);
    expect(spin.status()).toBeUndefined();
    spin.proc.kill('SIGKILL');
    await tick();
    expect(spin.status()).toEqual({ signal: 'SIGKILL' });
    expect(spin.lines).not.toContain('handler ran');
  });

  it('catches loops that catch exceptions, do/while, and (on the real clock) promise chains that feed themselves', async () => {
    const programs = {
      '/opt/catching.js': 'while (true) { try { for (let i = 0; ; i++) {} } catch (e) { console.log("caught"); } }\n',
      '/opt/do-while.js': 'let i = 0;\ndo { i++; } while (i > 0);\n',
      // A microtask chain starves the thread's timers only on a real clock (the virtual one interleaves with it).
      '/opt/microtasks.js': 'function again() { Promise.resolve().then(again); }\nagain();\n',
      '/opt/async.js': 'async function main() { while (true) await null; }\nmain();\n',
    };
    const k = createMemoryKernel({ sliceMs: SLICE_MS, files: programs, clock: 'real' });
    const running = Object.keys(programs).map((path) => spawn(k, path));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(running.map((program) => (program.proc as unknown as { hung: boolean }).hung)).toEqual([true, true, true, true]);
    for (const program of running) expect(program.status()).toBeUndefined();
    expect(running[0].lines.length, 'a catch inside the loop swallows at most the throws inside its try').toBeLessThan(3);
    for (const program of running) program.proc.kill('SIGKILL');
    await tick();
    for (const program of running) expect(program.status()).toEqual({ signal: 'SIGKILL' });
  });

  it('systemctl stop of a service stuck in a loop: SIGTERM, TimeoutStopSec=, SIGKILL, as systemd logs it', async () => {
    const k = createMemoryKernel({
      sliceMs: SLICE_MS,
      files: {
        '/etc/systemd/system/spin.service': "[Service]\nExecStart=/usr/bin/node /opt/spin.js\nTimeoutStopSec=1\n",
        '/opt/spin.js': "process.on('SIGTERM', () => {});\nwhile (true) {}\n",
      },
    });
    const system = createDefaultSystem(k);
    registerShellCommands(system);
    await system.boot();
    const io = (out: string[]) => ({ stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t), signal: new AbortController().signal });
    expect(await system.runCommand(['systemctl', 'start', 'spin.service'], io([]))).toBe(0);
    await k.advance(100);
    const echoed: string[] = [];
    expect(await system.runCommand(['echo', 'still here'], io(echoed))).toBe(0);
    expect(echoed.join('')).toBe('still here\n');
    const stopping = system.runCommand(['systemctl', 'stop', 'spin.service'], io([]));
    await k.advance(1500);
    expect(await stopping).toBe(0);
    const pid = system.manager.journal.entries.find((e) => /Killing process/.test(e.message))?.message.match(/process (\d+)/)?.[1];
    const messages = system.manager.journal.entries.filter((e) => e.unit === 'spin.service').map((e) => e.message);
    expect(messages.slice(-6)).toEqual([
      'Stopping spin.service...',
      "spin.service: State 'stop-sigterm' timed out. Killing.",
      `spin.service: Killing process ${pid} (node) with signal SIGKILL.`,
      'spin.service: Main process exited, code=killed, status=9/KILL',
      "spin.service: Failed with result 'timeout'.",
      'Stopped spin.service.',
    ]);
  });

  it('systemctl kill -s KILL ends a spinning service as systemd 252 logs it', async () => {
    const k = createMemoryKernel({
      sliceMs: SLICE_MS,
      files: { '/etc/systemd/system/spin.service': '[Service]\nExecStart=/usr/bin/node /opt/spin.js\n', '/opt/spin.js': 'while (true) {}\n' },
    });
    const system = createDefaultSystem(k);
    await system.boot();
    const out: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t), signal: new AbortController().signal };
    await system.runCommand(['systemctl', 'start', 'spin.service'], io);
    await k.advance(100);
    const pid = system.snapshot().units.find((unit) => unit.name === 'spin.service')?.mainPid;
    expect(await system.runCommand(['systemctl', 'kill', '-s', 'BOGUS', 'spin.service'], io)).toBe(1);
    expect(out.join('')).toBe('Failed to parse signal string "BOGUS".\n');
    expect(await system.runCommand(['systemctl', 'kill', '-s', 'KILL', 'spin.service'], io)).toBe(0);
    await k.advance(10);
    expect(system.manager.journal.entries.filter((e) => e.unit === 'spin.service').map((e) => e.message).slice(-3)).toEqual([
      `spin.service: Sent signal SIGKILL to main process ${pid} (node) on client request.`,
      'spin.service: Main process exited, code=killed, status=9/KILL',
      "spin.service: Failed with result 'signal'.",
    ]);
  });

  it('the rewrite keeps programs working and their line numbers', () => {
    const source = [
      "const re = /[/{]while\\(/g; const t = `for (;;) { ${'{'} }`;",
      'class A extends (Object) { m() { return 1; } }',
      'switch (1) { case 1: break; }',
      'for (const x of [1]) {}',
      'const f = (a) => { return a; };',
      'label: for (let i = 0; i < 2; i++) { continue label; }',
    ].join('\n');
    const out = instrumentSource(source);
    expect(out.split('\n').length).toBe(source.split('\n').length);
    expect(() => new Function('__saPreempt', out)(() => true)).not.toThrow();
    expect(out).toContain("const re = /[/{]while\\(/g; const t = `for (;;) { ${'{'} }`;");
    expect(out).toContain('for (let i = 0; __saPreempt() && (i < 2); i++) {__saPreempt();');
    expect(out).toContain('switch (1) { case 1');
  });
});

describe('preemption of ExecStartPre=', () => {
  // The manager arms TimeoutStartSec= only for Type=notify's start so far (not for start-pre), so the stop is asked for.
  it('systemctl stop ends a start stuck in a spinning ExecStartPre=, and the start job is canceled', async () => {
    const k = createMemoryKernel({
      sliceMs: SLICE_MS,
      files: {
        '/etc/systemd/system/pre.service': '[Service]\nExecStartPre=/usr/bin/node /opt/spin.js\nExecStart=/usr/bin/node /opt/ok.js\n',
        '/opt/spin.js': 'while (true) {}\n',
        '/opt/ok.js': 'setInterval(() => {}, 1000);\n',
      },
    });
    const system = createDefaultSystem(k);
    await system.boot();
    const out: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t), signal: new AbortController().signal };
    const starting = system.runCommand(['systemctl', 'start', 'pre.service'], io);
    await k.advance(500);
    expect(system.snapshot().units.find((unit) => unit.name === 'pre.service')?.subState).toBe('start-pre');
    const stopping = system.runCommand(['systemctl', 'stop', 'pre.service'], io);
    await k.advance(500);
    expect(await stopping).toBe(0);
    expect(await starting).toBe(1);
    expect(out.join('')).toContain('Job for pre.service canceled.');
    expect(system.snapshot().units.find((unit) => unit.name === 'pre.service')?.activeState).not.toBe('active');
  });
});
