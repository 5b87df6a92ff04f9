import { describe, expect, it } from 'vitest';
import { bundleTree, commandWrapperScript, containerPath, executablePaths, toFileSystemTree, wrapperTree } from '../../src/lab/runtime/webcontainer/container-layout.ts';

describe('WebContainer layout', () => {
  it('mounts machine files under machine/ as a nested tree', () => {
    expect(
      toFileSystemTree({ '/etc/systemd/system/a.socket': 'A', '/etc/systemd/system/a.service': 'B', '/opt/a/a': 'C' }),
    ).toEqual({
      machine: {
        directory: {
          etc: { directory: { systemd: { directory: { system: { directory: {
            'a.socket': { file: { contents: 'A' } }, 'a.service': { file: { contents: 'B' } },
            // Enabled on every Debian 12 (the base of machine-image.ts).
            'multi-user.target.wants': { directory: { 'machines.target': { file: { symlink: '/lib/systemd/system/machines.target' } }, 'remote-fs.target': { file: { symlink: '/lib/systemd/system/remote-fs.target' } } } },
          } } } } } },
          opt: { directory: { a: { directory: { a: { file: { contents: 'C' } } } } } },
          // The base every lab machine has (machine-image.ts): Debian's standard targets.
          lib: { directory: { systemd: { directory: { system: { directory: expect.objectContaining({ 'sysinit.target': { file: { contents: expect.stringContaining('Description=System Initialization') } } }) } } } } },
        },
      },
    });
    expect(containerPath('/etc/x')).toBe('machine/etc/x');
  });

  it('mounts the same machine image as the memory kernel: .wants/ entries are symlinks, programs get chmod', () => {
    const files = { '/etc/systemd/system/a.socket': 'A', '/etc/systemd/system/sockets.target.wants/a.socket': '', '/opt/a/a': '#!/usr/bin/env node\n' };
    const system = (toFileSystemTree(files).machine as { directory: Record<string, any> }).directory.etc.directory.systemd.directory.system.directory;
    expect(system['sockets.target.wants']).toEqual({ directory: { 'a.socket': { file: { symlink: '/etc/systemd/system/a.socket' } } } });
    expect(executablePaths(files)).toEqual(['machine/opt/a/a']);
  });

  it('mounts the emulator bundle under emulator/ with its service-runtime layout', () => {
    expect(bundleTree({ 'emulator.mjs': 'E', 'service-runtime/listen-fds-shim.cjs': 'S' })).toEqual({
      emulator: {
        directory: {
          'emulator.mjs': { file: { contents: 'E' } },
          'service-runtime': { directory: { 'listen-fds-shim.cjs': { file: { contents: 'S' } } } },
        },
      },
    });
  });

  it('rejects relative paths and a file used as a directory', () => {
    expect(() => toFileSystemTree({ 'etc/x': '' })).toThrow(/absolute machine path/);
    expect(() => toFileSystemTree({ '/etc': 'file', '/etc/x': '' })).toThrow(/needs "etc" to be a directory/);
  });

  it('wraps each emulator command as a Node bin that runs the bundle against the machine', () => {
    const script = commandWrapperScript('systemctl', '/home/lab');
    expect(script.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(script).toContain(`process.argv.splice(2, 0, "systemctl", '--root', "/home/lab/machine");`);
    expect(script).toContain('\nimport("/home/lab/emulator/emulator.mjs");');
    expect(script).not.toContain('await'); // an extensionless bin is CommonJS: no top-level await
    const bin = (wrapperTree('/home/lab').node_modules as { directory: { '.bin': { directory: Record<string, unknown> } } }).directory['.bin'].directory;
    expect(Object.keys(bin).sort()).toEqual(['cat', 'curl', 'help', 'journalctl', 'ls', 'nc', 'readlink', 'rm', 'ss', 'stat', 'systemctl', 'systemd-analyze']);
  });
});
