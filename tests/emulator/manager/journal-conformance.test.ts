/**
 * The manager's journal lines pinned to systemd 252: job.c (job_perform_on_unit(), job_done_message_format()),
 * unit.c (unit_log_process_exit(), unit_log_success/failure()), service.c and socket.c.
 */
import { describe, expect, it } from 'vitest';
import { settle } from './fake-kernel.ts';
import { echoServer, machine } from './harness.ts';

describe('job messages (job.c)', () => {
  it('a socket and a Type=simple service log no "Starting…": their jobs are done before job_perform_on_unit() looks', async () => {
    const m = machine({
      '/etc/systemd/system/foo.socket': '[Unit]\nDescription=Foo socket\n[Socket]\nListenStream=8080\n',
      '/etc/systemd/system/foo.service': '[Unit]\nDescription=Foo\n[Service]\nExecStart=/usr/bin/foo\n',
    }, { '/usr/bin/foo': (ctx) => { ctx.print('hello from foo'); echoServer()(ctx); } });
    await m.run('systemctl', 'start', 'foo.socket');
    await m.run('systemctl', 'start', 'foo.service');
    expect(m.messages()).toEqual(['Listening on Foo socket.', 'Started Foo.', 'hello from foo']);
  });

  it('Type=notify and ExecStartPre= services log "Starting…" after the fork, then "Started…"', async () => {
    let notify: ((m: string) => void) | undefined;
    const m = machine({
      '/etc/systemd/system/n.service': '[Unit]\nDescription=N\n[Service]\nType=notify\nExecStart=/usr/bin/n\n',
    }, { '/usr/bin/n': (ctx) => { ctx.print('booting'); notify = ctx.notify; } });
    void m.run('systemctl', 'start', 'n.service');
    await settle();
    notify!('READY=1');
    await settle();
    expect(m.messages()).toEqual(['Starting N...', 'booting', 'Started N.']);
  });

  it('starting an active unit and stopping an inactive one log nothing (-EALREADY)', async () => {
    const m = machine({ '/etc/systemd/system/foo.socket': '[Unit]\nDescription=Foo socket\n[Socket]\nListenStream=8080\n' });
    await m.run('systemctl', 'start', 'foo.socket');
    await m.run('systemctl', 'start', 'foo.socket');
    await m.run('systemctl', 'stop', 'foo.socket');
    await m.run('systemctl', 'stop', 'foo.socket');
    expect(m.messages()).toEqual(['Listening on Foo socket.', 'foo.socket: Deactivated successfully.', 'Closed Foo socket.']);
  });

  it('stopping a running service: "Stopping…" after the signal, then "Deactivated successfully." and "Stopped…"', async () => {
    const m = machine({ '/etc/systemd/system/e.service': '[Unit]\nDescription=E\n[Service]\nExecStart=/usr/bin/e\n' }, { '/usr/bin/e': echoServer() });
    await m.run('systemctl', 'start', 'e.service');
    await m.run('systemctl', 'stop', 'e.service');
    expect(m.messages()).toEqual(['Started E.', 'Stopping E...', 'e.service: Deactivated successfully.', 'Stopped E.']);
  });
});

describe('service messages (service.c, unit.c)', () => {
  it('an exit code without a name prints "/n/a" (strna(exit_status_to_string()))', async () => {
    const m = machine({ '/etc/systemd/system/x.service': '[Unit]\nDescription=X\n[Service]\nExecStart=/usr/bin/x\n' }, {
      '/usr/bin/x': (ctx) => queueMicrotask(() => ctx.exit(42)),
    });
    await m.run('systemctl', 'start', 'x.service');
    await settle();
    expect(m.messages()).toEqual([
      'Started X.',
      'x.service: Main process exited, code=exited, status=42/n/a',
      "x.service: Failed with result 'exit-code'.",
    ]);
  });

  it('Restart=: "Scheduled restart job, restart counter is at N.", then "Stopped X." and "Started X."', async () => {
    let runs = 0;
    const m = machine({ '/etc/systemd/system/r.service': '[Unit]\nDescription=R\n[Service]\nExecStart=/usr/bin/r\nRestart=always\nRestartSec=1\n' }, {
      '/usr/bin/r': (ctx) => { if (++runs === 1) queueMicrotask(() => ctx.exit(0)); },
    });
    await m.run('systemctl', 'start', 'r.service');
    await m.advance(1000);
    expect(m.messages()).toEqual([
      'Started R.',
      'r.service: Deactivated successfully.',
      'r.service: Scheduled restart job, restart counter is at 1.',
      'Stopped R.',
      'Started R.',
    ]);
  });
});

describe('socket messages (socket.c socket_enter_running())', () => {
  it('a missing service: "Failed to queue service startup job (Maybe the service file is missing or not a non-template unit?): Unit … not found."', async () => {
    const m = machine({ '/etc/systemd/system/lone.socket': '[Unit]\nDescription=Lone\n[Socket]\nListenStream=9000\n' });
    await m.run('systemctl', 'start', 'lone.socket');
    await m.kernel.net.connect('127.0.0.1:9000').catch(() => undefined);
    await settle();
    expect(m.messages('lone.socket')).toEqual([
      'Listening on Lone.',
      'lone.socket: Failed to queue service startup job (Maybe the service file is missing or not a non-template unit?): Unit lone.service not found.',
      "lone.socket: Failed with result 'resources'.",
    ]);
  });

  it('the trigger limit counts the refused activation in NRefused', async () => {
    const m = machine({
      '/etc/systemd/system/t.socket': '[Socket]\nListenStream=9001\nTriggerLimitBurst=1\nTriggerLimitIntervalSec=10s\n',
      '/etc/systemd/system/t.service': '[Service]\nExecStart=/usr/bin/t\n',
    }, { '/usr/bin/t': (ctx) => queueMicrotask(() => ctx.exit(0)) });
    await m.run('systemctl', 'start', 't.socket');
    await m.kernel.net.connect('127.0.0.1:9001');
    await settle();
    await m.kernel.net.connect('127.0.0.1:9001').catch(() => undefined);
    await settle();
    expect(m.messages('t.socket')).toContain('t.socket: Trigger limit hit, refusing further activation.');
    expect((await m.run('systemctl', 'show', '-p', 'NRefused', '-p', 'Result', 't.socket')).stdout).toBe('Result=trigger-limit-hit\nNRefused=1\n');
  });
});
