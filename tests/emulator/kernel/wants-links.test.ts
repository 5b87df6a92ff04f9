/** Lab files and fixtures write an empty file where `systemctl enable` would put a symlink: both kernels get the symlink. */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createMemoryKernel } from '../../../src/emulator/kernel/memory/memory-kernel.ts';
import { createNodeKernel } from '../../../src/emulator/kernel/node/node-kernel.ts';
import { writeMachineImage } from '../../../src/emulator/kernel/node/write-machine-image.ts';
import { machineImage } from '../../../src/emulator/machine/machine-image.ts';
import { createLabSystem } from '../../../src/emulator/machine/lab-system.ts';

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

describe('one machine image for both kernels', () => {
  const files = {
    '/lib/systemd/system/ssh.socket': '[Socket]\nListenStream=22\n',
    '/etc/systemd/system/sockets.target.wants/ssh.socket': '',
    '/opt/app/app': '#!/usr/bin/env node\n',
    '/etc/app.conf': 'x=1\n',
  };

  it('the Node kernel gets the same .wants/ symlink and executable bits as the memory kernel', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-image-'));
    try {
      writeMachineImage(root, machineImage(files));
      const node = await createNodeKernel({ root });
      const memory = createMemoryKernel({ files });
      for (const kernel of [memory, node]) {
        expect(kernel.fs.lstat('/etc/systemd/system/sockets.target.wants/ssh.socket')?.type).toBe('symlink');
        expect(kernel.fs.readlink('/etc/systemd/system/sockets.target.wants/ssh.socket')).toBe('/lib/systemd/system/ssh.socket');
        expect((kernel.fs.stat('/opt/app/app')?.mode ?? 0) & 0o777).toBe(0o755);
        expect((kernel.fs.stat('/etc/app.conf')?.mode ?? 0) & 0o777).toBe(0o644);
      }
      await node.dispose();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('systemctl is-enabled says the same on both kernels', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-image-'));
    try {
      const memory = createLabSystem(createMemoryKernel({ files }), 'lab');
      writeMachineImage(root, machineImage(files));
      const nodeKernel = await createNodeKernel({ root });
      const node = createLabSystem(nodeKernel, 'lab');
      const answers: string[] = [];
      for (const machine of [memory, node]) {
        let out = '';
        await machine.runCommandLine('systemctl is-enabled ssh.socket', { stdout: (t) => (out += t), stderr: (t) => (out += t), signal: new AbortController().signal });
        answers.push(out);
      }
      expect(answers).toEqual(['enabled\n', 'enabled\n']);
      await nodeKernel.dispose();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
