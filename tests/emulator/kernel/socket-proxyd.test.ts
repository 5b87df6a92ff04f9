/**
 * systemd-socket-proxyd as the memory kernel runs it, under the manager, with the messages of Debian 12's binary
 * (scenarios lesson-socket-proxyd-1 and -2), and StopWhenUnneeded= taking the proxied program down with it.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryKernel } from '../../../src/emulator/kernel/memory/memory-kernel.ts';
import { parseProxydArgs } from '../../../src/emulator/kernel/memory/programs/socket-proxyd.ts';
import { createDefaultSystem } from '../../../src/emulator/commands/index.ts';
import { registerShellCommands } from '../../../src/emulator/commands/shell-commands.ts';
import { createShell } from '../../../src/emulator/shell/run-command-line.ts';
import type { CommandIO } from '../../../src/emulator/system.ts';

/** An HTTP app that binds 127.0.0.1:8081 itself, after `delay` ms. */
const app = (delay: number) => `#!/usr/bin/env node
const http = require('http');
let n = 0;
const server = http.createServer((q, r) => r.end('app ' + process.pid + ' request ' + (++n) + '\\n'));
setTimeout(() => server.listen(8081, '127.0.0.1'), ${delay});
`;
const WAIT = `#!/usr/bin/env node
const net = require('net');
(function attempt() {
  const s = net.connect({ host: '127.0.0.1', port: 8081 });
  s.on('connect', () => { s.destroy(); process.exit(0); });
  s.on('error', () => { s.destroy(); setTimeout(attempt, 50); });
})();
`;

/** A machine with app behind app-proxy.socket (127.0.0.1:8080); `appExtra` goes into app.service's [Service]. */
async function boot(delay: number, appUnit: string, appService: string) {
  const kernel = createMemoryKernel({
    files: {
      '/opt/app/app': app(delay),
      '/usr/local/bin/wait-for-8081': WAIT,
      '/etc/systemd/system/app.service': `[Unit]\nDescription=app\n${appUnit}\n[Service]\nExecStart=/opt/app/app\n${appService}`,
      '/etc/systemd/system/app-proxy.socket': '[Socket]\nListenStream=127.0.0.1:8080\n',
      '/etc/systemd/system/app-proxy.service': '[Unit]\nRequires=app.service\nAfter=app.service\n\n[Service]\nExecStart=/lib/systemd/systemd-socket-proxyd --exit-idle-time=2s 127.0.0.1:8081\n',
    },
  });
  const system = createDefaultSystem(kernel);
  registerShellCommands(system);
  const booting = system.boot();
  await kernel.runUntilIdle(10_000);
  await booting;
  const shell = createShell(system, { USER: 'root' });
  const run = async (line: string) => {
    let out = '';
    let err = '';
    const io: CommandIO = { stdout: (t) => (out += t), stderr: (t) => (err += t), signal: new AbortController().signal };
    const done = shell.run(line, io);
    await kernel.runUntilIdle(1_000);
    return { status: await done, out, err };
  };
  const journal = (identifier: string) => system.manager.journal.entries.filter((e) => e.identifier === identifier).map((e) => e.message);
  return { kernel, run, journal };
}

describe('systemd-socket-proxyd', () => {
  it('parses its command line as the real binary does', () => {
    expect(parseProxydArgs(['--exit-idle-time=5s', '127.0.0.1:8081'])).toEqual({ target: { host: '127.0.0.1', port: 8081 }, exitIdleMs: 5000, connectionsMax: 256 });
    expect(parseProxydArgs(['-c', '10', '/run/app.sock'])).toEqual({ target: { path: '/run/app.sock' }, exitIdleMs: undefined, connectionsMax: 10 });
    expect(parseProxydArgs([])).toBe('Not enough parameters.');
    expect(parseProxydArgs(['--exit-idle-time=abc', '127.0.0.1:1'])).toBe('Failed to parse --exit-idle-time= argument: abc');
  });

  it('without LISTEN_FDS it says so and exits 1', async () => {
    const m = await boot(0, '', '');
    m.kernel.fs.writeFile('/etc/systemd/system/bare.service', '[Service]\nExecStart=/lib/systemd/systemd-socket-proxyd 127.0.0.1:8081\n');
    await m.run('systemctl start bare.service');
    expect(m.journal('systemd-socket-proxyd')).toEqual(["Didn't get any sockets passed in."]);
    expect((await m.run('systemctl show -p Result bare.service')).out).toBe('Result=exit-code\n');
  });

  it('forwards a connection to the program its service started, and both go away when idle (StopWhenUnneeded=)', async () => {
    const m = await boot(100, 'StopWhenUnneeded=yes', 'ExecStartPost=/usr/local/bin/wait-for-8081\n');
    await m.run('systemctl start app-proxy.socket');
    const first = await m.run('curl -sS http://127.0.0.1:8080/');
    expect(first.out).toMatch(/^app \d+ request 1\n$/);
    expect((await m.run('curl -sS http://127.0.0.1:8080/')).out).toMatch(/^app \d+ request 2\n$/);
    expect((await m.run('systemctl is-active app-proxy.service app.service')).out).toBe('active\nactive\n');
    await m.kernel.advance(2_500);
    expect((await m.run('systemctl is-active app-proxy.service app.service app-proxy.socket')).out).toBe('inactive\ninactive\nactive\n');
    expect((await m.run('curl -sS http://127.0.0.1:8080/')).out).toMatch(/^app \d+ request 1\n$/);
  });

  it('a program that is not listening yet: the client is dropped and the proxy logs the refusal', async () => {
    const m = await boot(500, '', '');
    await m.run('systemctl start app-proxy.socket');
    const reply = await m.run('curl -sS http://127.0.0.1:8080/');
    expect(reply.status).not.toBe(0);
    expect(m.journal('systemd-socket-proxyd')).toEqual(['Failed to connect to remote host: Connection refused']);
  });

  it('without StopWhenUnneeded= the program keeps running after the proxy exits', async () => {
    const m = await boot(0, '', '');
    await m.run('systemctl start app-proxy.socket');
    await m.run('curl -sS http://127.0.0.1:8080/');
    await m.kernel.advance(2_500);
    expect((await m.run('systemctl is-active app-proxy.service app.service')).out).toBe('inactive\nactive\n');
  });
});
