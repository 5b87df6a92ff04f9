/**
 * Real programs none of us wrote, under the emulator's command line (`emu daemon --root DIR`, the Node kernel):
 * a python3-systemd service, a C service linked with -lsystemd, Debian's dbus-daemon, sshd, systemd-socket-proxyd.
 * Each test skips with a printed reason when its binary is missing on this machine.
 */
import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exchange, freePort, makeRoot } from './node-test-helpers.ts';
import { runCli, startDaemon, stopDaemon } from '../cli/cli-helpers.ts';

const PYTHON = '/usr/bin/python3';

/** Why a test cannot run here, or undefined when it can. */
function missing(...checks: Array<[boolean, string]>): string | undefined {
  const failed = checks.filter(([ok]) => !ok).map(([, what]) => what);
  return failed.length > 0 ? failed.join('; ') : undefined;
}

function hasPythonSystemd(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import systemd.daemon'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Builds a C program against libsystemd; undefined when no compiler or header. */
function buildC(source: string, output: string): string | undefined {
  try {
    fs.mkdirSync(path.dirname(output), { recursive: true });
    fs.writeFileSync(`${output}.c`, source);
    execFileSync('cc', ['-O1', '-o', output, `${output}.c`, '-lsystemd'], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return `cannot build a C program with cc -lsystemd: ${(error as Error).message.split('\n')[0]}`;
  }
}

/** Skips with a printed reason (vitest's skip alone prints none). */
function skipBecause(reason: string, context: { skip: () => void }): void {
  console.log(`skipped: ${reason}`);
  context.skip();
}

const daemons: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(daemons.splice(0).map((child) => stopDaemon(child)));
});

async function boot(root: string, readyLine: RegExp): Promise<{ output: () => string }> {
  const daemon = await startDaemon(['--root', root], readyLine);
  daemons.push(daemon.child);
  return daemon;
}

/** Runs a CLI command until its output matches `pattern` (a bound on waiting, not a timing assertion). */
async function untilCli(root: string, [command, ...args]: string[], pattern: RegExp): Promise<string> {
  let output = '';
  await waitForAsync(async () => {
    const result = await runCli([command, '--root', root, ...args]);
    output = result.stdout + result.stderr;
    return pattern.test(output);
  }, `${command} ${args.join(' ')} to print ${pattern}`).catch((error: Error) => {
    throw new Error(`${error.message}; last output:\n${output}`);
  });
  return output;
}

