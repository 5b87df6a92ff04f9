/**
 * Path units, PartOf=, Conflicts=, ExecReload=, template instances and list-unit-files, checked against
 * systemd 252's behaviour (src/core/path.c, transaction.c, service.c; systemctl-list-unit-files.c and the
 * real `systemctl --root=DIR list-unit-files`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { settle } from './fake-kernel.ts';
import { echoServer, machine } from './harness.ts';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/debian-units/cups-daemon/${name}`, import.meta.url), 'utf8');

/** Debian 12's cups units, with cupsd as a notify program that reports ready at once. */
function cups() {
  return machine({
    '/lib/systemd/system/cups.path': fixture('cups.path'),
    '/lib/systemd/system/cups.socket': fixture('cups.socket'),
    '/lib/systemd/system/cups.service': fixture('cups.service'),
  }, { '/usr/sbin/cupsd': (ctx) => { echoServer()(ctx); ctx.notify('READY=1'); } });
}

describe('path units (path.c)', () => {
  it('cups.path: PathExists= starts cups.service once the file appears, and the path unit shows it triggers', async () => {
    const m = cups();
    await m.run('systemctl', 'start', 'cups.path');
    expect(m.system.manager.getUnit('cups.path')!.subState).toBe('waiting');
    expect(m.system.manager.getUnit('cups.service')?.activeState ?? 'inactive').toBe('inactive');
    m.kernel.fs.writeFile('/var/cache/cups/org.cups.cupsd', '', { mkdirs: true });
    await settle();
    expect(m.system.manager.getUnit('cups.service')!.activeState).toBe('active');
    expect(m.system.manager.getUnit('cups.path')!.subState).toBe('running');
    // Requires=cups.socket came along.
    expect(m.system.manager.getUnit('cups.socket')!.activeState).toBe('active');
    expect((await m.run('systemctl', 'status', 'cups.path')).stdout).toContain('\n   Triggers: ● cups.service\n');
  });

  it('PathChanged= fires on a write to the path', async () => {
    const m = machine({
      '/etc/systemd/system/w.path': '[Path]\nPathChanged=/etc/w.conf\n',
      '/etc/systemd/system/w.service': '[Unit]\nDescription=W\n[Service]\nType=oneshot\nExecStart=/usr/bin/w\n',
    }, { '/usr/bin/w': (ctx) => queueMicrotask(() => ctx.exit(0)) });
    await m.run('systemctl', 'start', 'w.path');
    expect(m.kernel.processes.spawned.length).toBe(0);
    m.kernel.fs.writeFile('/etc/w.conf', 'x');
    await settle();
    expect(m.kernel.processes.spawned.length).toBe(1);
    expect(m.messages('w.service')).toEqual(['Starting w.service - W...', 'w.service: Deactivated successfully.', 'Finished w.service - W.']);
  });
});

describe('dependencies (transaction.c)', () => {
  it('PartOf=cups.service: stopping cups.service stops cups.socket and cups.path too', async () => {
    const m = cups();
    await m.run('systemctl', 'start', 'cups.path', 'cups.socket', 'cups.service');
    await m.run('systemctl', 'stop', 'cups.service');
    for (const name of ['cups.service', 'cups.socket', 'cups.path']) expect(m.system.manager.getUnit(name)!.activeState).toBe('inactive');
    expect(m.messages()).toContain('Closed cups.socket - CUPS Scheduler.');
    expect(m.messages('cups.socket')).toEqual(['Listening on cups.socket - CUPS Scheduler.', 'cups.socket: Deactivated successfully.', 'Closed cups.socket - CUPS Scheduler.']);
  });

  it('Conflicts=: starting one stops the other', async () => {
    const m = machine({
      '/etc/systemd/system/a.service': '[Unit]\nDescription=A\nConflicts=b.service\n[Service]\nExecStart=/usr/bin/srv\n',
      '/etc/systemd/system/b.service': '[Unit]\nDescription=B\n[Service]\nExecStart=/usr/bin/srv\n',
    }, { '/usr/bin/srv': echoServer() });
    await m.run('systemctl', 'start', 'b.service');
    await m.run('systemctl', 'start', 'a.service');
    expect(m.system.manager.getUnit('a.service')!.activeState).toBe('active');
    expect(m.system.manager.getUnit('b.service')!.activeState).toBe('inactive');
    expect(m.messages('b.service')).toContain('Stopped b.service - B.');
  });

  it('Conflicts= works from the other side too: starting the named unit stops the one that declares it', async () => {
    const m = machine({
      '/etc/systemd/system/a.service': '[Unit]\nDescription=A\nConflicts=b.service\n[Service]\nExecStart=/usr/bin/srv\n',
      '/etc/systemd/system/b.service': '[Unit]\nDescription=B\n[Service]\nExecStart=/usr/bin/srv\n',
    }, { '/usr/bin/srv': echoServer() });
    await m.run('systemctl', 'start', 'a.service');
    await m.run('systemctl', 'start', 'b.service');
    expect(m.system.manager.getUnit('b.service')!.activeState).toBe('active');
    expect(m.system.manager.getUnit('a.service')!.activeState).toBe('inactive');
    expect(m.messages('a.service')).toContain('Stopped a.service - A.');
  });
});

