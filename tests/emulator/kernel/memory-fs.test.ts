import { describe, expect, it } from 'vitest';
import { createMemoryKernel } from '../../../src/emulator/kernel/memory/memory-kernel.ts';
import { VirtualClock } from '../../../src/emulator/kernel/memory/virtual-clock.ts';
import { tick } from './helpers.ts';

describe('in-memory file system', () => {
  it('starts as a small Debian: merged /usr links, users, /dev/null, /tmp sticky', () => {
    const k = createMemoryKernel({ files: { '/etc/systemd/system/a.socket': '[Socket]\nListenStream=1\n' } });
    expect(k.fs.readlink('/lib')).toBe('usr/lib');
    expect(k.fs.stat('/lib/systemd/system')?.type).toBe('directory');
    expect(k.fs.readFile('/etc/passwd')).toContain('student:x:1000:1000::/home/student:/bin/bash');
    expect(k.fs.readFile('/etc/group')).toContain('docker:x:999:');
    k.fs.writeFile('/dev/null', 'gone');
    expect(k.fs.readFile('/dev/null')).toBe('');
    expect(k.fs.stat('/tmp')?.mode).toBe(0o1777);
    expect(k.fs.readdir('/etc/systemd/system')).toEqual(['a.socket', 'multi-user.target.wants', 'sockets.target.wants']);
  });

  it('follows symlinks, lstat does not, dangling links stat as absent, loops are ELOOP', () => {
    const k = createMemoryKernel();
    k.fs.writeFile('/etc/systemd/system/x.service', 'x');
    k.fs.symlink('/etc/systemd/system/x.service', '/etc/systemd/system/multi-user.target.wants/x.service');
    expect(k.fs.readFile('/etc/systemd/system/multi-user.target.wants/x.service')).toBe('x');
    expect(k.fs.lstat('/etc/systemd/system/multi-user.target.wants/x.service')?.type).toBe('symlink');
    k.fs.symlink('/nowhere', '/tmp/dangling');
    expect(k.fs.stat('/tmp/dangling')).toBeUndefined();
    expect(k.fs.lstat('/tmp/dangling')?.type).toBe('symlink');
    k.fs.symlink('/tmp/b', '/tmp/a');
    k.fs.symlink('/tmp/a', '/tmp/b');
    expect(() => k.fs.readFile('/tmp/a')).toThrow(expect.objectContaining({ code: 'ELOOP', message: 'Too many levels of symbolic links' }));
  });

  it("errors carry errno codes and Linux's strerror texts", () => {
    const k = createMemoryKernel();
    expect(() => k.fs.readFile('/etc/nope')).toThrow(expect.objectContaining({ code: 'ENOENT', message: 'No such file or directory' }));
    expect(() => k.fs.readFile('/etc')).toThrow(expect.objectContaining({ code: 'EISDIR', message: 'Is a directory' }));
    expect(() => k.fs.readdir('/etc/hostname')).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
    expect(() => k.fs.writeFile('/no/dir/f', '')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => k.fs.mkdir('/etc')).toThrow(expect.objectContaining({ code: 'EEXIST', message: 'File exists' }));
    expect(() => k.fs.readlink('/etc/hostname')).toThrow(expect.objectContaining({ code: 'EINVAL' }));
  });

  it('watch() reports changes under a directory once per burst', async () => {
    const k = createMemoryKernel();
    let calls = 0;
    const stop = k.fs.watch('/etc/systemd/system', () => calls++);
    k.fs.writeFile('/etc/systemd/system/a.socket', '1');
    k.fs.writeFile('/etc/systemd/system/a.socket', '2');
    await tick();
    expect(calls).toBe(1);
    k.fs.writeFile('/etc/other', 'x');
    await tick();
    expect(calls).toBe(1);
    stop();
    k.fs.unlink('/etc/systemd/system/a.socket');
    await tick();
    expect(calls).toBe(1);
  });

  it('chmod and chown are what stat reports', () => {
    const k = createMemoryKernel();
    k.fs.writeFile('/opt/f', 'x', { mode: 0o600 });
    k.fs.chown('/opt/f', 'student', 'docker');
    k.fs.chmod('/opt/f', 0o640);
    expect(k.fs.stat('/opt/f')).toMatchObject({ mode: 0o640, user: 'student', group: 'docker', size: 1 });
  });
});

describe('virtual clock', () => {
  it('runs timers by due time, then creation order, only when advanced, with promise jobs settled between', async () => {
    const clock = new VirtualClock(0);
    const log: string[] = [];
    clock.setTimer(20, () => log.push('b@20'));
    clock.setTimer(10, () => {
      log.push('a@10');
      void Promise.resolve().then(() => log.push('a-then'));
      clock.setTimer(10, () => log.push('c@20-created-later'));
    });
    const cancelled = clock.setTimer(15, () => log.push('never'));
    clock.cancelTimer(cancelled);
    await tick();
    expect(log).toEqual([]);
    await clock.advance(10);
    expect(log).toEqual(['a@10', 'a-then']);
    expect(clock.now()).toBe(10);
    await clock.runUntilIdle();
    expect(log).toEqual(['a@10', 'a-then', 'b@20', 'c@20-created-later']);
    expect(clock.now()).toBe(20);
  });

  it('runUntilIdle stops at maxMs for a never-idle interval', async () => {
    const clock = new VirtualClock(0);
    let n = 0;
    const every = () => {
      n++;
      clock.setTimer(1000, every);
    };
    clock.setTimer(1000, every);
    expect(await clock.runUntilIdle(10_000)).toBe(10_000);
    expect(n).toBe(10);
  });
});
