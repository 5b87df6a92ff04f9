/**
 * Units that fail to load are collected as soon as nothing holds them (unit_gc_sweep()), as systemd 252 does:
 * every request that names one loads it again and PID 1 logs its warnings again (oracle scenarios
 * refusal-logged-each-load, typo-in-key, myapp-start, boot-order-start).
 */
import { describe, expect, it } from 'vitest';
import { machine } from './harness.ts';

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
});
