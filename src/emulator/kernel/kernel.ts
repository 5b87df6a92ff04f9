/**
 * The kernel boundary: everything the manager and the commands need from "the machine".
 * Two implementations: the in-memory kernel (browser, deterministic tests, virtual time) and
 * the Node kernel (real TCP/Unix sockets and child processes, on a real machine or in a WebContainer).
 * All methods are synchronous where the in-memory kernel can answer at once; data flows through callbacks.
 * Errors are thrown as KernelError with an errno-style code.
 */
import type { ProgramFactory } from '../service/sandbox.ts';
import type { ListenAddress } from '../unit-file/unit-types.ts';

/** errno-style failure from the kernel, e.g. EADDRINUSE, ECONNREFUSED, ENOENT, EACCES. */
export class KernelError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = 'KernelError';
  }
}

/** Unsubscribes a listener. */
export type Unsubscribe = () => void;

/** Time source. The in-memory kernel may use a virtual clock that advances only when asked. */
export interface Clock {
  /** Wall-clock time in ms since the epoch (journal timestamps, "since …"). */
  now(): number;
  /** Runs `callback` after `ms` (virtual or real). Returns a handle for cancel(). */
  setTimer(ms: number, callback: () => void): number;
  /** Cancels a timer; unknown handles are ignored. */
  cancelTimer(handle: number): void;
}

/** What stat() reports. */
export interface FileStat {
  type: 'file' | 'directory' | 'symlink' | 'socket' | 'fifo';
  mode: number; // permission bits, e.g. 0o660
  user: string;
  group: string;
  size: number;
  mtimeMs: number;
  /** Inode number (`ls -i`, `stat %i`): a path unlinked and created again gets a new one. */
  ino?: number;
  /** st_blocks, in 512-byte units (`stat %b`, `ls -s`, `total`); absent where the kernel does not say. */
  blocks?: number;
}

/** The machine's file system, with absolute paths as the machine sees them (`/etc/systemd/system/x.socket`). */
export interface FileSystem {
  /** File contents as UTF-8; throws KernelError ENOENT/EISDIR. Follows symlinks. */
  readFile(path: string): string;
  /** Creates or replaces a file (parent must exist unless `mkdirs`). */
  writeFile(path: string, data: string, options?: { mode?: number; mkdirs?: boolean }): void;
  /** stat without following the last symlink (lstat semantics); undefined when absent. */
  lstat(path: string): FileStat | undefined;
  /** stat following symlinks; undefined when absent or dangling. */
  stat(path: string): FileStat | undefined;
  /** Sorted entry names of a directory; throws ENOENT/ENOTDIR. */
  readdir(path: string): string[];
  /** Creates a directory (and parents with `recursive`). */
  mkdir(path: string, options?: { recursive?: boolean; mode?: number }): void;
  /** Removes a file, symlink, socket or fifo node. */
  unlink(path: string): void;
  /** Removes an empty directory. */
  rmdir?(path: string): void;
  /** Creates a symlink at `path` pointing to `target`. */
  symlink(target: string, path: string): void;
  /** The target of a symlink; throws EINVAL when not a link. */
  readlink(path: string): string;
  chmod(path: string, mode: number): void;
  chown(path: string, user: string, group: string): void;
  /** Calls back when something under `path` (file or directory) is created, changed or removed. */
  watch(path: string, callback: () => void): Unsubscribe;
}

/** One end of a connection, as `ss` and REMOTE_ADDR show it. */
export interface Endpoint {
  family: 'inet' | 'inet6' | 'unix';
  /** IP text, or the socket path ('' for an unnamed unix peer, '@name' for abstract). */
  address: string;
  port?: number;
  /** Peer credentials for AF_UNIX (SO_PEERCRED). */
  pid?: number;
  uid?: number;
}

