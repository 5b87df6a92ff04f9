/**
 * The in-memory file system: directories, files, symlinks, socket and fifo nodes with modes and owners.
 * Paths are absolute machine paths; symlinks are followed like Linux (40 hops at most, then ELOOP).
 * Permissions are recorded and shown (ls -l) and checked by the network for Unix-socket connects; file reads
 * and writes through this interface act as root, as the manager does.
 */
import type { FileStat, FileSystem, Unsubscribe } from '../kernel.ts';
import { errnoError } from '../errno.ts';
import { onShmemMount, shmemDirectorySize } from '../shmem-mounts.ts';

/** A node of the tree. */
export interface FsNode {
  type: FileStat['type'];
  mode: number;
  user: string;
  group: string;
  mtimeMs: number;
  /** Files: contents. */
  data?: string;
  /** Directories: entries. */
  children?: Map<string, FsNode>;
  /** Symlinks: target as written. */
  target?: string;
  /** `/dev/null`: reads are empty, writes vanish. */
  nullDevice?: boolean;
  /** Socket nodes: the id of the bound socket (the network's key), absent when stale. */
  socketId?: number;
  /** Inode number, unique in this file system (a node made again at the same path gets a new one). */
  ino: number;
}

/** Where a path leads. */
interface Lookup {
  /** The directory holding the last component (undefined for `/`). */
  dir?: FsNode;
  /** Canonical path of `dir`. */
  dirPath: string;
  name: string;
  node?: FsNode;
}

/** Splits an absolute path into its components, resolving `.`; `..` is kept for the walk. */
function components(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('/')) if (part !== '' && part !== '.') out.push(part);
  return out;
}

/** Bytes of `text` in UTF-8, without encoding it (stat() of every unit file asked for its size). */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a surrogate pair: 4 bytes for 2 UTF-16 units
      i++;
    } else bytes += 2; // 3 bytes (a lone surrogate is encoded as U+FFFD, also 3)
  }
  return bytes;
}

