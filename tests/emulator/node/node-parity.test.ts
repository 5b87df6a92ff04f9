/**
 * What the Node kernel does that the in-memory kernel did alone before: the emulator's built-in programs as
 * pseudo-processes (systemd-socket-proxyd, the user manager), datagram sockets and FIFOs modelled where libc
 * is missing (--shim, as in a WebContainer), owners the host cannot give kept in the machine's view, and
 * connect(2) to a Unix socket checked against its node's mode. Each machine runs in --shim mode, in a network
 * namespace of its own where the test is root on Linux (its ports are fixed).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { bootNodeMachine, type NodeLabSystem } from '../../../src/emulator/machine/node-machine.ts';
import { enterPrivateNetwork } from '../../lessons/private-network.ts';
import { labMachineOf } from '../../../src/lab/runtime/in-page/lab-machine.ts';
import { runToEnd } from '../../../src/lab/definition/goal-checks.ts';
import type { LabRuntime } from '../../../src/lab/runtime/lab-runtime.ts';

const machines: NodeLabSystem[] = [];
afterEach(async () => {
  await Promise.all(machines.splice(0).map((machine) => machine.dispose()));
});

/** Boots a --shim Node-kernel machine with `files`; run() returns what a command line printed and its exit code. */
async function boot(files: Record<string, string>) {
  const reason = enterPrivateNetwork();
  if (reason) console.warn(`node-parity: running in this machine's network: ${reason}`);
  const machine = await bootNodeMachine(files, 'parity', { shim: true });
  machines.push(machine);
  const lab = labMachineOf(machine, async () => undefined);
  const runtime = { run: (line, output, options) => lab.run(line, output, options?.columns) } as Pick<LabRuntime, 'run'>;
  const run = async (line: string) => {
    const result = await runToEnd(runtime as LabRuntime, line);
    return { out: result.stdout + result.stderr, code: result.exitCode };
  };
  return { machine, run };
}

const BACKEND = `#!/usr/bin/env node
require('http').createServer((request, response) => response.end('backend ' + process.pid + '\\n')).listen(8401, '127.0.0.1');
`;

describe('built-in programs on the Node kernel', () => {
  it('systemd-socket-proxyd runs as a pseudo-process: its first connection starts it, ss shows it on fd 3', async () => {
    const { run } = await boot({
      '/opt/backend/backend': BACKEND,
      '/etc/systemd/system/backend.service': '[Service]\nExecStart=/opt/backend/backend\nExecStartPost=/bin/sleep 0.5\n',
      '/etc/systemd/system/proxy.socket': '[Socket]\nListenStream=127.0.0.1:8400\n',
      '/etc/systemd/system/proxy.service': '[Unit]\nRequires=backend.service\nAfter=backend.service\n[Service]\nExecStart=/lib/systemd/systemd-socket-proxyd 127.0.0.1:8401\n',
    });
    expect((await run('systemctl start proxy.socket')).code).toBe(0);
    const reply = await run('curl -s http://127.0.0.1:8400/');
    expect(reply.out).toMatch(/^backend \d+\n$/);
    const main = Number((await run('systemctl show -p MainPID --value proxy.service')).out.trim());
    expect(main).toBeGreaterThan(4_194_304); // above pid_max: never a real process's pid
    // ss prints the comm, cut to 15 characters by the kernel (real ss in lesson-socket-proxyd-2: "systemd-socket-").
    expect((await run('ss -tlpn')).out).toMatch(new RegExp(`127\\.0\\.0\\.1:8400 .*\\("systemd-socket-",pid=${main},fd=3\\)`));
  });

  it('a user manager (user@1000.service) runs the user units of student', async () => {
    const { run } = await boot({
      '/lib/systemd/system/user@.service': '[Unit]\nDescription=User Manager for UID %i\n[Service]\nUser=%i\nType=notify\nExecStart=/lib/systemd/systemd --user\n',
      '/home/student/.config/systemd/user/hi.service': '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n',
    });
    expect((await run('systemctl start user@1000.service')).code).toBe(0);
    expect((await run('systemctl is-active user@1000.service')).out.trim()).toBe('active');
    expect((await run('systemctl --user -M student@ start hi.service')).code).toBe(0);
    expect((await run('systemctl --user -M student@ is-active hi.service')).out.trim()).toBe('active');
  });
});

