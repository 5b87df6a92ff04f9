/**
 * Processes of the in-memory kernel. spawn() checks the executable like execve() would (ENOENT, EACCES,
 * ENOEXEC), then starts the program in a microtask:
 *  - a built-in program registered by path (the labs' daemons: sshd, dockerd, cupsd, dbus-daemon, …);
 *  - a JavaScript file (`.js`/`.mjs`/`.cjs`, or a `#!…node` first line), or `node SCRIPT`, in the sandbox.
 * A sandboxed process lives while something keeps its event loop busy (server, socket, timer, stdin), like
 * Node: when nothing does, it exits 0 at the next clock tick. SIGTERM/SIGINT/SIGHUP end it unless it set a
 * handler; SIGKILL always does. Output is split into lines for the journal (a line longer than journald's
 * LineMax= is split there, as journald does).
 *
 * A program that keeps the thread past its slice (a busy loop) is marked hung by the preemption check
 * (service/preempt.ts): it stays alive and holds its fds but runs no callback any more, as a spinning
 * process would; SIGKILL, and a terminating signal it has no handler for, end it.
 */
import type { Clock, Connection, ExitStatus, FileSystem, ListeningSocket, ListenOptions, Process, ProcessTable, SpawnOptions, Unsubscribe } from '../kernel.ts';
import type { SandboxHost } from '../../service/sandbox-host.ts';
import type { ProgramFactory } from '../../service/sandbox.ts';
import { formatUncaught, runFactory, runScript } from '../../service/sandbox.ts';
import { noteEntry } from '../../service/error-report.ts';
import type { EntryPoint } from '../../service/node/node-internals.ts';
import { ProcessExitSignal } from '../../service/sandbox-host.ts';
import { createPreemptCheck, DEFAULT_SLICE_MS, ProcessHungSignal, startSlice } from '../../service/preempt.ts';
import { errnoError } from '../errno.ts';
import type { MemoryFileSystem } from './memory-fs.ts';
import { BoundSocket, type MemoryNetwork } from './memory-network.ts';
import type { UserDatabase } from './users.ts';

