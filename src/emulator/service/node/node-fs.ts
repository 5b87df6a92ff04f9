/**
 * `require('fs')` for sandboxed programs: the synchronous calls lab programs use, over the machine's
 * file system, with Node's error texts. Relative paths resolve against the process's working directory.
 */
import type { SandboxHost } from '../sandbox-host.ts';
import { SandboxBuffer } from './buffer.ts';
import { nodeFsError } from './node-errors.ts';
import { noteNodeOrigin } from '../error-report.ts';
import { FS_SYNC_THROW_SOURCE, READ_FILE_SYNC_FRAMES } from './node-internals.ts';

/** Builds the fs module of one process. */
export function createFsModule(host: SandboxHost) {
  const abs = (p: string): string => (p.startsWith('/') ? p : `${host.cwd.replace(/\/$/, '')}/${p}`);
  const wrap = <T>(syscall: string, path: string, fn: () => T, frames?: string[]): T => {
    try {
      return fn();
    } catch (error) {
      const failure = nodeFsError((error as { code?: string }).code ?? 'EIO', syscall, path);
      // Node's frames are known for readFileSync() (recorded from Node 18); the other calls report the program's.
      if (frames) noteNodeOrigin(failure, { frames, withProgram: true, entry: host.entry, source: FS_SYNC_THROW_SOURCE });
      throw failure;
    }
  };
  const encodingOf = (o: unknown): string | undefined => (typeof o === 'string' ? o : (o as { encoding?: string } | undefined)?.encoding);
  const statOf = (path: string, follow: boolean) => {
    const s = follow ? host.fs.stat(abs(path)) : host.fs.lstat(abs(path));
    if (!s) throw nodeFsError('ENOENT', follow ? 'stat' : 'lstat', path);
    return {
      size: s.size,
      mode: s.mode,
      mtimeMs: s.mtimeMs,
      ino: s.ino ?? 0,
      mtime: new Date(s.mtimeMs),
      isFile: () => s.type === 'file',
      isDirectory: () => s.type === 'directory',
      isSymbolicLink: () => s.type === 'symlink',
      isSocket: () => s.type === 'socket',
      isFIFO: () => s.type === 'fifo',
    };
  };
  const fs = {
    /** Contents as a string (with an encoding) or a Buffer. */
    readFileSync(path: string, options?: string | { encoding?: string }): string | SandboxBuffer {
      const text = wrap('open', path, () => host.fs.readFile(abs(path)), READ_FILE_SYNC_FRAMES);
      return encodingOf(options) ? text : SandboxBuffer.from(text);
    },
    writeFileSync(path: string, data: string | Uint8Array): void {
      wrap('open', path, () => host.fs.writeFile(abs(path), typeof data === 'string' ? data : SandboxBuffer.from(data).toString()));
    },
    appendFileSync(path: string, data: string): void {
      const p = abs(path);
      const before = host.fs.stat(p) ? host.fs.readFile(p) : '';
      wrap('open', path, () => host.fs.writeFile(p, before + data));
    },
    existsSync: (path: string): boolean => host.fs.stat(abs(path)) !== undefined,
    readdirSync: (path: string): string[] => wrap('scandir', path, () => host.fs.readdir(abs(path))),
    mkdirSync: (path: string, options?: { recursive?: boolean; mode?: number }): void => wrap('mkdir', path, () => host.fs.mkdir(abs(path), options)),
    unlinkSync: (path: string): void => wrap('unlink', path, () => host.fs.unlink(abs(path))),
    /** chmod(2) with a number (0o660) or an octal string ('660'). */
    chmodSync: (path: string, mode: number | string): void =>
      wrap('chmod', path, () => host.fs.chmod(abs(path), typeof mode === 'string' ? parseInt(mode, 8) : mode)),
    /** chown(2) by numeric ids, looked up in the machine's /etc/passwd and /etc/group (-1 keeps one). */
    chownSync: (path: string, uid: number, gid: number): void =>
      wrap('chown', path, () => {
        const current = host.fs.lstat(abs(path));
        if (!current) throw nodeFsError('ENOENT', 'chown', path);
        const nameOf = (file: string, id: number, fallback: string): string => {
          if (id === -1) return fallback;
          let lines: string[] = [];
          try { lines = host.fs.readFile(file).split('\n'); } catch { /* no such file: numeric name */ }
          return lines.map((line) => line.split(':')).find((fields) => Number(fields[2]) === id)?.[0] ?? String(id);
        };
        host.fs.chown(abs(path), nameOf('/etc/passwd', uid, current.user), nameOf('/etc/group', gid, current.group));
      }),
    statSync: (path: string) => statOf(path, true),
    lstatSync: (path: string) => statOf(path, false),
  };
  const promises = {
    readFile: async (path: string, options?: string | { encoding?: string }) => fs.readFileSync(path, options),
    writeFile: async (path: string, data: string) => fs.writeFileSync(path, data),
  };
  return { ...fs, promises };
}
