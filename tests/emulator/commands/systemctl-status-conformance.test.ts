/**
 * `systemctl status`, list-units and list-sockets pinned to systemd 252's own layout
 * (src/systemctl/systemctl-show.c print_status_info()/show_system_status(),
 * src/systemctl/systemctl-list-units.c, src/shared/format-table.c).
 */
import { describe, expect, it } from 'vitest';
import { formatRelative, formatTimespan } from '../../../src/emulator/manager/time-format.ts';
import { settle } from '../manager/fake-kernel.ts';
import { echoServer, machine } from '../manager/harness.ts';

const SOCKET = '[Unit]\nDescription=Foo socket\n\n[Socket]\nListenStream=127.0.0.1:8080\n\n[Install]\nWantedBy=sockets.target\n';
const SERVICE = '[Unit]\nDescription=Foo service\n\n[Service]\nExecStartPre=/usr/bin/prep\nExecStart=/usr/bin/foo --serve\n';

function failing() {
  return machine({
    '/etc/systemd/system/foo.socket': SOCKET,
    '/etc/systemd/system/foo.service': SERVICE,
  }, {
    '/usr/bin/prep': (ctx) => queueMicrotask(() => ctx.exit(0)),
    '/usr/bin/foo': (ctx) => ctx.onSignal(() => ctx.exit(1)),
  });
}

