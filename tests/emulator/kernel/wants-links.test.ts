/** Lab files and fixtures write an empty file where `systemctl enable` would put a symlink. */
import { describe, expect, it } from 'vitest';
import { createMemoryKernel } from '../../../src/emulator/kernel/memory/memory-kernel.ts';

describe('memory kernel: empty .wants entries', () => {
  it('become symlinks to the unit file, wherever the unit lives', () => {
    const kernel = createMemoryKernel({
      files: {
        '/lib/systemd/system/ssh.socket': '[Socket]\nListenStream=22\n',
        '/etc/systemd/system/sockets.target.wants/ssh.socket': '',
        '/etc/systemd/system/multi-user.target.wants/web.service': '',
      },
    });
    expect(kernel.fs.lstat('/etc/systemd/system/sockets.target.wants/ssh.socket')?.type).toBe('symlink');
    expect(kernel.fs.readlink('/etc/systemd/system/sockets.target.wants/ssh.socket')).toBe('/lib/systemd/system/ssh.socket');
    expect(kernel.fs.readlink('/etc/systemd/system/multi-user.target.wants/web.service')).toBe('/etc/systemd/system/web.service');
  });

  it('a non-empty file in a .wants directory stays a file', () => {
    const kernel = createMemoryKernel({ files: { '/etc/systemd/system/sockets.target.wants/x.socket': '[Socket]\nListenStream=1\n' } });
    expect(kernel.fs.lstat('/etc/systemd/system/sockets.target.wants/x.socket')?.type).toBe('file');
  });
});
