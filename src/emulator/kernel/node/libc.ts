/**
 * The few libc calls Node does not offer, through koffi (an FFI with prebuilt binaries, no compiler at install
 * time): AF_UNIX datagram and seqpacket sockets, recvmsg() with SCM_CREDENTIALS (who sent a notification) and
 * SCM_RIGHTS (FDSTORE=1), fcntl(O_NONBLOCK), fchown/fchmod on a socket node, mkfifo, close, and posix_spawn()
 * with pipe2() and waitpid() (a child started without fork(): see fast-spawn.ts).
 *
 * Loaded lazily and optional: where koffi or libc cannot be loaded (a WebContainer, another OS), `loadLibc()`
 * returns undefined and the Node kernel falls back to what Node alone can do.
 */
import { createRequire } from 'node:module';

/** Linux x86-64/arm64 constants (asm-generic). */
export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const AF_NETLINK = 16;
export const SOCK_RAW = 3;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_SEQPACKET = 5;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
const SOL_SOCKET = 1;
const SO_PASSCRED = 16;
const SO_REUSEADDR = 2;
const IPPROTO_IPV6 = 41;
const IPV6_V6ONLY = 26;
const POLLIN = 1;
const SCM_RIGHTS = 1;
const SCM_CREDENTIALS = 2;
const MSG_DONTWAIT = 0x40;
const MSG_TRUNC = 0x20;
const MSG_CTRUNC = 0x8;
const MSG_CMSG_CLOEXEC = 0x40000000;
const F_GETFL = 3;
const F_SETFL = 4;
const F_DUPFD_CLOEXEC = 1030;
const O_NONBLOCK = 0o4000;
const O_RDWR = 2;
const O_CLOEXEC = 0o2000000;
const EAGAIN = 11;
const WNOHANG = 1;
const POSIX_SPAWN_SETPGROUP = 0x02;
const POSIX_SPAWN_SETSIGDEF = 0x04;
const POSIX_SPAWN_SETSIGMASK = 0x08;
const EINTR = 4;

/** One datagram read with recvmsg(). */
export interface ReceivedDatagram {
  data: Buffer;
  /** True when the datagram did not fit the buffer (MSG_TRUNC). */
  truncated: boolean;
  /** SCM_CREDENTIALS of the sender (SO_PASSCRED), when the socket asked for them. */
  credentials?: { pid: number; uid: number; gid: number };
  /** fds received with SCM_RIGHTS (already close-on-exec in this process). */
  fds: number[];
}