describe('systemctl status (print_status_info)', () => {
  it('a failed service: × glyph, no "(failed)" sub state, Duration:, Process: lines and Main PID with its exit', async () => {
    const m = failing();
    await m.run('systemctl', 'start', 'foo.service');
    const [prep, main] = m.kernel.processes.spawned.map((s) => s.pid);
    await m.advance(2500);
    m.kernel.processes.running.get(main)!.kill('SIGTERM');
    await settle();
    await m.advance(4000);
    const r = await m.run('systemctl', 'status', 'foo.service');
    expect(r.status).toBe(3);
    // foo.socket was never loaded here, so nothing is TriggeredBy:.
    expect(r.stdout.split('\n').slice(0, 8)).toEqual([
      '× foo.service - Foo service',
      '     Loaded: loaded (/etc/systemd/system/foo.service; static)',
      '     Active: failed (Result: exit-code) since Fri 2026-11-27 10:00:02 UTC; 4s ago',
      '   Duration: 2.500s',
      `    Process: ${prep} ExecStartPre=/usr/bin/prep (code=exited, status=0/SUCCESS)`,
      `    Process: ${main} ExecStart=/usr/bin/foo --serve (code=exited, status=1/FAILURE)`,
      `   Main PID: ${main} (code=exited, status=1/FAILURE)`,
      '',
    ]);
  });

  it('after a daemon-reload while it ran: no Process: lines for what ran before, only Main PID with its exit (scenarios sshd-solution, lesson-docker-2)', async () => {
    const m = failing();
    await m.run('systemctl', 'start', 'foo.service');
    const [prep, main] = m.kernel.processes.spawned.map((s) => s.pid);
    await settle();
    expect((await m.run('systemctl', 'status', 'foo.service')).stdout).toContain(`    Process: ${prep} ExecStartPre=/usr/bin/prep (code=exited, status=0/SUCCESS)\n`);
    await m.run('systemctl', 'daemon-reload');
    const running = (await m.run('systemctl', 'status', 'foo.service')).stdout;
    expect(running).not.toContain('Process:');
    expect(running).toContain(`   Main PID: ${main} (foo)\n`);
    m.kernel.processes.running.get(main)!.kill('SIGTERM');
    await settle();
    const failed = (await m.run('systemctl', 'status', 'foo.service')).stdout;
    expect(failed).not.toContain('Process:');
    expect(failed).toContain(`   Main PID: ${main} (code=exited, status=1/FAILURE)\n`);
    // A new run records its commands again.
    await m.run('systemctl', 'start', 'foo.service');
    await settle();
    expect((await m.run('systemctl', 'status', 'foo.service')).stdout).toContain('ExecStartPre=/usr/bin/prep (code=exited, status=0/SUCCESS)\n');
  });

  it('Triggers: always shows ● (even for an inactive service); TriggeredBy: shows the state glyph', async () => {
    const m = failing();
    await m.run('systemctl', 'start', 'foo.socket');
    const socket = await m.run('systemctl', 'status', 'foo.socket');
    expect(socket.stdout).toContain('\n   Triggers: ● foo.service\n');
    // Only what the unit logged since it last left "inactive": the socket was started once.
    expect(socket.stdout.endsWith('\n\nNov 27 10:00:00 lab systemd[1]: Listening on foo.socket - Foo socket.\n')).toBe(true);
    const service = await m.run('systemctl', 'status', 'foo.service');
    expect(service.stdout).toContain('\nTriggeredBy: ● foo.socket\n');
    expect(service.stdout).toContain('     Active: inactive (dead)\n');
    expect(service.stdout).not.toContain('since');
  });

  it('journal lines in status start at the last start (show_journal_by_unit(), not_before = InactiveExitTimestamp)', async () => {
    const m = machine({ '/etc/systemd/system/e.service': '[Service]\nExecStart=/usr/bin/e\n' }, { '/usr/bin/e': echoServer() });
    await m.run('systemctl', 'start', 'e.service');
    await m.advance(1000);
    await m.run('systemctl', 'stop', 'e.service');
    await m.advance(1000);
    await m.run('systemctl', 'start', 'e.service');
    const r = await m.run('systemctl', 'status', 'e.service');
    expect(r.stdout.split('\n\n')[1]).toBe('Nov 27 10:00:02 lab systemd[1]: Started e.service.\n');
  });

  it('no unit argument prints the manager overview (show_system_status())', async () => {
    const m = machine({ '/etc/systemd/system/e.service': '[Service]\nExecStart=/usr/bin/e\n' }, { '/usr/bin/e': echoServer() });
    await m.system.boot();
    await m.run('systemctl', 'start', 'e.service');
    await m.advance(3000);
    const pid = m.kernel.processes.spawned[0].pid;
    const r = await m.run('systemctl', 'status');
    expect(r.status).toBe(0);
    const units = m.system.manager.units.size;
    expect(r.stdout).toBe([
      '● lab',
      '    State: running',
      `    Units: ${units} loaded (incl. loaded aliases)`,
      '     Jobs: 0 queued',
      '   Failed: 0 units',
      '    Since: Fri 2026-11-27 10:00:00 UTC; 3s ago',
      '  systemd: 252.39-1~deb12u2',
      '   CGroup: /',
      '           ├─init.scope',
      '           │ └─1 /sbin/init',
      '           └─system.slice',
      '             └─e.service',
      `               └─${pid} /usr/bin/e`,
      '',
    ].join('\n'));
  });

  it('Accept=yes counters: three spaces before Refused:', async () => {
    const m = machine({
      '/etc/systemd/system/e.socket': '[Socket]\nListenStream=7000\nAccept=yes\nMaxConnections=1\n',
      '/etc/systemd/system/e@.service': '[Service]\nExecStart=/usr/bin/e\n',
    }, { '/usr/bin/e': () => {} });
    await m.run('systemctl', 'start', 'e.socket');
    await m.kernel.net.connect('127.0.0.1:7000');
    await settle();
    await m.kernel.net.connect('127.0.0.1:7000').catch(() => undefined);
    await settle();
    const r = await m.run('systemctl', 'status', 'e.socket');
    expect(r.stdout).toContain('\n   Accepted: 1; Connected: 1;   Refused: 1\n');
    expect((await m.run('systemctl', 'show', '-p', 'NRefused', '-p', 'NAccepted', '-p', 'NConnections', 'e.socket')).stdout)
      .toBe('NConnections=1\nNAccepted=1\nNRefused=1\n'); // systemd's property order, whatever the order asked
  });
});

