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
  if (!libc) console.warn('libc bindings: koffi cannot load libc.so.6 here (not Linux, or koffi missing): the sharing test skips');
});
