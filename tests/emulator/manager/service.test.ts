import { describe, expect, it } from 'vitest';
import { machine } from './harness.ts';

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
    expect([unit.activeState, unit.result]).toEqual(['failed', 'start-limit-hit']);
    expect(m.kernel.processes.spawned.length).toBe(5);
    const lines = m.messages();
    expect(lines.slice(lines.indexOf('crash.service: Scheduled restart job, restart counter is at 5.'))).toEqual([
      'crash.service: Scheduled restart job, restart counter is at 5.',
      'Stopped Crasher.',
      'crash.service: Start request repeated too quickly.',
      "crash.service: Failed with result 'start-limit-hit'.",
      'Failed to start Crasher.',
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
    expect(m.messages()).toContain('Started Notifier.');
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
    expect(m.messages()).toEqual(expect.arrayContaining(['n.service: start operation timed out. Terminating.', "n.service: Failed with result 'timeout'.", 'Failed to start Notifier.']));
  });

  it('a missing ExecStart program fails with status=203/EXEC', async () => {
    const m = machine({ '/etc/systemd/system/x.service': '[Unit]\nDescription=X\n[Service]\nExecStart=/usr/bin/missing\n' });
    const r = await m.run('systemctl', 'start', 'x');
    expect(r.status).toBe(1);
    expect(m.messages()).toEqual(expect.arrayContaining([
      'x.service: Failed to execute /usr/bin/missing: No such file or directory',
      'x.service: Main process exited, code=exited, status=203/EXEC',
      "x.service: Failed with result 'exit-code'.",
    ]));
  });
});
