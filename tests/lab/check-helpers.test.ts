/**
 * The goal-check helpers read command output, so they must read what real systemd 252 and iproute2
 * print as well as the emulator: these tests feed them the outputs recorded on Debian 12 (the oracle's
 * golden files) and the emulator's, through a fake `run`.
 */
import { describe, expect, it } from 'vitest';
import { connectForCheck, execStartArgv, heldBySystemd, learnerInstances, listeners, pathServedBySystemd, portOf, showUnit, statNode } from '../../src/lab/definition/check-helpers.ts';
import type { CommandResult } from '../../src/lab/definition/lab-definition.ts';
import { readGolden } from '../oracle/corpus.ts';

/** A `run` that answers each command line with a recorded output. */
function fakeRun(outputs: Record<string, string>) {
  return async (commandLine: string): Promise<CommandResult> => {
    if (!(commandLine in outputs)) throw new Error(`unexpected command: ${commandLine}`);
    return { exitCode: 0, stdout: outputs[commandLine], stderr: '' };
  };
}

/** The stdout of the `index`th record of `command` in a golden file. */
function recorded(id: string, command: string, index = 0): string {
  const golden = readGolden(id);
  const records = (golden?.records ?? []).filter((record) => record.command === command);
  if (!records[index]) throw new Error(`golden ${id} has no record ${index} of ${command}`);
  return records[index].stdout;
}

describe('listeners() on real ss output', () => {
  it('ss -ltnp of Debian 12: local addresses, ports and holders (the service first, systemd last)', async () => {
    const run = fakeRun({ 'ss -ltnp': recorded('lesson-socket-and-service-units-4', 'ss -tlnp') });
    const tcp = await listeners(run, 'tcp');
    const http = tcp.find((listener) => portOf(listener.local) === 8080)!;
    expect(http.local).toBe('*:8080');
    expect(http.holders.map((holder) => holder.name)).toEqual(['node', 'systemd']);
    expect(heldBySystemd(http)).toBe(true);
    expect(tcp.filter((listener) => portOf(listener.local) === 22).every((listener) => !heldBySystemd(listener))).toBe(true);
  });

  it('ss -xlp of Debian 12 with dbus-daemon bound next to dbus.socket: two sockets at one path, found out', async () => {
    // The scenario greps the two rows of the path; ss's header is the one of its later full `ss -xlp`.
    const header = recorded('lesson-dbus-2', 'ss -xlp').split('\n')[0];
    const run = fakeRun({ 'ss -xlp': `${header}\n${recorded('lesson-dbus-2', 'ss -xlp | grep system_bus_socket')}` });
    const atBus = (await listeners(run, 'unix')).filter((listener) => listener.local === '/run/dbus/system_bus_socket');
    expect(atBus).toHaveLength(2);
    expect(atBus[0].inode).not.toBe(atBus[1].inode);
    const served = await pathServedBySystemd(run, '/run/dbus/system_bus_socket', 'dbus.socket');
    expect(served).toMatch(/^dbus-daemon \(PID \d+\) unlinked \/run\/dbus\/system_bus_socket and bound its own socket there/);
  });

  it('after the daemon stopped, systemd alone holds the orphan: the path looks served (the client check tells)', async () => {
    const run = fakeRun({ 'ss -xlp': recorded('lesson-dbus-2', 'ss -xlp') });
    expect(await pathServedBySystemd(run, '/run/dbus/system_bus_socket', 'dbus.socket')).toBe(true);
    expect(await pathServedBySystemd(run, '/run/nothing.sock', 'x.socket')).toBe('Nothing listens on /run/nothing.sock (ss -xlp).');
  });

  it('the Node kernel prints no inode column: the path and holders still come out', async () => {
    const run = fakeRun({ 'ss -xlp': 'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\nu_str LISTEN 0      4096   /run/docker.sock   *                 users:(("systemd",pid=1,fd=24))\n' });
    expect(await listeners(run, 'unix')).toEqual([{ local: '/run/docker.sock', inode: '*', holders: [{ name: 'systemd', pid: 1, fd: 24 }] }]);
  });
});

