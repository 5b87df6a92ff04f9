/**
 * Real programs none of us wrote, under the emulator's command line (`emu daemon --root DIR`, the Node kernel):
 * a python3-systemd service, a C service linked with -lsystemd, Debian's dbus-daemon, sshd, systemd-socket-proxyd.
 * Each test skips with a printed reason when its binary is missing on this machine.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as dgram from 'node:dgram';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exchange, freePort, makeRoot } from './node-test-helpers.ts';
import { runCli, startDaemon, stopDaemon } from '../cli/cli-helpers.ts';
import { C_PID_ACCEPT_LOOP, GO_PID_ACCEPT_LOOP, PYTHON_BACKEND, PYTHON_DATAGRAM_READER, PYTHON_NOTIFY, PYTHON_PID_ACCEPT_LOOP } from '../../oracle/real-programs-kit.ts';

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

/** A Go toolchain: `go` on PATH, or the Debian root's Go 1.19 (used read-only, with GOROOT pointing at it). */
function goToolchain(): { bin: string; env: Record<string, string> } | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && fs.existsSync(path.join(dir, 'go'))) return { bin: path.join(dir, 'go'), env: {} };
  const goroot = '/var/tmp/socket-activation-oracle/bookworm-root/usr/lib/go-1.19';
  return fs.existsSync(path.join(goroot, 'bin/go')) ? { bin: path.join(goroot, 'bin/go'), env: { GOROOT: goroot } } : undefined;
}

/**
 * Writes NAME.socket (a TCP port on 127.0.0.1 that is free now) and NAME.service (ExecStart=/opt/NAME/server, after
 * `serviceSettings`), enables the socket and boots the machine; returns the port.
 */
async function bootWithSocket(root: string, name: string, serviceSettings = ''): Promise<number> {
  const port = await freePort();
  fs.mkdirSync(path.join(root, 'etc/systemd/system'), { recursive: true });
  fs.writeFileSync(path.join(root, `etc/systemd/system/${name}.socket`), `[Unit]\nDescription=${name} socket\n\n[Socket]\nListenStream=127.0.0.1:${port}\n\n[Install]\nWantedBy=sockets.target\n`);
  fs.writeFileSync(path.join(root, `etc/systemd/system/${name}.service`), `[Service]\n${serviceSettings}ExecStart=/opt/${name}/server\n`);
  await runCli(['systemctl', '--root', root, 'enable', `${name}.socket`]);
  await boot(root, /Multi-User System/);
  return port;
}

