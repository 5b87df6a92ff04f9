/**
 * The machine's FileSystem over node:fs, confined to a root directory (see root-paths.ts).
 * Owners are shown by name from the machine's /etc/passwd and /etc/group (ROOT/etc/…, as `ls -l` on the machine
 * reads them), then the host's for ids the machine does not name. Where the host cannot apply a chown
 * (the emulator is not root, as in a WebContainer; a user or group the host does not know but the machine's
 * user database does; a socket node that is a placeholder file), the machine's view keeps the owner it was
 * given (ownership-overlay.ts), as systemd's SocketUser=/SocketGroup= would have set it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KernelError } from '../kernel.ts';
import { ERRNO, strerror } from '../errno.ts';
import type { FileStat, FileSystem, Unsubscribe } from '../kernel.ts';
import { resolveHostPath } from './root-paths.ts';
import { createOwnershipOverlay } from './ownership-overlay.ts';
import { onShmemMount, shmemDirectorySize } from '../shmem-mounts.ts';

/** Paths the kernel reports as Unix sockets although no socket node exists (TCP relays where AF_UNIX is missing). */
export interface VirtualSocketNodes {
  has(machinePath: string): boolean;
  /** A placeholder of a modelled datagram socket or FIFO (modelled-socket.ts): the type stat shows. */
  modelledType?(machinePath: string): 'socket' | 'fifo' | undefined;
}

/** Turns a node:fs error into a KernelError with the same errno code and Linux's strerror() text (no path: callers add it, as the memory kernel's do). */
export function toKernelError(error: unknown, _machinePath: string): KernelError {
  if (error instanceof KernelError) return error;
  const code = (error as NodeJS.ErrnoException)?.code ?? 'EIO';
  return new KernelError(code, ERRNO[code] ? strerror(code) : ((error as Error)?.message ?? 'Input/output error'));
}

/** Reads `name:x:id:…` lines into an id → name map (empty when the file is missing). */
function readIdNames(file: string): Map<number, string> {
  const names = new Map<number, string>();
  try {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && id && /^\d+$/.test(id)) names.set(Number(id), name);
    }
  } catch {
    // no passwd/group database (e.g. a WebContainer): numeric names are used
  }
  return names;
}

/**
 * One id ↔ name database: the machine's file (re-read when it changes: the kernel writes it after boot, a lab may
 * edit it) over the host's.
 */
function idDatabase(machineFile: string, hostFile: string): { name(id: number): string | undefined; id(name: string): number | undefined } {
  const host = readIdNames(hostFile);
  let stamp = '';
  let names = host;
  let ids = new Map<string, number>();
  const current = (): void => {
    let next = '';
    try {
      const st = fs.statSync(machineFile);
      next = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      next = '';
    }
    if (next === stamp && ids.size > 0) return;
    stamp = next;
    names = new Map([...host, ...readIdNames(machineFile)]);
    ids = new Map([...host].map(([id, name]) => [name, id]));
    for (const [id, name] of readIdNames(machineFile)) ids.set(name, id);
  };
  return {
    name: (id) => (current(), names.get(id)),
    id: (name) => (current(), ids.get(name)),
  };
}

