/**
 * Manager-level behaviour checked against systemd 252.39 (Debian 12) booted in an nspawn container, each
 * expectation written from what it printed (`journalctl -o cat`, `systemctl show`, `ss -ltn`, `nc`):
 * parse warnings on every load, loading a failed unit again on start, the result kept at the start limit,
 * a taken address, Listen= changed under a running socket.
 */
import { describe, expect, it } from 'vitest';
import { echoServer, exitWith, machine } from './harness.ts';

const TYPO = '[Unit]\nDescription=X socket\n\n[Socket]\nListenStrem=127.0.0.1:8090\n';
const FIXED = '[Unit]\nDescription=X socket\n\n[Socket]\nListenStream=127.0.0.1:8090\n';
const SERVICE = '[Unit]\nDescription=X server\n[Service]\nExecStart=/usr/bin/x\n';
const WARNING = "/etc/systemd/system/x.socket:5: Unknown key 'ListenStrem' in section [Socket], ignoring.";
const REFUSAL = 'x.socket: Unit has no Listen setting (ListenStream=, ListenDatagram=, ListenFIFO=, ...). Refusing.';

describe('loading units (manager_load_unit(), unit_gc_sweep())', () => {
  it('PID 1 logs the parse warnings with UNIT= each time it loads the unit: every start of the failed unit; daemon-reload does not read it, nothing holds it (oracle refusal-logged-each-load)', async () => {
    const m = machine({ '/etc/systemd/system/x.socket': TYPO, '/etc/systemd/system/x.service': SERVICE });
    const first = await m.run('systemctl', 'start', 'x.socket');
    expect([first.status, first.stderr]).toEqual([1, "Failed to start x.socket: Unit x.socket has a bad unit file setting.\nSee system logs and 'systemctl status x.socket' for details.\n"]);
    await m.run('systemctl', 'start', 'x.socket');
    await m.run('systemctl', 'daemon-reload');
    expect(m.messages()).toEqual([WARNING, REFUSAL, WARNING, REFUSAL, 'Reloading.']);
    expect((await m.run('journalctl', '-u', 'x.socket', '-o', 'cat')).stdout).toBe(`${WARNING}\n${REFUSAL}\n`.repeat(2));
  });

  it('a unit refused at load time keeps its type: status shows Triggers:', async () => {
    const m = machine({ '/etc/systemd/system/x.socket': TYPO, '/etc/systemd/system/x.service': SERVICE });
    await m.run('systemctl', 'start', 'x.socket');
    const status = await m.run('systemctl', 'status', 'x.socket');
    expect(status.stdout).toContain('     Loaded: bad-setting (Reason: Unit x.socket has a bad unit file setting.)\n');
    expect(status.stdout).toContain('   Triggers: ● x.service\n');
    // Its log tail: the warnings of each load (the two loads so far: start and status).
    expect(status.stdout).toContain(`systemd[1]: ${WARNING}\n`);
  });

  it('after fixing the file, systemctl start loads it again and succeeds without daemon-reload', async () => {
    const m = machine({ '/etc/systemd/system/x.socket': TYPO, '/etc/systemd/system/x.service': SERVICE }, { '/usr/bin/x': echoServer() });
    expect((await m.run('systemctl', 'start', 'x.socket')).status).toBe(1);
    m.kernel.fs.writeFile('/etc/systemd/system/x.socket', FIXED);
    const again = await m.run('systemctl', 'start', 'x.socket');
    expect([again.status, again.stderr]).toEqual([0, '']);
    expect(m.system.manager.getUnit('x.socket')!.subState).toBe('listening');
    expect(m.messages().at(-1)).toBe('Listening on x.socket - X socket.');
  });
});

