import { describe, expect, it } from 'vitest';
import { createDefaultSystem } from '../../../src/emulator/commands/index.ts';
import { createMemoryKernel } from '../../../src/emulator/kernel/memory/memory-kernel.ts';

const SERVER = `const net = require('net');
console.log('fds=' + process.env.LISTEN_FDS + ' names=' + process.env.LISTEN_FDNAMES);
net.createServer((c) => c.end('hi from ' + process.pid + '\\n')).listen({ fd: 3 });
`;

async function read(k: ReturnType<typeof createMemoryKernel>, target: string): Promise<string> {
  const c = await k.net.connect(target);
  let text = '';
  c.onData((d) => { text += new TextDecoder().decode(d); });
  await new Promise<void>((resolve) => c.onEnd(() => resolve()));
  c.end();
  return text;
}

describe('manager on the in-memory kernel', () => {
  it('a Node service doing listen({ fd: 3 }) is activated by the first connection and gets its LISTEN_*', async () => {
    const k = createMemoryKernel({
      files: {
        '/etc/systemd/system/web.socket': '[Unit]\nDescription=Web socket\n[Socket]\nListenStream=127.0.0.1:8080\nFileDescriptorName=web\n[Install]\nWantedBy=sockets.target\n',
        '/etc/systemd/system/web.service': '[Unit]\nDescription=Web\n[Service]\nExecStart=/usr/bin/node /opt/web/server.js\n',
        '/opt/web/server.js': SERVER,
      },
    });
    const system = createDefaultSystem(k);
    let err = '';
    const io = { stdout: () => {}, stderr: (t: string) => { err += t; }, signal: new AbortController().signal };
    expect(await system.runCommand(['systemctl', 'enable', '--now', 'web.socket'], io)).toBe(0);
    expect(err).toContain('Created symlink /etc/systemd/system/sockets.target.wants/web.socket → /etc/systemd/system/web.socket.');
    expect(system.manager.getUnit('web.service')?.activeState ?? 'inactive').toBe('inactive');
    const reply = await read(k, '127.0.0.1:8080');
    const service = system.snapshot().units.find((u) => u.name === 'web.service')!;
    expect(reply).toBe(`hi from ${service.mainPid}\n`);
    expect(service.activeState).toBe('active');
    expect(service.fds).toEqual([{ fd: 3, name: 'web', socket: 'web.socket' }]);
    expect(system.manager.journal.entries.map((e) => e.message)).toContain('fds=1 names=web');
  });
});

describe('ss -p on the in-memory kernel: activation sockets carry PID 1 fd numbers', () => {
  it('stopping only the socket unit leaves the running service its copy of the listening socket (oracle lesson-stopping-and-debugging-2)', async () => {
    const k = createMemoryKernel({
      files: {
        '/etc/systemd/system/web.socket': '[Socket]\nListenStream=127.0.0.1:8080\n',
        '/etc/systemd/system/web.service': '[Service]\nExecStart=/usr/bin/node /opt/web/server.js\n',
        '/opt/web/server.js': SERVER,
      },
    });
    const system = createDefaultSystem(k);
    const io = { stdout: () => {}, stderr: () => {}, signal: new AbortController().signal };
    expect(await system.runCommand(['systemctl', 'start', 'web.socket'], io)).toBe(0);
    const first = await read(k, '127.0.0.1:8080');
    expect(await system.runCommand(['systemctl', 'stop', 'web.socket'], io)).toBe(0);
    expect(system.manager.getUnit('web.service')?.activeState).toBe('active');
    // PID 1 closed its fd; the socket lives on in the service, which still answers.
    expect(await read(k, '127.0.0.1:8080')).toBe(first);
    expect(await system.runCommand(['systemctl', 'stop', 'web.service'], io)).toBe(0);
    // With the last fd gone the port is closed.
    await expect(k.net.connect('127.0.0.1:8080')).rejects.toThrow();
  });

  it('StandardInput=socket: stdout and, with StandardError=inherit, stderr go to the connection, not the journal (oracle accept-yes-max-connections)', async () => {
    const program = "console.error('to stderr');\nprocess.stdout.write('to stdout\\n');\nprocess.exit(0);\n";
    const k = createMemoryKernel({
      files: {
        '/etc/systemd/system/i.socket': '[Socket]\nListenStream=127.0.0.1:7010\nAccept=yes\n',
        '/etc/systemd/system/i@.service': '[Service]\nExecStart=/usr/bin/node /opt/i.js\nStandardInput=socket\n',
        '/etc/systemd/system/j.socket': '[Socket]\nListenStream=127.0.0.1:7011\nAccept=yes\n',
        '/etc/systemd/system/j@.service': '[Service]\nExecStart=/usr/bin/node /opt/i.js\nStandardInput=socket\nStandardError=journal\n',
        '/opt/i.js': program,
      },
    });
    const system = createDefaultSystem(k);
    const io = { stdout: () => {}, stderr: () => {}, signal: new AbortController().signal };
    expect(await system.runCommand(['systemctl', 'start', 'i.socket', 'j.socket'], io)).toBe(0);
    expect(await read(k, '127.0.0.1:7010')).toBe('to stderr\nto stdout\n');
    expect(await read(k, '127.0.0.1:7011')).toBe('to stdout\n');
    const messages = system.manager.journal.entries.map((e) => e.message);
    expect(messages.filter((m) => m.startsWith('to '))).toEqual(['to stderr']);
  });

  it('each socket PID 1 opens gets its own fd, in order; the running service holds them as fd 3, 4', async () => {
    const k = createMemoryKernel({
      files: {
        '/etc/systemd/system/web.socket': '[Socket]\nListenStream=127.0.0.1:8080\nListenStream=127.0.0.1:8081\n',
        '/etc/systemd/system/web.service': '[Service]\nExecStart=/usr/bin/node /opt/web/server.js\n',
        '/opt/web/server.js': SERVER,
      },
    });
    const system = createDefaultSystem(k);
    let out = '';
    const io = { stdout: (t: string) => { out += t; }, stderr: () => {}, signal: new AbortController().signal };
    await system.runCommand(['systemctl', 'start', 'web.socket'], io);
    const owners = (): string[] => k.net.sockets().filter((s) => s.state === 'LISTEN').map((s) => s.processes.map((p) => `${p.name}:${p.pid}:${p.fd}`).join(','));
    const before = owners();
    expect(before).toHaveLength(2);
    const fds = before.map((o) => Number(o.split(':')[2]));
    expect(fds[0]).toBeGreaterThan(2);
    expect(fds[1]).toBe(fds[0] + 1);
    await read(k, '127.0.0.1:8080');
    const pid = system.snapshot().units.find((u) => u.name === 'web.service')!.mainPid;
    expect(owners()).toEqual([`systemd:1:${fds[0]},node:${pid}:3`, `systemd:1:${fds[1]},node:${pid}:4`]);
    await system.runCommand(['ss', '-ltnp'], io);
    // ss lists the highest PID first (real ss on Debian 12: users:(("node",pid=88,fd=3),("systemd",pid=1,fd=26))).
    expect(out).toContain(`users:(("node",pid=${pid},fd=3),("systemd",pid=1,fd=${fds[0]}))`);
  });
});
