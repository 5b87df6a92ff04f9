/**
 * Lab folders hold no symlinks: an empty file named in another lab unit's `Alias=` stands for the alias
 * link `systemctl enable` makes, as Debian 12's openssh-server leaves /etc/systemd/system/sshd.service
 * → /lib/systemd/system/ssh.service (real systemd 252: `disable ssh.service` removes it first).
 */
import { describe, expect, it } from 'vitest';
import { aliasTarget, createMemoryKernel } from '../../../src/emulator/kernel/memory/memory-kernel.ts';
import { labMachineFiles } from '../../oracle/machine-files.ts';

const FILES = {
  '/lib/systemd/system/ssh.service': '[Service]\nExecStart=/usr/sbin/sshd -D\n\n[Install]\nWantedBy=multi-user.target\nAlias=sshd.service\n',
  '/etc/systemd/system/sshd.service': '',
  '/etc/systemd/system/other.service': '',
};

describe('alias links in lab files', () => {
  it('an empty file named in Alias= is that alias; an empty file nobody aliases stays a file', () => {
    expect(aliasTarget('/etc/systemd/system/sshd.service', FILES)).toBe('/lib/systemd/system/ssh.service');
    expect(aliasTarget('/etc/systemd/system/other.service', FILES)).toBeUndefined();
    expect(aliasTarget('/etc/systemd/system/ssh.service', { ...FILES, '/etc/systemd/system/ssh.service': '' })).toBeUndefined();
  });

  it('the memory kernel and the oracle machine make the same symlink', () => {
    const kernel = createMemoryKernel({ files: FILES });
    expect(kernel.fs.readlink('/etc/systemd/system/sshd.service')).toBe('/lib/systemd/system/ssh.service');
    expect(kernel.fs.lstat('/etc/systemd/system/other.service')?.type).toBe('file');
    expect(labMachineFiles(FILES).find((file) => file.path === '/etc/systemd/system/sshd.service')).toEqual({
      path: '/etc/systemd/system/sshd.service', kind: 'symlink', target: '/lib/systemd/system/ssh.service',
    });
  });
});