/** The search path for a command name without a slash (systemd's default PATH). */
const SEARCH_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
/** systemd's exit status of a child whose User= does not exist (EXIT_USER). */
const EXIT_USER = 217;
/** Where the machine's Node lives; `node` in ExecStart resolves here. */
export const NODE_PATH = '/usr/bin/node';
/** Signals whose default action ends a process. */
const TERMINATING = new Set(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGABRT', 'SIGSEGV']);
/** journald's LineMax= default (48K): a longer line is split into several entries. */
export const LINE_MAX = 48 * 1024;
/** At most this many processes at once (the kernel's pid limit, as TasksMax= would cap a unit): spawn fails with EAGAIN. */
export const MAX_PROCESSES = 4096;

/** The network as a sandboxed process uses it: it binds and connects as its own uid. */
export interface SandboxNetwork {
  listen(options: ListenOptions, owner: { uid: number; holder: { name: string; pid: number; fd: number } }): ListeningSocket;
  connect(target: string, options: { pid: number; uid: number }): Promise<Connection>;
  resolve(host: string): string[];
}

/** What a sandboxed process runs on (the in-memory kernel's, or the Node kernel's for its built-in programs). */
export interface SandboxProcessDeps {
  fs: FileSystem;
  net: SandboxNetwork;
  users: UserDatabase;
  clock: Clock;
  hostname: string;
  /** Preemption budget of program code in ms (default DEFAULT_SLICE_MS). */
  sliceMs?: number;
}

/** What the process table works on. */
export interface ProcessTableDeps extends SandboxProcessDeps {
  fs: MemoryFileSystem;
  net: MemoryNetwork;
  programs: Record<string, ProgramFactory>;
}

/** close(2) on a connection fd: FIN when the kernel side supports it, else end(). */
function closeFd(conn: Connection): void {
  const c = conn as Connection & { close?: () => void };
  if (c.close) c.close();
  else c.end();
}

/**
 * One process running JavaScript in the sandbox; it is also the SandboxHost its program talks to. The
 * in-memory kernel runs every process so; the Node kernel runs the emulator's built-in programs so
 * (kernel/node/pseudo-processes.ts).
 */
export class SandboxProcess implements Process, SandboxHost {
  readonly pid: number;
  readonly argv: string[];
  readonly env: Record<string, string>;
  readonly uid: number;
  readonly user: string;
  readonly cwd: string;
  readonly stdio?: Connection;
  exited = false;
  /** Set when the program overran its slice: it spins, and runs no callback any more. */
  hung = false;
  entry: EntryPoint | undefined;
  readonly preempt: () => true;
  private fds = new Map<number, ListeningSocket | Connection>();
  private refs = 0;
  private idleTimer: number | undefined;
  private exitListeners = new Set<(status: ExitStatus) => void>();
  private programExitHooks: Array<(code: number) => void> = [];
  private cleanups = new Set<() => void>();
  private signalHandlers = new Map<string, () => void>();
  private partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  private status: ExitStatus | undefined;
  private nextFd: number;
  /** Script sources by path, for crash reports. */
  readonly files = new Map<string, string>();
  private readonly options: SpawnOptions;
  private readonly deps: SandboxProcessDeps;
  private readonly onGone: (p: SandboxProcess) => void;

  constructor(pid: number, argv: string[], options: SpawnOptions, deps: SandboxProcessDeps, onGone: (p: SandboxProcess) => void) {
    this.pid = pid;
    this.argv = argv;
    this.options = options;
    this.deps = deps;
    this.onGone = onGone;
    const account = options.uid !== undefined ? { uid: options.uid, name: options.user ?? String(options.uid) } : deps.users.user(options.user ?? 'root');
    this.uid = account?.uid ?? 0;
    this.user = account?.name ?? 'root';
    this.cwd = options.cwd ?? '/';
    this.env = { ...options.env };
    if (options.setListenPid) this.env.LISTEN_PID = String(pid);
    // NOTIFY_SOCKET is the manager's to give (service_spawn(): unless NotifyAccess=none), as on the Node kernel: a
    // Type=simple service's sd_notify() then sends nothing, and PID 1 logs no "reception is disabled".
    this.stdio = options.stdioConnection;
    options.fds.forEach((fd, i) => this.fds.set(3 + i, fd));
    this.nextFd = 3 + options.fds.length;
    for (const [n, fd] of this.fds) if (fd instanceof BoundSocket) fd.holders.push({ name: this.comm(), pid, fd: n });
    this.preempt = createPreemptCheck(deps.sliceMs ?? DEFAULT_SLICE_MS, () => this.hung, () => this.markHung());
  }

  /** The program overran its slice: from now on it only spins (and holds what it holds) until killed. */
  private markHung(): void {
    if (this.hung || this.exited) return;
    this.hung = true;
    this.cancelIdle();
  }

  get clock(): Clock {
    return this.deps.clock;
  }
  get fs(): FileSystem {
    return this.deps.fs;
  }
  get hostname(): string {
    return this.deps.hostname;
  }

  /** The command name `ss -p` shows: the executed file's base name (a `#!` script's own name). */
  comm(): string {
    return (this.options.argv[0] ?? '').split('/').pop() ?? '';
  }

  fd(n: number): ListeningSocket | Connection | undefined {
    if ((n === 0 || n === 1) && this.stdio) return this.stdio;
    return this.fds.get(n);
  }

  isFdOpen(n: number): boolean {
    return n >= 0 && (n <= 2 || this.fds.has(n));
  }

  listen(options: ListenOptions): ListeningSocket {
    const fd = this.nextFd++;
    const sock = this.deps.net.listen(options, { uid: this.uid, holder: { name: this.comm(), pid: this.pid, fd } });
    this.fds.set(fd, sock);
    return sock;
  }

  connect(target: string): Promise<Connection> {
    return this.deps.net.connect(target, { pid: this.pid, uid: this.uid });
  }

  resolve(host: string): string[] {
    return this.deps.net.resolve(host);
  }

  write(stream: 'stdout' | 'stderr', text: string): void {
    if (this.exited) return;
    // inetd style: what goes to the connection is the client's, not the journal's.
    if (this.stdio && this.options.stdioOutputs?.includes(stream)) {
      this.stdio.write(text);
      return;
    }
    const lines = (this.partial[stream] + text).split('\n');
    let rest = lines.pop() ?? '';
    for (const line of lines) this.emitLine(line, stream);
    while (rest.length > LINE_MAX) {
      this.options.onOutput(rest.slice(0, LINE_MAX), stream);
      rest = rest.slice(LINE_MAX);
    }
    this.partial[stream] = rest;
  }

  /** One line of output, split at LINE_MAX like journald does. */
  private emitLine(line: string, stream: 'stdout' | 'stderr'): void {
    for (let at = 0; at === 0 || at < line.length; at += LINE_MAX) this.options.onOutput(line.slice(at, at + LINE_MAX), stream);
  }

  notify(message: string): void {
    if (!this.exited) this.options.onNotify(message);
  }

  ref(): () => void {
    this.refs++;
    this.cancelIdle();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.refs--;
      this.scheduleIdleCheck();
    };
  }

  guard<A extends unknown[]>(fn: (...args: A) => unknown, entry?: EntryPoint): (...args: A) => void {
    return (...args: A) => {
      if (this.exited || this.hung) return;
      startSlice();
      const outer = this.entry;
      if (entry) this.entry = entry;
      try {
        const r = fn(...args);
        if (r instanceof Promise) r.catch((error: unknown) => this.crashUnlessExit(error));
      } catch (error) {
        noteEntry(error, this.entry);
        this.crashUnlessExit(error);
      } finally {
        this.entry = outer;
        startSlice();
      }
    };
  }

  crash(error: unknown): void {
    if (this.exited) return;
    for (const line of formatUncaught(error, this.files)) this.write('stderr', line + '\n');
    this.exit({ code: 1 });
  }

  setSignalHandler(signal: string, handler: (() => void) | undefined): void {
    if (handler) this.signalHandlers.set(signal, handler);
    else this.signalHandlers.delete(signal);
  }

  onCleanup(callback: () => void): () => void {
    this.cleanups.add(callback);
    return () => this.cleanups.delete(callback);
  }

  /** Sends a signal (delivered in a microtask, like an asynchronous signal). */
  kill(signal: string): void {
    if (this.exited) return;
    if (signal === 'SIGKILL') return this.exit({ signal });
    queueMicrotask(() => {
      if (this.exited) return;
      const handler = this.signalHandlers.get(signal);
      // A hung process never runs its handler (its event loop does not turn): the signal stays pending.
      if (handler) this.guard(handler)();
      else if (TERMINATING.has(signal)) this.exit({ signal });
    });
  }

  onExit(cb: (status: ExitStatus) => void): Unsubscribe {
    if (this.status) {
      const status = this.status;
      queueMicrotask(() => cb(status));
      return () => {};
    }
    this.exitListeners.add(cb);
    return () => this.exitListeners.delete(cb);
  }

  /** process.on('exit') in the program. */
  onProgramExit(callback: (code: number) => void): void {
    this.programExitHooks.push(callback);
  }

  exit(status: ExitStatus): void {
    if (this.exited) return;
    for (const hook of this.programExitHooks.splice(0)) {
      try {
        hook(status.code ?? 128);
      } catch {
        // An exception in an 'exit' handler cannot stop the exit.
      }
    }
    this.exited = true;
    this.status = status;
    this.cancelIdle();
    for (const stream of ['stdout', 'stderr'] as const) if (this.partial[stream]) this.options.onOutput(this.partial[stream], stream);
    for (const cleanup of [...this.cleanups]) cleanup();
    this.cleanups.clear();
    // The process's fd copies close; the manager still holds the listening sockets.
    for (const [, fd] of this.fds) {
      if (fd instanceof BoundSocket) {
        const i = fd.holders.findIndex((h) => h.pid === this.pid);
        if (i >= 0) fd.holders.splice(i, 1);
        if (fd.holders.length === 0) fd.close();
      } else if ('write' in fd) closeFd(fd);
    }
    if (this.stdio) closeFd(this.stdio);
    this.onGone(this);
    for (const listener of [...this.exitListeners]) queueMicrotask(() => listener(status));
  }

  /** Starts the program (called in a microtask after spawn). */
  start(run: () => void): void {
    if (this.exited) return;
    startSlice();
    try {
      run();
    } finally {
      startSlice();
    }
    this.scheduleIdleCheck();
  }

  private crashUnlessExit(error: unknown): void {
    if (!(error instanceof ProcessExitSignal) && !(error instanceof ProcessHungSignal)) this.crash(error);
  }

  private scheduleIdleCheck(): void {
    if (this.exited || this.hung || this.refs > 0 || this.idleTimer !== undefined) return;
    this.idleTimer = this.deps.clock.setTimer(0, () => {
      this.idleTimer = undefined;
      if (!this.exited && !this.hung && this.refs === 0) this.exit({ code: 0 });
    });
  }

  private cancelIdle(): void {
    if (this.idleTimer !== undefined) this.deps.clock.cancelTimer(this.idleTimer);
    this.idleTimer = undefined;
  }
}

