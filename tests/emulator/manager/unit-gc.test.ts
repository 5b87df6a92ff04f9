/**
 * Units that fail to load are collected as soon as nothing holds them (unit_gc_sweep()), as systemd 252 does:
 * every request that names one loads it again and PID 1 logs its warnings again (oracle scenarios
 * refusal-logged-each-load, typo-in-key, myapp-start, boot-order-start).
 */
import { describe, expect, it } from 'vitest';
import { echoServer, exitWith, machine } from './harness.ts';

const REFUSAL = 'b.service: Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing.';
const NO_LISTEN = 's.socket: Unit has no Listen setting (ListenStream=, ListenDatagram=, ListenFIFO=, ...). Refusing.';
const S_REFUSAL = 's.service: Service has no ExecStart=, ExecStop=, or SuccessAction=. Refusing.';

describe('collecting units that failed to load', () => {
  it('loads a broken unit again for each request that names it, and list-units does not show it', async () => {
    const m = machine({ '/etc/systemd/system/b.service': '[Service]\n' });
    m.system.boot();
    await m.run('systemctl', 'status', 'b.service');
    expect(m.messages('b.service')).toEqual([REFUSAL]);
    await m.run('systemctl', 'is-active', 'b.service');
    await m.run('systemctl', 'show', '-p', 'LoadState', 'b.service');
    expect(m.messages('b.service')).toEqual([REFUSAL, REFUSAL, REFUSAL]);
    const list = await m.run('systemctl', 'list-units', '--all', 'b.*');
    expect(list.stdout).toContain('0 loaded units listed.');
    expect(m.system.manager.units.has('b.service')).toBe(false);
  });

  it('loads the service of a socket with the socket (socket_add_extras()), and both go together', async () => {
    const m = machine({
      '/etc/systemd/system/s.socket': '[Socket]\n',
      '/etc/systemd/system/s.service': '[Service]\n',
    });
    m.system.boot();
    const status = await m.run('systemctl', 'status', 's.socket');
    expect(status.stdout).toContain('Triggers: ● s.service');
    // The socket's load reads its service; the Triggers: line asks for the service's state, which reads it again.
    expect(m.messages().filter((line) => line.includes('Refusing'))).toEqual([NO_LISTEN, S_REFUSAL, S_REFUSAL]);
    const service = await m.run('systemctl', 'status', 's.service');
    // The socket is gone by then: the service is not triggered by anything.
    expect(service.stdout).not.toContain('TriggeredBy');
    expect(m.system.manager.units.has('s.socket')).toBe(false);
  });

  it('keeps a broken unit that a loaded unit references, without reading it again', async () => {
    const m = machine({
      '/etc/systemd/system/s.socket': '[Socket]\n[Install]\nWantedBy=sockets.target\n',
      '/etc/systemd/system/s.service': '[Service]\nExecStart=/usr/bin/s\n',
      '/etc/systemd/system/sockets.target.wants/s.socket': '[Socket]\n[Install]\nWantedBy=sockets.target\n',
    });
    m.system.boot();
    await m.run('systemctl', 'status', 's.socket');
    await m.run('systemctl', 'status', 's.socket');
    expect(m.messages('s.socket').filter((line) => line.includes('Refusing'))).toEqual([NO_LISTEN]);
    expect(m.system.manager.units.get('s.socket')?.file.loadState).toBe('bad-setting');
  });

  it('reads a fixed unit from disk at the next start, without daemon-reload', async () => {
    const m = machine({ '/etc/systemd/system/b.service': '[Service]\n' }, { '/usr/bin/b': () => {} });
    m.system.boot();
    expect((await m.run('systemctl', 'start', 'b.service')).status).toBe(1);
    m.kernel.fs.writeFile('/etc/systemd/system/b.service', '[Service]\nExecStart=/usr/bin/b\n');
    expect((await m.run('systemctl', 'start', 'b.service')).status).toBe(0);
    expect(m.system.manager.getUnit('b.service')?.activeState).toBe('active');
  });

  it('between two requests, an inactive unit nothing references is collected too: status then shows a fresh unit (oracle reset-failed)', async () => {
    const m = machine({ '/etc/systemd/system/bad.service': '[Unit]\nDescription=Bad\n[Service]\nExecStart=/usr/bin/bad\n' }, { '/usr/bin/bad': exitWith(2) });
    m.system.boot();
    await m.run('systemctl', 'start', 'bad.service');
    await m.advance(10);
    // Failed units stay (CollectMode=inactive).
    expect((await m.run('systemctl', 'status', 'bad.service')).stdout).toContain('Active: failed (Result: exit-code) since');
    await m.run('systemctl', 'reset-failed', 'bad.service');
    const status = await m.run('systemctl', 'status', 'bad.service');
    expect(status.stdout).toContain('     Active: inactive (dead)\n');
    expect(status.stdout).not.toContain('Main PID:');
  });

  it('keeps an inactive unit that an active one references, with its state', async () => {
    const m = machine({
      '/etc/systemd/system/s.socket': '[Socket]\nListenStream=127.0.0.1:8080\n',
      '/etc/systemd/system/s.service': '[Service]\nExecStart=/usr/bin/s\n',
    }, { '/usr/bin/s': echoServer() });
    m.system.boot();
    await m.run('systemctl', 'start', 's.socket');
    await m.kernel.net.connect('127.0.0.1:8080');
    await m.advance(10);
    await m.run('systemctl', 'stop', 's.service');
    await m.run('systemctl', 'is-active', 's.service');
    const service = m.system.manager.units.get('s.service');
    expect(service?.activeState).toBe('inactive');
    expect(service?.everChanged).toBe(true);
    // Stopping the socket too leaves both unreferenced: the next request finds neither.
    await m.run('systemctl', 'stop', 's.socket');
    await m.run('true');
    expect([...m.system.manager.units.keys()].filter((name) => name.startsWith('s.'))).toEqual([]);
  });

  it('reset-failed reports each unit that is not loaded and still resets the others (oracle app-db-solution)', async () => {
    const m = machine({ '/etc/systemd/system/bad.service': '[Service]\nExecStart=/usr/bin/bad\n' }, { '/usr/bin/bad': exitWith(1) });
    m.system.boot();
    await m.run('systemctl', 'start', 'bad.service');
    await m.advance(10);
    const r = await m.run('systemctl', 'reset-failed', 'gone.socket', 'bad.service', 'gone.service');
    expect([r.status, r.stderr]).toEqual([1, 'Failed to reset failed state of unit gone.socket: Unit gone.socket not loaded.\nFailed to reset failed state of unit gone.service: Unit gone.service not loaded.\n']);
    expect((await m.run('systemctl', 'is-failed', 'bad.service')).stdout).toBe('inactive\n');
  });

  it('loads a unit\'s Requires= with it, and status asks for each unit and each trigger\'s state in a request of its own (oracle cups-on-demand-start)', async () => {
    const CUPS_NO_LISTEN = 'cups.socket: Unit has no Listen setting (ListenStream=, ListenDatagram=, ListenFIFO=, ...). Refusing.';
    const m = machine({
      '/etc/systemd/system/cups.socket': '[Unit]\nPartOf=cups.service\n[Socket]\n',
      '/etc/systemd/system/cups.path': '[Unit]\nPartOf=cups.service\n[Path]\n',
      '/etc/systemd/system/cups.service': '[Unit]\nRequires=cups.socket\n[Service]\nExecStart=/usr/sbin/cupsd -l\n',
    });
    m.system.boot();
    const status = await m.run('systemctl', 'status', 'cups.socket', 'cups.path', 'cups.service');
    // cups.socket's own request, then its Triggers: cups.service (whose Requires= loads cups.socket again): two lines
    // by the time its log tail is read; cups.path's request and its Triggers: two more; cups.service's own request
    // and its TriggeredBy: two more. cups.path is loaded by its own request only.
    const [socketPart] = status.stdout.split('\n\n○ cups.path');
    expect(socketPart.split('\n').filter((line) => line.endsWith(CUPS_NO_LISTEN))).toHaveLength(2);
    expect(status.stdout).toContain('TriggeredBy: ○ cups.socket');
    expect(m.messages('cups.socket')).toEqual(Array(6).fill(CUPS_NO_LISTEN));
    expect(m.messages('cups.path')).toEqual(['cups.path: Path unit lacks path setting. Refusing.']);
  });
});