/** Joins a canonical directory path and a name. */
function join(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** The in-memory FileSystem. `now` stamps modification times. */
export class MemoryFileSystem implements FileSystem {
  /** Receives what is written into a FIFO node (set by the network, which holds FIFO listeners). */
  fifoWrites?: (node: FsNode, data: string) => void;

  readonly root: FsNode;
  private watchers = new Set<{ path: string; callback: () => void; queued: boolean }>();
  private readonly now: () => number;
  /** The next inode number (tmpfs numbers from 1; the root is 1). */
  private nextIno = 1;

  constructor(now: () => number) {
    this.now = now;
    this.root = this.makeNode('directory', 0o755);
  }

  /** Resolves `path`; intermediate symlinks are always followed, the last one only with `followLast`. */
  lookup(path: string, followLast: boolean): Lookup {
    const found = this.resolve(path, followLast);
    if (typeof found === 'string') throw errnoError(found);
    return found;
  }

  /**
   * lookup() that returns the errno name instead of throwing: absent paths are the common case when the
   * manager probes drop-in and `.wants/` directories, and an Error with its stack trace per probe dominated
   * a 1,000-unit boot.
   */
  private resolve(path: string, followLast: boolean): Lookup | 'ENOENT' | 'ENOTDIR' | 'ELOOP' {
    const queue = components(path);
    const stack: Array<{ node: FsNode; path: string }> = [{ node: this.root, path: '/' }];
    let hops = 0;
    if (queue.length === 0) return { dirPath: '/', name: '', node: this.root };
    // `queue` is consumed from its end (reversed), so a symlink's components are pushed instead of unshifted.
    queue.reverse();
    while (queue.length > 0) {
      const name = queue.pop()!;
      const cur = stack[stack.length - 1];
      if (name === '..') {
        if (stack.length > 1) stack.pop();
        if (queue.length === 0) {
          const top = stack[stack.length - 1];
          const parent = stack[stack.length - 2];
          return { dir: parent?.node, dirPath: parent?.path ?? '/', name: top.path.split('/').pop() ?? '', node: top.node };
        }
        continue;
      }
      if (cur.node.type !== 'directory') return 'ENOTDIR';
      const child = cur.node.children!.get(name);
      const isLast = queue.length === 0;
      if (child?.type === 'symlink' && (!isLast || followLast)) {
        if (++hops > 40) return 'ELOOP';
        const target = child.target ?? '';
        if (target.startsWith('/')) stack.splice(1);
        const parts = components(target);
        for (let i = parts.length - 1; i >= 0; i--) queue.push(parts[i]);
        if (queue.length === 0) return { dirPath: '/', name: '', node: this.root };
        continue;
      }
      if (isLast) return { dir: cur.node, dirPath: cur.path, name, node: child };
      if (!child) return 'ENOENT';
      stack.push({ node: child, path: join(cur.path, name) });
    }
    return 'ENOENT';
  }

  /** The canonical path (symlinks resolved) of an existing or about-to-be-created node. */
  realpath(path: string): string {
    const found = this.lookup(path, true);
    return found.name === '' ? '/' : join(found.dirPath, found.name);
  }

  /** The node at `path`, or undefined (never throws). */
  node(path: string, followLast = true): FsNode | undefined {
    const found = this.resolve(path, followLast);
    return typeof found === 'string' ? undefined : found.node;
  }

  /** Contents of a file; /dev/null reads as empty. */
  readFile(path: string): string {
    const { node } = this.lookup(path, true);
    if (!node) throw errnoError('ENOENT');
    if (node.type === 'directory') throw errnoError('EISDIR');
    // A FIFO reads as empty here (a real read would wait for a writer); a socket cannot be opened (ENXIO).
    if (node.type === 'fifo') return '';
    if (node.type === 'socket') throw errnoError('ENXIO');
    if (node.type !== 'file') throw errnoError('EINVAL');
    return node.nullDevice ? '' : (node.data ?? '');
  }

  /** Creates or replaces a file; `mkdirs` creates missing parents (0755, root). */
  writeFile(path: string, data: string, options: { mode?: number; mkdirs?: boolean; user?: string; group?: string } = {}): void {
    if (options.mkdirs) this.mkdir(parentOf(path), { recursive: true });
    const found = this.lookup(path, true);
    if (!found.dir) throw errnoError('EISDIR');
    if (found.node) {
      if (found.node.type === 'directory') throw errnoError('EISDIR');
      if (found.node.nullDevice) return;
      // open(2) of a socket node is ENXIO; bytes written into a FIFO go to whoever holds it open (the network's
      // FIFO listener, see memory-network.ts), the node itself stays a FIFO.
      if (found.node.type === 'socket') throw errnoError('ENXIO');
      if (found.node.type === 'fifo') {
        if (data !== '') this.fifoWrites?.(found.node, data);
        return;
      }
      found.node.type = 'file';
      found.node.data = data;
      found.node.mtimeMs = this.now();
      if (options.mode !== undefined) found.node.mode = options.mode;
    } else {
      const node = this.makeNode('file', options.mode ?? 0o644, options.user, options.group);
      node.data = data;
      found.dir.children!.set(found.name, node);
    }
    this.changed(join(found.dirPath, found.name));
  }

  /** Appends to a file (creates it when absent), as `>>` does. */
  appendFile(path: string, data: string): void {
    const node = this.node(path);
    this.writeFile(path, (node?.type === 'file' && !node.nullDevice ? (node.data ?? '') : '') + data);
  }

  /** lstat: does not follow the last symlink. */
  lstat(path: string): FileStat | undefined {
    return this.statOf(this.node(path, false), path);
  }

  /** stat: follows symlinks; undefined when absent or dangling. */
  stat(path: string): FileStat | undefined {
    return this.statOf(this.node(path, true), path);
  }

  /** Sorted names in a directory. */
  readdir(path: string): string[] {
    const { node } = this.lookup(path, true);
    if (!node) throw errnoError('ENOENT');
    if (node.type !== 'directory') throw errnoError('ENOTDIR');
    return [...node.children!.keys()].sort();
  }

  /** Creates a directory; `recursive` creates parents and tolerates an existing directory. */
  mkdir(path: string, options: { recursive?: boolean; mode?: number; user?: string; group?: string } = {}): void {
    if (options.recursive) {
      const parent = parentOf(path);
      if (parent !== '/' && parent !== path && !this.node(parent)) this.mkdir(parent, options);
    }
    const found = this.lookup(path, true);
    if (found.node) {
      if (options.recursive && found.node.type === 'directory') return;
      throw errnoError('EEXIST');
    }
    let dir = found.dir;
    if (!dir) throw errnoError('EEXIST');
    dir.children!.set(found.name, this.makeNode('directory', options.mode ?? 0o755, options.user, options.group));
    this.changed(join(found.dirPath, found.name));
  }

  /** Removes a file, symlink, socket or fifo node. */
  unlink(path: string): void {
    const found = this.lookup(path, false);
    if (!found.node || !found.dir) throw errnoError('ENOENT');
    if (found.node.type === 'directory') throw errnoError('EISDIR');
    found.dir.children!.delete(found.name);
    this.changed(join(found.dirPath, found.name));
  }

  /** Removes an empty directory (ENOTEMPTY otherwise). */
  rmdir(path: string): void {
    const found = this.lookup(path, false);
    if (!found.node || !found.dir) throw errnoError('ENOENT');
    if (found.node.type !== 'directory') throw errnoError('ENOTDIR');
    if (found.node.children!.size > 0) throw errnoError('ENOTEMPTY');
    found.dir.children!.delete(found.name);
    this.changed(join(found.dirPath, found.name));
  }

  /** Creates a symlink at `path` pointing to `target` (EEXIST when something is there). */
  symlink(target: string, path: string): void {
    const found = this.lookup(path, false);
    if (found.node) throw errnoError('EEXIST');
    if (!found.dir) throw errnoError('EEXIST');
    const node = this.makeNode('symlink', 0o777);
    node.target = target;
    found.dir.children!.set(found.name, node);
    this.changed(join(found.dirPath, found.name));
  }

  /** The target of a symlink. */
  readlink(path: string): string {
    const { node } = this.lookup(path, false);
    if (!node) throw errnoError('ENOENT');
    if (node.type !== 'symlink') throw errnoError('EINVAL');
    return node.target ?? '';
  }

  /** Changes permission bits. */
  chmod(path: string, mode: number): void {
    const { node } = this.lookup(path, true);
    if (!node) throw errnoError('ENOENT');
    node.mode = mode & 0o7777;
    this.changed(path);
  }

  /** Changes owner and group. */
  chown(path: string, user: string, group: string): void {
    const { node } = this.lookup(path, true);
    if (!node) throw errnoError('ENOENT');
    node.user = user;
    node.group = group;
    this.changed(path);
  }

  /** Creates a special node (socket or fifo) at `path`; the parent must exist. */
  makeSpecial(path: string, type: 'socket' | 'fifo', mode: number, user: string, group: string): FsNode {
    const found = this.lookup(path, false);
    if (found.node) throw errnoError('EADDRINUSE');
    if (!found.dir) throw errnoError('EINVAL');
    const node = this.makeNode(type, mode, user, group);
    found.dir.children!.set(found.name, node);
    this.changed(join(found.dirPath, found.name));
    return node;
  }

  /** Calls back (in a microtask, once per burst) when anything at or under `path` changes. */
  watch(path: string, callback: () => void): Unsubscribe {
    const entry = { path: components(path).join('/'), callback, queued: false };
    this.watchers.add(entry);
    return () => this.watchers.delete(entry);
  }

  private changed(path: string): void {
    const changed = components(path).join('/');
    for (const w of this.watchers) {
      const under = changed === w.path || changed.startsWith(w.path + '/') || w.path === '';
      const above = w.path.startsWith(changed + '/');
      if ((under || above) && !w.queued) {
        w.queued = true;
        queueMicrotask(() => {
          w.queued = false;
          if (this.watchers.has(w)) w.callback();
        });
      }
    }
  }

  private statOf(node: FsNode | undefined, path: string): FileStat | undefined {
    if (!node) return undefined;
    const size = node.type === 'file' ? utf8Length(node.data ?? '') : node.type === 'directory' ? directorySize(node, path) : node.type === 'symlink' ? (node.target ?? '').length : 0;
    return { type: node.type, mode: node.mode, user: node.user, group: node.group, size, mtimeMs: node.mtimeMs, ino: node.ino, blocks: blocksOf(node, size, path) };
  }

  private makeNode(type: FsNode['type'], mode: number, user = 'root', group = 'root'): FsNode {
    const node: FsNode = { type, mode, user, group, mtimeMs: this.now(), ino: this.nextIno++ };
    if (type === 'directory') node.children = new Map();
    return node;
  }
}

/** A directory's st_size: ext4 gives a block (4096), tmpfs and devtmpfs their per-entry count (shmem-mounts.ts). */
function directorySize(node: FsNode, path: string): number {
  return onShmemMount(path) ? shmemDirectorySize(node.children?.size ?? 0) : 4096;
}

/**
 * st_blocks (512-byte units): a file uses a 4 KiB block (or page) per started 4 KiB, an ext4 directory one block;
 * a tmpfs directory, a socket, a FIFO and a symlink none (a short symlink's target lives in its inode).
 */
function blocksOf(node: FsNode, size: number, path: string): number {
  if (node.type === 'file') return Math.ceil(size / 4096) * 8;
  if (node.type === 'directory') return onShmemMount(path) ? 0 : 8;
  return 0;
}

/** The parent directory of an absolute path (`/` for `/x`). */
export function parentOf(path: string): string {
  const parts = components(path);
  parts.pop();
  return '/' + parts.join('/');
}