/** The in-memory ProcessTable. */
export class MemoryProcessTable implements ProcessTable {
  private running = new Map<number, SandboxProcess>();
  private nextPid = 200;
  private readonly deps: ProcessTableDeps;

  constructor(deps: ProcessTableDeps) {
    this.deps = deps;
  }

  /** Registers a built-in program at a path (and creates its executable file when missing). */
  registerProgram(path: string, factory: ProgramFactory): void {
    this.deps.programs[path] = factory;
    if (!this.deps.fs.stat(path)) this.deps.fs.writeFile(path, `#!/usr/bin/node\n// built-in program of the emulator: ${path}\n`, { mode: 0o755, mkdirs: true });
  }

  /** Starts a program; throws ENOENT / EACCES / ENOEXEC as execve() would. */
  spawn(options: SpawnOptions): Process {
    const fs = this.deps.fs;
    // exec_child() looks the user up first, in the forked child: an unknown User= makes the child exit
    // with 217/USER (EXIT_USER) before anything is executed.
    const account = options.uid !== undefined ? { uid: options.uid } : this.deps.users.user(options.user ?? 'root');
    if (!account) return this.start([...options.argv], options, (p) => p.exit({ code: EXIT_USER }));
    const name = options.argv[0] ?? '';
    const path = name.includes('/') ? name : (SEARCH_PATH.map((d) => `${d}/${name}`).find((p) => fs.stat(p)?.type === 'file') ?? name);
    const node = fs.node(path);
    if (!node || !path.startsWith('/')) throw errnoError('ENOENT');
    if (node.type !== 'file' || !this.deps.users.mayAccess(account.uid, node, 1)) throw errnoError('EACCES');
    const real = fs.realpath(path);
    const factory = this.deps.programs[path] ?? this.deps.programs[real];
    let run: (p: SandboxProcess) => void;
    let argv = [path, ...options.argv.slice(1)];
    if (real === NODE_PATH && !factory) {
      const script = options.argv[1];
      argv = [NODE_PATH, ...options.argv.slice(1)];
      run = (p) => {
        if (!script) return p.crash(new Error('the emulated node needs a script: node FILE.js'));
        const file = script.startsWith('/') ? script : `${p.cwd.replace(/\/$/, '')}/${script}`;
        if (fs.stat(file)?.type !== 'file') {
          return p.crash(Object.assign(new Error(`Cannot find module '${file}'`), { code: 'MODULE_NOT_FOUND' }));
        }
        const source = fs.readFile(file);
        p.files.set(file, source);
        runScript(p, source, file);
      };
    } else if (factory) {
      run = (p) => runFactory(p, factory, path);
    } else {
      const source = fs.readFile(path);
      if (!/\.(m|c)?js$/.test(path) && !/^#!\s*(\/usr\/bin\/env\s+node|\S*\/node)\b/.test(source)) throw errnoError('ENOEXEC');
      argv = [NODE_PATH, path, ...options.argv.slice(1)];
      run = (p) => {
        p.files.set(path, source);
        runScript(p, source, path);
      };
    }
    return this.start(argv, options, run);
  }

  /** Creates the process entry and runs `run` in it on the next microtask. */
  private start(argv: string[], options: SpawnOptions, run: (p: SandboxProcess) => void): SandboxProcess {
    if (this.running.size >= MAX_PROCESSES) throw errnoError('EAGAIN');
    const pid = this.nextPid++;
    const proc = new SandboxProcess(pid, argv, options, this.deps, (p) => this.running.delete(p.pid));
    this.running.set(pid, proc);
    queueMicrotask(() => proc.start(() => run(proc)));
    return proc;
  }

  /** Running processes. */
  list(): Process[] {
    return [...this.running.values()];
  }

  /** `/proc/PID/fd/N`: a socket as `socket:[INODE]` (the inode ss shows); stdin without a socket is /dev/null. */
  fdLink(pid: number, fd: number): string | undefined {
    const proc = this.running.get(pid);
    if (!proc) return undefined;
    const held = proc.fd(fd);
    // The memory kernel's sockets and connections are its own classes, each with the inode ss shows.
    const inode = held && 'inode' in held ? (held as { inode: number }).inode : undefined;
    if (inode !== undefined) return `socket:[${inode}]`;
    return fd === 0 ? '/dev/null' : undefined;
  }

  /** A running process by pid. */
  get(pid: number): Process | undefined {
    return this.running.get(pid);
  }
}