describe('systemctl show and stat', () => {
  it('showUnit collects repeated properties; execStartArgv reads systemd 252 argv[]', async () => {
    const run = fakeRun({
      'systemctl show -p Listen myapp.socket': recorded('lesson-socket-and-service-units-5', 'systemctl show -p Listen myapp.socket'),
      'systemctl show -p Listen ssh.socket': recorded('lesson-sshd-5', 'systemctl show -p Listen ssh.socket'),
      'systemctl show -p ExecStart dbus.service': 'ExecStart={ path=/usr/bin/dbus-daemon ; argv[]=/usr/bin/dbus-daemon --system --address=systemd: --nofork --nopidfile --systemd-activation --syslog-only ; ignore_errors=no ; start_time=[Tue 2026-12-01 08:01:38 UTC] ; stop_time=[n/a] ; pid=30 ; code=(null) ; status=0/0 }\n',
    });
    expect((await showUnit(run, 'myapp.socket', ['Listen'])).Listen).toEqual(['[::]:8081 (Stream)']);
    expect((await showUnit(run, 'ssh.socket', ['Listen'])).Listen).toEqual(['[::]:22 (Stream)', '[::]:2222 (Stream)']);
    expect(await execStartArgv(run, 'dbus.service')).toEqual([['/usr/bin/dbus-daemon', '--system', '--address=systemd:', '--nofork', '--nopidfile', '--systemd-activation', '--syslog-only']]);
  });

  it('statNode reads stat -c of coreutils (socket, mode, owner, inode); a missing file is undefined', async () => {
    const run = async (line: string): Promise<CommandResult> =>
      line.endsWith('/run/docker.sock') ? { exitCode: 0, stdout: 'socket|660|root|docker|114\n', stderr: '' } : { exitCode: 1, stdout: '', stderr: "stat: cannot statx '/x': No such file or directory\n" };
    expect(await statNode(run, '/run/docker.sock')).toEqual({ type: 'socket', mode: 0o660, user: 'root', group: 'docker', inode: 114 });
    expect(await statNode(run, '/x')).toBeUndefined();
  });
});

describe('connectForCheck and learnerInstances', () => {
  const INSTANCE = /^echo@\d+-127\.0\.0\.1:7777-127\.0\.0\.1:\d+\.service$/;
  /** A machine that numbers instances from NAccepted and logs them as systemd 252 does (or, `named: false`, without the unit name). */
  function machine(named: boolean) {
    let accepted = 0;
    let port = 40000;
    const journal: Array<{ unit: string; message: string }> = [];
    const files: Record<string, string> = {};
    const connect = () => {
      const unit = `echo@${accepted++}-127.0.0.1:7777-127.0.0.1:${port++}.service`;
      journal.push({ unit, message: named ? `Started ${unit} - Echo server connection.` : 'Started Echo server connection.' });
    };
    const run = async (line: string): Promise<CommandResult> => {
      const ok = (stdout: string): CommandResult => ({ exitCode: 0, stdout, stderr: '' });
      if (line === 'systemctl show -p NAccepted echo.socket') return ok(`NAccepted=${accepted}\n`);
      if (line.startsWith('journalctl')) return ok(journal.map((entry) => entry.message + '\n').join(''));
      if (line.startsWith('echo hello | nc')) {
        connect();
        return ok('HELLO\n');
      }
      const append = /^echo (.*) >> (\S+)$/.exec(line);
      if (append) {
        files[append[2]] = (files[append[2]] ?? '') + append[1] + '\n';
        return ok('');
      }
      throw new Error(`unexpected command: ${line}`);
    };
    const context = () => ({
      run,
      readFile: async (path: string) => files[path],
      snapshot: { time: 0, units: [], journal: journal.map((entry) => ({ timestamp: 0, unit: entry.unit, identifier: 'systemd', pid: 1, message: entry.message, priority: 6, boot: 0 })) },
    });
    return { run, connect, context, restartSocket: () => (accepted = 0) };
  }

  it('the checks\' connections are not the learner\'s, also after a restart of the socket numbers instances from 0', async () => {
    const m = machine(true);
    await connectForCheck(m.run, 'echo.socket', 'echo hello | nc -N 127.0.0.1 7777');
    m.restartSocket();
    m.connect();
    expect(await learnerInstances(m.context(), 'echo.socket', INSTANCE)).toEqual(['echo@0-127.0.0.1:7777-127.0.0.1:40001.service']);
    m.connect();
    expect(await learnerInstances(m.context(), 'echo.socket', INSTANCE)).toHaveLength(2);
  });

  it('without unit names in the journal messages, the instance numbers of the checks are left out', async () => {
    const m = machine(false);
    m.connect();
    await connectForCheck(m.run, 'echo.socket', 'echo hello | nc -N 127.0.0.1 7777');
    m.connect();
    expect(await learnerInstances(m.context(), 'echo.socket', INSTANCE)).toEqual([
      'echo@0-127.0.0.1:7777-127.0.0.1:40000.service',
      'echo@2-127.0.0.1:7777-127.0.0.1:40002.service',
    ]);
  });
});
