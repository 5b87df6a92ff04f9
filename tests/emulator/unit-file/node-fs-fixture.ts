/** A read-only kernel FileSystem over the real disk, so the emulator's verify reads exactly what the real one reads. */
import * as fs from 'node:fs';
import type { FileStat, FileSystem } from '../../../src/emulator/kernel/kernel.ts';
import { KernelError } from '../../../src/emulator/kernel/kernel.ts';

function toStat(st: fs.Stats): FileStat {
  const type = st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'directory' : st.isSocket() ? 'socket' : st.isFIFO() ? 'fifo' : 'file';
  return { type, mode: st.mode & 0o7777, user: String(st.uid), group: String(st.gid), size: st.size, mtimeMs: st.mtimeMs };
}

function wrap<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new KernelError(err.code ?? 'EIO', err.message);
  }
}

/** The host's file system, read-only. */
export function nodeFileSystem(): FileSystem {
  const readOnly = () => {
    throw new KernelError('EROFS', 'nodeFileSystem is read-only');
  };
  return {
    readFile: (p) => wrap(() => fs.readFileSync(p, 'utf8')),
    lstat: (p) => (fs.existsSync(p) || isLink(p) ? toStat(fs.lstatSync(p)) : undefined),
    stat: (p) => (fs.existsSync(p) ? toStat(fs.statSync(p)) : undefined),
    readdir: (p) => wrap(() => fs.readdirSync(p).sort()),
    readlink: (p) => wrap(() => fs.readlinkSync(p)),
    writeFile: readOnly, mkdir: readOnly, unlink: readOnly, symlink: readOnly, chmod: readOnly, chown: readOnly,
    watch: () => () => {},
  };
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