async function waitForAsync(predicate: () => Promise<boolean>, what: string, limitMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!(await predicate())) {
    if (Date.now() - start > limitMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function state(root: string, unit: string): Promise<string> {
  const result = await runCli(['systemctl', '--root', root, 'show', '-p', 'ActiveState,SubState,NRestarts,MainPID', unit]);
  return result.stdout.trim().split('\n').join(' ');
}

const PYTHON_SERVICE = `
import socket
from systemd import daemon
fds = daemon.listen_fds()
listener = socket.socket(fileno=fds[0])
while True:
    connection, _ = listener.accept()
    connection.sendall(b"python %d\\n" % __import__("os").getpid())
    connection.close()
`;

const C_SERVICE = `
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>
int main(void) {
  if (sd_listen_fds(1) != 1) { fprintf(stderr, "no socket\\n"); return 1; }
  for (;;) {
    int connection = accept(SD_LISTEN_FDS_START, NULL, NULL);
    if (connection < 0) { perror("accept"); return 2; }
    char reply[64];
    int n = snprintf(reply, sizeof reply, "c %d\\n", (int)getpid());
    write(connection, reply, n);
    close(connection);
  }
}
`;

describe('libsystemd services that accept in a blocking loop', () => {
  it('a python3-systemd service (socket.socket(fileno=…).accept()) keeps running and answers every connection', async (context) => {
    const reason = missing([fs.existsSync(PYTHON), `${PYTHON} is missing`], [hasPythonSystemd(), 'python3-systemd is not installed']);
    if (reason) return skipBecause(reason, context);
    const port = await freePort();
    const root = makeRoot({
      '/etc/systemd/system/py.socket': `[Unit]\nDescription=Py socket\n\n[Socket]\nListenStream=127.0.0.1:${port}\n\n[Install]\nWantedBy=sockets.target\n`,
      '/etc/systemd/system/py.service': `[Service]\nExecStart=${PYTHON} /opt/py/server.py\n`,
      '/opt/py/server.py': PYTHON_SERVICE,
    });
    await runCli(['systemctl', '--root', root, 'enable', 'py.socket']);
    await boot(root, /Listening on Py socket\./);
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(await exchange({ port, host: '127.0.0.1' }, '', false));
    const pids = new Set(replies.map((reply) => reply.trim()));
    expect(pids.size).toBe(1);
    expect([...pids][0]).toMatch(/^python \d+$/);
    expect(await state(root, 'py.service')).toMatch(/ActiveState=active SubState=running/);
    expect(await state(root, 'py.socket')).toMatch(/ActiveState=active SubState=running/);
    // Once the service is stopped the emulator accepts on the socket again (non-blocking), and starts it anew.
    await runCli(['systemctl', '--root', root, 'stop', 'py.service']);
    expect(await state(root, 'py.socket')).toMatch(/ActiveState=active SubState=listening/);
    const again = (await exchange({ port, host: '127.0.0.1' }, '', false)).trim();
    expect(again).toMatch(/^python \d+$/);
    expect(again).not.toBe([...pids][0]);
  });

  it('a C service (sd_listen_fds + blocking accept) keeps running and answers every connection', async (context) => {
    const root = makeRoot({});
    const reason = buildC(C_SERVICE, path.join(root, 'opt/c/server'));
    if (reason) return skipBecause(reason, context);
    const port = await freePort();
    fs.mkdirSync(path.join(root, 'etc/systemd/system'), { recursive: true });
    fs.writeFileSync(path.join(root, 'etc/systemd/system/c.socket'), `[Unit]\nDescription=C socket\n\n[Socket]\nListenStream=127.0.0.1:${port}\n\n[Install]\nWantedBy=sockets.target\n`);
    fs.writeFileSync(path.join(root, 'etc/systemd/system/c.service'), '[Service]\nExecStart=/opt/c/server\n');
    await runCli(['systemctl', '--root', root, 'enable', 'c.socket']);
    await boot(root, /Listening on C socket\./);
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(await exchange({ port, host: '127.0.0.1' }, '', false));
    const pids = new Set(replies.map((reply) => reply.trim()));
    expect(pids.size).toBe(1);
    expect([...pids][0]).toMatch(/^c \d+$/);
    expect(await state(root, 'c.service')).toMatch(/ActiveState=active SubState=running/);
  });

  it('with NonBlocking=yes the C service gets O_NONBLOCK and its accept() fails with EAGAIN, as under systemd', async (context) => {
    const root = makeRoot({});
    const reason = buildC(C_SERVICE, path.join(root, 'opt/c/server'));
    if (reason) return skipBecause(reason, context);
    const port = await freePort();
    fs.mkdirSync(path.join(root, 'etc/systemd/system'), { recursive: true });
    fs.writeFileSync(path.join(root, 'etc/systemd/system/c.socket'), `[Unit]\nDescription=C socket\n\n[Socket]\nListenStream=127.0.0.1:${port}\n\n[Install]\nWantedBy=sockets.target\n`);
    fs.writeFileSync(path.join(root, 'etc/systemd/system/c.service'), '[Service]\nNonBlocking=yes\nExecStart=/opt/c/server\n');
    await runCli(['systemctl', '--root', root, 'enable', 'c.socket']);
    await boot(root, /Listening on C socket\./);
    // accept() on an empty backlog fails at once instead of waiting: the program exits 2 after its first round.
    void exchange({ port, host: '127.0.0.1' }, '', false).catch(() => undefined);
    const journal = await untilCli(root, ['journalctl', '-u', 'c.service', '--no-pager'], /accept: Resource temporarily unavailable/);
    expect(journal).toMatch(/c\.service: Main process exited, code=exited, status=2\/INVALIDARGUMENT/);
  });
});
