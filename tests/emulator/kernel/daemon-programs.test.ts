import { describe, expect, it } from 'vitest';
import { createMemoryKernel } from '../../../src/emulator/kernel/memory/memory-kernel.ts';
import { daemonPrograms } from '../../../src/emulator/kernel/memory/programs/index.ts';
import { SSH_BANNER } from '../../../src/emulator/kernel/memory/programs/sshd.ts';
import { createDefaultSystem } from '../../../src/emulator/commands/index.ts';
import { registerShellCommands } from '../../../src/emulator/commands/shell-commands.ts';
import { createShell } from '../../../src/emulator/shell/run-command-line.ts';
import type { CommandIO } from '../../../src/emulator/system.ts';

const UNITS: Record<string, string> = {
  '/lib/systemd/system/docker.socket': '[Unit]\nDescription=Docker Socket for the API\n\n[Socket]\nListenStream=/run/docker.sock\nSocketMode=0660\nSocketUser=root\nSocketGroup=docker\n\n[Install]\nWantedBy=sockets.target\n',
  '/lib/systemd/system/docker.service': '[Unit]\nDescription=Docker Application Container Engine\nRequires=docker.socket\n\n[Service]\nType=notify\nExecStart=/usr/bin/dockerd -H fd://\n',
  '/etc/systemd/system/sshd.socket': '[Unit]\nDescription=OpenBSD Secure Shell server socket\n\n[Socket]\nListenStream=2222\nAccept=yes\n\n[Install]\nWantedBy=sockets.target\n',
  '/etc/systemd/system/sshd@.service': '[Unit]\nDescription=OpenBSD Secure Shell server per-connection daemon\n\n[Service]\nExecStart=-/usr/sbin/sshd -i\nStandardInput=socket\n',
};

/** A booted machine with the daemons and a root shell. */
async function boot() {
  const kernel = createMemoryKernel({ files: UNITS, programs: daemonPrograms });
  kernel.fs.symlink('/lib/systemd/system/docker.socket', '/etc/systemd/system/sockets.target.wants/docker.socket');
  kernel.fs.symlink('/etc/systemd/system/sshd.socket', '/etc/systemd/system/sockets.target.wants/sshd.socket');
  const system = createDefaultSystem(kernel);
  registerShellCommands(system);
  const booting = system.boot();
  await kernel.runUntilIdle(10_000);
  await booting;
  const shell = createShell(system, { USER: 'root' });
  const run = async (line: string, stdin?: string) => {
    let out = '';
    let err = '';
    const ends: Array<() => void> = [];
    const datas: Array<(t: string) => void> = [];
    const io: CommandIO = { stdout: (t) => (out += t), stderr: (t) => (err += t), signal: new AbortController().signal, stdin: { onData: (cb) => (datas.push(cb), () => {}), onEnd: (cb) => (ends.push(cb), () => {}) } };
    const done = shell.run(line, io);
    for (let i = 0; i < 30; i++) await Promise.resolve();
    if (stdin) datas.forEach((cb) => cb(stdin));
    ends.forEach((cb) => cb());
    await kernel.runUntilIdle(120_000);
    return { status: await done, out, err };
  };
  return { kernel, system, run };
}

describe('built-in daemons under the real manager', () => {
  it('dockerd -H fd:// is activated by docker.socket and answers /version; a non-member is refused', async () => {
    const m = await boot();
    const r = await m.run('curl -s --unix-socket /run/docker.sock http://localhost/version');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ Version: '20.10.24+dfsg1', ApiVersion: '1.41' });
    expect((await m.run('systemctl is-active docker.service')).out).toBe('active\n');
    const denied = await m.run('sudo -u student curl -sS --unix-socket /run/docker.sock http://localhost/_ping');
    expect(denied.status).toBe(7);
  });

  it('sshd -i per connection (Accept=yes, StandardInput=socket) sends the OpenSSH banner', async () => {
    const m = await boot();
    const r = await m.run('nc -N localhost 2222', 'SSH-2.0-OpenSSH_9.2p1\r\n');
    expect(r.out).toBe(SSH_BANNER + '\r\n');
  });

  it('dockerd without sockets from systemd fails as the real one does', async () => {
    const kernel = createMemoryKernel({ programs: daemonPrograms });
    const lines: string[] = [];
    let status: unknown;
    kernel.processes.spawn({ argv: ['/usr/bin/dockerd', '-H', 'fd://'], env: {}, setListenPid: true, fds: [], unit: 'docker.service', onOutput: (l) => lines.push(l), onNotify: () => {} }).onExit((s) => (status = s));
    await kernel.runUntilIdle();
    expect(status).toEqual({ code: 1 });
    expect(lines[0]).toContain('no sockets found via socket activation');
  });
});
