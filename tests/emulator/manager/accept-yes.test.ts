import { describe, expect, it } from 'vitest';
import { machine } from './harness.ts';
import type { Program } from './fake-kernel.ts';
import { settle } from './fake-kernel.ts';

const files = (socketExtra = '') => ({
  '/etc/systemd/system/echo.socket': `[Unit]\nDescription=Echo socket\n[Socket]\nListenStream=127.0.0.1:7000\nAccept=yes\n${socketExtra}\n[Install]\nWantedBy=sockets.target\n`,
  '/etc/systemd/system/echo@.service': '[Unit]\nDescription=Echo server\n[Service]\nExecStart=/usr/bin/echo-server\n',
  '/etc/systemd/system/sockets.target.wants/echo.socket': '',
});

/** Holds its connection open until told to exit. */
const holder: Program = () => {};

describe('Accept=yes', () => {
  it('Accept=yes instance names, REMOTE_ADDR/REMOTE_PORT, LISTEN_FDNAMES=connection and the peer in the description', async () => {
    const m = machine(files(), { '/usr/bin/echo-server': holder });
    await m.system.boot();
    const c1 = await m.kernel.net.connect('127.0.0.1:7000');
    const c2 = await m.kernel.net.connect('127.0.0.1:7000');
    await settle();
    const names = m.system.unitNames().filter((n) => n.startsWith('echo@'));
    expect(names).toEqual([
      `echo@0-127.0.0.1:7000-127.0.0.1:${c1.local.port}.service`,
      `echo@1-127.0.0.1:7000-127.0.0.1:${c2.local.port}.service`,
    ]);
    const first = m.kernel.processes.spawned[0];
    expect(first.env.REMOTE_ADDR).toBe('127.0.0.1');
    expect(first.env.REMOTE_PORT).toBe(String(c1.local.port));
    expect(first.env.LISTEN_FDNAMES).toBe('connection');
    expect(first.env.LISTEN_FDS).toBe('1');
    expect(m.messages()).toContain(`Started echo@0-127.0.0.1:7000-127.0.0.1:${c1.local.port}.service - Echo server (127.0.0.1:${c1.local.port}).`);
    const socket = m.system.snapshot().units.find((u) => u.name === 'echo.socket')!;
    expect([socket.subState, socket.accepted, socket.connected]).toEqual(['listening', 2, 2]);
  });

  it('MaxConnections refuses the 65th', async () => {
    const m = machine(files(), { '/usr/bin/echo-server': holder });
    await m.system.boot();
    for (let i = 0; i < 65; i++) await m.kernel.net.connect('127.0.0.1:7000');
    await settle();
    const socket = m.system.snapshot().units.find((u) => u.name === 'echo.socket')!;
    expect([socket.accepted, socket.connected, socket.refused]).toEqual([64, 64, 1]);
    expect(m.messages()).toContain('echo.socket: Too many incoming connections (64), dropping connection.');
    const status = await m.run('systemctl', 'status', 'echo.socket');
    expect(status.stdout).toContain('   Accepted: 64; Connected: 64;   Refused: 1\n');
  });

  it('an instance that exits releases its connection slot and is garbage-collected', async () => {
    const m = machine(files(), { '/usr/bin/echo-server': (ctx) => queueMicrotask(() => ctx.exit(0)) });
    await m.system.boot();
    await m.kernel.net.connect('127.0.0.1:7000');
    for (let i = 0; i < 5; i++) await settle();
    const socket = m.system.snapshot().units.find((u) => u.name === 'echo.socket')!;
    expect([socket.accepted, socket.connected]).toEqual([1, 0]);
    expect(m.system.unitNames().some((n) => n.startsWith('echo@'))).toBe(false);
  });

  it('StandardInput=socket passes the connection as stdin/stdout without LISTEN_*', async () => {
    const f = files();
    f['/etc/systemd/system/echo@.service'] = '[Service]\nExecStart=-/usr/sbin/sshd -i\nStandardInput=socket\n';
    const m = machine(f, { '/usr/sbin/sshd': holder });
    await m.system.boot();
    await m.kernel.net.connect('127.0.0.1:7000');
    await settle();
    const spawned = m.kernel.processes.spawned[0];
    expect(spawned.options.stdioConnection).toBeDefined();
    expect(spawned.env.LISTEN_FDS).toBeUndefined();
    expect(spawned.env.LISTEN_PID).toBeUndefined();
  });

  it('trigger limit hit', async () => {
    const m = machine(files('TriggerLimitIntervalSec=10s\nTriggerLimitBurst=3'), { '/usr/bin/echo-server': holder });
    await m.system.boot();
    for (let i = 0; i < 4; i++) await m.kernel.net.connect('127.0.0.1:7000');
    await settle();
    const socket = m.system.manager.getUnit('echo.socket')!;
    expect([socket.activeState, socket.result]).toEqual(['failed', 'trigger-limit-hit']);
    expect(m.messages('echo.socket')).toEqual(expect.arrayContaining([
      'echo.socket: Trigger limit hit, refusing further activation.',
      "echo.socket: Failed with result 'trigger-limit-hit'.",
    ]));
    await expect(m.kernel.net.connect('127.0.0.1:7000')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
