/**
 * Load and fault tests on the in-memory kernel with a virtual clock (issue 6 point 2, issue 3 point 10):
 * a slow start under 1,000 clients, a service killed mid-connection, a crash loop to the start limit, a trigger
 * storm, a full backlog, and a unit edited under a running service. Full counts run in bench/load.ts.
 */
import { describe, expect, it } from 'vitest';
import { bootMachine, record } from './fault-machine.ts';

const socketUnit = (name: string, listen: string, extra = ''): string =>
  `[Unit]\nDescription=${name} socket\n\n[Socket]\nListenStream=${listen}\n${extra}\n[Install]\nWantedBy=sockets.target\n`;
const serviceUnit = (name: string, program: string, unitExtra = ''): string =>
  `[Unit]\nDescription=${name} service\n${unitExtra}\n[Service]\nExecStart=/usr/bin/node ${program}\n`;
/** An enabled socket + its service running `script`; extra lines go to [Socket] and the service's [Unit]. */
function pair(name: string, listen: string, script: string, socketExtra = '', serviceUnitExtra = ''): Record<string, string> {
  return {
    [`/etc/systemd/system/${name}.socket`]: socketUnit(name, listen, socketExtra),
    [`/etc/systemd/system/${name}.service`]: serviceUnit(name, `/opt/${name}.js`, serviceUnitExtra),
    [`/etc/systemd/system/sockets.target.wants/${name}.socket`]: '',
    [`/opt/${name}.js`]: script,
  };
}

/** Answers `ok <request>` on each connection, but only starts listening after 1 s. */
const SLOW_ECHO = `const net = require('net');
setTimeout(() => {
  net.createServer((s) => { s.setEncoding('utf8'); s.on('data', (d) => s.end('ok ' + d)); }).listen({ fd: 3 });
}, 1000);
`;
/** Accepts connections, says hello, and keeps them open without ever answering more. */
const HOLDER = `const net = require('net');
net.createServer((s) => { s.write('hello ' + process.pid + '\\n'); }).listen({ fd: 3 });
`;
/** Crashes at once on every start. */
const CRASH = `process.exit(1);\n`;
/** An HTTP server answering its version and pid. */
const versioned = (v: string): string => `const http = require('http');
http.createServer((req, res) => res.end('${v} ' + process.pid + '\\n')).listen({ fd: 3 });
`;

describe('load: a slow start under many clients (memory kernel, virtual clock)', () => {
  it('1,000 clients connecting at once while the service takes 1 s to listen: none lost, each gets its own reply', async () => {
    const m = await bootMachine(pair('slow', '127.0.0.1:8080', SLOW_ECHO));
    expect(m.state('slow.socket')).toEqual(['active', 'listening', 'success']);
    const clients = await Promise.all(Array.from({ length: 1000 }, () => m.kernel.net.connect('127.0.0.1:8080')));
    const records = clients.map((c, i) => {
      const r = record(c);
      c.write(String(i));
      return r;
    });
    await m.kernel.advance(500);
    expect(m.state('slow.service')[0]).toBe('active');
    expect(records.every((r) => r.text() === '')).toBe(true);
    await m.kernel.runUntilIdle(5_000);
    expect(new Set(await Promise.all(records.map((r) => r.done)))).toEqual(new Set(['EOF']));
    expect(records.map((r) => r.text())).toEqual(Array.from({ length: 1000 }, (_, i) => `ok ${i}`));
    expect(m.messages().filter((l) => l === 'Started slow.service - slow service.')).toHaveLength(1);
    expect(m.state('slow.socket')).toEqual(['active', 'running', 'success']);
  });
});

describe('fault: a service killed in the middle of a connection', () => {
  it('SIGKILL: the client sees the close (the kernel closes the dead process\'s fds), the unit fails with result signal, the socket listens again and the next connection starts it', async () => {
    const m = await bootMachine(pair('hold', '127.0.0.1:8081', HOLDER));
    const conn = await m.kernel.net.connect('127.0.0.1:8081');
    const client = record(conn);
    await m.kernel.advance(10);
    const pid = m.system.snapshot().units.find((u) => u.name === 'hold.service')!.mainPid!;
    expect(client.text()).toBe(`hello ${pid}\n`);
    expect(m.state('hold.socket')).toEqual(['active', 'running', 'success']);

    m.kernel.processes.list().find((p) => p.pid === pid)!.kill('SIGKILL');
    await m.kernel.advance(10);
    expect(await client.done).toBe('EOF');
    conn.end();
    expect(m.state('hold.service')).toEqual(['failed', 'failed', 'signal']);
    expect(m.state('hold.socket')).toEqual(['active', 'listening', 'success']);
    const lines = m.messages();
    expect(lines.slice(lines.indexOf('hold.service: Main process exited, code=killed, status=9/KILL'))).toEqual([
      'hold.service: Main process exited, code=killed, status=9/KILL',
      "hold.service: Failed with result 'signal'.",
    ]);
    const status = await m.run(['systemctl', 'status', 'hold.service']);
    expect(status.status).toBe(3);
    expect(status.stdout).toMatch(/Active: failed \(Result: signal\) since /);
    expect(status.stdout).toContain(`Process: ${pid} ExecStart=/usr/bin/node /opt/hold.js (code=killed, signal=KILL)`);

    const again = record(await m.kernel.net.connect('127.0.0.1:8081'));
    await m.kernel.advance(10);
    const newPid = m.system.snapshot().units.find((u) => u.name === 'hold.service')!.mainPid!;
    expect(newPid).not.toBe(pid);
    expect(again.text()).toBe(`hello ${newPid}\n`);
    expect(m.state('hold.service')).toEqual(['active', 'running', 'success']);
  });
});