describe('libsystemd services that accept in a blocking loop', () => {
  it('a python3-systemd service (socket.socket(fileno=…).accept()) keeps running and answers every connection', async (context) => {
    const reason = missing([fs.existsSync(PYTHON), `${PYTHON} is missing`], [hasPythonSystemd(), 'python3-systemd is not installed']);
    if (reason) return skipBecause(reason, context);
    const port = await freePort();
    const root = makeRoot({
      '/etc/systemd/system/py.socket': `[Unit]\nDescription=Py socket\n\n[Socket]\nListenStream=127.0.0.1:${port}\n\n[Install]\nWantedBy=sockets.target\n`,
      '/etc/systemd/system/py.service': `[Service]\nExecStart=${PYTHON} /opt/py/server.py\n`,
      '/opt/py/server.py': PYTHON_PID_ACCEPT_LOOP,
    });
    await runCli(['systemctl', '--root', root, 'enable', 'py.socket']);
    await boot(root, /Multi-User System/);
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

  it("on a Unix socket, the emulator's own nc as the first client: its standard input reaches the service", async (context) => {
    const reason = missing([hasPythonSystemd(), 'python3-systemd is not installed']);
    if (reason) return skipBecause(reason, context);
    const root = makeRoot({
      '/etc/systemd/system/ux.socket': '[Socket]\nListenStream=/run/ux.sock\n',
      '/etc/systemd/system/ux.service': `[Service]\nExecStart=${PYTHON} /opt/ux.py\n`,
      '/opt/ux.py': 'import socket\nfrom systemd import daemon\nlistener = socket.socket(fileno=daemon.listen_fds()[0])\nwhile True:\n    c, _ = listener.accept()\n    c.sendall(b"reply:" + c.recv(100))\n    c.close()\n',
    });
    await boot(root, /Multi-User System/);
    await runCli(['systemctl', '--root', root, 'start', 'ux.socket']);
    // nc subscribes to its standard input only once connected: what the client sent before must wait for it.
    expect(await runCli(['nc', '--root', root, '-N', '-U', '/run/ux.sock'], 'first\n')).toMatchObject({ code: 0, stdout: 'reply:first\n' });
    expect(await runCli(['nc', '--root', root, '-N', '-U', '/run/ux.sock'], 'second\n')).toMatchObject({ code: 0, stdout: 'reply:second\n' });
  });

  it('a C service (sd_listen_fds + blocking accept) keeps running and answers every connection', async (context) => {
    const root = makeRoot({});
    const reason = buildC(C_PID_ACCEPT_LOOP, path.join(root, 'opt/c/server'));
    if (reason) return skipBecause(reason, context);
    const port = await bootWithSocket(root, 'c');
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(await exchange({ port, host: '127.0.0.1' }, '', false));
    const pids = new Set(replies.map((reply) => reply.trim()));
    expect(pids.size).toBe(1);
    expect([...pids][0]).toMatch(/^c \d+$/);
    expect(await state(root, 'c.service')).toMatch(/ActiveState=active SubState=running/);
  });

  it('a Go service (net.FileListener on fd 3, as go-systemd does) keeps running and answers every connection', async (context) => {
    const go = goToolchain();
    if (!go) return skipBecause('no Go toolchain (go on PATH, or the oracle root\'s /usr/lib/go-1.19)', context);
    const root = makeRoot({ '/opt/go/main.go': GO_PID_ACCEPT_LOOP });
    try {
      execFileSync(go.bin, ['build', '-o', path.join(root, 'opt/go/server'), path.join(root, 'opt/go/main.go')], {
        env: { ...process.env, ...go.env, GOCACHE: path.join(os.tmpdir(), 'emu-go-cache'), GOPATH: path.join(os.tmpdir(), 'emu-go-path'), CGO_ENABLED: '0', GO111MODULE: 'off' },
        stdio: 'pipe',
      });
    } catch (error) {
      return skipBecause(`go build failed: ${(error as Error).message.split('\n')[0]}`, context);
    }
    const port = await bootWithSocket(root, 'go');
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push((await exchange({ port, host: '127.0.0.1' }, '', false)).trim());
    expect(new Set(replies).size).toBe(1);
    expect(replies[0]).toMatch(/^go \d+$/);
    expect(await state(root, 'go.service')).toMatch(/ActiveState=active SubState=running/);
  }, 180_000);

  it('with NonBlocking=yes the C service gets O_NONBLOCK and its accept() fails with EAGAIN, as under systemd', async (context) => {
    const root = makeRoot({});
    const reason = buildC(C_PID_ACCEPT_LOOP, path.join(root, 'opt/c/server'));
    if (reason) return skipBecause(reason, context);
    const port = await bootWithSocket(root, 'c', 'NonBlocking=yes\n');
    // accept() on an empty backlog fails at once instead of waiting: the program exits 2 after its first round.
    void exchange({ port, host: '127.0.0.1' }, '', false).catch(() => undefined);
    const journal = await untilCli(root, ['journalctl', '-u', 'c.service', '--no-pager'], /accept: Resource temporarily unavailable/);
    expect(journal).toMatch(/c\.service: Main process exited, code=exited, status=2\/INVALIDARGUMENT/);
  });
});

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/debian-units');

/** A root with Debian's own unit files copied to /lib/systemd/system. */
function rootWithDebianUnits(units: Record<string, string>, files: Record<string, string> = {}): string {
  const root = makeRoot(files);
  fs.mkdirSync(path.join(root, 'lib/systemd/system'), { recursive: true });
  for (const [name, fixture] of Object.entries(units)) fs.copyFileSync(path.join(FIXTURES, fixture), path.join(root, 'lib/systemd/system', name));
  return root;
}

/** Runs a host program to completion; resolves with its output and status. */
function runHost(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 10_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('NOTIFY_SOCKET is a real datagram socket', () => {
  it("Debian's dbus-daemon with Debian's dbus.socket and dbus.service (Type=notify, --address=systemd:) becomes active and answers dbus-send", async (context) => {
    const reason = missing([fs.existsSync('/usr/bin/dbus-daemon'), '/usr/bin/dbus-daemon is missing'], [fs.existsSync('/usr/bin/dbus-send'), '/usr/bin/dbus-send is missing']);
    if (reason) return skipBecause(reason, context);
    const root = rootWithDebianUnits({ 'dbus.socket': 'dbus-system-bus-common/dbus.socket', 'dbus.service': 'dbus/dbus.service' });
    await boot(root, /Multi-User System/);
    await runCli(['systemctl', '--root', root, 'start', 'dbus.socket']);
    const reply = await runHost('/usr/bin/dbus-send', [`--bus=unix:path=${path.join(root, 'run/dbus/system_bus_socket')}`, '--print-reply', '--dest=org.freedesktop.DBus', '/', 'org.freedesktop.DBus.ListNames']);
    expect(reply.stdout).toContain('string "org.freedesktop.DBus"');
    await untilCli(root, ['systemctl', 'is-active', 'dbus.service'], /^active$/m);
    expect(await state(root, 'dbus.service')).toMatch(/ActiveState=active SubState=running/);
  });

  it('python3-systemd: READY=1 and STATUS= reach the service (active, Status: "Serving")', async (context) => {
    const reason = missing([hasPythonSystemd(), 'python3-systemd is not installed']);
    if (reason) return skipBecause(reason, context);
    const root = makeRoot({
      '/etc/systemd/system/n.service': `[Unit]\nDescription=Notifier\n\n[Service]\nType=notify\nExecStart=${PYTHON} /opt/n/n.py ready\n`,
      '/opt/n/n.py': PYTHON_NOTIFY,
    });
    await boot(root, /Multi-User System/);
    const start = await runCli(['systemctl', '--root', root, 'start', 'n.service']);
    expect(start.code).toBe(0);
    expect(await state(root, 'n.service')).toMatch(/ActiveState=active SubState=running/);
    const status = await runCli(['systemctl', '--root', root, 'status', 'n.service']);
    expect(status.stdout).toMatch(/^ {5}Status: "Serving"$/m);
    const show = await runCli(['systemctl', '--root', root, 'show', '-p', 'StatusText,NotifyAccess', 'n.service']);
    // systemctl show prints in systemd's property order (NotifyAccess= comes before StatusText= on the Service interface).
    expect(show.stdout).toBe('NotifyAccess=main\nStatusText=Serving\n');
  });

  it('NotifyAccess=main: READY=1 from a child of the main process is ignored with systemd\'s line; NotifyAccess=all takes it', async (context) => {
    const reason = missing([hasPythonSystemd(), 'python3-systemd is not installed']);
    if (reason) return skipBecause(reason, context);
    const root = makeRoot({
      '/etc/systemd/system/main.service': `[Service]\nType=notify\nTimeoutStartSec=30\nExecStart=${PYTHON} /opt/n/n.py child\n`,
      '/etc/systemd/system/all.service': `[Service]\nType=notify\nNotifyAccess=all\nExecStart=${PYTHON} /opt/n/n.py child\n`,
      '/opt/n/n.py': PYTHON_NOTIFY,
    });
    await boot(root, /Multi-User System/);
    void runCli(['systemctl', '--root', root, 'start', '--no-block', 'main.service']);
    const journal = await untilCli(root, ['journalctl', '-u', 'main.service', '--no-pager'], /but reception only permitted/);
    const mainPid = /MainPID=(\d+)/.exec(await state(root, 'main.service'))![1];
    expect(journal).toMatch(new RegExp(`main\\.service: Got notification message from PID \\d+, but reception only permitted for main PID ${mainPid}$`, 'm'));
    expect(await state(root, 'main.service')).toMatch(/ActiveState=activating SubState=start/);
    const all = await runCli(['systemctl', '--root', root, 'start', 'all.service']);
    expect(all.code).toBe(0);
    expect(await state(root, 'all.service')).toMatch(/ActiveState=active SubState=running/);
    await runCli(['systemctl', '--root', root, 'stop', 'main.service']);
  });

  it('malformed datagrams are ignored with systemd\'s warnings and never stop the daemon', async (context) => {
    const reason = missing([hasPythonSystemd(), 'python3-systemd is not installed']);
    if (reason) return skipBecause(reason, context);
    const root = makeRoot({
      '/etc/systemd/system/bad.service': `[Service]\nType=notify\nExecStart=${PYTHON} /opt/n/n.py malformed\n`,
      '/opt/n/n.py': PYTHON_NOTIFY,
    });
    await boot(root, /Multi-User System/);
    expect((await runCli(['systemctl', '--root', root, 'start', 'bad.service'])).code).toBe(0);
    const show = await runCli(['systemctl', '--root', root, 'show', '-p', 'ActiveState,StatusText,StatusErrno', 'bad.service']);
    // The Service interface's properties come before the Unit interface's (ActiveState=), as systemctl show orders them.
    expect(show.stdout).toBe('StatusText=still fine\nStatusErrno=2\nActiveState=active\n');
    const journal = (await runCli(['journalctl', '--root', root, '--no-pager'])).stdout;
    for (const line of [
      'systemd[1]: Received notify message with embedded NUL bytes. Ignoring.',
      'systemd[1]: Received notify message exceeded maximum size. Ignoring.',
      'systemd[1]: bad.service: Status message in notification message is not UTF-8 clean, ignoring.',
      "systemd[1]: bad.service: Failed to parse ERRNO= field value 'abc' in notification message: Invalid argument",
      'systemd[1]: bad.service: Failed to parse MAINPID= field in notification message, ignoring: -3',
      'systemd[1]: bad.service: Passed WATCHDOG= field is invalid, ignoring.',
      // As systemd 252 logs them (checked on Debian 12): an fd with a message that does not store it, and one
      // FDSTORE=1 with FileDescriptorStoreMax=0 (closed without the first line).
      'systemd[1]: Got extra auxiliary fds with notification message, closing them.',
      'systemd[1]: bad.service: Cannot store more fds than FileDescriptorStoreMax=0, closing remaining.',
    ]) expect(journal).toContain(line);
    expect(journal.match(/Got extra auxiliary fds/g)).toHaveLength(1);
  });

  it('WatchdogSec=: the service gets WATCHDOG_USEC=, and without WATCHDOG=1 it is aborted with result watchdog', async (context) => {
    const reason = missing([hasPythonSystemd(), 'python3-systemd is not installed']);
    if (reason) return skipBecause(reason, context);
    const root = makeRoot({
      '/etc/systemd/system/w.service': `[Service]\nType=notify\nWatchdogSec=1\nExecStart=${PYTHON} /opt/n/n.py watchdog\n`,
      '/opt/n/n.py': PYTHON_NOTIFY,
    });
    await boot(root, /Multi-User System/);
    expect((await runCli(['systemctl', '--root', root, 'start', 'w.service'])).code).toBe(0);
    const journal = await untilCli(root, ['journalctl', '-u', 'w.service', '--no-pager'], /Failed with result 'watchdog'/);
    expect(journal).toContain('WATCHDOG_USEC=1000000');
    expect(journal).toContain('w.service: Watchdog timeout (limit 1s)!');
    expect(journal).toMatch(/w\.service: Main process exited, code=killed, status=6\/ABRT/);
    expect(await state(root, 'w.service')).toMatch(/ActiveState=failed SubState=failed/);
  });

  it('FDSTORE=1: the fd a service stored comes back at its next start as a named LISTEN_FDS fd', async (context) => {
    const reason = missing([hasPythonSystemd(), 'python3-systemd is not installed']);
    if (reason) return skipBecause(reason, context);
    const root = makeRoot({
      '/etc/systemd/system/s.service': `[Service]\nType=notify\nFileDescriptorStoreMax=2\nExecStart=${PYTHON} /opt/n/n.py fdstore\n`,
      '/opt/n/n.py': PYTHON_NOTIFY,
    });
    await boot(root, /Multi-User System/);
    expect((await runCli(['systemctl', '--root', root, 'start', 's.service'])).code).toBe(0);
    expect((await runCli(['systemctl', '--root', root, 'show', '-p', 'NFileDescriptorStore', 's.service'])).stdout).toBe('NFileDescriptorStore=1\n');
    expect((await runCli(['systemctl', '--root', root, 'restart', 's.service'])).code).toBe(0);
    const journal = await untilCli(root, ['journalctl', '-u', 's.service', '--no-pager'], /fd 3 holds/);
    expect(journal).toContain('LISTEN_FDNAMES=mypipe');
    expect(journal).toContain('fd 3 holds kept across the restart');
  });
});

/** Reads what a server sends first (an SSH banner) after sending `hello` and half-closing. */
function banner(port: number): Promise<string> {
  return exchange({ port, host: '127.0.0.1' }, 'hello\n');
}

/** sshd checks the host's /run/sshd (it runs on the host's file system): Debian's tmpfiles would create it. */
function sshdMissing(): string | undefined {
  const reason = missing([fs.existsSync('/usr/sbin/sshd'), '/usr/sbin/sshd is missing'], [fs.existsSync('/etc/ssh/ssh_host_ed25519_key'), 'sshd has no host keys in /etc/ssh']);
  if (reason) return reason;
  if (!fs.existsSync('/run/sshd')) {
    console.log('creating /run/sshd on the host (sshd\'s privilege separation directory, as Debian\'s tmpfiles.d does)');
    fs.mkdirSync('/run/sshd', { mode: 0o755 });
  }
  return undefined;
}

const SSHD_BANNER = /^SSH-2\.0-OpenSSH_\S+/;

describe('sshd, both ways', () => {
  it("Debian's ssh.socket + ssh.service (Accept=no, Type=notify): sshd takes fd 3, says READY=1 and answers with its banner", async (context) => {
    const reason = sshdMissing();
    if (reason) return skipBecause(reason, context);
    const port = await freePort();
    const root = rootWithDebianUnits({ 'ssh.socket': 'openssh-server/ssh.socket', 'ssh.service': 'openssh-server/ssh.service' }, {
      // The same drop-in on real systemd: port 22 may be taken on this machine.
      '/etc/systemd/system/ssh.socket.d/port.conf': `[Socket]\nListenStream=\nListenStream=127.0.0.1:${port}\n`,
    });
    await boot(root, /Multi-User System/);
    expect((await runCli(['systemctl', '--root', root, 'start', 'ssh.socket'])).code).toBe(0);
    expect(await banner(port)).toMatch(SSHD_BANNER);
    await untilCli(root, ['systemctl', 'is-active', 'ssh.service'], /^active$/m);
    expect(await state(root, 'ssh.service')).toMatch(/ActiveState=active SubState=running/);
    expect(await state(root, 'ssh.socket')).toMatch(/ActiveState=active SubState=running/);
    // The same sshd serves the next client: it accepts on the socket itself.
    expect(await banner(port)).toMatch(SSHD_BANNER);
    // sshd logs "Server listening on …" to syslog (/dev/log), which the emulator does not collect.
  });

  it('the inetd pair (Accept=yes + sshd@.service, sshd -i, StandardInput=socket): one sshd per connection', async (context) => {
    const reason = sshdMissing();
    if (reason) return skipBecause(reason, context);
    const port = await freePort();
    const root = makeRoot({
      '/etc/systemd/system/sshd.socket': `[Unit]\nDescription=OpenBSD Secure Shell server socket\n\n[Socket]\nListenStream=127.0.0.1:${port}\nAccept=yes\n\n[Install]\nWantedBy=sockets.target\n`,
      '/etc/systemd/system/sshd@.service': '[Unit]\nDescription=OpenBSD Secure Shell server per-connection daemon\n\n[Service]\nExecStart=-/usr/sbin/sshd -i\nStandardInput=socket\n',
    });
    await runCli(['systemctl', '--root', root, 'enable', 'sshd.socket']);
    await boot(root, /Multi-User System/);
    expect(await banner(port)).toMatch(SSHD_BANNER);
    expect(await banner(port)).toMatch(SSHD_BANNER);
    const show = await untilCli(root, ['systemctl', 'show', '-p', 'NAccepted,NConnections', 'sshd.socket'], /NConnections=0/);
    expect(show).toMatch(/^NAccepted=2$/m);
  });
});

describe('systemd-socket-proxyd', () => {
  it('in front of a plain server: the first connection starts the proxy, which relays to the server', async (context) => {
    const proxyd = ['/lib/systemd/systemd-socket-proxyd', '/usr/lib/systemd/systemd-socket-proxyd'].find((file) => fs.existsSync(file));
    const reason = missing([proxyd !== undefined, 'systemd-socket-proxyd is missing'], [hasPythonSystemd(), 'python3-systemd is not installed']);
    if (reason) return skipBecause(reason, context);
    const [front, back] = [await freePort(), await freePort()];
    const root = makeRoot({
      // Type=notify: the backend says READY=1 once it listens, so the proxy never connects before that.
      '/etc/systemd/system/backend.service': `[Unit]\nDescription=Plain backend\n\n[Service]\nType=notify\nExecStart=${PYTHON} /opt/backend.py ${back}\n`,
      '/etc/systemd/system/proxy.socket': `[Unit]\nDescription=Proxy socket\n\n[Socket]\nListenStream=127.0.0.1:${front}\n\n[Install]\nWantedBy=sockets.target\n`,
      '/etc/systemd/system/proxy.service': `[Unit]\nDescription=Proxy\nRequires=backend.service\nAfter=backend.service\n\n[Service]\nExecStart=${proxyd} 127.0.0.1:${back}\n`,
      '/opt/backend.py': PYTHON_BACKEND,
    });
    await runCli(['systemctl', '--root', root, 'enable', 'proxy.socket']);
    await boot(root, /Multi-User System/);
    // As curl does, the client does not half-close: systemd-socket-proxyd ends a connection at the client's EOF.
    const reply = await exchange({ port: front, host: '127.0.0.1' }, 'GET / HTTP/1.0\r\n\r\n', false);
    expect(reply).toMatch(/^HTTP\/1\.0 200 OK\r\n[\s\S]*\r\n\r\nhello from the backend\n$/);
    expect(await exchange({ port: front, host: '127.0.0.1' }, 'GET / HTTP/1.0\r\n\r\n', false)).toContain('hello from the backend');
    expect(await state(root, 'proxy.service')).toMatch(/ActiveState=active SubState=running/);
    expect(await state(root, 'backend.service')).toMatch(/ActiveState=active SubState=running/);
  });
});

describe('User=, Group= and the socket node', () => {
  it('User=/Group= apply to the real child process when the emulator runs as root; DynamicUser= runs with a UID of the dynamic range', async (context) => {
    if (process.getuid?.() !== 0) return skipBecause('the emulator does not run as root here (only root can switch users)', context);
    const reason = missing([fs.existsSync('/usr/bin/id'), '/usr/bin/id is missing'], [/^nobody:/m.test(fs.readFileSync('/etc/passwd', 'utf8')), 'no user nobody']);
    if (reason) return skipBecause(reason, context);
    const group = /^nogroup:/m.test(fs.readFileSync('/etc/group', 'utf8')) ? 'nogroup' : 'nobody';
    const root = makeRoot({
      '/etc/systemd/system/who.service': `[Service]\nType=oneshot\nUser=nobody\nGroup=${group}\nExecStart=/usr/bin/id -un\nExecStart=/usr/bin/id -gn\n`,
      '/etc/systemd/system/dyn.service': '[Service]\nType=oneshot\nDynamicUser=yes\nExecStart=/usr/bin/id -u\n',
      '/etc/systemd/system/ghost.service': '[Service]\nUser=no-such-user-here\nExecStart=/usr/bin/id\n',
    });
    await boot(root, /Multi-User System/);
    expect((await runCli(['systemctl', '--root', root, 'start', 'who.service'])).code).toBe(0);
    expect((await runCli(['systemctl', '--root', root, 'start', 'dyn.service'])).code).toBe(0);
    const journal = (unit: string) => runCli(['journalctl', '--root', root, '-u', unit, '-o', 'cat', '--no-pager']).then((r) => r.stdout);
    expect(await journal('who.service')).toMatch(new RegExp(`^nobody\\n${group}\\n`, 'm'));
    // systemd 252 allocates a DynamicUser= UID from 61184–65519 (DYNAMIC_UID_MIN–MAX).
    const dynamicUid = Number(/^(\d+)$/m.exec(await journal('dyn.service'))?.[1]);
    expect(dynamicUid).toBeGreaterThanOrEqual(61184);
    expect(dynamicUid).toBeLessThanOrEqual(65519);
    // Type=simple: the start job is done once the child is forked, so systemctl exits 0 as on systemd 252
    // (golden file service-user-unknown); the child then exits 217/USER and the service fails.
    expect((await runCli(['systemctl', '--root', root, 'start', 'ghost.service'])).code).toBe(0);
    await untilCli(root, ['systemctl', 'is-active', 'ghost.service'], /^failed$/m);
    expect(await state(root, 'ghost.service')).toMatch(/ActiveState=failed/);
  });

  it('SocketMode=, SocketUser= and SocketGroup= are applied to the real socket node', async (context) => {
    if (process.getuid?.() !== 0) return skipBecause('the emulator does not run as root here (only root can chown)', context);
    const passwd = fs.readFileSync('/etc/passwd', 'utf8');
    if (!/^nobody:/m.test(passwd)) return skipBecause('no user nobody', context);
    const group = /^nogroup:/m.test(fs.readFileSync('/etc/group', 'utf8')) ? 'nogroup' : 'nobody';
    const root = makeRoot({
      '/etc/systemd/system/owned.socket': `[Socket]\nListenStream=/run/owned/owned.sock\nSocketMode=0660\nSocketUser=nobody\nSocketGroup=${group}\nDirectoryMode=0750\n`,
      '/etc/systemd/system/owned.service': '[Service]\nExecStart=/bin/sleep 60\n',
    });
    await boot(root, /Multi-User System/);
    expect((await runCli(['systemctl', '--root', root, 'start', 'owned.socket'])).code).toBe(0);
    const node = fs.statSync(path.join(root, 'run/owned/owned.sock'));
    expect(node.isSocket()).toBe(true);
    expect(node.mode & 0o7777).toBe(0o660);
    expect(node.uid).toBe(65534);
    expect(fs.statSync(path.join(root, 'run/owned')).mode & 0o7777).toBe(0o750);
  });
});

describe('ListenDatagram=, ListenSequentialPacket=, ListenFIFO= on the Node kernel', () => {
  it('each wakes its service with the first datagram, packet or byte, which the service then reads from fd 3', async (context) => {
    const reason = missing([hasPythonSystemd(), 'python3-systemd is not installed']);
    if (reason) return skipBecause(reason, context);
    const port = await freePort();
    const unit = (kind: string, listen: string): Record<string, string> => ({
      [`/etc/systemd/system/${kind}.socket`]: `[Unit]\nDescription=${kind} socket\n\n[Socket]\n${listen}\n`,
      [`/etc/systemd/system/${kind}.service`]: `[Service]\nExecStart=${PYTHON} /opt/dg.py ${kind}\n`,
    });
    const root = makeRoot({
      ...unit('udp', `ListenDatagram=127.0.0.1:${port}`),
      ...unit('unix', 'ListenDatagram=/run/dg/unix.sock'),
      ...unit('seqpacket', 'ListenSequentialPacket=/run/dg/seq.sock'),
      ...unit('fifo', 'ListenFIFO=/run/dg/fifo\nSocketMode=0620'),
      '/opt/dg.py': PYTHON_DATAGRAM_READER,
    });
    await boot(root, /Multi-User System/);
    expect((await runCli(['systemctl', '--root', root, 'start', 'udp.socket', 'unix.socket', 'seqpacket.socket', 'fifo.socket'])).code).toBe(0);
    expect(fs.statSync(path.join(root, 'run/dg/fifo')).isFIFO()).toBe(true);
    expect(fs.statSync(path.join(root, 'run/dg/fifo')).mode & 0o777).toBe(0o620);
    const ss = (await runCli(['ss', '--root', root, '-lux'])).stdout + (await runCli(['ss', '--root', root, '-lun'])).stdout;
    expect(ss).toContain('/run/dg/unix.sock');
    expect(ss).toContain(`127.0.0.1:${port}`);
    expect(await state(root, 'udp.service')).toMatch(/ActiveState=inactive/);

    const udp = dgram.createSocket('udp4');
    const udpReply = new Promise<string>((resolve) => udp.once('message', (message) => resolve(String(message))));
    udp.send('ping', port, '127.0.0.1');
    expect(await udpReply).toBe('udp got ping');
    udp.close();
    const client = (script: string) => runHost(PYTHON, ['-c', script]);
    await client(`import socket; s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.sendto(b"hello", "${path.join(root, 'run/dg/unix.sock')}")`);
    const seq = await client(`import socket; s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); s.connect("${path.join(root, 'run/dg/seq.sock')}"); s.send(b"packet"); print(s.recv(100).decode())`);
    expect(seq.stdout.trim()).toBe('seqpacket got packet');
    fs.writeFileSync(path.join(root, 'run/dg/fifo'), 'bytes\n');
    // Both lines, in either order: the two services start and read at their own pace.
    const journal = await untilCli(root, ['journalctl', '-u', 'unix.service', '-u', 'fifo.service', '-o', 'cat', '--no-pager'], /unix got hello[\s\S]*fifo got bytes|fifo got bytes[\s\S]*unix got hello/);
    expect(journal).toContain('unix got hello');
    expect(journal).toContain('fifo got bytes');
    for (const kind of ['udp', 'unix', 'seqpacket', 'fifo']) expect(await state(root, `${kind}.service`)).toMatch(/ActiveState=active SubState=running/);
  });
});
