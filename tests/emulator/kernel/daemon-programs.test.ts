/**
 * The labs' daemons (labs/docker-socket, labs/sshd: the real lab files, solution applied) under the real
 * manager on the memory kernel, with a virtual clock.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryKernel } from '../../../src/emulator/kernel/memory/memory-kernel.ts';
import { createDefaultSystem } from '../../../src/emulator/commands/index.ts';
import { registerShellCommands } from '../../../src/emulator/commands/shell-commands.ts';
import { createShell } from '../../../src/emulator/shell/run-command-line.ts';
import type { CommandIO } from '../../../src/emulator/system.ts';
import { loadLab } from '../../../src/lab/definition/lab-catalog.ts';

/** The lab's files with its solution, the sockets linked into sockets.target.wants (the image's empty-file rule). */
async function labFiles(id: string, sockets: string[]): Promise<Record<string, string>> {
  const bundle = await loadLab(id);
  return { ...bundle.files, ...bundle.solution, ...Object.fromEntries(sockets.map((name) => [`/etc/systemd/system/sockets.target.wants/${name}`, ''])) };
}

const SSH_BANNER = 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10';

/** A booted machine with the daemons and a root shell. */
async function boot() {
  const files = { ...(await labFiles('docker-socket', ['docker.socket'])), ...(await labFiles('sshd', ['sshd.socket'])) };
  const kernel = createMemoryKernel({ files });
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
    const kernel = createMemoryKernel({ files: await labFiles('docker-socket', []) });
    const lines: string[] = [];
    let status: unknown;
    kernel.processes.spawn({ argv: ['/usr/sbin/dockerd', '-H', 'fd://'], env: {}, setListenPid: true, fds: [], unit: 'docker.service', onOutput: (l) => lines.push(l), onNotify: () => {} }).onExit((s) => (status = s));
    await kernel.runUntilIdle();
    expect(status).toEqual({ code: 1 });
    // The lab's dockerd logs its initialization first, as dockerd does, then fails on loading the listeners.
    expect(lines.at(-1)).toContain('no sockets found via socket activation');
  });
});
