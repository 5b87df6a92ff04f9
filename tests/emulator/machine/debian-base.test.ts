/**
 * A lab machine is the Debian 12 the oracle boots (src/emulator/machine/debian-base.ts): Debian's unit files and
 * links, and every unit in the state that boot left it in. Expected lines are real systemd 252's (the oracle's
 * `systemctl list-units --all`, `status`, `ss -tlnp` of a freshly booted container).
 */
import { describe, expect, it } from 'vitest';
import { bootMemoryMachine, type LabSystem } from '../../../src/emulator/machine/lab-system.ts';

async function run(lab: LabSystem, line: string): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await lab.runCommandLine(line, { stdout: (t) => (out += t), stderr: (t) => (out += t), signal: new AbortController().signal, columns: 200 });
  return { code, out };
}

const row = (out: string, name: string): string | undefined => out.split('\n').find((line) => line.trim().startsWith(name + ' '))?.trim().replace(/\s+/g, ' ');

describe('the lab machine is a booted Debian 12', () => {
  it('has the base units in their boot states: mounts, timers, oneshots, daemons, sockets, skipped units', async () => {
    const lab = await bootMemoryMachine({}, 'lab');
    const { out } = await run(lab, 'systemctl list-units --all --no-pager');
    expect(row(out, 'tmp.mount')).toBe('tmp.mount loaded active mounted /tmp');
    expect(row(out, 'dev-hugepages.mount')).toBe('dev-hugepages.mount loaded active mounted Huge Pages File System');
    expect(row(out, 'sys-kernel-debug.mount')).toBe('sys-kernel-debug.mount loaded inactive dead Kernel Debug File System');
    expect(row(out, 'apt-daily.timer')).toBe('apt-daily.timer loaded active waiting Daily apt download activities');
    expect(row(out, 'systemd-sysctl.service')).toBe('systemd-sysctl.service loaded active exited Apply Kernel Variables');
    expect(row(out, 'dbus.service')).toBe('dbus.service loaded active running D-Bus System Message Bus');
    expect(row(out, 'dbus.socket')).toBe('dbus.socket loaded active running D-Bus System Message Bus Socket');
    expect(row(out, 'systemd-journald.socket')).toBe('systemd-journald.socket loaded active running Journal Socket');
    expect(row(out, 'systemd-initctl.socket')).toBe('systemd-initctl.socket loaded active listening initctl Compatibility Named Pipe');
    // ConditionSecurity=audit failed at the real boot: the socket stays dead, and a start is skipped again.
    expect(row(out, 'systemd-journald-audit.socket')).toBe('systemd-journald-audit.socket loaded inactive dead Journal Audit Socket');
    await run(lab, 'systemctl start systemd-journald-audit.socket');
    expect((await run(lab, 'systemctl is-active systemd-journald-audit.socket')).out).toBe('inactive\n');
    // status names the condition the real boot found unmet (the oracle's lesson-other-socket-types-5).
    const status = (await run(lab, 'systemctl status systemd-journald-audit.socket')).out;
    expect(status).toMatch(/\n {2}Condition: start condition failed at .*; .* ago\n {13}└─ ConditionCapability=CAP_AUDIT_READ was not met\n {7}Docs:/);
  });

  it('boots without the messages PID 1 logs while loading (before journald runs), with the boot jobs\' ones', async () => {
    const lab = await bootMemoryMachine({ '/etc/systemd/system/x.socket': '[Socket]\nListenStrem=1234\n', '/etc/systemd/system/sockets.target.wants/x.socket': '' }, 'lab');
    const { out } = await run(lab, 'journalctl --no-pager -o cat');
    expect(out).toContain('Listening on dbus.socket - D-Bus System Message Bus Socket.');
    expect(out).not.toContain("Unknown key 'ListenStrem'");
    // A daemon-reload reads every unit again: PID 1 logs the lab's unit's warning, and nothing about Debian's own
    // units (their audit and networkd sockets' ListenNetlink= is modelled).
    await run(lab, 'systemctl daemon-reload');
    const after = (await run(lab, 'journalctl --no-pager -o cat')).out;
    expect(after).toContain("/etc/systemd/system/x.socket:2: Unknown key 'ListenStrem' in section [Socket], ignoring.");
    expect(after).not.toContain('systemd-journald-audit.socket:');
  });

  it('runs Debian\'s sshd from boot on port 22 (0.0.0.0 and IPv6-only [::]), as ss -tlnp shows it', async () => {
    const lab = await bootMemoryMachine({}, 'lab');
    const rows = (await run(lab, 'ss -tlnp')).out.split('\n').map((line) => line.trim().replace(/\s+/g, ' ').replace(/pid=\d+/, 'pid=N'));
    expect(rows).toContain('LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=N,fd=3))');
    expect(rows).toContain('LISTEN 0 128 [::]:22 [::]:* users:(("sshd",pid=N,fd=4))');
    // As Debian 12's sshd answers a client that does not speak SSH (oracle scenario base-sshd).
    expect((await run(lab, 'echo hello | nc -N 127.0.0.1 22')).out).toBe('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\nInvalid SSH identification string.\r\n');
  });

  it('a daemon of the base that stops is inactive, and starts again into its boot state', async () => {
    const lab = await bootMemoryMachine({}, 'lab');
    await run(lab, 'systemctl stop systemd-logind.service');
    expect((await run(lab, 'systemctl is-active systemd-logind.service')).out).toBe('inactive\n');
    expect((await run(lab, 'journalctl -u systemd-logind --no-pager -o cat')).out).toContain('Stopped systemd-logind.service - User Login Management.');
    await run(lab, 'systemctl start systemd-logind.service');
    expect((await run(lab, 'systemctl is-active systemd-logind.service')).out).toBe('active\n');
  });

  it('a unit whose file the lab ships runs the lab\'s file, even a copy of Debian\'s (with the lab\'s own program)', async () => {
    const lab = await bootMemoryMachine({
      '/etc/systemd/system/dbus.service': '[Unit]\nDescription=lab bus\n[Service]\nExecStart=/usr/bin/dbus-daemon\n',
      '/usr/bin/dbus-daemon': '#!/usr/bin/env node\nconsole.log("lab bus up");\nsetInterval(() => {}, 1000);\n',
    }, 'lab');
    await run(lab, 'sleep 0.3');
    const status = (await run(lab, 'systemctl status dbus.service')).out;
    expect(status).toContain('Loaded: loaded (/etc/systemd/system/dbus.service; static)');
    expect(status).toMatch(/Main PID: \d+ \(node\)/);
    expect((await run(lab, 'journalctl -u dbus.service --no-pager -o cat')).out).toContain('lab bus up');
  });

  it('lists Debian\'s unit files with their states: aliases, static, masked', async () => {
    const lab = await bootMemoryMachine({}, 'lab');
    const files = (await run(lab, "systemctl list-unit-files 'dbus*' 'x11*' --no-pager")).out;
    expect(row(files, 'dbus-org.freedesktop.login1.service')).toBe('dbus-org.freedesktop.login1.service alias -');
    expect(row(files, 'dbus.socket')).toBe('dbus.socket static -');
    expect(row(files, 'x11-common.service')).toBe('x11-common.service masked enabled');
  });
});