describe('the start limit (unit_test_start_limit(), socket_trigger_notify())', () => {
  it('the service keeps its last result (exit-code) and the socket fails with service-start-limit-hit', async () => {
    const m = machine({
      '/etc/systemd/system/crash.socket': '[Unit]\nDescription=Crash socket\n[Socket]\nListenStream=127.0.0.1:8091\n',
      '/etc/systemd/system/crash.service': '[Unit]\nDescription=Crash service\n[Service]\nExecStart=/usr/bin/crash\nRestart=on-failure\nRestartSec=100ms\n',
    }, { '/usr/bin/crash': exitWith(1) });
    await m.run('systemctl', 'start', 'crash.socket');
    await m.kernel.net.connect('127.0.0.1:8091');
    await m.advance(3000);
    expect(m.messages().slice(-8)).toEqual([
      'crash.service: Main process exited, code=exited, status=1/FAILURE',
      "crash.service: Failed with result 'exit-code'.",
      'crash.service: Scheduled restart job, restart counter is at 5.',
      'Stopped crash.service - Crash service.',
      'crash.service: Start request repeated too quickly.',
      "crash.service: Failed with result 'exit-code'.",
      'Failed to start crash.service - Crash service.',
      "crash.socket: Failed with result 'service-start-limit-hit'.",
    ]);
    const show = await m.run('systemctl', 'show', '-p', 'Result', 'crash.service', 'crash.socket');
    expect(show.stdout).toContain('Result=exit-code\n');
    expect(show.stdout).toContain('Result=service-start-limit-hit\n');
  });
});

describe('a taken address (socket_open_fds(), socket_enter_start_post())', () => {
  it('logs the address, the summary, the result and "Failed to listen on"; the socket fails with resources', async () => {
    const m = machine({
      '/etc/systemd/system/taken.socket': '[Unit]\nDescription=Taken socket\n[Socket]\nListenStream=127.0.0.1:8092\n',
      '/etc/systemd/system/taken.service': '[Service]\nExecStart=/usr/bin/x\n',
    });
    // Another program (nc -l 127.0.0.1 8092 in the real run) holds the address.
    const socket = m.system.manager.loadUnit('taken.socket').file.socket!;
    m.kernel.net.listen({ ...socket, address: socket.listen[0], owner: 'nc' });
    const r = await m.run('systemctl', 'start', 'taken.socket');
    expect(r.status).toBe(1);
    expect(m.messages()).toEqual([
      'taken.socket: Failed to create listening socket (127.0.0.1:8092): Address already in use',
      'taken.socket: Failed to listen on sockets: Address already in use',
      "taken.socket: Failed with result 'resources'.",
      'Failed to listen on taken.socket - Taken socket.',
    ]);
    const u = m.system.manager.getUnit('taken.socket')!;
    expect([u.activeState, u.subState, u.result]).toEqual(['failed', 'failed', 'resources']);
    // It never left the inactive states: no "since".
    expect((await m.run('systemctl', 'status', 'taken.socket')).stdout).toContain('\n     Active: failed (Result: resources)\n');
  });
});

describe('Listen= changed under a running socket, then daemon-reload (socket_coldplug())', () => {
  const LC = (port: number): string => `[Unit]\nDescription=LC socket\n[Socket]\nListenStream=127.0.0.1:${port}\n`;

  it('warns, stays active (listening) with no fd: both ports refuse until a restart listens on the new one', async () => {
    const m = machine({
      '/etc/systemd/system/lc.socket': LC(8093),
      '/etc/systemd/system/lc.service': '[Unit]\nDescription=LC server\n[Service]\nExecStart=/usr/bin/x\n',
    }, { '/usr/bin/x': echoServer() });
    await m.run('systemctl', 'start', 'lc.socket');
    m.kernel.fs.writeFile('/etc/systemd/system/lc.socket', LC(8094));
    await m.run('systemctl', 'daemon-reload');
    expect(m.messages().slice(-2)).toEqual([
      'Reloading.',
      'lc.socket: Socket unit configuration has changed while unit has been running, no open socket file descriptor left. The socket unit is not functional until restarted.',
    ]);
    const u = m.system.manager.getUnit('lc.socket')!;
    expect([u.activeState, u.subState, u.result]).toEqual(['active', 'listening', 'success']);
    await expect(m.kernel.net.connect('127.0.0.1:8093')).rejects.toThrow('Connection refused');
    await expect(m.kernel.net.connect('127.0.0.1:8094')).rejects.toThrow('Connection refused');
    expect((await m.run('systemctl', 'show', '-p', 'Listen', 'lc.socket')).stdout).toBe('Listen=127.0.0.1:8094 (Stream)\n');
    await m.run('systemctl', 'restart', 'lc.socket');
    await expect(m.kernel.net.connect('127.0.0.1:8094')).resolves.toBeDefined();
    expect(m.system.manager.getUnit('lc.service')!.activeState).not.toBe('failed');
  });

  it('a Listen= line that stays keeps its fd (no warning)', async () => {
    const m = machine({ '/etc/systemd/system/two.socket': '[Socket]\nListenStream=127.0.0.1:8095\nListenStream=127.0.0.1:8096\n', '/etc/systemd/system/two.service': '[Service]\nExecStart=/usr/bin/x\n' });
    await m.run('systemctl', 'start', 'two.socket');
    m.kernel.fs.writeFile('/etc/systemd/system/two.socket', '[Socket]\nListenStream=127.0.0.1:8096\n');
    await m.run('systemctl', 'daemon-reload');
    expect(m.messages().at(-1)).toBe('Reloading.');
    await expect(m.kernel.net.connect('127.0.0.1:8096')).resolves.toBeDefined();
    await expect(m.kernel.net.connect('127.0.0.1:8095')).rejects.toThrow('Connection refused');
  });
});

