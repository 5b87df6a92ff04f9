import { describe, expect, it } from 'vitest';
import { childProcessName } from '../../../src/emulator/manager/execute.ts';
import type { ServiceUnit } from '../../../src/emulator/manager/service-unit.ts';
import { exitWith, machine } from './harness.ts';

describe('service state machine', () => {
  it('Restart=on-failure with RestartSec= logs the restart counter and ends at the start limit', async () => {
    const m = machine({
      '/etc/systemd/system/crash.service': '[Unit]\nDescription=Crasher\n[Service]\nExecStart=/usr/bin/crash\nRestart=on-failure\nRestartSec=1s\n',
    }, { '/usr/bin/crash': (ctx) => queueMicrotask(() => ctx.exit(2)) });
    await m.run('systemctl', 'start', 'crash.service');
    const unit = m.system.manager.getUnit('crash.service')!;
    expect([unit.activeState, unit.subState, unit.result]).toEqual(['activating', 'auto-restart', 'exit-code']);
    await m.advance(1000);
    expect(m.messages()).toContain('crash.service: Scheduled restart job, restart counter is at 1.');
    expect(m.messages()).toContain('crash.service: Main process exited, code=exited, status=2/INVALIDARGUMENT');
    await m.advance(10_000);
    expect([unit.activeState, unit.result]).toEqual(['failed', 'exit-code']);
    expect(m.kernel.processes.spawned.length).toBe(5);
    const lines = m.messages();
    expect(lines.slice(lines.indexOf('crash.service: Scheduled restart job, restart counter is at 5.'))).toEqual([
      'crash.service: Scheduled restart job, restart counter is at 5.',
      'Stopped crash.service - Crasher.',
      'crash.service: Start request repeated too quickly.',
      "crash.service: Failed with result 'exit-code'.",
      'Failed to start crash.service - Crasher.',
    ]);
  });

  it('Type=notify stays activating until READY=1, then Started', async () => {
    let notify: ((m: string) => void) | undefined;
    const m = machine({
      '/etc/systemd/system/n.service': '[Unit]\nDescription=Notifier\n[Service]\nType=notify\nExecStart=/usr/bin/n\n',
    }, { '/usr/bin/n': (ctx) => { notify = ctx.notify; } });
    const done = m.system.runCommand(['systemctl', 'start', 'n'], { stdout: () => {}, stderr: () => {}, signal: new AbortController().signal });
    await m.advance(10);
    const unit = m.system.manager.getUnit('n.service')!;
    expect([unit.activeState, unit.subState]).toEqual(['activating', 'start']);
    notify!('READY=1');
    expect(await done).toBe(0);
    expect(unit.activeState).toBe('active');
    expect(m.messages()).toContain('Started n.service - Notifier.');
  });

  it('Type=notify that never sends READY=1 times out (TimeoutStartSec=)', async () => {
    const m = machine({
      '/etc/systemd/system/n.service': '[Unit]\nDescription=Notifier\n[Service]\nType=notify\nExecStart=/usr/bin/n\nTimeoutStartSec=5s\n',
    }, { '/usr/bin/n': () => {} });
    let err = '';
    const done = m.system.runCommand(['systemctl', 'start', 'n'], { stdout: () => {}, stderr: (t) => { err += t; }, signal: new AbortController().signal });
    await m.advance(5000);
    expect(await done).toBe(1);
    expect(err).toBe('Job for n.service failed because a timeout was exceeded.\nSee "systemctl status n.service" and "journalctl -xeu n.service" for details.\n');
    expect(m.messages()).toEqual(expect.arrayContaining(['n.service: start operation timed out. Terminating.', "n.service: Failed with result 'timeout'.", 'Failed to start n.service - Notifier.']));
  });

  it.each([
    ['Type=oneshot', 'Type=oneshot\nExecStart=/usr/bin/n\n', ['n.service: start operation timed out. Terminating.', 'n.service: Main process exited, code=killed, status=15/TERM']],
    ['Type=forking', 'Type=forking\nExecStart=/usr/bin/n\n', ['n.service: start operation timed out. Terminating.']],
    ['ExecStartPre=', 'ExecStartPre=/usr/bin/n\nExecStart=/usr/bin/n\n', ['n.service: start-pre operation timed out. Terminating.', 'n.service: Control process exited, code=killed, status=15/TERM']],
    ['ExecStartPost=', 'ExecStart=/usr/bin/n\nExecStartPost=/usr/bin/n\n', ['n.service: start-post operation timed out. Terminating.', 'n.service: Control process exited, code=killed, status=15/TERM']],
  ])('TimeoutStartSec= bounds %s too (oracle start-timeout-every-type)', async (_name, service, lines) => {
    const m = machine({ '/etc/systemd/system/n.service': `[Unit]\nDescription=N\n[Service]\n${service}TimeoutStartSec=2s\n` }, { '/usr/bin/n': () => {} });
    let err = '';
    const done = m.system.runCommand(['systemctl', 'start', 'n'], { stdout: () => {}, stderr: (t) => { err += t; }, signal: new AbortController().signal });
    await m.advance(1999);
    expect(m.system.manager.getUnit('n.service')!.activeState).toBe('activating');
    await m.advance(1);
    expect(await done).toBe(1);
    expect(err).toBe('Job for n.service failed because a timeout was exceeded.\nSee "systemctl status n.service" and "journalctl -xeu n.service" for details.\n');
    const unit = m.system.manager.getUnit('n.service')!;
    expect([unit.activeState, unit.result]).toEqual(['failed', 'timeout']);
    expect(m.messages('n.service').filter((line) => !line.startsWith('Starting'))).toEqual([...lines, "n.service: Failed with result 'timeout'.", 'Failed to start n.service - N.']);
  });

  it('a missing ExecStart program fails with status=203/EXEC after "Started" (the fork succeeded), as systemd 252 logs it', async () => {
    const m = machine({ '/etc/systemd/system/x.service': '[Unit]\nDescription=X\n[Service]\nExecStart=/usr/bin/missing\n' });
    const r = await m.run('systemctl', 'start', 'x');
    // Type=simple: the job is done once the process is forked; systemctl start exits 0 on systemd 252 too.
    expect(r.status).toBe(0);
    // The child's lines race PID 1's "Started" on systemd 252: 6 of 7 runs logged "Started" first, as here.
    expect(m.messages()).toEqual([
      'Started x.service - X.',
      'x.service: Failed to locate executable /usr/bin/missing: No such file or directory',
      'x.service: Failed at step EXEC spawning /usr/bin/missing: No such file or directory',
      'x.service: Main process exited, code=exited, status=203/EXEC',
      "x.service: Failed with result 'exit-code'.",
    ]);
    expect(m.system.manager.getUnit('x.service')!.activeState).toBe('failed');
    // The forked child logs those two lines as itself, `(missing)[PID]`, with the main PID: not as systemd[1].
    const mainPid = (m.system.manager.getUnit('x.service') as ServiceUnit).lastMainPid;
    expect(mainPid).toBeGreaterThan(1);
    const childLines = m.system.manager.journal.entries.filter((e) => e.message.includes('EXEC spawning') || e.message.includes('Failed to locate'));
    expect(childLines.map((e) => [e.identifier, e.pid, e.unit])).toEqual([['(missing)', mainPid, 'x.service'], ['(missing)', mainPid, 'x.service']]);
  });

  it('names the forked child after the last 8 characters of its program (rename_process_from_path())', () => {
    expect(childProcessName('/opt/x/missing')).toBe('(missing)');
    expect(childProcessName('/usr/lib/systemd/systemd-socket-proxyd')).toBe('(t-proxyd)');
  });
});