/** An established stream connection (either side). Bytes are Uint8Array; strings are UTF-8 encoded. */
export interface Connection {
  readonly id: number;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  write(data: Uint8Array | string): void;
  /** Half-close: no more writes from this side. */
  end(): void;
  /** Abortive close (RST). */
  destroy(): void;
  onData(callback: (data: Uint8Array) => void): Unsubscribe;
  /** The peer half-closed. */
  onEnd(callback: () => void): Unsubscribe;
  /** Fully closed; `error` set for resets (ECONNRESET) and failures. */
  onClose(callback: (error?: KernelError) => void): Unsubscribe;
}

/** A bound, listening socket (or FIFO / datagram socket) owned by the manager. */
export interface ListeningSocket {
  readonly id: number;
  readonly address: ListenAddress;
  /** Connections waiting in the backlog (not yet accepted). Datagram/FIFO: queued messages. */
  pending(): number;
  /** Called whenever the backlog goes from empty to non-empty or grows. */
  onPending(callback: () => void): Unsubscribe;
  /** Takes the oldest waiting connection, or undefined when the backlog is empty. Stream sockets only. */
  accept(): Connection | undefined;
  /** Closes the socket; with `removePath`, a Unix socket's node is removed (RemoveOnStop=). */
  close(options?: { removePath?: boolean }): void;
  /** listen(2) again on the bound socket, as a program that inherited it does: the backlog becomes `backlog`. */
  relisten?(backlog: number): void;
}

/** What the manager asks for when it binds a Listen*= address. */
export interface ListenOptions {
  address: ListenAddress;
  backlog: number;
  socketMode: number;
  directoryMode: number;
  socketUser: string;
  socketGroup: string;
  bindIPv6Only: 'default' | 'both' | 'ipv6-only';
  freeBind: boolean;
  passCredentials: boolean;
  /** Unit that owns it, for `ss -p` ("systemd" is shown as the process). */
  owner: string;
}

/** One syslog message as journald stores it. */
export interface SyslogRecord {
  /** The level (0 emerg … 7 debug). */
  priority: number;
  /** The facility (LOG_USER = 1, LOG_AUTH = 4, LOG_DAEMON = 3…). */
  facility: number;
  /** SYSLOG_IDENTIFIER=, when the message has one. */
  identifier?: string;
  /** SYSLOG_PID=, when the message has one. */
  pid?: number;
  message: string;
}

/** A row of `ss`. */
export interface SocketInfo {
  netid: 'tcp' | 'udp' | 'u_str' | 'u_dgr' | 'u_seq' | 'fifo';
  state: 'LISTEN' | 'ESTAB' | 'UNCONN' | 'CLOSE-WAIT' | 'TIME-WAIT' | 'SYN-SENT';
  recvQ: number;
  sendQ: number;
  local: string;
  peer: string;
  /** `users:(("systemd",pid=1,fd=45))` style owners. */
  processes: Array<{ name: string; pid: number; fd: number }>;
  /** An IPv6 wildcard socket that takes no IPv4 (IPV6_V6ONLY, sshd's [::]:22): ss prints `[::]`, not `*`. */
  v6Only?: boolean;
  /** When the socket was made (ms), where the kernel knows: the Node kernel lists its listeners in that order. */
  createdAt?: number;
}

/** Sockets and connections. */
export interface Network {
  /**
   * Binds and listens as PID 1 does: a stale Unix socket node at the path (nobody bound to it) is unlinked
   * first, as systemd's socket_address_listen() does. Throws KernelError EADDRINUSE / EACCES / EINVAL / ENOENT.
   */
  listen(options: ListenOptions): ListeningSocket;
  /**
   * Opens a client connection (curl, nc, a service connecting to another service's socket).
   * `target` is `host:port`, `[v6]:port`, a socket path or `@abstract`.
   * Resolves when established; rejects with ECONNREFUSED / ENOENT / ETIMEDOUT.
   */
  connect(target: string, options?: { pid?: number; uid?: number }): Promise<Connection>;
  /** Every socket for `ss`. */
  sockets(): SocketInfo[];
}

/** How a process ended. */
export interface ExitStatus {
  /** Exit code when it exited; undefined when killed. */
  code?: number;
  /** Signal name when killed ('SIGTERM', 'SIGKILL', 'SIGSEGV'…). */
  signal?: string;
  /** True when the kernel reports that the process dumped core (WCOREDUMP). */
  coreDumped?: boolean;
}

