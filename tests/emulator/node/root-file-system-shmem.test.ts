import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRootFileSystem } from '../../../src/emulator/kernel/node/root-file-system.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

describe('the Node kernel\'s file system: /run and /dev as tmpfs/devtmpfs (scenarios ls-stat-forms, unix-socket-mode-owner)', () => {
  it('their directories have shmem\'s size (40 + 20 per entry) and no blocks; other directories keep the host\'s', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shmem-'));
    roots.push(root);
    fs.mkdirSync(path.join(root, 'run/u'), { recursive: true });
    fs.writeFileSync(path.join(root, 'run/u/a'), 'x');
    fs.mkdirSync(path.join(root, 'etc/x'), { recursive: true });
    const machine = createRootFileSystem(root);
    expect(machine.stat('/run/u')).toMatchObject({ type: 'directory', size: 60, blocks: 0 });
    expect(machine.stat('/run')).toMatchObject({ size: 60, blocks: 0 });
    expect(machine.stat('/run/u/a')).toMatchObject({ type: 'file', size: 1 });
    expect(machine.stat('/etc')?.size).toBe(fs.statSync(path.join(root, 'etc')).size);
    expect(machine.stat('/etc')?.blocks).toBeUndefined();
  });
});
