/**
 * What a sandboxed program's Node surface needs from the machine it runs on: one object per process,
 * implemented by the in-memory kernel's process table. Keeping it an interface lets the Node surface
 * (net, fs, process, timers, sd-daemon) stay free of the kernel's internals.
 */
import type { EntryPoint } from './node/node-internals.ts';
import type { Clock, Connection, ExitStatus, FileSystem, ListeningSocket, ListenOptions } from '../kernel/kernel.ts';

/** The process a sandboxed program runs as. */
export interface SandboxHost {
  readonly pid: number;
  /** argv as the program sees it in process.argv (`/usr/bin/node`, script, args… for scripts). */
  readonly argv: string[];
  readonly env: Record<string, string>;
  readonly uid: number;
  readonly user: string;
  readonly cwd: string;
  readonly clock: Clock;
  readonly fs: FileSystem;
  /** Host name (os.hostname()). */
  readonly hostname: string;
  /** The socket or connection at fd `n` (3, 4, … as passed by the manager), if open. */
  fd(n: number): ListeningSocket | Connection | undefined;
  /** Whether fd `n` is open (0–2 always are). */
  isFdOpen(n: number): boolean;
  /** StandardInput=socket: the connection that is stdin and stdout. */
  readonly stdio?: Connection;
  /** Binds a new socket owned by this process (ports < 1024 need root; a Unix path must not exist). */
  listen(options: ListenOptions): ListeningSocket;
  /** Connects as this process (its uid counts for Unix-socket permissions). */
  connect(target: string): Promise<Connection>;
  /** Resolves a host name like /etc/hosts does (throws ENOTFOUND). */
  resolve(host: string): string[];
  /** Text written to stdout (when not a socket) or stderr; the host splits it into journal lines. */
  write(stream: 'stdout' | 'stderr', text: string): void;
  /** An sd_notify() datagram. */
  notify(message: string): void;
  /** Ends the process now. */
  exit(status: ExitStatus): void;
  /** True once the process ended; callbacks of the program must not run any more. */
  readonly exited: boolean;
  /** Something that keeps the event loop alive (a server, a socket, a timer); returns its release. */
  ref(): () => void;
  /** The preemption check the rewritten program calls in its loops and bodies (preempt.ts). */
  readonly preempt: () => true;
  /**
   * Runs program code; an exception crashes the process like an uncaught exception in Node. `entry` names where
   * Node's internals would call it (a timer, a 'connection' event…): the crash report's frames below the program's.
   */
  guard<A extends unknown[]>(fn: (...args: A) => unknown, entry?: EntryPoint): (...args: A) => void;
  /** Where Node's internals entered the program code that runs now (set by guard() and for the main module). */
  entry: EntryPoint | undefined;
  /** Reports an uncaught exception: prints it the way Node does and exits 1. */
  crash(error: unknown): void;
  /** process.on('SIGTERM', …): a handler replaces the default action (exit by the signal). */
  setSignalHandler(signal: string, handler: (() => void) | undefined): void;
  /** Called when the process is about to exit (process.on('exit')). */
  onProgramExit(callback: (code: number) => void): void;
  /** Keeps a stack of cleanups to run on exit (close servers, drop sockets). */
  onCleanup(callback: () => void): () => void;
}

/** Thrown by process.exit() to unwind the program's stack; the guard swallows it. */
export class ProcessExitSignal {
  readonly code: number;
  constructor(code: number) {
    this.code = code;
  }
}
