/**
 * The tools that show a Unix socket node being replaced: `ls -i`, `stat`, `ss -xlp` (path and socket
 * inode, every holder), and a program that unlinks a bound path and binds its own there, as
 * dbus-daemon and dockerd do. Real systemd 252 + dbus-daemon 1.14.10 (nspawn) showed: two LISTEN rows
 * for one path, the old one held by systemd only once the daemon stopped, a new file inode, and
 * "Connection refused" at the path while the socket unit still says "active (listening)".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLabMachine, type LabMachine } from '../../../src/lab/runtime/in-page/lab-machine.ts';
import { runToEnd } from '../../../src/lab/definition/goal-checks.ts';

const machines: LabMachine[] = [];
afterEach(async () => {
  await Promise.all(machines.splice(0).map((machine) => machine.dispose()));
});

const REPLACER = `#!/usr/bin/env node
const fs = require('fs');
const net = require('net');
fs.unlinkSync('/run/x/x.sock');
net.createServer((c) => c.end('from the daemon\\n')).listen('/run/x/x.sock', () => {
  fs.chmodSync('/run/x/x.sock', 0o660);
  fs.chownSync('/run/x/x.sock', 0, 999);
  console.log('bound my own');
});
`;

async function boot(): Promise<(line: string) => Promise<{ exitCode: number; stdout: string; stderr: string }>> {
  const machine = await createLabMachine({
    '/etc/systemd/system/x.socket': '[Socket]\nListenStream=/run/x/x.sock\nSocketMode=0600\n',
    '/etc/systemd/system/x.service': '[Service]\nExecStart=/opt/x/replacer\n',
    '/opt/x/replacer': REPLACER,
  }, { hostname: 'lab' });
  machines.push(machine);
  const runtime = { run: (line: string, output: (text: string, stream: 'stdout' | 'stderr') => void) => machine.run(line, output) };
  return (line) => runToEnd(runtime, line);
}

describe('a daemon that replaces the socket node systemd listens on', () => {
  it('ls -i and stat show a new inode, owner and mode; ss -xlp shows both sockets on the path', async () => {
    const run = await boot();
    expect((await run('systemctl start x.socket')).exitCode).toBe(0);
    const before = (await run('stat -c "%i %a %U %G %F" /run/x/x.sock')).stdout.trim().split(' ');
    expect(before.slice(1)).toEqual(['600', 'root', 'root', 'socket']);
    expect((await run('ls -i /run/x/x.sock')).stdout).toBe(`${before[0]} /run/x/x.sock\n`);
    expect((await run('systemctl start x.service')).exitCode).toBe(0);
    await run('sleep 0.5');
    const after = (await run('stat -c "%i %a %U %G" /run/x/x.sock')).stdout.trim().split(' ');
    expect(after[0]).not.toBe(before[0]);
    expect(after.slice(1)).toEqual(['660', 'root', 'docker']);
    // The lab machine's Debian has its own listening sockets (journald's, dbus's): the rows of this path.
    const rows = (await run('ss -xlp')).stdout.trimEnd().split('\n').filter((row) => row.includes('/run/x/x.sock'));
    expect(rows).toHaveLength(2);
    // The passed socket: the service's copy first (higher PID), then systemd's. ss names a holder by its comm: a
    // `#!/usr/bin/env node` script is "node" (as real ss shows hello-web in lesson-security-2); lines are padded.
    expect(rows[0]).toMatch(/^u_str\s+LISTEN\s+\d+\s+\d+\s+\/run\/x\/x\.sock \d+\s+\* 0\s+users:\(\("node",pid=\d+,fd=3\),\("systemd",pid=1,fd=\d+\)\)\s*$/);
    expect(rows[1]).toMatch(/^u_str\s+LISTEN\s+\d+\s+\d+\s+\/run\/x\/x\.sock \d+\s+\* 0\s+users:\(\("node",pid=\d+,fd=4\)\)\s*$/);
    expect((await run('echo | nc -U /run/x/x.sock')).stdout).toBe('from the daemon\n');
  });

  it('once the daemon stops, the path refuses connections while the socket unit still listens', async () => {
    const run = await boot();
    await run('systemctl start x.socket x.service');
    await run('sleep 0.5');
    await run('systemctl stop x.service');
    expect((await run('systemctl is-active x.socket')).stdout).toBe('active\n');
    // The lab machine's Debian has its own listening sockets (journald's, dbus's): the rows of this path.
    const rows = (await run('ss -xlp')).stdout.trimEnd().split('\n').filter((row) => row.includes('/run/x/x.sock'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/users:\(\("systemd",pid=1,fd=\d+\)\)$/);
    const refused = await run('echo | nc -U /run/x/x.sock');
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toBe('nc: /run/x/x.sock: Connection refused\n');
    expect((await run('systemctl is-active x.service')).stdout).toBe('inactive\n');
  });
});

describe('ls -li and systemctl show -p ExecStart', () => {
  it('ls -li puts the inode column first; show prints the command as systemd 252 does', async () => {
    const run = await boot();
    const listing = (await run('ls -li /opt/x')).stdout.split('\n');
    expect(listing[1]).toMatch(/^\d+ -rw\S* 1 root root +\d+ \w{3} [ \d]\d \d\d:\d\d replacer$/);
    expect((await run('systemctl show -p ExecStart x.service')).stdout).toBe(
      'ExecStart={ path=/opt/x/replacer ; argv[]=/opt/x/replacer ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }\n',
    );
  });

  it('stat of a missing path says so', async () => {
    const run = await boot();
    expect(await run('stat /nope')).toEqual({ exitCode: 1, stdout: '', stderr: "stat: cannot statx '/nope': No such file or directory\n" });
  });
});