/** The libc calls of the Node kernel. Every call returns -errno on failure (no exceptions). */
export interface Libc {
  /** socket(2) + optional bind(2) to a Unix path or `\0abstract` name; returns the fd or -errno. */
  unixSocket(type: number, bindPath?: string): number;
  /** listen(2). */
  listen(fd: number, backlog: number): number;
  /** One datagram from a fresh unbound AF_UNIX SOCK_DGRAM socket to a Unix path (sendto(2)); bytes sent or -errno. */
  sendToUnix(path: string, data: Buffer): number;
  /** setsockopt(SO_PASSCRED, 1). */
  passCredentials(fd: number): number;
  /**
   * Waits for one datagram on a worker thread (the fd is in blocking mode) and calls back on the main thread;
   * a shutdown(2) of the socket ends the wait with `undefined`.
   */
  receive(fd: number, bufferSize: number, callback: (error: number, datagram?: ReceivedDatagram) => void): void;
  /** Reads one datagram now if one is queued (non-blocking); -EAGAIN when none. */
  receiveNow(fd: number, bufferSize: number): ReceivedDatagram | number;
  /** shutdown(fd, SHUT_RDWR): wakes a pending receive(). */
  shutdown(fd: number): number;
  setNonBlocking(fd: number, nonBlocking: boolean): number;
  fchown(fd: number, uid: number, gid: number): number;
  fchmod(fd: number, mode: number): number;
  mkfifo(path: string, mode: number): number;
  /** open(path, O_RDWR|O_NONBLOCK|O_CLOEXEC) (a FIFO opened for both ends never sees EOF, as systemd opens it). */
  openReadWrite(path: string): number;
  /** socket(AF_INET/AF_INET6, type) bound to host:port (`::` with `v6Only` false is dual-stack); fd or -errno. */
  inetSocket(type: number, host: string, port: number, v6: boolean, v6Only: boolean): number;
  /** socket(AF_NETLINK, SOCK_RAW, protocol) bound to the multicast `groups` (nl_pid 0: the kernel picks the port id); fd or -errno. */
  netlinkSocket(protocol: number, groups: number): number;
  /** poll(fd, POLLIN, 0): true when the fd has something to read now. */
  readable(fd: number): boolean;
  /** Waits up to `timeoutMs` on a worker thread for the fd to become readable; calls back on the main thread. */
  waitReadable(fd: number, timeoutMs: number, callback: (readable: boolean) => void): void;
  close(fd: number): number;
  /** dup(fd) with FD_CLOEXEC (fcntl F_DUPFD_CLOEXEC): a second fd for the same open file, or -errno. */
  dup(fd: number): number;
  /** accept4(fd, SOCK_NONBLOCK|SOCK_CLOEXEC) on a listening socket: the connection's fd, or -errno (-EAGAIN: none). */
  accept(fd: number): number;
  /** pipe2(O_CLOEXEC): [read end, write end], or -errno. */
  pipe(): [number, number] | number;
  /**
   * posix_spawn() (glibc: clone(CLONE_VM|CLONE_VFORK), so its cost does not grow with this process's memory as
   * fork()'s does): `file` with `argv` and `env`, the child's fd `i` a copy of `fds[i]` (-1: /dev/null), in `cwd`,
   * in a process group of its own, every signal at its default and none blocked. The pid, or -errno.
   */
  spawn(file: string, argv: string[], env: string[], fds: number[], cwd: string): number;
  /** waitpid(pid, WNOHANG): the raw wait status once the child is reaped, undefined while it runs, or -errno. */
  reap(pid: number): number | undefined;
  /** unshare(CLONE_NEWNS) for the calling thread (the main thread: the one that spawns children); 0 or -errno. */
  unshareMounts(): number;
  /** mount(2) with the given flags (MS_*); `source`, `fstype` and `data` may be null. 0 or -errno. */
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): number;
  /** open(path, O_PATH|O_DIRECTORY|O_CLOEXEC): a handle on a directory that stays reachable under a mount over it. */
  openDirectoryPath(path: string): number;
}

/** mount(2) flags. */
export const MS_NOSUID = 2;
export const MS_BIND = 4096;
export const MS_REC = 16384;
export const MS_PRIVATE = 1 << 18;

/**
 * One set of bindings per process, kept on globalThis: koffi's type names (emu_iovec…) are process-wide, so a second
 * copy of this module (the CLI bundle and the sources in one process, a test harness) would fail to declare them
 * again and silently run without libc.
 */
const LOADED = Symbol.for('emulator.libc');
const cache = globalThis as { [LOADED]?: Libc | null };

/** The libc bindings, or undefined where koffi cannot load (then callers use Node-only means). */
export function loadLibc(): Libc | undefined {
  if (cache[LOADED] === undefined) cache[LOADED] = tryLoad();
  return cache[LOADED] ?? undefined;
}

interface KoffiFunction {
  (...args: unknown[]): number;
  async(...args: unknown[]): void;
}

