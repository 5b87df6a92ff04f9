/**
 * The install verbs on each kind of unit file state, as systemd 252 answers them (scenario install-verbs-unit-kinds,
 * recorded on Debian 12): alias, linked (systemctl link), masked units refused by enable, reenable.
 */
import { describe, expect, it } from 'vitest';
import { machine } from '../manager/harness.ts';

const SLEEPER = '[Service]\nExecStart=/bin/sleep 1000\n';

function installMachine() {
  return machine({
    '/etc/systemd/system/al.service': `${SLEEPER}\n[Install]\nWantedBy=multi-user.target\nAlias=al2.service\n`,
    '/usr/lib/systemd/system/vend.service': SLEEPER,
    '/opt/units/lnk.service': `${SLEEPER}\n[Install]\nWantedBy=multi-user.target\n`,
  });
}

describe('systemctl install verbs by unit file state', () => {
  it('an Alias= link is "alias" (is-enabled exits 0, list-unit-files shows no preset); reenable removes, then creates', async () => {
    const m = installMachine();
    await m.run('systemctl', 'enable', 'al.service');
    expect(await m.run('systemctl', 'is-enabled', 'al.service', 'al2.service')).toMatchObject({ status: 0, stdout: 'enabled\nalias\n' });
    expect((await m.run('systemctl', 'list-unit-files', 'al*')).stdout).toBe('UNIT FILE   STATE   PRESET\nal.service  enabled enabled\nal2.service alias   -\n\n2 unit files listed.\n');
    const again = await m.run('systemctl', 'reenable', 'al.service');
    expect(again.status).toBe(0);
    expect(again.stderr.split('\n').filter(Boolean).map((line) => line.split(' ')[0])).toEqual(['Removed', 'Removed', 'Created', 'Created']);
    expect(again.stderr).toContain('Created symlink /etc/systemd/system/al2.service → /etc/systemd/system/al.service.\n');
    expect(m.kernel.fs.readlink('/etc/systemd/system/multi-user.target.wants/al.service')).toBe('/etc/systemd/system/al.service');
  });

  it('link makes a unit file outside the search path "linked"; enable points at the file itself; disable removes both links', async () => {
    const m = installMachine();
    expect(await m.run('systemctl', 'link', '/opt/units/lnk.service')).toMatchObject({ status: 0, stderr: 'Created symlink /etc/systemd/system/lnk.service → /opt/units/lnk.service.\n' });
    expect(await m.run('systemctl', 'link', '/opt/units/lnk.service')).toMatchObject({ status: 0, stderr: '' });
    expect(await m.run('systemctl', 'link', '/opt/units/missing.service')).toMatchObject({ status: 1, stderr: 'Failed to link unit: Unit file /opt/units/missing.service does not exist.\n' });
    expect(await m.run('systemctl', 'link', 'lnk.service')).toMatchObject({
      status: 1,
      stderr: 'Link argument must contain at least one directory separator.\nIf you intended to link a file in the current directory, try ./lnk.service instead.\n',
    });
    expect(await m.run('systemctl', 'is-enabled', 'lnk.service')).toMatchObject({ status: 1, stdout: 'linked\n' });
    expect((await m.run('systemctl', 'list-unit-files', 'lnk*')).stdout).toBe('UNIT FILE   STATE  PRESET\nlnk.service linked enabled\n\n1 unit files listed.\n');
    expect((await m.run('systemctl', 'enable', 'lnk.service')).stderr).toBe('Created symlink /etc/systemd/system/multi-user.target.wants/lnk.service → /opt/units/lnk.service.\n');
    expect(await m.run('systemctl', 'is-enabled', 'lnk.service')).toMatchObject({ status: 0, stdout: 'enabled\n' });
    expect((await m.run('systemctl', 'disable', 'lnk.service')).stderr).toBe(
      'Removed "/etc/systemd/system/multi-user.target.wants/lnk.service".\nRemoved "/etc/systemd/system/lnk.service".\n');
    expect(await m.run('systemctl', 'is-enabled', 'lnk.service')).toMatchObject({ status: 1, stderr: 'Failed to get unit file state for lnk.service: No such file or directory\n' });
  });

  it('enable refuses a masked unit, naming the mask link', async () => {
    const m = installMachine();
    await m.run('systemctl', 'mask', 'vend.service');
    expect(await m.run('systemctl', 'enable', 'vend.service')).toMatchObject({ status: 1, stderr: 'Failed to enable unit: Unit file /etc/systemd/system/vend.service is masked.\n' });
    expect(await m.run('systemctl', 'unmask', 'vend.service')).toMatchObject({ status: 0, stderr: 'Removed "/etc/systemd/system/vend.service".\n' });
  });

  it('templates: enable without an instance fails, an instance link makes the template "indirect", DefaultInstance= links its instance', async () => {
    const m = machine({
      '/etc/systemd/system/tpl@.service': `${SLEEPER}\n[Install]\nWantedBy=multi-user.target\n`,
      '/etc/systemd/system/dflt@.service': `${SLEEPER}\n[Install]\nWantedBy=multi-user.target\nDefaultInstance=main\n`,
    });
    expect(await m.run('systemctl', 'enable', 'tpl@.service')).toMatchObject({ status: 1, stderr: 'Failed to enable unit: Destination unit multi-user.target is a non-template unit.\n' });
    expect(await m.run('systemctl', 'is-enabled', 'tpl@.service', 'tpl@a.service')).toMatchObject({ status: 1, stdout: 'disabled\ndisabled\n' });
    expect((await m.run('systemctl', 'enable', 'tpl@a.service')).stderr).toBe('Created symlink /etc/systemd/system/multi-user.target.wants/tpl@a.service → /etc/systemd/system/tpl@.service.\n');
    expect(await m.run('systemctl', 'is-enabled', 'tpl@.service', 'tpl@a.service', 'tpl@b.service')).toMatchObject({ status: 0, stdout: 'indirect\nenabled\ndisabled\n' });
    expect((await m.run('systemctl', 'enable', 'dflt@.service')).stderr).toBe('Created symlink /etc/systemd/system/multi-user.target.wants/dflt@main.service → /etc/systemd/system/dflt@.service.\n');
    expect((await m.run('systemctl', 'is-enabled', 'dflt@.service', 'dflt@main.service')).stdout).toBe('enabled\nenabled\n');
    expect((await m.run('systemctl', 'disable', 'tpl@a.service')).stderr).toBe('Removed "/etc/systemd/system/multi-user.target.wants/tpl@a.service".\n');
    expect((await m.run('systemctl', 'disable', 'dflt@.service')).stderr).toBe('Removed "/etc/systemd/system/multi-user.target.wants/dflt@main.service".\n');
  });

  it('a WantedBy= that is no unit name (a typo) makes enable fail and creates nothing', async () => {
    const m = machine({ '/etc/systemd/system/typo.service': `${SLEEPER}\n[Install]\nWantedBy=multi-user.targe\n` });
    expect(await m.run('systemctl', 'enable', 'typo.service')).toMatchObject({ status: 1, stderr: 'Failed to enable unit: "multi-user.targe" is not a valid unit name.\n' });
    expect(m.kernel.fs.stat('/etc/systemd/system/multi-user.targe.wants')).toBeUndefined();
    expect(await m.run('systemctl', 'is-enabled', 'typo.service')).toMatchObject({ status: 1, stdout: 'disabled\n' });
    expect(await m.run('systemctl', 'disable', 'typo.service')).toMatchObject({ status: 0, stderr: '' });
  });

  it('--runtime links under /run/systemd/system: "enabled-runtime"; list-sockets --show-types adds TYPE', async () => {
    const m = machine({ '/etc/systemd/system/y.socket': '[Socket]\nListenStream=/run/y.sock\nListenDatagram=127.0.0.1:9500\n\n[Install]\nWantedBy=sockets.target\n', '/etc/systemd/system/y.service': SLEEPER });
    expect((await m.run('systemctl', 'enable', '--runtime', 'y.socket')).stderr).toBe('Created symlink /run/systemd/system/sockets.target.wants/y.socket → /etc/systemd/system/y.socket.\n');
    expect(await m.run('systemctl', 'is-enabled', 'y.socket')).toMatchObject({ status: 0, stdout: 'enabled-runtime\n' });
    expect((await m.run('systemctl', 'disable', '--runtime', 'y.socket')).stderr).toBe('Removed "/run/systemd/system/sockets.target.wants/y.socket".\n');
    expect((await m.run('systemctl', 'mask', '--runtime', 'y.service')).stderr).toBe('Created symlink /run/systemd/system/y.service → /dev/null.\n');
    await m.run('systemctl', 'start', 'y.socket');
    expect((await m.run('systemctl', 'list-sockets', '--show-types')).stdout).toBe(
      'LISTEN         TYPE     UNIT     ACTIVATES\n/run/y.sock    Stream   y.socket y.service\n127.0.0.1:9500 Datagram y.socket y.service\n\n2 sockets listed.\nPass --all to see loaded but inactive sockets, too.\n');
  });
});
