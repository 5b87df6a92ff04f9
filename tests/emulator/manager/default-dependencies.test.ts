/**
 * The dependencies systemd 252 adds to every unit (unit.c: the slice, journald's socket; service.c, socket.c,
 * path.c, target.c: DefaultDependencies=yes), as `systemctl show` prints them on a Debian 12 container, and
 * `systemctl list-dependencies` over the base every lab machine has (machine-image.ts). Expected lists were read
 * from real systemd 252 (`systemctl show -p Requires -p After …` in an nspawn container); the order of a
 * list is systemd's hashmap order, so words are compared sorted, as the oracle's normalisation does.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { bootMemoryMachine } from '../../../src/emulator/machine/lab-system.ts';
import { bootNodeMachine } from '../../../src/emulator/machine/node-machine.ts';
import { machine } from './harness.ts';

/** `systemctl show -p …` of one unit as property → sorted words. */
async function dependencyProps(m: ReturnType<typeof machine>, unit: string): Promise<Record<string, string[]>> {
  const r = await m.run('systemctl', 'show', '-p', 'Requires', '-p', 'Wants', '-p', 'After', '-p', 'Before', '-p', 'Conflicts', unit);
  const out: Record<string, string[]> = {};
  for (const line of r.stdout.trim().split('\n')) {
    const [name, value] = [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)];
    out[name] = value.split(' ').filter(Boolean).sort();
  }
  return out;
}

const UNITS = {
  '/etc/systemd/system/x.socket': '[Unit]\nDescription=x socket\n[Socket]\nListenStream=127.0.0.1:8080\n[Install]\nWantedBy=sockets.target\n',
  '/etc/systemd/system/x.service': '[Unit]\nDescription=x service\n[Service]\nExecStart=/opt/x/x\n',
  '/etc/systemd/system/y@.service': '[Unit]\nDescription=y\n[Service]\nStandardInput=socket\nExecStart=/opt/x/x\n',
  '/etc/systemd/system/p.path': '[Unit]\nDescription=p\n[Path]\nPathExists=/tmp/zz\nUnit=x.service\n',
  '/etc/systemd/system/t.target': '[Unit]\nDescription=t\nWants=x.service z.service\n',
  '/etc/systemd/system/z.service': '[Unit]\nDescription=z\nDefaultDependencies=no\n[Service]\nExecStart=/opt/x/x\n',
};

describe('implicit and default dependencies (systemd 252)', () => {
  it('a socket requires sysinit.target and system.slice, is before its service, sockets.target and shutdown.target', async () => {
    const m = machine(UNITS);
    expect(await dependencyProps(m, 'x.socket')).toEqual({
      Requires: ['sysinit.target', 'system.slice'],
      Wants: [],
      Conflicts: ['shutdown.target'],
      Before: ['shutdown.target', 'sockets.target', 'x.service'],
      After: ['sysinit.target', 'system.slice'],
    });
  });

  it('a service is also after basic.target and, logging to the journal, after systemd-journald.socket', async () => {
    const m = machine(UNITS);
    const props = await dependencyProps(m, 'x.service');
    expect(props.Requires).toEqual(['sysinit.target', 'system.slice']);
    expect(props.After).toEqual(['basic.target', 'sysinit.target', 'system.slice', 'systemd-journald.socket']);
    expect(props.Before).toEqual(['shutdown.target']);
    expect(props.Conflicts).toEqual(['shutdown.target']);
  });

  it('an instance runs in system-PREFIX.slice; StandardInput=socket keeps its output off the journal', async () => {
    const m = machine(UNITS);
    const props = await dependencyProps(m, 'y@1.service');
    expect(props.Requires).toEqual(['sysinit.target', 'system-y.slice']);
    expect(props.After).toEqual(['basic.target', 'sysinit.target', 'system-y.slice']);
  });

  it('DefaultDependencies=no keeps only the slice and the journal socket', async () => {
    const m = machine(UNITS);
    expect(await dependencyProps(m, 'z.service')).toEqual({
      Requires: ['system.slice'], Wants: [], Conflicts: [], Before: [], After: ['system.slice', 'systemd-journald.socket'],
    });
  });

  it('a path unit is before the unit it triggers and paths.target', async () => {
    const m = machine(UNITS);
    const props = await dependencyProps(m, 'p.path');
    expect(props.Requires).toEqual(['sysinit.target']);
    expect(props.Before).toEqual(['paths.target', 'shutdown.target', 'x.service']);
  });

  it('a target is after the units it wants that have default dependencies, and conflicts with shutdown.target', async () => {
    const m = machine(UNITS);
    await m.run('systemctl', 'show', 'z.service', 'x.service');
    const props = await dependencyProps(m, 't.target');
    expect(props.After).toEqual(['x.service']);
    expect(props.Conflicts).toEqual(['shutdown.target']);
    expect(props.Before).toEqual(['shutdown.target']);
  });
});

