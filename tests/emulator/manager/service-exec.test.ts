/**
 * RemainAfterExit=, ExecCondition= and ExecStopPost= (service.c), checked against what systemd 252 on Debian 12
 * logged and showed for the same units in an nspawn container (`journalctl -o cat`, `systemctl show`).
 */
import { describe, expect, it } from 'vitest';
import type { Program } from './fake-kernel.ts';
import { echoServer, machine } from './harness.ts';

const exit = (code: number): Program => (ctx) => queueMicrotask(() => ctx.exit(code));
const state = (m: ReturnType<typeof machine>, name: string): string[] => {
  const u = m.system.manager.getUnit(name)!;
  return [u.activeState, u.subState, u.result];
};

describe('RemainAfterExit=', () => {
  it('a oneshot stays active (exited): "Starting…", "Finished…", and on stop "Deactivated successfully." then "Stopped…"', async () => {
    const m = machine({
      '/etc/systemd/system/rae.service': '[Unit]\nDescription=Remain\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n',
    }, { '/bin/true': exit(0) });
    expect((await m.run('systemctl', 'start', 'rae.service')).status).toBe(0);
    expect(state(m, 'rae.service')).toEqual(['active', 'exited', 'success']);
    expect(m.messages('rae.service')).toEqual(['Starting rae.service - Remain...', 'Finished rae.service - Remain.']);
    await m.run('systemctl', 'stop', 'rae.service');
    expect(state(m, 'rae.service')).toEqual(['inactive', 'dead', 'success']);
    expect(m.messages('rae.service').slice(2)).toEqual(['rae.service: Deactivated successfully.', 'Stopped rae.service - Remain.']);
  });

  it('a simple service whose process exits 0 stays active (exited); ExecStop= runs on stop', async () => {
    const m = machine({
      '/etc/systemd/system/raes.service': '[Unit]\nDescription=RAE simple\n[Service]\nRemainAfterExit=yes\nExecStart=/bin/true\nExecStop=/bin/echo stopping\n',
    }, { '/bin/true': exit(0), '/bin/echo': (ctx) => { ctx.print(ctx.argv.slice(1).join(' ')); queueMicrotask(() => ctx.exit(0)); } });
    await m.run('systemctl', 'start', 'raes.service');
    await m.advance(10);
    expect(state(m, 'raes.service')).toEqual(['active', 'exited', 'success']);
    await m.run('systemctl', 'stop', 'raes.service');
    expect(m.messages('raes.service')).toEqual([
      'Started raes.service - RAE simple.',
      'Stopping raes.service - RAE simple...',
      'stopping',
      'raes.service: Deactivated successfully.',
      'Stopped raes.service - RAE simple.',
    ]);
  });

  it('a failing oneshot with RemainAfterExit=yes fails: its ExecStopPost= runs before "Failed with result"', async () => {
    const m = machine({
      '/etc/systemd/system/onefail.service': '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/false\nExecStopPost=/bin/echo onefail-post\n',
    }, { '/bin/false': exit(1), '/bin/echo': (ctx) => { ctx.print(ctx.argv.slice(1).join(' ')); queueMicrotask(() => ctx.exit(0)); } });
    expect((await m.run('systemctl', 'start', 'onefail.service')).status).toBe(1);
    expect(state(m, 'onefail.service')).toEqual(['failed', 'failed', 'exit-code']);
    expect(m.messages('onefail.service')).toEqual([
      'Starting onefail.service...',
      'onefail.service: Main process exited, code=exited, status=1/FAILURE',
      'onefail-post',
      "onefail.service: Failed with result 'exit-code'.",
      'Failed to start onefail.service.',
    ]);
  });
});

describe('ExecCondition=', () => {
  it('exit 1 skips the start: "Skipped due to \'exec-condition\'.", "Condition check resulted in … being skipped.", inactive, start exits 0', async () => {
    const m = machine({
      '/etc/systemd/system/cond.service': '[Unit]\nDescription=Cond\n[Service]\nExecCondition=/bin/check\nExecStart=/usr/bin/server\n',
    }, { '/bin/check': exit(1), '/usr/bin/server': echoServer() });
    expect((await m.run('systemctl', 'start', 'cond.service')).status).toBe(0);
    expect(state(m, 'cond.service')).toEqual(['inactive', 'dead', 'success']);
    expect(m.messages('cond.service')).toEqual([
      'Starting cond.service - Cond...',
      "cond.service: Skipped due to 'exec-condition'.",
      'Condition check resulted in cond.service - Cond being skipped.',
    ]);
    expect(m.kernel.processes.spawned.map((p) => p.options.argv[0])).toEqual(['/bin/check']);
  });

  it('exit 255 fails the start with exit-code: "Condition check process exited, code=exited, status=255/EXCEPTION"', async () => {
    const m = machine({
      '/etc/systemd/system/cond255.service': '[Unit]\nDescription=Cond255\n[Service]\nExecCondition=/bin/check\nExecStart=/usr/bin/server\n',
    }, { '/bin/check': exit(255), '/usr/bin/server': echoServer() });
    expect((await m.run('systemctl', 'start', 'cond255.service')).status).toBe(1);
    expect(state(m, 'cond255.service')).toEqual(['failed', 'failed', 'exit-code']);
    expect(m.messages('cond255.service')).toEqual([
      'Starting cond255.service - Cond255...',
      'cond255.service: Condition check process exited, code=exited, status=255/EXCEPTION',
      "cond255.service: Failed with result 'exit-code'.",
      'Failed to start cond255.service - Cond255.',
    ]);
  });

  it('exit 0 goes on to ExecStart=', async () => {
    const m = machine({
      '/etc/systemd/system/condok.service': '[Unit]\nDescription=CondOK\n[Service]\nExecCondition=/bin/check\nExecStart=/usr/bin/server\n',
    }, { '/bin/check': exit(0), '/usr/bin/server': echoServer() });
    await m.run('systemctl', 'start', 'condok.service');
    expect(state(m, 'condok.service')).toEqual(['active', 'running', 'success']);
    expect(m.messages('condok.service')).toEqual(['Starting condok.service - CondOK...', 'Started condok.service - CondOK.']);
  });
});

