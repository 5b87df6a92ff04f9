/** stat and rm as coreutils 9.1 print them (outputs taken from Debian 12), on the memory kernel. */
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