function tryLoad(): Libc | null {
  if (process.platform !== 'linux') return null;
  let koffi: {
    load(name: string): { func(signature: string): KoffiFunction };
    struct(name: string, fields: Record<string, unknown>): unknown;
    errno(): number;
  };
  try {
    koffi = createRequire(import.meta.url)('koffi');
  } catch {
    return null;
  }
  try {
    const lib = koffi.load('libc.so.6');
    koffi.struct('emu_iovec', { iov_base: 'void *', iov_len: 'size_t' });
    koffi.struct('emu_msghdr', {
      msg_name: 'void *', msg_namelen: 'uint32_t', msg_iov: 'emu_iovec *', msg_iovlen: 'size_t',
      msg_control: 'void *', msg_controllen: 'size_t', msg_flags: 'int',
    });
    const fn = {
      socket: lib.func('int socket(int, int, int)'),
      bind: lib.func('int bind(int, const void *, uint32_t)'),
      sendto: lib.func('intptr_t sendto(int, const void *, size_t, int, const void *, uint32_t)'),
      listen: lib.func('int listen(int, int)'),
      setsockopt: lib.func('int setsockopt(int, int, int, const void *, uint32_t)'),
      recvmsg: lib.func('intptr_t recvmsg(int, _Inout_ emu_msghdr *, int)'),
      shutdown: lib.func('int shutdown(int, int)'),
      fcntl: lib.func('int fcntl(int, int, int)'),
      fchown: lib.func('int fchown(int, uint32_t, uint32_t)'),
      fchmod: lib.func('int fchmod(int, uint32_t)'),
      mkfifo: lib.func('int mkfifo(const char *, uint32_t)'),
      poll: lib.func('int poll(void *, unsigned long, int)'),
      inetPton: lib.func('int inet_pton(int, const char *, void *)'),
      open: lib.func('int open(const char *, int, uint32_t)'),
      close: lib.func('int close(int)'),
      pipe2: lib.func('int pipe2(_Out_ int *fds, int flags)'),
      accept4: lib.func('int accept4(int, void *, void *, int)'),
      waitpid: lib.func('int waitpid(int, _Out_ int *status, int)'),
      posixSpawn: lib.func('int posix_spawn(_Out_ int *pid, const char *path, void *actions, void *attr, const char **argv, const char **envp)'),
      actionsInit: lib.func('int posix_spawn_file_actions_init(void *)'),
      actionsDestroy: lib.func('int posix_spawn_file_actions_destroy(void *)'),
      actionsDup2: lib.func('int posix_spawn_file_actions_adddup2(void *, int, int)'),
      actionsOpen: lib.func('int posix_spawn_file_actions_addopen(void *, int, const char *, int, uint32_t)'),
      actionsClose: lib.func('int posix_spawn_file_actions_addclose(void *, int)'),
      actionsChdir: lib.func('int posix_spawn_file_actions_addchdir_np(void *, const char *)'),
      attrInit: lib.func('int posix_spawnattr_init(void *)'),
      attrDestroy: lib.func('int posix_spawnattr_destroy(void *)'),
      attrFlags: lib.func('int posix_spawnattr_setflags(void *, short)'),
      attrPgroup: lib.func('int posix_spawnattr_setpgroup(void *, int)'),
      attrSigdefault: lib.func('int posix_spawnattr_setsigdefault(void *, const void *)'),
      attrSigmask: lib.func('int posix_spawnattr_setsigmask(void *, const void *)'),
      sigfillset: lib.func('int sigfillset(void *)'),
      sigemptyset: lib.func('int sigemptyset(void *)'),
      unshare: lib.func('int unshare(int)'),
      mount: lib.func('int mount(const char *, const char *, const char *, unsigned long, const char *)'),
    };
    const check = (result: number): number => (result < 0 ? -koffi.errno() : result);

    const message = (data: Buffer, control: Buffer) => ({
      msg_name: null, msg_namelen: 0, msg_iov: [{ iov_base: data, iov_len: data.length }], msg_iovlen: 1,
      msg_control: control, msg_controllen: control.length, msg_flags: 0,
    });
    const decode = (data: Buffer, control: Buffer, header: ReturnType<typeof message>, length: number): ReceivedDatagram => {
      const datagram: ReceivedDatagram = { data: Buffer.from(data.subarray(0, Math.min(length, data.length))), truncated: (header.msg_flags & MSG_TRUNC) !== 0, fds: [] };
      const controlLength = Math.min(Number(header.msg_controllen), control.length);
      // struct cmsghdr on 64-bit Linux: size_t cmsg_len; int cmsg_level; int cmsg_type; data aligned to 8.
      for (let offset = 0; offset + 16 <= controlLength;) {
        const cmsgLength = Number(control.readBigUInt64LE(offset));
        if (cmsgLength < 16 || offset + cmsgLength > controlLength) break;
        const level = control.readInt32LE(offset + 8);
        const type = control.readInt32LE(offset + 12);
        if (level === SOL_SOCKET && type === SCM_CREDENTIALS && cmsgLength >= 28) {
          datagram.credentials = { pid: control.readInt32LE(offset + 16), uid: control.readUInt32LE(offset + 20), gid: control.readUInt32LE(offset + 24) };
        } else if (level === SOL_SOCKET && type === SCM_RIGHTS) {
          for (let at = offset + 16; at + 4 <= offset + cmsgLength; at += 4) datagram.fds.push(control.readInt32LE(at));
        }
        offset += (cmsgLength + 7) & ~7;
      }
      if ((header.msg_flags & MSG_CTRUNC) !== 0) datagram.truncated = true;
      return datagram;
    };
    /** Room for credentials and up to 253 fds (SCM_MAX_FD), as systemd's notify buffer has. */
    const controlSize = 16 + 16 + 253 * 4 + 16;

    return {
      unshareMounts: () => check(fn.unshare(0x00020000)), // CLONE_NEWNS
      mount: (source, target, fstype, flags, data) => check(fn.mount(source, target, fstype, flags, data)),
      openDirectoryPath: (path) => check(fn.open(path, 0o10000000 | 0o200000 | 0o2000000, 0)), // O_PATH | O_DIRECTORY | O_CLOEXEC
      sendToUnix(path, data) {
        const name = Buffer.from(path, 'utf8');
        if (name.length > 107) return -36; // ENAMETOOLONG
        const fd = check(fn.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        if (fd < 0) return fd;
        const address = Buffer.alloc(2 + 108);
        address.writeUInt16LE(AF_UNIX, 0);
        name.copy(address, 2);
        const sent = check(Number(fn.sendto(fd, data, data.length, 0, address, 2 + name.length + 1)));
        fn.close(fd);
        return sent;
      },
      unixSocket(type, bindPath) {
        const fd = check(fn.socket(AF_UNIX, type | SOCK_CLOEXEC, 0));
        if (fd < 0 || bindPath === undefined) return fd;
        const name = Buffer.from(bindPath, 'utf8');
        if (name.length > 107) {
          fn.close(fd);
          return -36; // ENAMETOOLONG
        }
        const address = Buffer.alloc(2 + 108);
        address.writeUInt16LE(AF_UNIX, 0);
        name.copy(address, 2);
        // Abstract names are exactly their bytes long; paths end with the NUL that sun_path needs.
        const length = 2 + name.length + (bindPath.startsWith('\0') ? 0 : 1);
        const bound = check(fn.bind(fd, address, length));
        if (bound < 0) {
          fn.close(fd);
          return bound;
        }
        return fd;
      },
      listen: (fd, backlog) => check(fn.listen(fd, backlog)),
      passCredentials(fd) {
        const one = Buffer.alloc(4);
        one.writeInt32LE(1);
        return check(fn.setsockopt(fd, SOL_SOCKET, SO_PASSCRED, one, 4));
      },
      receive(fd, bufferSize, callback) {
        const data = Buffer.alloc(bufferSize);
        const control = Buffer.alloc(controlSize);
        const header = message(data, control);
        fn.recvmsg.async(fd, header, MSG_CMSG_CLOEXEC | MSG_TRUNC, (error: unknown, result: number | bigint) => {
          const length = Number(result);
          if (error) callback(-5);
          else if (length < 0) callback(-koffi.errno() || -EINTR);
          else if (length === 0 && Number(header.msg_controllen) === 0) callback(0);
          else callback(0, decode(data, control, header, length));
        });
      },
      receiveNow(fd, bufferSize) {
        const data = Buffer.alloc(bufferSize);
        const control = Buffer.alloc(controlSize);
        const header = message(data, control);
        const length = Number(fn.recvmsg(fd, header, MSG_CMSG_CLOEXEC | MSG_TRUNC | MSG_DONTWAIT));
        if (length < 0) return -koffi.errno() || -EAGAIN;
        return decode(data, control, header, length);
      },
      shutdown: (fd) => check(fn.shutdown(fd, 2)),
      setNonBlocking(fd, nonBlocking) {
        const flags = check(fn.fcntl(fd, F_GETFL, 0));
        if (flags < 0) return flags;
        return check(fn.fcntl(fd, F_SETFL, nonBlocking ? flags | O_NONBLOCK : flags & ~O_NONBLOCK));
      },
      fchown: (fd, uid, gid) => check(fn.fchown(fd, uid, gid)),
      fchmod: (fd, mode) => check(fn.fchmod(fd, mode)),
      mkfifo: (path, mode) => check(fn.mkfifo(path, mode)),
      openReadWrite: (path) => check(fn.open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC, 0)),
      netlinkSocket(protocol, groups) {
        const fd = check(fn.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol));
        if (fd < 0) return fd;
        // struct sockaddr_nl: sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups.
        const address = Buffer.alloc(12);
        address.writeUInt16LE(AF_NETLINK, 0);
        address.writeUInt32LE(groups >>> 0, 8);
        const bound = check(fn.bind(fd, address, address.length));
        if (bound < 0) {
          fn.close(fd);
          return bound;
        }
        return fd;
      },
      inetSocket(type, host, port, v6, v6Only) {
        const fd = check(fn.socket(v6 ? AF_INET6 : AF_INET, type | SOCK_CLOEXEC, 0));
        if (fd < 0) return fd;
        const fail = (result: number): number => {
          fn.close(fd);
          return result;
        };
        const one = Buffer.alloc(4);
        one.writeInt32LE(1);
        fn.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, one, 4);
        let address: Buffer;
        if (v6) {
          const zero = Buffer.alloc(4);
          if (check(fn.setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, v6Only ? one : zero, 4)) < 0) return fail(-koffi.errno());
          address = Buffer.alloc(28); // sockaddr_in6: family, port, flowinfo, addr[16], scope_id
          address.writeUInt16LE(AF_INET6, 0);
          address.writeUInt16BE(port, 2);
          if (fn.inetPton(AF_INET6, host, address.subarray(8, 24)) !== 1) return fail(-22);
        } else {
          address = Buffer.alloc(16); // sockaddr_in: family, port, addr, zero[8]
          address.writeUInt16LE(AF_INET, 0);
          address.writeUInt16BE(port, 2);
          if (fn.inetPton(AF_INET, host, address.subarray(4, 8)) !== 1) return fail(-22);
        }
        const bound = check(fn.bind(fd, address, address.length));
        return bound < 0 ? fail(bound) : fd;
      },
      readable(fd) {
        const entry = Buffer.alloc(8); // struct pollfd: int fd; short events; short revents
        entry.writeInt32LE(fd, 0);
        entry.writeInt16LE(POLLIN, 4);
        return fn.poll(entry, 1, 0) > 0 && (entry.readInt16LE(6) & POLLIN) !== 0;
      },
      waitReadable(fd, timeoutMs, callback) {
        const entry = Buffer.alloc(8);
        entry.writeInt32LE(fd, 0);
        entry.writeInt16LE(POLLIN, 4);
        fn.poll.async(entry, 1, timeoutMs, (error: unknown, result: number) => {
          callback(!error && result > 0 && (entry.readInt16LE(6) & POLLIN) !== 0);
        });
      },
      close: (fd) => check(fn.close(fd)),
      dup: (fd) => check(fn.fcntl(fd, F_DUPFD_CLOEXEC, 0)),
      accept: (fd) => check(fn.accept4(fd, null, null, SOCK_NONBLOCK | SOCK_CLOEXEC)),
      pipe() {
        const fds = [-1, -1];
        const result = check(fn.pipe2(fds, O_CLOEXEC));
        return result < 0 ? result : [fds[0], fds[1]];
      },
      spawn(file, argv, env, fds, cwd) {
        // Opaque glibc objects (posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128).
        const actions = Buffer.alloc(256);
        const attr = Buffer.alloc(1024);
        const all = Buffer.alloc(128);
        const none = Buffer.alloc(128);
        fn.actionsInit(actions);
        fn.attrInit(attr);
        try {
          if (fds.every((fd) => fd < 0 || fd >= fds.length)) {
            // Every source is above every target (the usual case: pipes and sockets have high numbers): straight
            // into place, no dup2() can overwrite a source (half the file actions: the start waits for them).
            fds.forEach((fd, i) => {
              if (fd >= 0) fn.actionsDup2(actions, fd, i);
              else fn.actionsOpen(actions, i, '/dev/null', O_RDWR, 0);
            });
          } else {
            // Copies first to fds above every source, then into place, so that no dup2() overwrites a source
            // (and a source already at its place loses FD_CLOEXEC, as dup2() to itself would not do).
            const base = Math.max(fds.length, ...fds) + 1;
            fds.forEach((fd, i) => {
              if (fd >= 0) fn.actionsDup2(actions, fd, base + i);
            });
            fds.forEach((fd, i) => {
              if (fd >= 0) {
                fn.actionsDup2(actions, base + i, i);
                fn.actionsClose(actions, base + i);
              } else fn.actionsOpen(actions, i, '/dev/null', O_RDWR, 0);
            });
          }
          fn.actionsChdir(actions, cwd);
          fn.sigfillset(all);
          fn.sigemptyset(none);
          fn.attrSigdefault(attr, all);
          fn.attrSigmask(attr, none);
          fn.attrPgroup(attr, 0);
          fn.attrFlags(attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
          const pid = [0];
          const error = fn.posixSpawn(pid, file, actions, attr, [...argv, null], [...env, null]);
          return error === 0 ? pid[0] : -error;
        } finally {
          fn.actionsDestroy(actions);
          fn.attrDestroy(attr);
        }
      },
      reap(pid) {
        const status = [0];
        const result = check(fn.waitpid(pid, status, WNOHANG));
        if (result === 0) return undefined;
        return result < 0 ? result : status[0];
      },
    };
  } catch {
    return null;
  }
}