describe('ExecStopPost=', () => {
  it('runs after the main process failed, with $SERVICE_RESULT, $EXIT_CODE and $EXIT_STATUS', async () => {
    const m = machine({
      '/etc/systemd/system/fpost.service': '[Unit]\nDescription=Fail post\n[Service]\nExecStart=/usr/bin/fail\nExecStopPost=/bin/echo post $SERVICE_RESULT $EXIT_CODE $EXIT_STATUS\n',
    }, { '/usr/bin/fail': exit(3), '/bin/echo': (ctx) => { ctx.print(ctx.argv.slice(1).join(' ')); queueMicrotask(() => ctx.exit(0)); } });
    await m.run('systemctl', 'start', 'fpost.service');
    await m.advance(10);
    expect(m.messages('fpost.service')).toEqual([
      'Started fpost.service - Fail post.',
      'fpost.service: Main process exited, code=exited, status=3/NOTIMPLEMENTED',
      'post exit-code exited 3',
      "fpost.service: Failed with result 'exit-code'.",
    ]);
    expect(state(m, 'fpost.service')).toEqual(['failed', 'failed', 'exit-code']);
  });

  it('runs after a stop, before "Deactivated successfully."', async () => {
    const m = machine({
      '/etc/systemd/system/condok.service': '[Unit]\nDescription=CondOK\n[Service]\nExecStart=/usr/bin/server\nExecStopPost=/bin/echo stoppost\n',
    }, { '/usr/bin/server': echoServer(), '/bin/echo': (ctx) => { ctx.print(ctx.argv.slice(1).join(' ')); queueMicrotask(() => ctx.exit(0)); } });
    await m.run('systemctl', 'start', 'condok.service');
    await m.run('systemctl', 'stop', 'condok.service');
    expect(m.messages('condok.service').slice(1)).toEqual([
      'Stopping condok.service - CondOK...',
      'stoppost',
      'condok.service: Deactivated successfully.',
      'Stopped condok.service - CondOK.',
    ]);
  });
});

describe('start failures (execute.c exec_child(), service_spawn())', () => {
  it('a failing ExecStartPre=: "Control process exited", ExecStopPost= runs, then "Failed to start"', async () => {
    const m = machine({
      '/etc/systemd/system/pre.service': '[Unit]\nDescription=Pre fails\n[Service]\nExecStartPre=/bin/false\nExecStart=/usr/bin/server\nExecStopPost=/bin/echo post\n',
    }, { '/bin/false': exit(1), '/usr/bin/server': echoServer(), '/bin/echo': (ctx) => { ctx.print(ctx.argv.slice(1).join(' ')); queueMicrotask(() => ctx.exit(0)); } });
    expect((await m.run('systemctl', 'start', 'pre.service')).status).toBe(1);
    expect(m.messages()).toEqual([
      'Starting pre.service - Pre fails...',
      'pre.service: Control process exited, code=exited, status=1/FAILURE',
      'post',
      "pre.service: Failed with result 'exit-code'.",
      'Failed to start pre.service - Pre fails.',
    ]);
  });

  it('a missing EnvironmentFile= fails the first task with resources', async () => {
    const m = machine({ '/etc/systemd/system/noenv.service': '[Unit]\nDescription=No env\n[Service]\nEnvironmentFile=/etc/nothere\nExecStart=/usr/bin/server\n' }, { '/usr/bin/server': echoServer() });
    expect((await m.run('systemctl', 'start', 'noenv.service')).status).toBe(1);
    expect(m.messages()).toEqual([
      'noenv.service: Failed to load environment files: No such file or directory',
      "noenv.service: Failed to run 'start' task: No such file or directory",
      "noenv.service: Failed with result 'resources'.",
      'Failed to start noenv.service - No env.',
    ]);
    expect(state(m, 'noenv.service')).toEqual(['failed', 'failed', 'resources']);
  });
});

describe('a `-` command whose executable is missing (exec_child() with EXEC_COMMAND_IGNORE_FAILURE)', () => {
  it('is skipped: "Executable … missing, skipping", and the oneshot goes on', async () => {
    const m = machine({
      '/etc/systemd/system/dash.service': '[Unit]\nDescription=Dash\n[Service]\nType=oneshot\nExecStart=-/opt/nothere\nExecStart=/bin/true\n',
    }, { '/bin/true': exit(0) });
    expect((await m.run('systemctl', 'start', 'dash.service')).status).toBe(0);
    expect(m.messages()).toEqual([
      'Starting dash.service - Dash...',
      'dash.service: Executable /opt/nothere missing, skipping: No such file or directory',
      'dash.service: Deactivated successfully.',
      'Finished dash.service - Dash.',
    ]);
    expect(state(m, 'dash.service')).toEqual(['inactive', 'dead', 'success']);
  });
});