describe('socket_start() refuses without its service (socket.c)', () => {
  it('a missing service: "Socket service X not loaded, refusing." and "Failed to listen on X."; the socket stays inactive', async () => {
    const m = machine({
      '/etc/systemd/system/lonely.socket': '[Unit]\nDescription=Lonely\n[Socket]\nListenStream=127.0.0.1:8098\n',
      '/etc/systemd/system/lonely2.socket': '[Socket]\nListenStream=127.0.0.1:8099\nService=nothere.service\n',
    });
    expect((await m.run('systemctl', 'start', 'lonely.socket')).status).toBe(1);
    expect((await m.run('systemctl', 'start', 'lonely2.socket')).status).toBe(1);
    expect(m.messages()).toEqual([
      'lonely.socket: Socket service lonely.service not loaded, refusing.',
      'Failed to listen on lonely.socket - Lonely.',
      'lonely2.socket: Socket service nothere.service not loaded, refusing.',
      'Failed to listen on lonely2.socket.',
    ]);
    // Inactive and unreferenced, it is collected after the request; what the next one sees:
    const show = await m.run('systemctl', 'show', '-p', 'ActiveState', '-p', 'SubState', '-p', 'Result', 'lonely.socket');
    expect(show.stdout).toBe('Result=success\nActiveState=inactive\nSubState=dead\n');
  });

  it('a running service: "Socket service X already active, refusing."', async () => {
    const m = machine({
      '/etc/systemd/system/b.socket': '[Unit]\nDescription=B socket\n[Socket]\nListenStream=127.0.0.1:8082\n',
      '/etc/systemd/system/b.service': '[Unit]\nDescription=B server\n[Service]\nExecStart=/usr/bin/b\n',
    }, { '/usr/bin/b': echoServer() });
    await m.run('systemctl', 'start', 'b.service');
    const r = await m.run('systemctl', 'restart', 'b.socket');
    expect([r.status, r.stderr]).toEqual([1, 'Job failed. See "journalctl -xe" for details.\n']);
    expect(m.messages().slice(-2)).toEqual(['b.socket: Socket service b.service already active, refusing.', 'Failed to listen on b.socket - B socket.']);
  });
});

describe('restart jobs (job_perform_on_unit() with JOB_RESTART)', () => {
  it('a unit that stops at once logs "Stopping…" after its stop lines, the restart job being queued still', async () => {
    const m = machine({
      '/etc/systemd/system/lc.socket': '[Unit]\nDescription=LC socket\n[Socket]\nListenStream=127.0.0.1:8093\n',
      '/etc/systemd/system/lc.service': '[Unit]\nDescription=LC server\n[Service]\nExecStart=/usr/bin/x\n',
      '/etc/systemd/system/rae.service': '[Unit]\nDescription=Remain\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n',
    }, { '/usr/bin/x': echoServer(), '/bin/true': exitWith(0) });
    await m.run('systemctl', 'start', 'lc.socket', 'rae.service');
    const before = m.messages().length;
    await m.run('systemctl', 'restart', 'lc.socket');
    await m.run('systemctl', 'restart', 'rae.service');
    expect(m.messages().slice(before)).toEqual([
      'lc.socket: Deactivated successfully.',
      'Closed lc.socket - LC socket.',
      'Stopping lc.socket - LC socket...',
      'Listening on lc.socket - LC socket.',
      'rae.service: Deactivated successfully.',
      'Stopped rae.service - Remain.',
      'Stopping rae.service - Remain...',
      'Starting rae.service - Remain...',
      'Finished rae.service - Remain.',
    ]);
  });

  it('a running service logs "Stopping…" first, then "Stopped…" and "Started…"', async () => {
    const m = machine({ '/etc/systemd/system/b.service': '[Unit]\nDescription=B server\n[Service]\nExecStart=/usr/bin/b\n' }, { '/usr/bin/b': echoServer() });
    await m.run('systemctl', 'start', 'b.service');
    await m.run('systemctl', 'restart', 'b.service');
    expect(m.messages()).toEqual([
      'Started b.service - B server.',
      'Stopping b.service - B server...',
      'b.service: Deactivated successfully.',
      'Stopped b.service - B server.',
      'Started b.service - B server.',
    ]);
  });
});