describe('fault: a service that crashes on every start', () => {
  it('ends at the start limit with systemd\'s journal lines in order, and status of both units says so', async () => {
    const m = await bootMachine(pair('crash', '127.0.0.1:8082', CRASH));
    const client = record(await m.kernel.net.connect('127.0.0.1:8082'));
    await m.settle(10_000);
    expect(m.state('crash.service')).toEqual(['failed', 'failed', 'exit-code']);
    expect(m.state('crash.socket')).toEqual(['failed', 'failed', 'service-start-limit-hit']);
    // The socket closed: the queued connection is reset, as closing a listening socket does on Linux.
    expect(await client.done).toBe('ECONNRESET');
    const lines = m.messages().filter((l) => /crash/i.test(l));
    const once = [
      'Started crash.service - crash service.',
      'crash.service: Main process exited, code=exited, status=1/FAILURE',
      "crash.service: Failed with result 'exit-code'.",
    ];
    expect(lines.slice(0, 1)).toEqual(['Listening on crash.socket - crash socket.']);
    expect(lines.slice(1, 16)).toEqual([...once, ...once, ...once, ...once, ...once]);
    expect(lines.slice(16)).toEqual([
      'crash.service: Start request repeated too quickly.',
      "crash.service: Failed with result 'exit-code'.",
      'Failed to start crash.service - crash service.',
      "crash.socket: Failed with result 'service-start-limit-hit'.",
    ]);

    const service = await m.run(['systemctl', 'status', 'crash.service']);
    expect(service.status).toBe(3);
    expect(service.stdout).toMatch(/^× crash\.service - crash service\n/);
    expect(service.stdout).toMatch(/\n {5}Active: failed \(Result: exit-code\) since [^\n]+\n/);
    expect(service.stdout).toContain('TriggeredBy: × crash.socket');
    const socket = await m.run(['systemctl', 'status', 'crash.socket']);
    expect(socket.status).toBe(3);
    expect(socket.stdout).toMatch(/^× crash\.socket - crash socket\n/);
    expect(socket.stdout).toMatch(/\n {5}Active: failed \(Result: service-start-limit-hit\) since [^\n]+\n/);
    expect(socket.stdout).toContain('Triggers: ● crash.service');
    expect(socket.stdout).toContain('Listen: 127.0.0.1:8082 (Stream)');
    // Nothing listens any more: a new client is refused.
    await expect(m.kernel.net.connect('127.0.0.1:8082')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('fault: a trigger storm', () => {
  it('an Accept=no socket whose service fails fast hits the trigger limit: systemd\'s line, socket failed with trigger-limit-hit', async () => {
    // No start limit on the service, so only the socket's trigger limit (20 per 2 s) can stop the storm.
    const m = await bootMachine(pair('storm', '127.0.0.1:8083', CRASH, '', 'StartLimitIntervalSec=0'));
    const clients = await Promise.all(Array.from({ length: 30 }, () => m.kernel.net.connect('127.0.0.1:8083')));
    await m.settle(10_000);
    const lines = m.messages('storm.socket');
    expect(lines).toContain('storm.socket: Trigger limit hit, refusing further activation.');
    expect(lines.at(-1)).toBe("storm.socket: Failed with result 'trigger-limit-hit'.");
    expect(m.state('storm.socket')).toEqual(['failed', 'failed', 'trigger-limit-hit']);
    expect(m.messages().filter((l) => l === 'Started storm.service - storm service.').length).toBeLessThanOrEqual(20);
    expect(clients).toHaveLength(30);
    const status = await m.run(['systemctl', 'status', 'storm.socket']);
    expect(status.stdout).toMatch(/Active: failed \(Result: trigger-limit-hit\)/);
    expect(await m.run(['systemctl', 'is-system-running'])).toMatchObject({ status: 1, stdout: 'degraded\n' });
  });
});

describe('fault: a full backlog', () => {
  // Backlog=2 and a service that never accepts: the queue holds Backlog+1 connections, as Linux does.
  const NEVER_ACCEPTS = `setInterval(() => {}, 1000);\n`;

  it('TCP: connections over the backlog are SYN-dropped: the client waits and curl --max-time gives exit 28; other sockets still activate', async () => {
    const m = await bootMachine({
      ...pair('full', '127.0.0.1:8084', NEVER_ACCEPTS, 'Backlog=2\n'),
      ...pair('other', '127.0.0.1:8085', versioned('other')),
    });
    const held = await Promise.all([1, 2, 3].map(() => m.kernel.net.connect('127.0.0.1:8084')));
    expect(held).toHaveLength(3);
    expect(m.state('full.service')[0]).toBe('active');
    let fourth: string | undefined;
    m.kernel.net.connect('127.0.0.1:8084').then(() => (fourth = 'connected'), (e) => (fourth = e.code));
    await m.kernel.advance(30_000);
    expect(fourth).toBeUndefined();
    const curl = await m.run(['curl', '-sS', '--max-time', '5', 'http://127.0.0.1:8084/']);
    expect(curl.status).toBe(28);
    expect(curl.stderr).toBe('curl: (28) Connection timed out after 5000 milliseconds\n');
    await m.kernel.advance(200_000);
    expect(fourth).toBe('ETIMEDOUT');

    const other = await m.run(['curl', '-s', 'http://127.0.0.1:8085/']);
    expect(other.status).toBe(0);
    expect(other.stdout).toMatch(/^other \d+\n$/);
    expect(m.state('other.service')[0]).toBe('active');
    expect((await m.run(['systemctl', 'is-system-running'])).stdout).toBe('running\n');
  });

  it('Unix socket: a full backlog fails at once with EAGAIN (Resource temporarily unavailable)', async () => {
    const m = await bootMachine(pair('ufull', '/run/ufull.sock', NEVER_ACCEPTS, 'Backlog=2\n'));
    await Promise.all([1, 2, 3].map(() => m.kernel.net.connect('/run/ufull.sock')));
    await expect(m.kernel.net.connect('/run/ufull.sock')).rejects.toMatchObject({ code: 'EAGAIN', message: expect.stringContaining('Resource temporarily unavailable') });
    // curl's connect is non-blocking: it fails at once rather than waiting for room.
    const curl = await m.run(['curl', '-sS', '--unix-socket', '/run/ufull.sock', 'http://localhost/'], 100);
    expect(curl.status).toBe(7);
    expect(m.state('ufull.socket')[0]).toBe('active');
  });
});

describe('fault: a unit edited while its service runs, then daemon-reload', () => {
  it('the running service keeps the old config until restarted; status warns before the reload; the new config applies after restart', async () => {
    const m = await bootMachine(pair('edit', '127.0.0.1:8086', versioned('v1')));
    m.kernel.fs.writeFile('/opt/edit2.js', versioned('v2'));
    const first = await m.run(['curl', '-s', 'http://127.0.0.1:8086/']);
    expect(first.stdout).toMatch(/^v1 \d+\n$/);
    const oldPid = m.system.snapshot().units.find((u) => u.name === 'edit.service')!.mainPid;

    m.kernel.fs.writeFile('/etc/systemd/system/edit.service', serviceUnit('edit', '/opt/edit2.js'));
    const warned = await m.run(['systemctl', 'status', 'edit.service']);
    expect(warned.stderr).toBe("Warning: The unit file, source configuration file or drop-ins of edit.service changed on disk. Run 'systemctl daemon-reload' to reload units.\n");
    expect(warned.stdout).toContain('/usr/bin/node /opt/edit.js');

    expect((await m.run(['systemctl', 'daemon-reload'])).status).toBe(0);
    const reloaded = await m.run(['systemctl', 'status', 'edit.service']);
    expect(reloaded.stderr).toBe('');
    expect(m.state('edit.service')).toEqual(['active', 'running', 'success']);
    expect(m.system.snapshot().units.find((u) => u.name === 'edit.service')!.mainPid).toBe(oldPid);
    expect((await m.run(['curl', '-s', 'http://127.0.0.1:8086/'])).stdout).toBe(`v1 ${oldPid}\n`);

    expect((await m.run(['systemctl', 'restart', 'edit.service'])).status).toBe(0);
    const after = await m.run(['curl', '-s', 'http://127.0.0.1:8086/']);
    expect(after.stdout).toMatch(/^v2 \d+\n$/);
    expect(after.stdout).not.toBe(`v2 ${oldPid}\n`);
    expect((await m.run(['systemctl', 'cat', 'edit.service'])).stdout).toContain('ExecStart=/usr/bin/node /opt/edit2.js');
  });
});