/** Creates the FileSystem of a machine whose `/` is `root` on the host. */
export function createRootFileSystem(root: string, virtualSockets?: VirtualSocketNodes): FileSystem {
  const users = idDatabase(path.join(root, 'etc/passwd'), '/etc/passwd');
  const groups = idDatabase(path.join(root, 'etc/group'), '/etc/group');

  const overlay = createOwnershipOverlay();
  const host = (p: string, followLast = true): string => resolveHostPath(root, p, followLast);
  const wrap = <T>(machinePath: string, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      throw toKernelError(error, machinePath);
    }
  };
  const toStat = (machinePath: string, st: fs.Stats): FileStat => ({
    type: st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'directory' : st.isSocket() ? 'socket'
      : st.isFIFO() ? 'fifo' : virtualSockets?.has(machinePath) ? 'socket' : virtualSockets?.modelledType?.(machinePath) ?? 'file',
    mode: st.mode & 0o7777,
    ...(overlay.owner(st) ?? { user: users.name(st.uid) ?? String(st.uid), group: groups.name(st.gid) ?? String(st.gid) }),
    size: st.size,
    mtimeMs: st.mtimeMs,
    ino: st.ino,
    // The machine's /run and /dev are tmpfs/devtmpfs on a real machine: their directories show shmem's sizes.
    ...(st.isDirectory() && onShmemMount(machinePath) ? { size: shmemDirectorySize(entryCount(machinePath)), blocks: 0 } : {}),
  });
  const entryCount = (machinePath: string): number => {
    try {
      return fs.readdirSync(host(machinePath)).length;
    } catch {
      return 0;
    }
  };

  return {
    readFile: (p) => wrap(p, () => fs.readFileSync(host(p), 'utf8')),
    writeFile: (p, data, options) => wrap(p, () => {
      const target = host(p);
      if (options?.mkdirs) fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, data, options?.mode === undefined ? undefined : { mode: options.mode });
      if (options?.mode !== undefined) fs.chmodSync(target, options.mode);
    }),
    lstat: (p) => {
      try {
        return toStat(p, fs.lstatSync(host(p, false)));
      } catch {
        return undefined;
      }
    },
    stat: (p) => {
      try {
        return toStat(p, fs.statSync(host(p)));
      } catch {
        return undefined;
      }
    },
    readdir: (p) => wrap(p, () => fs.readdirSync(host(p)).sort()),
    mkdir: (p, options) => wrap(p, () => {
      fs.mkdirSync(host(p), { recursive: options?.recursive ?? false, mode: options?.mode });
    }),
    unlink: (p) => wrap(p, () => fs.unlinkSync(host(p, false))),
    rmdir: (p) => wrap(p, () => fs.rmdirSync(host(p, false))),
    symlink: (target, p) => wrap(p, () => fs.symlinkSync(target, host(p, false))),
    readlink: (p) => wrap(p, () => {
      const linkPath = host(p, false);
      if (!fs.lstatSync(linkPath).isSymbolicLink()) throw new KernelError('EINVAL', `${p}: Invalid argument`);
      return fs.readlinkSync(linkPath);
    }),
    chmod: (p, mode) => wrap(p, () => fs.chmodSync(host(p), mode)),
    chown: (p, user, group) => wrap(p, () => {
      const target = host(p);
      const uid = users.id(user) ?? (/^\d+$/.test(user) ? Number(user) : undefined);
      const gid = groups.id(group) ?? (/^\d+$/.test(group) ? Number(group) : undefined);
      if (!overlay.known(user, group) && (uid === undefined || gid === undefined)) throw new KernelError('EINVAL', `${p}: unknown user or group ${user}:${group}`);
      const placeholder = (virtualSockets?.has(p) || virtualSockets?.modelledType?.(p) !== undefined) ?? false;
      if (uid !== undefined && gid !== undefined && !placeholder) {
        try {
          fs.chownSync(target, uid, gid);
          overlay.forget(fs.statSync(target));
          return;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
        }
      }
      overlay.record(fs.statSync(target), user, group);
    }),
    watch: (p, callback): Unsubscribe => watchMachinePath(host(p), callback),
  };
}

/** Watches a host path (recursively for directories); an absent path is watched through its nearest parent. */
function watchMachinePath(hostPath: string, callback: () => void): Unsubscribe {
  let watched = hostPath;
  while (!fs.existsSync(watched) && path.dirname(watched) !== watched) watched = path.dirname(watched);
  let watcher: fs.FSWatcher | undefined;
  try {
    const recursive = fs.statSync(watched).isDirectory() && watched === hostPath;
    watcher = fs.watch(watched, { recursive, persistent: false }, (_event, name) => {
      if (watched === hostPath || (name && path.join(watched, String(name)).startsWith(hostPath))) callback();
      else if (!name) callback();
    });
    watcher.on('error', () => undefined);
  } catch {
    watcher = undefined;
  }
  return () => watcher?.close();
}