describe('Accept=yes instances (socket.c, unit_gc_sweep())', () => {
  const FILES = {
    '/etc/systemd/system/ef@.service': '[Unit]\nDescription=Fail per conn\n[Service]\nExecStart=/bin/false\nStandardInput=socket\n',
    '/etc/systemd/system/ef.socket': '[Unit]\nDescription=EF socket\n[Socket]\nListenStream=127.0.0.1:8103\nAccept=yes\nService=ef@.service\n',
  };

  it('Service= naming a template is ignored with a warning; a failed instance stays loaded until reset-failed', async () => {
    const m = machine(FILES, { '/bin/false': exitWith(1) });
    await m.run('systemctl', 'start', 'ef.socket');
    const c = await m.kernel.net.connect('127.0.0.1:8103');
    await m.advance(100);
    const instance = `ef@0-127.0.0.1:8103-127.0.0.1:${c.local.port}.service`;
    expect(m.messages()).toEqual([
      '/etc/systemd/system/ef.socket:6: Failed to load unit ef@.service, ignoring: Unit name ef@.service is missing the instance name.',
      'Listening on ef.socket - EF socket.',
      'Created slice system-ef.slice - Slice /system/ef.',
      `Started ${instance} - Fail per conn (127.0.0.1:${c.local.port}).`,
      `${instance}: Main process exited, code=exited, status=1/FAILURE`,
      `${instance}: Failed with result 'exit-code'.`,
    ]);
    expect(m.system.manager.getUnit(instance)?.activeState).toBe('failed');
    await m.run('systemctl', 'reset-failed', instance);
    expect(m.system.manager.getUnit(instance)).toBeUndefined();
  });
});

describe('an Accept=yes instance of a template without Description= (service_set_socket_fd())', () => {
  it('is described by its peer alone: "Started e@0-….service - 127.0.0.1:PORT.", after its slice, created once', async () => {
    const m = machine({
      '/etc/systemd/system/e.socket': '[Unit]\nDescription=Echo\n[Socket]\nListenStream=127.0.0.1:8083\nAccept=yes\n',
      '/etc/systemd/system/e@.service': '[Service]\nExecStart=/bin/cat\nStandardInput=socket\n',
    }, { '/bin/cat': exitWith(0) });
    await m.run('systemctl', 'start', 'e.socket');
    const c = await m.kernel.net.connect('127.0.0.1:8083');
    await m.advance(10);
    const name = `e@0-127.0.0.1:8083-127.0.0.1:${c.local.port}.service`;
    expect(m.messages()).toEqual([
      'Listening on e.socket - Echo.',
      'Created slice system-e.slice - Slice /system/e.',
      `Started ${name} - 127.0.0.1:${c.local.port}.`,
      `${name}: Deactivated successfully.`,
    ]);
    await m.kernel.net.connect('127.0.0.1:8083');
    await m.advance(10);
    expect(m.messages().filter((line) => line.startsWith('Created slice'))).toHaveLength(1);
  });
});

describe('Accept=yes without its template (socket_enter_running())', () => {
  it('starts, then the first connection fails it: "Failed to queue service startup job (… not a template unit?): Invalid argument"', async () => {
    const m = machine({ '/etc/systemd/system/nt.socket': '[Unit]\nDescription=NT socket\n[Socket]\nListenStream=127.0.0.1:8104\nAccept=yes\n' });
    expect((await m.run('systemctl', 'start', 'nt.socket')).status).toBe(0);
    await m.kernel.net.connect('127.0.0.1:8104');
    await m.advance(10);
    expect(m.messages()).toEqual([
      'Listening on nt.socket - NT socket.',
      'nt.socket: Failed to queue service startup job (Maybe the service file is missing or not a template unit?): Invalid argument',
      "nt.socket: Failed with result 'resources'.",
    ]);
    expect((await m.run('systemctl', 'show', '-p', 'NAccepted', 'nt.socket')).stdout).toBe('NAccepted=1\n');
  });
});
