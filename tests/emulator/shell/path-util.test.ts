import { describe, expect, it } from 'vitest';
import { basename, dirname, normalizePath, resolvePath } from '../../../src/emulator/path-util.ts';

describe('path-util: the one normaliser for machine paths', () => {
  it('drops . and empty components, takes .. back, keeps relative paths relative', () => {
    expect(normalizePath('/etc//systemd/./system/')).toBe('/etc/systemd/system');
    expect(normalizePath('/../etc/x/../y')).toBe('/etc/y');
    expect(normalizePath('a/../../b')).toBe('../b');
    expect(normalizePath('')).toBe('.');
    expect(normalizePath('/')).toBe('/');
  });

  it('resolves against a working directory', () => {
    expect(resolvePath('/root', 'x.socket')).toBe('/root/x.socket');
    expect(resolvePath('/root/', '../etc')).toBe('/etc');
    expect(resolvePath('/root', '/run/x')).toBe('/run/x');
  });

  it('splits directory and name', () => {
    expect([dirname('/etc/x.socket'), basename('/etc/x.socket')]).toEqual(['/etc', 'x.socket']);
    expect(dirname('/x')).toBe('/');
    expect(basename('node')).toBe('node');
  });
});
