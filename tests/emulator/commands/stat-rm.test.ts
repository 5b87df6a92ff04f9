/** stat, rm (coreutils 9.1) and logger (util-linux 2.38) as Debian 12 prints them, on the memory kernel. */
import { describe, expect, it } from 'vitest';
import { machine } from '../shell/helpers.ts';
import { listenOptions } from '../kernel/helpers.ts';

describe('stat', () => {
  it('prints the -c sequences for a socket node, a FIFO and a symlink', async () => {
    const m = machine();
    m.kernel.net.listen(listenOptions('/run/notes/log'));
    m.kernel.fs.symlink('/run/notes/log', '/dev/notes');
    m.kernel.net.listen({ ...listenOptions('/run/notes/control'), address: { kind: 'fifo', family: 'fifo', path: '/run/notes/control', text: '/run/notes/control' }, socketMode: 0o620, socketGroup: 'adm' });
    expect((await m.run("stat -c '%F %a %U %G %N' /run/notes/log /run/notes/control /dev/notes")).stdout).toBe(
      "socket 666 root root '/run/notes/log'\nfifo 620 root adm '/run/notes/control'\nsymbolic link 777 root root '/dev/notes' -> '/run/notes/log'\n",
    );
    expect((await m.run('stat -L -c %F /dev/notes')).stdout).toBe('socket\n');
    expect((await m.run("stat -c '%A %u %g' /run/notes/control")).stdout).toBe('prw--w---- 0 4\n');
  });

  it('prints the default form and names a missing file as coreutils does', async () => {
    const m = machine({ files: { '/etc/empty': '', '/etc/hostname': 'notes\n' } });
    const long = await m.run('stat /etc/hostname');
    expect(long.stdout).toMatch(/^  File: \/etc\/hostname\n  Size: 6         \tBlocks: 8          IO Block: 4096   regular file\nDevice: 0,26\tInode: \d+ +Links: 1\nAccess: \(0644\/-rw-r--r--\)  Uid: \(    0\/    root\)   Gid: \(    0\/    root\)\nAccess: \d{4}-/);
    expect((await m.run('stat -c %F /etc/empty')).stdout).toBe('regular empty file\n');
    const missing = await m.run('stat /nope');
    expect(missing).toMatchObject({ status: 1, stderr: "stat: cannot statx '/nope': No such file or directory\n" });
  });
});

describe('rm', () => {
  it('removes a FIFO node, refuses a directory, and -f ignores what is missing', async () => {
    const m = machine();
    m.kernel.net.listen({ ...listenOptions('/run/x.fifo'), address: { kind: 'fifo', family: 'fifo', path: '/run/x.fifo', text: '/run/x.fifo' } });
    expect((await m.run('rm /run/x.fifo')).status).toBe(0);
    expect(m.kernel.fs.lstat('/run/x.fifo')).toBeUndefined();
    expect(await m.run('rm /run/x.fifo')).toMatchObject({ status: 1, stderr: "rm: cannot remove '/run/x.fifo': No such file or directory\n" });
    expect(await m.run('rm -f /run/x.fifo')).toMatchObject({ status: 0, stderr: '' });
    expect(await m.run('rm /run')).toMatchObject({ status: 1, stderr: "rm: cannot remove '/run': Is a directory\n" });
  });
});

describe('logger', () => {
  it('sends one syslog datagram, falls back to a stream socket, and names the socket in its errors', async () => {
    const m = machine();
    const dgram = m.kernel.net.listen({ ...listenOptions('/run/dg.sock'), address: { kind: 'datagram', family: 'unix', path: '/run/dg.sock', text: '/run/dg.sock' } });
    const stream = m.kernel.net.listen(listenOptions('/run/st.sock'));
    m.kernel.net.listen({ ...listenOptions('/run/ff.fifo'), address: { kind: 'fifo', family: 'fifo', path: '/run/ff.fifo', text: '/run/ff.fifo' } });
    expect(await m.run('logger -u /run/dg.sock hello')).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(dgram.pending()).toBe(1);
    expect((await m.run('logger -u /run/st.sock hello')).status).toBe(0);
    expect(stream.pending()).toBe(1);
    // tests/oracle/golden/logger-errors.json
    expect(await m.run('logger -u /run/nope hello')).toMatchObject({ status: 1, stderr: 'logger: socket /run/nope: No such file or directory\n' });
    expect(await m.run('logger -u /run/ff.fifo hello')).toMatchObject({ status: 1, stderr: 'logger: socket /run/ff.fifo: Connection refused\n' });
    expect(await m.run('echo hello > /run/dg.sock')).toMatchObject({ status: 1, stderr: 'bash: /run/dg.sock: No such device or address\n' });
  });
});