describe('Service= of a socket after daemon-reload', () => {
  it('TriggeredBy: follows the edited Service=', async () => {
    const m = machine({
      '/etc/systemd/system/web.socket': '[Socket]\nListenStream=8080\nService=old.service\n',
      '/etc/systemd/system/old.service': '[Unit]\nDescription=Old\n[Service]\nExecStart=/usr/bin/srv\n',
      '/etc/systemd/system/new.service': '[Unit]\nDescription=New\n[Service]\nExecStart=/usr/bin/srv\n',
    }, { '/usr/bin/srv': echoServer() });
    const manager = m.system.manager;
    await m.run('systemctl', 'start', 'web.socket');
    expect(manager.triggeredByOf(manager.loadUnit('old.service'))).toEqual(['web.socket']);
    m.kernel.fs.writeFile('/etc/systemd/system/web.socket', '[Socket]\nListenStream=8080\nService=new.service\n');
    await m.run('systemctl', 'daemon-reload');
    expect(manager.triggeredByOf(manager.loadUnit('new.service'))).toEqual(['web.socket']);
    expect(manager.triggeredByOf(manager.loadUnit('old.service'))).toEqual([]);
  });
});

describe('ExecReload= and systemctl reload', () => {
  it('runs ExecReload= with $MAINPID: "Reloading x.service - X..." then "Reloaded x.service - X."; inactive units are refused', async () => {
    let reloadEnv: Record<string, string> | undefined;
    const m = machine({
      '/etc/systemd/system/r.service': '[Unit]\nDescription=R\n[Service]\nExecStart=/usr/bin/srv\nExecReload=/bin/kill -HUP $MAINPID\n',
    }, { '/usr/bin/srv': echoServer(), '/bin/kill': (ctx) => { reloadEnv = ctx.env; queueMicrotask(() => ctx.exit(0)); } });
    const refused = await m.run('systemctl', 'reload', 'r.service');
    // Exit 3 (EXIT_NOTIMPLEMENTED), as systemd 252 exits in scenario systemctl-misc-verbs.
    expect(refused).toMatchObject({ status: 3, stderr: 'Failed to reload r.service: Job type reload is not applicable for unit r.service.\n' });
    await m.run('systemctl', 'start', 'r.service');
    const main = m.kernel.processes.spawned[0].pid;
    const r = await m.run('systemctl', 'reload', 'r.service');
    expect(r.status).toBe(0);
    expect(reloadEnv?.MAINPID).toBe(String(main));
    expect(m.messages()).toEqual(['Started r.service - R.', 'Reloading r.service - R...', 'Reloaded r.service - R.']);
    expect(m.system.manager.getUnit('r.service')!.activeState).toBe('active');
  });
});

describe('templates', () => {
  it('foo@bar.service loads from foo@.service with %i expanded', async () => {
    let args: string[] = [];
    const m = machine({
      '/etc/systemd/system/foo@.service': '[Unit]\nDescription=Foo for %i\n[Service]\nExecStart=/usr/bin/foo --name %i\n',
    }, { '/usr/bin/foo': (ctx) => { args = ctx.argv; echoServer()(ctx); } });
    await m.run('systemctl', 'start', 'foo@bar.service');
    expect(args).toEqual(['/usr/bin/foo', '--name', 'bar']);
    const status = await m.run('systemctl', 'status', 'foo@bar.service');
    expect(status.stdout.split('\n').slice(0, 3)).toEqual([
      '● foo@bar.service - Foo for bar',
      '     Loaded: loaded (/etc/systemd/system/foo@.service; static)',
      expect.stringMatching(/^ {5}Active: active \(running\) since /),
    ]);
  });
});

describe('systemctl list-unit-files', () => {
  it('matches `systemctl --root=DIR list-unit-files` of systemd 252 for the same files', async () => {
    const m = machine({
      '/etc/systemd/system/foo.socket': '[Unit]\nDescription=Foo\n[Socket]\nListenStream=8080\n[Install]\nWantedBy=sockets.target\n',
      '/etc/systemd/system/foo.service': '[Service]\nExecStart=/bin/true\n',
      '/etc/systemd/system/bar@.service': '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n',
    });
    // Recorded from systemd 252.39 (`systemctl --root=DIR list-unit-files 'foo*' 'bar*'`) before and after enable.
    expect((await m.run('systemctl', 'list-unit-files', 'foo*', 'bar*')).stdout).toBe([
      'UNIT FILE    STATE    PRESET',
      'bar@.service disabled enabled',
      'foo.service  static   -',
      'foo.socket   disabled enabled',
      '',
      '3 unit files listed.',
      '',
    ].join('\n'));
    await m.run('systemctl', 'enable', 'foo.socket');
    expect((await m.run('systemctl', 'list-unit-files', 'foo*')).stdout).toContain('\nfoo.socket  enabled enabled\n');
    expect(await m.run('systemctl', 'list-unit-files', 'zzz*')).toMatchObject({ status: 1, stdout: 'UNIT FILE STATE PRESET\n\n0 unit files listed.\n' });
  });
});
