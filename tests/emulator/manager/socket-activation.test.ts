import { describe, expect, it } from 'vitest';
import { collect, echoServer, exitWith, machine } from './harness.ts';
import { settle } from './fake-kernel.ts';

const SOCKET = `[Unit]
Description=Foo socket

[Socket]
ListenStream=127.0.0.1:8080

[Install]
WantedBy=sockets.target
`;
const SERVICE = `[Unit]
Description=Foo service

[Service]
ExecStart=/usr/bin/foo
`;

function fooMachine(program = echoServer()) {
  return machine({
    '/etc/systemd/system/foo.socket': SOCKET,
    '/etc/systemd/system/foo.service': SERVICE,
    '/etc/systemd/system/sockets.target.wants/foo.socket': '',
  }, { '/usr/bin/foo': program });
}

describe('Accept=no socket activation', () => {
  it('boot starts the socket linked in sockets.target.wants and logs "Listening on"', async () => {
    const m = fooMachine();
    await m.system.boot();
    const socket = m.system.manager.getUnit('foo.socket')!;
    expect([socket.activeState, socket.subState]).toEqual(['active', 'listening']);
    expect(m.messages()).toContain('Listening on foo.socket - Foo socket.');
    expect(m.messages()).toContain('Reached target sockets.target - Socket Units.');
    expect(m.system.manager.getUnit('foo.service')?.activeState ?? 'inactive').toBe('inactive');
  });

  it('Accept=no: two connections queue one start job', async () => {
    const m = fooMachine();
    await m.system.boot();
    const a = await m.kernel.net.connect('127.0.0.1:8080');
    const b = await m.kernel.net.connect('127.0.0.1:8080');
    const readA = collect(a);
    const readB = collect(b);
    await settle();
    expect(m.kernel.processes.spawned.length).toBe(1);
    expect(m.messages().filter((l) => l === 'Started foo.service - Foo service.').length).toBe(1);
    expect(m.messages()).toContain('Started foo.service - Foo service.');
    expect(readA()).toBe('hello\n');
    expect(readB()).toBe('hello\n');
    const socket = m.system.manager.getUnit('foo.socket')!;
    expect(socket.subState).toBe('running');
  });

  it('LISTEN_FDS, LISTEN_PID and LISTEN_FDNAMES defaults', async () => {
    const m = fooMachine();
    await m.system.boot();
    await m.kernel.net.connect('127.0.0.1:8080');
    await settle();
    const spawned = m.kernel.processes.spawned[0];
    expect(spawned.env.LISTEN_FDS).toBe('1');
    expect(spawned.env.LISTEN_PID).toBe(String(spawned.pid));
    expect(spawned.env.LISTEN_FDNAMES).toBe('foo.socket');
    expect(spawned.options.fds.length).toBe(1);
  });

  it('service exiting without accepting is started again by the queued connection', async () => {
    let starts = 0;
    const m = fooMachine((ctx) => {
      starts++;
      if (starts === 1) queueMicrotask(() => ctx.exit(0));
      else echoServer('second\n')(ctx);
    });
    await m.system.boot();
    const c = await m.kernel.net.connect('127.0.0.1:8080');
    const read = collect(c);
    await settle();
    await settle();
    expect(starts).toBe(2);
    expect(read()).toBe('second\n');
    expect(m.messages('foo.service')).toContain('foo.service: Deactivated successfully.');
  });

  it('stopping socket and service in one command while a connection waits does not start the service again (oracle stop-socket-and-service-queued)', async () => {
    // The service takes the socket but never accepts: the connection stays queued.
    const m = fooMachine(() => {});
    await m.system.boot();
    await m.kernel.net.connect('127.0.0.1:8080');
    await settle();
    expect(m.kernel.processes.spawned.length).toBe(1);
    const r = await m.run('systemctl', 'stop', 'foo.socket', 'foo.service');
    expect(r.status).toBe(0);
    await settle();
    expect(m.kernel.processes.spawned.length).toBe(1);
    expect(m.system.manager.getUnit('foo.service')?.activeState ?? 'inactive').toBe('inactive');
    expect(m.system.manager.getUnit('foo.socket')?.activeState ?? 'inactive').toBe('inactive');
    expect(m.messages().filter((l) => l === 'Started foo.service - Foo service.').length).toBe(1);
  });

  it('SocketUser=/SocketGroup= run the chown step: the start job is still running after start(), so "Starting X..." is logged (oracle unix-socket-mode-owner)', async () => {
    const withOwner = machine({
      '/etc/systemd/system/o.socket': '[Unit]\nDescription=O socket\n[Socket]\nListenStream=/run/o.sock\nSocketGroup=adm\n',
      '/etc/systemd/system/o.service': SERVICE,
    });
    await withOwner.system.boot();
    expect((await withOwner.run('systemctl', 'start', 'o.socket')).status).toBe(0);
    expect(withOwner.messages('o.socket')).toEqual(['Starting o.socket - O socket...', 'Listening on o.socket - O socket.']);
    const plain = fooMachine();
    await plain.run('systemctl', 'start', 'foo.socket');
    expect(plain.messages('foo.socket')).toEqual(['Listening on foo.socket - Foo socket.']);
  });

  it('socket returns to listening when the service stops', async () => {
    const m = fooMachine();
    await m.system.boot();
    await m.kernel.net.connect('127.0.0.1:8080');
    await settle();
    const socket = m.system.manager.getUnit('foo.socket')!;
    expect(socket.subState).toBe('running');
    const service = m.system.manager.getUnit('foo.service')!;
    await m.system.manager.runJobAndWait(service, 'stop');
    expect(service.activeState).toBe('inactive');
    expect(socket.subState).toBe('listening');
    expect(m.messages()).toContain('Stopped foo.service - Foo service.');
  });

  it('start limit hit: socket fails with service-start-limit-hit and the exact journal lines', async () => {
    const m = fooMachine(exitWith(1));
    await m.system.boot();
    await m.kernel.net.connect('127.0.0.1:8080');
    for (let i = 0; i < 10; i++) await settle();
    const service = m.system.manager.getUnit('foo.service')!;
    const socket = m.system.manager.getUnit('foo.socket')!;
    expect(m.kernel.processes.spawned.length).toBe(5);
    expect([service.activeState, service.result]).toEqual(['failed', 'exit-code']);
    expect([socket.activeState, socket.result]).toEqual(['failed', 'service-start-limit-hit']);
    const lines = m.messages();
    expect(lines).toContain('foo.service: Main process exited, code=exited, status=1/FAILURE');
    expect(lines).toContain("foo.service: Failed with result 'exit-code'.");
    const tail = lines.slice(lines.indexOf('foo.service: Start request repeated too quickly.'));
    expect(tail).toEqual([
      'foo.service: Start request repeated too quickly.',
      "foo.service: Failed with result 'exit-code'.",
      'Failed to start foo.service - Foo service.',
      "foo.socket: Failed with result 'service-start-limit-hit'.",
    ]);
  });
});
