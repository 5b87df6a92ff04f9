import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLibc } from '../../../src/emulator/kernel/node/libc.ts';

describe('libc bindings', () => {
  const libc = loadLibc();
  it.skipIf(!libc)('are shared by a second copy of the module in the same process (koffi types are process-wide)', async () => {
    if (!libc) return;
    // A query string makes the module loader evaluate libc.ts a second time, as a bundle next to the sources would.
    const specifier = '../../../src/emulator/kernel/node/libc.ts?second-copy';
    const copy = (await import(/* @vite-ignore */ specifier)) as { loadLibc: typeof loadLibc };
    expect(copy.loadLibc()).toBe(libc);
  });
  it.skipIf(!libc)('spawn() puts every fd in its place, whether the sources are above the targets or among them', async () => {
    if (!libc) return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-spawn-fds-'));
    const files = ['a', 'b', 'c'].map((name) => path.join(dir, name));
    const opened = files.map((file) => fs.openSync(file, 'w'));
    // The child names what its fds 3 and 4 are, in the file its stdout is.
    const childFds = async (fds: number[]): Promise<string[]> => {
      const out = path.join(dir, 'out');
      const outFd = fs.openSync(out, 'w');
      const pid = libc.spawn('/bin/sh', ['sh', '-c', 'readlink /proc/$$/fd/3 /proc/$$/fd/4'], ['PATH=/usr/bin:/bin'], [-1, outFd, -1, ...fds], dir);
      expect(pid).toBeGreaterThan(0);
      for (let status = libc.reap(pid); status === undefined; status = libc.reap(pid)) await new Promise((resolve) => setTimeout(resolve, 10));
      fs.closeSync(outFd);
      return fs.readFileSync(out, 'utf8').trim().split('\n');
    };
    // All sources above the five targets: straight into place.
    expect(await childFds([opened[0], opened[1]])).toEqual([files[0], files[1]]);
    // A source that is one of the targets (this process's fd 1 is the child's fd 4; the child's fd 1 is another
    // file): copied out of the way first, or the child's 4 would be its own stdout.
    expect(await childFds([opened[2], 1])).toEqual([files[2], fs.readlinkSync('/proc/self/fd/1')]);
    for (const fd of opened) fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  if (!libc) console.warn('libc bindings: koffi cannot load libc.so.6 here (not Linux, or koffi missing): the sharing test skips');
});
