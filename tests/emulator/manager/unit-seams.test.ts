/**
 * The per-type seams of the manager: each type's state translation table, its status message formats
 * with Debian 12's combined unit names, and the implicit dependencies and trigger relations its hooks add.
 * The expected lines are what systemd 252 (Debian 12, in an nspawn container) logged for the same units.
 */
import { describe, expect, it } from 'vitest';
import { beginStatusFormat, doneStatusFormat, formatStatus, unitStatusString } from '../../../src/emulator/manager/status-messages.ts';
import {
  PATH_STATE_TRANSLATION, SERVICE_STATE_TRANSLATION, SOCKET_STATE_TRANSLATION, TARGET_STATE_TRANSLATION,
} from '../../../src/emulator/manager/unit-def.ts';
import { socketServiceName } from '../../../src/emulator/unit-file/unit-name.ts';
import { echoServer, machine } from './harness.ts';

describe('state translation tables (state_translation_table of service.c, socket.c, path.c, target.c)', () => {
  it('maps every service sub-state to the active state systemd gives it', () => {
    expect(SERVICE_STATE_TRANSLATION).toMatchObject({
      dead: 'inactive', condition: 'activating', 'start-pre': 'activating', start: 'activating', 'start-post': 'activating',
      running: 'active', exited: 'active', reload: 'reloading', stop: 'deactivating', 'stop-sigterm': 'deactivating',
      'stop-post': 'deactivating', 'final-sigterm': 'deactivating', failed: 'failed', 'auto-restart': 'activating',
    });
  });

  it('maps socket, path and target sub-states', () => {
    expect(SOCKET_STATE_TRANSLATION).toMatchObject({
      dead: 'inactive', 'start-pre': 'activating', listening: 'active', running: 'active', 'stop-pre': 'deactivating', failed: 'failed',
    });
    expect(PATH_STATE_TRANSLATION).toEqual({ dead: 'inactive', waiting: 'active', running: 'active', failed: 'failed' });
    expect(TARGET_STATE_TRANSLATION).toEqual({ dead: 'inactive', active: 'active' });
  });

  it('a unit moves by sub-state alone; the active state follows from its table', async () => {
    const m = machine({
      '/etc/systemd/system/x.socket': '[Socket]\nListenStream=127.0.0.1:8080\n',
      '/etc/systemd/system/x.service': '[Service]\nExecStart=/usr/bin/x\n',
    }, { '/usr/bin/x': echoServer() });
    await m.run('systemctl', 'start', 'x.socket');
    const socket = m.system.manager.getUnit('x.socket')!;
    expect([socket.activeState, socket.subState]).toEqual(['active', 'listening']);
    socket.setState('stop-pre');
    expect(socket.activeState).toBe('deactivating');
  });
});

describe('status messages (job.c formats, unit_status_string() with StatusUnitFormat=combined)', () => {
  it('names a unit with its description once, and alone when there is none or it equals the name', () => {
    expect(unitStatusString('b.socket', 'B socket')).toBe('b.socket - B socket');
    expect(unitStatusString('a.socket', undefined)).toBe('a.socket');
    expect(unitStatusString('a.socket', 'a.socket')).toBe('a.socket');
  });

  it('falls back to the generic words where a type has none', () => {
    expect(formatStatus(beginStatusFormat({}, 'start'), 'x.path - X')).toBe('Starting x.path - X...');
    expect(doneStatusFormat({}, 'start', 'done')).toBe('Started %s.');
    expect(doneStatusFormat({}, 'stop', 'failed')).toBe('Stopped %s with error.');
    expect(doneStatusFormat({}, 'start', 'canceled')).toBeUndefined();
  });

  it('sockets, targets and services log their own words in the combined format', async () => {
    const m = machine({
      '/etc/systemd/system/a.socket': '[Socket]\nListenStream=127.0.0.1:8081\n',
      '/etc/systemd/system/a.service': '[Service]\nExecStart=/usr/bin/b\n',
      '/etc/systemd/system/b.socket': '[Unit]\nDescription=B socket\n[Socket]\nListenStream=127.0.0.1:8082\n',
      '/etc/systemd/system/b.service': '[Unit]\nDescription=B server\n[Service]\nExecStart=/usr/bin/b\n',
      '/etc/systemd/system/one.service': '[Unit]\nDescription=One shot\n[Service]\nType=oneshot\nExecStart=/usr/bin/true\n',
    }, { '/usr/bin/b': echoServer(), '/usr/bin/true': (ctx) => queueMicrotask(() => ctx.exit(0)) });
    await m.run('systemctl', 'start', 'a.socket', 'b.socket', 'b.service', 'one.service');
    await m.run('systemctl', 'stop', 'a.socket', 'b.socket');
    const lines = m.messages();
    expect(lines).toEqual(expect.arrayContaining([
      'Listening on a.socket.',
      'Listening on b.socket - B socket.',
      'Started b.service - B server.',
      'Closed a.socket.',
      'Closed b.socket - B socket.',
    ]));
    const one = lines.indexOf('Starting one.service - One shot...');
    expect(lines.slice(one, one + 3)).toEqual(['Starting one.service - One shot...', 'one.service: Deactivated successfully.', 'Finished one.service - One shot.']);
  });
});

describe('type hooks: implicit dependencies and triggers (socket_add_extras, service_add_extras, path_add_extras)', () => {
  it('a socket is before its service and sockets.target; the service is after it and basic.target and wants its Sockets=; both get the default dependencies', async () => {
    const m = machine({
      '/etc/systemd/system/x.socket': '[Socket]\nListenStream=127.0.0.1:8080\n',
      '/etc/systemd/system/x.service': '[Service]\nExecStart=/usr/bin/x\nSockets=x.socket\n',
      '/etc/systemd/system/x.path': '[Path]\nPathExists=/run/x\n',
    });
    const { manager } = m.system;
    const socket = manager.loadUnit('x.socket');
    const service = manager.loadUnit('x.service');
    const path = manager.loadUnit('x.path');
    // As systemd 252 shows them (`systemctl show -p Before x.socket`…; the order is its hashmap's, so sorted).
    expect([...manager.beforeOf(socket)].sort()).toEqual(['shutdown.target', 'sockets.target', 'x.service']);
    expect([...manager.afterOf(service)].sort()).toEqual(['basic.target', 'sysinit.target', 'system.slice', 'systemd-journald.socket', 'x.socket']);
    expect(manager.wantsOf(service)).toEqual(['x.socket']);
    expect([...manager.beforeOf(path)].sort()).toEqual(['paths.target', 'shutdown.target', 'x.service']);
    expect([...manager.requiresOf(socket)].sort()).toEqual(['sysinit.target', 'system.slice']);
    expect([...manager.afterOf(socket)].sort()).toEqual(['sysinit.target', 'system.slice']);
    expect(manager.conflictsOf(service)).toEqual(['shutdown.target']);
    expect(manager.triggeredByOf(service)).toEqual(['x.socket', 'x.path']);
    expect(socket.triggers()).toEqual(['x.service']);
  });

  it('one rule for the service a socket starts: Service=, the Accept=yes template, or the same name', () => {
    expect(socketServiceName('foo.socket')).toBe('foo.service');
    expect(socketServiceName('foo.socket', { service: 'bar.service' })).toBe('bar.service');
    expect(socketServiceName('foo.socket', { accept: true })).toBe('foo@.service');
    expect(socketServiceName('foo@a.socket')).toBe('foo@a.service');
  });
});
