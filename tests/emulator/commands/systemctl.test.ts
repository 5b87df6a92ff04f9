import { describe, expect, it } from 'vitest';
import { echoServer, machine } from '../manager/harness.ts';
import { settle } from '../manager/fake-kernel.ts';

const SOCKET = '[Unit]\nDescription=Foo socket\n\n[Socket]\nListenStream=127.0.0.1:8080\nListenStream=/run/foo.sock\nRemoveOnStop=yes\nSymlinks=/run/foo-link.sock\n\n[Install]\nWantedBy=sockets.target\n';
const SERVICE = '[Unit]\nDescription=Foo service\n\n[Service]\nExecStart=/usr/bin/foo --serve\n';

function fooMachine() {
  return machine({ '/etc/systemd/system/foo.socket': SOCKET, '/etc/systemd/system/foo.service': SERVICE }, { '/usr/bin/foo': echoServer() });
}

describe('systemctl', () => {
  it('enable prints Created symlink and is-enabled reads it back', async () => {
    const m = fooMachine();
    expect((await m.run('systemctl', 'is-enabled', 'foo.socket'))).toMatchObject({ status: 1, stdout: 'disabled\n' });
    const r = await m.run('systemctl', 'enable', 'foo.socket');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('Created symlink /etc/systemd/system/sockets.target.wants/foo.socket → /etc/systemd/system/foo.socket.\n');
    expect(m.kernel.fs.readlink('/etc/systemd/system/sockets.target.wants/foo.socket')).toBe('/etc/systemd/system/foo.socket');
    expect((await m.run('systemctl', 'is-enabled', 'foo.socket', 'foo.service'))).toMatchObject({ status: 0, stdout: 'enabled\nstatic\n' });
    const d = await m.run('systemctl', 'disable', 'foo.socket');
    expect(d.stderr).toBe('Removed "/etc/systemd/system/sockets.target.wants/foo.socket".\n');
  });

  it('enable --now starts the socket; enable of a unit without [Install] explains why', async () => {
    const m = fooMachine();
    await m.run('systemctl', 'enable', '--now', 'foo.socket');
    expect((await m.run('systemctl', 'is-active', 'foo.socket')).stdout).toBe('active\n');
    const r = await m.run('systemctl', 'enable', 'foo.service');
    expect(r.stderr).toContain('The unit files have no installation config (WantedBy=, RequiredBy=, Also=,');
    expect((await m.run('systemctl', 'enable', 'nope.service')).stderr).toBe('Failed to enable unit: Unit file nope.service does not exist.\n');
  });

  it('status output layout for socket and service', async () => {
    const m = fooMachine();
    await m.run('systemctl', 'start', 'foo.socket');
    await m.advance(3000);
    await m.kernel.net.connect('127.0.0.1:8080');
    await settle();
    await m.advance(2000);
    const socket = await m.run('systemctl', 'status', 'foo.socket');
    expect(socket.status).toBe(0);
    expect(socket.stdout).toBe([
      '● foo.socket - Foo socket',
      '     Loaded: loaded (/etc/systemd/system/foo.socket; disabled; preset: enabled)',
      '     Active: active (running) since Fri 2026-11-27 10:00:00 UTC; 5s ago',
      '   Triggers: ● foo.service',
      '     Listen: 127.0.0.1:8080 (Stream)',
      '             /run/foo.sock (Stream)',
      '     CGroup: /system.slice/foo.socket',
      '',
      'Nov 27 10:00:00 lab systemd[1]: Listening on foo.socket - Foo socket.',
      '',
    ].join('\n'));
    const service = await m.run('systemctl', 'status', 'foo');
    expect(service.stdout.split('\n').slice(0, 7)).toEqual([
      '● foo.service - Foo service',
      '     Loaded: loaded (/etc/systemd/system/foo.service; static)',
      '     Active: active (running) since Fri 2026-11-27 10:00:03 UTC; 2s ago',
      'TriggeredBy: ● foo.socket',
      `   Main PID: ${m.kernel.processes.spawned[0].pid} (foo)`,
      '     CGroup: /system.slice/foo.service',
      `             └─${m.kernel.processes.spawned[0].pid} /usr/bin/foo --serve`,
    ]);
  });

  it('status of an unknown unit says it could not be found, exit 4; inactive exits 3', async () => {
    const m = fooMachine();
    expect(await m.run('systemctl', 'status', 'nope.service')).toMatchObject({ status: 4, stderr: 'Unit nope.service could not be found.\n' });
    const r = await m.run('systemctl', 'status', 'foo.service');
    expect(r.status).toBe(3);
    expect(r.stdout).toContain('○ foo.service - Foo service\n');
    expect(r.stdout).toContain('     Active: inactive (dead)\n');
  });

  it('status of a wanted but missing unit: loaded as not-found, still "could not be found"; the first unit decides the exit code', async () => {
    const m = machine({
      '/etc/systemd/system/wanter.service': '[Unit]\nWants=ghost.service\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/usr/bin/ok\n',
      '/etc/systemd/system/idle.service': '[Service]\nExecStart=/usr/bin/ok\n',
    }, { '/usr/bin/ok': (ctx) => ctx.exit(0) });
    await m.run('systemctl', 'start', 'wanter.service');
    expect((await m.run('systemctl', 'list-units', '--all', '--no-legend', 'ghost*')).stdout).toMatch(/ghost\.service +not-found inactive dead/);
    expect(await m.run('systemctl', 'status', 'ghost.service')).toMatchObject({ status: 4, stdout: '', stderr: 'Unit ghost.service could not be found.\n' });
    // Real systemd 252 (scenario status-unit-kinds): exit 3 for "inactive, then missing", 4 for "missing, then active".
    expect((await m.run('systemctl', 'status', '-n', '0', 'idle.service', 'ghost.service')).status).toBe(3);
    expect((await m.run('systemctl', 'status', '-n', '0', 'ghost.service', 'wanter.service')).status).toBe(4);
  });

  it('show -p ConditionResult: "no" until a start found the conditions met', async () => {
    const m = machine({
      '/etc/systemd/system/cond.service': '[Unit]\nConditionPathExists=/nonexistent\n\n[Service]\nExecStart=/usr/bin/ok\n',
      '/etc/systemd/system/plain.service': '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/usr/bin/ok\n',
    }, { '/usr/bin/ok': (ctx) => ctx.exit(0) });
    await m.run('systemctl', 'start', 'cond.service', 'plain.service');
    expect((await m.run('systemctl', 'show', '-p', 'ConditionResult', '-p', 'ActiveState', 'cond.service')).stdout).toBe('ActiveState=inactive\nConditionResult=no\n');
    expect((await m.run('systemctl', 'show', '-p', 'ConditionResult', '--value', 'plain.service')).stdout).toBe('yes\n');
  });

  it('status shows the unmet condition of the last start while the unit stays loaded; the last condition written is tested first', async () => {
    const m = machine({
      '/etc/systemd/system/cond.service': '[Unit]\nConditionPathExists=/nonexistent\nConditionPathExists=!/etc\n\n[Service]\nExecStart=/usr/bin/ok\n',
      // An active unit that wants it keeps it loaded (and its condition result with it).
      '/etc/systemd/system/plain.service': '[Unit]\nWants=cond.service\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/usr/bin/ok\n',
      '/etc/x': '',
    }, { '/usr/bin/ok': (ctx) => ctx.exit(0) });
    await m.run('systemctl', 'start', 'plain.service');
    expect(m.messages('cond.service')).toEqual(['cond.service was skipped because of an unmet condition check (ConditionPathExists=!/etc).']);
    const status = (await m.run('systemctl', 'status', 'cond.service')).stdout.split('\n');
    expect(status.slice(2, 5).map((line) => line.replace(/at .*; .*$/, 'at T; N ago'))).toEqual([
      '     Active: inactive (dead)',
      '  Condition: start condition failed at T; N ago',
      '             └─ ConditionPathExists=!/etc was not met',
    ]);
    expect((await m.run('systemctl', 'status', 'plain.service')).stdout).not.toContain('Condition:');
  });

  it('list-timers prints the empty table (no timer units here); -t takes unit types and load states only', async () => {
    const m = fooMachine();
    expect(await m.run('systemctl', 'list-timers')).toEqual({ status: 0, stderr: '', stdout: 'NEXT LEFT LAST PASSED UNIT ACTIVATES\n\n0 timers listed.\nPass --all to see loaded but inactive timers, too.\n' });
    expect((await m.run('systemctl', 'list-timers', '--all')).stdout).toBe('NEXT LEFT LAST PASSED UNIT ACTIVATES\n\n0 timers listed.\n');
    expect(await m.run('systemctl', 'list-units', '--type=bogus')).toMatchObject({ status: 1, stderr: "Unknown unit type or load state 'bogus'.\nUse -t help to see a list of allowed values.\n" });
    await m.run('systemctl', 'start', 'foo.socket');
    expect((await m.run('systemctl', 'list-units', '--all', '--no-legend', '-t', 'socket,loaded')).stdout).toMatch(/^  foo\.socket +loaded/);
    // --no-legend and no match: nothing at all, not an empty line (real-sshd-inetd on systemd 252).
    expect(await m.run('systemctl', 'list-units', '--all', '--no-legend', 'nomatch*')).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('show -P, try-restart (only running units), reload-or-restart (restart when no reload applies), reload not applicable exits 3', async () => {
    const m = fooMachine();
    expect((await m.run('systemctl', 'show', '-P', 'ActiveState', 'foo.socket')).stdout).toBe('inactive\n');
    expect(await m.run('systemctl', 'try-restart', 'foo.service')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect((await m.run('systemctl', 'is-active', 'foo.service')).stdout).toBe('inactive\n');
    expect(await m.run('systemctl', 'reload', 'foo.service')).toMatchObject({ status: 3, stderr: 'Failed to reload foo.service: Job type reload is not applicable for unit foo.service.\n' });
    expect((await m.run('systemctl', 'reload-or-restart', 'foo.service')).status).toBe(0);
    expect((await m.run('systemctl', 'is-active', 'foo.service')).stdout).toBe('active\n');
    const pid = (await m.run('systemctl', 'show', '-P', 'MainPID', 'foo.service')).stdout;
    expect((await m.run('systemctl', 'try-restart', 'foo.service')).status).toBe(0);
    expect((await m.run('systemctl', 'show', '-P', 'MainPID', 'foo.service')).stdout).not.toBe(pid);
  });

  it('--version of systemctl, journalctl and systemd-analyze; ss -V; show -p Version without a unit (scenario tool-versions)', async () => {
    const m = fooMachine();
    const banner = (await m.run('systemctl', '--version')).stdout;
    expect(banner).toMatch(/^systemd 252 \(252\.39-1~deb12u2\)\n\+PAM \+AUDIT .* default-hierarchy=unified\n$/);
    expect((await m.run('journalctl', '--version')).stdout).toBe(banner);
    expect((await m.run('systemd-analyze', '--version')).stdout).toBe(banner);
    expect(await m.run('ss', '-V')).toEqual({ status: 0, stdout: 'ss utility, iproute2-6.1.0\n', stderr: '' });
    expect((await m.run('systemctl', 'show', '-p', 'Version', '--value')).stdout).toBe('252.39-1~deb12u2\n');
  });

  it('bad-setting units show the reason', async () => {
    const m = machine({ '/etc/systemd/system/bad.socket': '[Socket]\nAccept=yes\n' });
    const r = await m.run('systemctl', 'status', 'bad.socket');
    expect(r.stdout).toContain('     Loaded: bad-setting (Reason: Unit bad.socket has a bad unit file setting.)\n');
    const s = await m.run('systemctl', 'start', 'bad.socket');
    expect(s.status).toBe(1);
    expect(s.stderr).toContain('Failed to start bad.socket: Unit bad.socket has a bad unit file setting.');
  });

  it('wrong usage prints systemctl\'s errors', async () => {
    const m = fooMachine();
    expect(await m.run('systemctl', 'frobnicate')).toMatchObject({ status: 1, stderr: 'Unknown command verb frobnicate.\n' });
    expect(await m.run('systemctl', 'start')).toMatchObject({ status: 1, stderr: 'Too few arguments.\n' });
    expect((await m.run('systemctl', '--bogus')).stderr).toBe("systemctl: unrecognized option '--bogus'\n");
    expect(await m.run('systemctl', 'start', 'nope')).toMatchObject({ status: 5, stderr: 'Failed to start nope.service: Unit nope.service not found.\n' });
  });

  it('daemon-reload picks up edits, and systemctl warns before it', async () => {
    const m = fooMachine();
    await m.run('systemctl', 'start', 'foo.socket');
    m.kernel.fs.writeFile('/etc/systemd/system/foo.socket', SOCKET.replace('Foo socket', 'Edited socket'));
    const before = await m.run('systemctl', 'status', 'foo.socket');
    expect(before.stderr).toBe("Warning: The unit file, source configuration file or drop-ins of foo.socket changed on disk. Run 'systemctl daemon-reload' to reload units.\n");
    expect(before.stdout).toContain('● foo.socket - Foo socket\n');
    await m.run('systemctl', 'daemon-reload');
    const after = await m.run('systemctl', 'status', 'foo.socket');
    expect(after.stderr).toBe('');
    expect(after.stdout).toContain('● foo.socket - Edited socket\n');
    expect(m.messages()).toContain('Reloading.');
  });

  it('RemoveOnStop removes the socket node and Symlinks= on stop, with "Closed"', async () => {
    const m = fooMachine();
    await m.run('systemctl', 'start', 'foo.socket');
    expect(m.kernel.fs.readlink('/run/foo-link.sock')).toBe('/run/foo.sock');
    await m.run('systemctl', 'stop', 'foo.socket');
    expect(m.kernel.fs.lstat('/run/foo-link.sock')).toBeUndefined();
    expect(m.messages()).toEqual(expect.arrayContaining(['foo.socket: Deactivated successfully.', 'Closed foo.socket - Foo socket.']));
    // A socket closes at once, so job_perform_on_unit() logs no "Stopping…".
    expect(m.messages()).not.toContain('Stopping foo.socket - Foo socket...');
  });

  it('list-sockets and list-units', async () => {
    const m = fooMachine();
    await m.run('systemctl', 'start', 'foo.socket');
    const ls = await m.run('systemctl', 'list-sockets');
    expect(ls.stdout).toBe([
      'LISTEN         UNIT       ACTIVATES',
      '/run/foo.sock  foo.socket foo.service',
      '127.0.0.1:8080 foo.socket foo.service',
      '',
      '2 sockets listed.',
      'Pass --all to see loaded but inactive sockets, too.',
      '',
    ].join('\n'));
    const lu = await m.run('systemctl', 'list-units', '--type=socket');
    expect(lu.stdout.split('\n').slice(0, 2)).toEqual([
      '  UNIT       LOAD   ACTIVE SUB       DESCRIPTION',
      '  foo.socket loaded active listening Foo socket',
    ]);
    expect(lu.stdout).toContain('1 loaded units listed. Pass --all to see loaded but inactive units, too.\n');
  });

  it('show -p with --value, and cat with its header', async () => {
    const m = fooMachine();
    await m.run('systemctl', 'start', 'foo.socket');
    expect((await m.run('systemctl', 'show', '-p', 'ActiveState,SubState', 'foo.socket')).stdout).toBe('ActiveState=active\nSubState=listening\n');
    expect((await m.run('systemctl', 'show', '-p', 'FileDescriptorName', '--value', 'foo.socket')).stdout).toBe('foo.socket\n');
    expect((await m.run('systemctl', 'cat', 'foo.service')).stdout).toBe(`# /etc/systemd/system/foo.service\n${SERVICE}`);
  });
});

describe('list-sockets with Accept=yes instances (systemctl-list-units.c output_sockets_list: ACTIVATES is a TABLE_STRV cell)', () => {
  it('lists each running instance on its own line under the ACTIVATES column', async () => {
    const m = machine({
      '/etc/systemd/system/echo.socket': '[Unit]\nDescription=Echo socket\n[Socket]\nListenStream=127.0.0.1:7\nAccept=yes\n',
      '/etc/systemd/system/echo@.service': '[Unit]\nDescription=Echo\n[Service]\nExecStart=/usr/bin/echo-srv\n',
    }, { '/usr/bin/echo-srv': () => {} });
    await m.run('systemctl', 'start', 'echo.socket');
    const a = await m.kernel.net.connect('127.0.0.1:7');
    await settle();
    const b = await m.kernel.net.connect('127.0.0.1:7');
    await settle();
    const instances = m.system.unitNames().filter((n) => n.startsWith('echo@'));
    expect(instances).toHaveLength(2);
    const ls = await m.run('systemctl', 'list-sockets');
    const pad = ' '.repeat('127.0.0.1:7 echo.socket '.length);
    expect(ls.stdout).toBe([
      'LISTEN      UNIT        ACTIVATES',
      `127.0.0.1:7 echo.socket ${instances[0]}`,
      `${pad}${instances[1]}`,
      '',
      '1 sockets listed.',
      'Pass --all to see loaded but inactive sockets, too.',
      '',
    ].join('\n'));
    a.end();
    b.end();
  });
});