/** What the manager asks for when it starts a service process. */
export interface SpawnOptions {
  /** argv[0] is the program path as written in the unit. */
  argv: string[];
  env: Record<string, string>;
  /** Sets LISTEN_PID to the new process's pid (systemd does it after fork). */
  setListenPid: boolean;
  /** Passed as fds 3, 4, … in order (listening sockets for Accept=no, the connection for Accept=yes). */
  fds: Array<ListeningSocket | Connection>;
  /** The service's fd store (FDSTORE=1), passed after `fds`; only a kernel that delivers stored fds gets any. */
  storedFds?: StoredFd[];
  /** StandardInput=socket: this connection becomes fds 0 and 1 (inetd style). */
  stdioConnection?: Connection;
  /** Which outputs go to stdioConnection too (StandardOutput=/StandardError= inherit or socket); the others to the journal. */
  stdioOutputs?: Array<'stdout' | 'stderr'>;
  /** NonBlocking=yes: the passed fds keep O_NONBLOCK (by default PID 1 clears it before exec). */
  nonBlocking?: boolean;
  user?: string;
  /** The UID of a user the machine's user database does not list (DynamicUser=); `user` is its name. */
  uid?: number;
  group?: string;
  cwd?: string;
  /** The unit the process belongs to (journal, ss -p). */
  unit: string;
  /** Each line the process writes to stdout/stderr (when not a socket). */
  onOutput: (line: string, stream: 'stdout' | 'stderr') => void;
  /** A message the process (or a descendant) sent to /dev/log with syslog(3), as journald parsed it (Node kernel). */
  onSyslog?: (record: SyslogRecord) => void;
  /**
   * sd_notify() messages ("READY=1\nSTATUS=…"), one call per datagram, from this process or one of its
   * descendants; `sender` says which (the in-memory kernel gives none: the message is from the process itself).
   */
  onNotify: (message: string, sender?: NotifySender) => void;
}

/** A file descriptor a service sent with its notification (FDSTORE=1); the kernel closes it unless kept. */
export interface StoredFd {
  readonly id: number;
  close(): void;
}

/** Who sent a notification, as SCM_CREDENTIALS tell PID 1, and what came with it. */
export interface NotifySender {
  pid: number;
  uid: number;
  /** fds sent with SCM_RIGHTS. */
  fds: StoredFd[];
  /** Indexes of the message's lines that were not valid UTF-8. */
  notUtf8?: number[];
  /** Keeps one of `fds` (FDSTORE=1); every fd not kept is closed once the message is handled. */
  keep(fd: StoredFd): void;
}

/** A running process. */
export interface Process {
  readonly pid: number;
  readonly argv: string[];
  /** Sends a signal ('SIGTERM', 'SIGKILL', 'SIGHUP'). */
  kill(signal: string): void;
  onExit(callback: (status: ExitStatus) => void): Unsubscribe;
}

/** Processes. */
export interface ProcessTable {
  /** Resolves once the exits of processes that have already died are reported (a kernel with real processes). */
  settle?(): Promise<void>;
  /** Starts a program; throws KernelError ENOENT (no such file) / EACCES (not executable). */
  spawn(options: SpawnOptions): Process;
  /** Running processes (for status's CGroup/Main PID and ss -p). */
  list(): Process[];
  /** Where `/proc/PID/fd/N` of a process of this machine points (`socket:[INODE]`…; readlink), if known. */
  fdLink?(pid: number, fd: number): string | undefined;
  /** Registers one of the emulator's built-in programs at a machine path (both kernels run them in-process). */
  registerProgram?(path: string, factory: ProgramFactory): void;
}

/** The whole machine as the manager sees it. */
export interface Kernel {
  readonly clock: Clock;
  readonly fs: FileSystem;
  readonly net: Network;
  readonly processes: ProcessTable;
  /** Host name for journal lines (`Nov 27 10:00:00 HOST systemd[1]: …`). */
  readonly hostname: string;
}