describe('start job through auto-restart (job.c: a running start job survives auto-restart, the restart merges into it)', () => {
  const unit = '[Unit]\nDescription=Crasher\n[Service]\nType=notify\nExecStart=/usr/bin/crash\nRestart=on-failure\nRestartSec=100ms\n';

  it('a crash-looping service: systemctl start waits until the start limit, then explains the last result (exit-code), as systemd 252 does', async () => {
    const m = machine({ '/etc/systemd/system/crash.service': unit }, { '/usr/bin/crash': exitWith(1) });
    let err = '';
    let status: number | undefined;
    void m.system.runCommand(['systemctl', 'start', 'crash.service'], { stdout: () => {}, stderr: (t) => { err += t; }, signal: new AbortController().signal }).then((s) => { status = s; });
    await m.advance(150);
    expect(status).toBeUndefined();
    expect(m.messages()).not.toContain('Failed to start crash.service - Crasher.');
    await m.advance(2000);
    expect(status).toBe(1);
    expect(err).toBe('Job for crash.service failed because the control process exited with error code.\n'
      + 'See "systemctl status crash.service" and "journalctl -xeu crash.service" for details.\n');
    expect(m.messages().filter((l) => l === 'Failed to start crash.service - Crasher.')).toHaveLength(1);
    expect(m.messages().at(-1)).toBe('Failed to start crash.service - Crasher.');
  });

  it('a service that crashes once and then comes up: the start job ends done, no "Failed to start"', async () => {
    let runs = 0;
    const m = machine({ '/etc/systemd/system/crash.service': unit }, {
      '/usr/bin/crash': (ctx) => queueMicrotask(() => (++runs === 1 ? ctx.exit(1) : ctx.notify('READY=1'))),
    });
    let status: number | undefined;
    void m.system.runCommand(['systemctl', 'start', 'crash.service'], { stdout: () => {}, stderr: () => {}, signal: new AbortController().signal }).then((s) => { status = s; });
    await m.advance(150);
    expect(status).toBe(0);
    expect(m.messages()).toContain('crash.service: Scheduled restart job, restart counter is at 1.');
    expect(m.messages()).not.toContain('Failed to start crash.service - Crasher.');
    expect(m.messages().at(-1)).toBe('Started crash.service - Crasher.');
  });

  it('a failed socket start prints systemctl 252\'s generic line for non-service units', async () => {
    // Each socket has its service: socket_start() refuses one whose service is not loaded.
    const m = machine({
      '/etc/systemd/system/a.socket': '[Socket]\nListenStream=127.0.0.1:80\n', '/etc/systemd/system/b.socket': '[Socket]\nListenStream=127.0.0.1:80\n',
      '/etc/systemd/system/a.service': '[Service]\nExecStart=/usr/bin/a\n', '/etc/systemd/system/b.service': '[Service]\nExecStart=/usr/bin/b\n',
    });
    expect((await m.run('systemctl', 'start', 'a.socket')).status).toBe(0);
    const r = await m.run('systemctl', 'start', 'b.socket');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('Job failed. See "journalctl -xe" for details.\n');
  });
});