describe('sockets the host cannot make or own', () => {
  it('ListenDatagram= and ListenFIFO= are modelled in --shim mode: the nodes exist with their mode and group', async () => {
    const { run } = await boot({
      '/etc/systemd/system/log.socket': '[Socket]\nListenDatagram=/run/parity/log\nSocketMode=0666\nSymlinks=/dev/parity\n',
      '/etc/systemd/system/log.service': '[Service]\nExecStart=/bin/true\n',
      '/etc/systemd/system/ctl.socket': '[Socket]\nListenFIFO=/run/parity/ctl\nSocketMode=0620\nSocketGroup=adm\nRemoveOnStop=yes\n',
      '/etc/systemd/system/ctl.service': '[Service]\nExecStart=/bin/true\n',
    });
    expect((await run('systemctl start log.socket ctl.socket')).code).toBe(0);
    expect((await run("stat -c '%F %a' /run/parity/log")).out.trim()).toBe('socket 666');
    expect((await run('stat -c %N /dev/parity')).out.trim()).toBe("'/dev/parity' -> '/run/parity/log'");
    expect((await run("stat -c '%A %U %G' /run/parity/ctl")).out.trim()).toBe('prw--w---- root adm');
    expect((await run('ss -xl')).out).toMatch(/^u_dgr +UNCONN .*\/run\/parity\/log/m);
    expect((await run('systemctl restart ctl.socket')).code).toBe(0);
    expect((await run('systemctl stop ctl.socket')).code).toBe(0);
    expect((await run('stat /run/parity/ctl')).code).not.toBe(0); // RemoveOnStop=yes
  });

  it('a relayed Unix socket gets SocketMode=/SocketGroup= (a group only the machine has, docker), and only its group may connect', async () => {
    const { run } = await boot({
      '/opt/api/api': "#!/usr/bin/env node\nrequire('http').createServer((q, r) => r.end('OK')).listen({ fd: 3 });\n",
      '/etc/systemd/system/api.socket': '[Socket]\nListenStream=/run/api.sock\nSocketMode=0660\nSocketGroup=docker\n',
      '/etc/systemd/system/api.service': '[Service]\nExecStart=/opt/api/api\n',
    });
    expect((await run('systemctl start api.socket')).code).toBe(0);
    expect((await run("stat -c '%A %U %G' /run/api.sock")).out.trim()).toBe('srw-rw---- root docker');
    // ss -x: the socket's inode in the Port column and `* 0` for the peer, as ss prints a listening Unix socket.
    expect((await run('ss -xl src /run/api.sock')).out).toMatch(/^u_str +LISTEN +0 +4096 +\/run\/api\.sock \d+ +\* 0 *$/m);
    expect((await run('curl -s --unix-socket /run/api.sock http://localhost/')).out).toBe('OK');
    const denied = await run('runuser -u student -- curl -sS --unix-socket /run/api.sock http://localhost/');
    expect(denied.code).not.toBe(0);
    expect(denied.out).toMatch(/^curl: \(7\) Failed to connect/);
  });
});

describe('User= where the emulator cannot switch users', () => {
  it('the preload shim gives a Node service the identity of EMULATOR_UID/EMULATOR_GID and hides the variables', () => {
    const shim = fileURLToPath(new URL('../../../src/emulator/kernel/node/service-runtime/listen-fds-shim.cjs', import.meta.url));
    const seen = spawnSync(process.execPath, ['--require', shim, '-e', 'console.log(process.getuid(), process.geteuid(), process.getgid(), process.env.EMULATOR_UID ?? "hidden")'], {
      env: { ...process.env, EMULATOR_UID: '1000', EMULATOR_GID: '4' },
      encoding: 'utf8',
    });
    expect(seen.stdout).toBe('1000 1000 4 hidden\n');
  });
});