describe('list-units and list-sockets (systemctl-list-units.c)', () => {
  it('an empty list still prints the header; no legend lines; the count line has no blank line before it', async () => {
    const m = machine({});
    const r = await m.run('systemctl', 'list-units', '--type=socket');
    expect(r.stdout).toBe([
      '  UNIT LOAD ACTIVE SUB DESCRIPTION', // systemd 252 (tests/oracle/golden/list-commands.json)
      "0 loaded units listed. Pass --all to see loaded but inactive units, too.",
      "To show all installed unit files use 'systemctl list-unit-files'.",
      '',
    ].join('\n'));
    const s = await m.run('systemctl', 'list-sockets');
    expect(s.stdout).toBe('LISTEN UNIT ACTIVATES\n\n0 sockets listed.\nPass --all to see loaded but inactive sockets, too.\n');
  });

  it('--state= prints only the count; --all drops the --all hint', async () => {
    const m = failing();
    await m.run('systemctl', 'start', 'foo.socket');
    const r = await m.run('systemctl', 'list-units', '--state=listening');
    expect(r.stdout.split('\n').slice(-3)).toEqual(['SUB    = The low-level unit activation state, values depend on unit type.', '1 loaded units listed.', '']);
    const all = await m.run('systemctl', 'list-units', '--all', '--type=socket');
    expect(all.stdout.split('\n').slice(-3)).toEqual(['1 loaded units listed.', "To show all installed unit files use 'systemctl list-unit-files'.", '']);
  });

  it('a pending job adds the JOB column and "JOB    = Pending job for the unit." followed by an empty line', async () => {
    let notify: ((m: string) => void) | undefined;
    const m = machine({ '/etc/systemd/system/n.service': '[Unit]\nDescription=N\n[Service]\nType=notify\nExecStart=/usr/bin/n\n' }, {
      '/usr/bin/n': (ctx) => { notify = ctx.notify; },
    });
    void m.system.runCommand(['systemctl', 'start', 'n.service'], { stdout: () => {}, stderr: () => {}, signal: new AbortController().signal });
    await settle();
    const r = await m.run('systemctl', 'list-units');
    expect(r.stdout).toBe([
      '  UNIT           LOAD   ACTIVE     SUB    JOB   DESCRIPTION',
      '  n.service      loaded activating start  start N',
      '  system.slice   loaded active     active       System Slice',
      '  sysinit.target loaded active     active       System Initialization',
      '',
      'LOAD   = Reflects whether the unit definition was properly loaded.',
      'ACTIVE = The high-level unit activation state, i.e. generalization of SUB.',
      'SUB    = The low-level unit activation state, values depend on unit type.',
      'JOB    = Pending job for the unit.',
      '',
      '3 loaded units listed. Pass --all to see loaded but inactive units, too.',
      "To show all installed unit files use 'systemctl list-unit-files'.",
      '',
    ].join('\n'));
    notify?.('READY=1');
  });

  it('list-sockets sorts addresses with strcmp(): "/run/…" before "127.…" before "[::]…"', async () => {
    const m = machine({
      '/etc/systemd/system/a.socket': '[Socket]\nListenStream=[::1]:80\nListenStream=127.0.0.1:80\nListenStream=/run/a.sock\n',
      '/etc/systemd/system/a.service': '[Service]\nExecStart=/usr/bin/a\n',
    });
    await m.run('systemctl', 'start', 'a.socket');
    const r = await m.run('systemctl', 'list-sockets');
    expect(r.stdout.split('\n').slice(0, 4)).toEqual([
      'LISTEN       UNIT     ACTIVATES',
      '/run/a.sock  a.socket a.service',
      '127.0.0.1:80 a.socket a.service',
      '[::1]:80     a.socket a.service',
    ]);
  });
});

describe('time formats (src/basic/time-util.c)', () => {
  it('format_timestamp_relative(): seconds dropped from 5 min, minutes from 6 h, days from 2 days', () => {
    const t = 1_000_000_000_000;
    expect(formatRelative(t, t + 3_000)).toBe('3s ago');
    expect(formatRelative(t, t + 65_000)).toBe('1min 5s ago');
    expect(formatRelative(t, t + 7 * 60_000 + 5_000)).toBe('7min ago');
    expect(formatRelative(t, t + 2 * 3_600_000 + 3 * 60_000)).toBe('2h 3min ago');
    expect(formatRelative(t, t + 7 * 3_600_000)).toBe('7h ago');
    expect(formatRelative(t, t + 26 * 3_600_000)).toBe('1 day 2h ago');
    expect(formatRelative(t, t + 3 * 86_400_000)).toBe('3 days ago');
    expect(formatRelative(t, t + 8 * 86_400_000)).toBe('1 week 1 day ago');
    expect(formatRelative(t + 2_000, t)).toBe('2s left');
  });

  it('format_timespan() with millisecond accuracy (the Duration: line)', () => {
    expect(formatTimespan(2_500_000, 1000)).toBe('2.500s');
    expect(formatTimespan(3_000, 1000)).toBe('3ms');
    expect(formatTimespan(83_450_000, 1000)).toBe('1min 23.450s');
    expect(formatTimespan(2 * 3600e6, 1000)).toBe('2h');
    expect(formatTimespan(0, 1000)).toBe('0');
  });
});