describe('Accept=yes instances (socket.c, systemd 252 in the Debian 12 container)', () => {
  it('an instance is after its socket, in system-PREFIX.slice; the socket is before it and triggers it', async () => {
    const lab = await bootMemoryMachine({
      '/etc/systemd/system/e.socket': '[Unit]\nDescription=e socket\n[Socket]\nListenStream=127.0.0.1:7001\nAccept=yes\n',
      '/etc/systemd/system/e@.service': '[Unit]\nDescription=e conn\n[Service]\nExecStart=/opt/e\nStandardInput=socket\n',
      '/opt/e': '#!/usr/bin/env node\nsetTimeout(() => {}, 30000);\n',
    }, 'lab');
    const { manager } = lab.system;
    await lab.runCommandLine('systemctl start e.socket', { stdout: () => {}, stderr: () => {}, signal: new AbortController().signal });
    const connection = await lab.system.kernel.net.connect('127.0.0.1:7001');
    let instance: string | undefined;
    for (let tries = 0; tries < 200 && !instance; tries++) {
      instance = [...manager.units.keys()].find((name) => name.startsWith('e@'));
      if (!instance) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const service = manager.getUnit(instance!)!;
    const socket = manager.getUnit('e.socket')!;
    expect([...manager.requiresOf(service)].sort()).toEqual(['sysinit.target', 'system-e.slice']);
    expect([...manager.afterOf(service)].sort()).toEqual(['basic.target', 'e.socket', 'sysinit.target', 'system-e.slice']);
    expect([...manager.beforeOf(socket)].sort()).toEqual([instance, 'shutdown.target', 'sockets.target']);
    expect(socket.triggers()).toEqual([instance]);
    connection.end();
    await lab.system.shutdown();
  });
});

describe('systemctl show of the reverse dependencies', () => {
  it('WantedBy= names the loaded units that want it; Slice= and DefaultDependencies= as systemd 252 shows them', async () => {
    const lab = await bootMemoryMachine({ ...UNITS, '/etc/systemd/system/sockets.target.wants/x.socket': '' }, 'lab', { clock: 'virtual' });
    await lab.system.manager.whenIdle();
    let out = '';
    await lab.runCommandLine('systemctl show -p WantedBy -p RequiredBy -p Slice -p DefaultDependencies x.socket z.service', { stdout: (t) => (out += t), stderr: (t) => (out += t), signal: new AbortController().signal });
    expect(out).toBe('Slice=system.slice\nRequiredBy=\nWantedBy=sockets.target\nDefaultDependencies=yes\n\nSlice=system.slice\nRequiredBy=\nWantedBy=\nDefaultDependencies=no\n');
  });
});

describe('the base of every lab machine', () => {
  it('has Debian 12\'s standard targets, booted into graphical.target as the container is', async () => {
    const lab = await bootMemoryMachine({}, 'lab', { clock: 'virtual' });
    const { manager } = lab.system;
    await manager.whenIdle();
    for (const name of ['sysinit.target', 'basic.target', 'sockets.target', 'multi-user.target', 'graphical.target', 'local-fs.target', 'getty.target', 'remote-fs.target']) {
      expect([name, manager.getUnit(name)?.activeState]).toEqual([name, 'active']);
    }
    for (const name of ['shutdown.target', 'rescue.target', 'emergency.target', 'network-online.target']) {
      expect([name, manager.getUnit(name)?.activeState ?? 'inactive']).toEqual([name, 'inactive']);
    }
    expect(manager.getUnit('default.target')?.name).toBe('graphical.target');
    let out = '';
    await lab.runCommandLine('systemctl cat sysinit.target', { stdout: (t) => (out += t), stderr: (t) => (out += t), signal: new AbortController().signal });
    expect(out).toContain('# /lib/systemd/system/sysinit.target\n#  SPDX-License-Identifier: LGPL-2.1-or-later\n');
    expect(out).toContain('\nWants=local-fs.target swap.target\n');
  });

  it('the Node kernel\'s machine gets the same base', async () => {
    const lab = await bootNodeMachine({}, 'lab');
    try {
      await lab.system.manager.whenIdle();
      expect(lab.system.manager.getUnit('default.target')?.name).toBe('graphical.target');
      expect(lab.system.manager.getUnit('sysinit.target')?.activeState).toBe('active');
      expect(readFileSync(`${lab.root}/lib/systemd/system/sockets.target`, 'utf8')).toContain('Description=Socket Units');
    } finally {
      await lab.dispose();
    }
  });

  it('a lab file replaces the base file of the same path', async () => {
    const lab = await bootMemoryMachine({ '/usr/lib/systemd/system/multi-user.target': '[Unit]\nDescription=Lab Multi-User\n' }, 'lab', { clock: 'virtual' });
    expect(lab.system.kernel.fs.readFile('/lib/systemd/system/multi-user.target')).toBe('[Unit]\nDescription=Lab Multi-User\n');
    expect(lab.system.kernel.fs.readFile('/lib/systemd/system/basic.target')).toContain('Description=Basic System');
  });
});

describe('slices (slice.c)', () => {
  it('-.slice and system.slice are there from the start, active, without a file; a unit requires its slice', async () => {
    const m = machine(UNITS);
    const r = await m.run('systemctl', 'show', '-p', 'Requires', '-p', 'After', '-p', 'Slice', '-p', 'DefaultDependencies', '-p', 'ActiveState', 'system.slice');
    expect(r.stdout).toBe('Slice=-.slice\nRequires=-.slice\nAfter=-.slice\nActiveState=active\nDefaultDependencies=no\n');
    expect(m.system.manager.getUnit('system.slice')?.description).toBe('System Slice');
  });

  it('an instance starts its system-PREFIX.slice first: "Created slice system-y.slice - Slice /system/y."', async () => {
    const m = machine(UNITS);
    await m.run('systemctl', 'start', 'y@1.service');
    const slice = m.system.manager.getUnit('system-y.slice');
    expect(slice?.activeState).toBe('active');
    expect(m.messages('system-y.slice')).toEqual(['Created slice system-y.slice - Slice /system/y.']);
    const props = await dependencyProps(m, 'system-y.slice');
    expect(props.Requires).toEqual(['system.slice']);
    expect(props.Conflicts).toEqual(['shutdown.target']);
  });
});

describe('perpetual slices', () => {
  it('stopping system.slice is refused as systemd 252 refuses it; it stays active and logs nothing', async () => {
    const m = machine(UNITS);
    expect(await m.run('systemctl', 'stop', 'system.slice')).toEqual({ status: 3, stdout: '', stderr: 'Failed to stop system.slice: Job type stop is not applicable for unit system.slice.\n' });
    expect(m.system.manager.getUnit('system.slice')?.activeState).toBe('active');
    expect(m.messages('system.slice')).toEqual([]);
  });
});
