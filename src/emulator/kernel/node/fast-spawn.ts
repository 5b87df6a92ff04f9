/**
 * Starting a service without fork(). Node's child_process.spawn() forks the emulator, and fork() copies the page
 * tables of the whole process: with the emulator's few hundred MB that alone is 4–20 ms per start, which is most
 * of what a socket activation costs beyond the service's own start-up (issue 11: activation latency against
 * systemd-socket-activate, a small C program). glibc's posix_spawn() uses clone(CLONE_VM|CLONE_VFORK) and costs
 * a fraction of a millisecond whatever the emulator's size, so the Node kernel starts services with it (through
 * libc.ts) where it can: stdio as /dev/null, a pipe or a given fd, no user switch (User= needs setuid(), which
 * posix_spawn() cannot do: those start through child_process as before).
 *
 * The child gets a process group of its own, as a service gets a cgroup of its own under systemd: a stop (SIGTERM,
 * SIGKILL) reaches the processes it started too, and the kernel's teardown kills every group it made. Its exit is
 * reaped on SIGCHLD with waitpid(pid, WNOHANG): libuv reaps only the pids it spawned itself, so the two never
 * take each other's children.
 */
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { ERRNO } from '../errno.ts';
import type { Libc } from './libc.ts';

/** What node-processes.ts uses of a child, met by Node's ChildProcess and by FastChild. */
export interface ChildHandle {
  readonly pid?: number;
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
  kill(signal?: NodeJS.Signals | number): boolean;
  on(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): this;
  on(event: 'close', listener: () => void): this;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
}

/** One stdio entry: /dev/null, a pipe the emulator reads, or an fd of the emulator the child gets a copy of. */
export type FastStdio = 'ignore' | 'pipe' | { fd: number };

/** Signal numbers to names, the first name for each (SIGABRT, not its alias SIGIOT), as Node's ChildProcess names them. */
const SIGNAL_NAMES = new Map<number, NodeJS.Signals>();
for (const [name, number] of Object.entries(os.constants.signals)) if (!SIGNAL_NAMES.has(number)) SIGNAL_NAMES.set(number, name as NodeJS.Signals);

/** Every child started here that is not reaped yet. */
const running = new Map<number, FastChild>();
let reaperInstalled = false;

/** A child started with posix_spawn(). */
export class FastChild extends EventEmitter implements ChildHandle {
  readonly pid: number | undefined;
  readonly stdin = null;
  readonly stdout: net.Socket | null;
  readonly stderr: net.Socket | null;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  private readonly libc: Libc;
  private openStreams = 0;
  private exited = false;

  constructor(libc: Libc, pid: number | undefined, stdout: net.Socket | null, stderr: net.Socket | null) {
    super();
    this.libc = libc;
    this.pid = pid;
    this.stdout = stdout;
    this.stderr = stderr;
    for (const stream of [stdout, stderr]) {
      if (!stream) continue;
      this.openStreams++;
      stream.on('error', () => undefined);
      stream.once('close', () => {
        this.openStreams--;
        this.maybeClose();
      });
    }
  }

  /** Sends `signal` to the child (false once it is gone); node-processes.ts signals its group for a stop. */
  kill(signal: NodeJS.Signals | number = 'SIGTERM'): boolean {
    if (this.pid === undefined || this.exited) return false;
    try {
      process.kill(this.pid, signal);
      return true;
    } catch {
      return false;
    }
  }

  /** Reaps the child if it has exited; true when it has. */
  reap(): boolean {
    if (this.pid === undefined || this.exited) return true;
    const status = this.libc.reap(this.pid);
    if (status === undefined) return false;
    this.exited = true;
    if (status < 0) this.exitCode = 0; // not our child any more (ECHILD): nothing to tell
    else if ((status & 0x7f) === 0) this.exitCode = (status >> 8) & 0xff;
    else this.signalCode = SIGNAL_NAMES.get(status & 0x7f) ?? 'SIGKILL';
    this.emit('exit', this.exitCode, this.signalCode);
    this.maybeClose();
    return true;
  }

  /** 'close' as ChildProcess emits it: after the exit and the end of every output pipe. */
  private maybeClose(): void {
    if (this.exited && this.openStreams === 0) {
      this.openStreams = -1;
      this.emit('close', this.exitCode, this.signalCode);
    }
  }
}

/**
 * While children run, a ref'd timer keeps the event loop alive (as a ChildProcess's handle does: a signal listener
 * does not) and asks again now and then, should a SIGCHLD ever be missed.
 */
let keepAlive: ReturnType<typeof setInterval> | undefined;

/** Reaps every exited child now (coalesced signals: each running child is asked). */
export function reapAll(): void {
  for (const [pid, child] of running) if (child.reap()) running.delete(pid);
  if (running.size === 0 && keepAlive) {
    clearInterval(keepAlive);
    keepAlive = undefined;
  }
}

/** Reaps on SIGCHLD. */
function installReaper(): void {
  if (reaperInstalled) return;
  reaperInstalled = true;
  process.on('SIGCHLD', reapAll);
}

/**
 * Starts `file` with posix_spawn(); undefined where it cannot (no libc; a pipe as stdin). A failed exec is reported as
 * ChildProcess reports it: an 'error' event (ENOENT, EACCES) on a child without a pid.
 */
export function fastSpawn(
  libc: Libc | undefined,
  file: string,
  args: string[],
  options: { argv0: string; env: Record<string, string>; cwd: string; stdio: FastStdio[] },
): FastChild | undefined {
  if (!libc || options.stdio[0] === 'pipe') return undefined;
  installReaper();
  const fds: number[] = [];
  const close: number[] = [];
  const readers: Array<{ index: number; fd: number }> = [];
  const fail = (errno: number): FastChild => {
    for (const fd of close) fs.closeSync(fd);
    for (const { fd } of readers) fs.closeSync(fd);
    const child = new FastChild(libc, undefined, null, null);
    const code = Object.entries(ERRNO).find(([, entry]) => entry.errno === -errno)?.[0] ?? 'EIO';
    const error: NodeJS.ErrnoException = Object.assign(new Error(`spawn ${file} ${code}`), { code, errno, syscall: `spawn ${file}`, path: file });
    process.nextTick(() => child.emit('error', error));
    return child;
  };
  for (const [index, entry] of options.stdio.entries()) {
    if (entry === 'ignore') fds.push(-1);
    else if (entry === 'pipe') {
      const pipe = libc.pipe();
      if (typeof pipe === 'number') return fail(pipe);
      readers.push({ index, fd: pipe[0] });
      close.push(pipe[1]);
      fds.push(pipe[1]);
    } else fds.push(entry.fd);
  }
  const env = Object.entries(options.env).map(([name, value]) => `${name}=${value}`);
  const pid = libc.spawn(file, [options.argv0, ...args], env, fds, options.cwd);
  for (const fd of close) fs.closeSync(fd);
  if (pid < 0) return fail(pid);
  const stream = (index: number): net.Socket | null => {
    const reader = readers.find((entry) => entry.index === index);
    return reader ? new net.Socket({ fd: reader.fd, readable: true, writable: false }) : null;
  };
  const child = new FastChild(libc, pid, stream(1), stream(2));
  running.set(pid, child);
  keepAlive ??= setInterval(reapAll, 1000);
  return child;
}
